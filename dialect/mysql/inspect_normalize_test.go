package mysql

import (
	"strings"
	"testing"

	"github.com/retortdb/retort/schema"
)

func TestDialect_NormalizeType(t *testing.T) {
	nat := func(ty schema.Type, n string) schema.Type { ty.Native = n; return ty }
	raw := func(s string) schema.Type {
		r := schema.Raw(map[string]string{"mysql": s})
		r.Native = s
		return r
	}
	unsigned := func(ty schema.Type) schema.Type { ty.Ext.Unsigned = true; return ty }
	tests := []struct {
		name string
		in   schema.Type
		want schema.Type
	}{
		{"integer", schema.Integer(), nat(schema.Integer(), "int")},
		{"display width", nat(schema.Integer(), "int(11)"), nat(schema.Integer(), "int")},
		{"integer synonym", nat(schema.Type{}, "INTEGER"), nat(schema.Integer(), "int")},
		{"bigint(20)", nat(schema.BigInteger(), "bigint(20)"), nat(schema.BigInteger(), "bigint")},
		{"unsigned", nat(schema.Type{}, "int(10) unsigned"), unsigned(nat(schema.Integer(), "int unsigned"))},
		{"unsigned from Ext", unsigned(schema.BigInteger()), unsigned(nat(schema.BigInteger(), "bigint unsigned"))},
		{"zerofill keeps the width", nat(schema.Type{}, "INT(5) ZEROFILL"), unsigned(raw("int(5) unsigned zerofill"))},
		{"tinyint", raw("TINYINT(4)"), raw("tinyint")},
		{"boolean", schema.Boolean(), nat(schema.Boolean(), "tinyint(1)")},
		{"bool spelled", nat(schema.Type{}, "BOOL"), nat(schema.Boolean(), "tinyint(1)")},
		{"tinyint(1) unsigned is not a boolean", nat(schema.Type{}, "tinyint(1) unsigned"), unsigned(raw("tinyint(1) unsigned"))},
		{"string", schema.String(255), nat(schema.String(255), "varchar(255)")},
		{"varchar spelled", nat(schema.Type{}, "CHARACTER VARYING ( 255 )"), nat(schema.String(255), "varchar(255)")},
		{"text", schema.Text(), nat(schema.Text(), "longtext")},
		{"numeric", schema.Numeric(12, 2), nat(schema.Numeric(12, 2), "decimal(12,2)")},
		{"numeric default precision", schema.Numeric(0, 0), nat(schema.Numeric(10, 0), "decimal(10,0)")},
		{"numeric(8)", raw("NUMERIC(8)"), nat(schema.Numeric(8, 0), "decimal(8,0)")},
		{"float", schema.Float(), nat(schema.Float(), "double")},
		{"real", nat(schema.Type{}, "REAL"), nat(schema.Float(), "double")},
		{"float(30)", raw("FLOAT(30)"), nat(schema.Float(), "double")},
		{"float(10)", raw("FLOAT(10)"), raw("float")},
		{"time", schema.Time(), nat(schema.Time(), "time(6)")},
		{"datetime", schema.DateTime(false), nat(schema.DateTime(false), "datetime(6)")},
		{"datetime with zone", schema.DateTime(true), nat(schema.DateTime(false), "datetime(6)")},
		{"datetime(0)", raw("DATETIME(0)"), raw("datetime")},
		{"interval", schema.Interval(), nat(schema.BigInteger(), "bigint")},
		{"json", schema.JSON(), nat(schema.JSON(), "json")},
		{"json on MariaDB", nat(schema.JSON(), "longtext"), nat(schema.JSON(), "json")},
		{"uuid", schema.UUID(), raw("char(36)")},
		{"char", raw("CHAR"), raw("char(1)")},
		{"year(4)", raw("year(4)"), raw("year")},
		{"blob", schema.LargeBinary(), nat(schema.LargeBinary(), "longblob")},
		{"enum", schema.Enum("mood", "sad", "it's", `a\b`), nat(schema.Type{Kind: schema.KindEnum, Values: []string{"sad", "it's", `a\b`}}, `enum('sad','it''s','a\\b')`)},
		{"reflected enum", nat(schema.Enum("mood", "a", "b,c"), "enum('a','b,c')"), nat(schema.Type{Kind: schema.KindEnum, Values: []string{"a", "b,c"}}, "enum('a','b,c')")},
		{"raw with a character set", raw("VARCHAR(10) CHARACTER SET latin1"), raw("varchar(10) character set latin1")},
		{"collation kept", schema.Type{Kind: schema.KindText, Ext: schema.TypeExt{Collation: "utf8mb4_general_ci"}},
			schema.Type{Kind: schema.KindText, Native: "longtext", Ext: schema.TypeExt{Collation: "utf8mb4_general_ci"}}},
		{"no mysql text", schema.Raw(map[string]string{"postgres": "INET"}), schema.Raw(map[string]string{"postgres": "INET"})},
	}
	d := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := d.NormalizeType(tt.in)
			if !got.Equal(tt.want) {
				t.Errorf("NormalizeType(%s) = %s %v %q; want %s %v %q", tt.in.Describe(), got.Describe(), got.Raw, got.Values, tt.want.Describe(), tt.want.Raw, tt.want.Values)
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
		{"string", schema.Value("it's"), schema.Value("it's")},
		{"reflected string", schema.Expr("'it''s'"), schema.Value("it's")},
		{"escapes", schema.Value("a\\b\nc"), schema.Value("a\\b\nc")},
		{"reflected escapes", schema.Expr(`'a\\b\nc'`), schema.Value("a\\b\nc")},
		{"double quotes", schema.Expr(`"x"`), schema.Value("x")},
		{"int", schema.Value(0), schema.Value("0")},
		{"negative", schema.Value(int64(-7)), schema.Value("-7")},
		{"reflected decimal", schema.Expr("0.00"), schema.Value("0.00")},
		{"declared decimal string", schema.Value("0.00"), schema.Value("0.00")},
		{"float", schema.Value(1.5), schema.Value("1.5")},
		{"reflected exponent", schema.Expr("1e20"), schema.Value("1e+20")},
		{"bool", schema.Value(true), schema.Value("1")},
		{"false expr", schema.Expr("FALSE"), schema.Value("0")},
		{"bytes", schema.Value([]byte{0xca, 0xfe}), schema.Value([]byte{0xca, 0xfe})},
		{"reflected hex", schema.Expr("X'cafe'"), schema.Value([]byte{0xca, 0xfe})},
		{"null", schema.Value(nil), schema.Default{}},
		{"reflected null", schema.Expr("NULL"), schema.Default{}},
		{"the string NULL", schema.Expr("'NULL'"), schema.Value("NULL")},
		{"current timestamp", schema.Expr("current_timestamp()"), schema.Expr("CURRENT_TIMESTAMP")},
		{"now", schema.Expr("NOW()"), schema.Expr("CURRENT_TIMESTAMP")},
		{"localtimestamp", schema.Expr("localtimestamp"), schema.Expr("CURRENT_TIMESTAMP")},
		{"precision", schema.Expr("current_timestamp(6)"), schema.Expr("CURRENT_TIMESTAMP(6)")},
		{"precision 0", schema.Expr("CURRENT_TIMESTAMP(0)"), schema.Expr("CURRENT_TIMESTAMP")},
		{"function", schema.Expr("UUID()"), schema.Expr("uuid()")},
		{"expression", schema.Expr("(1 + 2)"), schema.Expr("1 + 2")},
		{"expression with names", schema.Expr("concat(`a`, 'X', b)"), schema.Expr("concat(a, 'X', b)")},
	}
	d := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := d.NormalizeDefault(tt.in)
			if !got.Equal(tt.want) {
				t.Errorf("NormalizeDefault(%s) = %s (%T); want %s (%T)", tt.in, got, got.Value, tt.want, tt.want.Value)
			}
			if again := d.NormalizeDefault(got); !again.Equal(got) {
				t.Errorf("not idempotent: %s then %s", got, again)
			}
		})
	}
}

