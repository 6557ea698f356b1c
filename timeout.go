package retort

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/retortdb/retort/dialect"
)

// WithDBLockTimeout bounds how long each statement of a revision waits
// for a lock that another session holds (PostgreSQL's lock_timeout,
// MySQL's and MariaDB's lock_wait_timeout): a DDL statement queued behind
// a long transaction fails after d instead of blocking every query on
// its table meanwhile. 0 (the default) leaves the database's setting.
// It is not WithLockTimeout, which bounds the wait for another runner's
// migration lock. See docs/safety.md for how each database applies it.
func WithDBLockTimeout(d time.Duration) Option {
	return func(m *Project) error {
		if d < 0 {
			return fmt.Errorf("negative database lock timeout %s", d)
		}
		m.timeouts.Lock = d
		return nil
	}
}

// WithStatementTimeout bounds how long each statement of a revision may
// run (PostgreSQL's statement_timeout, MariaDB's max_statement_time,
// MySQL's max_execution_time, which bounds SELECT statements only). 0
// (the default) leaves the database's setting.
func WithStatementTimeout(d time.Duration) Option {
	return func(m *Project) error {
		if d < 0 {
			return fmt.Errorf("negative statement timeout %s", d)
		}
		m.timeouts.Statement = d
		return nil
	}
}

// timeoutSQL is what puts the project's timeouts in effect in one run:
// nothing when none is set. q is the run's connection, nil offline. A
// dialect without settings to put them in (SQLite) ignores them, with a
// note that says so.
func (m *Project) timeoutSQL(ctx context.Context, q dialect.Querier) (dialect.TimeoutSQL, error) {
	if m.timeouts.IsZero() {
		return dialect.TimeoutSQL{}, nil
	}
	ts := m.caps.TimeoutSetter
	if ts == nil {
		return dialect.TimeoutSQL{Notes: []string{fmt.Sprintf(
			"lock_timeout and statement_timeout are ignored on %s, which has no such settings "+
				"(its only wait, for the database's write lock, is bounded by --lock-timeout)", m.d.Name())}}, nil
	}
	t, err := ts.TimeoutSQL(ctx, q, m.timeouts)
	if err != nil {
		return t, fmt.Errorf("statement timeouts: %w", err)
	}
	return t, nil
}

// timeouts is the part of a sink that puts the run's timeouts in effect
// (dialect.TimeoutSQL): in each revision's own transaction, or in the
// session around revisions that run outside one.
type timeouts struct {
	sql dialect.TimeoutSQL
	// sessionSet is set once the session settings were made: the end of
	// the run resets them.
	sessionSet bool
}

// beginRevision opens a revision's own transaction with the timeouts
// in effect in it: one call where the dialect allows ("BEGIN; SET LOCAL
// ..."), else BEGIN then each statement; BEGIN alone when none is set.
func (o *onlineSink) beginRevision(ctx context.Context) error {
	local := o.tmo.sql.Local
	if len(local) == 0 {
		return o.begin(ctx)
	}
	if o.tmo.sql.LocalWithBegin && o.m.caps.TxLocker == nil {
		o.setTx(true) // also when a SET failed after the BEGIN: rolled back
		if _, err := o.conn.ExecContext(ctx, o.m.d.Begin()+"; "+strings.Join(local, "; ")); err != nil {
			return fmt.Errorf("begin transaction with %s: %w", strings.Join(local, "; "), err)
		}
		return nil
	}
	if err := o.begin(ctx); err != nil {
		return err
	}
	for _, q := range local {
		if _, err := o.conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// sessionTimeouts puts the timeouts in effect in the session before a
// revision that runs outside a transaction, or partly.
func (o *onlineSink) sessionTimeouts(ctx context.Context) error {
	for _, q := range o.tmo.sql.Session {
		if _, err := o.conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
		o.tmo.sessionSet = true
	}
	return nil
}

// endRevisions resets the session's timeouts once the run's revisions
// are done, when sessionTimeouts set them. A reset that fails is logged:
// the revisions are committed, and the connection, discarded when the
// run ends (session.close), serves nobody else.
func (o *onlineSink) endRevisions(ctx context.Context) {
	if !o.tmo.sessionSet {
		return
	}
	o.tmo.sessionSet = false
	for _, q := range o.tmo.sql.Reset {
		if _, err := o.conn.ExecContext(ctx, q); err != nil {
			o.m.log.Warn(fmt.Sprintf("reset the session's timeouts: %s: %v", q, err))
			return
		}
	}
}

// beginRevision writes BEGIN and the transaction's settings.
func (o *offlineSink) beginRevision(ctx context.Context) error {
	if err := o.begin(ctx); err != nil {
		return err
	}
	for _, q := range o.tmo.sql.Local {
		if err := o.exec(ctx, dialect.Stmt{SQL: q}); err != nil {
			return err
		}
	}
	return nil
}

// sessionTimeouts writes the session's settings before a revision that
// runs outside a transaction.
func (o *offlineSink) sessionTimeouts(ctx context.Context) error {
	for _, q := range o.tmo.sql.Session {
		if err := o.exec(ctx, dialect.Stmt{SQL: q}); err != nil {
			return err
		}
		o.tmo.sessionSet = true
	}
	return nil
}

// endRevisions writes the reset of the session's settings at the end of
// the script, when it set them.
func (o *offlineSink) endRevisions(ctx context.Context) {
	if !o.tmo.sessionSet {
		return
	}
	o.tmo.sessionSet = false
	for _, q := range o.tmo.sql.Reset {
		_ = o.exec(ctx, dialect.Stmt{SQL: q}) // a write error stays in o.err
	}
}
