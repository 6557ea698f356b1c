package revision

import (
	"fmt"
	"slices"
	"strings"
)

// Revision is the graph header of one revision script, as read from its
// file. It is the input of New.
type Revision struct {
	ID           string
	Down         []string // down revisions: none for a base, several for a merge
	BranchLabels []string
	DependsOn    []string // revision ids or branch labels
	Path         string   // where it was read from, for error messages only
	// Replaces makes the revision a squashed revision (see squash.go): no
	// node of the graph but a shortcut from base that stands for the
	// revisions it lists, one revision and all of its ancestors.
	Replaces []string
}

// node is one revision inside a Graph. Relations are kept as indexes into
// Graph.nodes, in the order that Alembic keeps them, so that every walk is
// deterministic and follows file order where Alembic follows insertion order.
type node struct {
	rev       *Revision // in the slice given to New
	down      []int     // versioned down revisions
	deps      []int     // depends_on, resolved to revisions
	allDown   []int     // down + deps, deduplicated
	normDown  []int     // down + normDeps, deduplicated
	next      []int     // children through down revisions
	allNext   []int     // children through down revisions or depends_on
	labels    []string  // own labels plus those inherited along the branch, sorted
	gen       int       // 1 + the longest path to a base through normDown
	ownLabels []string  // labels declared in this file
}

// Graph is an immutable, validated revision graph. Build it with New.
// All methods are safe for concurrent use.
type Graph struct {
	nodes     []*node
	byID      map[string]int
	byLabel   map[string]int
	heads     []int     // versioned heads (no child through down revisions), file order
	realHeads []int     // no child through down revisions or depends_on
	bases     []int     // no down revision
	realBases []int     // no down revision and no depends_on
	squashes  []*squash // squashed revisions, file order (squash.go)
}

// illegalIDChars are refused in revision ids: Alembic's "@", "-" and "+"
// (they are target syntax), plus ":" (ranges), "," (lists) and white space.
const illegalIDChars = "@-+:, \t\r\n"

var reservedIDs = []string{"head", "heads", "base", "current"}

