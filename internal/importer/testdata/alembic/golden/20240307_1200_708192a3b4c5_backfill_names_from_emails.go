package versions

import (
	"errors"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

// retort import: a Go revision skeleton of alembic versions/708192a3b4c5_backfill_names.py (revision 708192a3b4c5)
//
// An Alembic revision that Alembic cannot render as SQL offline (it reads data
// through op.get_bind(), say). Each function that the source's code could not
// become holds that code as a comment and returns an error, so that upgrading
// or downgrading through this revision stops there until you write it with the
// operations of package op (o.Execute for SQL, o.Run for Go code that reads
// data) and delete the error.

func init() {
	Registry.Add(script.GoRevision{
		Revision:     "708192a3b4c5",
		DownRevision: "6f708192a3b4",
		BranchLabels: "",
		DependsOn:    "",
		Message:      "backfill names from emails",
		CreateDate:   "2024-03-07 12:00:00 UTC",
		Upgrade: func(o *op.Ops) error {
			// Alembic's upgrade() (versions/708192a3b4c5_backfill_names.py:18), which Alembic cannot render offline for sqlite, postgresql (AttributeError: 'NoneType' object has no attribute 'fetchall'):
			//
			//	def upgrade():
			//	    conn = op.get_bind()
			//	    rows = conn.execute(sa.text("SELECT id, email FROM users")).fetchall()
			//	    for id_, email in rows:
			//	        conn.execute(sa.text("UPDATE users SET name = :n WHERE id = :i"), {"n": email.split("@")[0], "i": id_})
			return errors.New("not written yet: a skeleton imported from alembic versions/708192a3b4c5_backfill_names.py; write its Upgrade from the source it holds as a comment, and delete this error")
		},
		Downgrade: func(o *op.Ops) error {
			o.ExecuteOn("sqlite", `UPDATE users SET name = NULL;`)
			o.ExecuteOn("postgres", `UPDATE users SET name = NULL;`)
			return nil
		},
	})
}
