package lint

import "testing"

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
