package revision

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// ref is a resolved target: a node index, or one of the two symbolic
// results a walk can give.
type ref int

const (
	refNone ref = -1 // nothing: below every base (Alembic's None)
	refBase ref = -2 // the symbol "base" produced by walking down past a base
)

// resolver carries one walker for a sequence of resolutions.
type resolver struct {
	g *Graph
	w *walker
}

func (g *Graph) resolver() *resolver { return &resolver{g: g, w: g.newWalker()} }

func (g *Graph) ids(xs []int) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = g.nodes[x].rev.ID
	}
	return out
}

// lookup finds a revision by exact id or branch label.
func (g *Graph) lookup(key string) (int, bool) {
	if i, ok := g.byID[key]; ok {
		return i, true
	}
	i, ok := g.byLabel[key]
	return i, ok
}

// number splits "label@id" and expands the symbols head, heads and base,
// returning the identifiers still to resolve (Alembic's
// _resolve_revision_number). An empty id means base.
func (r *resolver) number(id string) (ids []string, label string, err error) {
	if i := strings.IndexByte(id, '@'); i >= 0 {
		label, id = id[:i], id[i+1:]
	}
	switch id {
	case "heads":
		if label != "" {
			hs, err := r.filterLineage(r.g.heads, label, false)
			return r.g.ids(hs), label, err
		}
		return r.g.ids(r.g.realHeads), "", nil
	case "head":
		h, err := r.currentHead(label)
		if err != nil || h < 0 {
			return nil, label, err
		}
		return []string{r.g.nodes[h].rev.ID}, label, nil
	case "base", "":
		return nil, label, nil
	}
	return []string{id}, label, nil
}

// currentHead is the single head, of the branch label when given.
func (r *resolver) currentHead(label string) (int, error) {
	hs := r.g.heads
	if label != "" {
		var err error
		if hs, err = r.filterLineage(hs, label, false); err != nil {
			return -1, err
		}
	}
	if len(hs) > 1 {
		arg := "head"
		if label != "" {
			arg = label + "@head"
		}
		return -1, &MultipleHeadsError{Heads: r.g.ids(hs), Arg: arg}
	}
	if len(hs) == 1 {
		return hs[0], nil
	}
	return -1, nil
}

// revisions resolves one identifier to revisions (Alembic's get_revisions):
// "heads" gives several, "base" none, "-N" walks down from every head.
func (r *resolver) revisions(id string) ([]ref, error) {
	ids, label, err := r.number(id)
	if err != nil {
		return nil, err
	}
	if len(ids) == 1 {
		if n, err := strconv.Atoi(ids[0]); err == nil && n < 0 {
			heads, err := r.revisions("heads")
			if err != nil {
				return nil, err
			}
			var out []ref
			for _, h := range heads {
				if label != "" && !slices.Contains(r.g.nodes[h].labels, label) {
					continue
				}
				x, err := r.walk(h, n, "", true)
				if err != nil {
					return nil, err
				}
				out = append(out, x)
			}
			return out, nil
		}
	}
	out := make([]ref, 0, len(ids))
	for _, x := range ids {
		rv, err := r.forIdent(x, label)
		if err != nil {
			return nil, err
		}
		out = append(out, rv)
	}
	return out, nil
}

