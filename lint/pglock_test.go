package lint

import (
	"testing"

	"github.com/retortdb/retort/lint/sqlast"
)

func TestPostgresLock(t *testing.T) {
	for _, tc := range []struct {
		sql   string
		mode  LockMode
		known bool
	}{
		{"ALTER TABLE orders ADD COLUMN note text", AccessExclusive, true},
		{"ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES customer (id) NOT VALID", ShareRowExclusive, true},
		{"ALTER TABLE orders VALIDATE CONSTRAINT fk", ShareUpdateExclusive, true},
		{"ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES customer (id), ADD COLUMN x int", AccessExclusive, true},
		{"ALTER TABLE orders ALTER COLUMN note SET STATISTICS 500", ShareUpdateExclusive, true},
		{"ALTER TABLE orders SET (autovacuum_vacuum_scale_factor = 0.01)", ShareUpdateExclusive, true},
		{"ALTER TABLE orders SET (fillfactor = 70, toast.autovacuum_enabled = true)", ShareUpdateExclusive, true},
		{"ALTER TABLE orders SET (parallel_workers = 4, oids = false)", AccessExclusive, true},
		{"ALTER TABLE orders DISABLE TRIGGER audit", ShareRowExclusive, true},
		{"ALTER TABLE orders CLUSTER ON orders_pkey", ShareUpdateExclusive, true},
		{"ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY", ShareUpdateExclusive, true},
		{"ALTER TABLE events DETACH PARTITION events_2020", AccessExclusive, true},
		{"ALTER TABLE events ATTACH PARTITION events_2021 FOR VALUES FROM ('2021-01-01') TO ('2022-01-01')", AccessExclusive, true},
		{"ALTER TABLE orders ALTER COLUMN note SET NOT NULL", AccessExclusive, true},
		{"CREATE INDEX i ON orders (a)", Share, true},
		{"CREATE INDEX CONCURRENTLY i ON orders (a)", ShareUpdateExclusive, true},
		{"DROP INDEX i", AccessExclusive, true},
		{"DROP INDEX CONCURRENTLY i", ShareUpdateExclusive, true},
		{"REINDEX INDEX CONCURRENTLY i", ShareUpdateExclusive, true},
		{"CREATE TRIGGER t BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION f()", ShareRowExclusive, true},
		{"CREATE TABLE a (id int)", NoLock, true},
		{"CREATE TABLE a (id int, c int REFERENCES customer (id))", ShareRowExclusive, true},
		{"CREATE TABLE a (id int, c int, FOREIGN KEY (c) REFERENCES customer (id))", ShareRowExclusive, true},
		{"CREATE TABLE e2 PARTITION OF events FOR VALUES IN (2)", AccessExclusive, true},
		{"VACUUM orders", ShareUpdateExclusive, true},
		{"VACUUM FULL orders", AccessExclusive, true},
		{"REFRESH MATERIALIZED VIEW CONCURRENTLY v", Exclusive, true},
		{"REFRESH MATERIALIZED VIEW v", AccessExclusive, true},
		{"UPDATE orders SET a = 1 WHERE id = 2", RowExclusive, true},
		{"SELECT * FROM orders WHERE id = 1 FOR UPDATE", RowShare, true},
		{"SELECT 1", AccessShare, true},
		{"LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE", ShareRowExclusive, true},
		{"LOCK TABLE orders IN SHARE MODE", Share, true},
		{"LOCK orders", AccessExclusive, true},
		{"TRUNCATE orders", AccessExclusive, true},
		{"SET lock_timeout = '2s'", NoLock, true},
		{"GRANT SELECT ON orders TO app", NoLock, false},
	} {
		t.Run(tc.sql, func(t *testing.T) {
			st := sqlast.Parse(tc.sql, sqlast.Pos{}, sqlast.PostgreSQL)
			mode, known := PostgresLock(st)
			if mode != tc.mode || known != tc.known {
				t.Errorf("PostgresLock = %q, %v; want %q, %v", mode, known, tc.mode, tc.known)
			}
		})
	}
}
