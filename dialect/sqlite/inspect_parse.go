package sqlite

import (
	"fmt"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

// hasWhere reports whether a CREATE INDEX statement has a WHERE clause.
func hasWhere(s string) bool {
	for _, tk := range tokenize(s) {
		if tk.kind == tWord && strings.EqualFold(tk.text, "WHERE") {
			return true
		}
	}
	return false
}

type tokKind int

const (
	tWord   tokKind = iota // keyword, bare name or number
	tIdent                 // quoted identifier; val is unquoted
	tString                // '…'
	tGroup                 // (…) with its parentheses
	tPunct
)

type tok struct {
	kind tokKind
	text string
	val  string
	pos  int // offset of text in the tokenized string
}

// name is a token's value as an identifier.
func (t tok) name() string {
	if t.kind == tIdent {
		return t.val
	}
	return t.text
}

func (t tok) is(kw string) bool { return t.kind == tWord && strings.EqualFold(t.text, kw) }

// tokenize cuts SQL text into tokens, a parenthesised group being one.
func tokenize(s string) []tok {
	var out []tok
	for i := 0; i < len(s); {
		c := s[i]
		start, n := i, len(out)
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case c == '-' && strings.HasPrefix(s[i:], "--"):
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				j = len(s) - i
			}
			i += j
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				i = len(s)
			} else {
				i += j + 4
			}
		case c == '"' || c == '`':
			j := i + 1
			var v strings.Builder
			for j < len(s) {
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c {
						v.WriteByte(c)
						j += 2
						continue
					}
					break
				}
				v.WriteByte(s[j])
				j++
			}
			out = append(out, tok{kind: tIdent, text: s[i:min(j+1, len(s))], val: v.String()})
			i = j + 1
		case c == '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				j = len(s) - i - 1
			}
			out = append(out, tok{kind: tIdent, text: s[i : i+j+1], val: s[i+1 : i+j]})
			i += j + 1
		case c == '\'' || (c == 'x' || c == 'X') && i+1 < len(s) && s[i+1] == '\'':
			j := skipString(s, strings.IndexByte(s[i:], '\'')+i)
			out = append(out, tok{kind: tString, text: s[i:j]})
			i = j
		case c == '(':
			j := matchingParen(s, i)
			if j < 0 {
				j = len(s) - 1
			}
			out = append(out, tok{kind: tGroup, text: s[i : j+1]})
			i = j + 1
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80 || c == '$':
			j := i
			for j < len(s) {
				c := s[j]
				if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80 || c == '$' || c == '.' && j > i && s[i] >= '0' && s[i] <= '9' {
					j++
					continue
				}
				break
			}
			out = append(out, tok{kind: tWord, text: s[i:j]})
			i = j
		default:
			out = append(out, tok{kind: tPunct, text: s[i : i+1]})
			i++
		}
		if len(out) > n {
			out[n].pos = start
		}
	}
	return out
}

// inner returns a group's text without its parentheses.
func inner(t tok) string { return strings.TrimSpace(t.text[1 : len(t.text)-1]) }

// splitComma cuts tokens at top-level commas.
func splitComma(ts []tok) [][]tok {
	var out [][]tok
	var cur []tok
	for _, t := range ts {
		if t.kind == tPunct && t.text == "," {
			out = append(out, cur)
			cur = nil
			continue
		}
		cur = append(cur, t)
	}
	return append(out, cur)
}

// nameList reads a group of column names, "(a, "b" DESC)".
func nameList(t tok) ([]string, error) {
	if t.kind != tGroup {
		return nil, unreadable("expected a column list, found %s", t.text)
	}
	var cols []string
	for _, item := range splitComma(tokenize(inner(t))) {
		if len(item) == 0 || item[0].kind != tIdent && item[0].kind != tWord {
			return nil, unreadable("cannot read the column list %s", t.text)
		}
		for _, extra := range item[1:] {
			if !extra.is("ASC") && !extra.is("DESC") {
				return nil, unreadable("cannot read the column list %s", t.text)
			}
		}
		cols = append(cols, item[0].name())
	}
	return cols, nil
}

