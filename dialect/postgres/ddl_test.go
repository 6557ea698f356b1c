package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/sqlsplit"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
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
		t.Errorf("%s differs (go test -update rewrites it); got:\n%s", path, got)
	}
}

// long63 is a 63-byte table name ending in a two-byte character, so that
// name_pkc has to be shortened at a character boundary.
var long63 = strings.Repeat("v", 58) + "é" + "xyz"

var (
	ddlVersionTables = []dialect.Table{
		{Name: "alembic_version"},
		{Schema: "retort", Name: "alembic_version"},
		{Schema: `we"ird $retort$ 'sch'`, Name: `ta"ble's`},
		{Name: long63},
	}
	ddlHistoryTables = []dialect.Table{
		{Name: "retort_history"},
		{Schema: "retort", Name: "retort_history"},
	}
)

// TestDDLGolden compares the statements, as a script, with
// testdata/ddl.golden, and checks that the script splits back into them.
func TestDDLGolden(t *testing.T) {
	d := New()
	var b strings.Builder
	var all []string
	section := func(title string, stmts []string) {
		b.WriteString("-- " + title + "\n")
		for _, s := range stmts {
			b.WriteString(d.ScriptStatement(s) + "\n")
		}
		b.WriteString("\n")
		all = append(all, stmts...)
	}
	for _, tb := range ddlVersionTables {
		section("CreateVersionTable "+tb.String(), d.CreateVersionTable(tb))
	}
	for _, tb := range ddlHistoryTables {
		section("CreateHistoryTable "+tb.String(), d.CreateHistoryTable(tb))
	}
	section("Now", []string{"SELECT " + d.Now()})
	section("CurrentUser", []string{"SELECT " + d.CurrentUser()})
	section("Begin, Commit", []string{d.Begin(), d.Commit()})
	golden(t, "ddl.golden", b.String())

	stmts, err := sqlsplit.Split(b.String(), d.SplitOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != len(all) {
		t.Fatalf("the script splits into %d statements, want %d", len(stmts), len(all))
	}
	for i, s := range stmts {
		text := s.Text
		if strings.HasPrefix(text, "--") { // the section's comment
			text = text[strings.IndexByte(text, '\n')+1:]
		}
		if text != all[i] || s.NoTx {
			t.Errorf("statement %d splits as %q, want %q", i, text, all[i])
		}
	}
}

func TestPkcName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"alembic_version", "alembic_version_pkc"},
		{strings.Repeat("a", 59), strings.Repeat("a", 59) + "_pkc"},
		{strings.Repeat("a", 60), strings.Repeat("a", 59) + "_pkc"},
		{strings.Repeat("a", 100), strings.Repeat("a", 59) + "_pkc"},
		{long63, strings.Repeat("v", 58) + "_pkc"},
		{strings.Repeat("é", 40), strings.Repeat("é", 29) + "_pkc"},
	} {
		got := pkcName(c.in)
		if got != c.want {
			t.Errorf("pkcName(%q) = %q, want %q", c.in, got, c.want)
		}
		if len(got) > maxIdent || !utf8.ValidString(got) {
			t.Errorf("pkcName(%q) = %q: %d bytes", c.in, got, len(got))
		}
	}
}

func TestDollarTag(t *testing.T) {
	for body, want := range map[string]string{
		"plain":                  "$retort$",
		"x $retort$ y":           "$retort1$",
		"$retort$ $retort1$":     "$retort2$",
		"$retort$$retort1$ $ret": "$retort2$",
	} {
		if got := dollarTag(body); got != want {
			t.Errorf("dollarTag(%q) = %s, want %s", body, got, want)
		}
	}
}

type column struct {
	Name, Type string
	Nullable   bool
	Default    string
	Identity   bool
}

