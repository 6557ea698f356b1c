package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// depSchema is a database whose account table has dependents: a trigger
// on it, a view of it, a view of that view with an INSTEAD OF trigger,
// and a trigger of another table that writes to it.
var depSchema = []string{
	`INSERT INTO org (id, name) VALUES (10, 'ten'), (20, 'twenty')`,
	`INSERT INTO account (id, org_id, email, score) VALUES (1, 10, 'a@x', 5), (2, 20, NULL, 0)`,
	`CREATE TABLE log (what TEXT NOT NULL)`,
	`CREATE TRIGGER account_ins AFTER INSERT ON account BEGIN INSERT INTO log (what) VALUES ('new account ' || NEW.id || ' score ' || NEW.score); END`,
	`CREATE VIEW account_emails AS SELECT id, email FROM account WHERE email IS NOT NULL`,
	`CREATE VIEW "Emails" AS SELECT email FROM account_emails`,
	`CREATE TRIGGER emails_ins INSTEAD OF INSERT ON "Emails" BEGIN INSERT INTO log (what) VALUES ('via view ' || NEW.email); END`,
	`CREATE TRIGGER org_del AFTER DELETE ON org BEGIN UPDATE account SET org_id = 0 WHERE org_id = OLD.id; END`,
}

// catalog is sqlite_master's rows, sorted, and the rows that rowsQuery
// returns as one text column.
func catalog(t *testing.T, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, rowsQuery string) string {
	t.Helper()
	var b strings.Builder
	for _, query := range []string{
		"SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name",
		rowsQuery,
	} {
		rows, err := q.QueryContext(context.Background(), query)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			b.WriteString(s + "\n")
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

const (
	accountRows = "SELECT id || ' ' || org_id || ' ' || coalesce(email, 'NULL') || ' ' || score FROM account ORDER BY id"
	memberRows  = "SELECT 'member ' || id || ' ' || coalesce(org_id, 'NULL') FROM member UNION ALL SELECT 'org ' || id FROM org ORDER BY 1"
)

func queryStrings(t *testing.T, conn *sql.Conn, query string) []string {
	t.Helper()
	rows, err := conn.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s.String)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBatchDependents runs batches online on a table with triggers and
// views: they must work after a batch that keeps what they use, and a
// batch that drops or renames a column they use must fail, naming them,
// with the database as it was.
func TestBatchDependents(t *testing.T) {
	acc := schema.TableName{Name: "account"}
	cases := []struct {
		name     string
		extra    []string // more SQL after depSchema
		ops      []op.Op
		copyFrom bool
		wantErr  []string // empty: the batch succeeds
	}{
		{
			name: "not null and type, reflected",
			ops: []op.Op{
				op.AlterColumn{Table: acc, Column: "score", Type: op.Ptr(schema.BigInteger()), Null: op.Ptr(false)},
				op.CreateCheck{Table: acc, Check: schema.CheckExpr("score_nonneg", "score >= 0")},
			},
		},
		{
			// SQLite's check of the schema at RENAME is off: the
			// dependents are dropped and created again all the same.
			name:  "not null and type, legacy_alter_table on",
			extra: []string{"PRAGMA legacy_alter_table = ON"},
			ops: []op.Op{
				op.AlterColumn{Table: acc, Column: "score", Type: op.Ptr(schema.BigInteger()), Null: op.Ptr(false)},
			},
		},
		{
			name:    "drop a column a trigger uses, legacy_alter_table on",
			extra:   []string{"PRAGMA legacy_alter_table = ON"},
			ops:     []op.Op{op.DropColumn{Table: acc, Column: "score"}},
			wantErr: []string{"trigger account_ins", "column score", "drops"},
		},
		{
			name: "not null and type, CopyFrom",
			ops: []op.Op{
				op.AlterColumn{Table: acc, Column: "score", Type: op.Ptr(schema.BigInteger()), Null: op.Ptr(false)},
			},
			copyFrom: true,
		},
		{
			name: "drop a column nothing uses",
			ops:  []op.Op{op.AddColumn{Table: acc, Column: schema.Col("note", schema.Text()).Nullable()}, op.DropColumn{Table: acc, Column: "note"}},
		},
		{
			name:    "drop a column a trigger uses",
			ops:     []op.Op{op.DropColumn{Table: acc, Column: "score"}, op.CreateCheck{Table: acc, Check: schema.CheckExpr("id_pos", "id > 0")}},
			wantErr: []string{"trigger account_ins", "column score", "drops", "DROP TRIGGER", "create it again after the batch"},
		},
		{
			name:     "drop a column a view uses, CopyFrom",
			ops:      []op.Op{op.DropColumn{Table: acc, Column: "email"}},
			copyFrom: true,
			wantErr:  []string{"view account_emails", "column email", "drops"},
		},
		{
			// account_emails reads every column: only the view of it names
			// email.
			name: "rename a column a view of a view uses",
			extra: []string{`DROP VIEW "Emails"`, `DROP VIEW account_emails`,
				`CREATE VIEW account_emails AS SELECT * FROM account`, `CREATE VIEW "Emails" AS SELECT email FROM account_emails`},
			ops:     []op.Op{op.AlterColumn{Table: acc, Column: "email", NewName: "mail", Type: op.Ptr(schema.String(300))}},
			wantErr: []string{"view Emails", "column email", "renames to mail", "rename the column outside a batch"},
		},
		{
			// The trigger names a column no table has: the batch creates it
			// again as it is, SQLite's schema check refuses it, and the step
			// rolls back.
			name:    "a trigger SQLite refuses once created again",
			extra:   []string{`CREATE TRIGGER broken AFTER UPDATE ON account BEGIN INSERT INTO log (what) VALUES (NEW.nosuch); END`},
			ops:     []op.Op{op.AlterColumn{Table: acc, Column: "score", Type: op.Ptr(schema.BigInteger())}},
			wantErr: []string{"error in trigger broken", "no such column"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := newDB(t)
			ctx := context.Background()
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			d := New()
			dialecttest.Exec(ctx, t, d, conn, []op.Op{op.CreateTable{Table: dialecttest.Org()}, op.CreateTable{Table: dialecttest.Account()}})
			execSQL(t, conn, depSchema...)
			execSQL(t, conn, c.extra...)
			before := catalog(t, conn, accountRows)
			b := op.Batch{Table: acc, Ops: c.ops}
			if c.copyFrom {
				b.CopyFrom = dialecttest.Account()
			}
			err = dialecttest.ExecOp(ctx, d, conn, b)
			if len(c.wantErr) > 0 {
				if err == nil {
					t.Fatal("the batch succeeded")
				}
				for _, w := range c.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				if got := catalog(t, conn, accountRows); got != before {
					t.Errorf("the failed batch changed the database:\n--- after\n%s\n--- before\n%s", got, before)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// The trigger on account still fires.
			execSQL(t, conn, `INSERT INTO account (id, org_id, email, score) VALUES (3, 10, 'c@x', 7)`)
			// The INSTEAD OF trigger on the view of the view still fires.
			execSQL(t, conn, `INSERT INTO "Emails" (email) VALUES ('d@x')`)
			// The trigger of org still writes to account.
			execSQL(t, conn, `DELETE FROM org WHERE id = 20`)
			if got, want := strings.Join(queryStrings(t, conn, "SELECT what FROM log ORDER BY rowid"), "|"), "new account 3 score 7|via view d@x"; got != want {
				t.Errorf("log: %q, want %q", got, want)
			}
			if got, want := strings.Join(queryStrings(t, conn, `SELECT email FROM "Emails" ORDER BY email`), "|"), "a@x|c@x"; got != want {
				t.Errorf("view of the view: %q, want %q", got, want)
			}
			if got, want := strings.Join(queryStrings(t, conn, "SELECT id || ':' || org_id FROM account ORDER BY id"), "|"), "1:10|2:0|3:10"; got != want {
				t.Errorf("account after org_del: %q, want %q", got, want)
			}
			for _, name := range []string{"account_ins", "account_emails", "Emails", "emails_ins", "org_del"} {
				if n := queryStrings(t, conn, fmt.Sprintf("SELECT count(*) FROM sqlite_master WHERE name = '%s'", name)); n[0] != "1" {
					t.Errorf("%s is gone", name)
				}
			}
		})
	}
}

// TestBatchForeignKeys checks, online, the foreign keys around a move
// and copy: rows that break the table's foreign keys after the copy fail
// the step, naming the table, the row and the parent; with enforcement
// on, a table that others refer to is not moved (dropping it would apply
// their ON DELETE actions).
func TestBatchForeignKeys(t *testing.T) {
	child := schema.NewTable("member",
		schema.Col("id", schema.Integer()),
		schema.Col("org_id", schema.BigInteger()).Nullable(),
		schema.Col("name", schema.Text()).Nullable(),
	).PrimaryKey("id").ForeignKey(schema.FK("org_id").References("org", "id").DeleteRule(schema.Cascade))
	mem := child.TableName()
	org := dialecttest.Org().TableName()
	cases := []struct {
		name    string
		pragma  string
		rows    []string
		b       op.Batch
		wantErr []string
	}{
		{
			name: "rows that match their parents",
			rows: []string{`INSERT INTO member (id, org_id) VALUES (1, 10), (2, NULL)`},
			b:    op.Batch{Table: mem, Ops: []op.Op{op.AlterColumn{Table: mem, Column: "name", Null: op.Ptr(false), Default: op.Ptr(schema.Value("?"))}, op.DropColumn{Table: mem, Column: "name"}}},
		},
		{
			name:    "a row whose parent is missing",
			rows:    []string{`INSERT INTO member (id, org_id) VALUES (1, 10), (7, 99)`},
			b:       op.Batch{Table: mem, Ops: []op.Op{op.AlterColumn{Table: mem, Column: "name", Type: op.Ptr(schema.String(50))}}},
			wantErr: []string{"batch on member", "rowid 7", "column(s) org_id", "a row of org that does not exist", "1 row(s) in all", "foreign_key_check(member)"},
		},
		{
			name:    "a new foreign key the rows break, CopyFrom",
			rows:    []string{`CREATE TABLE team (id INTEGER PRIMARY KEY, org_id BIGINT)`, `INSERT INTO team (id, org_id) VALUES (3, 10), (4, 40), (5, 50)`},
			b:       op.Batch{Table: schema.TableName{Name: "team"}, CopyFrom: schema.NewTable("team", schema.Col("id", schema.Integer()), schema.Col("org_id", schema.BigInteger())).PrimaryKey("id"), Ops: []op.Op{op.CreateForeignKey{Table: schema.TableName{Name: "team"}, ForeignKey: schema.FK("org_id").References("org", "id")}}},
			wantErr: []string{"batch on team", "rowid 4", "to a row of org", "2 row(s) in all"},
		},
		{
			name:    "enforcement on and a table refers to it",
			pragma:  "PRAGMA foreign_keys = ON",
			rows:    []string{`INSERT INTO member (id, org_id) VALUES (1, 10)`},
			b:       op.Batch{Table: org, Ops: []op.Op{op.AlterColumn{Table: org, Column: "name", Null: op.Ptr(true)}}},
			wantErr: []string{"batch on org", "foreign keys are enforced", "tables member refer to org", "foreign keys off"},
		},
		{
			name:   "enforcement on and nothing refers to it",
			pragma: "PRAGMA foreign_keys = ON",
			rows:   []string{`INSERT INTO member (id, org_id) VALUES (1, 10)`},
			b:      op.Batch{Table: mem, Ops: []op.Op{op.AlterColumn{Table: mem, Column: "name", Type: op.Ptr(schema.String(50))}}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := newDB(t)
			ctx := context.Background()
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			d := New()
			dialecttest.Exec(ctx, t, d, conn, []op.Op{op.CreateTable{Table: dialecttest.Org()}, op.CreateTable{Table: child}})
			execSQL(t, conn, `INSERT INTO org (id, name) VALUES (10, 'ten')`)
			execSQL(t, conn, c.rows...)
			if c.pragma != "" {
				execSQL(t, conn, c.pragma)
			}
			before := catalog(t, conn, memberRows)
			err = dialecttest.ExecOp(ctx, d, conn, c.b)
			after := catalog(t, conn, memberRows)
			if len(c.wantErr) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if n := queryStrings(t, conn, "SELECT count(*) FROM member"); n[0] == "0" {
					t.Error("member lost its rows")
				}
				return
			}
			if err == nil {
				t.Fatal("the batch succeeded")
			}
			for _, w := range c.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if after != before {
				t.Errorf("the failed batch changed the database:\n--- after\n%s\n--- before\n%s", after, before)
			}
		})
	}
}

// TestBatchOfflineScript renders batches offline (from CopyFrom) and runs
// the script with the sqlite3 shell and -bail, as `upgrade --sql` output
// is run: the guards stop it, with the database as it was, where the
// table has triggers the script does not know, where foreign keys are
// enforced and another table refers to the table, and where rows break
// a foreign key after the copy.
func TestBatchOfflineScript(t *testing.T) {
	acc := schema.TableName{Name: "account"}
	withFK := op.Batch{Table: acc, CopyFrom: dialecttest.Account(), Ops: []op.Op{
		op.CreateForeignKey{Table: acc, ForeignKey: schema.FK("org_id").References("org", "id")},
	}}
	plain := op.Batch{Table: acc, CopyFrom: dialecttest.Account(), Ops: []op.Op{
		op.AlterColumn{Table: acc, Column: "score", Type: op.Ptr(schema.BigInteger())},
	}}
	cases := []struct {
		name    string
		setup   []string
		pragma  string // sent to the shell before the script
		b       op.Batch
		wantErr string // empty: the script succeeds
	}{
		{name: "no trigger, rows match", b: withFK},
		{
			name:    "a trigger on the table",
			setup:   []string{`CREATE TABLE log (what TEXT)`, `CREATE TRIGGER account_ins AFTER INSERT ON account BEGIN INSERT INTO log VALUES (NEW.id); END`},
			b:       plain,
			wantErr: "batch on account: the table has triggers",
		},
		{
			name:    "an index CopyFrom does not describe",
			setup:   []string{`CREATE INDEX ix_email ON account (email)`},
			b:       plain,
			wantErr: "batch on account: the table has indexes that CopyFrom does not describe",
		},
		{
			name:  "an index CopyFrom describes",
			setup: []string{`CREATE INDEX IX_Account_Org_ID ON account (org_id)`},
			b: op.Batch{Table: acc, CopyFrom: dialecttest.Account().Index(schema.IndexOn("org_id")), Ops: []op.Op{
				op.AlterColumn{Table: acc, Column: "score", Type: op.Ptr(schema.BigInteger())},
			}},
		},
		{
			name:    "a row whose parent is missing",
			setup:   []string{`INSERT INTO account (id, org_id, email, score) VALUES (9, 99, NULL, 0)`},
			b:       withFK,
			wantErr: "after the copy, rows of account refer to rows of org that do not exist",
		},
		{
			name:    "enforcement on and a table refers to it",
			setup:   []string{`CREATE TABLE badge (id INTEGER PRIMARY KEY, account_id BIGINT REFERENCES account (id) ON DELETE CASCADE)`, `INSERT INTO badge VALUES (1, 1)`},
			pragma:  "PRAGMA foreign_keys = ON;\n",
			b:       plain,
			wantErr: "foreign keys are enforced",
		},
		{
			name:   "enforcement off and a table refers to it",
			setup:  []string{`CREATE TABLE badge (id INTEGER PRIMARY KEY, account_id BIGINT REFERENCES account (id) ON DELETE CASCADE)`, `INSERT INTO badge VALUES (1, 1)`},
			pragma: "PRAGMA foreign_keys = OFF;\n",
			b:      plain,
		},
	}
	d := New()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tdb := dbtest.SQLite(t)
			ctx := context.Background()
			conn, err := tdb.SQL.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			dialecttest.Exec(ctx, t, d, conn, []op.Op{op.CreateTable{Table: dialecttest.Org()}, op.CreateTable{Table: dialecttest.Account()}})
			execSQL(t, conn, `INSERT INTO org (id, name) VALUES (10, 'ten')`, `INSERT INTO account (id, org_id, email, score) VALUES (1, 10, 'a@x', 5)`)
			execSQL(t, conn, c.setup...)
			before := catalog(t, conn, accountRows)
			conn.Close()

			body, err := dialecttest.RenderScript(d, []op.Op{c.b})
			if err != nil {
				t.Fatal(err)
			}
			script := c.pragma + "BEGIN;\n" + body + "COMMIT;\n"
			cmd := exec.Command(dbtest.Client(t, "sqlite", "sqlite3"), "-bail", tdb.Name)
			cmd.Stdin = strings.NewReader(script)
			out, err := cmd.CombinedOutput()

			conn, err2 := tdb.SQL.Conn(ctx)
			if err2 != nil {
				t.Fatal(err2)
			}
			defer conn.Close()
			after := catalog(t, conn, accountRows)
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("sqlite3: %v\n%s\n--- script\n%s", err, out, script)
				}
				if strings.Contains(after, "_retort_") {
					t.Errorf("the script left a table behind:\n%s", after)
				}
				if !strings.Contains(after, "1 10 a@x 5") {
					t.Errorf("the rows were not copied:\n%s", after)
				}
				return
			}
			if err == nil {
				t.Fatalf("the script succeeded\n--- script\n%s", script)
			}
			if !strings.Contains(string(out), c.wantErr) {
				t.Errorf("sqlite3 said %q, want %q", out, c.wantErr)
			}
			if after != before {
				t.Errorf("the failed script changed the database:\n--- after\n%s\n--- before\n%s", after, before)
			}
		})
	}
}

