package schema

import (
	"testing"
)

// TestTable_BuildersLeaveReceiver checks the package's one builder
// convention on tables: every chaining method returns a new table and
// the receiver stays as it was.
func TestTable_BuildersLeaveReceiver(t *testing.T) {
	base := func() *Table {
		return NewTable("account", Col("id", BigInteger()), Col("org_id", BigInteger()), Col("email", String(255)))
	}
	tests := []struct {
		name  string
		build func(*Table) *Table
		check func(*Table) bool // true when the built table has the change
	}{
		{"InSchema", func(t *Table) *Table { return t.InSchema("s") }, func(t *Table) bool { return t.Schema == "s" }},
		{"AddColumns", func(t *Table) *Table { return t.AddColumns(Col("x", Text())) }, func(t *Table) bool { return len(t.Columns) == 4 }},
		{"PrimaryKey", func(t *Table) *Table { return t.PrimaryKey("id") }, func(t *Table) bool { return t.PK != nil }},
		{"SetPrimaryKey", func(t *Table) *Table { return t.SetPrimaryKey(PrimaryKeyOn("id").Named("p")) }, func(t *Table) bool { return t.PK != nil && t.PK.Name == "p" }},
		{"Unique", func(t *Table) *Table { return t.Unique("email") }, func(t *Table) bool { return len(t.Uniques) == 1 }},
		{"AddUnique", func(t *Table) *Table { return t.AddUnique(UniqueOn("email").Named("u")) }, func(t *Table) bool { return len(t.Uniques) == 1 }},
		{"ForeignKey", func(t *Table) *Table { return t.ForeignKey(FK("org_id").References("org", "id")) }, func(t *Table) bool { return len(t.ForeignKeys) == 1 }},
		{"Check", func(t *Table) *Table { return t.Check("pos", "id > 0") }, func(t *Table) bool { return len(t.Checks) == 1 }},
		{"AddCheck", func(t *Table) *Table { return t.AddCheck(CheckExpr("pos", "id > 0").Named("c")) }, func(t *Table) bool { return len(t.Checks) == 1 }},
		{"Index", func(t *Table) *Table { return t.Index(IndexOn("email")) }, func(t *Table) bool { return len(t.Indexes) == 1 }},
		{"WithComment", func(t *Table) *Table { return t.WithComment("c") }, func(t *Table) bool { return t.Comment == "c" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := base()
			got := tt.build(b)
			if !tt.check(got) {
				t.Errorf("%s: the built table lacks the change: %+v", tt.name, got)
			}
			if !b.Equal(base()) {
				t.Errorf("%s modified its receiver: %+v", tt.name, b)
			}
		})
	}
	// Two extensions of one base do not see each other.
	b := base().PrimaryKey("id")
	x, y := b.Index(IndexOn("email")), b.Index(IndexOn("org_id"))
	if len(x.Indexes) != 1 || len(y.Indexes) != 1 || x.Indexes[0].Parts[0].Column != "email" || y.Indexes[0].Parts[0].Column != "org_id" {
		t.Errorf("extensions share state: %v / %v", x.Indexes, y.Indexes)
	}
}

