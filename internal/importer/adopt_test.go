package importer

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/sqlite"
	_ "modernc.org/sqlite"
)

// sqliteWith is a SQLite database with the statements run on it.
func sqliteWith(t *testing.T, stmts ...string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return db
}

// flywayTable is Flyway's history table on SQLite, as its SQLiteDatabase
// creates it (getRawCreateScript).
const flywayTable = `CREATE TABLE flyway_schema_history (
    "installed_rank" INT NOT NULL PRIMARY KEY,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INT,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
    "execution_time" INT NOT NULL,
    "success" BOOLEAN NOT NULL
);
CREATE INDEX "main"."flyway_schema_history_s_idx" ON "flyway_schema_history" ("success")`

func flywayRow(rank int, version, typ, scriptName string, success bool) string {
	v := "NULL"
	if version != "" {
		v = "'" + version + "'"
	}
	ok := "0"
	if success {
		ok = "1"
	}
	return "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES (" +
		strings.Join([]string{strconv.Itoa(rank), v, "'d'", "'" + typ + "'", "'" + scriptName + "'", "NULL", "'me'", "1", ok}, ", ") + ")"
}

func versionsOf(a *Applied) []string {
	var out []string
	for _, v := range a.Versions {
		out = append(out, v.Version)
	}
	return out
}

// TestReadFlywayTable: the schema-creation row and repeatable
// migrations are not versions, an undo and a DELETE row (repair) take a
// version back, a baseline covers the versions up to it.
func TestReadFlywayTable(t *testing.T) {
	db := sqliteWith(t, flywayTable,
		flywayRow(0, "", "SCHEMA", `"public"`, true),
		flywayRow(1, "1", "BASELINE", "<< Flyway Baseline >>", true),
		flywayRow(2, "1.1", "SQL", "V1_1__a.sql", true),
		flywayRow(3, "", "SQL", "R__view.sql", true),
		flywayRow(4, "1.2", "SQL", "V1.2__b.sql", true),
		flywayRow(5, "1.2", "UNDO_SQL", "U1.2__b.sql", true),
		flywayRow(6, "1.3", "JDBC", "V1_3__c", true),
		flywayRow(7, "1.3", "DELETE", "V1_3__c", true),
		flywayRow(8, "1.10", "SQL", "V1.10__d.sql", true),
	)
	a, err := ReadApplied(context.Background(), db, sqlite.New(), "flyway", dialect.Table{Name: "flyway_schema_history"})
	if err != nil {
		t.Fatal(err)
	}
	if got := versionsOf(a); !slices.Equal(got, []string{"1.1", "1.10"}) || a.UpTo != "1" {
		t.Fatalf("applied %v up to %q, want [1.1 1.10] up to 1", got, a.UpTo)
	}
	if a.Versions[0].ID != ID("flyway", "1.1") || !a.Below("1.0") || !a.Below("001") || a.Below("1.0.1") {
		t.Fatalf("ids or baseline wrong: %+v", a)
	}

	// A baseline migration (B3__all.sql) that Flyway ran on a new
	// database instead of V1 to V3 stands for them.
	db = sqliteWith(t, flywayTable,
		flywayRow(1, "3", "SQL_BASELINE", "B3__all.sql", true),
		flywayRow(2, "4", "SQL", "V4__d.sql", true),
	)
	a, err = ReadApplied(context.Background(), db, sqlite.New(), "flyway", dialect.Table{Name: "flyway_schema_history"})
	if err != nil {
		t.Fatal(err)
	}
	if got := versionsOf(a); !slices.Equal(got, []string{"4"}) || a.UpTo != "3" || !a.Below("2") {
		t.Fatalf("after a baseline migration: applied %v up to %q, want [4] up to 3", got, a.UpTo)
	}
}

// TestReadGooseTable: a version is applied when its latest row is (goose
// v3 deletes the row of a down; older versions added one with is_applied
// false); version 0 is the table's creation. The table is goose v3.29.0's
// on SQLite (TestReadPeerTables reads the ones goose makes itself).
func TestReadGooseTable(t *testing.T) {
	db := sqliteWith(t, "CREATE TABLE goose_db_version (\n\t\tid INTEGER PRIMARY KEY AUTOINCREMENT,\n\t\tversion_id INTEGER NOT NULL,\n\t\tis_applied INTEGER NOT NULL,\n\t\ttstamp TIMESTAMP DEFAULT (datetime('now'))\n\t)",
		"INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1), (1, 1), (2, 1), (3, 1), (3, 0), (2, 0), (2, 1)")
	a, err := ReadApplied(context.Background(), db, sqlite.New(), "goose", dialect.Table{Name: "goose_db_version"})
	if err != nil {
		t.Fatal(err)
	}
	if got := versionsOf(a); !slices.Equal(got, []string{"1", "2"}) {
		t.Fatalf("applied %v, want [1 2]", got)
	}
}

