package optest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
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

// Golden renders the Ops of every case that applies to d and compares
// the script with dir/<case>.golden, rewriting the file when update is
// true.
func Golden(t *testing.T, d dialect.Dialect, dir string, update bool) {
	for _, c := range Cases() {
		if !c.AppliesTo(d.Name()) {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			got, err := RenderScript(d, c.Ops)
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			path := filepath.Join(dir, c.Name+".golden")
			if update {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs (run with -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
			}
		})
	}
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

// Live runs every case that applies to d on a fresh database from newDB:
// Setup, Ops, then Teardown and Ops again. With snapshot set (a dump of
// the catalog as text), the catalog after the second Ops must equal the
// one after the first, and the one after Teardown the one after Setup:
// upgrade, downgrade, upgrade leave the same schema.
func Live(t *testing.T, d dialect.Dialect, newDB func(t *testing.T) *sql.DB, snapshot func(t *testing.T, db *sql.DB) string) {
	for _, c := range Cases() {
		if !c.AppliesTo(d.Name()) {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			ctx := context.Background()
			db := newDB(t)
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			snap := func() string {
				if snapshot == nil {
					return ""
				}
				return snapshot(t, db)
			}
			Exec(ctx, t, d, conn, c.Setup)
			before := snap()
			Exec(ctx, t, d, conn, c.Ops)
			after := snap()
			if c.Teardown == nil {
				return
			}
			Exec(ctx, t, d, conn, c.Teardown)
			if got := snap(); got != before {
				t.Errorf("downgrade did not restore the catalog:\n--- after downgrade\n%s\n--- before upgrade\n%s", got, before)
			}
			Exec(ctx, t, d, conn, c.Ops)
			if got := snap(); got != after {
				t.Errorf("second upgrade differs from the first:\n--- second\n%s\n--- first\n%s", got, after)
			}
		})
	}
}
