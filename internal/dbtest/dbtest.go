// Package dbtest gives each test a fresh database of its own: a SQLite
// file in t.TempDir(), or a new database on the PostgreSQL or MariaDB/MySQL
// server (RETORT_TEST_POSTGRES_URL / RETORT_TEST_MYSQL_URL, else the local
// server on its default port), dropped when the test ends.
//
// Where a server does not answer, the test is skipped with a loud reason,
// unless RETORT_TEST_REQUIRE names it ("postgres,mysql", as CI sets it):
// then the test fails. The caller registers the database/sql driver
// ("sqlite", "pgx", "mysql") with a blank import in its _test.go file.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/internal/config"
)

// DB is a test database.
type DB struct {
	Dialect string  // "sqlite", "postgres", "mysql"
	URL     string  // retort's URL for it
	Name    string  // database name (the file path for SQLite)
	SQL     *sql.DB // open with the dialect's driver
	Driver  string  // database/sql driver name
	DSN     string
}

// Dialects are the names For accepts.
var Dialects = []string{"sqlite", "postgres", "mysql"}

// For returns a fresh database of the dialect.
func For(t testing.TB, dialect string) *DB {
	switch dialect {
	case "sqlite":
		return SQLite(t)
	case "postgres":
		return Postgres(t)
	case "mysql":
		return MySQL(t)
	}
	t.Fatalf("dbtest: unknown dialect %q", dialect)
	return nil
}

// SQLite returns a fresh SQLite file.
func SQLite(t testing.TB) *DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatalf("dbtest: open SQLite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return &DB{Dialect: "sqlite", URL: "sqlite:///" + path, Name: path, SQL: db, Driver: "sqlite", DSN: path}
}

// PostgresServerURL is the server a fresh PostgreSQL database is made on.
func PostgresServerURL() string {
	if u := os.Getenv("RETORT_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// MySQLServerURL is the server a fresh MySQL/MariaDB database is made on.
func MySQLServerURL() string {
	if u := os.Getenv("RETORT_TEST_MYSQL_URL"); u != "" {
		return u
	}
	return "mysql://root@127.0.0.1:3306/mysql"
}

// Postgres returns a fresh database on the PostgreSQL server.
func Postgres(t testing.TB) *DB {
	t.Helper()
	return server(t, "postgres", "pgx", PostgresServerURL(), func(name string) string {
		return "CREATE DATABASE " + name
	}, func(name string) string {
		return "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"
	})
}

// MySQL returns a fresh database on the MySQL/MariaDB server.
func MySQL(t testing.TB) *DB {
	t.Helper()
	return server(t, "mysql", "mysql", MySQLServerURL(), func(name string) string {
		return "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
	}, func(name string) string {
		return "DROP DATABASE IF EXISTS " + name
	})
}

// Required reports whether RETORT_TEST_REQUIRE names the dialect.
func Required(dialect string) bool {
	for _, r := range strings.Split(os.Getenv("RETORT_TEST_REQUIRE"), ",") {
		if strings.TrimSpace(r) == dialect {
			return true
		}
	}
	return false
}

func unavailable(t testing.TB, dialect, why string) {
	t.Helper()
	if Required(dialect) {
		t.Fatalf("dbtest: %s is required (RETORT_TEST_REQUIRE) but %s", dialect, why)
	}
	t.Skipf("dbtest: SKIPPING: no %s server: %s (set RETORT_TEST_REQUIRE=%s to make this a failure)", dialect, why, dialect)
}

func server(t testing.TB, dialect, driver, serverURL string, create, drop func(string) string) *DB {
	t.Helper()
	su, err := config.ParseURL(serverURL, "")
	if err != nil {
		t.Fatalf("dbtest: server URL: %v", err)
	}
	admin, err := sql.Open(driver, su.DSN)
	if err != nil {
		unavailable(t, dialect, err.Error())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		unavailable(t, dialect, config.Redact(err.Error()))
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "retort_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, create(name)); err != nil {
		admin.Close()
		t.Fatalf("dbtest: create database %s: %v", name, err)
	}
	u := replaceDatabase(serverURL, name)
	pu, err := config.ParseURL(u, "")
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	db, err := sql.Open(driver, pu.DSN)
	if err != nil {
		t.Fatalf("dbtest: open %s: %v", name, err)
	}
	t.Cleanup(func() {
		db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, drop(name)); err != nil {
			t.Errorf("dbtest: drop database %s: %v", name, err)
		}
		admin.Close()
	})
	return &DB{Dialect: dialect, URL: u, Name: name, SQL: db, Driver: driver, DSN: pu.DSN}
}

// replaceDatabase puts name in place of the database of a server URL.
func replaceDatabase(u, name string) string {
	scheme, rest, _ := strings.Cut(u, "://")
	hostEnd := strings.IndexAny(rest, "/?")
	var query string
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		query = rest[q:]
	}
	host := rest
	if hostEnd >= 0 {
		host = rest[:hostEnd]
	}
	return fmt.Sprintf("%s://%s/%s%s", scheme, host, name, query)
}

// Pool opens another pool on the database, as a separate runner would
// have, closed when the test ends. A SQLite pool waits up to 30 s for the
// file's locks, as the retort command's does.
func (db *DB) Pool(t testing.TB) *sql.DB {
	t.Helper()
	dsn := db.DSN
	if db.Dialect == "sqlite" {
		dsn = "file:" + db.Name + "?_pragma=busy_timeout(30000)"
	}
	p, err := sql.Open(db.Driver, dsn)
	if err != nil {
		t.Fatalf("dbtest: open another pool on %s: %v", db.Name, err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}
