package cli

import (
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
)

// replayDialect is a dialect of the offline replay test: the revision
// bodies that differ, the client that replays a script and the catalog
// queries that describe the schema.
type replayDialect struct {
	name string
	// routine creates a trigger or function whose body holds semicolons;
	// dropRoutine drops it.
	routine, dropRoutine string
	schema               []string
}

var replayDialects = []replayDialect{
	{
		name: "sqlite",
		routine: `CREATE TRIGGER account_note AFTER INSERT ON account BEGIN
    INSERT INTO note (id, body) VALUES (NEW.id + 100, 'from; trigger');
END;`,
		dropRoutine: "DROP TRIGGER account_note;",
		schema: []string{
			`SELECT m.type, m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid`,
			`SELECT type, name, tbl_name FROM sqlite_master WHERE type <> 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
		},
	},
	{
		name: "postgres",
		routine: `CREATE FUNCTION account_count() RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM account; -- a ; inside
$$;`,
		dropRoutine: "DROP FUNCTION account_count();",
		schema: []string{
			`SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
			`SELECT tablename, indexname FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`,
			`SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = current_schema() ORDER BY 1`,
		},
	},
	{
		name: "mysql",
		routine: `CREATE TRIGGER account_note AFTER INSERT ON account FOR EACH ROW BEGIN
    INSERT INTO note (id, body) VALUES (NEW.id + 100, 'from; trigger');
END;`,
		dropRoutine: "DROP TRIGGER account_note;",
		schema: []string{
			`SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, IS_NULLABLE FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`,
			`SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
			`SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS
WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY 1`,
		},
	},
}

// replayRevisions is a project with tables, an index, inserts with
// quotes and non-ASCII text, two branches (a2, a3) and their merge (a4).
func replayRevisions(dl replayDialect) []testRev {
	return []testRev{
		{id: "a1", message: "account",
			up:      "CREATE TABLE account (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL);",
			downSQL: "DROP TABLE account;"},
		{id: "a2", down: "a1", message: "index and rows",
			up: `CREATE INDEX ix_account_name ON account (name);
INSERT INTO account (id, name) VALUES (1, 'O''Brien'), (2, 'say "hi"; -- not a comment'), (3, 'naïve café ☕ 日本 🎉');`,
			downSQL: "DELETE FROM account;\nDROP INDEX ix_account_name" + map[bool]string{true: " ON account;", false: ";"}[dl.name == "mysql"]},
		{id: "a3", down: "a1", message: "notes",
			up:      "CREATE TABLE note (id INT PRIMARY KEY, body VARCHAR(200) NULL);\nINSERT INTO note (id, body) VALUES (1, 'it''s; fine');",
			downSQL: "DROP TABLE note;"},
		{id: "a4", down: "a2, a3", message: "merge",
			up:      "ALTER TABLE account ADD COLUMN email VARCHAR(100) NULL;\nUPDATE account SET email = 'o''brien@example.com' WHERE id = 1;",
			downSQL: "ALTER TABLE account DROP COLUMN email;"},
		{id: "a5", down: "a4", message: "routine",
			up:      dl.routine + "\nINSERT INTO account (id, name) VALUES (4, 'after the routine');",
			downSQL: "DELETE FROM account WHERE id = 4;\nDELETE FROM note WHERE id = 104;\n" + dl.dropRoutine},
	}
}

// snapshot describes a database as the offline replay test compares it:
// the version rows, the history rows without times, user and host, the
// schema and the rows of the project's tables.
func snapshot(t *testing.T, db *dbtest.DB, dl replayDialect) string {
	t.Helper()
	var b strings.Builder
	section := func(title string, rows []string) {
		b.WriteString("# " + title + "\n")
		for _, r := range rows {
			b.WriteString(r + "\n")
		}
	}
	versions := queryStrings(t, db.SQL, "SELECT version_num FROM retort_version")
	slices.Sort(versions)
	section("version", versions)
	section("history", queryStrings(t, db.SQL, "SELECT revision, direction, checksum, dirty, stmt_index FROM retort_history ORDER BY id"))
	for _, q := range dl.schema {
		section(q, queryStrings(t, db.SQL, q))
	}
	for _, q := range []struct{ table, cols string }{{"account", "id, name"}, {"note", "id, body"}} {
		if tableExists(t, db, q.table) {
			section(q.table, queryStrings(t, db.SQL, "SELECT "+q.cols+" FROM "+q.table+" ORDER BY id"))
		}
	}
	return b.String()
}

// replay runs an offline script with the dialect's command-line client.
func replay(t *testing.T, db *dbtest.DB, script string) { t.Helper(); dbtest.Replay(t, db, script) }

// TestOfflineReplay checks, on each dialect, that the script of
// `upgrade --sql` (and `downgrade --sql`), replayed with the dialect's
// command-line client on a database at the range's start, leaves the
// database exactly as the online command does: version rows, history rows
// and schema.
func TestOfflineReplay(t *testing.T) {
	for _, dl := range replayDialects {
		t.Run(dl.name, func(t *testing.T) {
			t.Parallel()
			dir := writeProject(t, replayRevisions(dl))
			sqlOf := func(args ...string) string {
				return mustRetort(t, dir, "", append([]string{"--url", "sqlite://"}, args...)...).stdout
			}
			if dl.name != "sqlite" {
				// Offline needs no server: an unreachable one will do.
				sqlOf = func(args ...string) string {
					return mustRetort(t, dir, "", append([]string{"--url", dl.name + "://127.0.0.1:1/nowhere"}, args...)...).stdout
				}
			}
			compare := func(what string, got, want *dbtest.DB) {
				t.Helper()
				g, w := snapshot(t, got, dl), snapshot(t, want, dl)
				if g != w {
					t.Errorf("%s: offline and online differ\n--- offline\n%s\n--- online\n%s", what, g, w)
				}
			}

			// base:head, the tables' creation included.
			online, offline := dbtest.For(t, dl.name), dbtest.For(t, dl.name)
			mustRetort(t, dir, online.URL, "upgrade", "head")
			replay(t, offline, sqlOf("upgrade", "head", "--sql"))
			compare("upgrade base:head", offline, online)

			// From a branch (a2) to head, then back.
			online, offline = dbtest.For(t, dl.name), dbtest.For(t, dl.name)
			mustRetort(t, dir, online.URL, "upgrade", "a2")
			mustRetort(t, dir, offline.URL, "upgrade", "a2")
			mustRetort(t, dir, online.URL, "upgrade", "head")
			replay(t, offline, sqlOf("upgrade", "a2:head", "--sql"))
			compare("upgrade a2:head", offline, online)
			mustRetort(t, dir, online.URL, "downgrade", "a2")
			replay(t, offline, sqlOf("downgrade", "head:a2", "--sql"))
			compare("downgrade head:a2", offline, online)
			// Where `downgrade a2` leaves the database (Alembic's answer
			// for a target below a merge) is the next range's start.
			at := queryStrings(t, online.SQL, "SELECT version_num FROM retort_version")
			slices.Sort(at)
			from := strings.Join(at, ",")
			mustRetort(t, dir, online.URL, "downgrade", "base")
			replay(t, offline, sqlOf("downgrade", from+":base", "--sql"))
			compare("downgrade "+from+":base", offline, online)
		})
	}
}

// TestOfflineNoServer checks that --sql connects to nothing: with a URL
// that names no server, or one that does not answer, it still writes the
// script. (A MySQL URL needs a database name all the same: the URL is
// checked before the command knows it will not connect.)
func TestOfflineNoServer(t *testing.T) {
	dir := writeProject(t, replayRevisions(replayDialects[1]))
	for _, u := range []string{"postgresql://", "postgres://127.0.0.1:1/nowhere", "mysql://", "mysql:///app", "mariadb://127.0.0.1:1/nowhere"} {
		for _, args := range [][]string{{"upgrade", "head", "--sql"}, {"downgrade", "head:base", "--sql"}, {"stamp", "a1:head", "--sql"}} {
			t.Run(u+" "+strings.Join(args, " "), func(t *testing.T) {
				r := runRetort(t, dir, "", append([]string{"--url", u}, args...)...)
				if r.code != 0 {
					t.Fatalf("exit status %d\n%s", r.code, r.stderr)
				}
				if !strings.Contains(r.stdout, "retort_version") {
					t.Errorf("no script on stdout:\n%s", r.stdout)
				}
			})
		}
	}
}
