-- revision: ab002a862313
-- down_revision: 3d6530501918
-- branch_labels:
-- depends_on:
-- message: add name
-- create_date:
-- imported from golang-migrate: 000004_add_name.up.sql (version 000004)
-- downgrade from 000004_add_name.down.sql

-- +upgrade
ALTER TABLE users ADD COLUMN name TEXT;

-- +downgrade
ALTER TABLE users DROP COLUMN name;
