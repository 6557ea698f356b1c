package revision

// topoSort orders the revisions of todo from the heads down: each revision
// before its down revisions and dependencies, one branch walked as far as
// it can go before the next (Alembic's _topological_sort, whose order the
// commands print and run). Heads are taken in file order.
//
// Alembic asks, for the candidate at the front of a branch, whether any
// other pending head has it among its ancestors, keeping an ancestor set per
// head. Every todo revision not yet emitted lies below some pending head,
// and an emitted revision has no pending descendant, so the same question
// is whether any pending todo revision lists the candidate as a down
// revision: a counter per revision answers it in O(1). Only when the answer
// is yes is the pending head to move to searched for, through pending todo
// revisions alone.
func (r *resolver) topoSort(todo set, heads []int) ([]int, error) {
	g := r.g
	pending := 0
	waiting := make([]int32, len(g.nodes)) // pending todo revisions that list it in normDown
	for i, in := range todo {
		if in {
			pending++
			for _, d := range g.nodes[i].normDown {
				waiting[d]++
			}
		}
	}
	isHead := make([]bool, len(g.nodes))
	var cur []int
	wanted := g.newSet(heads...)
	for i := range g.nodes { // file order
		if todo[i] && wanted[i] {
			isHead[i] = true
			cur = append(cur, i)
		}
	}
	out := make([]int, 0, pending)
	idx := 0
	for len(cur) > 0 {
		cand := cur[idx]
		if waiting[cand] > 0 {
			// Another pending head depends on cand: go to the first such
			// head in order.
			moved := false
			for j, h := range cur {
				if j != idx && r.reachesPending(h, cand, todo) {
					idx, moved = j, true
					break
				}
			}
			if !moved {
				return nil, &Error{Msg: "internal error: revision order inconsistent at " + g.nodes[cand].rev.ID}
			}
			continue
		}
		n := g.nodes[cand]
		if todo[cand] {
			out = append(out, cand)
			todo[cand] = false
			pending--
			for _, d := range n.normDown {
				waiting[d]--
			}
		}
		var add []int
		for _, d := range n.normDown {
			if todo[d] && !isHead[d] {
				add = append(add, d)
			}
		}
		isHead[cand] = false
		if len(add) == 0 {
			cur = append(cur[:idx], cur[idx+1:]...)
			idx = max(idx-1, 0)
			continue
		}
		cur[idx] = add[0]
		isHead[add[0]] = true
		for _, a := range add[1:] {
			cur = append(cur, a)
			isHead[a] = true
		}
	}
	if pending != 0 {
		return nil, &Error{Msg: "internal error: revisions left unordered"}
	}
	return out, nil
}

// reachesPending reports whether to lies below from through down
// revisions and dependencies, walking only pending todo revisions.
func (r *resolver) reachesPending(from, to int, todo set) bool {
	g, w := r.g, r.w
	tg := g.nodes[to].gen
	if g.nodes[from].gen <= tg {
		return false
	}
	w.reset()
	w.stack = append(w.stack[:0], from)
	w.mark[from] = w.epoch
	for len(w.stack) > 0 {
		x := w.stack[len(w.stack)-1]
		w.stack = w.stack[:len(w.stack)-1]
		for _, y := range g.nodes[x].normDown {
			if y == to {
				return true
			}
			if w.mark[y] == w.epoch || !todo[y] || g.nodes[y].gen <= tg {
				continue
			}
			w.mark[y] = w.epoch
			w.stack = append(w.stack, y)
		}
	}
	return false
}
