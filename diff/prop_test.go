package diff

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/schemagen"
	"github.com/retortdb/retort/schema"
)

// wantAfterDowngrade is from with the enum values of to: the downgrade
// cannot remove the values the upgrade added.
func wantAfterDowngrade(from, to *schema.Schema) *schema.Schema {
	w := clone(from)
	for i, e := range w.Enums {
		j := slices.IndexFunc(to.Enums, func(f schema.EnumType) bool { return enumKey(f) == enumKey(e) })
		if j < 0 {
			continue
		}
		w.Enums[i].Values = slices.Clone(to.Enums[j].Values)
		for _, t := range w.Tables {
			for k, c := range t.Columns {
				if c.Type.Kind == schema.KindEnum && c.Type.EnumName == e.Name && c.Type.EnumSchema == e.Schema {
					t.Columns[k].Type.Values = slices.Clone(to.Enums[j].Values)
				}
			}
		}
	}
	return w
}

// runMutations applies n random mutations from a fixed seed, one to
// three at a time, and checks every Compare on the model: the upgrade
// gives the target, the downgrade gives the start back, and comparing
// again gives nothing.
func runMutations(t *testing.T, seed uint64, n int) {
	g := schemagen.New(seed)
	from := norm(t, g.Schema(4))
	for i := 0; i < n; {
		to := clone(from)
		var did []string
		for range 1 + g.Pick(3) {
			did = append(did, g.Mutate(to))
			i++
		}
		to = norm(t, to)
		res, err := Compare(from, to, Options{})
		if err != nil {
			t.Fatalf("mutation %d (%s): Compare: %v", i, strings.Join(did, "; "), err)
		}
		ok := t.Run(fmt.Sprintf("%03d %s", i, strings.Join(did, "; ")), func(t *testing.T) {
			checkRoundTrip(t, from, to, wantAfterDowngrade(from, to), res)
		})
		if !ok {
			return
		}
		from = to
	}
}

// TestCompare_RandomMutations runs 30 random mutations from a fixed
// seed (200 with -tags long).
func TestCompare_RandomMutations(t *testing.T) {
	runMutations(t, 1, 30)
}
