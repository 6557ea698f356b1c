package mysql

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/dialect"
)

func TestQuote(t *testing.T) {
	d := New()
	tests := []struct {
		got, want string
	}{
		{d.QuoteIdent("plain"), "`plain`"},
		{d.QuoteIdent("a`b"), "`a``b`"},
		{d.QuoteIdent("``"), "``````"},
		{d.QuoteIdent(`a"b'c\`), "`a\"b'c\\`"},
		{d.QuoteTable(dialect.Table{Name: "t"}), "`t`"},
		{d.QuoteTable(dialect.Table{Schema: "s`", Name: "t.x"}), "`s```.`t.x`"},
		{d.Placeholder(1) + d.Placeholder(7), "??"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %s, want %s", tt.got, tt.want)
		}
	}
}

// TestQuoteIdentRoundTrip creates tables and columns with hostile names
// and checks the server stores exactly those names.
func TestQuoteIdentRoundTrip(t *testing.T) {
	db, dbName := testDB(t)
	ctx := context.Background()
	d := New()
	names := []string{
		"plain",
		"with space",
		"back`tick",
		"``",
		"`",
		"select",
		"order",
		"table",
		"ünïcödé",
		"表名",
		"a.b",
		"'quote",
		`"dq"`,
		`back\slash`,
		"semi;colon",
		"-- dash",
		"/* c */",
		"#hash",
		"$$",
		"123",
		"MiXeD",
		strings.Repeat("x", 64),
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			tab := dialect.Table{Schema: dbName, Name: name}
			create := dialect.NewBuilder(d).P("CREATE TABLE ").Table(tab).P(" (").Ident(name).P(" INT)").String()
			mustExec(t, db, create)
			insert := dialect.NewBuilder(d).P("INSERT INTO ").Table(dialect.Table{Name: name}).P(" (").Ident(name).P(") VALUES (7)").String()
			mustExec(t, db, insert)
			var n int
			sel := dialect.NewBuilder(d).P("SELECT ").Ident(name).P(" FROM ").Table(tab).String()
			if err := db.QueryRowContext(ctx, sel).Scan(&n); err != nil || n != 7 {
				t.Fatalf("%s: %d, %v", sel, n, err)
			}
			var gotTable, gotColumn string
			err := db.QueryRowContext(ctx, `SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = ? AND CAST(TABLE_NAME AS BINARY) = CAST(? AS BINARY)`, dbName, name).Scan(&gotTable, &gotColumn)
			if err != nil {
				t.Fatal(err)
			}
			if gotTable != name || gotColumn != name {
				t.Errorf("stored table %q, column %q; want %q", gotTable, gotColumn, name)
			}
			for _, tab := range []dialect.Table{{Name: name}, {Schema: dbName, Name: name}} {
				ok, err := d.TableExists(ctx, db, tab)
				if err != nil || !ok {
					t.Errorf("TableExists(%v) = %v, %v", tab, ok, err)
				}
			}
		})
	}
}

// ddlTables are the tables whose DDL is checked against golden files
// and run on the server.
var ddlTables = []struct {
	golden           string
	version, history dialect.Table
}{
	{"plain", dialect.Table{Name: "alembic_version"}, dialect.Table{Name: "retort_history"}},
	{"schema", dialect.Table{Schema: "other_db", Name: "alembic_version"}, dialect.Table{Schema: "other_db", Name: "retort_history"}},
	{"hostile_name", dialect.Table{Schema: "we`ird db", Name: "ver`sion table"}, dialect.Table{Schema: "we`ird db", Name: "his`tory table"}},
	// The constraint name would be 65 characters: left out.
	{"long_name", dialect.Table{Name: strings.Repeat("v", 61)}, dialect.Table{Name: strings.Repeat("h", 64)}},
}

