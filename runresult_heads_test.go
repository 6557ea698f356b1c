package retort_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
)

// TestRunResult_Heads: a run that succeeds says where it left the
// database (RunResult.Heads, Current's answer) without another read, on
// each dialect, for one transaction per revision and per run, on a graph
// with two heads and a merge; a failed run does not claim to know.
func TestRunResult_Heads(t *testing.T) {
	branchy := fstest.MapFS{
		"1_a.sql": rev("aaaa", "", "CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY);", "DROP TABLE t;"),
		"2_b.sql": rev("bbbb", "aaaa", "INSERT INTO t (id) VALUES (1);", "DELETE FROM t WHERE id = 1;"),
		"3_c.sql": rev("cccc", "aaaa", "INSERT INTO t (id) VALUES (2);", "DELETE FROM t WHERE id = 2;"),
		"4_m.sql": rev("dddd", "bbbb, cccc", "INSERT INTO t (id) VALUES (3);", "DELETE FROM t WHERE id = 3;"),
		"5_x.sql": rev("eeee", "dddd", "INSERT INTO t (id) VALUES (1);", "-"), // fails: duplicate key
	}
	for _, name := range dbtest.Dialects {
		for _, perRun := range []bool{false, true} {
			if perRun && name == "mysql" {
				continue // MySQL's DDL commits: no one transaction for a run
			}
			t.Run(name+map[bool]string{false: "/per-revision", true: "/per-run"}[perRun], func(t *testing.T) {
				ctx := context.Background()
				p := open(t, dbtest.For(t, name), branchy, retort.WithTransactionPerRun(perRun))
				check := func(what string, res *retort.RunResult, err error) {
					t.Helper()
					if err != nil {
						t.Fatalf("%s: %v", what, err)
					}
					cur, err := p.Current(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if !res.HeadsRead || !slices.Equal(res.Heads, cur) {
						t.Fatalf("%s: Heads %v (read %v), Current %v", what, res.Heads, res.HeadsRead, cur)
					}
				}
				res, err := p.Upgrade(ctx, "bbbb")
				check("upgrade bbbb", res, err)
				res, err = p.Upgrade(ctx, "cccc")
				check("upgrade cccc (two heads)", res, err)
				res, err = p.Upgrade(ctx, "dddd")
				check("upgrade dddd (the merge)", res, err)
				res, err = p.Upgrade(ctx, "dddd")
				check("upgrade dddd again (nothing to do)", res, err)
				res, err = p.Downgrade(ctx, "bbbb")
				check("downgrade to bbbb (through the merge)", res, err)
				res, err = p.Downgrade(ctx, "base")
				check("downgrade base", res, err)
				if res, err = p.Upgrade(ctx, "head"); err == nil || res.HeadsRead {
					t.Fatalf("a failing upgrade: err %v, Heads %v read %v; want an error and no heads", err, res.Heads, res.HeadsRead)
				}
			})
		}
	}
}

// TestRunResult_HeadsAfterReplan: when another runner moves the database
// between the run's plan and its first step (SQLite, whose lock is each
// transaction's), the run plans again from where the database is, and
// its Heads are still Current's answer: forward on one branch, onto the
// other branch (two heads), and past the target (nothing left to do).
func TestRunResult_HeadsAfterReplan(t *testing.T) {
	branchy := fstest.MapFS{
		"1_a.sql": rev("aaaa", "", "CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY);", "DROP TABLE t;"),
		"2_b.sql": rev("bbbb", "aaaa", "INSERT INTO t (id) VALUES (1);", "DELETE FROM t WHERE id = 1;"),
		"3_c.sql": rev("cccc", "aaaa", "INSERT INTO t (id) VALUES (2);", "DELETE FROM t WHERE id = 2;"),
		"4_m.sql": rev("dddd", "bbbb, cccc", "INSERT INTO t (id) VALUES (3);", "DELETE FROM t WHERE id = 3;"),
	}
	for _, tc := range []struct {
		name                 string
		start, other, target string
		want                 []string
	}{
		{"forward on the branch", "", "bbbb", "dddd", []string{"dddd"}},
		{"onto the other branch", "aaaa", "cccc", "bbbb", []string{"bbbb", "cccc"}},
		{"past the target", "aaaa", "dddd", "bbbb", []string{"dddd"}},
	} {
		for _, perRun := range []bool{false, true} {
			t.Run(tc.name+map[bool]string{false: "/per-revision", true: "/per-run"}[perRun], func(t *testing.T) {
				ctx := context.Background()
				db := dbtest.For(t, "sqlite")
				otherDB, err := sql.Open(db.Driver, db.DSN)
				if err != nil {
					t.Fatal(err)
				}
				defer otherDB.Close()
				other, err := retort.Open(otherDB, dialectOf("sqlite"), branchy)
				if err != nil {
					t.Fatal(err)
				}
				if tc.start != "" {
					if _, err := other.Upgrade(ctx, tc.start); err != nil {
						t.Fatal(err)
					}
				}
				moved := false
				p := open(t, db, branchy, retort.WithTransactionPerRun(perRun), retort.WithPreflight(func(ctx context.Context, _ *retort.PreflightRun) error {
					if !moved {
						moved = true
						_, err := other.Upgrade(ctx, tc.other) // another runner, between the plan and the first step
						return err
					}
					return nil
				}))
				res, err := p.Upgrade(ctx, tc.target)
				if err != nil {
					t.Fatal(err)
				}
				if !moved {
					t.Fatal("the other runner did not run")
				}
				cur, err := p.Current(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(cur, tc.want) || !res.HeadsRead || !slices.Equal(res.Heads, cur) {
					t.Fatalf("Heads %v (read %v), Current %v, want %v", res.Heads, res.HeadsRead, cur, tc.want)
				}
			})
		}
	}
}
