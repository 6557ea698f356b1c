package diff

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/schema"
)

// gen makes random valid schemas and mutations of them, from a fixed
// seed. The schemas are normalised as a caller's would be: every
// constraint and index named.
type gen struct {
	r *rand.Rand
	n int // counter for fresh names
	// mysql restricts the schemas to what MySQL and MariaDB take: no
	// partial index, no index on an unbounded column, and no enum
	// columns (a reflected MySQL enum has no name, which CreateTable
	// refuses: see the report of the live tests).
	mysql bool
}

func newGen(seed uint64) *gen { return &gen{r: rand.New(rand.NewPCG(seed, 17))} }

func (g *gen) fresh(prefix string) string { g.n++; return fmt.Sprintf("%s%d", prefix, g.n) }

func (g *gen) pick(n int) int { return g.r.IntN(n) }

// column returns a new column of a random type (an enum of s among
// them).
func (g *gen) column(s *schema.Schema) schema.Column {
	var c schema.Column
	name := g.fresh("c")
	switch g.pick(7) {
	case 0:
		c = schema.Col(name, schema.Integer())
	case 1:
		c = schema.Col(name, schema.String(10+g.pick(5)*10))
	case 2:
		c = schema.Col(name, schema.Text())
	case 3:
		c = schema.Col(name, schema.Boolean()).Default(schema.Value(g.pick(2) == 0))
	case 4:
		c = schema.Col(name, schema.Numeric(10, 2))
	case 5:
		c = schema.Col(name, schema.DateTime(true)).Default(schema.Expr("CURRENT_TIMESTAMP"))
	default:
		if len(s.Enums) == 0 || g.mysql {
			return schema.Col(name, schema.BigInteger()).Nullable()
		}
		e := s.Enums[g.pick(len(s.Enums))]
		c = schema.Col(name, schema.Enum(e.Name, e.Values...))
	}
	if g.pick(2) == 0 {
		c = c.Nullable()
	}
	if g.pick(5) == 0 {
		c = c.WithComment("about " + name)
	}
	return c
}

// table returns a new table: an identity primary key and a few columns.
func (g *gen) table(s *schema.Schema) *schema.Table {
	name := g.fresh("t")
	t := schema.NewTable(name, schema.Col("id", schema.BigInteger()).Identity()).SetPrimaryKey(schema.PrimaryKeyOn("id").Named("pk_" + name))
	for range 1 + g.pick(4) {
		t.Columns = append(t.Columns, g.column(s))
	}
	if g.pick(3) == 0 {
		t.Comment = "table " + name
	}
	return t
}

// schema returns a random schema of n tables, with foreign keys and
// indexes, and an enum type.
func (g *gen) schema(n int) *schema.Schema {
	s := &schema.Schema{Enums: []schema.EnumType{{Name: "mood", Values: []string{"sad", "ok"}}}}
	for range n {
		s.Tables = append(s.Tables, g.table(s))
	}
	for range n {
		g.addFK(s)
		g.addIndex(s)
	}
	return s
}

func (g *gen) anyTable(s *schema.Schema) *schema.Table {
	if len(s.Tables) == 0 {
		return nil
	}
	return s.Tables[g.pick(len(s.Tables))]
}

// addFK adds a nullable column and a foreign key on it to the id of a
// random table (the same table too, and cycles).
func (g *gen) addFK(s *schema.Schema) string {
	t, r := g.anyTable(s), g.anyTable(s)
	if t == nil {
		return "none"
	}
	col := g.fresh("ref")
	t.Columns = append(t.Columns, schema.Col(col, schema.BigInteger()).Nullable())
	actions := []schema.Action{"", schema.Cascade, schema.SetNull, schema.Restrict}
	t.ForeignKeys = append(t.ForeignKeys, schema.FK(col).References(r.Name, "id").Named("fk_"+t.Name+"_"+col).
		DeleteRule(actions[g.pick(len(actions))]))
	return "add foreign key " + t.Name + "." + col + " -> " + r.Name
}

