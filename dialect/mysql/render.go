package mysql

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
		return one(d.createTable(rc, x.Table))
	case op.DropTable:
		return one("DROP TABLE "+d.table(x.Table), nil)
	case op.RenameTable:
		if err := lim().Check("table", x.NewName); err != nil {
			return nil, err
		}
		return one("RENAME TABLE "+d.table(x.Table)+" TO "+d.table(schema.TableName{Schema: x.Table.Schema, Name: x.NewName}), nil)
	case op.AddColumn:
		if err := lim().Check("column", x.Column.Name); err != nil {
			return nil, err
		}
		def, err := d.columnDef(x.Column, columnExtras{})
		return one("ALTER TABLE "+d.table(x.Table)+" ADD COLUMN "+def, err)
	case op.DropColumn:
		return one("ALTER TABLE "+d.table(x.Table)+" DROP COLUMN "+d.QuoteIdent(x.Column), nil)
	case op.AlterColumn:
		return d.alterColumn(ctx, rc, x)
	case op.CreateIndex:
		name, err := resolve(rc, x.Table, x.Index)
		if err != nil {
			return nil, err
		}
		parts, err := d.indexParts(x.Table, name, x.Index)
		if err != nil {
			return nil, err
		}
		kind, using, err := indexMethod(x.Table, x.Index)
		if err != nil {
			return nil, err
		}
		return one("CREATE "+kind+"INDEX "+d.QuoteIdent(name)+" ON "+d.table(x.Table)+" "+parts+using, nil)
	case op.DropIndex:
		name, err := resolve(rc, x.Table, x.Index)
		return one("DROP INDEX "+d.QuoteIdent(name)+" ON "+d.table(x.Table), err)
	case op.CreatePrimaryKey:
		// MySQL names every primary key PRIMARY: the name is checked
		// (as CreateTable checks it) but not written.
		if _, err := resolve(rc, x.Table, x.PrimaryKey); err != nil {
			return nil, err
		}
		return one("ALTER TABLE "+d.table(x.Table)+" ADD PRIMARY KEY "+d.columnList(x.PrimaryKey.Columns), nil)
	case op.DropPrimaryKey:
		return one("ALTER TABLE "+d.table(x.Table)+" DROP PRIMARY KEY", nil)
	case op.CreateUnique:
		name, err := resolve(rc, x.Table, x.Unique)
		return one("ALTER TABLE "+d.table(x.Table)+" ADD "+d.uniqueDef(name, x.Unique), err)
	case op.DropUnique:
		name, err := resolve(rc, x.Table, x.Unique)
		return one("ALTER TABLE "+d.table(x.Table)+" DROP INDEX "+d.QuoteIdent(name), err)
	case op.CreateForeignKey:
		name, err := resolve(rc, x.Table, x.ForeignKey)
		if err != nil {
			return nil, err
		}
		if err := notDeferrable(x.Table, x.ForeignKey); err != nil {
			return nil, err
		}
		return one("ALTER TABLE "+d.table(x.Table)+" ADD "+d.foreignKeyDef(name, x.ForeignKey), nil)
	case op.DropForeignKey:
		return d.dropForeignKey(ctx, rc, x)
	case op.CreateCheck:
		name, err := resolve(rc, x.Table, x.Check)
		if err != nil {
			return nil, err
		}
		return one("ALTER TABLE "+d.table(x.Table)+" ADD "+d.checkDef(name, x.Check), nil)
	case op.DropCheck:
		name, err := resolve(rc, x.Table, x.Check)
		if err == nil && name == "" {
			err = fmt.Errorf("%w: drop an unnamed check on %s: give its name (the one the server gave it, for example %s_chk_1)", dialect.ErrUnsupported, x.Table, x.Table.Name)
		}
		return one("ALTER TABLE "+d.table(x.Table)+" DROP CONSTRAINT "+d.QuoteIdent(name), err)
	case op.SetTableComment:
		q, err := quoteString(x.Comment)
		if err != nil {
			return nil, fmt.Errorf("comment of table %s: %w", x.Table, err)
		}
		return one("ALTER TABLE "+d.table(x.Table)+" COMMENT = "+q, nil)
	case op.SetColumnComment:
		return d.setColumnComment(ctx, rc, x)
	case op.CreateEnum, op.DropEnum, op.AddEnumValue:
		// MySQL's enums live in the column type (ENUM('a', 'b')).
		return nil, nil
	case op.Batch:
		var out []dialect.Stmt
		for _, inner := range x.Ops {
			stmts, err := dialect.RenderOp(ctx, rc, d, inner)
			if err != nil {
				return nil, fmt.Errorf("in %s: %w", x, err)
			}
			out = append(out, stmts...)
		}
		return out, nil
	case op.Execute:
		return dialect.RenderExecute(d, x, rc.Online())
	case op.BulkInsert, op.Run:
		return nil, fmt.Errorf("%w: %s is not rendered as statements (see dialect.InsertStatements and BulkLoader)", dialect.ErrUnsupported, o)
	}
	return nil, fmt.Errorf("%w: operation %T", dialect.ErrUnsupported, o)
}

