// Command csv writes the rows of the bulk-insert benchmarks
// (dialecttest.BenchValues: BIGINT id from 1, text name, a time, a
// NUMERIC(12,2) amount) as CSV, for the floors of bench/run's bulk
// workloads: psql's \copy, MariaDB's LOAD DATA LOCAL INFILE and the
// sqlite3 shell's .import load the same rows retort's BulkInsert and
// Alembic's op.bulk_insert insert.
//
//	go run ./bench/bulk/csv -n 1000000 -out FILE
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/retortdb/retort/dialect/dialecttest"
)

// write writes n rows as CSV: id,name,at,amount, the time as
// "2006-01-02 15:04:05" in UTC, which all three databases read.
func write(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	for row := range dialecttest.BenchValues(n) {
		if _, err := fmt.Fprintf(bw, "%d,%s,%s,%s\n", row[0], row[1], row[2].(time.Time).UTC().Format(time.DateTime), row[3]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func main() {
	n := flag.Int("n", 1000000, "rows")
	out := flag.String("out", "", "CSV file to write")
	flag.Parse()
	if *n <= 0 || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: csv -n ROWS -out FILE (ROWS at least 1)")
		os.Exit(2)
	}
	f, err := os.Create(*out)
	if err == nil {
		err = write(f, *n)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "csv: writing %s: %v\n", *out, err)
		os.Exit(1)
	}
}
