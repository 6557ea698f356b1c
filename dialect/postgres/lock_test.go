package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/retortdb/retort/dialect"
)

func TestLockKey(t *testing.T) {
	// The key must never change: two versions of retort on one database
	// must take the same lock.
	if got, want := LockKey("retort:alembic_version"), int64(6519426330653398364); got != want {
		t.Errorf("LockKey(retort:alembic_version) = %d, want %d", got, want)
	}
	seen := map[int64]string{}
	for _, k := range []string{"", "a", "b", "retort:alembic_version", "retort:public.alembic_version", "retort:x.y"} {
		sum := sha256.Sum256([]byte(k))
		if got, want := LockKey(k), int64(binary.BigEndian.Uint64(sum[:8])); got != want {
			t.Errorf("LockKey(%q) = %d, want %d", k, got, want)
		}
		if prev, ok := seen[LockKey(k)]; ok {
			t.Errorf("LockKey(%q) = LockKey(%q)", k, prev)
		}
		seen[LockKey(k)] = k
	}
}

func backendPID(t *testing.T, c *sql.Conn) int {
	t.Helper()
	var pid int
	if err := c.QueryRowContext(context.Background(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	return pid
}

// lockHeldBy reports whether the session pid holds advisory lock key.
func lockHeldBy(t *testing.T, db *sql.DB, key string, pid int) bool {
	t.Helper()
	k := LockKey(key)
	var n int
	err := db.QueryRow(`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
		AND classid::bigint = $1 AND objid::bigint = $2 AND pid = $3`, int64(uint64(k)>>32), int64(uint32(k)), pid).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func noWait(t *testing.T) func(string) {
	return func(h string) { t.Errorf("onWait(%q) called for a free lock", h) }
}

func TestLock(t *testing.T) {
	db := newDB(t)
	d := New()
	ctx := context.Background()
	const key = "retort:alembic_version"
	c1, c2 := conn(t, db.DB), conn(t, db.DB)
	mustExec(t, c1, "SET application_name = 'retort-test'")
	pid1, pid2 := backendPID(t, c1), backendPID(t, c2)

	unlock1, err := d.Lock(ctx, c1, key, 0, noWait(t))
	if err != nil {
		t.Fatal(err)
	}
	if !lockHeldBy(t, db.DB, key, pid1) {
		t.Fatal("the first session does not hold the lock")
	}

	// The second session waits 300ms, is told who holds the lock, and
	// gives up with ErrLocked.
	var holders []string
	start := time.Now()
	_, err = d.Lock(ctx, c2, key, 300*time.Millisecond, func(h string) { holders = append(holders, h) })
	elapsed := time.Since(start)
	if !errors.Is(err, dialect.ErrLocked) {
		t.Fatalf("second Lock: %v, want ErrLocked", err)
	}
	if elapsed < 300*time.Millisecond || elapsed > 3*time.Second {
		t.Errorf("second Lock gave up after %v, want 300ms", elapsed)
	}
	wantHolder := "pid " + strconv.Itoa(pid1) + " (application retort-test, user " + db.cfg.User
	if len(holders) != 1 || !strings.HasPrefix(holders[0], wantHolder) || !strings.Contains(holders[0], " UTC)") {
		t.Errorf("onWait got %q, want one call with %q...", holders, wantHolder)
	}
	if !strings.Contains(err.Error(), "pid "+strconv.Itoa(pid1)) || !strings.Contains(err.Error(), key) {
		t.Errorf("the error does not name the holder and the lock: %v", err)
	}
	t.Logf("holder: %s; error: %v", holders, err)

	// Another key is free.
	unlockOther, err := d.Lock(ctx, c2, key+"-other", 300*time.Millisecond, noWait(t))
	if err != nil {
		t.Fatalf("another key: %v", err)
	}
	if err := unlockOther(ctx); err != nil {
		t.Fatal(err)
	}

	// After unlock the second session gets it at once.
	if err := unlock1(context.WithoutCancel(ctx)); err != nil {
		t.Fatalf("unlock: %v", err)
	}
	if err := unlock1(ctx); err != nil {
		t.Errorf("second unlock: %v", err)
	}
	if lockHeldBy(t, db.DB, key, pid1) {
		t.Error("the first session still holds the lock")
	}
	unlock2, err := d.Lock(ctx, c2, key, 300*time.Millisecond, noWait(t))
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	if !lockHeldBy(t, db.DB, key, pid2) {
		t.Error("the second session does not hold the lock")
	}
	// And now the first session is the one that waits, with no timeout
	// error before its deadline.
	if _, err := d.Lock(ctx, c1, key, 100*time.Millisecond, nil); !errors.Is(err, dialect.ErrLocked) {
		t.Errorf("first session, lock held by the second: %v", err)
	}
	if err := unlock2(ctx); err != nil {
		t.Fatal(err)
	}
	// Both connections are still usable, and hold nothing.
	for _, c := range []*sql.Conn{c1, c2} {
		var n int
		if err := c.QueryRowContext(ctx, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()").Scan(&n); err != nil || n != 0 {
			t.Errorf("after unlock: %d advisory locks, %v", n, err)
		}
	}
}

// TestLockWaitsForRelease: without a timeout, Lock waits until the holder
// unlocks.
func TestLockWaitsForRelease(t *testing.T) {
	db := newDB(t)
	d := New()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const key = "k"
	c1, c2 := conn(t, db.DB), conn(t, db.DB)
	unlock1, err := d.Lock(ctx, c1, key, 0, noWait(t))
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan string, 2)
	type result struct {
		unlock func(context.Context) error
		err    error
		at     time.Time
	}
	done := make(chan result, 1)
	go func() {
		u, err := d.Lock(ctx, c2, key, 0, func(h string) { waiting <- h })
		done <- result{u, err, time.Now()}
	}()
	select {
	case <-waiting:
	case r := <-done:
		t.Fatalf("Lock returned while the lock was held: %v", r.err)
	}
	time.Sleep(300 * time.Millisecond)
	select {
	case r := <-done:
		t.Fatalf("Lock returned while the lock was held: %v", r.err)
	default:
	}
	released := time.Now()
	if err := unlock1(ctx); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil {
		t.Fatalf("Lock after release: %v", r.err)
	}
	if lag := r.at.Sub(released); lag > time.Second {
		t.Errorf("took the lock %v after its release", lag)
	}
	if len(waiting) != 0 {
		t.Errorf("onWait called more than once")
	}
	if err := r.unlock(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestLockContext: cancelling ctx, or its deadline, stops the wait at once,
// with ctx's error rather than ErrLocked.
func TestLockContext(t *testing.T) {
	db := newDB(t)
	d := New()
	const key = "k"
	holder := conn(t, db.DB)
	unlock, err := d.Lock(context.Background(), holder, key, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		timeout time.Duration
		ctx     func() (context.Context, context.CancelFunc)
		want    error
	}{
		{"cancel, no timeout", 0, func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(250*time.Millisecond, cancel)
			return ctx, cancel
		}, context.Canceled},
		{"cancel before the timeout", 10 * time.Second, func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(250*time.Millisecond, cancel)
			return ctx, cancel
		}, context.Canceled},
		{"deadline", 0, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 250*time.Millisecond)
		}, context.DeadlineExceeded},
		{"already cancelled", 0, func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx, cancel
		}, context.Canceled},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := c.ctx()
			defer cancel()
			waiter := conn(t, db.DB)
			start := time.Now()
			_, err := d.Lock(ctx, waiter, key, c.timeout, nil)
			elapsed := time.Since(start)
			if !errors.Is(err, c.want) || errors.Is(err, dialect.ErrLocked) {
				t.Errorf("Lock: %v, want %v", err, c.want)
			}
			if elapsed > time.Second {
				t.Errorf("Lock returned %v after the start, want about 250ms", elapsed)
			}
		})
	}
	if err := unlock(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Nothing was left held by the waiters.
	if _, err := d.Lock(context.Background(), conn(t, db.DB), key, 300*time.Millisecond, noWait(t)); err != nil {
		t.Errorf("after the cancelled waits: %v", err)
	}
}

