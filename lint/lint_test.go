package lint

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql", for tests only
	_ "modernc.org/sqlite"             // database/sql driver "sqlite", for tests only

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/internal/scratch"
	"github.com/retortdb/retort/lint/sqlast"
	"github.com/retortdb/retort/schema"
)

// file makes a revision file of an upgrade section (markers kept when
// given) with a downgrade section unless the text has markers.
func file(up string) string {
	body := up
	if !strings.Contains(up, "-- +upgrade") {
		body = "-- +upgrade\n" + up + "\n-- +downgrade\n"
	}
	return "-- revision: abc123\n-- down_revision:\n-- message: test\n\n" + body + "\n"
}

func lintText(t *testing.T, dialect, up string, s Settings) []Finding {
	t.Helper()
	return lintTextBefore(t, dialect, up, s, nil)
}

// lintTextBefore lints an upgrade section against before, the schema
// before the revision (nil: unknown).
func lintTextBefore(t *testing.T, dialect, up string, s Settings, before *schema.Schema) []Finding {
	t.Helper()
	rev, err := SQLRevision("migrations/abc123.sql", []byte(file(up)), []string{dialect})
	if err != nil {
		t.Fatalf("SQLRevision: %v", err)
	}
	if before != nil {
		rev.Before = map[string]*schema.Schema{dialect: before}
	}
	return Lint([]*Revision{rev}, s).Findings
}

// stateOf runs setup on a new scratch database of the dialect and
// returns the schema reflected from it, as retort lint's schema state
// does with the earlier revisions.
func stateOf(t *testing.T, dialectName, setup string) *schema.Schema {
	t.Helper()
	db := dbtest.For(t, dialectName)
	ctx := context.Background()
	s, err := scratch.New(ctx, db.URL, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.ApplySQL(ctx, []scratch.File{{Path: "before.sql", Text: []byte(setup)}}); err != nil {
		t.Fatalf("the schema before the revision: %v", err)
	}
	sc, err := s.Inspect(ctx, dialect.InspectOptions{})
	if err != nil {
		t.Fatalf("reflect the scratch database: %v", err)
	}
	return sc
}

func codes(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s@%d", f.Code, f.Line))
	}
	return out
}

func has(fs []Finding, code string) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Code == code })
}

// TestLintRuleExamples lints every rule's documented examples: the rule
// fires on Fires and not on Passes.
func TestLintRuleExamples(t *testing.T) {
	for _, r := range Rules() {
		if r.Doc.What == "" || r.Doc.Why == "" || r.Doc.Safe == "" || r.Doc.SafeSQL == "" || r.Summary == "" {
			t.Errorf("%s: incomplete doc", r.Code)
		}
		if r.Doc.Fires == "" {
			continue
		}
		t.Run(r.Code, func(t *testing.T) {
			var s Settings
			if r.Severity == Off {
				// An opt-in rule's examples are linted with it enabled.
				s.Severity = map[string]Severity{r.Code: Info}
			}
			if r.Doc.Server != "" {
				v, err := ParseServerVersion(r.Doc.Server)
				if err != nil {
					t.Fatal(err)
				}
				s.Server = &v
			}
			var before *schema.Schema
			if r.Doc.Before != "" {
				before = stateOf(t, r.Doc.Dialect, r.Doc.Before)
			}
			if got := lintTextBefore(t, r.Doc.Dialect, r.Doc.Fires, s, before); !has(got, r.Code) {
				t.Errorf("fires example: %s did not fire: %v", r.Code, codes(got))
			}
			if got := lintTextBefore(t, r.Doc.Dialect, r.Doc.Passes, s, before); has(got, r.Code) {
				t.Errorf("passes example: %s fired: %v", r.Code, codes(got))
			}
		})
	}
}

