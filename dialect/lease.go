package dialect

import "time"

// Leaser is an optional interface of dialects that can keep retort's lease
// lock: a row per lock key in a lock table, with an expiry on the
// database's clock that the holder keeps pushing forward. retort uses it
// where a dialect has neither a Locker nor a TxLocker, and where the user
// asks for it (PostgreSQL behind PgBouncer in transaction pooling mode,
// where session-level advisory locks do not work). The built-in dialects
// implement it.
//
// The lock table has the columns of LockColumns. Its time columns hold
// values of Now() and NowPlus, and only ever meet each other in
// comparisons, so a dialect may store them as any type whose order is the
// order of time (SQLite stores Now()'s fixed-width text).
type Leaser interface {
	// CreateLockTable returns the statements that create the lock table t
	// when it does not exist (and its schema, if it has one).
	CreateLockTable(t Table) []string
	Clock
}

// Clock is an optional interface of dialects that can write a time
// relative to Now(). The built-in dialects implement it. retort writes a
// history row's started_at online as NowPlus(-elapsed), next to a
// finished_at of Now() in the same statement, so that both come from one
// reading of the database's clock; without it, started_at is Now() when
// the row is written.
type Clock interface {
	// NowPlus is a SQL expression for Now() plus d (negative d: before
	// now; kept to the millisecond at least), of the same type as Now(),
	// so that the two compare.
	NowPlus(d time.Duration) string
}

// LockColumns are the lock table's columns, in order:
//
//	lock_key     VARCHAR(255) NOT NULL primary key: the lock's name
//	owner        VARCHAR(255) NOT NULL: who holds it (random id, host, pid)
//	acquired_at  time NOT NULL (Now()): when the holder took it
//	heartbeat_at time NOT NULL (Now()): when the holder last extended it
//	expires_at   time NOT NULL (NowPlus(ttl)): when another runner may take it over
var LockColumns = []string{"lock_key", "owner", "acquired_at", "heartbeat_at", "expires_at"}
