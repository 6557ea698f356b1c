package retort_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
)

// TestPreflight: WithPreflight's checks see the steps an upgrade is
// about to run and its connection; an error refuses the upgrade with
// nothing made (no table, no version table), online and offline;
// downgrades and upgrades with nothing to do call none.
func TestPreflight(t *testing.T) {
	refuse := errors.New("not today")
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			ctx := context.Background()
			db := dbtest.For(t, dn)
			type call struct {
				steps   []string
				offline bool
			}
			var calls []call
			var deny bool
			check := func(ctx context.Context, run *retort.PreflightRun) error {
				var ids []string
				for _, st := range run.Steps {
					ids = append(ids, st.Revision)
				}
				calls = append(calls, call{ids, run.Offline()})
				if run.Conn != nil {
					var one int
					if err := run.Conn.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
						return err
					}
				}
				if deny {
					return refuse
				}
				return nil
			}
			p := open(t, db, linear(), retort.WithPreflight(check))

			deny = true
			res, err := p.Upgrade(ctx, "head")
			var pe *retort.PreflightError
			if !errors.As(err, &pe) || !errors.Is(err, refuse) || err.Error() != "not today" {
				t.Fatalf("refused upgrade: %v, want a *PreflightError of the check's error", err)
			}
			if len(res.Steps) != 0 {
				t.Errorf("refused, and %d steps ran", len(res.Steps))
			}
			if cur, err := p.Current(ctx); err != nil || len(cur) != 0 {
				t.Errorf("refused, and current is %v (%v)", cur, err)
			}
			if _, err := db.SQL.ExecContext(ctx, "SELECT count(*) FROM t"); err == nil {
				t.Error("refused, and table t was made")
			}
			// Nothing of retort's own is left: no version nor history
			// table, and no row in a lock table (SQLite and MySQL lock
			// through one; it may stay, empty, as after any run).
			pr := p.Project()
			for _, tb := range []string{pr.VersionTable().Name, pr.HistoryTable().Name} {
				if _, err := db.SQL.ExecContext(ctx, "SELECT count(*) FROM "+tb); err == nil {
					t.Errorf("refused, and table %s was made", tb)
				}
			}
			var locks int
			if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM "+pr.LockTable().Name).Scan(&locks); err == nil && locks != 0 {
				t.Errorf("refused, and the lock table %s keeps %d rows", pr.LockTable().Name, locks)
			}
			want := []call{{[]string{"aaaa", "bbbb", "cccc"}, false}}

			deny = false
			if _, err := p.Upgrade(ctx, "bbbb"); err != nil {
				t.Fatal(err)
			}
			want = append(want, call{[]string{"aaaa", "bbbb"}, false})
			if _, err := p.Upgrade(ctx, "bbbb"); err != nil { // nothing to do
				t.Fatal(err)
			}
			if _, err := p.Downgrade(ctx, "aaaa"); err != nil {
				t.Fatal(err)
			}

			// Offline: the same check, without a connection; refused,
			// no script.
			var buf bytes.Buffer
			deny = true
			if err := p.Project().WriteUpgradeSQL(ctx, &buf, "aaaa:cccc"); !errors.Is(err, refuse) || buf.Len() != 0 {
				t.Errorf("refused script: %v, %d bytes written", err, buf.Len())
			}
			want = append(want, call{[]string{"bbbb", "cccc"}, true})
			deny = false
			if err := p.Project().WriteUpgradeSQL(ctx, &buf, "cccc"); err != nil || buf.Len() == 0 {
				t.Errorf("script: %v, %d bytes", err, buf.Len())
			}
			want = append(want, call{[]string{"aaaa", "bbbb", "cccc"}, true})
			if !slices.EqualFunc(calls, want, func(a, b call) bool { return slices.Equal(a.steps, b.steps) && a.offline == b.offline }) {
				t.Errorf("preflight calls %v, want %v", calls, want)
			}
		})
	}
	if _, err := retort.LoadProject(dialectOf("sqlite"), linear(), retort.WithPreflight(nil)); err == nil {
		t.Error("WithPreflight(nil) accepted")
	}
}
