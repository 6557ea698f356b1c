package proof

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql" // MySQL/MariaDB driver "mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"

	"github.com/retortdb/retort/cli"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/internal/importer"
)

// sqlRetort runs the retort command line in-process in the project
// folder dir, with no environment, failing the test when it exits with
// another status than 0; it returns what it printed on stdout.
func sqlRetort(t *testing.T, dir string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := cli.Main(context.Background(), append([]string{"-C", dir}, args...), strings.NewReader(""), &stdout, &stderr,
		cli.WithGetenv(func(string) string { return "" })); code != 0 {
		t.Fatalf("retort %s: exit status %d\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// sqlImportReport is the part of `retort import --json` the proof reads.
type sqlImportReport struct {
	Revisions []struct {
		Revision      string `json:"revision"`
		SourceVersion string `json:"source_version"`
		SourcePath    string `json:"source_path"`
		HasDowngrade  bool   `json:"has_downgrade"`
	} `json:"revisions"`
	NotImported []struct {
		Path string `json:"path"`
	} `json:"not_imported"`
	Head  string `json:"head"`
	Stamp string `json:"stamp"`
}

// TestSQLImportProof is the import proof of goose, golang-migrate,
// dbmate and Flyway on SQLite, PostgreSQL and MariaDB: the corpus
// (sqlCorpus), written in the tool's own format, is applied by the tool
// to database A and, after `retort import`, by `retort upgrade head` to
// database B; the two must hold the same schema, the same views,
// functions and triggers and the same rows. Then `retort adopt --from
// TOOL` takes A over, and one more revision is applied to it with
// `retort upgrade head`; `retort verify` passes and the tool's table is
// as it was. A third database, which the tool migrated only part of the
// way, is adopted where it is and brought by retort to the same state.
func TestSQLImportProof(t *testing.T) {
	if len(sqlCorpus) < 55 {
		t.Fatalf("the corpus has %d migrations; the proof wants at least 55", len(sqlCorpus))
	}
	for _, tool := range sqlTools {
		for _, dialect := range dbtest.Dialects {
			t.Run(tool.name+"/"+dialect, func(t *testing.T) {
				t.Parallel()
				sqlProve(t, tool, dialect)
			})
		}
	}
}

func sqlProve(t *testing.T, tool sqlTool, dialect string) {
	src := t.TempDir()
	versions := tool.write(t, src, dialect, sqlCorpus)
	a, b := dbtest.For(t, dialect), dbtest.For(t, dialect)

	// A: the tool itself.
	tool.apply(t, src, a)

	// B: retort, after import into a new project.
	proj := t.TempDir()
	var rep sqlImportReport
	out := sqlRetort(t, proj, "--json", "import", tool.name, src, "--init")
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("import --json: %v\n%s", err, out)
	}
	if len(rep.Revisions) != len(sqlCorpus) {
		t.Fatalf("import wrote %d revisions; the folder has %d migrations", len(rep.Revisions), len(sqlCorpus))
	}
	if last := rep.Revisions[len(rep.Revisions)-1]; rep.Head != last.Revision || last.SourceVersion == "" || !strings.Contains(rep.Stamp, "retort adopt --from "+tool.name) {
		t.Fatalf("import's head %q (last revision %s, version %q), stamp %q: want the last revision and `retort adopt --from %s`",
			rep.Head, last.Revision, last.SourceVersion, rep.Stamp, tool.name)
	}
	var notImported []string
	for _, n := range rep.NotImported {
		notImported = append(notImported, filepath.Base(n.Path))
	}
	wantNot := []string(nil)
	if tool.name == "flyway" {
		wantNot = []string{sqlFlywayRepeatable}
	}
	if !slices.Equal(notImported, wantNot) {
		t.Fatalf("import listed as not imported %q, want %q", notImported, wantNot)
	}
	// Importing again gives the same files, byte for byte.
	first := sqlSnapshot(t, proj)
	sqlRetort(t, proj, "import", tool.name, src, "--force")
	if again := sqlSnapshot(t, proj); !maps.Equal(first, again) {
		t.Fatalf("importing again changed the revision files")
	}
	sqlRetort(t, proj, "--url", b.URL, "upgrade", "head")

	if tool.name == "flyway" {
		// The repeatable migration, which import lists and does not
		// import, made its view on A only: that view, and nothing
		// else, is what the databases differ by; it is dropped from A
		// before they are compared.
		ua, ub := Unmanaged(t, a), Unmanaged(t, b)
		extra := slices.DeleteFunc(slices.Clone(ua), func(o string) bool { return slices.Contains(ub, o) })
		if want := []string{"view report_task_summary"}; !slices.Equal(extra, want) || len(ua) != len(ub)+1 {
			t.Fatalf("A (Flyway) has %q that B (retort) has not, want %q (A: %q, B: %q)", extra, want, ua, ub)
		}
		if _, err := a.SQL.Exec("DROP VIEW report_task_summary"); err != nil {
			t.Fatal(err)
		}
	}
	if n := Equal(t, a, b, tool.table); n != sqlTables {
		t.Errorf("compared %d tables, want the corpus's %d", n, sqlTables)
	}
	if un := Unmanaged(t, b); len(un) < 3 {
		t.Errorf("B has %d views, functions and triggers (%q); the corpus makes at least 3", len(un), un)
	}
	// The data migrations and the triggers ran: 8 tasks created, 6
	// comments, 2 tasks archived (deleted), each in the audit log.
	for table, want := range map[string]int{"audit_log": 16, "comments": 6, "archived_tasks": 2, "tasks": 6, "task_labels": 3, "plans": 3} {
		if n := len(Rows(t, b, table)); n != want {
			t.Errorf("B's %s has %d rows, want %d", table, n, want)
		}
	}
	if t.Failed() {
		return
	}

	// Down: the tool takes back its last sqlDown migrations on A, and
	// retort downgrade the same revisions on B; A is then adopted
	// there. Flyway's undo is not in its free edition: A stays at the
	// last version.
	at := len(sqlCorpus) - 1
	if tool.down != nil {
		at -= sqlDown
		tool.down(t, src, a, sqlDown, versions[at])
		sqlRetort(t, proj, "--url", b.URL, "downgrade", rep.Revisions[at].Revision)
		if n := Equal(t, sqlFresh(t, a), sqlFresh(t, b), tool.table); n != sqlTables {
			t.Errorf("compared %d tables after the downgrade, want the corpus's %d", n, sqlTables)
		}
		if t.Failed() {
			return
		}
	}

	// adopt A, then one more revision.
	before := Rows(t, a, tool.table)
	head := rep.Revisions[at].Revision
	out = sqlRetort(t, proj, "--url", a.URL, "adopt", "--from", tool.name)
	if want := "Adopted " + tool.table + ": at " + versions[at] + " (revision " + head + ")"; !strings.Contains(out, want) {
		t.Fatalf("adopt said %q, want %q", out, want)
	}
	if cur := sqlRetort(t, proj, "--url", a.URL, "current"); !strings.Contains(cur, head) {
		t.Fatalf("current after adopt = %q, want %s", cur, head)
	}
	const next = "0a1b2c3d4e5f"
	sqlRetort(t, proj, "revision", "-m", "add tasks archived_at", "--rev-id", next)
	sqlFillRevision(t, proj, next, "ALTER TABLE tasks ADD COLUMN archived_at "+sqlTypes[dialect].Replace("{ts}")+";\n",
		"ALTER TABLE tasks DROP COLUMN archived_at;\n")
	sqlRetort(t, proj, "--url", a.URL, "upgrade", "head")
	if cur := sqlRetort(t, proj, "--url", a.URL, "current"); !strings.Contains(cur, next) {
		t.Fatalf("current after upgrade head = %q, want %s", cur, next)
	}
	if _, err := a.SQL.Exec("SELECT archived_at FROM tasks"); err != nil {
		t.Fatalf("the new revision did not run: %v", err)
	}
	sqlRetort(t, proj, "--url", a.URL, "verify", "--strict")
	if after := Rows(t, a, tool.table); !slices.Equal(before, after) {
		t.Errorf("adopt or upgrade changed %s:\nbefore %q\nafter  %q", tool.table, before, after)
	}
	if from, v := importer.SourceVersion(sqlReadRevision(t, proj, head)); from != tool.name || v == "" {
		t.Errorf("revision %s says it was imported from %q version %q, want %s", head, from, v, tool.name)
	}

	// C: a database the tool left behind (migrated when the folder
	// had only the first sqlBehind migrations) is adopted at that
	// version; retort upgrade head brings it to A.
	c, partial := dbtest.For(t, dialect), t.TempDir()
	tool.write(t, partial, dialect, sqlCorpus[:sqlBehind])
	switch tool.name {
	case "goose", "dbmate":
		sqlOutOfOrder(t, proj, partial, tool, c)
	case "golang-migrate":
		tool.apply(t, partial, c)
		sqlDirty(t, proj, partial, c)
	default:
		tool.apply(t, partial, c)
	}
	out = sqlRetort(t, proj, "--url", c.URL, "adopt", "--from", tool.name)
	if want := "Adopted " + tool.table + ": at " + versions[sqlBehind-1] + " (revision " + rep.Revisions[sqlBehind-1].Revision + ")"; !strings.Contains(out, want) {
		t.Fatalf("adopt of the database behind said %q, want %q", out, want)
	}
	sqlRetort(t, proj, "--url", c.URL, "upgrade", "head")
	if cur := sqlRetort(t, proj, "--url", c.URL, "current"); !strings.Contains(cur, next) {
		t.Fatalf("current after upgrade head of the database behind = %q, want %s", cur, next)
	}
	sqlRetort(t, proj, "--url", c.URL, "verify", "--strict")
	if tool.name == "flyway" {
		if _, err := c.SQL.Exec("DROP VIEW report_task_summary"); err != nil {
			t.Fatal(err)
		}
	}
	if n := Equal(t, sqlFresh(t, a), c, tool.table); n != sqlTables {
		t.Errorf("compared %d tables, want the corpus's %d", n, sqlTables)
	}
}

// sqlDirty: a deploy of a broken migration leaves golang-migrate's
// table dirty, as golang-migrate itself writes it; adopt refuses the
// database, naming the version, until it is repaired by hand and `migrate
// force` to the version it is at, as adopt's hint says.
func sqlDirty(t *testing.T, proj, dir string, db *dbtest.DB) {
	migrate := Peer(t, "migrate")
	broken := fmt.Sprintf("%06d_broken_deploy.up.sql", sqlBehind+1)
	sqlWriteFile(t, dir, broken, "CREATE TABLE deploy_probe (id INT);\nINSERT INTO no_such_table VALUES (1);\n")
	if out, err := exec.Command(migrate, "-path", dir, "-database", sqlMigrateURL(t, db), "up").CombinedOutput(); err == nil {
		t.Fatalf("migrate up of %s did not fail:\n%s", broken, out)
	}
	sqlAdoptRefused(t, proj, db, "golang-migrate", fmt.Sprintf("says dirty at version %d", sqlBehind+1))
	// The repair: what the broken file left (MariaDB commits DDL), the
	// file itself, then `migrate force`.
	if _, err := db.SQL.Exec("DROP TABLE IF EXISTS deploy_probe"); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, broken)); err != nil {
		t.Fatal(err)
	}
	Run(t, dir, nil, migrate, "-path", dir, "-database", sqlMigrateURL(t, db), "force", strconv.Itoa(sqlBehind))
}