// lim is MySQL's identifier limit.
func lim() schema.Limit { return schema.MySQLLimit() }

// naming is the convention of rc, DefaultNaming when rc has none.
func naming(rc dialect.RenderContext) schema.Naming {
	if rc.Naming == (schema.Naming{}) {
		return schema.DefaultNaming()
	}
	return rc.Naming
}

// resolve names c on table t: its explicit name or the convention's,
// fitted to 64 characters.
func resolve(rc dialect.RenderContext, t schema.TableName, c schema.Constraint) (string, error) {
	name, err := naming(rc).Resolve(t.Name, c, lim())
	if err != nil {
		return "", fmt.Errorf("table %s: %w", t, err)
	}
	return name, nil
}

func (d *Dialect) table(t schema.TableName) string {
	return d.QuoteTable(dialect.Table{Schema: t.Schema, Name: t.Name})
}

// columnList is "(`a`, `b`)".
func (d *Dialect) columnList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = d.QuoteIdent(c)
	}
	return "(" + strings.Join(q, ", ") + ")"
}

func (d *Dialect) uniqueDef(name string, u schema.Unique) string {
	return "CONSTRAINT " + d.QuoteIdent(name) + " UNIQUE " + d.columnList(u.Columns)
}

func (d *Dialect) foreignKeyDef(name string, fk schema.ForeignKey) string {
	s := "CONSTRAINT " + d.QuoteIdent(name) + " FOREIGN KEY " + d.columnList(fk.Columns) +
		" REFERENCES " + d.table(fk.RefTableName()) + " " + d.columnList(fk.RefColumns)
	if fk.OnDelete != "" {
		s += " ON DELETE " + string(fk.OnDelete)
	}
	if fk.OnUpdate != "" {
		s += " ON UPDATE " + string(fk.OnUpdate)
	}
	return s
}

func (d *Dialect) checkDef(name string, c schema.Check) string {
	if name == "" { // an unnamed check: the server names it
		return "CHECK (" + c.Expr + ")"
	}
	return "CONSTRAINT " + d.QuoteIdent(name) + " CHECK (" + c.Expr + ")"
}

// indexParts is "(`a`, `b` DESC, (lower(`c`)))". A partial index is an
// error wrapping ErrUnsupported.
func (d *Dialect) indexParts(t schema.TableName, name string, idx schema.Index) (string, error) {
	if idx.Where != "" {
		return "", fmt.Errorf("%w: index %s on %s is partial (WHERE %s): MySQL and MariaDB have no partial indexes; drop the condition, or index a generated column through op.Execute", dialect.ErrUnsupported, name, t, idx.Where)
	}
	if len(idx.Parts) == 0 {
		return "", fmt.Errorf("index %s on %s has no columns", name, t)
	}
	parts := make([]string, len(idx.Parts))
	for i, p := range idx.Parts {
		switch {
		case p.Expr != "":
			// MySQL 8.0.13's functional key part; MariaDB rejects it.
			parts[i] = "(" + p.Expr + ")"
		case p.Column != "":
			parts[i] = d.QuoteIdent(p.Column)
		default:
			return "", fmt.Errorf("index %s on %s has an empty element", name, t)
		}
		if p.Desc {
			parts[i] += " DESC"
		}
	}
	return "(" + strings.Join(parts, ", ") + ")", nil
}

