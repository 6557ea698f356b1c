package diff

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

func id() schema.Column { return schema.Col("id", schema.BigInteger()).Identity() }

func tbl(name string, cols ...schema.Column) *schema.Table {
	return schema.NewTable(name, append([]schema.Column{id()}, cols...)...).PrimaryKey("id")
}

// testSchema is a schema with a builder method for the cases.
type testSchema schema.Schema

func sch(tables ...*schema.Table) *testSchema { return &testSchema{Tables: tables} }

func withEnums(s *testSchema, enums ...schema.EnumType) *testSchema {
	s.Enums = enums
	return s
}

// TestCompare checks the operations for each kind of change, both ways
// and in order, their effect on the model (checkRoundTrip) and the
// notes.
func TestCompare(t *testing.T) {
	name := schema.Col("name", schema.String(50))
	customer := tbl("customer", name)
	mood := schema.EnumType{Name: "mood", Values: []string{"sad", "ok"}}
	moodCol := schema.Col("feeling", schema.Enum("mood", "sad", "ok"))
	tests := []struct {
		name      string
		from, to  *testSchema
		opts      Options
		up, down  []string
		notes     []NoteKind
		wantDown  *testSchema // what the downgrade gives when it is not from
		noModelRT bool        // the change is not expressed (NoteNotGenerated)
	}{
		{
			name: "no change",
			from: sch(customer),
			to:   sch(customer),
		},
		{
			name: "create table",
			from: sch(),
			to:   sch(customer.Index(schema.IndexOn("name"))),
			up:   []string{"create table customer"},
			down: []string{"drop table customer"},
		},
		{
			name: "drop table",
			from: sch(customer, tbl("gone")),
			to:   sch(customer),
			up:   []string{"drop table gone"},
			down: []string{"create table gone"},
		},
		{
			name:  "add columns in declared order",
			from:  sch(customer),
			to:    sch(customer.AddColumns(schema.Col("z", schema.Text()).Nullable(), schema.Col("a", schema.Integer()).Default(schema.Value(0)))),
			up:    []string{"add column customer.z", "add column customer.a"},
			down:  []string{"drop column customer.a", "drop column customer.z"},
			notes: nil,
		},
		{
			name:  "add not null column without default",
			from:  sch(customer),
			to:    sch(customer.AddColumns(schema.Col("code", schema.String(10)))),
			up:    []string{"add column customer.code"},
			down:  []string{"drop column customer.code"},
			notes: []NoteKind{NoteNotNullWithoutDefault},
		},
		{
			name:  "drop column: its downgrade adds it back NOT NULL",
			from:  sch(customer.AddColumns(schema.Col("code", schema.String(10)))),
			to:    sch(customer),
			up:    []string{"drop column customer.code"},
			down:  []string{"add column customer.code"},
			notes: []NoteKind{NoteNotNullWithoutDefault},
		},
		{
			name: "alter type, null, default, comment",
			from: sch(tbl("t", schema.Col("c", schema.String(10)))),
			to:   sch(tbl("t", schema.Col("c", schema.String(20)).Nullable().Default(schema.Value("x")).WithComment("see"))),
			up:   []string{`alter column t.c (type String(20), null, default value "x", comment)`},
			down: []string{`alter column t.c (type String(10), not null, default none, comment)`},
		},
		{
			name: "primary key changed",
			from: sch(schema.NewTable("t", schema.Col("a", schema.Integer()), schema.Col("b", schema.Integer())).PrimaryKey("a")),
			to:   sch(schema.NewTable("t", schema.Col("a", schema.Integer()), schema.Col("b", schema.Integer())).PrimaryKey("a", "b")),
			up:   []string{"drop primary key on t", "create primary key on t (a, b)"},
			down: []string{"drop primary key on t", "create primary key on t (a)"},
		},
		{
			name: "unique added, dropped and changed",
			from: sch(tbl("t", name, schema.Col("x", schema.Integer())).Unique("name").AddUnique(schema.UniqueOn("x").Named("uq_x"))),
			to:   sch(tbl("t", name, schema.Col("x", schema.Integer())).Unique("name", "x").AddUnique(schema.UniqueOn("name", "x").Named("uq_x"))),
			up: []string{"drop unique constraint on t (name)", "drop unique constraint on t (x)",
				"create unique constraint on t (name, x)", "create unique constraint on t (name, x)"},
			down: []string{"drop unique constraint on t (name, x)", "drop unique constraint on t (name, x)",
				"create unique constraint on t (name)", "create unique constraint on t (x)"},
		},
		{
			name: "foreign key added and its action changed",
			from: sch(customer, tbl("orders", schema.Col("customer_id", schema.BigInteger()), schema.Col("other", schema.BigInteger()))).
				withFK("orders", schema.FK("other").References("customer", "id")),
			to: sch(customer, tbl("orders", schema.Col("customer_id", schema.BigInteger()), schema.Col("other", schema.BigInteger()))).
				withFK("orders", schema.FK("other").References("customer", "id").DeleteRule(schema.Cascade)).
				withFK("orders", schema.FK("customer_id").References("customer", "id").DeleteRule(schema.Cascade).UpdateRule(schema.Restrict)),
			up: []string{"drop foreign key on orders (other)",
				"create foreign key on orders (customer_id) -> customer (id)", "create foreign key on orders (other) -> customer (id)"},
			down: []string{"drop foreign key on orders (customer_id)", "drop foreign key on orders (other)",
				"create foreign key on orders (other) -> customer (id)"},
		},
		{
			name: "foreign key around a column type change",
			from: sch(tbl("p", schema.Col("code", schema.String(5))).Unique("code"),
				tbl("c", schema.Col("code", schema.String(5)))).withFK("c", schema.FK("code").References("p", "code")),
			to: sch(tbl("p", schema.Col("code", schema.String(9))).Unique("code"),
				tbl("c", schema.Col("code", schema.String(9)))).withFK("c", schema.FK("code").References("p", "code")),
			up: []string{"drop foreign key on c (code)", "alter column c.code (type String(9))", "alter column p.code (type String(9))",
				"create foreign key on c (code) -> p (code)"},
			down: []string{"drop foreign key on c (code)", "alter column c.code (type String(5))", "alter column p.code (type String(5))",
				"create foreign key on c (code) -> p (code)"},
		},
		{
			name: "checks",
			from: sch(tbl("t", schema.Col("n", schema.Integer())).Check("pos", "n > 0").Check("small", "n < 10")),
			to:   sch(tbl("t", schema.Col("n", schema.Integer())).Check("pos", "n >= 0").Check("big", "n > 5")),
			up:   []string{"drop check ck_t_pos on t", "drop check ck_t_small on t", "create check ck_t_big on t", "create check ck_t_pos on t"},
			down: []string{"drop check ck_t_big on t", "drop check ck_t_pos on t", "create check ck_t_pos on t", "create check ck_t_small on t"},
		},
		{
			name: "indexes: unique, partial, expression, method",
			from: sch(tbl("t", name, schema.Col("doc", schema.JSON())).Index(schema.IndexOn("name").Named("ix_moved"))),
			to: sch(tbl("t", name, schema.Col("doc", schema.JSON())).
				Index(schema.IndexOn("name").AsUnique().Named("ix_moved")).
				Index(schema.IndexOn("name").Partial("doc IS NOT NULL").Named("ix_partial")).
				Index(schema.IndexExpr("lower(name)")).
				Index(schema.Index{Name: "ix_gin", Parts: []schema.IndexPart{{Column: "doc"}}, Method: "gin"})),
			up: []string{"drop index ix_moved on t", "create index ix_gin on t", "create index ix_moved on t",
				"create index ix_partial on t", "create index ix_t_lower_name on t"},
			down: []string{"drop index ix_gin on t", "drop index ix_moved on t", "drop index ix_partial on t",
				"drop index ix_t_lower_name on t", "create index ix_moved on t"},
		},
		{
			name: "table comment",
			from: sch(customer),
			to:   sch(customer.WithComment("who buys")),
			up:   []string{"set comment on table customer"},
			down: []string{"set comment on table customer"},
		},
		{
			name: "enum type created before its table, dropped after",
			from: sch(),
			to:   withEnums(sch(tbl("t", moodCol)), mood),
			up:   []string{"create enum mood", "create table t"},
			down: []string{"drop table t", "drop enum mood"},
		},
		{
			name: "enum column added to an existing table",
			from: sch(tbl("t")),
			to:   withEnums(sch(tbl("t", moodCol.Default(schema.Value("ok")))), mood),
			up:   []string{"create enum mood", "add column t.feeling"},
			down: []string{"drop column t.feeling", "drop enum mood"},
		},
		{
			name: "enum values added first, in the middle and last",
			from: withEnums(sch(tbl("t", moodCol)), mood),
			to: withEnums(sch(tbl("t", schema.Col("feeling", schema.Enum("mood", "awful", "sad", "meh", "ok", "great")))),
				schema.EnumType{Name: "mood", Values: []string{"awful", "sad", "meh", "ok", "great"}}),
			up:       []string{`add value "awful" to enum mood`, `add value "meh" to enum mood`, `add value "great" to enum mood`},
			down:     nil,
			notes:    []NoteKind{NoteIrreversible},
			wantDown: withEnums(sch(tbl("t", schema.Col("feeling", schema.Enum("mood", "awful", "sad", "meh", "ok", "great")))), schema.EnumType{Name: "mood", Values: []string{"awful", "sad", "meh", "ok", "great"}}),
		},
		{
			name: "referenced table created first, whatever the names",
			from: sch(),
			to:   sch(tbl("z_parent"), tbl("a_child", schema.Col("p", schema.BigInteger()))).withFK("a_child", schema.FK("p").References("z_parent", "id")),
			up:   []string{"create table z_parent", "create table a_child"},
			down: []string{"drop table a_child", "drop table z_parent"},
		},
		{
			name: "cycle between new tables: its foreign keys added after both",
			from: sch(),
			to: sch(tbl("a", schema.Col("b_id", schema.BigInteger()).Nullable()), tbl("b", schema.Col("a_id", schema.BigInteger())), tbl("c", schema.Col("a_id", schema.BigInteger()))).
				withFK("a", schema.FK("b_id").References("b", "id")).
				withFK("b", schema.FK("a_id").References("a", "id")).
				withFK("c", schema.FK("a_id").References("a", "id")),
			up: []string{"create table a", "create table b", "create table c",
				"create foreign key on a (b_id) -> b (id)", "create foreign key on b (a_id) -> a (id)"},
			down: []string{"drop foreign key on a (b_id)", "drop foreign key on b (a_id)",
				"drop table c", "drop table b", "drop table a"},
		},
		{
			name: "self reference stays in the table",
			from: sch(),
			to:   sch(tbl("post", schema.Col("parent_id", schema.BigInteger()).Nullable())).withFK("post", schema.FK("parent_id").References("post", "id")),
			up:   []string{"create table post"},
			down: []string{"drop table post"},
		},
		{
			name: "foreign key dropped before the table it refers to",
			from: sch(tbl("a", schema.Col("b_id", schema.BigInteger())), tbl("b")).withFK("a", schema.FK("b_id").References("b", "id")),
			to:   sch(tbl("a", schema.Col("b_id", schema.BigInteger()))),
			up:   []string{"drop foreign key on a (b_id)", "drop table b"},
			down: []string{"create table b", "create foreign key on a (b_id) -> b (id)"},
		},
		{
			name: "primary key changed under the foreign keys that refer to it",
			from: sch(schema.NewTable("p", schema.Col("id", schema.BigInteger()), schema.Col("code", schema.BigInteger())).PrimaryKey("id"),
				tbl("kept", schema.Col("p_id", schema.BigInteger())), tbl("gone", schema.Col("p_id", schema.BigInteger()))).
				withFK("kept", schema.FK("p_id").References("p", "id")).
				withFK("gone", schema.FK("p_id").References("p", "id")),
			to: sch(schema.NewTable("p", schema.Col("id", schema.BigInteger()), schema.Col("code", schema.BigInteger())).SetPrimaryKey(schema.PrimaryKeyOn("id").Named("pk_p_new")).Unique("code"),
				tbl("kept", schema.Col("p_id", schema.BigInteger()))).
				withFK("kept", schema.FK("p_id").References("p", "id")),
			up: []string{"drop foreign key on gone (p_id)", "drop foreign key on kept (p_id)", "drop primary key on p", "drop table gone",
				"create primary key on p (id)", "create unique constraint on p (code)", "create foreign key on kept (p_id) -> p (id)"},
			down: []string{"drop foreign key on kept (p_id)", "drop unique constraint on p (code)", "drop primary key on p",
				"create primary key on p (id)", "create table gone", "create foreign key on kept (p_id) -> p (id)"},
		},
		{
			name: "foreign key around the drop of the last index that begins with its columns",
			from: sch(tbl("p"), tbl("c", schema.Col("p_id", schema.BigInteger()), schema.Col("n", schema.Integer())).Unique("p_id", "n")).
				withFK("c", schema.FK("p_id").References("p", "id")),
			to: sch(tbl("p"), tbl("c", schema.Col("p_id", schema.BigInteger()), schema.Col("n", schema.Integer()))).
				withFK("c", schema.FK("p_id").References("p", "id")),
			up:   []string{"drop foreign key on c (p_id)", "drop unique constraint on c (p_id, n)", "create foreign key on c (p_id) -> p (id)"},
			down: []string{"create unique constraint on c (p_id, n)"},
		},
		{
			name: "no foreign key dropped when another index begins with its columns",
			from: sch(tbl("p"), tbl("c", schema.Col("p_id", schema.BigInteger())).Index(schema.IndexOn("p_id", "id")).Index(schema.IndexOn("p_id"))).
				withFK("c", schema.FK("p_id").References("p", "id")),
			to: sch(tbl("p"), tbl("c", schema.Col("p_id", schema.BigInteger())).Index(schema.IndexOn("p_id"))).
				withFK("c", schema.FK("p_id").References("p", "id")),
			up:   []string{"drop index ix_c_p_id_id on c"},
			down: []string{"create index ix_c_p_id_id on c"},
		},
		{
			name:  "possible column rename",
			from:  sch(tbl("t", schema.Col("old", schema.Text()).Nullable())),
			to:    sch(tbl("t", schema.Col("new", schema.Text()).Nullable())),
			up:    []string{"drop column t.old", "add column t.new"},
			down:  []string{"drop column t.new", "add column t.old"},
			notes: []NoteKind{NoteRename},
		},
		{
			name:  "possible table rename",
			from:  sch(tbl("old", name)),
			to:    sch(tbl("new", name)),
			up:    []string{"drop table old", "create table new"},
			down:  []string{"drop table new", "create table old"},
			notes: []NoteKind{NoteRename},
		},
		{
			name:      "identity change is noted, not generated",
			from:      sch(schema.NewTable("t", schema.Col("id", schema.BigInteger())).PrimaryKey("id")),
			to:        sch(schema.NewTable("t", schema.Col("id", schema.BigInteger()).Identity()).PrimaryKey("id")),
			notes:     []NoteKind{NoteNotGenerated, NoteNotGenerated},
			noModelRT: true,
		},
		{
			name: "own and other tools' tables are left out",
			from: sch(tbl("retort_version"), tbl("_retort_tmp"), tbl("alembic_version"), tbl("goose_db_version"), tbl("my_version")),
			to:   sch(),
			opts: Options{OwnTables: []string{"retort_version", "my_version"}},
		},
		{
			name: "another tool's table included by name",
			from: sch(tbl("alembic_version"), tbl("schema_migrations"), tbl("retort_version")),
			to:   sch(),
			opts: Options{IncludeTables: []string{"alembic_version", "schema_*", "retort_version"}},
			up:   []string{"drop table alembic_version"},
			down: []string{"create table alembic_version"},
		},
		{
			name: "include and exclude patterns",
			from: sch(),
			to:   sch(tbl("audit_log"), tbl("audit_tmp"), tbl("orders"), tbl("x").InSchema("billing")),
			opts: Options{IncludeTables: []string{"audit_*", "billing.*"}, ExcludeTables: []string{"*_tmp"}},
			up:   []string{"create table audit_log", "create table billing.x"},
			down: []string{"drop table billing.x", "drop table audit_log"},
		},
		{
			name: "IncludeObject leaves out an index and a column",
			from: sch(tbl("t", name)),
			to:   sch(tbl("t", name, schema.Col("secret", schema.Text()).Nullable()).Index(schema.IndexOn("name"))),
			opts: Options{IncludeObject: func(o Object) bool {
				return !(o.Kind == ObjectIndex && o.Name == "ix_t_name" && o.InTo && !o.InFrom) && !(o.Kind == ObjectColumn && o.Name == "secret")
			}},
		},
		{
			name: "CompareType decides",
			from: sch(tbl("t", schema.Col("c", schema.String(10)))),
			to:   sch(tbl("t", schema.Col("c", schema.Text()))),
			opts: Options{CompareType: func(from, to schema.Column) (bool, bool) {
				return true, from.Type.Kind == schema.KindString && to.Type.Kind == schema.KindText
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := norm(t, (*schema.Schema)(tt.from)), norm(t, (*schema.Schema)(tt.to))
			res, err := Compare(from, to, tt.opts)
			if err != nil {
				t.Fatalf("Compare: %v", err)
			}
			if got := opStrings(res.Upgrade); !slices.Equal(got, tt.up) {
				t.Errorf("upgrade:\n%s\nwant:\n  %s", opLines(res.Upgrade), strings.Join(tt.up, "\n  "))
			}
			if got := opStrings(res.Downgrade); !slices.Equal(got, tt.down) {
				t.Errorf("downgrade:\n%s\nwant:\n  %s", opLines(res.Downgrade), strings.Join(tt.down, "\n  "))
			}
			var kinds []NoteKind
			for _, n := range res.Notes {
				kinds = append(kinds, n.Kind)
			}
			if !slices.Equal(kinds, tt.notes) {
				t.Errorf("notes = %v; want kinds %v", res.Notes, tt.notes)
			}
			if tt.noModelRT || tt.opts.IncludeObject != nil || tt.opts.CompareType != nil || len(tt.opts.IncludeTables)+len(tt.opts.ExcludeTables)+len(tt.opts.OwnTables) > 0 {
				return // the model holds what the options leave out
			}
			var wantDown *schema.Schema
			if tt.wantDown != nil {
				wantDown = norm(t, (*schema.Schema)(tt.wantDown))
			}
			checkRoundTrip(t, from, to, wantDown, res)
		})
	}
}

// withFK returns s with the foreign key fk added to its table named
// table.
func (s *testSchema) withFK(table string, fk schema.ForeignKey) *testSchema {
	for i, t := range s.Tables {
		if t.Name == table {
			s.Tables[i] = t.ForeignKey(fk)
		}
	}
	return s
}

// TestCompare_EnumValueRemoved checks that a removed or reordered enum
// value is an *EnumChangeError whose message is the manual recipe.
func TestCompare_EnumValueRemoved(t *testing.T) {
	tests := []struct {
		name    string
		to      []string
		removed []string
		want    []string
	}{
		{"removed", []string{"sad"}, []string{"ok"}, []string{"values removed (ok)", "first update the rows",
			`ALTER TYPE app.mood RENAME TO mood_old;`, `CREATE TYPE app.mood AS ENUM ('sad');`,
			`ALTER TABLE app.t ALTER COLUMN feeling TYPE app.mood USING feeling::text::app.mood;`, `DROP TYPE app.mood_old`}},
		{"reordered", []string{"ok", "sad"}, nil, []string{"values reordered", `CREATE TYPE app.mood AS ENUM ('ok', 'sad');`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mood := schema.EnumType{Schema: "app", Name: "mood", Values: []string{"sad", "ok"}}
			tb := func(vals []string) *schema.Table {
				return tbl("t", schema.Col("feeling", schema.Enum("mood", vals...).InSchema("app"))).InSchema("app")
			}
			from := &schema.Schema{Name: "app", Tables: []*schema.Table{tb(mood.Values)}, Enums: []schema.EnumType{mood}}
			to := &schema.Schema{Name: "app", Tables: []*schema.Table{tb(tt.to)}, Enums: []schema.EnumType{{Schema: "app", Name: "mood", Values: tt.to}}}
			_, err := Compare(norm(t, from), norm(t, to), Options{})
			var ee *EnumChangeError
			if !errors.As(err, &ee) {
				t.Fatalf("err = %v; want *EnumChangeError", err)
			}
			if !slices.Equal(ee.Removed, tt.removed) || !slices.Equal(ee.Columns, []string{"app.t.feeling"}) {
				t.Errorf("Removed = %v, Columns = %v", ee.Removed, ee.Columns)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message lacks %q:\n%s", w, err)
				}
			}
		})
	}
}

