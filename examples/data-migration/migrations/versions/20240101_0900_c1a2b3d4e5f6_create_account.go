package versions

import (
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/script"
)

func init() {
	Registry.Add(script.GoRevision{
		Revision:     "c1a2b3d4e5f6",
		DownRevision: "",
		Message:      "create account",
		CreateDate:   "2024-01-01 09:00:00 UTC",
		Upgrade: func(o *op.Ops) error {
			o.CreateTable(schema.NewTable("account",
				schema.Col("id", schema.Integer()).Identity(),
				schema.Col("name", schema.String(100)),
			).PrimaryKey("id"))
			return nil
		},
		Downgrade: func(o *op.Ops) error {
			o.DropTable("account")
			return nil
		},
	})
}