// revisionsOf resolves several identifiers and concatenates the results.
func (r *resolver) revisionsOf(ids []string) ([]ref, error) {
	var out []ref
	for _, id := range ids {
		rs, err := r.revisions(id)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

// revision resolves an identifier that must name at most one revision.
func (r *resolver) revision(id string) (ref, error) {
	ids, label, err := r.number(id)
	if err != nil {
		return refNone, err
	}
	if len(ids) > 1 {
		return refNone, &MultipleHeadsError{Heads: ids, Arg: id}
	}
	x := ""
	if len(ids) == 1 {
		x = ids[0]
	}
	return r.forIdent(x, label)
}

// branch resolves a branch label (or a revision named as a branch).
func (r *resolver) branch(label string) (int, error) {
	if i, ok := r.g.lookup(label); ok {
		return i, nil
	}
	x, err := r.forIdent(label, "")
	if err != nil {
		return -1, &ResolutionError{Arg: label, Msg: fmt.Sprintf("no such branch: %q", label), Suggestion: r.g.Suggest(label)}
	}
	return int(x), nil
}

// forIdent resolves an exact id, a branch label or a unique prefix of
// either (only keys longer than three characters match by prefix), checked
// against branch when given. An empty id is base and gives refNone.
func (r *resolver) forIdent(id, branch string) (ref, error) {
	br := -1
	if branch != "" {
		var err error
		if br, err = r.branch(branch); err != nil {
			return refNone, err
		}
	}
	if id == "" {
		return refNone, nil
	}
	x, ok := r.g.lookup(id)
	if !ok {
		var cands []string
		for k := range r.g.keys {
			if len(k) > 3 && strings.HasPrefix(k, id) {
				cands = append(cands, k)
			}
		}
		if br >= 0 && len(cands) > 0 {
			var keep []string
			for _, c := range cands {
				ci, _ := r.g.lookup(c)
				ok, err := r.sharesLineage(ci, []string{branch}, false)
				if err != nil {
					return refNone, err
				}
				if ok {
					keep = append(keep, c)
				}
			}
			cands = keep
		}
		switch {
		case len(cands) == 0:
			msg := fmt.Sprintf("no revision or branch label %q", id)
			if sq := r.g.Squash(id); sq != nil {
				msg = fmt.Sprintf("%s is a squashed revision, not a target: it stands for the revisions up to %s, and a database that runs it is at %s; name %s", id, sq.Target, sq.Target, sq.Target)
			} else if len(id) < 4 {
				msg += " (a prefix must have at least four characters)"
			}
			return refNone, &ResolutionError{Arg: id, Msg: msg, Suggestion: r.g.Suggest(id)}
		case len(cands) > 1:
			return refNone, &ResolutionError{Arg: id, Candidates: cands,
				Msg: fmt.Sprintf("%q is ambiguous: it starts %s; give more characters", id, strings.Join(cands, ", "))}
		}
		x, _ = r.g.lookup(cands[0])
	}
	if br >= 0 {
		ok, err := r.sharesLineage(x, []string{r.g.nodes[br].rev.ID}, false)
		if err != nil {
			return refNone, err
		}
		if !ok {
			return refNone, &ResolutionError{Arg: id,
				Msg: fmt.Sprintf("revision %s is not a member of branch %q", r.g.nodes[x].rev.ID, branch)}
		}
	}
	return ref(x), nil
}

// sharesLineage reports whether target is an ancestor or descendant of (or
// equal to) any of the revisions named in against.
func (r *resolver) sharesLineage(target int, against []string, withDeps bool) (bool, error) {
	if len(against) == 0 {
		return true, nil
	}
	up, down := nextOnly, downOnly
	if withDeps {
		up, down = allNext, normDown
	}
	for _, a := range against {
		x, err := r.forIdent(a, "")
		if err != nil {
			return false, err
		}
		if x < 0 {
			continue
		}
		if r.w.reaches(target, int(x), up) || r.w.reaches(target, int(x), down) {
			return true, nil
		}
	}
	return false, nil
}

// filterLineage keeps the targets that share lineage with checkAgainst
// (Alembic's filter_for_lineage).
func (r *resolver) filterLineage(targets []int, checkAgainst string, withDeps bool) ([]int, error) {
	ids, label, err := r.number(checkAgainst)
	if err != nil {
		return nil, err
	}
	var shares []string
	if label != "" {
		shares = append(shares, label)
	}
	shares = append(shares, ids...)
	var out []int
	for _, t := range targets {
		ok, err := r.sharesLineage(t, shares, withDeps)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// walk moves steps revisions up (steps > 0) or down from start. Walking up
// follows only revisions of branch when given. Past either end it gives
// refNone when noOverwalk, else stops where it is. Several ways to go is an
// error.
func (r *resolver) walk(start ref, steps int, branch string, noOverwalk bool) (ref, error) {
	cur := start
	for k := 0; k < abs(steps); k++ {
		var children []ref
		if steps > 0 {
			if cur == refBase {
				return refNone, &Error{Msg: "cannot walk up from base with a relative step here"}
			}
			var up []int
			if cur == refNone {
				up = r.g.bases
			} else {
				up = r.g.nodes[cur].next
			}
			if branch != "" {
				var err error
				if up, err = r.filterLineage(up, branch, false); err != nil {
					return refNone, err
				}
			}
			for _, u := range up {
				children = append(children, ref(u))
			}
		} else if cur != refBase {
			var from []int
			if cur == refNone {
				from = r.g.heads
			} else {
				from = r.g.nodes[cur].down
			}
			for _, d := range from {
				children = append(children, ref(d))
			}
			if len(children) == 0 {
				children = []ref{refBase}
			}
		}
		if len(children) == 0 {
			if noOverwalk {
				return refNone, nil
			}
			return cur, nil
		}
		if len(children) > 1 {
			return refNone, &Error{Msg: fmt.Sprintf("relative step %+d is ambiguous: more than one revision is %d step(s) from %s (a branch point or merge is in the way); name the target revision instead",
				steps, abs(steps), r.name(start))}
		}
		cur = children[0]
	}
	return cur, nil
}

func (r *resolver) name(x ref) string {
	switch x {
	case refNone, refBase:
		return "base"
	}
	return r.g.nodes[x].rev.ID
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// relative is a parsed relative target: [label@][symbol](+|-)N.
type relative struct {
	label, symbol string
	n             int
	text          string // the "+N"/"-N" part as written
}

// parseRelative matches Alembic's pattern (?:(.+?)@)?(\w+)?([+-]\d+) at the
// start of s.
func parseRelative(s string) (relative, bool) {
	try := func(label, rest string) (relative, bool) {
		i := 0
		for i < len(rest) {
			c, size := decodeRune(rest[i:])
			if !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_') {
				break
			}
			i += size
		}
		sym := rest[:i]
		if i >= len(rest) || (rest[i] != '+' && rest[i] != '-') {
			return relative{}, false
		}
		j := i + 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j == i+1 {
			return relative{}, false
		}
		n, err := strconv.Atoi(rest[i:j])
		if err != nil {
			return relative{}, false
		}
		return relative{label: label, symbol: sym, n: n, text: rest[i:j]}, true
	}
	for p := 1; p < len(s); p++ {
		if s[p] == '@' {
			if rl, ok := try(s[:p], s[p+1:]); ok {
				return rl, true
			}
		}
	}
	return try("", s)
}

func decodeRune(s string) (rune, int) {
	for i, c := range s {
		if i == 0 {
			n := len(string(c))
			if c == unicode.ReplacementChar {
				n = 1
			}
			return c, n
		}
	}
	return unicode.ReplacementChar, 1
}
