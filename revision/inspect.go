package revision

import (
	"fmt"
	"slices"
	"strings"
)

// Info describes one revision of a Graph.
type Info struct {
	ID           string
	Down         []string // down revisions, as declared
	DependsOn    []string // as declared (ids or labels)
	BranchLabels []string // own and inherited, sorted
	Next         []string // children through down revisions, file order
	Path         string
	// IsHead: no child through down revisions. IsRealHead: no child through
	// down revisions or depends_on either; a head that is not real is an
	// "effective head".
	IsHead, IsRealHead, IsBase  bool
	IsBranchPoint, IsMergePoint bool
	IsRealBranchPoint           bool
}

// Len is the number of revisions.
func (g *Graph) Len() int { return len(g.nodes) }

// Info returns the revision with exactly this id, or nil.
func (g *Graph) Info(id string) *Info {
	i, ok := g.byID[id]
	if !ok {
		return nil
	}
	return g.info(i)
}

func (g *Graph) info(i int) *Info {
	n := g.nodes[i]
	return &Info{
		ID:                n.rev.ID,
		Down:              g.ids(n.down),
		DependsOn:         slices.Clone(n.rev.DependsOn),
		BranchLabels:      slices.Clone(n.labels),
		Next:              g.ids(n.next),
		Path:              n.rev.Path,
		IsHead:            len(n.next) == 0,
		IsRealHead:        len(n.allNext) == 0,
		IsBase:            len(n.down) == 0,
		IsBranchPoint:     len(n.next) > 1,
		IsMergePoint:      len(n.down) > 1,
		IsRealBranchPoint: len(n.allNext) > 1,
	}
}

// All returns every revision in file order.
func (g *Graph) All() []*Info {
	out := make([]*Info, len(g.nodes))
	for i := range g.nodes {
		out[i] = g.info(i)
	}
	return out
}

// Heads returns the heads (revisions without children through down
// revisions) in file order.
func (g *Graph) Heads() []string { return g.ids(g.heads) }

// RealHeads returns the revisions that nothing follows or depends on.
func (g *Graph) RealHeads() []string { return g.ids(g.realHeads) }

// Bases returns the revisions without down revisions, in file order.
func (g *Graph) Bases() []string { return g.ids(g.bases) }

// Resolve resolves a target that may name several revisions ("heads",
// "label@heads"); "base" gives none.
func (g *Graph) Resolve(target string) ([]string, error) {
	r := g.resolver()
	rs, err := r.revisions(target)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, x := range rs {
		if x >= 0 {
			out = append(out, g.nodes[x].rev.ID)
		}
	}
	return out, nil
}

// ResolveOne resolves a target that must name at most one revision; ""
// means base.
func (g *Graph) ResolveOne(target string) (string, error) {
	r := g.resolver()
	x, err := r.revision(target)
	if err != nil || x < 0 {
		return "", err
	}
	return g.nodes[x].rev.ID, nil
}

// Walk returns the revisions from base up to head, heads first, in the
// order history prints them. base and head are targets ("base", "heads",
// ids, labels, relative steps); head may name several revisions. Relative
// steps that walk past either end stop there.
func (g *Graph) Walk(base string, heads []string) ([]*Info, error) {
	r := g.resolver()
	if base == "" {
		base = "base"
	}
	if len(heads) == 0 {
		heads = []string{"heads"}
	}
	needs, targets, err := r.collectUpgrade(heads, []string{base}, true, true, false, false)
	if err != nil {
		if _, ok := err.(*RangeError); ok {
			upper := strings.Join(heads, ",")
			return nil, &RangeError{Lower: base, Upper: upper,
				Msg: fmt.Sprintf("range %s:%s does not refer to ancestor/descendant revisions along one branch", base, upper)}
		}
		return nil, err
	}
	order, err := r.topoSort(needs, targets)
	if err != nil {
		return nil, err
	}
	out := make([]*Info, len(order))
	for k, i := range order {
		out[k] = g.info(i)
	}
	return out, nil
}

// Current returns the revisions a database at current is at, with those
// implied through depends_on (Alembic's get_all_current), in file order.
func (g *Graph) Current(current []string) ([]*Info, error) {
	r := g.resolver()
	xs, err := r.allCurrent(current)
	if err != nil {
		return nil, err
	}
	out := make([]*Info, len(xs))
	for k, i := range xs {
		out[k] = g.info(i)
	}
	return out, nil
}

// IsAncestor reports whether a is an ancestor of (or equal to) b through
// down revisions and depends_on. Unknown ids give false.
func (g *Graph) IsAncestor(a, b string) bool {
	ia, ok1 := g.byID[a]
	ib, ok2 := g.byID[b]
	if !ok1 || !ok2 {
		return false
	}
	return g.newWalker().reaches(ib, ia, normDown)
}

// Ancestors returns the revisions at or below heads (through down
// revisions and depends_on), in file order: what a database at heads has
// applied. Unknown ids are ignored.
func (g *Graph) Ancestors(heads []string) []string {
	var hs []int
	for _, h := range heads {
		if i, ok := g.byID[h]; ok {
			hs = append(hs, i)
		}
	}
	in := g.newSet(g.newWalker().walk(hs, normDown)...)
	return g.ids(in.list())
}