func columns(t *testing.T, db *sql.DB, tb dialect.Table) []column {
	t.Helper()
	rows, err := db.Query(`SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
		coalesce(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), ''), a.attidentity <> ''
		FROM pg_catalog.pg_attribute a
		LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
		WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, New().QuoteTable(tb))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.Name, &c.Type, &c.Nullable, &c.Default, &c.Identity); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return cols
}

func primaryKey(t *testing.T, db *sql.DB, tb dialect.Table) (name string, cols []string) {
	t.Helper()
	var def string
	err := db.QueryRow(`SELECT conname, pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint
		WHERE conrelid = $1::regclass AND contype = 'p'`, New().QuoteTable(tb)).Scan(&name, &def)
	if err != nil {
		t.Fatal(err)
	}
	def = strings.TrimSuffix(strings.TrimPrefix(def, "PRIMARY KEY ("), ")")
	return name, strings.Split(def, ", ")
}

var wantHistory = []column{
	{"id", "bigint", false, "", true},
	{"revision", "character varying(255)", false, "", false},
	{"direction", "character varying(16)", false, "", false},
	{"checksum", "character varying(64)", false, "", false},
	{"started_at", "timestamp(6) without time zone", false, "", false},
	{"finished_at", "timestamp(6) without time zone", true, "", false},
	{"duration_ms", "bigint", true, "", false},
	{"db_user", "character varying(255)", false, "", false},
	{"hostname", "character varying(255)", false, "", false},
	{"retort_version", "character varying(64)", false, "", false},
	{"dirty", "smallint", false, "0", false},
	{"stmt_index", "integer", false, "0", false},
	{"tag", "character varying(255)", true, "", false},
}

func TestCreateTables(t *testing.T) {
	db := newDB(t)
	d := New()
	ctx := context.Background()
	mustExec(t, db, `CREATE SCHEMA "existing"`)
	for _, c := range []struct {
		name             string
		version, history dialect.Table
	}{
		{"no schema", dialect.Table{Name: "alembic_version"}, dialect.Table{Name: "retort_history"}},
		{"new schema", dialect.Table{Schema: "retort", Name: "alembic_version"}, dialect.Table{Schema: "retort", Name: "retort_history"}},
		{"existing schema", dialect.Table{Schema: "existing", Name: "v"}, dialect.Table{Schema: "existing", Name: "h"}},
		{"hostile names", dialect.Table{Schema: `we"ird $retort$ 'sch'`, Name: `ta"ble's`}, dialect.Table{Schema: `$retort1$`, Name: "Hist Ory"}},
		{"63-byte name", dialect.Table{Name: long63}, dialect.Table{Schema: "s63", Name: long63}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, tb := range []dialect.Table{c.version, c.history} {
				if ok, err := d.TableExists(ctx, db, tb); err != nil || ok {
					t.Fatalf("before: TableExists(%s) = %v, %v", tb, ok, err)
				}
			}
			// Twice, in a transaction as retort runs them, and again
			// outside one: IF NOT EXISTS makes the second run a no-op.
			for run := 0; run < 3; run++ {
				var q execer = db
				var tx *sql.Tx
				if run < 2 {
					var err error
					if tx, err = db.BeginTx(ctx, nil); err != nil {
						t.Fatal(err)
					}
					q = tx
				}
				for _, s := range append(d.CreateVersionTable(c.version), d.CreateHistoryTable(c.history)...) {
					if _, err := q.ExecContext(ctx, s); err != nil {
						t.Fatalf("run %d: %s: %v", run, s, err)
					}
				}
				if tx != nil {
					if err := tx.Commit(); err != nil {
						t.Fatal(err)
					}
				}
			}
			for _, tb := range []dialect.Table{c.version, c.history} {
				if ok, err := d.TableExists(ctx, db, tb); err != nil || !ok {
					t.Fatalf("after: TableExists(%s) = %v, %v", tb, ok, err)
				}
			}
			if got, want := columns(t, db.DB, c.version), []column{{"version_num", "character varying(255)", false, "", false}}; !reflect.DeepEqual(got, want) {
				t.Errorf("version table columns:\n got %v\nwant %v", got, want)
			}
			if name, cols := primaryKey(t, db.DB, c.version); name != pkcName(c.version.Name) || !reflect.DeepEqual(cols, []string{"version_num"}) {
				t.Errorf("version table primary key %q %v", name, cols)
			}
			got := columns(t, db.DB, c.history)
			if !reflect.DeepEqual(got, wantHistory) {
				t.Errorf("history table columns:\n got %v\nwant %v", got, wantHistory)
			}
			var names []string
			for _, col := range got {
				names = append(names, col.Name)
			}
			if !reflect.DeepEqual(names, dialect.HistoryColumns) {
				t.Errorf("history columns %v, want dialect.HistoryColumns %v", names, dialect.HistoryColumns)
			}
			if _, cols := primaryKey(t, db.DB, c.history); !reflect.DeepEqual(cols, []string{"id"}) {
				t.Errorf("history table primary key %v", cols)
			}
			// A row as retort writes it, with the defaults.
			ht := d.QuoteTable(c.history)
			ins := "INSERT INTO " + ht + " (revision, direction, checksum, started_at, db_user, hostname, retort_version) VALUES ($1, $2, $3, " +
				d.Now() + ", " + d.CurrentUser() + ", $4, $5)"
			for i := 0; i < 2; i++ {
				mustExecArgs(t, db, ins, "abc", "up", strings.Repeat("f", 64), "host", "1.0")
			}
			var ids []int64
			rows, err := db.QueryContext(ctx, "SELECT id, dirty, stmt_index, db_user FROM "+ht+" ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id int64
				var dirty, idx int
				var user string
				if err := rows.Scan(&id, &dirty, &idx, &user); err != nil {
					t.Fatal(err)
				}
				if dirty != 0 || idx != 0 || user != db.cfg.User {
					t.Errorf("row %d: dirty %d, stmt_index %d, db_user %q", id, dirty, idx, user)
				}
				ids = append(ids, id)
			}
			rows.Close()
			if len(ids) != 2 || ids[0] == ids[1] {
				t.Errorf("ids %v", ids)
			}
			mustExecArgs(t, db, "INSERT INTO "+d.QuoteTable(c.version)+" (version_num) VALUES ($1)", "abc")
			if _, err := db.ExecContext(ctx, "INSERT INTO "+d.QuoteTable(c.version)+" (version_num) VALUES ($1)", "abc"); err == nil {
				t.Errorf("version table accepted a duplicate")
			}
		})
	}
}

