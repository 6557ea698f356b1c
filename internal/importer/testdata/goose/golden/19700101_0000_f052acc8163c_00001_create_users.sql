-- revision: f052acc8163c
-- down_revision:
-- branch_labels:
-- depends_on:
-- message: create users
-- create_date:
-- imported from goose: 00001_create_users.sql (version 00001)

-- +upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    updated_at TIMESTAMP
);

-- +downgrade
DROP TABLE users;
