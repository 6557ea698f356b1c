package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
)

// sectionsRevision has a plain section and one for each dialect; each
// records which one ran in the table pick.
const sectionsRevision = `-- revision: dddd00000001
-- down_revision:
-- message: one file, three databases

-- +upgrade
CREATE TABLE pick (v VARCHAR(20));
INSERT INTO pick (v) VALUES ('plain');

-- +downgrade
DELETE FROM pick;

-- +upgrade postgresql
CREATE TABLE pick (v VARCHAR(20));
INSERT INTO pick (v) VALUES ('postgres');

-- +upgrade mysql
CREATE TABLE pick (v VARCHAR(20)) ENGINE = InnoDB;
INSERT INTO pick (v) VALUES ('mysql');

-- +upgrade sqlite
CREATE TABLE pick (v TEXT);
INSERT INTO pick (v) VALUES ('sqlite');

-- +downgrade postgres
DROP TABLE pick;

-- +downgrade mysql
DROP TABLE pick;

-- +downgrade sqlite
DROP TABLE pick;
`

// sectionsPlain has a plain upgrade and SQLite's own: the servers run the
// plain one.
const sectionsPlain = `-- revision: dddd00000002
-- down_revision: dddd00000001

-- +upgrade
INSERT INTO pick (v) VALUES ('2 plain');

-- +downgrade
DELETE FROM pick WHERE v LIKE '2 %';

-- +upgrade sqlite
INSERT INTO pick (v) VALUES ('2 sqlite');
`

// TestDialectSections runs one project whose files have dialect sections
// on a real database of each dialect, online and through the --sql
// script replayed with the dialect's client, and checks that each ran its
// own section (or the plain one where it has none), that an edit to
// another dialect's section leaves verify clean while an edit to its own
// does not, and that the downgrade runs its own downgrade section.
func TestDialectSections(t *testing.T) {
	want := map[string][]string{
		"sqlite":   {"2 sqlite", "sqlite"},
		"postgres": {"2 plain", "postgres"},
		"mysql":    {"2 plain", "mysql"},
	}
	other := map[string]string{"sqlite": "mysql", "postgres": "sqlite", "mysql": "postgresql"}
	for _, d := range dbtest.Dialects {
		t.Run(d, func(t *testing.T) {
			dir := t.TempDir()
			mig := filepath.Join(dir, "migrations")
			write := func(name, content string) {
				t.Helper()
				if err := os.WriteFile(filepath.Join(mig, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.MkdirAll(mig, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "retort.toml"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			write("001_d1.sql", sectionsRevision)
			write("002_d2.sql", sectionsPlain)
			rows := func(db *dbtest.DB) []string {
				t.Helper()
				got := queryStrings(t, db.SQL, "SELECT v FROM pick")
				slices.Sort(got)
				return got
			}

			online := dbtest.For(t, d)
			mustRetort(t, dir, online.URL, "upgrade", "head")
			if got := rows(online); !slices.Equal(got, want[d]) {
				t.Errorf("online: pick holds %q, want %q", got, want[d])
			}

			offline := dbtest.For(t, d)
			script := mustRetort(t, dir, offline.URL, "upgrade", "head", "--sql").stdout
			replay(t, offline, script)
			if got := rows(offline); !slices.Equal(got, want[d]) {
				t.Errorf("offline: pick holds %q, want %q\n%s", got, want[d], script)
			}
			// The history rows record the same checksums online and offline.
			const sums = "SELECT revision, checksum FROM retort_history ORDER BY id"
			if on, off := queryStrings(t, online.SQL, sums), queryStrings(t, offline.SQL, sums); !slices.Equal(on, off) {
				t.Errorf("checksums online %q, offline %q", on, off)
			}

			// Another dialect's section edited: verify stays clean.
			marker := "-- +upgrade " + other[d] + "\n"
			edited := strings.Replace(sectionsRevision, marker, marker+"-- edited\n", 1)
			write("001_d1.sql", edited)
			if r := runRetort(t, dir, online.URL, "verify"); r.code != 0 || r.stdout != "" {
				t.Errorf("verify after an edit of the %s section: exit %d\n%s%s", other[d], r.code, r.stdout, r.stderr)
			}
			// Its own section edited: verify names the file.
			own := "-- +upgrade " + map[string]string{"sqlite": "sqlite", "postgres": "postgresql", "mysql": "mysql"}[d]
			write("001_d1.sql", strings.Replace(edited, own+"\n", own+"\n-- edited\n", 1))
			if r := runRetort(t, dir, online.URL, "verify"); r.code != 1 || !strings.Contains(r.stdout, "dddd00000001 migrations/001_d1.sql: changed since it ran") {
				t.Errorf("verify after an edit of the %s section: exit %d\n%s%s", d, r.code, r.stdout, r.stderr)
			}
			write("001_d1.sql", sectionsRevision)

			mustRetort(t, dir, online.URL, "downgrade", "base")
			if tableExists(t, online, "pick") {
				t.Error("downgrade base left the table pick: the plain downgrade ran instead of the dialect's")
			}
		})
	}
}
