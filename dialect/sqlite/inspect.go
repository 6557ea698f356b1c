package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

var _ dialect.Inspector = (*Dialect)(nil)

// Inspect implements dialect.Inspector: it reads the tables of the
// attached database opts.Schema ("" is main) with three queries, however
// many tables there are: the CREATE TABLE texts from sqlite_master, every
// column through pragma_table_xinfo joined to it, and every index's text.
//
// A column's Type has the declared type in Native, as written, and the
// neutral kind it maps to (VARCHAR(255) is String(255), an unknown type
// Raw with the declared text); its default is the Expr SQLite stores, as
// written ('x' for a string): NormalizeDefault says which Value it is.
// Constraint names, checks, foreign keys and their actions, collations
// and AUTOINCREMENT come from the CREATE TABLE text, since no pragma
// tells them; constraints and checks declared without a name have Name
// "". Indexes are the ones created by CREATE INDEX, sorted by name, with
// expression parts and WHERE clauses as written; those of PRIMARY KEY and
// UNIQUE constraints are the constraints. SQLite keeps no comments and
// no enum types (an Enum column is a VARCHAR with a check).
//
// Tables named sqlite_… (SQLite's own) are never read. A table the model
// cannot hold (a virtual table's hidden column, CREATE TABLE … AS, a clause it cannot
// read) is an error wrapping dialect.ErrUnsupported naming it: leave it
// out with InspectOptions.Exclude.
func (d *Dialect) Inspect(ctx context.Context, q dialect.Querier, opts dialect.InspectOptions) (*schema.Schema, error) {
	s := &schema.Schema{Name: opts.Schema}
	master := d.master(schema.TableName{Schema: opts.Schema})
	db := cmp.Or(opts.Schema, "main")
	fail := func(what string, err error) (*schema.Schema, error) {
		return nil, fmt.Errorf("inspect %s of SQLite database %s: %w", what, db, err)
	}

	texts := map[string]string{}
	rows, err := q.QueryContext(ctx, "SELECT name, sql FROM "+master+" WHERE type = 'table' AND sql IS NOT NULL ORDER BY name")
	if err != nil {
		return fail("tables", err)
	}
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			rows.Close()
			return fail("tables", err)
		}
		if strings.HasPrefix(strings.ToLower(name), "sqlite_") || !opts.Includes(name) {
			continue
		}
		texts[name] = text
		s.Tables = append(s.Tables, &schema.Table{Schema: opts.Schema, Name: name})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail("tables", err)
	}
	if len(s.Tables) == 0 {
		return s, nil
	}
	byName := make(map[string]*schema.Table, len(s.Tables))
	for _, t := range s.Tables {
		byName[t.Name] = t
	}

	type pkcol struct {
		name string
		pos  int
	}
	pks := map[string][]pkcol{}
	// With a list of tables (a batch reads one), only theirs are read.
	only, args := "", []any{db}
	if len(opts.Tables) > 0 {
		only = " AND m.name IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(opts.Tables)), ", ") + ")"
		for _, n := range opts.Tables {
			args = append(args, n)
		}
	}
	rows, err = q.QueryContext(ctx, "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden FROM "+master+
		" AS m JOIN pragma_table_xinfo(m.name, ?) AS p WHERE m.type = 'table' AND m.sql IS NOT NULL"+only+" ORDER BY m.name, p.cid", args...)
	if err != nil {
		return fail("columns", err)
	}
	for rows.Next() {
		var tname, cname, ctype string
		var notnull, pk, hidden int
		var dflt sql.NullString
		if err := rows.Scan(&tname, &cname, &ctype, &notnull, &dflt, &pk, &hidden); err != nil {
			rows.Close()
			return fail("columns", err)
		}
		t, ok := byName[tname]
		if !ok {
			continue
		}
		if hidden == 1 {
			rows.Close()
			return fail("table "+tname, unreadable("column %s is hidden (a virtual table's)", cname))
		}
		c := schema.Column{Name: cname, Type: typeFromNative(ctype), Null: notnull == 0}
		if hidden == 2 || hidden == 3 {
			// Generated, virtual (2) or stored (3): its expression is in
			// the CREATE TABLE text, read below with the constraints.
			c.Generated = &schema.Generated{Stored: hidden == 3}
		}
		c.Type.Native = ctype
		if c.Type.Kind == schema.KindRaw {
			c.Type.Raw = map[string]string{"sqlite": ctype}
		}
		if dflt.Valid {
			c.Def = schema.Expr(dflt.String)
		}
		if pk > 0 {
			pks[tname] = append(pks[tname], pkcol{cname, pk})
		}
		t.Columns = append(t.Columns, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail("columns", err)
	}

	for _, t := range s.Tables {
		if cols := pks[t.Name]; len(cols) > 0 {
			slices.SortFunc(cols, func(a, b pkcol) int { return cmp.Compare(a.pos, b.pos) })
			pk := &schema.PrimaryKey{}
			for _, c := range cols {
				pk.Columns = append(pk.Columns, c.name)
			}
			t.PK = pk
		}
		if err := parseCreateTable(t, texts[t.Name]); err != nil {
			return fail("table "+t.Name, err)
		}
	}

	rows, err = q.QueryContext(ctx, "SELECT tbl_name, name, sql FROM "+master+" WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
	if err != nil {
		return fail("indexes", err)
	}
	for rows.Next() {
		var tname, iname, text string
		if err := rows.Scan(&tname, &iname, &text); err != nil {
			rows.Close()
			return fail("indexes", err)
		}
		t, ok := byName[tname]
		if !ok {
			continue
		}
		parts, where, err := parseIndex(text)
		if err != nil {
			rows.Close()
			return fail("index "+iname, err)
		}
		t.Indexes = append(t.Indexes, schema.Index{Name: iname, Unique: isUniqueIndex(text), Parts: parts, Where: where})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail("indexes", err)
	}
	return s, nil
}

// isUniqueIndex reports whether a CREATE INDEX statement is CREATE
// UNIQUE INDEX.
func isUniqueIndex(text string) bool {
	ts := tokenize(text)
	return len(ts) > 1 && ts[1].is("UNIQUE")
}

// inspect reads a table's definition online, for a move and copy,
// through Inspect; then it refuses what a copy would lose (AUTOINCREMENT,
// table options, collations), makes every column's type its declared
// text verbatim (Raw) so that the copy declares the columns exactly as
// they were, and names the unnamed constraints by the convention. Its
// indexes are kept as their own SQL text (rawIndexes), triggers and
// views too (dependents). A definition it cannot carry over is an error
// that says to pass CopyFrom.
func (d *Dialect) inspect(ctx context.Context, rc dialect.RenderContext, name schema.TableName) (*current, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("read table %s for a move and copy: %s (pass the table's definition as op.Batch's CopyFrom instead)", name, fmt.Sprintf(format, args...))
	}
	s, err := d.Inspect(ctx, rc.Q, dialect.InspectOptions{Schema: name.Schema, Tables: []string{name.Name}, IncludeOwn: true})
	var ue *unreadableError
	if errors.As(err, &ue) {
		return nil, fail("%s", ue.msg)
	}
	if err != nil {
		return nil, fmt.Errorf("read table %s for a move and copy: %w", name, err)
	}
	rt, ok := s.Table(name.Name)
	if !ok {
		return nil, fmt.Errorf("read table %s for a move and copy: no such table", name)
	}
	t := rt.Clone()
	t.Indexes = nil // kept as their SQL text
	switch {
	case t.Ext.AutoIncrement:
		return nil, fail("column %s is INTEGER PRIMARY KEY AUTOINCREMENT, which a move and copy does not carry over", t.PK.Columns[0])
	case t.Ext.WithoutRowID:
		return nil, fail("table options after the column list (WITHOUT ROWID) are not carried over")
	case t.Ext.Strict:
		return nil, fail("table options after the column list (STRICT) are not carried over")
	}
	for i, c := range t.Columns {
		if c.Type.Ext.Collation != "" {
			return nil, fail("column %s has COLLATE %s, which a move and copy does not carry over", c.Name, c.Type.Ext.Collation)
		}
		t.Columns[i].Type = schema.Raw(map[string]string{"sqlite": c.Type.Native})
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
	raw, err := d.rawIndexes(ctx, rc.Q, name)
	if err != nil {
		return nil, err
	}
	return &current{t: nt, raw: raw}, nil
}

// rawIndexes reads the indexes of table name that have SQL text (not
// those of its PRIMARY KEY and UNIQUE constraints), with the columns
// PRAGMA index_info tells.
func (d *Dialect) rawIndexes(ctx context.Context, q dialect.Querier, name schema.TableName) ([]rawIndex, error) {
	master, pragma := d.master(name), "PRAGMA "
	if name.Schema != "" {
		pragma += d.QuoteIdent(name.Schema) + "."
	}
	var raw []rawIndex
	rows, err := q.QueryContext(ctx, "SELECT name, sql FROM "+master+" WHERE tbl_name = ? AND type = 'index' AND sql IS NOT NULL ORDER BY name", name.Name)
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
		irows, err := q.QueryContext(ctx, pragma+"index_info("+d.QuoteIdent(r.name)+")")
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
