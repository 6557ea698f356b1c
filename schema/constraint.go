package schema

import (
	"slices"
	"strings"
)

// PrimaryKey is a primary key. Name "" means "from the naming convention".
type PrimaryKey struct {
	Name    string
	Columns []string
}

// PrimaryKeyOn returns a primary key on the columns.
func PrimaryKeyOn(cols ...string) PrimaryKey { return PrimaryKey{Columns: slices.Clone(cols)} }

// Named returns pk with an explicit name.
func (pk PrimaryKey) Named(name string) PrimaryKey { pk.Name = name; return pk }

// Equal reports whether pk and q have the same name and columns.
func (pk PrimaryKey) Equal(q PrimaryKey) bool {
	return pk.Name == q.Name && slices.Equal(pk.Columns, q.Columns)
}

// Unique is a unique constraint. Name "" means "from the naming
// convention".
type Unique struct {
	Name    string
	Columns []string
}

// UniqueOn returns a unique constraint on the columns.
func UniqueOn(cols ...string) Unique { return Unique{Columns: slices.Clone(cols)} }

// Named returns u with an explicit name.
func (u Unique) Named(name string) Unique { u.Name = name; return u }

// Equal reports whether u and v have the same name and columns.
func (u Unique) Equal(v Unique) bool { return u.Name == v.Name && slices.Equal(u.Columns, v.Columns) }

// Action is a referential action of a foreign key. The empty Action means
// "not specified" (the database's default, NO ACTION).
type Action string

// The referential actions, spelled as SQL.
const (
	NoAction   Action = "NO ACTION"
	Restrict   Action = "RESTRICT"
	Cascade    Action = "CASCADE"
	SetNull    Action = "SET NULL"
	SetDefault Action = "SET DEFAULT"
)

// ForeignKey is a foreign key from Columns of the table it belongs to,
// to RefColumns of RefTable. Name "" means "from the naming convention".
// Its columns stay NOT NULL unless they are declared Nullable.
type ForeignKey struct {
	Name       string
	Columns    []string
	RefSchema  string
	RefTable   string
	RefColumns []string
	OnDelete   Action
	OnUpdate   Action
	// Deferral says when the key is checked: at each statement (""), or
	// deferrable, at first per statement or at the commit (PostgreSQL
	// and SQLite; MySQL checks at each statement).
	Deferral Deferral
	// NotValid is set by the PostgreSQL Inspector on a key added NOT
	// VALID and not validated since: the rows that existed then were
	// never checked. See Check.NotValid for what Equal and autogenerate
	// make of it.
	NotValid bool
}

// Deferral is when a deferrable constraint is checked, as SQL writes it.
type Deferral string

// The deferrals of a foreign key.
const (
	NotDeferrable       Deferral = ""
	DeferrableImmediate Deferral = "DEFERRABLE INITIALLY IMMEDIATE"
	DeferrableDeferred  Deferral = "DEFERRABLE INITIALLY DEFERRED"
)

// Deferrable returns fk checked as d says.
func (fk ForeignKey) Deferrable(d Deferral) ForeignKey { fk.Deferral = d; return fk }

// FK starts a foreign key from the columns; finish it with References.
func FK(cols ...string) ForeignKey { return ForeignKey{Columns: slices.Clone(cols)} }

// References returns fk referring to the columns of table.
func (fk ForeignKey) References(table string, cols ...string) ForeignKey {
	fk.RefTable = table
	fk.RefColumns = slices.Clone(cols)
	return fk
}

// ReferencesIn returns fk referring to the columns of table in schema.
func (fk ForeignKey) ReferencesIn(schema, table string, cols ...string) ForeignKey {
	fk = fk.References(table, cols...)
	fk.RefSchema = schema
	return fk
}

// DeleteRule returns fk with the ON DELETE action a.
func (fk ForeignKey) DeleteRule(a Action) ForeignKey { fk.OnDelete = a; return fk }

// UpdateRule returns fk with the ON UPDATE action a.
func (fk ForeignKey) UpdateRule(a Action) ForeignKey { fk.OnUpdate = a; return fk }

// Named returns fk with an explicit name.
func (fk ForeignKey) Named(name string) ForeignKey { fk.Name = name; return fk }

// Equal reports whether fk and g are the same foreign key, field by
// field (an empty action and NO ACTION differ here: a Normalizer makes
// them one), NotValid aside.
func (fk ForeignKey) Equal(g ForeignKey) bool {
	return fk.Name == g.Name && slices.Equal(fk.Columns, g.Columns) && fk.RefSchema == g.RefSchema &&
		fk.RefTable == g.RefTable && slices.Equal(fk.RefColumns, g.RefColumns) &&
		fk.OnDelete == g.OnDelete && fk.OnUpdate == g.OnUpdate && fk.Deferral == g.Deferral
}

// RefTableName returns the referred table's qualified name.
func (fk ForeignKey) RefTableName() TableName {
	return TableName{Schema: fk.RefSchema, Name: fk.RefTable}
}

