package lint

import (
	"context"
	"fmt"
	"path"
	"path/filepath"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

// GoStatements fills rev, a Go revision's file (Go set, Source read),
// with the statements lint checks: the operations sc's Upgrade records,
// rendered offline for each dialect as upgrade --sql renders them, at the
// line of the call that recorded each, with the suppressions the
// operations carry (op.Ops.Ignore). What cannot be planned offline is an
// RT707 problem: a revision not compiled in (sc.Go nil), an Upgrade that
// fails without a database, an op.Run step, an operation a dialect cannot
// render offline. xargs are the -x values the revision reads.
func GoStatements(ctx context.Context, rev *Revision, sc *script.Script, dialects []dialect.Dialect, xargs map[string]string) error {
	rev.Statements = map[string][]Statement{}
	if sc.Go == nil {
		rev.HasDowngrade = true
		rev.Problems = append(rev.Problems, Problem{Code: "RT707", Line: 1,
			Message: "this Go revision is not compiled into this program, so its operations were not checked",
			Safe:    "rebuild the migrations program with it (go build ./migrations) and lint again"})
		return nil
	}
	rev.HasDowngrade = sc.Go.Downgrade != nil
	if sc.Go.Upgrade == nil {
		return nil
	}
	rec := op.NewOpsWithXArgs(xargs)
	if err := sc.Go.Upgrade(rec); err != nil {
		rev.Problems = append(rev.Problems, Problem{Code: "RT707", Line: 1,
			Message: fmt.Sprintf("Upgrade failed while recording its operations offline (%v), so they were not checked", err),
			Safe:    "make Upgrade record its operations without a database; read the database only in an op.Run step"})
		return nil
	}
	ops := rec.List()
	for _, d := range dialects {
		dn := d.Name()
		var stmts []Statement
		for k, o := range ops {
			line := opLine(rec.Callers(k), sc.Path)
			if _, ok := o.(op.Run); ok {
				rev.Problems = append(rev.Problems, Problem{Code: "RT707", Line: line, Dialect: dn,
					Message: "op.Run runs Go code on the live database: lint cannot see what it does",
					Safe:    "write the work as Execute or BulkInsert operations where it can be SQL"})
				continue
			}
			if _, ok := o.(op.BulkInsert); ok {
				continue // rows loaded into a table: nothing a rule checks
			}
			rendered, err := dialect.RenderOp(ctx, dialect.RenderContext{}, d, o)
			if err != nil {
				rev.Problems = append(rev.Problems, Problem{Code: "RT707", Line: line, Dialect: dn,
					Message: fmt.Sprintf("%s cannot be rendered offline for %s (%v), so it was not checked", o, dn, err)})
				continue
			}
			nt, _ := d.(dialect.NoTxer)
			var ignore []Suppression
			for _, sp := range rec.Suppressions(k) {
				ignore = append(ignore, Suppression{Code: sp.Code, Reason: sp.Reason})
			}
			for _, st := range rendered {
				stmts = append(stmts, Statement{Text: st.SQL, Line: line, NoTx: st.NoTx || nt != nil && nt.NoTx(o), Ignore: ignore})
			}
		}
		rev.Statements[dn] = stmts
	}
	return nil
}

// opLine is the line of the revision file that recorded an operation:
// the innermost call in that file, else 1.
func opLine(callers []op.Pos, revPath string) int {
	base := path.Base(filepath.ToSlash(revPath))
	for _, c := range callers {
		if path.Base(filepath.ToSlash(c.File)) == base {
			return c.Line
		}
	}
	return 1
}
