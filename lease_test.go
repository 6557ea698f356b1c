package retort

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

// testTTL is the lease ttl of tests that wait for a lease to expire or for
// a heartbeat to notice a loss. Tests assert what happens, never how long
// it took.
const testTTL = 300 * time.Millisecond

// liveTTL is the ttl of tests where a lease must not expire while held.
const liveTTL = 5 * time.Second

func newDialect(name string) dialect.Dialect {
	switch name {
	case "sqlite":
		return sqlite.New()
	case "postgres":
		return postgres.New()
	case "mysql":
		return mysql.New()
	}
	panic("unknown dialect " + name)
}

// testDB returns a fresh database of the dialect, and a way to open more
// pools on it (each as a separate runner would have). SQLite pools wait
// for the file's write lock, as the retort command's do.
func testDB(t *testing.T, dialectName string) (first *sql.DB, open func() *sql.DB) {
	t.Helper()
	tdb := dbtest.For(t, dialectName)
	open = func() *sql.DB {
		t.Helper()
		driver, dsn := tdb.Driver, tdb.DSN
		if dialectName == "sqlite" {
			dsn = fmt.Sprintf("file:%s?_pragma=busy_timeout(%d)", tdb.Name, sqlite.BusyTimeoutMS)
		}
		db, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	return open(), open
}

// logRecorder is a slog.Handler that keeps the messages logged and calls
// onWarn, when set, for each warning.
type logRecorder struct {
	mu     sync.Mutex
	msgs   []string
	onWarn func(msg string)
}

func (r *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *logRecorder) WithGroup(string) slog.Handler            { return r }
func (r *logRecorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	r.msgs = append(r.msgs, rec.Message)
	f := r.onWarn
	r.mu.Unlock()
	if f != nil && rec.Level == slog.LevelWarn {
		f(rec.Message)
	}
	return nil
}

// count returns how many messages contain s.
func (r *logRecorder) count(s string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.msgs {
		if strings.Contains(m, s) {
			n++
		}
	}
	return n
}

func leaseProject(t *testing.T, dialectName string, log *logRecorder, opts ...Option) *Project {
	t.Helper()
	if log == nil {
		log = &logRecorder{}
	}
	m, err := NewProject(newDialect(dialectName), nil, append([]Option{WithLogger(slog.New(log))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// lockOwner returns the owner in the lock table's row of m, or "" when
// there is none.
func lockOwner(t *testing.T, m *Project, db *sql.DB) string {
	t.Helper()
	q := dialect.NewBuilder(m.d).P("SELECT owner FROM ").Table(m.LockTable()).P(" WHERE lock_key = ").P(m.d.Placeholder(1)).String()
	var owner string
	err := db.QueryRow(q, m.lockKey()).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return owner
}

// steal rewrites the lock table's row of m as another runner's, as a
// runner that took the lease over would.
func steal(t *testing.T, m *Project, db *sql.DB) {
	t.Helper()
	q := dialect.NewBuilder(m.d).P("UPDATE ").Table(m.LockTable()).P(" SET owner = 'thief'").String()
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
}

// abandon stops a lease's heartbeat without releasing it: a runner that
// died.
func abandon(l *lease) {
	l.end(errLeaseReleased)
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	l.released = true
	if l.conn != nil {
		l.conn.Close()
		l.conn = nil
	}
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func TestLease_OneHolderAtATime(t *testing.T) {
	const (
		runners = 6
		rounds  = 4
	)
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			_, open := testDB(t, dn)
			ctx := testContext(t)
			var inside, taken atomic.Int32
			var overlap atomic.Bool
			var wg sync.WaitGroup
			errs := make(chan error, runners*rounds)
			start := make(chan struct{})
			for r := 0; r < runners; r++ {
				m := leaseProject(t, dn, nil, WithLeaseLock(liveTTL))
				db := open()
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					for i := 0; i < rounds; i++ {
						l, err := m.acquireLease(ctx, db)
						if err != nil {
							errs <- err
							return
						}
						if inside.Add(1) != 1 {
							overlap.Store(true)
						}
						taken.Add(1)
						var owner string
						q := dialect.NewBuilder(m.d).P("SELECT owner FROM ").Table(m.LockTable()).String()
						if err := db.QueryRowContext(ctx, q).Scan(&owner); err != nil || owner != l.owner {
							errs <- fmt.Errorf("holder %s reads owner %q (%v)", l.owner, owner, err)
						}
						time.Sleep(2 * time.Millisecond) // widen the window for a second holder
						inside.Add(-1)
						if err := l.release(ctx); err != nil {
							errs <- err
						}
					}
				}()
			}
			close(start)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if overlap.Load() {
				t.Error("two runners held the lease at once")
			}
			if taken.Load() != runners*rounds {
				t.Errorf("the lease was taken %d times, want %d", taken.Load(), runners*rounds)
			}
		})
	}
}

func TestLease_ExpiredIsTakenOver(t *testing.T) {
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			db, _ := testDB(t, dn)
			ctx := testContext(t)
			dead, err := leaseProject(t, dn, nil, WithLeaseLock(testTTL)).acquireLease(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			abandon(dead)

			log := &logRecorder{}
			m := leaseProject(t, dn, log, WithLeaseLock(testTTL))
			l, err := m.acquireLease(ctx, db)
			if err != nil {
				t.Fatalf("take over an expired lease: %v", err)
			}
			defer l.release(ctx)
			if got := lockOwner(t, m, db); got != l.owner {
				t.Errorf("owner after take-over = %q, want %q", got, l.owner)
			}
			if n := log.count("waiting for the migration lock"); n > 1 {
				t.Errorf("said %d times that it waits, want at most once", n)
			}
			if n := log.count(dead.owner); n != log.count("waiting for the migration lock") {
				t.Errorf("the wait message does not name the holder %s: %q", dead.owner, log.msgs)
			}
			// The old holder, were it alive, would find out at its next step.
			if err := dead.keep(ctx); !errors.Is(err, ErrLeaseLost) {
				t.Errorf("old holder's keep = %v, want ErrLeaseLost", err)
			}
		})
	}
}