// Check is a check constraint. A check needs a name: either an explicit
// Name, or a short Label from which the naming convention derives one
// (ck_<table>_<label> by default). Expr is SQL text.
type Check struct {
	Name  string
	Label string
	Expr  string
	// NotValid is set by the PostgreSQL Inspector on a check added NOT
	// VALID and not validated since: new and updated rows are checked,
	// the rows that existed then were not. It is a reflected fact, for
	// the readers of the schema before a change (retort lint: such a
	// CHECK (c IS NOT NULL) does not prove c NOT NULL). Equal ignores
	// it and no renderer writes it: a constraint not yet validated is
	// the same constraint to autogenerate, which neither re-creates nor
	// validates it (VALIDATE CONSTRAINT is written by hand).
	NotValid bool
}

// CheckExpr returns a check constraint named from label.
func CheckExpr(label, expr string) Check { return Check{Label: label, Expr: expr} }

// Named returns c with an explicit name.
func (c Check) Named(name string) Check { c.Name = name; return c }

// Equal reports whether c and d have the same name, label and expression
// text (NotValid aside).
func (c Check) Equal(d Check) bool { return c.Name == d.Name && c.Label == d.Label && c.Expr == d.Expr }

// IndexPart is one element of an index: a column, or an expression
// (SQL text) when Expr is set. Desc orders it descending.
type IndexPart struct {
	Column string
	Expr   string
	Desc   bool
}

// String returns the column name, or the expression in parentheses.
func (p IndexPart) String() string {
	s := p.Column
	if p.Expr != "" {
		s = "(" + p.Expr + ")"
	}
	if p.Desc {
		s += " DESC"
	}
	return s
}

// Index is an index: unique or not, on columns and expressions,
// partial when Where (SQL text) is set. Name "" means "from the naming
// convention".
type Index struct {
	Name   string
	Unique bool
	Parts  []IndexPart
	Where  string
	// Method is the index method as the database names it ("btree",
	// "gin", "hash" on PostgreSQL; "FULLTEXT", "SPATIAL" on MySQL), set
	// by an Inspector where the database reports one that is not its
	// default; "" is the dialect's default. PostgreSQL writes it as
	// USING method, MySQL as FULLTEXT or SPATIAL INDEX or USING BTREE or
	// HASH; SQLite has one kind of index and refuses another method.
	Method string
	// Include are the columns an index carries without ordering by them
	// (a covering index: PostgreSQL's INCLUDE); other dialects refuse
	// them.
	Include []string
}

// Including returns idx carrying the columns (Index.Include).
func (idx Index) Including(cols ...string) Index { idx.Include = slices.Clone(cols); return idx }

// Using returns idx with the index method m ("gin", "FULLTEXT"; see
// Index.Method).
func (idx Index) Using(m string) Index { idx.Method = m; return idx }

// IndexOn returns an index on the columns.
func IndexOn(cols ...string) Index {
	parts := make([]IndexPart, len(cols))
	for i, c := range cols {
		parts[i] = IndexPart{Column: c}
	}
	return Index{Parts: parts}
}

// IndexExpr returns an index on one expression, such as "lower(email)".
func IndexExpr(expr string) Index { return Index{Parts: []IndexPart{{Expr: expr}}} }

// Named returns idx with an explicit name.
func (idx Index) Named(name string) Index { idx.Name = name; return idx }

// Equal reports whether idx and j are the same index: name, uniqueness,
// parts in order, predicate and method, as text.
func (idx Index) Equal(j Index) bool {
	return idx.Name == j.Name && idx.Unique == j.Unique && slices.Equal(idx.Parts, j.Parts) &&
		idx.Where == j.Where && idx.Method == j.Method && slices.Equal(idx.Include, j.Include)
}

// AsUnique returns idx as a unique index.
func (idx Index) AsUnique() Index { idx.Unique = true; return idx }

// Partial returns idx as a partial index over the rows where pred holds.
func (idx Index) Partial(pred string) Index { idx.Where = pred; return idx }

// Also returns idx with more parts appended.
func (idx Index) Also(parts ...IndexPart) Index {
	idx.Parts = append(slices.Clone(idx.Parts), parts...)
	return idx
}

// Columns returns the column names of the index's column parts.
func (idx Index) Columns() []string {
	var cols []string
	for _, p := range idx.Parts {
		if p.Expr == "" {
			cols = append(cols, p.Column)
		}
	}
	return cols
}

// String describes the index for logs: "unique (email) where …".
func (idx Index) String() string {
	parts := make([]string, len(idx.Parts))
	for i, p := range idx.Parts {
		parts[i] = p.String()
	}
	s := "(" + strings.Join(parts, ", ") + ")"
	if idx.Unique {
		s = "unique " + s
	}
	if idx.Where != "" {
		s += " where " + idx.Where
	}
	if idx.Method != "" {
		s += " using " + idx.Method
	}
	return s
}