// New validates revs and builds the graph. Revisions keep the order given
// (file order), which decides the order of heads and of walks. The graph
// keeps revs (a graph of 100,000 revisions holds no second copy): the
// caller must not change them afterwards.
//
// It returns a *GraphError for a duplicate id, an illegal id, a missing
// down revision or depends_on target, a duplicate branch label, a label
// equal to a revision id, or a cycle (a *CycleError), and for a squashed
// revision (Replaces set) whose replaced revisions are not one revision
// with all its ancestors, or that other revisions follow other than
// through that revision (Kind GraphSquash).
func New(revs []Revision) (*Graph, error) {
	var squashRevs []Revision
	if slices.ContainsFunc(revs, func(r Revision) bool { return len(r.Replaces) > 0 }) {
		plain := make([]Revision, 0, len(revs))
		for _, r := range revs {
			if len(r.Replaces) > 0 {
				squashRevs = append(squashRevs, r)
			} else {
				plain = append(plain, r)
			}
		}
		revs = plain
	}
	g := &Graph{
		nodes:   make([]*node, len(revs)),
		byID:    make(map[string]int, len(revs)),
		byLabel: map[string]int{},
	}
	// The nodes, and the edge lists of every node, are carved out of a
	// few large arrays: a graph of 100,000 revisions is then a handful of
	// allocations instead of several per revision.
	nodeBuf := make([]node, len(revs))
	edges := 0
	for _, r := range revs {
		edges += len(r.Down)
	}
	downBuf := make([]int, 0, edges)
	for i, r := range revs {
		if err := checkID(r); err != nil {
			return nil, err
		}
		if j, dup := g.byID[r.ID]; dup {
			return nil, &GraphError{
				Kind:      GraphDuplicate,
				Revisions: []string{r.ID},
				Paths:     []string{revs[j].Path, r.Path},
				Msg: fmt.Sprintf("revision %s is defined twice: in %s and in %s; give one of them a new id (and fix the down_revision that points to it)",
					r.ID, pathOr(revs[j].Path), pathOr(r.Path)),
			}
		}
		for _, d := range r.Down {
			if d == r.ID {
				return nil, &CycleError{Cycle: []string{r.ID, r.ID}, Paths: []string{r.Path}}
			}
		}
		for _, d := range r.DependsOn {
			if d == r.ID {
				return nil, &CycleError{Cycle: []string{r.ID, r.ID}, Paths: []string{r.Path}, DependsOn: true}
			}
		}
		g.byID[r.ID] = i
		nodeBuf[i] = node{rev: &revs[i], ownLabels: dedupe(r.BranchLabels)}
		g.nodes[i] = &nodeBuf[i]
	}
	// Branch labels share one namespace with revision ids.
	for i, n := range g.nodes {
		for _, l := range n.ownLabels {
			if err := checkLabel(l, *n.rev); err != nil {
				return nil, err
			}
			if j, ok := g.byID[l]; ok {
				return nil, &GraphError{Kind: GraphLabel, Revisions: []string{n.rev.ID, l}, Paths: []string{n.rev.Path},
					Msg: fmt.Sprintf("branch label %q of revision %s (%s) is also the id of revision %s (%s); choose another label",
						l, n.rev.ID, pathOr(n.rev.Path), g.nodes[j].rev.ID, pathOr(g.nodes[j].rev.Path))}
			}
			if j, ok := g.byLabel[l]; ok {
				return nil, &GraphError{Kind: GraphLabel, Revisions: []string{g.nodes[j].rev.ID, n.rev.ID}, Paths: []string{g.nodes[j].rev.Path, n.rev.Path},
					Msg: fmt.Sprintf("branch label %q is used by revision %s (%s) and by revision %s (%s); a label names one branch",
						l, g.nodes[j].rev.ID, pathOr(g.nodes[j].rev.Path), n.rev.ID, pathOr(n.rev.Path))}
			}
			g.byLabel[l] = i
		}
	}
	// Resolve edges.
	for i, n := range g.nodes {
		from := len(downBuf)
		for k, d := range n.rev.Down {
			if slices.Contains(n.rev.Down[:k], d) {
				continue
			}
			j, ok := g.byID[d]
			if !ok {
				return nil, &GraphError{Kind: GraphMissing, Revisions: []string{n.rev.ID, d}, Paths: []string{n.rev.Path},
					Msg: fmt.Sprintf("revision %s (%s) has down_revision %s, which does not exist; fix the down_revision line or restore the missing file",
						n.rev.ID, pathOr(n.rev.Path), d)}
			}
			downBuf = append(downBuf, j)
		}
		if len(downBuf) > from {
			n.down = downBuf[from:len(downBuf):len(downBuf)]
		}
		for _, d := range dedupe(n.rev.DependsOn) {
			j, ok := g.byID[d]
			if !ok {
				j, ok = g.byLabel[d]
			}
			if !ok {
				return nil, &GraphError{Kind: GraphMissing, Revisions: []string{n.rev.ID, d}, Paths: []string{n.rev.Path},
					Msg: fmt.Sprintf("revision %s (%s) depends on %s, which is neither a revision id nor a branch label; fix the depends_on line",
						n.rev.ID, pathOr(n.rev.Path), d)}
			}
			if j == i {
				return nil, &CycleError{Cycle: []string{n.rev.ID, n.rev.ID}, Paths: []string{n.rev.Path}, DependsOn: true}
			}
			n.deps = append(n.deps, j)
		}
		n.allDown = n.down // shared: neither is changed after New
		if len(n.deps) > 0 {
			n.allDown = dedupeInts(append(slices.Clone(n.down), n.deps...))
		}
	}
	if err := g.findCycle(); err != nil {
		return nil, err
	}
	// Children: count them first, to give each node its exact share.
	nNext, nAllNext := make([]int32, len(g.nodes)), make([]int32, len(g.nodes))
	totalNext, totalAllNext := 0, 0
	for _, n := range g.nodes {
		for _, d := range n.allDown {
			nAllNext[d]++
			totalAllNext++
			if slices.Contains(n.down, d) {
				nNext[d]++
				totalNext++
			}
		}
	}
	nextBuf, allNextBuf := make([]int, totalNext), make([]int, totalAllNext)
	for i, n := range g.nodes {
		if c := int(nNext[i]); c > 0 {
			n.next, nextBuf = nextBuf[:0:c], nextBuf[c:]
		}
		if c := int(nAllNext[i]); c > 0 {
			n.allNext, allNextBuf = allNextBuf[:0:c], allNextBuf[c:]
		}
	}
	for i, n := range g.nodes {
		for _, d := range n.allDown {
			p := g.nodes[d]
			p.allNext = append(p.allNext, i)
			if slices.Contains(n.down, d) {
				p.next = append(p.next, i)
			}
		}
	}
	g.normalizeDeps()
	g.computeGenerations()
	for i, n := range g.nodes {
		if len(n.next) == 0 {
			g.heads = append(g.heads, i)
		}
		if len(n.allNext) == 0 {
			g.realHeads = append(g.realHeads, i)
		}
		if len(n.down) == 0 {
			g.bases = append(g.bases, i)
			if len(n.rev.DependsOn) == 0 {
				g.realBases = append(g.realBases, i)
			}
		}
	}
	g.propagateLabels()
	if err := g.addSquashes(squashRevs); err != nil {
		return nil, err
	}
	return g, nil
}

