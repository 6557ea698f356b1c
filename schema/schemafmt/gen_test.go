package schemafmt_test

import (
	"testing"

	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/schema/schemafmt/internal/gen/cycle"
	"github.com/retortdb/retort/schema/schemafmt/internal/gen/pgenum"
	"github.com/retortdb/retort/schema/schemafmt/internal/gen/reflected"
	"github.com/retortdb/retort/schema/schemafmt/internal/gen/selfref"
	"github.com/retortdb/retort/schema/schemafmt/internal/gen/store"
)

// TestGo_Builds checks that the Go source of each case, written by
// TestGo_Golden into internal/gen/<case>/schema.go and compiled with
// this test, builds the case's schema (without the Native spellings,
// which the Go form leaves out). After changing the renderer, run
// go test -update, then go test again: this test then runs the new
// source.
func TestGo_Builds(t *testing.T) {
	built := map[string]func() *schema.Schema{
		"store":     store.Schema,
		"pgenum":    pgenum.Schema,
		"selfref":   selfref.Schema,
		"cycle":     cycle.Schema,
		"reflected": reflected.Schema,
	}
	for _, c := range testCases() {
		t.Run(c.name, func(t *testing.T) {
			f, ok := built[c.name]
			if !ok {
				t.Fatalf("no generated package for case %s: add internal/gen/%s to this test", c.name, c.name)
			}
			if got, want := f(), declared(c.s); !got.Equal(want) {
				t.Errorf("the generated Schema() differs from the case")
			}
		})
	}
}
