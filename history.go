package retort

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/revision"
)

// historyRecord is one history row as the engine writes it (HistoryRow is
// the row as read back); historyInsert renders it. The tag, host, user and
// retort version of the row are the Project's.
type historyRecord struct {
	revision  string // the step's revision; a stamp's names where it goes
	direction string // "up", "down", "stamp" or "baseline"
	checksum  string
	dirty     bool
	stmtIndex int // statements done
	// start and finish are read on retort's monotonic clock; finish is
	// zero for a row written as its step starts.
	start, finish time.Time
}

// historyInsert renders the insertion of h. Times come from the
// database's clock. A row written when its step finished (finish set) is
// written online with started_at = NowPlus(-elapsed), finished_at = Now()
// and duration_ms = elapsed, where elapsed is finish - start on retort's
// monotonic clock: one reading of the database's clock gives both ends, so
// finished_at - started_at is the duration. A row written when its step
// starts (dirty) has started_at = Now(). Offline, every time is Now() of
// the moment the script runs the statement, and the duration is unknown.
func (m *Project) historyInsert(b *stmtBuilder, h historyRecord) (dialect.Stmt, error) {
	started := func(b *stmtBuilder) { b.p(m.d.Now()) }
	if b.bind && !h.finish.IsZero() {
		elapsed := h.finish.Sub(h.start)
		if c := m.caps.BoundClock; c != nil {
			// The duration bound: the statement's text is the same for
			// every row (one prepared statement in pgx's cache).
			started = func(b *stmtBuilder) { b.expr(c.NowMinusMicros, elapsed.Microseconds()) }
		} else if c := m.caps.Clock; c != nil {
			started = func(b *stmtBuilder) { b.p(c.NowPlus(-elapsed)) }
		}
	}
	// tag is named only when there is one, so that an offline script
	// without a tag runs on a history table of any layout.
	tagCol := ""
	if m.tag != "" {
		tagCol = ", tag"
	}
	b.p("INSERT INTO ").table(m.historyTable).
		p(" (revision, direction, checksum, started_at, finished_at, duration_ms, db_user, hostname, retort_version, dirty, stmt_index" + tagCol + ") VALUES (").
		v(h.revision).p(", ").v(h.direction).p(", ").v(h.checksum).p(", ")
	started(b)
	b.p(", ")
	switch {
	case h.finish.IsZero():
		b.p("NULL, NULL")
	case b.bind:
		b.p(m.d.Now()).p(", ").v(h.finish.Sub(h.start).Milliseconds())
	default:
		b.p(m.d.Now()).p(", NULL")
	}
	d := 0
	if h.dirty {
		d = 1
	}
	b.p(", ").p(m.d.CurrentUser()).p(", ").v(m.hostname).p(", ").v(Version).p(", ").v(d).p(", ").v(h.stmtIndex)
	if m.tag != "" {
		b.p(", ").v(m.tag)
	}
	b.p(")")
	return b.done()
}

// historyProgress records that n statements of the dirty step completed.
func (m *Project) historyProgress(b *stmtBuilder, rev string, n int) (dialect.Stmt, error) {
	b.p("UPDATE ").table(m.historyTable).p(" SET stmt_index = ").v(n).
		p(" WHERE dirty = 1 AND revision = ").v(rev)
	return b.done()
}

// historyFinish marks the dirty step of rev clean and finished.
func (m *Project) historyFinish(b *stmtBuilder, rev string, n int, start time.Time) (dialect.Stmt, error) {
	b.p("UPDATE ").table(m.historyTable).p(" SET dirty = 0, stmt_index = ").v(n).
		p(", finished_at = ").p(m.d.Now())
	if b.bind {
		b.p(", duration_ms = ").v(time.Since(start).Milliseconds())
	}
	b.p(" WHERE dirty = 1 AND revision = ").v(rev)
	return b.done()
}

// record writes a finished step's history row and version changes.
// h.finish is set to now.
func (m *Project) record(ctx context.Context, out sink, step revision.Step, h historyRecord) error {
	h.finish = time.Now()
	b := out.stmt()
	if c := m.caps.ModifyingCTE; c != nil && c.ModifyingCTE() && b.bind && len(step.Ops) == 1 {
		// One statement, one round trip: the row in a WITH clause of the
		// version change, whose row count is the change's.
		b.p("WITH h AS (")
		if _, err := m.historyInsert(b, h); err != nil {
			return err
		}
		b.p(") ")
		st, err := m.versionStmt(b, step.Ops[0])
		if err != nil {
			return err
		}
		if err := out.versionChange(ctx, st, step.Ops[0]); err != nil {
			var vr *VersionRowsError
			if errors.As(err, &vr) {
				return err
			}
			return fmt.Errorf("record %s in %s: %w", h.revision, m.historyTable, err)
		}
		return nil
	}
	ins, err := m.historyInsert(b, h)
	if err != nil {
		return err
	}
	if err := out.exec(ctx, ins); err != nil {
		return fmt.Errorf("record %s in %s: %w", h.revision, m.historyTable, err)
	}
	for _, op := range step.Ops {
		if err := m.execVersionOp(ctx, out, op); err != nil {
			return err
		}
	}
	return nil
}

// versionStmt renders one version-table change.
func (m *Project) versionStmt(b *stmtBuilder, op revision.VersionOp) (dialect.Stmt, error) {
	switch op.Kind {
	case revision.Insert:
		b.p("INSERT INTO ").table(m.versionTable).p(" (version_num) VALUES (").v(op.To).p(")")
	case revision.Delete:
		b.p("DELETE FROM ").table(m.versionTable).p(" WHERE version_num = ").v(op.From)
	case revision.Update:
		b.p("UPDATE ").table(m.versionTable).p(" SET version_num = ").v(op.To).p(" WHERE version_num = ").v(op.From)
	}
	return b.done()
}
