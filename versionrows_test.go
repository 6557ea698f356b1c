package retort

import (
	"errors"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
)

// TestVersionRows_MovedByBody: a body that moves the version row itself
// makes its step's version change match no row. However the change is
// written (alone, joined with the history row in a WITH clause on
// PostgreSQL, or in one multi-table UPDATE with the clean mark on MySQL),
// the run stops with a *VersionRowsError naming the change; on MySQL,
// where the body committed, the step stays dirty.
func TestVersionRows_MovedByBody(t *testing.T) {
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			db, _ := testDB(t, dn)
			ctx := testContext(t)
			fsys := revisionFS(
				"CREATE TABLE t1 (id INTEGER);",
				"UPDATE retort_version SET version_num = 'elsewhere';",
			)
			p := openProvider(t, db, dn, fsys)
			_, err := p.Upgrade(ctx, "head")
			var vr *VersionRowsError
			if !errors.As(err, &vr) || vr.From != "r1" || vr.To != "r2" || vr.Rows != 0 {
				t.Fatalf("Upgrade = %v, want a VersionRowsError of r1 -> r2 with 0 rows", err)
			}
			if got, want := errors.Is(err, ErrDirty), dn == "mysql"; got != want {
				t.Errorf("errors.Is(err, ErrDirty) = %v, want %v: %v", got, want, err)
			}
		})
	}
}