func TestLease_HeartbeatNoticesTheft(t *testing.T) {
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			db, _ := testDB(t, dn)
			ctx := testContext(t)
			m := leaseProject(t, dn, nil, WithLeaseLock(testTTL))
			l, err := m.acquireLease(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			s := &session{m: m, lease: l}
			runCtx, stop := s.watch(ctx)
			defer stop()
			steal(t, m, db)
			select {
			case <-runCtx.Done():
			case <-ctx.Done():
				t.Fatal("the run's context was not cancelled after its lease was taken over")
			}
			if err := context.Cause(runCtx); !errors.Is(err, ErrLeaseLost) {
				t.Errorf("cause = %v, want ErrLeaseLost", err)
			}
			if err := s.holdsLock(ctx); !errors.Is(err, ErrLeaseLost) {
				t.Errorf("holdsLock = %v, want ErrLeaseLost", err)
			}
			// Release leaves the new holder's row alone.
			if err := l.release(ctx); err != nil {
				t.Fatal(err)
			}
			if got := lockOwner(t, m, db); got != "thief" {
				t.Errorf("owner after the old holder's release = %q, want thief", got)
			}
		})
	}
}

func TestLease_Timeout(t *testing.T) {
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			db, _ := testDB(t, dn)
			ctx := testContext(t)
			holder, err := leaseProject(t, dn, nil, WithLeaseLock(liveTTL)).acquireLease(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			defer holder.release(ctx)
			log := &logRecorder{}
			m := leaseProject(t, dn, log, WithLeaseLock(liveTTL), WithLockTimeout(200*time.Millisecond))
			_, err = m.acquireLease(ctx, db)
			if !errors.Is(err, ErrLocked) {
				t.Fatalf("err = %v, want ErrLocked", err)
			}
			if !strings.Contains(err.Error(), holder.owner) {
				t.Errorf("error does not name the holder %s: %v", holder.owner, err)
			}
			if n := log.count("waiting for the migration lock held by another process (lease in retort_lock, owner " + holder.owner + ")"); n != 1 {
				t.Errorf("said %d times that it waits for %s, want once: %q", n, holder.owner, log.msgs)
			}
		})
	}
}

func TestLease_ContextEndsWait(t *testing.T) {
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			db, _ := testDB(t, dn)
			ctx := testContext(t)
			holder, err := leaseProject(t, dn, nil, WithLeaseLock(liveTTL)).acquireLease(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			defer holder.release(ctx)
			waitCtx, cancel := context.WithCancel(ctx)
			defer cancel()
			log := &logRecorder{onWarn: func(string) { cancel() }}
			_, err = leaseProject(t, dn, log, WithLeaseLock(liveTTL)).acquireLease(waitCtx, db)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
		})
	}
}