// unreadableError is a table definition the schema model cannot hold
// (a generated column, a table option it has no field for, a clause it
// cannot read). It is an ErrUnsupported; msg says what it is, without
// the table, for the batch's own message.
type unreadableError struct{ msg string }

func (e *unreadableError) Error() string { return e.msg }

func (e *unreadableError) Is(target error) bool { return target == dialect.ErrUnsupported }

func unreadable(format string, args ...any) error {
	return &unreadableError{msg: fmt.Sprintf(format, args...)}
}

// parseCreateTable reads what only a CREATE TABLE statement tells into t,
// whose columns and primary key columns are already known from
// table_xinfo: constraint names, unique constraints, checks and foreign
// keys (at table and at column level), column collations, AUTOINCREMENT
// and the table options WITHOUT ROWID and STRICT.
func parseCreateTable(t *schema.Table, text string) error {
	ts := tokenize(text)
	gi := -1
	for i, tk := range ts {
		if tk.kind == tGroup {
			gi = i
			break
		}
	}
	if gi < 0 {
		return unreadable("cannot read its CREATE TABLE statement")
	}
	if gi > 0 && ts[gi-1].is("AS") {
		return unreadable("it was created by CREATE TABLE … AS SELECT, whose definition cannot be read")
	}
	for _, opt := range splitComma(ts[gi+1:]) {
		switch {
		case len(opt) == 0 || len(opt) == 1 && opt[0].kind == tPunct && opt[0].text == ";":
		case len(opt) == 2 && opt[0].is("WITHOUT") && opt[1].is("ROWID"):
			t.Ext.WithoutRowID = true
		case len(opt) == 1 && opt[0].is("STRICT"):
			t.Ext.Strict = true
		default:
			return unreadable("table options after the column list (%s) are not carried over", joinToks(opt))
		}
	}
	for _, item := range splitComma(tokenize(inner(ts[gi]))) {
		if len(item) == 0 {
			continue
		}
		first := item[0]
		if first.is("CONSTRAINT") || first.is("PRIMARY") || first.is("UNIQUE") || first.is("CHECK") || first.is("FOREIGN") {
			if err := tableConstraint(t, item); err != nil {
				return err
			}
			continue
		}
		if err := columnConstraints(t, item); err != nil {
			return err
		}
	}
	return nil
}

// references reads "REFERENCES table [(cols)] [ON DELETE|UPDATE action]…"
// into fk and returns the tokens after it.
func references(fk *schema.ForeignKey, item []tok) ([]tok, error) {
	bad := func() error { return unreadable("cannot read the foreign key %s", joinToks(item)) }
	if len(item) < 2 || !item[0].is("REFERENCES") {
		return nil, bad()
	}
	fk.RefTable = item[1].name()
	rest := item[2:]
	if len(rest) > 0 && rest[0].kind == tGroup {
		cols, err := nameList(rest[0])
		if err != nil {
			return nil, err
		}
		fk.RefColumns = cols
		rest = rest[1:]
	}
	for len(rest) > 0 && rest[0].is("ON") {
		if len(rest) < 3 {
			return nil, bad()
		}
		var act schema.Action
		n := 3
		switch {
		case rest[2].is("CASCADE"):
			act = schema.Cascade
		case rest[2].is("RESTRICT"):
			act = schema.Restrict
		case rest[2].is("SET") && len(rest) >= 4 && rest[3].is("NULL"):
			act, n = schema.SetNull, 4
		case rest[2].is("SET") && len(rest) >= 4 && rest[3].is("DEFAULT"):
			act, n = schema.SetDefault, 4
		case rest[2].is("NO") && len(rest) >= 4 && rest[3].is("ACTION"):
			act, n = schema.NoAction, 4
		default:
			return nil, bad()
		}
		switch {
		case rest[1].is("DELETE"):
			fk.OnDelete = act
		case rest[1].is("UPDATE"):
			fk.OnUpdate = act
		default:
			return nil, bad()
		}
		rest = rest[n:]
	}
	return deferral(fk, rest), nil
}

