package proof

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/internal/dbtest"
)

// sqlTool is one of the SQL tools the proof imports from: how its users
// write the corpus, how the tool applies it, and its table.
type sqlTool struct {
	name  string // as `retort import` names it
	table string // the tool's version table, left out of the comparison
	// write renders the corpus's first steps for a dialect into dir in
	// the tool's format and returns their versions, as the tool's table
	// writes them.
	write func(t *testing.T, dir, dialect string, steps []sqlStep) []string
	// down has the tool take back db's last n migrations, to version
	// to; nil for Flyway, whose undo is not in its free edition.
	down func(t *testing.T, dir string, db *dbtest.DB, n int, to string)
	// apply has the tool migrate db with the folder.
	apply func(t *testing.T, dir string, db *dbtest.DB)
}

var sqlTools = []sqlTool{
	{name: "goose", table: "goose_db_version", write: sqlWriteGoose, apply: sqlApplyGoose, down: sqlDownGoose},
	{name: "golang-migrate", table: "schema_migrations", write: sqlWriteMigrate, apply: sqlApplyMigrate, down: sqlDownMigrate},
	{name: "dbmate", table: "schema_migrations", write: sqlWriteDbmate, apply: sqlApplyDbmate, down: sqlDownDbmate},
	{name: "flyway", table: "flyway_schema_history", write: sqlWriteFlyway, apply: sqlApplyFlyway},
}

func sqlWriteFile(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sqlJoin writes statements one after the other, each ended by ";", as
// a file that golang-migrate and dbmate send whole to the database.
func sqlJoin(stmts []string) string {
	var b strings.Builder
	for i, q := range stmts {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(q + ";\n")
	}
	return b.String()
}

// goose: the first 40 migrations numbered sequentially (00001_...), the
// later ones by timestamp, as a team that switched to `goose create`'s
// default writes them; bodies between StatementBegin and StatementEnd.

func sqlGooseVersion(i int) string {
	if i < 40 {
		return fmt.Sprintf("%05d", i+1)
	}
	return time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i-40) * 26 * time.Hour).Format("20060102150405")
}

func sqlGooseSection(b *strings.Builder, stmts []string) {
	for _, q := range stmts {
		if sqlCompound(q) {
			b.WriteString("-- +goose StatementBegin\n" + q + ";\n-- +goose StatementEnd\n")
		} else {
			b.WriteString(q + ";\n")
		}
	}
}

func sqlWriteGoose(t *testing.T, dir, dialect string, steps []sqlStep) []string {
	var versions []string
	for i, s := range steps {
		var b strings.Builder
		if s.NoTx {
			b.WriteString("-- +goose NO TRANSACTION\n")
		}
		b.WriteString("-- +goose Up\n")
		sqlGooseSection(&b, s.statements(dialect, true))
		if s.Name != sqlNoDown {
			b.WriteString("\n-- +goose Down\n")
			sqlGooseSection(&b, s.statements(dialect, false))
		}
		v := sqlGooseVersion(i)
		sqlWriteFile(t, dir, v+"_"+s.Name+".sql", b.String())
		versions = append(versions, strings.TrimLeft(v, "0"))
	}
	return versions
}

func sqlApplyGoose(t *testing.T, dir string, db *dbtest.DB) {
	Run(t, dir, nil, Peer(t, "goose"), append(sqlGooseArgs(t, dir, db), "up")...)
}

func sqlDownGoose(t *testing.T, dir string, db *dbtest.DB, _ int, to string) {
	Run(t, dir, nil, Peer(t, "goose"), append(sqlGooseArgs(t, dir, db), "down-to", to)...)
}

func sqlGooseArgs(t *testing.T, dir string, db *dbtest.DB) []string {
	var driver, dsn string
	switch db.Dialect {
	case "sqlite":
		driver, dsn = "sqlite3", db.Name
	case "postgres":
		driver, dsn = "postgres", db.URL
	case "mysql":
		driver, dsn = "mysql", sqlMySQLDSN(t, db)+"?parseTime=true"
	}
	return []string{"-dir", dir, driver, dsn}
}

// sqlNoDown is a data migration whose down its goose and golang-migrate
// users left out (goose: no -- +goose Down; golang-migrate: no down
// file), and dbmate's an empty -- migrate:down.
const sqlNoDown = "backfill_owner_role"

