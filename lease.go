package retort

import (
	"context"
	crand "crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/retortdb/retort/dialect"
)

// The lease lock.
//
// A database without session locks, or a PostgreSQL reached through
// PgBouncer in transaction pooling mode (where a session advisory lock is
// taken on one server connection and released, or not, on another), is
// locked with a lease: a row per lock key in the lock table, naming its
// owner and when it expires. Every decision compares times of the
// database's own clock (dialect.Dialect.Now and dialect.Leaser.NowPlus)
// inside a single statement, so runners whose clocks disagree still agree
// on who holds the lease:
//
//   - take: INSERT the row; the primary key refuses it when the lease is
//     held. Then take it over with UPDATE ... WHERE expires_at < now, which
//     only one runner can win. Otherwise wait, polling with backoff.
//   - keep: a heartbeat on the lease's own connection pushes expires_at
//     forward every ttl/3 with UPDATE ... WHERE owner = me, and the run
//     renews it the same way before every step. An UPDATE that matches no
//     row means another runner took the lease over; a run that cannot
//     extend it for ttl - ttl/3 gives it up before it can expire. Either
//     way the run's context is cancelled and it stops before its next step.
//     On SQLite the step's own transaction holds the database's write
//     lock, which the heartbeat's UPDATE waits for: while it is held no
//     other runner can write the row either, so those waits are not
//     counted, and the step's fence extends the lease before it commits.
//   - release: DELETE ... WHERE owner = me.

// DefaultLockTable is the lease lock table's default name.
const DefaultLockTable = "retort_lock"

// DefaultLeaseTTL is how long a lease lasts without a heartbeat.
const DefaultLeaseTTL = 30 * time.Second

// MinLeaseTTL is the shortest lease WithLeaseLock accepts.
const MinLeaseTTL = 50 * time.Millisecond

// ErrLeaseLost is returned (wrapped) by a run that lost its lease lock:
// another runner took it over after it expired, or it could not be
// extended in time. The run stops before its next step; the step that was
// running when the loss was noticed is interrupted (rolled back where DDL
// is transactional).
// It matches ErrLockLost too (errors.Is).
var ErrLeaseLost error = &lockLostError{msg: "the migration lease was lost"}

// WithLeaseLock makes online runs hold the lease lock in the lock table
// (see WithLockTable) instead of the dialect's own lock. Choose it where
// the dialect's lock does not work, such as PostgreSQL behind PgBouncer in
// transaction pooling mode. ttl is how long the lease lasts without a
// heartbeat (0: DefaultLeaseTTL; at least MinLeaseTTL): a runner that dies
// holds up the others that long. Dialects with neither a dialect.Locker
// nor a dialect.TxLocker use the lease lock without this option, with the
// default ttl.
func WithLeaseLock(ttl time.Duration) Option {
	return func(m *Project) error {
		switch {
		case ttl == 0:
			ttl = DefaultLeaseTTL
		case ttl < MinLeaseTTL:
			return fmt.Errorf("lease ttl %s is shorter than %s", ttl, MinLeaseTTL)
		}
		m.forceLease, m.leaseTTL = true, ttl
		return nil
	}
}

// WithLocker makes online runs take the migration lock with l instead of
// the dialect's own session lock: a lock the program already uses to
// coordinate its replicas, or one for a database whose dialect has none
// that suits. l.Lock is called on the connection that then runs the
// steps, with the project's lock key (derived from the version table's
// name), the WithLockTimeout bound and a callback to call once if it has
// to wait; it returns the function that releases the lock. As for a
// dialect's lock, the lock must belong to the session that connection is,
// so that a connection that ends releases it and rolls back the step in
// progress together, and Lock returns an error wrapping ErrLocked when the
// timeout passes. On SQLite the write lock of each step's transaction is
// still taken. WithLocker and WithLeaseLock exclude each other.
func WithLocker(l dialect.Locker) Option {
	return func(m *Project) error {
		if l == nil {
			return fmt.Errorf("nil locker")
		}
		m.locker = l
		return nil
	}
}

