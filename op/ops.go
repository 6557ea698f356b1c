package op

import (
	"context"
	"reflect"
	"runtime"
	"slices"
	"strings"

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
	ignore []Suppression // attached to each operation recorded (Ignore)
	rec    *record
}

type record struct {
	ops     []Op
	callers [][]uintptr       // per op: the program counters of the calls that recorded it
	ignores [][]Suppression   // per op: its lint suppressions (ignore.go)
	x       map[string]string // -x values (xargs.go)
}

// NewOps returns an empty recorder.
func NewOps() *Ops { return &Ops{rec: &record{}} }

// List returns the recorded operations, in order.
func (o *Ops) List() []Op { return slices.Clone(o.rec.ops) }

// Pos is a place in Go source. File is named as the Go runtime names it:
// an absolute path, or a module path when the program was built with
// -trimpath. The zero Pos is unknown.
type Pos struct {
	File string
	Line int
}

// Positions returns, for each recorded operation, the call that recorded
// it: the innermost call on the stack outside this package, which is the
// revision's own line, or its helper's when a helper function recorded
// the operation. Methods that call each other, InSchema views and Batch
// all report the user's call, never a line of this package.
func (o *Ops) Positions() []Pos {
	ps := make([]Pos, len(o.rec.ops))
	for k := range ps {
		if c := o.Callers(k); len(c) > 0 {
			ps[k] = c[0]
		}
	}
	return ps
}

// Lines returns the Line of each of Positions (0 when unknown), so that
// an error can point at it.
func (o *Ops) Lines() []int {
	ps := o.Positions()
	lines := make([]int, len(ps))
	for k, p := range ps {
		lines[k] = p.Line
	}
	return lines
}

// Callers returns the calls that led to the k-th recorded operation (k
// counts from 0, in the order of List), innermost first, leaving out the
// frames of this package: Callers(k)[0] is Positions()[k], and the next
// ones are the functions that called it (a revision calling a helper
// that records, say), up to a bounded depth. The operations recorded
// inside a Batch function are known to the Ops that function received.
func (o *Ops) Callers(k int) []Pos {
	pcs := o.rec.callers[k]
	if len(pcs) == 0 {
		return nil
	}
	self := reflect.TypeFor[Ops]().PkgPath() + "."
	var out []Pos
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		// This package's own tests record as a user does.
		mine := strings.HasPrefix(f.Function, self) && !strings.HasSuffix(f.File, "_test.go")
		if f.Function != "" && !mine {
			out = append(out, Pos{File: f.File, Line: f.Line})
		}
		if !more {
			return out
		}
	}
}

// InSchema returns a view of o whose shorthand methods name tables in
// the schema s. It records into the same list.
func (o *Ops) InSchema(s string) *Ops { return &Ops{schema: s, ignore: o.ignore, rec: o.rec} }

// Add records operations as they are.
func (o *Ops) Add(ops ...Op) { o.add(ops...) }

// maxCallers bounds the stack kept per operation: enough for the frames
// of this package and a chain of helper functions above them.
const maxCallers = 16

// add records ops with the stack that called it. The frames of this
// package are left in and skipped when read (Callers), so that no method
// needs to know how many of them lie between it and the user's call.
func (o *Ops) add(ops ...Op) {
	var buf [maxCallers]uintptr
	n := runtime.Callers(2, buf[:]) // skip runtime.Callers and add
	pcs := slices.Clone(buf[:n])
	for _, x := range ops {
		o.rec.ops = append(o.rec.ops, x)
		o.rec.callers = append(o.rec.callers, pcs)
		o.rec.ignores = append(o.rec.ignores, o.ignore)
	}
}

func (o *Ops) name(table string) TableName { return TableName{Schema: o.schema, Name: table} }

// CreateTable records creating t (in o's schema when t names none).
func (o *Ops) CreateTable(t *schema.Table) {
	t = t.Clone()
	if t.Schema == "" {
		t.Schema = o.schema
	}
	o.add(CreateTable{Table: t})
}

// DropTable records dropping a table.
func (o *Ops) DropTable(table string) { o.Add(DropTable{Table: o.name(table)}) }

// RenameTable records renaming a table.
func (o *Ops) RenameTable(table, newName string) {
	o.add(RenameTable{Table: o.name(table), NewName: newName})
}

// AddColumn records adding a column.
func (o *Ops) AddColumn(table string, c schema.Column) {
	o.add(AddColumn{Table: o.name(table), Column: c})
}

// DropColumn records dropping a column.
func (o *Ops) DropColumn(table, column string) {
	o.add(DropColumn{Table: o.name(table), Column: column})
}

// AlterColumn records changing a column; set the changes on a. Its Table
// is filled in from table.
func (o *Ops) AlterColumn(table string, a AlterColumn) {
	a.Table = o.name(table)
	o.add(a)
}

// CreateIndex records creating an index.
func (o *Ops) CreateIndex(table string, idx schema.Index) {
	o.add(CreateIndex{Table: o.name(table), Index: idx})
}

// DropIndex records dropping an index.
func (o *Ops) DropIndex(table string, idx schema.Index) {
	o.add(DropIndex{Table: o.name(table), Index: idx})
}

// Execute records running SQL text with bound arguments (placeholders in
// the dialect's syntax; see the Execute type).
func (o *Ops) Execute(sql string, args ...any) { o.Add(Execute{SQL: sql, Args: args}) }

// ExecuteOn records running SQL text only on the named dialect.
func (o *Ops) ExecuteOn(dialect, sql string, args ...any) {
	o.add(Execute{SQL: sql, Args: args, Dialects: []string{dialect}})
}

// BulkInsert records inserting rows, given as maps from column name to
// value, into the declared columns of t.
func (o *Ops) BulkInsert(t TableRef, rows []map[string]any) {
	if t.Schema == "" {
		t.Schema = o.schema
	}
	o.add(BulkInsert{Table: t, Maps: rows})
}

// Batch records operations on one table that SQLite runs as one move and
// copy; copyFrom is the table's current definition (needed offline on
// SQLite; nil to let SQLite read it online). f records the operations
// with table names relative to o.
func (o *Ops) Batch(table string, copyFrom *schema.Table, f func(b *Ops)) {
	inner := &Ops{schema: o.schema, rec: &record{}}
	f(inner)
	// The batch runs as one unit: it carries the suppressions of the
	// operations inside it.
	outer := o
	for _, ig := range inner.rec.ignores {
		for _, s := range ig {
			if !slices.Contains(outer.ignore, s) {
				outer = outer.Ignore(s.Code, s.Reason)
			}
		}
	}
	outer.add(Batch{Table: o.name(table), CopyFrom: copyFrom, Ops: inner.rec.ops})
}

// Run records a step in Go that runs online with the migration's
// transaction. Offline rendering refuses a revision that has one.
func (o *Ops) Run(name string, f func(ctx context.Context, db DB) error) {
	o.add(Run{Name: name, Func: f})
}