// golang-migrate: N_name.up.sql and N_name.down.sql, numbered
// sequentially; two data migrations have no down file.

func sqlMigrateNoDown(s sqlStep) bool {
	return s.Name == sqlNoDown || s.Name == "seed_plans"
}

func sqlWriteMigrate(t *testing.T, dir, dialect string, steps []sqlStep) []string {
	var versions []string
	for i, s := range steps {
		v := fmt.Sprintf("%06d", i+1)
		sqlWriteFile(t, dir, v+"_"+s.Name+".up.sql", sqlJoin(s.statements(dialect, true)))
		if !sqlMigrateNoDown(s) {
			sqlWriteFile(t, dir, v+"_"+s.Name+".down.sql", sqlJoin(s.statements(dialect, false)))
		}
		versions = append(versions, strconv.Itoa(i+1))
	}
	return versions
}

func sqlApplyMigrate(t *testing.T, dir string, db *dbtest.DB) {
	Run(t, dir, nil, Peer(t, "migrate"), "-path", dir, "-database", sqlMigrateURL(t, db), "up")
}

func sqlDownMigrate(t *testing.T, dir string, db *dbtest.DB, n int, _ string) {
	Run(t, dir, nil, Peer(t, "migrate"), "-path", dir, "-database", sqlMigrateURL(t, db), "down", strconv.Itoa(n))
}

func sqlMigrateURL(t *testing.T, db *dbtest.DB) string {
	var u string
	switch db.Dialect {
	case "sqlite":
		u = "sqlite://" + db.Name
	case "postgres":
		u = "postgres://" + strings.SplitN(db.URL, "://", 2)[1]
	case "mysql":
		// golang-migrate's MySQL driver turns multiStatements on itself:
		// it runs each file in one Exec.
		u = "mysql://" + sqlMySQLDSN(t, db)
	}
	return u
}

// dbmate: timestamped files with -- migrate:up and -- migrate:down,
// transaction:false on the steps that cannot run in a transaction.

func sqlDbmateVersion(i int) string {
	return time.Date(2023, 1, 5, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * 37 * time.Hour).Format("20060102150405")
}

func sqlWriteDbmate(t *testing.T, dir, dialect string, steps []sqlStep) []string {
	var versions []string
	for i, s := range steps {
		opt := ""
		if s.NoTx {
			opt = " transaction:false"
		}
		down := sqlJoin(s.statements(dialect, false))
		if s.Name == sqlNoDown {
			down = ""
		}
		text := "-- migrate:up" + opt + "\n" + sqlJoin(s.statements(dialect, true)) +
			"\n-- migrate:down" + opt + "\n" + down
		v := sqlDbmateVersion(i)
		sqlWriteFile(t, dir, v+"_"+s.Name+".sql", text)
		versions = append(versions, v)
	}
	return versions
}

func sqlApplyDbmate(t *testing.T, dir string, db *dbtest.DB) {
	Run(t, dir, nil, Peer(t, "dbmate"), "--url", sqlDbmateURL(db), "--migrations-dir", dir, "--no-dump-schema", "up")
}

// sqlDownDbmate rolls back one migration at a time, as dbmate does.
func sqlDownDbmate(t *testing.T, dir string, db *dbtest.DB, n int, _ string) {
	for range n {
		Run(t, dir, nil, Peer(t, "dbmate"), "--url", sqlDbmateURL(db), "--migrations-dir", dir, "--no-dump-schema", "rollback")
	}
}

func sqlDbmateURL(db *dbtest.DB) string {
	var u string
	switch db.Dialect {
	case "sqlite":
		u = "sqlite:" + db.Name
	case "postgres":
		u = "postgres://" + strings.SplitN(db.URL, "://", 2)[1]
	case "mysql":
		u = db.URL
	}
	return u
}

// sqlMySQLDSN is the go-sql-driver DSN of a MySQL test database
// (user[:password]@tcp(host:port)/name), which goose and golang-migrate
// take.
func sqlMySQLDSN(t *testing.T, db *dbtest.DB) string {
	u, err := url.Parse(db.URL)
	if err != nil {
		t.Fatal(err)
	}
	user := u.User.Username()
	if pw, ok := u.User.Password(); ok {
		user += ":" + pw
	}
	return user + "@tcp(" + u.Host + ")/" + strings.TrimPrefix(u.Path, "/")
}

