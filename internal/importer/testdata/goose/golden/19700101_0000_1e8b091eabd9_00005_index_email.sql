-- revision: 1e8b091eabd9
-- down_revision: 914b33ea0928
-- branch_labels:
-- depends_on:
-- message: index email
-- create_date:
-- imported from goose: 00005_index_email.sql (version 00005)

-- +upgrade
-- +no-transaction
CREATE INDEX CONCURRENTLY users_email ON users (email);

-- +downgrade
-- +no-transaction
DROP INDEX CONCURRENTLY users_email;
