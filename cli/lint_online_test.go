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

// TestLintStateNeverTouchesTarget: lint's replay runs on a scratch
// database beside the target when there is no dev_url. On MySQL a
// revision naming the target's database (db.t, USE db) would reach it
// from there: it is not replayed, a note says why, and the target is
// left as it was.
func TestLintStateNeverTouchesTarget(t *testing.T) {
	db := dbtest.MySQL(t)
	dir := t.TempDir()
	files := map[string]string{
		"retort.toml": "script_location = \"migrations\"\nurl = \"" + db.URL + "\"\n",
		"migrations/0001_a.sql": "-- revision: 0001\n-- down_revision:\n-- message: a\n\n-- +upgrade\n" +
			"CREATE TABLE `" + db.Name + "`.victim (id INT PRIMARY KEY);\n",
		"migrations/0002_b.sql": "-- revision: 0002\n-- down_revision: 0001\n-- message: b\n\n-- +upgrade\nSELECT 1;\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, stderr, _ := runCLI(t, dir, nil, "lint", "0002")
	if !strings.Contains(stderr, "schema state unknown from revision 0001 on") || !strings.Contains(stderr, "names database "+db.Name) {
		t.Errorf("no note on the revision that names the target's database:\n%s", stderr)
	}
	var n int
	if err := db.SQL.QueryRow("SELECT count(*) FROM information_schema.tables WHERE table_schema = ?", db.Name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("lint made %d tables in the target database", n)
	}
}

// TestLintMissingSQLiteFile: lint with the URL of a SQLite file that does
// not exist lints every revision (none is applied) and makes no file:
// lint never changes the target database.
func TestLintMissingSQLiteFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"retort.toml":           "script_location = \"migrations\"\nurl = \"sqlite:///app.db\"\n",
		"migrations/0001_a.sql": "-- revision: 0001\n-- down_revision:\n-- message: a\n\n-- +upgrade\nCREATE TABLE a (id INTEGER PRIMARY KEY);\nDROP TABLE a;\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stdout, stderr, code := runCLI(t, dir, nil, "lint")
	if code != ExitOK || !strings.Contains(stdout, "0001_a.sql") {
		t.Errorf("exit %d, want 0 and 0001 linted\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "app.db")); err == nil {
		t.Error("lint made the database file app.db")
	}
}

// TestLintHidesPasswords: the password of the URL or of dev_url is in no
// output of lint, --json or --trace, when their servers refuse it.
func TestLintHidesPasswords(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	pg := strings.Replace(dbtest.PostgresServerURL(), "postgres@", "nobody_here:s3cretpw@", 1)
	for name, text := range map[string]string{
		"retort.toml":           "script_location = \"migrations\"\ndev_url = \"" + pg + "\"\n",
		"migrations/0001_a.sql": "-- revision: 0001\n-- down_revision:\n-- message: a\n\n-- +upgrade\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n",
		"migrations/0002_b.sql": "-- revision: 0002\n-- down_revision: 0001\n-- message: b\n\n-- +upgrade\nCREATE INDEX a_id ON a (id);\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"lint"},
		{"lint", "--json"},
		{"lint", "--trace"},
		{"lint", "--trace", "--json"},
		{"--url", "mysql://nobody_here:s3cretpw@127.0.0.1:1/app", "lint"},
	} {
		stdout, stderr, _ := runCLI(t, dir, nil, args...)
		if out := stdout + stderr; strings.Contains(out, "s3cretpw") || !strings.Contains(out, "nobody_here") {
			t.Errorf("%v: the password is shown, or nothing ran:\n%s", args, out)
		}
	}
}
