package sqlite

import (
	"reflect"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

func native(kind schema.Type, n string) schema.Type { kind.Native = n; return kind }

func TestDialect_NormalizeType(t *testing.T) {
	rawT := func(s string) schema.Type {
		r := schema.Raw(map[string]string{"sqlite": s})
		r.Native = s
		return r
	}
	tests := []struct {
		name string
		in   schema.Type
		want schema.Type
	}{
		{"declared integer", schema.Integer(), native(schema.Integer(), "INTEGER")},
		{"reflected int", native(schema.Integer(), "int"), native(schema.Integer(), "INTEGER")},
		{"int4 synonym", native(schema.Type{Kind: schema.KindRaw}, "INT4"), native(schema.Integer(), "INTEGER")},
		{"bigint", schema.BigInteger(), native(schema.BigInteger(), "BIGINT")},
		{"tinyint", native(schema.Type{}, "tinyint"), native(schema.SmallInteger(), "SMALLINT")},
		{"bool", native(schema.Type{}, "bool"), native(schema.Boolean(), "BOOLEAN")},
		{"declared string", schema.String(255), native(schema.String(255), "VARCHAR(255)")},
		{"spaced varchar", native(schema.Type{}, "varchar ( 255 )"), native(schema.String(255), "VARCHAR(255)")},
		{"character varying", native(schema.Type{}, "character varying(255)"), native(schema.String(255), "VARCHAR(255)")},
		{"nvarchar", native(schema.Type{}, "NVARCHAR(9)"), native(schema.String(9), "VARCHAR(9)")},
		{"clob", native(schema.Type{}, "clob"), native(schema.Text(), "TEXT")},
		{"json is text", schema.JSON(), native(schema.Text(), "TEXT")},
		{"interval is text", schema.Interval(), native(schema.Text(), "TEXT")},
		{"decimal", native(schema.Type{}, "decimal(10, 2)"), native(schema.Numeric(10, 2), "NUMERIC(10,2)")},
		{"decimal precision only", native(schema.Type{}, "DECIMAL(10)"), native(schema.Numeric(10, 0), "NUMERIC(10,0)")},
		{"numeric bare", schema.Numeric(0, 0), native(schema.Numeric(0, 0), "NUMERIC")},
		{"double precision", native(schema.Type{}, "double  precision"), native(schema.Float(), "REAL")},
		{"timestamp", native(schema.Type{}, "timestamp"), native(schema.DateTime(false), "DATETIME")},
		{"datetime tz", schema.DateTime(true), native(schema.DateTime(false), "DATETIME")},
		{"uuid is char(36)", schema.UUID(), rawT("CHAR(36)")},
		{"reflected char(36)", native(schema.Type{}, "char(36)"), rawT("CHAR(36)")},
		{"enum is varchar of longest value", schema.Enum("m", "a", "happy"), native(schema.String(5), "VARCHAR(5)")},
		{"raw fallback", schema.Raw(map[string]string{"postgres": "INET", "": "VARCHAR(45)"}), native(schema.String(45), "VARCHAR(45)")},
		{"raw sqlite", schema.Raw(map[string]string{"sqlite": "geometry"}), rawT("GEOMETRY")},
		{"unknown args", native(schema.Type{}, "varchar(max)"), rawT("VARCHAR(MAX)")},
		{"collation kept", schema.Type{Kind: schema.KindText, Native: "text", Ext: schema.TypeExt{Collation: "NOCASE"}},
			schema.Type{Kind: schema.KindText, Native: "TEXT", Ext: schema.TypeExt{Collation: "NOCASE"}}},
		{"raw without sqlite entry unchanged", schema.Raw(map[string]string{"postgres": "INET"}), schema.Raw(map[string]string{"postgres": "INET"})},
	}
	d := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := d.NormalizeType(tt.in)
			if !got.Equal(tt.want) {
				t.Errorf("NormalizeType(%s) = %s; want %s", tt.in.Describe(), got.Describe(), tt.want.Describe())
			}
			if again := d.NormalizeType(got); !again.Equal(got) {
				t.Errorf("not idempotent: %s then %s", got.Describe(), again.Describe())
			}
		})
	}
}

