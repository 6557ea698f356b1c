package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
	_ "modernc.org/sqlite"
)

// handApplied is how each tool runs its SQL, written out by hand for the
// folders in testdata/import: the files in the tool's order and the part
// of each that the tool executes for the upgrade.
var handApplied = map[string]struct {
	files []string
	up    func(text string) string
}{
	"goose": {
		files: []string{"00001_create_users.sql", "00002_audit_trigger.sql", "00003_seed_users.sql", "00004_index_email.sql", "00006_add_name.sql"},
		up:    func(text string) string { return between(text, "-- +goose Up", "-- +goose Down", "-- +goose") },
	},
	"golang-migrate": {
		files: []string{"000001_create_users.up.sql", "000002_seed_users.up.sql", "000003_add_name.up.sql"},
		up:    func(text string) string { return text },
	},
	"dbmate": {
		files: []string{"20240101093000_create_users.sql", "20240102101500_seed_users.sql", "20240103120000_index_email.sql", "20240104080000_audit_trigger.sql"},
		up:    func(text string) string { return between(text, "-- migrate:up", "-- migrate:down", "-- migrate:") },
	},
	"flyway": {
		files: []string{"V1__Create_users.sql", "V1_1__Seed_users.sql", "V1.2__Add_name.sql", "V1.10__Index_name.sql"},
		up:    func(text string) string { return text },
	},
}

// between is the text after the line that starts with from up to the
// line that starts with to, without the lines that start with drop.
func between(text, from, to, drop string) string {
	var out []string
	in := false
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, from):
			in = true
		case strings.HasPrefix(t, to):
			in = false
		case in && !strings.HasPrefix(t, drop):
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestImportSameSchema imports each folder of testdata/import, upgrades
// a SQLite database with retort, applies the source SQL by hand to
// another one in the tool's order, and compares the two: the schema as
// `retort inspect --format json` reads it, the SQL of every table,
// index and trigger SQLite keeps, and the rows.
func TestImportSameSchema(t *testing.T) {
	for tool, hand := range handApplied {
		t.Run(tool, func(t *testing.T) {
			dir := t.TempDir()
			src, err := filepath.Abs(filepath.Join("testdata", "import", tool))
			if err != nil {
				t.Fatal(err)
			}
			run(t, dir, "import", tool, src, "--init")
			run(t, dir, "--url", "sqlite:///imported.db", "upgrade", "head")

			db, err := sql.Open("sqlite", filepath.Join(dir, "hand.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for _, f := range hand.files {
				b, err := os.ReadFile(filepath.Join(src, f))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.Exec(hand.up(string(b))); err != nil {
					t.Fatalf("%s by hand: %v", f, err)
				}
			}

			imported := run(t, dir, "--url", "sqlite:///imported.db", "inspect", "--format", "json")
			byHand := run(t, dir, "--url", "sqlite:///hand.db", "inspect", "--format", "json")
			if imported != byHand {
				t.Errorf("inspect differs:\n--- imported\n%s\n--- by hand\n%s", imported, byHand)
			}
			if !strings.Contains(imported, `"users"`) {
				t.Errorf("inspect shows no users table:\n%s", imported)
			}
			a, b := dump(t, filepath.Join(dir, "imported.db")), dump(t, filepath.Join(dir, "hand.db"))
			if !strings.Contains(b, "users row [1 admin@example.com") || !strings.Contains(b, "table users:") {
				t.Errorf("the database applied by hand lacks the users table or its seeded rows:\n%s", b)
			}
			if a != b {
				t.Errorf("objects or rows differ:\n--- imported\n%s\n--- by hand\n%s", a, b)
			}
		})
	}
}

// run runs retort in dir with args and returns its stdout; it must succeed.
func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	full := append([]string{"-C", dir}, args...)
	if code := Main(context.Background(), full, strings.NewReader(""), &stdout, &stderr, WithGetenv(func(string) string { return "" })); code != 0 {
		t.Fatalf("retort %s: exit status %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
	return stdout.String()
}

// dump is the SQL of a SQLite database's tables, indexes and triggers
// (retort's own left out) and the rows of its tables.
func dump(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT type, name, COALESCE(sql, '') FROM sqlite_master WHERE name NOT LIKE 'retort%' AND name NOT LIKE 'sqlite%' ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var tables []string
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s: %s\n", typ, name, text)
		if typ == "table" {
			tables = append(tables, name)
		}
	}
	rows.Close()
	for _, tb := range tables {
		r, err := db.Query(fmt.Sprintf(`SELECT * FROM "%s" ORDER BY 1`, tb))
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := r.Columns()
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s row %v\n", tb, vals)
		}
		r.Close()
	}
	return b.String()
}

