-- revision: 6c2fc1e1eb29
-- down_revision:
-- branch_labels:
-- depends_on:
-- message: Create users
-- create_date:
-- imported from flyway: V1__Create_users.sql (version 1)
-- downgrade from U1__Create_users.sql

-- +upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL
);

-- +downgrade
DROP TABLE users;
