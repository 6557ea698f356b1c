package revision

import (
	"fmt"
	"slices"
	"strings"
)

// upgradeTarget resolves the target of an upgrade, which may be relative
// to the current revisions (Alembic's _parse_upgrade_target).
func (r *resolver) upgradeTarget(current []string, target string, noOverwalk bool) ([]ref, error) {
	rl, ok := parseRelative(target)
	if !ok {
		return r.revisions(target)
	}
	if rl.n > 0 {
		if rl.symbol != "" {
			start, err := r.revision(rl.symbol)
			if err != nil {
				return nil, err
			}
			x, err := r.walk(start, rl.n, rl.label, noOverwalk)
			return []ref{x}, err
		}
		var starts []ref
		if len(current) == 0 {
			starts = []ref{refNone}
		} else if rl.label == "" {
			for _, c := range current {
				x, err := r.revision(c)
				if err != nil {
					return nil, err
				}
				starts = append(starts, x)
			}
		} else {
			cur, err := r.revisionsOf(current)
			if err != nil {
				return nil, err
			}
			on, err := r.filterLineage(realRefs(cur), rl.label, false)
			if err != nil {
				return nil, err
			}
			if len(on) == 0 {
				// The branch is not among the current heads: start from the
				// tips of the applied revisions that belong to it.
				anc := r.w.walk(realRefs(cur), normDown)
				active, err := r.filterLineage(anc, rl.label, false)
				if err != nil {
					return nil, err
				}
				below := r.g.newSet()
				for _, a := range active {
					below.addAll(r.g.nodes[a].normDown)
				}
				for _, a := range active {
					if !below[a] {
						on = append(on, a)
					}
				}
			}
			for _, o := range on {
				starts = append(starts, ref(o))
			}
			if len(starts) == 0 {
				starts = []ref{refNone}
			}
		}
		if len(starts) > 1 {
			return nil, &Error{Msg: fmt.Sprintf("relative upgrade %s is ambiguous: the database has several current revisions; use LABEL@%s or name the target", target, rl.text)}
		}
		x, err := r.walk(starts[0], rl.n, rl.label, noOverwalk)
		if err != nil {
			return nil, err
		}
		if x == refNone {
			return nil, &Error{Msg: fmt.Sprintf("relative revision %s goes past the end of the graph: there are fewer than %d revisions to apply", rl.text, rl.n)}
		}
		return []ref{x}, nil
	}
	if rl.symbol == "" {
		return nil, &Error{Msg: fmt.Sprintf("relative revision %s goes down, but upgrade moves up; use downgrade %s", rl.text, rl.text)}
	}
	sym := rl.symbol
	if rl.label != "" {
		sym = rl.label + "@" + sym
	}
	start, err := r.revision(sym)
	if err != nil {
		return nil, err
	}
	x, err := r.walk(start, rl.n, "", noOverwalk)
	return []ref{x}, err
}