// keys yields what the graph's names are, in map order: the revision ids
// in file order, then the branch labels in the order they were declared.
func (g *Graph) keys(yield func(string) bool) {
	for _, n := range g.nodes {
		if !yield(n.rev.ID) {
			return
		}
	}
	for _, n := range g.nodes {
		for _, l := range n.ownLabels {
			if !yield(l) {
				return
			}
		}
	}
}

func checkID(r Revision) error {
	if r.ID == "" {
		return &GraphError{Kind: GraphIllegal, Paths: []string{r.Path}, Msg: fmt.Sprintf("%s: empty revision id", pathOr(r.Path))}
	}
	if i := strings.IndexAny(r.ID, illegalIDChars); i >= 0 {
		return &GraphError{Kind: GraphIllegal, Revisions: []string{r.ID}, Paths: []string{r.Path},
			Msg: fmt.Sprintf("revision id %q (%s) contains %q, which is not allowed in a revision id (not allowed: @ - + : , and white space)",
				r.ID, pathOr(r.Path), r.ID[i:i+1])}
	}
	if slices.Contains(reservedIDs, r.ID) {
		return &GraphError{Kind: GraphIllegal, Revisions: []string{r.ID}, Paths: []string{r.Path},
			Msg: fmt.Sprintf("revision id %q (%s) is a reserved word (head, heads, base, current); choose another id", r.ID, pathOr(r.Path))}
	}
	return nil
}

func checkLabel(l string, r Revision) error {
	if l == "" || strings.ContainsAny(l, "@:, \t\r\n") || slices.Contains(reservedIDs, l) {
		return &GraphError{Kind: GraphIllegal, Revisions: []string{r.ID}, Paths: []string{r.Path},
			Msg: fmt.Sprintf("branch label %q of revision %s (%s) is not allowed (no @ : , or white space; not head, heads, base or current)", l, r.ID, pathOr(r.Path))}
	}
	return nil
}

func pathOr(p string) string {
	if p == "" {
		return "no file"
	}
	return p
}

// findCycle reports the first cycle through down revisions and depends_on,
// in file order, as a path that starts and ends at the same revision.
func (g *Graph) findCycle() error {
	const (
		white = iota
		grey
		black
	)
	color := make([]uint8, len(g.nodes))
	type frame struct{ n, i int }
	for start := range g.nodes {
		if color[start] != white {
			continue
		}
		stack := []frame{{start, 0}}
		color[start] = grey
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			n := g.nodes[top.n]
			if top.i == len(n.allDown) {
				color[top.n] = black
				stack = stack[:len(stack)-1]
				continue
			}
			d := n.allDown[top.i]
			top.i++
			switch color[d] {
			case white:
				color[d] = grey
				stack = append(stack, frame{d, 0})
			case grey:
				// The cycle is the part of the stack from d up, back to d.
				k := len(stack) - 1
				for stack[k].n != d {
					k--
				}
				ce := &CycleError{}
				for _, f := range stack[k:] {
					ce.Cycle = append(ce.Cycle, g.nodes[f.n].rev.ID)
					ce.Paths = append(ce.Paths, g.nodes[f.n].rev.Path)
				}
				ce.Cycle = append(ce.Cycle, g.nodes[d].rev.ID)
				// Say whether a depends_on edge closes the loop.
				for x := k; x < len(stack); x++ {
					from := g.nodes[stack[x].n]
					to := d
					if x+1 < len(stack) {
						to = stack[x+1].n
					}
					if !slices.Contains(from.down, to) {
						ce.DependsOn = true
					}
				}
				slices.Reverse(ce.Cycle) // print from the older revision up
				slices.Reverse(ce.Paths)
				return ce
			}
		}
	}
	return nil
}

