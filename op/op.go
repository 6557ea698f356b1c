package op

import (
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/schema"
)

// Op is one operation. The set is closed: the structs of this package are
// all the operations there are, so a renderer can switch on them
// exhaustively and return an error wrapping its ErrUnsupported for the
// rest. String describes the operation in one short line, for logs and
// for the comment above its statements in --sql output.
type Op interface {
	String() string
	isOp()
}

// TableName is the qualified name of a table: schema.TableName.
type TableName = schema.TableName

// CreateTable creates a table with its columns, keys, constraints,
// indexes and comments. Names left empty come from the naming convention.
type CreateTable struct {
	Table *schema.Table
}

// DropTable drops a table. Def is its full definition when known, which
// makes the drop reversible; nil otherwise.
type DropTable struct {
	Table TableName
	Def   *schema.Table
}

// RenameTable renames a table within its schema.
type RenameTable struct {
	Table   TableName
	NewName string
}

// AddColumn adds a column.
type AddColumn struct {
	Table  TableName
	Column schema.Column
}

// DropColumn drops a column. Def is the dropped column's definition when
// known, which makes the drop reversible; nil otherwise.
type DropColumn struct {
	Table  TableName
	Column string
	Def    *schema.Column
}

// AlterColumn changes one column. Each change is optional: a nil pointer
// or empty NewName leaves that attribute alone.
//
// Existing is the column as it is before the change, when known. Reverse
// needs it for each attribute that changes, and MySQL's MODIFY COLUMN
// needs it to restate the attributes that do not change (online, a
// renderer may reflect it instead; offline without it MySQL rendering
// fails with a message saying to add it).
type AlterColumn struct {
	Table   TableName
	Column  string
	Type    *schema.Type
	Null    *bool
	Default *schema.Default // a pointer to the zero Default drops the default
	NewName string
	Comment *string // a pointer to "" drops the comment

	Existing *schema.Column
}

// After returns the column as it is after the change, computed from
// Existing; ok is false when Existing is nil.
func (a AlterColumn) After() (c schema.Column, ok bool) {
	if a.Existing == nil {
		return schema.Column{}, false
	}
	c = *a.Existing
	if a.Type != nil {
		c.Type = *a.Type
	}
	if a.Null != nil {
		c.Null = *a.Null
	}
	if a.Default != nil {
		c.Def = *a.Default
	}
	if a.NewName != "" {
		c.Name = a.NewName
	}
	if a.Comment != nil {
		c.Comment = *a.Comment
	}
	return c, true
}

// CreateIndex creates an index. Concurrently asks PostgreSQL for CREATE
// INDEX CONCURRENTLY, which must run outside a transaction; other
// dialects ignore it.
type CreateIndex struct {
	Table        TableName
	Index        schema.Index
	Concurrently bool
}

// DropIndex drops an index. Index carries at least the name, or the parts
// from which the naming convention derives it; with its parts the drop is
// reversible.
type DropIndex struct {
	Table        TableName
	Index        schema.Index
	Concurrently bool
}

// CreatePrimaryKey adds a primary key.
type CreatePrimaryKey struct {
	Table      TableName
	PrimaryKey schema.PrimaryKey
}

// DropPrimaryKey drops a primary key (named explicitly or by convention).
type DropPrimaryKey struct {
	Table      TableName
	PrimaryKey schema.PrimaryKey
}

// CreateUnique adds a unique constraint.
type CreateUnique struct {
	Table  TableName
	Unique schema.Unique
}

// DropUnique drops a unique constraint.
type DropUnique struct {
	Table  TableName
	Unique schema.Unique
}

// CreateForeignKey adds a foreign key.
type CreateForeignKey struct {
	Table      TableName
	ForeignKey schema.ForeignKey
}

// DropForeignKey drops a foreign key.
type DropForeignKey struct {
	Table      TableName
	ForeignKey schema.ForeignKey
}

// CreateCheck adds a check constraint.
type CreateCheck struct {
	Table TableName
	Check schema.Check
}

// DropCheck drops a check constraint.
type DropCheck struct {
	Table TableName
	Check schema.Check
}

// SetTableComment sets a table's comment; "" removes it. Existing is the
// comment before, when known (nil: unknown), which makes it reversible.
type SetTableComment struct {
	Table    TableName
	Comment  string
	Existing *string
}

// SetColumnComment sets a column's comment; "" removes it. Existing is
// the comment before, when known (nil: unknown).
type SetColumnComment struct {
	Table    TableName
	Column   string
	Comment  string
	Existing *string
}

// CreateEnum creates a PostgreSQL enum type. Other dialects render
// nothing for it (their enums live in the column type).
type CreateEnum struct {
	Enum schema.EnumType
}

// DropEnum drops a PostgreSQL enum type. With its values known the drop
// is reversible.
type DropEnum struct {
	Enum schema.EnumType
}

// AddEnumValue adds a value to a PostgreSQL enum type, before or after an
// existing value when one of them is set, else last. PostgreSQL cannot
// use the new value in the transaction that added it; it cannot remove
// a value either, so this operation is irreversible.
type AddEnumValue struct {
	Enum   schema.EnumType // Schema and Name; Values is ignored
	Value  string
	Before string
	After  string
}

// Execute runs SQL text. Args are bound parameters online and rendered
// as literals offline. Placeholders are "?" on every dialect (on
// PostgreSQL they become $1, $2, …), or PostgreSQL's own $n, in which
// case a "?" is left alone (the jsonb operator). Without Args the text
// may hold several statements, cut as a SQL revision's section is.
// Dialects restricts it to the named dialects ("sqlite", "postgres",
// "mysql"); empty means all.
type Execute struct {
	SQL      string
	Args     []any
	Dialects []string
}

