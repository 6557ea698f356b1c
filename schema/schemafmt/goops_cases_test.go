package schemafmt_test

import (
	"time"

	"github.com/retortdb/retort/diff"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/schema/schemafmt"
)

// opsCase is a list of operations GoOps is tested on: one function of
// the generated package internal/genops/<pkg>.
type opsCase struct {
	pkg, fn string
	ops     []op.Op
	opts    schemafmt.GoOpsOptions
}

// kindCases have every kind of operation GoOps writes, each with the
// variants that choose between a recorder method and a literal.
func kindCases() []opsCase {
	tn := func(name string) op.TableName { return op.TableName{Name: name} }
	shop := func(name string) op.TableName { return op.TableName{Schema: "shop", Name: name} }
	account := schema.NewTable("account",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("org_id", schema.BigInteger()),
		schema.Col("email", schema.String(255)).Nullable().WithComment("login"),
	).PrimaryKey("id").
		Unique("email").
		ForeignKey(schema.FK("org_id").References("org", "id").DeleteRule(schema.Cascade)).
		Check("email_at", "email LIKE '%@%'").
		Index(schema.IndexOn("org_id")).
		WithComment("who logs in")
	gadget := schema.NewTable("gadget", schema.Col("id", schema.Integer())).InSchema("shop")
	gadget.Ext = schema.TableExt{Engine: "InnoDB"}
	email := schema.Col("email", schema.String(255)).Nullable()
	varchar := func(n int, native string) schema.Type { t := schema.String(n); t.Native = native; return t }

	k := func(fn string, ops ...op.Op) opsCase { return opsCase{pkg: "kinds", fn: fn, ops: ops} }
	cases := []opsCase{
		k("CreateTable",
			op.CreateTable{Table: account},
			op.CreateTable{Table: gadget},
			op.CreateTable{Table: schema.NewTable("empty")}),
		k("DropTable",
			op.DropTable{Table: tn("old")},
			op.DropTable{Table: shop("old")},
			op.DropTable{Table: tn("account"), Def: account},
			op.DropTable{Table: shop("gadget"), Def: gadget}),
		k("RenameTable",
			op.RenameTable{Table: tn("acct"), NewName: "account"},
			op.RenameTable{Table: shop("gizmo"), NewName: "gadget"}),
		k("AddColumn",
			op.AddColumn{Table: tn("account"), Column: email},
			op.AddColumn{Table: shop("gadget"), Column: schema.Col("made", schema.DateTime(true)).Default(schema.Value(time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)))},
			op.AddColumn{Table: tn("account"), Column: schema.Col("blob", schema.LargeBinary()).Nullable().Default(schema.Value([]byte(nil)))}),
		k("DropColumn",
			op.DropColumn{Table: tn("account"), Column: "email"},
			op.DropColumn{Table: shop("gadget"), Column: "email", Def: &email}),
		k("AlterColumn",
			op.AlterColumn{Table: tn("account"), Column: "email", Type: op.Ptr(schema.Text()), Null: op.Ptr(false),
				Default: op.Ptr(schema.Value("")), Comment: op.Ptr("login name"), Existing: &email},
			op.AlterColumn{Table: shop("gadget"), Column: "name", NewName: "title"},
			op.AlterColumn{Table: tn("account"), Column: "email", Default: op.Ptr(schema.Default{}), Comment: op.Ptr("")},
			op.AlterColumn{Table: tn("account"), Column: "org_id", Default: op.Ptr(schema.Expr("0")), Null: op.Ptr(true)}),
		k("CreateIndex",
			op.CreateIndex{Table: tn("account"), Index: schema.IndexOn("org_id", "email").AsUnique().Named("ix_account_org_email")},
			op.CreateIndex{Table: shop("gadget"), Index: schema.IndexExpr("lower(name)").Partial("name IS NOT NULL")},
			op.CreateIndex{Table: tn("account"), Index: schema.IndexOn("email"), Concurrently: true},
			op.CreateIndex{Table: tn("doc"), Index: schema.Index{Name: "ix_doc_tags", Parts: []schema.IndexPart{{Column: "tags"}}, Method: "gin"}}),
		k("DropIndex",
			op.DropIndex{Table: tn("account"), Index: schema.Index{Name: "ix_account_email"}},
			op.DropIndex{Table: tn("account"), Index: schema.IndexOn("email").Named("ix_account_email"), Concurrently: true},
			op.DropIndex{Table: shop("gadget"), Index: schema.IndexOn("a").Also(schema.IndexPart{Column: "b", Desc: true})}),
		k("PrimaryKey",
			op.DropPrimaryKey{Table: tn("account"), PrimaryKey: schema.PrimaryKeyOn("id")},
			op.CreatePrimaryKey{Table: tn("account"), PrimaryKey: schema.PrimaryKeyOn("org_id", "id").Named("pk_account")}),
		k("Unique",
			op.CreateUnique{Table: tn("account"), Unique: schema.UniqueOn("email")},
			op.DropUnique{Table: shop("gadget"), Unique: schema.UniqueOn("sku", "maker").Named("uq_gadget_sku")}),
		k("ForeignKey",
			op.CreateForeignKey{Table: tn("account"), ForeignKey: schema.FK("org_id").References("org", "id").DeleteRule(schema.SetNull).UpdateRule(schema.Cascade)},
			op.DropForeignKey{Table: shop("gadget"), ForeignKey: schema.FK("maker_id").ReferencesIn("public", "maker").Named("fk_gadget_maker")}),
		k("Check",
			op.CreateCheck{Table: tn("account"), Check: schema.CheckExpr("positive", "id > 0")},
			op.CreateCheck{Table: tn("account"), Check: schema.CheckExpr("email", `"email" <> ''`).Named("ck_email")},
			op.DropCheck{Table: tn("account"), Check: schema.Check{Name: "account_id_check", Expr: "id > 0"}},
			op.DropCheck{Table: tn("account"), Check: schema.Check{Expr: "id <> 0"}}),
		k("Comment",
			op.SetTableComment{Table: tn("account"), Comment: "who logs in", Existing: op.Ptr("")},
			op.SetTableComment{Table: shop("gadget"), Comment: ""},
			op.SetColumnComment{Table: tn("account"), Column: "email", Comment: "login", Existing: op.Ptr("the address")}),
		k("Enum",
			op.CreateEnum{Enum: schema.EnumType{Name: "mood", Values: []string{"sad", "ok"}}},
			op.AddEnumValue{Enum: schema.EnumType{Name: "mood"}, Value: "happy", After: "ok"},
			op.AddEnumValue{Enum: schema.EnumType{Name: "mood"}, Value: "meh", Before: "ok"},
			op.DropEnum{Enum: schema.EnumType{Schema: "shop", Name: "size"}}),
		k("Execute",
			op.Execute{SQL: "UPDATE account SET email = lower(email)"},
			op.Execute{SQL: "UPDATE account\nSET \"email\" = NULL\nWHERE email = ''"},
			op.Execute{SQL: "INSERT INTO org (id, name, since, ratio, big) VALUES (?, ?, ?, ?, ?)",
				Args: []any{1, "it's", time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), 0.5, int64(1) << 40}},
			op.Execute{SQL: "VACUUM", Dialects: []string{"sqlite"}},
			op.Execute{SQL: "SELECT 1", Dialects: []string{"postgres", "mysql"}},
			op.Execute{SQL: "SELECT ?", Args: []any{[]byte("x")}, Dialects: []string{"mysql"}}),
		{pkg: "kinds", fn: "Native", opts: schemafmt.GoOpsOptions{Native: true}, ops: []op.Op{
			op.AlterColumn{Table: tn("account"), Column: "email", Type: op.Ptr(varchar(320, "character varying(320)")),
				Existing: op.Ptr(schema.Col("email", varchar(255, "character varying(255)")))},
			op.AddColumn{Table: tn("account"), Column: schema.Col("note", schema.Text())},
		}},
	}
	return cases
}