// sqlOutOfOrder: the tool migrates a folder from which one migration
// of the middle is missing (a branch not merged yet), so its table has a
// hole; adopt refuses the database, naming both versions. Once the
// migration is back, the tool applies it out of order, as its users do
// (`goose up -allow-missing`; dbmate's up applies every pending one),
// and adopt goes on.
func sqlOutOfOrder(t *testing.T, proj, dir string, tool sqlTool, db *dbtest.DB) {
	const missing = 26 // create_api_tokens: nothing after it depends on it
	if sqlCorpus[missing].Name != "create_api_tokens" {
		t.Fatalf("step %d is %s, not create_api_tokens", missing, sqlCorpus[missing].Name)
	}
	name, version := sqlGooseVersion(missing), strconv.Itoa(missing+1)
	if tool.name == "dbmate" {
		name, version = sqlDbmateVersion(missing), sqlDbmateVersion(missing)
	}
	name += "_" + sqlCorpus[missing].Name + ".sql"
	text, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
	tool.apply(t, dir, db)
	sqlAdoptRefused(t, proj, db, tool.name, "is applied but version "+version+", before it, is not (applied out of order)")
	sqlWriteFile(t, dir, name, string(text))
	if tool.name == "goose" {
		Run(t, dir, nil, Peer(t, "goose"), append([]string{"-allow-missing"}, append(sqlGooseArgs(t, dir, db), "up")...)...)
	} else {
		tool.apply(t, dir, db)
	}
}