// normalizeDeps drops from each revision's dependencies those already
// declared by one of its ancestors (through down revisions only), as
// Alembic does, so that a dependency implies one edge in the walk.
func (g *Graph) normalizeDeps() {
	w := g.newWalker()
	for i, n := range g.nodes {
		if len(n.deps) == 0 {
			n.normDown = n.down // shared: neither is changed after New
			continue
		}
		drop := map[int]bool{}
		for _, a := range w.walk([]int{i}, downOnly) {
			if a == i {
				continue
			}
			for _, d := range g.nodes[a].deps {
				drop[d] = true
			}
		}
		var normDeps []int // deps that are not already implied by an ancestor's deps
		for _, d := range n.deps {
			if !drop[d] {
				normDeps = append(normDeps, d)
			}
		}
		n.normDown = dedupeInts(append(slices.Clone(n.down), normDeps...))
	}
}

// computeGenerations numbers each revision with 1 + its longest path to a
// base through normDown; an ancestor always has a smaller number, which
// prunes reachability searches.
func (g *Graph) computeGenerations() {
	order := g.topoOrder()
	for _, i := range order {
		n := g.nodes[i]
		n.gen = 1
		for _, d := range n.normDown {
			if gd := g.nodes[d].gen + 1; gd > n.gen {
				n.gen = gd
			}
		}
	}
}

// topoOrder returns node indexes with every revision after all of its
// allDown revisions (Kahn's algorithm; the graph is acyclic here).
func (g *Graph) topoOrder() []int {
	indeg := make([]int, len(g.nodes))
	for i, n := range g.nodes {
		indeg[i] = len(n.allDown)
	}
	queue := make([]int, 0, len(g.nodes))
	for i := range g.nodes {
		if indeg[i] == 0 {
			queue = append(queue, i)
		}
	}
	for k := 0; k < len(queue); k++ {
		for _, c := range g.nodes[queue[k]].allNext {
			indeg[c]--
			if indeg[c] == 0 {
				queue = append(queue, c)
			}
		}
	}
	return queue
}

// propagateLabels gives each labelled revision's label to all its
// descendants (through down revisions), and to the revisions below it down
// to the nearest branch point or merge point: a label names a whole line.
func (g *Graph) propagateLabels() {
	w := g.newWalker()
	sets := map[*node]map[string]bool{} // own labels plus those inherited along the branch
	label := func(n *node, ls []string) {
		if sets[n] == nil {
			sets[n] = make(map[string]bool, len(ls))
		}
		for _, l := range ls {
			sets[n][l] = true
		}
	}
	for i, n := range g.nodes {
		if len(n.ownLabels) == 0 {
			continue
		}
		desc := w.walk([]int{i}, nextOnly)
		for _, d := range desc {
			label(g.nodes[d], n.ownLabels)
		}
		// Walk down from the last revision reached, as Alembic does.
		p := desc[len(desc)-1]
		for {
			pn := g.nodes[p]
			if len(pn.allNext) > 1 || len(pn.down) > 1 {
				break
			}
			label(pn, n.ownLabels)
			if len(pn.down) == 0 {
				break
			}
			p = pn.down[0]
		}
	}
	for n, set := range sets {
		for l := range set {
			n.labels = append(n.labels, l)
		}
		slices.Sort(n.labels)
	}
}

func dedupe(s []string) []string {
	var out []string
	for _, x := range s {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func dedupeInts(s []int) []int {
	out := make([]int, 0, len(s))
	for _, x := range s {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
