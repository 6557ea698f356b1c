package retort

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/retortdb/retort/internal/dbtest"
)

// timeoutBodies are revisions that record the session's timeouts while
// they run (r2, r4) around one that changes them (r3), on dialect dn; r4
// runs outside a transaction on PostgreSQL.
func timeoutBodies(dn string) fstest.MapFS {
	if dn == "postgres" {
		return revisionFS(
			"CREATE TABLE seen (what TEXT, lock_v TEXT, stmt_v TEXT);",
			"INSERT INTO seen SELECT 'a', current_setting('lock_timeout'), current_setting('statement_timeout');",
			"SET lock_timeout = '77s'; SET statement_timeout = '77s';",
			"-- +no-transaction\nINSERT INTO seen SELECT 'b', current_setting('lock_timeout'), current_setting('statement_timeout');",
		)
	}
	return revisionFS(
		"CREATE TABLE seen (what VARCHAR(8), lock_v VARCHAR(32), stmt_v VARCHAR(32));",
		"INSERT INTO seen SELECT 'a', @@lock_wait_timeout, @@max_statement_time;",
		"SET SESSION lock_wait_timeout = 77, SESSION max_statement_time = 77;",
		"INSERT INTO seen SELECT 'b', @@lock_wait_timeout, @@max_statement_time;",
	)
}

