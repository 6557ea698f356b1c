package dialect

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Locker is an optional interface of dialects with session-level locks
// (PostgreSQL's advisory locks, MySQL's GET_LOCK). Lock takes the lock
// named key on conn, waiting at most timeout (0: no limit). retort takes
// it on the connection that then runs the steps, so that the lock and the
// work share fate: a connection that ends releases the lock and rolls back
// the step in progress together. The lock must therefore belong to the
// session, survive the commits and rollbacks of the steps' transactions,
// and be released only by unlock or the end of the session. When the
// lock is held by another session it calls onWait once, with a
// description of the holder where the database tells (for example "pid
// 1234, application retort"). It returns ErrLocked (wrapped) when the
// timeout passes. unlock releases the lock.
type Locker interface {
	Lock(ctx context.Context, conn *sql.Conn, key string, timeout time.Duration, onWait func(holder string)) (unlock func(context.Context) error, err error)
}

// ErrLocked is returned (wrapped) when a lock could not be taken in time.
var ErrLocked = errors.New("the database is locked by another migration")

// TxLocker is an optional interface of dialects whose write lock is taken
// by beginning a transaction (SQLite's BEGIN IMMEDIATE). BeginLocked begins
// a transaction on conn that holds the write lock, calling onWait once if
// it has to wait for another writer, and waiting until ctx ends or timeout
// (0: no limit) passes, then returning ErrLocked (wrapped).
type TxLocker interface {
	BeginLocked(ctx context.Context, conn *sql.Conn, timeout time.Duration, onWait func()) error
}

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

// LockColumns are the lock table's columns, in order:
//
//	lock_key     VARCHAR(255) NOT NULL primary key: the lock's name
//	owner        VARCHAR(255) NOT NULL: who holds it (random id, host, pid)
//	acquired_at  time NOT NULL (Now()): when the holder took it
//	heartbeat_at time NOT NULL (Now()): when the holder last extended it
//	expires_at   time NOT NULL (NowPlus(ttl)): when another runner may take it over
var LockColumns = []string{"lock_key", "owner", "acquired_at", "heartbeat_at", "expires_at"}
