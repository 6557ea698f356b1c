package cli

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/retortdb/retort/internal/dbtest"
)

// syncBuffer is a bytes.Buffer that a process writes while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
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

// safetyNet bounds the waits of the fault tests: none of them should
// come near it, it only keeps a broken engine from hanging the test.
const safetyNet = 90 * time.Second

// faultDialect is how a dialect's long step sleeps and how the test sees
// that a process is inside it.
type faultDialect struct {
	name string
	// long sleeps for the number in fault_cfg.n (seconds; SQLite: rows of
	// a busy loop).
	long string
	// longN and shortN are fault_cfg.n for the killed run and the reruns.
	longN, shortN int64
	// inside returns the server session running the long statement
	// ("" while none is), to terminate it; SQLite has none.
	inside func(t *testing.T, db *dbtest.DB) string
	// terminate ends a server session from outside.
	terminate string
	// transactional: the killed step rolls back; otherwise it is left
	// dirty.
	transactional bool
}

var faultDialects = []faultDialect{
	{
		name:  "sqlite",
		long:  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < (SELECT n FROM fault_cfg)) SELECT count(*) FROM c",
		longN: 1 << 40, shortN: 1,
		transactional: true,
	},
	{
		name:  "postgres",
		long:  "SELECT pg_sleep(n) FROM fault_cfg",
		longN: 300, shortN: 0,
		inside: func(t *testing.T, db *dbtest.DB) string {
			rows := queryStrings(t, db.SQL, `SELECT pid FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%pg_sleep(n)%'`)
			return strings.Join(rows, "")
		},
		terminate:     "SELECT pg_terminate_backend(%s)",
		transactional: true,
	},
	{
		name:  "mysql",
		long:  "SELECT SLEEP(n) FROM fault_cfg",
		longN: 300, shortN: 0,
		inside: func(t *testing.T, db *dbtest.DB) string {
			rows := queryStrings(t, db.SQL, `SELECT ID FROM information_schema.PROCESSLIST
WHERE DB = DATABASE() AND ID <> CONNECTION_ID() AND INFO LIKE '%SLEEP(n)%'`)
			return strings.Join(rows, "")
		},
		terminate: "KILL CONNECTION %s",
	},
}

// TestFaults interrupts `retort upgrade head` inside a long step, by
// kill -9 of the process or by the server dropping the step's
// connection, and checks what the next run finds: on PostgreSQL and
// SQLite the database is at the previous revision and the rerun
// completes; on MySQL, whose DDL commits as it goes, the step is dirty,
// the rerun refuses with a message that says how to recover, and that
// recovery works.
func TestFaults(t *testing.T) {
	faults := []struct {
		name string
		// recover is the operator's fix of a dirty step (MySQL):
		// --applied after finishing it by hand, or --rolled-back after
		// undoing it.
		recover string
	}{
		{"kill -9", "--applied"},
		{"dropped connection", "--rolled-back"},
	}
	for _, fd := range faultDialects {
		for _, fault := range faults {
			if fault.name == "dropped connection" && fd.inside == nil {
				continue // SQLite has no connection to drop
			}
			t.Run(fd.name+"/"+fault.name, func(t *testing.T) {
				t.Parallel()
				testFault(t, fd, fault.name, fault.recover)
			})
		}
	}
}

