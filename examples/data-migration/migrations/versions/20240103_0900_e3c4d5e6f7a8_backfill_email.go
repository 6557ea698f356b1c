package versions

import (
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/script"
)

// account declares just the columns this migration touches, so that the
// migration never depends on the application's models of today.
var account = op.Table("account",
	op.Column("id", schema.Integer()),
	op.Column("name", schema.String(100)),
	op.Column("email", schema.String(255)),
)

func init() {
	Registry.Add(script.GoRevision{
		Revision:     "e3c4d5e6f7a8",
		DownRevision: "d2b3c4d5e6f7",
		Message:      "back-fill account.email",
		CreateDate:   "2024-01-03 09:00:00 UTC",
		Upgrade: func(o *op.Ops) error {
			// Accounts that arrive with this release, email known.
			o.BulkInsert(account, []map[string]any{
				{"id": 1001, "name": "Ada Lovelace", "email": "ada@example.com"},
				{"id": 1002, "name": "O'Brien", "email": "obrien@example.com"},
				{"id": 1003, "name": "Zoë", "email": nil},
			})
			// Everyone else gets a placeholder derived from the id; string
			// concatenation differs, so each dialect gets its own text.
			o.ExecuteOn("postgres", "UPDATE account SET email = 'user' || id || ? WHERE email IS NULL", "@example.invalid")
			o.ExecuteOn("sqlite", "UPDATE account SET email = 'user' || id || ? WHERE email IS NULL", "@example.invalid")
			o.ExecuteOn("mysql", "UPDATE account SET email = CONCAT('user', id, ?) WHERE email IS NULL", "@example.invalid")
			return nil
		},
		Downgrade: func(o *op.Ops) error {
			o.Execute("DELETE FROM account WHERE id IN (?, ?, ?)", 1001, 1002, 1003)
			o.Execute("UPDATE account SET email = NULL WHERE email LIKE ?", "user%@example.invalid")
			return nil
		},
	})
}
