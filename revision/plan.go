package revision

import (
	"fmt"
	"slices"
	"strings"
)

// VersionOp is one change to the version table.
type VersionOp struct {
	Kind     VersionOpKind
	From, To string // Delete uses From, Insert uses To, Update both
}

// VersionOpKind says what a VersionOp does to the version table.
type VersionOpKind uint8

const (
	Insert VersionOpKind = iota + 1
	Delete
	Update
)

func (k VersionOpKind) String() string {
	switch k {
	case Insert:
		return "insert"
	case Delete:
		return "delete"
	case Update:
		return "update"
	}
	return "?"
}

// Step is one step of a plan: a migration to run (Revision, Up) or, for
// stamp, only a move of the version table. From and To are the revisions
// the step goes from and to, as the log line prints them. Ops are the
// version-table changes that record the step, computed for the heads the
// database has just before it.
type Step struct {
	Revision string // empty for a stamp step
	Up       bool
	Stamp    bool
	From, To []string
	Ops      []VersionOp
}

// Verb is "upgrade", "downgrade" or "stamp_revision", as the log prints it.
func (s Step) Verb() string {
	switch {
	case s.Stamp:
		return "stamp_revision"
	case s.Up:
		return "upgrade"
	}
	return "downgrade"
}

// Arrow is "A, B -> C", the step's movement as Alembic prints it.
func (s Step) Arrow() string {
	return strings.Join(s.From, ", ") + " -> " + strings.Join(s.To, ", ")
}

// Plan is the steps of one command and the heads the database has after them.
type Plan struct {
	Steps []Step
	Heads []string
}

// Upgrade plans the migrations that take a database at current (its
// version-table rows) to target. A target below the current revisions
// plans nothing.
func (g *Graph) Upgrade(current []string, target string) (*Plan, error) {
	r := g.resolver()
	needs, targets, err := r.collectUpgrade([]string{target}, current, false, false, true, true)
	if err != nil {
		return nil, upgradeErr(err, target, "upgrade")
	}
	order, err := r.topoSort(needs, targets)
	if err != nil {
		return nil, err
	}
	slices.Reverse(order)
	return g.plan(r, current, order, true)
}

// Downgrade plans the migrations that take a database at current back to
// target.
func (g *Graph) Downgrade(current []string, target string) (*Plan, error) {
	r := g.resolver()
	drop, heads, err := r.collectDowngrade(current, target, true)
	if err != nil {
		return nil, upgradeErr(err, target, "downgrade")
	}
	order, err := r.topoSort(drop, heads)
	if err != nil {
		return nil, err
	}
	return g.plan(r, current, order, false)
}

func upgradeErr(err error, target, verb string) error {
	if re, ok := err.(*RangeError); ok {
		return &RangeError{Lower: re.Lower, Upper: target,
			Msg: fmt.Sprintf("%s is not a valid %s target from the current revision(s)", target, verb)}
	}
	return err
}

func (g *Graph) plan(r *resolver, current []string, order []int, up bool) (*Plan, error) {
	heads := slices.Clone(current)
	p := &Plan{}
	order, sqs := g.withSquashes(order)
	for k, i := range order {
		n := g.nodes[i]
		s := Step{Revision: n.rev.ID, Up: up}
		if up {
			s.From, s.To = g.ids(n.down), []string{n.rev.ID}
		} else {
			s.From, s.To = []string{n.rev.ID}, g.ids(n.down)
		}
		var ops []VersionOp
		var err error
		if sq := sqs[k]; sq != nil {
			// The squashed revision runs from base, in place of the
			// revisions it replaces (squash.go).
			s.Revision, s.From, s.To = sq.rev.ID, nil, []string{sq.rev.ID}
			if !up {
				s.From, s.To = []string{sq.rev.ID}, nil
			}
			ops, err = g.squashOps(heads, sq, up)
		} else {
			ops, err = r.revisionOps(heads, i, up)
		}
		if err != nil {
			return nil, err
		}
		s.Ops = ops
		heads = applyOps(heads, ops)
		p.Steps = append(p.Steps, s)
	}
	p.Heads = heads
	return p, nil
}