// AppliesTo reports whether e runs on the dialect.
func (e Execute) AppliesTo(dialect string) bool {
	return len(e.Dialects) == 0 || slices.Contains(e.Dialects, dialect)
}

// Batch groups operations on one table that SQLite cannot do with ALTER
// TABLE, for Alembic's "move and copy": create the new table, copy the
// rows, drop the old one, rename, recreate indexes. CopyFrom is the
// table's current definition when known (required offline on SQLite;
// online the renderer may reflect it). Other dialects render Ops one by
// one. Every op in Ops concerns Table.
type Batch struct {
	Table    TableName
	CopyFrom *schema.Table
	Ops      []Op
}

func (CreateTable) isOp()      {}
func (DropTable) isOp()        {}
func (RenameTable) isOp()      {}
func (AddColumn) isOp()        {}
func (DropColumn) isOp()       {}
func (AlterColumn) isOp()      {}
func (CreateIndex) isOp()      {}
func (DropIndex) isOp()        {}
func (CreatePrimaryKey) isOp() {}
func (DropPrimaryKey) isOp()   {}
func (CreateUnique) isOp()     {}
func (DropUnique) isOp()       {}
func (CreateForeignKey) isOp() {}
func (DropForeignKey) isOp()   {}
func (CreateCheck) isOp()      {}
func (DropCheck) isOp()        {}
func (SetTableComment) isOp()  {}
func (SetColumnComment) isOp() {}
func (CreateEnum) isOp()       {}
func (DropEnum) isOp()         {}
func (AddEnumValue) isOp()     {}
func (Execute) isOp()          {}
func (BulkInsert) isOp()       {}
func (Batch) isOp()            {}
func (Run) isOp()              {}

func (o CreateTable) String() string {
	if o.Table == nil {
		return "create table <nil>"
	}
	return "create table " + o.Table.TableName().String()
}
func (o DropTable) String() string   { return "drop table " + o.Table.String() }
func (o RenameTable) String() string { return "rename table " + o.Table.String() + " to " + o.NewName }
func (o AddColumn) String() string {
	return "add column " + o.Table.String() + "." + o.Column.Name
}
func (o DropColumn) String() string { return "drop column " + o.Table.String() + "." + o.Column }
func (o AlterColumn) String() string {
	var ch []string
	if o.Type != nil {
		ch = append(ch, "type "+o.Type.String())
	}
	if o.Null != nil {
		if *o.Null {
			ch = append(ch, "null")
		} else {
			ch = append(ch, "not null")
		}
	}
	if o.Default != nil {
		ch = append(ch, "default "+o.Default.String())
	}
	if o.NewName != "" {
		ch = append(ch, "rename to "+o.NewName)
	}
	if o.Comment != nil {
		ch = append(ch, "comment")
	}
	return "alter column " + o.Table.String() + "." + o.Column + " (" + strings.Join(ch, ", ") + ")"
}
func (o CreateIndex) String() string {
	return "create index " + indexLabel(o.Index) + " on " + o.Table.String()
}
func (o DropIndex) String() string {
	return "drop index " + indexLabel(o.Index) + " on " + o.Table.String()
}
func (o CreatePrimaryKey) String() string {
	return "create primary key on " + o.Table.String() + cols(o.PrimaryKey.Columns)
}
func (o DropPrimaryKey) String() string { return "drop primary key on " + o.Table.String() }
func (o CreateUnique) String() string {
	return "create unique constraint on " + o.Table.String() + cols(o.Unique.Columns)
}
func (o DropUnique) String() string {
	return "drop unique constraint on " + o.Table.String() + cols(o.Unique.Columns)
}
func (o CreateForeignKey) String() string {
	return "create foreign key on " + o.Table.String() + cols(o.ForeignKey.Columns) +
		" -> " + o.ForeignKey.RefTableName().String() + cols(o.ForeignKey.RefColumns)
}
func (o DropForeignKey) String() string {
	return "drop foreign key on " + o.Table.String() + cols(o.ForeignKey.Columns)
}
func (o CreateCheck) String() string {
	return "create check " + checkLabel(o.Check) + " on " + o.Table.String()
}
func (o DropCheck) String() string {
	return "drop check " + checkLabel(o.Check) + " on " + o.Table.String()
}
func (o SetTableComment) String() string {
	return "set comment on table " + o.Table.String()
}
func (o SetColumnComment) String() string {
	return "set comment on column " + o.Table.String() + "." + o.Column
}
func (o CreateEnum) String() string { return "create enum " + o.Enum.String() }
func (o DropEnum) String() string   { return "drop enum " + o.Enum.String() }
func (o AddEnumValue) String() string {
	return fmt.Sprintf("add value %q to enum %s", o.Value, o.Enum)
}
func (o Execute) String() string {
	s := "execute " + abbrev(o.SQL, 60)
	if len(o.Dialects) > 0 {
		s += " [" + strings.Join(o.Dialects, ",") + "]"
	}
	return s
}
func (o Batch) String() string {
	return fmt.Sprintf("batch on %s (%d ops)", o.Table, len(o.Ops))
}

func cols(c []string) string { return " (" + strings.Join(c, ", ") + ")" }

func indexLabel(idx schema.Index) string {
	if idx.Name != "" {
		return idx.Name
	}
	return idx.String()
}

func checkLabel(c schema.Check) string {
	switch {
	case c.Name != "":
		return c.Name
	case c.Label != "":
		return c.Label
	}
	return abbrev(c.Expr, 40)
}

// abbrev returns s on one line, cut to n characters with an ellipsis.
func abbrev(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// Ptr returns a pointer to v, for the optional fields of AlterColumn:
// op.AlterColumn{Column: "email", Null: op.Ptr(false)}.
func Ptr[T any](v T) *T { return &v }
