package op_test

import (
	"slices"
	"testing"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// TestOps_Ignore: operations recorded through an Ignore view carry its
// suppressions, views chain and combine with InSchema, the recorder
// itself is unchanged, and a Batch carries those of its operations.
func TestOps_Ignore(t *testing.T) {
	o := op.NewOps()
	idx := schema.IndexOn("a")
	rt301 := op.Suppression{Code: "RT301", Reason: "40 rows"}
	rt101 := op.Suppression{Code: "RT101", Reason: "archived"}
	o.Ignore("RT301", "40 rows").CreateIndex("orders", idx)
	o.DropTable("plain")
	o.Ignore("RT101", "archived").Ignore("RT301", "40 rows").DropTable("legacy")
	o.Ignore("RT301", "40 rows").InSchema("app").CreateIndex("orders", idx)
	o.InSchema("app").Ignore("RT101", "archived").DropTable("old")
	o.Batch("t", nil, func(b *op.Ops) {
		b.Ignore("RT101", "archived").DropColumn("t", "x")
		b.DropColumn("t", "y")
	})
	o.Ignore("RT301", "40 rows").Batch("u", nil, func(b *op.Ops) { b.Ignore("RT301", "40 rows").DropColumn("u", "x") })
	want := [][]op.Suppression{{rt301}, nil, {rt101, rt301}, {rt301}, {rt101}, {rt101}, {rt301}}
	if n := len(o.List()); n != len(want) {
		t.Fatalf("%d operations recorded, want %d", n, len(want))
	}
	for k, w := range want {
		if got := o.Suppressions(k); !slices.Equal(got, w) {
			t.Errorf("operation %d (%s): suppressions %v, want %v", k, o.List()[k], got, w)
		}
	}
	if got := o.List()[3].(op.CreateIndex).Table.Schema; got != "app" {
		t.Errorf("Ignore then InSchema: schema %q, want app", got)
	}
	if got := o.List()[4].(op.DropTable).Table.Schema; got != "app" {
		t.Errorf("InSchema then Ignore: schema %q, want app", got)
	}
	if o.Suppressions(-1) != nil || o.Suppressions(len(want)) != nil {
		t.Error("Suppressions out of range is not nil")
	}
}
