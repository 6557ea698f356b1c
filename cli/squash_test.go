package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/internal/importer/proof"
	"github.com/retortdb/retort/script"
)

// copyDir copies the files of src into dst, folders included.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasSuffix(p, ".db") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// mustCLI runs the CLI in dir and fails the test unless it succeeds.
func mustCLI(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, errOut, code := runCLI(t, dir, nil, args...)
	if code != ExitOK {
		t.Fatalf("retort %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out + errOut
}

// generatedHistory writes a project of n SQL revisions that run on every
// dialect: tables with foreign keys to a reference table, columns added
// and dropped, indexes, and data migrations that fill the reference
// table and each new table; revision 50 branches off 48 and 51 merges
// the branch. It returns the tables that hold rows, for --data.
func generatedHistory(t *testing.T, dir string, n int) []string {
	t.Helper()
	mig := filepath.Join(dir, "migrations")
	if err := os.MkdirAll(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte("script_location = \"migrations\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	id := func(k int) string { return fmt.Sprintf("r%03d", k) }
	data := []string{"ref_code"}
	last := ""
	for k := 1; k <= n; k++ {
		down := []string{}
		switch {
		case k == 1:
		case k == 50:
			down = []string{id(48)}
		case k == 51:
			down = []string{id(49), id(50)}
		default:
			down = []string{id(k - 1)}
		}
		var up, back string
		var sections string
		switch k % 10 {
		case 1:
			if k == 1 {
				up, back = "CREATE TABLE ref_code (id INTEGER NOT NULL PRIMARY KEY, code VARCHAR(40) NOT NULL);", "DROP TABLE ref_code;"
				break
			}
			// The row refers to the reference row of the revision before.
			up = fmt.Sprintf("INSERT INTO %s (id, name, ref_id) VALUES (%d, 'row %d', %d);", last, k, k, k-1)
			back = fmt.Sprintf("DELETE FROM %s WHERE id = %d;", last, k)
		case 2:
			last = fmt.Sprintf("t%03d", k)
			data = append(data, last)
			up = fmt.Sprintf("CREATE TABLE %s (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL, ref_id INTEGER NULL,\n  CONSTRAINT fk_%s_ref FOREIGN KEY (ref_id) REFERENCES ref_code (id));", last, last)
			back = "DROP TABLE " + last + ";"
		case 3, 4, 5:
			up = fmt.Sprintf("ALTER TABLE %s ADD COLUMN c%03d VARCHAR(30) NULL;", last, k)
			back = fmt.Sprintf("ALTER TABLE %s DROP COLUMN c%03d;", last, k)
		case 6:
			ix := fmt.Sprintf("ix_%s_c%03d", last, k-3)
			up = fmt.Sprintf("CREATE INDEX %s ON %s (c%03d);", ix, last, k-3)
			sections = fmt.Sprintf("-- +downgrade\nDROP INDEX %s;\n\n-- +downgrade mysql\nDROP INDEX %s ON %s;\n", ix, ix, last)
		case 7:
			up = fmt.Sprintf("ALTER TABLE %s ADD COLUMN n%03d INTEGER NOT NULL DEFAULT 0;", last, k)
			back = fmt.Sprintf("ALTER TABLE %s DROP COLUMN n%03d;", last, k)
		case 8:
			ix := fmt.Sprintf("uq_%s_c%03d", last, k-3)
			up = fmt.Sprintf("CREATE UNIQUE INDEX %s ON %s (c%03d);", ix, last, k-3)
			sections = fmt.Sprintf("-- +downgrade\nDROP INDEX %s;\n\n-- +downgrade mysql\nDROP INDEX %s ON %s;\n", ix, ix, last)
		case 9:
			up = fmt.Sprintf("ALTER TABLE %s DROP COLUMN c%03d;", last, k-5)
			back = fmt.Sprintf("ALTER TABLE %s ADD COLUMN c%03d VARCHAR(30) NULL;", last, k-5)
		case 0:
			up = fmt.Sprintf("INSERT INTO ref_code (id, code) VALUES (%d, 'code ''%d''');", k, k)
			back = fmt.Sprintf("DELETE FROM ref_code WHERE id = %d;", k)
		}
		if sections == "" {
			sections = "-- +downgrade\n" + back + "\n"
		}
		text := fmt.Sprintf("-- revision: %s\n-- down_revision: %s\n-- message: step %d\n\n-- +upgrade\n%s\n\n%s",
			id(k), strings.Join(down, ", "), k, up, sections)
		if err := os.WriteFile(filepath.Join(mig, fmt.Sprintf("%03d_%s.sql", k, id(k))), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return data
}

// TestSquash_Equal proves the rule of squash: a fresh database upgraded
// through the squashed graph equals (schema, objects outside the model,
// rows) one upgraded through the full history; a database upgraded
// before the squash goes on after it, and verify passes on each. On a
// generated history of 200 revisions, squashed up to 150, on every
// dialect.
func TestSquash_Equal(t *testing.T) {
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			full := t.TempDir()
			data := generatedHistory(t, full, 200)
			squashed := t.TempDir()
			copyDir(t, full, squashed)

			a, b, c := dbtest.For(t, name), dbtest.For(t, name), dbtest.For(t, name)
			mustCLI(t, full, "--url", a.URL, "upgrade", "head")
			mustCLI(t, full, "--url", c.URL, "upgrade", "r100")

			args := []string{"--url", b.URL, "squash", "--to", "r150", "-m", "squash up to 150", "--rev-id", "sq150"}
			for _, d := range data {
				if d <= "t150" { // the tables made up to r150
					args = append(args, "--data", d)
				}
			}
			mustCLI(t, squashed, args...)
			archived, err := os.ReadDir(filepath.Join(squashed, "migrations", script.ArchiveDir))
			if err != nil || len(archived) != 150 {
				t.Fatalf("archive holds %d files (%v), want 150", len(archived), err)
			}
			out := mustCLI(t, squashed, "--url", b.URL, "upgrade", "head")
			if !strings.Contains(out, "Running upgrade  -> sq150") || strings.Contains(out, "r001 -> r002") {
				t.Errorf("a fresh database did not run the squashed revision:\n%s", out)
			}
			if n := proof.Equal(t, a, b); n < 20 {
				t.Errorf("compared %d tables", n)
			}
			// A database behind the squash runs the archived revisions.
			out = mustCLI(t, squashed, "--url", c.URL, "upgrade", "head")
			if strings.Contains(out, "sq150") || !strings.Contains(out, "Running upgrade r100 -> r101") {
				t.Errorf("a database at r100 did not run the archived revisions:\n%s", out)
			}
			proof.Equal(t, a, c)
			for _, db := range []*dbtest.DB{a, b, c} {
				mustCLI(t, squashed, "--url", db.URL, "verify", "--strict")
			}
			// A database past the squash runs nothing new.
			if out := mustCLI(t, squashed, "--url", a.URL, "upgrade", "head"); strings.Contains(out, "Running upgrade") {
				t.Errorf("a database at head ran:\n%s", out)
			}
			// Downgrade to base through the squashed revision leaves nothing.
			mustCLI(t, squashed, "--url", b.URL, "downgrade", "base")
			if tables := proof.Reflect(t, b).Tables; len(tables) != 0 {
				t.Errorf("downgrade base left %d tables", len(tables))
			}
		})
	}
}

// TestSquash_Quickstart squashes a copy of examples/quickstart (a data
// migration, a branch and a merge, a trigger) up to its head on SQLite,
// the dialect its SQL is written in, and compares a fresh database
// through the squashed revision with one through the full history.
func TestSquash_Quickstart(t *testing.T) {
	full, squashed := t.TempDir(), t.TempDir()
	copyDir(t, filepath.Join("..", "examples", "quickstart"), full)
	copyDir(t, full, squashed)
	a, b := dbtest.SQLite(t), dbtest.SQLite(t)
	mustCLI(t, full, "--url", a.URL, "upgrade", "head")
	mustCLI(t, squashed, "--url", b.URL, "squash", "--to", "head", "-m", "quickstart", "--data", "account", "--data", "audit_log")
	mustCLI(t, squashed, "--url", b.URL, "upgrade", "head")
	// The rows record when each database ran (CURRENT_TIMESTAMP
	// defaults): set them alike on both before comparing.
	for _, db := range []*dbtest.DB{a, b} {
		for _, q := range []string{"UPDATE account SET created_at = '2024-01-01 00:00:00'", "UPDATE audit_log SET at = '2024-01-01 00:00:00'"} {
			if _, err := db.SQL.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := proof.Equal(t, a, b); n != 2 {
		t.Errorf("compared %d tables, want 2", n)
	}
	mustCLI(t, squashed, "--url", b.URL, "verify", "--strict")
	mustCLI(t, squashed, "--url", a.URL, "verify", "--strict")
}

// objectsProject is a project with a trigger that logs each new row into
// another table (a function on PostgreSQL), a view and a data migration
// whose rows the trigger logged, in dialect sections.
var objectsProject = map[string]string{
	"retort.toml": "script_location = \"migrations\"\n",
	"migrations/1_r1.sql": `-- revision: r1
-- down_revision:

-- +upgrade sqlite
CREATE TABLE item (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL);
CREATE TABLE item_log (id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL, note VARCHAR(60) NOT NULL);

-- +upgrade postgresql
CREATE TABLE item (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL);
CREATE TABLE item_log (id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, item_id INTEGER NOT NULL, note VARCHAR(60) NOT NULL);

-- +upgrade mysql
CREATE TABLE item (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL);
CREATE TABLE item_log (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, item_id INTEGER NOT NULL, note VARCHAR(60) NOT NULL);
`,
	"migrations/2_r2.sql": `-- revision: r2
-- down_revision: r1

-- +upgrade sqlite
CREATE TRIGGER item_insert AFTER INSERT ON item BEGIN
  INSERT INTO item_log (item_id, note) VALUES (NEW.id, 'new ' || NEW.name);
END;
CREATE VIEW item_names AS SELECT id, name FROM item;

-- +upgrade postgresql
CREATE FUNCTION log_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO item_log (item_id, note) VALUES (NEW.id, 'new ' || NEW.name);
  RETURN NEW;
END
$$;
CREATE TRIGGER item_insert AFTER INSERT ON item FOR EACH ROW EXECUTE FUNCTION log_item();
CREATE VIEW item_names AS SELECT id, name FROM item;

-- +upgrade mysql
DELIMITER //
CREATE TRIGGER item_insert AFTER INSERT ON item FOR EACH ROW
BEGIN
  INSERT INTO item_log (item_id, note) VALUES (NEW.id, CONCAT('new ', NEW.name));
END//
DELIMITER ;
CREATE VIEW item_names AS SELECT id, name FROM item;
CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;
`,
	"migrations/3_r3.sql": `-- revision: r3
-- down_revision: r2

-- +upgrade
INSERT INTO item (id, name) VALUES (1, 'first');
`,
}

// TestSquash_Objects squashes a schema with a trigger, a view and (on
// PostgreSQL and MySQL) a function, copied into the squashed revision by
// their definitions: a fresh database through it equals one through the
// full history, the trigger working on both after.
func TestSquash_Objects(t *testing.T) {
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			full := t.TempDir()
			for p, text := range objectsProject {
				if err := os.MkdirAll(filepath.Dir(filepath.Join(full, p)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(full, p), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			squashed := t.TempDir()
			copyDir(t, full, squashed)
			a, b := dbtest.For(t, name), dbtest.For(t, name)
			mustCLI(t, full, "--url", a.URL, "upgrade", "head")
			mustCLI(t, squashed, "--url", b.URL, "squash", "--to", "r3", "-m", "objects", "--data", "item", "--data", "item_log")
			mustCLI(t, squashed, "--url", b.URL, "upgrade", "head")
			proof.Equal(t, a, b)
			// The copied trigger works (and did not fire on the copied rows).
			for _, db := range []*dbtest.DB{a, b} {
				if _, err := db.SQL.Exec("INSERT INTO item (id, name) VALUES (2, 'second')"); err != nil {
					t.Fatal(err)
				}
			}
			if got := proof.Rows(t, b, "item_log"); len(got) != 2 {
				t.Errorf("item_log after one more row: %q, want 2 rows", got)
			}
			proof.Equal(t, a, b)
			mustCLI(t, squashed, "--url", b.URL, "downgrade", "base")
			if objs := proof.Unmanaged(t, b); len(objs) != 0 {
				t.Errorf("downgrade base left %q", objs)
			}
		})
	}
}

// TestSquash_ObjectsRefused: objects squash cannot copy (a sequence no
// column owns on PostgreSQL, an event on MySQL) stop it, named, before
// anything is written.
func TestSquash_ObjectsRefused(t *testing.T) {
	for _, tc := range []struct{ dialect, sql, object string }{
		{"postgres", "CREATE SEQUENCE counter;", "sequence counter"},
		{"mysql", "CREATE EVENT tick ON SCHEDULE EVERY 1 DAY DO SELECT 1;", "event tick"},
	} {
		t.Run(tc.dialect, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{
				"retort.toml":         "script_location = \"migrations\"\n",
				"migrations/1_r1.sql": "-- revision: r1\n-- down_revision:\n\n-- +upgrade\nCREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY);\n" + tc.sql + "\n",
			}
			for p, text := range files {
				if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, p), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			db := dbtest.For(t, tc.dialect)
			out, errOut, code := runCLI(t, dir, nil, "--url", db.URL, "squash", "--to", "r1", "-m", "x")
			if code != ExitFailure || !strings.Contains(errOut, "holds objects that reflection does not model") || !strings.Contains(errOut, tc.object) {
				t.Errorf("squash: exit %d\n%s%s", code, out, errOut)
			}
			entries, err := os.ReadDir(filepath.Join(dir, "migrations"))
			if err != nil || len(entries) != 1 {
				t.Errorf("a refused squash changed the folder: %v, %v", entries, err)
			}
		})
	}
}

// TestSquash_PostgresSerial: serial columns' sequences, which reflection
// shows only as nextval defaults, are made before their tables, owned by
// their columns, and set past the copied rows; one kept its name when
// its table was renamed.
func TestSquash_PostgresSerial(t *testing.T) {
	full := t.TempDir()
	files := map[string]string{
		"retort.toml": "script_location = \"migrations\"\n",
		"migrations/1_r1.sql": "-- revision: r1\n-- down_revision:\n\n-- +upgrade\n" +
			"CREATE TABLE old_name (id SERIAL PRIMARY KEY, seq BIGSERIAL, name TEXT NOT NULL);\n" +
			"INSERT INTO old_name (name) VALUES ('a'), ('b');\n",
		"migrations/2_r2.sql": "-- revision: r2\n-- down_revision: r1\n\n-- +upgrade\nALTER TABLE old_name RENAME TO item;\n",
	}
	for p, text := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(full, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(full, p), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	squashed := t.TempDir()
	copyDir(t, full, squashed)
	a, b := dbtest.Postgres(t), dbtest.Postgres(t)
	mustCLI(t, full, "--url", a.URL, "upgrade", "head")
	out := mustCLI(t, squashed, "--url", b.URL, "squash", "--to", "r2", "-m", "serial", "--data", "item")
	if !strings.Contains(out, "squashes 2 revisions up to r2") {
		t.Errorf("squash said:\n%s", out)
	}
	mustCLI(t, squashed, "--url", b.URL, "upgrade", "head")
	proof.Equal(t, a, b)
	for _, db := range []*dbtest.DB{a, b} {
		if _, err := db.SQL.Exec("INSERT INTO item (name) VALUES ('c')"); err != nil {
			t.Fatal(err)
		}
	}
	proof.Equal(t, a, b)
	if got := proof.Rows(t, b, "item"); len(got) != 3 || got[2] != "3|3|c" {
		t.Errorf("rows of item: %q", got)
	}
	mustCLI(t, squashed, "--url", b.URL, "downgrade", "base")
	if objs := proof.Unmanaged(t, b); len(objs) != 0 {
		t.Errorf("downgrade base left %q", objs)
	}
}

// TestSquash_DataExact: the rows of --data tables come back exactly,
// each value written as the database writes its literal: timestamps and
// dates kept as text by SQLite, decimals, booleans, floats, quotes and
// backslashes, NULLs.
func TestSquash_DataExact(t *testing.T) {
	const r1 = "-- revision: r1\n-- down_revision:\n\n-- +upgrade\n" +
		"CREATE TABLE v (id INTEGER NOT NULL PRIMARY KEY, at TIMESTAMP NULL, d DATE NULL, amount DECIMAL(10,2) NULL, flag BOOLEAN NULL, note TEXT NULL, f FLOAT NULL);\n" +
		"INSERT INTO v (id, at, d, amount, flag, note, f) VALUES (1, '2024-05-06 07:08:09', '2024-05-06', 12.34, TRUE, 'back\\slash and ''quote''', 1.5);\n" +
		"INSERT INTO v (id, at, d, amount, flag, note, f) VALUES (2, NULL, NULL, NULL, NULL, NULL, NULL);\n"
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			full := t.TempDir()
			if err := os.MkdirAll(filepath.Join(full, "migrations"), 0o755); err != nil {
				t.Fatal(err)
			}
			for p, text := range map[string]string{"retort.toml": "script_location = \"migrations\"\n", "migrations/1_r1.sql": r1} {
				if err := os.WriteFile(filepath.Join(full, p), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			squashed := t.TempDir()
			copyDir(t, full, squashed)
			a, b := dbtest.For(t, name), dbtest.For(t, name)
			mustCLI(t, full, "--url", a.URL, "upgrade", "head")
			mustCLI(t, squashed, "--url", b.URL, "squash", "--to", "r1", "-m", "data", "--data", "v")
			mustCLI(t, squashed, "--url", b.URL, "upgrade", "head")
			proof.Equal(t, a, b)
			if got := proof.Rows(t, b, "v"); len(got) != 2 {
				t.Errorf("rows of v: %q", got)
			}
			// As the databases hold them, not as drivers read them.
			text := map[string]string{"sqlite": "CAST(%s AS TEXT)", "postgres": "%s::text", "mysql": "CAST(%s AS CHAR)"}[name]
			q := "SELECT " + fmt.Sprintf(text, "at") + ", " + fmt.Sprintf(text, "d") + ", " + fmt.Sprintf(text, "amount") + " FROM v WHERE id = 1"
			var got [2][3]string
			for i, db := range []*dbtest.DB{a, b} {
				if err := db.SQL.QueryRow(q).Scan(&got[i][0], &got[i][1], &got[i][2]); err != nil {
					t.Fatal(err)
				}
			}
			if got[0] != got[1] {
				t.Errorf("values as stored: full history %q, squashed %q", got[0], got[1])
			}
		})
	}
}

// TestSquash_SecondDialect: a project that serves several dialects
// squashes once per dialect. The first run writes the squashed revision
// with the sections of its dialect (SQLite); a run on another dialect
// (PostgreSQL) adds that dialect's sections to it, leaving what SQLite
// runs, and so its checksum, as it was; a dialect without sections
// (MySQL) is stopped by the dialect-section error before anything runs.
func TestSquash_SecondDialect(t *testing.T) {
	full := t.TempDir()
	data := generatedHistory(t, full, 30)
	squashed := t.TempDir()
	copyDir(t, full, squashed)
	var args []string
	for _, d := range data {
		if d <= "t020" {
			args = append(args, "--data", d)
		}
	}
	lite := dbtest.SQLite(t)
	mustCLI(t, squashed, append([]string{"--url", lite.URL, "squash", "--to", "r020", "-m", "twenty", "--rev-id", "sq20"}, args...)...)
	if out := mustCLI(t, squashed, "--url", lite.URL, "upgrade", "head"); !strings.Contains(out, "-> sq20") {
		t.Fatalf("SQLite did not run the squashed revision:\n%s", out)
	}
	pgFull, pgSquashed := dbtest.Postgres(t), dbtest.Postgres(t)
	out := mustCLI(t, squashed, append([]string{"--url", pgSquashed.URL, "squash", "--to", "r020", "-m", "twenty"}, args...)...)
	if !strings.Contains(out, "Adding postgresql sections to migrations/") {
		t.Errorf("second squash said:\n%s", out)
	}
	mustCLI(t, full, "--url", pgFull.URL, "upgrade", "head")
	if out := mustCLI(t, squashed, "--url", pgSquashed.URL, "upgrade", "head"); !strings.Contains(out, "-> sq20") {
		t.Errorf("PostgreSQL did not run the squashed revision:\n%s", out)
	}
	proof.Equal(t, pgFull, pgSquashed)
	mustCLI(t, squashed, "--url", lite.URL, "verify", "--strict")
	mustCLI(t, squashed, "--url", pgSquashed.URL, "verify", "--strict")

	_, errOut, code := runCLI(t, squashed, nil, "--url", pgSquashed.URL, "squash", "--to", "r020", "-m", "again")
	if code != ExitFailure || !strings.Contains(errOut, "already squashed, by sq20") || !strings.Contains(errOut, "for postgres, sqlite") {
		t.Errorf("a third squash for PostgreSQL: exit %d\n%s", code, errOut)
	}
	my := dbtest.MySQL(t)
	_, errOut, code = runCLI(t, squashed, nil, "--url", my.URL, "upgrade", "head")
	if code == ExitOK || !strings.Contains(errOut, "no upgrade section for mysql") {
		t.Errorf("MySQL through a squashed revision without its sections: exit %d\n%s", code, errOut)
	}
}
