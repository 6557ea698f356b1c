package dialect

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/retortdb/retort/op"
)

// InsertRowsPerStatement is how many rows an offline multi-row INSERT
// holds at most; InsertBytesPerStatement caps its size, so that no
// statement of a script approaches a server's packet or query limit
// (MySQL's max_allowed_packet defaults to 16 MiB on the client, 64 MiB
// on MariaDB's server).
const (
	InsertRowsPerStatement  = 1000
	InsertBytesPerStatement = 1 << 20
)

// insertHead returns "INSERT INTO t (a, b) VALUES ".
func insertHead(d Syntax, b op.BulkInsert) string {
	var h strings.Builder
	h.WriteString("INSERT INTO ")
	h.WriteString(d.QuoteTable(Table{Schema: b.Table.Schema, Name: b.Table.Name}))
	h.WriteString(" (")
	for i, c := range b.Columns() {
		if i > 0 {
			h.WriteString(", ")
		}
		h.WriteString(d.QuoteIdent(c))
	}
	h.WriteString(") VALUES ")
	return h.String()
}

// InsertStatements renders a BulkInsert for an offline script: multi-row
// INSERT statements of literals (Dialect.Literal), each of at most
// InsertRowsPerStatement rows and about InsertBytesPerStatement bytes,
// passed to emit one at a time as they are made, so that memory does not
// grow with the number of rows. A value the dialect cannot write is an
// *op.RowError naming the row and column.
func InsertStatements(d Syntax, b op.BulkInsert, emit func(Stmt) error) error {
	if len(b.Table.Columns) == 0 {
		return fmt.Errorf("bulk insert into %s: no columns declared", b.Table.TableName())
	}
	head := insertHead(d, b)
	cols := b.Columns()
	var sb strings.Builder
	rows, n := 0, 0
	flush := func() error {
		if rows == 0 {
			return nil
		}
		st := Stmt{SQL: sb.String()}
		sb.Reset()
		rows = 0
		return emit(st)
	}
	for row, err := range b.Rows() {
		if err != nil {
			return err
		}
		n++
		if rows == 0 {
			sb.WriteString(head)
		} else {
			sb.WriteString(",\n  ")
		}
		sb.WriteByte('(')
		for i, v := range row {
			if i > 0 {
				sb.WriteString(", ")
			}
			lit, err := d.Literal(v)
			if err != nil {
				return &op.RowError{Table: b.Table.TableName().String(), Row: n, Err: fmt.Errorf("%w: column %s: %v", op.ErrBadRow, cols[i], err)}
			}
			sb.WriteString(lit)
		}
		sb.WriteByte(')')
		rows++
		if rows >= InsertRowsPerStatement || sb.Len() >= InsertBytesPerStatement {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// InsertBatches is the portable online path of a BulkInsert: multi-row
// INSERT statements with bound parameters, each of at most maxParams
// parameters (and InsertRowsPerStatement rows), executed on q as they
// fill. It returns the number of rows inserted.
func InsertBatches(ctx context.Context, d Syntax, q Querier, b op.BulkInsert, maxParams int) (int64, error) {
	cols := b.Columns()
	if len(cols) == 0 {
		return 0, fmt.Errorf("bulk insert into %s: no columns declared", b.Table.TableName())
	}
	perStmt := max(1, min(InsertRowsPerStatement, maxParams/len(cols)))
	head := insertHead(d, b)
	tuple := func(first int) string {
		var t strings.Builder
		t.WriteByte('(')
		for i := range cols {
			if i > 0 {
				t.WriteString(", ")
			}
			t.WriteString(d.Placeholder(first + i))
		}
		t.WriteByte(')')
		return t.String()
	}
	full := "" // the statement text of a full batch, built once
	args := make([]any, 0, perStmt*len(cols))
	var total int64
	exec := func(rows int) error {
		var text string
		if rows == perStmt && full != "" {
			text = full
		} else {
			var sb strings.Builder
			sb.WriteString(head)
			for r := 0; r < rows; r++ {
				if r > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString(tuple(r*len(cols) + 1))
			}
			text = sb.String()
			if rows == perStmt {
				full = text
			}
		}
		if _, err := q.ExecContext(ctx, text, args...); err != nil {
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
		args = append(args, row...)
		rows++
		if rows == perStmt {
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

// BulkInsert runs a BulkInsert online on conn: the dialect's BulkLoader
// when it has one, else InsertBatches with maxParams parameters per
// statement.
func BulkInsert(ctx context.Context, d Dialect, conn *sql.Conn, b op.BulkInsert, maxParams int) (int64, error) {
	if bl := Probe(d).BulkLoader; bl != nil {
		return bl.BulkInsert(ctx, conn, b)
	}
	return InsertBatches(ctx, d, conn, b, maxParams)
}
