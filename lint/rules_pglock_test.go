package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pgLockCase is one statement list and whether rule code fires on it.
type pgLockCase struct {
	name, code, sql string
	fires           bool
}

func runPgLockCases(t *testing.T, cases []pgLockCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.code+"/"+tc.name, func(t *testing.T) {
			got := lintText(t, Postgres, tc.sql, Settings{})
			if has(got, tc.code) != tc.fires {
				t.Errorf("%s fired = %v, want %v: %v", tc.code, !tc.fires, tc.fires, codes(got))
			}
		})
	}
}

func TestPgConstraintRules(t *testing.T) {
	runPgLockCases(t, []pgLockCase{
		// RT304
		{"django unique", "RT304", `ALTER TABLE "shop_customer" ADD CONSTRAINT "shop_customer_email_key" UNIQUE ("email");`, true},
		{"rails unnamed unique", "RT304", "ALTER TABLE users ADD UNIQUE (email, tenant_id);", true},
		{"add column unique", "RT304", "ALTER TABLE users ADD COLUMN api_key text UNIQUE;", true},
		{"using index", "RT304", "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;", false},
		{"new table", "RT304", "CREATE TABLE users (id bigint);\nALTER TABLE users ADD CONSTRAINT u UNIQUE (id);", false},
		{"unique index is RT301's", "RT304", "CREATE UNIQUE INDEX u ON users (email);", false},
		// RT305
		{"alembic pk", "RT305", `ALTER TABLE "line_item" ADD CONSTRAINT "line_item_pkey" PRIMARY KEY ("id");`, true},
		{"add serial pk column", "RT305", "ALTER TABLE events ADD COLUMN id bigserial PRIMARY KEY;", true},
		{"pk using index", "RT305", "ALTER TABLE events ADD PRIMARY KEY USING INDEX events_id_idx;", false},
		{"pk on new table", "RT305", "CREATE TABLE events (id bigint);\nALTER TABLE events ADD PRIMARY KEY (id);", false},
		// RT306
		{"django fk deferrable", "RT306", `ALTER TABLE "shop_order" ADD CONSTRAINT "shop_order_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "shop_customer" ("id") DEFERRABLE INITIALLY DEFERRED;`, true},
		{"rails fk", "RT306", "ALTER TABLE \"orders\" ADD CONSTRAINT \"fk_rails_3dad120da9\"\nFOREIGN KEY (\"customer_id\")\n  REFERENCES \"customers\" (\"id\")\n;", true},
		{"fk not valid", "RT306", "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;", false},
		{"add column references warns", "RT306", "ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);", true},
		{"add column references a new table", "RT306", "CREATE TABLE coupons (id bigint PRIMARY KEY);\nALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);", false},
		{"fk on new table", "RT306", "CREATE TABLE orders (id bigint, customer_id bigint);\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id);", false},
		{"create table with fk", "RT306", "CREATE TABLE orders (id bigint, customer_id bigint REFERENCES customers (id));", false},
		// RT307
		{"check", "RT307", "ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0);", true},
		{"django check", "RT307", `ALTER TABLE "shop_order" ADD CONSTRAINT "qty_gte_0" CHECK ("qty" >= 0);`, true},
		{"add column with check", "RT307", "ALTER TABLE orders ADD COLUMN qty int DEFAULT 1 CHECK (qty > 0);", true},
		{"check not valid", "RT307", "ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0) NOT VALID;", false},
		{"check on new table", "RT307", "CREATE TABLE orders (total int);\nALTER TABLE orders ADD CONSTRAINT p CHECK (total >= 0);", false},
		// RT308
		{"validate same tx fk", "RT308", "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES customers (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT fk;", true},
		{"validate after no-transaction", "RT308", "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES customers (id) NOT VALID;\n-- +no-transaction\nALTER TABLE orders VALIDATE CONSTRAINT fk;", false},
		{"validate another constraint", "RT308", "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES customers (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT other_fk;", false},
		{"validate alone", "RT308", "ALTER TABLE orders VALIDATE CONSTRAINT fk;", false},
		// RT309
		{"set not null", "RT309", `ALTER TABLE "orders" ALTER COLUMN "note" SET NOT NULL;`, true},
		{"set not null without column keyword", "RT309", "ALTER TABLE orders ALTER note SET NOT NULL, ALTER note SET DEFAULT '';", true},
		{"validated check earlier", "RT309", "ALTER TABLE orders ADD CONSTRAINT nn CHECK (note IS NOT NULL) NOT VALID;\n-- +no-transaction\nALTER TABLE orders VALIDATE CONSTRAINT nn;\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;", false},
		{"check on another column", "RT309", "ALTER TABLE orders ADD CONSTRAINT nn CHECK (other IS NOT NULL) NOT VALID;\n-- +no-transaction\nALTER TABLE orders VALIDATE CONSTRAINT nn;\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;", true},
		{"check not validated", "RT309", "ALTER TABLE orders ADD CONSTRAINT nn CHECK (note IS NOT NULL) NOT VALID;\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;", true},
		{"drop not null", "RT309", "ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;", false},
		{"set not null on new table", "RT309", "CREATE TABLE orders (note text);\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;", false},
		// RT313
		{"exclude", "RT313", "ALTER TABLE booking ADD EXCLUDE USING gist (room WITH =, during WITH &&);", true},
		{"exclude in create table", "RT313", "CREATE TABLE booking (room int, during tstzrange, EXCLUDE USING gist (room WITH =, during WITH &&));", false},
	})
}

