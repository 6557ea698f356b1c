package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/internal/dbtest"
)

// noInspector is SQLite without its optional interfaces: only the
// methods of dialect.Dialect are promoted.
type noInspector struct{ dialect.Dialect }

func TestInspectDB_NoInspector(t *testing.T) {
	proj, err := retort.NewProject(noInspector{sqlite.New()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := proj.Bind(dbtest.SQLite(t).SQL)
	_, err = inspectDB(context.Background(), p, "", nil)
	if err == nil || !strings.Contains(err.Error(), "the sqlite dialect cannot read a database's schema") {
		t.Fatalf("error %v, want one saying the dialect cannot read a schema", err)
	}
	if h := errorHint(err); !strings.Contains(h, "dialect.Inspector") {
		t.Errorf("hint %q, want one naming dialect.Inspector", h)
	}
}

// TestInspectDB_OwnTables checks that the project's own tables are left
// out under the names it gives them, and that --table patterns select.
func TestInspectDB_OwnTables(t *testing.T) {
	db := dbtest.SQLite(t)
	mustExec(t, db.SQL,
		"CREATE TABLE my_version (version_num VARCHAR(255) NOT NULL PRIMARY KEY)",
		"CREATE TABLE retort_version (id INTEGER PRIMARY KEY)", // not the project's: a user's table
		"CREATE TABLE account (id INTEGER PRIMARY KEY)",
		"CREATE TABLE audit_log (id INTEGER PRIMARY KEY)")
	proj, err := retort.NewProject(sqlite.New(), nil, retort.WithVersionTable("my_version"))
	if err != nil {
		t.Fatal(err)
	}
	p := proj.Bind(db.SQL)
	names := func(patterns ...string) string {
		s, err := inspectDB(context.Background(), p, "", patterns)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tb := range s.Tables {
			out = append(out, tb.Name)
		}
		return strings.Join(out, " ")
	}
	if got := names(); got != "account audit_log retort_version" {
		t.Errorf("tables %q, want account audit_log retort_version", got)
	}
	if got := names("a*", "x?"); got != "account audit_log" {
		t.Errorf("tables %q for a* and x?, want account audit_log", got)
	}
}
