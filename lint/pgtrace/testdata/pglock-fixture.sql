-- The tables lint/testdata/corpus/pglock.sql runs on, for the trace of
-- each of its cases (TestCorpusAgreesWithPostgresLock).
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE shop_coupon (id bigint PRIMARY KEY);
CREATE TABLE shop_order (id bigint PRIMARY KEY);
CREATE TABLE shop_membership (id bigint PRIMARY KEY, user_id bigint, group_id bigint);
CREATE TABLE shop_product (id integer PRIMARY KEY, sku varchar(32), name text, price numeric);
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE customer (id bigint PRIMARY KEY);
CREATE TABLE currency (code text PRIMARY KEY);
CREATE TABLE products (id bigint PRIMARY KEY, name text);
CREATE TABLE orders (id bigint PRIMARY KEY, status order_status, refunded_at timestamptz, placed_at timestamptz);
CREATE TABLE order_archive (LIKE orders);
CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE TABLE events (id bigint NOT NULL, user_id integer);
CREATE TABLE legacy_logs (body text);
CREATE TABLE audit_log (id bigint NOT NULL);
CREATE TABLE invoice (id bigint PRIMARY KEY, customer_id bigint, currency_code text, amount integer, reference varchar(100));
CREATE TABLE room_booking (room_id integer, starts_at timestamptz, ends_at timestamptz);
CREATE TABLE accounts (id bigint PRIMARY KEY, updated_at timestamptz);
CREATE FUNCTION make_referral_code() RETURNS text LANGUAGE sql AS 'SELECT md5(random()::text)';
CREATE TABLE measurements (d date) PARTITION BY RANGE (d);
CREATE TABLE measurements_2019 PARTITION OF measurements FOR VALUES FROM ('2019-01-01') TO ('2020-01-01');
CREATE TABLE staging_import (id bigint, body text);
CREATE TABLE import_rows (body text);
CREATE TABLE sessions (id bigint PRIMARY KEY, expires_at timestamp, data text);
