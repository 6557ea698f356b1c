package versions

import (
	"errors"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

// retort import: a Go revision skeleton of goose 00008_backfill.go (version 00008)
//
// A goose Go migration, which import cannot translate. Each function that the
// source's code could not become holds that code as a comment and returns an
// error, so that upgrading or downgrading through this revision stops there
// until you write it with the operations of package op (o.Execute for SQL,
// o.Run for Go code that reads data) and delete the error.

func init() {
	Registry.Add(script.GoRevision{
		Revision:     "816cf5ffa57a",
		DownRevision: "8c2b1547d328",
		BranchLabels: "",
		DependsOn:    "",
		Message:      "backfill",
		CreateDate:   "",
		Upgrade: func(o *op.Ops) error {
			// goose's up, upBackfill (00008_backfill.go:14):
			//
			//	// upBackfill gives every user without an email a placeholder.
			//	func upBackfill(ctx context.Context, tx *sql.Tx) error {
			//		_, err := tx.ExecContext(ctx, "UPDATE users SET email = 'unknown' WHERE email = ''")
			//		return err
			//	}
			return errors.New("not written yet: a skeleton imported from goose 00008_backfill.go; write its Upgrade from the source it holds as a comment, and delete this error")
		},
		Downgrade: func(o *op.Ops) error {
			// goose's down, downBackfill (00008_backfill.go:20):
			//
			//	func downBackfill(ctx context.Context, tx *sql.Tx) error {
			//		return nil
			//	}
			return errors.New("not written yet: a skeleton imported from goose 00008_backfill.go; write its Downgrade from the source it holds as a comment, and delete this error")
		},
	})
}
