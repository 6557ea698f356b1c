package postgres

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

const benchDDL = "CREATE TABLE bench (id BIGINT NOT NULL, name TEXT NOT NULL, at TIMESTAMPTZ NOT NULL, amount NUMERIC(12,2) NOT NULL)"

func benchTable() op.TableRef {
	return op.Table("bench",
		op.Column("id", schema.BigInteger()),
		op.Column("name", schema.Text()),
		op.Column("at", schema.DateTime(true)),
		op.Column("amount", schema.Numeric(12, 2)),
	)
}

func reportPeak(b *testing.B) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MiB")
}

// BenchmarkBulkInsertCopy copies the bench rows with BulkInsert (binary
// COPY encoded by retort) in one transaction, rolled back.
func BenchmarkBulkInsertCopy(b *testing.B) {
	benchCopy(b, func(ctx context.Context, c *sql.Conn, n int) (int64, error) {
		return New().BulkInsert(ctx, c, op.BulkInsert{Table: benchTable(), Values: dialecttest.BenchValues(n)})
	})
}

// BenchmarkPgxCopyFrom copies the same rows the way BulkInsert did
// before it encoded them itself: pgx's Conn.CopyFrom, pulling the rows
// from the iterator one at a time. It is the "before" of
// docs/benchmarks-bulk.md, measured in the same run.
func BenchmarkPgxCopyFrom(b *testing.B) {
	benchCopy(b, func(ctx context.Context, c *sql.Conn, n int) (int64, error) {
		var got int64
		err := c.Raw(func(dc any) error {
			next, stop := iter.Pull(dialecttest.BenchValues(n))
			defer stop()
			src := &pulledRows{next: next}
			var err error
			got, err = dc.(pgxConn).Conn().CopyFrom(ctx, pgx.Identifier{"bench"}, benchTable().ColumnNames(), src)
			return err
		})
		return got, err
	})
}

// pulledRows is a pgx.CopyFromSource over a pulled iterator.
type pulledRows struct {
	next func() ([]any, bool)
	cur  []any
}

func (p *pulledRows) Next() bool {
	var ok bool
	p.cur, ok = p.next()
	return ok
}

func (p *pulledRows) Values() ([]any, error) { return p.cur, nil }

func (p *pulledRows) Err() error { return nil }

func benchCopy(b *testing.B, copyRows func(context.Context, *sql.Conn, int) (int64, error)) {
	n := dialecttest.BenchRows(b)
	db := newDB(b)
	mustExec(b, db, benchDDL)
	c := conn(b, db.DB)
	ctx := context.Background()
	var m dialecttest.Meter
	b.ResetTimer()
	m.Start(b, n*b.N)
	for range b.N {
		mustExec(b, c, "BEGIN")
		got, err := copyRows(ctx, c, n)
		if err != nil {
			b.Fatal(err)
		}
		if got != int64(n) {
			b.Fatalf("%d rows inserted; want %d", got, n)
		}
		mustExec(b, c, "ROLLBACK")
	}
	m.Stop(b)
	m.Report(b)
}

// BenchmarkCopyEncode encodes 1,000 rows of the bench's shape, boxed
// once, into binary COPY fields, with retort's encoders and with pgx's
// type map (what pgx's CopyFrom does per value): the client's share of
// a COPY, without the server or the row iterator.
func BenchmarkCopyEncode(b *testing.B) {
	var rows [][]any
	for row := range dialecttest.BenchValues(1000) {
		rows = append(rows, slices.Clone(row))
	}
	fields := []pgconn.FieldDescription{{DataTypeOID: pgtype.Int8OID}, {DataTypeOID: pgtype.TextOID}, {DataTypeOID: pgtype.TimestamptzOID}, {DataTypeOID: pgtype.NumericOID}}
	m := pgtype.NewMap()
	for _, tc := range []struct {
		name   string
		encode func(buf []byte, col int, v any) ([]byte, error)
	}{
		{"retort", newRowEncoder(m, fields).append},
		{"pgx", func(buf []byte, col int, v any) ([]byte, error) {
			return encodeWithPgx(m, buf, fields[col].DataTypeOID, v)
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			buf := make([]byte, 0, 1<<16)
			var err error
			b.ReportAllocs()
			for b.Loop() {
				for _, row := range rows {
					buf = buf[:0]
					for i, v := range row {
						if buf, err = tc.encode(buf, i, v); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rows)), "ns/row")
		})
	}
}

func BenchmarkPsqlCopyCSV(b *testing.B) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		b.Fatal("psql is not installed")
	}
	n := dialecttest.BenchRows(b)
	db := newDB(b)
	mustExec(b, db, benchDDL)
	path := filepath.Join(b.TempDir(), "bench.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for row := range dialecttest.BenchValues(n) {
		fmt.Fprintf(w, "%d,%s,%s,%s\n", row[0], row[1], row[2].(time.Time).Format("2006-01-02 15:04:05Z07:00"), row[3])
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	var cpu time.Duration
	b.ResetTimer()
	for b.Loop() {
		in, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		cmd := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1",
			"-c", `\copy bench FROM STDIN WITH (FORMAT csv)`, "-c", "TRUNCATE bench",
			"-h", db.cfg.Host, "-p", fmt.Sprint(db.cfg.Port), "-U", db.cfg.User, "-d", db.Name)
		cmd.Stdin = in
		cmd.Env = append(os.Environ(), "PGPASSWORD="+db.cfg.Password, "PGOPTIONS=")
		out, err := cmd.CombinedOutput()
		in.Close()
		if err != nil {
			b.Fatalf("psql: %v\n%s", err, out)
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	rows := float64(n) * float64(b.N)
	b.ReportMetric(rows/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/rows, "ns/row")
	b.ReportMetric(float64(cpu.Nanoseconds())/rows, "psql-cpu-ns/row")
}

func BenchmarkRenderInsertStatements(b *testing.B) {
	n := dialecttest.BenchRows(b)
	d := New()
	b.ResetTimer()
	for b.Loop() {
		bytes := 0
		err := dialect.InsertStatements(d, op.BulkInsert{Table: benchTable(), Values: dialecttest.BenchValues(n)}, func(s dialect.Stmt) error {
			bytes += len(s.SQL)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	reportPeak(b)
}

// BenchmarkNumericField converts the bench's decimal strings to binary
// NUMERIC fields.
func BenchmarkNumericField(b *testing.B) {
	var values []any
	for row := range dialecttest.BenchValues(1000) {
		values = append(values, row[3])
	}
	buf := make([]byte, 0, 64)
	for b.Loop() {
		for _, v := range values {
			buf, _ = numericField(buf[:0], v)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(values)), "ns/value")
}
