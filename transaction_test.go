package retort

import (
	"errors"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
)

// TestTransactionPer: a run whose third revision fails. With one
// transaction per run nothing of it stays; with one per migration the
// first two stay applied.
func TestTransactionPer(t *testing.T) {
	fsys := revisionFS(
		"CREATE TABLE t1 (id INTEGER);", // the starting revision
		"CREATE TABLE t2 (id INTEGER);\nINSERT INTO t1 (id) VALUES (2);",
		"CREATE TABLE t3 (id INTEGER);\nINSERT INTO t1 (id) VALUES (3);",
		"INSERT INTO t1 (id) VALUES (4);\nINSERT INTO no_such_table (id) VALUES (4);",
	)
	for _, tc := range []struct {
		dialect string
		perRun  bool
		lease   bool     // with the lease lock
		want    string   // the version after the failed run
		tables  []string // t2, t3 as they exist after it
		rows    int      // rows of t1
	}{
		{"sqlite", true, false, "r1", nil, 0},
		{"sqlite", false, false, "r3", []string{"t2", "t3"}, 2},
		{"postgres", true, false, "r1", nil, 0},
		{"postgres", false, false, "r3", []string{"t2", "t3"}, 2},
		{"postgres", true, true, "r1", nil, 0},
		{"postgres", false, true, "r3", []string{"t2", "t3"}, 2},
		{"mysql", false, false, "r3", []string{"t2", "t3"}, 3}, // the failed step's first INSERT committed: it is dirty
		{"mysql", false, true, "r3", []string{"t2", "t3"}, 3},
	} {
		name := tc.dialect + "/per-migration"
		if tc.perRun {
			name = tc.dialect + "/per-run"
		}
		opts := []Option{WithTransactionPerRun(tc.perRun)}
		if tc.lease {
			name += "/lease"
			opts = append(opts, WithLeaseLock(liveTTL))
		}
		t.Run(name, func(t *testing.T) {
			db, _ := testDB(t, tc.dialect)
			ctx := testContext(t)
			p := openProvider(t, db, tc.dialect, fsys, opts...)
			if _, err := p.Upgrade(ctx, "r1"); err != nil {
				t.Fatal(err)
			}
			_, err := p.Upgrade(ctx, "head")
			var se *StmtError
			if !errors.As(err, &se) || se.Revision != "r4" {
				t.Fatalf("Upgrade = %v, want a StmtError of r4", err)
			}
			var pe *PartialError
			switch {
			case tc.perRun && errors.As(err, &pe) && len(pe.Applied) > 0:
				t.Errorf("per-run upgrade reports %v applied", pe.Applied)
			case !tc.perRun && (!errors.As(err, &pe) || strings.Join(pe.Applied, ",") != "r2,r3"):
				t.Errorf("per-migration upgrade: %#v, want r2 and r3 applied", err)
			}
			cur, err := p.Current(ctx)
			if err != nil || strings.Join(cur, ",") != tc.want {
				t.Errorf("Current = %v, %v; want %s", cur, err, tc.want)
			}
			var tables []string
			for _, name := range []string{"t2", "t3"} {
				ok, err := p.proj.d.TableExists(ctx, db, dialect.Table{Name: name})
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					tables = append(tables, name)
				}
			}
			if strings.Join(tables, ",") != strings.Join(tc.tables, ",") {
				t.Errorf("tables %v exist, want %v", tables, tc.tables)
			}
			var n int
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM t1").Scan(&n); err != nil || n != tc.rows {
				t.Errorf("t1 has %d rows (%v), want %d", n, err, tc.rows)
			}
			hist, err := p.History(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var ran []string
			for _, h := range hist {
				if !h.Dirty {
					ran = append(ran, h.Revision)
				}
			}
			want := "r1"
			if !tc.perRun {
				want = "r1,r2,r3"
			}
			if strings.Join(ran, ",") != want {
				t.Errorf("history records %v as done, want %s", ran, want)
			}
		})
	}
}

// TestTransactionPerRun_MySQL: MySQL commits DDL implicitly, so a run
// cannot be one transaction; asking for it is refused before anything
// connects, saying why and what to use.
func TestTransactionPerRun_MySQL(t *testing.T) {
	_, err := Open(nil, newDialect("mysql"), revisionFS("SELECT 1;"), WithTransactionPerRun(true))
	if err == nil {
		t.Fatal("MySQL accepted transaction_per = \"run\"")
	}
	for _, want := range []string{`transaction_per = "run"`, "transactional DDL", "mysql", `use transaction_per = "migration"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if _, err := Open(nil, newDialect("mysql"), revisionFS("SELECT 1;"), WithTransactionPerRun(false)); err != nil {
		t.Errorf("per-migration on MySQL: %v", err)
	}
}
