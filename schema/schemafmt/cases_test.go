package schemafmt_test

import (
	"time"

	"github.com/retortdb/retort/schema"
)

// testCase is a schema the renderers are tested on. Its tables are in
// sorted order, as an Inspector returns them, so that the JSON round
// trip gives back the same schema.
type testCase struct {
	name string
	s    *schema.Schema
	// sqlOn are the dialects that render it as SQL; nil is all of them.
	sqlOn []string
}

func testCases() []testCase {
	return []testCase{
		{"store", storeSchema(), nil},
		{"pgenum", enumSchema(), []string{"sqlite", "postgres"}}, // partial and expression indexes
		{"selfref", selfRefSchema(), nil},
		{"cycle", cycleSchema(), nil},
		// Raw types without a SQLite entry, an unnamed check: no SQL.
		{"reflected", reflectedSchema(), []string{}},
	}
}

// storeSchema has foreign keys across tables (listed before the tables
// they refer to), unique constraints, checks, indexes of every shape,
// defaults and comments.
func storeSchema() *schema.Schema {
	return &schema.Schema{Tables: []*schema.Table{
		schema.NewTable("customer",
			schema.Col("id", schema.BigInteger()).Identity(),
			schema.Col("email", schema.String(255)).WithComment("where receipts go"),
			schema.Col("name", schema.String(100)).Nullable(),
			schema.Col("vip", schema.Boolean()).Default(schema.Value(false)),
			schema.Col("created_at", schema.DateTime(true)).Default(schema.Expr("CURRENT_TIMESTAMP")),
		).PrimaryKey("id").
			Unique("email").
			Index(schema.IndexOn("name").Named("ix_customer_name")).
			WithComment("people who buy"),
		schema.NewTable("order_line",
			schema.Col("order_id", schema.BigInteger()),
			schema.Col("product_id", schema.Integer()),
			schema.Col("quantity", schema.Integer()).Default(schema.Value(1)),
			schema.Col("price", schema.Numeric(10, 2)),
		).SetPrimaryKey(schema.PrimaryKeyOn("order_id", "product_id").Named("pk_order_line")).
			ForeignKey(schema.FK("order_id").References("orders", "id").DeleteRule(schema.Cascade)).
			ForeignKey(schema.FK("product_id").References("product", "id").Named("fk_line_product")).
			Check("quantity_positive", "quantity > 0").
			Index(schema.IndexOn("product_id")),
		schema.NewTable("orders",
			schema.Col("id", schema.BigInteger()).Identity(),
			schema.Col("customer_id", schema.BigInteger()),
			schema.Col("status", schema.String(20)).Default(schema.Value("new")),
			schema.Col("placed_at", schema.DateTime(false)),
			schema.Col("note", schema.Text()).Nullable(),
		).PrimaryKey("id").
			ForeignKey(schema.FK("customer_id").References("customer", "id").DeleteRule(schema.Restrict).UpdateRule(schema.Cascade)).
			AddCheck(schema.Check{Name: "ck_orders_status", Expr: "status IN ('new', 'paid', 'sent')"}).
			Index(schema.IndexOn("customer_id").Also(schema.IndexPart{Column: "placed_at", Desc: true}).Named("ix_orders_recent")).
			Index(schema.IndexOn("status").Named("ix_orders_status")),
		schema.NewTable("product",
			schema.Col("id", schema.Integer()).Identity(),
			schema.Col("sku", schema.String(32)),
			schema.Col("title", schema.String(200)),
			schema.Col("price", schema.Numeric(10, 2)).Default(schema.Value("0.00")),
			schema.Col("weight", schema.Float()).Nullable(),
		).PrimaryKey("id").
			AddUnique(schema.UniqueOn("sku").Named("uq_product_sku")).
			Check("price_positive", `"price" >= 0`).
			Index(schema.IndexOn("title", "price").AsUnique()),
	}}
}

// enumSchema has a PostgreSQL enum type in Enums and one that only a
// column names, and indexes MySQL cannot hold: on an expression, partial.
func enumSchema() *schema.Schema {
	return &schema.Schema{
		Name:  "public",
		Enums: []schema.EnumType{{Name: "mood", Values: []string{"sad", "ok", "happy"}}},
		Tables: []*schema.Table{
			schema.NewTable("person",
				schema.Col("id", schema.Integer()),
				schema.Col("mood", schema.Enum("mood", "sad", "ok", "happy")).Default(schema.Value("ok")),
				schema.Col("size", schema.Enum("shirt_size", "s", "m", "l")).Nullable(),
				schema.Col("nick", schema.String(30)),
			).PrimaryKey("id").
				Index(schema.IndexExpr("lower(nick)").Named("ix_person_lower_nick")).
				Index(schema.IndexOn("size").Partial("size IS NOT NULL").Named("ix_person_sized")),
		},
	}
}

