-- revision: 7a9178e8f692
-- down_revision: bfbcc0fb1fd1
-- branch_labels:
-- depends_on:
-- message: index email
-- create_date: 2024-01-03 12:00:00 UTC
-- imported from dbmate: 20240103120000_index_email.sql (version 20240103120000)

-- +upgrade
-- +no-transaction
CREATE INDEX CONCURRENTLY users_email ON users (email);

-- +downgrade
-- +no-transaction
DROP INDEX CONCURRENTLY users_email;
