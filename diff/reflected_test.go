package diff

import (
	"testing"

	"github.com/retortdb/retort/schema"
)

// TestCompare_ReflectedFacts checks the decision of doc.go on the facts
// only reflection sets: a partitioned table, and a CHECK or foreign key
// not yet validated, are no difference from the declared table.
func TestCompare_ReflectedFacts(t *testing.T) {
	declared := func() *schema.Table {
		return tbl("orders", schema.Col("customer_id", schema.BigInteger()), schema.Col("note", schema.Text()).Nullable()).
			AddCheck(schema.CheckExpr("nn", "note IS NOT NULL").Named("orders_note_nn")).
			ForeignKey(schema.FK("customer_id").References("customer", "id").Named("orders_customer_fk"))
	}
	customer := tbl("customer")
	tests := []struct {
		name    string
		reflect func(*schema.Table)
	}{
		{"check not valid", func(t *schema.Table) { t.Checks[0].NotValid = true }},
		{"foreign key not valid", func(t *schema.Table) { t.ForeignKeys[0].NotValid = true }},
		{"partitioned", func(t *schema.Table) {
			t.Partitioning = &schema.Partitioning{Key: "LIST (note)", Partitions: []string{"orders_a"}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reflected := declared()
			tt.reflect(reflected)
			from := &schema.Schema{Tables: []*schema.Table{customer, reflected}}
			to := &schema.Schema{Tables: []*schema.Table{customer, declared()}}
			res, err := Compare(from, to, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Upgrade) != 0 || len(res.Downgrade) != 0 || len(res.Notes) != 0 {
				t.Errorf("a difference: upgrade %v, downgrade %v, notes %v", opStrings(res.Upgrade), opStrings(res.Downgrade), res.Notes)
			}
		})
	}
}
