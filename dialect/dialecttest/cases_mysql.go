package dialecttest

import (
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// MySQLCases are cases for the mysql dialect only, to be appended to
// Cases. comments_mysql replaces "comments" there: MySQL changes a column
// comment only by restating the whole column, which op.SetColumnComment
// cannot carry offline, so the column comment goes through AlterColumn
// with Existing.
func MySQLCases() []Case {
	base := []op.Op{op.CreateTable{Table: Org()}, op.CreateTable{Table: Account()}}
	acc := tn("account")
	email := col(Account(), "email")
	return []Case{
		{
			Name:     "comments_mysql",
			Dialects: []string{"mysql"},
			Setup:    base,
			Ops: []op.Op{
				op.SetTableComment{Table: acc, Comment: "who logs in; it's here", Existing: ptr("")},
				op.AlterColumn{Table: acc, Column: "email", Comment: ptr("may be empty"), Existing: email},
			},
			Teardown: []op.Op{
				op.AlterColumn{Table: acc, Column: "email", Comment: ptr(""), Existing: ptr(email.WithComment("may be empty"))},
				op.SetTableComment{Table: acc, Comment: "", Existing: ptr("who logs in; it's here")},
			},
		},
		{
			Name:     "defaults_mysql",
			Dialects: []string{"mysql"},
			Setup:    base,
			Ops: []op.Op{
				op.AddColumn{Table: acc, Column: schema.Col("note", schema.Text()).Default(schema.Value("it's"))},
				op.AddColumn{Table: acc, Column: schema.Col("doc", schema.JSON()).Default(schema.Value("{}"))},
				op.AddColumn{Table: acc, Column: schema.Col("seen", schema.DateTime(true)).Default(schema.Expr("now()"))},
				op.AddColumn{Table: acc, Column: schema.Col("token", schema.UUID()).Default(schema.Expr("uuid()"))},
			},
			Teardown: []op.Op{
				op.DropColumn{Table: acc, Column: "token"},
				op.DropColumn{Table: acc, Column: "seen"},
				op.DropColumn{Table: acc, Column: "doc"},
				op.DropColumn{Table: acc, Column: "note"},
			},
		},
	}
}