func TestEqual(t *testing.T) {
	tbl := func() *Table {
		return NewTable("member",
			Col("id", BigInteger()).Identity(),
			Col("org_id", BigInteger()),
			Col("email", String(255)).Nullable().Default(Value("x")),
		).PrimaryKey("id").
			Unique("email").
			ForeignKey(FK("org_id").References("org", "id").DeleteRule(Cascade)).
			Check("pos", "id > 0").
			Index(IndexOn("email").Partial("email IS NOT NULL"))
	}
	tests := []struct {
		name   string
		change func(*Table)
	}{
		{"native type", func(t *Table) { t.Columns[1].Type.Native = "BIGINT" }},
		{"type ext", func(t *Table) { t.Columns[2].Type.Ext.Collation = "NOCASE" }},
		{"unsigned", func(t *Table) { t.Columns[1].Type.Ext.Unsigned = true }},
		{"column null", func(t *Table) { t.Columns[1].Null = true }},
		{"default", func(t *Table) { t.Columns[2].Def = Expr("'x'") }},
		{"pk name", func(t *Table) { t.PK.Name = "pk" }},
		{"no pk", func(t *Table) { t.PK = nil }},
		{"unique columns", func(t *Table) { t.Uniques[0].Columns = []string{"org_id"} }},
		{"fk action", func(t *Table) { t.ForeignKeys[0].OnDelete = "" }},
		{"check expr", func(t *Table) { t.Checks[0].Expr = "id >= 0" }},
		{"index where", func(t *Table) { t.Indexes[0].Where = "" }},
		{"index method", func(t *Table) { t.Indexes[0].Method = "hash" }},
		{"index desc", func(t *Table) { t.Indexes[0].Parts[0].Desc = true }},
		{"table ext", func(t *Table) { t.Ext.AutoIncrement = true }},
		{"comment", func(t *Table) { t.Comment = "c" }},
		{"column order", func(t *Table) { t.Columns[1], t.Columns[2] = t.Columns[2], t.Columns[1] }},
	}
	if !tbl().Equal(tbl()) {
		t.Fatal("a table differs from an identical one")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tbl()
			tt.change(u)
			if tbl().Equal(u) || u.Equal(tbl()) {
				t.Errorf("tables equal after changing the %s", tt.name)
			}
			s1, s2 := &Schema{Tables: []*Table{tbl()}}, &Schema{Tables: []*Table{u}}
			if s1.Equal(s2) {
				t.Errorf("schemas equal after changing the %s", tt.name)
			}
		})
	}
	if (&Schema{Enums: []EnumType{{Name: "m", Values: []string{"a", "b"}}}}).Equal(&Schema{Enums: []EnumType{{Name: "m", Values: []string{"b", "a"}}}}) {
		t.Error("enum value order ignored")
	}
	var nilTable *Table
	if !nilTable.Equal(nil) || nilTable.Equal(tbl()) {
		t.Error("nil tables")
	}
}

func TestType_Describe(t *testing.T) {
	tests := []struct {
		typ  Type
		want string
	}{
		{String(255), "String(255)"},
		{Type{Kind: KindString, Length: 255, Native: "character varying(255)"}, `String(255) native "character varying(255)"`},
		{Type{Kind: KindInteger, Native: "int(10) unsigned", Ext: TypeExt{Unsigned: true}}, `Integer native "int(10) unsigned" unsigned`},
		{Type{Kind: KindText, Native: "text[]", Ext: TypeExt{ArrayDims: 1, Collation: "C"}}, `Text native "text[]" array1 collate C`},
		{Type{Kind: KindText, Ext: TypeExt{Charset: "latin1"}}, `Text charset latin1`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.typ.Describe(); got != tt.want {
				t.Errorf("Describe = %q; want %q", got, tt.want)
			}
		})
	}
}

// TestEqual_ReflectedFacts checks that the facts only reflection sets
// (constraint validity, partitioning) are not differences: autogenerate
// compares a reflected table with a declared one through Equal.
func TestEqual_ReflectedFacts(t *testing.T) {
	declared := func() *Table {
		return NewTable("orders", Col("id", BigInteger()), Col("customer_id", BigInteger())).
			AddCheck(CheckExpr("pos", "id > 0").Named("orders_id_pos")).
			ForeignKey(FK("customer_id").References("customer", "id").Named("orders_customer_fk"))
	}
	tests := []struct {
		name    string
		reflect func(*Table)
	}{
		{"check not valid", func(t *Table) { t.Checks[0].NotValid = true }},
		{"foreign key not valid", func(t *Table) { t.ForeignKeys[0].NotValid = true }},
		{"partitioned", func(t *Table) { t.Partitioning = &Partitioning{Key: "RANGE (id)", Partitions: []string{"orders_1"}} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := declared()
			tt.reflect(r)
			if !r.Equal(declared()) || !declared().Equal(r) {
				t.Errorf("%s: the reflected table differs from the declared one", tt.name)
			}
		})
	}
}

func TestClone_Partitioning(t *testing.T) {
	tbl := NewTable("orders", Col("id", BigInteger()))
	tbl.Partitioning = &Partitioning{Key: "LIST (id)", Partitions: []string{"a", "b"}}
	c := tbl.Clone()
	c.Partitioning.Partitions[0] = "x"
	c.Partitioning.Key = "HASH (id)"
	if tbl.Partitioning.Partitions[0] != "a" || tbl.Partitioning.Key != "LIST (id)" {
		t.Errorf("Clone shares the partitioning: %+v", tbl.Partitioning)
	}
	if !c.Partitioning.IsPartition("x") || c.Partitioning.IsPartition("a") || (*Partitioning)(nil).IsPartition("x") {
		t.Errorf("IsPartition: %+v", c.Partitioning)
	}
}
