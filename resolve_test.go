package retort

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/postgres"
)

// TestResolveTables_BodyChangesSession runs revisions whose bodies change
// what an unqualified name means in their session (search_path, USE), some
// with decoy version and history tables where the changed session would
// find them. The run must succeed, and every revision's bookkeeping must
// land in the tables that the names meant when the run started.
func TestResolveTables_BodyChangesSession(t *testing.T) {
	for _, tc := range []struct {
		name, dialect string
		// bodies of r1, r2, r3; %[1]s is the test database's name.
		bodies []string
		// decoys are tables that must stay empty.
		decoys []string
		// cleanup runs after the test, on the test database.
		cleanup []string
		// lease runs with the lease lock, whose fence writes to the lock
		// table in each step's transaction.
		lease bool
	}{
		{
			name: "search_path emptied as pg_dump does", dialect: "postgres",
			bodies: []string{
				"CREATE TABLE public.a (id INTEGER);\nSELECT pg_catalog.set_config('search_path', '', false);",
				"CREATE TABLE public.b (id INTEGER);",
				"CREATE TABLE public.c (id INTEGER);",
			},
		},
		{
			name: "search_path emptied, lease lock", dialect: "postgres", lease: true,
			bodies: []string{
				"CREATE TABLE public.a (id INTEGER);\nSELECT pg_catalog.set_config('search_path', '', false);",
				"CREATE TABLE public.b (id INTEGER);",
				"CREATE TABLE public.c (id INTEGER);",
			},
		},
		{
			name: "USE of another database, lease lock", dialect: "mysql", lease: true,
			bodies: []string{
				"CREATE DATABASE %[1]s_other;\nUSE %[1]s_other;",
				"CREATE TABLE %[1]s.b (id INTEGER);",
				"CREATE TABLE %[1]s.c (id INTEGER);",
			},
			cleanup: []string{"DROP DATABASE IF EXISTS %[1]s_other"},
		},
		{
			name: "search_path set to a schema with look-alike tables", dialect: "postgres",
			bodies: []string{
				"CREATE SCHEMA other;\n" +
					"CREATE TABLE other.retort_version (LIKE public.retort_version INCLUDING ALL);\n" +
					"CREATE TABLE other.retort_history (LIKE public.retort_history INCLUDING ALL);\n" +
					"SET search_path = other;",
				"CREATE TABLE public.b (id INTEGER);",
				"SET search_path = other, public;",
			},
			decoys: []string{"other.retort_version", "other.retort_history"},
		},
		{
			name: "USE of another database with look-alike tables", dialect: "mysql",
			bodies: []string{
				"CREATE DATABASE %[1]s_other;\n" +
					"CREATE TABLE %[1]s_other.retort_version LIKE retort_version;\n" +
					"CREATE TABLE %[1]s_other.retort_history LIKE retort_history;\n" +
					"USE %[1]s_other;",
				"CREATE TABLE %[1]s.b (id INTEGER);",
				"CREATE TABLE %[1]s.c (id INTEGER);",
			},
			decoys:  []string{"%[1]s_other.retort_version", "%[1]s_other.retort_history"},
			cleanup: []string{"DROP DATABASE IF EXISTS %[1]s_other"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := testDB(t, tc.dialect)
			ctx := testContext(t)
			var opts []Option
			if tc.lease {
				opts = append(opts, WithLeaseLock(liveTTL))
			} else {
				// One connection: a session a body changed would be reused.
				db.SetMaxOpenConns(1)
			}
			var name string
			if tc.dialect == "mysql" {
				name = dbName(ctx, t, db)
			}
			sub := func(s string) string {
				if !strings.Contains(s, "%[1]s") {
					return s
				}
				return fmt.Sprintf(s, name)
			}
			for _, q := range tc.cleanup {
				t.Cleanup(func() {
					if _, err := db.Exec(sub(q)); err != nil {
						t.Errorf("clean up: %v", err)
					}
				})
			}
			var bodies []string
			for _, b := range tc.bodies {
				bodies = append(bodies, sub(b))
			}
			fsys := revisionFS(bodies...)
			// Two runs: the second starts from the state the first left.
			p := openProvider(t, db, tc.dialect, fstest.MapFS{"001_r1.sql": fsys["001_r1.sql"], "002_r2.sql": fsys["002_r2.sql"]}, opts...)
			if _, err := p.Upgrade(ctx, "head"); err != nil {
				t.Fatalf("upgrade to r2: %v", err)
			}
			p = openProvider(t, db, tc.dialect, fsys, opts...)
			if _, err := p.Upgrade(ctx, "head"); err != nil {
				t.Fatalf("upgrade to r3: %v", err)
			}
			if cur, err := p.Current(ctx); err != nil || strings.Join(cur, ",") != "r3" {
				t.Errorf("Current = %v, %v; want r3", cur, err)
			}
			var ups []string
			rows, err := p.History(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if r.Direction == "up" && !r.Dirty {
					ups = append(ups, r.Revision)
				}
			}
			if got := strings.Join(ups, ","); got != "r1,r2,r3" {
				t.Errorf("history records %q applied, want r1,r2,r3", got)
			}
			// The pool holds no connection in a body's state.
			var n int
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM retort_version").Scan(&n); err != nil || n != 1 {
				t.Errorf("unqualified version table through the pool: %d rows, %v; want 1", n, err)
			}
			for _, d := range tc.decoys {
				var n int
				if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+sub(d)).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != 0 {
					t.Errorf("%s has %d rows: the bookkeeping followed the body's session", sub(d), n)
				}
			}
		})
	}
}