func TestPgColumnRules(t *testing.T) {
	runPgLockCases(t, []pgLockCase{
		// RT310
		{"uuid default", "RT310", `ALTER TABLE "shop_order" ADD COLUMN "token" uuid DEFAULT gen_random_uuid() NOT NULL;`, true},
		{"random default", "RT310", "ALTER TABLE orders ADD COLUMN bucket int DEFAULT floor(random() * 10);", true},
		{"clock_timestamp default", "RT310", "ALTER TABLE orders ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();", true},
		{"unknown function warns", "RT310", "ALTER TABLE orders ADD COLUMN code text DEFAULT make_code();", true},
		{"now is stable", "RT310", "ALTER TABLE orders ADD COLUMN created_at timestamptz DEFAULT now() NOT NULL;", false},
		{"constant default", "RT310", "ALTER TABLE orders ADD COLUMN status varchar(20) DEFAULT 'new' NOT NULL;", false},
		{"set default later", "RT310", "ALTER TABLE orders ADD COLUMN token uuid;\nALTER TABLE orders ALTER COLUMN token SET DEFAULT gen_random_uuid();", false},
		{"new table", "RT310", "CREATE TABLE orders (id int);\nALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();", false},
		// RT311
		{"stored generated", "RT311", "ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS (total * 100) STORED;", true},
		{"bigserial", "RT311", "ALTER TABLE events ADD COLUMN seq bigserial;", true},
		{"identity", "RT311", "ALTER TABLE events ADD COLUMN id bigint GENERATED BY DEFAULT AS IDENTITY;", true},
		{"plain bigint", "RT311", "ALTER TABLE events ADD COLUMN seq bigint;", false},
		{"identity on new table", "RT311", "CREATE TABLE events (a int);\nALTER TABLE events ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;", false},
		// RT312
		{"int to bigint", "RT312", "ALTER TABLE orders ALTER COLUMN id TYPE bigint;", true},
		{"django set data type", "RT312", `ALTER TABLE "shop_order" ALTER COLUMN "payload" TYPE jsonb USING "payload"::jsonb;`, true},
		{"using expression", "RT312", "ALTER TABLE orders ALTER COLUMN amount TYPE numeric(12,2) USING amount / 100.0;", true},
		{"to uuid", "RT312", "ALTER TABLE orders ALTER COLUMN ref SET DATA TYPE uuid USING ref::uuid;", true},
		{"quoted trivial using with typmod", "RT312", `ALTER TABLE "orders" ALTER COLUMN "amount" TYPE numeric(12,2) USING "amount"::numeric(12,2);`, false},
		{"rails cast using", "RT312", "ALTER TABLE orders ALTER COLUMN note TYPE varchar(500) USING CAST(note AS varchar(500));", false},
		{"using another column", "RT312", "ALTER TABLE orders ALTER COLUMN note TYPE text USING other_note::text;", true},
		{"to text", "RT312", "ALTER TABLE orders ALTER COLUMN note TYPE text;", false},
		{"varchar widen", "RT312", "ALTER TABLE orders ALTER COLUMN note TYPE varchar(500);", false},
		{"trivial using", "RT312", "ALTER TABLE orders ALTER COLUMN note TYPE varchar(500) USING note::varchar(500);", false},
		{"to timestamptz", "RT312", "ALTER TABLE orders ALTER COLUMN placed_at TYPE timestamp with time zone;", false},
		{"to a domain", "RT312", "ALTER TABLE orders ALTER COLUMN email TYPE email_address;", false},
		{"new table", "RT312", "CREATE TABLE orders (id int);\nALTER TABLE orders ALTER COLUMN id TYPE bigint;", false},
	})
	// An unknown function in a default is a warning, a volatile one an error.
	for sql, want := range map[string]Severity{
		"ALTER TABLE orders ADD COLUMN code text DEFAULT make_code();":    Warning,
		"ALTER TABLE orders ADD COLUMN u uuid DEFAULT gen_random_uuid();": Error,
		"ALTER TABLE orders ADD COLUMN c bigint REFERENCES coupons (id);": Warning,
	} {
		for _, f := range lintText(t, Postgres, sql, Settings{}) {
			if (f.Code == "RT310" || f.Code == "RT306") && f.Severity != want {
				t.Errorf("%s: %s severity %s, want %s", sql, f.Code, f.Severity, want)
			}
		}
	}
}

