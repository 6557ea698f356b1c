package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/retortdb/retort/dialect"
)

func TestLockName(t *testing.T) {
	long := strings.Repeat("k", 65)
	tests := []struct {
		name, key, want string
	}{
		{"short", "retort:alembic_version", "retort:alembic_version"},
		{"64 bytes", strings.Repeat("k", 64), strings.Repeat("k", 64)},
		{"65 bytes", long, ""},
		{"32 characters, 128 bytes", strings.Repeat("🎉", 32), ""},
		{"empty", "", ""},
		{"invalid UTF-8", "a\xff", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := LockName(tt.key)
			if tt.want != "" {
				if got != tt.want {
					t.Errorf("LockName(%q) = %q, want %q", tt.key, got, tt.want)
				}
				return
			}
			if len(got) != len("retort:")+24 || !strings.HasPrefix(got, "retort:") {
				t.Errorf("LockName(%q) = %q, want retort: and 24 hex digits", tt.key, got)
			}
			if LockName(tt.key) != got {
				t.Error("not deterministic")
			}
		})
	}
	if LockName(long) == LockName(long+"x") {
		t.Error("different long keys share a name")
	}
}

// lockKey is a key no other test (or test run) uses: locks are
// server-wide.
func lockKey(t *testing.T) string { return "retort_test:" + t.Name() + ":" + randomHex(6) }

// conn takes a connection of its own from db.
func conn(t *testing.T, db *sql.DB) *sql.Conn {
	t.Helper()
	c, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func connectionID(t *testing.T, c *sql.Conn) int64 {
	t.Helper()
	var id int64
	if err := c.QueryRowContext(context.Background(), "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// waits records onWait's calls.
type waits struct {
	mu      sync.Mutex
	holders []string
}

func (w *waits) onWait(holder string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.holders = append(w.holders, holder)
}

func (w *waits) get() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.holders...)
}

func TestLock(t *testing.T) {
	db, dbName := testDB(t)
	ctx := context.Background()
	d := New()
	key := lockKey(t)
	c1, c2 := conn(t, db), conn(t, db)
	id1 := connectionID(t, c1)

	var w1 waits
	unlock1, err := d.Lock(ctx, c1, key, time.Second, w1.onWait)
	if err != nil {
		t.Fatal(err)
	}
	if len(w1.get()) != 0 {
		t.Errorf("onWait called for a free lock: %q", w1.get())
	}
	var used sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT IS_USED_LOCK(?)", LockNameIn(dbName, key)).Scan(&used); err != nil || used.Int64 != id1 {
		t.Fatalf("IS_USED_LOCK = %v, %v; want connection %d", used, err, id1)
	}

	t.Run("timeout", func(t *testing.T) {
		var w waits
		start := time.Now()
		_, err := d.Lock(ctx, c2, key, 1500*time.Millisecond, w.onWait)
		elapsed := time.Since(start)
		if !errors.Is(err, dialect.ErrLocked) {
			t.Fatalf("err = %v, want ErrLocked", err)
		}
		if elapsed < 1500*time.Millisecond || elapsed > 5*time.Second {
			t.Errorf("gave up after %s, want about 1.5s", elapsed)
		}
		holders := w.get()
		t.Logf("onWait(%q); %v", holders, err)
		want := fmt.Sprintf("connection %d", id1)
		if len(holders) != 1 || !strings.HasPrefix(holders[0], want) {
			t.Fatalf("onWait calls %q, want one naming %s", holders, want)
		}
		if !strings.Contains(holders[0], dbName) || !strings.Contains(holders[0], "user ") {
			t.Errorf("holder %q lacks the user and database", holders[0])
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name the holder", err)
		}
	})

	t.Run("context canceled", func(t *testing.T) {
		c3 := conn(t, db)
		ctx, cancel := context.WithCancel(ctx)
		var w waits
		time.AfterFunc(300*time.Millisecond, cancel)
		start := time.Now()
		_, err := d.Lock(ctx, c3, key, 0, w.onWait)
		if !errors.Is(err, context.Canceled) || errors.Is(err, dialect.ErrLocked) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if elapsed := time.Since(start); elapsed > 2500*time.Millisecond {
			t.Errorf("took %s to notice the cancellation", elapsed)
		}
		if len(w.get()) != 1 {
			t.Errorf("onWait calls %q, want one", w.get())
		}
	})

	t.Run("context deadline", func(t *testing.T) {
		c3 := conn(t, db)
		ctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		defer cancel()
		_, err := d.Lock(ctx, c3, key, 0, nil)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
	})

	t.Run("acquired after unlock", func(t *testing.T) {
		var w waits
		type result struct {
			unlock func(context.Context) error
			err    error
		}
		done := make(chan result, 1)
		go func() {
			u, err := d.Lock(ctx, c2, key, 20*time.Second, w.onWait)
			done <- result{u, err}
		}()
		// Let it start waiting, then release.
		deadline := time.Now().Add(10 * time.Second)
		for len(w.get()) == 0 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if len(w.get()) != 1 {
			t.Fatalf("onWait calls %q, want one", w.get())
		}
		if err := unlock1(ctx); err != nil {
			t.Fatal(err)
		}
		if err := unlock1(ctx); err != nil {
			t.Errorf("second unlock: %v", err)
		}
		var r result
		select {
		case r = <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("still waiting 10s after the unlock")
		}
		if r.err != nil {
			t.Fatal(r.err)
		}
		if err := db.QueryRowContext(ctx, "SELECT IS_USED_LOCK(?)", LockNameIn(dbName, key)).Scan(&used); err != nil || used.Int64 != connectionID(t, c2) {
			t.Errorf("IS_USED_LOCK = %v, %v; want the second connection", used, err)
		}
		if err := r.unlock(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT IS_USED_LOCK(?)", LockNameIn(dbName, key)).Scan(&used); err != nil || used.Valid {
			t.Errorf("IS_USED_LOCK = %v, %v after unlock; want NULL", used, err)
		}
	})
}