// ApplyOps returns heads after ops, keeping the row order a table would.
func ApplyOps(heads []string, ops []VersionOp) []string { return applyOps(heads, ops) }

func applyOps(heads []string, ops []VersionOp) []string {
	out := slices.Clone(heads)
	for _, op := range ops {
		switch op.Kind {
		case Insert:
			out = append(out, op.To)
		case Delete:
			out = slices.DeleteFunc(out, func(h string) bool { return h == op.From })
		case Update:
			for k, h := range out {
				if h == op.From {
					out[k] = op.To
				}
			}
		}
	}
	return out
}

// revisionOps computes how the version table records running revision i
// up or down when it holds heads (Alembic's HeadMaintainer).
func (r *resolver) revisionOps(heads []string, i int, up bool) ([]VersionOp, error) {
	g := r.g
	n := g.nodes[i]
	id := n.rev.ID
	norm := g.ids(n.normDown)
	has := func(x string) bool { return slices.Contains(heads, x) }
	inHeads := func(xs []string) []string {
		var out []string
		for _, x := range xs {
			if has(x) {
				out = append(out, x)
			}
		}
		return out
	}
	// minus drops from xs the revisions implied by (equal to or below) a
	// head that is not in skip.
	minus := func(xs []string, skip []string) []string {
		var others []int
		for _, h := range heads {
			if j, ok := g.byID[h]; ok && !slices.Contains(skip, h) {
				others = append(others, j)
			}
		}
		var out []string
		for _, x := range xs {
			xi, ok := g.byID[x]
			implied := false
			for _, h := range others {
				if ok && r.w.reaches(h, xi, normDown) {
					implied = true
					break
				}
			}
			if !implied {
				out = append(out, x)
			}
		}
		return out
	}
	if up {
		common := inHeads(norm)
		switch {
		case len(norm) == 0 || len(common) == 0:
			if has(id) {
				return nil, &Error{Msg: fmt.Sprintf("version table already holds %s", id)}
			}
			return []VersionOp{{Kind: Insert, To: id}}, nil
		case len(norm) > 1 && len(common) > 1:
			from := inHeads(minus(norm, norm))
			if len(from) == 0 {
				return nil, &Error{Msg: "internal error: merge of " + id + " has no head to update"}
			}
			var ops []VersionOp
			for _, f := range from[:len(from)-1] {
				ops = append(ops, VersionOp{Kind: Delete, From: f})
			}
			return append(ops, VersionOp{Kind: Update, From: from[len(from)-1], To: id}), nil
		default:
			if len(common) != 1 {
				return nil, &Error{Msg: fmt.Sprintf("cannot record %s: its down revisions %s are ambiguous in the version table", id, strings.Join(common, ", "))}
			}
			return []VersionOp{{Kind: Update, From: common[0], To: id}}, nil
		}
	}
	if !has(id) {
		return nil, &Error{Msg: fmt.Sprintf("cannot downgrade %s: the version table does not hold it (it holds %s)", id, strings.Join(heads, ", "))}
	}
	to := minus(norm, []string{id})
	switch {
	case len(norm) == 0 || len(to) == 0:
		return []VersionOp{{Kind: Delete, From: id}}, nil
	case len(norm) > 1:
		var ops []VersionOp
		for _, t := range to[:len(to)-1] {
			ops = append(ops, VersionOp{Kind: Insert, To: t})
		}
		return append(ops, VersionOp{Kind: Update, From: id, To: to[len(to)-1]}), nil
	default:
		return []VersionOp{{Kind: Update, From: id, To: norm[0]}}, nil
	}
}

// StepOps returns the version-table changes that record running revision
// id up (or down) on a database at heads: what `resolve --applied` writes
// for a step that ran outside a transaction.
func (g *Graph) StepOps(heads []string, id string, up bool) ([]VersionOp, error) {
	i, ok := g.byID[id]
	if !ok {
		for _, sq := range g.squashes {
			if sq.rev.ID == id {
				return g.squashOps(heads, sq, up)
			}
		}
		return nil, &ResolutionError{Arg: id, Msg: fmt.Sprintf("no revision %q", id)}
	}
	return g.resolver().revisionOps(heads, i, up)
}
