package retort_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect/sqlite"
)

// denseRevisions is a project of n SQL revisions in the shape the graph
// figures of the benchmarks are stated for: mostly a line, where about
// one revision in ten starts a side branch and one in ten merges one
// back, so that it has one head.
func denseRevisions(n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	id := func(k int) string { return fmt.Sprintf("%012x", uint64(k)*0x9e3779b97f4a7c15>>16) }
	var main []string
	side, sideStart := "", 0
	for k := 1; k <= n; k++ {
		var parents []string
		switch {
		case k == 1:
			main = append(main, id(k))
		case side != "" && (k-sideStart >= 5 || k == n):
			parents = []string{main[len(main)-1], side}
			main, side = append(main, id(k)), ""
		case side == "" && k%10 == 0 && len(main) >= 4 && n-k >= 6:
			parents = []string{main[len(main)-3]}
			side, sideStart = id(k), k
		case side != "" && k%3 == 0:
			parents = []string{side}
			side = id(k)
		default:
			parents = []string{main[len(main)-1]}
			main = append(main, id(k))
		}
		fsys[fmt.Sprintf("%06d_%s.sql", k, id(k))] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"-- revision: %s\n-- down_revision: %s\n-- message: create t_%d\n-- create_date: 2024-01-01 00:00:00 UTC\n\n-- +upgrade\nCREATE TABLE t_%d (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n\n-- +downgrade\nDROP TABLE t_%d;\n",
			id(k), strings.Join(parents, ", "), k, k, k))}
	}
	return fsys
}

// BenchmarkWriteUpgradeSQL writes the offline script of 5,000 revisions
// from base: reading every body, rendering every statement and history
// row (the project is loaded once, outside the loop).
func BenchmarkWriteUpgradeSQL(b *testing.B) {
	p, err := retort.LoadProject(sqlite.New(), denseRevisions(5000))
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
