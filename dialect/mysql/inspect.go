package mysql

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

var _ dialect.Inspector = (*Dialect)(nil)

// Inspect implements dialect.Inspector: it reads the tables of database
// opts.Schema ("" is DATABASE(), the connection's current one; none
// selected is an empty Schema, as is a database that does not exist)
// from information_schema with seven queries, however many tables there
// are: the server, the database's defaults, tables, columns, checks,
// indexes and foreign keys, all with bound parameters.
//
// A column's Type.Native is COLUMN_TYPE as the server spells it
// ("varchar(255)", "int(11)" on MariaDB, "int" on MySQL 8, "int(10)
// unsigned", "decimal(10,2)", "enum('a','b')"), next to the neutral kind
// retort's renderer declares as that type (int is Integer, tinyint(1)
// Boolean, longtext Text, datetime(6) DateTime, longblob LargeBinary);
// any other type is Raw with that text. An ENUM column is an Enum of its
// values; MySQL keeps no enum name, so the column's name stands in for
// it (Schema.Enums stays empty: MySQL has no enum types). On MariaDB a
// JSON column is a longtext with a json_valid check of the column's
// name: it is reported as JSON with Native "longtext", without that
// check. TypeExt.Unsigned marks UNSIGNED (ZEROFILL is kept in Native of
// a Raw type), TypeExt.Charset and Collation a character set and
// collation other than the table's. Table.Ext holds the engine when it is
// not @@default_storage_engine, and the character set and collation when
// they are not the database's.
//
// Defaults are what the server keeps: on MariaDB the SQL text it
// reports, as an Expr ('x', 0.00, current_timestamp(6), uuid()), and no
// default for NULL, which MariaDB reports for a nullable column without
// one; on MySQL 8 an Expr for an expression default (DEFAULT_GENERATED)
// and a Value of the text for a literal one, which MySQL reports
// unquoted. AUTO_INCREMENT is AutoIncrement. Table and column comments
// are read.
//
// The primary key is named PRIMARY, as MySQL names it. A unique index on
// plain ascending columns is a unique constraint (MySQL makes no
// difference); other indexes are Indexes, with DESC parts (MariaDB 10.8,
// MySQL 8), functional parts (MySQL 8.0.13) and Method when it is not
// the engine's default (FULLTEXT, SPATIAL, HASH; BTREE on a MEMORY
// table). The index MySQL creates for a foreign key is reported: it
// exists (NormalizeTable drops it). Foreign keys have their actions as
// stored (MariaDB stores RESTRICT for an unspecified one, MySQL 8 NO
// ACTION). Checks are read from information_schema.CHECK_CONSTRAINTS
// (MariaDB 10.2, MySQL 8.0.16; older MySQL servers ignore checks), with
// their expressions as the server prints them; a column-level check
// (MariaDB) is a check named after its column.
//
// What the model cannot hold is an error wrapping dialect.ErrUnsupported
// that names the table (a generated column is Column.Generated): ON UPDATE, an invisible
// column, an index on a prefix of a column, a primary key that is not a
// plain ascending BTREE, a NOT ENFORCED check, a system-versioned table.
// Leave the table out with InspectOptions.Exclude. Views are not read.
// Tables are sorted by name, constraints and indexes by name within
// their table.
func (d *Dialect) Inspect(ctx context.Context, q dialect.Querier, opts dialect.InspectOptions) (*schema.Schema, error) {
	var (
		cur              sql.NullString
		version, engine  string
		dbCharset, dbCol string
	)
	if err := q.QueryRowContext(ctx, inspectServer).Scan(&cur, &version, &engine); err != nil {
		return nil, fmt.Errorf("inspect: read the current database and server version: %w", err)
	}
	db := opts.Schema
	s := &schema.Schema{Name: opts.Schema}
	if db == "" {
		if !cur.Valid {
			return s, nil
		}
		db = cur.String
	}
	fail := func(what string, err error) (*schema.Schema, error) {
		return nil, fmt.Errorf("inspect %s in MySQL database %s: %w", what, db, err)
	}
	srv := parseVersion(version)
	err := q.QueryRowContext(ctx, inspectDatabase, db).Scan(&dbCharset, &dbCol)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return fail("the database's defaults", err)
	}

	byName := map[string]*schema.Table{}
	charsets := map[string]string{} // table → character set
	err = each(ctx, q, inspectTables, db, func(rows *sql.Rows) error {
		var name, typ, eng, coll, cs, comment string
		if err := rows.Scan(&name, &typ, &eng, &coll, &cs, &comment); err != nil {
			return err
		}
		if !opts.Includes(name) {
			return nil
		}
		if typ != "BASE TABLE" {
			return unsupported(name, "it is %s, which the schema model does not hold", strings.ToLower(typ))
		}
		if cs == "" {
			cs, _, _ = strings.Cut(coll, "_")
		}
		t := &schema.Table{Schema: opts.Schema, Name: name, Comment: comment}
		if !strings.EqualFold(eng, engine) {
			t.Ext.Engine = eng
		}
		if cs != dbCharset {
			t.Ext.Charset = cs
		}
		if coll != dbCol {
			t.Ext.Collation = coll
		}
		charsets[name] = cs
		s.Tables = append(s.Tables, t)
		byName[name] = t
		return nil
	})
	if err != nil {
		return fail("tables", err)
	}
	if len(s.Tables) == 0 {
		return s, nil
	}
	slices.SortFunc(s.Tables, func(a, b *schema.Table) int { return cmp.Compare(a.Name, b.Name) })

	err = each(ctx, q, inspectColumns, db, func(rows *sql.Rows) error {
		var tname, cname, ctype, nullable, extra, comment, cs, coll, gen string
		var def sql.NullString
		if err := rows.Scan(&tname, &cname, &ctype, &nullable, &def, &extra, &comment, &cs, &coll, &gen); err != nil {
			return err
		}
		t, ok := byName[tname]
		if !ok {
			return nil
		}
		lextra := strings.ToLower(extra)
		switch {
		case strings.Contains(lextra, "on update"):
			return unsupported(tname, "column %s has %s, which the schema model does not hold", cname, extra)
		case strings.Contains(lextra, "invisible"):
			return unsupported(tname, "column %s is invisible, which the schema model does not hold", cname)
		}
		c := schema.Column{Name: cname, Null: nullable == "YES", Comment: comment,
			AutoIncrement: strings.Contains(lextra, "auto_increment")}
		c.Type = parseType(ctype).kind()
		c.Type.Native = ctype
		if c.Type.Kind == schema.KindRaw {
			c.Type.Raw = map[string]string{"mysql": ctype}
		}
		if c.Type.Kind == schema.KindEnum {
			c.Type.EnumName = cname
		}
		if tcoll := t.Ext.Collation; coll != "" && coll != cmp.Or(tcoll, dbCol) {
			c.Type.Ext.Collation = coll
		}
		if cs != "" && cs != charsets[tname] {
			c.Type.Ext.Charset = cs
		}
		if gen != "" {
			c.Generated = &schema.Generated{Expr: gen, Stored: strings.Contains(lextra, "stored") || strings.Contains(lextra, "persistent")}
			def = sql.NullString{}
		}
		if def.Valid && !c.AutoIncrement {
			switch {
			case srv.mariadb:
				if !strings.EqualFold(def.String, "NULL") {
					c.Def = schema.Expr(def.String)
				}
			case strings.Contains(lextra, "default_generated"):
				c.Def = schema.Expr(def.String)
			default:
				c.Def = schema.Value(def.String)
			}
		}
		t.Columns = append(t.Columns, c)
		return nil
	})
	if err != nil {
		return fail("columns", err)
	}

	if query := srv.checksQuery(); query != "" {
		err = each(ctx, q, query, db, func(rows *sql.Rows) error {
			var tname, name, level, clause, enforced string
			if err := rows.Scan(&tname, &name, &level, &clause, &enforced); err != nil {
				return err
			}
			t, ok := byName[tname]
			if !ok {
				return nil
			}
			if enforced == "NO" {
				return unsupported(tname, "check %s is NOT ENFORCED, which the schema model does not hold", name)
			}
			if level == "Column" {
				if i := t.ColumnIndex(name); i >= 0 && clause == "json_valid("+d.QuoteIdent(name)+")" &&
					strings.EqualFold(t.Columns[i].Type.Native, "longtext") {
					c := &t.Columns[i]
					c.Type = schema.Type{Kind: schema.KindJSON, Native: c.Type.Native}
					return nil
				}
			}
			t.Checks = append(t.Checks, schema.Check{Name: name, Expr: stripParens(clause)})
			return nil
		})
		if err != nil {
			return fail("check constraints", err)
		}
	}

	if err := d.inspectIndexes(ctx, q, db, srv, byName); err != nil {
		return fail("indexes", err)
	}

	type fkKey struct{ table, name string }
	fks := map[fkKey]*schema.ForeignKey{}
	var order []fkKey
	err = each(ctx, q, inspectForeignKeys, db, func(rows *sql.Rows) error {
		var tname, name, col, refdb, reftable, refcol, upd, del string
		if err := rows.Scan(&tname, &name, &col, &refdb, &reftable, &refcol, &upd, &del); err != nil {
			return err
		}
		if _, ok := byName[tname]; !ok {
			return nil
		}
		k := fkKey{tname, name}
		fk, ok := fks[k]
		if !ok {
			fk = &schema.ForeignKey{Name: name, RefTable: reftable, RefSchema: opts.Schema,
				OnDelete: schema.Action(del), OnUpdate: schema.Action(upd)}
			if refdb != db {
				fk.RefSchema = refdb
			}
			fks[k] = fk
			order = append(order, k)
		}
		fk.Columns = append(fk.Columns, col)
		fk.RefColumns = append(fk.RefColumns, refcol)
		return nil
	})
	if err != nil {
		return fail("foreign keys", err)
	}
	for _, k := range order {
		byName[k.table].ForeignKeys = append(byName[k.table].ForeignKeys, *fks[k])
	}

	for _, t := range s.Tables {
		slices.SortFunc(t.Uniques, func(a, b schema.Unique) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortFunc(t.ForeignKeys, func(a, b schema.ForeignKey) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortFunc(t.Checks, func(a, b schema.Check) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortFunc(t.Indexes, func(a, b schema.Index) int { return cmp.Compare(a.Name, b.Name) })
	}
	return s, nil
}

// inspectIndexes reads information_schema.STATISTICS into the tables'
// primary keys, unique constraints and indexes.
func (d *Dialect) inspectIndexes(ctx context.Context, q dialect.Querier, db string, srv server, byName map[string]*schema.Table) error {
	type part struct {
		col, expr, coll string
		sub             sql.NullInt64
	}
	type index struct {
		table, name, method string
		unique              bool
		parts               []part
	}
	type key struct{ table, name string }
	indexes := map[key]*index{}
	var order []key
	err := each(ctx, q, srv.indexesQuery(), db, func(rows *sql.Rows) error {
		var tname, name, method string
		var nonUnique int
		var col, coll, expr sql.NullString
		var sub sql.NullInt64
		if err := rows.Scan(&tname, &name, &nonUnique, &col, &coll, &sub, &method, &expr); err != nil {
			return err
		}
		if _, ok := byName[tname]; !ok {
			return nil
		}
		k := key{tname, name}
		idx, ok := indexes[k]
		if !ok {
			idx = &index{table: tname, name: name, method: strings.ToUpper(method), unique: nonUnique == 0}
			indexes[k] = idx
			order = append(order, k)
		}
		idx.parts = append(idx.parts, part{col: col.String, expr: expr.String, coll: coll.String, sub: sub})
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range order {
		idx := indexes[k]
		t := byName[idx.table]
		defMethod := "BTREE"
		if e := strings.ToUpper(t.Ext.Engine); e == "MEMORY" || e == "HEAP" {
			defMethod = "HASH"
		}
		out := schema.Index{Name: idx.name, Unique: idx.unique}
		if idx.method != defMethod {
			out.Method = idx.method
		}
		plain := out.Method == ""
		for _, p := range idx.parts {
			if p.sub.Valid && idx.method != "SPATIAL" {
				return unsupported(idx.table, "index %s is on the first %d characters of column %s, which the schema model does not hold", idx.name, p.sub.Int64, p.col)
			}
			ip := schema.IndexPart{Column: p.col, Desc: p.coll == "D"}
			if p.col == "" {
				ip = schema.IndexPart{Expr: stripParens(p.expr), Desc: p.coll == "D"}
			}
			plain = plain && ip.Expr == "" && !ip.Desc
			out.Parts = append(out.Parts, ip)
		}
		switch {
		case idx.name == "PRIMARY":
			if !plain {
				return unsupported(idx.table, "the primary key is %s, which the schema model does not hold", out)
			}
			t.PK = &schema.PrimaryKey{Name: idx.name, Columns: out.Columns()}
		case plain && idx.unique:
			t.Uniques = append(t.Uniques, schema.Unique{Name: idx.name, Columns: out.Columns()})
		default:
			t.Indexes = append(t.Indexes, out)
		}
	}
	return nil
}

// server is what Inspect needs to know of the server: MariaDB or MySQL,
// and MySQL's version.
type server struct {
	mariadb             bool
	major, minor, patch int
}

// parseVersion reads VERSION(): "10.11.6-MariaDB-0+deb12u1", "8.0.36".
func parseVersion(v string) server {
	s := server{mariadb: strings.Contains(strings.ToLower(v), "mariadb")}
	num, _, _ := strings.Cut(v, "-")
	parts := strings.SplitN(num, ".", 3)
	nums := []*int{&s.major, &s.minor, &s.patch}
	for i, p := range parts {
		*nums[i], _ = strconv.Atoi(p)
	}
	return s
}

// atLeast reports whether MySQL's version is at least major.minor.patch.
func (s server) atLeast(major, minor, patch int) bool {
	return cmp.Or(cmp.Compare(s.major, major), cmp.Compare(s.minor, minor), cmp.Compare(s.patch, patch)) >= 0
}

// checksQuery is the query of the check constraints, "" on MySQL before
// 8.0.16, which parses checks and drops them.
func (s server) checksQuery() string {
	switch {
	case s.mariadb:
		return inspectChecksMariaDB
	case s.atLeast(8, 0, 16):
		return inspectChecksMySQL
	}
	return ""
}

// indexesQuery is the query of the indexes: with the expression of a
// functional key part on MySQL 8.0.13 and later.
func (s server) indexesQuery() string {
	expr := "NULL"
	if !s.mariadb && s.atLeast(8, 0, 13) {
		expr = "EXPRESSION"
	}
	return strings.Replace(inspectIndexes, "{expr}", expr, 1)
}

// each runs query with the database db as its one argument and calls f
// for each row.
func each(ctx context.Context, q dialect.Querier, query, db string, f func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, db)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// unsupportedError is a table the schema model cannot hold.
type unsupportedError struct{ table, msg string }

func (e *unsupportedError) Error() string { return "table " + e.table + ": " + e.msg }

func (e *unsupportedError) Is(target error) bool { return target == dialect.ErrUnsupported }

func unsupported(table, format string, args ...any) error {
	return &unsupportedError{table: table, msg: fmt.Sprintf(format, args...)}
}

const inspectServer = `SELECT DATABASE(), VERSION(), @@default_storage_engine`

const inspectDatabase = `SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME
FROM information_schema.SCHEMATA
WHERE SCHEMA_NAME = ?`

const inspectTables = `SELECT t.TABLE_NAME, t.TABLE_TYPE, COALESCE(t.ENGINE, ''), COALESCE(t.TABLE_COLLATION, ''),
       COALESCE(co.CHARACTER_SET_NAME, ''), COALESCE(t.TABLE_COMMENT, '')
FROM information_schema.TABLES t
LEFT JOIN information_schema.COLLATIONS co ON co.COLLATION_NAME = t.TABLE_COLLATION
WHERE t.TABLE_SCHEMA = ? AND t.TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')`

const inspectColumns = `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT,
       COALESCE(CHARACTER_SET_NAME, ''), COALESCE(COLLATION_NAME, ''), COALESCE(GENERATION_EXPRESSION, '')
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = ?
ORDER BY TABLE_NAME, ORDINAL_POSITION`

const inspectChecksMariaDB = `SELECT TABLE_NAME, CONSTRAINT_NAME, LEVEL, CHECK_CLAUSE, 'YES'
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = ?
ORDER BY TABLE_NAME, CONSTRAINT_NAME`

const inspectChecksMySQL = `SELECT tc.TABLE_NAME, tc.CONSTRAINT_NAME, 'Table', cc.CHECK_CLAUSE, tc.ENFORCED
FROM information_schema.TABLE_CONSTRAINTS tc
JOIN information_schema.CHECK_CONSTRAINTS cc
  ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
WHERE tc.TABLE_SCHEMA = ? AND tc.CONSTRAINT_TYPE = 'CHECK'
ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME`

const inspectIndexes = `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, COLLATION, SUB_PART, INDEX_TYPE, {expr}
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = ?
ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`

const inspectForeignKeys = `SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME,
       k.REFERENCED_COLUMN_NAME, rc.UPDATE_RULE, rc.DELETE_RULE
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.REFERENTIAL_CONSTRAINTS rc
  ON rc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND rc.TABLE_NAME = k.TABLE_NAME AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME
WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`
