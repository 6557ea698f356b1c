package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// tmpPrefix starts the name of the table a move and copy builds.
const tmpPrefix = "_retort_tmp_"

// current is a table's definition before a move and copy: from
// Batch.CopyFrom, or reflected online.
type current struct {
	t *schema.Table // every constraint and index named
	// raw are reflected indexes, recreated from their own SQL text.
	raw []rawIndex
}

// rawIndex is a reflected index.
type rawIndex struct {
	name string
	sql  string
	cols []string // the columns it names (index_info)
	// opaque is true for an index with an expression part or a WHERE
	// clause, whose columns index_info does not all tell.
	opaque bool
}

// mentions reports, conservatively, whether the SQL text s may refer to
// column col.
func mentions(s, col string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(col))
}

// uses reports whether column col takes part in a key, constraint or
// index, which ALTER TABLE DROP COLUMN refuses.
func (c *current) uses(col string) bool {
	t := c.t
	if t.PK != nil && slices.Contains(t.PK.Columns, col) {
		return true
	}
	for _, u := range t.Uniques {
		if slices.Contains(u.Columns, col) {
			return true
		}
	}
	for _, fk := range t.ForeignKeys {
		if slices.Contains(fk.Columns, col) {
			return true
		}
	}
	for _, ck := range t.Checks {
		if mentions(ck.Expr, col) {
			return true
		}
	}
	if cc, ok := t.Column(col); ok && cc.Type.Kind == schema.KindEnum {
		return true
	}
	for _, idx := range t.Indexes {
		if slices.Contains(idx.Columns(), col) || mentions(idx.Where, col) {
			return true
		}
		for _, p := range idx.Parts {
			if p.Expr != "" && mentions(p.Expr, col) {
				return true
			}
		}
	}
	for _, r := range c.raw {
		if slices.Contains(r.cols, col) || r.opaque && mentions(r.sql, col) {
			return true
		}
	}
	return false
}

// fromTable is the current definition given by a Batch's CopyFrom.
func fromTable(rc dialect.RenderContext, t *schema.Table, name schema.TableName) (*current, error) {
	t = t.Clone()
	t.Schema, t.Name = name.Schema, name.Name
	nt, err := naming(rc).Apply(t, lim())
	if err != nil {
		return nil, fmt.Errorf("batch on %s: CopyFrom: %w", name, err)
	}
	return &current{t: nt}, nil
}

// described are the names of t's indexes and unique keys.
func described(t *schema.Table) []string {
	var names []string
	add := func(n string) { names = append(names, n) }
	if t.PK != nil {
		add(t.PK.Name)
	}
	for _, u := range t.Uniques {
		add(u.Name)
	}
	for _, idx := range t.Indexes {
		add(idx.Name)
	}
	return names
}

// undescribed reads, online, the indexes of table t that CopyFrom (t)
// does not describe by name, so that the move and copy creates them
// again as they are instead of losing them with DROP TABLE.
func (d *Dialect) undescribed(ctx context.Context, q dialect.Querier, t *schema.Table) ([]rawIndex, error) {
	raw, err := d.rawIndexes(ctx, q, t.TableName())
	if err != nil {
		return nil, err
	}
	names := described(t)
	return slices.DeleteFunc(raw, func(r rawIndex) bool {
		return slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, r.name) })
	}), nil
}

// batch renders a Batch (or one operation SQLite cannot do with ALTER
// TABLE) as a move and copy.
func (d *Dialect) batch(ctx context.Context, rc dialect.RenderContext, b op.Batch) ([]dialect.Stmt, error) {
	var cur *current
	var err error
	switch {
	case b.CopyFrom != nil:
		cur, err = fromTable(rc, b.CopyFrom, b.Table)
		if err == nil && rc.Online() {
			cur.raw, err = d.undescribed(ctx, rc.Q, cur.t)
		}
	case rc.Online():
		cur, err = d.inspect(ctx, rc, b.Table)
	default:
		return nil, fmt.Errorf("%w: SQLite changes table %s by a move and copy, which needs its current definition: wrap the operations in op.Batch with CopyFrom set to the table as it is (offline there is no database to read it from)", dialect.ErrNeedExisting, b.Table)
	}
	if err != nil {
		return nil, err
	}
	return d.moveAndCopy(ctx, rc, cur, b)
}

