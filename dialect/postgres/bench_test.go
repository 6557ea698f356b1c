package postgres

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

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

func BenchmarkBulkInsertCopy(b *testing.B) {
	n := dialecttest.BenchRows(b)
	db := newDB(b)
	mustExec(b, db, benchDDL)
	c := conn(b, db.DB)
	d := New()
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		mustExec(b, c, "BEGIN")
		got, err := d.BulkInsert(ctx, c, op.BulkInsert{Table: benchTable(), Values: dialecttest.BenchValues(n)})
		if err != nil {
			b.Fatal(err)
		}
		if got != int64(n) {
			b.Fatalf("%d rows inserted; want %d", got, n)
		}
		mustExec(b, c, "ROLLBACK")
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	reportPeak(b)
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
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
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
