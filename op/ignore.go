package op

import "slices"

// Suppression is a lint finding an operation says does not apply to it:
// the rule's code (RT301) and why it is safe here. retort lint reads it
// as it reads a `-- retort:ignore RT301 reason` comment above a SQL
// statement.
type Suppression struct {
	Code   string
	Reason string
}

// Ignore returns a view of o whose operations carry a suppression of the
// lint rule code, with the reason it does not apply: every operation
// recorded through the view (and through views made from it) suppresses
// that rule's findings on its statements. It records into the same list,
// as InSchema does, and chains:
//
//	o.Ignore("RT301", "the table holds 40 rows").CreateIndex("plans", idx)
//	o.Ignore("RT101", "archived in 7f3a").Ignore("RT701", "off-hours").DropTable("old")
//
// The reason is required: retort lint reports a suppression without one
// (RT904), or one that suppresses nothing (RT902), at the operation's
// line. Recording and running are unaffected.
func (o *Ops) Ignore(code, reason string) *Ops {
	v := *o
	v.ignore = append(slices.Clone(o.ignore), Suppression{Code: code, Reason: reason})
	return &v
}

// Suppressions returns the suppressions of the k-th recorded operation
// (k counts from 0, in the order of List): those of the Ignore views that
// recorded it, and for a Batch those of the operations inside it too.
func (o *Ops) Suppressions(k int) []Suppression {
	if k < 0 || k >= len(o.rec.ignores) {
		return nil
	}
	return slices.Clone(o.rec.ignores[k])
}