// TestCompare_AlterColumnExisting checks that AlterColumn carries the
// column as it was, which makes it reversible and lets MySQL restate it,
// and only the attributes that change.
func TestCompare_AlterColumnExisting(t *testing.T) {
	old := schema.Col("c", schema.String(10)).WithComment("before")
	from := norm(t, sch2(tbl("t", old)))
	to := norm(t, sch2(tbl("t", old.Nullable())))
	res, err := Compare(from, to, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := op.AlterColumn{Table: schema.TableName{Name: "t"}, Column: "c", Null: op.Ptr(true), Existing: &old}
	if len(res.Upgrade) != 1 {
		t.Fatalf("upgrade:\n%s", opLines(res.Upgrade))
	}
	a, ok := res.Upgrade[0].(op.AlterColumn)
	if !ok || a.Type != nil || a.Default != nil || a.Comment != nil || a.Null == nil || *a.Null != *want.Null || !a.Existing.Equal(old) {
		t.Errorf("upgrade = %#v; want %#v", res.Upgrade[0], want)
	}
	d, ok := res.Downgrade[0].(op.AlterColumn)
	if after, _ := d.After(); !ok || !after.Equal(old) {
		t.Errorf("downgrade gives %v; want %v", after, old)
	}
}

// TestCompare_Deterministic checks that the output does not depend on
// the order of the input.
func TestCompare_Deterministic(t *testing.T) {
	var tables []*schema.Table
	for _, n := range []string{"d", "b", "e", "a", "c"} {
		tables = append(tables, tbl(n, schema.Col("x", schema.Integer())).Index(schema.IndexOn("x")).Unique("x"))
	}
	first, err := Compare(&schema.Schema{}, &schema.Schema{Tables: tables}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		shuffled := slices.Clone(tables)
		shuffled[0], shuffled[i] = shuffled[i], shuffled[0]
		res, err := Compare(&schema.Schema{Tables: shuffled}, &schema.Schema{}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := opStrings(res.Downgrade); !slices.Equal(got, opStrings(first.Upgrade)) {
			t.Errorf("order %d: %v; want %v", i, got, opStrings(first.Upgrade))
		}
	}
	if got := opStrings(first.Upgrade); !slices.IsSorted(got) {
		t.Errorf("tables without dependencies are not created by name: %v", got)
	}
}

// TestCompare_BadPattern checks that a malformed table pattern is an
// error.
func TestCompare_BadPattern(t *testing.T) {
	if _, err := Compare(nil, nil, Options{ExcludeTables: []string{"["}}); err == nil || !strings.Contains(err.Error(), `"["`) {
		t.Errorf("err = %v; want one naming the pattern", err)
	}
}

func sch2(tables ...*schema.Table) *schema.Schema { return &schema.Schema{Tables: tables} }
