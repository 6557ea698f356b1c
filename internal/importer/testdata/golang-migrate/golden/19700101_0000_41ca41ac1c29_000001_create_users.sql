-- revision: 41ca41ac1c29
-- down_revision:
-- branch_labels:
-- depends_on:
-- message: create users
-- create_date:
-- imported from golang-migrate: 000001_create_users.up.sql (version 000001)
-- downgrade from 000001_create_users.down.sql

-- +upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL
);

-- +downgrade
DROP TABLE users;
