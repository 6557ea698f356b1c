package schema

import (
	"errors"
	"slices"
	"strings"
)

// TableName names a table, in a schema (namespace) when Schema is set.
type TableName struct {
	Schema string
	Name   string
}

// String returns "schema.name" or "name". It is for logs, not SQL.
func (n TableName) String() string {
	if n.Schema != "" {
		return n.Schema + "." + n.Name
	}
	return n.Name
}

// Table describes a table: columns, keys, constraints, indexes and a
// comment. Build it with NewTable and the chaining methods:
//
//	schema.NewTable("account",
//		schema.Col("id", schema.BigInteger()).Identity(),
//		schema.Col("org_id", schema.BigInteger()),
//		schema.Col("email", schema.String(255)).Nullable(),
//	).PrimaryKey("id").
//		Unique("email").
//		ForeignKey(schema.FK("org_id").References("org", "id").DeleteRule(schema.Cascade)).
//		Index(schema.IndexOn("org_id"))
//
// Like every builder of the package, each chaining method returns a new
// table and leaves its receiver as it was, so that a base definition can
// be extended in two places without one seeing the other's changes.
//
// Constraint and index names may be left empty: Naming fills them
// (see Naming.Apply). Call Validate before use.
type Table struct {
	Schema      string
	Name        string
	Columns     []Column
	PK          *PrimaryKey // nil when the table has no primary key
	Uniques     []Unique
	ForeignKeys []ForeignKey
	Checks      []Check
	Indexes     []Index
	Comment     string
	// Ext holds table attributes of one dialect, set by an Inspector;
	// the zero TableExt means none.
	Ext TableExt
	// Partitioning is set by the PostgreSQL Inspector on a partitioned
	// table (nil for a plain one). It is a reflected fact for the
	// readers of the schema before a change (retort lint): Equal does
	// not compare it, and autogenerate neither compares nor renders
	// partitioning, so a declared table and the partitioned table that
	// reflects it are the same table to it.
	Partitioning *Partitioning
}

// Partitioning describes a partitioned table as the database reports it.
type Partitioning struct {
	// Key is the partition key as the server deparses it after
	// PARTITION BY: "RANGE (created_at)", "LIST (region)".
	Key string
	// Partitions are the names of the table's partitions (its direct
	// ones, in name order). A partition is not a table of the schema
	// itself: reflection reads the partitioned table only.
	Partitions []string
}

// IsPartition reports whether name is one of p's partitions; a nil p
// has none.
func (p *Partitioning) IsPartition(name string) bool {
	return p != nil && slices.Contains(p.Partitions, name)
}

// TableExt holds dialect attributes of a table, typed and comparable for
// the reasons given at TypeExt. Renderers do not write them yet; the
// SQLite batch refuses to move and copy a table that has one, since the
// copy would lose it.
type TableExt struct {
	// AutoIncrement is SQLite's AUTOINCREMENT on the INTEGER PRIMARY KEY
	// column: rowids are never reused (kept in sqlite_sequence).
	AutoIncrement bool
	// WithoutRowID and Strict are SQLite's table options.
	WithoutRowID bool
	Strict       bool
	// Engine, Charset and Collation are a MySQL table's options when they
	// are not the database's defaults.
	Engine    string
	Charset   string
	Collation string
}

// IsZero reports whether e holds no attribute.
func (e TableExt) IsZero() bool { return e == TableExt{} }

// NewTable returns a table with the given columns, in order.
func NewTable(name string, cols ...Column) *Table {
	return &Table{Name: name, Columns: slices.Clone(cols)}
}

// TableName returns the table's qualified name.
func (t *Table) TableName() TableName { return TableName{Schema: t.Schema, Name: t.Name} }

// InSchema returns t in the schema (namespace) s.
func (t *Table) InSchema(s string) *Table { c := t.Clone(); c.Schema = s; return c }

// AddColumns returns t with the columns appended.
func (t *Table) AddColumns(cols ...Column) *Table {
	c := t.Clone()
	c.Columns = append(c.Columns, cols...)
	return c
}

