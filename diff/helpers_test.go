package diff

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// plainNormalizer is a Normalizer of no dialect: types and defaults as
// they are, constraints named by the convention. It lets the pure tests
// declare both sides with the builders, as a caller would after
// normalising them with a real dialect.
type plainNormalizer struct{}

func (plainNormalizer) NormalizeType(t schema.Type) schema.Type          { return t }
func (plainNormalizer) NormalizeDefault(d schema.Default) schema.Default { return d }
func (plainNormalizer) NormalizeTable(t *schema.Table, n schema.Naming) (*schema.Table, error) {
	c := t.Clone()
	err := dialect.NameConstraints(c, func(x schema.Constraint) (string, error) {
		return n.Resolve(c.Name, x, schema.NoLimit())
	})
	return c, err
}

// norm returns s normalised by plainNormalizer.
func norm(t testing.TB, s *schema.Schema) *schema.Schema {
	t.Helper()
	out, err := dialect.NormalizeSchema(plainNormalizer{}, s, schema.DefaultNaming())
	if err != nil {
		t.Fatalf("normalise: %v", err)
	}
	return out
}

// canon returns a copy of s in one order (tables, enums, constraints and
// indexes by name) with each table's columns sorted by name too: Compare
// does not manage column order (see the package documentation). The
// values of a column of a named enum type are left out: they are the
// type's.
func canon(s *schema.Schema) *schema.Schema {
	out := &schema.Schema{Name: s.Name, Enums: slices.Clone(s.Enums)}
	named := enumMap(s)
	for _, t := range s.Tables {
		c := cloneTable(t)
		for i, col := range c.Columns {
			if _, ok := named[enumID{col.Type.EnumSchema, col.Type.EnumName}]; ok && col.Type.Kind == schema.KindEnum {
				c.Columns[i].Type.Values = nil
			}
		}
		slices.SortFunc(c.Columns, func(a, b schema.Column) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortFunc(c.Uniques, func(a, b schema.Unique) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortFunc(c.ForeignKeys, func(a, b schema.ForeignKey) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortFunc(c.Checks, func(a, b schema.Check) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortFunc(c.Indexes, func(a, b schema.Index) int { return cmp.Compare(a.Name, b.Name) })
		out.Tables = append(out.Tables, c)
	}
	slices.SortFunc(out.Tables, func(a, b *schema.Table) int { return compareNames(a.TableName(), b.TableName()) })
	slices.SortFunc(out.Enums, func(a, b schema.EnumType) int {
		return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// clone is a deep copy of s.
func clone(s *schema.Schema) *schema.Schema {
	out := &schema.Schema{Name: s.Name}
	for _, t := range s.Tables {
		out.Tables = append(out.Tables, cloneTable(t))
	}
	for _, e := range s.Enums {
		out.Enums = append(out.Enums, cloneEnum(e))
	}
	return out
}

// apply applies ops to a copy of s in the model (dialecttest.Apply).
func apply(t testing.TB, s *schema.Schema, ops []op.Op) *schema.Schema {
	t.Helper()
	out := clone(s)
	for _, o := range ops {
		if err := runs(out, o); err != nil {
			t.Fatalf("%s would not run: %v\nops:\n%s", o, err, opLines(ops))
		}
		if err := dialecttest.Apply(out, o, schema.NoLimit()); err != nil {
			t.Fatalf("apply %s: %v\nops:\n%s", o, err, opLines(ops))
		}
	}
	return out
}

// sameSchema reports whether a and b hold the same objects, columns in
// any order.
func sameSchema(a, b *schema.Schema) bool {
	a, b = canon(a), canon(b)
	a.Name, b.Name = "", ""
	return a.Equal(b)
}

// opLines returns the operations one a line.
func opLines(ops []op.Op) string {
	var b strings.Builder
	for _, o := range ops {
		b.WriteString("  " + o.String() + "\n")
	}
	return b.String()
}

func opStrings(ops []op.Op) []string {
	out := make([]string, len(ops))
	for i, o := range ops {
		out[i] = o.String()
	}
	return out
}

// dump writes a schema one object a line, for failure messages.
func dump(s *schema.Schema) string {
	if s == nil {
		return "<nil>\n"
	}
	var b strings.Builder
	for _, t := range s.Tables {
		fmt.Fprintf(&b, "table %s comment=%q ext=%+v\n", t.TableName(), t.Comment, t.Ext)
		for _, c := range t.Columns {
			fmt.Fprintf(&b, "  column %s %s values=%v null=%v identity=%v default=%s (%T) comment=%q\n",
				c.Name, c.Type.Describe(), c.Type.Values, c.Null, c.AutoIncrement, c.Def, c.Def.Value, c.Comment)
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

// checkRoundTrip fails t unless res.Upgrade applied to from gives to and
// res.Downgrade applied to that gives from back (wantDown, when not nil,
// in place of from: what the downgrade cannot undo), in the model.
func checkRoundTrip(t testing.TB, from, to, wantDown *schema.Schema, res *Result) {
	t.Helper()
	up := apply(t, from, res.Upgrade)
	if !sameSchema(up, to) {
		t.Fatalf("upgrade does not give the target:\nops:\n%s--- got\n%s--- want\n%s", opLines(res.Upgrade), dump(canon(up)), dump(canon(to)))
	}
	if wantDown == nil {
		wantDown = from
	}
	down := apply(t, up, res.Downgrade)
	if !sameSchema(down, wantDown) {
		t.Fatalf("downgrade does not give the start:\nops:\n%s--- got\n%s--- want\n%s", opLines(res.Downgrade), dump(canon(down)), dump(canon(wantDown)))
	}
	again, err := Compare(up, to, Options{})
	if err != nil {
		t.Fatalf("second Compare: %v", err)
	}
	if len(again.Upgrade) > 0 {
		t.Fatalf("second Compare is not empty:\n%s", opLines(again.Upgrade))
	}
}

// runs returns why o would fail on a database holding s, for the
// dependencies a database checks: a foreign key needs its table and
// columns, a table referred to or a column used cannot be dropped, an
// enum type must exist before a column uses it and cannot be dropped
// while one does.
func runs(s *schema.Schema, o op.Op) error {
	find := func(n schema.TableName) *schema.Table {
		for _, t := range s.Tables {
			if t.TableName() == n {
				return t
			}
		}
		return nil
	}
	enumOK := func(c schema.Column) error {
		if c.Type.Kind != schema.KindEnum || slices.ContainsFunc(s.Enums, func(e schema.EnumType) bool {
			return e.Name == c.Type.EnumName && e.Schema == c.Type.EnumSchema
		}) {
			return nil
		}
		return fmt.Errorf("column %s uses enum %s, which does not exist", c.Name, c.Type.EnumName)
	}
	fkOK := func(t *schema.Table, fk schema.ForeignKey) error {
		r := find(refName(t, fk))
		if refName(t, fk) == t.TableName() {
			r = t
		}
		if r == nil {
			return fmt.Errorf("foreign key %s refers to table %s, which does not exist", fk.Name, fk.RefTable)
		}
		for _, c := range fk.RefColumns {
			if r.ColumnIndex(c) < 0 {
				return fmt.Errorf("foreign key %s refers to column %s.%s, which does not exist", fk.Name, r.Name, c)
			}
		}
		for _, c := range fk.Columns {
			if t.ColumnIndex(c) < 0 {
				return fmt.Errorf("foreign key %s is on column %s, which does not exist", fk.Name, c)
			}
		}
		return nil
	}
	referredBy := func(n schema.TableName, col string) error {
		for _, t := range s.Tables {
			for _, fk := range t.ForeignKeys {
				if refName(t, fk) == n && t.TableName() != n && (col == "" || slices.Contains(fk.RefColumns, col)) {
					return fmt.Errorf("foreign key %s of table %s refers to it", fk.Name, t.Name)
				}
			}
		}
		return nil
	}
	switch x := o.(type) {
	case op.CreateTable:
		if find(x.Table.TableName()) != nil {
			return errors.New("the table exists")
		}
		for _, c := range x.Table.Columns {
			if err := enumOK(c); err != nil {
				return err
			}
		}
		for _, fk := range x.Table.ForeignKeys {
			if err := fkOK(x.Table, fk); err != nil {
				return err
			}
		}
	case op.DropTable:
		return referredBy(x.Table, "")
	case op.AddColumn:
		return enumOK(x.Column)
	case op.AlterColumn:
		if x.Type != nil {
			return enumOK(schema.Column{Name: x.Column, Type: *x.Type})
		}
	case op.DropColumn:
		t := find(x.Table)
		if t == nil {
			return errors.New("no such table")
		}
		if t.PK != nil && slices.Contains(t.PK.Columns, x.Column) {
			return errors.New("the primary key uses the column")
		}
		for _, u := range t.Uniques {
			if slices.Contains(u.Columns, x.Column) {
				return fmt.Errorf("unique %s uses the column", u.Name)
			}
		}
		for _, fk := range t.ForeignKeys {
			if slices.Contains(fk.Columns, x.Column) {
				return fmt.Errorf("foreign key %s uses the column", fk.Name)
			}
		}
		return referredBy(x.Table, x.Column)
	case op.DropPrimaryKey:
		t := find(x.Table)
		if t == nil || t.PK == nil {
			return errors.New("no primary key")
		}
		return keyReferred(s, x.Table, t.PK.Columns)
	case op.DropUnique:
		return keyReferred(s, x.Table, x.Unique.Columns)
	case op.CreateForeignKey:
		t := find(x.Table)
		if t == nil {
			return errors.New("no such table")
		}
		return fkOK(t, x.ForeignKey)
	case op.DropEnum:
		for _, t := range s.Tables {
			for _, c := range t.Columns {
				if c.Type.Kind == schema.KindEnum && c.Type.EnumName == x.Enum.Name && c.Type.EnumSchema == x.Enum.Schema {
					return fmt.Errorf("column %s.%s uses it", t.Name, c.Name)
				}
			}
		}
	}
	return nil
}

// TestRuns checks that the model's order check rejects what a database
// would, so that the round trips prove an order that runs.
func TestRuns(t *testing.T) {
	parent := tbl("parent")
	child := tbl("child", schema.Col("p", schema.BigInteger())).ForeignKey(schema.FK("p").References("parent", "id").Named("fk_p"))
	moodCol := schema.Col("m", schema.Enum("mood", "a"))
	tests := []struct {
		name string
		s    *schema.Schema
		o    op.Op
	}{
		{"table before the one it refers to", sch2(), op.CreateTable{Table: child}},
		{"foreign key to a missing table", sch2(tbl("child", schema.Col("p", schema.BigInteger()))), op.CreateForeignKey{Table: schema.TableName{Name: "child"}, ForeignKey: child.ForeignKeys[0]}},
		{"table referred to", sch2(parent, child), op.DropTable{Table: schema.TableName{Name: "parent"}}},
		{"column in a foreign key", sch2(parent, child), op.DropColumn{Table: schema.TableName{Name: "child"}, Column: "p"}},
		{"column referred to", sch2(parent, child), op.DropColumn{Table: schema.TableName{Name: "parent"}, Column: "id"}},
		{"primary key referred to", norm(t, sch2(parent, child)), op.DropPrimaryKey{Table: schema.TableName{Name: "parent"}, PrimaryKey: schema.PrimaryKey{Name: "pk_parent"}}},
		{"enum before its type", sch2(tbl("t")), op.AddColumn{Table: schema.TableName{Name: "t"}, Column: moodCol}},
		{"enum type in use", &schema.Schema{Tables: []*schema.Table{tbl("t", moodCol)}, Enums: []schema.EnumType{{Name: "mood", Values: []string{"a"}}}}, op.DropEnum{Enum: schema.EnumType{Name: "mood"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := runs(tt.s, tt.o); err == nil {
				t.Errorf("%s runs on the model; want an error", tt.o)
			}
		})
	}
	if err := runs(sch2(parent), op.CreateTable{Table: child}); err != nil {
		t.Errorf("child after parent: %v", err)
	}
}

// keyReferred returns an error when a foreign key of another table
// refers to the columns cols (a key) of table n.
func keyReferred(s *schema.Schema, n schema.TableName, cols []string) error {
	for _, t := range s.Tables {
		for _, fk := range t.ForeignKeys {
			if t.TableName() != n && refName(t, fk) == n && slices.Equal(fk.RefColumns, cols) {
				return fmt.Errorf("foreign key %s of table %s refers to the key", fk.Name, t.Name)
			}
		}
	}
	return nil
}
