package retort_test

import (
	"context"
	"io"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/internal/graphgen"
)

// denseRevisions is a project of n SQL revisions in the shape the graph
// figures of the benchmarks are stated for (internal/graphgen's dense
// shape, seed 1, as bench/gen -shape dense writes it): mostly a line,
// where about one revision in ten starts a side branch and one in ten
// merges one back, so that it has one head.
func denseRevisions(tb testing.TB, n int) fstest.MapFS {
	tb.Helper()
	revs, err := graphgen.Generate(n, 1, "dense")
	if err != nil {
		tb.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, r := range revs {
		fsys[graphgen.FileName(r, "sql")] = &fstest.MapFile{Data: []byte(graphgen.RetortSQL(r))}
	}
	return fsys
}

// BenchmarkWriteUpgradeSQL writes the offline script of 5,000 revisions
// from base: reading every body, rendering every statement and history
// row (the project is loaded once, outside the loop).
func BenchmarkWriteUpgradeSQL(b *testing.B) {
	p, err := retort.LoadProject(sqlite.New(), denseRevisions(b, 5000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := p.WriteUpgradeSQL(context.Background(), io.Discard, "head"); err != nil {
			b.Fatal(err)
		}
	}
}
