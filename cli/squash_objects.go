package cli

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/retortdb/retort/dialect"
)

// objects are the objects outside the schema model that squash copies
// from the scratch database by their own definitions: their names as the
// dialect's UnmanagedLister gives them, their CREATE statements in an
// order that runs, and the statements that drop them, in reverse, each
// as a script of the dialect writes it (terminated).
type objects struct {
	names, create, drop []string
}

func (o *objects) add(d dialect.Dialect, name, create, drop string) {
	create = strings.TrimRight(strings.TrimSpace(create), ";")
	text := d.ScriptStatement(create)
	if d.Name() == "mysql" && strings.Contains(create, ";") {
		// A body of several statements: the script's splitter cuts at
		// the delimiter, as the mysql client does.
		text = "DELIMITER $$\n" + create + "$$\nDELIMITER ;"
	}
	o.names = append(o.names, name)
	o.create = append(o.create, text)
	o.drop = append([]string{d.ScriptStatement(drop)}, o.drop...)
}

// copiedObjects reads the objects outside the schema model that squash
// can copy, each as the database itself writes its definition:
//
//   - SQLite: views and triggers, from the CREATE statements it keeps;
//   - PostgreSQL: functions and procedures (pg_get_functiondef), views
//     and materialized views (pg_get_viewdef) and triggers
//     (pg_get_triggerdef) of the current schema, in that order, each
//     kind in the order it was made; not those of extensions;
//   - MySQL: functions and procedures, views and triggers of the current
//     database, in that order, from SHOW CREATE, without their DEFINER
//     clause and the database's name.
//
// Squash refuses a schema that holds other objects (PostgreSQL's
// sequences that no column owns, policies and extensions, MySQL's
// events).
func copiedObjects(ctx context.Context, d dialect.Dialect, db *sql.DB) (objects, error) {
	var o objects
	var query string
	switch d.Name() {
	case "sqlite":
		query = sqliteObjects
	case "postgres":
		query = postgresObjects
	case "mysql":
		return mysqlObjects(ctx, d, db)
	default:
		return o, nil
	}
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return o, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, create, drop string
		if err := rows.Scan(&name, &create, &drop); err != nil {
			return o, err
		}
		o.add(d, name, create, drop)
	}
	return o, rows.Err()
}

// definer is MySQL's DEFINER clause, which names a user of the server
// the definition was read on.
var definer = regexp.MustCompile("DEFINER=(`[^`]*`|'[^']*'|[^@\\s]+)@(`[^`]*`|'[^']*'|\\S+)\\s+")

// mysqlObjects reads the routines, views and triggers of the current
// MySQL database with SHOW CREATE, on one connection.
func mysqlObjects(ctx context.Context, d dialect.Dialect, db *sql.DB) (objects, error) {
	var o objects
	conn, err := db.Conn(ctx)
	if err != nil {
		return o, err
	}
	defer conn.Close()
	var dbName string
	if err := conn.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&dbName); err != nil {
		return o, err
	}
	type object struct{ kind, name, table string }
	var list []object
	for _, q := range []string{
		"SELECT ROUTINE_TYPE, ROUTINE_NAME, '' FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY CREATED, ROUTINE_NAME",
		"SELECT 'VIEW', TABLE_NAME, '' FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME",
		"SELECT 'TRIGGER', TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY CREATED, ACTION_ORDER, TRIGGER_NAME",
	} {
		rows, err := conn.QueryContext(ctx, q)
		if err != nil {
			return o, err
		}
		for rows.Next() {
			var x object
			if err := rows.Scan(&x.kind, &x.name, &x.table); err != nil {
				rows.Close()
				return o, err
			}
			list = append(list, x)
		}
		if err := rows.Close(); err != nil {
			return o, err
		}
	}
	for _, x := range list {
		kind := strings.ToUpper(x.kind)
		def, err := showCreate(ctx, conn, "SHOW CREATE "+kind+" "+d.QuoteIdent(x.name))
		if err != nil {
			return o, fmt.Errorf("read %s %s: %w", strings.ToLower(kind), x.name, err)
		}
		def = definer.ReplaceAllString(def, "")
		def = strings.ReplaceAll(def, d.QuoteIdent(dbName)+".", "")
		name := strings.ToLower(kind) + " " + x.name
		if kind == "TRIGGER" {
			name += " on " + x.table
		}
		o.add(d, name, def, "DROP "+kind+" "+d.QuoteIdent(x.name))
	}
	return o, nil
}

// showCreate runs a SHOW CREATE statement and returns its definition:
// the column whose name starts with "Create", or "SQL Original
// Statement" for a trigger.
func showCreate(ctx context.Context, conn *sql.Conn, q string) (string, error) {
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return "", err
		}
		return "", fmt.Errorf("%s: no row", q)
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return "", err
	}
	for i, c := range cols {
		if strings.HasPrefix(c, "Create ") || c == "SQL Original Statement" {
			if !vals[i].Valid {
				return "", fmt.Errorf("%s: no definition (not allowed to read it?)", q)
			}
			return vals[i].String, nil
		}
	}
	return "", fmt.Errorf("%s: no definition column in %v", q, cols)
}

// sqliteObjects are the views and triggers of a SQLite database, in the
// order they were made: name (as the Unmanaged lister says it), CREATE
// statement, DROP statement.
const sqliteObjects = `
SELECT CASE type WHEN 'view' THEN 'view ' || name ELSE 'trigger ' || name || ' on ' || tbl_name END,
  sql,
  CASE type WHEN 'view' THEN 'DROP VIEW "' ELSE 'DROP TRIGGER "' END || replace(name, '"', '""') || '"'
FROM sqlite_master
WHERE type IN ('view', 'trigger') AND sql IS NOT NULL
  AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT LIKE '\_retort\_%' ESCAPE '\'
ORDER BY rowid`