func TestLease_ReleaseFreesIt(t *testing.T) {
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			db, _ := testDB(t, dn)
			ctx := testContext(t)
			m := leaseProject(t, dn, nil, WithLeaseLock(liveTTL))
			l, err := m.acquireLease(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			if err := l.release(ctx); err != nil {
				t.Fatal(err)
			}
			if err := l.release(ctx); err != nil {
				t.Errorf("second release: %v", err)
			}
			if got := lockOwner(t, m, db); got != "" {
				t.Errorf("row left after release, owner %q", got)
			}
			log := &logRecorder{}
			next, err := leaseProject(t, dn, log, WithLeaseLock(liveTTL), WithLockTimeout(time.Nanosecond)).acquireLease(ctx, db)
			if err != nil {
				t.Fatalf("take a released lease: %v", err)
			}
			defer next.release(ctx)
			if n := log.count("waiting"); n != 0 {
				t.Errorf("waited for a released lease: %q", log.msgs)
			}
		})
	}
}

func TestLease_Options(t *testing.T) {
	d := postgres.New()
	for _, tc := range []struct {
		name string
		opts []Option
		want string
	}{
		{"ttl too short", []Option{WithLeaseLock(time.Millisecond)}, "shorter than"},
		{"negative ttl", []Option{WithLeaseLock(-time.Second)}, "shorter than"},
		{"empty table", []Option{WithLockTable(" ")}, "lock table name is empty"},
		{"same as version table", []Option{WithLockTable("v"), WithVersionTable("v")}, "must differ"},
		{"same as history table", []Option{WithLockTable(DefaultHistoryTable)}, "must differ"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewProject(d, nil, tc.opts...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New = %v, want an error with %q", err, tc.want)
			}
		})
	}
	t.Run("lock table follows the version table's schema", func(t *testing.T) {
		m, err := NewProject(d, nil, WithLockTable("lease"), WithSchema("meta"))
		if err != nil {
			t.Fatal(err)
		}
		if got := m.LockTable(); got != (dialect.Table{Schema: "meta", Name: "lease"}) {
			t.Errorf("LockTable = %v", got)
		}
	})
	t.Run("auto uses the dialect's lock", func(t *testing.T) {
		for _, dn := range dbtest.Dialects {
			m, err := NewProject(newDialect(dn), nil)
			if err != nil {
				t.Fatal(err)
			}
			if m.useLease() {
				t.Errorf("%s: auto mode uses the lease", dn)
			}
			if m, _ = NewProject(newDialect(dn), nil, WithLeaseLock(0)); !m.useLease() || m.leaseTTL != DefaultLeaseTTL {
				t.Errorf("%s: WithLeaseLock(0): lease %v, ttl %s", dn, m.useLease(), m.leaseTTL)
			}
		}
	})
	t.Run("a dialect without any lock gets the lease", func(t *testing.T) {
		m, err := NewProject(struct{ dialect.Dialect }{postgres.New()}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !m.useLease() {
			t.Error("no lease for a dialect without Locker or TxLocker")
		}
		// That dialect has no Leaser either: a run says so.
		if _, err := m.acquireLease(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "dialect.Leaser") {
			t.Errorf("acquireLease = %v", err)
		}
		if _, err := NewProject(struct{ dialect.Dialect }{postgres.New()}, nil, WithLeaseLock(0)); err == nil {
			t.Error("WithLeaseLock accepted a dialect without Leaser")
		}
	})
}

// revisionFS is a chain of SQL revisions r1 -> r2 -> ... with the given
// upgrade bodies.
func revisionFS(bodies ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	down := ""
	for i, b := range bodies {
		id := fmt.Sprintf("r%d", i+1)
		fsys[fmt.Sprintf("%03d_%s.sql", i+1, id)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"-- revision: %s\n-- down_revision: %s\n-- message: step %d\n\n-- +upgrade\n%s\n\n-- +downgrade\n", id, down, i+1, b))}
		down = id
	}
	return fsys
}

