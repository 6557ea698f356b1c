package retort

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
)

// waitFor polls cond until it returns true or ctx ends: waiting for
// another process's state, which nothing signals.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() (bool, error)) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		ok, err := cond()
		if err != nil {
			t.Fatalf("wait for %s: %v", what, err)
		}
		if ok {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("wait for %s: %v", what, ctx.Err())
		case <-tick.C:
		}
	}
}

// TestLockLost_KilledConnectionStopsItsRunner kills the connection that
// holds the migration lock while its runner is in the middle of a step
// and a second runner waits for the lock. The step's body counts its
// committed runs in a table, and sleeps only the first time it is entered.
// Exactly one runner's work must stay, and the runner that lost its lock
// must say so with ErrLockLost.
func TestLockLost_KilledConnectionStopsItsRunner(t *testing.T) {
	for _, tc := range []struct {
		dialect string
		setup   []string
		body    string
		// sleeping reports whether a session runs the body's sleep.
		sleeping string
		// holder returns the id of the session that holds the lock.
		holder func(ctx context.Context, db *sql.DB, key string) (int64, error)
		kill   string
		// wantSecond checks the waiting runner's result.
		wantSecond func(t *testing.T, err error)
	}{
		{
			dialect: "postgres",
			setup:   []string{"CREATE TABLE applied (n INTEGER NOT NULL)", "CREATE SEQUENCE entries"},
			// A sequence is not rolled back: only the first entry sleeps.
			body:     "INSERT INTO applied (n) VALUES (1);\nSELECT pg_sleep(CASE WHEN nextval('entries') = 1 THEN 60 ELSE 0 END);",
			sleeping: "SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep(CASE%' AND pid <> pg_backend_pid()",
			holder: func(ctx context.Context, db *sql.DB, key string) (int64, error) {
				k := postgres.LockKey(key)
				var pid int64
				// Advisory locks are per database: other databases on the
				// server (other tests) hold the same key.
				err := db.QueryRowContext(ctx, `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
AND classid::bigint = $1 AND objid::bigint = $2
AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, int64(uint64(k)>>32), int64(uint32(k))).Scan(&pid)
				return pid, err
			},
			kill: "SELECT pg_terminate_backend($1)",
			// The step was rolled back with the connection: the second
			// runner applies it.
			wantSecond: func(t *testing.T, err error) {
				if err != nil {
					t.Errorf("second runner: %v", err)
				}
			},
		},
		{
			dialect: "mysql",
			setup:   []string{"CREATE TABLE applied (n INTEGER NOT NULL)"},
			// Each statement commits on its own: only the first entry
			// sleeps.
			body:     "INSERT INTO applied (n) VALUES (1);\nSELECT SLEEP(IF((SELECT COUNT(*) FROM applied) = 1, 60, 0));",
			sleeping: "SELECT COUNT(*) > 0 FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'SELECT SLEEP(IF%' AND ID <> CONNECTION_ID()",
			holder: func(ctx context.Context, db *sql.DB, key string) (int64, error) {
				var id sql.NullInt64
				err := db.QueryRowContext(ctx, "SELECT IS_USED_LOCK(?)", mysql.LockNameIn(dbName(ctx, t, db), key)).Scan(&id)
				if err == nil && !id.Valid {
					err = errors.New("nobody holds the lock")
				}
				return id.Int64, err
			},
			kill: "KILL ?",
			// The step ran outside a transaction and stopped half way: the
			// second runner finds it dirty and does not run it again.
			wantSecond: func(t *testing.T, err error) {
				if !errors.Is(err, ErrDirty) {
					t.Errorf("second runner = %v, want ErrDirty", err)
				}
			},
		},
	} {
		t.Run(tc.dialect, func(t *testing.T) {
			first, open := testDB(t, tc.dialect)
			ctx := testContext(t)
			for _, q := range tc.setup {
				if _, err := first.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			fsys := revisionFS(tc.body)

			a := openProvider(t, open(), tc.dialect, fsys)
			aDone := make(chan error, 1)
			go func() { _, err := a.Upgrade(ctx, "head"); aDone <- err }()
			waitFor(ctx, t, "the first runner to sleep in its step", func() (bool, error) {
				var ok bool
				err := first.QueryRowContext(ctx, tc.sleeping).Scan(&ok)
				return ok, err
			})

			waiting := make(chan struct{})
			log := &logRecorder{onWarn: func(msg string) {
				if strings.Contains(msg, "waiting for the migration lock") {
					close(waiting)
				}
			}}
			b := openProvider(t, open(), tc.dialect, fsys, WithLogger(slog.New(log)))
			bDone := make(chan error, 1)
			go func() { _, err := b.Upgrade(ctx, "head"); bDone <- err }()
			select {
			case <-waiting:
			case err := <-bDone:
				t.Fatalf("the second runner did not wait for the lock: %v", err)
			}

			id, err := tc.holder(ctx, first, a.proj.lockKey())
			if err != nil {
				t.Fatalf("find the lock's session: %v", err)
			}
			if _, err := first.ExecContext(ctx, tc.kill, id); err != nil {
				t.Fatalf("kill session %d: %v", id, err)
			}

			errA := <-aDone
			if !errors.Is(errA, ErrLockLost) {
				t.Errorf("first runner = %v, want ErrLockLost", errA)
			}
			tc.wantSecond(t, <-bDone)
			var n int
			if err := first.QueryRowContext(ctx, "SELECT COUNT(*) FROM applied").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("the step's work stayed %d times, want once", n)
			}
		})
	}
}

// dbName is the current database of db.
func dbName(ctx context.Context, t *testing.T, db *sql.DB) string {
	t.Helper()
	var name string
	if err := db.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestLockLost_CallerCancelIsNoLoss: a run stopped by its caller's
// context (pgx closes the connection to cancel a query, which releases
// the lock) reports the cancellation, not a lost lock.
func TestLockLost_CallerCancelIsNoLoss(t *testing.T) {
	first, open := testDB(t, "postgres")
	ctx := testContext(t)
	p := openProvider(t, open(), "postgres", revisionFS("SELECT pg_sleep(60);"))
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { _, err := p.Upgrade(runCtx, "head"); done <- err }()
	waitFor(ctx, t, "the runner to sleep in its step", func() (bool, error) {
		var ok bool
		err := first.QueryRowContext(ctx, "SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE 'SELECT pg_sleep(60)%'").Scan(&ok)
		return ok, err
	})
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrLockLost) {
		t.Errorf("Upgrade = %v, want context.Canceled and no ErrLockLost", err)
	}
}
