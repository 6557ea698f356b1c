package mysql

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/retortdb/retort/dialect"
)

// maxLockName is the longest lock name MySQL 5.7 and later accept, in
// characters.
const maxLockName = 64

// LockName is the name of the GET_LOCK lock that Lock takes for key: key
// itself when it is valid UTF-8 of 1 to 64 bytes, otherwise "retort:"
// and the first 24 hex digits of key's SHA-256.
func LockName(key string) string {
	if key != "" && len(key) <= maxLockName && utf8.ValidString(key) {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return "retort:" + hex.EncodeToString(sum[:])[:24]
}

// LockNameIn is the name of the GET_LOCK lock that Lock takes for key on
// a connection whose current database is database: LockName(key + "@" +
// database), or LockName(key) when no database is selected. GET_LOCK names
// are server-wide, so the database is part of the name: migrations of two
// databases on one server do not wait for each other, while runners on
// the same database do.
func LockNameIn(database, key string) string {
	if database == "" {
		return LockName(key)
	}
	return LockName(key + "@" + database)
}

// lockSlice is how long one GET_LOCK call waits; MySQL takes whole
// seconds.
const lockSlice = 1

// Lock implements dialect.Locker with GET_LOCK(LockNameIn(DATABASE(),
// key), ...) on conn: the lock is scoped to conn's current database. It
// first tries without waiting; when another session holds the
// lock it calls onWait once with that session's connection id (and its
// user, host, database and state when information_schema.PROCESSLIST
// shows them), then waits in one-second GET_LOCK calls until it gets the
// lock, ctx ends or timeout (0: no limit) has passed, when it returns an
// error wrapping dialect.ErrLocked. The wait can exceed timeout by up to
// a second.
//
// The lock belongs to conn's session: it is released by unlock, or by the
// server when the connection closes or dies (returning conn to its pool
// with Close does not close the connection). When a GET_LOCK or
// RELEASE_LOCK call fails, so that it is not known whether the session
// still holds the lock (ctx ended during the call, the connection broke),
// Lock and unlock close conn's connection: the server then frees the
// lock, and conn returns sql.ErrConnDone. unlock after a successful
// unlock does nothing.
func (*Dialect) Lock(ctx context.Context, conn *sql.Conn, key string, timeout time.Duration, onWait func(holder string)) (func(context.Context) error, error) {
	var database sql.NullString
	if err := conn.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&database); err != nil {
		return nil, fmt.Errorf("read the current database for MySQL lock %q: %w", key, err)
	}
	name := LockNameIn(database.String, key)
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	holder := ""
	for attempt := 0; ; attempt++ {
		wait := 0
		if attempt > 0 {
			wait = lockSlice
		}
		got, err := getLock(ctx, conn, name, wait)
		if err != nil {
			// The server may have granted the lock all the same.
			discard(conn)
			if ctx.Err() != nil {
				return nil, fmt.Errorf("wait for MySQL lock %q: %w", name, ctx.Err())
			}
			return nil, err
		}
		if got {
			break
		}
		if attempt == 0 {
			holder = lockHolder(ctx, conn, name)
			if onWait != nil {
				onWait(holder)
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("wait for MySQL lock %q: %w", name, err)
		}
		if !deadline.IsZero() && !time.Now().Before(deadline) {
			if h := lockHolder(ctx, conn, name); h != "" {
				holder = h
			}
			if holder == "" {
				holder = "another session"
			}
			return nil, fmt.Errorf("MySQL lock %q held by %s, not free after %s: %w", name, holder, timeout, dialect.ErrLocked)
		}
	}
	var mu sync.Mutex
	released := false
	unlock := func(ctx context.Context) error {
		mu.Lock()
		defer mu.Unlock()
		if released {
			return nil
		}
		var r sql.NullInt64
		if err := conn.QueryRowContext(ctx, "SELECT RELEASE_LOCK(?)", name).Scan(&r); err != nil {
			// Closing the session is the other way to release it.
			discard(conn)
			released = true
			return fmt.Errorf("release MySQL lock %q (closed the connection instead): %w", name, err)
		}
		released = true
		if !r.Valid || r.Int64 != 1 {
			return fmt.Errorf("release MySQL lock %q: this connection no longer held it", name)
		}
		return nil
	}
	return unlock, nil
}

// discard closes conn's connection instead of returning it to the pool,
// so that the server ends its session and frees any lock it holds. conn
// is unusable afterwards (sql.ErrConnDone).
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}

// getLock runs GET_LOCK(name, wait) and reports whether it got the lock.
func getLock(ctx context.Context, conn *sql.Conn, name string, wait int) (bool, error) {
	var r sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, ?)", name, wait).Scan(&r); err != nil {
		return false, fmt.Errorf("take MySQL lock %q: %w", name, err)
	}
	if !r.Valid {
		return false, fmt.Errorf("take MySQL lock %q: GET_LOCK returned NULL (an error, or the wait was killed)", name)
	}
	return r.Int64 == 1, nil
}

// lockHolder describes the session that holds name, or returns "" when
// it cannot tell (the lock was just released, or the query failed).
func lockHolder(ctx context.Context, conn *sql.Conn, name string) string {
	var id sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT IS_USED_LOCK(?)", name).Scan(&id); err != nil || !id.Valid {
		return ""
	}
	desc := fmt.Sprintf("connection %d", id.Int64)
	var user, host, db, command sql.NullString
	var secs sql.NullInt64
	err := conn.QueryRowContext(ctx,
		"SELECT USER, HOST, DB, COMMAND, TIME FROM information_schema.PROCESSLIST WHERE ID = ?", id.Int64).
		Scan(&user, &host, &db, &command, &secs)
	if err != nil {
		// Not visible without the PROCESS privilege, or gone.
		return desc
	}
	var parts []string
	if user.String != "" {
		parts = append(parts, "user "+user.String)
	}
	if host.String != "" {
		parts = append(parts, "host "+host.String)
	}
	if db.String != "" {
		parts = append(parts, "database "+db.String)
	}
	switch command.String {
	case "":
	case "Sleep":
		parts = append(parts, fmt.Sprintf("idle for %ds", secs.Int64))
	default:
		parts = append(parts, fmt.Sprintf("%s for %ds", command.String, secs.Int64))
	}
	if len(parts) > 0 {
		desc += " (" + strings.Join(parts, ", ") + ")"
	}
	return desc
}