func TestDDLGolden(t *testing.T) {
	d := New()
	for _, tt := range ddlTables {
		t.Run(tt.golden, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("-- CreateVersionTable\n")
			for _, s := range d.CreateVersionTable(tt.version) {
				b.WriteString(s + ";\n")
			}
			b.WriteString("-- CreateHistoryTable\n")
			for _, s := range d.CreateHistoryTable(tt.history) {
				b.WriteString(s + ";\n")
			}
			checkGolden(t, "ddl_"+tt.golden, b.String())
		})
	}
}

// TestCreateTables runs the DDL twice (it must be idempotent) and checks
// TableExists before and after, with and without a schema.
func TestCreateTables(t *testing.T) {
	db, dbName := testDB(t)
	admin := openServer(t)
	ctx := context.Background()
	d := New()
	other := dbName + "_s"
	t.Cleanup(func() { admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+other) })
	tests := []struct {
		name             string
		version, history dialect.Table
		q                dialect.Querier // the connection that runs the DDL
	}{
		{"current database", dialect.Table{Name: "alembic_version"}, dialect.Table{Name: "retort_history"}, db},
		{"schema", dialect.Table{Schema: other, Name: "alembic_version"}, dialect.Table{Schema: other, Name: "retort_history"}, db},
		{"schema without a current database", dialect.Table{Schema: dbName, Name: "v2"}, dialect.Table{Schema: dbName, Name: "h2"}, admin},
		{"long name", dialect.Table{Name: strings.Repeat("v", 64)}, dialect.Table{Name: strings.Repeat("h", 64)}, db},
		{"hostile name", dialect.Table{Name: "ver`sion; table"}, dialect.Table{Name: "hist`ory -- x"}, db},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, tab := range []dialect.Table{tt.version, tt.history} {
				if ok, err := d.TableExists(ctx, tt.q, tab); err != nil || ok {
					t.Fatalf("before: TableExists(%v) = %v, %v", tab, ok, err)
				}
			}
			for range 2 {
				for _, s := range d.CreateVersionTable(tt.version) {
					mustExec(t, tt.q, s)
				}
				for _, s := range d.CreateHistoryTable(tt.history) {
					mustExec(t, tt.q, s)
				}
			}
			for _, tab := range []dialect.Table{tt.version, tt.history} {
				if ok, err := d.TableExists(ctx, tt.q, tab); err != nil || !ok {
					t.Fatalf("after: TableExists(%v) = %v, %v", tab, ok, err)
				}
			}
			// The version table's primary key.
			ins := "INSERT INTO " + d.QuoteTable(tt.version) + " (version_num) VALUES (?)"
			if _, err := tt.q.ExecContext(ctx, ins, strings.Repeat("r", 255)); err != nil {
				t.Fatal(err)
			}
			if _, err := tt.q.ExecContext(ctx, ins, strings.Repeat("r", 255)); err == nil {
				t.Error("a duplicate version_num was accepted")
			}
			// The history table's defaults, Now() and CurrentUser().
			for range 2 {
				mustExec(t, tt.q, "INSERT INTO "+d.QuoteTable(tt.history)+
					" (revision, direction, checksum, started_at, db_user, hostname, retort_version) VALUES ('abc', 'up', '', "+
					d.Now()+", "+d.CurrentUser()+", 'host', 'v0')")
			}
			var id, dirty, idx int64
			var finished, duration sql.NullString
			var user string
			err := tt.q.QueryRowContext(ctx, "SELECT id, dirty, stmt_index, finished_at, duration_ms, db_user FROM "+
				d.QuoteTable(tt.history)+" ORDER BY id DESC LIMIT 1").Scan(&id, &dirty, &idx, &finished, &duration, &user)
			if err != nil {
				t.Fatal(err)
			}
			if id != 2 || dirty != 0 || idx != 0 || finished.Valid || duration.Valid || !strings.Contains(user, "@") {
				t.Errorf("row: id %d, dirty %d, stmt_index %d, finished_at %v, duration_ms %v, db_user %q", id, dirty, idx, finished, duration, user)
			}
		})
	}
	t.Run("history columns", func(t *testing.T) {
		rows, err := db.QueryContext(ctx, `SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'retort_history' ORDER BY ORDINAL_POSITION`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var cols []string
		for rows.Next() {
			var name, typ, null string
			if err := rows.Scan(&name, &typ, &null); err != nil {
				t.Fatal(err)
			}
			cols = append(cols, name)
			if name == "started_at" || name == "finished_at" {
				if typ != "datetime(6)" {
					t.Errorf("%s is %s", name, typ)
				}
			}
		}
		if got, want := strings.Join(cols, ","), strings.Join(dialect.HistoryColumns, ","); got != want {
			t.Errorf("columns %s, want %s", got, want)
		}
	})
}

