//go:build long

package diff

import (
	"fmt"
	"testing"
)

// TestCompare_RandomMutationsLong runs 200 random mutations from each of
// a few fixed seeds: go test -tags long ./diff/.
func TestCompare_RandomMutationsLong(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { runMutations(t, seed, 200) })
	}
}

// TestCompare_LiveMutationsLong runs 100 steps of one to three random
// mutations (about 200 mutations) from each of two seeds on each
// database.
func TestCompare_LiveMutationsLong(t *testing.T) {
	for _, seed := range []uint64{8, 9} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { runLiveMutations(t, seed, 100) })
	}
}
