package retort

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/revision"
)

// sink receives what a run does: online it executes it on the run's one
// connection, offline it writes it as a script. Each kind of work has a
// method, every sink implements each, and the engine never asks which
// sink it holds: everything else in a run is the same code, so an
// offline script is what the online run executes.
type sink interface {
	// begin and commit open and close a transaction.
	begin(ctx context.Context) error
	// beginRevision opens a revision's own transaction (or a run's),
	// with the run's statement timeouts in effect in it (timeout.go).
	beginRevision(ctx context.Context) error
	// sessionTimeouts puts the run's statement timeouts in effect in the
	// session, before a revision that runs outside a transaction;
	// endRevisions resets them once the run's revisions are done.
	sessionTimeouts(ctx context.Context) error
	endRevisions(ctx context.Context)
	commit(ctx context.Context) error
	// rollback ends the open transaction of a run that failed with err
	// and returns err (online; a script has nothing to roll back).
	rollback(ctx context.Context, err error) error
	// exec runs one statement: a SQL revision's, a rendered operation's,
	// or retort's own bookkeeping.
	exec(ctx context.Context, s dialect.Stmt) error
	// operation renders an operation of a Go revision and runs its
	// statements; it returns the SQL of the one that failed.
	operation(ctx context.Context, o op.Op) (failed string, err error)
	// bulkInsert loads a Go revision's rows (label names the operation).
	bulkInsert(ctx context.Context, x op.BulkInsert, label string) (failed string, err error)
	// runFunc runs a Go revision's function on the database.
	runFunc(ctx context.Context, f func(context.Context, op.DB) error) error
	// versionChange makes one change to the version table, st its statement.
	versionChange(ctx context.Context, st dialect.Stmt, vop revision.VersionOp) error
	// stmt starts one of retort's own statements: values bound online,
	// written as literals offline.
	stmt() *stmtBuilder
	// comment annotates what follows (a script's comment; nothing online).
	comment(text string)
	// stepStarted logs a step as it starts.
	stepStarted(ctx context.Context, s revision.Step)
	// execRows runs one statement and returns the rows it changed
	// (online only: a script cannot count).
	execRows(ctx context.Context, s dialect.Stmt) (int64, error)
	// autocommits reports whether one statement run outside a transaction
	// commits as it is, and may stand for a transaction of that statement
	// alone: online, unless the dialect's lock comes with a transaction
	// (SQLite's BEGIN IMMEDIATE) or commits are fenced (the lease); never
	// in a script, whose transactions stay as written.
	autocommits() bool
	// leftDirty is the error of a step that failed after its history row
	// was marked dirty, done being the statements recorded as complete.
	leftDirty(err error, r stepRun, done int) error
}

// onlineSink executes on one connection.
type onlineSink struct {
	m    *Project
	conn *sql.Conn
	// fence, when set, runs in each transaction just before its commit
	// and stops the commit with its error (the lease lock, lease.go).
	fence func(ctx context.Context, q dialect.Querier) error
	// inTx is set while a transaction begun by begin is open: a step that
	// failed outside one (a -- +no-transaction statement, MySQL's DDL)
	// has nothing to roll back.
	inTx bool
	// writeLocked, when set, tells the lease while a transaction holds
	// the database's write lock (lease.writeLocked).
	writeLocked *atomic.Bool
	tmo         timeouts // the run's statement timeouts
}

// setTx records whether a transaction begun by begin is open.
func (o *onlineSink) setTx(open bool) {
	o.inTx = open
	if o.writeLocked != nil {
		o.writeLocked.Store(open)
	}
}

func (o *onlineSink) begin(ctx context.Context) error {
	if err := o.m.beginTx(ctx, o.conn); err != nil {
		return err
	}
	o.setTx(true)
	return nil
}

func (o *onlineSink) commit(ctx context.Context) error {
	if o.fence != nil {
		if err := o.fence(ctx, o.conn); err != nil {
			return o.rollback(ctx, err)
		}
	}
	// A COMMIT that fails may leave its transaction open (SQLite's, on
	// SQLITE_BUSY): it is rolled back.
	if _, err := o.conn.ExecContext(ctx, o.m.d.Commit()); err != nil {
		return o.rollback(ctx, fmt.Errorf("commit: %w", err))
	}
	o.setTx(false)
	return nil
}

// rollback ends the open transaction, if any, of a run that failed with
// err, and returns err (Project.rollback).
func (o *onlineSink) rollback(ctx context.Context, err error) error {
	if !o.inTx {
		return err
	}
	o.setTx(false)
	return o.m.rollback(ctx, o.conn, err)
}

