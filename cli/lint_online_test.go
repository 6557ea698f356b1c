package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
)

// TestLintOnline: with a database URL, lint checks the revisions not
// applied yet for the database's dialect, and reports applied revisions
// whose files changed (RT903).
func TestLintOnline(t *testing.T) {
	files := map[string]string{
		"retort.toml": "script_location = \"migrations\"\n",
		"migrations/0001_create.sql": "-- revision: 0001\n-- down_revision:\n-- message: create\n\n-- +upgrade\n" +
			"CREATE TABLE orders (id INTEGER PRIMARY KEY, a INTEGER);\nDROP TABLE orders;\nCREATE TABLE orders (id INTEGER PRIMARY KEY, a INTEGER);\n\n-- +downgrade\nDROP TABLE orders;\n",
		"migrations/0002_index.sql": "-- revision: 0002\n-- down_revision: 0001\n-- message: index\n\n-- +upgrade\n" +
			"CREATE INDEX orders_a_idx ON orders (a);\n\n-- +downgrade\nDROP INDEX orders_a_idx;\n",
	}
	want := map[string][]string{ // codes reported for 0002 per dialect
		"postgres": {"RT301", "RT701", "RT702"},
		"mysql":    {"RT701", "RT702"},
		"sqlite":   nil,
	}
	for _, d := range dbtest.Dialects {
		t.Run(d, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			db := dbtest.For(t, d)
			if _, stderr, code := runCLI(t, dir, nil, "--url", db.URL, "upgrade", "0001"); code != ExitOK {
				t.Fatalf("upgrade: exit %d\n%s", code, stderr)
			}
			lintCodes := func() ([]string, string) {
				stdout, stderr, _ := runCLI(t, dir, nil, "--url", db.URL, "lint", "--json")
				var got []string
				for _, line := range strings.Split(stdout, "\n") {
					if c, ok := strings.CutPrefix(strings.TrimSpace(line), `"code": "`); ok {
						got = append(got, strings.TrimSuffix(c, `",`))
					}
				}
				return got, stdout + stderr
			}
			// 0001 is applied: its RT101 is not reported.
			if got, out := lintCodes(); !slices.Equal(got, want[d]) {
				t.Errorf("lint reported %v, want %v\n%s", got, want[d], out)
			}
			// An applied file that changed is RT903.
			p := filepath.Join(dir, "migrations", "0001_create.sql")
			if err := os.WriteFile(p, []byte(files["migrations/0001_create.sql"]+"-- edited\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if got, out := lintCodes(); !slices.Contains(got, "RT903") {
				t.Errorf("lint after editing an applied file reported %v, want RT903\n%s", got, out)
			}
		})
	}
}