// addIndex adds an index (maybe unique, partial or on an expression)
// or a unique constraint on a random column of a random table.
func (g *gen) addIndex(s *schema.Schema) string {
	t := g.anyTable(s)
	if t == nil {
		return "none"
	}
	col := t.Columns[g.pick(len(t.Columns))]
	c := col.Name
	name := g.fresh("ix_" + t.Name + "_")
	kind := g.pick(5)
	if g.mysql {
		if col.Type.Kind == schema.KindText {
			return "none"
		}
		kind = []int{0, 3, 4}[g.pick(3)]
	}
	switch kind {
	case 0:
		t.Uniques = append(t.Uniques, schema.UniqueOn(c).Named(g.fresh("uq_"+t.Name+"_")))
		return "add unique on " + t.Name + "." + c
	case 1:
		t.Indexes = append(t.Indexes, schema.IndexOn(c).Partial(c+" IS NOT NULL").Named(name))
	case 2:
		if col.Type.Kind != schema.KindString && col.Type.Kind != schema.KindText {
			t.Indexes = append(t.Indexes, schema.IndexOn(c).Named(name))
			break
		}
		t.Indexes = append(t.Indexes, schema.IndexExpr("lower("+c+")").Named(name))
	case 3:
		cols := []string{c, "id"}
		if c == "id" {
			cols = cols[:1]
		}
		t.Indexes = append(t.Indexes, schema.IndexOn(cols...).AsUnique().Named(name))
	default:
		t.Indexes = append(t.Indexes, schema.IndexOn(c).Named(name))
	}
	return "add index " + name
}

// dropColumnRefs removes from s what refers to column col of table t.
func dropColumnRefs(s *schema.Schema, t *schema.Table, col string) {
	uses := func(cols []string) bool { return slices.Contains(cols, col) }
	t.Uniques = slices.DeleteFunc(t.Uniques, func(u schema.Unique) bool { return uses(u.Columns) })
	t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(f schema.ForeignKey) bool { return uses(f.Columns) })
	t.Checks = slices.DeleteFunc(t.Checks, func(c schema.Check) bool { return strings.HasPrefix(c.Expr, col+" ") })
	t.Indexes = slices.DeleteFunc(t.Indexes, func(i schema.Index) bool {
		return slices.ContainsFunc(i.Parts, func(p schema.IndexPart) bool {
			return p.Column == col || strings.Contains(p.Expr, "("+col+")")
		}) || strings.HasPrefix(i.Where, col+" ")
	})
}

