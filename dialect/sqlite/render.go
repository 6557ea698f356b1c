package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

var _ dialect.Renderer = (*Dialect)(nil)

// lim is SQLite's identifier limit: none.
func lim() schema.Limit { return schema.NoLimit() }

// Render implements dialect.Renderer: the statements of one operation.
// See the package documentation for what each operation becomes.
func (d *Dialect) Render(ctx context.Context, rc dialect.RenderContext, o op.Op) ([]dialect.Stmt, error) {
	one := func(sql string, err error) ([]dialect.Stmt, error) {
		if err != nil {
			return nil, err
		}
		return []dialect.Stmt{{SQL: sql}}, nil
	}
	switch x := o.(type) {
	case op.CreateTable:
		return d.createTable(rc, x.Table)
	case op.DropTable:
		return one("DROP TABLE "+d.table(x.Table), nil)
	case op.RenameTable:
		return one("ALTER TABLE "+d.table(x.Table)+" RENAME TO "+d.QuoteIdent(x.NewName), nil)
	case op.AddColumn:
		return d.addColumn(ctx, rc, x)
	case op.DropColumn:
		return d.dropColumn(ctx, rc, x)
	case op.AlterColumn:
		if x.NewName != "" && x.Type == nil && x.Null == nil && x.Default == nil {
			return one("ALTER TABLE "+d.table(x.Table)+" RENAME COLUMN "+d.QuoteIdent(x.Column)+" TO "+d.QuoteIdent(x.NewName), nil)
		}
		if x.Type == nil && x.Null == nil && x.Default == nil {
			return nil, nil // a comment only: SQLite keeps none
		}
		return d.batch(ctx, rc, op.Batch{Table: x.Table, Ops: []op.Op{x}})
	case op.CreateIndex:
		s, err := d.createIndex(rc, x.Table, x.Index)
		return one(s, err)
	case op.DropIndex:
		name, err := resolve(rc, x.Table, x.Index)
		return one("DROP INDEX "+d.qualified(x.Table.Schema, name), err)
	case op.CreatePrimaryKey, op.DropPrimaryKey, op.CreateUnique, op.DropUnique,
		op.CreateForeignKey, op.DropForeignKey, op.CreateCheck, op.DropCheck:
		return d.batch(ctx, rc, op.Batch{Table: tableOf(o), Ops: []op.Op{o}})
	case op.SetTableComment, op.SetColumnComment:
		return nil, nil // SQLite keeps no comments
	case op.CreateEnum, op.DropEnum:
		return nil, nil // an enum is a CHECK on its column
	case op.AddEnumValue:
		return nil, fmt.Errorf("%w: on SQLite an enum is a CHECK constraint on its column, not a type: change the column with AlterColumn to the Enum with the new value (a move and copy)", dialect.ErrUnsupported)
	case op.Batch:
		return d.batch(ctx, rc, x)
	case op.Execute:
		return dialect.RenderExecute(d, x, rc.Online())
	case op.BulkInsert, op.Run:
		return nil, fmt.Errorf("%w: %s is not rendered as statements", dialect.ErrUnsupported, o)
	}
	return nil, fmt.Errorf("%w: unknown operation %T", dialect.ErrUnsupported, o)
}

// tableOf returns the table a constraint operation concerns.
func tableOf(o op.Op) schema.TableName {
	switch x := o.(type) {
	case op.CreatePrimaryKey:
		return x.Table
	case op.DropPrimaryKey:
		return x.Table
	case op.CreateUnique:
		return x.Table
	case op.DropUnique:
		return x.Table
	case op.CreateForeignKey:
		return x.Table
	case op.DropForeignKey:
		return x.Table
	case op.CreateCheck:
		return x.Table
	case op.DropCheck:
		return x.Table
	}
	return schema.TableName{}
}

func (d *Dialect) table(t schema.TableName) string {
	return d.QuoteTable(dialect.Table{Schema: t.Schema, Name: t.Name})
}

// qualified quotes an index (or table) name in the attached database s.
func (d *Dialect) qualified(s, name string) string {
	return d.QuoteTable(dialect.Table{Schema: s, Name: name})
}

func naming(rc dialect.RenderContext) schema.Naming {
	if rc.Naming == (schema.Naming{}) {
		return schema.DefaultNaming()
	}
	return rc.Naming
}

func resolve(rc dialect.RenderContext, t schema.TableName, c schema.Constraint) (string, error) {
	return naming(rc).Resolve(t.Name, c, lim())
}

func (d *Dialect) columnList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = d.QuoteIdent(c)
	}
	return "(" + strings.Join(q, ", ") + ")"
}