// Flyway: V<version>__<description>.sql, the version's parts separated
// by "." or "_" (V1__, V1.1__, V3_2__ ... V12__: ordered as numbers), a
// U undo file for some, a .conf with executeInTransaction=false for the
// steps outside a transaction, and one repeatable migration (R__) that
// keeps a reporting view, which import lists and does not import.
// MariaDB's trigger bodies are written between DELIMITER lines, as
// Flyway's MySQL parser (and the mariadb client) read them.

const sqlFlywayRepeatable = "R__reporting_views.sql"

// sqlFlywayVersion is the version of the i-th step as its file name
// writes it and as flyway_schema_history does.
func sqlFlywayVersion(i int) (file, table string) {
	major, minor := i/5+1, i%5
	if minor == 0 {
		return strconv.Itoa(major), strconv.Itoa(major)
	}
	sep := "_"
	if major%2 == 0 {
		sep = "."
	}
	return fmt.Sprintf("%d%s%d", major, sep, minor), fmt.Sprintf("%d.%d", major, minor)
}

func sqlFlywayUndo(i int) bool { return i < 10 || i%7 == 0 }

func sqlFlywayScript(dialect string, stmts []string) string {
	var b strings.Builder
	for i, q := range stmts {
		if i > 0 {
			b.WriteString("\n")
		}
		if dialect == "mysql" && sqlCompound(q) {
			b.WriteString("DELIMITER $$\n" + q + "$$\nDELIMITER ;\n")
			continue
		}
		b.WriteString(q + ";\n")
	}
	return b.String()
}

func sqlWriteFlyway(t *testing.T, dir, dialect string, steps []sqlStep) []string {
	var versions []string
	for i, s := range steps {
		v, tv := sqlFlywayVersion(i)
		name := "V" + v + "__" + s.Name + ".sql"
		if i >= 40 {
			// The later migrations are in a subfolder, which Flyway
			// scans too.
			name = filepath.Join("2024", name)
		}
		sqlWriteFile(t, dir, name, sqlFlywayScript(dialect, s.statements(dialect, true)))
		if s.NoTx && s.Name == "index_comments_task_id" {
			// The other step outside a transaction has no .conf: on
			// PostgreSQL, Flyway sees its CREATE INDEX CONCURRENTLY.
			sqlWriteFile(t, dir, name+".conf", "executeInTransaction=false\n")
		}
		if sqlFlywayUndo(i) {
			sqlWriteFile(t, dir, filepath.Join(filepath.Dir(name), "U"+v+"__"+s.Name+".sql"), sqlFlywayScript(dialect, s.statements(dialect, false)))
		}
		versions = append(versions, tv)
	}
	sqlWriteFile(t, dir, sqlFlywayRepeatable, `DROP VIEW IF EXISTS report_task_summary;
CREATE VIEW report_task_summary AS
SELECT project_id, status, COUNT(*) AS tasks
FROM tasks
GROUP BY project_id, status;
`)
	return versions
}

// sqlFlywayDDL is Flyway's own DDL for its table (its
// createMetaDataTable.sql of each database), with the schema it would
// fill in.
func sqlFlywayDDL(db *dbtest.DB) []string {
	switch db.Dialect {
	case "sqlite":
		return []string{`CREATE TABLE "main"."flyway_schema_history" (
    "installed_rank" INT NOT NULL PRIMARY KEY,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INT,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
    "execution_time" INT NOT NULL,
    "success" BOOLEAN NOT NULL
)`, `CREATE INDEX "main"."flyway_schema_history_s_idx" ON "flyway_schema_history" ("success")`}
	case "postgres":
		return []string{`CREATE TABLE "public"."flyway_schema_history" (
    "installed_rank" INT NOT NULL,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
)`, `ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank")`,
			`CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success")`}
	case "mysql":
		return []string{"CREATE TABLE `" + db.Name + "`.`flyway_schema_history` (" + `
    ` + "`installed_rank` INT NOT NULL," + `
    ` + "`version` VARCHAR(50)," + `
    ` + "`description` VARCHAR(200) NOT NULL," + `
    ` + "`type` VARCHAR(20) NOT NULL," + `
    ` + "`script` VARCHAR(1000) NOT NULL," + `
    ` + "`checksum` INT," + `
    ` + "`installed_by` VARCHAR(100) NOT NULL," + `
    ` + "`installed_on` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP," + `
    ` + "`execution_time` INT NOT NULL," + `
    ` + "`success` BOOL NOT NULL," + `
    ` + "CONSTRAINT `flyway_schema_history_pk` PRIMARY KEY (`installed_rank`)" + `
) ENGINE=InnoDB`, "CREATE INDEX `flyway_schema_history_s_idx` ON `" + db.Name + "`.`flyway_schema_history` (`success`)"}
	}
	return nil
}

