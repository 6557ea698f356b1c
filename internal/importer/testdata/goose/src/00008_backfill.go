package migrations

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

func init() {
	goose.AddMigrationContext(upBackfill, downBackfill)
}

// upBackfill gives every user without an email a placeholder.
func upBackfill(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "UPDATE users SET email = 'unknown' WHERE email = ''")
	return err
}

func downBackfill(ctx context.Context, tx *sql.Tx) error {
	return nil
}