func TestTableExists(t *testing.T) {
	db, dbName := testDB(t)
	admin := openServer(t)
	ctx := context.Background()
	d := New()
	mustExec(t, db, "CREATE TABLE present (x INT)", "CREATE TABLE `Mixed` (x INT)", "CREATE VIEW a_view AS SELECT 1 AS x")
	var lctn int
	if err := db.QueryRowContext(ctx, "SELECT @@lower_case_table_names").Scan(&lctn); err != nil {
		t.Fatal(err)
	}
	type test struct {
		name  string
		q     dialect.Querier
		table dialect.Table
		want  bool
	}
	tests := []test{
		{"present", db, dialect.Table{Name: "present"}, true},
		{"absent", db, dialect.Table{Name: "absent"}, false},
		{"schema present", db, dialect.Table{Schema: dbName, Name: "present"}, true},
		{"schema absent", db, dialect.Table{Schema: dbName, Name: "absent"}, false},
		{"no such schema", db, dialect.Table{Schema: dbName + "_none", Name: "present"}, false},
		{"other schema's table", db, dialect.Table{Schema: "mysql", Name: "present"}, false},
		{"no current database", admin, dialect.Table{Name: "present"}, false},
		{"no current database, schema", admin, dialect.Table{Schema: dbName, Name: "present"}, true},
		{"mixed case", db, dialect.Table{Name: "Mixed"}, true},
		{"view", db, dialect.Table{Name: "a_view"}, true},
		{"wildcards are not patterns", db, dialect.Table{Name: "pres%"}, false},
	}
	if lctn == 0 {
		tests = append(tests,
			test{"case differs (lower_case_table_names=0)", db, dialect.Table{Name: "mixed"}, false},
			test{"schema case differs (lower_case_table_names=0)", db, dialect.Table{Schema: strings.ToUpper(dbName), Name: "present"}, false},
		)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := d.TableExists(ctx, tt.q, tt.table)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("TableExists(%v) = %v, want %v", tt.table, got, tt.want)
			}
		})
	}
}

func TestNowAndCurrentUser(t *testing.T) {
	db, _ := testDB(t)
	ctx := context.Background()
	d := New()
	var now, user, account string
	before := time.Now().UTC().Add(-time.Minute)
	err := db.QueryRowContext(ctx, "SELECT CAST("+d.Now()+" AS CHAR), "+d.CurrentUser()+", SUBSTRING_INDEX(USER(), '@', 1)").Scan(&now, &user, &account)
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now().UTC().Add(time.Minute)
	tm, err := time.Parse("2006-01-02 15:04:05.000000", now)
	if err != nil {
		t.Fatalf("Now() gave %q, not a DATETIME(6): %v", now, err)
	}
	if tm.Before(before) || tm.After(after) {
		t.Errorf("Now() = %s, not the current UTC time (%s)", tm, time.Now().UTC())
	}
	if !strings.HasPrefix(user, account+"@") {
		t.Errorf("CurrentUser() = %q, want %s@host", user, account)
	}
	for _, s := range []string{d.Name(), d.Begin(), d.Commit()} {
		if s == "" {
			t.Error("empty statement")
		}
	}
	if d.TransactionalDDL() {
		t.Error("TransactionalDDL")
	}
	mustExec(t, db, d.Begin(), d.Commit())
}
