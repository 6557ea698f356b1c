package lint

import "testing"

func TestLintNonIdempotentOutsideTransaction(t *testing.T) {
	const noTx = "-- +no-transaction\n"
	for _, tc := range []struct {
		name, sql string
		fires     bool
	}{
		{"concurrent index", noTx + "CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);", true},
		{"concurrent index if not exists", noTx + "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_ref_key ON orders (ref);", false},
		{"index in the transaction", "CREATE INDEX orders_customer_idx ON orders (customer_id);", false},
		{"drop index", noTx + "DROP INDEX CONCURRENTLY orders_customer_idx;", true},
		{"drop index if exists", noTx + "DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx;", false},
		{"create table", noTx + "CREATE TABLE audit (id bigint PRIMARY KEY);", true},
		{"create table if not exists", noTx + "CREATE TABLE IF NOT EXISTS audit (id bigint PRIMARY KEY);", false},
		{"drop table", noTx + "DROP TABLE audit;", true},
		{"drop table if exists", noTx + "DROP TABLE IF EXISTS audit;", false},
		{"enum add value", noTx + "ALTER TYPE mood ADD VALUE 'meh' AFTER 'ok';", true},
		{"enum add value if not exists", noTx + "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh' AFTER 'ok';", false},
		{"add column", noTx + "ALTER TABLE orders ADD COLUMN note text;", true},
		{"add column if not exists", noTx + "ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;", false},
		{"drop column", noTx + "ALTER TABLE orders DROP COLUMN note;", true},
		{"drop column if exists", noTx + "ALTER TABLE orders DROP COLUMN IF EXISTS note;", false},
		{"add constraint", noTx + "ALTER TABLE orders ADD CONSTRAINT orders_total_pos CHECK (total > 0) NOT VALID;", true},
		{"add constraint after drop if exists", noTx + "ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_total_pos;\nALTER TABLE orders ADD CONSTRAINT orders_total_pos CHECK (total > 0) NOT VALID;", false},
		{"drop of another constraint", noTx + "ALTER TABLE orders DROP CONSTRAINT IF EXISTS other;\nALTER TABLE orders ADD CONSTRAINT orders_total_pos CHECK (total > 0) NOT VALID;", true},
		{"validate is re-runnable", noTx + "ALTER TABLE orders VALIDATE CONSTRAINT orders_total_pos;", false},
		{"reindex is re-runnable", noTx + "REINDEX INDEX CONCURRENTLY orders_customer_idx;", false},
		{"set is re-runnable", noTx + "SET lock_timeout = '5s';", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := lintText(t, Postgres, tc.sql, Settings{})
			if has(got, "RT705") != tc.fires {
				t.Errorf("RT705 fired = %v, want %v: %v", !tc.fires, tc.fires, codes(got))
			}
		})
	}
}