// PrimaryKey returns t with its primary key on the columns, named by the
// naming convention. Use SetPrimaryKey for an explicit name.
func (t *Table) PrimaryKey(cols ...string) *Table {
	return t.SetPrimaryKey(PrimaryKeyOn(cols...))
}

// SetPrimaryKey returns t with the primary key pk.
func (t *Table) SetPrimaryKey(pk PrimaryKey) *Table {
	c := t.Clone()
	pk.Columns = slices.Clone(pk.Columns)
	c.PK = &pk
	return c
}

// Unique returns t with a unique constraint on the columns, named by the
// naming convention. Use AddUnique for an explicit name.
func (t *Table) Unique(cols ...string) *Table { return t.AddUnique(UniqueOn(cols...)) }

// AddUnique returns t with the unique constraint u added.
func (t *Table) AddUnique(u Unique) *Table {
	c := t.Clone()
	u.Columns = slices.Clone(u.Columns)
	c.Uniques = append(c.Uniques, u)
	return c
}

// ForeignKey returns t with the foreign key fk added.
func (t *Table) ForeignKey(fk ForeignKey) *Table {
	c := t.Clone()
	fk.Columns, fk.RefColumns = slices.Clone(fk.Columns), slices.Clone(fk.RefColumns)
	c.ForeignKeys = append(c.ForeignKeys, fk)
	return c
}

// Check returns t with a check constraint named from the short label by
// the naming convention (ck_<table>_<label> by default).
func (t *Table) Check(label, expr string) *Table { return t.AddCheck(CheckExpr(label, expr)) }

// AddCheck returns t with the check constraint ck added.
func (t *Table) AddCheck(ck Check) *Table {
	c := t.Clone()
	c.Checks = append(c.Checks, ck)
	return c
}

// Index returns t with the index idx added.
func (t *Table) Index(idx Index) *Table {
	c := t.Clone()
	idx.Parts, idx.Include = slices.Clone(idx.Parts), slices.Clone(idx.Include)
	c.Indexes = append(c.Indexes, idx)
	return c
}

// WithComment returns t with the table comment s.
func (t *Table) WithComment(s string) *Table { c := t.Clone(); c.Comment = s; return c }

// Column returns the column named name.
func (t *Table) Column(name string) (Column, bool) {
	i := t.ColumnIndex(name)
	if i < 0 {
		return Column{}, false
	}
	return t.Columns[i], true
}

// ColumnIndex returns the position of the column named name, or -1.
func (t *Table) ColumnIndex(name string) int {
	return slices.IndexFunc(t.Columns, func(c Column) bool { return c.Name == name })
}

// ColumnNames returns the column names in order.
func (t *Table) ColumnNames() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// Clone returns a deep copy of t (type maps and enum values are shared:
// they are never modified).
func (t *Table) Clone() *Table {
	if t == nil {
		return nil
	}
	c := *t
	c.Columns = slices.Clone(t.Columns)
	for i, col := range c.Columns {
		if col.Generated != nil {
			g := *col.Generated
			c.Columns[i].Generated = &g
		}
	}
	if t.PK != nil {
		pk := *t.PK
		pk.Columns = slices.Clone(pk.Columns)
		c.PK = &pk
	}
	c.Uniques = slices.Clone(t.Uniques)
	for i := range c.Uniques {
		c.Uniques[i].Columns = slices.Clone(c.Uniques[i].Columns)
	}
	c.ForeignKeys = slices.Clone(t.ForeignKeys)
	for i := range c.ForeignKeys {
		c.ForeignKeys[i].Columns = slices.Clone(c.ForeignKeys[i].Columns)
		c.ForeignKeys[i].RefColumns = slices.Clone(c.ForeignKeys[i].RefColumns)
	}
	c.Checks = slices.Clone(t.Checks)
	c.Indexes = slices.Clone(t.Indexes)
	for i := range c.Indexes {
		c.Indexes[i].Parts = slices.Clone(c.Indexes[i].Parts)
		c.Indexes[i].Include = slices.Clone(c.Indexes[i].Include)
	}
	if t.Partitioning != nil {
		p := *t.Partitioning
		p.Partitions = slices.Clone(p.Partitions)
		c.Partitioning = &p
	}
	return &c
}

