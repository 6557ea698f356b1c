package mysql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// alterColumn renders an AlterColumn. A pure rename is RENAME COLUMN;
// anything else restates the whole column with MODIFY COLUMN (CHANGE
// COLUMN when it is also renamed), from Existing, or online from the
// catalog.
func (d *Dialect) alterColumn(ctx context.Context, rc dialect.RenderContext, a op.AlterColumn) ([]dialect.Stmt, error) {
	if a.NewName != "" {
		if err := lim().Check("column", a.NewName); err != nil {
			return nil, err
		}
	}
	tab := d.table(a.Table)
	if a.NewName != "" && a.Type == nil && a.Null == nil && a.Default == nil && a.Comment == nil {
		return []dialect.Stmt{{SQL: "ALTER TABLE " + tab + " RENAME COLUMN " + d.QuoteIdent(a.Column) + " TO " + d.QuoteIdent(a.NewName)}}, nil
	}
	if a.Type == nil && a.Null == nil && a.Default == nil && a.Comment == nil {
		return nil, fmt.Errorf("alter column %s.%s: nothing to change: set Type, Null, Default, NewName or Comment", a.Table, a.Column)
	}
	var (
		after schema.Column
		x     columnExtras
	)
	if c, ok := a.After(); ok {
		after = c
	} else {
		if !rc.Online() {
			return nil, fmt.Errorf("alter column %s.%s offline: %w: MySQL's MODIFY COLUMN restates the whole column, so set AlterColumn.Existing to the column's current definition (its type, nullability, default, identity and comment, e.g. schema.Col(%q, schema.String(255)).Nullable())",
				a.Table, a.Column, dialect.ErrNeedExisting, a.Column)
		}
		cur, err := d.reflectColumn(ctx, rc.Q, a.Table, a.Column)
		if err != nil {
			return nil, err
		}
		after = cur.col
		x = cur.extras
		if a.Type != nil {
			after.Type = *a.Type
			// A collation or check of the old type need not fit the new.
			x.collate, x.check = "", ""
		}
		if a.Null != nil {
			after.Null = *a.Null
		}
		if a.Default != nil {
			after.Def = *a.Default
		}
		if a.NewName != "" {
			after.Name = a.NewName
		}
		if a.Comment != nil {
			after.Comment = *a.Comment
		}
	}
	def, err := d.columnDef(after, x)
	if err != nil {
		return nil, fmt.Errorf("alter column %s.%s: %w", a.Table, a.Column, err)
	}
	if a.NewName != "" {
		return []dialect.Stmt{{SQL: "ALTER TABLE " + tab + " CHANGE COLUMN " + d.QuoteIdent(a.Column) + " " + def}}, nil
	}
	return []dialect.Stmt{{SQL: "ALTER TABLE " + tab + " MODIFY COLUMN " + def}}, nil
}

// setColumnComment restates the column with its new comment: MySQL has
// no statement that changes a comment alone.
func (d *Dialect) setColumnComment(ctx context.Context, rc dialect.RenderContext, s op.SetColumnComment) ([]dialect.Stmt, error) {
	if !rc.Online() {
		return nil, fmt.Errorf("set comment on column %s.%s offline: %w: MySQL changes a column comment only by restating the whole column (MODIFY COLUMN), and op.SetColumnComment does not carry it: use op.AlterColumn{Table, Column, Comment: &comment, Existing: &currentColumn} with the column's current definition instead",
			s.Table, s.Column, dialect.ErrNeedExisting)
	}
	cur, err := d.reflectColumn(ctx, rc.Q, s.Table, s.Column)
	if err != nil {
		return nil, err
	}
	c := cur.col
	c.Comment = s.Comment
	def, err := d.columnDef(c, cur.extras)
	if err != nil {
		return nil, fmt.Errorf("set comment on column %s.%s: %w", s.Table, s.Column, err)
	}
	return []dialect.Stmt{{SQL: "ALTER TABLE " + d.table(s.Table) + " MODIFY COLUMN " + def}}, nil
}

// reflected is a column read from the catalog: its type is Raw (the
// server's COLUMN_TYPE text).
type reflected struct {
	col    schema.Column
	extras columnExtras
}

// schemaArg returns the SQL for a table's database and its arguments:
// DATABASE() when the table names none.
func schemaArg(t schema.TableName) (string, []any) {
	if t.Schema == "" {
		return "DATABASE()", nil
	}
	return "?", []any{t.Schema}
}