func TestCanonExpr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"age IS NULL OR age >= 0", "age is null or age >= 0"},
		{"`age` is null or `age` >= 0", "age is null or age >= 0"},
		{"((`Age` > 0))", "age > 0"},
		{"lower( `email` ) LIKE '%@%'", "lower(email) like '%@%'"},
		{"`email` like 'A''B'", "email like 'A''B'"},
		{"`my col` + `t`.`x`", "`my col` + t.x"},
		{"`1` IN ('a','b')", "`1` in('a', 'b')"},
		{"a   <>   b", "a <> b"},
	}
	for _, tt := range tests {
		if got := canonExpr(tt.in); got != tt.want {
			t.Errorf("canonExpr(%q) = %q; want %q", tt.in, got, tt.want)
		}
		if again := canonExpr(tt.want); again != tt.want {
			t.Errorf("canonExpr not idempotent on %q: %q", tt.want, again)
		}
	}
}

func TestDialect_NormalizeTable(t *testing.T) {
	d := New()
	declared := schema.NewTable("t",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("org_id", schema.BigInteger()).Default(schema.Value(1)),
		schema.Col("price", schema.Numeric(10, 2)).Default(schema.Value(5)),
		schema.Col("ratio", schema.Float()).Default(schema.Expr("0.00001")),
		schema.Col("at", schema.DateTime(true)).Default(schema.Expr("now()")),
		schema.Col("bin", schema.Raw(map[string]string{"mysql": "varbinary(4)"})).Default(schema.Expr("'ab'")),
		schema.Col("mood", schema.Enum("mood", "a", "b")).WithComment("kept"),
	).InSchema("s").PrimaryKey("id").
		Check("pos", "(`id` > 0)").
		ForeignKey(schema.FK("org_id").ReferencesIn("s", "o", "id").DeleteRule(schema.Restrict).UpdateRule(schema.NoAction)).
		Index(schema.IndexOn("org_id").Named("fk_t_org_id_o")).
		Index(schema.IndexOn("price").AsUnique()).
		Index(schema.IndexOn("price").Also(schema.IndexPart{Column: "id", Desc: true}).AsUnique().Named("t_desc")).
		Index(schema.IndexOn("mood").Named("t_mood"))
	declared.Indexes[3].Method = "btree"
	got, err := d.NormalizeTable(declared, schema.DefaultNaming())
	if err != nil {
		t.Fatal(err)
	}
	want := &schema.Table{Schema: "s", Name: "t",
		Columns: []schema.Column{
			{Name: "id", Type: schema.Type{Kind: schema.KindBigInteger, Native: "bigint"}, AutoIncrement: true},
			{Name: "org_id", Type: schema.Type{Kind: schema.KindBigInteger, Native: "bigint"}, Def: schema.Value("1")},
			{Name: "price", Type: schema.Type{Kind: schema.KindNumeric, Precision: 10, Scale: 2, Native: "decimal(10,2)"}, Def: schema.Value("5.00")},
			{Name: "ratio", Type: schema.Type{Kind: schema.KindFloat, Native: "double"}, Def: schema.Value("1e-05")},
			{Name: "at", Type: schema.Type{Kind: schema.KindDateTime, Native: "datetime(6)"}, Def: schema.Expr("CURRENT_TIMESTAMP(6)")},
			{Name: "bin", Type: schema.Type{Kind: schema.KindRaw, Raw: map[string]string{"mysql": "varbinary(4)"}, Native: "varbinary(4)"}, Def: schema.Value([]byte("ab"))},
			{Name: "mood", Type: schema.Type{Kind: schema.KindEnum, Values: []string{"a", "b"}, Native: "enum('a','b')"}, Comment: "kept"},
		},
		PK:          &schema.PrimaryKey{Name: "PRIMARY", Columns: []string{"id"}},
		Uniques:     []schema.Unique{{Name: "ix_t_price", Columns: []string{"price"}}},
		ForeignKeys: []schema.ForeignKey{{Name: "fk_t_org_id_o", Columns: []string{"org_id"}, RefTable: "o", RefColumns: []string{"id"}}},
		Checks:      []schema.Check{{Name: "ck_t_pos", Expr: "id > 0"}},
		Indexes: []schema.Index{
			{Name: "t_desc", Unique: true, Parts: []schema.IndexPart{{Column: "price"}, {Column: "id", Desc: true}}},
			{Name: "t_mood", Parts: []schema.IndexPart{{Column: "mood"}}},
		},
	}
	if !got.Equal(want) {
		t.Errorf("NormalizeTable:\n%s\nwant\n%s", dump(&schema.Schema{Tables: []*schema.Table{got}}), dump(&schema.Schema{Tables: []*schema.Table{want}}))
	}
	again, err := d.NormalizeTable(got, schema.DefaultNaming())
	if err != nil {
		t.Fatal(err)
	}
	if !again.Equal(got) {
		t.Errorf("not idempotent:\n%s", dump(&schema.Schema{Tables: []*schema.Table{again}}))
	}
	long := schema.NewTable(strings.Repeat("t", 60), schema.Col("c", schema.Integer())).Index(schema.IndexOn("c"))
	nl, err := d.NormalizeTable(long, schema.DefaultNaming())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(nl.Indexes[0].Name); n != 64 {
		t.Errorf("generated index name is %d characters, want it fitted to 64", n)
	}
}
