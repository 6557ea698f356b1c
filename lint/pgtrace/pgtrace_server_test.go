package pgtrace

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/lint"
)

const fixture = `
CREATE TABLE p (id int PRIMARY KEY, a int, b text);
CREATE TABLE c (id int, pid int);
CREATE INDEX pa ON p (a);
`

// TestStatement checks what the trace reads for one statement: the
// locks per relation, the rewritten and the scanned tables.
func TestStatement(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := db.SQL.ExecContext(ctx, fixture); err != nil {
		t.Fatalf("creating the fixture: %v", err)
	}
	for _, tc := range []struct {
		stmt      string
		locks     []string // "relation mode"
		rewritten []string
		scanned   []string
		err       string
	}{
		{stmt: "ALTER TABLE p ADD COLUMN note text", locks: []string{"p AccessExclusiveLock"}},
		// The rewrite reads the table and rebuilds its indexes.
		{stmt: "ALTER TABLE p ALTER COLUMN a TYPE bigint", locks: []string{"p AccessExclusiveLock", "p ShareLock", "p_pkey AccessExclusiveLock", "pa AccessExclusiveLock"},
			rewritten: []string{"p"}, scanned: []string{"p"}},
		{stmt: "ALTER TABLE p ALTER COLUMN b SET NOT NULL", locks: []string{"p AccessExclusiveLock"}, scanned: []string{"p"}},
		{stmt: "CREATE INDEX pb ON p (b)", locks: []string{"p ShareLock"}, scanned: []string{"p"}},
		{stmt: "CREATE TABLE e (id int)"},
		{stmt: "INSERT INTO c VALUES (1, 1)", locks: []string{"c RowExclusiveLock"}},
		{stmt: "SELECT * FROM c", locks: []string{"c AccessShareLock"}, scanned: []string{"c"}},
		{stmt: "VACUUM FULL c", rewritten: []string{"c"}},
		{stmt: "ALTER TABLE nosuch ADD COLUMN x int", err: `relation "nosuch" does not exist`},
	} {
		t.Run(tc.stmt, func(t *testing.T) {
			tr, err := Statement(ctx, db.SQL, tc.stmt)
			if err != nil {
				t.Fatal(err)
			}
			if tc.err != "" {
				if !strings.Contains(tr.Error, tc.err) {
					t.Errorf("error %q, want one with %q", tr.Error, tc.err)
				}
				return
			}
			if tr.Error != "" {
				t.Fatalf("the statement failed: %s", tr.Error)
			}
			var locks []string
			for _, l := range tr.Locks {
				locks = append(locks, l.Relation+" "+string(l.Mode))
			}
			if !tr.OutsideTx && !slices.Equal(locks, tc.locks) {
				t.Errorf("locks %q, want %q", locks, tc.locks)
			}
			if !slices.Equal(tr.Rewritten, tc.rewritten) {
				t.Errorf("rewritten %q, want %q", tr.Rewritten, tc.rewritten)
			}
			if !slices.Equal(tr.Scanned, tc.scanned) {
				t.Errorf("scanned %q, want %q", tr.Scanned, tc.scanned)
			}
		})
	}
	// Everything was rolled back but VACUUM FULL, which ran outside.
	var n int
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM pg_class WHERE relname IN ('e', 'pb')").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("the trace left %d relations behind", n)
	}
}

// TestRevision traces a revision whose statements depend on each other
// and one that cannot run in a transaction.
func TestRevision(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := db.SQL.ExecContext(ctx, fixture); err != nil {
		t.Fatalf("creating the fixture: %v", err)
	}
	rev := &lint.Revision{ID: "r1", Path: "migrations/r1.sql", Statements: map[string][]lint.Statement{lint.Postgres: {
		{Text: "CREATE TABLE t (id int)", Line: 3},
		{Text: "ALTER TABLE t ADD COLUMN x int", Line: 4},
		{Text: "BEGIN", Line: 5},
		{Text: "ALTER TABLE p ALTER COLUMN a TYPE bigint", Line: 6},
	}}}
	res, err := Revision(ctx, db.SQL, rev)
	if err != nil {
		t.Fatal(err)
	}
	if res.Committed {
		t.Error("Committed set for a revision that ran in one transaction")
	}
	tr := res.Traces
	if len(tr) != 4 {
		t.Fatalf("%d traces, want 4", len(tr))
	}
	// CREATE TABLE took ACCESS EXCLUSIVE on t: the ALTER TABLE after it
	// takes nothing new, and that is no disagreement.
	if tr[1].Error != "" || len(tr[1].Locks) != 0 || !slices.Contains(tr[1].Held, lint.TraceLock{Relation: "t", Mode: lint.AccessExclusive}) || tr[1].Disagrees() {
		t.Errorf("ALTER TABLE of the table the revision created: %+v", tr[1])
	}
	if tr[2].Skipped == "" {
		t.Errorf("BEGIN was run: %+v", tr[2])
	}
	if !slices.Equal(tr[3].Rewritten, []string{"p"}) || tr[3].Line != 6 || tr[3].File != "migrations/r1.sql" {
		t.Errorf("the type change: %+v", tr[3])
	}
	var n int
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM pg_class WHERE relname = 't'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the revision was not rolled back (%d, %v)", n, err)
	}

	// CONCURRENTLY runs outside the transaction, after committing the
	// statements before it, even when the file does not mark it.
	rev.Statements[lint.Postgres] = []lint.Statement{
		{Text: "SET statement_timeout = '5min'", Line: 2},
		{Text: "CREATE TABLE t2 (id int)", Line: 3},
		{Text: "CREATE INDEX CONCURRENTLY t2_id ON t2 (id)", Line: 4},
		{Text: "CREATE INDEX CONCURRENTLY pb ON p (b)", Line: 5, NoTx: true},
	}
	res, err = Revision(ctx, db.SQL, rev)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Committed || !res.Traces[2].OutsideTx || res.Traces[2].Error != "" || !res.Traces[3].OutsideTx {
		t.Errorf("CONCURRENTLY: %+v", res)
	}
	// The SET committed with the statements before CONCURRENTLY does not
	// reach the next user of the pool.
	db.SQL.SetMaxOpenConns(1)
	var timeout string
	if err := db.SQL.QueryRowContext(ctx, "SHOW statement_timeout").Scan(&timeout); err != nil || timeout != "0" {
		t.Errorf("statement_timeout after the trace: %q, %v", timeout, err)
	}
}

