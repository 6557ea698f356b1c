package dialect_test

import (
	"context"
	"errors"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for tests only
	_ "modernc.org/sqlite"             // database/sql driver "sqlite", for tests only

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// TestForeignKeyDeferral creates deferrable foreign keys on PostgreSQL
// and SQLite and reads them back as they were declared, in the dialect's
// normal form; MySQL, which checks keys at each statement, refuses one.
func TestForeignKeyDeferral(t *testing.T) {
	dialects := map[string]dialect.Dialect{"sqlite": sqlite.New(), "postgres": postgres.New()}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			d := dialects[name]
			db := dbtest.For(t, name)
			parent := schema.NewTable("parent", schema.Col("id", schema.Integer())).PrimaryKey("id")
			child := schema.NewTable("child",
				schema.Col("id", schema.Integer()),
				schema.Col("a", schema.Integer()),
				schema.Col("b", schema.Integer()),
			).PrimaryKey("id").
				ForeignKey(schema.FK("a").References("parent", "id").Deferrable(schema.DeferrableDeferred)).
				ForeignKey(schema.FK("b").References("parent", "id").Deferrable(schema.DeferrableImmediate))
			rc := dialect.RenderContext{Q: db.SQL, Naming: schema.DefaultNaming()}
			for _, tb := range []*schema.Table{parent, child} {
				stmts, err := dialect.RenderOp(ctx, rc, d, op.CreateTable{Table: tb})
				if err != nil {
					t.Fatal(err)
				}
				for _, st := range stmts {
					if _, err := db.SQL.ExecContext(ctx, st.SQL); err != nil {
						t.Fatalf("%v\n%s", err, st.SQL)
					}
				}
			}
			got, err := dialect.Probe(d).Inspector.Inspect(ctx, db.SQL, dialect.InspectOptions{})
			if err != nil {
				t.Fatal(err)
			}
			nz := dialect.Probe(d).Normalizer
			g, err := dialect.NormalizeSchema(nz, got, schema.DefaultNaming())
			if err != nil {
				t.Fatal(err)
			}
			w, err := dialect.NormalizeSchema(nz, &schema.Schema{Name: got.Name, Tables: []*schema.Table{parent, child}}, schema.DefaultNaming())
			if err != nil {
				t.Fatal(err)
			}
			if !g.Equal(w) {
				gc, _ := g.Table("child")
				wc, _ := w.Table("child")
				t.Fatalf("read back\n%+v\nwant\n%+v", gc.ForeignKeys, wc.ForeignKeys)
			}
			gc, _ := g.Table("child")
			deferred := 0
			for _, fk := range gc.ForeignKeys {
				if fk.Deferral == schema.DeferrableDeferred {
					deferred++
				}
			}
			if deferred != 1 {
				t.Errorf("%d deferred keys read back, want 1: %+v", deferred, gc.ForeignKeys)
			}
		})
	}
	// A deferrable unique constraint is outside the model: an error
	// naming it, never read as an immediate one.
	db := dbtest.For(t, "postgres")
	if _, err := db.SQL.Exec("CREATE TABLE u (a integer UNIQUE DEFERRABLE)"); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.New().Inspect(context.Background(), db.SQL, dialect.InspectOptions{}); !errors.Is(err, dialect.ErrUnsupported) {
		t.Errorf("a deferrable unique constraint: %v, want ErrUnsupported", err)
	}
	// So is a unique constraint with INCLUDE columns.
	db2 := dbtest.For(t, "postgres")
	if _, err := db2.SQL.Exec("CREATE TABLE c (a integer, b integer, UNIQUE (a) INCLUDE (b))"); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.New().Inspect(context.Background(), db2.SQL, dialect.InspectOptions{}); !errors.Is(err, dialect.ErrUnsupported) {
		t.Errorf("a covering unique constraint: %v, want ErrUnsupported", err)
	}

	_, err := dialect.RenderOp(context.Background(), dialect.RenderContext{Naming: schema.DefaultNaming()}, mysql.New(),
		op.CreateForeignKey{Table: op.TableName{Name: "child"}, ForeignKey: schema.FK("a").References("parent", "id").Deferrable(schema.DeferrableDeferred)})
	if !errors.Is(err, dialect.ErrUnsupported) {
		t.Errorf("MySQL deferrable key: %v, want ErrUnsupported", err)
	}
}
