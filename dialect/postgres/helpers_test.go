package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// defaultURL is the test server when RETORT_TEST_POSTGRES_URL is not set.
const defaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

func serverURL() string {
	if u := os.Getenv("RETORT_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return defaultURL
}

// admin is one connection pool to the server's maintenance database,
// shared by the tests, which create and drop their databases through it.
var admin struct {
	once sync.Once
	db   *sql.DB
	cfg  *pgx.ConnConfig
	err  error
}

// testDB is a fresh database of its own for one test.
type testDB struct {
	*sql.DB
	Name string
	cfg  *pgx.ConnConfig
}

// skipOrFail skips the test when the server does not answer, unless
// RETORT_TEST_REQUIRE names postgres.
func skipOrFail(t testing.TB, err error) {
	t.Helper()
	msg := "PostgreSQL is not available at " + redact(serverURL()) + " (set RETORT_TEST_POSTGRES_URL): " + err.Error()
	if strings.Contains(os.Getenv("RETORT_TEST_REQUIRE"), "postgres") {
		t.Fatal(msg)
	}
	t.Skip("SKIPPING: " + msg)
}

func redact(u string) string {
	if cfg, err := pgx.ParseConfig(u); err == nil {
		return cfg.User + "@" + cfg.Host + ":" + strconv.Itoa(int(cfg.Port)) + "/" + cfg.Database
	}
	return "(unparsable URL)"
}

func adminDB(t testing.TB) (*sql.DB, *pgx.ConnConfig) {
	t.Helper()
	admin.once.Do(func() {
		admin.cfg, admin.err = pgx.ParseConfig(serverURL())
		if admin.err != nil {
			return
		}
		admin.db = stdlib.OpenDB(*admin.cfg)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		admin.err = admin.db.PingContext(ctx)
	})
	if admin.err != nil {
		skipOrFail(t, admin.err)
	}
	return admin.db, admin.cfg
}

// newDB creates database retort_test_<random hex> and drops it when the
// test ends.
func newDB(t testing.TB) *testDB {
	t.Helper()
	adm, cfg := adminDB(t)
	var rnd [8]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		t.Fatal(err)
	}
	name := "retort_test_" + hex.EncodeToString(rnd[:])
	ctx := context.Background()
	if _, err := adm.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := adm.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	c := cfg.Copy()
	c.Database = name
	db := stdlib.OpenDB(*c)
	t.Cleanup(func() { db.Close() }) // runs before the drop
	return &testDB{DB: db, Name: name, cfg: c}
}

// as returns a pool to the test's database connected as another role.
func (d *testDB) as(t testing.TB, role string) *sql.DB {
	t.Helper()
	c := d.cfg.Copy()
	c.User = role
	db := stdlib.OpenDB(*c)
	t.Cleanup(func() { db.Close() })
	return db
}

// conn returns one connection of db, closed when the test ends.
func conn(t testing.TB, db *sql.DB) *sql.Conn {
	t.Helper()
	c, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// mustExec runs statements, failing the test on an error.
func mustExec(t testing.TB, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := q.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if admin.db != nil {
		admin.db.Close()
	}
	os.Exit(code)
}