// deferral reads "[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]" into
// fk and returns the tokens after it. SQLite defers a key only when it is
// DEFERRABLE INITIALLY DEFERRED.
func deferral(fk *schema.ForeignKey, rest []tok) []tok {
	not := len(rest) > 1 && rest[0].is("NOT") && rest[1].is("DEFERRABLE")
	if !not && (len(rest) == 0 || !rest[0].is("DEFERRABLE")) {
		return rest
	}
	if not {
		rest = rest[2:]
	} else {
		rest = rest[1:]
		fk.Deferral = schema.DeferrableImmediate
	}
	if len(rest) > 1 && rest[0].is("INITIALLY") {
		if rest[1].is("DEFERRED") && !not {
			fk.Deferral = schema.DeferrableDeferred
		}
		rest = rest[2:]
	}
	return rest
}

func tableConstraint(t *schema.Table, item []tok) error {
	name := ""
	if item[0].is("CONSTRAINT") {
		if len(item) < 3 {
			return unreadable("cannot read constraint %s", joinToks(item))
		}
		name = item[1].name()
		item = item[2:]
	}
	bad := func() error { return unreadable("cannot read constraint %s", joinToks(item)) }
	switch {
	case item[0].is("PRIMARY") && len(item) == 3 && item[1].is("KEY"):
		cols, err := nameList(item[2])
		if err != nil {
			return err
		}
		t.PK = &schema.PrimaryKey{Name: name, Columns: cols}
	case item[0].is("UNIQUE") && len(item) == 2:
		cols, err := nameList(item[1])
		if err != nil {
			return err
		}
		t.Uniques = append(t.Uniques, schema.Unique{Name: name, Columns: cols})
	case item[0].is("CHECK") && len(item) == 2 && item[1].kind == tGroup:
		t.Checks = append(t.Checks, schema.Check{Name: name, Expr: inner(item[1])})
	case item[0].is("FOREIGN") && len(item) >= 5 && item[1].is("KEY") && item[3].is("REFERENCES"):
		cols, err := nameList(item[2])
		if err != nil {
			return err
		}
		fk := schema.ForeignKey{Name: name, Columns: cols}
		rest, err := references(&fk, item[3:])
		if err != nil {
			return err
		}
		if len(rest) > 0 {
			return bad()
		}
		t.ForeignKeys = append(t.ForeignKeys, fk)
	default:
		return bad()
	}
	return nil
}