func testFault(t *testing.T, fd faultDialect, fault, recoverFlag string) {
	tdb := dbtest.For(t, fd.name)
	if fd.name == "mysql" {
		// A killed client's statement runs on in the server until it
		// ends (MySQL does not watch the client while a query runs):
		// end it, so that the database can be dropped.
		t.Cleanup(func() {
			for _, id := range queryStrings(t, tdb.SQL, "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()") {
				_, _ = tdb.SQL.Exec("KILL CONNECTION " + id)
			}
		})
	}
	mustExec(t, tdb.SQL, "CREATE TABLE fault_cfg (n BIGINT NOT NULL)",
		fmt.Sprintf("INSERT INTO fault_cfg (n) VALUES (%d)", fd.longN))
	revs := []testRev{
		{id: "r1", up: "CREATE TABLE t1 (id INT);", downSQL: "DROP TABLE t1;"},
		{id: "r2", down: "r1", message: "long step",
			up:      "CREATE TABLE t2 (id INT);\n" + fd.long + ";\nCREATE TABLE t3 (id INT);",
			downSQL: "DROP TABLE t3;\nDROP TABLE t2;"},
		{id: "r3", down: "r2", up: "CREATE TABLE t4 (id INT);", downSQL: "DROP TABLE t4;"},
	}
	dir := writeProject(t, revs)
	tables := func() []string {
		var out []string
		for _, name := range []string{"t1", "t2", "t3", "t4"} {
			if tableExists(t, tdb, name) {
				out = append(out, name)
			}
		}
		return out
	}

	cmd := retortCmd(dir, tdb.URL, "upgrade", "head")
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	// Wait until the process is inside the long statement of r2.
	session := ""
	deadline := time.Now().Add(safetyNet)
	for {
		if strings.Contains(stderr.String(), "Running upgrade r1 -> r2") {
			if fd.inside == nil {
				// SQLite: r2's transaction has written (CREATE TABLE
				// t2), so its rollback journal exists.
				if _, err := os.Stat(tdb.Name + "-journal"); err == nil {
					break
				}
			} else if session = fd.inside(t, tdb); session != "" {
				break
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("retort exited (%v) before the long step:\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("retort not inside the long step after %s:\n%s", safetyNet, stderr.String())
		}
	}

	switch fault {
	case "kill -9":
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		waitExit(t, exited)
	case "dropped connection":
		mustExec(t, tdb.SQL, fmt.Sprintf(fd.terminate, session))
		err := waitExit(t, exited)
		if code := exitCode(t, err); code != 1 {
			t.Errorf("exit status %d after the connection dropped, want 1\n%s", code, stderr.String())
		}
		if msg := stderr.String(); !strings.Contains(msg, "revision r2") {
			t.Errorf("the error does not name revision r2:\n%s", msg)
		}
		t.Logf("stderr of the run that lost its connection:\n%s", stderr.String())
	}
	// The reruns do not sleep.
	mustExec(t, tdb.SQL, fmt.Sprintf("UPDATE fault_cfg SET n = %d", fd.shortN))

	if got := queryStrings(t, tdb.SQL, "SELECT version_num FROM retort_version"); strings.Join(got, ",") != "r1" {
		t.Errorf("after the fault the version table holds %v, want r1", got)
	}
	hist := func() string {
		return strings.Join(queryStrings(t, tdb.SQL, "SELECT revision, direction, dirty, stmt_index FROM retort_history ORDER BY id"), " ")
	}
	if fd.transactional {
		if got, want := hist(), "r1|up|0|1"; got != want {
			t.Errorf("after the fault the history holds %q, want %q", got, want)
		}
		if got := strings.Join(tables(), ","); got != "t1" {
			t.Errorf("after the fault the tables are %s, want t1: the step was not rolled back", got)
		}
		r := runRetortNet(t, dir, tdb.URL, "upgrade", "head")
		if r.code != 0 {
			t.Fatalf("rerun: exit status %d\n%s", r.code, r.stderr)
		}
	} else {
		if got, want := hist(), "r1|up|0|1 r2|up|1|1"; got != want {
			t.Errorf("after the fault the history holds %q, want %q", got, want)
		}
		if got := strings.Join(tables(), ","); got != "t1,t2" {
			t.Errorf("after the fault the tables are %s, want t1,t2", got)
		}
		r := runRetortNet(t, dir, tdb.URL, "upgrade", "head")
		if r.code != 1 {
			t.Fatalf("rerun on a dirty database: exit status %d, want 1\n%s", r.code, r.stderr)
		}
		for _, want := range []string{
			"revision r2 (up) did not finish",
			"1 of 3 statements completed, the last at migrations/002_r2.sql:6",
			"the next, at migrations/002_r2.sql:7, may have run in part",
			"retort -C " + dir + " resolve r2 --applied ",
			"retort -C " + dir + " resolve r2 --rolled-back ",
		} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("the refusal lacks %q:\n%s", want, r.stderr)
			}
		}
		t.Logf("rerun on the dirty database:\n%s", r.stderr)
		// The operator's recovery, as the message says.
		if recoverFlag == "--applied" {
			mustExec(t, tdb.SQL, "CREATE TABLE t3 (id INT)")
		} else {
			mustExec(t, tdb.SQL, "DROP TABLE t2")
		}
		if r := runRetortNet(t, dir, tdb.URL, "resolve", "r2", recoverFlag); r.code != 0 {
			t.Fatalf("resolve r2 %s: exit status %d\n%s", recoverFlag, r.code, r.stderr)
		}
		if r := runRetortNet(t, dir, tdb.URL, "upgrade", "head"); r.code != 0 {
			t.Fatalf("upgrade after resolve: exit status %d\n%s", r.code, r.stderr)
		}
	}
	if got := queryStrings(t, tdb.SQL, "SELECT version_num FROM retort_version"); strings.Join(got, ",") != "r3" {
		t.Errorf("after the rerun the version table holds %v, want r3", got)
	}
	if got := strings.Join(tables(), ","); got != "t1,t2,t3,t4" {
		t.Errorf("after the rerun the tables are %s, want t1,t2,t3,t4", got)
	}
	want := "r1|up|0|1 r2|up|0|3 r3|up|0|1"
	switch {
	case fd.transactional:
	case recoverFlag == "--applied":
		want = "r1|up|0|1 r2|up|0|1 r3|up|0|1"
	default:
		want = "r1|up|0|1 r2|rolledback-up|0|1 r2|up|0|3 r3|up|0|1"
	}
	if got := hist(); got != want {
		t.Errorf("after the rerun the history holds %q, want %q", got, want)
	}
}

// waitExit waits for a process started by the test to end.
func waitExit(t *testing.T, exited <-chan error) error {
	t.Helper()
	select {
	case err := <-exited:
		return err
	case <-time.After(safetyNet):
		t.Fatalf("retort still running %s after the fault", safetyNet)
		return nil
	}
}

// runRetortNet runs a retort process, killing it (and failing the test)
// if it hangs.
func runRetortNet(t *testing.T, dir, url string, args ...string) procResult {
	t.Helper()
	cmd := retortCmd(dir, url, args...)
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return procResult{stdout.String(), stderr.String(), exitCode(t, err)}
	case <-time.After(safetyNet):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("retort %s hangs (killed after %s):\n%s", strings.Join(args, " "), safetyNet, stderr.String())
		return procResult{}
	}
}

// tableExists reports whether the test database has a table.
func tableExists(t *testing.T, db *dbtest.DB, name string) bool {
	t.Helper()
	var q string
	switch db.Dialect {
	case "sqlite":
		q = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	case "postgres":
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
	default:
		q = "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?"
	}
	return queryStrings(t, db.SQL, q, name)[0] != "0"
}