// postgresObjects are the functions, views and triggers of the current
// schema of a PostgreSQL database, as postgres.Unmanaged names them.
const postgresObjects = `
SELECT name, def, drop FROM (
  SELECT 1 AS kind, p.oid::bigint AS o,
    CASE p.prokind WHEN 'p' THEN 'procedure ' ELSE 'function ' END || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' AS name,
    pg_catalog.pg_get_functiondef(p.oid) AS def,
    'DROP ' || CASE p.prokind WHEN 'p' THEN 'PROCEDURE ' ELSE 'FUNCTION ' END || pg_catalog.quote_ident(p.proname) || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' AS drop
  FROM pg_catalog.pg_proc p
  WHERE p.pronamespace = pg_catalog.current_schema()::regnamespace AND p.prokind IN ('f', 'p')
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  UNION ALL
  SELECT 2, c.oid::bigint,
    CASE c.relkind WHEN 'v' THEN 'view ' ELSE 'materialized view ' END || c.relname,
    'CREATE ' || CASE c.relkind WHEN 'v' THEN 'VIEW ' ELSE 'MATERIALIZED VIEW ' END || pg_catalog.quote_ident(c.relname) || ' AS' || chr(10) || rtrim(pg_catalog.pg_get_viewdef(c.oid), ';'),
    'DROP ' || CASE c.relkind WHEN 'v' THEN 'VIEW ' ELSE 'MATERIALIZED VIEW ' END || pg_catalog.quote_ident(c.relname)
  FROM pg_catalog.pg_class c
  WHERE c.relnamespace = pg_catalog.current_schema()::regnamespace AND c.relkind IN ('v', 'm')
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
  UNION ALL
  SELECT 3, t.oid::bigint, 'trigger ' || t.tgname || ' on ' || c.relname,
    pg_catalog.pg_get_triggerdef(t.oid),
    'DROP TRIGGER ' || pg_catalog.quote_ident(t.tgname) || ' ON ' || pg_catalog.quote_ident(c.relname)
  FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
  WHERE c.relnamespace = pg_catalog.current_schema()::regnamespace AND NOT t.tgisinternal
) x
ORDER BY kind, o`

// sequences are the statements of PostgreSQL's sequences that columns
// own (serial, bigserial, or OWNED BY): which reflection shows only as
// the columns' nextval defaults. create makes them (before the tables),
// owned gives them to their columns (after), set puts those of the
// tables whose rows are copied where they are on the scratch database.
type sequences struct {
	create, owned, set string
}

// ownedSequences reads the sequences that columns of the current schema
// own, other than identity columns' (which CREATE TABLE makes) and
// those of own (retort's tables); none on other dialects.
func ownedSequences(ctx context.Context, d dialect.Dialect, db *sql.DB, data, own []string) (sequences, error) {
	var out sequences
	if d.Name() != "postgres" {
		return out, nil
	}
	rows, err := db.QueryContext(ctx, `
SELECT s.relname, t.relname, a.attname, q.data_type::text, q.start_value, q.min_value, q.max_value, q.increment_by, q.cycle, q.cache_size,
  COALESCE(q.last_value, q.start_value), q.last_value IS NOT NULL
FROM pg_catalog.pg_class s
JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = s.oid AND dep.deptype = 'a'
  AND dep.refclassid = 'pg_catalog.pg_class'::regclass
JOIN pg_catalog.pg_class t ON t.oid = dep.refobjid
JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = dep.refobjsubid
JOIN pg_catalog.pg_sequences q ON q.schemaname = pg_catalog.current_schema() AND q.sequencename = s.relname
WHERE s.relkind = 'S' AND s.relnamespace = pg_catalog.current_schema()::regnamespace
ORDER BY s.relname`)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	var create, owned, set strings.Builder
	for rows.Next() {
		var seq, table, col, typ string
		var start, minV, maxV, inc, cache, last int64
		var cycle, called bool
		if err := rows.Scan(&seq, &table, &col, &typ, &start, &minV, &maxV, &inc, &cycle, &cache, &last, &called); err != nil {
			return out, err
		}
		if slices.Contains(own, table) {
			continue // retort's own tables are no part of the squash
		}
		cyc := "NO CYCLE"
		if cycle {
			cyc = "CYCLE"
		}
		fmt.Fprintf(&create, "CREATE SEQUENCE %s AS %s INCREMENT BY %d MINVALUE %d MAXVALUE %d START WITH %d CACHE %d %s;\n",
			d.QuoteIdent(seq), typ, inc, minV, maxV, start, cache, cyc)
		fmt.Fprintf(&owned, "ALTER SEQUENCE %s OWNED BY %s.%s;\n", d.QuoteIdent(seq), d.QuoteIdent(table), d.QuoteIdent(col))
		if slices.Contains(data, table) && called {
			name, err := d.Literal(d.QuoteIdent(seq))
			if err != nil {
				return out, err
			}
			fmt.Fprintf(&set, "SELECT setval(%s, %d, true);\n", name, last)
		}
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	if create.Len() > 0 {
		out.create = create.String() + "\n"
		out.owned = "\n" + owned.String()
	}
	out.set = set.String()
	return out, nil
}
