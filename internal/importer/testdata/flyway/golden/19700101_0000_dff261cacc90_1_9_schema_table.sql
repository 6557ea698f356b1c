-- revision: dff261cacc90
-- down_revision: 0b0e79fb8ece
-- branch_labels:
-- depends_on:
-- message: Schema table
-- create_date:
-- imported from flyway: V1.9__Schema_table.sql (version 1.9)

-- +upgrade
CREATE TABLE ${schema}.settings (k TEXT PRIMARY KEY, v TEXT);
