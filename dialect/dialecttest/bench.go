package dialecttest

import (
	"iter"
	"os"
	"strconv"
	"testing"
	"time"
)

// BenchRows is the number of rows a BulkInsert benchmark inserts:
// RETORT_BENCH_ROWS, or 10000 so that CI's `go test -bench .
// -benchtime=1x` stays fast.
func BenchRows(tb testing.TB) int {
	tb.Helper()
	s := os.Getenv("RETORT_BENCH_ROWS")
	if s == "" {
		return 10000
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		tb.Fatalf("RETORT_BENCH_ROWS=%q: want a positive number of rows", s)
	}
	return n
}

// BenchValues yields n rows of the bulk-insert benchmarks' 4 columns
// (BIGINT id from 1, text name, time, NUMERIC(12,2) amount as decimal
// text) without holding them; the row slice is reused.
func BenchValues(n int) iter.Seq[[]any] {
	epoch := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	return func(yield func([]any) bool) {
		row := make([]any, 4)
		for i := range n {
			row[0] = int64(i + 1)
			row[1] = "name " + strconv.Itoa(i)
			row[2] = epoch.Add(time.Duration(i) * time.Second)
			row[3] = strconv.Itoa(i%100000) + "." + strconv.Itoa(10+i%90)
			if !yield(row) {
				return
			}
		}
	}
}