// columnDef renders `"name" TYPE [NOT NULL] [DEFAULT …]`.
func (d *Dialect) columnDef(c schema.Column) (string, error) {
	typ, err := d.columnType(c)
	if err != nil {
		return "", err
	}
	s := d.QuoteIdent(c.Name)
	if typ != "" {
		s += " " + typ
	}
	if g := c.Generated; g != nil {
		s += " GENERATED ALWAYS AS (" + g.Expr + ")"
		if g.Stored {
			s += " STORED"
		} else {
			s += " VIRTUAL"
		}
	}
	if !c.Null {
		s += " NOT NULL"
	}
	if !c.Def.IsZero() {
		def, err := d.defaultSQL(c)
		if err != nil {
			return "", err
		}
		s += " DEFAULT " + def
	}
	return s, nil
}

func (d *Dialect) createTable(rc dialect.RenderContext, t *schema.Table) ([]dialect.Stmt, error) {
	if t == nil {
		return nil, errors.New("create table: no table given")
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	nt, err := naming(rc).Apply(t, lim())
	if err != nil {
		return nil, err
	}
	body, err := d.tableBody(rc, nt)
	if err != nil {
		return nil, err
	}
	stmts := []dialect.Stmt{{SQL: "CREATE TABLE " + d.table(nt.TableName()) + " " + body}}
	for _, idx := range nt.Indexes {
		s, err := d.createIndex(rc, nt.TableName(), idx)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, dialect.Stmt{SQL: s})
	}
	return stmts, nil
}

// tableBody renders the parenthesised column and constraint list of t,
// whose constraints are all named.
func (d *Dialect) tableBody(rc dialect.RenderContext, t *schema.Table) (string, error) {
	var items []string
	enumChecks := map[string]bool{}
	var checks []string
	for _, c := range t.Columns {
		if c.AutoIncrement && (t.PK == nil || len(t.PK.Columns) != 1 || t.PK.Columns[0] != c.Name) {
			return "", fmt.Errorf("table %s: identity column %s must be the single-column primary key on SQLite (it becomes INTEGER PRIMARY KEY, the rowid): make it the primary key or drop Identity", t.TableName(), c.Name)
		}
		def, err := d.columnDef(c)
		if err != nil {
			return "", fmt.Errorf("table %s: %w", t.TableName(), err)
		}
		items = append(items, def)
		expr, ok, err := d.enumCheck(c)
		if err != nil {
			return "", fmt.Errorf("table %s: %w", t.TableName(), err)
		}
		if ok {
			name, err := naming(rc).Resolve(t.Name, schema.Check{Label: c.Name}, lim())
			if err != nil {
				return "", err
			}
			enumChecks[name] = true
			checks = append(checks, "CONSTRAINT "+d.QuoteIdent(name)+" CHECK ("+expr+")")
		}
	}
	if t.PK != nil {
		items = append(items, d.constraintName(t.PK.Name)+"PRIMARY KEY "+d.columnList(t.PK.Columns))
	}
	for _, u := range t.Uniques {
		items = append(items, d.constraintName(u.Name)+"UNIQUE "+d.columnList(u.Columns))
	}
	for _, fk := range t.ForeignKeys {
		s, err := d.fkDef(t, fk)
		if err != nil {
			return "", err
		}
		items = append(items, s)
	}
	items = append(items, checks...)
	for _, c := range t.Checks {
		if enumChecks[c.Name] {
			continue // an Enum column's check, rendered from its values
		}
		items = append(items, d.constraintName(c.Name)+"CHECK ("+c.Expr+")")
	}
	return "(\n    " + strings.Join(items, ",\n    ") + "\n)", nil
}

func (d *Dialect) constraintName(name string) string {
	if name == "" {
		return ""
	}
	return "CONSTRAINT " + d.QuoteIdent(name) + " "
}

func (d *Dialect) fkDef(t *schema.Table, fk schema.ForeignKey) (string, error) {
	if fk.RefSchema != "" && fk.RefSchema != t.Schema {
		return "", fmt.Errorf("table %s: foreign key %s refers to %s.%s: SQLite foreign keys cannot refer to another attached database", t.TableName(), fk.Name, fk.RefSchema, fk.RefTable)
	}
	s := d.constraintName(fk.Name) + "FOREIGN KEY " + d.columnList(fk.Columns) + " REFERENCES " + d.QuoteIdent(fk.RefTable)
	if len(fk.RefColumns) > 0 {
		s += " " + d.columnList(fk.RefColumns)
	}
	if fk.OnDelete != "" {
		s += " ON DELETE " + string(fk.OnDelete)
	}
	if fk.OnUpdate != "" {
		s += " ON UPDATE " + string(fk.OnUpdate)
	}
	if fk.Deferral != "" {
		s += " " + string(fk.Deferral)
	}
	return s, nil
}