// WithLockTable sets the lease lock table's name (default retort_lock). It
// is created, when a run first needs it, in the version table's schema.
func WithLockTable(name string) Option {
	return func(m *Project) error {
		if strings.TrimSpace(name) == "" {
			return fmt.Errorf("lock table name is empty")
		}
		m.lockTable = name
		return nil
	}
}

// LockTable returns the lease lock table (used only with the lease lock).
func (m *Project) LockTable() dialect.Table {
	if m.lockTab.Name != "" {
		return m.lockTab
	}
	name := m.lockTable
	if name == "" {
		name = DefaultLockTable
	}
	return dialect.Table{Schema: m.versionTable.Schema, Name: name}
}

// useLease reports whether online runs lock with the lease.
func (m *Project) useLease() bool {
	if m.forceLease {
		return true
	}
	return m.caps.Locker == nil && m.caps.TxLocker == nil
}

// checkLock checks the lock options against the dialect and the other
// tables (called by New).
func (m *Project) checkLock() error {
	t := m.LockTable().Name
	if t == m.versionTable.Name || t == m.historyTable.Name {
		return fmt.Errorf("lock table %s must differ from the version table and the history table", t)
	}
	if m.locker != nil {
		if m.forceLease {
			return fmt.Errorf("WithLocker and WithLeaseLock both choose the migration lock: give one")
		}
		m.caps.Locker = m.locker
	}
	if m.forceLease && m.caps.Leaser == nil {
		return fmt.Errorf("the %s dialect cannot hold a lease lock: it does not implement dialect.Leaser", m.d.Name())
	}
	return nil
}

// takeLease holds the lease lock for s on a connection of its own; s.close
// releases it. On error it closes s's connection.
func (s *session) takeLease(ctx context.Context, db *sql.DB) error {
	m := s.m
	if err := needTwoConns(db, "the lease lock is kept"); err != nil {
		s.conn.Close()
		return err
	}
	l, err := m.acquireLease(ctx, db)
	if err != nil {
		s.conn.Close()
		return err
	}
	s.lease = l
	s.unlock = func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), leaseReleaseTimeout)
		defer cancel()
		if err := l.release(rctx); err != nil {
			m.log.Warn("could not release the migration lease; it expires by itself: " + err.Error())
		}
	}
	return nil
}

// leaseReleaseTimeout bounds the release of a lease at the end of a run.
const leaseReleaseTimeout = 10 * time.Second

// holdsLock checks, before a step, that the run still holds its lock.
// With the lease lock it renews the lease on the database, and returns an
// error wrapping ErrLeaseLost when another runner took it over or it could
// not be kept. Session locks live as long as their connection.
func (s *session) holdsLock(ctx context.Context) error {
	if s.lease == nil {
		return nil
	}
	return s.lockErr(s.lease.keep(ctx))
}

// lostLock returns why the run lost its lease, or nil while it holds its
// lock. It asks nothing of the database (it is used inside transactions).
func (s *session) lostLock() error {
	if s.lease == nil {
		return nil
	}
	return s.lease.lostError()
}

// sink returns the online sink of the session's steps. With the lease
// lock, every commit is fenced: it happens only while the lease still
// names this runner (lease.fence).
func (s *session) sink() *onlineSink {
	out := &onlineSink{m: s.m, conn: s.conn}
	if s.lease != nil {
		out.fence = s.lease.fence
		if s.m.caps.TxLocker != nil {
			out.writeLocked = &s.lease.writeLocked
		}
	}
	return out
}

// fence runs on the run's connection, in the transaction about to commit:
// it extends the lease with keep's statement, so that the commit happens
// only if the lease row still names this runner. Where the database locks
// rows (PostgreSQL, MySQL, SQLite's write lock) the row stays locked until
// the commit, so no other runner can take the lease over in between: a
// runner whose lease was taken while it was paused, before its heartbeat
// could notice, cannot commit the step it was in. It returns an error
// wrapping ErrLeaseLost, and marks the lease lost, when the row names
// another runner.
func (l *lease) fence(ctx context.Context, q dialect.Querier) error {
	if err := l.lostError(); err != nil {
		return err
	}
	sent := time.Now()
	res, err := q.ExecContext(ctx, l.q.extend, l.key, l.owner)
	var n int64
	if err == nil {
		n, err = res.RowsAffected()
	}
	if err != nil {
		if lost := l.lostError(); lost != nil {
			return lost
		}
		return fmt.Errorf("check the migration lease before the commit: %w", err)
	}
	if n == 0 {
		return l.lose(fmt.Errorf("%w: another runner took it over before the step committed (the row of %q in %s no longer names %s); the step was rolled back", ErrLeaseLost, l.key, l.table, l.owner))
	}
	l.fencedAt.Store(sent.UnixNano())
	return nil
}

