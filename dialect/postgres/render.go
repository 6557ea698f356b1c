package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

var _ dialect.Renderer = (*Dialect)(nil)

// limit is PostgreSQL's identifier limit for names from the naming
// convention.
func limit() schema.Limit { return schema.PostgresLimit() }

// Render implements dialect.Renderer for every operation but Execute,
// BulkInsert and Run (see dialect.RenderOp).
func (d *Dialect) Render(ctx context.Context, rc dialect.RenderContext, o op.Op) ([]dialect.Stmt, error) {
	r := renderer{d: d, n: rc.Naming}
	sqls, err := r.op(ctx, rc, o)
	if err != nil {
		return nil, err
	}
	noTx := d.NoTx(o)
	if _, ok := o.(op.AddEnumValue); ok && rc.Online() {
		// Before PostgreSQL 12, ALTER TYPE ... ADD VALUE cannot run in a
		// transaction block: on such a server it runs outside one.
		var v int
		if err := rc.Q.QueryRowContext(ctx, "SELECT pg_catalog.current_setting('server_version_num')::int").Scan(&v); err != nil {
			return nil, fmt.Errorf("add enum value: read the server version: %w", err)
		}
		noTx = noTx || v < 120000
	}
	out := make([]dialect.Stmt, len(sqls))
	for i, s := range sqls {
		out[i] = dialect.Stmt{SQL: s, NoTx: noTx}
	}
	return out, nil
}

// NoTx implements dialect.NoTxer: CREATE and DROP INDEX CONCURRENTLY
// refuse to run inside a transaction block.
func (*Dialect) NoTx(o op.Op) bool {
	switch x := o.(type) {
	case op.CreateIndex:
		return x.Concurrently
	case op.DropIndex:
		return x.Concurrently
	}
	return false
}

type renderer struct {
	d *Dialect
	n schema.Naming
}

func (r renderer) table(t schema.TableName) string {
	return r.d.QuoteTable(dialect.Table{Schema: t.Schema, Name: t.Name})
}

func (r renderer) ident(s string) string { return r.d.QuoteIdent(s) }

func (r renderer) idents(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = r.ident(n)
	}
	return strings.Join(q, ", ")
}