type execer interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}

func mustExecArgs(t *testing.T, q execer, query string, args ...any) {
	t.Helper()
	if _, err := q.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// TestCreateSchemaWithoutDatabasePrivilege: a role that may not create
// schemas, given one by an administrator, can create retort's tables in it.
func TestCreateSchemaWithoutDatabasePrivilege(t *testing.T) {
	db := newDB(t)
	d := New()
	ctx := context.Background()
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	role := "retort_test_role_" + hex.EncodeToString(rnd[:])
	if _, err := db.ExecContext(ctx, "CREATE ROLE "+role+" LOGIN"); err != nil {
		t.Skipf("SKIPPING: cannot create a role: %v", err)
	}
	t.Cleanup(func() {
		adm, _ := adminDB(t)
		// The database (and what the role owns in it) is dropped after
		// this; the role's objects must go first.
		_, _ = db.ExecContext(context.Background(), "DROP OWNED BY "+role)
		if _, err := adm.ExecContext(context.Background(), "DROP ROLE IF EXISTS "+role); err != nil {
			t.Errorf("drop role %s: %v", role, err)
		}
	})
	mustExec(t, db,
		"REVOKE CREATE ON DATABASE "+db.Name+" FROM PUBLIC",
		"REVOKE CREATE ON SCHEMA public FROM PUBLIC",
		`CREATE SCHEMA "app" AUTHORIZATION `+role)
	as := db.as(t, role)
	vt := dialect.Table{Schema: "app", Name: "alembic_version"}
	ht := dialect.Table{Schema: "app", Name: "retort_history"}
	for _, s := range append(d.CreateVersionTable(vt), d.CreateHistoryTable(ht)...) {
		if _, err := as.ExecContext(ctx, s); err != nil {
			t.Fatalf("as %s: %s: %v", role, s, err)
		}
	}
	for _, tb := range []dialect.Table{vt, ht} {
		if ok, err := d.TableExists(ctx, as, tb); err != nil || !ok {
			t.Errorf("TableExists(%s) = %v, %v", tb, ok, err)
		}
	}
	// A missing schema still fails with the privilege error.
	_, err := as.ExecContext(ctx, d.CreateVersionTable(dialect.Table{Schema: "other", Name: "v"})[0])
	if err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("creating a schema without the privilege: %v", err)
	}
}