// lastKept is when the last extension that succeeded was sent, by the
// heartbeat or by a fence. The caller holds mu.
func (l *lease) lastKept() time.Time {
	if f := time.Unix(0, l.fencedAt.Load()); f.After(l.lastOK) {
		return f
	}
	return l.lastOK
}

// lockErr is err, or, when the run lost its lock meanwhile, the loss
// (the cause that matters) with err. A session lock is lost when the
// connection that holds it, the one that runs the steps, ended.
func (s *session) lockErr(err error) error {
	if err == nil || errors.Is(err, ErrLockLost) {
		return err
	}
	var lost error
	switch {
	case s.lease != nil:
		lost = s.lease.lostError()
	case s.sessionLock && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded):
		// A run stopped by its caller's context may have closed the
		// connection itself (pgx does, to cancel a query): that is no
		// loss to report.
		lost = s.sessionLost()
	}
	if lost != nil {
		return fmt.Errorf("%w; the step was interrupted: %w", lost, err)
	}
	return err
}

// sessionCheckTimeout bounds the check that the session lock's connection
// is alive, after an error.
const sessionCheckTimeout = 5 * time.Second

// sessionLost returns an error wrapping ErrLockLost when the connection
// that holds the session lock no longer answers, or nil. It is asked after
// an error, outside any transaction.
func (s *session) sessionLost() error {
	ctx, cancel := context.WithTimeout(context.Background(), sessionCheckTimeout)
	defer cancel()
	if err := s.conn.PingContext(ctx); err != nil {
		return fmt.Errorf("%w: the connection that held it and ran the steps ended (%v), which released the lock and rolled back its open transaction; another runner may hold the lock now", ErrLockLost, err)
	}
	return nil
}