// sqlAdoptRefused checks that `retort adopt --from tool` refuses db with
// exit status 1 and a message holding want, and stamps nothing.
func sqlAdoptRefused(t *testing.T, proj string, db *dbtest.DB, tool, want string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Main(context.Background(), []string{"-C", proj, "--url", db.URL, "adopt", "--from", tool}, strings.NewReader(""), &stdout, &stderr,
		cli.WithGetenv(func(string) string { return "" }))
	if code != 1 || !strings.Contains(stderr.String(), want) {
		t.Fatalf("adopt --from %s: exit status %d, stderr %q; want 1 and %q", tool, code, stderr.String(), want)
	}
	if cur := sqlRetort(t, proj, "--url", db.URL, "current"); strings.TrimSpace(cur) != "" {
		t.Fatalf("the refused adopt stamped: current = %q", cur)
	}
}

// sqlFresh is db through a new pool: the old one has statements
// prepared before the schema changed, which pgx caches ("cached plan
// must not change result type").
func sqlFresh(t *testing.T, db *dbtest.DB) *dbtest.DB {
	fresh := *db
	fresh.SQL = db.Pool(t)
	return &fresh
}

// sqlDown is how many migrations the tools take back, and retort
// downgrades: a data migration, a CONCURRENTLY index (dropped
// CONCURRENTLY), a rename, a view, columns with their backfill and a
// stored routine.
const sqlDown = 7