// moveAndCopy applies b's operations to cur and renders the copy, after
// SQLite's procedure for other kinds of table schema changes:
//
//   - online, drop the triggers and views that depend on the table
//     (dependents); offline, where they are not known, fail when the
//     table has triggers or indexes that CopyFrom does not describe, and
//     when foreign keys are enforced and other tables refer to it
//     (online that is refused before rendering);
//   - create the new table under a temporary name, copy the common
//     columns, drop the old table, rename the new one;
//   - create the indexes again, then the views and triggers, from their
//     own SQL, and make SQLite check every view and trigger of the
//     database by renaming a scratch table (ALTER TABLE … RENAME checks
//     the schema), so that one that no longer fits fails the step;
//   - when the table has foreign keys, fail if PRAGMA foreign_key_check
//     finds a row that breaks one.
func (d *Dialect) moveAndCopy(ctx context.Context, rc dialect.RenderContext, cur *current, b op.Batch) ([]dialect.Stmt, error) {
	t := cur.t.Clone()
	raw := slices.Clone(cur.raw)
	// src maps each column of the new table to its column in the old one.
	src := map[string]string{}
	for _, c := range t.Columns {
		src[c.Name] = c.Name
	}
	var reasons []string
	for _, o := range b.Ops {
		reasons = append(reasons, o.String())
		var err error
		raw, err = d.apply(rc, t, raw, src, o, b.Table)
		if err != nil {
			return nil, fmt.Errorf("batch on %s: %s: %w", b.Table, o, err)
		}
	}
	if len(t.Columns) == 0 {
		return nil, fmt.Errorf("batch on %s: no column left", b.Table)
	}
	body, err := d.tableBody(rc, t)
	if err != nil {
		return nil, fmt.Errorf("batch on %s: %w", b.Table, err)
	}
	var deps []dependent
	raiseExpr := false
	if rc.Online() {
		if raiseExpr, err = d.onlineChecks(ctx, rc.Q, b.Table); err != nil {
			return nil, err
		}
		if deps, err = d.dependents(ctx, rc.Q, b.Table); err != nil {
			return nil, err
		}
		if err := checkDependents(deps, goneColumns(cur.t, t, src), b.Table); err != nil {
			return nil, err
		}
	}
	var checks []guardCheck
	if !rc.Online() {
		checks = append(checks, d.triggersCheck(b.Table), d.indexesCheck(b.Table, described(cur.t)), d.fkEnforcedCheck(b.Table))
	}
	if len(t.ForeignKeys) > 0 && !raiseExpr {
		checks = append(checks, d.fkViolationCheck(b.Table, t.ForeignKeys))
	}

	var stmts []dialect.Stmt
	if len(checks) > 0 {
		stmts = append(stmts, d.guardCreate(checks))
		for _, c := range checks {
			if !c.after {
				stmts = append(stmts, d.guardInsert(c))
			}
		}
	}
	// Triggers first: dropping a view drops the triggers on it.
	for _, dep := range deps {
		if dep.typ == "trigger" {
			stmts = append(stmts, dialect.Stmt{SQL: "DROP TRIGGER " + d.qualified(b.Table.Schema, dep.name)})
		}
	}
	for _, dep := range deps {
		if dep.typ == "view" {
			stmts = append(stmts, dialect.Stmt{SQL: "DROP VIEW " + d.qualified(b.Table.Schema, dep.name)})
		}
	}
	tmp := schema.TableName{Schema: b.Table.Schema, Name: tmpPrefix + b.Table.Name}
	var to, from []string
	for _, c := range t.Columns {
		if c.Generated != nil {
			continue // computed by the new table itself
		}
		if s, ok := src[c.Name]; ok {
			to = append(to, d.QuoteIdent(c.Name))
			from = append(from, d.QuoteIdent(s))
		}
	}
	stmts = append(stmts, dialect.Stmt{SQL: "CREATE TABLE " + d.table(tmp) + " " + body})
	stmts[0].Comment = "batch: move and copy table " + b.Table.String() + ": " + strings.Join(reasons, "; ")
	if len(to) > 0 {
		stmts = append(stmts, dialect.Stmt{SQL: "INSERT INTO " + d.table(tmp) + " (" + strings.Join(to, ", ") + ")\nSELECT " + strings.Join(from, ", ") + " FROM " + d.table(b.Table)})
	}
	stmts = append(stmts,
		dialect.Stmt{SQL: "DROP TABLE " + d.table(b.Table)},
		dialect.Stmt{SQL: "ALTER TABLE " + d.table(tmp) + " RENAME TO " + d.QuoteIdent(b.Table.Name)},
	)
	for _, r := range raw {
		s, err := d.inSchema(r.sql, b.Table.Schema)
		if err != nil {
			return nil, fmt.Errorf("batch on %s: index %s: %w", b.Table, r.name, err)
		}
		stmts = append(stmts, dialect.Stmt{SQL: s})
	}
	for _, idx := range t.Indexes {
		s, err := d.createIndex(rc, b.Table, idx)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, dialect.Stmt{SQL: s})
	}
	// Views before triggers: a trigger may be on a view.
	for _, typ := range []string{"view", "trigger"} {
		for _, dep := range deps {
			if dep.typ != typ {
				continue
			}
			s, err := d.inSchema(dep.sql, b.Table.Schema)
			if err != nil {
				return nil, fmt.Errorf("batch on %s: %s: %w", b.Table, dep, err)
			}
			stmts = append(stmts, dialect.Stmt{SQL: s})
		}
	}
	if len(deps) > 0 {
		stmts = append(stmts, d.schemaCheck(b.Table)...)
	}
	if len(t.ForeignKeys) > 0 && raiseExpr {
		stmts = append(stmts, d.fkViolationRaise(b.Table)...)
	}
	for _, c := range checks {
		if c.after {
			stmts = append(stmts, d.guardInsert(c))
		}
	}
	if len(checks) > 0 {
		stmts = append(stmts, d.guardDrop())
	}
	return stmts, nil
}

