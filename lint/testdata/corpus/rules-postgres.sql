-- dialect: postgres
-- Near misses of every PostgreSQL rule, and the rules the other corpus
-- files do not reach: each "-- case:" is linted as the upgrade section of
-- a revision of its own; "-- near miss: RT..." names the rules that must
-- not fire on it, "-- enable:" turns on opt-in rules, "-- server:" sets
-- lint.server_version (lint/corpus_test.go). rules-postgres.golden has
-- the findings (go test ./lint -run Corpus -update).

-- case: drop a staging table created in the revision
-- near miss: RT101 RT102
CREATE TABLE import_staging (id bigint PRIMARY KEY, payload jsonb NOT NULL);
INSERT INTO import_staging (id, payload) SELECT id, payload FROM raw_events WHERE id < 1000;
DROP TABLE import_staging;

-- case: drop a column default
-- near miss: RT102 RT205
ALTER TABLE "orders" ALTER COLUMN "note" DROP DEFAULT;

-- case: django drop schema
DROP SCHEMA "reporting" CASCADE;

-- case: create a schema if missing
-- near miss: RT103
CREATE SCHEMA IF NOT EXISTS reporting;

-- case: truncate a lookup table
TRUNCATE TABLE session_cache;

-- case: truncate cascade
TRUNCATE TABLE customers CASCADE;

-- case: purge expired sessions by key range
-- near miss: RT104 RT606 RT706
DELETE FROM sessions WHERE id BETWEEN 1 AND 10000 AND expires_at < now();

-- case: validate a constraint added earlier
-- near miss: RT105 RT308
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;

-- case: drop a view without cascade
-- near miss: RT106
DROP VIEW IF EXISTS order_totals;

-- case: create table if not exists
-- near miss: RT108 RT812
CREATE TABLE IF NOT EXISTS audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, action text NOT NULL);

-- case: rename a table created in the revision
-- near miss: RT201
CREATE TABLE orders_v2 (id bigint PRIMARY KEY);
ALTER TABLE orders_v2 RENAME TO order_archive;

-- case: rename a constraint
-- near miss: RT201 RT202
ALTER TABLE customer RENAME CONSTRAINT customer_email_key TO customer_email_uniq;

-- case: rails add_column null false with default
-- near miss: RT203 RT310
ALTER TABLE "orders" ADD "status" character varying DEFAULT 'new' NOT NULL;

-- case: set a column default
-- near miss: RT205 RT206
ALTER TABLE orders ALTER COLUMN note SET DEFAULT '';

-- case: column statistics target
-- near miss: RT206 RT312
ALTER TABLE orders ALTER COLUMN customer_id SET STATISTICS 500;

-- case: enum value appended after another
-- near miss: RT207 RT321
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'paid';

-- case: rename a schema
ALTER SCHEMA billing RENAME TO invoicing;

-- case: change a schema owner
-- near miss: RT208
ALTER SCHEMA billing OWNER TO app_owner;

-- case: jsonb column
-- near miss: RT210
ALTER TABLE event ADD COLUMN payload jsonb NULL;

-- case: concurrent index written to run again
-- near miss: RT301 RT704 RT705
-- +no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id);

-- case: alembic drop_index
DROP INDEX orders_customer_idx;

-- case: drop index concurrently written to run again
-- near miss: RT302 RT704 RT705
-- +no-transaction
DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx;

-- case: reindex in the transaction
REINDEX INDEX orders_customer_idx;

-- case: reindex concurrently
-- near miss: RT303 RT704 RT705
-- +no-transaction
REINDEX INDEX CONCURRENTLY orders_customer_idx;

-- case: unique constraint using an index
-- near miss: RT304 RT601
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;

-- case: primary key using an index
-- near miss: RT305
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_idx;

-- case: foreign key not valid
-- near miss: RT306 RT604
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;

-- case: check not valid
-- near miss: RT307 RT604
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;

-- case: validate in a later transaction
-- near miss: RT308
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
-- +no-transaction
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;

