package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/lint"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/script"
)

// TestLintTrace runs lint --trace on PostgreSQL: each revision is traced
// on a scratch database where the revisions before it were replayed, and
// the locks, rewrites and scans are shown beside the findings.
func TestLintTrace(t *testing.T) {
	dbtest.Postgres(t) // skips, or fails under RETORT_TEST_REQUIRE, without a server
	dir := t.TempDir()
	files := map[string]string{
		"retort.toml": "script_location = \"migrations\"\ndev_url = \"" + dbtest.PostgresServerURL() + "\"\n",
		"migrations/0001_create.sql": "-- revision: 0001\n-- down_revision:\n-- message: create\n\n-- +upgrade\n" +
			"CREATE TABLE orders (id int PRIMARY KEY, a int, b text);\n\n-- +downgrade\nDROP TABLE orders;\n",
		"migrations/0002_change.sql": "-- revision: 0002\n-- down_revision: 0001\n-- message: change\n\n-- +upgrade\n" +
			"CREATE INDEX orders_a_idx ON orders (a);\nALTER TABLE orders ALTER COLUMN b SET NOT NULL;\nALTER TABLE orders ALTER COLUMN a TYPE bigint;\n\n-- +downgrade\nDROP INDEX orders_a_idx;\n",
		"migrations/0003_concurrently.sql": "-- revision: 0003\n-- down_revision: 0002\n-- message: concurrently\n\n-- +upgrade\n-- +no-transaction\n" +
			"CREATE INDEX CONCURRENTLY orders_b_idx ON orders (b);\n\n-- +downgrade\nDROP INDEX orders_b_idx;\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stdout, stderr, code := runCLI(t, dir, nil, "lint", "--dialect", "postgres", "--trace")
	if code != ExitFailure && code != ExitOK {
		t.Fatalf("lint --trace: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"migrations/0001_create.sql:6: trace: CREATE TABLE orders (id int PRIMARY KEY, a int, b text)\n    locks: none\n",
		"migrations/0002_change.sql:6: trace: CREATE INDEX orders_a_idx ON orders (a)\n    locks: orders ShareLock\n    scanned: orders\n    rewritten: none\n",
		"migrations/0002_change.sql:7: trace: ALTER TABLE orders ALTER COLUMN b SET NOT NULL\n    locks: orders AccessExclusiveLock\n" +
			"    held from the statements before (not taken again): orders ShareLock, orders_a_idx AccessExclusiveLock\n    scanned: orders\n    rewritten: none\n",
		"migrations/0002_change.sql:8: trace: ALTER TABLE orders ALTER COLUMN a TYPE bigint\n",
		"    rewritten: orders\n",
		"migrations/0003_concurrently.sql:7: trace: CREATE INDEX CONCURRENTLY orders_b_idx ON orders (b)\n    ran outside a transaction",
		// Beside the static findings: after those of its statement.
		"    safe: CREATE INDEX CONCURRENTLY in a -- +no-transaction section\nmigrations/0002_change.sql:6: error RT701",
		"    safe: set statement_timeout in retort.toml, or begin the revision with SET statement_timeout = '60s'\nmigrations/0002_change.sql:6: trace: CREATE INDEX",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("lint --trace printed no %q:\n%s", want, stdout)
		}
	}
	if testing.Verbose() {
		t.Log(stdout)
	}
	if strings.Contains(stdout, "note:") {
		t.Errorf("the trace disagrees with the static lock class:\n%s", stdout)
	}

	stdout, stderr, _ = runCLI(t, dir, nil, "lint", "--dialect", "postgres", "--trace", "--json", "0002")
	var doc struct {
		Trace []lint.Trace `json:"trace"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("lint --trace --json: %v\n%s%s", err, stdout, stderr)
	}
	if len(doc.Trace) != 3 || doc.Trace[2].Rewritten[0] != "orders" || doc.Trace[0].Strongest != lint.Share || doc.Trace[0].Static != lint.Share {
		t.Errorf("lint --trace --json 0002: %+v", doc.Trace)
	}
}

// TestLintTraceGoRevision traces a Go revision: its operations rendered
// for PostgreSQL, each statement at the line that recorded it, on a
// scratch database where the SQL revision before it was replayed.
func TestLintTraceGoRevision(t *testing.T) {
	dbtest.Postgres(t) // skips, or fails under RETORT_TEST_REQUIRE, without a server
	dir := t.TempDir()
	goFile := `package versions

import (
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

func init() {
	Registry.Add(script.GoRevision{
		Revision:     "g0002",
		DownRevision: "0001",
		Message:      "index orders",
		Upgrade:      func(o *op.Ops) error { return nil },
	})
}
`
	files := map[string]string{
		"retort.toml": "script_location = \"migrations\"\ndev_url = \"" + dbtest.PostgresServerURL() + "\"\n",
		"migrations/0001_create.sql": "-- revision: 0001\n-- down_revision:\n-- message: create\n\n-- +upgrade\n" +
			"CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n\n-- +downgrade\nDROP TABLE orders;\n",
		"migrations/0002_index.go": goFile,
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var reg script.Registry
	reg.Add(script.GoRevision{Revision: "g0002", DownRevision: "0001", Message: "index orders", Upgrade: func(o *op.Ops) error {
		o.CreateIndex("orders", schema.Index{Name: "orders_customer_idx", Parts: []schema.IndexPart{{Column: "customer_id"}}})
		return nil
	}})
	stdout, stderr, _ := runCLI(t, dir, []Option{WithRevisions(&reg)}, "lint", "--dialect", "postgres", "--trace", "--json", "g0002")
	var doc struct {
		Trace []lint.Trace `json:"trace"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("lint --trace --json: %v\n%s%s", err, stdout, stderr)
	}
	if len(doc.Trace) != 1 {
		t.Fatalf("traces %+v, want the CREATE INDEX\n%s", doc.Trace, stderr)
	}
	tr := doc.Trace[0]
	if tr.File != "migrations/0002_index.go" || tr.Error != "" || tr.Strongest != lint.Share ||
		!strings.Contains(tr.Statement, `CREATE INDEX "orders_customer_idx"`) || tr.Disagrees() {
		t.Errorf("trace %+v", tr)
	}
}

// TestLintTraceBranches: each revision is traced on the schema of its
// own ancestors. 0003 branches off 0001 and changes the type 0002 already
// changed on the other branch: traced after 0004 (which needs 0002 on
// the scratch database), it must run on a database without 0002, so its
// type change rewrites the table.
func TestLintTraceBranches(t *testing.T) {
	dbtest.Postgres(t) // skips, or fails under RETORT_TEST_REQUIRE, without a server
	dir := t.TempDir()
	rev := func(id, down, up string) string {
		return "-- revision: " + id + "\n-- down_revision: " + down + "\n-- message: m\n\n-- +upgrade\n" + up + "\n\n-- +downgrade\n"
	}
	files := map[string]string{
		"retort.toml":           "script_location = \"migrations\"\ndev_url = \"" + dbtest.PostgresServerURL() + "\"\n",
		"migrations/0001.sql":   rev("0001", "", "CREATE TABLE orders (id bigint PRIMARY KEY, a int);"),
		"migrations/0002.sql":   rev("0002", "0001", "ALTER TABLE orders ALTER COLUMN a TYPE bigint;"),
		"migrations/0004.sql":   rev("0004", "0002", "ALTER TABLE orders ADD COLUMN b int;"),
		"migrations/0003_b.sql": rev("0003", "0001", "ALTER TABLE orders ALTER COLUMN a TYPE bigint;"),
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stdout, stderr, _ := runCLI(t, dir, nil, "lint", "--dialect", "postgres", "--trace", "--json")
	var doc struct {
		Trace []lint.Trace `json:"trace"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("lint --trace --json: %v\n%s%s", err, stdout, stderr)
	}
	byRev := map[string]lint.Trace{}
	for _, tr := range doc.Trace {
		if tr.Error != "" {
			t.Errorf("%s failed on the scratch database: %s", tr.Revision, tr.Error)
		}
		byRev[tr.Revision] = tr
	}
	for _, id := range []string{"0002", "0003"} {
		if tr := byRev[id]; len(tr.Rewritten) != 1 || tr.Rewritten[0] != "orders" {
			t.Errorf("%s: rewritten %v, want orders (traced on its own ancestors)", id, tr.Rewritten)
		}
	}
	if len(byRev) != 4 {
		t.Errorf("traced %d revisions, want 4: %+v", len(byRev), doc.Trace)
	}
}
