package cli

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql", for tests only
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for tests only

	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/internal/dbtest"
)

// writeFleetProject writes a project of three revisions, r2 of which
// fails on a tenant whose items repeat a code.
func writeFleetProject(t *testing.T, dir string) {
	t.Helper()
	writeJSONProject(t, dir,
		testRev{id: "r1", up: "CREATE TABLE item (code VARCHAR(20) NOT NULL, qty INTEGER NOT NULL);", downSQL: "DROP TABLE item;"},
		testRev{id: "r2", down: "r1", up: "CREATE UNIQUE INDEX ux_item_code ON item (code);", downSQL: "SELECT 1;"},
		testRev{id: "r3", down: "r2", up: "CREATE TABLE note (id INTEGER NOT NULL);", downSQL: "DROP TABLE note;"})
}

// TestFleet_Schemas runs fleet --schemas on PostgreSQL: each tenant's
// tables in its schema, the distribution printed by fleet current, and
// a single command reaching one tenant through its search_path.
func TestFleet_Schemas(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	for _, s := range []string{"tenant_a", "tenant_b", "tenant_c", "public_stuff"} {
		if _, err := db.SQL.ExecContext(ctx, "CREATE SCHEMA "+s); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	writeFleetProject(t, dir)
	if _, stderr, code := runCLI(t, dir, nil, "--url", withParam(db.URL, "search_path=tenant_b"), "upgrade", "r1"); code != ExitOK {
		t.Fatalf("upgrade tenant_b to r1: %s", stderr)
	}
	stdout, stderr, code := runCLI(t, dir, nil, "--url", db.URL, "fleet", "upgrade", "--schemas", "tenant_*", "--json", "-j", "2")
	if code != ExitOK {
		t.Fatalf("fleet upgrade: exit %d\n%s", code, stderr)
	}
	lines := jsonLines(t, stdout)
	if len(lines) != 3 {
		t.Fatalf("%d JSON lines, want 3:\n%s", len(lines), stdout)
	}
	for _, l := range lines {
		if l["status"] != "done" || l["schema"] != l["tenant"] {
			t.Errorf("line %v", l)
		}
		steps := 3
		if l["tenant"] == "tenant_b" {
			steps = 2
		}
		if got := len(l["steps"].([]any)); got != steps {
			t.Errorf("%s: %d steps, want %d", l["tenant"], got, steps)
		}
	}
	var n int
	if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema IN ('public', 'public_stuff')`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d tables outside the tenants' schemas (%v)", n, err)
	}
	if _, stderr, code := runCLI(t, dir, nil, "--url", withParam(db.URL, "search_path=tenant_c"), "downgrade", "r2"); code != ExitOK {
		t.Fatalf("downgrade tenant_c: %s", stderr)
	}
	stdout, stderr, code = runCLI(t, dir, nil, "--url", db.URL, "fleet", "current", "--schemas", "tenant_*")
	if code != ExitOK {
		t.Fatalf("fleet current: exit %d\n%s", code, stderr)
	}
	if want := "REVISION   TENANTS\nr3 (head)  2\nr2         1\n3 tenants: 3 done\n"; stdout != want {
		t.Errorf("fleet current printed\n%s\nwant\n%s", stdout, want)
	}
}

// TestFleet_MySQLDirty runs a fleet of MariaDB databases in which one
// tenant's r2 fails: its DDL commits as it goes, so the tenant is left
// dirty, and the command prints the resolve command for that tenant,
// which works as printed; the rerun then finishes it.
func TestFleet_MySQLDirty(t *testing.T) {
	good, bad := dbtest.MySQL(t), dbtest.MySQL(t)
	dir := t.TempDir()
	writeFleetProject(t, dir)
	targets := filepath.Join(dir, "tenants.txt")
	if err := os.WriteFile(targets, []byte(good.URL+"\n"+bad.URL+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runCLI(t, dir, nil, "--url", bad.URL, "upgrade", "r1"); code != ExitOK {
		t.Fatalf("upgrade to r1: %s", stderr)
	}
	if _, err := bad.SQL.Exec("INSERT INTO item (code, qty) VALUES ('a', 1), ('a', 2)"); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCLI(t, dir, nil, "fleet", "upgrade", "--targets", "tenants.txt", "--keep-going")
	if code != ExitFailure {
		t.Fatalf("fleet upgrade: exit %d, want 1\n%s", code, stderr)
	}
	for _, want := range []string{"^TENANT +STATUS", `(?m)^\S+/` + good.Name + ` +done +base +r3 +3 `, `(?m)^\S+/` + bad.Name + ` +failed +r1 +r1 +0 .*revision r2`, "(?m)^2 tenants: 1 done, 1 failed$"} {
		if !regexp.MustCompile(want).MatchString(stdout) {
			t.Errorf("stdout does not match %s:\n%s", want, stdout)
		}
	}
	m := regexp.MustCompile(`(?m)^  \S+: retort -C \S+ --url (\S+) resolve r2 --applied\|--rolled-back$`).FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no resolve command in stderr:\n%s", stderr)
	}
	if m[1] != bad.URL {
		t.Errorf("resolve names %s, want %s", m[1], bad.URL)
	}
	if _, err := bad.SQL.Exec("DELETE FROM item WHERE qty = 2"); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runCLI(t, dir, nil, "--url", m[1], "resolve", "r2", "--rolled-back"); code != ExitOK {
		t.Fatalf("resolve: %s", stderr)
	}
	stdout, stderr, code = runCLI(t, dir, nil, "fleet", "upgrade", "--targets", "tenants.txt")
	if code != ExitOK {
		t.Fatalf("rerun: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "2 tenants: 2 done") || !regexp.MustCompile(`(?m)^\S+/`+bad.Name+` +done +r1 +r3 +2 `).MatchString(stdout) {
		t.Errorf("rerun printed\n%s", stdout)
	}
}

// withParam adds a query parameter to a URL.
func withParam(u, kv string) string {
	if strings.Contains(u, "?") {
		return u + "&" + kv
	}
	return u + "?" + kv
}

// TestFleet_Kill9 kills a fleet process (SIGKILL) in the middle of a
// PostgreSQL schema fleet: no tenant is left half-migrated or dirty (each
// step's transaction dies with the connection), and the rerun brings
// every tenant to head with each step applied exactly once.
func TestFleet_Kill9(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	const n = 12
	for i := range n {
		if _, err := db.SQL.ExecContext(ctx, fmt.Sprintf("CREATE SCHEMA tenant_%02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	dir := writeProject(t, []testRev{
		{id: "r1", up: "CREATE TABLE item (code VARCHAR(20) NOT NULL);", downSQL: "DROP TABLE item;"},
		{id: "r2", down: "r1", up: "CREATE TABLE note (id INTEGER NOT NULL);\nSELECT pg_sleep(0.3);", downSQL: "DROP TABLE note;"},
		{id: "r3", down: "r2", up: "ALTER TABLE note ADD COLUMN body TEXT;", downSQL: "ALTER TABLE note DROP COLUMN body;"},
	})
	cmd := retortCmd(dir, db.URL, "fleet", "upgrade", "--schemas", "tenant_*", "-j", "3", "--json")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	done := 0
	for done < 3 && sc.Scan() {
		done++
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if done < 3 {
		t.Fatalf("the fleet ended before 3 tenants were done:\n%s", stderr.String())
	}
	// What the kill left: every tenant at a revision, none dirty.
	stdout, errOut, code := runCLI(t, dir, nil, "--url", db.URL, "fleet", "current", "--schemas", "tenant_*", "--json")
	if code != ExitOK {
		t.Fatalf("fleet current: exit %d\n%s", code, errOut)
	}
	atHead := 0
	for _, l := range jsonLines(t, stdout) {
		if l["dirty"] != nil {
			t.Errorf("%s is dirty after the kill: %v", l["tenant"], l)
		}
		if fmt.Sprint(l["to"]) == "[r3]" {
			atHead++
		}
	}
	if atHead < 3 || atHead == n {
		t.Errorf("%d of %d tenants at head after the kill, want at least the 3 reported and not all", atHead, n)
	}
	stdout, errOut, code = runCLI(t, dir, nil, "--url", db.URL, "fleet", "upgrade", "--schemas", "tenant_*", "-j", "4")
	if code != ExitOK {
		t.Fatalf("rerun: exit %d\n%s\n%s", code, stdout, errOut)
	}
	if !strings.Contains(stdout, fmt.Sprintf("%d tenants: %d done", n, n)) {
		t.Errorf("rerun printed\n%s", stdout)
	}
	for i := range n {
		got := stepsApplied(t, db.SQL, fmt.Sprintf(`SELECT revision, count(*) FROM tenant_%02d.retort_history WHERE direction = 'up' GROUP BY revision ORDER BY revision`, i))
		if got != "r1×1 r2×1 r3×1" {
			t.Errorf("tenant_%02d: steps applied %v, want each once", i, got)
		}
	}
}

// TestFleet_LiveDisplay checks the display on a terminal (a fake
// check): a bar redrawn in place, with the finished tenants' lines whole
// above it, and the table on stdout; never under --json or -q.
func TestFleet_LiveDisplay(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tty   bool
		flags []string
		bar   bool
	}{
		{"terminal", true, nil, true},
		{"no terminal", false, nil, false},
		{"json", true, []string{"--json"}, false},
		{"quiet", true, []string{"-q"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFleetProject(t, dir)
			var list strings.Builder
			for i := range 4 {
				fmt.Fprintf(&list, "sqlite:///t%d.db\n", i)
			}
			if err := os.WriteFile(filepath.Join(dir, "tenants.txt"), []byte(list.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			tty := func(e *env) { e.isTerminal = func(io.Writer) bool { return tc.tty } }
			stdout, stderr, code := runCLI(t, dir, []Option{tty}, append(tc.flags, "fleet", "upgrade", "--targets", "tenants.txt", "-j", "2")...)
			if code != ExitOK {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			drawn := strings.Contains(stderr, "\x1b[2K") && strings.Contains(stderr, "tenants/s")
			if drawn != tc.bar {
				t.Fatalf("bar drawn: %t, want %t\n%q", drawn, tc.bar, stderr)
			}
			if tc.bar {
				plain := regexp.MustCompile(`\x1b\[2K\r|\r[^\n]*\r`).ReplaceAllString(stderr, "")
				for i := 1; i <= 4; i++ {
					if !regexp.MustCompile(fmt.Sprintf(`(?m)^\[%d/4\] t\d\.db: upgrade base -> r3, 3 steps \(\d+ ms\)$`, i)).MatchString(plain) {
						t.Errorf("no whole line for the tenant finished %d in\n%q", i, stderr)
					}
				}
				if !strings.Contains(stdout, "4 tenants: 4 done") {
					t.Errorf("no table on stdout:\n%s", stdout)
				}
			}
		})
	}
}

// TestFleet_Kill9MySQL kills a fleet process (SIGKILL) while a MariaDB
// tenant is in the middle of a step, which runs outside a transaction
// there: the tenant is reported dirty with the command that resolves it,
// refuses to move until it is resolved, and the rerun after the resolve
// finishes it with each step applied once.
func TestFleet_Kill9MySQL(t *testing.T) {
	dbs := []*dbtest.DB{dbtest.MySQL(t), dbtest.MySQL(t), dbtest.MySQL(t)}
	slow := dbs[1]
	if _, err := slow.SQL.Exec("CREATE TABLE slow_marker (id INTEGER)"); err != nil {
		t.Fatal(err)
	}
	dir := writeProject(t, []testRev{
		{id: "r1", up: "CREATE TABLE item (code VARCHAR(20) NOT NULL);", downSQL: "DROP TABLE item;"},
		{id: "r2", down: "r1", up: "CREATE TABLE note (id INTEGER NOT NULL);\n" +
			"SELECT SLEEP(IF((SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'slow_marker') > 0, 3, 0));",
			downSQL: "DROP TABLE note;"},
		{id: "r3", down: "r2", up: "CREATE TABLE tag (id INTEGER NOT NULL);", downSQL: "DROP TABLE tag;"},
	})
	var list strings.Builder
	for _, d := range dbs {
		list.WriteString(d.URL + "\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "tenants.txt"), []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := retortCmd(dir, "", "fleet", "upgrade", "--targets", "tenants.txt", "-j", "3", "--json")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for done := 0; done < 2 && sc.Scan(); done++ {
	}
	// The slow tenant is sleeping in r2, after its CREATE TABLE.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := slow.SQL.QueryRow(`SELECT COUNT(*) FROM information_schema.processlist WHERE db = ? AND info LIKE 'SELECT SLEEP%'`, slow.Name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the slow tenant never slept:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	// The cut tenant is reported dirty (exit 1, as retort current), and
	// refuses to move.
	stdout, errOut, code := runCLI(t, dir, nil, "fleet", "current", "--targets", "tenants.txt")
	if code != ExitFailure {
		t.Fatalf("fleet current: exit %d, want 1\n%s", code, errOut)
	}
	if !regexp.MustCompile(`(?m)^\S+/` + slow.Name + `: dirty: r2 \(up\) did not finish$`).MatchString(stdout) {
		t.Errorf("fleet current does not report the cut tenant dirty:\n%s", stdout)
	}
	if !strings.Contains(errOut, "retort: 1 of 3 tenants left dirty") || !strings.Contains(errOut, "resolve r2 --applied|--rolled-back") {
		t.Errorf("fleet current's error does not say how to resolve:\n%s", errOut)
	}
	_, errOut, code = runCLI(t, dir, nil, "fleet", "upgrade", "--targets", "tenants.txt", "--keep-going")
	if code != ExitFailure {
		t.Fatalf("upgrade of a dirty tenant: exit %d\n%s", code, errOut)
	}
	m := regexp.MustCompile(`(?m)^  \S+: retort -C \S+ --url (\S+) resolve r2 --applied\|--rolled-back$`).FindStringSubmatch(errOut)
	if m == nil || m[1] != slow.URL {
		t.Fatalf("no resolve command for %s in:\n%s", slow.URL, errOut)
	}
	// Its changes are all there (the sleep changes nothing): applied.
	if _, errOut, code := runCLI(t, dir, nil, "--url", m[1], "resolve", "r2", "--applied"); code != ExitOK {
		t.Fatalf("resolve: %s", errOut)
	}
	if _, err := slow.SQL.Exec("DROP TABLE slow_marker"); err != nil {
		t.Fatal(err)
	}
	stdout, errOut, code = runCLI(t, dir, nil, "fleet", "upgrade", "--targets", "tenants.txt")
	if code != ExitOK {
		t.Fatalf("rerun: exit %d\n%s\n%s", code, stdout, errOut)
	}
	for _, d := range dbs {
		got := stepsApplied(t, d.SQL, `SELECT revision, COUNT(*) FROM retort_history WHERE direction = 'up' AND dirty = 0 GROUP BY revision ORDER BY revision`)
		if got != "r1×1 r2×1 r3×1" {
			t.Errorf("%s: steps applied %v, want each once", d.Name, got)
		}
	}
}

// TestFleet_GroupSchemas runs fleet --group over a [fleet] group of
// PostgreSQL schemas whose URL has its password as ${PG_PW}: each
// tenant is named host:port/dbname/schema, and the password reaches
// neither the output nor the errors, with --json or without, though a
// tenant fails.
func TestFleet_GroupSchemas(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	for _, s := range []string{"tenant_a", "tenant_b", "other"} {
		if _, err := db.SQL.ExecContext(ctx, "CREATE SCHEMA "+s); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	writeFleetProject(t, dir)
	// The group's URL is the test database's with its password as
	// ${PG_PW} (the server trusts local connections: any password does
	// when the URL has none).
	scheme, rest, _ := strings.Cut(db.URL, "://")
	userinfo, hostpath, ok := strings.Cut(rest, "@")
	if !ok {
		t.Fatalf("the test URL names no user: %s", config.Redact(db.URL))
	}
	user, pw, hasPW := strings.Cut(userinfo, ":")
	secret := "s3cr3t@pw/x"
	if hasPW {
		var err error
		if secret, err = url.PathUnescape(pw); err != nil {
			t.Fatal(err)
		}
	}
	groupURL := scheme + "://" + user + ":${PG_PW}@" + hostpath
	toml := fmt.Sprintf("[fleet.groups.saas]\nurl = %q\nschemas = \"tenant_*\"\n", groupURL)
	if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	env := WithGetenv(func(k string) string {
		if k == "PG_PW" {
			return secret
		}
		return ""
	})
	// tenant_b's items repeat a code: r2 fails there.
	if _, stderr, code := runCLI(t, dir, nil, "--url", withParam(db.URL, "search_path=tenant_b"), "upgrade", "r1"); code != ExitOK {
		t.Fatalf("upgrade tenant_b to r1: %s", stderr)
	}
	if _, err := db.SQL.ExecContext(ctx, "INSERT INTO tenant_b.item (code, qty) VALUES ('a', 1), ('a', 2)"); err != nil {
		t.Fatal(err)
	}
	prefix := hostpath[:strings.IndexAny(hostpath+"?", "?")] + "/"
	for _, args := range [][]string{
		{"fleet", "upgrade", "--group", "saas", "--keep-going"},
		{"fleet", "upgrade", "--group", "all", "--json"},
		{"fleet", "current", "--group", "saas"},
	} {
		stdout, stderr, code := runCLI(t, dir, []Option{env}, args...)
		if code != ExitFailure && args[1] == "upgrade" {
			t.Errorf("%s: exit %d, want 1 (tenant_b fails)\n%s", args, code, stderr)
		}
		out := stdout + stderr
		for _, leak := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret)} {
			if strings.Contains(out, leak) {
				t.Errorf("%s: the output shows the password:\n%s", args, out)
			}
		}
		for _, name := range []string{"tenant_a", "tenant_b"} {
			if args[1] == "upgrade" && !strings.Contains(out, prefix+name) {
				t.Errorf("%s: no tenant %s%s in\n%s", args, prefix, name, out)
			}
		}
		if !strings.Contains(stdout, "2 tenants") && args[len(args)-1] != "--json" {
			t.Errorf("%s: not 2 tenants:\n%s", args, stdout)
		}
		if strings.Contains(out, prefix+"other") {
			t.Errorf("%s: schema other is no tenant:\n%s", args, out)
		}
	}
	var n int
	if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM tenant_a.retort_history WHERE direction = 'up'`).Scan(&n); err != nil || n != 3 {
		t.Errorf("tenant_a has %d up rows (%v), want 3", n, err)
	}
}

// TestFleet_CheckSchemas runs fleet check over PostgreSQL schemas: each
// tenant's schema is compared with the desired schema on its own (its
// search_path), so that a column added by hand in one tenant fails that
// tenant alone.
func TestFleet_CheckSchemas(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	for _, s := range []string{"tenant_a", "tenant_b"} {
		if _, err := db.SQL.ExecContext(ctx, "CREATE SCHEMA "+s); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	writeFleetProject(t, dir)
	desired := "CREATE TABLE item (code VARCHAR(20) NOT NULL, qty INTEGER NOT NULL);\nCREATE UNIQUE INDEX ux_item_code ON item (code);\nCREATE TABLE note (id INTEGER NOT NULL);\n"
	if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(desired), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte("desired = [\"schema.sql\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runCLI(t, dir, nil, "--url", db.URL, "fleet", "upgrade", "--schemas", "tenant_*"); code != ExitOK {
		t.Fatalf("fleet upgrade: %s", stderr)
	}
	stdout, stderr, code := runCLI(t, dir, nil, "--url", db.URL, "fleet", "check", "--schemas", "tenant_*", "--json")
	if code != ExitOK {
		t.Fatalf("fleet check of matching tenants: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := db.SQL.ExecContext(ctx, "ALTER TABLE tenant_b.item ADD COLUMN extra INTEGER"); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code = runCLI(t, dir, nil, "--url", db.URL, "fleet", "check", "--schemas", "tenant_*", "--json", "--keep-going")
	if code != ExitFailure {
		t.Fatalf("fleet check: exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	for _, l := range jsonLines(t, stdout) {
		switch l["tenant"] {
		case "tenant_a":
			if l["status"] != "done" {
				t.Errorf("tenant_a: %v", l)
			}
		case "tenant_b":
			diffs, _ := l["differences"].([]any)
			if l["status"] != "failed" || len(diffs) != 1 || !strings.Contains(fmt.Sprint(diffs[0]), "extra") {
				t.Errorf("tenant_b: %v", l)
			}
		default:
			t.Errorf("line %v", l)
		}
	}
}

// TestFleetFirstLine: the table's and the per-tenant line's error is
// the error's first line, with the cause when the first line only
// announces it (pgx's connection errors).
func TestFleetFirstLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"one line", "one line"},
		{"first\nsecond", "first"},
		{"failed to connect to `user=app database=x`:\n\t127.0.0.1:1 (127.0.0.1): dial error: connection refused\n\t127.0.0.1:1 (127.0.0.1): dial error: connection refused",
			"failed to connect to `user=app database=x`: 127.0.0.1:1 (127.0.0.1): dial error: connection refused"},
		{"ends with a colon:", "ends with a colon:"},
	} {
		if got := firstLine(tc.in); got != tc.want {
			t.Errorf("firstLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// stepsApplied runs query, which returns revisions and a count each, and
// returns "rev×count ..." in its order.
func stepsApplied(t *testing.T, db *sql.DB, query string) string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var rev string
		var c int
		if err := rows.Scan(&rev, &c); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s×%d", rev, c))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(got, " ")
}