// TestPlanAdoptFixtures maps tables to the revisions of the import
// fixtures in testdata/TOOL/src.
func TestPlanAdoptFixtures(t *testing.T) {
	revsOf := func(t *testing.T, tool string) ([]ProjectRevision, func([]string) []string) {
		res, err := Read(tool, os.DirFS(filepath.Join("testdata", tool, "src")), Options{SkipGo: true})
		if err != nil {
			t.Fatal(err)
		}
		var revs []ProjectRevision
		for _, r := range res.Revisions {
			revs = append(revs, ProjectRevision{ID: r.ID, Tool: tool, Version: r.Version})
		}
		// One line: a revision's ancestors are those before it.
		ancestors := func(heads []string) []string {
			var out []string
			for _, r := range revs {
				out = append(out, r.ID)
				if slices.Contains(heads, r.ID) {
					break
				}
			}
			return out
		}
		return revs, ancestors
	}
	t.Run("golang-migrate at 4", func(t *testing.T) {
		revs, anc := revsOf(t, "golang-migrate")
		a := &Applied{Tool: "golang-migrate", Table: "schema_migrations", UpTo: "4", Versions: []AppliedVersion{{"4", ID("golang-migrate", "4")}}}
		p, err := PlanAdopt(a, revs, anc)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p.Heads, []string{ID("golang-migrate", "4")}) || len(p.Applied) != 4 || p.HeadVersion != "4" {
			t.Fatalf("plan %+v", p)
		}
	})
	t.Run("unwritten skeleton", func(t *testing.T) {
		revs, anc := revsOf(t, "golang-migrate")
		revs[2].Unwritten, revs[2].Path = true, "migrations/x.go"
		at := func(v, id string) *Applied {
			return &Applied{Tool: "golang-migrate", Table: "schema_migrations", UpTo: v, Versions: []AppliedVersion{{v, id}}}
		}
		// Applied below the database's version: refused, naming the file.
		_, err := PlanAdopt(at("4", ID("golang-migrate", "4")), revs, anc)
		var e *Error
		if !errors.As(err, &e) || e.Path != "migrations/x.go" || !strings.Contains(e.Msg, "is applied on this database but is still a Go revision skeleton to write") {
			t.Fatalf("err = %v", err)
		}
		// Not applied yet: the database is adopted below it.
		if _, err := PlanAdopt(at("2", revs[1].ID), revs, anc); err != nil {
			t.Fatalf("a database below the skeleton: %v", err)
		}
	})
	t.Run("goose with 6 missing", func(t *testing.T) {
		revs, anc := revsOf(t, "goose")
		var vs []AppliedVersion
		for _, v := range []string{"1", "2", "3", "5", "7"} {
			vs = append(vs, AppliedVersion{v, ID("goose", v)})
		}
		_, err := PlanAdopt(&Applied{Tool: "goose", Table: "goose_db_version", Versions: vs}, revs, anc)
		var e *Error
		if !errors.As(err, &e) || e.Msg != "table goose_db_version says version 7 is applied but version 6, before it, is not (applied out of order)" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("flyway Java migration applied", func(t *testing.T) {
		revs, anc := revsOf(t, "flyway")
		a := &Applied{Tool: "flyway", Table: "flyway_schema_history", Versions: []AppliedVersion{{"1", ID("flyway", "1")}, {"2", ID("flyway", "2")}}}
		_, err := PlanAdopt(a, revs, anc)
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg, "says version 2 is applied, but no revision of the project has it") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("nothing applied", func(t *testing.T) {
		revs, anc := revsOf(t, "dbmate")
		p, err := PlanAdopt(&Applied{Tool: "dbmate", Table: "schema_migrations"}, revs, anc)
		if err != nil || len(p.Heads) != 0 {
			t.Fatalf("plan %+v, %v", p, err)
		}
	})
}

func TestSourceVersion(t *testing.T) {
	tool, v := SourceVersion("-- revision: x\n-- imported from flyway: V1_1__Seed (users).sql (version 1_1)\n\n-- +upgrade\n")
	if tool != "flyway" || v != "1_1" {
		t.Fatalf("got %q %q", tool, v)
	}
	if tool, v := SourceVersion("package versions\n\n// retort import: a Go revision skeleton of goose 00008_back fill.go (version 00008)\n//\n"); tool != "goose" || v != "00008" {
		t.Fatalf("Go skeleton: got %q %q", tool, v)
	}
	if tool, v := SourceVersion("-- revision: x\n"); tool != "" || v != "" {
		t.Fatalf("got %q %q", tool, v)
	}
}
