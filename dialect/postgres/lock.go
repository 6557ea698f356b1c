package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/retortdb/retort/dialect"
)

// LockKey is the advisory lock key for a lock name: the first 8 bytes of
// the name's SHA-256, big-endian, as a signed 64-bit integer. Another
// program can take the same lock with pg_advisory_lock(LockKey(name)).
func LockKey(key string) int64 {
	sum := sha256.Sum256([]byte(key))
	return int64(binary.BigEndian.Uint64(sum[:8]))
}

// Intervals between attempts while another session holds the lock: the
// first wait is lockPollMin, doubling up to lockPollMax.
const (
	lockPollMin = 50 * time.Millisecond
	lockPollMax = 200 * time.Millisecond
)

// Lock implements dialect.Locker with a session-level advisory lock on conn,
// keyed by LockKey(key). Advisory locks belong to one database: migrations
// of different databases on one server do not wait for each other.
//
// It tries pg_try_advisory_lock; when another session holds the lock it
// describes the holder from pg_locks and pg_stat_activity (see below),
// calls onWait once with that description, and tries again every 50 ms,
// backing off to 200 ms, until it has the lock, ctx ends (its error,
// wrapped, is returned) or timeout (0: no limit) passes. Polling keeps the
// wait independent of how the driver cancels a blocked query. The timeout
// error wraps dialect.ErrLocked and names the holder as it is then.
//
// The holder is described as "pid 1234 (application retort, user alice,
// client 10.0.0.5, connected 2025-01-02 12:34:56 UTC)": the server process,
// and what pg_stat_activity shows of its session (parts it hides from a
// role that is neither a superuser nor in pg_read_all_stats are left out).
// The time is when that session connected; PostgreSQL does not record when
// a lock was granted.
//
// unlock runs pg_advisory_unlock with the context it is given. The server
// releases a session's advisory locks when its connection ends, so a
// process that dies does not leave the lock behind. For the same reason,
// when an attempt or the unlock fails in a way that leaves the lock's state
// unknown, the connection is discarded (closed, not returned to the pool),
// so a lock can never stay held on a pooled connection. Session-level
// locks need a real session: behind PgBouncer in transaction or statement
// pooling mode they do not work.
func (d *Dialect) Lock(ctx context.Context, conn *sql.Conn, key string, timeout time.Duration, onWait func(holder string)) (func(context.Context) error, error) {
	k := LockKey(key)
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	var holder string
	waited := false
	delay := lockPollMin
	for {
		var ok bool
		if err := conn.QueryRowContext(ctx, "SELECT pg_catalog.pg_try_advisory_lock($1)", k).Scan(&ok); err != nil {
			// The server may have granted the lock before the error.
			discard(conn)
			if ctx.Err() != nil {
				return nil, fmt.Errorf("wait for the migration lock %q: %w", key, ctx.Err())
			}
			return nil, fmt.Errorf("take the migration lock %q: %w", key, err)
		}
		if ok {
			return unlocker(conn, k, key), nil
		}
		if !waited {
			waited = true
			holder = describeHolder(ctx, conn, k)
			if onWait != nil {
				onWait(holder)
			}
		}
		wait := delay
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				if h := describeHolder(ctx, conn, k); h != "" {
					holder = h
				}
				by := ""
				if holder != "" {
					by = " by " + holder
				}
				return nil, fmt.Errorf("migration lock %q (advisory lock %d) still held%s after %s: %w", key, k, by, timeout, dialect.ErrLocked)
			}
			wait = min(wait, left)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, fmt.Errorf("wait for the migration lock %q: %w", key, ctx.Err())
		case <-timer.C:
		}
		delay = min(2*delay, lockPollMax)
	}
}

// unlocker returns the unlock function of a lock held on conn. Calls after
// the first do nothing.
func unlocker(conn *sql.Conn, k int64, key string) func(context.Context) error {
	var (
		mu   sync.Mutex
		done bool
	)
	return func(ctx context.Context) error {
		mu.Lock()
		defer mu.Unlock()
		if done {
			return nil
		}
		done = true
		var ok bool
		if err := conn.QueryRowContext(ctx, "SELECT pg_catalog.pg_advisory_unlock($1)", k).Scan(&ok); err != nil {
			// Closing the connection releases the lock if it still holds it.
			discard(conn)
			return fmt.Errorf("release the migration lock %q: %w (its connection was closed, which releases it)", key, err)
		}
		if !ok {
			return fmt.Errorf("release the migration lock %q: this session did not hold it", key)
		}
		return nil
	}
}

// discard closes conn's driver connection instead of returning it to the
// pool, which ends the session and with it its advisory locks.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}

// holderQuery finds the session holding advisory lock key ($1 the high 32
// bits, $2 the low 32 bits) in the current database. A bigint advisory lock
// appears in pg_locks with objsubid 1.
const holderQuery = `SELECT l.pid, a.application_name, a.usename::text, host(a.client_addr), a.backend_start
FROM pg_catalog.pg_locks l
LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.classid::bigint = $1 AND l.objid::bigint = $2
  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
  AND l.pid IS DISTINCT FROM pg_catalog.pg_backend_pid()
LIMIT 1`

// describeHolder describes the session that holds advisory lock k in the
// current database, or returns "" when it cannot tell (the lock was just
// released, or the query failed: the description is only informative).
func describeHolder(ctx context.Context, conn *sql.Conn, k int64) string {
	var (
		pid               sql.NullInt64
		app, user, client sql.NullString
		backendStart      sql.NullTime
	)
	hi, lo := int64(uint64(k)>>32), int64(uint32(k))
	if err := conn.QueryRowContext(ctx, holderQuery, hi, lo).Scan(&pid, &app, &user, &client, &backendStart); err != nil {
		return ""
	}
	if !pid.Valid {
		return "a prepared transaction"
	}
	var parts []string
	if app.String != "" {
		parts = append(parts, "application "+app.String)
	}
	if user.String != "" {
		parts = append(parts, "user "+user.String)
	}
	if client.String != "" {
		parts = append(parts, "client "+client.String)
	}
	if backendStart.Valid {
		parts = append(parts, "connected "+backendStart.Time.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	s := "pid " + strconv.FormatInt(pid.Int64, 10)
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}