// watch returns ctx, cancelled when the run loses its lease so that the
// statement in progress stops. stop releases the watch.
func (s *session) watch(ctx context.Context) (_ context.Context, stop func()) {
	if s.lease == nil {
		return ctx, func() {}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	l := s.lease
	stopAfter := context.AfterFunc(l.life, func() {
		if lost := l.lostError(); lost != nil {
			cancel(lost)
		}
	})
	return ctx, func() { stopAfter(); cancel(nil) }
}

// lease is a held lease lock.
type lease struct {
	m          *Project
	db         *sql.DB
	table      dialect.Table
	key, owner string
	ttl        time.Duration
	q          leaseSQL

	mu       sync.Mutex // serializes the use of conn; guards conn, lastOK and released
	conn     *sql.Conn  // nil after an error: the next use connects again
	lastOK   time.Time  // when the last successful take or extension was sent
	released bool       // release ran (or the lease was abandoned, in tests)

	// fencedAt is when the last fence (an extension in the transaction
	// of a step, just before its commit) was sent, in Unix nanoseconds.
	fencedAt atomic.Int64
	// writeLocked is set while the run's own transaction holds the
	// database's write lock (a dialect.TxLocker: SQLite). No other runner
	// can write the lease row then, so it cannot take the lease over, and
	// a heartbeat that waits for that lock is no sign of a loss; the
	// step's fence extends the lease before its commit.
	writeLocked atomic.Bool

	// life ends when the lease is lost, with the loss as its cause, or
	// when it is released, with errLeaseReleased: the heartbeat stops and
	// the run's context (session.watch) is cancelled with a loss.
	life context.Context
	end  context.CancelCauseFunc
	done chan struct{} // closed when the heartbeat has returned
}

// errLeaseReleased is the cause of the end of a lease's life that its
// runner released.
var errLeaseReleased = errors.New("the migration lease was released")

// leaseSQL are the lease's statements; the first two parameters of each
// are the lock key and the owner, in the order the statement names.
type leaseSQL struct {
	insert   string // key, owner
	takeOver string // owner, key
	holder   string // key
	extend   string // key, owner
	release  string // key, owner
}

func newLeaseSQL(d dialect.Dialect, l dialect.Leaser, t dialect.Table, ttl time.Duration) leaseSQL {
	b := func() *dialect.Builder { return dialect.NewBuilder(d) }
	p1, p2 := d.Placeholder(1), d.Placeholder(2)
	now, until := d.Now(), l.NowPlus(ttl)
	return leaseSQL{
		insert: b().P("INSERT INTO ").Table(t).P(" (lock_key, owner, acquired_at, heartbeat_at, expires_at) VALUES (").
			P(p1 + ", " + p2 + ", " + now + ", " + now + ", " + until + ")").String(),
		takeOver: b().P("UPDATE ").Table(t).P(" SET owner = " + p1 + ", acquired_at = " + now + ", heartbeat_at = " + now +
			", expires_at = " + until + " WHERE lock_key = " + p2 + " AND expires_at < " + now).String(),
		holder: b().P("SELECT owner FROM ").Table(t).P(" WHERE lock_key = " + p1).String(),
		extend: b().P("UPDATE ").Table(t).P(" SET heartbeat_at = " + now + ", expires_at = " + until +
			" WHERE lock_key = " + p1 + " AND owner = " + p2).String(),
		release: b().P("DELETE FROM ").Table(t).P(" WHERE lock_key = " + p1 + " AND owner = " + p2).String(),
	}
}

// Polling while another runner holds the lease: the first wait is
// leasePollMin, doubling up to leasePollMax (or ttl/3 if shorter), each
// with a random spread so that waiters do not knock in step.
const (
	leasePollMin = 25 * time.Millisecond
	leasePollMax = time.Second
)

// leaseAttempts is how many attempts in a row may fail with an error
// (rather than find the lease held) before the wait gives up: a busy
// SQLite file or a dropped connection is worth another try; a missing
// privilege is not worth many.
const leaseAttempts = 5

// leaseOwner describes this runner in the lock table: a random id, so that
// two runs of one process differ, then the host and the process id.
func (m *Project) leaseOwner() string {
	b := make([]byte, 8)
	_, _ = crand.Read(b)
	owner := fmt.Sprintf("%s host %s pid %d", hex.EncodeToString(b), m.hostname, os.Getpid())
	for len(owner) > 255 {
		_, n := utf8.DecodeLastRuneInString(owner)
		owner = owner[:len(owner)-n]
	}
	return owner
}

// acquireLease takes the lease lock of this project, creating the lock
// table if needed. While another runner holds it, it logs once that it
// waits and for whom, and polls until it gets it, ctx ends, or the lock
// timeout passes (an error wrapping ErrLocked).
func (m *Project) acquireLease(ctx context.Context, db *sql.DB) (*lease, error) {
	ld := m.caps.Leaser
	if ld == nil {
		return nil, fmt.Errorf("the %s dialect has no lock retort can use: it implements none of dialect.Locker, dialect.TxLocker and dialect.Leaser", m.d.Name())
	}
	ttl := m.leaseTTL
	if ttl == 0 {
		ttl = DefaultLeaseTTL
	}
	t := m.LockTable()
	l := &lease{
		m: m, db: db, table: t, key: m.lockKey(), owner: m.leaseOwner(), ttl: ttl,
		q:    newLeaseSQL(m.d, ld, t, ttl),
		done: make(chan struct{}),
	}
	// The lease's life is its own, not ctx's: it ends by release or loss.
	l.life, l.end = context.WithCancelCause(context.Background())
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect for the lock: %w", err)
	}
	l.conn = conn
	if err := l.createTable(ctx, ld); err != nil {
		conn.Close()
		return nil, err
	}
	if err := l.acquire(ctx); err != nil {
		if l.conn != nil {
			l.conn.Close()
		}
		return nil, err
	}
	go l.heartbeat()
	return l, nil
}

