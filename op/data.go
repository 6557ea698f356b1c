package op

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/retortdb/retort/schema"
)

// TableRef is a lightweight table reference for data migrations: just the
// columns a migration reads or writes, declared in the migration itself
// so that it never imports the application's models (Alembic's
// sa.table()). It describes no DDL.
type TableRef struct {
	Schema  string
	Name    string
	Columns []schema.Column
}

// Table declares a table reference with the columns a data migration
// needs: op.Table("account", op.Column("name", schema.String(50))).
func Table(name string, cols ...schema.Column) TableRef {
	return TableRef{Name: name, Columns: slices.Clone(cols)}
}

// Column declares a column of a TableRef. Its type tells an offline
// renderer how to write literals; nullability does not matter here.
func Column(name string, t schema.Type) schema.Column { return schema.Col(name, t) }

// InSchema returns t in the schema s.
func (t TableRef) InSchema(s string) TableRef { t.Schema = s; return t }

// TableName returns the qualified name.
func (t TableRef) TableName() TableName { return TableName{Schema: t.Schema, Name: t.Name} }

// ColumnNames returns the declared column names in order.
func (t TableRef) ColumnNames() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// Column returns the declared column named name.
func (t TableRef) Column(name string) (schema.Column, bool) {
	i := slices.IndexFunc(t.Columns, func(c schema.Column) bool { return c.Name == name })
	if i < 0 {
		return schema.Column{}, false
	}
	return t.Columns[i], true
}

// BulkInsert inserts rows into the declared columns of Table, in their
// declared order. Exactly one row source is set:
//
//   - Maps: rows as maps from column name to value, held in memory;
//   - MapSeq: rows as maps, produced lazily;
//   - Values: rows as values in column order, produced lazily; the
//     fastest form, with no map per row.
//
// A map row must give a value (nil for NULL) for every declared column
// and no other key: a forgotten key is an error rather than a silent NULL.
// Renderers read rows through Rows, whatever the source. The lazy
// sources are not read before Rows is ranged over, and may be single-use:
// a BulkInsert is rendered once.
type BulkInsert struct {
	Table  TableRef
	Maps   []map[string]any
	MapSeq iter.Seq[map[string]any]
	Values iter.Seq[[]any]
}

// Columns returns the column names in the order Rows yields values.
func (b BulkInsert) Columns() []string { return b.Table.ColumnNames() }

// RowError reports a row BulkInsert cannot insert. Row counts from 1.
type RowError struct {
	Table string
	Row   int
	Err   error
}

func (e *RowError) Error() string {
	return fmt.Sprintf("bulk insert into %s: row %d: %v", e.Table, e.Row, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// ErrBadRow is wrapped by every RowError's Err.
var ErrBadRow = errors.New("bad row")

// Rows yields the rows as values in Columns order. The slice is reused
// from one row to the next when the source is maps (copy it to keep it);
// a Values row is passed through as given. On a bad row (a missing or
// unknown key, a wrong number of values) or more than one source, Rows
// yields (nil, err) with a *RowError and stops.
func (b BulkInsert) Rows() iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		name := b.Table.TableName().String()
		n := 0
		if b.Maps != nil {
			n++
		}
		if b.MapSeq != nil {
			n++
		}
		if b.Values != nil {
			n++
		}
		if n > 1 {
			yield(nil, &RowError{Table: name, Err: fmt.Errorf("%w: more than one row source set", ErrBadRow)})
			return
		}
		cols := b.Columns()
		width := len(cols)
		switch {
		case b.Values != nil:
			i := 0
			for row := range b.Values {
				i++
				if len(row) != width {
					yield(nil, &RowError{Table: name, Row: i, Err: fmt.Errorf("%w: %d values for %d columns (%s)", ErrBadRow, len(row), width, strings.Join(cols, ", "))})
					return
				}
				if !yield(row, nil) {
					return
				}
			}
		case b.Maps != nil:
			buf := make([]any, width)
			for i, m := range b.Maps {
				if err := fill(buf, cols, m); err != nil {
					yield(nil, &RowError{Table: name, Row: i + 1, Err: err})
					return
				}
				if !yield(buf, nil) {
					return
				}
			}
		case b.MapSeq != nil:
			buf := make([]any, width)
			i := 0
			for m := range b.MapSeq {
				i++
				if err := fill(buf, cols, m); err != nil {
					yield(nil, &RowError{Table: name, Row: i, Err: err})
					return
				}
				if !yield(buf, nil) {
					return
				}
			}
		}
	}
}

func fill(buf []any, cols []string, m map[string]any) error {
	for i, c := range cols {
		v, ok := m[c]
		if !ok {
			return fmt.Errorf("%w: no value for column %q (give nil for NULL)", ErrBadRow, c)
		}
		buf[i] = v
	}
	if len(m) != len(cols) {
		for k := range m {
			if !slices.Contains(cols, k) {
				return fmt.Errorf("%w: unknown column %q (declare it in op.Table)", ErrBadRow, k)
			}
		}
	}
	return nil
}

func (o BulkInsert) String() string {
	if o.Maps != nil {
		return fmt.Sprintf("bulk insert %d rows into %s", len(o.Maps), o.Table.TableName())
	}
	return "bulk insert into " + o.Table.TableName().String()
}

// DB is what a Run function gets to query and modify the database: the
// migration's transaction (or connection, outside a transaction). *sql.DB,
// *sql.Conn and *sql.Tx implement it.
type DB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

var (
	_ DB = (*sql.DB)(nil)
	_ DB = (*sql.Conn)(nil)
	_ DB = (*sql.Tx)(nil)
)

// Run is a step written in Go that must read data online. Offline
// rendering refuses it with an error naming the revision. Name, optional,
// describes it in logs.
type Run struct {
	Func func(ctx context.Context, db DB) error
	Name string
}

func (o Run) String() string {
	if o.Name != "" {
		return "run " + o.Name
	}
	return "run Go function"
}