// TestResolveTables_Names: the tables of a run are named with the schema
// the session resolves them to; the lock key stays the configured one.
func TestResolveTables_Names(t *testing.T) {
	for _, tc := range []struct {
		name, dialect string
		setup         []string
		opts          []Option
		want          func(db string) (version, history string)
	}{
		{"default search_path", "postgres", nil, nil, func(string) (string, string) { return "public.retort_version", "public.retort_history" }},
		{"search_path set", "postgres", []string{"CREATE SCHEMA app", "SET search_path = app"}, nil,
			func(string) (string, string) { return "app.retort_version", "app.retort_history" }},
		{"configured schema", "postgres", nil, []Option{WithSchema("meta")}, func(string) (string, string) { return "meta.retort_version", "meta.retort_history" }},
		{"no existing schema", "postgres", []string{"SET search_path = nowhere"}, nil, nil},
		// An existing table is found where the search_path finds it, not
		// created again in the first schema.
		{"table in a later schema", "postgres", []string{"CREATE SCHEMA a", "CREATE SCHEMA b", "CREATE TABLE b.retort_version (version_num VARCHAR(255) PRIMARY KEY)", "SET search_path = a, b"}, nil,
			func(string) (string, string) { return "b.retort_version", "a.retort_history" }},
		{"current database", "mysql", nil, nil, func(db string) (string, string) { return db + ".retort_version", db + ".retort_history" }},
		{"no session state", "sqlite", nil, nil, func(string) (string, string) { return "retort_version", "retort_history" }},
	} {
		t.Run(tc.dialect+"/"+tc.name, func(t *testing.T) {
			db, _ := testDB(t, tc.dialect)
			ctx := testContext(t)
			db.SetMaxOpenConns(1) // so that the setup's SET applies to the run's session
			for _, q := range tc.setup {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			m, err := NewProject(newDialect(tc.dialect), nil, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			name := ""
			if tc.dialect == "mysql" {
				name = dbNameQ(t, conn)
			}
			rm, err := m.resolveTables(ctx, conn)
			if tc.want == nil {
				if !errors.Is(err, postgres.ErrNoSchema) {
					t.Errorf("resolveTables = %v, want ErrNoSchema", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			wantV, wantH := tc.want(name)
			if rm.versionTable.String() != wantV || rm.historyTable.String() != wantH {
				t.Errorf("tables = %s, %s; want %s, %s", rm.versionTable, rm.historyTable, wantV, wantH)
			}
			if rm.lockKey() != m.lockKey() {
				t.Errorf("lock key = %q, want the configured %q", rm.lockKey(), m.lockKey())
			}
		})
	}
}

func dbNameQ(t *testing.T, q dialect.Querier) string {
	t.Helper()
	var name sql.NullString
	if err := q.QueryRowContext(testContext(t), "SELECT DATABASE()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name.String
}