-- case: set not null after a validated check
-- near miss: RT309
ALTER TABLE orders ADD CONSTRAINT orders_note_nn CHECK (note IS NOT NULL) NOT VALID;
-- +no-transaction
ALTER TABLE orders VALIDATE CONSTRAINT orders_note_nn;
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;

-- case: constant default on postgresql 10
-- server: postgresql 10.23
ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';

-- case: constant default on postgresql 11
-- server: postgresql 11.22
-- near miss: RT310
ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';

-- case: plain bigint column
-- near miss: RT311 RT810
ALTER TABLE events ADD COLUMN sequence_no bigint NULL;

-- case: widen varchar to text
-- near miss: RT312
ALTER TABLE orders ALTER COLUMN note TYPE text;

-- case: exclusion constraint in a new table
-- near miss: RT313
CREATE TABLE room_booking (id bigint PRIMARY KEY, room_id bigint NOT NULL, during tstzrange NOT NULL, EXCLUDE USING gist (room_id WITH =, during WITH &&));

-- case: vacuum full
-- +no-transaction
VACUUM FULL orders;

-- case: cluster
CLUSTER orders USING orders_pkey;

-- case: refresh a materialized view concurrently
-- near miss: RT314
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;

-- case: detach partition concurrently
-- near miss: RT315 RT704
-- +no-transaction
ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;

-- case: trigger on a new table
-- near miss: RT317
CREATE TABLE invoice (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL);
CREATE TRIGGER invoice_audit AFTER INSERT ON invoice FOR EACH ROW EXECUTE FUNCTION audit_row();

-- case: replica identity full
ALTER TABLE orders REPLICA IDENTITY FULL;

-- case: replica identity using an index
-- near miss: RT318
ALTER TABLE orders REPLICA IDENTITY USING INDEX orders_pkey;

-- case: autovacuum tuning
-- near miss: RT319
ALTER TABLE events SET (autovacuum_vacuum_scale_factor = 0.01);

-- case: domain without a check
-- near miss: RT320
CREATE DOMAIN email_address AS text;

-- case: index after an alter, outside the transaction
-- near miss: RT322
ALTER TABLE orders ADD COLUMN note text NULL;
-- +no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_note_idx ON orders (note);

-- case: one alter with two actions
-- near miss: RT323
ALTER TABLE orders ADD COLUMN note text NULL, ADD COLUMN shipped_at timestamptz NULL;

-- case: one foreign key in the revision
-- near miss: RT325
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;

-- case: concurrent index on postgresql 14.2
-- server: postgresql 14.2
-- +no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_placed_idx ON orders (placed_at);

-- case: concurrent index on postgresql 14.11
-- server: postgresql 14.11
-- near miss: RT326
-- +no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_placed_idx ON orders (placed_at);

-- case: unique index on a new table
-- near miss: RT601
CREATE TABLE coupon (id bigint PRIMARY KEY, code text NOT NULL);
CREATE UNIQUE INDEX coupon_code_key ON coupon (code);

-- case: set lock and statement timeouts first
-- near miss: RT701 RT702
SET lock_timeout = '5s';
SET statement_timeout = '60s';
ALTER TABLE orders ADD COLUMN note text NULL;

-- case: explicit transaction in a revision
BEGIN;
ALTER TABLE orders ADD COLUMN note text NULL;
COMMIT;

-- case: savepoint around a backfill
-- near miss: RT703
SAVEPOINT before_backfill;
UPDATE orders SET note = '' WHERE id BETWEEN 1 AND 1000 AND note IS NULL;
RELEASE SAVEPOINT before_backfill;

-- case: add column outside the transaction
-- +no-transaction
ALTER TABLE orders ADD COLUMN note text NULL;

-- case: add column if not exists outside the transaction
-- near miss: RT705
-- +no-transaction
ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text NULL;

-- case: batched backfill alone
-- near miss: RT606 RT706
UPDATE orders SET status = 'archived' WHERE id BETWEEN 1 AND 5000 AND placed_at < '2020-01-01';

