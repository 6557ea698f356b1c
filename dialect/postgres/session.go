package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.SessionPreparer = (*Dialect)(nil)

// ClientCheckInterval is the client_connection_check_interval that
// PrepareSession sets on the connection that runs the steps.
const ClientCheckInterval = "1s"

// PrepareSession implements dialect.SessionPreparer. By default a
// PostgreSQL backend notices that its client is gone only when it next
// talks to it: a step whose process was killed (kill -9, a lost machine)
// during a long statement goes on running it, in its open transaction,
// holding its locks (a table it created, an index being built) until the
// statement ends, and the rerun waits for it. PrepareSession sets
// client_connection_check_interval (PostgreSQL 14 and later) to
// ClientCheckInterval for the session, unless it is set already, so that
// the backend checks the socket while a statement runs, and cancels the
// statement and rolls the step back within a second of the client's death.
//
// It is best effort: on servers before 14 (no such setting) or platforms
// where the server cannot watch sockets (the setting is then refused),
// nothing changes, and it returns nil. It returns an error only when ctx
// ended.
func (*Dialect) PrepareSession(ctx context.Context, conn *sql.Conn) error {
	const q = `SELECT pg_catalog.set_config(name, $1, false) FROM pg_catalog.pg_settings
WHERE name = 'client_connection_check_interval' AND setting = '0'`
	rows, err := conn.QueryContext(ctx, q, ClientCheckInterval)
	if err == nil {
		for rows.Next() {
		}
		err = rows.Err()
		rows.Close()
	}
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("prepare the session: %w", ctx.Err())
	}
	return nil
}
