package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
)

var _ dialect.BulkLoader = (*Dialect)(nil)

// maxParams is the most bound parameters one statement may have (the
// protocol counts them in 16 bits).
const maxParams = 65535

// pgxConn is the driver connection of pgx's database/sql driver.
type pgxConn interface {
	Conn() *pgx.Conn
}

// BulkInsert implements dialect.BulkLoader. On a pgx connection it runs
// COPY ... FROM STDIN (binary) with the rows streamed from b.Rows(), in
// the transaction open on conn; with any other driver it sends batched
// INSERT statements (dialect.InsertBatches). A bad row is an
// *op.RowError: the rows before it have been sent, so the caller must roll
// back.
func (d *Dialect) BulkInsert(ctx context.Context, conn *sql.Conn, b op.BulkInsert) (int64, error) {
	if len(b.Table.Columns) == 0 {
		return 0, fmt.Errorf("bulk insert into %s: no columns declared; declare them in op.Table", b.Table.TableName())
	}
	var n int64
	var copyErr error
	isPgx := false
	err := conn.Raw(func(dc any) error {
		pc, ok := dc.(pgxConn)
		if !ok {
			return nil
		}
		isPgx = true
		n, copyErr = copyRows(ctx, pc.Conn(), b)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("bulk insert into %s: %w", b.Table.TableName(), err)
	}
	if !isPgx {
		return dialect.InsertBatches(ctx, d, conn, b, maxParams)
	}
	return n, copyErr
}

func copyRows(ctx context.Context, c *pgx.Conn, b op.BulkInsert) (int64, error) {
	name := b.Table.TableName()
	next, stop := iter.Pull2(b.Rows())
	defer stop()
	src := &rowSource{next: next}
	ident := pgx.Identifier{name.Name}
	if name.Schema != "" {
		ident = pgx.Identifier{name.Schema, name.Name}
	}
	n, err := c.CopyFrom(ctx, ident, b.Columns(), src)
	if err == nil {
		return n, nil
	}
	if src.err != nil {
		// pgx aborted the COPY (CopyFail) because the rows ran out with
		// an error; that error, an *op.RowError, is the one to report.
		return 0, src.err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "57014" && ctx.Err() == nil && src.row > 0 &&
		strings.HasPrefix(pe.Message, "COPY from stdin failed: ") {
		// pgx aborted the COPY because it could not encode the current
		// row: a bad value in that row.
		return 0, &op.RowError{Table: name.String(), Row: src.row,
			Err: fmt.Errorf("%w: %s", op.ErrBadRow, strings.TrimPrefix(pe.Message, "COPY from stdin failed: "))}
	}
	return 0, fmt.Errorf("bulk insert into %s (COPY): %w", name, err)
}

// rowSource is a pgx.CopyFromSource over a pulled row iterator: it holds
// one row at a time.
type rowSource struct {
	next func() ([]any, error, bool)
	row  int
	cur  []any
	err  error
}

func (s *rowSource) Next() bool {
	if s.err != nil {
		return false
	}
	row, err, ok := s.next()
	if !ok {
		return false
	}
	if err != nil {
		s.err = err
		return false
	}
	s.row++
	s.cur = row
	return true
}

func (s *rowSource) Values() ([]any, error) { return s.cur, nil }

func (s *rowSource) Err() error { return s.err }
