// Package schemagen makes random valid schemas and random mutations of
// them, from a fixed seed, for the property tests of package diff and
// the autogenerate corpus of package cli. The schemas are normalised as
// a caller's would be: every constraint and index named.
package schemagen

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"

	"github.com/retortdb/retort/schema"
)

// Gen makes random schemas and mutations. The same seed gives the same
// sequence of schemas and mutations.
type Gen struct {
	r *rand.Rand
	n int // counter for fresh names
	// MySQL restricts the schemas to what MySQL and MariaDB take: no
	// partial index, no index on an unbounded column, and no enum
	// columns (a reflected MySQL enum has no name of its own to share).
	MySQL bool
}

// New returns a generator seeded with seed.
func New(seed uint64) *Gen { return &Gen{r: rand.New(rand.NewPCG(seed, 17))} }

// Fresh returns a name made of prefix and a number not used before by g.
func (g *Gen) Fresh(prefix string) string { g.n++; return fmt.Sprintf("%s%d", prefix, g.n) }

// Pick returns a random int in [0, n).
func (g *Gen) Pick(n int) int { return g.r.IntN(n) }

// Column returns a new column of a random type (an enum of s among
// them).
func (g *Gen) Column(s *schema.Schema) schema.Column {
	var c schema.Column
	name := g.Fresh("c")
	switch g.Pick(7) {
	case 0:
		c = schema.Col(name, schema.Integer())
	case 1:
		c = schema.Col(name, schema.String(10+g.Pick(5)*10))
	case 2:
		c = schema.Col(name, schema.Text())
	case 3:
		c = schema.Col(name, schema.Boolean()).Default(schema.Value(g.Pick(2) == 0))
	case 4:
		c = schema.Col(name, schema.Numeric(10, 2))
	case 5:
		c = schema.Col(name, schema.DateTime(true)).Default(schema.Expr("CURRENT_TIMESTAMP"))
	default:
		if len(s.Enums) == 0 || g.MySQL {
			return schema.Col(name, schema.BigInteger()).Nullable()
		}
		e := s.Enums[g.Pick(len(s.Enums))]
		c = schema.Col(name, schema.Enum(e.Name, e.Values...))
	}
	if g.Pick(2) == 0 {
		c = c.Nullable()
	}
	if g.Pick(5) == 0 {
		c = c.WithComment("about " + name)
	}
	return c
}

// Table returns a new table: an identity primary key and a few columns.
func (g *Gen) Table(s *schema.Schema) *schema.Table {
	name := g.Fresh("t")
	t := schema.NewTable(name, schema.Col("id", schema.BigInteger()).Identity()).SetPrimaryKey(schema.PrimaryKeyOn("id").Named("pk_" + name))
	for range 1 + g.Pick(4) {
		t.Columns = append(t.Columns, g.Column(s))
	}
	if g.Pick(3) == 0 {
		t.Comment = "table " + name
	}
	return t
}

// Schema returns a random schema of n tables, with foreign keys and
// indexes, and an enum type.
func (g *Gen) Schema(n int) *schema.Schema {
	s := &schema.Schema{Enums: []schema.EnumType{{Name: "mood", Values: []string{"sad", "ok"}}}}
	for range n {
		s.Tables = append(s.Tables, g.Table(s))
	}
	for range n {
		g.AddFK(s)
		g.AddIndex(s)
	}
	return s
}

func (g *Gen) anyTable(s *schema.Schema) *schema.Table {
	if len(s.Tables) == 0 {
		return nil
	}
	return s.Tables[g.Pick(len(s.Tables))]
}

// AddFK adds a nullable column and a foreign key on it to the id of a
// random table (the same table too, and cycles), and says what it did.
func (g *Gen) AddFK(s *schema.Schema) string {
	t, r := g.anyTable(s), g.anyTable(s)
	if t == nil || r.PK == nil || !slices.Equal(r.PK.Columns, []string{"id"}) {
		return "none" // the new column refers to an id primary key
	}
	col := g.Fresh("ref")
	t.Columns = append(t.Columns, schema.Col(col, schema.BigInteger()).Nullable())
	actions := []schema.Action{"", schema.Cascade, schema.SetNull, schema.Restrict}
	t.ForeignKeys = append(t.ForeignKeys, schema.FK(col).References(r.Name, "id").Named("fk_"+t.Name+"_"+col).
		DeleteRule(actions[g.Pick(len(actions))]))
	return "add foreign key " + t.Name + "." + col + " -> " + r.Name
}

// AddIndex adds an index (maybe unique, partial or on an expression)
// or a unique constraint on a random column of a random table, and says
// what it did.
func (g *Gen) AddIndex(s *schema.Schema) string {
	t := g.anyTable(s)
	if t == nil {
		return "none"
	}
	col := t.Columns[g.Pick(len(t.Columns))]
	c := col.Name
	name := g.Fresh("ix_" + t.Name + "_")
	kind := g.Pick(5)
	if g.MySQL {
		if col.Type.Kind == schema.KindText || col.Type.Kind == schema.KindJSON {
			return "none"
		}
		kind = []int{0, 3, 4}[g.Pick(3)]
	}
	switch kind {
	case 0:
		t.Uniques = append(t.Uniques, schema.UniqueOn(c).Named(g.Fresh("uq_"+t.Name+"_")))
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
		if _, ok := t.Column("id"); c == "id" || !ok {
			cols = cols[:1]
		}
		t.Indexes = append(t.Indexes, schema.IndexOn(cols...).AsUnique().Named(name))
	default:
		t.Indexes = append(t.Indexes, schema.IndexOn(c).Named(name))
	}
	return "add index " + name
}

