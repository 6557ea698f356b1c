package diff

import (
	"context"
	"slices"
	"testing"

	_ "github.com/go-sql-driver/mysql" // the "mysql" driver, for tests only
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for tests only
	_ "modernc.org/sqlite"             // the "sqlite" driver, for tests only

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/schema"
)

// liveCase is a realistic change, declared once for every dialect it
// applies to: spell maps a check or index expression to how a dialect's
// server reports it, where that differs from how it is declared (both
// sides go through a server in autogenerate; here the target is only
// normalised, so it is declared as the server spells it).
type liveCase struct {
	name     string
	dialects []string // nil: all
	from, to func(d string) *schema.Schema
}

func spell(d string, m map[string]string, s string) string {
	if v, ok := m[d]; ok {
		return v
	}
	return s
}

func store(d string, after bool) *schema.Schema {
	customers := schema.NewTable("customers",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("email", schema.String(255)),
		schema.Col("name", schema.String(100)),
	).PrimaryKey("id").Unique("email")
	orders := schema.NewTable("orders",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("customer_id", schema.BigInteger()),
		schema.Col("total", schema.Numeric(10, 2)).Default(schema.Value("0.00")),
		schema.Col("created_at", schema.DateTime(false)),
	).PrimaryKey("id").
		Check("total_positive", spell(d, map[string]string{"postgres": "total >= (0)::numeric", "mysql": "`total` >= 0"}, "total >= 0"))
	if !after {
		customers = customers.AddColumns(schema.Col("legacy", schema.Integer()).Nullable())
		orders = orders.ForeignKey(schema.FK("customer_id").References("customers", "id"))
		return &schema.Schema{Tables: []*schema.Table{customers, orders}}
	}
	customers.Columns[2] = schema.Col("name", schema.String(200))
	customers = customers.AddColumns(schema.Col("phone", schema.String(30)).Nullable().WithComment("with the country code")).
		WithComment("who buys")
	orders = orders.ForeignKey(schema.FK("customer_id").References("customers", "id").DeleteRule(schema.Cascade)).
		Index(schema.IndexOn("created_at"))
	items := schema.NewTable("order_items",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("order_id", schema.BigInteger()),
		schema.Col("product", schema.String(100)),
		schema.Col("quantity", schema.Integer()).Default(schema.Value(1)),
		schema.Col("price", schema.Numeric(10, 2)),
	).PrimaryKey("id").
		Unique("order_id", "product").
		ForeignKey(schema.FK("order_id").References("orders", "id").DeleteRule(schema.Cascade)).
		Check("quantity_positive", spell(d, map[string]string{"mysql": "`quantity` > 0"}, "quantity > 0")).
		Index(schema.IndexOn("product"))
	return &schema.Schema{Tables: []*schema.Table{customers, items, orders}}
}

func blog(d string, after bool) *schema.Schema {
	users := schema.NewTable("users",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("name", schema.String(80)),
	).PrimaryKey("id")
	if !after {
		return &schema.Schema{Tables: []*schema.Table{users}}
	}
	// users (kept) and posts (new) refer to each other, and so do posts
	// and series (both new); posts refers to itself.
	users = users.AddColumns(schema.Col("favorite_post_id", schema.BigInteger()).Nullable()).
		ForeignKey(schema.FK("favorite_post_id").References("posts", "id").DeleteRule(schema.SetNull))
	posts := schema.NewTable("posts",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("author_id", schema.BigInteger()),
		schema.Col("parent_id", schema.BigInteger()).Nullable(),
		schema.Col("series_id", schema.BigInteger()).Nullable(),
		schema.Col("title", schema.String(200)),
		schema.Col("body", schema.Text()).Nullable(),
	).PrimaryKey("id").
		ForeignKey(schema.FK("author_id").References("users", "id")).
		ForeignKey(schema.FK("parent_id").References("posts", "id").DeleteRule(schema.Cascade)).
		ForeignKey(schema.FK("series_id").References("series", "id")).
		Index(schema.IndexOn("author_id", "title"))
	series := schema.NewTable("series",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("first_post_id", schema.BigInteger()).Nullable(),
	).PrimaryKey("id").
		ForeignKey(schema.FK("first_post_id").References("posts", "id"))
	return &schema.Schema{Tables: []*schema.Table{posts, series, users}}
}

func enums(d string, after bool) *schema.Schema {
	mood := schema.EnumType{Name: "mood", Values: []string{"sad", "ok"}}
	t := schema.NewTable("diary",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("feeling", schema.Enum("mood", mood.Values...)),
	).PrimaryKey("id")
	if !after {
		return &schema.Schema{Tables: []*schema.Table{t}, Enums: []schema.EnumType{mood}}
	}
	mood.Values = []string{"awful", "sad", "meh", "ok", "great"}
	status := schema.EnumType{Name: "status", Values: []string{"draft", "done"}}
	t.Columns[1].Type = schema.Enum("mood", mood.Values...)
	t = t.AddColumns(schema.Col("yesterday", schema.Enum("mood", mood.Values...)).Nullable())
	task := schema.NewTable("task",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("status", schema.Enum("status", status.Values...)).Default(schema.Value("draft")),
	).PrimaryKey("id")
	return &schema.Schema{Tables: []*schema.Table{t, task}, Enums: []schema.EnumType{mood, status}}
}

func indexes(d string, after bool) *schema.Schema {
	t := schema.NewTable("account",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("email", schema.String(255)),
		schema.Col("deleted_at", schema.DateTime(false)).Nullable(),
	).PrimaryKey("id")
	if !after {
		return &schema.Schema{Tables: []*schema.Table{t.Index(schema.IndexOn("email"))}}
	}
	t = t.Index(schema.IndexOn("email").AsUnique().Partial(spell(d, nil, "deleted_at IS NULL")).Named("account_live_email")).
		Index(schema.IndexExpr(spell(d, map[string]string{"postgres": "lower(email::text)"}, "lower(email)")).Named("account_lower_email"))
	return &schema.Schema{Tables: []*schema.Table{t}}
}