// TestBatchAttached moves and copies a table of an attached database
// that has an index, a trigger and a view: they must be created again in
// that database, not in main (which has a table of the same name).
func TestBatchAttached(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	aux := filepath.Join(t.TempDir(), "aux.db")
	execSQL(t, conn,
		"ATTACH DATABASE "+str(aux)+" AS aux",
		`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`,
		`CREATE TABLE aux.t (id INTEGER PRIMARY KEY, v TEXT)`,
		`INSERT INTO aux.t VALUES (1, 'one')`,
		`CREATE TABLE aux.log (x TEXT)`,
		`CREATE INDEX aux.ix_t_v ON t (v)`,
		`CREATE TRIGGER aux.t_ins AFTER INSERT ON t BEGIN INSERT INTO log VALUES (NEW.v); END`,
		`CREATE VIEW   aux.tv AS SELECT v FROM t`,
	)
	tn := schema.TableName{Schema: "aux", Name: "t"}
	b := op.Batch{Table: tn, Ops: []op.Op{op.AlterColumn{Table: tn, Column: "v", Null: op.Ptr(false)}}}
	if err := dialecttest.ExecOp(ctx, New(), conn, b); err != nil {
		t.Fatal(err)
	}
	execSQL(t, conn, `INSERT INTO aux.t VALUES (2, 'two')`)
	if got := strings.Join(queryStrings(t, conn, "SELECT x FROM aux.log"), "|"); got != "two" {
		t.Errorf("aux.log: %q, want the trigger's row", got)
	}
	if got := strings.Join(queryStrings(t, conn, "SELECT v FROM aux.tv ORDER BY v"), "|"); got != "one|two" {
		t.Errorf("aux.tv: %q", got)
	}
	if got := strings.Join(queryStrings(t, conn, "SELECT type || ' ' || name FROM aux.sqlite_master WHERE type <> 'table' ORDER BY name"), "|"); got != "index ix_t_v|trigger t_ins|view tv" {
		t.Errorf("aux holds %q", got)
	}
	if got := strings.Join(queryStrings(t, conn, "SELECT name FROM main.sqlite_master ORDER BY name"), "|"); got != "t" {
		t.Errorf("main holds %q, want only its own table t", got)
	}
}