// TestTimeouts_InEffect: every revision starts with the configured
// timeouts in effect, also after a revision changed them, in a
// transaction and outside one; after the run they are not in effect on
// the pool's next connection. MariaDB rounds the lock timeout up to whole
// seconds, and says so.
func TestTimeouts_InEffect(t *testing.T) {
	want := map[string]string{
		"postgres": "a 4200ms 1500ms\nb 4200ms 1500ms\n",
		"mysql":    "a 5 1.5\nb 5 1.5\n",
	}
	for _, dn := range []string{"postgres", "mysql"} {
		t.Run(dn, func(t *testing.T) {
			db, _ := testDB(t, dn)
			db.SetMaxOpenConns(1) // a connection handed back would serve the check below
			ctx := testContext(t)
			log := &logRecorder{}
			p := openProvider(t, db, dn, timeoutBodies(dn), WithLogger(slog.New(log)),
				WithDBLockTimeout(4200*time.Millisecond), WithStatementTimeout(1500*time.Millisecond))
			if _, err := p.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			rows, err := db.QueryContext(ctx, "SELECT what, lock_v, stmt_v FROM seen ORDER BY what")
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			for rows.Next() {
				var w, l, s string
				if err := rows.Scan(&w, &l, &s); err != nil {
					t.Fatal(err)
				}
				got.WriteString(w + " " + l + " " + s + "\n")
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if got.String() != want[dn] {
				t.Errorf("timeouts seen by the revisions:\n%s\nwant:\n%s", got.String(), want[dn])
			}
			after := "SELECT current_setting('lock_timeout') = reset_val FROM pg_settings WHERE name = 'lock_timeout'"
			after2 := "SELECT current_setting('statement_timeout') = reset_val FROM pg_settings WHERE name = 'statement_timeout'"
			if dn == "mysql" {
				after = "SELECT @@SESSION.lock_wait_timeout = @@GLOBAL.lock_wait_timeout"
				after2 = "SELECT @@SESSION.max_statement_time = @@GLOBAL.max_statement_time"
			}
			for _, q := range []string{after, after2} {
				var same bool
				if err := db.QueryRowContext(ctx, q).Scan(&same); err != nil {
					t.Fatal(err)
				}
				if !same {
					t.Errorf("after the run, %s is false: the timeouts leaked into the pool", q)
				}
			}
			if dn == "mysql" && log.count("rounded up") != 1 {
				t.Errorf("the rounding of 4.2s to 5 s was not logged once: %q", log.msgs)
			}
		})
	}
}

// TestTimeouts_LockFailsFast: a revision whose ALTER waits for a lock that
// another connection holds fails with the database's lock timeout error
// instead of waiting; the step is reported failed and the database is
// left at the revision before (on MySQL the step is marked dirty, and
// resolving it lets the rerun through).
func TestTimeouts_LockFailsFast(t *testing.T) {
	for _, dn := range []string{"postgres", "mysql"} {
		t.Run(dn, func(t *testing.T) {
			db, open := testDB(t, dn)
			ctx := testContext(t)
			fsys := revisionFS("CREATE TABLE victim (id INTEGER);", "ALTER TABLE victim ADD COLUMN c INTEGER;")
			p := openProvider(t, db, dn, fsys, WithDBLockTimeout(300*time.Millisecond), WithStatementTimeout(time.Minute))
			if _, err := p.Upgrade(ctx, "r1"); err != nil {
				t.Fatal(err)
			}
			holder, err := open().BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer holder.Rollback()
			var n int
			if err := holder.QueryRowContext(ctx, "SELECT COUNT(*) FROM victim").Scan(&n); err != nil {
				t.Fatal(err)
			}
			_, err = p.Upgrade(ctx, "head")
			var pe *PartialError
			var se *StmtError
			if !errors.As(err, &pe) || pe.Failed != "r2" || !errors.As(err, &se) {
				t.Fatalf("upgrade under a held lock: %v, want the step r2 failed on its statement", err)
			}
			wantMsg := map[string]string{"postgres": "lock timeout", "mysql": "Lock wait timeout exceeded"}[dn]
			if !strings.Contains(err.Error(), wantMsg) {
				t.Errorf("error %q does not say %q", err, wantMsg)
			}
			if err := holder.Rollback(); err != nil {
				t.Fatal(err)
			}
			cur, err := p.Current(ctx)
			if err != nil || len(cur) != 1 || cur[0] != "r1" {
				t.Fatalf("current = %v, %v; want [r1]", cur, err)
			}
			q := "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'victim' AND column_name = 'c'"
			if dn == "mysql" {
				q = "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'victim' AND column_name = 'c'"
			}
			if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil || n != 0 {
				t.Fatalf("column c: %d, %v; want none", n, err)
			}
			if dn == "mysql" {
				if err := p.MarkRolledBack(ctx, "r2"); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := p.Upgrade(ctx, "head"); err != nil {
				t.Fatalf("rerun once the lock is gone: %v", err)
			}
		})
	}
}

// TestTimeouts_SQLiteIgnored: SQLite has no such settings: the run goes
// on and says once that they are ignored.
func TestTimeouts_SQLiteIgnored(t *testing.T) {
	db, _ := testDB(t, "sqlite")
	ctx := testContext(t)
	log := &logRecorder{}
	p := openProvider(t, db, "sqlite", revisionFS("CREATE TABLE t1 (id INTEGER);", "CREATE TABLE t2 (id INTEGER);"),
		WithLogger(slog.New(log)), WithDBLockTimeout(time.Second), WithStatementTimeout(time.Second))
	if _, err := p.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if n := log.count("ignored on sqlite"); n != 1 {
		t.Errorf("%d messages say the timeouts are ignored, want 1: %q", n, log.msgs)
	}
}

// TestTimeouts_Options: negative durations are refused.
func TestTimeouts_Options(t *testing.T) {
	for _, o := range []Option{WithDBLockTimeout(-time.Second), WithStatementTimeout(-time.Second)} {
		if _, err := NewProject(newDialect("postgres"), nil, o); err == nil || !strings.Contains(err.Error(), "negative") {
			t.Errorf("negative timeout: %v, want an error", err)
		}
	}
}

// TestTimeouts_Offline: the script of each dialect carries the settings
// at the start of each revision, in the golden files
// testdata/timeouts/DIALECT.sql (go test -run TestTimeouts_Offline
// -update rewrites them).
func TestTimeouts_Offline(t *testing.T) {
	fsys := revisionFS(
		"CREATE TABLE t1 (id INTEGER);",
		"CREATE TABLE t2 (id INTEGER);\n-- +no-transaction\nCREATE INDEX i2 ON t2 (id);",
		"CREATE TABLE t3 (id INTEGER);",
	)
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			p, err := LoadProject(newDialect(dn), fsys, WithDBLockTimeout(4200*time.Millisecond), WithStatementTimeout(90*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			p.hostname = "HOST"
			var b bytes.Buffer
			if err := p.WriteUpgradeSQL(testContext(t), &b, "r1:head"); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "timeouts", dn+".sql")
			if *updateRoundTrips {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if b.String() != string(want) {
				t.Errorf("script differs from %s (-update to accept):\n%s", golden, b.String())
			}
		})
	}
}

// TestTimeouts_RoundTrips: on PostgreSQL the settings ride with each
// revision's BEGIN (no round trip more per revision); on MySQL they cost
// one SET per revision.
func TestTimeouts_RoundTrips(t *testing.T) {
	fsys := revisionFS(
		"CREATE TABLE t1 (id INTEGER PRIMARY KEY);",
		"CREATE TABLE t2 (id INTEGER PRIMARY KEY);",
		"CREATE TABLE t3 (id INTEGER PRIMARY KEY);",
		"CREATE TABLE t4 (id INTEGER PRIMARY KEY);",
	)
	extra := map[string]int{"postgres": 0, "mysql": 1}
	for _, dn := range []string{"postgres", "mysql"} {
		t.Run(dn, func(t *testing.T) {
			perRevision := func(opts ...Option) int {
				one, _ := countUpgrade(t, dn, fsys, "r2", opts...)
				three, _ := countUpgrade(t, dn, fsys, "r4", opts...)
				return (three - one) / 2
			}
			plain := perRevision()
			set := perRevision(WithDBLockTimeout(5*time.Second), WithStatementTimeout(time.Minute))
			if set-plain != extra[dn] {
				t.Errorf("round trips per revision: %d with timeouts, %d without; want %d more", set, plain, extra[dn])
			}
		})
	}
}

// TestTimeouts_RunTransaction: with one transaction for the whole run,
// the settings are in effect in it from its BEGIN, for every revision.
func TestTimeouts_RunTransaction(t *testing.T) {
	db, _ := testDB(t, "postgres")
	ctx := testContext(t)
	fsys := revisionFS(
		"CREATE TABLE seen (what TEXT, lock_v TEXT, stmt_v TEXT);",
		"INSERT INTO seen SELECT 'a', current_setting('lock_timeout'), current_setting('statement_timeout');",
		"INSERT INTO seen SELECT 'b', current_setting('lock_timeout'), current_setting('statement_timeout');",
	)
	p := openProvider(t, db, "postgres", fsys, WithTransactionPerRun(true), WithDBLockTimeout(2*time.Second), WithStatementTimeout(time.Minute))
	if _, err := p.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	var got string
	if err := db.QueryRowContext(ctx, "SELECT string_agg(what || ' ' || lock_v || ' ' || stmt_v, ', ' ORDER BY what) FROM seen").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := "a 2s 1min, b 2s 1min"; got != want {
		t.Errorf("timeouts seen: %q, want %q", got, want)
	}
}
