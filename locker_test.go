package retort_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/dbtest"
)

// memLocker is a library user's lock: one in-process lock per key, which
// counts what the runs did with it.
type memLocker struct {
	mu      sync.Mutex
	held    map[string]chan struct{}
	locks   int
	unlocks int
	waits   int
	active  int
	maxHeld int
	keys    map[string]bool
}

func newMemLocker() *memLocker {
	return &memLocker{held: map[string]chan struct{}{}, keys: map[string]bool{}}
}

func (l *memLocker) Lock(ctx context.Context, conn *sql.Conn, key string, timeout time.Duration, onWait func(string)) (func(context.Context) error, error) {
	if conn == nil {
		return nil, errors.New("memLocker: no connection")
	}
	var deadline <-chan time.Time
	if timeout > 0 {
		deadline = time.After(timeout)
	}
	waited := false
	for {
		l.mu.Lock()
		l.keys[key] = true
		ch, busy := l.held[key]
		if !busy {
			l.held[key] = make(chan struct{})
			l.locks++
			l.active++
			l.maxHeld = max(l.maxHeld, l.active)
			l.mu.Unlock()
			break
		}
		if !waited {
			waited = true
			l.waits++
			onWait("another goroutine of this test")
		}
		l.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			return nil, fmt.Errorf("memLocker %s: %w", key, dialect.ErrLocked)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return func(context.Context) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.unlocks++
		l.active--
		close(l.held[key])
		delete(l.held, key)
		return nil
	}, nil
}

// TestWithLocker runs a library user's locker in place of the dialect's
// lock: concurrent runners are serialised by it and apply each step
// once; a lock held elsewhere makes a run with a lock timeout fail with
// ErrLocked, after saying it waits, with the database untouched.
func TestWithLocker(t *testing.T) {
	ctx := context.Background()
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			db := dbtest.For(t, name)
			l := newMemLocker()
			logs := &syncBuffer{}
			held, err := l.Lock(ctx, mustConn(t, db.SQL), "retort:retort_version", 0, func(string) {})
			if err != nil {
				t.Fatal(err)
			}
			proj, err := retort.LoadProject(dialectOf(name), linear(), retort.WithLocker(l), retort.WithLockTimeout(100*time.Millisecond),
				retort.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := proj.Bind(db.SQL).Upgrade(ctx, "head"); !errors.Is(err, retort.ErrLocked) {
				t.Fatalf("Upgrade while the locker's lock is held: %v, want ErrLocked", err)
			}
			if !strings.Contains(logs.String(), "waiting for the migration lock") {
				t.Errorf("the wait was not logged:\n%s", logs.String())
			}
			wantCurrent(t, proj.Bind(db.SQL))
			if err := held(ctx); err != nil {
				t.Fatal(err)
			}

			proj, err = retort.LoadProject(dialectOf(name), linear(), retort.WithLocker(l))
			if err != nil {
				t.Fatal(err)
			}
			const runners = 4
			errs := make(chan error, runners)
			for range runners {
				go func() {
					_, err := proj.Bind(db.Pool(t)).Upgrade(ctx, "head")
					errs <- err
				}()
			}
			for range runners {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
			}
			wantCurrent(t, proj.Bind(db.SQL), "cccc")
			rows, err := proj.Bind(db.SQL).History(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 3 {
				t.Errorf("%d history rows, want 3 (each step once): %+v", len(rows), rows)
			}
			l.mu.Lock()
			defer l.mu.Unlock()
			if l.locks != runners+1 || l.unlocks != l.locks || l.maxHeld != 1 { // the test's hold, then each runner once
				t.Errorf("locks %d, unlocks %d, most held at once %d; want %d, %d, 1", l.locks, l.unlocks, l.maxHeld, runners+1, runners+1)
			}
			if len(l.keys) != 1 {
				t.Errorf("lock keys %v, want one", l.keys)
			}
		})
	}
}

// TestWithLocker_Options checks the options WithLocker refuses.
func TestWithLocker_Options(t *testing.T) {
	if _, err := retort.LoadProject(dialectOf("sqlite"), linear(), retort.WithLocker(nil)); err == nil {
		t.Error("WithLocker(nil) accepted")
	}
	_, err := retort.LoadProject(dialectOf("postgres"), linear(), retort.WithLocker(newMemLocker()), retort.WithLeaseLock(0))
	if err == nil || !strings.Contains(err.Error(), "WithLeaseLock") {
		t.Errorf("WithLocker with WithLeaseLock: %v, want an error naming both", err)
	}
}

func mustConn(t *testing.T, db *sql.DB) *sql.Conn {
	t.Helper()
	c, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
