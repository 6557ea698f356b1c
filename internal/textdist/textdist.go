// Package textdist measures how far apart two words are, for the "did you
// mean" of every error that names a mistyped header, directive, key,
// target or label.
package textdist

// Distance is the optimal string alignment distance of a and b in bytes:
// Levenshtein's insertions, deletions and substitutions, with a swap of
// two adjacent characters counted as one edit. Callers fold case first
// where case does not matter.
func Distance(a, b string) int {
	// Three rows of the table: two back, the previous and the current.
	pp := make([]int, len(b)+1)
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
				cur[j] = min(cur[j], pp[j-2]+1)
			}
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[len(b)]
}
