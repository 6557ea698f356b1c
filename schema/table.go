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
// comment. Build it with NewTable and the chaining methods, which modify
// and return the receiver:
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
}

// NewTable returns a table with the given columns, in order.
func NewTable(name string, cols ...Column) *Table {
	return &Table{Name: name, Columns: slices.Clone(cols)}
}

// TableName returns the table's qualified name.
func (t *Table) TableName() TableName { return TableName{Schema: t.Schema, Name: t.Name} }

// InSchema puts the table in the schema (namespace) s.
func (t *Table) InSchema(s string) *Table { t.Schema = s; return t }

// AddColumns appends columns.
func (t *Table) AddColumns(cols ...Column) *Table {
	t.Columns = append(t.Columns, cols...)
	return t
}

// PrimaryKey sets the primary key to the columns, named by the naming
// convention. Use SetPrimaryKey for an explicit name.
func (t *Table) PrimaryKey(cols ...string) *Table {
	return t.SetPrimaryKey(PrimaryKeyOn(cols...))
}

// SetPrimaryKey sets the primary key.
func (t *Table) SetPrimaryKey(pk PrimaryKey) *Table {
	pk.Columns = slices.Clone(pk.Columns)
	t.PK = &pk
	return t
}

// Unique adds a unique constraint on the columns, named by the naming
// convention. Use AddUnique for an explicit name.
func (t *Table) Unique(cols ...string) *Table { return t.AddUnique(UniqueOn(cols...)) }

// AddUnique adds a unique constraint.
func (t *Table) AddUnique(u Unique) *Table {
	t.Uniques = append(t.Uniques, u)
	return t
}

// ForeignKey adds a foreign key.
func (t *Table) ForeignKey(fk ForeignKey) *Table {
	t.ForeignKeys = append(t.ForeignKeys, fk)
	return t
}

// Check adds a check constraint named from the short label by the naming
// convention (ck_<table>_<label> by default).
func (t *Table) Check(label, expr string) *Table { return t.AddCheck(CheckExpr(label, expr)) }

// AddCheck adds a check constraint.
func (t *Table) AddCheck(c Check) *Table {
	t.Checks = append(t.Checks, c)
	return t
}

// Index adds an index.
func (t *Table) Index(idx Index) *Table {
	t.Indexes = append(t.Indexes, idx)
	return t
}

// WithComment sets the table comment.
func (t *Table) WithComment(s string) *Table { t.Comment = s; return t }

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
	}
	return &c
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
