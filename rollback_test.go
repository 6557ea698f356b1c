package retort

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

// errRefused is the error of a statement that refusingConnector refuses.
var errRefused = errors.New("refused by the test driver")

// refusingConnector opens connections of a real driver on which one
// statement (ROLLBACK, COMMIT) fails without running, so that the
// transaction stays open on the connection, and counts the connections
// opened and closed.
type refusingConnector struct {
	drv            driver.Driver
	dsn            string
	refuse         string
	opened, closed atomic.Int64
}

func (c *refusingConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	c.opened.Add(1)
	return &refusingConn{Conn: conn, refuse: c.refuse, closed: &c.closed}, nil
}

func (c *refusingConnector) Driver() driver.Driver { return c.drv }

type refusingConn struct {
	driver.Conn
	refuse string
	closed *atomic.Int64
}

func (c *refusingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if strings.EqualFold(strings.TrimSpace(query), c.refuse) {
		return nil, errRefused
	}
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c *refusingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
}

func (c *refusingConn) Close() error {
	c.closed.Add(1)
	return c.Conn.Close()
}

// TestRollback_FailedIsReportedAndDiscarded: on SQLite, whose run returns
// its connection to the caller's pool, a step fails and so does its
// ROLLBACK. The run's error is the step's and says the rollback failed;
// the connection, still inside the step's transaction and holding the
// write lock, is closed rather than pooled, which ends that transaction:
// another pool can write, and the failed step left nothing.
func TestRollback_FailedIsReportedAndDiscarded(t *testing.T) {
	plain, open := testDB(t, "sqlite")
	ctx := testContext(t)
	fsys := revisionFS(
		"CREATE TABLE t1 (id INTEGER);",
		"CREATE TABLE t2 (id INTEGER);\nINSERT INTO no_such_table (id) VALUES (1);",
	)
	if _, err := openProvider(t, plain, "sqlite", fsys).Upgrade(ctx, "r1"); err != nil {
		t.Fatal(err)
	}
	var dsn string
	if err := plain.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&dsn); err != nil {
		t.Fatal(err)
	}
	c := &refusingConnector{drv: plain.Driver(), dsn: dsn, refuse: "ROLLBACK"}
	db := sql.OpenDB(c)
	t.Cleanup(func() { db.Close() })

	_, err := openProvider(t, db, "sqlite", fsys).Upgrade(ctx, "head")
	var se *StmtError
	if !errors.As(err, &se) || se.Revision != "r2" || !strings.Contains(se.SQL, "no_such_table") {
		t.Fatalf("Upgrade = %v, want the StmtError of r2's INSERT", err)
	}
	if !errors.Is(err, errRefused) || !strings.Contains(err.Error(), "rollback failed") {
		t.Errorf("Upgrade = %v, does not report the failed rollback", err)
	}
	if st := db.Stats(); st.OpenConnections != 0 || st.Idle != 0 {
		t.Errorf("the pool keeps %d connections (%d idle) after a failed rollback, want none", st.OpenConnections, st.Idle)
	}
	if o, cl := c.opened.Load(), c.closed.Load(); o == 0 || o != cl {
		t.Errorf("%d connections opened, %d closed; want all closed", o, cl)
	}
	// The step's transaction ended with its connection: another pool
	// writes at once, and the step's table is not there.
	other := open()
	if _, err := other.ExecContext(ctx, "INSERT INTO t1 (id) VALUES (1)"); err != nil {
		t.Errorf("write after the failed run: %v", err)
	}
	var n int
	if err := other.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE name = 't2'").Scan(&n); err != nil || n != 0 {
		t.Errorf("table t2 exists %d times (%v) after its step failed, want 0", n, err)
	}
	cur, err := openProvider(t, other, "sqlite", fsys).Current(ctx)
	if err != nil || strings.Join(cur, ",") != "r1" {
		t.Errorf("Current = %v, %v; want r1", cur, err)
	}
}

// TestRollback_CancelledStillRollsBack: a transaction whose run was
// cancelled is still rolled back; a rollback that succeeds returns the
// step's error as it was and leaves the connection to its pool.
func TestRollback_CancelledStillRollsBack(t *testing.T) {
	db, _ := testDB(t, "sqlite")
	ctx := testContext(t)
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id INTEGER)"); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"BEGIN", "INSERT INTO t (id) VALUES (1)"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	runCtx, cancel := context.WithCancel(ctx)
	cancel()
	stepErr := errors.New("the step failed")
	m := &Project{}
	if err := m.rollback(runCtx, conn, stepErr); err != stepErr {
		t.Errorf("rollback = %v, want the step's error alone", err)
	}
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 0 {
		t.Errorf("t has %d rows (%v) after the rollback, want 0", n, err)
	}
	conn.Close()
	if st := db.Stats(); st.OpenConnections != 1 || st.Idle != 1 {
		t.Errorf("pool: %d open, %d idle; want the connection back, idle", st.OpenConnections, st.Idle)
	}
}

