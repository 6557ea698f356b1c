package dialect

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// ErrUnsupported is wrapped by a renderer's error for an operation its
// dialect cannot express (and that no fallback covers).
var ErrUnsupported = errors.New("not supported by this dialect")

// ErrNeedExisting is wrapped when rendering needs the current definition
// of a table or column that neither the operation carries nor, offline,
// the database can tell (MySQL's MODIFY COLUMN, SQLite's batch copy).
var ErrNeedExisting = errors.New("the current definition is needed")

// RenderContext is what rendering one operation may use besides the
// operation itself. It holds no context.Context: Render takes one.
type RenderContext struct {
	// Q is set online: a renderer may read the catalog through Q, with
	// the ctx Render was given, inside the migration's transaction, for
	// what the operation does not carry (MySQL reads a column's
	// definition before MODIFY COLUMN, SQLite reads a table before a
	// batch copy). Offline Q is nil.
	Q Querier
	// Naming fills the names of constraints and indexes left empty.
	Naming schema.Naming
}

// Online reports whether the renderer may query the database.
func (rc RenderContext) Online() bool { return rc.Q != nil }

// Renderer is implemented by dialects that render operations (package
// op) as SQL. Render returns the statements of one operation in order;
// online they run in the migration's transaction unless marked NoTx,
// offline they are written as the script. Execute, BulkInsert and Run
// are not rendered here: package retort runs them alike on every dialect
// (RenderExecute, InsertStatements, BulkLoader). For an operation the
// dialect cannot express, Render returns an error wrapping ErrUnsupported
// that names the operation; for a definition it needs and cannot find,
// one wrapping ErrNeedExisting that says what to add. Online, ctx bounds
// the catalog queries it makes through rc.Q.
type Renderer interface {
	Render(ctx context.Context, rc RenderContext, o op.Op) ([]Stmt, error)
}

// BulkLoader is an optional interface of dialects with a faster online
// path for op.BulkInsert than batched INSERT statements (PostgreSQL COPY
// when the connection is pgx, MySQL multi-row INSERTs sized to the
// server's packet limit, a prepared statement on SQLite). BulkInsert
// inserts the rows on conn, in the transaction open there, holding no
// more than one batch of rows in memory, and returns how many it
// inserted. A bad row is an *op.RowError.
type BulkLoader interface {
	BulkInsert(ctx context.Context, conn *sql.Conn, b op.BulkInsert) (int64, error)
}

// NoTxer is an optional interface of renderers with operations that
// must run outside a transaction (PostgreSQL's CREATE INDEX
// CONCURRENTLY). NoTx says so for o before it is rendered, since a
// runner opens a step's transaction first; Render marks the operation's
// statements NoTx alike.
type NoTxer interface {
	NoTx(o op.Op) bool
}

// OpError is an operation that could not be rendered or run.
type OpError struct {
	Op  op.Op
	Err error
}

func (e *OpError) Error() string { return fmt.Sprintf("%s: %v", e.Op, e.Err) }
func (e *OpError) Unwrap() error { return e.Err }

// RenderOp returns the statements of one operation on d: Execute through
// RenderExecute, everything else through d's Renderer. BulkInsert and Run
// are not statements (see InsertStatements, BulkInsert); asking for them
// is an error. Online, ctx bounds the renderer's catalog queries.
func RenderOp(ctx context.Context, rc RenderContext, d Dialect, o op.Op) ([]Stmt, error) {
	switch x := o.(type) {
	case op.Execute:
		return RenderExecute(d, x, rc.Online())
	case op.BulkInsert, op.Run:
		return nil, &OpError{Op: o, Err: errors.New("not rendered as statements")}
	}
	r := Probe(d).Renderer
	if r == nil {
		return nil, &OpError{Op: o, Err: fmt.Errorf("%w: dialect %s renders no operations", ErrUnsupported, d.Name())}
	}
	stmts, err := r.Render(ctx, rc, o)
	if err != nil {
		var oe *OpError
		if errors.As(err, &oe) {
			return nil, err
		}
		return nil, &OpError{Op: o, Err: err}
	}
	return stmts, nil
}