// reflectColumn reads the current definition of a column from
// information_schema.COLUMNS: type, nullability, default, auto_increment,
// ON UPDATE, comment, and a collation other than the table's. On MariaDB
// it also reads the column's own CHECK (the json_valid check of a JSON
// column).
func (d *Dialect) reflectColumn(ctx context.Context, q dialect.Querier, t schema.TableName, column string) (reflected, error) {
	sch, sargs := schemaArg(t)
	query := "SELECT c.COLUMN_TYPE, c.IS_NULLABLE, c.COLUMN_DEFAULT, c.EXTRA, c.COLUMN_COMMENT, c.COLLATION_NAME, tb.TABLE_COLLATION, VERSION()" +
		" FROM information_schema.COLUMNS c JOIN information_schema.TABLES tb" +
		" ON tb.TABLE_SCHEMA = c.TABLE_SCHEMA AND tb.TABLE_NAME = c.TABLE_NAME" +
		" WHERE c.TABLE_SCHEMA = " + sch + " AND c.TABLE_NAME = ? AND c.COLUMN_NAME = ?"
	args := append(sargs, t.Name, column)
	var (
		colType, nullable, extra, comment, version string
		def, coll, tcoll                           sql.NullString
	)
	err := q.QueryRowContext(ctx, query, args...).Scan(&colType, &nullable, &def, &extra, &comment, &coll, &tcoll, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return reflected{}, fmt.Errorf("read the definition of column %s.%s: %w: no such column in the current database; set the operation's Existing definition or check the names", t, column, dialect.ErrNeedExisting)
	}
	if err != nil {
		return reflected{}, fmt.Errorf("read the definition of column %s.%s from information_schema.COLUMNS: %w", t, column, err)
	}
	mariadb := strings.Contains(strings.ToLower(version), "mariadb")
	c := schema.Column{
		Name:    column,
		Type:    schema.Raw(map[string]string{d.Name(): colType}),
		Null:    nullable == "YES",
		Comment: comment,
	}
	lextra := strings.ToLower(extra)
	c.AutoIncrement = strings.Contains(lextra, "auto_increment")
	if def.Valid {
		switch {
		case mariadb:
			// MariaDB 10.2.7+ writes the default as SQL: literals
			// quoted, expressions as they are, NULL for a nullable
			// column's DEFAULT NULL, which is what no default means
			// there too (and must not survive a change to NOT NULL).
			if !strings.EqualFold(def.String, "NULL") {
				c.Def = schema.Expr(def.String)
			}
		case strings.Contains(lextra, "default_generated"):
			// MySQL 8 marks expression defaults.
			c.Def = schema.Expr(def.String)
		default:
			c.Def = schema.Value(def.String)
		}
	}
	var x columnExtras
	if i := strings.Index(lextra, "on update "); i >= 0 {
		x.onUpdate = strings.TrimSpace(extra[i+len("on update "):])
	}
	if coll.Valid && tcoll.Valid && coll.String != tcoll.String {
		x.collate = coll.String
	}
	if mariadb {
		checks := "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS" +
			" WHERE CONSTRAINT_SCHEMA = " + sch + " AND TABLE_NAME = ? AND CONSTRAINT_NAME = ? AND LEVEL = 'Column'"
		var clause string
		err := q.QueryRowContext(ctx, checks, append(slices.Clone(sargs), t.Name, column)...).Scan(&clause)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return reflected{}, fmt.Errorf("read the checks of column %s.%s from information_schema.CHECK_CONSTRAINTS: %w", t, column, err)
		default:
			x.check = clause
		}
	}
	return reflected{col: c, extras: x}, nil
}

// hasIndexOn reports whether table t has an index named name on exactly
// the columns cols, in order.
func (d *Dialect) hasIndexOn(ctx context.Context, q dialect.Querier, t schema.TableName, name string, cols []string) (bool, error) {
	sch, sargs := schemaArg(t)
	query := "SELECT COLUMN_NAME FROM information_schema.STATISTICS" +
		" WHERE TABLE_SCHEMA = " + sch + " AND TABLE_NAME = ? AND INDEX_NAME = ? ORDER BY SEQ_IN_INDEX"
	rows, err := q.QueryContext(ctx, query, append(sargs, t.Name, name)...)
	if err != nil {
		return false, fmt.Errorf("look for the index of foreign key %s on %s: %w", name, t, err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var c sql.NullString
		if err := rows.Scan(&c); err != nil {
			return false, fmt.Errorf("look for the index of foreign key %s on %s: %w", name, t, err)
		}
		got = append(got, c.String)
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("look for the index of foreign key %s on %s: %w", name, t, err)
	}
	if len(got) != len(cols) {
		return false, nil
	}
	for i := range got {
		if !strings.EqualFold(got[i], cols[i]) {
			return false, nil
		}
	}
	return true, nil
}
