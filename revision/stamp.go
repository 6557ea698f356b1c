package revision

import (
	"fmt"
	"slices"
	"strings"
)

// Stamp plans setting the version table to targets without running any
// migration. Each target moves the heads on its own line (up or down, a
// merge or an unmerge) or starts a new branch; "base" removes the heads of
// the lines it names (all heads when it is the only target).
//
// Each target moves the heads of the starting version table that are on
// its line, as Alembic's does. Alembic moves every head that any target
// names for each target, which loses rows when several targets are given,
// and computes each against the starting heads, which fails half-way when
// two targets touch one head; retort moves only each target's own line and
// recomputes a target whose line an earlier one already moved. Two targets
// on one line (one the ancestor of the other) are refused: a database
// cannot be at both.
func (g *Graph) Stamp(current []string, targets []string) (*Plan, error) {
	r := g.resolver()
	if len(targets) == 0 {
		targets = []string{"base"}
	}
	var dests []int
	for _, t := range targets {
		rs, err := r.revisions(t)
		if err != nil {
			return nil, stampErr(err)
		}
		for _, x := range rs {
			if x >= 0 && !slices.Contains(dests, int(x)) {
				dests = append(dests, int(x))
			}
		}
	}
	for i, a := range dests {
		for _, b := range dests[i+1:] {
			if r.w.reaches(a, b, normDown) || r.w.reaches(b, a, normDown) {
				return nil, &Error{Msg: fmt.Sprintf("cannot stamp %s and %s together: they are on one line (one is an ancestor of the other), and the database can be at only one of them", g.nodes[a].rev.ID, g.nodes[b].rev.ID)}
			}
		}
	}
	heads := slices.Clone(current)
	p := &Plan{}
	add := func(s Step) {
		heads = applyOps(heads, s.Ops)
		p.Steps = append(p.Steps, s)
	}
	// lineage returns the heads of hs that share lineage (with
	// dependencies) with target.
	lineage := func(hs []string, target string) ([]string, error) {
		hr, err := r.revisionsOf(hs)
		if err != nil {
			return nil, err
		}
		on, err := r.filterLineage(realRefs(hr), target, true)
		if err != nil {
			return nil, err
		}
		return g.ids(on), nil
	}
	// Alembic's steps: every target against the heads the command started
	// from.
	var filtered []string
	for _, t := range targets {
		on, err := lineage(current, t)
		if err != nil {
			return nil, stampErr(err)
		}
		for _, h := range on {
			if !slices.Contains(filtered, h) {
				filtered = append(filtered, h)
			}
		}
	}
	if len(dests) == 0 {
		// Every target is base: remove the heads of the lines named.
		for _, h := range filtered {
			if slices.Contains(heads, h) {
				add(Step{Stamp: true, From: []string{h}, Ops: []VersionOp{{Kind: Delete, From: h}}})
			}
		}
		p.Heads = heads
		return p, nil
	}
	for _, d := range dests {
		id := g.nodes[d].rev.ID
		if slices.Contains(filtered, id) {
			continue
		}
		// Of Alembic's heads, those on this target's line (Alembic uses them
		// all, and so merges lines that other targets named).
		var from []string
		for _, h := range filtered {
			if j, ok := g.byID[h]; ok && (r.w.reaches(d, j, allNext) || r.w.reaches(d, j, normDown)) {
				from = append(from, h)
			}
		}
		s, ok := r.stampStep(d, from, heads)
		if !ok {
			// Alembic's step does not fit the heads the earlier targets
			// left (it would fail half-way): move this target's own line.
			on, err := lineage(heads, id)
			if err != nil {
				return nil, stampErr(err)
			}
			if slices.Contains(on, id) {
				continue
			}
			if s, ok = r.stampStep(d, on, heads); !ok {
				return nil, &Error{Msg: fmt.Sprintf("cannot stamp %s: the version table (%s) does not fit it", id, strings.Join(heads, ", "))}
			}
		}
		add(s)
	}
	p.Heads = heads
	return p, nil
}

// stampStep is Alembic's stamp step to dest from the heads of its line
// (from), with the version-table changes it makes on heads. ok is false
// when those changes do not fit heads (a row to move is not there, or the
// row to add already is).
func (r *resolver) stampStep(d int, from, heads []string) (Step, bool) {
	g := r.g
	id := g.nodes[d].rev.ID
	hit := func(rl rel) bool {
		for _, h := range from {
			if j, ok := g.byID[h]; ok && j != d && (rl == allNext && r.w.reaches(d, j, allNext) || rl == normDown && r.w.reaches(d, j, normDown)) {
				return true
			}
		}
		return false
	}
	s := Step{Stamp: true, From: slices.Clone(from), To: []string{id}, Up: true}
	branchMove := false
	switch {
	case hit(allNext): // a head lies above: a downgrade
		s.Up = false
	case hit(normDown): // a head lies below: an upgrade
	default: // a line with no head in the table: a new branch
		s.From, branchMove = nil, true
	}
	has := func(x string) bool { return slices.Contains(heads, x) }
	missing := func(xs []string) bool {
		for _, x := range xs {
			if !has(x) {
				return true
			}
		}
		return false
	}
	switch {
	case s.Up && (branchMove || missing(s.From)) && !has(id):
		s.Ops = []VersionOp{{Kind: Insert, To: id}}
	case len(s.From) > 1:
		for _, f := range s.From[:len(s.From)-1] {
			s.Ops = append(s.Ops, VersionOp{Kind: Delete, From: f})
		}
		s.Ops = append(s.Ops, VersionOp{Kind: Update, From: s.From[len(s.From)-1], To: id})
	case len(s.From) == 1:
		s.Ops = []VersionOp{{Kind: Update, From: s.From[0], To: id}}
	default:
		return s, false
	}
	// Check the changes against the table.
	hs := slices.Clone(heads)
	for _, op := range s.Ops {
		switch op.Kind {
		case Insert:
			if slices.Contains(hs, op.To) {
				return s, false
			}
		case Delete, Update:
			if !slices.Contains(hs, op.From) || op.Kind == Update && slices.Contains(hs, op.To) {
				return s, false
			}
		}
		hs = applyOps(hs, []VersionOp{op})
	}
	return s, true
}

func stampErr(err error) error {
	if mh, ok := err.(*MultipleHeadsError); ok {
		return &MultipleHeadsError{Heads: mh.Heads, Arg: mh.Arg}
	}
	return err
}