func (r renderer) lit(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func (r renderer) name(table string, c schema.Constraint) (string, error) {
	name, err := r.n.Resolve(table, c, limit())
	if err != nil {
		return "", fmt.Errorf("naming the %s constraint of table %s: %w", c.ConstraintKind(), table, err)
	}
	return name, nil
}

func (r renderer) op(ctx context.Context, rc dialect.RenderContext, o op.Op) (sqls []string, err error) {
	switch x := o.(type) {
	case op.CreateTable:
		sqls, err = r.createTable(x.Table)
	case op.DropTable:
		sqls = []string{"DROP TABLE " + r.table(x.Table)}
	case op.RenameTable:
		if err = limit().Check("table", x.NewName); err == nil {
			sqls = []string{"ALTER TABLE " + r.table(x.Table) + " RENAME TO " + r.ident(x.NewName)}
		}
	case op.AddColumn:
		var col string
		if col, err = r.column(x.Column); err == nil {
			sqls = []string{"ALTER TABLE " + r.table(x.Table) + " ADD COLUMN " + col}
			if x.Column.Comment != "" {
				sqls = append(sqls, r.columnComment(x.Table, x.Column.Name, x.Column.Comment))
			}
		}
	case op.DropColumn:
		sqls = []string{"ALTER TABLE " + r.table(x.Table) + " DROP COLUMN " + r.ident(x.Column)}
	case op.AlterColumn:
		sqls, err = r.alterColumn(x)
	case op.CreateIndex:
		var s string
		s, err = r.createIndex(x.Table, x.Index, x.Concurrently)
		sqls = []string{s}
	case op.DropIndex:
		var name string
		if name, err = r.name(x.Table.Name, x.Index); err == nil {
			s := "DROP INDEX "
			if x.Concurrently {
				s += "CONCURRENTLY "
			}
			sqls = []string{s + r.table(schema.TableName{Schema: x.Table.Schema, Name: name})}
		}
	case op.CreatePrimaryKey:
		sqls, err = r.addConstraint(x.Table, x.PrimaryKey)
	case op.DropPrimaryKey:
		sqls, err = r.dropConstraint(x.Table, x.PrimaryKey)
	case op.CreateUnique:
		sqls, err = r.addConstraint(x.Table, x.Unique)
	case op.DropUnique:
		sqls, err = r.dropConstraint(x.Table, x.Unique)
	case op.CreateForeignKey:
		sqls, err = r.addConstraint(x.Table, x.ForeignKey)
	case op.DropForeignKey:
		sqls, err = r.dropConstraint(x.Table, x.ForeignKey)
	case op.CreateCheck:
		sqls, err = r.addConstraint(x.Table, x.Check)
	case op.DropCheck:
		sqls, err = r.dropConstraint(x.Table, x.Check)
	case op.SetTableComment:
		sqls = []string{r.tableComment(x.Table, x.Comment)}
	case op.SetColumnComment:
		sqls = []string{r.columnComment(x.Table, x.Column, x.Comment)}
	case op.CreateEnum:
		sqls, err = r.createEnum(x.Enum)
	case op.DropEnum:
		sqls = []string{"DROP TYPE " + r.enumName(x.Enum.Schema, x.Enum.Name)}
	case op.AddEnumValue:
		// IF NOT EXISTS: a downgrade cannot remove the value (PostgreSQL
		// has no DROP VALUE), so the upgrade runs again after it.
		s := "ALTER TYPE " + r.enumName(x.Enum.Schema, x.Enum.Name) + " ADD VALUE IF NOT EXISTS " + r.lit(x.Value)
		switch {
		case x.Before != "" && x.After != "":
			err = fmt.Errorf("add value %q to enum %s: set Before or After, not both", x.Value, x.Enum)
		case x.Before != "":
			s += " BEFORE " + r.lit(x.Before)
		case x.After != "":
			s += " AFTER " + r.lit(x.After)
		}
		if strings.IndexByte(x.Value+x.Before+x.After, 0) >= 0 {
			err = errNUL
		}
		sqls = []string{s}
	case op.Batch:
		for _, inner := range x.Ops {
			var st []dialect.Stmt
			if st, err = dialect.RenderOp(ctx, rc, r.d, inner); err != nil {
				return nil, err
			}
			for _, s := range st {
				if s.NoTx {
					return nil, fmt.Errorf("batch on %s: %s must run outside a transaction; record it outside the batch", x.Table, inner)
				}
				sqls = append(sqls, s.SQL)
			}
		}
	case op.Execute, op.BulkInsert, op.Run:
		err = fmt.Errorf("%w: %s is not rendered by Render (use dialect.RenderOp, dialect.BulkInsert or run it online)", dialect.ErrUnsupported, o)
	default:
		err = fmt.Errorf("%w: unknown operation %T", dialect.ErrUnsupported, o)
	}
	if err != nil {
		return nil, err
	}
	return sqls, nil
}

func (r renderer) enumName(sch, name string) string {
	return r.d.QuoteTable(dialect.Table{Schema: sch, Name: name})
}

func (r renderer) createEnum(e schema.EnumType) ([]string, error) {
	if err := limit().Check("enum type", e.Name); err != nil {
		return nil, err
	}
	vals := make([]string, len(e.Values))
	for i, v := range e.Values {
		l, err := stringLiteral(v)
		if err != nil {
			return nil, fmt.Errorf("enum %s value %q: %w", e, v, err)
		}
		vals[i] = l
	}
	return []string{"CREATE TYPE " + r.enumName(e.Schema, e.Name) + " AS ENUM (" + strings.Join(vals, ", ") + ")"}, nil
}

// typeSQL is the PostgreSQL type of t; col names the column for errors.
func (r renderer) typeSQL(col string, t schema.Type) (string, error) {
	switch t.Kind {
	case schema.KindInteger:
		return "INTEGER", nil
	case schema.KindBigInteger:
		return "BIGINT", nil
	case schema.KindSmallInteger:
		return "SMALLINT", nil
	case schema.KindBoolean:
		return "BOOLEAN", nil
	case schema.KindString:
		if t.Length <= 0 {
			return "", fmt.Errorf("column %s: String needs a length > 0 (use Text for unbounded text)", col)
		}
		return "VARCHAR(" + strconv.Itoa(t.Length) + ")", nil
	case schema.KindText:
		return "TEXT", nil
	case schema.KindNumeric:
		if t.Precision == 0 && t.Scale == 0 {
			return "NUMERIC", nil
		}
		return "NUMERIC(" + strconv.Itoa(t.Precision) + "," + strconv.Itoa(t.Scale) + ")", nil
	case schema.KindFloat:
		return "DOUBLE PRECISION", nil
	case schema.KindDate:
		return "DATE", nil
	case schema.KindTime:
		return "TIME", nil
	case schema.KindDateTime:
		if t.TZ {
			return "TIMESTAMPTZ", nil
		}
		return "TIMESTAMP", nil
	case schema.KindInterval:
		return "INTERVAL", nil
	case schema.KindJSON:
		return "JSONB", nil
	case schema.KindUUID:
		return "UUID", nil
	case schema.KindLargeBinary:
		return "BYTEA", nil
	case schema.KindEnum:
		if t.EnumName == "" {
			return "", fmt.Errorf("column %s: Enum needs a type name on PostgreSQL", col)
		}
		return r.enumName(t.EnumSchema, t.EnumName), nil
	case schema.KindRaw:
		s, ok := t.RawFor("postgres")
		if !ok {
			return "", fmt.Errorf("column %s: raw type %s has no postgres entry; add one to its Raw map", col, t)
		}
		return s, nil
	}
	return "", fmt.Errorf("column %s: %w: type %s", col, dialect.ErrUnsupported, t)
}

func (r renderer) defaultSQL(col string, def schema.Default) (string, error) {
	switch def.Kind {
	case schema.DefaultValue:
		l, err := r.d.Literal(def.Value)
		if err != nil {
			return "", fmt.Errorf("default of column %s: %w", col, err)
		}
		return l, nil
	case schema.DefaultExpr:
		return def.Expr, nil
	}
	return "", nil
}

func (r renderer) column(c schema.Column) (string, error) {
	if err := limit().Check("column", c.Name); err != nil {
		return "", err
	}
	typ, err := r.typeSQL(c.Name, c.Type)
	if err != nil {
		return "", err
	}
	s := r.ident(c.Name) + " " + typ
	if g := c.Generated; g != nil {
		if !g.Stored {
			return "", fmt.Errorf("%w: column %s: PostgreSQL has stored generated columns only", dialect.ErrUnsupported, c.Name)
		}
		s += " GENERATED ALWAYS AS (" + g.Expr + ") STORED"
	}
	if c.AutoIncrement {
		s += " GENERATED BY DEFAULT AS IDENTITY"
	}
	if !c.Null {
		s += " NOT NULL"
	}
	if !c.Def.IsZero() {
		if c.AutoIncrement {
			return "", fmt.Errorf("column %s: an identity column cannot have a default", c.Name)
		}
		def, err := r.defaultSQL(c.Name, c.Def)
		if err != nil {
			return "", err
		}
		s += " DEFAULT " + def
	}
	return s, nil
}

func (r renderer) constraintBody(c schema.Constraint) string {
	switch c := c.(type) {
	case schema.PrimaryKey:
		return "PRIMARY KEY (" + r.idents(c.Columns) + ")"
	case schema.Unique:
		return "UNIQUE (" + r.idents(c.Columns) + ")"
	case schema.ForeignKey:
		s := "FOREIGN KEY (" + r.idents(c.Columns) + ") REFERENCES " + r.table(c.RefTableName()) +
			" (" + r.idents(c.RefColumns) + ")"
		if c.OnDelete != "" {
			s += " ON DELETE " + string(c.OnDelete)
		}
		if c.OnUpdate != "" {
			s += " ON UPDATE " + string(c.OnUpdate)
		}
		if c.Deferral != "" {
			s += " " + string(c.Deferral)
		}
		return s
	case schema.Check:
		return "CHECK (" + c.Expr + ")"
	}
	return ""
}

func validAction(a schema.Action) bool {
	switch a {
	case "", schema.NoAction, schema.Restrict, schema.Cascade, schema.SetNull, schema.SetDefault:
		return true
	}
	return false
}

func (r renderer) constraint(table string, c schema.Constraint) (string, error) {
	if fk, ok := c.(schema.ForeignKey); ok && (!validAction(fk.OnDelete) || !validAction(fk.OnUpdate)) {
		return "", fmt.Errorf("foreign key on %s: unknown action %q/%q", table, fk.OnDelete, fk.OnUpdate)
	}
	name, err := r.name(table, c)
	if err != nil {
		return "", err
	}
	if name == "" { // an unnamed check: the server names it
		return r.constraintBody(c), nil
	}
	return "CONSTRAINT " + r.ident(name) + " " + r.constraintBody(c), nil
}

func (r renderer) createTable(t *schema.Table) ([]string, error) {
	if t == nil {
		return nil, errors.New("create table: no table given")
	}
	tn := t.TableName()
	if err := limit().Check("table", t.Name); err != nil {
		return nil, err
	}
	var lines []string
	var errs []error
	for _, c := range t.Columns {
		s, err := r.column(c)
		errs = append(errs, err)
		lines = append(lines, s)
	}
	var cons []schema.Constraint
	if t.PK != nil {
		cons = append(cons, *t.PK)
	}
	for _, u := range t.Uniques {
		cons = append(cons, u)
	}
	for _, fk := range t.ForeignKeys {
		cons = append(cons, fk)
	}
	for _, ck := range t.Checks {
		cons = append(cons, ck)
	}
	for _, c := range cons {
		s, err := r.constraint(t.Name, c)
		errs = append(errs, err)
		lines = append(lines, s)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("create table %s: %w", tn, err)
	}
	out := []string{"CREATE TABLE " + r.table(tn) + " (\n    " + strings.Join(lines, ",\n    ") + "\n)"}
	for _, idx := range t.Indexes {
		s, err := r.createIndex(tn, idx, false)
		if err != nil {
			return nil, fmt.Errorf("create table %s: %w", tn, err)
		}
		out = append(out, s)
	}
	if t.Comment != "" {
		out = append(out, r.tableComment(tn, t.Comment))
	}
	for _, c := range t.Columns {
		if c.Comment != "" {
			out = append(out, r.columnComment(tn, c.Name, c.Comment))
		}
	}
	return out, nil
}

func (r renderer) createIndex(t schema.TableName, idx schema.Index, concurrently bool) (string, error) {
	if len(idx.Parts) == 0 {
		return "", fmt.Errorf("index on %s: no columns or expressions", t)
	}
	name, err := r.name(t.Name, idx)
	if err != nil {
		return "", err
	}
	s := "CREATE "
	if idx.Unique {
		s += "UNIQUE "
	}
	s += "INDEX "
	if concurrently {
		s += "CONCURRENTLY "
	}
	parts := make([]string, len(idx.Parts))
	for i, p := range idx.Parts {
		if p.Expr != "" {
			parts[i] = "(" + p.Expr + ")"
		} else {
			parts[i] = r.ident(p.Column)
		}
		if p.Desc {
			parts[i] += " DESC"
		}
	}
	s += r.ident(name) + " ON " + r.table(t)
	if idx.Method != "" {
		if !isMethodName(idx.Method) {
			return "", fmt.Errorf("index %s on %s: method %q is not an access method's name", name, t, idx.Method)
		}
		s += " USING " + strings.ToLower(idx.Method)
	}
	s += " (" + strings.Join(parts, ", ") + ")"
	if len(idx.Include) > 0 {
		s += " INCLUDE (" + r.idents(idx.Include) + ")"
	}
	if idx.Where != "" {
		s += " WHERE " + idx.Where
	}
	return s, nil
}

func (r renderer) addConstraint(t schema.TableName, c schema.Constraint) ([]string, error) {
	s, err := r.constraint(t.Name, c)
	if err != nil {
		return nil, err
	}
	return []string{"ALTER TABLE " + r.table(t) + " ADD " + s}, nil
}

func (r renderer) dropConstraint(t schema.TableName, c schema.Constraint) ([]string, error) {
	name, err := r.name(t.Name, c)
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, fmt.Errorf("%w: drop an unnamed check on %s: give its name (the one the server gave it, for example %s_col_check)", dialect.ErrUnsupported, t, t.Name)
	}
	return []string{"ALTER TABLE " + r.table(t) + " DROP CONSTRAINT " + r.ident(name)}, nil
}

