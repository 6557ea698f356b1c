package diff

import (
	"fmt"
	"testing"

	"github.com/retortdb/retort/schema"
)

// benchSchema is n tables of 8 columns, 2 indexes and a foreign key
// each (the figure issue 17 sets: diff under 0.05 s for 1,000 tables).
func benchSchema(n int) *schema.Schema {
	s := &schema.Schema{}
	for i := range n {
		name := fmt.Sprintf("t%04d", i)
		t := schema.NewTable(name, schema.Col("id", schema.BigInteger()).Identity(), schema.Col("parent_id", schema.BigInteger()).Nullable())
		for j := range 6 {
			t = t.AddColumns(schema.Col(fmt.Sprintf("c%d", j), schema.String(50)).Nullable())
		}
		ref := fmt.Sprintf("t%04d", (i+1)%n)
		t = t.SetPrimaryKey(schema.PrimaryKeyOn("id").Named("pk_" + name)).
			Index(schema.IndexOn("c0").Named("ix_" + name + "_c0")).
			Index(schema.IndexOn("c1", "c2").Named("ix_" + name + "_c1")).
			ForeignKey(schema.FK("parent_id").References(ref, "id").Named("fk_" + name))
		s.Tables = append(s.Tables, t)
	}
	return s
}

func BenchmarkCompare(b *testing.B) {
	s := benchSchema(1000)
	b.Run("create 1000 tables", func(b *testing.B) {
		for b.Loop() {
			if _, err := Compare(&schema.Schema{}, s, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("1000 tables unchanged", func(b *testing.B) {
		for b.Loop() {
			if _, err := Compare(s, s, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