// DropColumnRefs removes from table t what refers to its column col:
// uniques, foreign keys, checks and indexes on it or whose expression or
// predicate names it.
func DropColumnRefs(t *schema.Table, col string) {
	uses := func(cols []string) bool { return slices.Contains(cols, col) }
	word := regexp.MustCompile(`\b` + regexp.QuoteMeta(col) + `\b`)
	t.Uniques = slices.DeleteFunc(t.Uniques, func(u schema.Unique) bool { return uses(u.Columns) })
	t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(f schema.ForeignKey) bool { return uses(f.Columns) })
	t.Checks = slices.DeleteFunc(t.Checks, func(c schema.Check) bool { return word.MatchString(c.Expr) })
	t.Indexes = slices.DeleteFunc(t.Indexes, func(i schema.Index) bool {
		return slices.ContainsFunc(i.Parts, func(p schema.IndexPart) bool {
			return p.Column == col || word.MatchString(p.Expr)
		}) || word.MatchString(i.Where)
	})
}

// fixed reports whether column col of t must not be dropped or altered:
// it is in t's primary key, or a foreign key of s refers to it.
func fixed(s *schema.Schema, t *schema.Table, col string) bool {
	if t.PK != nil && slices.Contains(t.PK.Columns, col) {
		return true
	}
	for _, o := range s.Tables {
		for _, f := range o.ForeignKeys {
			if f.RefTable == t.Name && slices.Contains(f.RefColumns, col) {
				return true
			}
		}
	}
	return false
}

// Mutate changes s (a copy the caller owns) in one random way that keeps
// it valid, and says what it did ("none" when it found nothing to do).
func (g *Gen) Mutate(s *schema.Schema) string {
	t := g.anyTable(s)
	switch k := g.Pick(12); {
	case k == 0 || t == nil:
		nt := g.Table(s)
		s.Tables = append(s.Tables, nt)
		return "add table " + nt.Name
	case k == 1:
		s.Tables = slices.DeleteFunc(s.Tables, func(x *schema.Table) bool { return x == t })
		for _, o := range s.Tables {
			o.ForeignKeys = slices.DeleteFunc(o.ForeignKeys, func(f schema.ForeignKey) bool { return f.RefTable == t.Name })
		}
		return "drop table " + t.Name
	case k == 2:
		c := g.Column(s)
		t.Columns = append(t.Columns, c)
		return "add column " + t.Name + "." + c.Name
	case k == 3:
		if len(t.Columns) < 2 {
			return "none"
		}
		i := 1 + g.Pick(len(t.Columns)-1) // never id
		col := t.Columns[i].Name
		if fixed(s, t, col) {
			return "none"
		}
		t.Columns = slices.Delete(t.Columns, i, i+1)
		DropColumnRefs(t, col)
		return "drop column " + t.Name + "." + col
	case k == 4 || k == 5:
		if len(t.Columns) < 2 {
			return "none"
		}
		i := 1 + g.Pick(len(t.Columns)-1)
		c := &t.Columns[i]
		if fixed(s, t, c.Name) {
			return "none"
		}
		g.alterColumn(c)
		if g.MySQL && !c.Null {
			noSetNull(t, c.Name)
		}
		return "alter column " + t.Name + "." + c.Name
	case k == 6 || k == 7:
		return g.AddIndex(s)
	case k == 8 || k == 9:
		return g.AddFK(s)
	case k == 10:
		if len(s.Enums) == 0 {
			return "none"
		}
		e := &s.Enums[g.Pick(len(s.Enums))]
		v := g.Fresh("v")
		at := g.Pick(len(e.Values) + 1)
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
		if g.MySQL {
			c := g.Column(s)
			t.Columns = append(t.Columns, c)
			return "add column " + t.Name + "." + c.Name
		}
		name := g.Fresh("e")
		s.Enums = append(s.Enums, schema.EnumType{Name: name, Values: []string{"x", "y"}})
		c := schema.Col(g.Fresh("c"), schema.Enum(name, "x", "y")).Nullable()
		t.Columns = append(t.Columns, c)
		return "add enum " + name + " used by " + t.Name + "." + c.Name
	}
}

// noSetNull drops the SET NULL actions of the foreign keys of t on
// column col, which MySQL and MariaDB refuse on a NOT NULL column
// ("Foreign key constraint is incorrectly formed").
func noSetNull(t *schema.Table, col string) {
	for i, f := range t.ForeignKeys {
		if !slices.Contains(f.Columns, col) {
			continue
		}
		if f.OnDelete == schema.SetNull {
			t.ForeignKeys[i].OnDelete = ""
		}
		if f.OnUpdate == schema.SetNull {
			t.ForeignKeys[i].OnUpdate = ""
		}
	}
}

// alterColumn changes one thing of c: its nullability, default, comment
// or type.
func (g *Gen) alterColumn(c *schema.Column) {
	switch g.Pick(4) {
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
		c.Comment = g.Fresh("note ")
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
}

// Clone returns a deep copy of s.
func Clone(s *schema.Schema) *schema.Schema {
	out := &schema.Schema{Name: s.Name}
	for _, t := range s.Tables {
		out.Tables = append(out.Tables, t.Clone())
	}
	for _, e := range s.Enums {
		e.Values = slices.Clone(e.Values)
		out.Enums = append(out.Enums, e)
	}
	return out
}
