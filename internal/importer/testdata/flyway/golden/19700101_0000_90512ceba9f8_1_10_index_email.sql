-- revision: 90512ceba9f8
-- down_revision: dff261cacc90
-- branch_labels:
-- depends_on:
-- message: Index email
-- create_date:
-- imported from flyway: V1.10__Index_email.sql (version 1.10)

-- +upgrade
-- +no-transaction
CREATE INDEX CONCURRENTLY users_email ON users (email);