// TestLockReleasedWithConnection: the server releases the lock when the
// holder's connection ends, however it ends.
func TestLockReleasedWithConnection(t *testing.T) {
	for _, c := range []struct {
		name string
		end  func(t *testing.T, db *testDB, c *sql.Conn, pid int)
	}{
		{"connection closed", func(t *testing.T, db *testDB, c *sql.Conn, pid int) { discard(c) }},
		{"backend terminated", func(t *testing.T, db *testDB, c *sql.Conn, pid int) {
			mustExecArgs(t, db, "SELECT pg_terminate_backend($1)", pid)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := newDB(t)
			d := New()
			ctx := context.Background()
			c1 := conn(t, db.DB)
			pid := backendPID(t, c1)
			unlock1, err := d.Lock(ctx, c1, "k", 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			c.end(t, db, c1, pid)
			unlock2, err := d.Lock(ctx, conn(t, db.DB), "k", 5*time.Second, nil)
			if err != nil {
				t.Fatalf("Lock after the holder's connection ended: %v", err)
			}
			// The dead session's unlock fails without harm.
			if err := unlock1(context.WithoutCancel(ctx)); err == nil {
				t.Error("unlock on a dead connection: no error")
			} else {
				t.Logf("unlock on a dead connection: %v", err)
			}
			if err := unlock2(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestLockPerDatabase: one key in two databases is two locks.
func TestLockPerDatabase(t *testing.T) {
	d := New()
	ctx := context.Background()
	var unlocks []func(context.Context) error
	for range 2 {
		db := newDB(t)
		u, err := d.Lock(ctx, conn(t, db.DB), "retort:alembic_version", 300*time.Millisecond, noWait(t))
		if err != nil {
			t.Fatal(err)
		}
		unlocks = append(unlocks, u)
	}
	for _, u := range unlocks {
		if err := u(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLockExclusion: sessions racing for the lock hold it one at a time.
func TestLockExclusion(t *testing.T) {
	db := newDB(t)
	d := New()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var inside, maxInside, total atomic.Int32
	var wg sync.WaitGroup
	const workers, rounds = 6, 3
	for w := 0; w < workers; w++ {
		c := conn(t, db.DB)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				unlock, err := d.Lock(ctx, c, "k", 0, nil)
				if err != nil {
					t.Error(err)
					return
				}
				n := inside.Add(1)
				for {
					m := maxInside.Load()
					if n <= m || maxInside.CompareAndSwap(m, n) {
						break
					}
				}
				time.Sleep(10 * time.Millisecond)
				inside.Add(-1)
				total.Add(1)
				if err := unlock(ctx); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if maxInside.Load() != 1 || total.Load() != workers*rounds {
		t.Errorf("at most %d sessions inside at once, %d turns; want 1, %d", maxInside.Load(), total.Load(), workers*rounds)
	}
}