func TestPgObjectRules(t *testing.T) {
	runPgLockCases(t, []pgLockCase{
		// RT315
		{"detach", "RT315", "ALTER TABLE measurements DETACH PARTITION measurements_y2020;", true},
		{"detach qualified", "RT315", `ALTER TABLE "public"."events" DETACH PARTITION "public"."events_2021";`, true},
		{"detach concurrently", "RT315", "-- +no-transaction\nALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;", false},
		{"detach finalize", "RT315", "-- +no-transaction\nALTER TABLE events DETACH PARTITION events_2020 FINALIZE;", false},
		{"attach is not detach", "RT315", "ALTER TABLE events ATTACH PARTITION events_2022 FOR VALUES FROM ('2022-01-01') TO ('2023-01-01');", false},
		// RT317
		{"trigger", "RT317", "CREATE TRIGGER set_updated_at BEFORE UPDATE ON orders FOR EACH ROW EXECUTE PROCEDURE trigger_set_timestamp();", true},
		{"or replace trigger", "RT317", "CREATE OR REPLACE TRIGGER audit AFTER INSERT OR DELETE ON public.payments FOR EACH ROW EXECUTE FUNCTION audit();", true},
		{"trigger on new table", "RT317", "CREATE TABLE payments (id int);\nCREATE TRIGGER audit AFTER INSERT ON payments FOR EACH ROW EXECUTE FUNCTION audit();", false},
		{"function only", "RT317", "CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;", false},
		// RT319
		{"autovacuum off", "RT319", "ALTER TABLE events SET (autovacuum_enabled = off);", true},
		{"toast autovacuum off", "RT319", "ALTER TABLE events SET (toast.autovacuum_enabled = false, fillfactor = 90);", true},
		{"create with autovacuum off", "RT319", "CREATE TABLE staging (id int) WITH (autovacuum_enabled = false);", true},
		{"autovacuum on", "RT319", "ALTER TABLE events SET (autovacuum_enabled = true);", false},
		{"reset", "RT319", "ALTER TABLE events RESET (autovacuum_enabled);", false},
		// RT320
		{"create domain check", "RT320", "CREATE DOMAIN us_postal_code AS text CHECK (VALUE ~ '^\\d{5}$');", true},
		{"alter domain add", "RT320", "ALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0);", true},
		{"alter domain not valid", "RT320", "ALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0) NOT VALID;", false},
		{"domain without check", "RT320", "CREATE DOMAIN email_address AS citext;", false},
		{"alter domain validate", "RT320", "ALTER DOMAIN positive_int VALIDATE CONSTRAINT positive;", false},
		// RT321
		{"add value", "RT321", "ALTER TYPE mood ADD VALUE 'meh';", true},
		{"add value if not exists", "RT321", "ALTER TYPE \"order_status\" ADD VALUE IF NOT EXISTS 'refunded';", true},
		{"add value before", "RT321", "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'sad';", false},
		{"used in the same transaction", "RT321", "ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'paid';\nUPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL;", true},
		{"used after no-transaction", "RT321", "ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'paid';\n-- +no-transaction\nUPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL;", false},
		{"rename value", "RT321", "ALTER TYPE mood RENAME VALUE 'meh' TO 'so-so';", false},
	})
	got := lintText(t, Postgres, "ALTER TYPE s ADD VALUE 'x' AFTER 'w';\nALTER TABLE t ALTER COLUMN c SET DEFAULT 'x';", Settings{})
	for _, f := range got {
		if f.Code == "RT321" && f.Severity != Error {
			t.Errorf("RT321 on a value used in the same transaction: severity %s, want error", f.Severity)
		}
	}
	if !has(got, "RT321") {
		t.Errorf("RT321 did not fire on a value used in the same transaction: %v", codes(got))
	}
}

