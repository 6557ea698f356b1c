package dialecttest

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// RenderScript renders ops offline with d as a script: each statement
// with its terminator (Dialect.ScriptStatement), "-- <op>" above each
// operation's statements, a blank line between statements.
func RenderScript(d dialect.Dialect, ops []op.Op) (string, error) {
	var b strings.Builder
	rc := dialect.RenderContext{Naming: schema.DefaultNaming()}
	for _, o := range ops {
		b.WriteString("-- " + o.String() + "\n")
		if bi, ok := o.(op.BulkInsert); ok {
			err := dialect.InsertStatements(d, bi, func(s dialect.Stmt) error {
				b.WriteString(d.ScriptStatement(s.SQL) + "\n\n")
				return nil
			})
			if err != nil {
				return "", err
			}
			continue
		}
		stmts, err := dialect.RenderOp(context.Background(), rc, d, o) // offline: no I/O
		if err != nil {
			return "", err
		}
		for _, s := range stmts {
			for _, line := range strings.Split(s.Comment, "\n") {
				if line != "" {
					b.WriteString("-- " + line + "\n")
				}
			}
			if s.NoTx {
				b.WriteString("-- (outside a transaction)\n")
			}
			b.WriteString(d.ScriptStatement(s.SQL) + "\n\n")
		}
	}
	return b.String(), nil
}

// Exec runs ops online on conn with d. Where d's DDL is transactional,
// the statements of each operation run in one transaction, except for
// those marked NoTx, which run on their own.
func Exec(ctx context.Context, t testing.TB, d dialect.Dialect, conn *sql.Conn, ops []op.Op) {
	t.Helper()
	for _, o := range ops {
		if err := ExecOp(ctx, d, conn, o); err != nil {
			t.Fatalf("%s: %v", o, err)
		}
	}
}

// ExecCase runs a case's setup and operations online on conn with d and
// returns the schema they declare (Apply, with the dialect's identifier
// limit lim): what an Inspector must read back.
func ExecCase(ctx context.Context, t testing.TB, d dialect.Dialect, conn *sql.Conn, c Case, lim schema.Limit) *schema.Schema {
	t.Helper()
	model := &schema.Schema{}
	for _, o := range append(slices.Clone(c.Setup), c.Ops...) {
		if err := Apply(model, o, lim); err != nil {
			t.Fatalf("model: %s: %v", o, err)
		}
	}
	Exec(ctx, t, d, conn, c.Setup)
	Exec(ctx, t, d, conn, c.Ops)
	return model
}

// ExecOp runs one operation online on conn.
func ExecOp(ctx context.Context, d dialect.Dialect, conn *sql.Conn, o op.Op) error {
	rc := dialect.RenderContext{Q: conn, Naming: schema.DefaultNaming()}
	tx := d.TransactionalDDL()
	begin := func() error {
		if !tx {
			return nil
		}
		_, err := conn.ExecContext(ctx, d.Begin())
		return err
	}
	commit := func() error {
		if !tx {
			return nil
		}
		_, err := conn.ExecContext(ctx, d.Commit())
		return err
	}
	if bi, ok := o.(op.BulkInsert); ok {
		if err := begin(); err != nil {
			return err
		}
		if _, err := dialect.BulkInsert(ctx, d, conn, bi, 1000); err != nil {
			_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
			return err
		}
		return commit()
	}
	stmts, err := dialect.RenderOp(ctx, rc, d, o)
	if err != nil {
		return err
	}
	noTx := false
	for _, s := range stmts {
		noTx = noTx || s.NoTx
	}
	if noTx {
		tx = false
	}
	if err := begin(); err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s.SQL, s.Args...); err != nil {
			if tx {
				_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
			}
			return &dialect.OpError{Op: o, Err: errWithSQL{s.SQL, err}}
		}
	}
	return commit()
}

type errWithSQL struct {
	sql string
	err error
}

func (e errWithSQL) Error() string { return e.err.Error() + "\n\tin: " + e.sql }
func (e errWithSQL) Unwrap() error { return e.err }
