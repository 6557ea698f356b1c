package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

// Unmanaged lists the views and triggers of the database, which the
// schema model does not hold and autogenerate leaves alone
// (dialect.UnmanagedLister).
func (d *Dialect) Unmanaged(ctx context.Context, q dialect.Querier, opts dialect.InspectOptions) ([]string, error) {
	if opts.Schema != "" {
		var n int
		if err := q.QueryRowContext(ctx, "SELECT count(*) FROM pragma_database_list WHERE name = ?", opts.Schema).Scan(&n); err != nil {
			return nil, fmt.Errorf("list unmanaged objects of SQLite database %s: %w", opts.Schema, err)
		}
		if n == 0 {
			return nil, nil // not attached: nothing there
		}
	}
	master := d.master(schema.TableName{Schema: opts.Schema})
	rows, err := q.QueryContext(ctx, "SELECT type, name, tbl_name FROM "+master+" WHERE type IN ('view', 'trigger')")
	if err != nil {
		return nil, fmt.Errorf("list unmanaged objects of SQLite database %s: %w", cmp.Or(opts.Schema, "main"), err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var typ, name, table string
		if err := rows.Scan(&typ, &name, &table); err != nil {
			return nil, fmt.Errorf("list unmanaged objects of SQLite database %s: %w", cmp.Or(opts.Schema, "main"), err)
		}
		if strings.HasPrefix(name, dialect.ScratchPrefix) || strings.HasPrefix(strings.ToLower(name), "sqlite_") {
			continue // retort's own, for one step; SQLite's own
		}
		if typ == "trigger" {
			out = append(out, "trigger "+name+" on "+table)
		} else {
			out = append(out, "view "+name)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list unmanaged objects of SQLite database %s: %w", cmp.Or(opts.Schema, "main"), err)
	}
	slices.Sort(out)
	return out, nil
}