// TestPostgresLockAgrees checks lint.PostgresLock, the static lock
// class, against the trace of each statement of
// lint/testdata/corpus/pglock.sql on a database where
// testdata/pglock-fixture.sql ran: where PostgresLock knows a statement,
// the strongest lock the server shows must be the one it gives. Each case
// runs on its own database made from the fixture.
func TestPostgresLockAgrees(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", "pglock.sql"))
	if err != nil {
		t.Fatal(err)
	}
	fix, err := os.ReadFile(filepath.Join("testdata", "pglock-fixture.sql"))
	if err != nil {
		t.Fatal(err)
	}
	// What a case needs beyond the fixture, where cases disagree on a
	// table (one adds orders.customer_id, another uses it).
	extra := map[string]string{
		"rails add_foreign_key validate false then validate": "ALTER TABLE orders ADD customer_id bigint",
		"rails validate in the same transaction":             "ALTER TABLE orders ADD customer_id bigint",
		"hand-written trigger on new table":                  "CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
		"hand-written domain constraint not valid":           "CREATE DOMAIN positive_amount AS numeric(12, 2)",
	}
	// The statements PostgreSQL refuses, by case: the failure lint
	// warns of, or one of the corpus's near-misses.
	fails := map[string]string{
		"hand-written unique using index":      "contains expressions",    // a unique index on lower(email) cannot back a constraint
		"hand-written enum value used at once": "unsafe use of new value", // a new enum value used in the transaction that adds it
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	compared := 0
	for _, part := range strings.Split(string(src), "\n-- case: ")[1:] {
		name, body, _ := strings.Cut(part, "\n")
		t.Run(name, func(t *testing.T) {
			db := dbtest.Postgres(t)
			if _, err := db.SQL.ExecContext(ctx, string(fix)); err != nil {
				t.Fatalf("the fixture: %v", err)
			}
			if x := extra[name]; x != "" {
				if _, err := db.SQL.ExecContext(ctx, x); err != nil {
					t.Fatalf("the case's fixture: %v", err)
				}
			}
			rev, err := lint.SQLRevision("case.sql", []byte("-- revision: c1\n-- down_revision:\n\n-- +upgrade\n"+body), []string{lint.Postgres})
			if err != nil {
				t.Fatal(err)
			}
			res, err := Revision(ctx, db.SQL, rev)
			if err != nil {
				t.Fatal(err)
			}
			for _, tr := range res.Traces {
				if tr.Error != "" && fails[name] != "" && strings.Contains(tr.Error, fails[name]) {
					continue
				}
				if tr.Error != "" {
					t.Errorf("line %d failed on the fixture: %s\n%s", tr.Line, tr.Error, tr.Statement)
					continue
				}
				if tr.Disagrees() {
					t.Errorf("line %d: PostgresLock says %q, the server took %q %v\n%s", tr.Line, tr.Static, tr.Strongest, tr.Locks, tr.Statement)
				}
				if tr.Known && !tr.OutsideTx && tr.Skipped == "" {
					compared++
				}
			}
		})
	}
	if compared < 40 {
		t.Errorf("compared %d statements, want 40 or more", compared)
	}
}

// TestServerWideNotTraced: a statement that acts on the server outside
// the scratch database (DROP DATABASE, CREATE ROLE) is not run: the
// server refuses DROP DATABASE in a transaction block, and run outside
// one it would drop a database beside the scratch one.
func TestServerWideNotTraced(t *testing.T) {
	scratch := dbtest.Postgres(t)
	victim := dbtest.Postgres(t)
	ctx := context.Background()
	role := "retort_trace_role_" + strings.TrimPrefix(victim.Name, "retort_test_")
	for _, stmt := range []string{"DROP DATABASE " + victim.Name + " WITH (FORCE)", "CREATE ROLE " + role} {
		tr, err := Statement(ctx, scratch.SQL, stmt)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Skipped == "" {
			t.Errorf("%s: traced (%+v), want skipped", stmt, tr)
		}
	}
	var one int
	if err := victim.SQL.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		t.Errorf("the database beside the scratch one: %v", err)
	}
	var n int
	if err := scratch.SQL.QueryRowContext(ctx, "SELECT count(*) FROM pg_roles WHERE rolname = $1", role).Scan(&n); err != nil || n != 0 {
		_, _ = scratch.SQL.ExecContext(ctx, "DROP ROLE IF EXISTS "+role)
		t.Errorf("the trace made role %s (%v)", role, err)
	}
}
