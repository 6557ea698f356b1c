package sqlite

import (
	"context"
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
	for _, t := range s.Tables {
		fmt.Fprintf(&b, "table %s comment=%q ext=%+v\n", t.TableName(), t.Comment, t.Ext)
		for _, c := range t.Columns {
			fmt.Fprintf(&b, "  column %s %s null=%v identity=%v default=%s (%T) comment=%q\n",
				c.Name, c.Type.Describe(), c.Null, c.AutoIncrement, c.Def, c.Def.Value, c.Comment)
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

// sameSchema fails the test unless got and want are equal after both are
// normalised by SQLite's Normalizer.
func sameSchema(t *testing.T, got, want *schema.Schema) {
	t.Helper()
	d := New()
	ng, err := dialect.NormalizeSchema(d, got, schema.DefaultNaming())
	if err != nil {
		t.Fatalf("normalise the inspected schema: %v", err)
	}
	nw, err := dialect.NormalizeSchema(d, want, schema.DefaultNaming())
	if err != nil {
		t.Fatalf("normalise the declared schema: %v", err)
	}
	if !ng.Equal(nw) {
		t.Errorf("inspected schema differs from the declared one after normalising:\n--- inspected\n%s--- declared\n%s", dump(ng), dump(nw))
	}
}

func inspect(t *testing.T, q dialect.Querier, opts dialect.InspectOptions) *schema.Schema {
	t.Helper()
	s, err := New().Inspect(context.Background(), q, opts)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	return s
}

// TestDialect_InspectRoundTrip creates tables through the renderer,
// inspects them, and compares with what was declared, through the
// normaliser: every construct the schema model has and SQLite keeps.
func TestDialect_InspectRoundTrip(t *testing.T) {
	org := schema.NewTable("org",
		schema.Col("id", schema.BigInteger()),
		schema.Col("code", schema.String(10)),
	).PrimaryKey("id").Unique("code")
	tests := []struct {
		name   string
		tables []*schema.Table
		ops    []op.Op // after the tables are created
	}{
		{
			name: "types and defaults",
			tables: []*schema.Table{schema.NewTable("typed",
				schema.Col("id", schema.Integer()).Identity(),
				schema.Col("big", schema.BigInteger()).Default(schema.Value(int64(-7))),
				schema.Col("small", schema.SmallInteger()).Default(schema.Value(3)),
				schema.Col("flag", schema.Boolean()).Default(schema.Value(true)),
				schema.Col("off", schema.Boolean()).Default(schema.Expr("FALSE")),
				schema.Col("name", schema.String(80)).Default(schema.Value("it's")),
				schema.Col("word", schema.String(80)).Default(schema.Expr("'plain'")),
				schema.Col("body", schema.Text()).Nullable(),
				schema.Col("price", schema.Numeric(12, 2)).Default(schema.Value("0.00")),
				schema.Col("any_num", schema.Numeric(0, 0)).Nullable(),
				schema.Col("ratio", schema.Float()).Default(schema.Value(1.5)),
				schema.Col("whole", schema.Float()).Default(schema.Value(2.0)),
				schema.Col("day", schema.Date()).Nullable().Default(schema.Value(nil)),
				schema.Col("at", schema.Time()).Nullable(),
				schema.Col("created", schema.DateTime(false)).Default(schema.Expr("current_timestamp")),
				schema.Col("created_tz", schema.DateTime(true)).Nullable(),
				schema.Col("span", schema.Interval()).Nullable(),
				schema.Col("doc", schema.JSON()).Default(schema.Expr("json_object()")),
				schema.Col("uid", schema.UUID()).Nullable(),
				schema.Col("bin", schema.LargeBinary()).Default(schema.Value([]byte{0xca, 0xfe})),
				schema.Col("mood", schema.Enum("mood", "sad", "ok", "happy")).Default(schema.Value("ok")),
				schema.Col("addr", schema.Raw(map[string]string{"postgres": "INET", "": "VARCHAR(45)"})).Nullable(),
				schema.Col("geo", schema.Raw(map[string]string{"sqlite": "geometry"})).Nullable(),
				schema.Col("lowered", schema.Text()).Default(schema.Expr("lower('ABC')")),
			).PrimaryKey("id").WithComment("SQLite keeps no comment")},
		},
		{
			name: "keys, constraints and indexes",
			tables: []*schema.Table{
				org,
				schema.NewTable("member",
					schema.Col("id", schema.BigInteger()).Identity(),
					schema.Col("org_id", schema.BigInteger()),
					schema.Col("boss_id", schema.BigInteger()).Nullable(),
					schema.Col("email", schema.String(255)).WithComment("login"),
					schema.Col("age", schema.Integer()).Nullable(),
				).PrimaryKey("id").
					Unique("org_id", "email").
					AddUnique(schema.UniqueOn("email", "age").Named("member_email_age")).
					ForeignKey(schema.FK("org_id").References("org", "id").DeleteRule(schema.Cascade).UpdateRule(schema.Restrict)).
					ForeignKey(schema.FK("boss_id").References("member", "id").DeleteRule(schema.SetNull).UpdateRule(schema.NoAction).Named("member_boss")).
					Check("age_positive", "age IS NULL OR age >= 0").
					AddCheck(schema.CheckExpr("", "length(email) > 3").Named("email_len")).
					Index(schema.IndexOn("email")).
					Index(schema.IndexOn("age").Also(schema.IndexPart{Column: "id", Desc: true}).Named("member_age_id")).
					Index(schema.IndexOn("email").Partial("age IS NOT NULL").AsUnique().Named("member_email_partial")).
					Index(schema.IndexExpr("lower(email)")).
					Index(schema.IndexExpr("age + 1").Also(schema.IndexPart{Column: "org_id"}).Named("member_mixed")),
			},
		},
		{
			name: "composite primary key, no rowid alias",
			tables: []*schema.Table{schema.NewTable("tag",
				schema.Col("name", schema.String(50)),
				schema.Col("kind", schema.Integer()),
			).SetPrimaryKey(schema.PrimaryKeyOn("name", "kind").Named("tag_key"))},
		},
		{
			name:   "altered through operations",
			tables: []*schema.Table{org, schema.NewTable("account", schema.Col("id", schema.Integer()), schema.Col("org_id", schema.BigInteger())).PrimaryKey("id")},
			ops: []op.Op{
				op.AddColumn{Table: schema.TableName{Name: "account"}, Column: schema.Col("nick", schema.String(40)).Nullable()},
				op.AddColumn{Table: schema.TableName{Name: "account"}, Column: schema.Col("active", schema.Boolean()).Default(schema.Value(false))},
				op.CreateForeignKey{Table: schema.TableName{Name: "account"}, ForeignKey: schema.FK("org_id").References("org", "id")},
				op.CreateIndex{Table: schema.TableName{Name: "account"}, Index: schema.IndexOn("nick")},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := dbtest.SQLite(t).SQL
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			want := &schema.Schema{}
			var ops []op.Op
			for _, tb := range tt.tables {
				ops = append(ops, op.CreateTable{Table: tb})
				want.Tables = append(want.Tables, tb)
			}
			dialecttest.Exec(ctx, t, New(), conn, append(ops, tt.ops...))
			if len(tt.ops) > 0 {
				acc := want.Tables[1].AddColumns(
					schema.Col("nick", schema.String(40)).Nullable(),
					schema.Col("active", schema.Boolean()).Default(schema.Value(false)),
				).ForeignKey(schema.FK("org_id").References("org", "id")).Index(schema.IndexOn("nick"))
				want.Tables[1] = acc
			}
			got := inspect(t, conn, dialect.InspectOptions{})
			sameSchema(t, got, want)
			// Normalising is idempotent, and the reflected schema is already
			// sorted as NormalizeSchema sorts tables and indexes.
			n1, err := dialect.NormalizeSchema(New(), got, schema.DefaultNaming())
			if err != nil {
				t.Fatal(err)
			}
			n2, err := dialect.NormalizeSchema(New(), n1, schema.DefaultNaming())
			if err != nil {
				t.Fatal(err)
			}
			if !n1.Equal(n2) {
				t.Errorf("normalising twice changed the schema:\n--- once\n%s--- twice\n%s", dump(n1), dump(n2))
			}
			for i := 1; i < len(got.Tables); i++ {
				if got.Tables[i-1].Name >= got.Tables[i].Name {
					t.Errorf("tables not sorted by name: %s before %s", got.Tables[i-1].Name, got.Tables[i].Name)
				}
			}
		})
	}
}

// TestDialect_InspectReports checks what Inspect reports as it is, before
// any normalising, for tables written by hand: the declared spelling in
// Native, defaults as the SQL text SQLite keeps, unnamed constraints with
// an empty name, column-level constraints, collations, AUTOINCREMENT and
// table options, index expressions and predicates as written.
func TestDialect_InspectReports(t *testing.T) {
	tests := []struct {
		name  string
		setup []string
		want  []*schema.Table
	}{
		{
			name: "hand-written table",
			setup: []string{
				`CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, code text COLLATE NOCASE UNIQUE)`,
				`CREATE TABLE "child" (
					"id" int NOT NULL CONSTRAINT child_pk PRIMARY KEY,
					parent_id INTEGER REFERENCES parent (id) ON DELETE SET NULL,
					label varchar ( 20 ) DEFAULT 'x' CHECK (length(label) > 0),
					n DEFAULT 0,
					stamp DATETIME DEFAULT (datetime('now')),
					CONSTRAINT child_label UNIQUE (label, n),
					FOREIGN KEY (n) REFERENCES parent
				) WITHOUT ROWID`,
				`CREATE INDEX child_expr ON child (lower(label) DESC, "n" COLLATE NOCASE) WHERE n > 0 AND label <> 'WHERE'`,
			},
			want: []*schema.Table{
				{
					Name: "child",
					Columns: []schema.Column{
						{Name: "id", Type: schema.Type{Kind: schema.KindInteger, Native: "INT"}},
						{Name: "parent_id", Type: schema.Type{Kind: schema.KindInteger, Native: "INTEGER"}, Null: true},
						{Name: "label", Type: schema.Type{Kind: schema.KindString, Length: 20, Native: "varchar ( 20 )"}, Null: true, Def: schema.Expr("'x'")},
						{Name: "n", Type: schema.Type{Kind: schema.KindRaw, Raw: map[string]string{"sqlite": ""}}, Null: true, Def: schema.Expr("0")},
						{Name: "stamp", Type: schema.Type{Kind: schema.KindDateTime, Native: "DATETIME"}, Null: true, Def: schema.Expr("datetime('now')")},
					},
					PK:          &schema.PrimaryKey{Name: "child_pk", Columns: []string{"id"}},
					Uniques:     []schema.Unique{{Name: "child_label", Columns: []string{"label", "n"}}},
					ForeignKeys: []schema.ForeignKey{{Columns: []string{"parent_id"}, RefTable: "parent", RefColumns: []string{"id"}, OnDelete: schema.SetNull}, {Columns: []string{"n"}, RefTable: "parent"}},
					Checks:      []schema.Check{{Expr: "length(label) > 0"}},
					Indexes: []schema.Index{{Name: "child_expr", Parts: []schema.IndexPart{{Expr: "lower(label)", Desc: true}, {Expr: `"n" COLLATE NOCASE`}},
						Where: "n > 0 AND label <> 'WHERE'"}},
					Ext: schema.TableExt{WithoutRowID: true},
				},
				{
					Name: "parent",
					Columns: []schema.Column{
						{Name: "id", Type: schema.Type{Kind: schema.KindInteger, Native: "INTEGER"}, Null: true},
						{Name: "code", Type: schema.Type{Kind: schema.KindText, Native: "TEXT", Ext: schema.TypeExt{Collation: "NOCASE"}}, Null: true},
					},
					PK:      &schema.PrimaryKey{Columns: []string{"id"}},
					Uniques: []schema.Unique{{Columns: []string{"code"}}},
					Ext:     schema.TableExt{AutoIncrement: true},
				},
			},
		},
		{
			name:  "strict table",
			setup: []string{`CREATE TABLE s (a INTEGER NOT NULL, b ANY) STRICT`},
			want: []*schema.Table{{
				Name: "s",
				Columns: []schema.Column{
					{Name: "a", Type: schema.Type{Kind: schema.KindInteger, Native: "INTEGER"}},
					{Name: "b", Type: schema.Type{Kind: schema.KindRaw, Raw: map[string]string{"sqlite": "ANY"}, Native: "ANY"}, Null: true},
				},
				Ext: schema.TableExt{Strict: true},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := dbtest.SQLite(t).SQL
			execSQL(t, db, tt.setup...)
			got := inspect(t, db, dialect.InspectOptions{})
			want := &schema.Schema{Tables: tt.want}
			if !got.Equal(want) {
				t.Errorf("Inspect:\n--- got\n%s--- want\n%s", dump(got), dump(want))
			}
		})
	}
}

// TestDialect_InspectOptions checks which tables are read.
func TestDialect_InspectOptions(t *testing.T) {
	ctx := context.Background()
	db := dbtest.SQLite(t).SQL
	execSQL(t, db,
		`CREATE TABLE a (x INTEGER)`, `CREATE TABLE b (x INTEGER)`, `CREATE TABLE c (x INTEGER)`,
		`CREATE TABLE retort_version (version_num VARCHAR(255) NOT NULL)`, `CREATE TABLE retort_history (id INTEGER PRIMARY KEY AUTOINCREMENT)`,
		`CREATE TABLE my_versions (v TEXT)`, `CREATE TABLE _retort_guard (x INTEGER)`,
	)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// ATTACH is per connection: attach on the one Inspect uses.
	execSQL(t, conn, `ATTACH DATABASE ':memory:' AS aux2`, `CREATE TABLE aux2.other (y TEXT NOT NULL)`, `CREATE INDEX aux2.ix_other_y ON other (y)`)
	tests := []struct {
		name string
		opts dialect.InspectOptions
		want []string
	}{
		{"default skips own and internal tables", dialect.InspectOptions{}, []string{"a", "b", "c", "my_versions"}},
		{"include own", dialect.InspectOptions{IncludeOwn: true}, []string{"_retort_guard", "a", "b", "c", "my_versions", "retort_history", "retort_version"}},
		{"own tables renamed", dialect.InspectOptions{OwnTables: []string{"my_versions"}}, []string{"a", "b", "c", "retort_history", "retort_version"}},
		{"only", dialect.InspectOptions{Tables: []string{"b", "nope"}}, []string{"b"}},
		{"exclude", dialect.InspectOptions{Exclude: []string{"a", "c"}}, []string{"b", "my_versions"}},
		{"include name", dialect.InspectOptions{IncludeName: func(n schema.TableName) bool { return n.Name != "b" && n.Schema == "" }}, []string{"a", "c", "my_versions"}},
		{"attached database", dialect.InspectOptions{Schema: "aux2"}, []string{"other"}},
		{"unknown name", dialect.InspectOptions{Tables: []string{"zzz"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := inspect(t, conn, tt.opts)
			var names []string
			for _, tb := range s.Tables {
				names = append(names, tb.Name)
				if tb.Schema != tt.opts.Schema {
					t.Errorf("table %s has schema %q, want %q", tb.Name, tb.Schema, tt.opts.Schema)
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
	s := inspect(t, conn, dialect.InspectOptions{Schema: "aux2"})
	other := s.Tables[0]
	if len(other.Columns) != 1 || other.Columns[0].Null || len(other.Indexes) != 1 || other.Indexes[0].Name != "ix_other_y" {
		t.Errorf("attached table read wrongly:\n%s", dump(s))
	}
}

// TestDialect_InspectUnsupported checks that what the model cannot hold
// is an error naming it, and that Exclude gets past it.
func TestDialect_InspectUnsupported(t *testing.T) {
	tests := []struct {
		name  string
		setup string
		want  string
	}{
		{"on conflict clause", `CREATE TABLE g (a INTEGER NOT NULL ON CONFLICT REPLACE)`, "column a has ON CONFLICT REPLACE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := dbtest.SQLite(t).SQL
			execSQL(t, db, tt.setup, `CREATE TABLE ok (x INTEGER)`)
			_, err := New().Inspect(context.Background(), db, dialect.InspectOptions{})
			if !errors.Is(err, dialect.ErrUnsupported) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "table g") {
				t.Fatalf("err = %v; want ErrUnsupported naming table g and %q", err, tt.want)
			}
			s := inspect(t, db, dialect.InspectOptions{Exclude: []string{"g"}})
			if len(s.Tables) != 1 || s.Tables[0].Name != "ok" {
				t.Errorf("with g excluded: %s", dump(s))
			}
		})
	}
}
