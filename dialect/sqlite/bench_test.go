package sqlite

import (
	"context"
	"testing"

	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// BenchmarkBulkInsert inserts rows of 4 columns (BIGINT, VARCHAR,
// DATETIME, NUMERIC) from an iterator in one transaction, as a migration
// does, and reports rows/s.
func BenchmarkBulkInsert(b *testing.B) {
	rows := dialecttest.BenchRows(b)
	db := dbtest.SQLite(b).SQL
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	mustExec := func(s string) {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			b.Fatalf("%s: %v", s, err)
		}
	}
	mustExec(`CREATE TABLE bench (
    id BIGINT NOT NULL PRIMARY KEY,
    name VARCHAR(64) NOT NULL,
    created DATETIME NOT NULL,
    amount NUMERIC(12,2) NOT NULL
)`)
	ref := op.Table("bench",
		op.Column("id", schema.BigInteger()),
		op.Column("name", schema.String(64)),
		op.Column("created", schema.DateTime(false)),
		op.Column("amount", schema.Numeric(12, 2)),
	)
	d := New()
	var m dialecttest.Meter
	b.ResetTimer()
	total := 0
	m.Start(b, rows*b.N)
	for i := 0; i < b.N; i++ {
		if i > 0 {
			mustExec("DELETE FROM bench")
		}
		mustExec("BEGIN")
		n, err := d.BulkInsert(ctx, conn, op.BulkInsert{Table: ref, Values: dialecttest.BenchValues(rows)})
		if err != nil {
			b.Fatal(err)
		}
		mustExec("COMMIT")
		if n != int64(rows) {
			b.Fatalf("inserted %d rows, want %d", n, rows)
		}
		total += rows
	}
	m.Stop(b)
	m.Report(b)
}
