-- The PostgreSQL lock, scan and rewrite corpus: each "-- case:" is linted
-- as the upgrade section of a revision of its own; pglock.golden has the
-- findings (go test ./lint -run TestPgLockCorpus -update).

-- case: django add field with foreign key
ALTER TABLE "shop_order" ADD COLUMN "coupon_id" bigint NULL CONSTRAINT "shop_order_coupon_id_fk" REFERENCES "shop_coupon"("id") DEFERRABLE INITIALLY DEFERRED;
SET CONSTRAINTS "shop_order_coupon_id_fk" IMMEDIATE;
CREATE INDEX "shop_order_coupon_id_idx" ON "shop_order" ("coupon_id");

-- case: django add field then constraint
ALTER TABLE "shop_order" ADD COLUMN "coupon_id" bigint NULL;
ALTER TABLE "shop_order" ADD CONSTRAINT "shop_order_coupon_id_fk" FOREIGN KEY ("coupon_id") REFERENCES "shop_coupon" ("id") DEFERRABLE INITIALLY DEFERRED;

-- case: django unique together
ALTER TABLE "shop_membership" ADD CONSTRAINT "shop_membership_user_id_group_id_uniq" UNIQUE ("user_id", "group_id");

-- case: django check constraint
ALTER TABLE "shop_product" ADD CONSTRAINT "price_gte_0" CHECK ("price" >= 0);

-- case: django alter field type
ALTER TABLE "shop_product" ALTER COLUMN "sku" TYPE varchar(64);

-- case: django alter field to bigint
ALTER TABLE "shop_product" ALTER COLUMN "id" TYPE bigint USING "id"::bigint;

-- case: django alter field not null
ALTER TABLE "shop_product" ALTER COLUMN "name" SET NOT NULL;

-- case: django add field with uuid default
ALTER TABLE "shop_product" ADD COLUMN "public_id" uuid DEFAULT gen_random_uuid() NOT NULL;

-- case: rails add_reference with foreign key
ALTER TABLE "orders" ADD "customer_id" bigint;
CREATE INDEX "index_orders_on_customer_id" ON "orders" ("customer_id");
ALTER TABLE "orders" ADD CONSTRAINT "fk_rails_3dad120da9" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id");

-- case: rails add_foreign_key validate false then validate
ALTER TABLE "orders" ADD CONSTRAINT "fk_rails_3dad120da9" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") NOT VALID;
-- +no-transaction
ALTER TABLE "orders" VALIDATE CONSTRAINT "fk_rails_3dad120da9";

-- case: rails validate in the same transaction
ALTER TABLE "orders" ADD CONSTRAINT "fk_rails_3dad120da9" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") NOT VALID;
ALTER TABLE "orders" VALIDATE CONSTRAINT "fk_rails_3dad120da9";

-- case: rails change_column_null safely
ALTER TABLE "users" ADD CONSTRAINT "users_email_null" CHECK ("email" IS NOT NULL) NOT VALID;
-- +no-transaction
ALTER TABLE "users" VALIDATE CONSTRAINT "users_email_null";
ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL;
ALTER TABLE "users" DROP CONSTRAINT "users_email_null";

-- case: rails change_column to bigint with cast
ALTER TABLE "events" ALTER COLUMN "user_id" TYPE bigint USING CAST("user_id" AS bigint);

-- case: rails add_column with serial primary key
ALTER TABLE "legacy_logs" ADD COLUMN "id" bigserial PRIMARY KEY;

-- case: rails create_table with references
CREATE TABLE "line_items" ("id" bigserial primary key, "order_id" bigint NOT NULL, "product_id" bigint NOT NULL, CONSTRAINT "fk_rails_1" FOREIGN KEY ("order_id") REFERENCES "orders" ("id"), CONSTRAINT "fk_rails_2" FOREIGN KEY ("product_id") REFERENCES "products" ("id"));
CREATE INDEX "index_line_items_on_order_id" ON "line_items" ("order_id");

