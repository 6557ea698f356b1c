-- revision: ec0906e6e0b1
-- down_revision:
-- branch_labels:
-- depends_on:
-- message: create users
-- create_date: 2024-01-01 09:30:00 UTC
-- imported from dbmate: 20240101093000_create_users.sql (version 20240101093000)

-- +upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL
);

-- +downgrade
DROP TABLE users;
