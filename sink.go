package retort

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"github.com/retortdb/retort/dialect"
)

// sink receives the statements of a run: online it executes them on one
// connection, offline it writes them as a script. Everything else in a
// run is the same code.
type sink interface {
	begin(ctx context.Context) error
	commit(ctx context.Context) error
	exec(ctx context.Context, s dialect.Stmt) error
	comment(text string)
	online() bool
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
}

func (o *onlineSink) begin(ctx context.Context) error {
	if err := o.m.beginTx(ctx, o.conn); err != nil {
		return err
	}
	o.inTx = true
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
	o.inTx = false
	return nil
}

// rollback ends the open transaction, if any, of a run that failed with
// err, and returns err (Project.rollback).
func (o *onlineSink) rollback(ctx context.Context, err error) error {
	if !o.inTx {
		return err
	}
	o.inTx = false
	return o.m.rollback(ctx, o.conn, err)
}

func (o *onlineSink) exec(ctx context.Context, s dialect.Stmt) error {
	_, err := o.conn.ExecContext(ctx, s.SQL, s.Args...)
	return err
}

func (o *onlineSink) comment(string) {}
func (o *onlineSink) online() bool   { return true }

// offlineSink writes a script: statements separated by blank lines.
type offlineSink struct {
	d   dialect.Dialect
	w   io.Writer
	err error
}

func (o *offlineSink) write(s string) {
	if o.err == nil {
		_, o.err = io.WriteString(o.w, s+"\n\n")
	}
}

func (o *offlineSink) begin(context.Context) error  { o.write(o.d.Begin() + ";"); return o.err }
func (o *offlineSink) commit(context.Context) error { o.write(o.d.Commit() + ";"); return o.err }

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
	o.write(o.d.ScriptStatement(s.SQL))
	return o.err
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

func (o *offlineSink) online() bool { return false }

// stmtBuilder builds retort's own statements (version and history tables)
// with values bound online and rendered as literals offline.
type stmtBuilder struct {
	d      dialect.Dialect
	online bool
	b      strings.Builder
	args   []any
	err    error
}

func (m *Project) stmt(online bool) *stmtBuilder { return &stmtBuilder{d: m.d, online: online} }

func (s *stmtBuilder) p(text string) *stmtBuilder { s.b.WriteString(text); return s }

func (s *stmtBuilder) table(t dialect.Table) *stmtBuilder {
	s.b.WriteString(s.d.QuoteTable(t))
	return s
}

// v appends a value: a placeholder online, a literal offline.
func (s *stmtBuilder) v(x any) *stmtBuilder {
	if s.online {
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

func (s *stmtBuilder) done() (dialect.Stmt, error) {
	return dialect.Stmt{SQL: s.b.String(), Args: s.args}, s.err
}
