package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// dump writes a schema one object a line, for failure messages.
func dump(s *schema.Schema) string {
	if s == nil {
		return "<nil>\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "schema %q\n", s.Name)
	for _, t := range s.Tables {
		fmt.Fprintf(&b, "table %s comment=%q ext=%+v\n", t.TableName(), t.Comment, t.Ext)
		for _, c := range t.Columns {
			fmt.Fprintf(&b, "  column %s %s enum=%q values=%q raw=%v null=%v identity=%v default=%s (%T) comment=%q\n",
				c.Name, c.Type.Describe(), c.Type.EnumName, c.Type.Values, c.Type.Raw, c.Null, c.AutoIncrement, c.Def, c.Def.Value, c.Comment)
		}
		if t.PK != nil {
			fmt.Fprintf(&b, "  pk %q %v\n", t.PK.Name, t.PK.Columns)
		}
		for _, u := range t.Uniques {
			fmt.Fprintf(&b, "  unique %q %v\n", u.Name, u.Columns)
		}
		for _, fk := range t.ForeignKeys {
			fmt.Fprintf(&b, "  fk %+v\n", fk)
		}
		for _, ck := range t.Checks {
			fmt.Fprintf(&b, "  check %+v\n", ck)
		}
		for _, idx := range t.Indexes {
			fmt.Fprintf(&b, "  index %q %s\n", idx.Name, idx)
		}
	}
	for _, e := range s.Enums {
		fmt.Fprintf(&b, "enum %s %v\n", e, e.Values)
	}
	return b.String()
}

func inspect(t *testing.T, q dialect.Querier, opts dialect.InspectOptions) *schema.Schema {
	t.Helper()
	s, err := New().Inspect(context.Background(), q, opts)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	return s
}

// sameSchema fails the test unless got and want are equal after both are
// normalised by MySQL's Normalizer, and normalising got again changes
// nothing.
func sameSchema(t *testing.T, got, want *schema.Schema) {
	t.Helper()
	ng, err := dialect.NormalizeSchema(New(), got, schema.DefaultNaming())
	if err != nil {
		t.Fatalf("normalise the inspected schema: %v", err)
	}
	nw, err := dialect.NormalizeSchema(New(), want, schema.DefaultNaming())
	if err != nil {
		t.Fatalf("normalise the declared schema: %v", err)
	}
	if !ng.Equal(nw) {
		t.Errorf("inspected schema differs from the declared one after normalising:\n--- inspected\n%s--- declared\n%s", dump(ng), dump(nw))
	}
	again, err := dialect.NormalizeSchema(New(), ng, schema.DefaultNaming())
	if err != nil {
		t.Fatal(err)
	}
	if !again.Equal(ng) {
		t.Errorf("normalising twice changed the schema:\n--- once\n%s--- twice\n%s", dump(ng), dump(again))
	}
}

// TestDialect_InspectRoundTrip creates tables through the renderer,
// inspects them, and compares with what was declared through the
// normaliser. Check expressions are declared in a spelling MariaDB
// prints back alike once canonical.
func TestDialect_InspectRoundTrip(t *testing.T) {
	org := schema.NewTable("org",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("code", schema.String(10)),
	).PrimaryKey("id").Unique("code").WithComment("organisations")
	tests := []struct {
		name   string
		tables []*schema.Table
	}{
		{
			name: "types and defaults",
			tables: []*schema.Table{schema.NewTable("typed",
				schema.Col("id", schema.Integer()).Identity(),
				schema.Col("big", schema.BigInteger()).Default(schema.Value(int64(-7))),
				schema.Col("small", schema.SmallInteger()).Default(schema.Value(3)),
				schema.Col("flag", schema.Boolean()).Default(schema.Value(true)),
				schema.Col("off", schema.Boolean()).Default(schema.Expr("false")),
				schema.Col("name", schema.String(80)).Default(schema.Value("it's a \\ and a\nline")),
				schema.Col("body", schema.Text()).Nullable().Default(schema.Value(nil)),
				schema.Col("price", schema.Numeric(12, 2)).Default(schema.Value(5)),
				schema.Col("any_num", schema.Numeric(0, 0)).Nullable().Default(schema.Expr("7")),
				schema.Col("ratio", schema.Float()).Default(schema.Value(1e-05)),
				schema.Col("huge", schema.Float()).Default(schema.Value(1e20)),
				schema.Col("day", schema.Date()).Nullable().Default(schema.Value("2020-01-02")),
				schema.Col("at", schema.Time()).Nullable(),
				schema.Col("created", schema.DateTime(false)).Default(schema.Expr("CURRENT_TIMESTAMP")),
				schema.Col("created_tz", schema.DateTime(true)).Default(schema.Expr("now()")),
				schema.Col("stamp3", schema.Raw(map[string]string{"mysql": "DATETIME(3)"})).Default(schema.Expr("LOCALTIMESTAMP")),
				schema.Col("span", schema.Interval()).Nullable(),
				schema.Col("doc", schema.JSON()).Default(schema.Value("{}")),
				schema.Col("uid", schema.UUID()).Default(schema.Expr("uuid()")),
				schema.Col("bin", schema.LargeBinary()).Default(schema.Value([]byte{0xca, 0xfe})),
				schema.Col("feeling", schema.Enum("mood", "sad", "ok", "it's fine", `back\slash`)).Default(schema.Value("ok")).WithComment("how it's going"),
				schema.Col("addr", schema.Raw(map[string]string{"postgres": "INET", "": "VARCHAR(45)"})).Nullable(),
				schema.Col("counter", schema.Raw(map[string]string{"mysql": "INTEGER(10) UNSIGNED"})).Default(schema.Value(0)),
				schema.Col("tiny", schema.Raw(map[string]string{"mysql": "TINYINT"})).Nullable(),
				schema.Col("code", schema.Raw(map[string]string{"mysql": "CHAR"})).Nullable(),
				schema.Col("sum", schema.Raw(map[string]string{"mysql": "NUMERIC(8)"})).Default(schema.Value("1.5")),
				schema.Col("hash", schema.Raw(map[string]string{"mysql": "VARBINARY(4)"})).Default(schema.Value([]byte("ab"))),
			).PrimaryKey("id").WithComment("every type")},
		},
		{
			name: "keys, constraints and indexes",
			tables: []*schema.Table{
				org,
				schema.NewTable("member",
					schema.Col("id", schema.BigInteger()).Identity(),
					schema.Col("org_id", schema.BigInteger()),
					schema.Col("boss_id", schema.BigInteger()).Nullable(),
					schema.Col("email", schema.String(255)),
					schema.Col("age", schema.Integer()).Nullable(),
					schema.Col("org_code", schema.String(10)).Nullable(),
				).PrimaryKey("id").
					Unique("org_id", "email").
					AddUnique(schema.UniqueOn("email", "age").Named("member_email_age")).
					ForeignKey(schema.FK("org_id").References("org", "id").DeleteRule(schema.Cascade).UpdateRule(schema.Restrict)).
					ForeignKey(schema.FK("boss_id").References("member", "id").DeleteRule(schema.SetNull).UpdateRule(schema.NoAction).Named("member_boss")).
					ForeignKey(schema.FK("org_code").References("org", "code")).
					Check("age_positive", "age IS NULL OR age >= 0").
					AddCheck(schema.CheckExpr("", "CHAR_LENGTH(`email`) > 3").Named("email_len")).
					Index(schema.IndexOn("email")).
					Index(schema.IndexOn("age").Also(schema.IndexPart{Column: "id", Desc: true}).Named("member_age_id")).
					Index(schema.IndexOn("age", "email").AsUnique()).
					Index(schema.IndexOn("email").Also(schema.IndexPart{Column: "org_id", Desc: true}).AsUnique().Named("member_email_desc")),
			},
		},
		{
			name: "composite primary key",
			tables: []*schema.Table{schema.NewTable("tag",
				schema.Col("name", schema.String(50)),
				schema.Col("kind", schema.String(20)),
			).PrimaryKey("kind", "name")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			c := conn(t, dbtest.MySQL(t).SQL)
			want := &schema.Schema{}
			var ops []op.Op
			for _, tb := range tt.tables {
				ops = append(ops, op.CreateTable{Table: tb})
				want.Tables = append(want.Tables, tb)
			}
			dialecttest.Exec(ctx, t, New(), c, ops)
			sameSchema(t, inspect(t, c, dialect.InspectOptions{}), want)
		})
	}
}

// TestDialect_InspectReports checks what Inspect reports as it is, before
// normalising, for tables written by hand.
func TestDialect_InspectReports(t *testing.T) {
	other, main := dbtest.MySQL(t), dbtest.MySQL(t) // main refers to other: dropped first
	mustExec(t, other.SQL, "CREATE TABLE thing (id bigint NOT NULL PRIMARY KEY)")
	mustExec(t, main.SQL,
		"CREATE TABLE parent (id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, code char(3) NOT NULL, UNIQUE KEY parent_code (code))",
		"CREATE TABLE child (\n"+
			"  id int NOT NULL,\n"+
			"  pid int unsigned,\n"+
			"  label varchar(20) CHARACTER SET latin1 NOT NULL DEFAULT 'x',\n"+
			"  nick varchar(20) COLLATE utf8mb4_general_ci COMMENT 'nom',\n"+
			"  price decimal(8,3) unsigned zerofill,\n"+
			"  flag bool DEFAULT TRUE,\n"+
			"  doc json,\n"+
			"  mood enum('a','b''c') DEFAULT 'a',\n"+
			"  body text,\n"+
			"  n int CHECK (n > 0),\n"+
			"  at datetime DEFAULT CURRENT_TIMESTAMP,\n"+
			"  other_id bigint,\n"+
			"  PRIMARY KEY (id),\n"+
			"  CONSTRAINT child_pid FOREIGN KEY (pid) REFERENCES parent (id) ON DELETE SET NULL ON UPDATE CASCADE,\n"+
			"  CONSTRAINT child_other FOREIGN KEY (other_id) REFERENCES `"+other.Name+"`.thing (id),\n"+
			"  CONSTRAINT child_label CHECK (label <> ''),\n"+
			"  INDEX child_desc (n DESC, label),\n"+
			"  FULLTEXT INDEX child_ft (body),\n"+
			"  UNIQUE INDEX child_nick (nick)\n"+
			") COMMENT 'kid'",
		"CREATE TABLE mem (id int, KEY mem_id (id), KEY mem_b (id) USING BTREE) ENGINE=MEMORY",
		"CREATE TABLE lat (x varchar(5)) CHARACTER SET latin1",
	)
	ty := func(k schema.Kind, native string) schema.Type { return schema.Type{Kind: k, Native: native} }
	raw := func(native string) schema.Type {
		return schema.Type{Kind: schema.KindRaw, Raw: map[string]string{"mysql": native}, Native: native}
	}
	with := func(t schema.Type, f func(*schema.Type)) schema.Type { f(&t); return t }
	tests := []struct {
		name string
		opts dialect.InspectOptions
		want *schema.Schema
	}{
		{
			name: "current database",
			want: &schema.Schema{Tables: []*schema.Table{
				{
					Name:    "child",
					Comment: "kid",
					Columns: []schema.Column{
						{Name: "id", Type: ty(schema.KindInteger, "int(11)")},
						{Name: "pid", Type: with(ty(schema.KindInteger, "int(10) unsigned"), func(t *schema.Type) { t.Ext.Unsigned = true }), Null: true},
						{Name: "label", Type: with(schema.String(20), func(t *schema.Type) {
							t.Native, t.Ext = "varchar(20)", schema.TypeExt{Charset: "latin1", Collation: "latin1_swedish_ci"}
						}), Def: schema.Expr("'x'")},
						{Name: "nick", Type: with(schema.String(20), func(t *schema.Type) {
							t.Native, t.Ext.Collation = "varchar(20)", "utf8mb4_general_ci"
						}), Null: true, Comment: "nom"},
						{Name: "price", Type: with(raw("decimal(8,3) unsigned zerofill"), func(t *schema.Type) { t.Ext.Unsigned = true }), Null: true},
						{Name: "flag", Type: ty(schema.KindBoolean, "tinyint(1)"), Null: true, Def: schema.Expr("1")},
						{Name: "doc", Type: ty(schema.KindJSON, "longtext"), Null: true},
						{Name: "mood", Type: with(schema.Enum("mood", "a", "b'c"), func(t *schema.Type) { t.Native = "enum('a','b''c')" }), Null: true, Def: schema.Expr("'a'")},
						{Name: "body", Type: raw("text"), Null: true},
						{Name: "n", Type: ty(schema.KindInteger, "int(11)"), Null: true},
						{Name: "at", Type: raw("datetime"), Null: true, Def: schema.Expr("current_timestamp()")},
						{Name: "other_id", Type: ty(schema.KindBigInteger, "bigint(20)"), Null: true},
					},
					PK:      &schema.PrimaryKey{Name: "PRIMARY", Columns: []string{"id"}},
					Uniques: []schema.Unique{{Name: "child_nick", Columns: []string{"nick"}}},
					ForeignKeys: []schema.ForeignKey{
						{Name: "child_other", Columns: []string{"other_id"}, RefSchema: other.Name, RefTable: "thing", RefColumns: []string{"id"}, OnDelete: schema.Restrict, OnUpdate: schema.Restrict},
						{Name: "child_pid", Columns: []string{"pid"}, RefTable: "parent", RefColumns: []string{"id"}, OnDelete: schema.SetNull, OnUpdate: schema.Cascade},
					},
					Checks: []schema.Check{{Name: "child_label", Expr: "`label` <> ''"}, {Name: "n", Expr: "`n` > 0"}},
					Indexes: []schema.Index{
						{Name: "child_desc", Parts: []schema.IndexPart{{Column: "n", Desc: true}, {Column: "label"}}},
						{Name: "child_ft", Parts: []schema.IndexPart{{Column: "body"}}, Method: "FULLTEXT"},
						{Name: "child_other", Parts: []schema.IndexPart{{Column: "other_id"}}},
						{Name: "child_pid", Parts: []schema.IndexPart{{Column: "pid"}}},
					},
				},
				{
					Name:    "lat",
					Ext:     schema.TableExt{Charset: "latin1", Collation: "latin1_swedish_ci"},
					Columns: []schema.Column{{Name: "x", Type: with(schema.String(5), func(t *schema.Type) { t.Native = "varchar(5)" }), Null: true}},
				},
				{
					Name:    "mem",
					Ext:     schema.TableExt{Engine: "MEMORY"},
					Columns: []schema.Column{{Name: "id", Type: ty(schema.KindInteger, "int(11)"), Null: true}},
					Indexes: []schema.Index{
						{Name: "mem_b", Parts: []schema.IndexPart{{Column: "id"}}, Method: "BTREE"},
						{Name: "mem_id", Parts: []schema.IndexPart{{Column: "id"}}},
					},
				},
				{
					Name: "parent",
					Columns: []schema.Column{
						{Name: "id", Type: with(ty(schema.KindInteger, "int(10) unsigned"), func(t *schema.Type) { t.Ext.Unsigned = true }), AutoIncrement: true},
						{Name: "code", Type: raw("char(3)")},
					},
					PK:      &schema.PrimaryKey{Name: "PRIMARY", Columns: []string{"id"}},
					Uniques: []schema.Unique{{Name: "parent_code", Columns: []string{"code"}}},
				},
			}},
		},
		{
			name: "other database",
			opts: dialect.InspectOptions{Schema: other.Name},
			want: &schema.Schema{Name: other.Name, Tables: []*schema.Table{{
				Schema:  other.Name,
				Name:    "thing",
				Columns: []schema.Column{{Name: "id", Type: ty(schema.KindBigInteger, "bigint(20)")}},
				PK:      &schema.PrimaryKey{Name: "PRIMARY", Columns: []string{"id"}},
			}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := inspect(t, main.SQL, tt.opts)
			if !got.Equal(tt.want) {
				t.Errorf("Inspect:\n--- got\n%s--- want\n%s", dump(got), dump(tt.want))
			}
		})
	}
	t.Run("normalised", func(t *testing.T) {
		got, err := dialect.NormalizeSchema(New(), inspect(t, main.SQL, dialect.InspectOptions{Tables: []string{"child", "mem"}}), schema.DefaultNaming())
		if err != nil {
			t.Fatal(err)
		}
		child, mem := got.Tables[0], got.Tables[1]
		if len(child.Indexes) != 2 || child.Indexes[0].Name != "child_desc" || child.Indexes[1].Name != "child_ft" {
			t.Errorf("child's indexes after normalising = %v; want child_desc and child_ft (those of the foreign keys dropped)", child.Indexes)
		}
		if fk := child.ForeignKeys[0]; fk.OnDelete != "" || fk.OnUpdate != "" || fk.RefSchema != other.Name {
			t.Errorf("child_other after normalising = %+v; want unspecified actions and the other database kept", fk)
		}
		if c := child.Columns[3]; c.Type.Native != "varchar(20)" || c.Type.Ext.Collation != "utf8mb4_general_ci" {
			t.Errorf("nick after normalising = %s; want varchar(20) with its collation", c.Type.Describe())
		}
		if m := mem.Indexes; len(m) != 2 || m[0].Method != "BTREE" || m[1].Method != "" {
			t.Errorf("mem's indexes after normalising = %v; want BTREE kept on a MEMORY table, HASH its default", m)
		}
	})
}

// TestDialect_InspectOptions checks which tables are read, and that the
// default database is the connection's current one.
func TestDialect_InspectOptions(t *testing.T) {
	db, other := dbtest.MySQL(t), dbtest.MySQL(t)
	d := New()
	stmts := []string{"CREATE TABLE a (x int)", "CREATE TABLE b (x int)", "CREATE TABLE _retort_tmp_a (x int)", "CREATE VIEW v AS SELECT 1 AS x"}
	stmts = append(stmts, d.CreateVersionTable(dialect.Table{Name: "retort_version"})...)
	stmts = append(stmts, d.CreateHistoryTable(dialect.Table{Name: "retort_history"})...)
	stmts = append(stmts, "CREATE TABLE retort_lock (x int)")
	mustExec(t, db.SQL, stmts...)
	mustExec(t, other.SQL, "CREATE TABLE c (x int)")
	noDB := openServer(t)
	tests := []struct {
		name string
		q    dialect.Querier
		opts dialect.InspectOptions
		want []string
	}{
		{"default skips own tables and views", db.SQL, dialect.InspectOptions{}, []string{"a", "b"}},
		{"include own", db.SQL, dialect.InspectOptions{IncludeOwn: true}, []string{"_retort_tmp_a", "a", "b", "retort_history", "retort_lock", "retort_version"}},
		{"own tables renamed", db.SQL, dialect.InspectOptions{OwnTables: []string{"a"}}, []string{"b", "retort_history", "retort_lock", "retort_version"}},
		{"exclude", db.SQL, dialect.InspectOptions{Exclude: []string{"a"}}, []string{"b"}},
		{"only", db.SQL, dialect.InspectOptions{Tables: []string{"b"}}, []string{"b"}},
		{"include name", db.SQL, dialect.InspectOptions{IncludeName: func(n schema.TableName) bool { return n.Name != "a" }}, []string{"b"}},
		{"other database", db.SQL, dialect.InspectOptions{Schema: other.Name}, []string{"c"}},
		{"no such database", db.SQL, dialect.InspectOptions{Schema: "retort_no_such_db"}, nil},
		{"no database selected", noDB, dialect.InspectOptions{}, nil},
		{"no database selected, one named", noDB, dialect.InspectOptions{Schema: db.Name}, []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := inspect(t, tt.q, tt.opts)
			var names []string
			for _, tb := range s.Tables {
				names = append(names, tb.Name)
				if tb.Schema != tt.opts.Schema {
					t.Errorf("table %s has Schema %q; want %q", tb.Name, tb.Schema, tt.opts.Schema)
				}
			}
			if !slices.Equal(names, tt.want) {
				t.Errorf("tables = %v; want %v", names, tt.want)
			}
			if s.Name != tt.opts.Schema {
				t.Errorf("schema name = %q; want %q", s.Name, tt.opts.Schema)
			}
		})
	}
}

// TestDialect_InspectUnsupported checks that what the model cannot hold
// is an error naming the table, and that Exclude gets past it.
func TestDialect_InspectUnsupported(t *testing.T) {
	tests := []struct {
		name  string
		setup []string
		want  string
	}{
		{"on update", []string{"CREATE TABLE g (a datetime DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP)"}, "column a has on update current_timestamp()"},
		{"invisible column", []string{"CREATE TABLE g (a int, b int INVISIBLE)"}, "column b is invisible"},
		{"prefix index", []string{"CREATE TABLE g (a text, KEY g_a (a(10)))"}, "index g_a is on the first 10 characters of column a"},
		{"descending primary key", []string{"CREATE TABLE g (a int, PRIMARY KEY (a DESC))"}, "the primary key is unique (a DESC)"},
		{"system versioned", []string{"CREATE TABLE g (a int) WITH SYSTEM VERSIONING"}, "it is system versioned"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := dbtest.MySQL(t).SQL
			mustExec(t, db, append(tt.setup, "CREATE TABLE ok (x int)")...)
			_, err := New().Inspect(context.Background(), db, dialect.InspectOptions{})
			if !errors.Is(err, dialect.ErrUnsupported) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "table g") {
				t.Fatalf("err = %v; want ErrUnsupported naming table g and %q", err, tt.want)
			}
			s := inspect(t, db, dialect.InspectOptions{Exclude: []string{"g"}})
			if len(s.Tables) != 1 || s.Tables[0].Name != "ok" {
				t.Errorf("with g excluded:\n%s", dump(s))
			}
		})
	}
}

