package graphgen

import (
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/script"
)

// TestRetortSQLReadsBack: every file RetortSQL writes is a revision
// whose header gives back the generated id, parents and message, and
// each shape has one head.
func TestRetortSQLReadsBack(t *testing.T) {
	for _, shape := range []string{"chain", "branchy", "dense"} {
		revs, err := Generate(300, 1, shape)
		if err != nil {
			t.Fatal(err)
		}
		merges := 0
		for _, r := range revs {
			name := FileName(r, "sql")
			s, err := script.ParseHeader(strings.NewReader(RetortSQL(r)), name)
			if err != nil {
				t.Fatalf("%s %s: %v", shape, name, err)
			}
			if s.Revision != r.ID || !slices.Equal(s.DownRevisions, r.Parents) || s.Message != r.Message {
				t.Errorf("%s %s: header gives %s %v %q, want %s %v %q", shape, name, s.Revision, s.DownRevisions, s.Message, r.ID, r.Parents, r.Message)
			}
			if len(r.Parents) == 2 {
				merges++
			}
		}
		if h := Heads(revs); len(h) != 1 || h[0] != revs[len(revs)-1].ID {
			t.Errorf("%s: heads %v, want the last revision alone", shape, h)
		}
		if shape == "dense" && (merges < 300/13 || merges > 300/8) {
			t.Errorf("dense: %d merges in 300 revisions, want about one in ten", merges)
		}
		if shape == "chain" && merges != 0 {
			t.Errorf("chain: %d merges", merges)
		}
	}
}