// createTable creates the lock table when it is missing. Two runners may
// race to create it; PostgreSQL can fail the loser's CREATE TABLE IF NOT
// EXISTS, so a failure is only one if the table is still missing.
func (l *lease) createTable(ctx context.Context, ld dialect.Leaser) error {
	d := l.m.d
	ok, err := d.TableExists(ctx, l.conn, l.table)
	if err != nil {
		return fmt.Errorf("look for lock table %s: %w", l.table, err)
	}
	if ok {
		return nil
	}
	for _, q := range ld.CreateLockTable(l.table) {
		if _, err := l.conn.ExecContext(ctx, q); err != nil {
			if ok, _ := d.TableExists(ctx, l.conn, l.table); ok {
				return nil
			}
			return fmt.Errorf("create lock table %s: %w", l.table, err)
		}
	}
	return nil
}

// acquire waits for the lease.
func (l *lease) acquire(ctx context.Context) error {
	timeout := l.m.lockTimeout
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	delay, maxDelay := leasePollMin, min(leasePollMax, max(l.ttl/3, leasePollMin))
	holder, waited, failures := "", false, 0
	for {
		sent := time.Now()
		got, h, err := l.try(ctx, holder == "")
		switch {
		case got:
			l.lastOK = sent
			return nil
		case err != nil && ctx.Err() != nil:
			return fmt.Errorf("wait for the migration lock %q (lease in %s): %w", l.key, l.table, ctx.Err())
		case err != nil:
			if failures++; failures >= leaseAttempts {
				return fmt.Errorf("take the migration lock %q (lease in %s): %w", l.key, l.table, err)
			}
		default:
			failures = 0
			holder = h
			if !waited {
				waited = true
				l.m.log.Warn(fmt.Sprintf("waiting for the migration lock held by another process (lease in %s, owner %s)", l.table, holder))
			}
		}
		wait := time.Duration(float64(delay) * (0.75 + rand.Float64()/2))
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				by := ""
				if holder != "" {
					by = " by " + holder
				}
				return fmt.Errorf("migration lock %q (lease in %s) still held%s after %s: %w", l.key, l.table, by, timeout, dialect.ErrLocked)
			}
			wait = min(wait, left)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return fmt.Errorf("wait for the migration lock %q (lease in %s): %w", l.key, l.table, ctx.Err())
		case <-timer.C:
		}
		delay = min(2*delay, maxDelay)
	}
}

// try makes one attempt: insert the row, take over an expired one, or
// report who holds it. Only the INSERT and the conditional UPDATE decide,
// each in one statement, so concurrent attempts cannot both win; the
// SELECT of the holder only chooses what to try next and what to log.
// insertFirst tries the INSERT before anything else (the first attempt,
// when the lease is most likely free); later attempts insert only when
// there is no row, so that a waiting runner does not fill the server's
// log with primary-key violations. err is set when no statement could
// tell (an error, or an INSERT that failed with no row to show for it).
func (l *lease) try(ctx context.Context, insertFirst bool) (got bool, holder string, err error) {
	if l.conn == nil {
		if l.conn, err = l.db.Conn(ctx); err != nil {
			return false, "", fmt.Errorf("connect: %w", err)
		}
	}
	defer func() {
		if err != nil {
			l.conn.Close()
			l.conn = nil
		}
	}()
	insert := func() error {
		_, err := l.conn.ExecContext(ctx, l.q.insert, l.key, l.owner)
		return err
	}
	var insErr error
	if insertFirst {
		if insErr = insert(); insErr == nil {
			return true, "", nil
		}
	}
	res, err := l.conn.ExecContext(ctx, l.q.takeOver, l.owner, l.key)
	if err != nil {
		return false, "", err
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, "", err
	} else if n > 0 {
		return true, "", nil
	}
	if holder, err = l.holder(ctx); err != nil || holder != "" {
		return false, holder, err
	}
	if !insertFirst {
		if insErr = insert(); insErr == nil {
			return true, "", nil
		}
		if holder, err = l.holder(ctx); err != nil || holder != "" {
			return false, holder, err
		}
	}
	return false, "", insErr
}

