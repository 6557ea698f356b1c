package dialect

import (
	"context"
	"time"
)

// Timeouts bound each statement of a revision: how long it may wait for
// a lock another session holds (Lock: PostgreSQL's lock_timeout, MySQL's
// lock_wait_timeout) and how long it may run (Statement: PostgreSQL's
// statement_timeout, MariaDB's max_statement_time, MySQL's
// max_execution_time). Zero leaves the database's own setting.
type Timeouts struct {
	Lock      time.Duration
	Statement time.Duration
}

// IsZero reports whether neither timeout is set.
func (t Timeouts) IsZero() bool { return t.Lock <= 0 && t.Statement <= 0 }

// TimeoutSetter is an optional interface of dialects that can put
// Timeouts in effect for the statements of a revision. A dialect without
// it has no such settings (SQLite: its only wait is for the database's
// write lock, which retort bounds itself with WithLockTimeout), and the
// engine ignores the timeouts with a warning.
type TimeoutSetter interface {
	// TimeoutSQL returns the statements that put t in effect. q is the
	// run's connection online, which the dialect may read once per run
	// to learn what the server is (MariaDB or MySQL); it is nil offline,
	// where the script must serve whatever server runs it. It returns
	// an error only when q cannot be read.
	TimeoutSQL(ctx context.Context, q Querier, t Timeouts) (TimeoutSQL, error)
}

// TimeoutSQL is what a TimeoutSetter writes for one run.
type TimeoutSQL struct {
	// Local run first in a revision's own transaction and end with it
	// (PostgreSQL's SET LOCAL); nil where the dialect has no
	// transaction-scoped settings.
	Local []string
	// LocalWithBegin: Local may be sent with the transaction's BEGIN in
	// one call, "BEGIN; SET LOCAL ...", one round trip (the driver runs
	// a call without arguments as one simple query of several
	// statements).
	LocalWithBegin bool
	// Session run before a revision that runs outside a transaction, or
	// partly (PostgreSQL's -- +no-transaction statements, MySQL's DDL):
	// they last until Reset.
	Session []string
	// Reset undo Session once the run's revisions are done: PostgreSQL's
	// RESET returns to the values the session connected with, MySQL's
	// DEFAULT to the server's global values.
	Reset []string
	// Notes are what the user should be told once per run: a value
	// rounded to what the server can hold, a setting with no effect on
	// some statements.
	Notes []string
}
