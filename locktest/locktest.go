// Package locktest is the conformance suite of a dialect's migration
// lock, as goose's lock/locktesting is for goose's lockers: it drives
// the engine (retort.Open and Provider.Upgrade) with several runners on
// one database, each with its own *sql.DB as separate processes would
// have, and checks what a runner sees: every step applied exactly once,
// a bounded wait that ends in retort.ErrLocked, a runner whose lock went
// away that stops with retort.ErrLockLost, and, where the dialect has
// dialect.Leaser, the same of the lease lock (retort.WithLeaseLock) and
// the take-over of an expired lease. It uses only the public API.
//
// A dialect written outside this module runs it from its own tests:
//
//	func TestLocking(t *testing.T) {
//		locktest.Run(t, locktest.Suite{
//			Dialect: mydialect.New(),
//			// A fresh, empty database for the test, and a function
//			// that opens another *sql.DB on it; the helper closes
//			// them and drops the database when the test ends.
//			Open: func(t testing.TB) func() *sql.DB {
//				name := freshDatabase(t)
//				return func() *sql.DB { return openPool(t, name) }
//			},
//			// Where the dialect has a session lock: end the session
//			// of the connection that holds it.
//			Kill: func(ctx context.Context, holder op.DB, other *sql.DB) error {
//				var id int64
//				if err := holder.QueryRowContext(ctx, "SELECT session_id()").Scan(&id); err != nil {
//					return err
//				}
//				_, err := other.ExecContext(ctx, "KILL SESSION ?", id)
//				return err
//			},
//		})
//	}
//
// The revisions the suite runs are plain SQL (CREATE TABLE with INTEGER
// and VARCHAR columns, INSERT, UPDATE, and CREATE TABLE ... AS SELECT to
// copy the lease lock table's row) and Go revisions whose functions hold
// a step open. The whole suite takes a few seconds per dialect.
package locktest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

// Suite is a dialect under test and how to reach databases for it.
type Suite struct {
	// Dialect is the dialect under test.
	Dialect dialect.Dialect
	// Open makes a fresh, empty database for one test and returns a
	// function that opens a new *sql.DB on it, as another process
	// would; the suite calls it once per runner. The caller's helper
	// closes each *sql.DB and drops the database when the test ends
	// (t.Cleanup). An SQLite-like database whose writers wait for a
	// file lock should open each pool with its busy timeout set.
	Open func(t testing.TB) (open func() *sql.DB)
	// Kill, when set, ends the database session of holder, the
	// connection of a running step (the one holding the dialect's
	// session lock, dialect.Locker), from other, a separate *sql.DB on
	// the same database, and returns once the session is gone: the
	// "killed" subtest then checks that the runner stops with
	// retort.ErrLockLost and that a waiting runner takes over. It needs
	// a dialect with a session lock.
	Kill func(ctx context.Context, holder op.DB, other *sql.DB) error
}

// Run runs the suite's subtests: "concurrent", "timeout", "killed" (when
// Kill is set), and, when the dialect implements dialect.Leaser, "lease"
// with its own "concurrent", "timeout", "expired", "stolen" and
// "release".
func Run(t *testing.T, s Suite) {
	t.Helper()
	if s.Dialect == nil || s.Open == nil {
		t.Fatal("locktest: Suite.Dialect and Suite.Open are required")
	}
	caps := dialect.Probe(s.Dialect)
	if s.Kill != nil && caps.Locker == nil {
		t.Fatalf("locktest: Suite.Kill is set but dialect %s has no session lock (dialect.Locker)", s.Dialect.Name())
	}
	t.Run("concurrent", func(t *testing.T) { s.concurrent(t) })
	t.Run("timeout", func(t *testing.T) { s.timeout(t, false) })
	if s.Kill != nil {
		t.Run("killed", s.killed)
	}
	if caps.Leaser == nil {
		return
	}
	lease := retort.WithLeaseLock(leaseTTL)
	t.Run("lease", func(t *testing.T) {
		t.Run("concurrent", func(t *testing.T) { s.concurrent(t, lease) })
		t.Run("timeout", func(t *testing.T) { s.timeout(t, true, lease) })
		t.Run("expired", s.expired)
		t.Run("stolen", s.stolen)
		t.Run("release", s.release)
	})
}