// selfRefSchema has a table whose foreign key refers to itself.
func selfRefSchema() *schema.Schema {
	return &schema.Schema{Tables: []*schema.Table{
		schema.NewTable("employee",
			schema.Col("id", schema.Integer()),
			schema.Col("manager_id", schema.Integer()).Nullable(),
			schema.Col("name", schema.String(80)),
		).PrimaryKey("id").
			ForeignKey(schema.FK("manager_id").References("employee", "id").DeleteRule(schema.SetNull)),
	}}
}

// cycleSchema has two tables that refer to each other and a third that
// refers to one of them.
func cycleSchema() *schema.Schema {
	return &schema.Schema{Tables: []*schema.Table{
		schema.NewTable("author",
			schema.Col("id", schema.Integer()),
			schema.Col("best_book_id", schema.Integer()).Nullable(),
		).PrimaryKey("id").
			ForeignKey(schema.FK("best_book_id").References("book", "id")),
		schema.NewTable("book",
			schema.Col("id", schema.Integer()),
			schema.Col("author_id", schema.Integer()),
		).PrimaryKey("id").
			ForeignKey(schema.FK("author_id").References("author", "id")),
		schema.NewTable("review",
			schema.Col("id", schema.Integer()),
			schema.Col("book_id", schema.Integer()),
			schema.Col("body", schema.Text()),
		).PrimaryKey("id").
			ForeignKey(schema.FK("book_id").References("book", "id").DeleteRule(schema.Cascade)),
	}}
}

// reflectedSchema holds what an Inspector reports and a declared schema
// does not: native spellings, type and table attributes, an index
// method, Raw types, defaults of every Go type.
func reflectedSchema() *schema.Schema {
	native := func(t schema.Type, n string) schema.Type { t.Native = n; return t }
	unsigned := schema.Type{Kind: schema.KindInteger, Native: "int(10) unsigned", Ext: schema.TypeExt{Unsigned: true}}
	t := schema.NewTable("gadget",
		schema.Col("id", unsigned),
		schema.Col("label", native(schema.String(40), "varchar(40)")).Default(schema.Value("it's \"new\"")),
		schema.Col("code", schema.Type{Kind: schema.KindString, Length: 8, Native: "varchar(8)", Ext: schema.TypeExt{Collation: "utf8mb4_bin", Charset: "utf8mb4"}}),
		schema.Col("tags", schema.Type{Kind: schema.KindRaw, Raw: map[string]string{"postgres": "text[]"}, Native: "text[]", Ext: schema.TypeExt{ArrayDims: 1}}).Nullable(),
		schema.Col("addr", schema.Raw(map[string]string{"postgres": "INET", "": "VARCHAR(45)"})).Nullable(),
		schema.Col("n8", schema.SmallInteger()).Default(schema.Value(int8(-3))),
		schema.Col("n64", schema.BigInteger()).Default(schema.Value(int64(1)<<40)),
		schema.Col("u16", schema.Integer()).Default(schema.Value(uint16(7))),
		schema.Col("ratio", schema.Float()).Default(schema.Value(2.0)),
		schema.Col("small", schema.Float()).Default(schema.Value(float32(0.5))),
		schema.Col("blob", schema.LargeBinary()).Nullable().Default(schema.Value([]byte{0, 'a', 0xff})),
		schema.Col("stamp", schema.DateTime(false)).Default(schema.Value(time.Date(2024, 2, 29, 12, 30, 0, 5000, time.UTC))),
		schema.Col("gone", schema.Text()).Nullable().Default(schema.Value(nil)),
		schema.Col("flag", schema.Boolean()).Default(schema.Value(true)),
	).SetPrimaryKey(schema.PrimaryKeyOn("id").Named("PRIMARY")).
		AddCheck(schema.CheckExpr("short", "length(label) < 40").Named("gadget_label_check")).
		AddCheck(schema.Check{Expr: "n8 <> 0"}).
		Index(schema.Index{Name: "ix_gadget_tags", Parts: []schema.IndexPart{{Column: "tags"}}, Method: "gin"}).
		Index(schema.IndexOn().Also(schema.IndexPart{Column: "label", Desc: true}).Named("ix_gadget_label_desc"))
	t.Ext = schema.TableExt{Engine: "InnoDB", Collation: "utf8mb4_bin"}
	return &schema.Schema{Name: "shop", Tables: []*schema.Table{t.InSchema("shop")}}
}
