package retort

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/script"
)

// ErrNotCompiled is wrapped by the ScriptError of a Go revision that
// this program does not have compiled in: the plain retort binary reads
// Go revisions' headers but runs them only through the project's
// migrations program.
var ErrNotCompiled = errors.New("this is a Go revision, and this program was not built with it")

// ErrOfflineRun is wrapped by the ScriptError of a Go revision that has
// an op.Run step when it is rendered offline: a Go function that reads
// the database cannot be written as SQL.
var ErrOfflineRun = errors.New("op.Run needs a live database, so this revision cannot be rendered as SQL; run it online, or replace the Run step with Execute/BulkInsert operations")

// noDowngradeFunc is the error of a Go revision without a Downgrade
// function, in the ScriptError of a downgrade through it. It matches
// ErrNoDowngrade.
type noDowngradeFunc struct{}

func (noDowngradeFunc) Error() string {
	return "it has no Downgrade function, so it cannot be downgraded"
}

func (noDowngradeFunc) Is(target error) bool { return target == ErrNoDowngrade }

// maxBulkParams bounds the parameters of one portable multi-row INSERT
// for dialects without a BulkLoader (SQLite's old default limit).
const maxBulkParams = 999

// prepareGo records the operations of a Go revision's step.
func (m *Project) prepareGo(s revision.Step, sc *script.Script, body *script.Body) (stepBody, error) {
	if sc.Go == nil {
		return stepBody{}, &ScriptError{Revision: s.Revision, Path: sc.Path, Err: ErrNotCompiled}
	}
	fn := sc.Go.Upgrade
	if !s.Up {
		fn = sc.Go.Downgrade
	}
	if fn == nil {
		if !s.Up {
			return stepBody{}, &ScriptError{Revision: s.Revision, Path: sc.Path, Err: noDowngradeFunc{}}
		}
		return stepBody{}, &ScriptError{Revision: s.Revision, Path: sc.Path, Err: errors.New("it has no Upgrade function")}
	}
	rec := op.NewOpsWithXArgs(m.xargs)
	if err := fn(rec); err != nil {
		dir := "Upgrade"
		if !s.Up {
			dir = "Downgrade"
		}
		return stepBody{}, &ScriptError{Revision: s.Revision, Path: sc.Path, Err: fmt.Errorf("%s: %w", dir, err)}
	}
	ops := rec.List()
	wd, _ := os.Getwd()
	b := stepBody{checksum: hex.EncodeToString(body.Checksum[:]), path: sc.Path, ops: ops}
	for k, o := range ops {
		file, line := recordedAt(rec.Callers(k), sc.Path, wd)
		st := dialect.Stmt{SQL: o.String(), NoTx: m.opNoTx(o), Path: file, Line: line}
		b.stmts = append(b.stmts, st)
		if st.NoTx {
			b.noTx = append(b.noTx, st.Line)
		}
	}
	return b, nil
}

// recordedAt chooses where an error about an operation points, from the
// calls that recorded it (innermost first, op.Ops.Callers) and the path
// of the revision file: the revision file's own line where it is among
// them (a revision that calls a helper points at its call of the
// helper), else the innermost call, in another file (a revision whose
// Upgrade is a function of another file, a test); the revision file
// alone when nothing is known. A file is the revision file when their
// names match: the runtime names files by where they were compiled, the
// script by where it was read. Another file is shown relative to the
// working folder wd when it lies below it.
func recordedAt(callers []op.Pos, revPath, wd string) (string, int) {
	base := path.Base(filepath.ToSlash(revPath))
	for _, c := range callers {
		if path.Base(filepath.ToSlash(c.File)) == base {
			return revPath, c.Line
		}
	}
	if len(callers) == 0 || callers[0].File == "" {
		return revPath, 0
	}
	file := callers[0].File
	if wd != "" && filepath.IsAbs(file) {
		if rel, err := filepath.Rel(wd, file); err == nil && filepath.IsLocal(rel) {
			file = rel
		}
	}
	return file, callers[0].Line
}

// opNoTx reports whether an operation must run outside a transaction,
// as the dialect says (dialect.NoTxer).
func (m *Project) opNoTx(o op.Op) bool {
	nt := m.caps.NoTxer
	return nt != nil && nt.NoTx(o)
}

// hasRun reports whether ops hold an op.Run, in a Batch too.
func hasRun(ops []op.Op) (int, bool) {
	for k, o := range ops {
		switch x := o.(type) {
		case op.Run:
			return k, true
		case op.Batch:
			if _, ok := hasRun(x.Ops); ok {
				return k, true
			}
		}
	}
	return 0, false
}

// checkOffline refuses, before anything is written, a plan with a step
// that cannot be rendered as SQL.
func checkOffline(steps []revision.Step, bodies []stepBody) error {
	for i, b := range bodies {
		if k, ok := hasRun(b.ops); ok {
			return &ScriptError{Revision: steps[i].Revision, Path: b.stmts[k].Path, Line: b.stmts[k].Line, Err: ErrOfflineRun}
		}
	}
	return nil
}

// execUnit runs the k-th unit of a step's body: a statement of a SQL
// revision, or an operation of a Go revision, rendered now so that an
// online renderer reads the catalog as the earlier steps left it. An
// operation's error is an *OpError naming it.
func (m *Project) execUnit(ctx context.Context, out sink, body stepBody, k int) error {
	if body.ops == nil {
		return out.exec(ctx, body.stmts[k])
	}
	o := body.ops[k]
	if sql, err := m.execOp(ctx, out, o); err != nil {
		return &OpError{Op: o.String(), SQL: sql, Err: err}
	}
	return nil
}

// execOp runs one operation of a Go revision through the sink. On
// failure it returns the statement that failed, when there is one to
// show.
func (m *Project) execOp(ctx context.Context, out sink, o op.Op) (string, error) {
	switch x := o.(type) {
	case op.Run:
		return "", out.runFunc(ctx, x.Func)
	case op.BulkInsert:
		return out.bulkInsert(ctx, x, o.String())
	}
	return out.operation(ctx, o)
}