-- case: alembic add primary key
ALTER TABLE audit_log ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);

-- case: alembic create foreign keys on two tables
ALTER TABLE invoice ADD CONSTRAINT fk_invoice_customer FOREIGN KEY(customer_id) REFERENCES customer (id) NOT VALID;
ALTER TABLE invoice ADD CONSTRAINT fk_invoice_currency FOREIGN KEY(currency_code) REFERENCES currency (code) NOT VALID;

-- case: alembic alter column type with using
ALTER TABLE invoice ALTER COLUMN amount TYPE NUMERIC(12, 2) USING amount / 100.0;

-- case: alembic widen varchar
ALTER TABLE invoice ALTER COLUMN reference TYPE VARCHAR(200);

-- case: alembic two alters of one table
ALTER TABLE invoice ADD COLUMN paid_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE invoice ADD COLUMN paid_by INTEGER;

-- case: alembic batch in one statement
ALTER TABLE invoice ADD COLUMN paid_at TIMESTAMP WITH TIME ZONE, ADD COLUMN paid_by INTEGER;

-- case: hand-written unique using index
-- +no-transaction
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON users (lower(email));
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;

-- case: hand-written primary key using index
-- +no-transaction
CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;

-- case: hand-written exclusion constraint
ALTER TABLE room_booking ADD CONSTRAINT room_booking_no_overlap EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at) WITH &&);

-- case: hand-written stored generated column
ALTER TABLE products ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(name, ''))) STORED;

-- case: hand-written identity column
ALTER TABLE import_rows ADD COLUMN row_no integer GENERATED ALWAYS AS IDENTITY;

-- case: hand-written constant default
ALTER TABLE accounts ADD COLUMN plan text NOT NULL DEFAULT 'free';

-- case: hand-written stable default
ALTER TABLE accounts ADD COLUMN created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- case: hand-written user function default
ALTER TABLE accounts ADD COLUMN referral_code text DEFAULT make_referral_code();

-- case: hand-written detach partition
ALTER TABLE measurements DETACH PARTITION measurements_2019;

-- case: hand-written detach concurrently
-- +no-transaction
ALTER TABLE measurements DETACH PARTITION measurements_2019 CONCURRENTLY;

-- case: hand-written trigger on existing table
CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- case: hand-written trigger on new table
CREATE TABLE audit_entries (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body jsonb);
CREATE TRIGGER audit_entries_touch BEFORE UPDATE ON audit_entries FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- case: hand-written autovacuum off for a staging table
ALTER TABLE staging_import SET (autovacuum_enabled = false, toast.autovacuum_enabled = false);

-- case: hand-written autovacuum tuning
ALTER TABLE events SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01);

-- case: hand-written domain with check
CREATE DOMAIN positive_amount AS numeric(12, 2) CHECK (VALUE > 0);

-- case: hand-written domain constraint not valid
ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_max CHECK (VALUE < 1000000) NOT VALID;

-- case: hand-written enum value at the end
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded';

-- case: hand-written enum value used at once
ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'paid';
UPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL AND status = 'paid';

-- case: hand-written backfill after a lock
SET lock_timeout = '3s';
ALTER TABLE orders ADD COLUMN region text;
UPDATE orders SET region = 'eu' WHERE id < 1000;

-- case: hand-written lock table
LOCK TABLE orders IN ACCESS EXCLUSIVE MODE;
INSERT INTO order_archive SELECT * FROM orders WHERE placed_at < '2020-01-01';

-- case: pg_dump style constraints on new tables
CREATE TABLE public.tags (id integer NOT NULL, name text NOT NULL);
ALTER TABLE ONLY public.tags ADD CONSTRAINT tags_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.tags ADD CONSTRAINT tags_name_key UNIQUE (name);

-- case: timestamp to timestamptz
ALTER TABLE sessions ALTER COLUMN expires_at TYPE timestamptz;

-- case: varchar to jsonb
ALTER TABLE sessions ALTER COLUMN data TYPE jsonb USING data::jsonb;
