-- revision: 3c4d5e6f7081
-- down_revision: 2b3c4d5e6f70
-- branch_labels:
-- depends_on:
-- message: index users.email
-- create_date: 2024-03-03 11:30:00 UTC
-- imported from alembic: versions/3c4d5e6f7081_index_users_email.py (revision 3c4d5e6f7081)

-- +upgrade sqlite
CREATE UNIQUE INDEX ix_users_email ON users (email);

-- +downgrade sqlite
DROP INDEX ix_users_email;

-- +upgrade postgresql
CREATE UNIQUE INDEX ix_users_email ON users (email);

-- +downgrade postgresql
DROP INDEX ix_users_email;