// pairCases are upgrades and downgrades as diff.Compare plans them
// between two versions of a schema: Upgrade and Downgrade functions of
// the package internal/genops/<pkg>.
func pairCases() ([]opsCase, error) {
	pairs := []struct {
		pkg      string
		from, to *schema.Schema
	}{
		{"store", storeSchema(), storeSchemaV2()},
		{"cycle", &schema.Schema{}, cycleSchema()},
		{"pgenum", enumSchema(), enumSchemaV2()},
	}
	var out []opsCase
	for _, p := range pairs {
		r, err := diff.Compare(p.from, p.to, diff.Options{})
		if err != nil {
			return nil, err
		}
		out = append(out,
			opsCase{pkg: p.pkg, fn: "Upgrade", ops: r.Upgrade},
			opsCase{pkg: p.pkg, fn: "Downgrade", ops: r.Downgrade})
	}
	return out, nil
}

// storeSchemaV2 is storeSchema a release later: a table gone, one new,
// columns added, dropped and changed, keys, checks, indexes and comments
// changed.
func storeSchemaV2() *schema.Schema {
	s := storeSchema()
	orders, _ := s.Table("orders")
	product, _ := s.Table("product")
	customer := schema.NewTable("customer",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("email", schema.String(320)).WithComment("where receipts and news go"),
		schema.Col("name", schema.String(100)),
		schema.Col("vip", schema.Boolean()).Default(schema.Value(false)),
		schema.Col("created_at", schema.DateTime(true)).Default(schema.Expr("CURRENT_TIMESTAMP")),
		schema.Col("country", schema.String(2)).Nullable().Default(schema.Value("NL")),
	).PrimaryKey("id").
		AddUnique(schema.UniqueOn("email").Named("uq_customer_email")).
		Index(schema.IndexOn("country", "name").Named("ix_customer_country_name")).
		WithComment("people who buy things")
	orders = orders.AddColumns(schema.Col("shipped_at", schema.DateTime(false)).Nullable())
	orders.Checks = []schema.Check{{Name: "ck_orders_status", Expr: "status IN ('new', 'paid', 'sent', 'returned')"}}
	product = product.Clone()
	product.Columns = product.Columns[:len(product.Columns)-1]
	product.Columns = append(product.Columns, schema.Col("weight_g", schema.Integer()).Nullable())
	product.Checks = []schema.Check{schema.CheckExpr("weight_positive", "weight_g > 0")}
	review := schema.NewTable("review",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("product_id", schema.Integer()),
		schema.Col("customer_id", schema.BigInteger()),
		schema.Col("stars", schema.SmallInteger()),
		schema.Col("body", schema.Text()).Nullable(),
	).PrimaryKey("id").
		ForeignKey(schema.FK("product_id").References("product", "id").DeleteRule(schema.Cascade)).
		ForeignKey(schema.FK("customer_id").References("customer", "id")).
		Check("stars", "stars BETWEEN 1 AND 5").
		Index(schema.IndexOn("product_id").Also(schema.IndexPart{Column: "stars", Desc: true}))
	// order_line is gone: orders keep their total instead.
	orders = orders.AddColumns(schema.Col("total", schema.Numeric(12, 2)).Default(schema.Value("0.00")))
	return &schema.Schema{Tables: []*schema.Table{customer, orders, product, review}}
}

// enumSchemaV2 is enumSchema with a value added to mood, a new enum
// type and column, and an index changed.
func enumSchemaV2() *schema.Schema {
	return &schema.Schema{
		Name: "public",
		Enums: []schema.EnumType{
			{Name: "mood", Values: []string{"sad", "ok", "fine", "happy"}},
			{Name: "colour", Values: []string{"red", "green"}},
		},
		Tables: []*schema.Table{
			schema.NewTable("person",
				schema.Col("id", schema.Integer()),
				schema.Col("mood", schema.Enum("mood", "sad", "ok", "fine", "happy")).Default(schema.Value("ok")),
				schema.Col("size", schema.Enum("shirt_size", "s", "m", "l")).Nullable(),
				schema.Col("nick", schema.String(30)),
				schema.Col("colour", schema.Enum("colour", "red", "green")).Nullable(),
			).PrimaryKey("id").
				Index(schema.IndexExpr("lower(nick)").Named("ix_person_lower_nick")).
				Index(schema.IndexOn("size").Partial("size IS NOT NULL AND size <> 'l'").Named("ix_person_sized")),
		},
	}
}