// leaseTTL is the lease of the suite's runs: long enough never to
// expire while its holder lives, since the suite expires a lease by
// rewriting its row instead of waiting.
const leaseTTL = 5 * time.Second

// testContext bounds a subtest.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// sqlRevisions is a linear chain of SQL revisions r1, r2, ... whose
// upgrades are bodies.
func sqlRevisions(bodies ...string) fstest.MapFS {
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

// goRevisionFile is the file of Go revision r1, whose upgrade is
// registered by goRevision: the engine reads its header from it.
func goRevisionFile() *fstest.MapFile {
	return &fstest.MapFile{Data: []byte(`package versions

import (
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

func init() {
	Registry.Add(script.GoRevision{
		Revision:     "r1",
		DownRevision: "",
		Message:      "hold",
		Upgrade:      func(o *op.Ops) error { return nil },
	})
}
`)}
}

// goRevision registers r1, which runs pre (when set) and then f on the
// step's connection.
func goRevision(pre string, f func(ctx context.Context, db op.DB) error) *script.Registry {
	reg := &script.Registry{}
	reg.Add(script.GoRevision{Revision: "r1", Message: "hold", Upgrade: func(o *op.Ops) error {
		if pre != "" {
			o.Execute(pre)
		}
		o.Run("hold the step", f)
		return nil
	}})
	return reg
}

// holdFS is r1 (Go), then r2 (SQL).
func holdFS() fstest.MapFS {
	return fstest.MapFS{
		"001_r1.go":  goRevisionFile(),
		"002_r2.sql": {Data: []byte("-- revision: r2\n-- down_revision: r1\n-- message: after\n\n-- +upgrade\nCREATE TABLE after_hold (id INTEGER);\n\n-- +downgrade\n")},
	}
}

// provider opens a Provider on db.
func (s Suite) provider(t *testing.T, db *sql.DB, fsys fstest.MapFS, opts ...retort.Option) *retort.Provider {
	t.Helper()
	p, err := retort.Open(db, s.Dialect, fsys, opts...)
	if err != nil {
		t.Fatalf("open a provider: %v", err)
	}
	return p
}

// exec runs statements on db.
func exec(ctx context.Context, t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// count returns the single number query returns.
func count(ctx context.Context, t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// waitLog is a slog.Handler that keeps the messages logged, and closes
// waiting at the first warning that the runner waits for a lock.
type waitLog struct {
	mu      sync.Mutex
	msgs    []string
	once    sync.Once
	waiting chan struct{}
}

func newWaitLog() *waitLog { return &waitLog{waiting: make(chan struct{})} }

func (w *waitLog) Enabled(context.Context, slog.Level) bool { return true }
func (w *waitLog) WithAttrs([]slog.Attr) slog.Handler       { return w }
func (w *waitLog) WithGroup(string) slog.Handler            { return w }
func (w *waitLog) Handle(_ context.Context, r slog.Record) error {
	w.mu.Lock()
	w.msgs = append(w.msgs, r.Message)
	w.mu.Unlock()
	if r.Level == slog.LevelWarn && strings.Contains(r.Message, "waiting for the") {
		w.once.Do(func() { close(w.waiting) })
	}
	return nil
}

// waited reports whether the runner said it waits for a lock.
func (w *waitLog) waited() bool {
	select {
	case <-w.waiting:
		return true
	default:
		return false
	}
}

func (w *waitLog) option() retort.Option { return retort.WithLogger(slog.New(w)) }

// concurrent starts several runners at once, each with its own *sql.DB,
// upgrading to head: every one succeeds and ends at head, every
// revision's body ran once and has one "up" history row.
func (s Suite) concurrent(t *testing.T, opts ...retort.Option) {
	const (
		revisions = 10
		runners   = 4
		trials    = 2
	)
	var bodies []string
	for i := 1; i <= revisions; i++ {
		bodies = append(bodies, fmt.Sprintf("INSERT INTO applied (rev) VALUES ('r%d');", i))
	}
	fsys := sqlRevisions(bodies...)
	head := fmt.Sprintf("r%d", revisions)
	for trial := range trials {
		open := s.Open(t)
		first := open()
		ctx := testContext(t)
		exec(ctx, t, first, "CREATE TABLE applied (rev VARCHAR(20) NOT NULL)")
		ps := make([]*retort.Provider, runners)
		for r := range ps {
			ps[r] = s.provider(t, open(), fsys, opts...)
		}
		errs := make([]error, runners)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for r, p := range ps {
			wg.Go(func() {
				<-start
				_, errs[r] = p.Upgrade(ctx, "head")
			})
		}
		close(start)
		wg.Wait()
		for r, err := range errs {
			if err != nil {
				t.Errorf("trial %d: runner %d: %v", trial, r, err)
			}
		}
		for r, p := range ps {
			if cur, err := p.Current(ctx); err != nil || len(cur) != 1 || cur[0] != head {
				t.Errorf("trial %d: runner %d: Current = %v, %v; want [%s]", trial, r, cur, err, head)
			}
		}
		for i := 1; i <= revisions; i++ {
			rev := fmt.Sprintf("r%d", i)
			if n := count(ctx, t, first, "SELECT COUNT(*) FROM applied WHERE rev = '"+rev+"'"); n != 1 {
				t.Errorf("trial %d: the body of %s ran %d times, want once", trial, rev, n)
			}
		}
		hist, err := ps[0].History(ctx)
		if err != nil {
			t.Fatalf("trial %d: History: %v", trial, err)
		}
		ups := map[string]int{}
		for _, h := range hist {
			if h.Direction != "up" || h.Dirty {
				t.Errorf("trial %d: history row %+v; want only clean up steps", trial, h)
			}
			ups[h.Revision]++
		}
		for i := 1; i <= revisions; i++ {
			if rev := fmt.Sprintf("r%d", i); ups[rev] != 1 {
				t.Errorf("trial %d: %s has %d history rows, want 1", trial, rev, ups[rev])
			}
		}
		if len(hist) != revisions {
			t.Errorf("trial %d: %d history rows, want %d", trial, len(hist), revisions)
		}
		if t.Failed() {
			return
		}
	}
}

// holder starts a runner that holds the lock until release is closed;
// it returns once the lock is held, with the channel of the run's
// result. The runner holds it in its step r1 (a Go function that waits),
// or, with betweenSteps, after r1 committed (a step observer that
// waits): the lease lock is held for the whole run, while SQLite's write
// lock, which the step's transaction takes, would keep even the lease's
// own heartbeat out during a step.
func (s Suite) holder(ctx context.Context, t *testing.T, db *sql.DB, release <-chan struct{}, betweenSteps bool, opts ...retort.Option) <-chan error {
	t.Helper()
	entered := make(chan struct{})
	hold := func(ctx context.Context) error {
		close(entered)
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	reg := goRevision("", func(ctx context.Context, _ op.DB) error { return hold(ctx) })
	if betweenSteps {
		reg = passing()
		opts = append(opts, retort.WithStepObserver(func(retort.StepResult) { _ = hold(ctx) }))
	}
	p := s.provider(t, db, holdFS(), append(opts, retort.WithRevisions(reg))...)
	done := make(chan error, 1)
	go func() { _, err := p.Upgrade(ctx, "r1"); done <- err }()
	select {
	case <-entered:
	case err := <-done:
		t.Fatalf("the holding runner ended before it held the lock: %v", err)
	}
	return done
}

// passing registers r1 as a step that does nothing.
func passing() *script.Registry {
	return goRevision("", func(context.Context, op.DB) error { return nil })
}

// timeout holds the lock in a runner (see holder): a second runner with
// WithLockTimeout gets an error wrapping ErrLocked, and, once the first
// is done, a third upgrades to head.
func (s Suite) timeout(t *testing.T, betweenSteps bool, opts ...retort.Option) {
	open := s.Open(t)
	ctx := testContext(t)
	release := make(chan struct{})
	done := s.holder(ctx, t, open(), release, betweenSteps, opts...)
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	log := newWaitLog()
	waiter := s.provider(t, open(), holdFS(), append(opts, retort.WithRevisions(passing()),
		retort.WithLockTimeout(200*time.Millisecond), log.option())...)
	_, err := waiter.Upgrade(ctx, "head")
	if !errors.Is(err, retort.ErrLocked) {
		t.Fatalf("Upgrade while another runner holds the lock = %v, want an error wrapping ErrLocked", err)
	}
	if !log.waited() {
		t.Errorf("the runner timed out without saying it waits for the lock: %q", log.msgs)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("holding runner: %v", err)
	}
	p := s.provider(t, open(), holdFS(), append(opts, retort.WithRevisions(passing()), retort.WithLockTimeout(30*time.Second))...)
	res, err := p.Upgrade(ctx, "head")
	if err != nil {
		t.Fatalf("Upgrade once the lock is free: %v", err)
	}
	if got := strings.Join(res.Revisions(), ","); got != "r2" {
		t.Errorf("Upgrade once the lock is free applied %q, want r2", got)
	}
}

// killed kills the session of a runner's step (and lock) while a second
// runner waits for the lock: the first stops with ErrLockLost, and the
// step's work stays once. Where DDL is transactional the killed step was
// rolled back and the second runner applies it; elsewhere it stopped
// half way, and the second runner finds it dirty.
func (s Suite) killed(t *testing.T) {
	open := s.Open(t)
	first, other := open(), open()
	ctx := testContext(t)
	exec(ctx, t, first, "CREATE TABLE applied (n INTEGER NOT NULL)")
	const insert = "INSERT INTO applied (n) VALUES (1)"
	log := newWaitLog()
	entered := make(chan struct{})
	var killErr error
	reg := goRevision(insert, func(ctx context.Context, db op.DB) error {
		close(entered)
		select {
		case <-log.waiting:
		case <-ctx.Done():
			return ctx.Err()
		}
		killErr = s.Kill(ctx, db, other)
		return nil
	})
	a := s.provider(t, open(), holdFS(), retort.WithRevisions(reg))
	aDone := make(chan error, 1)
	go func() { _, err := a.Upgrade(ctx, "r1"); aDone <- err }()
	select {
	case <-entered:
	case err := <-aDone:
		t.Fatalf("the first runner ended before its step: %v", err)
	}
	b := s.provider(t, open(), holdFS(), retort.WithRevisions(goRevision(insert, func(context.Context, op.DB) error { return nil })), log.option())
	bDone := make(chan error, 1)
	go func() { _, err := b.Upgrade(ctx, "r1"); bDone <- err }()

	errA := <-aDone
	if killErr != nil {
		t.Fatalf("Kill: %v", killErr)
	}
	if !errors.Is(errA, retort.ErrLockLost) {
		t.Errorf("the runner whose session was killed = %v, want an error wrapping ErrLockLost", errA)
	}
	errB := <-bDone
	if s.Dialect.TransactionalDDL() {
		if errB != nil {
			t.Errorf("the waiting runner = %v, want it to apply the rolled back step", errB)
		}
	} else if !errors.Is(errB, retort.ErrDirty) {
		t.Errorf("the waiting runner = %v, want ErrDirty for the step stopped half way", errB)
	}
	if n := count(ctx, t, first, "SELECT COUNT(*) FROM applied"); n != 1 {
		t.Errorf("the step's work stayed %d times, want once", n)
	}
}

// lockTable is the quoted lease lock table of a project with the
// default options.
func (s Suite) lockTable(t *testing.T) string {
	t.Helper()
	proj, err := retort.NewProject(s.Dialect, nil)
	if err != nil {
		t.Fatalf("new project: %v", err)
	}
	return s.Dialect.QuoteTable(proj.LockTable())
}

// expired leaves a lease row of a runner that died (copied from a real
// one, then expired): the next runner takes it over and upgrades.
func (s Suite) expired(t *testing.T) {
	open := s.Open(t)
	db := open()
	ctx := testContext(t)
	lease := retort.WithLeaseLock(leaseTTL)
	lock := s.lockTable(t)
	fsys := sqlRevisions(
		"CREATE TABLE stash AS SELECT * FROM "+lock+";",
		"CREATE TABLE t2 (id INTEGER);",
	)
	a := s.provider(t, open(), fsys, lease)
	if _, err := a.Upgrade(ctx, "r1"); err != nil {
		t.Fatalf("first runner: %v", err)
	}
	if n := count(ctx, t, db, "SELECT COUNT(*) FROM stash"); n != 1 {
		t.Fatalf("the first runner's step saw %d lease rows, want its own", n)
	}
	exec(ctx, t, db,
		"INSERT INTO "+lock+" SELECT * FROM stash",
		"UPDATE "+lock+" SET owner = 'dead runner', expires_at = acquired_at")
	log := newWaitLog()
	b := s.provider(t, open(), fsys, lease, retort.WithLockTimeout(30*time.Second), log.option())
	res, err := b.Upgrade(ctx, "head")
	if err != nil {
		t.Fatalf("Upgrade past a dead runner's expired lease: %v", err)
	}
	if got := strings.Join(res.Revisions(), ","); got != "r2" {
		t.Errorf("applied %q, want r2", got)
	}
	if n := count(ctx, t, db, "SELECT COUNT(*) FROM "+lock); n != 0 {
		t.Errorf("%d lease rows left after the run, want none", n)
	}
}

// stolen: the second revision rewrites the lease row as another
// runner's. The run stops with ErrLeaseLost (and ErrLockLost), r2 not
// committed and r3 not run. Where the step is a transaction the theft is
// rolled back with it and the runner releases its own row; elsewhere the
// row stays the thief's.
func (s Suite) stolen(t *testing.T) {
	open := s.Open(t)
	db := open()
	ctx := testContext(t)
	lease := retort.WithLeaseLock(leaseTTL)
	lock := s.lockTable(t)
	p := s.provider(t, open(), sqlRevisions(
		"CREATE TABLE t1 (id INTEGER);",
		"UPDATE "+lock+" SET owner = 'thief';",
		"CREATE TABLE t3 (id INTEGER);",
	), lease)
	_, err := p.Upgrade(ctx, "head")
	if !errors.Is(err, retort.ErrLeaseLost) || !errors.Is(err, retort.ErrLockLost) {
		t.Fatalf("Upgrade = %v, want an error wrapping ErrLeaseLost and ErrLockLost", err)
	}
	var pe *retort.PartialError
	if !errors.As(err, &pe) || strings.Join(pe.Applied, ",") != "r1" || pe.Failed != "r2" {
		t.Errorf("err = %#v, want r1 applied and r2 not committed", err)
	}
	if cur, err := p.Current(ctx); err != nil || strings.Join(cur, ",") != "r1" {
		t.Errorf("Current = %v, %v; want [r1]", cur, err)
	}
	if ok, err := s.Dialect.TableExists(ctx, db, dialect.Table{Name: "t3"}); err != nil || ok {
		t.Errorf("r3 ran after the lease was lost (t3 exists: %v, %v)", ok, err)
	}
	want := 0
	if !s.Dialect.TransactionalDDL() {
		want = 1
	}
	if n := count(ctx, t, db, "SELECT COUNT(*) FROM "+lock+" WHERE owner = 'thief'"); n != want {
		t.Errorf("%d rows of the thief, want %d", n, want)
	}
	if n := count(ctx, t, db, "SELECT COUNT(*) FROM "+lock+" WHERE owner <> 'thief'"); n != 0 {
		t.Errorf("%d lease rows of the runner left, want none", n)
	}
}

// release: a run's lease is gone when it ends, and the next runner takes
// it without waiting.
func (s Suite) release(t *testing.T) {
	open := s.Open(t)
	db := open()
	ctx := testContext(t)
	lease := retort.WithLeaseLock(leaseTTL)
	fsys := sqlRevisions("CREATE TABLE t1 (id INTEGER);", "CREATE TABLE t2 (id INTEGER);")
	a := s.provider(t, open(), fsys, lease)
	if _, err := a.Upgrade(ctx, "r1"); err != nil {
		t.Fatalf("first runner: %v", err)
	}
	lock := s.lockTable(t)
	if n := count(ctx, t, db, "SELECT COUNT(*) FROM "+lock); n != 0 {
		t.Errorf("%d lease rows left after the run, want none", n)
	}
	log := newWaitLog()
	b := s.provider(t, open(), fsys, lease, retort.WithLockTimeout(time.Nanosecond), log.option())
	if _, err := b.Upgrade(ctx, "head"); err != nil {
		t.Fatalf("take a released lease: %v", err)
	}
	if log.waited() {
		t.Errorf("waited for a released lease: %q", log.msgs)
	}
}
