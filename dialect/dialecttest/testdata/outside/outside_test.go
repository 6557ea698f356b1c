package outside

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/locktest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// The copies are dialects, with the built-ins' optional interfaces.
var (
	_ dialect.Dialect    = SQLite{}
	_ dialect.Inspector  = SQLite{}
	_ dialect.Normalizer = SQLite{}
	_ dialect.TxLocker   = SQLite{}
	_ dialect.Dialect    = Postgres{}
	_ dialect.Locker     = Postgres{}
	_ dialect.Inspector  = Postgres{}
)

// sqliteFile is a fresh SQLite file of the test, and a function that
// opens a pool on it whose writers wait for the file's lock.
func sqliteFile(t testing.TB) (path string, open func() *sql.DB) {
	path = filepath.Join(t.TempDir(), "test.db")
	return path, func() *sql.DB {
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(30000)")
		if err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
}

// sqliteSnapshot dumps the schema of an SQLite database as text.
func sqliteSnapshot(t testing.TB, db *sql.DB) string {
	rows, err := db.Query("SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			t.Fatalf("snapshot: %v", err)
		}
		fmt.Fprintf(&b, "%s %s: %s\n", typ, name, text)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	return b.String()
}

func TestSQLiteCopy(t *testing.T) {
	t.Run("dialect", func(t *testing.T) {
		dialecttest.Run(t, dialecttest.Suite{
			Dialect: NewSQLite(),
			Open: func(t testing.TB) *sql.DB {
				_, open := sqliteFile(t)
				return open()
			},
			// The copy renders as the built-in does: its goldens.
			Golden:   "../../../sqlite/testdata/render",
			Snapshot: sqliteSnapshot,
			Limit:    schema.NoLimit(),
		})
	})
	t.Run("locking", func(t *testing.T) {
		locktest.Run(t, locktest.Suite{
			Dialect: NewSQLite(),
			Open: func(t testing.TB) func() *sql.DB {
				_, open := sqliteFile(t)
				return open
			},
		})
	})
}

// postgresServer is the PostgreSQL server the tests make their databases
// on: OUTSIDE_POSTGRES_URL, which retort's test passes, or the local one.
func postgresServer() string {
	if u := os.Getenv("OUTSIDE_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// postgresDatabase creates a fresh database on the server, dropped when
// the test ends, and returns a function that opens a pool on it.
func postgresDatabase(t testing.TB) func() *sql.DB {
	server := postgresServer()
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatalf("open the PostgreSQL server: %v", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "outside_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("OUTSIDE_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	return func() *sql.DB {
		db, err := sql.Open("pgx", u.String())
		if err != nil {
			t.Fatalf("open database %s: %v", name, err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
}

// killPostgres terminates the holder's backend, waiting for it to end.
func killPostgres(ctx context.Context, holder op.DB, other *sql.DB) error {
	var pid int64
	if err := holder.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		return err
	}
	_, err := other.ExecContext(ctx, "SELECT pg_terminate_backend($1, 5000)", pid)
	return err
}

func TestPostgresCopy(t *testing.T) {
	t.Run("dialect", func(t *testing.T) {
		dialecttest.Run(t, dialecttest.Suite{
			Dialect: NewPostgres(),
			Open:    func(t testing.TB) *sql.DB { return postgresDatabase(t)() },
			Golden:  "../../../postgres/testdata/render",
			Limit:   schema.PostgresLimit(),
			// How PostgreSQL deparses the cases' expressions it does
			// not keep as written.
			Spelling: map[string]string{
				"age IS NULL OR age >= 0": "(age IS NULL) OR (age >= 0)",
				"lower(email)":            "lower(email::text)",
				"email LIKE '%@%'":        "(email)::text ~~ '%@%'::text",
			},
		})
	})
	t.Run("locking", func(t *testing.T) {
		locktest.Run(t, locktest.Suite{Dialect: NewPostgres(), Open: postgresDatabase, Kill: killPostgres})
	})
}
