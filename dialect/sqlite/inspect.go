package sqlite

import (
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

// inspect reads a table's definition online, for a move and copy:
// columns from PRAGMA table_xinfo, constraints from its CREATE TABLE text
// in sqlite_master (names, CHECK expressions and foreign keys are only
// there), indexes as their own SQL text (triggers and views: see
// dependents). A definition it cannot carry over faithfully is an error
// that says to pass CopyFrom.
func (d *Dialect) inspect(rc dialect.RenderContext, name schema.TableName) (*current, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("read table %s for a move and copy: %s (pass the table's definition as op.Batch's CopyFrom instead)", name, fmt.Sprintf(format, args...))
	}
	master := "sqlite_master"
	pragma := "PRAGMA "
	if name.Schema != "" {
		master = d.QuoteIdent(name.Schema) + ".sqlite_master"
		pragma += d.QuoteIdent(name.Schema) + "."
	}
	ctx := rc.Ctx
	var text sql.NullString
	err := rc.Q.QueryRowContext(ctx, "SELECT sql FROM "+master+" WHERE type = 'table' AND name = ?", name.Name).Scan(&text)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("read table %s for a move and copy: no such table", name)
	}
	if err != nil {
		return nil, fmt.Errorf("read table %s for a move and copy: %w", name, err)
	}
	t := &schema.Table{Schema: name.Schema, Name: name.Name}
	type pkcol struct {
		name string
		pos  int
	}
	var pks []pkcol
	rows, err := rc.Q.QueryContext(ctx, pragma+"table_xinfo("+d.QuoteIdent(name.Name)+")")
	if err != nil {
		return nil, fmt.Errorf("read columns of %s: %w", name, err)
	}
	for rows.Next() {
		var cid, notnull, pk, hidden int
		var cname, ctype string
		var dflt sql.NullString
		if err := rows.Scan(&cid, &cname, &ctype, &notnull, &dflt, &pk, &hidden); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read columns of %s: %w", name, err)
		}
		if hidden != 0 {
			rows.Close()
			return nil, fail("column %s is generated or hidden", cname)
		}
		c := schema.Column{Name: cname, Type: schema.Raw(map[string]string{"sqlite": ctype}), Null: notnull == 0}
		if dflt.Valid {
			c.Def = schema.Expr(dflt.String)
		}
		if pk > 0 {
			pks = append(pks, pkcol{cname, pk})
		}
		t.Columns = append(t.Columns, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read columns of %s: %w", name, err)
	}
	if len(pks) > 0 {
		sort.Slice(pks, func(i, j int) bool { return pks[i].pos < pks[j].pos })
		pk := schema.PrimaryKey{}
		for _, p := range pks {
			pk.Columns = append(pk.Columns, p.name)
		}
		t.PK = &pk
	}
	if err := parseConstraints(t, text.String); err != nil {
		return nil, fail("%v", err)
	}
	// Unnamed constraints get the convention's names.
	for i := range t.Checks {
		if t.Checks[i].Name == "" {
			t.Checks[i].Label = fmt.Sprint(i + 1)
		}
	}
	nt, err := naming(rc).Apply(t, lim())
	if err != nil {
		return nil, fail("%v", err)
	}
	raw, err := d.rawIndexes(rc, name)
	if err != nil {
		return nil, err
	}
	return &current{t: nt, raw: raw}, nil
}