// TestLintRules are more cases per rule and dialect, near misses among them.
func TestLintRules(t *testing.T) {
	for _, tc := range []struct {
		name, dialect, code, sql string
		fires                    bool
	}{
		{"drop table mysql", MySQL, "RT101", "DROP TABLE IF EXISTS old_orders;", true},
		{"drop table sqlite", SQLite, "RT101", "DROP TABLE old_orders;", true},
		{"rebuild drops the old table", SQLite, "RT101", "CREATE TABLE _new_account (id int, email text NOT NULL);\nINSERT INTO _new_account SELECT id, email FROM account;\nDROP TABLE account;\nALTER TABLE _new_account RENAME TO account;", false},
		{"rebuild renames to another name", SQLite, "RT101", "CREATE TABLE _new_account (id int);\nDROP TABLE account;\nALTER TABLE _new_account RENAME TO client;", true},
		{"drop temp table", MySQL, "RT101", "DROP TEMPORARY TABLE tmp_x;", false},
		{"drop database mysql", MySQL, "RT103", "DROP DATABASE shop;", true},
		{"truncate warning", MySQL, "RT104", "TRUNCATE TABLE orders;", true},
		{"truncate sqlite has none", SQLite, "RT104", "DELETE FROM orders WHERE id < 5;", false},
		{"drop view cascade", Postgres, "RT106", "DROP VIEW v CASCADE;", true},
		{"drop view restrict", Postgres, "RT106", "DROP VIEW v;", false},
		{"mysql rename table", MySQL, "RT201", "RENAME TABLE customer TO client;", true},
		{"sqlite rename table", SQLite, "RT201", "ALTER TABLE customer RENAME TO client;", true},
		{"rename created table", Postgres, "RT201", "CREATE TABLE a (id int);\nALTER TABLE a RENAME TO b;", false},
		{"mysql rename as", MySQL, "RT201", "ALTER TABLE customer RENAME AS client;", true},
		{"pg rename column of quoted table", Postgres, "RT202", "ALTER TABLE \"Customer\" RENAME \"Name\" TO full_name;", true},
		{"pg add column is no rename", Postgres, "RT202", "ALTER TABLE customer ADD COLUMN rename_count int;", false},
		{"detach concurrently in tx", Postgres, "RT704", "ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;", true},
		{"detach concurrently outside", Postgres, "RT704", "-- +no-transaction\nALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;", false},
		{"index algorithm copy", MySQL, "RT410", "CREATE INDEX i ON orders (a) ALGORITHM = COPY;", true},
		{"set tablespace", Postgres, "RT314", "ALTER TABLE orders SET TABLESPACE fast;", true},
		{"set schema is no rewrite", Postgres, "RT314", "ALTER TABLE orders SET SCHEMA archive;", false},
		{"mysql change column renames", MySQL, "RT202", "ALTER TABLE customer CHANGE COLUMN name full_name varchar(100);", true},
		{"mysql change column same name", MySQL, "RT202", "ALTER TABLE customer CHANGE name name varchar(200);", false},
		{"sqlite rename column", SQLite, "RT202", "ALTER TABLE customer RENAME COLUMN name TO full_name;", true},
		{"unique index", Postgres, "RT301", "CREATE UNIQUE INDEX u ON customer (email);", true},
		{"index in no-transaction concurrently", Postgres, "RT301", "-- +no-transaction\nCREATE INDEX CONCURRENTLY i ON customer (email);", false},
		{"index on only a parent, without state", Postgres, "RT301", "CREATE INDEX i ON ONLY events (kind);", false},
		{"index not linted on mysql", MySQL, "RT301", "CREATE INDEX i ON customer (email);", false},
		{"drop created index", Postgres, "RT302", "CREATE INDEX i ON t (a);\nDROP INDEX i;", false},
		{"cluster", Postgres, "RT314", "CLUSTER orders USING orders_pkey;", true},
		{"set unlogged", Postgres, "RT314", "ALTER TABLE orders SET UNLOGGED;", true},
		{"refresh", Postgres, "RT314", "REFRESH MATERIALIZED VIEW totals;", true},
		{"vacuum plain", Postgres, "RT314", "-- +no-transaction\nVACUUM orders;", false},
		{"replica nothing", Postgres, "RT318", "ALTER TABLE orders REPLICA IDENTITY NOTHING;", true},
		{"lock exclusive", MySQL, "RT410", "ALTER TABLE orders DROP COLUMN note, LOCK=EXCLUSIVE;", true},
		{"lock none", MySQL, "RT410", "ALTER TABLE orders DROP COLUMN note, LOCK=NONE;", false},
		{"mysql dml then ddl", MySQL, "RT415", "UPDATE orders SET a = 1 WHERE id = 1;\nALTER TABLE orders ADD COLUMN b int;", true},
		{"mysql new tables", MySQL, "RT415", "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCREATE INDEX bi ON b (id);", false},
		{"delete all", SQLite, "RT606", "DELETE FROM orders;", true},
		{"update new table", Postgres, "RT606", "CREATE TABLE t (a int);\nUPDATE t SET a = 1;", false},
		{"mysql @@session lock wait", MySQL, "RT701", "SET @@session.lock_wait_timeout = 5;\nALTER TABLE orders ADD COLUMN b int;", false},
		{"mariadb alter wait", MySQL, "RT701", "ALTER TABLE orders WAIT 5 ADD COLUMN b int;", false},
		{"mariadb alter nowait", MySQL, "RT701", "ALTER TABLE orders NOWAIT ADD COLUMN b int;", false},
		{"mariadb alter nowait then plain", MySQL, "RT701", "ALTER TABLE orders NOWAIT ADD COLUMN b int;\nALTER TABLE orders ADD COLUMN c int;", true},
		{"mysql plain set lock wait", MySQL, "RT701", "SET lock_wait_timeout = 5;\nALTER TABLE orders ADD COLUMN b int;", false},
		{"no statement timeout", Postgres, "RT702", "ALTER TABLE orders ADD COLUMN b int;", true},
		{"statement timeout set", Postgres, "RT702", "SET statement_timeout = '1min';\nALTER TABLE orders ADD COLUMN b int;", false},
		{"statement timeout set local", Postgres, "RT702", "SET LOCAL statement_timeout = 60000;\nCREATE INDEX i ON orders (b);", false},
		{"statement timeout global is not the session's", MySQL, "RT702", "SET GLOBAL max_statement_time = 60;\nALTER TABLE orders ADD COLUMN b int;", true},
		{"mariadb max_statement_time", MySQL, "RT702", "SET SESSION max_statement_time = 60;\nALTER TABLE orders ADD COLUMN b int;", false},
		{"mysql max_execution_time", MySQL, "RT702", "SET max_execution_time = 60000;\nALTER TABLE orders ADD COLUMN b int;", false},
		{"statement timeout only the first", Postgres, "RT702", "CREATE TABLE t (id int NULL);\nALTER TABLE t ADD COLUMN b int;", false},
		{"concurrent index does not block", Postgres, "RT702", "CREATE INDEX CONCURRENTLY i ON orders (b);", false},
		{"pg set local lock_timeout", Postgres, "RT701", "SET LOCAL lock_timeout TO '5s';\nALTER TABLE orders ADD COLUMN b int;", false},
		{"pg statement_timeout is not enough", Postgres, "RT701", "SET statement_timeout = '5s';\nALTER TABLE orders ADD COLUMN b int;", true},
		{"pg lock_timeout after the DDL", Postgres, "RT701", "ALTER TABLE orders ADD COLUMN b int;\nSET lock_timeout = '5s';", true},
		{"pg rename constraint", Postgres, "RT202", "ALTER TABLE orders RENAME CONSTRAINT a TO b;", false},
		{"mysql rename index", MySQL, "RT201", "ALTER TABLE orders RENAME INDEX a TO b;", false},
		{"drop two tables one new", Postgres, "RT101", "CREATE TABLE a (id int);\nDROP TABLE IF EXISTS a, b;", true},
		{"alter if exists rename", Postgres, "RT201", "ALTER TABLE IF EXISTS customer RENAME TO client;", true},
		{"mysql lock wait", MySQL, "RT701", "SET SESSION lock_wait_timeout = 5;\nALTER TABLE orders ADD COLUMN b int;", false},
		{"mysql no lock wait", MySQL, "RT701", "ALTER TABLE orders ADD COLUMN b int;", true},
		{"new table needs no timeout", Postgres, "RT701", "CREATE TABLE t (a int);\nCREATE INDEX ti ON t (a);", false},
		{"global lock_timeout does not count", Postgres, "RT701", "SET GLOBAL lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN b int;", true},
		{"commit", SQLite, "RT703", "CREATE TABLE t (a int);\nCOMMIT;", true},
		{"balanced in no-transaction", Postgres, "RT703", "-- +no-transaction\nBEGIN;\nUPDATE t SET a = 1 WHERE a = 2;\nCOMMIT;", false},
		{"unbalanced in no-transaction", Postgres, "RT703", "-- +no-transaction\nBEGIN;\nUPDATE t SET a = 1 WHERE a = 2;", true},
		{"sqlite vacuum", SQLite, "RT704", "VACUUM;", true},
		{"sqlite vacuum outside", SQLite, "RT704", "-- +no-transaction\nVACUUM;", false},
		{"create database in tx", Postgres, "RT704", "CREATE DATABASE analytics;", true},
		{"dml in no-transaction", Postgres, "RT706", "ALTER TABLE orders ADD COLUMN s text;\n-- +no-transaction\nUPDATE orders SET s = 'x' WHERE id < 100;", false},
		{"mysql identifier 64 ok", MySQL, "RT806", "CREATE TABLE " + strings.Repeat("a", 64) + " (id int);", false},
		{"mysql identifier 65", MySQL, "RT806", "CREATE TABLE " + strings.Repeat("a", 65) + " (id int);", true},
		{"pg identifier 63 ok", Postgres, "RT806", "CREATE TABLE " + strings.Repeat("a", 63) + " (id int);", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := lintText(t, tc.dialect, tc.sql, Settings{})
			if has(got, tc.code) != tc.fires {
				t.Errorf("%s fired = %v, want %v: %v", tc.code, !tc.fires, tc.fires, codes(got))
			}
		})
	}
}

