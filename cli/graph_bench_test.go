package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/graphgen"
)

// writeDenseProject writes a SQLite project of n SQL revisions into dir
// in the shape the graph-command figures are stated for
// (internal/graphgen's dense shape, seed 1: what bench/gen -shape dense
// writes): mostly a line, where about one revision in ten starts a side
// branch and one in ten merges one back, so the graph has one head. It
// returns that head.
func writeDenseProject(tb testing.TB, dir string, n int) string {
	tb.Helper()
	revs, err := graphgen.Generate(n, 1, "dense")
	if err != nil {
		tb.Fatal(err)
	}
	mig := filepath.Join(dir, "migrations")
	if err := os.MkdirAll(mig, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte(graphgen.RetortConfig), 0o644); err != nil {
		tb.Fatal(err)
	}
	for _, r := range revs {
		if err := os.WriteFile(filepath.Join(mig, graphgen.FileName(r, "sql")), []byte(graphgen.RetortSQL(r)), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	heads := graphgen.Heads(revs)
	if len(heads) != 1 {
		tb.Fatalf("dense graph of %d revisions has heads %v, want one", n, heads)
	}
	return heads[0]
}

// BenchmarkGraphCommands runs heads, history and upgrade head --sql on a
// dense 5,000-revision project through Main, as the command line does
// (without process start-up). RETORT_BENCH_PROJECT names another project
// folder to run them on instead.
func BenchmarkGraphCommands(b *testing.B) {
	dir := os.Getenv("RETORT_BENCH_PROJECT")
	if dir == "" {
		dir = b.TempDir()
		writeDenseProject(b, dir, 5000)
	}
	for _, args := range [][]string{{"heads"}, {"history"}, {"upgrade", "head", "--sql"}} {
		b.Run(strings.Join(args, "-"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if code := Main(context.Background(), append([]string{"-C", dir}, args...), nil, io.Discard, io.Discard); code != ExitOK {
					b.Fatalf("%v: exit %d", args, code)
				}
			}
		})
	}
}