func (o *onlineSink) exec(ctx context.Context, s dialect.Stmt) error {
	_, err := o.conn.ExecContext(ctx, s.SQL, s.Args...)
	return err
}

// operation renders o with the connection at hand, so that a renderer can
// read the catalog as the earlier steps left it, inside the transaction.
func (o *onlineSink) operation(ctx context.Context, x op.Op) (string, error) {
	stmts, err := dialect.RenderOp(ctx, dialect.RenderContext{Q: o.conn, Naming: o.m.naming}, o.m.d, x)
	if err != nil {
		return "", err
	}
	for _, st := range stmts {
		if err := o.exec(ctx, st); err != nil {
			return st.SQL, err
		}
	}
	return "", nil
}

// bulkInsert loads the rows the fastest way the dialect has (COPY where
// it can, multi-row INSERTs of bound values elsewhere).
func (o *onlineSink) bulkInsert(ctx context.Context, x op.BulkInsert, _ string) (string, error) {
	_, err := dialect.BulkInsert(ctx, o.m.d, o.conn, x, maxBulkParams)
	return "", err
}

func (o *onlineSink) runFunc(ctx context.Context, f func(context.Context, op.DB) error) error {
	return f(ctx, o.conn)
}

// versionChange checks that the change matched one row: any other count
// means the version table changed under the run.
func (o *onlineSink) versionChange(ctx context.Context, st dialect.Stmt, vop revision.VersionOp) error {
	res, err := o.conn.ExecContext(ctx, st.SQL, st.Args...)
	if err != nil {
		return fmt.Errorf("%s version table %s: %w", vop.Kind, o.m.versionTable, err)
	}
	if n, err := res.RowsAffected(); err == nil && n != 1 {
		return &VersionRowsError{Change: vop.Kind.String(), Table: o.m.versionTable.String(), From: vop.From, To: vop.To, Rows: n}
	}
	return nil
}

func (o *onlineSink) stmt() *stmtBuilder { return &stmtBuilder{d: o.m.d, bind: true} }