func openProvider(t *testing.T, db *sql.DB, dn string, fsys fstest.MapFS, opts ...Option) *Provider {
	t.Helper()
	p, err := Open(db, newDialect(dn), fsys, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLease_StolenStopsBeforeNextStep: the second revision takes the
// lease from its runner, which must not commit it, nor run the third.
// Where the step is a transaction, the theft is rolled back with it and
// the runner releases its own row; on MySQL the theft commits at once,
// and the row stays the thief's.
func TestLease_StolenStopsBeforeNextStep(t *testing.T) {
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			db, _ := testDB(t, dn)
			ctx := testContext(t)
			fsys := revisionFS(
				"CREATE TABLE t1 (id INTEGER);",
				"UPDATE retort_lock SET owner = 'thief';",
				"CREATE TABLE t3 (id INTEGER);",
			)
			p := openProvider(t, db, dn, fsys, WithLeaseLock(liveTTL))
			_, err := p.Upgrade(ctx, "head")
			if !errors.Is(err, ErrLeaseLost) || !errors.Is(err, ErrLockLost) {
				t.Fatalf("Upgrade = %v, want ErrLeaseLost", err)
			}
			var pe *PartialError
			if !errors.As(err, &pe) || strings.Join(pe.Applied, ",") != "r1" || pe.Failed != "r2" {
				t.Errorf("err = %#v, want r1 applied and r2 not committed", err)
			}
			if cur, err := p.Current(ctx); err != nil || strings.Join(cur, ",") != "r1" {
				t.Errorf("Current = %v, %v; want r1", cur, err)
			}
			if ok, err := p.proj.d.TableExists(ctx, db, dialect.Table{Name: "t3"}); err != nil || ok {
				t.Errorf("t3 exists: %v, %v", ok, err)
			}
			want := ""
			if !p.proj.d.TransactionalDDL() {
				want = "thief"
			}
			if got := lockOwner(t, p.proj, db); got != want {
				t.Errorf("owner = %q, want %q", got, want)
			}
		})
	}
}

// TestLease_StolenMidStepIsNotCommitted: another runner takes the lease
// over, and commits, while a step runs (as after this runner paused past
// the ttl, before its heartbeat could notice). The step must not commit.
// SQLite is left out: its write lock keeps the thief out during the step.
func TestLease_StolenMidStepIsNotCommitted(t *testing.T) {
	for _, dn := range []string{"postgres", "mysql"} {
		t.Run(dn, func(t *testing.T) {
			db, open := testDB(t, dn)
			ctx := testContext(t)
			thief := open()
			fsys := fstest.MapFS{
				"001_r1.sql": revisionFS("CREATE TABLE t1 (id INTEGER);")["001_r1.sql"],
				"002_r2.go":  goFile("r2", "r1", "stolen", true),
			}
			reg := &script.Registry{}
			reg.Add(script.GoRevision{Revision: "r2", DownRevision: "r1", Message: "stolen",
				Upgrade: func(o *op.Ops) error {
					o.Run("another runner takes the lease", func(ctx context.Context, _ op.DB) error {
						_, err := thief.ExecContext(ctx, "UPDATE retort_lock SET owner = 'thief'")
						return err
					})
					o.Execute("CREATE TABLE t2 (id INTEGER)")
					return nil
				},
				Downgrade: func(*op.Ops) error { return nil },
			})
			p := openProvider(t, db, dn, fsys, WithLeaseLock(liveTTL), WithRevisions(reg))
			_, err := p.Upgrade(ctx, "head")
			if !errors.Is(err, ErrLeaseLost) {
				t.Fatalf("Upgrade = %v, want ErrLeaseLost", err)
			}
			var pe *PartialError
			if !errors.As(err, &pe) || strings.Join(pe.Applied, ",") != "r1" || pe.Failed != "r2" {
				t.Errorf("err = %#v, want r1 applied and r2 not committed", err)
			}
			if cur, err := p.Current(ctx); err != nil || strings.Join(cur, ",") != "r1" {
				t.Errorf("Current = %v, %v; want r1", cur, err)
			}
			if ok, err := p.proj.d.TableExists(ctx, db, dialect.Table{Name: "t2"}); err != nil || ok {
				t.Errorf("t2 exists: %v, %v", ok, err)
			}
			if got := lockOwner(t, p.proj, db); got != "thief" {
				t.Errorf("owner = %q, want the thief's row left alone", got)
			}
		})
	}
}

