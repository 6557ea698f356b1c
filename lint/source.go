package lint

import (
	"errors"
	"strings"

	"github.com/retortdb/retort/script"
	"github.com/retortdb/retort/sqlsplit"
)

// splitOptions are the splitter's rules of each dialect.
func splitOptions(d string) sqlsplit.Options {
	switch d {
	case Postgres:
		return sqlsplit.PostgreSQL()
	case MySQL:
		return sqlsplit.MySQL()
	}
	return sqlsplit.SQLite()
}

// SQLRevision reads a SQL revision file held in memory (path is how
// findings name it) into the statements each of dialects runs on
// upgrade: the dialect's own upgrade section where the file has one,
// else the plain one. A section the splitter cannot cut is an RT901
// problem; a malformed file (header, markers) is an error.
func SQLRevision(path string, content []byte, dialects []string) (*Revision, error) {
	sc, body, err := script.Parse(content, path)
	if err != nil {
		return nil, err
	}
	rev := &Revision{ID: sc.Revision, Path: path, Source: strings.ReplaceAll(string(content), "\r\n", "\n"),
		Statements: map[string][]Statement{}, HasDowngrade: body.HasDowngrade()}
	for _, d := range dialects {
		b := body.For(d)
		sec := b.Upgrade
		if !sec.Present {
			continue // upgrade sections only for other dialects
		}
		if b.Downgrade.Present {
			rev.HasDowngrade = true
		}
		stmts, err := sqlsplit.Split(sec.SQL, splitOptions(d))
		if err != nil {
			var se *sqlsplit.Error
			line, msg := sec.Line, err.Error()
			if errors.As(err, &se) {
				line, msg = sec.Line+se.Line-1, se.Msg
			}
			rev.Problems = append(rev.Problems, Problem{Code: "RT901", Line: line, Dialect: d,
				Message: "this section cannot be cut into statements: " + msg, Safe: "close the quote, comment or block"})
			rev.Statements[d] = nil
			continue
		}
		out := make([]Statement, len(stmts))
		for i, st := range stmts {
			out[i] = Statement{Text: st.Text, Line: sec.Line + st.Line - 1, NoTx: st.NoTx}
		}
		rev.Statements[d] = out
	}
	return rev, nil
}