// holder returns the owner in the lease's row, or "" when there is none.
func (l *lease) holder(ctx context.Context) (string, error) {
	var owner string
	err := l.conn.QueryRowContext(ctx, l.q.holder, l.key).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return owner, err
}

// heartbeat keeps the lease every ttl/3 until release or loss.
func (l *lease) heartbeat() {
	defer close(l.done)
	tick := time.NewTicker(l.ttl / 3)
	defer tick.Stop()
	for {
		select {
		case <-l.life.Done():
			return
		case <-tick.C:
		}
		_ = l.keep(context.Background())
	}
}

// keep extends the lease by its ttl from now, on the database's clock. It
// returns an error wrapping ErrLeaseLost, and marks the lease lost, when
// the row no longer names this runner, or when the extension failed and
// the last one that succeeded is so old that the lease may expire before
// the next heartbeat. Other failures are logged and retried by the next
// heartbeat. When ctx ends, it returns the loss if the lease was lost
// meanwhile, and otherwise context.Cause(ctx).
func (l *lease) keep(ctx context.Context) error {
	if err := l.lostError(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	// The heartbeat may have lost the lease while this call waited for mu
	// (and cancelled the run's context with it): report the loss, not the
	// cancellation it caused.
	if err := l.lostError(); err != nil {
		return err
	}
	interval := l.ttl / 3
	actx, cancel := context.WithTimeout(ctx, interval)
	defer cancel()
	sent := time.Now()
	var (
		n   int64
		err error
	)
	if l.conn == nil {
		l.conn, err = l.db.Conn(actx)
	}
	if err == nil {
		var res sql.Result
		if res, err = l.conn.ExecContext(actx, l.q.extend, l.key, l.owner); err == nil {
			n, err = res.RowsAffected()
		}
		if err != nil {
			l.conn.Close()
			l.conn = nil
		}
	}
	switch {
	case err == nil && n > 0:
		l.lastOK = sent
		return nil
	case err == nil:
		return l.lose(fmt.Errorf("%w: another runner took it over (the row of %q in %s no longer names %s)", ErrLeaseLost, l.key, l.table, l.owner))
	case ctx.Err() != nil:
		if lost := l.lostError(); lost != nil {
			return lost
		}
		return context.Cause(ctx)
	case l.writeLocked.Load():
		l.m.log.Debug("the migration lease waits for this run's own write lock (no other runner can take it meanwhile): " + err.Error())
		return nil
	case time.Since(l.lastKept()) < l.ttl-interval:
		l.m.log.Warn("could not extend the migration lease (it is still valid; retrying): " + err.Error())
		return nil
	default:
		return l.lose(fmt.Errorf("%w: could not extend it for %s, and it may expire: %w", ErrLeaseLost, time.Since(l.lastKept()).Round(time.Millisecond), err))
	}
}

// lose marks the lease lost and returns the first reason: the first
// call ends the lease's life with err and logs it; later calls change
// nothing.
func (l *lease) lose(err error) error {
	l.end(err)
	switch first := context.Cause(l.life); first {
	case err:
	case errLeaseReleased: // nothing holds it to lose any more
		return err
	default:
		return first
	}
	l.m.log.Error(err.Error())
	return err
}

// lostError returns why the lease was lost, or nil while it is held (and
// after it was released).
func (l *lease) lostError() error {
	if cause := context.Cause(l.life); cause != errLeaseReleased {
		return cause
	}
	return nil
}

// release stops the heartbeat and deletes the row if it still names this
// runner (a lease lost to another runner stays theirs). Calls after the
// first do nothing.
func (l *lease) release(ctx context.Context) error {
	l.end(errLeaseReleased) // a lease already lost keeps its loss
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.released {
		return nil
	}
	l.released = true
	if l.conn == nil {
		var err error
		if l.conn, err = l.db.Conn(ctx); err != nil {
			return fmt.Errorf("release the migration lock %q: connect: %w", l.key, err)
		}
	}
	_, err := l.conn.ExecContext(ctx, l.q.release, l.key, l.owner)
	l.conn.Close()
	l.conn = nil
	if err != nil {
		return fmt.Errorf("release the migration lock %q (lease in %s): %w", l.key, l.table, err)
	}
	return nil
}
