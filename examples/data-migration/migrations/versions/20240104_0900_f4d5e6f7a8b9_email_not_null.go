package versions

import (
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/script"
)

// accountBefore is account as the earlier revisions left it: SQLite
// changes nullability by moving and copying the table, and needs the
// definition to do it offline.
func accountBefore() *schema.Table {
	return schema.NewTable("account",
		schema.Col("id", schema.Integer()).Identity(),
		schema.Col("name", schema.String(100)),
		schema.Col("email", schema.String(255)).Nullable(),
	).PrimaryKey("id")
}

func init() {
	Registry.Add(script.GoRevision{
		Revision:     "f4d5e6f7a8b9",
		DownRevision: "e3c4d5e6f7a8",
		Message:      "account.email NOT NULL",
		CreateDate:   "2024-01-04 09:00:00 UTC",
		Upgrade: func(o *op.Ops) error {
			email := schema.Col("email", schema.String(255)).Nullable()
			o.Batch("account", accountBefore(), func(b *op.Ops) {
				b.AlterColumn("account", op.AlterColumn{Column: "email", Null: op.Ptr(false), Existing: &email})
			})
			return nil
		},
		Downgrade: func(o *op.Ops) error {
			after := accountBefore()
			after.Columns[2] = after.Columns[2].NotNull()
			email := after.Columns[2]
			o.Batch("account", after, func(b *op.Ops) {
				b.AlterColumn("account", op.AlterColumn{Column: "email", Null: op.Ptr(true), Existing: &email})
			})
			return nil
		},
	})
}
