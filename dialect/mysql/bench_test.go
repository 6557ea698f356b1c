package mysql

import (
	"context"
	"database/sql"
	"testing"

	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// BenchmarkBulkInsert inserts rows of 4 columns (BIGINT, VARCHAR,
// DATETIME(6), DECIMAL) from an iterator in one transaction, as a
// migration does, and reports rows/s.
func BenchmarkBulkInsert(b *testing.B) {
	rows := dialecttest.BenchRows(b)
	db := dbtest.MySQL(b).SQL
	ctx := context.Background()
	benchExec(b, db, `CREATE TABLE bench (
    id BIGINT NOT NULL PRIMARY KEY,
    name VARCHAR(64) NOT NULL,
    created DATETIME(6) NOT NULL,
    amount DECIMAL(12,2) NOT NULL
)`)
	conn, err := db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
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
			benchExec(b, conn, "TRUNCATE TABLE bench")
		}
		bi := op.BulkInsert{Table: ref, Values: dialecttest.BenchValues(rows)}
		benchExec(b, conn, "START TRANSACTION")
		n, err := d.BulkInsert(ctx, conn, bi)
		if err != nil {
			b.Fatal(err)
		}
		benchExec(b, conn, "COMMIT")
		if n != int64(rows) {
			b.Fatalf("inserted %d rows, want %d", n, rows)
		}
		total += rows
	}
	m.Stop(b)
	m.Report(b)
}

// benchExec runs statements, failing the benchmark on an error.
func benchExec(b *testing.B, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, stmts ...string) {
	b.Helper()
	for _, s := range stmts {
		if _, err := q.ExecContext(context.Background(), s); err != nil {
			b.Fatalf("%v\n%s", err, s)
		}
	}
}
