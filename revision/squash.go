package revision

import (
	"fmt"
	"slices"
	"strings"
)

// GraphSquash is the kind of a GraphError about a squashed revision
// whose replaced revisions are not one revision with all its ancestors,
// or that other revisions follow other than through its target.
const GraphSquash GraphErrorKind = "squash"

// A squashed revision (Revision.Replaces set, written by retort squash)
// stands for a revision T and all of its ancestors, the set R it
// replaces. It is no node of the graph: T and R stay the graph, so heads,
// history, targets and the version table are what they were. It is an
// alternative path from base to T, taken by a plan that would otherwise
// run every revision of R:
//
//   - an upgrade that runs all of R (a database that has none of it)
//     runs the squashed revision once instead, and records T in the
//     version table, as R's steps would have;
//   - a downgrade that reverts all of R (to base, from T or above)
//     reverts the squashed revision once instead, and deletes T;
//   - any other plan (a database inside R, a target inside R) runs the
//     revisions of R as before.
//
// Where several squashes apply (a project squashed twice), the one that
// replaces the most revisions is taken.
type squash struct {
	rev    Revision
	target int
	in     set // the revisions it replaces
	size   int
}

// Squash describes one squashed revision of a Graph.
type Squash struct {
	ID       string
	Target   string   // the newest revision it replaces: a database that runs it is at Target
	Replaces []string // Target and all its ancestors, in file order
	Path     string
}

// Squashes returns the squashed revisions, in file order.
func (g *Graph) Squashes() []Squash {
	out := make([]Squash, len(g.squashes))
	for i, sq := range g.squashes {
		out[i] = g.squashInfo(sq)
	}
	return out
}

// Squash returns the squashed revision with exactly this id, or nil.
func (g *Graph) Squash(id string) *Squash {
	for _, sq := range g.squashes {
		if sq.rev.ID == id {
			s := g.squashInfo(sq)
			return &s
		}
	}
	return nil
}

// SquashedInto returns the ids of the squashed revisions that replace
// revision id, in file order.
func (g *Graph) SquashedInto(id string) []string {
	i, ok := g.byID[id]
	if !ok {
		return nil
	}
	var out []string
	for _, sq := range g.squashes {
		if sq.in[i] {
			out = append(out, sq.rev.ID)
		}
	}
	return out
}

func (g *Graph) squashInfo(sq *squash) Squash {
	return Squash{ID: sq.rev.ID, Target: g.nodes[sq.target].rev.ID, Replaces: g.ids(sq.in.list()), Path: sq.rev.Path}
}

// addSquashes checks the squashed revisions against the graph and keeps
// them. The graph is complete; the squashes are not yet part of it.
func (g *Graph) addSquashes(revs []Revision) error {
	for _, r := range revs {
		sq, err := g.checkSquash(r)
		if err != nil {
			return err
		}
		for _, o := range g.squashes {
			if o.target == sq.target {
				return &GraphError{Kind: GraphDuplicate, Revisions: []string{o.rev.ID, r.ID}, Paths: []string{o.rev.Path, r.Path},
					Msg: fmt.Sprintf("squashed revisions %s (%s) and %s (%s) both replace the revisions up to %s; keep one of them",
						o.rev.ID, pathOr(o.rev.Path), r.ID, pathOr(r.Path), g.nodes[sq.target].rev.ID)}
			}
		}
		g.squashes = append(g.squashes, sq)
	}
	return nil
}

func (g *Graph) checkSquash(r Revision) (*squash, error) {
	if err := checkID(r); err != nil {
		return nil, err
	}
	where := fmt.Sprintf("squashed revision %s (%s)", r.ID, pathOr(r.Path))
	if _, ok := g.lookup(r.ID); ok {
		return nil, &GraphError{Kind: GraphDuplicate, Revisions: []string{r.ID}, Paths: []string{r.Path},
			Msg: fmt.Sprintf("%s has the id of a revision or branch label of the graph; give it a new id", where)}
	}
	for _, o := range g.squashes {
		if o.rev.ID == r.ID {
			return nil, &GraphError{Kind: GraphDuplicate, Revisions: []string{r.ID}, Paths: []string{o.rev.Path, r.Path},
				Msg: fmt.Sprintf("squashed revision %s is defined twice: in %s and in %s", r.ID, pathOr(o.rev.Path), pathOr(r.Path))}
		}
	}
	if len(r.Down) > 0 || len(r.DependsOn) > 0 || len(r.BranchLabels) > 0 {
		return nil, &GraphError{Kind: GraphIllegal, Revisions: []string{r.ID}, Paths: []string{r.Path},
			Msg: fmt.Sprintf("%s has a down_revision, depends_on or branch_labels; a squashed revision is a base of its own and names what it stands for in its replaces line only", where)}
	}
	sq := &squash{rev: r, in: g.newSet()}
	for _, id := range dedupe(r.Replaces) {
		i, ok := g.byID[id]
		if !ok {
			return nil, &GraphError{Kind: GraphMissing, Revisions: []string{r.ID, id}, Paths: []string{r.Path},
				Msg: fmt.Sprintf("%s replaces %s, which does not exist; the revisions a squash replaces stay in the archive folder (restore the file)", where, id)}
		}
		sq.in[i] = true
		sq.size++
	}
	// The target is the one replaced revision that no other replaced
	// revision follows, and the replaced set is it with its ancestors.
	var tops []int
	for _, i := range sq.in.list() {
		if !slices.ContainsFunc(g.nodes[i].allNext, func(c int) bool { return sq.in[c] }) {
			tops = append(tops, i)
		}
	}
	if len(tops) != 1 {
		return nil, &GraphError{Kind: GraphSquash, Revisions: append([]string{r.ID}, g.ids(tops)...), Paths: []string{r.Path},
			Msg: fmt.Sprintf("%s replaces revisions with %d newest ones (%s); a squash replaces one revision and all of its ancestors", where, len(tops), strings.Join(g.ids(tops), ", "))}
	}
	sq.target = tops[0]
	tid := g.nodes[sq.target].rev.ID
	anc := g.newWalker().walk([]int{sq.target}, normDown)
	var missing []string
	for _, a := range anc {
		if !sq.in[a] {
			missing = append(missing, g.nodes[a].rev.ID)
		}
	}
	if len(missing) > 0 {
		return nil, &GraphError{Kind: GraphSquash, Revisions: append([]string{r.ID}, missing...), Paths: []string{r.Path},
			Msg: fmt.Sprintf("%s replaces %s but not its ancestors %s; a squash replaces one revision and all of its ancestors", where, tid, strings.Join(missing, ", "))}
	}
	if err := g.checkSquashable(sq.in, sq.target); err != nil {
		return nil, &GraphError{Kind: GraphSquash, Revisions: []string{r.ID, tid}, Paths: []string{r.Path}, Msg: where + ": " + err.Error()}
	}
	return sq, nil
}