// TestClosure checks which triggers and views a move and copy of table
// account drops and creates again, without a database.
func TestClosure(t *testing.T) {
	all := []dependent{
		{"trigger", "on_account", "account", `CREATE TRIGGER on_account AFTER INSERT ON "ACCOUNT" BEGIN SELECT 1; END`},
		{"view", "v1", "v1", `CREATE VIEW v1 AS SELECT * FROM main.[account]`},
		{"view", "v2", "v2", `CREATE VIEW v2 AS SELECT x FROM (SELECT id AS x FROM "v1")`},
		{"trigger", "on_v2", "v2", `CREATE TRIGGER on_v2 INSTEAD OF DELETE ON v2 BEGIN SELECT 1; END`},
		{"trigger", "writes", "org", `CREATE TRIGGER writes AFTER DELETE ON org BEGIN DELETE FROM account WHERE org_id = OLD.id; END`},
		{"view", "str", "str", `CREATE VIEW str AS SELECT * FROM 'account'`},
		{"view", "other", "other", `CREATE VIEW other AS SELECT 'account' || accounts FROM org -- account`},
		{"trigger", "on_org", "org", `CREATE TRIGGER on_org AFTER INSERT ON org BEGIN SELECT account_id FROM other; END`},
	}
	var got []string
	for _, dep := range closure(all, "account") {
		got = append(got, dep.name)
	}
	// "other" names account only in a string (which SQLite may read as a
	// name: conservative) and in a comment (ignored).
	want := "on_account v1 v2 on_v2 writes str other on_org"
	if strings.Join(got, " ") != want {
		t.Errorf("closure = %q, want %q", strings.Join(got, " "), want)
	}
	none := closure([]dependent{{"view", "o", "o", `CREATE VIEW o AS SELECT accounts, "account_id" FROM org`}}, "account")
	if len(none) != 0 {
		t.Errorf("a view naming account_id and accounts depends on account: %v", none)
	}
}