// downgradeTarget resolves the target of a downgrade, returning the branch
// label that limits it (Alembic's _parse_downgrade_target).
func (r *resolver) downgradeTarget(current []string, target string, noOverwalk bool) (string, ref, error) {
	if target == "" {
		return "", refNone, nil
	}
	rl, ok := parseRelative(target)
	if ok {
		if rl.n >= 0 {
			if rl.symbol == "" {
				return "", refNone, &Error{Msg: fmt.Sprintf("relative revision %s goes up, but downgrade moves down; use upgrade %s", rl.text, rl.text)}
			}
			start, err := r.revision(rl.symbol)
			if err != nil {
				return "", refNone, err
			}
			x, err := r.walk(start, rl.n, rl.label, noOverwalk)
			if err != nil {
				return "", refNone, err
			}
			if x == refNone {
				return "", refNone, &Error{Msg: fmt.Sprintf("%s walks past the end of the graph", target)}
			}
			return rl.label, x, nil
		}
		label, symbol := rl.label, rl.symbol
		fromCurrent := symbol == ""
		if fromCurrent {
			if label != "" {
				cur, err := r.revisionsOf(current)
				if err != nil {
					return "", refNone, err
				}
				on, err := r.filterLineage(realRefs(cur), label, false)
				if err != nil {
					return "", refNone, err
				}
				if len(on) == 0 {
					all, err := r.allCurrent(current)
					if err != nil {
						return "", refNone, err
					}
					if on, err = r.filterLineage(all, label, false); err != nil {
						return "", refNone, err
					}
				}
				if len(on) != 1 {
					return "", refNone, &Error{Msg: fmt.Sprintf("%s: branch %q has %d current revisions in the database; name the target revision instead", target, label, len(on))}
				}
				symbol = r.g.nodes[on[0]].rev.ID
			} else {
				if len(current) == 0 {
					return "", refNone, &Error{Msg: fmt.Sprintf("relative revision %s: the database is at base, there is nothing to downgrade", rl.text)}
				}
				symbol = current[0]
				label = symbol
			}
		}
		sym := symbol
		if label != "" {
			sym = label + "@" + symbol
		}
		start, err := r.revision(sym)
		if err != nil {
			return "", refNone, err
		}
		x, err := r.walk(start, rl.n, "", noOverwalk)
		if err != nil {
			return "", refNone, err
		}
		if x == refNone {
			if fromCurrent {
				return "", refNone, &Error{Msg: fmt.Sprintf("relative revision %s goes below base: fewer than %d revisions are applied", rl.text, -rl.n)}
			}
			return "", refNone, &Error{Msg: fmt.Sprintf("%s walks past the end of the graph", target)}
		}
		return label, x, nil
	}
	label, symbol := "", target
	if i := strings.LastIndexByte(target, '@'); i >= 0 {
		label, symbol = target[:i], target[i+1:]
	}
	x, err := r.revision(symbol)
	return label, x, err
}

func realRefs(xs []ref) []int {
	out := make([]int, 0, len(xs))
	for _, x := range xs {
		if x >= 0 {
			out = append(out, int(x))
		}
	}
	return out
}

// collectUpgrade computes the revisions between lower (the current
// revisions, or a range's start) and upper (Alembic's
// _collect_upgrade_revisions). lowerIsString marks a lower given as one
// argument rather than as database rows.
func (r *resolver) collectUpgrade(uppers []string, lower []string, lowerIsString, inclusive, implicitBase, noOverwalk bool) (set, []int, error) {
	g := r.g
	var (
		tr  []ref
		err error
	)
	upper := strings.Join(uppers, ", ")
	if len(uppers) == 1 {
		tr, err = r.upgradeTarget(lower, upper, noOverwalk)
	} else {
		tr, err = r.revisionsOf(uppers)
	}
	if err != nil {
		return nil, nil, err
	}
	var targets []int
	for _, t := range tr {
		if t < 0 {
			return nil, nil, &Error{Msg: fmt.Sprintf("%s does not name a revision to upgrade to (it walks past the end of the graph)", upper)}
		}
		targets = append(targets, int(t))
	}
	if lowerIsString && len(lower) == 1 && strings.Contains(lower[0], "@") {
		branch, _, _ := strings.Cut(lower[0], "@")
		br, err := r.revision(branch)
		if err != nil {
			return nil, nil, err
		}
		if br >= 0 && g.nodes[br].rev.ID == branch {
			if l := g.nodes[br].labels; len(l) == 1 {
				branch = l[0]
			} else {
				return nil, nil, &Error{Msg: fmt.Sprintf("revision %s used as a branch in %s has %d branch labels; use a label", branch, lower[0], len(l))}
			}
		}
		var keep []int
		for _, t := range targets {
			if slices.Contains(g.nodes[t].labels, branch) {
				keep = append(keep, t)
			}
		}
		targets = keep
	}
	if err := r.checkOverlap(targets, normDown); err != nil {
		return nil, nil, err
	}
	required := g.newSet(targets...)
	required.addAll(r.w.walk(targets, normDown))

	curRefs, err := r.revisionsOf(lower)
	if err != nil {
		return nil, nil, err
	}
	if !implicitBase {
		for _, c := range curRefs {
			if c >= 0 && !required[c] {
				return nil, nil, &RangeError{Lower: strings.Join(lower, ", "), Upper: upper}
			}
		}
	}
	if len(curRefs) > 0 && curRefs[0] == refNone {
		// lower is relative (e.g. "-2"): resolve it as a downgrade target from upper.
		_, x, err := r.downgradeTarget([]string{upper}, lower[0], noOverwalk)
		if err != nil {
			return nil, nil, err
		}
		if x == refBase || x == refNone {
			curRefs, lower = nil, nil
		} else {
			curRefs, lower = []ref{x}, []string{g.nodes[x].rev.ID}
		}
	}
	cur := realRefs(curRefs)
	if err := r.checkOverlap(cur, normDown); err != nil {
		return nil, nil, err
	}
	current := g.newSet(cur...)
	current.addAll(r.w.walk(cur, normDown))
	needs := g.newSet()
	for i := range needs {
		needs[i] = required[i] && !current[i]
	}
	if inclusive {
		lr, err := r.revisionsOf(lower)
		if err != nil {
			return nil, nil, err
		}
		needs.addAll(realRefs(lr))
	}
	if len(cur) > 0 && !implicitBase {
		if err := r.checkOverlap(cur, nextOnly); err != nil {
			return nil, nil, err
		}
		desc := g.newSet(r.w.walk(cur, nextOnly)...)
		for i := range needs {
			needs[i] = needs[i] && desc[i]
		}
	}
	return needs, targets, nil
}

