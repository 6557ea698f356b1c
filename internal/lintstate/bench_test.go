package lintstate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/lint"
	"github.com/retortdb/retort/schema"
)

// history writes a linear history of n revisions to dir: tables
// created, columns added to them and indexes made on them in turn.
func history(b *testing.B, dir string, n int) {
	b.Helper()
	down := ""
	for i := range n {
		id := fmt.Sprintf("r%04d", i)
		t := fmt.Sprintf("t%04d", i/3*3)
		var up string
		switch i % 3 {
		case 0:
			up = fmt.Sprintf("CREATE TABLE %s (id INTEGER NOT NULL PRIMARY KEY, a VARCHAR(20) NULL);", t)
		case 1:
			up = fmt.Sprintf("ALTER TABLE %s ADD COLUMN b INTEGER NULL;", t)
		case 2:
			up = fmt.Sprintf("CREATE INDEX ix_%s_b ON %s (b);", t, t)
		}
		text := fmt.Sprintf("-- revision: %s\n-- down_revision: %s\n-- message: step %d\n\n-- +upgrade\n%s\n", id, down, i, up)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d_%s.sql", i, id)), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		down = id
	}
}

// lintNewest is one `retort lint` of the newest revision of the history
// in dir, with schema state: the project loaded, the state before the
// newest revision computed (replayed, or read from the cache), the
// revision linted.
func lintNewest(b *testing.B, dir, srv, cache, newest string) {
	ctx := context.Background()
	d, err := dburl.Dialect(srv)
	if err != nil {
		b.Fatal(err)
	}
	proj, err := retort.LoadProject(d, os.DirFS(dir))
	if err != nil {
		b.Fatal(err)
	}
	p := New(Options{Project: proj, Server: srv, BaseDir: dir, CacheDir: cache,
		OwnTables: []string{proj.VersionTable().Name, proj.HistoryTable().Name, proj.LockTable().Name}})
	st, err := p.Before(ctx, []string{newest})
	if err != nil {
		b.Fatal(err)
	}
	if st.Before[newest] == nil {
		b.Fatalf("no state before %s: %q", newest, st.Notes)
	}
	path := filepath.Join(dir, "0499_"+newest+".sql")
	content, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	rev, err := lint.SQLRevision(path, content, []string{d.Name()})
	if err != nil {
		b.Fatal(err)
	}
	rev.Before = map[string]*schema.Schema{d.Name(): st.Before[newest]}
	lint.Lint([]*lint.Revision{rev}, lint.Settings{})
}

// BenchmarkLintNewest lints the newest revision of a 500-revision
// history with schema state (issue 20, Speed: under 3 s once the cache
// is warm), on SQLite and PostgreSQL: cold, each run on an empty cache
// (the whole history replayed); warm, each run after one that filled
// it (no scratch database). docs/lint.md, "Schema state", has figures.
func BenchmarkLintNewest(b *testing.B) {
	const n = 500
	dir := b.TempDir()
	history(b, dir, n)
	newest := fmt.Sprintf("r%04d", n-1)
	for _, name := range []string{"sqlite", "postgres"} {
		srv := dbtest.For(b, name).URL
		b.Run(name+"/cold", func(b *testing.B) {
			for b.Loop() {
				lintNewest(b, dir, srv, b.TempDir(), newest)
			}
		})
		b.Run(name+"/warm", func(b *testing.B) {
			cache := b.TempDir()
			lintNewest(b, dir, srv, cache, newest)
			for b.Loop() {
				lintNewest(b, dir, srv, cache, newest)
			}
		})
	}
}
