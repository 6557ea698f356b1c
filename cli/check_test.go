package cli

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/schema"
)

// TestCheckRoundtrip_Servers runs check --roundtrip against PostgreSQL
// and MariaDB: the scratch database is made on the server of the
// project's URL (or of dev_url), a revision whose downgrade leaves a
// column behind is found, the project's own database is never touched,
// and no scratch database is left on the server.
func TestCheckRoundtrip_Servers(t *testing.T) {
	for _, name := range []string{"postgres", "mysql"} {
		t.Run(name, func(t *testing.T) {
			db := dbtest.For(t, name)
			revs := []testRev{
				{id: "aaaa00000001", up: "CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);", downSQL: "DROP TABLE account;"},
				{id: "bbbb00000002", down: "aaaa00000001", up: "ALTER TABLE account ADD COLUMN email VARCHAR(255) NULL;\nCREATE INDEX account_name ON account (name);",
					downSQL: "DROP INDEX account_name" + map[string]string{"postgres": ";", "mysql": " ON account;"}[name]},
				{id: "cccc00000003", down: "bbbb00000002", up: "CREATE TABLE audit (id INTEGER PRIMARY KEY);", downSQL: "DROP TABLE audit;"},
			}
			dir := t.TempDir()
			writeJSONProject(t, dir, revs...)
			toml := fmt.Sprintf("script_location = \"migrations\"\nurl = '%s'\n", db.URL)
			if name == "mysql" {
				// The scratch database is made on dev_url's server.
				toml += fmt.Sprintf("dev_url = '%s'\n", dbtest.MySQLServerURL())
			}
			if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte(toml), 0o644); err != nil {
				t.Fatal(err)
			}
			before := scratchDatabases(t, name)
			stdout, stderr, code := runCLI(t, dir, nil, "check", "--roundtrip")
			if code != ExitFailure || !strings.Contains(stdout, "bbbb00000002: the downgrade does not restore the schema before the upgrade (account)") {
				t.Fatalf("check --roundtrip = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			if strings.Contains(stdout, "aaaa00000001") {
				t.Errorf("a revision that round-trips is reported:\n%s", stdout)
			}
			// Its second upgrade fails on the column left behind: the walk
			// stops there, and says so.
			if !strings.Contains(stdout, "cccc00000003: not checked: the walk stopped at an earlier revision") {
				t.Errorf("the revision after the walk stopped is not named:\n%s", stdout)
			}
			var n int
			current := map[string]string{"postgres": "current_schema()", "mysql": "DATABASE()"}[name]
			if err := db.SQL.QueryRowContext(context.Background(), "SELECT count(*) FROM information_schema.tables WHERE table_schema = "+current+" AND table_name IN ('account', 'retort_version')").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("check --roundtrip created %d tables in the project's database", n)
			}
			if after := scratchDatabases(t, name); after != before {
				t.Errorf("scratch databases on the server: %d before, %d after", before, after)
			}

			// Fixed, it passes.
			revs[1].downSQL += "\nALTER TABLE account DROP COLUMN email;"
			writeJSONProject(t, dir, revs...)
			if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte(toml), 0o644); err != nil {
				t.Fatal(err)
			}
			if stdout, stderr, code := runCLI(t, dir, nil, "check", "--roundtrip"); code != ExitOK || stdout != "" {
				t.Fatalf("check --roundtrip after the fix = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
		})
	}
}

// scratchDatabases counts the scratch databases of this process on the
// test server.
func scratchDatabases(t *testing.T, dialectName string) int {
	t.Helper()
	raw, driver, q := dbtest.PostgresServerURL(), "pgx", "SELECT count(*) FROM pg_database WHERE datname LIKE $1"
	if dialectName == "mysql" {
		raw, driver, q = dbtest.MySQLServerURL(), "mysql", "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?"
	}
	u, err := config.ParseURL(raw, "")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open(driver, u.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(q, fmt.Sprintf("retort_scratch_%d_%%", os.Getpid())).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCheckRoundtrip_ColumnOrder: a downgrade that adds a dropped column
// back puts it last; check --roundtrip matches columns by name, as
// autogenerate does, so the revision autogenerate writes for a dropped
// column round-trips (it was reported as differing).
func TestCheckRoundtrip_ColumnOrder(t *testing.T) {
	dir := t.TempDir()
	writeJSONProject(t, dir,
		testRev{id: "aaaa00000001", up: "CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, email VARCHAR(255));", downSQL: "DROP TABLE account;"},
		testRev{id: "bbbb00000002", down: "aaaa00000001", up: "ALTER TABLE account DROP COLUMN name;", downSQL: "ALTER TABLE account ADD COLUMN name VARCHAR(50) NOT NULL DEFAULT '';"})
	// The downgrade adds name back with a default it did not have: that
	// is a difference still.
	if stdout, stderr, code := runCLI(t, dir, nil, "check", "--roundtrip"); code != ExitFailure || !strings.Contains(stdout, "bbbb00000002") {
		t.Fatalf("check --roundtrip with a default added = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	writeJSONProject(t, dir,
		testRev{id: "aaaa00000001", up: "CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(50), email VARCHAR(255));", downSQL: "DROP TABLE account;"},
		testRev{id: "bbbb00000002", down: "aaaa00000001", up: "ALTER TABLE account DROP COLUMN name;", downSQL: "ALTER TABLE account ADD COLUMN name VARCHAR(50);"})
	if stdout, stderr, code := runCLI(t, dir, nil, "check", "--roundtrip"); code != ExitOK || stdout != "" {
		t.Fatalf("check --roundtrip of a column added back last = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}

// TestKeepAddedEnumValues: the schema a downgrade must restore keeps the
// enum values the upgrade added (in its type and its columns), and only
// when values were only added.
func TestKeepAddedEnumValues(t *testing.T) {
	mk := func(values ...string) *schema.Schema {
		return &schema.Schema{
			Enums:  []schema.EnumType{{Name: "mood", Values: values}},
			Tables: []*schema.Table{schema.NewTable("t", schema.Col("m", schema.Enum("mood", values...)))},
		}
	}
	got := keepAddedEnumValues(mk("sad", "ok"), mk("sad", "meh", "ok"))
	if !got.Equal(mk("sad", "meh", "ok")) {
		t.Errorf("values added: %+v", got)
	}
	if d := differing(got, mk("sad", "meh", "ok")); len(d) > 0 {
		t.Errorf("differing after keepAddedEnumValues: %v", d)
	}
	for _, after := range []*schema.Schema{mk("ok", "sad", "meh"), mk("sad"), mk("sad", "ok")} {
		if got := keepAddedEnumValues(mk("sad", "ok"), after); !got.Equal(mk("sad", "ok")) {
			t.Errorf("after %v: %+v, want the values before", after.Enums[0].Values, got.Enums[0].Values)
		}
	}
}