// commentLit is a comment as a literal, NULL for "" (which removes it).
func (r renderer) commentLit(s string) string {
	if s == "" {
		return "NULL"
	}
	return r.lit(s)
}

func (r renderer) tableComment(t schema.TableName, c string) string {
	return "COMMENT ON TABLE " + r.table(t) + " IS " + r.commentLit(c)
}

func (r renderer) columnComment(t schema.TableName, col, c string) string {
	return "COMMENT ON COLUMN " + r.table(t) + "." + r.ident(col) + " IS " + r.commentLit(c)
}

func (r renderer) alterColumn(a op.AlterColumn) ([]string, error) {
	head := "ALTER TABLE " + r.table(a.Table) + " "
	col := r.ident(a.Column)
	var out []string
	if a.Type != nil {
		typ, err := r.typeSQL(a.Column, *a.Type)
		if err != nil {
			return nil, err
		}
		out = append(out, head+"ALTER COLUMN "+col+" TYPE "+typ+" USING "+col+"::"+typ)
	}
	if a.Null != nil {
		if *a.Null {
			out = append(out, head+"ALTER COLUMN "+col+" DROP NOT NULL")
		} else {
			out = append(out, head+"ALTER COLUMN "+col+" SET NOT NULL")
		}
	}
	if a.Default != nil {
		if a.Default.IsZero() {
			out = append(out, head+"ALTER COLUMN "+col+" DROP DEFAULT")
		} else {
			def, err := r.defaultSQL(a.Column, *a.Default)
			if err != nil {
				return nil, err
			}
			out = append(out, head+"ALTER COLUMN "+col+" SET DEFAULT "+def)
		}
	}
	name := a.Column
	if a.NewName != "" {
		if err := limit().Check("column", a.NewName); err != nil {
			return nil, err
		}
		out = append(out, head+"RENAME COLUMN "+col+" TO "+r.ident(a.NewName))
		name = a.NewName
	}
	if a.Comment != nil {
		out = append(out, r.columnComment(a.Table, name, *a.Comment))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("alter column %s.%s: nothing to change", a.Table, a.Column)
	}
	return out, nil
}

// isMethodName reports whether m is written as an index access method
// (btree, hash, gist, spgist, gin, brin, or an extension's): letters,
// digits and underscores, not starting with a digit.
func isMethodName(m string) bool {
	for i, c := range m {
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && '0' <= c && c <= '9':
		default:
			return false
		}
	}
	return m != ""
}