// sqlBehind is how many migrations the tool applied to the database
// that is behind: it then misses the comment trigger, data migrations, a
// CONCURRENTLY index and renames, and, for goose, crosses from
// sequential to timestamp versions.
const sqlBehind = 44

// sqlSnapshot is the content of each file of the project's migrations.
func sqlSnapshot(t *testing.T, proj string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(proj, "migrations", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = string(b)
	}
	if len(out) != len(sqlCorpus) {
		t.Fatalf("%d revision files in %s, want %d", len(out), proj, len(sqlCorpus))
	}
	return out
}

// sqlRevisionPath is the file of revision id in the project's migrations.
func sqlRevisionPath(t *testing.T, proj, id string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(proj, "migrations", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(string(b), "-- revision: "+id+"\n") {
			return f
		}
	}
	t.Fatalf("no revision file of %s in %s", id, proj)
	return ""
}

func sqlReadRevision(t *testing.T, proj, id string) string {
	t.Helper()
	b, err := os.ReadFile(sqlRevisionPath(t, proj, id))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sqlFillRevision writes the SQL of an empty revision that `retort
// revision` created.
func sqlFillRevision(t *testing.T, proj, id, up, down string) {
	t.Helper()
	p := sqlRevisionPath(t, proj, id)
	text := sqlReadRevision(t, proj, id)
	filled := strings.Replace(strings.Replace(text, "-- +upgrade\n", "-- +upgrade\n"+up, 1), "-- +downgrade\n", "-- +downgrade\n"+down, 1)
	if filled == text {
		t.Fatalf("revision %s has no sections to fill:\n%s", id, text)
	}
	if err := os.WriteFile(p, []byte(filled), 0o644); err != nil {
		t.Fatal(err)
	}
}