func TestInSchema(t *testing.T) {
	d := New()
	cases := []struct{ in, db, want string }{
		{`CREATE INDEX ix ON t (v)`, "", `CREATE INDEX ix ON t (v)`},
		{`CREATE INDEX ix ON t (v)`, "aux", `CREATE INDEX "aux".ix ON t (v)`},
		{`CREATE UNIQUE INDEX "i x" ON t (v)`, `a"b`, `CREATE UNIQUE INDEX "a""b"."i x" ON t (v)`},
		{`CREATE TRIGGER IF NOT EXISTS tr AFTER INSERT ON t BEGIN SELECT 1; END`, "aux", `CREATE TRIGGER IF NOT EXISTS "aux".tr AFTER INSERT ON t BEGIN SELECT 1; END`},
		{"CREATE VIEW\n  v AS SELECT 1", "aux", "CREATE VIEW\n  \"aux\".v AS SELECT 1"},
		{`create view ifv as select 1`, "aux", `create view "aux".ifv as select 1`},
	}
	for _, c := range cases {
		got, err := d.inSchema(c.in, c.db)
		if err != nil || got != c.want {
			t.Errorf("inSchema(%q, %q) = %q, %v; want %q", c.in, c.db, got, err, c.want)
		}
	}
	if _, err := d.inSchema(`SELECT 1`, "aux"); err == nil || !strings.Contains(err.Error(), "attached database aux") {
		t.Errorf("inSchema of a SELECT: %v", err)
	}
}

