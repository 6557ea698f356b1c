package retort

import (
	"context"
	"testing"
	"testing/fstest"
	"time"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

// TestHistory_StartedAtIsTheStart runs a step that takes stepTime and
// checks its history row: started_at is when the step began, not when it
// was recorded, and finished_at - started_at agrees with duration_ms.
func TestHistory_StartedAtIsTheStart(t *testing.T) {
	const stepTime = 300 * time.Millisecond
	for _, tc := range []struct {
		dialect string
		// span is the row's finished_at - started_at in milliseconds.
		span string
	}{
		{"sqlite", "CAST(ROUND((julianday(finished_at) - julianday(started_at)) * 86400000) AS INTEGER)"},
		{"postgres", "CAST(ROUND(EXTRACT(EPOCH FROM finished_at - started_at) * 1000) AS BIGINT)"},
		{"mysql", "TIMESTAMPDIFF(MICROSECOND, started_at, finished_at) DIV 1000"},
	} {
		t.Run(tc.dialect, func(t *testing.T) {
			db, _ := testDB(t, tc.dialect)
			ctx := testContext(t)
			fsys := fstest.MapFS{"001_r1.go": goFile("r1", "", "slow", true)}
			reg := &script.Registry{}
			reg.Add(script.GoRevision{Revision: "r1", Message: "slow",
				Upgrade: func(o *op.Ops) error {
					o.Run("take a while", func(ctx context.Context, _ op.DB) error {
						select {
						case <-time.After(stepTime): // the step's work
						case <-ctx.Done():
							return ctx.Err()
						}
						return nil
					})
					return nil
				},
				Downgrade: func(*op.Ops) error { return nil },
			})
			p := openProvider(t, db, tc.dialect, fsys, WithRevisions(reg))
			if _, err := p.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			var span, dur int64
			q := "SELECT " + tc.span + ", duration_ms FROM retort_history WHERE revision = 'r1'"
			if err := db.QueryRowContext(ctx, q).Scan(&span, &dur); err != nil {
				t.Fatal(err)
			}
			if span < stepTime.Milliseconds() {
				t.Errorf("finished_at - started_at = %d ms for a step of %s: started_at is not the start", span, stepTime)
			}
			if d := span - dur; d < -50 || d > 50 {
				t.Errorf("finished_at - started_at = %d ms, duration_ms = %d: they disagree", span, dur)
			}
		})
	}
}
