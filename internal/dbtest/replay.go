package dbtest

import (
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Replay runs an offline script on db with the dialect's command-line
// client (sqlite3, psql, mariadb or mysql), stopping at the first error,
// and fails the test with the client's output when it does not succeed.
func Replay(t testing.TB, db *DB, script string) {
	t.Helper()
	var cmd *exec.Cmd
	switch db.Dialect {
	case "sqlite":
		cmd = exec.Command(Client(t, db.Dialect, "sqlite3"), "-bail", db.Name)
	case "postgres":
		cmd = exec.Command(Client(t, db.Dialect, "psql"), "-v", "ON_ERROR_STOP=1", "-X", "-q", "-d", db.URL)
	case "mysql":
		u, err := url.Parse(db.URL)
		if err != nil {
			t.Fatal(err)
		}
		args := []string{"--batch", "--user=" + u.User.Username(), "--protocol=TCP", "--host=" + u.Hostname()}
		if p := u.Port(); p != "" {
			args = append(args, "--port="+p)
		}
		cmd = exec.Command(Client(t, db.Dialect, "mariadb", "mysql"), append(args, db.Name)...)
		if pw, ok := u.User.Password(); ok {
			cmd.Env = append(os.Environ(), "MYSQL_PWD="+pw)
		}
	default:
		t.Fatalf("dbtest: no client for dialect %q", db.Dialect)
	}
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s\n--- script\n%s", cmd.Path, err, out, script)
	}
}

// Client finds a dialect's command-line client among names. CI installs
// them all, so a missing one fails the test for SQLite and wherever the
// dialect is required, and skips it loudly elsewhere.
func Client(t testing.TB, dialect string, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if dialect == "sqlite" || Required(dialect) {
		t.Fatalf("%s is not installed", strings.Join(names, " or "))
	}
	t.Skipf("SKIPPING: %s is not installed", strings.Join(names, " or "))
	return ""
}
