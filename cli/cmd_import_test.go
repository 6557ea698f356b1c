package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
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

// treeDigest lists every file under dir with its content's length and
// hash, to show that a refused command wrote nothing.
func treeDigest(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		c, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(&b, "%s %d %x\n", filepath.ToSlash(rel), len(c), sha256.Sum256(c))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestImportBadInput: each source the tool would refuse, a folder of
// another tool, and a script location that already holds revisions is
// refused with a message naming the file or version and what to do,
// exit status 1 (the source) or 2 (the command line, the project), and
// nothing written.
func TestImportBadInput(t *testing.T) {
	cases := []struct {
		name, tool string
		files      map[string]string // the source folder
		existing   map[string]string // files already in the script location
		args       []string
		code       int
		want       []string
	}{
		{name: "folder of another tool", tool: "dbmate", files: map[string]string{"00001_a.sql": "-- +goose Up\nSELECT 1;\n"}, code: 1,
			want: []string{"import dbmate from src: this looks like a goose project (00001_a.sql), not a dbmate one", "hint: run `retort import goose SOURCE_DIR`"}},
		{name: "alembic folder as flyway", tool: "flyway", files: map[string]string{"env.py": "", "versions/ab12_a.py": "revision = 'ab12'\ndown_revision = None\n"}, code: 1,
			want: []string{"this looks like an Alembic project (versions/ab12_a.py), not a flyway one", "retort import alembic SOURCE_DIR --dialect DIALECT"}},
		{name: "goose folder as alembic", tool: "alembic", files: map[string]string{"00001_a.sql": "-- +goose Up\nSELECT 1;\n"}, args: []string{"--dialect", "sqlite"}, code: 1,
			want: []string{"import alembic from src: this looks like a goose project (00001_a.sql), not an Alembic one", "hint: run `retort import goose SOURCE_DIR`"}},
		{name: "goose duplicate version", tool: "goose", files: map[string]string{"001_a.sql": "-- +goose Up\nSELECT 1;\n", "1_b.sql": "-- +goose Up\nSELECT 2;\n"}, code: 1,
			want: []string{"import goose: src/1_b.sql: version 1 is also the version of 001_a.sql", "hint: rename one of them"}},
		{name: "golang-migrate duplicate version", tool: "golang-migrate", files: map[string]string{"1_a.up.sql": "SELECT 1;", "01_b.up.sql": "SELECT 2;"}, code: 1,
			want: []string{"version 1 is also the version of 01_b.up.sql"}},
		{name: "flyway duplicate version", tool: "flyway", files: map[string]string{"V1.0__a.sql": "SELECT 1;", "V1__b.sql": "SELECT 2;"}, code: 1,
			want: []string{"src/V1__b.sql: version 1 is also the version of V1.0__a.sql"}},
		{name: "goose file without Up", tool: "goose", files: map[string]string{"00001_a.sql": "-- +goose Up\nSELECT 1;\n", "00002_b.sql": "SELECT 2;\n"}, code: 1,
			want: []string{"import goose: src/00002_b.sql: no -- +goose Up annotation: goose refuses the file"}},
		{name: "golang-migrate down without up", tool: "golang-migrate", files: map[string]string{"1_a.up.sql": "SELECT 1;", "2_b.down.sql": "SELECT 2;"}, code: 1,
			want: []string{"src/2_b.down.sql: a down migration without an up one (no 2_b.up.sql): golang-migrate refuses to migrate to version 2"}},
		{name: "dbmate without migrate:up", tool: "dbmate", files: map[string]string{"1_a.sql": "-- migrate:up\n-- migrate:down\n", "2_b.sql": "CREATE TABLE t (id INT);\n"}, code: 1,
			want: []string{"import dbmate: src/2_b.sql:1: SQL before -- migrate:up"}},
		{name: "flyway bad version", tool: "flyway", files: map[string]string{"V1__a.sql": "SELECT 1;", "V1a__b.sql": "SELECT 2;"}, code: 1,
			want: []string{`import flyway: src/V1a__b.sql: version "1a" is not numbers separated by . or _: Flyway refuses it`}},
		{name: "goose Go migration that does not compile", tool: "goose", files: map[string]string{"00001_a.sql": "-- +goose Up\nSELECT 1;\n", "00002_b.go": "package m\nfunc init() {\n"}, code: 1,
			want: []string{"import goose: src/00002_b.go: not Go that compiles"}},
		{name: "script location not empty", tool: "goose", files: map[string]string{"00001_a.sql": "-- +goose Up\nSELECT 1;\n"},
			existing: map[string]string{"x.sql": "-- revision: aaaa\n-- down_revision:\n\n-- +upgrade\nSELECT 1;\n"}, code: 2,
			want: []string{"script location migrations holds 1 revision files already", "give --force"}},
		{name: "script location with Go revisions of its own", tool: "goose", files: map[string]string{"00001_a.sql": "-- +goose Up\nSELECT 1;\n"},
			existing: map[string]string{"x.go": "package versions\n\nimport (\n\t\"github.com/retortdb/retort/op\"\n\t\"github.com/retortdb/retort/script\"\n)\n\nfunc init() {\n\tRegistry.Add(script.GoRevision{Revision: \"aaaa\", Upgrade: func(o *op.Ops) error { return nil }})\n}\n"},
			args:     []string{"--force"}, code: 2,
			want: []string{"script location migrations holds Go revisions (migrations/x.go)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			run(t, dir, "init")
			for n, s := range c.files {
				p := filepath.Join(dir, "src", filepath.FromSlash(n))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for n, s := range c.existing {
				if err := os.WriteFile(filepath.Join(dir, "migrations", n), []byte(s), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before := treeDigest(t, dir)
			stdout, stderr, code := runCLI(t, dir, nil, append([]string{"import", c.tool, "src"}, c.args...)...)
			if code != c.code {
				t.Fatalf("import = %d, want %d\nstdout: %s\nstderr: %s", code, c.code, stdout, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not say %q", stderr, w)
				}
			}
			if after := treeDigest(t, dir); after != before {
				t.Errorf("a refused import wrote:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// TestImportAlembicWrongFolderWithoutAlembic: a folder of another tool
// given to import alembic is named as such even where Alembic is not
// installed, before Alembic is looked for.
func TestImportAlembicWrongFolderWithoutAlembic(t *testing.T) {
	dir := t.TempDir()
	run(t, dir, "init")
	if err := os.MkdirAll(filepath.Join(dir, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "src", "1_a.up.sql"), []byte("SELECT 1;"), 0o644); err != nil {
		t.Fatal(err)
	}
	noPath := WithGetenv(func(k string) string {
		if k == "PATH" {
			return filepath.Join(dir, "nobin")
		}
		return os.Getenv(k)
	})
	_, stderr, code := runCLI(t, dir, []Option{noPath}, "import", "alembic", "src", "--dialect", "sqlite")
	if code != 1 || !strings.Contains(stderr, "this looks like a golang-migrate project (1_a.up.sql), not an Alembic one") || strings.Contains(stderr, "not installed") {
		t.Fatalf("import alembic = %d: %s", code, stderr)
	}
}