// TestBatchCopyFromIndexes runs batches online with a CopyFrom that does
// not describe an index of the table: the index is kept as it is, and
// goes with its column when the batch drops the column.
func TestBatchCopyFromIndexes(t *testing.T) {
	acc := schema.TableName{Name: "account"}
	cases := []struct {
		name string
		ops  []op.Op
		want string // the indexes of account afterwards
	}{
		{
			name: "kept",
			ops:  []op.Op{op.AlterColumn{Table: acc, Column: "score", Type: op.Ptr(schema.BigInteger())}},
			want: "ix_account_org_id|ix_extra",
		},
		{
			name: "dropped with its column",
			ops:  []op.Op{op.DropColumn{Table: acc, Column: "email"}},
			want: "ix_account_org_id",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := newDB(t)
			ctx := context.Background()
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			d := New()
			dialecttest.Exec(ctx, t, d, conn, []op.Op{op.CreateTable{Table: dialecttest.Org()}, op.CreateTable{Table: dialecttest.Account().Index(schema.IndexOn("org_id"))}})
			execSQL(t, conn, `CREATE INDEX ix_extra ON account (email, score DESC)`)
			b := op.Batch{Table: acc, CopyFrom: dialecttest.Account().Index(schema.IndexOn("org_id")), Ops: c.ops}
			if err := dialecttest.ExecOp(ctx, d, conn, b); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(queryStrings(t, conn, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"), "|"); got != c.want {
				t.Errorf("indexes %q, want %q", got, c.want)
			}
		})
	}
}
