-- revision: 2b3c4d5e6f70
-- down_revision: 1a2b3c4d5e6f
-- branch_labels:
-- depends_on:
-- message: add users.name
-- create_date: 2024-03-02 09:00:00 UTC
-- imported from alembic: versions/2b3c4d5e6f70_add_users_name.py (revision 2b3c4d5e6f70)

-- +upgrade sqlite
ALTER TABLE users ADD COLUMN name VARCHAR(100);

-- +downgrade sqlite
ALTER TABLE users DROP COLUMN name;

-- +upgrade postgresql
ALTER TABLE users ADD COLUMN name VARCHAR(100);

-- +downgrade postgresql
ALTER TABLE users DROP COLUMN name;