// checkOverlap refuses a list of revisions of which one lies on another's
// walk through rel ("upgrade" to two revisions of one line).
func (r *resolver) checkOverlap(xs []int, through rel) error {
	for i, a := range xs {
		for j, b := range xs {
			if i != j && a != b && r.w.reaches(a, b, through) {
				return &Error{Msg: fmt.Sprintf("requested revision %s overlaps with requested revision %s (one is an ancestor of the other)",
					r.g.nodes[a].rev.ID, r.g.nodes[b].rev.ID)}
			}
		}
	}
	return nil
}

// collectDowngrade computes the applied revisions to revert to reach
// target from the current revisions (Alembic's _collect_downgrade_revisions).
func (r *resolver) collectDowngrade(current []string, target string, noOverwalk bool) (set, []int, error) {
	g := r.g
	label, tr, err := r.downgradeTarget(current, target, noOverwalk)
	if err != nil {
		return nil, nil, err
	}
	if tr == refBase {
		tr = refNone
	}
	var roots []int
	switch {
	case tr == refNone:
		for k := range g.keys {
			i, _ := g.lookup(k)
			if len(g.nodes[i].down) == 0 {
				roots = append(roots, i)
			}
		}
	default:
		roots = slices.Clone(g.nodes[tr].next)
	}
	if label != "" && len(roots) > 1 {
		br, err := r.branch(label)
		if err != nil {
			return nil, nil, err
		}
		anc := g.newSet(r.w.walk([]int{br}, downOnly)...)
		var keep []int
		seen := g.newSet()
		for _, x := range roots {
			if anc[x] && !seen[x] {
				seen[x] = true
				keep = append(keep, x)
			}
		}
		roots = keep
		if len(roots) == 0 {
			return nil, nil, &Error{Msg: fmt.Sprintf("%s is not a valid downgrade target from the current heads", target)}
		}
	}
	hr, err := r.revisionsOf(current)
	if err != nil {
		return nil, nil, err
	}
	heads := realRefs(hr)
	drop := g.newSet(r.w.walk(roots, allNext)...)
	active := g.newSet(r.w.walk(heads, normDown)...)
	for i := range drop {
		drop[i] = drop[i] && active[i]
	}
	if tr >= 0 && drop.empty() && !slices.Contains(heads, int(tr)) {
		return nil, nil, &RangeError{Lower: strings.Join(current, ", "), Upper: target, Msg: "nothing to drop"}
	}
	return drop, heads, nil
}

// allCurrent is the current revisions plus every revision they imply
// through depends_on, reduced to the tips (Alembic's _get_all_current).
func (r *resolver) allCurrent(current []string) ([]int, error) {
	cr, err := r.revisionsOf(current)
	if err != nil {
		return nil, err
	}
	top := realRefs(cr)
	all := r.g.newSet(top...)
	all.addAll(r.w.walk(top, normDown))
	// A revision is a tip when none of its children is in the set: the set
	// is closed under down revisions, so a descendant in it implies a child
	// in it.
	var out []int
	for x, in := range all {
		if !in {
			continue
		}
		tip := true
		for _, c := range r.g.nodes[x].next {
			if all[c] {
				tip = false
				break
			}
		}
		if tip {
			out = append(out, x)
		}
	}
	return out, nil
}