// createTable renders CREATE TABLE with its keys, constraints and indexes
// inline, so that the table appears whole or not at all.
func (d *Dialect) createTable(rc dialect.RenderContext, t *schema.Table) (string, error) {
	if t == nil {
		return "", errors.New("create table: no table given")
	}
	if err := t.Validate(); err != nil {
		return "", err
	}
	t, err := naming(rc).Apply(t, lim())
	if err != nil {
		return "", err
	}
	name := t.TableName()
	var lines []string
	for _, c := range t.Columns {
		def, err := d.columnDef(c, columnExtras{})
		if err != nil {
			return "", fmt.Errorf("table %s: %w", name, err)
		}
		lines = append(lines, def)
	}
	if t.PK != nil {
		// Always named PRIMARY by MySQL: the convention's name is not used.
		lines = append(lines, "PRIMARY KEY "+d.columnList(t.PK.Columns))
	}
	for _, u := range t.Uniques {
		lines = append(lines, d.uniqueDef(u.Name, u))
	}
	for _, fk := range t.ForeignKeys {
		if err := notDeferrable(name, fk); err != nil {
			return "", err
		}
		lines = append(lines, d.foreignKeyDef(fk.Name, fk))
	}
	for _, c := range t.Checks {
		lines = append(lines, d.checkDef(c.Name, c))
	}
	for _, idx := range t.Indexes {
		parts, err := d.indexParts(name, idx.Name, idx)
		if err != nil {
			return "", err
		}
		kind, using, err := indexMethod(name, idx)
		if err != nil {
			return "", err
		}
		lines = append(lines, kind+"INDEX "+d.QuoteIdent(idx.Name)+" "+parts+using)
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE ")
	b.WriteString(d.table(name))
	b.WriteString(" (\n    ")
	b.WriteString(strings.Join(lines, ",\n    "))
	b.WriteString("\n)")
	if t.Comment != "" {
		q, err := quoteString(t.Comment)
		if err != nil {
			return "", fmt.Errorf("comment of table %s: %w", name, err)
		}
		b.WriteString(" COMMENT = " + q)
	}
	return b.String(), nil
}

// dropForeignKey renders DROP FOREIGN KEY. MySQL creates an index named
// after a foreign key whose columns no index covers, and keeps it when
// the key is dropped; online, an index of that name on exactly the key's
// columns is dropped with it, so that dropping the key undoes creating
// it. Offline the catalog is not known: the index is left, and the
// script says so.
func (d *Dialect) dropForeignKey(ctx context.Context, rc dialect.RenderContext, x op.DropForeignKey) ([]dialect.Stmt, error) {
	name, err := resolve(rc, x.Table, x.ForeignKey)
	if err != nil {
		return nil, err
	}
	sql := "ALTER TABLE " + d.table(x.Table) + " DROP FOREIGN KEY " + d.QuoteIdent(name)
	if !rc.Online() {
		return []dialect.Stmt{{SQL: sql, Comment: "MySQL keeps the index " + name + " it may have created for this foreign key; drop it with op.DropIndex if it is not wanted."}}, nil
	}
	has, err := d.hasIndexOn(ctx, rc.Q, x.Table, name, x.ForeignKey.Columns)
	if err != nil {
		return nil, err
	}
	if has {
		sql += ", DROP INDEX " + d.QuoteIdent(name)
	}
	return []dialect.Stmt{{SQL: sql}}, nil
}

// indexMethod is how an index's kind and method are written: "UNIQUE ",
// "FULLTEXT " or "SPATIAL " before INDEX, and " USING BTREE" or
// " USING HASH" after its parts (a MEMORY table's non-default method).
func indexMethod(t schema.TableName, idx schema.Index) (kind, using string, err error) {
	if idx.Unique {
		kind = "UNIQUE "
	}
	if len(idx.Include) > 0 {
		return "", "", fmt.Errorf("%w: index %s on %s includes columns (a covering index), which MySQL does not have", dialect.ErrUnsupported, idx.Name, t)
	}
	switch m := strings.ToUpper(idx.Method); m {
	case "":
	case "FULLTEXT", "SPATIAL":
		if idx.Unique {
			return "", "", fmt.Errorf("%w: index %s on %s: a %s index cannot be unique", dialect.ErrUnsupported, idx.Name, t, m)
		}
		kind = m + " "
	case "BTREE", "HASH":
		using = " USING " + m
	default:
		return "", "", fmt.Errorf("%w: index %s on %s: method %q (MySQL has BTREE, HASH, FULLTEXT and SPATIAL)", dialect.ErrUnsupported, idx.Name, t, idx.Method)
	}
	return kind, using, nil
}

// notDeferrable refuses a deferrable foreign key: MySQL checks every key
// at each statement.
func notDeferrable(t schema.TableName, fk schema.ForeignKey) error {
	if fk.Deferral != schema.NotDeferrable {
		return fmt.Errorf("%w: foreign key %s on %s is %s; MySQL checks foreign keys at each statement", dialect.ErrUnsupported, fk.Name, t, fk.Deferral)
	}
	return nil
}
