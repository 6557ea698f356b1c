package diff

import (
	"context"
	"fmt"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/schema"
)

// benchSchema is n tables of 8 columns, 2 indexes and a foreign key
// each (the figure issue 17 sets: diff under 0.05 s for 1,000 tables);
// the foreign keys make one cycle through every table.
func benchSchema(n int) *schema.Schema {
	return benchSchemaRefs(n, func(i int) int { return (i + 1) % n })
}

// benchTree is benchSchema with table i referencing table i/2 (table 0
// itself), as the reflection benchmarks' tables do: no cycle, so every
// foreign key is created with its table, which SQLite renders offline.
func benchTree(n int) *schema.Schema {
	return benchSchemaRefs(n, func(i int) int { return i / 2 })
}

// benchSchemaRefs is benchSchema with table i's foreign key referencing
// table ref(i).
func benchSchemaRefs(n int, ref func(i int) int) *schema.Schema {
	s := &schema.Schema{}
	for i := range n {
		name := fmt.Sprintf("t%04d", i)
		t := schema.NewTable(name, schema.Col("id", schema.BigInteger()).Identity(), schema.Col("parent_id", schema.BigInteger()).Nullable())
		for j := range 6 {
			t = t.AddColumns(schema.Col(fmt.Sprintf("c%d", j), schema.String(50)).Nullable())
		}
		ref := fmt.Sprintf("t%04d", ref(i))
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

// BenchmarkCompareRender is the offline half of autogenerate on 1,000
// tables (issue 17: diff and render under 0.05 s): Compare, then every
// operation of the upgrade and of the downgrade rendered by the dialect
// (offline: no catalog to read), from an empty schema and unchanged.
// The foreign keys form a tree (a cycle would need SQLite's move and
// copy, which reads the catalog: autogenerate renders on a scratch
// database).
func BenchmarkCompareRender(b *testing.B) {
	s := benchTree(1000)
	ctx := context.Background()
	rc := dialect.RenderContext{Naming: schema.DefaultNaming()}
	for _, d := range []dialect.Dialect{sqlite.New(), postgres.New(), mysql.New()} {
		for _, c := range []struct {
			name     string
			from     *schema.Schema
			wantStmt bool
		}{
			{"create 1000 tables", &schema.Schema{}, true},
			{"1000 tables unchanged", s, false},
		} {
			b.Run(c.name+"/"+d.Name(), func(b *testing.B) {
				stmts := 0
				for b.Loop() {
					stmts = 0
					r, err := Compare(c.from, s, Options{})
					if err != nil {
						b.Fatal(err)
					}
					for _, o := range append(r.Upgrade, r.Downgrade...) {
						st, err := dialect.RenderOp(ctx, rc, d, o)
						if err != nil {
							b.Fatalf("render %s: %v", o, err)
						}
						stmts += len(st)
					}
				}
				if (stmts > 0) != c.wantStmt {
					b.Fatalf("%d statements rendered", stmts)
				}
				b.ReportMetric(float64(stmts), "stmts")
			})
		}
	}
}
