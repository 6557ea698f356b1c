package dialect_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql", for tests only
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for tests only

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// TestIndexMethod renders an index with a method, runs it on each
// database and reads it back with the same method: what autogenerate
// needs to create the GIN or FULLTEXT index a desired schema declares.
func TestIndexMethod(t *testing.T) {
	cases := map[string]struct {
		d      dialect.Dialect
		table  string
		idx    schema.Index
		want   string // in the rendered statement
		method string // as reflected
	}{
		"postgres": {postgres.New(), "CREATE TABLE doc (id bigint PRIMARY KEY, body text NOT NULL)",
			schema.IndexExpr("to_tsvector('english'::regconfig, body)").Named("doc_body_fts").Using("gin"),
			`USING gin ((to_tsvector('english'::regconfig, body)))`, "gin"},
		"mysql": {mysql.New(), "CREATE TABLE doc (id BIGINT PRIMARY KEY, body TEXT NOT NULL) ENGINE=InnoDB",
			schema.IndexOn("body").Named("doc_body_fts").Using("FULLTEXT"),
			"CREATE FULLTEXT INDEX `doc_body_fts`", "FULLTEXT"},
	}
	for _, name := range []string{"postgres", "mysql"} {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := dbtest.For(t, name)
			if _, err := db.SQL.ExecContext(ctx, tc.table); err != nil {
				t.Fatal(err)
			}
			stmts, err := dialect.RenderOp(ctx, dialect.RenderContext{Naming: schema.DefaultNaming()}, tc.d, op.CreateIndex{Table: op.TableName{Name: "doc"}, Index: tc.idx})
			if err != nil || len(stmts) != 1 || !strings.Contains(stmts[0].SQL, tc.want) {
				t.Fatalf("rendered %v, %v; want a statement with %s", stmts, err, tc.want)
			}
			if _, err := db.SQL.ExecContext(ctx, stmts[0].SQL); err != nil {
				t.Fatalf("%v\n%s", err, stmts[0].SQL)
			}
			s, err := dialect.Probe(tc.d).Inspector.Inspect(ctx, db.SQL, dialect.InspectOptions{})
			if err != nil {
				t.Fatal(err)
			}
			doc, _ := s.Table("doc")
			if doc == nil || len(doc.Indexes) != 1 || !strings.EqualFold(doc.Indexes[0].Method, tc.method) {
				t.Fatalf("reflected %+v, want one index with method %s", doc, tc.method)
			}
		})
	}
	_, err := dialect.RenderOp(context.Background(), dialect.RenderContext{Naming: schema.DefaultNaming()}, sqlite.New(),
		op.CreateIndex{Table: op.TableName{Name: "doc"}, Index: schema.IndexOn("body").Using("gin")})
	if !errors.Is(err, dialect.ErrUnsupported) {
		t.Errorf("SQLite with a method: %v, want ErrUnsupported", err)
	}
	_, err = dialect.RenderOp(context.Background(), dialect.RenderContext{Naming: schema.DefaultNaming()}, mysql.New(),
		op.CreateIndex{Table: op.TableName{Name: "doc"}, Index: schema.IndexOn("body").Using("gin")})
	if !errors.Is(err, dialect.ErrUnsupported) {
		t.Errorf("MySQL with gin: %v, want ErrUnsupported", err)
	}
	// A covering index: PostgreSQL's INCLUDE, refused elsewhere.
	cover := op.CreateIndex{Table: op.TableName{Name: "doc"}, Index: schema.IndexOn("id").Including("body").Named("doc_cover")}
	stmts, err := dialect.RenderOp(context.Background(), dialect.RenderContext{Naming: schema.DefaultNaming()}, postgres.New(), cover)
	if err != nil || len(stmts) != 1 || !strings.HasSuffix(stmts[0].SQL, `("id") INCLUDE ("body")`) {
		t.Errorf("PostgreSQL covering index: %v, %v", stmts, err)
	}
	for _, d := range []dialect.Dialect{mysql.New(), sqlite.New()} {
		if _, err := dialect.RenderOp(context.Background(), dialect.RenderContext{Naming: schema.DefaultNaming()}, d, cover); !errors.Is(err, dialect.ErrUnsupported) {
			t.Errorf("%s covering index: %v, want ErrUnsupported", d.Name(), err)
		}
	}
}