// TestLease_ConcurrentUpgrade runs two upgrades with the lease lock at
// once, each with its own pool as two processes would: both succeed and
// every revision runs exactly once.
func TestLease_ConcurrentUpgrade(t *testing.T) {
	const (
		revisions = 12
		runners   = 2
		trials    = 3
	)
	var bodies []string
	for i := 1; i <= revisions; i++ {
		bodies = append(bodies, fmt.Sprintf("INSERT INTO applied (rev) VALUES ('r%d');", i))
	}
	fsys := revisionFS(bodies...)
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			for trial := 0; trial < trials; trial++ {
				first, open := testDB(t, dn)
				ctx := testContext(t)
				if _, err := first.ExecContext(ctx, "CREATE TABLE applied (rev VARCHAR(20) NOT NULL)"); err != nil {
					t.Fatal(err)
				}
				var wg sync.WaitGroup
				errs := make([]error, runners)
				start := make(chan struct{})
				for r := 0; r < runners; r++ {
					p := openProvider(t, open(), dn, fsys, WithLeaseLock(liveTTL))
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						_, errs[r] = p.Upgrade(ctx, "head")
					}()
				}
				close(start)
				wg.Wait()
				for r, err := range errs {
					if err != nil {
						t.Errorf("trial %d: runner %d: %v", trial, r, err)
					}
				}
				rows, err := first.QueryContext(ctx, "SELECT rev, COUNT(*) FROM applied GROUP BY rev")
				if err != nil {
					t.Fatal(err)
				}
				seen := 0
				for rows.Next() {
					var rev string
					var n int
					if err := rows.Scan(&rev, &n); err != nil {
						t.Fatal(err)
					}
					seen++
					if n != 1 {
						t.Errorf("trial %d: %s ran %d times", trial, rev, n)
					}
				}
				rows.Close()
				if seen != revisions {
					t.Errorf("trial %d: %d revisions ran, want %d", trial, seen, revisions)
				}
				m := leaseProject(t, dn, nil)
				if ok, err := m.d.TableExists(ctx, first, m.LockTable()); err != nil || !ok {
					t.Fatalf("trial %d: no lock table: the runs did not use the lease (%v)", trial, err)
				}
				if got := lockOwner(t, m, first); got != "" {
					t.Errorf("trial %d: lease row left behind, owner %q", trial, got)
				}
			}
		})
	}
}

// TestLease_LongStepOnSQLite: on SQLite the step's own transaction holds
// the write lock, so the heartbeat cannot extend the lease while a step
// runs longer than the ttl; no other runner can take it over meanwhile
// either, and the step's fence extends it before the commit. The run
// must neither lose its lease nor let a second runner in.
func TestLease_LongStepOnSQLite(t *testing.T) {
	db, open := testDB(t, "sqlite")
	ctx := testContext(t)
	fsys := fstest.MapFS{
		"001_r1.sql": revisionFS("CREATE TABLE t1 (id INTEGER);")["001_r1.sql"],
		"002_r2.go":  goFile("r2", "r1", "slow", true),
	}
	reg := &script.Registry{}
	reg.Add(script.GoRevision{Revision: "r2", DownRevision: "r1", Message: "slow",
		Upgrade: func(o *op.Ops) error {
			o.Execute("INSERT INTO t1 (id) VALUES (1)")
			o.Run("a step four times as long as the ttl", func(ctx context.Context, _ op.DB) error {
				select {
				case <-time.After(4 * testTTL):
					return nil
				case <-ctx.Done():
					return context.Cause(ctx)
				}
			})
			return nil
		},
		Downgrade: func(*op.Ops) error { return nil },
	})
	p := openProvider(t, db, "sqlite", fsys, WithLeaseLock(testTTL), WithRevisions(reg))
	second := openProvider(t, open(), "sqlite", fsys, WithLeaseLock(testTTL), WithRevisions(reg))
	errs := make(chan error, 1)
	go func() {
		time.Sleep(2 * testTTL) // the first runner is in its slow step
		_, err := second.Upgrade(ctx, "head")
		errs <- err
	}()
	if _, err := p.Upgrade(ctx, "head"); err != nil {
		t.Fatalf("Upgrade with a step longer than the lease's ttl: %v", err)
	}
	if err := <-errs; err != nil {
		t.Fatalf("second runner: %v", err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM t1").Scan(&n); err != nil || n != 1 {
		t.Errorf("t1 has %d rows (%v), want 1: the slow step ran once", n, err)
	}
	if cur, err := p.Current(ctx); err != nil || strings.Join(cur, ",") != "r2" {
		t.Errorf("Current = %v, %v; want r2", cur, err)
	}
}
