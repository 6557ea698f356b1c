-- revision: 0b0e79fb8ece
-- down_revision: 445f72e7de20
-- branch_labels:
-- depends_on:
-- message: Add name
-- create_date:
-- imported from flyway: V1.2__Add_name.sql (version 1.2)
-- downgrade from U1.2__Add_name.sql

-- +upgrade
ALTER TABLE users ADD COLUMN name TEXT;

-- +downgrade
ALTER TABLE users DROP COLUMN name;
