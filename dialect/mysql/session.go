package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.SessionPreparer = (*Dialect)(nil)

// ErrNoDatabase is returned by PrepareSession for a connection without a
// current database.
var ErrNoDatabase = errors.New("no database selected: name it in the URL, mysql://user:password@host:3306/dbname")

// PrepareSession implements dialect.SessionPreparer: it checks that the
// connection has a current database (SELECT DATABASE()), where the
// version and history tables and the revisions' unqualified tables live,
// and which scopes the migration lock (see Lock). It returns an error
// wrapping ErrNoDatabase when there is none.
func (*Dialect) PrepareSession(ctx context.Context, conn *sql.Conn) error {
	var database sql.NullString
	if err := conn.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&database); err != nil {
		return fmt.Errorf("read the current database: %w", err)
	}
	if database.String == "" {
		return ErrNoDatabase
	}
	return nil
}

var _ dialect.TableResolver = (*Dialect)(nil)

// ResolveTable implements dialect.TableResolver: an unqualified table is
// in the connection's current database, DATABASE(). It returns an error
// wrapping ErrNoDatabase when there is none.
func (*Dialect) ResolveTable(ctx context.Context, q dialect.Querier, t dialect.Table) (dialect.Table, error) {
	if t.Schema != "" {
		return t, nil
	}
	var database sql.NullString
	if err := q.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&database); err != nil {
		return t, fmt.Errorf("resolve the database of table %s: %w", t, err)
	}
	if database.String == "" {
		return t, fmt.Errorf("resolve the database of table %s: %w", t, ErrNoDatabase)
	}
	return dialect.Table{Schema: database.String, Name: t.Name}, nil
}