// Equal reports whether t and u describe the same table, field by field
// and in order: columns (Column.Equal), keys, constraints and indexes,
// comment and Ext; not Partitioning (see Table.Partitioning). Like the other Equal methods it knows no dialect;
// autogenerate compares a reflected table with a declared one after
// normalising both (dialect.Normalizer), which also puts constraints and
// indexes in one order.
func (t *Table) Equal(u *Table) bool {
	if t == nil || u == nil {
		return t == u
	}
	pkEq := t.PK == nil && u.PK == nil || t.PK != nil && u.PK != nil && t.PK.Equal(*u.PK)
	return t.Schema == u.Schema && t.Name == u.Name && t.Comment == u.Comment && t.Ext == u.Ext && pkEq &&
		slices.EqualFunc(t.Columns, u.Columns, Column.Equal) &&
		slices.EqualFunc(t.Uniques, u.Uniques, Unique.Equal) &&
		slices.EqualFunc(t.ForeignKeys, u.ForeignKeys, ForeignKey.Equal) &&
		slices.EqualFunc(t.Checks, u.Checks, Check.Equal) &&
		slices.EqualFunc(t.Indexes, u.Indexes, Index.Equal)
}

// String describes the table for logs: "account(id, email)".
func (t *Table) String() string {
	return t.TableName().String() + "(" + strings.Join(t.ColumnNames(), ", ") + ")"
}

// Schema is a namespace's worth of tables and enum types: what reflection
// returns and what target metadata declares.
type Schema struct {
	Name   string // "" for the connection's default schema
	Tables []*Table
	Enums  []EnumType
}

// Equal reports whether s and o have the same name, the same tables
// (Table.Equal) and the same enum types, in the same order.
func (s *Schema) Equal(o *Schema) bool {
	if s == nil || o == nil {
		return s == o
	}
	return s.Name == o.Name && slices.EqualFunc(s.Tables, o.Tables, (*Table).Equal) &&
		slices.EqualFunc(s.Enums, o.Enums, EnumType.Equal)
}

// Table returns the table named name.
func (s *Schema) Table(name string) (*Table, bool) {
	for _, t := range s.Tables {
		if t.Name == name {
			return t, true
		}
	}
	return nil, false
}

// Validate validates every table (Table.Validate) and returns the
// errors joined.
func (s *Schema) Validate() error {
	var errs []error
	seen := map[string]bool{}
	for _, t := range s.Tables {
		if seen[t.TableName().String()] {
			errs = append(errs, &ValidationError{Table: t.TableName().String(), Msg: "duplicate table"})
		}
		seen[t.TableName().String()] = true
		if err := t.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RenameColumnRefs renames column from to to where t's primary key,
// unique constraints, foreign keys and column index parts name it, in
// place: t is the caller's own copy (a Clone) being edited step by step,
// as a batch of operations or a model replaying them does. SQL text
// (checks, index expressions, predicates) is left as it is, and so is
// the column itself.
func RenameColumnRefs(t *Table, from, to string) {
	ren := func(cols []string) {
		for i, c := range cols {
			if c == from {
				cols[i] = to
			}
		}
	}
	if t.PK != nil {
		ren(t.PK.Columns)
	}
	for i := range t.Uniques {
		ren(t.Uniques[i].Columns)
	}
	for i := range t.ForeignKeys {
		ren(t.ForeignKeys[i].Columns)
	}
	for i := range t.Indexes {
		for j := range t.Indexes[i].Parts {
			if t.Indexes[i].Parts[j].Column == from {
				t.Indexes[i].Parts[j].Column = to
			}
		}
		ren(t.Indexes[i].Include)
	}
}
