package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"

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
// COPY ... FROM STDIN (FORMAT binary) with the rows streamed from
// b.Rows() and encoded by copyRows (copy.go), in the transaction open on
// conn; with any other driver it sends batched INSERT statements
// (dialect.InsertBatches). A bad row is an *op.RowError: the rows before
// it have been sent, so the caller must roll back.
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
		n, copyErr = copyRows(ctx, d, pc.Conn(), b)
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
