-- revision: 17a6bae52094
-- down_revision: 90512ceba9f8
-- branch_labels:
-- depends_on:
-- message: Audit table
-- create_date:
-- imported from flyway: v2/V2.1__Audit_table.sql (version 2.1)

-- +upgrade
CREATE TABLE audit (id INTEGER PRIMARY KEY);