// TestTableExistsSearchPath: without a schema, the table the unqualified
// name resolves to.
func TestTableExistsSearchPath(t *testing.T) {
	db := newDB(t)
	d := New()
	ctx := context.Background()
	c := conn(t, db.DB)
	mustExec(t, c, `CREATE SCHEMA a`, `CREATE SCHEMA b`, `CREATE TABLE b.t (x INT)`, `CREATE VIEW a.v AS SELECT 1 AS x`,
		`CREATE TABLE public."T" (x INT)`)
	for _, step := range []struct {
		setup string
		table dialect.Table
		want  bool
	}{
		{"SET search_path = a, b", dialect.Table{Name: "t"}, true},
		{"", dialect.Table{Schema: "a", Name: "t"}, false},
		{"", dialect.Table{Schema: "b", Name: "t"}, true},
		{"", dialect.Table{Schema: "nope", Name: "t"}, false},
		{"", dialect.Table{Name: "v"}, true},
		{"", dialect.Table{Name: "T"}, false},
		{"", dialect.Table{Schema: "public", Name: "T"}, true},
		{"", dialect.Table{Schema: "public", Name: "t"}, false},
		{"SET search_path = a", dialect.Table{Name: "t"}, false},
		{"SET search_path = public", dialect.Table{Name: "T"}, true},
		{"", dialect.Table{Name: "t"}, false},
		{"CREATE TEMP TABLE t (x INT)", dialect.Table{Name: "t"}, true},
		{"SET search_path = \"$user\", public", dialect.Table{Name: "T"}, true},
		{"SET search_path = ''", dialect.Table{Name: "T"}, false},
		{"", dialect.Table{Name: "pg_class"}, true},
	} {
		if step.setup != "" {
			mustExec(t, c, step.setup)
		}
		ok, err := d.TableExists(ctx, c, step.table)
		if err != nil || ok != step.want {
			t.Errorf("after %q: TableExists(%s) = %v, %v; want %v", step.setup, step.table, ok, err, step.want)
		}
	}
	// Inside a transaction too.
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if ok, err := d.TableExists(ctx, tx, dialect.Table{Schema: "b", Name: "t"}); err != nil || !ok {
		t.Errorf("in a transaction: %v, %v", ok, err)
	}
}

func TestNowAndCurrentUser(t *testing.T) {
	db := newDB(t)
	d := New()
	ctx := context.Background()
	c := conn(t, db.DB)
	// Not in UTC, to see that Now is.
	mustExec(t, c, "SET TimeZone = 'Pacific/Kiritimati'")
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var typ, user, sessionUser string
	var first, second time.Time
	before := time.Now().UTC()
	err = tx.QueryRowContext(ctx, "SELECT pg_typeof("+d.Now()+")::text, "+d.Now()+", "+d.CurrentUser()+", session_user").
		Scan(&typ, &first, &user, &sessionUser)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	if err := tx.QueryRowContext(ctx, "SELECT "+d.Now()).Scan(&second); err != nil {
		t.Fatal(err)
	}
	after := time.Now().UTC()
	if typ != "timestamp without time zone" {
		t.Errorf("Now() is a %s", typ)
	}
	// A timestamp without time zone scans as UTC: it must be the UTC time.
	const slack = 2 * time.Second // the server's clock against ours
	if first.Before(before.Add(-slack)) || first.After(after.Add(slack)) {
		t.Errorf("Now() = %v, not between %v and %v", first, before, after)
	}
	if !second.After(first) || second.Sub(first) < 15*time.Millisecond {
		t.Errorf("Now() in one transaction: %v then %v; want the time of the call", first, second)
	}
	if user != db.cfg.User || user != sessionUser {
		t.Errorf("CurrentUser() = %q, session_user %q, connected as %q", user, sessionUser, db.cfg.User)
	}
}