// columnConstraints reads the constraints written inside a column
// definition: NOT NULL, NULL and DEFAULT are known from table_xinfo;
// PRIMARY KEY names the table's primary key (AUTOINCREMENT is a table
// attribute), UNIQUE, CHECK and REFERENCES become table constraints,
// COLLATE the column type's collation. Anything else is unreadable.
func columnConstraints(t *schema.Table, item []tok) error {
	col := item[0].name()
	ci := t.ColumnIndex(col)
	i := 1
	for i < len(item) && item[i].kind != tGroup && !isColumnKeyword(item[i]) {
		i++ // the type's words
	}
	if i < len(item) && item[i].kind == tGroup {
		i++ // the type's size
	}
	name := ""
	for i < len(item) {
		tk := item[i]
		switch {
		case tk.is("CONSTRAINT") && i+1 < len(item):
			name = item[i+1].name()
			i += 2
			continue
		case tk.is("NOT") && i+1 < len(item) && item[i+1].is("NULL"):
			i += 2
		case tk.is("NULL"):
			i++
		case tk.is("DEFAULT") && i+1 < len(item):
			i += 2
			if item[i-1].kind == tPunct && (item[i-1].text == "-" || item[i-1].text == "+") {
				i++
			}
		case tk.is("PRIMARY") && i+1 < len(item) && item[i+1].is("KEY"):
			i += 2
			if i < len(item) && (item[i].is("ASC") || item[i].is("DESC")) {
				i++
			}
			if i < len(item) && item[i].is("AUTOINCREMENT") {
				t.Ext.AutoIncrement = true
				i++
			}
			if t.PK != nil {
				t.PK.Name = name
			}
		case tk.is("UNIQUE"):
			t.Uniques = append(t.Uniques, schema.Unique{Name: name, Columns: []string{col}})
			i++
		case tk.is("CHECK") && i+1 < len(item) && item[i+1].kind == tGroup:
			t.Checks = append(t.Checks, schema.Check{Name: name, Expr: inner(item[i+1])})
			i += 2
		case (tk.is("GENERATED") && i+3 < len(item) && item[i+1].is("ALWAYS") && item[i+2].is("AS") && item[i+3].kind == tGroup) ||
			(tk.is("AS") && i+1 < len(item) && item[i+1].kind == tGroup):
			if tk.is("GENERATED") {
				i += 2
			}
			g := &schema.Generated{Expr: inner(item[i+1])}
			i += 2
			if i < len(item) && (item[i].is("STORED") || item[i].is("VIRTUAL")) {
				g.Stored = item[i].is("STORED")
				i++
			}
			if ci >= 0 {
				t.Columns[ci].Generated = g
			}
		case tk.is("COLLATE") && i+1 < len(item) && ci >= 0:
			t.Columns[ci].Type.Ext.Collation = item[i+1].name()
			i += 2
		case tk.is("REFERENCES"):
			fk := schema.ForeignKey{Name: name, Columns: []string{col}}
			rest, err := references(&fk, item[i:])
			if err != nil {
				return err
			}
			t.ForeignKeys = append(t.ForeignKeys, fk)
			i = len(item) - len(rest)
		default:
			return unreadable("column %s has %s, which the schema model does not hold", col, joinToks(item[i:]))
		}
		name = ""
	}
	return nil
}

// parseIndex reads a CREATE INDEX statement: its parts (a column, or an
// expression as written, without the parentheses retort's renderer puts
// around one), and its WHERE clause. A part with COLLATE is kept as an
// expression, since IndexPart has no collation.
func parseIndex(text string) (parts []schema.IndexPart, where string, err error) {
	ts := tokenize(text)
	gi := -1
	for i, tk := range ts {
		if tk.kind == tGroup && i > 0 {
			gi = i
			break
		}
	}
	if gi < 0 {
		return nil, "", unreadable("cannot read index %s", text)
	}
	body := text[ts[gi].pos+1 : ts[gi].pos+len(ts[gi].text)-1]
	for _, item := range splitComma(tokenize(body)) {
		if len(item) == 0 {
			return nil, "", unreadable("cannot read index %s", text)
		}
		var p schema.IndexPart
		if last := item[len(item)-1]; last.is("DESC") || last.is("ASC") {
			p.Desc = last.is("DESC")
			item = item[:len(item)-1]
		}
		if len(item) == 0 {
			return nil, "", unreadable("cannot read index %s", text)
		}
		if len(item) == 1 && (item[0].kind == tIdent || item[0].kind == tWord) {
			p.Column = item[0].name()
		} else if len(item) == 1 && item[0].kind == tGroup {
			p.Expr = inner(item[0])
		} else {
			end := item[len(item)-1]
			p.Expr = strings.TrimSpace(body[item[0].pos : end.pos+len(end.text)])
		}
		parts = append(parts, p)
	}
	for _, tk := range ts[gi+1:] {
		if tk.is("WHERE") {
			where = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text[tk.pos+len(tk.text):]), ";"))
			break
		}
	}
	return parts, where, nil
}

func isColumnKeyword(t tok) bool {
	for _, kw := range []string{"CONSTRAINT", "NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "CHECK", "REFERENCES", "COLLATE", "GENERATED", "AS"} {
		if t.is(kw) {
			return true
		}
	}
	return false
}

func joinToks(ts []tok) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.text
	}
	return strings.Join(s, " ")
}