func TestPgFlowRules(t *testing.T) {
	runPgLockCases(t, []pgLockCase{
		// RT322
		{"index after alter", "RT322", "ALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_note_idx ON orders (note);", true},
		{"backfill after alter", "RT322", "ALTER TABLE orders ADD COLUMN status text;\nUPDATE orders SET status = 'new' WHERE status IS NULL;", true},
		{"alembic alter then create table", "RT322", `ALTER TABLE "user" DROP COLUMN legacy_flag;` + "\n" + `CREATE TABLE "user_setting" (id serial PRIMARY KEY);`, true},
		{"alter last", "RT322", "SET lock_timeout = '2s';\nUPDATE customer SET tier = 'gold' WHERE spend > 1000;\nALTER TABLE orders ADD COLUMN note text;", false},
		{"comment after alter", "RT322", "ALTER TABLE orders ADD COLUMN note text;\nCOMMENT ON COLUMN orders.note IS 'free text';", false},
		{"alter of new table", "RT322", "CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX tb ON t (b);", false},
		{"share update exclusive first", "RT322", "ALTER TABLE orders VALIDATE CONSTRAINT fk;\nUPDATE orders SET a = 1 WHERE id = 1;", false},
		{"drops", "RT322", "DROP TABLE legacy_a;\nDROP TABLE legacy_b;", false},
		{"no-transaction section", "RT322", "-- +no-transaction\nALTER TABLE orders ADD COLUMN note text;\nUPDATE orders SET note = '' WHERE id = 1;", false},
		// RT323
		{"two adds", "RT323", "ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders ADD COLUMN shipped_at timestamptz;", true},
		{"django add then set default", "RT323", `ALTER TABLE "shop_order" ADD COLUMN "flag" boolean NULL;` + "\n" + `ALTER TABLE "shop_order" ALTER COLUMN "flag" SET DEFAULT false;`, true},
		{"combined", "RT323", "ALTER TABLE orders ADD COLUMN note text, ADD COLUMN shipped_at timestamptz;", false},
		{"other table between", "RT323", "ALTER TABLE orders ADD COLUMN note text;\nUPDATE orders SET note = '' WHERE id < 100;\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;", false},
		{"different tables", "RT323", "ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE customer ADD COLUMN note text;", false},
		{"validate apart", "RT323", "ALTER TABLE orders ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\n-- +no-transaction\nALTER TABLE orders VALIDATE CONSTRAINT c;", false},
		{"set not null then drop the check", "RT323", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\nALTER TABLE users DROP CONSTRAINT users_email_null;", false},
		{"rename apart", "RT323", "ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders RENAME COLUMN memo TO memo_old;", false},
		// RT325
		{"two fks", "RT325", "ALTER TABLE orders ADD CONSTRAINT a FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;\nALTER TABLE orders ADD CONSTRAINT b FOREIGN KEY (product_id) REFERENCES product (id) NOT VALID;", true},
		{"two fks one statement", "RT325", "ALTER TABLE line_item ADD COLUMN order_id bigint REFERENCES orders (id), ADD COLUMN product_id bigint REFERENCES product (id);", true},
		{"same parent twice", "RT325", "ALTER TABLE transfer ADD CONSTRAINT f FOREIGN KEY (from_id) REFERENCES account (id) NOT VALID;\nALTER TABLE transfer ADD CONSTRAINT t FOREIGN KEY (to_id) REFERENCES account (id) NOT VALID;", false},
		{"one fk", "RT325", "ALTER TABLE orders ADD CONSTRAINT a FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;", false},
		{"create table fks", "RT325", "CREATE TABLE order_tag (order_id bigint REFERENCES orders (id), tag_id bigint REFERENCES tag (id));", false},
		{"split by no-transaction", "RT325", "ALTER TABLE orders ADD CONSTRAINT a FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;\n-- +no-transaction\nALTER TABLE orders ADD CONSTRAINT b FOREIGN KEY (product_id) REFERENCES product (id) NOT VALID;", false},
	})
}

// TestPgLockCorpus lints each case of testdata/corpus/pglock.sql as a
// revision of its own and compares the findings with pglock.golden.
func TestPgLockCorpus(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "corpus", "pglock.sql"))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	n := 0
	for _, part := range strings.Split(string(src), "\n-- case: ")[1:] {
		name, body, _ := strings.Cut(part, "\n")
		n++
		fmt.Fprintf(&out, "%s: %s\n", name, strings.Join(codes(lintText(t, Postgres, strings.TrimSpace(body), Settings{})), " "))
	}
	if n < 40 {
		t.Fatalf("the corpus has %d cases, want 40 or more", n)
	}
	checkGolden(t, filepath.Join("testdata", "corpus", "pglock.golden"), out.String(), "TestPgLockCorpus")
}
