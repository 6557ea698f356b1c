package revision

import (
	"strings"

	"github.com/retortdb/retort/internal/textdist"
)

// symbols are the target words that name no revision.
var symbols = []string{"head", "heads", "base"}

// Suggest returns the known name closest to a mistyped target word: a
// symbol (head, heads, base), a branch label or a revision id, within an
// edit distance that depends on its length; "" when nothing is close.
// Only names typed by hand are offered: a revision id matches when the
// word is a prefix of it with one character wrong.
func (g *Graph) Suggest(word string) string {
	if word == "" {
		return ""
	}
	best, bestD := "", maxSuggestDistance(word)+1
	exact := false
	consider := func(name string) {
		if name == word {
			exact = true
			return
		}
		if d := textdist.Distance(strings.ToLower(word), strings.ToLower(name)); d < bestD {
			best, bestD = name, d
		}
	}
	for _, s := range symbols {
		consider(s)
	}
	for _, n := range g.nodes {
		for _, l := range n.rev.BranchLabels {
			consider(l)
		}
		id := n.rev.ID
		if len(word) >= 4 && len(word) < len(id) {
			// A mistyped prefix: compare with the id's prefix of the
			// same length.
			if d := textdist.Distance(strings.ToLower(word), strings.ToLower(id[:len(word)])); d < bestD && d <= 1 {
				best, bestD = id, d
			}
			continue
		}
		consider(id)
	}
	if exact {
		return ""
	}
	return best
}

// maxSuggestDistance is how many edits a word of that length may be
// from a suggestion: one for short words, two from six characters.
func maxSuggestDistance(word string) int {
	if len(word) >= 6 {
		return 2
	}
	return 1
}
