package importer

import (
	"fmt"
	"strings"

	"github.com/retortdb/retort/sqlsplit"
)

// section is the SQL of one direction of a source migration, line by
// line, with the blocks the source marks as one statement each (goose's
// StatementBegin ... StatementEnd).
type section struct {
	lines  []string
	blocks []block
}

// block is lines[start:end] of a section, one statement in the source;
// line is the source line of its first line.
type block struct {
	start, end, line int
}

func (s *section) text() string { return strings.Join(s.lines, "\n") }

// splitters are the dialects retort splits statements for, as section
// markers name them.
var splitters = []struct {
	name string
	opts sqlsplit.Options
}{
	{"postgresql", sqlsplit.PostgreSQL()},
	{"mysql", sqlsplit.MySQL()},
	{"sqlite", sqlsplit.SQLite()},
}

// statementCount is how many statements retort's splitter cuts text into
// with opts; -1 when it cannot split it.
func statementCount(text string, opts sqlsplit.Options) int {
	st, err := sqlsplit.Split(text, opts)
	if err != nil {
		return -1
	}
	return len(st)
}

// checkBlocks checks that retort's splitter keeps each of s's blocks
// whole. A block kept whole for PostgreSQL is PostgreSQL SQL (a
// dollar-quoted body that MySQL and SQLite would not run anyway): fine.
// A block cut for PostgreSQL and for MySQL is a MySQL routine that needs
// DELIMITER: the returned text is the section for MySQL with DELIMITER
// lines around such blocks ("" when no block needs them), and a warning
// says so. Any other block that is cut somewhere is a warning naming the
// dialect.
func checkBlocks(s *section, file string) (mysql string, warns []Warning) {
	wrap := map[int]bool{}
	for i, b := range s.blocks {
		text := strings.Join(s.lines[b.start:b.end], "\n")
		counts := map[string]int{}
		for _, sp := range splitters {
			counts[sp.name] = statementCount(text, sp.opts)
		}
		switch {
		case counts["postgresql"] == 1 && counts["mysql"] == 1 && counts["sqlite"] == 1, counts["postgresql"] == 1 && counts["mysql"] != 1:
		case counts["postgresql"] != 1 && counts["mysql"] != 1:
			wrap[i] = true
			warns = append(warns, Warning{Path: file, Line: b.line, Msg: "statement block (StatementBegin): retort's splitter would cut it, so the revision's mysql section wraps it in DELIMITER lines"})
		default:
			for _, sp := range splitters {
				if n := counts[sp.name]; n != 1 {
					what := fmt.Sprintf("into %d statements", n)
					if n < 0 {
						what = "at all (an unclosed quote, comment or block)"
					}
					warns = append(warns, Warning{Path: file, Line: b.line, Msg: fmt.Sprintf("statement block (StatementBegin): retort's splitter for %s cuts it %s; check it before running it there", sp.name, what)})
				}
			}
		}
	}
	if len(wrap) == 0 {
		return "", warns
	}
	var out []string
	next := 0
	for i, b := range s.blocks {
		if !wrap[i] {
			continue
		}
		out = append(out, s.lines[next:b.start]...)
		body := strings.Join(s.lines[b.start:b.end], "\n")
		delim := pickDelimiter(body)
		body = strings.TrimRight(body, " \t\n")
		body = strings.TrimSuffix(body, ";")
		out = append(out, "DELIMITER "+delim, body, delim, "DELIMITER ;")
		next = b.end
	}
	out = append(out, s.lines[next:]...)
	return strings.Join(out, "\n"), warns
}

// pickDelimiter returns a delimiter that body does not contain.
func pickDelimiter(body string) string {
	for _, d := range []string{"$$", "//", ";;", "$$$"} {
		if !strings.Contains(body, d) {
			return d
		}
	}
	return "@@@@"
}
