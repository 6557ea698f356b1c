package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/retortdb/retort/dialect"
)

// unmanagedQuery lists what the schema model does not hold in one
// schema: views and materialized views, sequences no column owns,
// functions and procedures (not those of extensions), user triggers,
// row-level security policies, and the extensions installed there. One
// query, from pg_catalog.
const unmanagedQuery = `
SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'sequence' END || ' ' || c.relname
FROM pg_catalog.pg_class c
WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('v', 'm', 'S')
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure ' ELSE 'function ' END || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'
FROM pg_catalog.pg_proc p
WHERE p.pronamespace = $1::regnamespace
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'trigger ' || t.tgname || ' on ' || c.relname
FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = $1::regnamespace AND NOT t.tgisinternal
UNION ALL
SELECT 'policy ' || pol.polname || ' on ' || c.relname
FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
WHERE c.relnamespace = $1::regnamespace
UNION ALL
SELECT 'extension ' || e.extname
FROM pg_catalog.pg_extension e
WHERE e.extnamespace = $1::regnamespace AND e.extname <> 'plpgsql'`

// Unmanaged lists the objects of the schema that autogenerate leaves
// alone (dialect.UnmanagedLister).
func (d *Dialect) Unmanaged(ctx context.Context, q dialect.Querier, opts dialect.InspectOptions) ([]string, error) {
	nsp, ok, err := schemaOf(ctx, q, opts)
	if err != nil {
		return nil, fmt.Errorf("list unmanaged objects: %w", err)
	}
	if !ok {
		return nil, nil
	}
	var exists bool
	if err := q.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)", nsp).Scan(&exists); err != nil || !exists {
		if err != nil {
			return nil, fmt.Errorf("list unmanaged objects in PostgreSQL schema %s: %w", nsp, err)
		}
		return nil, nil
	}
	out, err := dialect.QueryStrings(ctx, q, unmanagedQuery, pgIdent(nsp))
	if err != nil {
		return nil, fmt.Errorf("list unmanaged objects in PostgreSQL schema %s: %w", nsp, err)
	}
	slices.Sort(out)
	return out, nil
}

// pgIdent quotes a schema name for a ::regnamespace cast.
func pgIdent(name string) string { return New().QuoteIdent(name) }
