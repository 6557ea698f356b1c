package dialecttest

import (
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// Case is a list of operations to render and execute. Setup runs first
// (online only, not part of the golden file); then Ops, rendered offline
// for the golden file and executed online; then Teardown, when set,
// which must bring the database back to the state after Setup (the
// reverse operations), and Ops once more, so that each case is also an
// upgrade/downgrade/upgrade round trip.
type Case struct {
	Name     string
	Dialects []string // the dialects the case applies to; empty means all
	Setup    []op.Op
	Ops      []op.Op
	Teardown []op.Op
}

// AppliesTo reports whether the case runs on the dialect.
func (c Case) AppliesTo(dialect string) bool {
	if len(c.Dialects) == 0 {
		return true
	}
	for _, d := range c.Dialects {
		if d == dialect {
			return true
		}
	}
	return false
}

func tn(name string) schema.TableName { return schema.TableName{Name: name} }

// Org is a parent table for foreign keys.
func Org() *schema.Table {
	return schema.NewTable("org",
		schema.Col("id", schema.BigInteger()),
		schema.Col("name", schema.String(100)),
	).PrimaryKey("id")
}

// Account is the table most cases work on: its definition after Setup.
func Account() *schema.Table {
	return schema.NewTable("account",
		schema.Col("id", schema.BigInteger()),
		schema.Col("org_id", schema.BigInteger()),
		schema.Col("email", schema.String(255)).Nullable(),
		schema.Col("score", schema.Integer()).Default(schema.Value(0)),
	).PrimaryKey("id")
}

func ptr[T any](v T) *T { return &v }

func col(t *schema.Table, name string) *schema.Column {
	c, ok := t.Column(name)
	if !ok {
		panic("dialecttest: no column " + name)
	}
	return &c
}

// Cases returns the suite.
func Cases() []Case {
	base := []op.Op{op.CreateTable{Table: Org()}, op.CreateTable{Table: Account()}}
	acc := tn("account")
	allTypes := schema.NewTable("all_types",
		schema.Col("id", schema.Integer()).Identity(),
		schema.Col("big", schema.BigInteger()),
		schema.Col("small", schema.SmallInteger()),
		schema.Col("flag", schema.Boolean()).Default(schema.Value(true)),
		schema.Col("name", schema.String(80)).Default(schema.Value("it's")),
		schema.Col("body", schema.Text()).Nullable(),
		schema.Col("price", schema.Numeric(12, 2)).Default(schema.Value("0.00")),
		schema.Col("ratio", schema.Float()).Nullable(),
		schema.Col("day", schema.Date()).Nullable(),
		schema.Col("at", schema.Time()).Nullable(),
		schema.Col("created", schema.DateTime(false)).Default(schema.Expr("CURRENT_TIMESTAMP")),
		schema.Col("created_tz", schema.DateTime(true)).Nullable(),
		schema.Col("span", schema.Interval()).Nullable(),
		schema.Col("doc", schema.JSON()).Nullable(),
		schema.Col("uid", schema.UUID()).Nullable(),
		schema.Col("blob", schema.LargeBinary()).Nullable(),
		schema.Col("mood", schema.Enum("mood", "sad", "ok", "happy")).Default(schema.Value("ok")),
		schema.Col("raw", schema.Raw(map[string]string{"postgres": "INET", "": "VARCHAR(45)"})).Nullable(),
	).PrimaryKey("id").WithComment("every type")
	mood, _ := allTypes.Columns[16].Type.EnumType()
	member := schema.NewTable("member",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("org_id", schema.BigInteger()),
		schema.Col("email", schema.String(255)).WithComment("login; unique per org"),
		schema.Col("age", schema.Integer()).Nullable(),
	).PrimaryKey("id").
		Unique("org_id", "email").
		ForeignKey(schema.FK("org_id").References("org", "id").DeleteRule(schema.Cascade).UpdateRule(schema.Restrict)).
		Check("age_positive", "age IS NULL OR age >= 0").
		Index(schema.IndexOn("email")).
		WithComment("people of an org")
	longName := "a_table_name_that_is_quite_long_indeed_for_sure"
	long := schema.NewTable(longName,
		schema.Col("id", schema.Integer()),
		schema.Col("another_rather_long_column_name_here", schema.Integer()),
	).Index(schema.IndexOn("another_rather_long_column_name_here"))
	hostile := schema.NewTable(`we"ird`+"`name",
		schema.Col(`co"l`, schema.Integer()),
		schema.Col("select", schema.String(10)).Nullable(),
	).Index(schema.IndexOn("select"))

	return append([]Case{
		{
			Name:     "create_table_all_types",
			Dialects: []string{"sqlite", "mysql"},
			Ops:      []op.Op{op.CreateTable{Table: allTypes}},
			Teardown: []op.Op{op.DropTable{Table: tn("all_types"), Def: allTypes}},
		},
		{
			Name:     "create_table_all_types_postgres",
			Dialects: []string{"postgres"},
			Ops:      []op.Op{op.CreateEnum{Enum: mood}, op.CreateTable{Table: allTypes}},
			Teardown: []op.Op{op.DropTable{Table: tn("all_types"), Def: allTypes}, op.DropEnum{Enum: mood}},
		},
		{
			Name:     "create_table_constraints",
			Setup:    []op.Op{op.CreateTable{Table: Org()}},
			Ops:      []op.Op{op.CreateTable{Table: member}},
			Teardown: []op.Op{op.DropTable{Table: tn("member"), Def: member}},
		},
		{
			Name:     "create_table_long_names",
			Ops:      []op.Op{op.CreateTable{Table: long}},
			Teardown: []op.Op{op.DropTable{Table: tn(longName), Def: long}},
		},
		{
			Name:     "create_table_hostile_names",
			Ops:      []op.Op{op.CreateTable{Table: hostile}},
			Teardown: []op.Op{op.DropTable{Table: hostile.TableName(), Def: hostile}},
		},
		{
			Name:     "rename_table",
			Setup:    base,
			Ops:      []op.Op{op.RenameTable{Table: acc, NewName: "customer"}},
			Teardown: []op.Op{op.RenameTable{Table: tn("customer"), NewName: "account"}},
		},
		{
			Name:  "add_drop_column",
			Setup: base,
			Ops: []op.Op{
				op.AddColumn{Table: acc, Column: schema.Col("nick", schema.String(40)).Nullable()},
				op.AddColumn{Table: acc, Column: schema.Col("active", schema.Boolean()).Default(schema.Value(false))},
				op.AddColumn{Table: acc, Column: schema.Col("note", schema.Text()).Nullable().WithComment("free text")},
			},
			Teardown: []op.Op{
				op.DropColumn{Table: acc, Column: "note"},
				op.DropColumn{Table: acc, Column: "active"},
				op.DropColumn{Table: acc, Column: "nick"},
			},
		},
		{
			Name:     "alter_column_type",
			Dialects: []string{"postgres", "mysql"},
			Setup:    base,
			Ops:      []op.Op{op.AlterColumn{Table: acc, Column: "score", Type: ptr(schema.BigInteger()), Existing: col(Account(), "score")}},
			Teardown: []op.Op{op.AlterColumn{Table: acc, Column: "score", Type: ptr(schema.Integer()), Existing: ptr(col(Account(), "score").NotNull())}},
		},
		{
			Name:     "alter_column_nullability",
			Dialects: []string{"postgres", "mysql"},
			Setup:    base,
			Ops:      []op.Op{op.AlterColumn{Table: acc, Column: "email", Null: ptr(false), Existing: col(Account(), "email")}},
			Teardown: []op.Op{op.AlterColumn{Table: acc, Column: "email", Null: ptr(true), Existing: ptr(col(Account(), "email").NotNull())}},
		},
		{
			Name:     "alter_column_default",
			Dialects: []string{"postgres", "mysql"},
			Setup:    base,
			Ops: []op.Op{
				op.AlterColumn{Table: acc, Column: "score", Default: ptr(schema.Value(10)), Existing: col(Account(), "score")},
				op.AlterColumn{Table: acc, Column: "email", Default: ptr(schema.Value("n/a")), Existing: col(Account(), "email")},
			},
			Teardown: []op.Op{
				op.AlterColumn{Table: acc, Column: "email", Default: ptr(schema.Default{}), Existing: ptr(col(Account(), "email").Default(schema.Value("n/a")))},
				op.AlterColumn{Table: acc, Column: "score", Default: ptr(schema.Value(0)), Existing: ptr(col(Account(), "score").Default(schema.Value(10)))},
			},
		},
		{
			Name:     "alter_column_rename",
			Setup:    base,
			Ops:      []op.Op{op.AlterColumn{Table: acc, Column: "email", NewName: "mail", Existing: col(Account(), "email")}},
			Teardown: []op.Op{op.AlterColumn{Table: acc, Column: "mail", NewName: "email", Existing: ptr(func() schema.Column { c := *col(Account(), "email"); c.Name = "mail"; return c }())}},
		},
		{
			Name:     "alter_column_without_existing_online",
			Dialects: []string{"mysql"},
			Setup:    base,
			Ops:      []op.Op{op.AlterColumn{Table: acc, Column: "email", Type: ptr(schema.String(320)), Existing: col(Account(), "email")}},
			Teardown: []op.Op{op.AlterColumn{Table: acc, Column: "email", Type: ptr(schema.String(255))}},
		},
		{
			Name:  "indexes",
			Setup: base,
			Ops: []op.Op{
				op.CreateIndex{Table: acc, Index: schema.IndexOn("org_id", "email")},
				op.CreateIndex{Table: acc, Index: schema.IndexOn("email").AsUnique().Named("account_email_key")},
				op.CreateIndex{Table: acc, Index: schema.IndexOn("score").Also(schema.IndexPart{Column: "id", Desc: true})},
			},
			Teardown: []op.Op{
				op.DropIndex{Table: acc, Index: schema.IndexOn("score").Also(schema.IndexPart{Column: "id", Desc: true})},
				op.DropIndex{Table: acc, Index: schema.IndexOn("email").AsUnique().Named("account_email_key")},
				op.DropIndex{Table: acc, Index: schema.IndexOn("org_id", "email")},
			},
		},
		{
			Name:     "indexes_partial_expression",
			Dialects: []string{"sqlite", "postgres"},
			Setup:    base,
			Ops: []op.Op{
				op.CreateIndex{Table: acc, Index: schema.IndexOn("email").Partial("email IS NOT NULL")},
				op.CreateIndex{Table: acc, Index: schema.IndexExpr("lower(email)").AsUnique()},
			},
			Teardown: []op.Op{
				op.DropIndex{Table: acc, Index: schema.IndexExpr("lower(email)").AsUnique()},
				op.DropIndex{Table: acc, Index: schema.IndexOn("email").Partial("email IS NOT NULL")},
			},
		},
		{
			Name:     "index_concurrently",
			Dialects: []string{"postgres"},
			Setup:    base,
			Ops:      []op.Op{op.CreateIndex{Table: acc, Index: schema.IndexOn("email"), Concurrently: true}},
			Teardown: []op.Op{op.DropIndex{Table: acc, Index: schema.IndexOn("email"), Concurrently: true}},
		},
		{
			Name:     "constraints",
			Dialects: []string{"postgres", "mysql"},
			Setup:    base,
			Ops: []op.Op{
				op.CreateUnique{Table: acc, Unique: schema.UniqueOn("email")},
				op.CreateForeignKey{Table: acc, ForeignKey: schema.FK("org_id").References("org", "id").DeleteRule(schema.Cascade)},
				op.CreateCheck{Table: acc, Check: schema.CheckExpr("score_nonneg", "score >= 0")},
			},
			Teardown: []op.Op{
				op.DropCheck{Table: acc, Check: schema.CheckExpr("score_nonneg", "score >= 0")},
				op.DropForeignKey{Table: acc, ForeignKey: schema.FK("org_id").References("org", "id").DeleteRule(schema.Cascade)},
				op.DropUnique{Table: acc, Unique: schema.UniqueOn("email")},
			},
		},
		{
			Name:     "primary_key",
			Dialects: []string{"postgres", "mysql"},
			Setup: []op.Op{op.CreateTable{Table: schema.NewTable("tag",
				schema.Col("name", schema.String(50)), schema.Col("kind", schema.String(20)))}},
			Ops:      []op.Op{op.CreatePrimaryKey{Table: tn("tag"), PrimaryKey: schema.PrimaryKeyOn("name", "kind")}},
			Teardown: []op.Op{op.DropPrimaryKey{Table: tn("tag"), PrimaryKey: schema.PrimaryKeyOn("name", "kind")}},
		},
		{
			Name:     "comments",
			Dialects: []string{"postgres"}, // mysql: comments_mysql
			Setup:    base,
			Ops: []op.Op{
				op.SetTableComment{Table: acc, Comment: "who logs in; it's here", Existing: ptr("")},
				op.SetColumnComment{Table: acc, Column: "email", Comment: "may be empty", Existing: ptr("")},
			},
			Teardown: []op.Op{
				op.SetColumnComment{Table: acc, Column: "email", Comment: "", Existing: ptr("may be empty")},
				op.SetTableComment{Table: acc, Comment: "", Existing: ptr("who logs in; it's here")},
			},
		},
		{
			Name:     "enum_values",
			Dialects: []string{"postgres"},
			Setup:    []op.Op{op.CreateEnum{Enum: schema.EnumType{Name: "status", Values: []string{"new", "done"}}}},
			Ops: []op.Op{
				op.AddEnumValue{Enum: schema.EnumType{Name: "status"}, Value: "doing", Before: "done"},
				op.AddEnumValue{Enum: schema.EnumType{Name: "status"}, Value: "won't do"},
			},
		},
		{
			Name:     "schema_qualified",
			Dialects: []string{"postgres"},
			Setup:    []op.Op{op.Execute{SQL: "CREATE SCHEMA billing"}},
			Ops: []op.Op{
				op.CreateTable{Table: schema.NewTable("invoice",
					schema.Col("id", schema.BigInteger()).Identity(),
					schema.Col("total", schema.Numeric(10, 2)),
				).InSchema("billing").PrimaryKey("id").Index(schema.IndexOn("total"))},
				op.AddColumn{Table: schema.TableName{Schema: "billing", Name: "invoice"}, Column: schema.Col("paid", schema.Boolean()).Default(schema.Value(false))},
			},
			Teardown: []op.Op{op.DropTable{Table: schema.TableName{Schema: "billing", Name: "invoice"}}},
		},
		{
			// The teardown restores the table exactly: score is the last
			// column, so adding it back puts it where it was.
			Name:  "batch_alter",
			Setup: append(base, op.CreateIndex{Table: acc, Index: schema.IndexOn("org_id")}),
			Ops: []op.Op{op.Batch{Table: acc, CopyFrom: Account().Index(schema.IndexOn("org_id")), Ops: []op.Op{
				op.AlterColumn{Table: acc, Column: "email", Type: ptr(schema.String(320)), Null: ptr(false), Existing: col(Account(), "email")},
				op.DropColumn{Table: acc, Column: "score", Def: col(Account(), "score")},
				op.CreateCheck{Table: acc, Check: schema.CheckExpr("email_at", "email LIKE '%@%'")},
			}}},
			Teardown: []op.Op{op.Batch{Table: acc, Ops: []op.Op{
				op.DropCheck{Table: acc, Check: schema.CheckExpr("email_at", "email LIKE '%@%'")},
				op.AddColumn{Table: acc, Column: *col(Account(), "score")},
				op.AlterColumn{Table: acc, Column: "email", Type: ptr(schema.String(255)), Null: ptr(true),
					Existing: ptr(schema.Col("email", schema.String(320)))},
			}}},
		},
		{
			// On SQLite a move and copy that leaves the table with foreign
			// keys checks them after the copy (PRAGMA foreign_key_check).
			Name:     "batch_foreign_key",
			Dialects: []string{"sqlite"},
			Setup:    base,
			Ops: []op.Op{op.Batch{Table: acc, CopyFrom: Account(), Ops: []op.Op{
				op.CreateForeignKey{Table: acc, ForeignKey: schema.FK("org_id").References("org", "id").DeleteRule(schema.Cascade)},
			}}},
			Teardown: []op.Op{op.Batch{Table: acc, Ops: []op.Op{
				op.DropForeignKey{Table: acc, ForeignKey: schema.FK("org_id").References("org", "id").DeleteRule(schema.Cascade)},
			}}},
		},
		{
			Name:     "execute",
			Setup:    base,
			Ops:      []op.Op{op.Execute{SQL: "UPDATE account SET score = score + 1"}},
			Teardown: []op.Op{op.Execute{SQL: "UPDATE account SET score = score - 1"}},
		},
	}, MySQLCases()...)
}
