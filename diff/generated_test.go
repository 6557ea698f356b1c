package diff

import (
	"testing"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// TestGeneratedColumnChange: a column whose generation changes is
// dropped and added again (no ALTER changes it, and its values are
// computed), both ways; adding a generated NOT NULL column is no
// populated-table hazard.
func TestGeneratedColumnChange(t *testing.T) {
	table := func(c schema.Column) *schema.Schema {
		return &schema.Schema{Tables: []*schema.Table{schema.NewTable("line",
			schema.Col("id", schema.Integer()), schema.Col("price", schema.Integer()), c).PrimaryKey("id")}}
	}
	for _, tc := range []struct {
		name     string
		from, to schema.Column
	}{
		{"another expression", schema.Col("total", schema.Integer()).GeneratedAs("price * 2", true), schema.Col("total", schema.Integer()).GeneratedAs("price * 3", true)},
		{"becomes generated", schema.Col("total", schema.Integer()), schema.Col("total", schema.Integer()).GeneratedAs("price * 2", true)},
		{"virtual to stored", schema.Col("total", schema.Integer()).GeneratedAs("price * 2", false), schema.Col("total", schema.Integer()).GeneratedAs("price * 2", true)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Compare(table(tc.from), table(tc.to), Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, ops := range [][]op.Op{r.Upgrade, r.Downgrade} {
				if len(ops) != 2 {
					t.Fatalf("ops = %v, want a drop and an add", ops)
				}
				if _, ok := ops[0].(op.DropColumn); !ok {
					t.Errorf("first op %v, want the drop", ops[0])
				}
				if _, ok := ops[1].(op.AddColumn); !ok {
					t.Errorf("second op %v, want the add", ops[1])
				}
			}
			if add := r.Upgrade[1].(op.AddColumn); !add.Column.Equal(tc.to) {
				t.Errorf("added %v, want %v", add.Column, tc.to)
			}
			for _, n := range r.Notes {
				if n.Kind == NoteNotNullWithoutDefault && tc.to.Generated != nil && !n.Downgrade {
					t.Errorf("a generated column is noted as NOT NULL without default: %v", n)
				}
			}
		})
	}
}