// TestRollback_Discard: with each driver retort supports, a discarded
// connection is closed, on the client and on the server, and its pool
// goes on with a new one.
func TestRollback_Discard(t *testing.T) {
	for _, tc := range []struct {
		dialect string
		id      string // the session's id on the server
		alive   string // whether the session of id is alive, seen from another
	}{
		{"sqlite", "", ""},
		{"postgres", "SELECT pg_backend_pid()", "SELECT count(*) > 0 FROM pg_stat_activity WHERE pid = $1"},
		{"mysql", "SELECT CONNECTION_ID()", "SELECT COUNT(*) > 0 FROM information_schema.PROCESSLIST WHERE ID = ?"},
	} {
		t.Run(tc.dialect, func(t *testing.T) {
			db, open := testDB(t, tc.dialect)
			ctx := testContext(t)
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var id int64
			if tc.id != "" {
				if err := conn.QueryRowContext(ctx, tc.id).Scan(&id); err != nil {
					t.Fatal(err)
				}
			}
			discard(conn)
			if st := db.Stats(); st.OpenConnections != 0 || st.Idle != 0 {
				t.Errorf("pool: %d open, %d idle after discard; want none", st.OpenConnections, st.Idle)
			}
			if err := conn.PingContext(ctx); !errors.Is(err, sql.ErrConnDone) {
				t.Errorf("ping of the discarded connection = %v, want sql.ErrConnDone", err)
			}
			if tc.alive != "" {
				other := open()
				waitFor(ctx, t, "the server to end the discarded session", func() (bool, error) {
					var alive bool
					err := other.QueryRowContext(ctx, tc.alive, id).Scan(&alive)
					return !alive, err
				})
			}
			var one int
			if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
				t.Errorf("the pool after discard: %d, %v", one, err)
			}
		})
	}
}

// TestRollback_KilledConnection: the server ends the run's connection
// while a step runs in its transaction, so that the step fails and its
// ROLLBACK cannot run. (MySQL runs a step's statements outside any
// transaction, DDL committing on its own: TestRollback_KilledMidTransaction
// kills its connection in one.)
// The run's error is the step's and reports the failed rollback, and the
// caller's pool does not get the dead connection back: its next query
// succeeds.
func TestRollback_KilledConnection(t *testing.T) {
	for _, tc := range []struct {
		dialect string
		body    string
		// find returns the id of the session that sleeps in the step, or 0.
		find string
		kill string
	}{
		{
			dialect: "postgres",
			body:    "SELECT pg_sleep(60);",
			find:    "SELECT COALESCE(MAX(pid), 0) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE 'SELECT pg_sleep(60)%' AND pid <> pg_backend_pid()",
			kill:    "SELECT pg_terminate_backend($1)",
		},
	} {
		t.Run(tc.dialect, func(t *testing.T) {
			db, open := testDB(t, tc.dialect)
			ctx := testContext(t)
			fsys := revisionFS("CREATE TABLE t1 (id INTEGER);", tc.body)
			p := openProvider(t, db, tc.dialect, fsys)
			if _, err := p.Upgrade(ctx, "r1"); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { _, err := p.Upgrade(ctx, "head"); done <- err }()
			other := open()
			var id int64
			waitFor(ctx, t, "the runner to sleep in its step", func() (bool, error) {
				err := other.QueryRowContext(ctx, tc.find).Scan(&id)
				return id != 0, err
			})
			if _, err := other.ExecContext(ctx, tc.kill, id); err != nil {
				t.Fatalf("kill session %d: %v", id, err)
			}
			err := <-done
			var se *StmtError
			if !errors.As(err, &se) || se.Revision != "r2" {
				t.Fatalf("Upgrade = %v, want the StmtError of r2", err)
			}
			var pe *PartialError
			if !errors.As(err, &pe) || pe.Failed != "r2" || strings.Join(pe.Applied, ",") != "" {
				t.Errorf("Upgrade = %#v, want r2 failed and nothing applied", err)
			}
			if !strings.Contains(err.Error(), "rollback failed") {
				t.Errorf("Upgrade = %v, does not report the failed rollback", err)
			}
			if st := db.Stats(); st.OpenConnections != 0 {
				t.Errorf("the pool keeps %d connections after the run, want none", st.OpenConnections)
			}
			cur, err := p.Current(ctx)
			if err != nil || strings.Join(cur, ",") != "r1" {
				t.Errorf("Current on the caller's pool = %v, %v; want r1", cur, err)
			}
		})
	}
}