// TestLockDiesWithConnection closes the holder's connection (not only
// returns it to the pool) and checks a waiter then gets the lock.
func TestLockDiesWithConnection(t *testing.T) {
	db, dbName := testDB(t)
	ctx := context.Background()
	d := New()
	key := lockKey(t)
	holderDB := openDB(t, dbName)
	holder := conn(t, holderDB)
	if _, err := d.Lock(ctx, holder, key, 0, nil); err != nil {
		t.Fatal(err)
	}
	waiter := conn(t, db)
	var w waits
	done := make(chan error, 1)
	go func() {
		_, err := d.Lock(ctx, waiter, key, 20*time.Second, w.onWait)
		done <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for len(w.get()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	holder.Close()   // back to holderDB's pool: still holds the lock
	holderDB.Close() // closes the connection
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still waiting 10s after the holder's connection closed")
	}
}

// TestUnlockFailureClosesConnection checks that when RELEASE_LOCK cannot
// run, unlock closes the connection, which frees the lock.
func TestUnlockFailureClosesConnection(t *testing.T) {
	db, dbName := testDB(t)
	d := New()
	key := lockKey(t)
	c := conn(t, db)
	unlock, err := d.Lock(context.Background(), c, key, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	if err := unlock(canceled); err == nil {
		t.Fatal("unlock with a canceled context succeeded")
	}
	if err := c.PingContext(context.Background()); !errors.Is(err, sql.ErrConnDone) {
		t.Errorf("connection still open: %v", err)
	}
	// The server notices the closed connection shortly.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var used sql.NullInt64
		if err := db.QueryRowContext(context.Background(), "SELECT IS_USED_LOCK(?)", LockNameIn(dbName, key)).Scan(&used); err != nil {
			t.Fatal(err)
		}
		if !used.Valid {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("lock still held 10s after its connection closed")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestLockLongKey(t *testing.T) {
	db, dbName := testDB(t)
	d := New()
	key := lockKey(t) + strings.Repeat("🎉", 40)
	c := conn(t, db)
	unlock, err := d.Lock(context.Background(), c, key, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	var used sql.NullInt64
	if err := db.QueryRowContext(context.Background(), "SELECT IS_USED_LOCK(?)", LockNameIn(dbName, key)).Scan(&used); err != nil || !used.Valid {
		t.Errorf("IS_USED_LOCK(%q) = %v, %v", LockNameIn(dbName, key), used, err)
	}
	if err := unlock(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestLockNameIn(t *testing.T) {
	tests := []struct {
		name, database, key, want string
	}{
		{"no database", "", "retort:retort_version", "retort:retort_version"},
		{"database", "app", "retort:retort_version", "retort:retort_version@app"},
		{"long", strings.Repeat("d", 64), "retort:retort_version", LockName("retort:retort_version@" + strings.Repeat("d", 64))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LockNameIn(tt.database, tt.key); got != tt.want {
				t.Errorf("LockNameIn(%q, %q) = %q, want %q", tt.database, tt.key, got, tt.want)
			}
			if got := LockNameIn(tt.database, tt.key); utf8.RuneCountInString(got) > maxLockName {
				t.Errorf("LockNameIn(%q, %q) = %q: longer than %d characters", tt.database, tt.key, got, maxLockName)
			}
		})
	}
}

// TestLockScope checks that the lock is per database: with the same key,
// a session on another database of the same server takes it at once,
// while another session on the same database waits.
func TestLockScope(t *testing.T) {
	ctx := context.Background()
	d := New()
	key := lockKey(t)
	db1, name1 := testDB(t)
	db2, name2 := testDB(t)
	holder := conn(t, db1)
	unlock, err := d.Lock(ctx, holder, key, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock(ctx)

	tests := []struct {
		name    string
		db      *sql.DB
		blocked bool
	}{
		{"other database " + name2, db2, false},
		{"same database " + name1, db1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w waits
			c := conn(t, tt.db)
			// The timeout only ends the wait of the blocked case.
			u, err := d.Lock(ctx, c, key, time.Second, w.onWait)
			if !tt.blocked {
				if err != nil {
					t.Fatalf("lock on another database: %v", err)
				}
				if len(w.get()) != 0 {
					t.Errorf("waited for %q", w.get())
				}
				if err := u(ctx); err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, dialect.ErrLocked) {
				t.Fatalf("err = %v, want ErrLocked: the same database must wait", err)
			}
			want := fmt.Sprintf("connection %d", connectionID(t, holder))
			if h := w.get(); len(h) != 1 || !strings.HasPrefix(h[0], want) {
				t.Errorf("onWait calls %q, want one naming %s", h, want)
			}
		})
	}
}