func TestDialect_NormalizeDefault(t *testing.T) {
	tests := []struct {
		name string
		in   schema.Default
		want schema.Default
	}{
		{"none", schema.Default{}, schema.Default{}},
		{"value string", schema.Value("it's"), schema.Value("it's")},
		{"reflected string", schema.Expr("'it''s'"), schema.Value("it's")},
		{"parenthesised string", schema.Expr("( 'x' )"), schema.Value("x")},
		{"bare word is a string", schema.Expr("x"), schema.Value("x")},
		{"quoted word is a string", schema.Expr(`"x"`), schema.Value("x")},
		{"int", schema.Value(0), schema.Value(int64(0))},
		{"int32", schema.Value(int32(5)), schema.Value(int64(5))},
		{"reflected negative", schema.Expr("-7"), schema.Value(int64(-7))},
		{"reflected signed spaced", schema.Expr("- 7"), schema.Value(int64(-7))},
		{"bool true", schema.Value(true), schema.Value(int64(1))},
		{"keyword false", schema.Expr("FALSE"), schema.Value(int64(0))},
		{"float", schema.Value(1.5), schema.Value(1.5)},
		{"whole float stays real", schema.Value(2.0), schema.Value(2.0)},
		{"reflected real", schema.Expr("2.0"), schema.Value(2.0)},
		{"blob", schema.Value([]byte{0xca, 0xfe}), schema.Value([]byte{0xca, 0xfe})},
		{"reflected blob", schema.Expr("X'CAFE'"), schema.Value([]byte{0xca, 0xfe})},
		{"null value", schema.Value(nil), schema.Default{}},
		{"null expr", schema.Expr("null"), schema.Default{}},
		{"current timestamp", schema.Expr("current_timestamp"), schema.Expr("CURRENT_TIMESTAMP")},
		{"parenthesised expression", schema.Expr("(lower('ABC'))"), schema.Expr("lower('ABC')")},
		{"expression", schema.Expr("datetime('now')"), schema.Expr("datetime('now')")},
		{"not all parenthesised", schema.Expr("(1) + (2)"), schema.Expr("(1) + (2)")},
		{"inf is not a number", schema.Expr("inf"), schema.Value("inf")},
	}
	d := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := d.NormalizeDefault(tt.in)
			if got.Kind != tt.want.Kind || !reflect.DeepEqual(got.Value, tt.want.Value) || got.Expr != tt.want.Expr {
				t.Errorf("NormalizeDefault(%s) = %s (%T); want %s (%T)", tt.in, got, got.Value, tt.want, tt.want.Value)
			}
			if again := d.NormalizeDefault(got); !again.Equal(got) {
				t.Errorf("not idempotent: %s then %s", got, again)
			}
		})
	}
}

func TestAffinity(t *testing.T) {
	tests := []struct{ decl, want string }{
		{"INTEGER", "INTEGER"}, {"tinyint", "INTEGER"}, {"UNSIGNED BIG INT", "INTEGER"},
		{"VARCHAR(255)", "TEXT"}, {"nchar(55)", "TEXT"}, {"CLOB", "TEXT"},
		{"BLOB", "BLOB"}, {"", "BLOB"},
		{"REAL", "REAL"}, {"DOUBLE PRECISION", "REAL"}, {"FLOAT", "REAL"},
		{"NUMERIC", "NUMERIC"}, {"DECIMAL(10,5)", "NUMERIC"}, {"BOOLEAN", "NUMERIC"}, {"DATETIME", "NUMERIC"},
		{"POINT", "INTEGER"}, {"FLOATING POINT", "INTEGER"}, {"DATE", "NUMERIC"}, // SQLite's own caveat: the INT of POINT wins
	}
	for _, tt := range tests {
		if got := Affinity(tt.decl); got != tt.want {
			t.Errorf("Affinity(%q) = %s; want %s", tt.decl, got, tt.want)
		}
	}
}

