package cli

import (
	"context"
	"database/sql"
	"strings"

	"github.com/retortdb/retort/dialect"
)

// objects are the objects outside the schema model that squash copies
// from the scratch database by their own definitions: their names as the
// dialect's UnmanagedLister gives them, their CREATE statements in an
// order that runs, and the statements that drop them, in reverse.
type objects struct {
	names, create, drop []string
}

func (o *objects) add(name, create, drop string) {
	o.names = append(o.names, name)
	o.create = append(o.create, strings.TrimRight(strings.TrimSpace(create), ";"))
	o.drop = append([]string{drop}, o.drop...)
}

// copiedObjects reads the objects outside the schema model that squash
// can copy, each as the database itself writes its definition:
//
//   - SQLite: views and triggers, from the CREATE statements it keeps;
//   - PostgreSQL: functions and procedures (pg_get_functiondef), views
//     and materialized views (pg_get_viewdef) and triggers
//     (pg_get_triggerdef) of the current schema, in that order, each
//     kind in the order it was made; not those of extensions.
//
// On MySQL none: squash refuses a schema that holds such objects, as it
// refuses PostgreSQL's sequences that no column owns, policies and
// extensions.
func copiedObjects(ctx context.Context, d dialect.Dialect, db *sql.DB) (objects, error) {
	var o objects
	var query string
	switch d.Name() {
	case "sqlite":
		query = sqliteObjects
	case "postgres":
		query = postgresObjects
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
		o.add(name, create, drop)
	}
	return o, rows.Err()
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