// TestImportGooseServers imports goose statement blocks that retort's
// splitter must keep whole, and runs them on the servers: on PostgreSQL
// a PL/pgSQL function with a dollar-quoted body and a CREATE INDEX
// CONCURRENTLY under NO TRANSACTION; on MySQL a procedure whose body is
// a bare IF, which the imported file's mysql section wraps in DELIMITER.
func TestImportGooseServers(t *testing.T) {
	cases := []struct {
		dialect string
		files   map[string]string
		check   []string // statements that must succeed after the upgrade
	}{
		{"postgres", map[string]string{
			"00001_users.sql": "-- +goose Up\nCREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, updated_at TIMESTAMP);\n" +
				"INSERT INTO users (id, email) VALUES (1, 'a;b@example.com');\n-- +goose Down\nDROP TABLE users;\n",
			"00002_touch.sql": "-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION touch() RETURNS trigger AS $$\nBEGIN\n    NEW.updated_at = now();\n    RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n-- +goose StatementEnd\n" +
				"CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();\n-- +goose Down\nDROP TRIGGER users_touch ON users;\nDROP FUNCTION touch();\n",
			"00003_index.sql": "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n-- +goose Down\nDROP INDEX CONCURRENTLY users_email;\n",
		}, []string{"UPDATE users SET email = 'c@example.com' WHERE id = 1 AND updated_at IS NULL"}},
		{"mysql", map[string]string{
			"00001_pick.sql": "-- +goose Up\n-- +goose StatementBegin\nCREATE PROCEDURE pick(IN x INT)\nIF x = 1 THEN\n    SELECT 1;\nELSE\n    SELECT 2;\nEND IF;\n-- +goose StatementEnd\n-- +goose Down\nDROP PROCEDURE pick;\n",
			"00002_seed.sql": "-- +goose Up\n-- +goose StatementBegin\nCREATE PROCEDURE seed()\nBEGIN\n    SELECT 1;\n    SELECT 2;\nEND;\n-- +goose StatementEnd\n-- +goose Down\nDROP PROCEDURE seed;\n",
		}, []string{"CALL pick(2)", "CALL seed()"}},
	}
	for _, c := range cases {
		t.Run(c.dialect, func(t *testing.T) {
			tdb := dbtest.For(t, c.dialect)
			dir := t.TempDir()
			src := filepath.Join(dir, "src")
			if err := os.Mkdir(src, 0o755); err != nil {
				t.Fatal(err)
			}
			for n, text := range c.files {
				if err := os.WriteFile(filepath.Join(src, n), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			run(t, dir, "import", "goose", "src", "--init")
			run(t, dir, "--url", tdb.URL, "upgrade", "head")
			for _, q := range c.check {
				if _, err := tdb.SQL.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if c.dialect == "postgres" {
				var touched int
				if err := tdb.SQL.QueryRow("SELECT count(*) FROM users WHERE updated_at IS NOT NULL").Scan(&touched); err != nil || touched != 1 {
					t.Fatalf("the trigger touched %d rows (%v), want 1", touched, err)
				}
			}
			run(t, dir, "--url", tdb.URL, "downgrade", "base")
		})
	}
}
