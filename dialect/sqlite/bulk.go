package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
)

var _ dialect.BulkLoader = (*Dialect)(nil)

// BulkRowsPerStatement is how many rows one execution of BulkInsert's
// prepared statement inserts (fewer when the columns would pass
// maxVariables). With modernc.org/sqlite, 64, 100 and 200 rows measured
// within noise of each other (about 650k to 690k rows/s of 4 columns,
// see bench_test.go); 100 keeps the statement text small.
const BulkRowsPerStatement = 100

// maxVariables is SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32.
const maxVariables = 32766

// BulkInsert implements dialect.BulkLoader: one prepared multi-row
// INSERT, executed for every BulkRowsPerStatement rows on conn in the
// transaction open there, and a last statement for the rest.
func (d *Dialect) BulkInsert(ctx context.Context, conn *sql.Conn, b op.BulkInsert) (int64, error) {
	cols := b.Columns()
	if len(cols) == 0 {
		return 0, fmt.Errorf("bulk insert into %s: no columns declared", b.Table.TableName())
	}
	per := max(1, min(BulkRowsPerStatement, maxVariables/len(cols)))
	var head strings.Builder
	head.WriteString("INSERT INTO ")
	head.WriteString(d.QuoteTable(dialect.Table{Schema: b.Table.Schema, Name: b.Table.Name}))
	head.WriteString(" (")
	for i, c := range cols {
		if i > 0 {
			head.WriteString(", ")
		}
		head.WriteString(d.QuoteIdent(c))
	}
	head.WriteString(") VALUES ")
	tuple := "(?" + strings.Repeat(", ?", len(cols)-1) + ")"
	text := func(rows int) string {
		return head.String() + tuple + strings.Repeat(", "+tuple, rows-1)
	}
	var stmt *sql.Stmt
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	args := make([]any, 0, per*len(cols))
	var total int64
	exec := func(rows int) error {
		var err error
		if rows == per {
			if stmt == nil {
				if stmt, err = conn.PrepareContext(ctx, text(per)); err != nil {
					return fmt.Errorf("bulk insert into %s: prepare: %w", b.Table.TableName(), err)
				}
			}
			_, err = stmt.ExecContext(ctx, args...)
		} else {
			_, err = conn.ExecContext(ctx, text(rows), args...)
		}
		if err != nil {
			return fmt.Errorf("bulk insert into %s (rows %d to %d): %w", b.Table.TableName(), total+1, total+int64(rows), err)
		}
		total += int64(rows)
		args = args[:0]
		return nil
	}
	rows := 0
	for row, err := range b.Rows() {
		if err != nil {
			return total, err
		}
		first := len(args)
		args = append(args, row...)
		for i, v := range args[first:] {
			bad := func(err error) error {
				return &op.RowError{Table: b.Table.TableName().String(), Row: int(total) + rows + 1,
					Err: fmt.Errorf("%w: column %s: %v", op.ErrBadRow, cols[i], err)}
			}
			switch x := v.(type) {
			case string:
				if strings.IndexByte(x, 0) >= 0 {
					return total, bad(fmt.Errorf("a NUL byte in text (an offline script could not write it, so neither does this): use []byte for binary data"))
				}
			case time.Time:
				// As Literal writes it, not as the driver would.
				s, err := FormatTime(x)
				if err != nil {
					return total, bad(err)
				}
				args[first+i] = s
			}
		}
		rows++
		if rows == per {
			if err := exec(rows); err != nil {
				return total, err
			}
			rows = 0
		}
	}
	if rows > 0 {
		if err := exec(rows); err != nil {
			return total, err
		}
	}
	return total, nil
}