// TestDialect_NormalizeTable checks SQLite's table-level rules, and that
// the normal form still tells different tables apart.
func TestDialect_NormalizeTable(t *testing.T) {
	n := schema.DefaultNaming()
	d := New()
	norm := func(t *testing.T, tb *schema.Table) *schema.Table {
		t.Helper()
		out, err := d.NormalizeTable(tb, n)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	t.Run("rowid alias", func(t *testing.T) {
		declared := schema.NewTable("t", schema.Col("id", schema.BigInteger()).Identity()).PrimaryKey("id")
		plain := schema.NewTable("t", schema.Col("id", schema.Integer())).PrimaryKey("id")
		reflected := &schema.Table{Name: "t", Columns: []schema.Column{{Name: "id", Type: native(schema.Integer(), "INTEGER"), Null: true}},
			PK: &schema.PrimaryKey{Name: "pk_t", Columns: []string{"id"}}}
		a, b, c := norm(t, declared), norm(t, plain), norm(t, reflected)
		if !a.Equal(b) || !a.Equal(c) {
			t.Errorf("rowid alias forms differ:\n%v %+v\n%v %+v\n%v %+v", a.Columns, a.PK, b.Columns, b.PK, c.Columns, c.PK)
		}
		if !a.Columns[0].AutoIncrement || a.Columns[0].Null {
			t.Errorf("rowid alias not an identity NOT NULL: %+v", a.Columns[0])
		}
		notAlias := norm(t, schema.NewTable("t", schema.Col("id", schema.BigInteger())).PrimaryKey("id"))
		if notAlias.Columns[0].AutoIncrement {
			t.Error("a BIGINT primary key is not the rowid")
		}
		intPK := norm(t, &schema.Table{Name: "t", Columns: []schema.Column{{Name: "id", Type: native(schema.Integer(), "INT")}}, PK: &schema.PrimaryKey{Columns: []string{"id"}}})
		if intPK.Columns[0].AutoIncrement {
			t.Error("INT PRIMARY KEY is not the rowid (only INTEGER is)")
		}
	})
	t.Run("enum, comments, names, actions", func(t *testing.T) {
		declared := schema.NewTable("t",
			schema.Col("id", schema.Integer()),
			schema.Col("mood", schema.Enum("mood", "sad", "happy")).WithComment("c"),
		).Check("pos", "id > 0").
			ForeignKey(schema.FK("id").ReferencesIn("main", "o", "id").UpdateRule(schema.NoAction)).
			Index(schema.IndexExpr(" lower(mood) ").Partial(" id > 1 ")).
			WithComment("table").InSchema("main")
		got := norm(t, declared)
		want := &schema.Table{Schema: "main", Name: "t",
			Columns: []schema.Column{
				{Name: "id", Type: native(schema.Integer(), "INTEGER")},
				{Name: "mood", Type: native(schema.String(5), "VARCHAR(5)")},
			},
			ForeignKeys: []schema.ForeignKey{{Name: "fk_t_id_o", Columns: []string{"id"}, RefTable: "o", RefColumns: []string{"id"}}},
			Checks:      []schema.Check{{Name: "ck_t_pos", Expr: "id > 0"}, {Name: "ck_t_mood", Expr: `"mood" IN ('sad', 'happy')`}},
			Indexes:     []schema.Index{{Name: "ix_t_lower_mood", Parts: []schema.IndexPart{{Expr: "lower(mood)"}}, Where: "id > 1"}},
		}
		if !got.Equal(want) {
			t.Errorf("NormalizeTable:\n got %+v\nwant %+v", got, want)
		}
		if declared.Comment != "table" || declared.Checks[0].Label != "pos" {
			t.Error("NormalizeTable modified its argument")
		}
	})
	t.Run("differences survive", func(t *testing.T) {
		base := func() *schema.Table {
			return schema.NewTable("t",
				schema.Col("id", schema.Integer()),
				schema.Col("name", schema.String(80)).Default(schema.Value("x")),
				schema.Col("org", schema.Integer()).Nullable(),
			).PrimaryKey("id").ForeignKey(schema.FK("org").References("o", "id").DeleteRule(schema.Cascade)).Index(schema.IndexOn("name"))
		}
		changes := []struct {
			name string
			t    *schema.Table
		}{
			{"length", schema.NewTable("t", schema.Col("id", schema.Integer()), schema.Col("name", schema.String(81)).Default(schema.Value("x")), schema.Col("org", schema.Integer()).Nullable()).
				PrimaryKey("id").ForeignKey(schema.FK("org").References("o", "id").DeleteRule(schema.Cascade)).Index(schema.IndexOn("name"))},
			{"default", schema.NewTable("t", schema.Col("id", schema.Integer()), schema.Col("name", schema.String(80)).Default(schema.Value("y")), schema.Col("org", schema.Integer()).Nullable()).
				PrimaryKey("id").ForeignKey(schema.FK("org").References("o", "id").DeleteRule(schema.Cascade)).Index(schema.IndexOn("name"))},
			{"nullability", schema.NewTable("t", schema.Col("id", schema.Integer()), schema.Col("name", schema.String(80)).Default(schema.Value("x")), schema.Col("org", schema.Integer())).
				PrimaryKey("id").ForeignKey(schema.FK("org").References("o", "id").DeleteRule(schema.Cascade)).Index(schema.IndexOn("name"))},
			{"action", schema.NewTable("t", schema.Col("id", schema.Integer()), schema.Col("name", schema.String(80)).Default(schema.Value("x")), schema.Col("org", schema.Integer()).Nullable()).
				PrimaryKey("id").ForeignKey(schema.FK("org").References("o", "id")).Index(schema.IndexOn("name"))},
			{"index", schema.NewTable("t", schema.Col("id", schema.Integer()), schema.Col("name", schema.String(80)).Default(schema.Value("x")), schema.Col("org", schema.Integer()).Nullable()).
				PrimaryKey("id").ForeignKey(schema.FK("org").References("o", "id").DeleteRule(schema.Cascade)).Index(schema.IndexOn("name").AsUnique())},
		}
		b := norm(t, base())
		for _, c := range changes {
			if norm(t, c.t).Equal(b) {
				t.Errorf("%s: normal forms equal", c.name)
			}
		}
	})
}

func TestNormalizeSchema_Order(t *testing.T) {
	s := &schema.Schema{Tables: []*schema.Table{
		schema.NewTable("b", schema.Col("x", schema.Integer())).Index(schema.IndexOn("x").Named("z")).Index(schema.IndexOn("x").Named("a")),
		schema.NewTable("a", schema.Col("x", schema.Integer())),
	}}
	got, err := dialect.NormalizeSchema(New(), s, schema.DefaultNaming())
	if err != nil {
		t.Fatal(err)
	}
	if got.Tables[0].Name != "a" || got.Tables[1].Indexes[0].Name != "a" || got.Tables[1].Indexes[1].Name != "z" {
		t.Errorf("not sorted: %s", dump(got))
	}
	if s.Tables[0].Name != "b" || s.Tables[0].Indexes[0].Name != "z" {
		t.Error("NormalizeSchema modified its argument")
	}
}