// sqlFlywayChecksum is Flyway's checksum of a script: the CRC-32 of its
// lines' UTF-8 bytes without their line breaks (a BOM left out), as a
// signed 32-bit number (Flyway's ChecksumCalculator).
func sqlFlywayChecksum(text []byte) int32 {
	text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
	h := crc32.NewIEEE()
	s := strings.ReplaceAll(strings.ReplaceAll(string(text), "\r\n", "\n"), "\r", "\n")
	for l := range strings.SplitSeq(strings.TrimSuffix(s, "\n"), "\n") {
		h.Write([]byte(l))
	}
	return int32(h.Sum32())
}

type sqlFlywayMigration struct {
	version, description, script string
	noTx                         bool
}

// sqlFlywayOrder is the order in which Flyway applies a fresh database:
// the versioned migrations by version, compared as numbers part by part,
// then the repeatable ones by description.
func sqlFlywayOrder(t *testing.T, dir string) []sqlFlywayMigration {
	var versioned, repeatable []sqlFlywayMigration
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		n := e.Name()
		if !strings.HasSuffix(n, ".sql") || (n[0] != 'V' && n[0] != 'R') {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		// The script is named by its path in the location, as Flyway
		// names it.
		v, desc, _ := strings.Cut(strings.TrimSuffix(n[1:], ".sql"), "__")
		m := sqlFlywayMigration{version: strings.ReplaceAll(v, "_", "."), description: strings.ReplaceAll(desc, "_", " "), script: filepath.ToSlash(rel)}
		if _, err := os.Stat(path + ".conf"); err == nil {
			m.noTx = true // the corpus's .conf files say executeInTransaction=false
		}
		if n[0] == 'R' {
			repeatable = append(repeatable, m)
		} else {
			versioned = append(versioned, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	parts := func(v string) []int {
		var out []int
		for p := range strings.SplitSeq(v, ".") {
			n, err := strconv.Atoi(p)
			if err != nil {
				t.Fatalf("flyway version %q: %v", v, err)
			}
			out = append(out, n)
		}
		return out
	}
	less := func(a, b string) int {
		x, y := parts(a), parts(b)
		for i := 0; i < len(x) || i < len(y); i++ {
			var p, q int
			if i < len(x) {
				p = x[i]
			}
			if i < len(y) {
				q = y[i]
			}
			if p != q {
				return p - q
			}
		}
		return 0
	}
	slices.SortFunc(versioned, func(a, b sqlFlywayMigration) int { return less(a.version, b.version) })
	slices.SortFunc(repeatable, func(a, b sqlFlywayMigration) int { return strings.Compare(a.description, b.description) })
	return append(versioned, repeatable...)
}

// sqlApplyFlyway applies a Flyway folder as Flyway would, with the
// database's own client (no JVM here), in one session: Flyway's table
// with its DDL, then each migration in Flyway's order, followed by its
// row in flyway_schema_history as Flyway writes it, the two in one
// transaction unless the script's .conf says otherwise or, on
// PostgreSQL, it holds CREATE INDEX CONCURRENTLY (MariaDB commits DDL
// anyway). installed_by is the URL's user (the empty string on SQLite,
// which has none); execution_time is measured by the database's clock.
func sqlApplyFlyway(t *testing.T, dir string, db *dbtest.DB) {
	var user string
	if u, err := url.Parse(db.URL); err == nil && u.User != nil {
		user = u.User.Username()
	}
	var b strings.Builder
	for _, q := range sqlFlywayDDL(db) {
		b.WriteString(q + ";\n")
	}
	for rank, m := range sqlFlywayOrder(t, dir) {
		path := filepath.Join(dir, m.script)
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		tx := !m.noTx && !(db.Dialect == "postgres" && strings.Contains(string(text), " CONCURRENTLY "))
		version := "NULL"
		if m.version != "" {
			version = sqlQuote(m.version)
		}
		row := fmt.Sprintf("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES (%d, %s, %s, 'SQL', %s, %d, %s, %%s, TRUE);\n",
			rank+1, version, sqlQuote(m.description), sqlQuote(m.script), sqlFlywayChecksum(text), sqlQuote(user))
		if tx && db.Dialect != "mysql" {
			b.WriteString("BEGIN;\n")
		}
		switch db.Dialect {
		case "postgres":
			b.WriteString("SELECT clock_timestamp() AS flyway_t0 \\gset\n\\i " + sqlQuote(path) + "\n")
			fmt.Fprintf(&b, row, "(extract(epoch FROM clock_timestamp() - :'flyway_t0'::timestamptz) * 1000)::int")
		case "mysql":
			b.WriteString("SET @flyway_t0 = NOW(3);\nsource " + path + "\n")
			fmt.Fprintf(&b, row, "TIMESTAMPDIFF(MICROSECOND, @flyway_t0, NOW(3)) DIV 1000")
		case "sqlite":
			b.WriteString("DELETE FROM temp.flyway_clock;\nINSERT INTO temp.flyway_clock VALUES (julianday('now'));\n.read " + sqlQuote(path) + "\n")
			fmt.Fprintf(&b, row, "CAST((julianday('now') - (SELECT t FROM temp.flyway_clock)) * 86400000 AS INTEGER)")
		}
		if tx && db.Dialect != "mysql" {
			b.WriteString("COMMIT;\n")
		}
	}
	script := b.String()
	switch db.Dialect {
	case "postgres":
		script = "\\set ON_ERROR_STOP on\n" + script
	case "sqlite":
		script = ".bail on\nCREATE TEMP TABLE flyway_clock (t REAL);\n" + script
	}
	sqlClient(t, db, []byte(script))
}

// sqlQuote is s as an SQL string literal.
func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// sqlClient runs a script on db with the database's own command-line
// client, failing the test with its output when it fails.
func sqlClient(t *testing.T, db *dbtest.DB, script []byte) {
	t.Helper()
	var cmd *exec.Cmd
	switch db.Dialect {
	case "sqlite":
		cmd = exec.Command(Command(t, "sqlite3", "apt-get install sqlite3"), "-bail", db.Name)
	case "postgres":
		cmd = exec.Command(Command(t, "psql", "apt-get install postgresql-client"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db.URL)
	case "mysql":
		u, err := url.Parse(db.URL)
		if err != nil {
			t.Fatal(err)
		}
		args := []string{"--protocol=TCP", "-h", u.Hostname(), "-u", u.User.Username()}
		if p := u.Port(); p != "" {
			args = append(args, "-P", p)
		}
		if pw, ok := u.User.Password(); ok {
			args = append(args, "-p"+pw)
		}
		cmd = exec.Command(Command(t, "mariadb", "apt-get install mariadb-client"), append(args, strings.TrimPrefix(u.Path, "/"))...)
	}
	cmd.Stdin = bytes.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s\n--- script:\n%s", filepath.Base(cmd.Path), err, out, script)
	}
}

// TestSQLFlywayChecksum: Flyway's checksum reads lines, so line breaks
// and a BOM do not count; it is the CRC-32 of the lines' bytes.
func TestSQLFlywayChecksum(t *testing.T) {
	want := int32(crc32.ChecksumIEEE([]byte("CREATE TABLE a (b INT);DROP TABLE c;")))
	for _, text := range []string{
		"CREATE TABLE a (b INT);\nDROP TABLE c;\n",
		"CREATE TABLE a (b INT);\r\nDROP TABLE c;",
		"\xef\xbb\xbfCREATE TABLE a (b INT);\rDROP TABLE c;\n",
	} {
		if got := sqlFlywayChecksum([]byte(text)); got != want {
			t.Errorf("checksum of %q = %d, want %d", text, got, want)
		}
	}
	if got := sqlFlywayChecksum([]byte("a\n\nb\n")); got != int32(crc32.ChecksumIEEE([]byte("ab"))) {
		t.Errorf("an empty line changed the checksum: %d", got)
	}
}
