package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
)

// TestLintServerVersion: the version rules check by lint.server_version
// when lint does not connect (files), by the live server's version when
// it does (the revisions not applied yet), and say they were skipped
// when there is neither.
func TestLintServerVersion(t *testing.T) {
	for _, tc := range []struct {
		dialect, server, stmt, code string
	}{
		// The test servers are PostgreSQL 15 and MariaDB 10.11, on which
		// neither rule holds; the configured old versions make them fire.
		{"postgres", "postgresql 9.6", "CREATE INDEX orders_a_idx ON orders USING hash (a);", "RT816"},
		{"mysql", "mysql 5.7", "ALTER TABLE orders ADD COLUMN b INTEGER FIRST;", "RT406"},
		// 5.6's default sql_mode is not strict; the test server's is.
		{"mysql", "mysql 5.6", "ALTER TABLE orders MODIFY a INTEGER NOT NULL;", "RT414"},
	} {
		t.Run(tc.dialect+"/"+tc.code, func(t *testing.T) {
			db := dbtest.For(t, tc.dialect)
			dir := t.TempDir()
			write := func(name, text string) {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("migrations/0001_create.sql", "-- revision: 0001\n-- down_revision:\n-- message: create\n\n-- +upgrade\n"+
				"CREATE TABLE orders (id INTEGER PRIMARY KEY, a INTEGER);\n\n-- +downgrade\nDROP TABLE orders;\n")
			write("migrations/0002_change.sql", "-- revision: 0002\n-- down_revision: 0001\n-- message: change\n\n-- +upgrade\n"+
				tc.stmt+"\n\n-- +downgrade\n")
			lint := func(args ...string) string {
				t.Helper()
				stdout, stderr, _ := runCLI(t, dir, nil, append([]string{"--url", db.URL, "lint"}, args...)...)
				return stdout + stderr
			}
			file := filepath.Join("migrations", "0002_change.sql")

			// No version: the rule is named as skipped.
			write("retort.toml", "script_location = \"migrations\"\n")
			if out := lint(file); !strings.Contains(out, "rule skipped: no server version; set lint.server_version or a URL ("+tc.code+")") {
				t.Errorf("without a version, lint did not say %s was skipped:\n%s", tc.code, out)
			}
			// The configured version, when lint does not connect.
			write("retort.toml", "script_location = \"migrations\"\n[lint]\nserver_version = \""+tc.server+"\"\n")
			if out := lint(file); !strings.Contains(out, tc.code+" ") || strings.Contains(out, "no server version") {
				t.Errorf("with server_version %q, lint of the file did not report %s:\n%s", tc.server, tc.code, out)
			}
			// Connected, the live server's version wins (a rule listed as skipped for
			// want of schema state is no finding).
			if _, stderr, code := runCLI(t, dir, nil, "--url", db.URL, "upgrade", "0001"); code != ExitOK {
				t.Fatalf("upgrade: exit %d\n%s", code, stderr)
			}
			if out := lint(); strings.Contains(out, tc.code+" ") || strings.Contains(out, "no server version") {
				t.Errorf("connected to a current server, lint still reported %s by the configured %q:\n%s", tc.code, tc.server, out)
			}
		})
	}
}
