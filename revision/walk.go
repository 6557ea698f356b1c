package revision

// rel names one of the four relations a walk can follow.
type rel uint8

const (
	downOnly rel = iota // down revisions (Alembic's versioned down revisions)
	normDown            // down revisions plus normalized depends_on (ancestors with dependencies)
	nextOnly            // children through down revisions
	allNext             // children through down revisions or depends_on
)

func (n *node) edges(r rel) []int {
	switch r {
	case downOnly:
		return n.down
	case normDown:
		return n.normDown
	case nextOnly:
		return n.next
	default:
		return n.allNext
	}
}

// walker does depth-first walks with reusable marks; one per goroutine.
type walker struct {
	g     *Graph
	mark  []uint32
	epoch uint32
	stack []int
}

func (g *Graph) newWalker() *walker {
	return &walker{g: g, mark: make([]uint32, len(g.nodes))}
}

func (w *walker) reset() {
	w.epoch++
	if w.epoch == 0 { // wrapped: clear
		clear(w.mark)
		w.epoch = 1
	}
}

// walk returns the revisions reachable from targets (targets included)
// through r, in Alembic's order: a stack, each target in turn, the edges of
// a revision pushed in order and popped last first.
func (w *walker) walk(targets []int, r rel) []int {
	w.reset()
	var out []int
	for _, t := range targets {
		w.stack = append(w.stack[:0], t)
		for len(w.stack) > 0 {
			x := w.stack[len(w.stack)-1]
			w.stack = w.stack[:len(w.stack)-1]
			if w.mark[x] == w.epoch {
				continue
			}
			w.mark[x] = w.epoch
			w.stack = append(w.stack, w.g.nodes[x].edges(r)...)
			out = append(out, x)
		}
	}
	return out
}

// reaches reports whether to is reachable from from through r (from == to
// counts). Generations prune the search: an ancestor always has a smaller
// generation than its descendants.
func (w *walker) reaches(from, to int, r rel) bool {
	if from == to {
		return true
	}
	g := w.g
	up := r == nextOnly || r == allNext
	tg := g.nodes[to].gen
	if up && g.nodes[from].gen >= tg || !up && g.nodes[from].gen <= tg {
		return false
	}
	w.reset()
	w.stack = append(w.stack[:0], from)
	w.mark[from] = w.epoch
	for len(w.stack) > 0 {
		x := w.stack[len(w.stack)-1]
		w.stack = w.stack[:len(w.stack)-1]
		for _, y := range g.nodes[x].edges(r) {
			if y == to {
				return true
			}
			if w.mark[y] == w.epoch {
				continue
			}
			w.mark[y] = w.epoch
			if yg := g.nodes[y].gen; up && yg < tg || !up && yg > tg {
				w.stack = append(w.stack, y)
			}
		}
	}
	return false
}

// set is a set of revisions (node indexes).
type set []bool

func (g *Graph) newSet(xs ...int) set {
	s := make(set, len(g.nodes))
	for _, x := range xs {
		s[x] = true
	}
	return s
}

func (s set) addAll(xs []int) {
	for _, x := range xs {
		s[x] = true
	}
}

func (s set) list() []int {
	var out []int
	for i, in := range s {
		if in {
			out = append(out, i)
		}
	}
	return out
}

func (s set) empty() bool {
	for _, in := range s {
		if in {
			return false
		}
	}
	return true
}
