package schemagen

import (
	"slices"

	"github.com/retortdb/retort/schema"
)

// The realistic schemas are hand-written desired schemas of the kind
// projects have: a store, a blog and a multi-tenant SaaS. They are
// declared once, with PostgreSQL's features, and ForDialect adapts them
// to what each dialect holds.
//
// Generated (computed) columns are in the model (schema.Column.Generated)
// since these schemas were written; the autogenerate tests declare them
// on each database (cli/autogen_test.go).

// A Realistic is one hand-written schema: its name and the function that
// builds it for a dialect ("sqlite", "postgres" or "mysql").
type Realistic struct {
	Name   string
	Schema func(dialect string) *schema.Schema
}

// RealisticSchemas are the hand-written schemas, smallest first.
var RealisticSchemas = []Realistic{
	{"store", func(dn string) *schema.Schema { return ForDialect(dn, Store()) }},
	{"blog", func(dn string) *schema.Schema { return ForDialect(dn, Blog()) }},
	{"saas", func(dn string) *schema.Schema { return ForDialect(dn, SaaS()) }},
}

// ForDialect returns a copy of s as dialect dn can hold it:
//   - enum types are named types only on PostgreSQL; elsewhere each enum
//     column holds its values inline (the schema keeps no enum types);
//   - MySQL (MariaDB) has no partial indexes and no indexes on
//     expressions or on unbounded text: such indexes are left out;
//   - SQLite keeps no comments: they are left out.
func ForDialect(dn string, s *schema.Schema) *schema.Schema {
	s = Clone(s)
	if dn != "postgres" {
		s.Enums = nil
	}
	for _, t := range s.Tables {
		switch dn {
		case "mysql":
			t.Indexes = slices.DeleteFunc(t.Indexes, func(ix schema.Index) bool {
				if ix.Where != "" {
					return true
				}
				return slices.ContainsFunc(ix.Parts, func(p schema.IndexPart) bool {
					if p.Expr != "" {
						return true
					}
					c, _ := t.Column(p.Column)
					return c.Type.Kind == schema.KindText || c.Type.Kind == schema.KindJSON
				})
			})
		case "sqlite":
			t.Comment = ""
			for i := range t.Columns {
				t.Columns[i].Comment = ""
			}
		}
	}
	return s
}

// id is an identity bigint primary key column.
func id() schema.Column { return schema.Col("id", schema.BigInteger()).Identity() }

// table is a table with an identity primary key id and cols.
func table(name string, cols ...schema.Column) *schema.Table {
	return schema.NewTable(name, append([]schema.Column{id()}, cols...)...).PrimaryKey("id")
}

func ref(name string) schema.Column { return schema.Col(name, schema.BigInteger()) }

func now() schema.Default { return schema.Expr("CURRENT_TIMESTAMP") }

func createdAt() schema.Column {
	return schema.Col("created_at", schema.DateTime(true)).Default(now())
}

func enumCol(name string, e schema.EnumType) schema.Column {
	return schema.Col(name, schema.Enum(e.Name, e.Values...))
}

// Store is a small shop: customers and their addresses, a category tree
// (self-referencing), products, orders with a status enum, order lines,
// payments and stock.
func Store() *schema.Schema {
	status := schema.EnumType{Name: "order_status", Values: []string{"cart", "placed", "paid", "shipped", "cancelled"}}
	customer := table("customer",
		schema.Col("email", schema.String(255)),
		schema.Col("name", schema.String(120)),
		schema.Col("phone", schema.String(40)).Nullable(),
		schema.Col("marketing", schema.Boolean()).Default(schema.Value(false)),
		createdAt(),
	).Unique("email").WithComment("people who buy")
	customer = customer.Index(schema.IndexExpr("lower(name)"))
	address := table("address",
		ref("customer_id"),
		schema.Col("line1", schema.String(200)),
		schema.Col("line2", schema.String(200)).Nullable(),
		schema.Col("city", schema.String(100)),
		schema.Col("postcode", schema.String(20)),
		schema.Col("country", schema.String(2)).Default(schema.Value("GB")).WithComment("ISO 3166-1 alpha-2"),
		schema.Col("is_default", schema.Boolean()).Default(schema.Value(false)),
	).ForeignKey(schema.FK("customer_id").References("customer", "id").DeleteRule(schema.Cascade)).
		Index(schema.IndexOn("customer_id").AsUnique().Partial("is_default"))
	category := table("category",
		ref("parent_id").Nullable(),
		schema.Col("slug", schema.String(80)),
		schema.Col("title", schema.String(120)),
	).ForeignKey(schema.FK("parent_id").References("category", "id").DeleteRule(schema.SetNull)).Unique("slug")
	product := table("product",
		schema.Col("sku", schema.String(40)),
		schema.Col("title", schema.String(200)),
		schema.Col("description", schema.Text()).Nullable(),
		schema.Col("price", schema.Numeric(10, 2)),
		schema.Col("active", schema.Boolean()).Default(schema.Value(true)),
		createdAt(),
	).Unique("sku").Check("price_positive", "price >= 0").
		Index(schema.IndexOn("title").Partial("active"))
	productCategory := schema.NewTable("product_category", ref("product_id"), ref("category_id")).
		PrimaryKey("product_id", "category_id").
		ForeignKey(schema.FK("product_id").References("product", "id").DeleteRule(schema.Cascade)).
		ForeignKey(schema.FK("category_id").References("category", "id").DeleteRule(schema.Cascade)).
		Index(schema.IndexOn("category_id"))
	orders := table("orders",
		ref("customer_id"),
		ref("shipping_address_id").Nullable(),
		enumCol("status", status).Default(schema.Value("cart")),
		schema.Col("total", schema.Numeric(12, 2)).Default(schema.Value(0)),
		schema.Col("note", schema.Text()).Nullable(),
		createdAt(),
		schema.Col("placed_at", schema.DateTime(true)).Nullable(),
	).ForeignKey(schema.FK("customer_id").References("customer", "id").DeleteRule(schema.Restrict)).
		ForeignKey(schema.FK("shipping_address_id").References("address", "id").DeleteRule(schema.SetNull)).
		Index(schema.IndexOn("customer_id", "created_at")).
		Index(schema.IndexOn("placed_at").Partial("status <> 'cart'"))
	item := table("order_item",
		ref("order_id"),
		ref("product_id"),
		schema.Col("quantity", schema.Integer()).Default(schema.Value(1)),
		schema.Col("unit_price", schema.Numeric(10, 2)),
	).ForeignKey(schema.FK("order_id").References("orders", "id").DeleteRule(schema.Cascade)).
		ForeignKey(schema.FK("product_id").References("product", "id")).
		Unique("order_id", "product_id").Check("quantity_positive", "quantity > 0")
	payment := table("payment",
		ref("order_id"),
		schema.Col("provider", schema.String(30)),
		schema.Col("reference", schema.String(100)),
		schema.Col("amount", schema.Numeric(12, 2)),
		schema.Col("captured", schema.Boolean()).Default(schema.Value(false)),
		createdAt(),
	).ForeignKey(schema.FK("order_id").References("orders", "id")).Unique("provider", "reference")
	stock := schema.NewTable("stock", ref("product_id"),
		schema.Col("warehouse", schema.String(20)),
		schema.Col("on_hand", schema.Integer()).Default(schema.Value(0)),
		schema.Col("updated_at", schema.DateTime(true)).Default(now()),
	).PrimaryKey("product_id", "warehouse").
		ForeignKey(schema.FK("product_id").References("product", "id").DeleteRule(schema.Cascade))
	return &schema.Schema{
		Enums:  []schema.EnumType{status},
		Tables: []*schema.Table{customer, address, category, product, productCategory, orders, item, payment, stock},
	}
}