// schemaCheck are statements that make SQLite check every view and
// trigger of t's database: renaming a table (here a scratch one) parses
// them all and fails with "error in trigger <name>: no such column: …"
// on one that does not fit the tables (with legacy_alter_table off,
// SQLite's default).
func (d *Dialect) schemaCheck(t schema.TableName) []dialect.Stmt {
	a := schema.TableName{Schema: t.Schema, Name: "_retort_check_" + t.Name}
	z := schema.TableName{Schema: t.Schema, Name: "_retort_checked_" + t.Name}
	return []dialect.Stmt{
		{SQL: "CREATE TABLE " + d.table(a) + " (x INTEGER)"},
		{SQL: "ALTER TABLE " + d.table(a) + " RENAME TO " + d.QuoteIdent(z.Name)},
		{SQL: "DROP TABLE " + d.table(z)},
	}
}

// goneColumns maps each column of old that the new table no longer has
// under its name, carrying its values, to its new name ("" when dropped).
func goneColumns(old, nt *schema.Table, src map[string]string) map[string]string {
	gone := map[string]string{}
	for _, c := range old.Columns {
		if s, ok := src[c.Name]; ok && s == c.Name && nt.ColumnIndex(c.Name) >= 0 {
			continue
		}
		gone[c.Name] = ""
		for n, s := range src {
			if s == c.Name {
				gone[c.Name] = n
			}
		}
	}
	return gone
}