func TestLintSettings(t *testing.T) {
	sev, err := ParseRuleSettings(map[string]string{"RT301": "off", "RT101": "warning"})
	if err != nil {
		t.Fatal(err)
	}
	got := lintText(t, Postgres, "SET lock_timeout = '1s';\nCREATE INDEX i ON t (a);\nDROP TABLE old;", Settings{Severity: sev})
	if has(got, "RT301") {
		t.Errorf("RT301 off, still reported: %v", codes(got))
	}
	for _, f := range got {
		if f.Code == "RT101" && f.Severity != Warning {
			t.Errorf("RT101 severity %s, want warning", f.Severity)
		}
	}
	if _, err := ParseRuleSettings(map[string]string{"RT999": "off"}); err == nil || !strings.Contains(err.Error(), "RT999") {
		t.Errorf("unknown rule: %v", err)
	}
	if _, err := ParseRuleSettings(map[string]string{"rt301": "off"}); err == nil || !strings.Contains(err.Error(), "did you mean RT301") {
		t.Errorf("lower-case rule: %v", err)
	}
	// A lock timeout set by retort satisfies RT701.
	if got := lintText(t, Postgres, "ALTER TABLE orders ADD COLUMN b int;", Settings{LockTimeout: true}); has(got, "RT701") {
		t.Errorf("RT701 with LockTimeout: %v", codes(got))
	}
	// A statement timeout set by retort satisfies RT702, and only it.
	got = lintText(t, Postgres, "ALTER TABLE orders ADD COLUMN b int;", Settings{StatementTimeout: true})
	if has(got, "RT702") || !has(got, "RT701") {
		t.Errorf("RT702 with StatementTimeout: %v", codes(got))
	}
}

