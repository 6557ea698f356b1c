package diff

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/optest"
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
// does not manage column order (see the package documentation).
func canon(s *schema.Schema) *schema.Schema {
	out := &schema.Schema{Name: s.Name, Enums: slices.Clone(s.Enums)}
	for _, t := range s.Tables {
		c := t.Clone()
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

// apply applies ops to a copy of s in the model (optest.Apply).
func apply(t testing.TB, s *schema.Schema, ops []op.Op) *schema.Schema {
	t.Helper()
	out := clone(s)
	for _, o := range ops {
		if err := optest.Apply(out, o, schema.NoLimit()); err != nil {
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