// apply changes t (and the reflected indexes) by one operation.
func (d *Dialect) apply(rc dialect.RenderContext, t *schema.Table, raw []rawIndex, src map[string]string, o op.Op, name schema.TableName) ([]rawIndex, error) {
	if tn := opTable(o); tn != nil && *tn != name {
		return raw, fmt.Errorf("the operation is on table %s, not on the batch's table %s", *tn, name)
	}
	res := func(c schema.Constraint) (string, error) { return naming(rc).Resolve(t.Name, c, lim()) }
	colIdx := func(col string) (int, error) {
		i := t.ColumnIndex(col)
		if i < 0 {
			return -1, fmt.Errorf("no column %s in table %s (it has %s)", col, name, strings.Join(t.ColumnNames(), ", "))
		}
		return i, nil
	}
	switch x := o.(type) {
	case op.AddColumn:
		if t.ColumnIndex(x.Column.Name) >= 0 {
			return raw, fmt.Errorf("table %s already has a column %s", name, x.Column.Name)
		}
		if x.Column.AutoIncrement {
			return raw, fmt.Errorf("an identity column is the rowid primary key and cannot be added to an existing table on SQLite")
		}
		t.Columns = append(t.Columns, x.Column)
	case op.DropColumn:
		i, err := colIdx(x.Column)
		if err != nil {
			return raw, err
		}
		if t.PK != nil && slices.Contains(t.PK.Columns, x.Column) {
			return raw, fmt.Errorf("column %s is in the primary key %s: drop or change the primary key first, in the same batch", x.Column, t.PK.Name)
		}
		for _, u := range t.Uniques {
			if slices.Contains(u.Columns, x.Column) {
				return raw, fmt.Errorf("column %s is in the unique constraint %s: drop it first, in the same batch", x.Column, u.Name)
			}
		}
		for _, fk := range t.ForeignKeys {
			if slices.Contains(fk.Columns, x.Column) {
				return raw, fmt.Errorf("column %s is in the foreign key %s: drop it first, in the same batch", x.Column, fk.Name)
			}
		}
		t.Columns = slices.Delete(t.Columns, i, i+1)
		delete(src, x.Column)
		// Indexes on the column go with it, as DROP COLUMN elsewhere does.
		t.Indexes = slices.DeleteFunc(t.Indexes, func(idx schema.Index) bool {
			return slices.Contains(idx.Columns(), x.Column)
		})
		for _, r := range raw {
			if r.opaque && mentions(r.sql, x.Column) {
				return raw, fmt.Errorf("index %s may use column %s in an expression or WHERE clause: drop it first, in the same batch", r.name, x.Column)
			}
		}
		raw = slices.DeleteFunc(raw, func(r rawIndex) bool { return slices.Contains(r.cols, x.Column) })
	case op.AlterColumn:
		i, err := colIdx(x.Column)
		if err != nil {
			return raw, err
		}
		c := &t.Columns[i]
		if x.Type != nil {
			c.Type = *x.Type
			if c.AutoIncrement && !c.Type.IsInteger() {
				c.AutoIncrement = false
			}
		}
		if x.Null != nil {
			c.Null = *x.Null
		}
		if x.Default != nil {
			c.Def = *x.Default
		}
		if x.NewName != "" && x.NewName != x.Column {
			if t.ColumnIndex(x.NewName) >= 0 {
				return raw, fmt.Errorf("table %s already has a column %s", name, x.NewName)
			}
			for _, r := range raw {
				if slices.Contains(r.cols, x.Column) || r.opaque && mentions(r.sql, x.Column) {
					return raw, fmt.Errorf("index %s uses column %s and is kept as its SQL text, which a rename inside a batch does not rewrite: rename the column outside the batch (RENAME COLUMN rewrites it), or pass CopyFrom", r.name, x.Column)
				}
			}
			schema.RenameColumnRefs(t, x.Column, x.NewName)
			c.Name = x.NewName
			if s, ok := src[x.Column]; ok {
				delete(src, x.Column)
				src[x.NewName] = s
			}
		}
	case op.CreateIndex:
		n, err := res(x.Index)
		if err != nil {
			return raw, err
		}
		idx := x.Index
		idx.Name = n
		t.Indexes = append(t.Indexes, idx)
	case op.DropIndex:
		n, err := res(x.Index)
		if err != nil {
			return raw, err
		}
		before := len(t.Indexes) + len(raw)
		t.Indexes = slices.DeleteFunc(t.Indexes, func(i schema.Index) bool { return i.Name == n })
		raw = slices.DeleteFunc(raw, func(r rawIndex) bool { return r.name == n })
		if len(t.Indexes)+len(raw) == before {
			return raw, fmt.Errorf("table %s has no index %s", name, n)
		}
	case op.CreatePrimaryKey:
		if t.PK != nil {
			return raw, fmt.Errorf("table %s already has a primary key %s: drop it first, in the same batch", name, t.PK.Name)
		}
		n, err := res(x.PrimaryKey)
		if err != nil {
			return raw, err
		}
		pk := x.PrimaryKey
		pk.Name = n
		t.PK = &pk
	case op.DropPrimaryKey:
		if t.PK == nil {
			return raw, fmt.Errorf("table %s has no primary key", name)
		}
		for i := range t.Columns {
			t.Columns[i].AutoIncrement = false
		}
		t.PK = nil
	case op.CreateUnique:
		n, err := res(x.Unique)
		if err != nil {
			return raw, err
		}
		u := x.Unique
		u.Name = n
		t.Uniques = append(t.Uniques, u)
	case op.DropUnique:
		n, err := res(x.Unique)
		if err != nil {
			return raw, err
		}
		i := slices.IndexFunc(t.Uniques, func(u schema.Unique) bool { return u.Name == n })
		if i < 0 {
			return raw, fmt.Errorf("table %s has no unique constraint %s", name, n)
		}
		t.Uniques = slices.Delete(t.Uniques, i, i+1)
	case op.CreateForeignKey:
		n, err := res(x.ForeignKey)
		if err != nil {
			return raw, err
		}
		fk := x.ForeignKey
		fk.Name = n
		t.ForeignKeys = append(t.ForeignKeys, fk)
	case op.DropForeignKey:
		n, err := res(x.ForeignKey)
		if err != nil {
			return raw, err
		}
		i := slices.IndexFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool { return fk.Name == n })
		if i < 0 {
			return raw, fmt.Errorf("table %s has no foreign key %s", name, n)
		}
		t.ForeignKeys = slices.Delete(t.ForeignKeys, i, i+1)
	case op.CreateCheck:
		n, err := res(x.Check)
		if err != nil {
			return raw, err
		}
		ck := x.Check
		ck.Name = n
		t.Checks = append(t.Checks, ck)
	case op.DropCheck:
		n, err := res(x.Check)
		if err != nil {
			return raw, err
		}
		i := slices.IndexFunc(t.Checks, func(c schema.Check) bool { return c.Name == n })
		if i < 0 {
			return raw, fmt.Errorf("table %s has no check constraint %s", name, n)
		}
		t.Checks = slices.Delete(t.Checks, i, i+1)
	case op.SetColumnComment, op.SetTableComment:
		// SQLite keeps no comments.
	default:
		return raw, fmt.Errorf("%w: a batch holds column, constraint and index operations on its table only", dialect.ErrUnsupported)
	}
	return raw, nil
}

// opTable returns the table an operation inside a batch names.
func opTable(o op.Op) *schema.TableName {
	var t schema.TableName
	switch x := o.(type) {
	case op.AddColumn:
		t = x.Table
	case op.DropColumn:
		t = x.Table
	case op.AlterColumn:
		t = x.Table
	case op.CreateIndex:
		t = x.Table
	case op.DropIndex:
		t = x.Table
	case op.SetColumnComment:
		t = x.Table
	case op.SetTableComment:
		t = x.Table
	default:
		t = tableOf(o)
		if t == (schema.TableName{}) {
			return nil
		}
	}
	if t == (schema.TableName{}) {
		return nil
	}
	return &t
}
