package mysql

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql" // the "mysql" driver, for tests only
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// defaultURL is the server the tests use unless RETORT_TEST_MYSQL_URL
// names another (a go-sql-driver/mysql DSN without a database).
const defaultURL = "root@tcp(127.0.0.1:3306)/?multiStatements=false&parseTime=false"

func serverURL() string {
	if u := os.Getenv("RETORT_TEST_MYSQL_URL"); u != "" {
		return u
	}
	return defaultURL
}

// required reports whether RETORT_TEST_REQUIRE asks for MySQL, when
// missing servers and tools fail the tests instead of skipping them.
func required() bool { return strings.Contains(os.Getenv("RETORT_TEST_REQUIRE"), "mysql") }

// withDatabase returns dsn with its database set to name. The driver
// takes the last "/" of a DSN as the start of the database name.
func withDatabase(dsn, name string) string {
	i := strings.LastIndex(dsn, "/")
	if i < 0 {
		return dsn + "/" + name
	}
	rest := dsn[i+1:]
	params := ""
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		params = rest[q:]
	}
	return dsn[:i+1] + name + params
}

var (
	serverOnce sync.Once
	serverErr  error
)

// needServer skips (or, with RETORT_TEST_REQUIRE=mysql, fails) the test
// when the server does not answer.
func needServer(t *testing.T) {
	t.Helper()
	serverOnce.Do(func() {
		db, err := sql.Open("mysql", serverURL())
		if err != nil {
			serverErr = err
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		serverErr = db.PingContext(ctx)
		if serverErr != nil && !required() {
			fmt.Fprintf(os.Stderr, "dialect/mysql: SKIPPING every database test: no MySQL/MariaDB server at %s: %v\n", serverURL(), serverErr)
		}
	})
	if serverErr != nil {
		if required() {
			t.Fatalf("MySQL/MariaDB server at %s is required (RETORT_TEST_REQUIRE) but does not answer: %v", serverURL(), serverErr)
		}
		t.Skipf("SKIPPING: no MySQL/MariaDB server at %s (%v); set RETORT_TEST_MYSQL_URL to point at one, RETORT_TEST_REQUIRE=mysql to fail instead", serverURL(), serverErr)
	}
}

// openServer connects to the server without a database.
func openServer(t *testing.T) *sql.DB {
	t.Helper()
	needServer(t)
	db, err := sql.Open("mysql", serverURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// testDB creates a fresh utf8mb4 database, dropped when the test ends,
// and returns a pool connected to it and its name.
func testDB(t *testing.T) (*sql.DB, string) {
	t.Helper()
	admin := openServer(t)
	name := "retort_test_" + randomHex(6)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	db := openDB(t, name)
	return db, name
}

// openDB opens another pool on database name.
func openDB(t *testing.T, name string) *sql.DB {
	t.Helper()
	db, err := sql.Open("mysql", withDatabase(serverURL(), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// mustExec runs statements, failing the test on an error.
func mustExec(t *testing.T, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := q.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
}

// checkGolden compares got with testdata/name.golden, or rewrites it
// with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// clientArgs turns the test server's DSN into mysql client arguments
// and environment (user[:password]@tcp(host:port)/ or @unix(path)/).
func clientArgs(t *testing.T, database string) (args, env []string) {
	t.Helper()
	dsn := serverURL()
	if i := strings.LastIndex(dsn, "/"); i >= 0 {
		dsn = dsn[:i]
	}
	args = []string{"--batch", "--default-character-set=utf8mb4"}
	if at := strings.LastIndex(dsn, "@"); at >= 0 {
		cred := dsn[:at]
		dsn = dsn[at+1:]
		user, pass, hasPass := strings.Cut(cred, ":")
		args = append(args, "--user="+user)
		if hasPass {
			env = append(env, "MYSQL_PWD="+pass)
		}
	}
	proto, addr, _ := strings.Cut(strings.TrimSuffix(dsn, ")"), "(")
	switch proto {
	case "", "tcp":
		if addr == "" {
			addr = "127.0.0.1:3306"
		}
		host, port, ok := strings.Cut(addr, ":")
		args = append(args, "--protocol=TCP", "--host="+host)
		if ok {
			args = append(args, "--port="+port)
		}
	case "unix":
		args = append(args, "--protocol=SOCKET", "--socket="+addr)
	default:
		t.Fatalf("cannot turn DSN protocol %q into mysql client arguments", proto)
	}
	return append(args, database), env
}

// mysqlClient finds the mysql or mariadb command-line client.
func mysqlClient(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"mariadb", "mysql"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if required() {
		t.Fatal("neither the mariadb nor the mysql client is installed (RETORT_TEST_REQUIRE=mysql)")
	}
	t.Skip("SKIPPING: neither the mariadb nor the mysql client is installed")
	return ""
}
