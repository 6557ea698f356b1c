package revision

import "strings"

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
		if d := editDistance(word, name); d < bestD {
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
			if d := editDistance(word, id[:len(word)]); d < bestD && d <= 1 {
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

// editDistance is the Damerau-Levenshtein distance (optimal string
// alignment) of a and b, in bytes, ignoring case.
func editDistance(a, b string) int {
	a, b = strings.ToLower(a), strings.ToLower(b)
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
