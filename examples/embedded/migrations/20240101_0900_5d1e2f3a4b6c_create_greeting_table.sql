-- revision: 5d1e2f3a4b6c
-- down_revision:
-- branch_labels:
-- depends_on:
-- message: create greeting table
-- create_date: 2024-01-01 09:00:00 UTC

-- +upgrade
CREATE TABLE greeting (
    id INTEGER NOT NULL PRIMARY KEY,
    language VARCHAR(20) NOT NULL,
    text VARCHAR(100) NOT NULL
);

-- +downgrade
DROP TABLE greeting;
