package dialect_test

import (
	"context"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// TestGeneratedColumns creates generated columns from the model on each
// database and reads them back, equal once both sides are in the
// dialect's normal form; a hand-written generated column is read too.
func TestGeneratedColumns(t *testing.T) {
	cases := map[string]struct {
		d     dialect.Dialect
		cols  []schema.Column
		hand  string
		hcol  string
		hwant schema.Generated
	}{
		"sqlite": {sqlite.New(), []schema.Column{
			schema.Col("total", schema.Integer()).Nullable().GeneratedAs("price * qty", true),
			schema.Col("label", schema.Text()).Nullable().GeneratedAs("'item ' || price", false),
		}, "CREATE TABLE h (a INTEGER, b INTEGER AS (a + 1))", "b", schema.Generated{Expr: "a + 1"}},
		"postgres": {postgres.New(), []schema.Column{
			schema.Col("total", schema.Integer()).GeneratedAs("price * qty", true),
		}, "CREATE TABLE h (a integer, b integer GENERATED ALWAYS AS (a + 1) STORED)", "b", schema.Generated{Expr: "a + 1", Stored: true}},
		"mysql": {mysql.New(), []schema.Column{
			schema.Col("total", schema.Integer()).Nullable().GeneratedAs("price * qty", true),
			schema.Col("twice", schema.Integer()).Nullable().GeneratedAs("price * 2", false),
		}, "CREATE TABLE h (a int, b int AS (a + 1) VIRTUAL)", "b", schema.Generated{Expr: "a + 1"}},
	}
	for _, name := range dbtest.Dialects {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := dbtest.For(t, name)
			tbl := schema.NewTable("line",
				append([]schema.Column{schema.Col("id", schema.Integer()), schema.Col("price", schema.Integer()), schema.Col("qty", schema.Integer())}, tc.cols...)...,
			).PrimaryKey("id")
			stmts, err := dialect.RenderOp(ctx, dialect.RenderContext{Q: db.SQL, Naming: schema.DefaultNaming()}, tc.d, op.CreateTable{Table: tbl})
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range append(stmts, dialect.Stmt{SQL: tc.hand}) {
				if _, err := db.SQL.ExecContext(ctx, st.SQL); err != nil {
					t.Fatalf("%v\n%s", err, st.SQL)
				}
			}
			got, err := dialect.Probe(tc.d).Inspector.Inspect(ctx, db.SQL, dialect.InspectOptions{})
			if err != nil {
				t.Fatal(err)
			}
			nz := dialect.Probe(tc.d).Normalizer
			g, err := dialect.NormalizeSchema(nz, got, schema.DefaultNaming())
			if err != nil {
				t.Fatal(err)
			}
			w, err := dialect.NormalizeSchema(nz, &schema.Schema{Tables: []*schema.Table{tbl}}, schema.DefaultNaming())
			if err != nil {
				t.Fatal(err)
			}
			gl, _ := g.Table("line")
			if wl := w.Tables[0]; gl == nil || !gl.Equal(wl) {
				t.Fatalf("read back\n%v\nwant\n%v", gl, wl)
			}
			h, _ := g.Table("h")
			c, _ := h.Column(tc.hcol)
			if c.Generated == nil || *c.Generated != tc.hwant {
				t.Errorf("hand-written generated column read as %+v, want %+v", c.Generated, tc.hwant)
			}
		})
	}
}
