-- revision: 1a2b3c4d5e6f
-- down_revision:
-- branch_labels:
-- depends_on:
-- message: create users
-- create_date: 2024-03-01 10:15:00 UTC
-- imported from alembic: versions/1a2b3c4d5e6f_create_users.py (revision 1a2b3c4d5e6f)

-- +upgrade sqlite
CREATE TABLE users (
    id INTEGER NOT NULL, 
    email VARCHAR(200) NOT NULL, 
    PRIMARY KEY (id)
);

-- +downgrade sqlite
DROP TABLE users;

-- +upgrade postgresql
CREATE TABLE users (
    id SERIAL NOT NULL, 
    email VARCHAR(200) NOT NULL, 
    PRIMARY KEY (id)
);

-- +downgrade postgresql
DROP TABLE users;
