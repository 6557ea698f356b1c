package dialect_test

import (
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/schema"
)

// TestDefaultSpellings: defaults a server keeps as written but that are
// one default compare equal once normalised (no false positive in
// autogenerate); different ones stay different.
func TestDefaultSpellings(t *testing.T) {
	num := schema.Numeric(10, 2)
	for _, tc := range []struct {
		name string
		d    dialect.Normalizer
		typ  schema.Type
		a, b schema.Default
		same bool
	}{
		{"pg 0 and 0.00", postgres.New(), num, schema.Expr("0"), schema.Expr("0.00"), true},
		{"pg '0.00'::numeric and 0", postgres.New(), num, schema.Expr("'0.00'::numeric"), schema.Value(0), true},
		{"pg 1.5 and 1.50", postgres.New(), num, schema.Expr("1.50"), schema.Value("1.5"), true},
		{"pg 1 and 1.01", postgres.New(), num, schema.Expr("1"), schema.Expr("1.01"), false},
		{"pg now() and CURRENT_TIMESTAMP", postgres.New(), schema.DateTime(true), schema.Expr("now()"), schema.Expr("CURRENT_TIMESTAMP"), true},
		{"pg now() and LOCALTIMESTAMP", postgres.New(), schema.DateTime(false), schema.Expr("now()"), schema.Expr("LOCALTIMESTAMP"), false},
		{"pg text '0.00' stays text", postgres.New(), schema.Text(), schema.Expr("'0.00'::text"), schema.Value("0"), false},
		{"sqlite 0 and 0.00", sqlite.New(), num, schema.Expr("0"), schema.Expr("0.00"), true},
		{"sqlite -0.0 and 0", sqlite.New(), num, schema.Expr("-0.0"), schema.Value(0), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			norm := func(d schema.Default) schema.Default {
				tb := schema.NewTable("t", schema.Col("c", tc.typ).Default(d))
				out, err := tc.d.NormalizeTable(tb, schema.DefaultNaming())
				if err != nil {
					t.Fatal(err)
				}
				return out.Columns[0].Def
			}
			a, b := norm(tc.a), norm(tc.b)
			if a.Equal(b) != tc.same {
				t.Errorf("%v and %v normalise to %v and %v: same %t, want %t", tc.a, tc.b, a, b, a.Equal(b), tc.same)
			}
		})
	}
}