// checkSquashable checks that the revisions in (target and its
// ancestors) may be replaced by one revision that ends at target: no
// revision outside them follows or depends on one of them other than
// target, and a database upgraded from base to target holds target
// alone in its version table.
func (g *Graph) checkSquashable(in set, target int) error {
	tid := g.nodes[target].rev.ID
	for i, n := range g.nodes {
		if in[i] {
			continue
		}
		for _, d := range n.allDown {
			if in[d] && d != target {
				how := "follows"
				if !slices.Contains(n.down, d) {
					how = "depends on"
				}
				return fmt.Errorf("revision %s (%s) %s %s, which is below %s: a branch off the squashed part that is not merged before %s; squash up to a revision that is past where that branch joins, or merge it first",
					n.rev.ID, pathOr(n.rev.Path), how, g.nodes[d].rev.ID, tid, tid)
			}
		}
	}
	p, err := g.Upgrade(nil, tid)
	if err != nil {
		return fmt.Errorf("plan the upgrade from base to %s: %w", tid, err)
	}
	if len(p.Heads) != 1 || p.Heads[0] != tid {
		return fmt.Errorf("a database upgraded from base to %s would be at %s, not at %s alone; squash up to a revision on the main line",
			tid, strings.Join(p.Heads, ", "), tid)
	}
	return nil
}

// CheckSquashable reports whether target can be squashed: whether one
// revision may replace target and all its ancestors (the rule that
// retort squash enforces before it writes anything). It returns a
// *ResolutionError for an unknown target and an error saying what is in
// the way otherwise: a revision outside the ancestors that follows or
// depends on one of them other than target, a version table that would
// hold more than target, or a squash that already replaces target.
func (g *Graph) CheckSquashable(target string) error {
	i, ok := g.byID[target]
	if !ok {
		return &ResolutionError{Arg: target, Msg: fmt.Sprintf("no revision %q", target)}
	}
	for _, sq := range g.squashes {
		if sq.in[i] {
			return fmt.Errorf("%s is already squashed: squashed revision %s (%s) replaces the revisions up to %s; squash up to a revision past %s",
				target, sq.rev.ID, pathOr(sq.rev.Path), g.nodes[sq.target].rev.ID, g.nodes[sq.target].rev.ID)
		}
	}
	return g.checkSquashable(g.newSet(g.newWalker().walk([]int{i}, normDown)...), i)
}

// withSquashes rewrites a plan's order (node indexes in run order): the
// revisions of each squash whose replaced revisions are all in it become
// one entry for the squash, at its target's place. It returns the order
// and, by position, the squash that runs there (nil for a revision).
func (g *Graph) withSquashes(order []int) ([]int, []*squash) {
	if len(g.squashes) == 0 {
		return order, make([]*squash, len(order))
	}
	inPlan := g.newSet(order...)
	byTarget := map[int]*squash{}
	taken := g.newSet()
	cands := slices.Clone(g.squashes)
	slices.SortStableFunc(cands, func(a, b *squash) int { return b.size - a.size })
	for _, sq := range cands {
		all := true
		for i, in := range sq.in {
			if in && (!inPlan[i] || taken[i]) {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		byTarget[sq.target] = sq
		for i, in := range sq.in {
			if in {
				taken[i] = true
			}
		}
	}
	if len(byTarget) == 0 {
		return order, make([]*squash, len(order))
	}
	var out []int
	var sqs []*squash
	for _, i := range order {
		if sq, ok := byTarget[i]; ok {
			out, sqs = append(out, i), append(sqs, sq)
		} else if !taken[i] {
			out, sqs = append(out, i), append(sqs, nil)
		}
	}
	return out, sqs
}

// squashOps is how the version table records running squash sq up (its
// target inserted) or down (its target deleted) on a database at heads.
func (g *Graph) squashOps(heads []string, sq *squash, up bool) ([]VersionOp, error) {
	tid := g.nodes[sq.target].rev.ID
	has := slices.Contains(heads, tid)
	if up {
		if has {
			return nil, &Error{Msg: fmt.Sprintf("version table already holds %s", tid)}
		}
		return []VersionOp{{Kind: Insert, To: tid}}, nil
	}
	if !has {
		return nil, &Error{Msg: fmt.Sprintf("cannot downgrade squashed revision %s: the version table does not hold %s (it holds %s)", sq.rev.ID, tid, strings.Join(heads, ", "))}
	}
	return []VersionOp{{Kind: Delete, From: tid}}, nil
}