-- case: revision without a downgrade
-- +upgrade
ALTER TABLE orders ADD COLUMN note text NULL;

-- case: revision with a downgrade
-- near miss: RT708
-- +upgrade
ALTER TABLE orders ADD COLUMN note text NULL;
-- +downgrade
ALTER TABLE orders DROP COLUMN note;

-- case: identity bigint key
-- near miss: RT801 RT802 RT812
CREATE TABLE shipment (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, order_id bigint NOT NULL);

-- case: text with a length check
-- near miss: RT803 RT805
ALTER TABLE customer ADD COLUMN country_code text NULL CHECK (length(country_code) = 2);

-- case: timestamptz column
-- near miss: RT804
ALTER TABLE orders ADD COLUMN shipped_at timestamptz NULL;

-- case: identifier longer than 63 bytes
CREATE INDEX index_subscription_reminder_attempts_on_subscription_id_and_created_at ON subscription_reminder_attempts (subscription_id, created_at);

-- case: identifier of 63 bytes
-- near miss: RT806
CREATE INDEX index_subscription_reminder_attempts_on_subscription_id_and_cre ON subscription_reminder_attempts (subscription_id, created_at);

-- case: unqualified table, schema qualification enabled
-- enable: RT807
ALTER TABLE orders ADD COLUMN note text NULL;

-- case: qualified table, schema qualification enabled
-- enable: RT807
-- near miss: RT807
ALTER TABLE public.orders ADD COLUMN note text NULL;

-- case: camel case names, naming convention enabled
-- enable: RT808
CREATE TABLE "OrderLine" (id bigint PRIMARY KEY, "orderId" bigint NOT NULL);

-- case: snake case names, naming convention enabled
-- enable: RT808
-- near miss: RT808
CREATE TABLE order_line (id bigint PRIMARY KEY, order_id bigint NOT NULL);

-- case: insert with distinct columns
-- near miss: RT809
INSERT INTO settings (key, value) VALUES ('theme', 'dark');

-- case: nullable column said so
-- near miss: RT810
ALTER TABLE orders ADD COLUMN coupon_code text NULL;

-- case: unique index of four columns
-- near miss: RT811 RT704
-- +no-transaction
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS line_item_key ON line_item (order_id, product_id, variant_id, position);

-- case: composite type
-- near miss: RT814
CREATE TYPE money_range AS (low numeric, high numeric);

-- case: padded column order, alignment enabled
-- enable: RT815
CREATE TABLE event (active boolean NOT NULL, id bigint PRIMARY KEY, archived boolean NOT NULL, created_at timestamptz NOT NULL);

-- case: aligned column order, alignment enabled
-- enable: RT815
-- near miss: RT815
CREATE TABLE event (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, active boolean NOT NULL, archived boolean NOT NULL);

-- case: hash index on postgresql 9.6
-- server: postgresql 9.6
CREATE INDEX sessions_token_idx ON sessions USING hash (token);

-- case: hash index on postgresql 10
-- server: postgresql 10
-- near miss: RT816
CREATE INDEX sessions_token_idx ON sessions USING hash (token);

-- case: unterminated string
ALTER TABLE orders ADD COLUMN note text DEFAULT 'oops;

-- case: a statement lint does not classify
-- near miss: RT901
COMMENT ON TABLE orders IS 'customer orders';

-- case: suppression of a rule that does not fire
-- retort:ignore RT101 the table was archived first
ALTER TABLE orders ADD COLUMN note text NULL;

-- case: suppression with a reason
-- near miss: RT902 RT904 RT101
-- retort:ignore RT101 archived to object storage in revision 0042
DROP TABLE legacy_orders;

-- case: suppression without a reason
-- retort:ignore RT101
DROP TABLE legacy_orders;

-- case: django rename model
ALTER TABLE "shop_product" RENAME TO "shop_item";

-- case: rails rename_column
ALTER TABLE "users" RENAME COLUMN "login" TO "username";

-- case: backfill of a whole table
UPDATE orders SET currency = 'EUR';
