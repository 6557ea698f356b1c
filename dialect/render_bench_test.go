package dialect_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// benchDialects are the dialects the rendering benchmarks run on, in a
// fixed order so that the sub-benchmark names are stable.
var benchDialects = []struct {
	name string
	d    dialect.Dialect
}{{"sqlite", sqlite.New()}, {"postgres", postgres.New()}, {"mysql", mysql.New()}}

// benchOps are the DDL operations rendered offline per dialect: a table of
// eight columns with a primary key, a unique constraint, a foreign key and
// a check; a column added; a two-column index.
func benchOps() []struct {
	name string
	o    op.Op
} {
	table := schema.NewTable("orders",
		schema.Col("id", schema.BigInteger()),
		schema.Col("customer_id", schema.BigInteger()),
		schema.Col("code", schema.String(40)),
		schema.Col("note", schema.Text()).Nullable(),
		schema.Col("amount", schema.Numeric(12, 2)),
		schema.Col("active", schema.Boolean()),
		schema.Col("created_at", schema.DateTime(true)),
		schema.Col("quantity", schema.Integer()),
	).PrimaryKey("id").
		Unique("code").
		ForeignKey(schema.FK("customer_id").References("customers", "id")).
		Check("positive", "quantity > 0")
	return []struct {
		name string
		o    op.Op
	}{
		{"CreateTable", op.CreateTable{Table: table}},
		{"AddColumn", op.AddColumn{Table: schema.TableName{Name: "orders"}, Column: schema.Col("shipped_at", schema.DateTime(true)).Nullable()}},
		{"CreateIndex", op.CreateIndex{Table: schema.TableName{Name: "orders"}, Index: schema.IndexOn("customer_id", "created_at")}},
	}
}

// BenchmarkRender renders each DDL operation offline (no database), as
// `upgrade --sql` and autogenerate do, once per iteration.
func BenchmarkRender(b *testing.B) {
	ctx := context.Background()
	rc := dialect.RenderContext{Naming: schema.DefaultNaming()}
	for _, bd := range benchDialects {
		for _, bo := range benchOps() {
			b.Run(bd.name+"/"+bo.name, func(b *testing.B) {
				stmts, err := dialect.RenderOp(ctx, rc, bd.d, bo.o)
				if err != nil || len(stmts) == 0 {
					b.Fatalf("render: %d statements, %v", len(stmts), err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := dialect.RenderOp(ctx, rc, bd.d, bo.o); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkLiteral escapes offline value literals, as `upgrade --sql`
// writes the rows of a bulk insert: a short string, a string full of
// quotes and backslashes, bytes, a time, a float and a negative integer.
func BenchmarkLiteral(b *testing.B) {
	values := []struct {
		name string
		v    any
	}{
		{"string", "hello, world"},
		{"string-quotes", strings.Repeat(`it's a \"quote\" `, 16)},
		{"bytes", []byte(strings.Repeat("\x00\x01\xfe\xff", 64))},
		{"time", time.Date(2024, 5, 1, 12, 30, 45, 123456000, time.UTC)},
		{"float", 3.141592653589793},
		{"int", int64(-1234567890)},
	}
	for _, bd := range benchDialects {
		for _, bv := range values {
			b.Run(bd.name+"/"+bv.name, func(b *testing.B) {
				if _, err := bd.d.Literal(bv.v); err != nil {
					b.Fatalf("literal %T: %v", bv.v, err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := bd.d.Literal(bv.v); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
