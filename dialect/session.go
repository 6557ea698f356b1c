package dialect

import (
	"context"
	"database/sql"
)

// SessionPreparer is an optional interface of dialects that set up the
// connection a run executes its steps on, before anything runs on it.
// PostgreSQL asks the server to watch for a client that went away while a
// statement runs, so that the step of a killed process is rolled back at
// once instead of holding its locks until the statement ends.
// PrepareSession returns an error only when the connection is unusable.
type SessionPreparer interface {
	PrepareSession(ctx context.Context, conn *sql.Conn) error
}

// TableResolver is an optional interface of dialects where an unqualified
// table name resolves through session state that any statement can
// change: PostgreSQL's search_path, MySQL's current database (USE).
// ResolveTable returns t with the schema (MySQL: the database) that its
// name resolves to on q now: the schema of the table where it exists,
// otherwise the one where CREATE TABLE would put it. A t with a schema is
// returned unchanged. The schema it returns exists.
//
// retort resolves its own tables once when a run starts, before any
// revision runs, and names them qualified in every statement of the run,
// so that a revision body that changes the session (pg_dump's emptied
// search_path, a USE) cannot break or redirect its bookkeeping.
type TableResolver interface {
	ResolveTable(ctx context.Context, q Querier, t Table) (Table, error)
}
