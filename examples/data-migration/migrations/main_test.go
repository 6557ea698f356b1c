package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/retortdb/retort/cli"
	"github.com/retortdb/retort/examples/data-migration/migrations/versions"
	"github.com/retortdb/retort/internal/dbtest"
)

// projectDir is examples/data-migration, where retort.toml is.
func projectDir(t *testing.T) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller")
	}
	return filepath.Dir(filepath.Dir(file))
}

func run(t *testing.T, db *dbtest.DB, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	full := append([]string{"-C", projectDir(t), "--url", db.URL}, args...)
	if code := cli.Main(context.Background(), full, strings.NewReader(""), &stdout, &stderr, cli.WithRevisions(&versions.Registry)); code != 0 {
		t.Fatalf("retort %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
	return stdout.String()
}

// accounts returns the account rows, and whether email accepts NULL.
func accounts(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query("SELECT id, name, email FROM account ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id int
		var name, email sql.NullString
		if err := rows.Scan(&id, &name, &email); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d|%s|%s\n", id, name.String, email.String)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec("INSERT INTO account (id, name, email) VALUES (1, 'x', NULL)")
	fmt.Fprintf(&b, "email accepts NULL: %v\n", err == nil)
	if err == nil {
		if _, err := db.Exec("DELETE FROM account WHERE id = 1"); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

const wantHead = `1001|Ada Lovelace|ada@example.com
1002|O'Brien|obrien@example.com
1003|Zoë|user1003@example.invalid
email accepts NULL: false
`

// TestExample runs the example as a user would on each dialect: upgrade
// head, downgrade base, upgrade head again; then the offline script of
// the whole graph replayed with the dialect's client on a fresh database
// must leave the same rows.
func TestExample(t *testing.T) {
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			db := dbtest.For(t, dn)
			run(t, db, "upgrade", "head")
			if got := accounts(t, db.SQL); got != wantHead {
				t.Fatalf("after upgrade head:\n%s\nwant\n%s", got, wantHead)
			}
			run(t, db, "downgrade", "base")
			if _, err := db.SQL.Exec("SELECT 1 FROM account"); err == nil {
				t.Fatal("account still exists after downgrade base")
			}
			run(t, db, "upgrade", "head")
			if got := accounts(t, db.SQL); got != wantHead {
				t.Fatalf("after the second upgrade head:\n%s\nwant\n%s", got, wantHead)
			}
			if cur := run(t, db, "current"); !strings.Contains(cur, "f4d5e6f7a8b9") {
				t.Errorf("current = %q", cur)
			}

			script := run(t, db, "upgrade", "head", "--sql")
			if dn == "sqlite" && !strings.Contains(script, "move and copy") {
				t.Errorf("the SQLite script does not say that it moves and copies account:\n%s", script)
			}
			fresh := dbtest.For(t, dn)
			dbtest.Replay(t, fresh, script)
			if got := accounts(t, fresh.SQL); got != wantHead {
				t.Fatalf("after replaying upgrade head --sql:\n%s\nwant\n%s\n--- script\n%s", got, wantHead, script)
			}
		})
	}
}
