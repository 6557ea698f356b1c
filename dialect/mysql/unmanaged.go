package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/retortdb/retort/dialect"
)

// unmanagedQuery lists what the schema model does not hold in one
// database: views, functions and procedures, triggers and events, each
// from its single information_schema view.
const unmanagedQuery = `
SELECT CONCAT('view ', TABLE_NAME) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?
UNION ALL
SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?
UNION ALL
SELECT CONCAT('trigger ', TRIGGER_NAME, ' on ', EVENT_OBJECT_TABLE) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
UNION ALL
SELECT CONCAT('event ', EVENT_NAME) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?`

// Unmanaged lists the objects of the database that autogenerate leaves
// alone (dialect.UnmanagedLister).
func (d *Dialect) Unmanaged(ctx context.Context, q dialect.Querier, opts dialect.InspectOptions) ([]string, error) {
	db := opts.Schema
	if db == "" {
		var cur sql.NullString
		if err := q.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&cur); err != nil {
			return nil, fmt.Errorf("list unmanaged objects: read the current database: %w", err)
		}
		if !cur.Valid {
			return nil, nil
		}
		db = cur.String
	}
	out, err := dialect.QueryStrings(ctx, q, unmanagedQuery, db, db, db, db)
	if err != nil {
		return nil, fmt.Errorf("list unmanaged objects in MySQL database %s: %w", db, err)
	}
	slices.Sort(out)
	return out, nil
}
