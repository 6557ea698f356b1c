package op

import (
	"context"
	"runtime"
	"slices"

	"github.com/retortdb/retort/schema"
)

// Ops records the operations of one direction of a Go revision. Upgrade
// and Downgrade functions receive one and call its methods; nothing runs
// while they do, so a revision's operations can be rendered offline as
// well as executed. Recording does no I/O.
//
// Table names are plain names in the connection's default schema; use
// InSchema for another one, or Add with the operation structs for
// everything the shorthand methods do not cover.
type Ops struct {
	schema string
	rec    *record
}

type record struct {
	ops   []Op
	lines []int
	x     map[string]string // -x values (xargs.go)
}

// NewOps returns an empty recorder.
func NewOps() *Ops { return &Ops{rec: &record{}} }

// List returns the recorded operations, in order.
func (o *Ops) List() []Op { return slices.Clone(o.rec.ops) }

// Lines returns, for each recorded operation, the line of the Go source
// that recorded it (0 when unknown), so that an error can point at it.
func (o *Ops) Lines() []int { return slices.Clone(o.rec.lines) }

// InSchema returns a view of o whose shorthand methods name tables in
// the schema s. It records into the same list.
func (o *Ops) InSchema(s string) *Ops { return &Ops{schema: s, rec: o.rec} }

// Add records operations as they are.
func (o *Ops) Add(ops ...Op) { o.add(2, ops...) }

// add records ops with the line of the caller depth frames up.
func (o *Ops) add(depth int, ops ...Op) {
	line := 0
	if _, _, l, ok := runtime.Caller(depth); ok {
		line = l
	}
	for _, x := range ops {
		o.rec.ops = append(o.rec.ops, x)
		o.rec.lines = append(o.rec.lines, line)
	}
}

func (o *Ops) name(table string) TableName { return TableName{Schema: o.schema, Name: table} }

// CreateTable records creating t (in o's schema when t names none).
func (o *Ops) CreateTable(t *schema.Table) {
	t = t.Clone()
	if t.Schema == "" {
		t.Schema = o.schema
	}
	o.add(2, CreateTable{Table: t})
}

// DropTable records dropping a table.
func (o *Ops) DropTable(table string) { o.Add(DropTable{Table: o.name(table)}) }

// RenameTable records renaming a table.
func (o *Ops) RenameTable(table, newName string) {
	o.add(2, RenameTable{Table: o.name(table), NewName: newName})
}

// AddColumn records adding a column.
func (o *Ops) AddColumn(table string, c schema.Column) {
	o.add(2, AddColumn{Table: o.name(table), Column: c})
}

// DropColumn records dropping a column.
func (o *Ops) DropColumn(table, column string) {
	o.add(2, DropColumn{Table: o.name(table), Column: column})
}

// AlterColumn records changing a column; set the changes on a. Its Table
// is filled in from table.
func (o *Ops) AlterColumn(table string, a AlterColumn) {
	a.Table = o.name(table)
	o.add(2, a)
}

// CreateIndex records creating an index.
func (o *Ops) CreateIndex(table string, idx schema.Index) {
	o.add(2, CreateIndex{Table: o.name(table), Index: idx})
}

// DropIndex records dropping an index.
func (o *Ops) DropIndex(table string, idx schema.Index) {
	o.add(2, DropIndex{Table: o.name(table), Index: idx})
}

// Execute records running SQL text with bound arguments (placeholders in
// the dialect's syntax; see the Execute type).
func (o *Ops) Execute(sql string, args ...any) { o.Add(Execute{SQL: sql, Args: args}) }

// ExecuteOn records running SQL text only on the named dialect.
func (o *Ops) ExecuteOn(dialect, sql string, args ...any) {
	o.add(2, Execute{SQL: sql, Args: args, Dialects: []string{dialect}})
}

// BulkInsert records inserting rows, given as maps from column name to
// value, into the declared columns of t.
func (o *Ops) BulkInsert(t TableRef, rows []map[string]any) {
	if t.Schema == "" {
		t.Schema = o.schema
	}
	o.add(2, BulkInsert{Table: t, Maps: rows})
}

// Batch records operations on one table that SQLite runs as one move and
// copy; copyFrom is the table's current definition (needed offline on
// SQLite; nil to let SQLite read it online). f records the operations
// with table names relative to o.
func (o *Ops) Batch(table string, copyFrom *schema.Table, f func(b *Ops)) {
	inner := &Ops{schema: o.schema, rec: &record{}}
	f(inner)
	o.add(2, Batch{Table: o.name(table), CopyFrom: copyFrom, Ops: inner.rec.ops})
}

// Run records a step in Go that runs online with the migration's
// transaction. Offline rendering refuses a revision that has one.
func (o *Ops) Run(name string, f func(ctx context.Context, db DB) error) {
	o.add(2, Run{Name: name, Func: f})
}
