CREATE TABLE big (id bigint, email text);

-- The index is built without blocking writes, which cannot run in a
-- transaction:
-- +no-transaction
CREATE INDEX CONCURRENTLY big_email ON big (email);
-- every statement after the marker runs outside the transaction
CREATE INDEX CONCURRENTLY big_id ON big (id);
