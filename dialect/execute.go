package dialect

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/sqlsplit"
)

// RenderExecute returns the statements of an op.Execute for d, or none
// when it is restricted to other dialects.
//
// Without arguments the text may hold several statements: it is cut with
// the dialect's splitter, as a SQL revision's section is. With arguments
// it is one statement whose placeholders are in the dialect's syntax
// ($1, $2 on PostgreSQL; ? elsewhere): online they are bound; offline
// each placeholder outside quotes and comments is replaced by the
// argument's literal (Dialect.Literal), and a count that does not match
// the placeholders is an error.
func RenderExecute(d Syntax, e op.Execute, online bool) ([]Stmt, error) {
	if !e.AppliesTo(d.Name()) {
		return nil, nil
	}
	if len(e.Args) == 0 {
		parts, err := sqlsplit.Split(e.SQL, d.SplitOptions())
		if err != nil {
			return nil, fmt.Errorf("execute: %w", err)
		}
		out := make([]Stmt, 0, len(parts))
		for _, p := range parts {
			out = append(out, Stmt{SQL: p.Text, NoTx: p.NoTx})
		}
		return out, nil
	}
	sql := strings.TrimSpace(e.SQL)
	sql = strings.TrimSuffix(sql, ";")
	if online {
		if d.Placeholder(1) == "$1" {
			// Portable "?" placeholders become $n.
			text, err := rewrite(d, sql, len(e.Args), func(i int) string { return d.Placeholder(i + 1) })
			if err != nil {
				return nil, fmt.Errorf("execute: %w", err)
			}
			sql = text
		}
		return []Stmt{{SQL: sql, Args: e.Args}}, nil
	}
	text, err := Inline(d, sql, e.Args)
	if err != nil {
		return nil, fmt.Errorf("execute: %w", err)
	}
	return []Stmt{{SQL: text}}, nil
}

// ErrPlaceholders is wrapped when the arguments of a statement do not
// match its placeholders.
var ErrPlaceholders = errors.New("arguments do not match the placeholders")

// Inline replaces the placeholders of sql that stand outside quoted
// spans and comments with the literals of args, for offline scripts.
// Placeholders are "?" in order, or on PostgreSQL (where
// d.Placeholder(1) is "$1") either "$n" or, in a statement without any
// "$n", "?" in order.
func Inline(d Syntax, sql string, args []any) (string, error) {
	lits := make([]string, len(args))
	for i, a := range args {
		l, err := d.Literal(a)
		if err != nil {
			return "", fmt.Errorf("argument %d: %w", i+1, err)
		}
		lits[i] = l
	}
	return rewrite(d, sql, len(args), func(i int) string { return lits[i] })
}

// rewrite replaces the placeholders of sql (see Inline) with repl of the
// 0-based argument index, checking that each of the nargs arguments has
// one.
func rewrite(d Syntax, sql string, nargs int, repl func(int) string) (string, error) {
	numbered := d.Placeholder(1) == "$1" && hasNumbered(d, sql)
	out, err := replace(d, sql, numbered, nargs, repl)
	return out, err
}

// hasNumbered reports whether sql has a $n placeholder outside quoted
// spans and comments.
func hasNumbered(d Syntax, sql string) bool {
	found := false
	_, _ = replace(d, sql, true, -1, func(int) string { found = true; return "" })
	return found
}

// replace does rewrite's work with the placeholder style given; nargs < 0
// accepts any numbers and checks nothing.
func replace(d Syntax, sql string, numbered bool, nargs int, repl func(int) string) (string, error) {
	check := nargs >= 0
	if !check {
		nargs = int(^uint(0) >> 1)
	}
	o := d.SplitOptions()
	var b strings.Builder
	used := map[int]bool{}
	next := 0
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == '\'' || c == '"' || (c == '`' && o.Backticks):
			j := skipQuoted(sql, i, o.BackslashEscapes && c != '`' || (c == '\'' && o.EscapeStrings && i > 0 && (sql[i-1] == 'E' || sql[i-1] == 'e')))
			b.WriteString(sql[i:j])
			i = j
		case c == '-' && strings.HasPrefix(sql[i:], "--"), c == '#' && o.HashComments:
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				j = len(sql) - i
			}
			b.WriteString(sql[i : i+j])
			i += j
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			j := strings.Index(sql[i+2:], "*/")
			end := len(sql)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			b.WriteString(sql[i:end])
			i = end
		case c == '$' && numbered && i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9':
			j := i + 1
			for j < len(sql) && sql[j] >= '0' && sql[j] <= '9' {
				j++
			}
			n, _ := strconv.Atoi(sql[i+1 : j])
			if n < 1 || n > nargs {
				return "", fmt.Errorf("%w: $%d with %d arguments", ErrPlaceholders, n, nargs)
			}
			used[n-1] = true
			b.WriteString(repl(n - 1))
			i = j
		case c == '$' && o.DollarQuotes:
			tag, ok := dollarTag(sql[i:])
			if !ok {
				b.WriteByte(c)
				i++
				continue
			}
			j := strings.Index(sql[i+len(tag):], tag)
			end := len(sql)
			if j >= 0 {
				end = i + len(tag) + j + len(tag)
			}
			b.WriteString(sql[i:end])
			i = end
		case c == '?' && !numbered:
			if next >= nargs {
				return "", fmt.Errorf("%w: more placeholders than the %d arguments", ErrPlaceholders, nargs)
			}
			used[next] = true
			b.WriteString(repl(next))
			next++
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	for k := 0; check && k < nargs; k++ {
		if !used[k] {
			return "", fmt.Errorf("%w: argument %d has no placeholder", ErrPlaceholders, k+1)
		}
	}
	return b.String(), nil
}

// skipQuoted returns the index just past the quoted span starting at i.
func skipQuoted(s string, i int, backslash bool) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case backslash && s[j] == '\\':
			j++
		case s[j] == q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// dollarTag returns the $tag$ opening s, if it opens with one.
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return s[:j+1], true
		}
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 || j > 1 && c >= '0' && c <= '9') {
			return "", false
		}
	}
	return "", false
}
