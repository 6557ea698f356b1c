package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
)

// TestMain lets the test binary act as the retort command when
// RETORT_TEST_MAIN is set, so that tests can start real processes.
func TestMain(m *testing.M) {
	if os.Getenv("RETORT_TEST_MAIN") == "1" {
		os.Exit(Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	// What the in-process commands cache under the user's cache folder
	// (lint's schema state, the migrations program's build; runCLI's
	// getenv hides RETORT_CACHE_DIR) goes to a temporary folder:
	// os.UserCacheDir reads XDG_CACHE_HOME first. The go command's build
	// cache, which defaults to the same folder, stays where it was.
	if os.Getenv("GOCACHE") == "" {
		if d, err := os.UserCacheDir(); err == nil {
			os.Setenv("GOCACHE", filepath.Join(d, "go-build"))
		}
	}
	cacheHome, err := os.MkdirTemp("", "retort-cache-home-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "cache folder for the tests:", err)
		os.Exit(1)
	}
	os.Setenv("XDG_CACHE_HOME", cacheHome)
	code := runTests(m)
	os.RemoveAll(cacheHome)
	os.Exit(code)
}

func runTests(m *testing.M) int {
	// The header cache of the tests' projects (temporary folders) goes
	// to a temporary folder too, not to the user's cache folder.
	if os.Getenv("RETORT_HEADER_CACHE") == "" {
		dir, err := os.MkdirTemp("", "retort-header-cache-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "header cache folder for the tests:", err)
			os.Exit(1)
		}
		os.Setenv("RETORT_HEADER_CACHE", dir)
		defer os.RemoveAll(dir)
	}
	return m.Run()
}

// concurrencyDialects are the dialects of the process tests: how a
// revision body sleeps a few milliseconds, and the DDL of the table the
// bodies append to.
var concurrencyDialects = []struct {
	name, sleep, logTable string
}{
	{"sqlite", sqliteBusyLoop(sqliteLoopsPerMS * 5),
		"CREATE TABLE applied (seq INTEGER PRIMARY KEY AUTOINCREMENT, rev TEXT NOT NULL)"},
	{"postgres", "SELECT pg_sleep(0.003)",
		"CREATE TABLE applied (seq SERIAL PRIMARY KEY, rev TEXT NOT NULL)"},
	{"mysql", "DO SLEEP(0.003)",
		"CREATE TABLE applied (seq INT AUTO_INCREMENT PRIMARY KEY, rev VARCHAR(32) NOT NULL)"},
}

// sqliteLoopsPerMS is about how many rows of a recursive CTE SQLite
// counts in a millisecond.
var sqliteLoopsPerMS = map[bool]int{false: 2500, true: 50}[raceEnabled]

// sqliteBusyLoop is a statement that keeps SQLite busy for n rows of a
// recursive CTE: SQLite has no sleep function.
func sqliteBusyLoop(n int) string {
	return fmt.Sprintf("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %d) SELECT count(*) FROM c", n)
}

// TestConcurrentUpgrade starts several processes of `retort upgrade head`
// at once on one database, on each dialect: every migration body runs
// exactly once, and every process succeeds. CI runs 4 trials on each
// dialect; `go test -tags long` runs 20.
func TestConcurrentUpgrade(t *testing.T) {
	const (
		revisions = 30
		procs     = 8
	)
	trials := 4
	if longTests {
		trials = 20
	}
	for _, dl := range concurrencyDialects {
		t.Run(dl.name, func(t *testing.T) {
			t.Parallel()
			tdb := dbtest.For(t, dl.name)
			var revs []testRev
			for i := 1; i <= revisions; i++ {
				id := fmt.Sprintf("r%03d", i)
				down := ""
				if i > 1 {
					down = fmt.Sprintf("r%03d", i-1)
				}
				revs = append(revs, testRev{id: id, down: down,
					up:      fmt.Sprintf("INSERT INTO applied (rev) VALUES ('%s');\n%s;", id, dl.sleep),
					downSQL: fmt.Sprintf("DELETE FROM applied WHERE rev = '%s';", id)})
			}
			dir := writeProject(t, revs)
			head := fmt.Sprintf("r%03d", revisions)
			for trial := 0; trial < trials; trial++ {
				mustExec(t, tdb.SQL, "DROP TABLE IF EXISTS applied", "DROP TABLE IF EXISTS retort_version",
					"DROP TABLE IF EXISTS retort_history", dl.logTable)
				var wg sync.WaitGroup
				results := make([]procResult, procs)
				start := make(chan struct{})
				for p := 0; p < procs; p++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						cmd := retortCmd(dir, tdb.URL, "upgrade", "head")
						var stderr bytes.Buffer
						cmd.Stderr = &stderr
						<-start
						err := cmd.Run()
						var ee *exec.ExitError
						code := 0
						if errors.As(err, &ee) {
							code = ee.ExitCode()
						} else if err != nil {
							code = -1
							stderr.WriteString(err.Error())
						}
						results[p] = procResult{stderr: stderr.String(), code: code}
					}()
				}
				close(start)
				wg.Wait()
				waited := 0
				for p, r := range results {
					if r.code != 0 {
						t.Errorf("trial %d: process %d: exit status %d\n%s", trial, p, r.code, r.stderr)
					}
					if strings.Contains(r.stderr, "waiting for the") {
						waited++
					}
				}
				for _, row := range queryStrings(t, tdb.SQL, "SELECT rev, count(*) FROM applied GROUP BY rev HAVING count(*) <> 1") {
					t.Errorf("trial %d: revision|runs %s", trial, row)
				}
				if got := queryStrings(t, tdb.SQL, "SELECT count(*) FROM applied"); len(got) != 1 || got[0] != strconv.Itoa(revisions) {
					t.Errorf("trial %d: %v bodies ran, want %d", trial, got, revisions)
				}
				if got := queryStrings(t, tdb.SQL, "SELECT version_num FROM retort_version"); len(got) != 1 || got[0] != head {
					t.Errorf("trial %d: version table %v, want %s", trial, got, head)
				}
				hist := queryStrings(t, tdb.SQL, "SELECT revision, direction, dirty, stmt_index FROM retort_history ORDER BY id")
				if len(hist) != revisions {
					t.Errorf("trial %d: %d history rows, want %d: %v", trial, len(hist), revisions, hist)
				}
				for i, h := range hist {
					if want := fmt.Sprintf("r%03d|up|0|2", i+1); h != want {
						t.Errorf("trial %d: history row %d is %s, want %s", trial, i, h, want)
					}
				}
				if t.Failed() {
					return
				}
				t.Logf("trial %d: %d of %d processes waited for the lock", trial, waited, procs)
			}
		})
	}
}
