-- revision: a1c3e5f7a9b1
-- down_revision:
-- branch_labels:
-- depends_on:
-- message: create account table
-- create_date: 2024-01-01 09:00:00 UTC

-- +upgrade
CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX uq_account_name ON account (name);

-- +downgrade
DROP INDEX uq_account_name;
DROP TABLE account;