// mutate changes s (a copy the caller owns) in one random way that keeps
// it valid, and says what it did.
func (g *gen) mutate(s *schema.Schema) string {
	t := g.anyTable(s)
	switch k := g.pick(12); {
	case k == 0 || t == nil:
		nt := g.table(s)
		s.Tables = append(s.Tables, nt)
		return "add table " + nt.Name
	case k == 1:
		s.Tables = slices.DeleteFunc(s.Tables, func(x *schema.Table) bool { return x == t })
		for _, o := range s.Tables {
			o.ForeignKeys = slices.DeleteFunc(o.ForeignKeys, func(f schema.ForeignKey) bool { return f.RefTable == t.Name })
		}
		return "drop table " + t.Name
	case k == 2:
		c := g.column(s)
		t.Columns = append(t.Columns, c)
		return "add column " + t.Name + "." + c.Name
	case k == 3:
		if len(t.Columns) < 2 {
			return "none"
		}
		i := 1 + g.pick(len(t.Columns)-1) // never id
		col := t.Columns[i].Name
		t.Columns = slices.Delete(t.Columns, i, i+1)
		dropColumnRefs(s, t, col)
		return "drop column " + t.Name + "." + col
	case k == 4 || k == 5:
		if len(t.Columns) < 2 {
			return "none"
		}
		i := 1 + g.pick(len(t.Columns)-1)
		c := &t.Columns[i]
		switch g.pick(4) {
		case 0:
			c.Null = !c.Null
		case 1:
			switch {
			case !c.Def.IsZero():
				c.Def = schema.Default{}
			case c.Type.Kind == schema.KindText || c.Type.Kind == schema.KindString:
				c.Def = schema.Value("x")
			case c.Type.IsInteger():
				c.Def = schema.Value(7)
			case c.Type.Kind == schema.KindBoolean:
				c.Def = schema.Value(true)
			default:
				c.Null = !c.Null
			}
		case 2:
			c.Comment = g.fresh("note ")
		default:
			switch c.Type.Kind {
			case schema.KindString:
				c.Type = schema.String(c.Type.Length + 5)
			case schema.KindInteger:
				c.Type = schema.BigInteger()
			case schema.KindText:
				c.Type = schema.String(100)
			default:
				c.Null = !c.Null
			}
		}
		return "alter column " + t.Name + "." + c.Name
	case k == 6 || k == 7:
		return g.addIndex(s)
	case k == 8 || k == 9:
		return g.addFK(s)
	case k == 10:
		if len(s.Enums) == 0 {
			return "none"
		}
		e := &s.Enums[g.pick(len(s.Enums))]
		v := g.fresh("v")
		at := g.pick(len(e.Values) + 1)
		e.Values = slices.Insert(slices.Clone(e.Values), at, v)
		for _, x := range s.Tables {
			for j := range x.Columns {
				if x.Columns[j].Type.Kind == schema.KindEnum && x.Columns[j].Type.EnumName == e.Name {
					x.Columns[j].Type.Values = e.Values
				}
			}
		}
		return fmt.Sprintf("add value %s to enum %s at %d", v, e.Name, at)
	default:
		if g.mysql {
			c := g.column(s)
			t.Columns = append(t.Columns, c)
			return "add column " + t.Name + "." + c.Name
		}
		name := g.fresh("e")
		s.Enums = append(s.Enums, schema.EnumType{Name: name, Values: []string{"x", "y"}})
		c := schema.Col(g.fresh("c"), schema.Enum(name, "x", "y")).Nullable()
		t.Columns = append(t.Columns, c)
		return "add enum " + name + " used by " + t.Name + "." + c.Name
	}
}

// wantAfterDowngrade is from with the enum values of to: the downgrade
// cannot remove the values the upgrade added.
func wantAfterDowngrade(from, to *schema.Schema) *schema.Schema {
	w := clone(from)
	for i, e := range w.Enums {
		j := slices.IndexFunc(to.Enums, func(f schema.EnumType) bool { return enumKey(f) == enumKey(e) })
		if j < 0 {
			continue
		}
		w.Enums[i].Values = slices.Clone(to.Enums[j].Values)
		for _, t := range w.Tables {
			for k, c := range t.Columns {
				if c.Type.Kind == schema.KindEnum && c.Type.EnumName == e.Name && c.Type.EnumSchema == e.Schema {
					t.Columns[k].Type.Values = slices.Clone(to.Enums[j].Values)
				}
			}
		}
	}
	return w
}

// runMutations applies n random mutations from a fixed seed, one to
// three at a time, and checks every Compare on the model: the upgrade
// gives the target, the downgrade gives the start back, and comparing
// again gives nothing.
func runMutations(t *testing.T, seed uint64, n int) {
	g := newGen(seed)
	from := norm(t, g.schema(4))
	for i := 0; i < n; {
		to := clone(from)
		var did []string
		for range 1 + g.pick(3) {
			did = append(did, g.mutate(to))
			i++
		}
		to = norm(t, to)
		res, err := Compare(from, to, Options{})
		if err != nil {
			t.Fatalf("mutation %d (%s): Compare: %v", i, strings.Join(did, "; "), err)
		}
		ok := t.Run(fmt.Sprintf("%03d %s", i, strings.Join(did, "; ")), func(t *testing.T) {
			checkRoundTrip(t, from, to, wantAfterDowngrade(from, to), res)
		})
		if !ok {
			return
		}
		from = to
	}
}

// TestCompare_RandomMutations runs 30 random mutations from a fixed
// seed (200 with -tags long).
func TestCompare_RandomMutations(t *testing.T) {
	runMutations(t, 1, 30)
}
