package diff_test

import (
	"fmt"

	"github.com/retortdb/retort/diff"
	"github.com/retortdb/retort/schema"
)

// Compare two schemas, normalised as a dialect's Normalizer would leave
// them (every constraint named), and print the upgrade, the downgrade
// and the notes.
func ExampleCompare() {
	account := schema.NewTable("account",
		schema.Col("id", schema.BigInteger()).Identity(),
		schema.Col("email", schema.String(255)),
	).SetPrimaryKey(schema.PrimaryKeyOn("id").Named("pk_account"))
	from := &schema.Schema{Tables: []*schema.Table{account}}
	to := &schema.Schema{Tables: []*schema.Table{
		account.AddColumns(schema.Col("name", schema.String(80))).
			Index(schema.IndexOn("email").AsUnique().Named("ix_account_email")),
		schema.NewTable("session",
			schema.Col("id", schema.BigInteger()).Identity(),
			schema.Col("account_id", schema.BigInteger()),
		).SetPrimaryKey(schema.PrimaryKeyOn("id").Named("pk_session")).
			ForeignKey(schema.FK("account_id").References("account", "id").Named("fk_session_account_id_account")),
	}}
	res, err := diff.Compare(from, to, diff.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range res.Upgrade {
		fmt.Println("up:  ", o)
	}
	for _, o := range res.Downgrade {
		fmt.Println("down:", o)
	}
	for _, n := range res.Notes {
		fmt.Println("note:", n)
	}
	// Output:
	// up:   add column account.name
	// up:   create table session
	// up:   create index ix_account_email on account
	// down: drop index ix_account_email on account
	// down: drop table session
	// down: drop column account.name
	// note: upgrade: column account.name is added NOT NULL without a default: the operation fails on a table that has rows; give it a server default, or add it nullable, fill it and then make it NOT NULL
}
