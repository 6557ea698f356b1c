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
	b.ResetTimer()
	total := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		benchExec(b, conn, "TRUNCATE TABLE bench")
		b.StartTimer()
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
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "rows/s")
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