// breakQuerier runs queries on q, except that a query containing
// marker is replaced by one the server rejects.
type breakQuerier struct {
	q      dialect.Querier
	marker string
}

func (b breakQuerier) query(s string) string {
	if strings.Contains(s, b.marker) {
		return "SELECT no_such_column FROM retort_no_such_table"
	}
	return s
}

func (b breakQuerier) ExecContext(ctx context.Context, s string, args ...any) (sql.Result, error) {
	return b.q.ExecContext(ctx, b.query(s), args...)
}

func (b breakQuerier) QueryContext(ctx context.Context, s string, args ...any) (*sql.Rows, error) {
	return b.q.QueryContext(ctx, b.query(s), args...)
}

func (b breakQuerier) QueryRowContext(ctx context.Context, s string, args ...any) *sql.Row {
	return b.q.QueryRowContext(ctx, b.query(s), args...)
}

// TestDialect_InspectErrors checks that a failing query is an error that
// says what was being read, and where.
func TestDialect_InspectErrors(t *testing.T) {
	db := dbtest.MySQL(t)
	mustExec(t, db.SQL, "CREATE TABLE a (x int)")
	where := " in MySQL database " + db.Name + ": "
	tests := []struct {
		marker string
		want   string
	}{
		{"VERSION()", "inspect: read the current database and server version: "},
		{"information_schema.SCHEMATA", "inspect the database's defaults" + where},
		{"information_schema.TABLES t", "inspect tables" + where},
		{"information_schema.COLUMNS", "inspect columns" + where},
		{"information_schema.CHECK_CONSTRAINTS", "inspect check constraints" + where},
		{"information_schema.STATISTICS", "inspect indexes" + where},
		{"information_schema.KEY_COLUMN_USAGE", "inspect foreign keys" + where},
	}
	for _, tt := range tests {
		t.Run(tt.marker, func(t *testing.T) {
			_, err := New().Inspect(context.Background(), breakQuerier{db.SQL, tt.marker}, dialect.InspectOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "retort_no_such_table") {
				t.Errorf("err = %v; want it to say %q and give the server's error", err, tt.want)
			}
		})
	}
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := New().Inspect(ctx, db.SQL, dialect.InspectOptions{})
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "read the current database") {
			t.Errorf("err = %v; want context.Canceled, saying what was being read", err)
		}
	})
}