func TestLintSuppressions(t *testing.T) {
	for _, tc := range []struct {
		name, sql string
		want      []string // codes@line of the findings (the section starts at line 6)
	}{
		{"ignored", "SET lock_timeout = '1s';\n-- retort:ignore RT101 replaced by orders_v2, backup taken\nDROP TABLE public.orders;", nil},
		{"two codes", "-- retort:ignore RT101, RT701 small table\nDROP TABLE public.orders;", nil},
		{"blank line between", "SET lock_timeout = '1s';\n-- retort:ignore RT101 reason\n\nDROP TABLE public.orders;", nil},
		{"statement between", "SET lock_timeout = '1s';\n-- retort:ignore RT101 reason\nCREATE TABLE public.x (a bigint PRIMARY KEY);\nDROP TABLE public.orders;", []string{"RT902@7", "RT101@9"}},
		{"no reason", "SET lock_timeout = '1s';\n-- retort:ignore RT101\nDROP TABLE public.orders;", []string{"RT904@7", "RT101@8"}},
		{"unknown code", "SET lock_timeout = '1s';\n-- retort:ignore RT999 reason\nDROP TABLE public.orders;", []string{"RT904@7", "RT101@8"}},
		{"file wide", "-- retort:ignore-file RT101,RT701 retiring the legacy tables\nDROP TABLE public.a;\nDROP TABLE public.b;", nil},
		{"file wide unused", "-- retort:ignore-file RT301 nothing here\nCREATE TABLE public.a (id bigint PRIMARY KEY);", []string{"RT902@6"}},
		{"misspelt", "-- retort:ignores RT101 x\nCREATE TABLE public.a (id bigint PRIMARY KEY);", []string{"RT904@6"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := codes(lintText(t, Postgres, tc.sql, Settings{StatementTimeout: true})) // only the suppressions report
			if !slices.Equal(got, tc.want) {
				t.Errorf("findings %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLintDialectsMerge(t *testing.T) {
	rev, err := SQLRevision("m/a.sql", []byte(file("DROP TABLE orders;")), AllDialects())
	if err != nil {
		t.Fatal(err)
	}
	res := Lint([]*Revision{rev}, Settings{})
	var rt101 []Finding
	for _, f := range res.Findings {
		if f.Code == "RT101" {
			rt101 = append(rt101, f)
		}
	}
	if len(rt101) != 1 || !slices.Equal(rt101[0].Dialects, AllDialects()) {
		t.Errorf("RT101 findings %+v, want one for every dialect", rt101)
	}
	if !res.Failed(false) {
		t.Error("an error finding does not fail the lint")
	}
}

func TestLintProblems(t *testing.T) {
	rev := &Revision{ID: "g1", Path: "m/g1.go", Go: true, HasDowngrade: true,
		Source:   "package m\n\n// retort:ignore RT707 runs only a data fix\nvar x = 1\n",
		Problems: []Problem{{Code: "RT707", Line: 4, Message: "not compiled"}, {Code: "RT903", Line: 1, Message: "changed"}}}
	got := codes(Lint([]*Revision{rev}, Settings{}).Findings)
	if want := []string{"RT903@1"}; !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
}

// TestLintGoStatements: a Go revision's rendered statements are reported
// at the line that recorded the operation, and "// retort:ignore" above
// that line suppresses them.
func TestLintGoStatements(t *testing.T) {
	src := "package versions\n\n// retort:ignore RT301 the table is new in production\n\to.CreateIndex(\"orders\", idx)\n\to.DropTable(\"legacy\")\n"
	rev := &Revision{ID: "g1", Path: "m/g1.go", Go: true, HasDowngrade: true, Source: src,
		Statements: map[string][]Statement{Postgres: {
			{Text: "SET lock_timeout = '2s'", Line: 2},
			{Text: "CREATE INDEX \"i\" ON \"public\".\"orders\" (\"a\")", Line: 4},
			{Text: "DROP TABLE \"public\".\"legacy\"", Line: 5},
		}}}
	rev.Source += "\t// retort:ignore RT707 recomputes totals, reviewed in #12\n\to.Run(\"totals\", f)\n"
	rev.Problems = []Problem{{Code: "RT707", Line: 7, Dialect: Postgres, Message: "op.Run"}}
	got := codes(Lint([]*Revision{rev}, Settings{StatementTimeout: true}).Findings)
	if want := []string{"RT101@5"}; !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
}

// TestSchemaState reflects a scratch database of each dialect into the
// schema state C rules read, and finds its tables by the names
// statements use.
func TestSchemaState(t *testing.T) {
	for _, d := range allDialects {
		t.Run(d, func(t *testing.T) {
			sc := stateOf(t, d, "CREATE TABLE accounts (id integer PRIMARY KEY, email varchar(80) NOT NULL);")
			tests := []struct {
				name []string
				want bool
			}{
				{[]string{"accounts"}, true},
				{[]string{"ACCOUNTS"}, true},
				{[]string{"public", "accounts"}, d == Postgres}, // a qualifier names the default schema by its name
				{[]string{"main", "accounts"}, d == SQLite},
				{[]string{"audit", "accounts"}, false}, // another schema (MySQL: another database)
				{[]string{"users"}, false},
			}
			for _, tc := range tests {
				tab, ok := lookupTable(sc, sqlast.Name{Parts: tc.name}, d)
				if ok != tc.want {
					t.Errorf("%v: found %v, want %v", tc.name, ok, tc.want)
					continue
				}
				if ok {
					if col, found := tab.Column("email"); !found || col.Null {
						t.Errorf("%v: email column %+v (found %v), want NOT NULL", tc.name, col, found)
					}
				}
			}
		})
	}
}

// TestLookupTableExactCase: MySQL on Linux and quoted PostgreSQL names
// tell Users from users; the state's exact name wins over one that
// differs only in case.
func TestLookupTableExactCase(t *testing.T) {
	sc := &schema.Schema{Tables: []*schema.Table{{Name: "users"}, {Name: "Users"}}}
	for _, name := range []string{"users", "Users"} {
		if tab, ok := lookupTable(sc, sqlast.Name{Parts: []string{name}}, MySQL); !ok || tab.Name != name {
			t.Errorf("%s: found %v (%v)", name, tab, ok)
		}
	}
	if tab, ok := lookupTable(sc, sqlast.Name{Parts: []string{"USERS"}}, MySQL); !ok || tab.Name != "users" {
		t.Errorf("USERS: found %v (%v), want the first that folds to it", tab, ok)
	}
	// PostgreSQL: users is users, quoted or not; Users may be either
	// (unquoted, it folds to users).
	if tab, ok := lookupTable(sc, sqlast.Name{Parts: []string{"users"}}, Postgres); !ok || tab.Name != "users" {
		t.Errorf("postgres users: found %v (%v)", tab, ok)
	}
	if tab, ok := lookupTable(sc, sqlast.Name{Parts: []string{"Users"}}, Postgres); ok {
		t.Errorf("postgres Users: found %v, want no telling", tab)
	}
	one := &schema.Schema{Tables: []*schema.Table{{Name: "users"}}}
	if tab, ok := lookupTable(one, sqlast.Name{Parts: []string{"Users"}}, Postgres); !ok || tab.Name != "users" {
		t.Errorf("postgres Users with users alone: found %v (%v)", tab, ok)
	}
}