// TestRollback_KilledMidTransaction: the server ends a connection inside
// a transaction, so that its ROLLBACK fails: the error is the step's,
// followed by the rollback's, and the connection does not go back to the
// pool, which answers its next query. The server undid the transaction.
func TestRollback_KilledMidTransaction(t *testing.T) {
	for _, tc := range []struct {
		dialect string
		id      string
		kill    string
		alive   string
	}{
		{"postgres", "SELECT pg_backend_pid()", "SELECT pg_terminate_backend($1)", "SELECT count(*) > 0 FROM pg_stat_activity WHERE pid = $1"},
		{"mysql", "SELECT CONNECTION_ID()", "KILL ?", "SELECT COUNT(*) > 0 FROM information_schema.PROCESSLIST WHERE ID = ?"},
	} {
		t.Run(tc.dialect, func(t *testing.T) {
			db, open := testDB(t, tc.dialect)
			ctx := testContext(t)
			if _, err := db.ExecContext(ctx, "CREATE TABLE t (id INTEGER)"); err != nil {
				t.Fatal(err)
			}
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var id int64
			if err := conn.QueryRowContext(ctx, tc.id).Scan(&id); err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{"BEGIN", "INSERT INTO t (id) VALUES (1)"} {
				if _, err := conn.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			other := open()
			if _, err := other.ExecContext(ctx, tc.kill, id); err != nil {
				t.Fatalf("kill session %d: %v", id, err)
			}
			waitFor(ctx, t, "the server to end the killed session", func() (bool, error) {
				var alive bool
				err := other.QueryRowContext(ctx, tc.alive, id).Scan(&alive)
				return !alive, err
			})
			stepErr := errors.New("the step failed")
			err = (&Project{}).rollback(ctx, conn, stepErr)
			if !errors.Is(err, stepErr) || !strings.HasPrefix(err.Error(), stepErr.Error()) || !strings.Contains(err.Error(), "rollback failed") {
				t.Errorf("rollback = %v, want the step's error, then the rollback's", err)
			}
			if st := db.Stats(); st.OpenConnections != 0 {
				t.Errorf("the pool keeps %d connections after the failed rollback, want none", st.OpenConnections)
			}
			var n int
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 0 {
				t.Errorf("the pool's next query: %d rows, %v; want 0 rows", n, err)
			}
		})
	}
}

// TestRollback_NothingToRollBack: a step that fails outside a transaction
// (a -- +no-transaction statement) has nothing to roll back, and its
// error says nothing of a rollback.
func TestRollback_NothingToRollBack(t *testing.T) {
	for _, dn := range []string{"sqlite", "postgres", "mysql"} {
		t.Run(dn, func(t *testing.T) {
			db, _ := testDB(t, dn)
			ctx := testContext(t)
			p := openProvider(t, db, dn, revisionFS("CREATE TABLE t1 (id INTEGER);", "-- +no-transaction\nINSERT INTO no_such_table (id) VALUES (1);"))
			_, err := p.Upgrade(ctx, "head")
			var se *StmtError
			if !errors.As(err, &se) || se.Revision != "r2" {
				t.Fatalf("Upgrade = %v, want the StmtError of r2", err)
			}
			if strings.Contains(err.Error(), "rollback") {
				t.Errorf("Upgrade = %v, speaks of a rollback", err)
			}
		})
	}
}

// TestRollback_FailedCommit: on SQLite a COMMIT that fails may leave its
// transaction open (SQLITE_BUSY); retort rolls it back, so that the
// connection goes back to the pool outside any transaction and the
// database's write lock is free.
func TestRollback_FailedCommit(t *testing.T) {
	plain, open := testDB(t, "sqlite")
	ctx := testContext(t)
	fsys := revisionFS("CREATE TABLE t1 (id INTEGER);", "CREATE TABLE t2 (id INTEGER);")
	if _, err := openProvider(t, plain, "sqlite", fsys).Upgrade(ctx, "r1"); err != nil {
		t.Fatal(err)
	}
	var dsn string
	if err := plain.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&dsn); err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(&refusingConnector{drv: plain.Driver(), dsn: dsn, refuse: "COMMIT"})
	t.Cleanup(func() { db.Close() })

	_, err := openProvider(t, db, "sqlite", fsys).Upgrade(ctx, "head")
	if !errors.Is(err, errRefused) || strings.Contains(err.Error(), "rollback failed") {
		t.Fatalf("Upgrade = %v, want the refused commit, rolled back", err)
	}
	if st := db.Stats(); st.Idle != 1 {
		t.Errorf("pool: %d idle connections, want the run's back", st.Idle)
	}
	other := open()
	if _, err := other.ExecContext(ctx, "INSERT INTO t1 (id) VALUES (1)"); err != nil {
		t.Errorf("write after the failed commit: %v", err)
	}
	var n int
	if err := other.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE name = 't2'").Scan(&n); err != nil || n != 0 {
		t.Errorf("table t2 exists %d times (%v) after its commit failed, want 0", n, err)
	}
}
