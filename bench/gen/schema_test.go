package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The tables of the "tables" shape: n of them, in name order, each
// referencing itself (the first) or an earlier table, the same for the
// same seed.
func TestTablesShape(t *testing.T) {
	ts := Tables(200, 1)
	if len(ts) != 200 {
		t.Fatalf("%d tables, want 200", len(ts))
	}
	if ts[0].Ref != ts[0].Name {
		t.Errorf("first table references %s, want itself", ts[0].Ref)
	}
	for i, tb := range ts {
		if want := tableName(i + 1); tb.Name != want {
			t.Fatalf("table %d is %s, want %s", i, tb.Name, want)
		}
		if i > 0 && tb.Ref >= tb.Name {
			t.Errorf("%s references %s, which is not an earlier table", tb.Name, tb.Ref)
		}
	}
	if !slices.Equal(ts, Tables(200, 1)) {
		t.Error("the same seed gave different tables")
	}
	if slices.Equal(ts, Tables(200, 2)) {
		t.Error("another seed gave the same foreign keys")
	}
}

// The retort and Alembic projects declare the same tables, columns,
// indexes and foreign keys.
func TestTablesProjects(t *testing.T) {
	ts := Tables(30, 1)
	dir := t.TempDir()
	if err := WriteRetortTables(filepath.Join(dir, "retort"), ts); err != nil {
		t.Fatal(err)
	}
	if err := WriteAlembicTables(filepath.Join(dir, "alembic"), ts); err != nil {
		t.Fatal(err)
	}
	read := func(p string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	toml := read("retort/retort.toml")
	if !strings.Contains(toml, `desired = ["schema/*.sql"]`) {
		t.Errorf("retort.toml names no desired schema:\n%s", toml)
	}
	ddl := read("retort/schema/tables.sql")
	models := read("alembic/models.py")
	if !strings.Contains(read("alembic/env.py"), "target_metadata = metadata") {
		t.Error("env.py does not set target_metadata from models.py")
	}
	if !strings.Contains(read("alembic/alembic.ini"), "prepend_sys_path = %(here)s") {
		t.Error("alembic.ini does not put the project folder on sys.path")
	}
	for _, c := range []struct {
		what     string
		sql, py  *regexp.Regexp
		perTable int
	}{
		{"tables", regexp.MustCompile(`CREATE TABLE (t_\d+) `), regexp.MustCompile(`(?m)^(t_\d+) = sa\.Table\(`), 1},
		{"foreign keys", regexp.MustCompile(`FOREIGN KEY \(parent_id\) REFERENCES (t_\d+) `), regexp.MustCompile(`\["parent_id"\], \["(t_\d+)\.id"\]`), 1},
		{"indexes", regexp.MustCompile(`CREATE INDEX (ix_\w+) `), regexp.MustCompile(`sa\.Index\("(ix_\w+)"`), 2},
		{"columns", regexp.MustCompile(`(?m)^    (\w+) [A-Z]+`), regexp.MustCompile(`sa\.Column\("(\w+)"`), 8},
	} {
		var s, p []string
		for _, m := range c.sql.FindAllStringSubmatch(ddl, -1) {
			s = append(s, m[1])
		}
		for _, m := range c.py.FindAllStringSubmatch(models, -1) {
			p = append(p, m[1])
		}
		if len(s) != c.perTable*len(ts) || !slices.Equal(s, p) {
			t.Errorf("%s: SQL has %d, models.py %d (want %d each, the same):\n%v\n%v", c.what, len(s), len(p), c.perTable*len(ts), s, p)
		}
	}
	// The DDL runs as it is on SQLite, when the sqlite3 shell is here.
	if _, err := exec.LookPath("sqlite3"); err == nil {
		cmd := exec.Command("sqlite3", filepath.Join(dir, "check.db"))
		cmd.Stdin = strings.NewReader("PRAGMA foreign_keys = ON;\n" + ddl + "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%';\n")
		out, err := cmd.CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "60" {
			t.Errorf("sqlite3 on the DDL: %v: %s (want 60 indexes)", err, out)
		}
	}
	if err := WriteRetortTables(filepath.Join(dir, "retort"), ts); err != nil {
		t.Errorf("rewriting a project with no revision: %v", err)
	}
}
