-- revision: d93542f461ad
-- down_revision: 816cf5ffa57a
-- branch_labels:
-- depends_on:
-- message: add name
-- create_date:
-- imported from goose: 00009_add_name.sql (version 00009)

-- +upgrade
-- + downgrade is not a goose annotation, but retort would read it
ALTER TABLE users ADD COLUMN name TEXT;