// Blog is a blog: authors, posts with a state enum, tags, threaded
// comments (self-referencing), media, and a cycle between post and media
// (a post's cover is a media item, a media item belongs to a post).
func Blog() *schema.Schema {
	state := schema.EnumType{Name: "post_state", Values: []string{"draft", "review", "published", "archived"}}
	author := table("author",
		schema.Col("handle", schema.String(40)),
		schema.Col("display_name", schema.String(100)),
		schema.Col("bio", schema.Text()).Nullable().WithComment("markdown"),
		schema.Col("joined", schema.Date()),
	).Unique("handle").Index(schema.IndexExpr("lower(handle)").AsUnique().Named("author_handle_ci"))
	post := table("post",
		ref("author_id"),
		ref("cover_id").Nullable(),
		schema.Col("slug", schema.String(120)),
		schema.Col("title", schema.String(200)),
		schema.Col("body", schema.Text()),
		enumCol("state", state).Default(schema.Value("draft")),
		schema.Col("published_at", schema.DateTime(true)).Nullable(),
		schema.Col("views", schema.BigInteger()).Default(schema.Value(0)),
		schema.Col("meta", schema.JSON()).Nullable(),
	).ForeignKey(schema.FK("author_id").References("author", "id").DeleteRule(schema.Cascade)).
		ForeignKey(schema.FK("cover_id").References("media", "id").DeleteRule(schema.SetNull).Named("post_cover_fk")).
		Unique("slug").
		Index(schema.IndexOn("published_at").Partial("state = 'published'")).
		Index(schema.IndexOn("author_id", "published_at")).
		WithComment("an article")
	media := table("media",
		ref("post_id").Nullable(),
		schema.Col("url", schema.String(500)),
		schema.Col("mime", schema.String(100)),
		schema.Col("bytes", schema.BigInteger()),
		schema.Col("alt", schema.String(300)).Nullable(),
	).ForeignKey(schema.FK("post_id").References("post", "id").DeleteRule(schema.Cascade))
	tag := table("tag", schema.Col("name", schema.String(50))).Unique("name")
	postTag := schema.NewTable("post_tag", ref("post_id"), ref("tag_id")).PrimaryKey("post_id", "tag_id").
		ForeignKey(schema.FK("post_id").References("post", "id").DeleteRule(schema.Cascade)).
		ForeignKey(schema.FK("tag_id").References("tag", "id").DeleteRule(schema.Cascade))
	comment := table("comment",
		ref("post_id"),
		ref("parent_id").Nullable(),
		schema.Col("author_name", schema.String(100)),
		schema.Col("body", schema.Text()),
		schema.Col("approved", schema.Boolean()).Default(schema.Value(false)),
		createdAt(),
	).ForeignKey(schema.FK("post_id").References("post", "id").DeleteRule(schema.Cascade)).
		ForeignKey(schema.FK("parent_id").References("comment", "id").DeleteRule(schema.Cascade)).
		Index(schema.IndexOn("post_id", "created_at").Partial("approved"))
	return &schema.Schema{
		Enums:  []schema.EnumType{state},
		Tables: []*schema.Table{author, post, media, tag, postTag, comment},
	}
}
