package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestMain lets the test binary act as the retort command when
// RETORT_TEST_MAIN is set, so that tests can start real processes.
func TestMain(m *testing.M) {
	if os.Getenv("RETORT_TEST_MAIN") == "1" {
		os.Exit(Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestConcurrentUpgradeSQLite starts several processes of `retort upgrade
// head` on one SQLite file at once: every migration body runs exactly once
// and every process succeeds.
func TestConcurrentUpgradeSQLite(t *testing.T) {
	const (
		revisions = 20
		procs     = 4
		trials    = 5
	)
	dir := t.TempDir()
	mig := filepath.Join(dir, "migrations")
	if err := os.MkdirAll(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte("url = \"sqlite:///app.db\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	down := ""
	for i := 1; i <= revisions; i++ {
		id := fmt.Sprintf("r%03d", i)
		body := fmt.Sprintf(`-- revision: %s
-- down_revision: %s
-- message: step %d

-- +upgrade
INSERT INTO applied (rev) VALUES ('%s');
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000) SELECT count(*) FROM c;

-- +downgrade
DELETE FROM applied WHERE rev = '%s';
`, id, down, i, id, id)
		if err := os.WriteFile(filepath.Join(mig, fmt.Sprintf("%03d_%s.sql", i, id)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		down = id
	}
	for trial := 0; trial < trials; trial++ {
		dbPath := filepath.Join(dir, "app.db")
		os.Remove(dbPath)
		db, err := sql.Open("sqlite", dbPath)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("CREATE TABLE applied (seq INTEGER PRIMARY KEY AUTOINCREMENT, rev TEXT NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]string, procs)
		waited := make([]bool, procs)
		start := make(chan struct{})
		for p := 0; p < procs; p++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := exec.Command(os.Args[0], "-C", dir, "upgrade", "head")
				cmd.Env = append(os.Environ(), "RETORT_TEST_MAIN=1", "RETORT_URL=", "DATABASE_URL=")
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				<-start
				if err := cmd.Run(); err != nil {
					errs[p] = fmt.Sprintf("%v: %s", err, stderr.String())
				}
				waited[p] = strings.Contains(stderr.String(), "waiting for the database write lock")
			}()
		}
		close(start)
		wg.Wait()
		for p, e := range errs {
			if e != "" {
				t.Errorf("trial %d: process %d failed: %s", trial, p, e)
			}
		}
		rows, err := db.Query("SELECT rev, count(*) FROM applied GROUP BY rev HAVING count(*) <> 1")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var rev string
			var n int
			_ = rows.Scan(&rev, &n)
			t.Errorf("trial %d: revision %s ran %d times", trial, rev, n)
		}
		rows.Close()
		var n int
		var head string
		_ = db.QueryRow("SELECT count(*) FROM applied").Scan(&n)
		_ = db.QueryRow("SELECT version_num FROM retort_version").Scan(&head)
		if n != revisions || head != fmt.Sprintf("r%03d", revisions) {
			t.Errorf("trial %d: %d bodies ran, version %q; want %d and r%03d", trial, n, head, revisions, revisions)
		}
		db.Close()
		t.Logf("trial %d: processes that waited for the lock: %v", trial, waited)
	}
}
