package diff

import (
	"fmt"
	"strings"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// Result is what Compare found: the operations of the upgrade and of the
// downgrade, each in an order that runs, and the notes a revision should
// carry as comments and the CLI print as warnings.
type Result struct {
	// Upgrade turns the "from" schema into the "to" schema.
	Upgrade []op.Op
	// Downgrade turns the "to" schema back into the "from" schema, as
	// far as operations can (see NoteIrreversible).
	Downgrade []op.Op
	// Notes are sorted as they were found: the upgrade's first.
	Notes []Note
}

// Empty reports whether Compare wrote no operation. The schemas may
// still differ in what no operation expresses: see NoteNotGenerated
// among Notes.
func (r *Result) Empty() bool { return len(r.Upgrade) == 0 && len(r.Downgrade) == 0 }

// NoteKind says what a Note is about.
type NoteKind int

// The kinds of notes.
const (
	// NoteRename: a column (or table) is dropped and another of the same
	// definition added. Compare never guesses a rename: the operations
	// drop and add, and the note suggests AlterColumn{NewName} (or
	// RenameTable) if a rename was meant, which keeps the data.
	NoteRename NoteKind = iota + 1
	// NoteNotNullWithoutDefault: a NOT NULL column without default (and
	// not an identity) is added to a table that exists: the operation
	// fails on a table that has rows.
	NoteNotNullWithoutDefault
	// NoteIrreversible: the downgrade cannot undo a change of the
	// upgrade (PostgreSQL cannot remove an enum value); the downgrade
	// leaves it, and the note says how to undo it by hand.
	NoteIrreversible
	// NoteNotGenerated: a difference that no operation expresses (an
	// identity added to or removed from an existing column, a table's
	// dialect options): no operation is written for it, and Compare
	// finds it again until it is dealt with by hand.
	NoteNotGenerated
)

// String returns the kind as a short label ("possible rename").
func (k NoteKind) String() string {
	switch k {
	case NoteRename:
		return "possible rename"
	case NoteNotNullWithoutDefault:
		return "not null without default"
	case NoteIrreversible:
		return "irreversible"
	case NoteNotGenerated:
		return "not generated"
	}
	return fmt.Sprintf("NoteKind(%d)", int(k))
}

// Note is a warning about the operations Compare wrote.
type Note struct {
	Kind NoteKind
	// Downgrade is true for a note about the downgrade's operations.
	Downgrade bool
	// Table is the table concerned (zero for an enum type).
	Table schema.TableName
	// Msg says what and what to do, in one sentence or two.
	Msg string
}

// String returns "upgrade: <msg>" or "downgrade: <msg>".
func (n Note) String() string {
	if n.Downgrade {
		return "downgrade: " + n.Msg
	}
	return "upgrade: " + n.Msg
}

// EnumChangeError is returned by Compare when values of an enum type
// would be removed or reordered, which PostgreSQL cannot do with ALTER
// TYPE: the revision must be written by hand, and the message says how.
type EnumChangeError struct {
	// Enum is the type as it is (the "from" side).
	Enum schema.EnumType
	// Want are the values it should have, in order.
	Want []string
	// Removed are the values of Enum that Want does not have; empty
	// when values are only reordered.
	Removed []string
	// Columns are the columns of the "from" side that use the type.
	Columns []string
}

func (e *EnumChangeError) Error() string {
	name := e.Enum.String()
	old := e.Enum.Name + "_old" // unqualified: RENAME TO keeps the schema
	what := "reordered"
	if len(e.Removed) > 0 {
		what = "removed (" + strings.Join(e.Removed, ", ") + ")"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "enum %s: values %s, from (%s) to (%s); PostgreSQL can only add enum values, so write this revision by hand:\n",
		name, what, strings.Join(e.Enum.Values, ", "), strings.Join(e.Want, ", "))
	if len(e.Removed) > 0 {
		b.WriteString("  first update the rows that hold a removed value;\n")
	}
	fmt.Fprintf(&b, "  ALTER TYPE %s RENAME TO %s;\n", name, old)
	quoted := make([]string, len(e.Want))
	for i, v := range e.Want {
		quoted[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	fmt.Fprintf(&b, "  CREATE TYPE %s AS ENUM (%s);\n", name, strings.Join(quoted, ", "))
	cols := e.Columns
	if len(cols) == 0 {
		cols = []string{"<table>.<column>"}
	}
	for _, c := range cols {
		t, col := c, c
		if i := strings.LastIndexByte(c, '.'); i >= 0 {
			t, col = c[:i], c[i+1:]
		}
		fmt.Fprintf(&b, "  ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s::text::%s;\n", t, col, name, col, name)
	}
	if e.Enum.Schema != "" {
		old = e.Enum.Schema + "." + old
	}
	fmt.Fprintf(&b, "  DROP TYPE %s", old)
	return b.String()
}
