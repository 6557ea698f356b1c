package schemafmt_test

import (
	"reflect"
	"testing"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema/schemafmt/internal/genops/cycle"
	"github.com/retortdb/retort/schema/schemafmt/internal/genops/kinds"
	"github.com/retortdb/retort/schema/schemafmt/internal/genops/pgenum"
	"github.com/retortdb/retort/schema/schemafmt/internal/genops/store"
)

// TestGoOps_Records runs the functions that TestGoOps_Golden wrote into
// internal/genops/<pkg>/ops.go, compiled with this test, on a new
// recorder, and checks that they record the case's operations: equal by
// reflect.DeepEqual once empty slices and maps are nil and, unless the
// case keeps them, Native spellings are cleared (GoOps's promise). After
// changing the renderer, run go test -update, then go test again: this
// test then runs the new source.
func TestGoOps_Records(t *testing.T) {
	built := map[string]func(*op.Ops) error{
		"kinds.CreateTable": kinds.CreateTable,
		"kinds.DropTable":   kinds.DropTable,
		"kinds.RenameTable": kinds.RenameTable,
		"kinds.AddColumn":   kinds.AddColumn,
		"kinds.DropColumn":  kinds.DropColumn,
		"kinds.AlterColumn": kinds.AlterColumn,
		"kinds.CreateIndex": kinds.CreateIndex,
		"kinds.DropIndex":   kinds.DropIndex,
		"kinds.PrimaryKey":  kinds.PrimaryKey,
		"kinds.Unique":      kinds.Unique,
		"kinds.ForeignKey":  kinds.ForeignKey,
		"kinds.Check":       kinds.Check,
		"kinds.Comment":     kinds.Comment,
		"kinds.Enum":        kinds.Enum,
		"kinds.Execute":     kinds.Execute,
		"kinds.Native":      kinds.Native,
		"store.Upgrade":     store.Upgrade,
		"store.Downgrade":   store.Downgrade,
		"cycle.Upgrade":     cycle.Upgrade,
		"cycle.Downgrade":   cycle.Downgrade,
		"pgenum.Upgrade":    pgenum.Upgrade,
		"pgenum.Downgrade":  pgenum.Downgrade,
	}
	seen := map[string]bool{}
	for _, cases := range allOpsCases(t) {
		for _, c := range cases {
			name := c.pkg + "." + c.fn
			seen[name] = true
			t.Run(name, func(t *testing.T) {
				f, ok := built[name]
				if !ok {
					t.Fatalf("no generated function %s: run go test -update, then add it to this test", name)
				}
				o := op.NewOps()
				if err := f(o); err != nil {
					t.Fatal(err)
				}
				got, want := o.List(), canonical(c.ops, c.opts.Native).([]op.Op)
				if len(got) != len(want) {
					t.Fatalf("recorded %d operations, want %d", len(got), len(want))
				}
				for i := range want {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Errorf("operation %d (%s):\n got %#v\nwant %#v", i+1, want[i], got[i], want[i])
					}
				}
			})
		}
	}
	for name := range built {
		if !seen[name] {
			t.Errorf("generated function %s has no case", name)
		}
	}
}
