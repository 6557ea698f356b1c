package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeDenseProject writes a SQLite project of n SQL revisions into dir
// in the shape the graph-command figures are stated for (bench/gen
// -shape dense): mostly a line, where about one revision in ten starts a
// side branch from the main line and one in ten merges one back, so the
// graph has one head. It returns that head.
func writeDenseProject(tb testing.TB, dir string, n int) string {
	tb.Helper()
	mig := filepath.Join(dir, "migrations")
	if err := os.MkdirAll(mig, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte("script_location = \"migrations\"\nurl = \"sqlite:///bench.db\"\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
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
		body := fmt.Sprintf("-- revision: %s\n-- down_revision: %s\n-- branch_labels:\n-- depends_on:\n-- message: create t_%d\n-- create_date: 2024-01-01 00:00:00 UTC\n\n-- +upgrade\nCREATE TABLE t_%d (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n\n-- +downgrade\nDROP TABLE t_%d;\n",
			id(k), strings.Join(parents, ", "), k, k, k)
		if err := os.WriteFile(filepath.Join(mig, fmt.Sprintf("%06d_%s.sql", k, id(k))), []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return main[len(main)-1]
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