func (d *Dialect) createIndex(rc dialect.RenderContext, t schema.TableName, idx schema.Index) (string, error) {
	name, err := resolve(rc, t, idx)
	if err != nil {
		return "", err
	}
	if len(idx.Parts) == 0 {
		return "", fmt.Errorf("index %s on %s has no parts", name, t)
	}
	if idx.Method != "" {
		return "", fmt.Errorf("%w: index %s on %s: method %q (SQLite has one kind of index)", dialect.ErrUnsupported, name, t, idx.Method)
	}
	if len(idx.Include) > 0 {
		return "", fmt.Errorf("%w: index %s on %s includes columns (a covering index), which SQLite does not have", dialect.ErrUnsupported, name, t)
	}
	parts := make([]string, len(idx.Parts))
	for i, p := range idx.Parts {
		s := d.QuoteIdent(p.Column)
		if p.Expr != "" {
			s = "(" + p.Expr + ")"
		}
		if p.Desc {
			s += " DESC"
		}
		parts[i] = s
	}
	kw := "CREATE INDEX "
	if idx.Unique {
		kw = "CREATE UNIQUE INDEX "
	}
	s := kw + d.qualified(t.Schema, name) + " ON " + d.QuoteIdent(t.Name) + " (" + strings.Join(parts, ", ") + ")"
	if idx.Where != "" {
		s += " WHERE " + idx.Where
	}
	return s, nil
}

// addColumn is ALTER TABLE ADD COLUMN where SQLite allows it: no primary
// key or identity, NOT NULL only with a non-NULL default, a default that
// is a constant. Otherwise the column is added by a move and copy.
func (d *Dialect) addColumn(ctx context.Context, rc dialect.RenderContext, x op.AddColumn) ([]dialect.Stmt, error) {
	c := x.Column
	if c.AutoIncrement {
		return nil, fmt.Errorf("add column %s.%s: an identity column is the table's rowid primary key on SQLite and cannot be added to an existing table: create the table with it", x.Table, c.Name)
	}
	if reason := addColumnNeedsCopy(c); reason != "" {
		return d.batch(ctx, rc, op.Batch{Table: x.Table, Ops: []op.Op{x}})
	}
	def, err := d.columnDef(c)
	if err != nil {
		return nil, err
	}
	expr, ok, err := d.enumCheck(c)
	if err != nil {
		return nil, err
	}
	if ok {
		name, err := resolve(rc, x.Table, schema.Check{Label: c.Name})
		if err != nil {
			return nil, err
		}
		def += " CONSTRAINT " + d.QuoteIdent(name) + " CHECK (" + expr + ")"
	}
	return []dialect.Stmt{{SQL: "ALTER TABLE " + d.table(x.Table) + " ADD COLUMN " + def}}, nil
}

// addColumnNeedsCopy says why ALTER TABLE ADD COLUMN cannot add c, or "".
func addColumnNeedsCopy(c schema.Column) string {
	if c.Def.Kind == schema.DefaultExpr && !constantDefault(c.Def.Expr) {
		return "a default that is not a constant"
	}
	if s, ok := c.Def.Value.(string); ok && c.Def.Kind == schema.DefaultValue && strings.Contains(s, "\r\n") {
		return "a text default with CRLF, written as an expression"
	}
	if !c.Null && (c.Def.IsZero() || c.Def.Kind == schema.DefaultValue && c.Def.Value == nil) {
		return "NOT NULL without a non-NULL default"
	}
	return ""
}

// constantDefault reports whether ADD COLUMN takes the expression: a
// literal, not CURRENT_* nor a parenthesised expression.
func constantDefault(e string) bool {
	e = strings.TrimSpace(e)
	if !bareDefault(e) || strings.HasPrefix(e, "(") {
		return false
	}
	return !strings.HasPrefix(strings.ToUpper(e), "CURRENT_")
}

// dropColumn is ALTER TABLE DROP COLUMN unless the column is part of a
// key, constraint or index (known from the table, reflected online),
// where it is a move and copy.
func (d *Dialect) dropColumn(ctx context.Context, rc dialect.RenderContext, x op.DropColumn) ([]dialect.Stmt, error) {
	direct := []dialect.Stmt{{SQL: "ALTER TABLE " + d.table(x.Table) + " DROP COLUMN " + d.QuoteIdent(x.Column)}}
	if !rc.Online() {
		return direct, nil
	}
	cur, err := d.inspect(ctx, rc, x.Table)
	if err != nil {
		return nil, err
	}
	if !cur.uses(x.Column) {
		return direct, nil
	}
	return d.moveAndCopy(ctx, rc, cur, op.Batch{Table: x.Table, Ops: []op.Op{x}})
}
