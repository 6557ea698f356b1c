package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
)

var _ dialect.BulkLoader = (*Dialect)(nil)

const (
	// maxPlaceholders is the most parameters a prepared statement may
	// have (the protocol counts them in 16 bits).
	maxPlaceholders = 65535
	// bulkRowsPerStatement caps the rows of one INSERT: beyond a few
	// hundred rows a bigger statement no longer goes faster (measured on
	// MariaDB 10.11: 512 to 2048 rows alike, 16383 slower).
	bulkRowsPerStatement = 1024
	// bulkMaxBytes caps the parameter bytes of one INSERT, below the
	// server's max_allowed_packet (and the driver's own limit, 64 MiB by
	// default in go-sql-driver/mysql).
	bulkMaxBytes = 8 << 20
)

// BulkInsert implements dialect.BulkLoader: multi-row INSERT statements
// with bound parameters, prepared once per batch size and executed on
// conn (in the transaction open there). Each statement holds at most
// 65535 parameters and 1024 rows, and its parameters take less than half
// the server's max_allowed_packet (read once per call) and at most
// 8 MiB; a row bigger than that goes alone. Only one batch of rows is
// held in memory. A bad row, or a value no driver can bind, is an
// *op.RowError; the rows of the batch it was in are not inserted.
func (d *Dialect) BulkInsert(ctx context.Context, conn *sql.Conn, b op.BulkInsert) (int64, error) {
	var packet int64
	if err := conn.QueryRowContext(ctx, "SELECT @@max_allowed_packet").Scan(&packet); err != nil {
		return 0, fmt.Errorf("bulk insert into %s: read @@max_allowed_packet: %w", b.Table.TableName(), err)
	}
	budget := min(int(packet/2), bulkMaxBytes)
	return d.bulkInsert(ctx, conn, b, budget, bulkRowsPerStatement)
}

// bulkInsert is BulkInsert with the byte budget of one statement's
// parameters and its most rows given.
func (d *Dialect) bulkInsert(ctx context.Context, conn *sql.Conn, b op.BulkInsert, budget, maxRows int) (int64, error) {
	table := b.Table.TableName()
	cols := b.Columns()
	width := len(cols)
	if width == 0 {
		return 0, fmt.Errorf("bulk insert into %s: no columns declared in op.Table", table)
	}
	if width > maxPlaceholders {
		return 0, fmt.Errorf("bulk insert into %s: %d columns, more than the %d parameters a MySQL statement may have", table, width, maxPlaceholders)
	}
	perStmt := max(1, min(maxRows, maxPlaceholders/width))

	var head strings.Builder
	head.WriteString("INSERT INTO ")
	head.WriteString(d.table(table))
	head.WriteString(" ")
	head.WriteString(d.columnList(cols))
	head.WriteString(" VALUES ")
	tuple := "(" + strings.Repeat("?, ", width-1) + "?)"

	// Statements prepared by row count: the full batch's, reused for
	// every full batch, and the last partial one's.
	type prepared struct {
		rows int
		stmt *sql.Stmt
	}
	var full, partial prepared
	defer func() {
		for _, p := range []prepared{full, partial} {
			if p.stmt != nil {
				p.stmt.Close()
			}
		}
	}()
	stmtFor := func(rows int) (*sql.Stmt, error) {
		if rows == full.rows && full.stmt != nil {
			return full.stmt, nil
		}
		if rows == partial.rows && partial.stmt != nil {
			return partial.stmt, nil
		}
		var sb strings.Builder
		sb.Grow(head.Len() + rows*(len(tuple)+2))
		sb.WriteString(head.String())
		for r := 0; r < rows; r++ {
			if r > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(tuple)
		}
		st, err := conn.PrepareContext(ctx, sb.String())
		if err != nil {
			return nil, err
		}
		if rows == perStmt {
			full = prepared{rows, st}
		} else {
			if partial.stmt != nil {
				partial.stmt.Close()
			}
			partial = prepared{rows, st}
		}
		return st, nil
	}

	args := make([]any, 0, perStmt*width)
	var total int64
	rows, size := 0, 0
	flush := func() error {
		if rows == 0 {
			return nil
		}
		st, err := stmtFor(rows)
		if err == nil {
			_, err = st.ExecContext(ctx, args...)
		}
		if err != nil {
			return fmt.Errorf("bulk insert into %s (rows %d to %d): %w", table, total+1, total+int64(rows), err)
		}
		total += int64(rows)
		clear(args)
		args = args[:0]
		rows, size = 0, 0
		return nil
	}
	n := 0
	for row, err := range b.Rows() {
		if err != nil {
			return total, err
		}
		n++
		rs := 0
		for i, v := range row {
			s, err := paramSize(v)
			if err != nil {
				return total, &op.RowError{Table: table.String(), Row: n, Err: fmt.Errorf("%w: column %s: %v", op.ErrBadRow, cols[i], err)}
			}
			rs += s
		}
		if rows > 0 && size+rs > budget {
			if err := flush(); err != nil {
				return total, err
			}
		}
		args = append(args, row...)
		rows++
		size += rs
		if rows == perStmt {
			if err := flush(); err != nil {
				return total, err
			}
		}
	}
	if err := flush(); err != nil {
		return total, err
	}
	return total, nil
}

// paramSize estimates the bytes a bound value takes in an execute
// packet (its type and value), and rejects values no driver binds.
func paramSize(v any) (int, error) {
	const typ = 2
	switch x := v.(type) {
	case nil:
		return typ, nil
	case string:
		return typ + 9 + len(x), nil
	case []byte:
		return typ + 9 + len(x), nil
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, bool:
		return typ + 8, nil
	case time.Time:
		return typ + 32, nil
	case driver.Valuer:
		return typ + 64, nil
	}
	cv, err := driver.DefaultParameterConverter.ConvertValue(v)
	if err != nil {
		return 0, fmt.Errorf("cannot bind a %T: %v", v, err)
	}
	if cv == nil {
		return typ, nil
	}
	if s, ok := cv.(string); ok {
		return typ + 9 + len(s), nil
	}
	if bs, ok := cv.([]byte); ok {
		return typ + 9 + len(bs), nil
	}
	return typ + 32, nil
}
