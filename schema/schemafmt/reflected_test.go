package schemafmt_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/schema/schemafmt"
)

// TestJSON_ReflectedFacts checks that the facts only reflection sets,
// which Equal does not compare (constraint validity, partitioning), go
// through the JSON form: lint's schema state cache is that form.
func TestJSON_ReflectedFacts(t *testing.T) {
	tbl := schema.NewTable("orders",
		schema.Col("id", schema.BigInteger()),
		schema.Col("customer_id", schema.BigInteger()),
		schema.Col("note", schema.Text()).Nullable(),
	)
	tbl = tbl.AddCheck(schema.Check{Name: "orders_note_nn", Expr: "note IS NOT NULL", NotValid: true}).
		AddCheck(schema.Check{Name: "orders_id_pos", Expr: "id > 0"}).
		ForeignKey(schema.ForeignKey{Name: "orders_customer_fk", Columns: []string{"customer_id"}, RefTable: "customer", RefColumns: []string{"id"}, NotValid: true})
	tbl.Partitioning = &schema.Partitioning{Key: "RANGE (id)", Partitions: []string{"orders_1", "orders_2"}}
	plain := schema.NewTable("customer", schema.Col("id", schema.BigInteger()))
	s := &schema.Schema{Tables: []*schema.Table{plain, tbl}}

	b, err := schemafmt.EncodeJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"not_valid": true`, `"key": "RANGE (id)"`, `"partitions": [`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the JSON form lacks %s:\n%s", want, b)
		}
	}
	back, err := schemafmt.DecodeJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	got, ok := back.Table("orders")
	if !ok {
		t.Fatalf("no table orders after the round trip:\n%s", b)
	}
	if !reflect.DeepEqual(got.Checks, tbl.Checks) || !reflect.DeepEqual(got.ForeignKeys, tbl.ForeignKeys) {
		t.Errorf("constraints after the round trip: %+v %+v, want %+v %+v", got.Checks, got.ForeignKeys, tbl.Checks, tbl.ForeignKeys)
	}
	if !reflect.DeepEqual(got.Partitioning, tbl.Partitioning) {
		t.Errorf("partitioning after the round trip: %+v, want %+v", got.Partitioning, tbl.Partitioning)
	}
	if c, _ := back.Table("customer"); c.Partitioning != nil {
		t.Errorf("a plain table came back partitioned: %+v", c.Partitioning)
	}
}
