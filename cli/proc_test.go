package cli

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql", for the re-executed retort
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for the re-executed retort
)

// This file holds the helpers of the tests that run retort as real
// processes (the test binary re-executed, see TestMain) against real
// databases from internal/dbtest.

// testRev is one revision file of a test project.
type testRev struct {
	id, down, message string
	up, downSQL       string
}

func (r testRev) file() string {
	msg := r.message
	if msg == "" {
		msg = "step " + r.id
	}
	return fmt.Sprintf("-- revision: %s\n-- down_revision: %s\n-- message: %s\n\n-- +upgrade\n%s\n\n-- +downgrade\n%s\n",
		r.id, r.down, msg, strings.TrimSpace(r.up), strings.TrimSpace(r.downSQL))
}

// writeProject writes retort.toml (without a URL: the processes get it in
// RETORT_URL) and the revision files into a new folder, and returns it.
func writeProject(t *testing.T, revs []testRev) string {
	t.Helper()
	dir := t.TempDir()
	mig := filepath.Join(dir, "migrations")
	if err := os.MkdirAll(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "retort.toml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for i, r := range revs {
		writeRev(t, dir, i, r)
	}
	return dir
}

// writeRev writes (or rewrites) the i-th revision file of a project.
func writeRev(t *testing.T, dir string, i int, r testRev) {
	t.Helper()
	path := filepath.Join(dir, "migrations", fmt.Sprintf("%03d_%s.sql", i+1, r.id))
	if err := os.WriteFile(path, []byte(r.file()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// retortCmd is a retort process acting in dir on the database url.
func retortCmd(dir, url string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "RETORT_TEST_MAIN=1", "RETORT_URL="+url, "DATABASE_URL=",
		// A -race binary otherwise sleeps a second before it exits.
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	return cmd
}

// procResult is how a retort process ended.
type procResult struct {
	stdout, stderr string
	code           int
}

// runRetort runs a retort process to its end.
func runRetort(t *testing.T, dir, url string, args ...string) procResult {
	t.Helper()
	cmd := retortCmd(dir, url, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return procResult{stdout.String(), stderr.String(), exitCode(t, err)}
}

// mustRetort runs a retort process and fails the test unless it exits 0.
func mustRetort(t *testing.T, dir, url string, args ...string) procResult {
	t.Helper()
	r := runRetort(t, dir, url, args...)
	if r.code != 0 {
		t.Fatalf("retort %s: exit status %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

func exitCode(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	t.Fatalf("run retort: %v", err)
	return -1
}

// mustExec runs statements on db, failing the test on an error.
func mustExec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// queryStrings runs a query and returns its rows, each column as text
// (NULL as "NULL") joined by "|".
func queryStrings(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = "NULL"
			if v.Valid {
				parts[i] = v.String
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}