func (o *onlineSink) execRows(ctx context.Context, s dialect.Stmt) (int64, error) {
	res, err := o.conn.ExecContext(ctx, s.SQL, s.Args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// autocommits: database/sql runs a statement outside BEGIN in autocommit
// mode (on MySQL, a body that turned autocommit off leaves the statement
// in a transaction that the next DDL statement, or the next BEGIN,
// commits before anything else: no later change can be durable without
// it).
func (o *onlineSink) autocommits() bool {
	return o.fence == nil && o.m.caps.TxLocker == nil
}

func (o *onlineSink) comment(string) {}

// stepStarted logs at Debug: the step's Info record comes when it is
// committed (stepDone), with its duration.
func (o *onlineSink) stepStarted(ctx context.Context, s revision.Step) {
	o.m.logStep(ctx, slog.LevelDebug, s)
}

// leftDirty says that the database now holds the dirty step, with its
// progress.
func (o *onlineSink) leftDirty(err error, r stepRun, done int) error {
	return &LeftDirtyError{Dirty: o.m.dirtyError(HistoryRow{Revision: r.rev, Direction: r.dir, StmtIndex: done}), Err: err}
}

// offlineSink writes a script: statements separated by blank lines.
type offlineSink struct {
	m   *Project
	w   io.Writer
	err error
	tmo timeouts // the script's statement timeouts
}

func (o *offlineSink) write(s string) {
	if o.err == nil {
		_, o.err = io.WriteString(o.w, s)
	}
	if o.err == nil {
		_, o.err = io.WriteString(o.w, "\n\n")
	}
}

func (o *offlineSink) begin(context.Context) error  { o.write(o.m.d.Begin() + ";"); return o.err }
func (o *offlineSink) commit(context.Context) error { o.write(o.m.d.Commit() + ";"); return o.err }

func (o *offlineSink) exec(_ context.Context, s dialect.Stmt) error {
	if len(s.Args) > 0 {
		return fmt.Errorf("internal error: statement with bound arguments in an offline script: %s", s.SQL)
	}
	if s.Comment != "" && o.err == nil {
		for _, l := range strings.Split(s.Comment, "\n") {
			if o.err == nil {
				_, o.err = io.WriteString(o.w, strings.TrimRight("-- "+l, " ")+"\n")
			}
		}
	}
	o.write(o.m.d.ScriptStatement(s.SQL))
	return o.err
}

// operation renders o without a database, under a comment naming it; an
// operation with nothing to do on this dialect says so.
func (o *offlineSink) operation(ctx context.Context, x op.Op) (string, error) {
	stmts, err := dialect.RenderOp(ctx, dialect.RenderContext{Naming: o.m.naming}, o.m.d, x)
	if err != nil {
		return "", err
	}
	if len(stmts) == 0 {
		o.comment(x.String() + ": nothing to do on " + o.m.d.Name())
		return "", nil
	}
	for i, st := range stmts {
		if i == 0 {
			st.Comment = strings.TrimSpace(x.String() + "\n" + st.Comment)
		}
		if err := o.exec(ctx, st); err != nil {
			return st.SQL, err
		}
	}
	return "", nil
}

// bulkInsert writes the rows as multi-row INSERTs of literals.
func (o *offlineSink) bulkInsert(ctx context.Context, x op.BulkInsert, label string) (string, error) {
	first := true
	var failed string
	err := dialect.InsertStatements(o.m.d, x, func(st dialect.Stmt) error {
		if first {
			st.Comment, first = label, false
		}
		if err := o.exec(ctx, st); err != nil {
			failed = st.SQL
			return err
		}
		return nil
	})
	return failed, err
}

// runFunc cannot run a function in a script (checkOffline refuses such a
// plan before anything is written; this is the backstop).
func (o *offlineSink) runFunc(context.Context, func(context.Context, op.DB) error) error {
	return ErrOfflineRun
}

func (o *offlineSink) versionChange(ctx context.Context, st dialect.Stmt, _ revision.VersionOp) error {
	return o.exec(ctx, st)
}

// stmt returns a builder with room for a history row's INSERT, the
// longest statement retort writes for each step of a script.
func (o *offlineSink) stmt() *stmtBuilder {
	b := &stmtBuilder{d: o.m.d}
	b.b.Grow(512)
	return b
}

func (o *offlineSink) autocommits() bool { return false }

func (o *offlineSink) rollback(_ context.Context, err error) error { return err }

func (o *offlineSink) execRows(context.Context, dialect.Stmt) (int64, error) {
	return 0, errors.New("internal error: a script cannot count the rows of a statement")
}

func (o *offlineSink) comment(text string) {
	for _, l := range strings.Split(text, "\n") {
		if o.err == nil {
			_, o.err = io.WriteString(o.w, strings.TrimRight("-- "+l, " ")+"\n")
		}
	}
	if o.err == nil {
		_, o.err = io.WriteString(o.w, "\n")
	}
}

// stepStarted logs at Info: a script's step has no end to time.
func (o *offlineSink) stepStarted(ctx context.Context, s revision.Step) {
	o.m.logStep(ctx, slog.LevelInfo, s)
}

// leftDirty returns err: writing a script leaves no database dirty.
func (o *offlineSink) leftDirty(err error, _ stepRun, _ int) error { return err }

// stmtBuilder builds retort's own statements (version and history tables)
// with values bound (online) or rendered as literals (offline). A bound
// builder belongs to a run that times its steps on the database's clock.
type stmtBuilder struct {
	d    dialect.Dialect
	bind bool
	b    strings.Builder
	args []any
	err  error
}

func (s *stmtBuilder) p(text string) *stmtBuilder { s.b.WriteString(text); return s }

func (s *stmtBuilder) table(t dialect.Table) *stmtBuilder {
	s.b.WriteString(s.d.QuoteTable(t))
	return s
}

// v appends a value: a placeholder online, a literal offline.
func (s *stmtBuilder) v(x any) *stmtBuilder {
	if s.bind {
		s.args = append(s.args, x)
		s.b.WriteString(s.d.Placeholder(len(s.args)))
		return s
	}
	lit, err := s.d.Literal(x)
	if err != nil && s.err == nil {
		s.err = err
	}
	s.b.WriteString(lit)
	return s
}

// expr appends the SQL expression f makes around the placeholder of x,
// which is bound (online only).
func (s *stmtBuilder) expr(f func(placeholder string) string, x any) *stmtBuilder {
	s.args = append(s.args, x)
	s.b.WriteString(f(s.d.Placeholder(len(s.args))))
	return s
}

func (s *stmtBuilder) done() (dialect.Stmt, error) {
	return dialect.Stmt{SQL: s.b.String(), Args: s.args}, s.err
}