// rawIndexes reads the indexes of table name that have SQL text (not
// those of its PRIMARY KEY and UNIQUE constraints), with the columns
// PRAGMA index_info tells.
func (d *Dialect) rawIndexes(rc dialect.RenderContext, name schema.TableName) ([]rawIndex, error) {
	ctx := rc.Ctx
	master, pragma := d.master(name), "PRAGMA "
	if name.Schema != "" {
		pragma += d.QuoteIdent(name.Schema) + "."
	}
	var raw []rawIndex
	rows, err := rc.Q.QueryContext(ctx, "SELECT name, sql FROM "+master+" WHERE tbl_name = ? AND type = 'index' AND sql IS NOT NULL ORDER BY name", name.Name)
	if err != nil {
		return nil, fmt.Errorf("read indexes of %s: %w", name, err)
	}
	for rows.Next() {
		var iname, isql string
		if err := rows.Scan(&iname, &isql); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read indexes of %s: %w", name, err)
		}
		raw = append(raw, rawIndex{name: iname, sql: isql})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read indexes of %s: %w", name, err)
	}
	for i := range raw {
		r := &raw[i]
		irows, err := rc.Q.QueryContext(ctx, pragma+"index_info("+d.QuoteIdent(r.name)+")")
		if err != nil {
			return nil, fmt.Errorf("read index %s: %w", r.name, err)
		}
		for irows.Next() {
			var seqno, cid int
			var cname sql.NullString
			if err := irows.Scan(&seqno, &cid, &cname); err != nil {
				irows.Close()
				return nil, fmt.Errorf("read index %s: %w", r.name, err)
			}
			if cname.Valid {
				r.cols = append(r.cols, cname.String)
			} else {
				r.opaque = true
			}
		}
		irows.Close()
		if err := irows.Err(); err != nil {
			return nil, fmt.Errorf("read index %s: %w", r.name, err)
		}
		if hasWhere(r.sql) {
			r.opaque = true
		}
	}
	return raw, nil
}

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
			out = append(out, tok{tIdent, s[i:min(j+1, len(s))], v.String()})
			i = j + 1
		case c == '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				j = len(s) - i - 1
			}
			out = append(out, tok{tIdent, s[i : i+j+1], s[i+1 : i+j]})
			i += j + 1
		case c == '\'':
			j := skipString(s, i)
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
		return nil, fmt.Errorf("expected a column list, found %s", t.text)
	}
	var cols []string
	for _, item := range splitComma(tokenize(inner(t))) {
		if len(item) == 0 || item[0].kind != tIdent && item[0].kind != tWord {
			return nil, fmt.Errorf("cannot read the column list %s", t.text)
		}
		for _, extra := range item[1:] {
			if !extra.is("ASC") && !extra.is("DESC") {
				return nil, fmt.Errorf("cannot read the column list %s", t.text)
			}
		}
		cols = append(cols, item[0].name())
	}
	return cols, nil
}

// parseConstraints reads the named constraints and the checks and
// foreign keys of a CREATE TABLE statement into t, whose columns and
// primary key columns are already known.
func parseConstraints(t *schema.Table, text string) error {
	ts := tokenize(text)
	gi := -1
	for i, tk := range ts {
		if tk.kind == tGroup {
			gi = i
			break
		}
	}
	if gi < 0 {
		return fmt.Errorf("cannot read its CREATE TABLE statement")
	}
	for _, tk := range ts[gi+1:] {
		if tk.kind != tPunct || tk.text != ";" {
			return fmt.Errorf("table options after the column list (%s) are not carried over", tk.text)
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

func tableConstraint(t *schema.Table, item []tok) error {
	name := ""
	if item[0].is("CONSTRAINT") {
		if len(item) < 3 {
			return fmt.Errorf("cannot read constraint %s", joinToks(item))
		}
		name = item[1].name()
		item = item[2:]
	}
	bad := func() error { return fmt.Errorf("cannot read constraint %s", joinToks(item)) }
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
		fk := schema.ForeignKey{Name: name, Columns: cols, RefTable: item[4].name()}
		rest := item[5:]
		if len(rest) > 0 && rest[0].kind == tGroup {
			if fk.RefColumns, err = nameList(rest[0]); err != nil {
				return err
			}
			rest = rest[1:]
		}
		for len(rest) > 0 {
			if len(rest) < 3 || !rest[0].is("ON") {
				return bad()
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
				return bad()
			}
			switch {
			case rest[1].is("DELETE"):
				fk.OnDelete = act
			case rest[1].is("UPDATE"):
				fk.OnUpdate = act
			default:
				return bad()
			}
			rest = rest[n:]
		}
		t.ForeignKeys = append(t.ForeignKeys, fk)
	default:
		return bad()
	}
	return nil
}

// columnConstraints reads the constraints written inside a column
// definition: NOT NULL, NULL and DEFAULT are known from table_xinfo;
// PRIMARY KEY becomes the table's primary key, CHECK and UNIQUE table
// constraints. Anything else cannot be carried over.
func columnConstraints(t *schema.Table, item []tok) error {
	col := item[0].name()
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
				return fmt.Errorf("column %s is INTEGER PRIMARY KEY AUTOINCREMENT, which a move and copy does not carry over", col)
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
		default:
			return fmt.Errorf("column %s has %s, which a move and copy does not carry over", col, joinToks(item[i:]))
		}
		name = ""
	}
	return nil
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
