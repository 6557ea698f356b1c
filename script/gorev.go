package script

import (
	"github.com/retortdb/retort/op"
)

// GoRevision is a revision written in Go: a file in the project's
// versions package registers one with its Registry. The header fields
// must be plain string literals in the composite literal, so that retort
// reads them with go/parser without compiling anything (graph commands
// never compile); DownRevision, BranchLabels and DependsOn are
// comma-separated lists, as in a SQL revision's header.
//
//	func init() {
//		Registry.Add(script.GoRevision{
//			Revision:     "3f2a9c1b7d4e",
//			DownRevision: "1a2b3c4d5e6f",
//			Message:      "backfill email",
//			CreateDate:   "2026-12-06 10:00:00 UTC",
//			Upgrade: func(o *op.Ops) error {
//				o.Execute("UPDATE account SET email = ? WHERE email IS NULL", "unknown")
//				return nil
//			},
//			Downgrade: func(o *op.Ops) error { return nil },
//		})
//	}
//
// Upgrade and Downgrade only record operations (see op.Ops); they run
// when retort plans the step, before anything is executed, so that a
// revision can be rendered offline too. A nil Downgrade makes the
// revision irreversible, as a SQL revision without a downgrade section.
type GoRevision struct {
	Revision     string
	DownRevision string
	BranchLabels string
	DependsOn    string
	Message      string
	CreateDate   string

	Upgrade   func(o *op.Ops) error
	Downgrade func(o *op.Ops) error
}
