package postgres

import (
	"context"
	"database/sql"
	"errors"
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
//
// The setting is read with current_setting(name, missing_ok), not from
// the pg_settings view, which builds a row for every setting: on the
// fresh backend of each run (and of each tenant of a fleet) that costs
// about 1 ms more on this project's benchmark machine.
func (*Dialect) PrepareSession(ctx context.Context, conn *sql.Conn) error {
	const q = `SELECT pg_catalog.set_config('client_connection_check_interval', $1, false)
WHERE pg_catalog.current_setting('client_connection_check_interval', true) = '0'`
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

var _ dialect.TableResolver = (*Dialect)(nil)

// ErrNoSchema is returned (wrapped) by ResolveTable when the search_path
// names no schema that exists, so that an unqualified table has nowhere
// to be.
var ErrNoSchema = errors.New("the search_path names no existing schema: set the schema of retort's tables (version_table_schema in retort.toml, or WithSchema) or fix the role's search_path")

// resolveQuery returns the schema of the relation that $1 (a quoted,
// unqualified name) resolves to through the search_path, or
// current_schema(), the first existing schema of the search_path, where
// CREATE TABLE would put it. A table that exists in a later schema of the
// path is found there, as the unqualified name finds it.
const resolveQuery = `SELECT COALESCE(
  (SELECT n.nspname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.oid = pg_catalog.to_regclass($1)),
  pg_catalog.current_schema()::text)`

// ResolveTable implements dialect.TableResolver: the schema of the
// relation that t's unqualified name finds through the search_path, or,
// where there is none, current_schema(). It returns an error wrapping
// ErrNoSchema when the search_path names no existing schema.
func (d *Dialect) ResolveTable(ctx context.Context, q dialect.Querier, t dialect.Table) (dialect.Table, error) {
	if t.Schema != "" {
		return t, nil
	}
	var schema sql.NullString
	if err := q.QueryRowContext(ctx, resolveQuery, d.QuoteTable(t)).Scan(&schema); err != nil {
		return t, fmt.Errorf("resolve the schema of table %s: %w", t, err)
	}
	if !schema.Valid {
		return t, fmt.Errorf("resolve the schema of table %s: %w", t, ErrNoSchema)
	}
	return dialect.Table{Schema: schema.String, Name: t.Name}, nil
}
