//go:build long

package cli

import "testing"

// TestAutogenerate_CorpusLong runs the autogenerate corpus with 200
// random mutations on each database: go test -tags long ./cli/.
func TestAutogenerate_CorpusLong(t *testing.T) {
	runCorpus(t, 2, 200)
}