// keys changes the primary key of a table that a kept table's and a
// dropped table's foreign keys refer to, and the type of a column on
// both ends of a foreign key.
func keys(d string, after bool) *schema.Schema {
	p := schema.NewTable("product",
		schema.Col("id", schema.BigInteger()),
		schema.Col("sku", schema.String(20)),
	)
	stock := schema.NewTable("stock",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("product_id", schema.BigInteger()),
		schema.Col("sku", schema.String(20)),
	).PrimaryKey("id").ForeignKey(schema.FK("product_id").References("product", "id"))
	if !after {
		p = p.SetPrimaryKey(schema.PrimaryKeyOn("id").Named("product_pk_old")).Unique("sku")
		stock = stock.ForeignKey(schema.FK("sku").References("product", "sku"))
		old := schema.NewTable("price",
			schema.Col("id", schema.BigInteger()).Identity(),
			schema.Col("product_id", schema.BigInteger()),
		).PrimaryKey("id").ForeignKey(schema.FK("product_id").References("product", "id"))
		return &schema.Schema{Tables: []*schema.Table{old, p, stock}}
	}
	p = p.PrimaryKey("id").Unique("sku")
	p.Columns[1].Type = schema.String(40)
	stock.Columns[2].Type = schema.String(40)
	stock = stock.ForeignKey(schema.FK("sku").References("product", "sku"))
	return &schema.Schema{Tables: []*schema.Table{p, stock}}
}

func liveCases() []liveCase {
	half := func(f func(string, bool) *schema.Schema) (func(string) *schema.Schema, func(string) *schema.Schema) {
		return func(d string) *schema.Schema { return f(d, false) }, func(d string) *schema.Schema { return f(d, true) }
	}
	var cs []liveCase
	add := func(name string, dialects []string, f func(string, bool) *schema.Schema) {
		from, to := half(f)
		cs = append(cs, liveCase{name: name, dialects: dialects, from: from, to: to})
	}
	add("store", nil, store)
	add("blog", nil, blog)
	add("keys under foreign keys", nil, keys)
	add("enum", []string{"postgres"}, enums)
	add("partial and expression indexes", []string{"postgres", "sqlite"}, indexes)
	return cs
}

func dialectFor(name string) dialect.Dialect {
	switch name {
	case "postgres":
		return postgres.New()
	case "mysql":
		return mysql.New()
	}
	return sqlite.New()
}

// TestCompare_Live runs each case on the three databases: from created
// through Compare from nothing, inspected and normalised; the upgrade
// run must give the normalised target (Equal: columns in order too), after which Compare finds
// nothing; the downgrade run must give from back (less the enum values
// PostgreSQL cannot remove).
func TestCompare_Live(t *testing.T) {
	for _, dn := range dbtest.Dialects {
		for _, c := range liveCases() {
			if c.dialects != nil && !slices.Contains(c.dialects, dn) {
				continue
			}
			t.Run(dn+"/"+c.name, func(t *testing.T) {
				ctx := context.Background()
				d := dialectFor(dn)
				caps := dialect.Probe(d)
				db := dbtest.For(t, dn)
				conn, err := db.SQL.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				normalise := func(s *schema.Schema) *schema.Schema {
					t.Helper()
					n, err := dialect.NormalizeSchema(caps.Normalizer, s, schema.DefaultNaming())
					if err != nil {
						t.Fatalf("normalise: %v", err)
					}
					return n
				}
				inspect := func() *schema.Schema {
					t.Helper()
					s, err := caps.Inspector.Inspect(ctx, conn, dialect.InspectOptions{})
					if err != nil {
						t.Fatalf("inspect: %v", err)
					}
					return normalise(s)
				}
				compare := func(from, to *schema.Schema) *Result {
					t.Helper()
					res, err := Compare(from, to, Options{})
					if err != nil {
						t.Fatalf("Compare: %v", err)
					}
					return res
				}
				same := func(what string, got, want *schema.Schema, ops *Result) {
					t.Helper()
					got, want = clone(got), clone(want)
					got.Name, want.Name = "", ""
					if !got.Equal(want) {
						t.Fatalf("%s differs:\nupgrade:\n%sdowngrade:\n%s--- inspected\n%s--- want\n%s",
							what, opLines(ops.Upgrade), opLines(ops.Downgrade), dump(got), dump(want))
					}
				}

				declaredFrom := normalise(c.from(dn))
				setup := compare(inspect(), declaredFrom)
				dialecttest.Exec(ctx, t, d, conn, setup.Upgrade)
				from := inspect()
				same("the database created from nothing", from, declaredFrom, setup)

				to := normalise(c.to(dn))
				res := compare(from, to)
				if len(res.Upgrade) == 0 {
					t.Fatal("no operation for the change")
				}
				t.Logf("upgrade:\n%sdowngrade:\n%snotes: %v", opLines(res.Upgrade), opLines(res.Downgrade), res.Notes)
				dialecttest.Exec(ctx, t, d, conn, res.Upgrade)
				upgraded := inspect()
				same("after the upgrade, the database", upgraded, to, res)
				if again := compare(upgraded, to); !again.Empty() {
					t.Fatalf("a second Compare after the upgrade is not empty:\n%s", opLines(again.Upgrade))
				}

				dialecttest.Exec(ctx, t, d, conn, res.Downgrade)
				same("after the downgrade, the database", inspect(), wantAfterDowngrade(from, to), res)
			})
		}
	}
}
