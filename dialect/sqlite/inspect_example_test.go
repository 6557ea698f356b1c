package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/schema"

	_ "modernc.org/sqlite"
)

// Inspect a database and ask whether it holds what a schema declares:
// both sides go through the dialect's normal form, then Equal.
func ExampleDialect_Inspect() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one in-memory database
	if _, err := db.ExecContext(ctx, `CREATE TABLE account (
		id integer PRIMARY KEY,
		email varchar(255) DEFAULT 'n/a',
		CONSTRAINT uq_account_email UNIQUE (email)
	)`); err != nil {
		panic(err)
	}

	d := sqlite.New()
	live, err := d.Inspect(ctx, db, dialect.InspectOptions{})
	if err != nil {
		panic(err)
	}
	email := live.Tables[0].Columns[1]
	fmt.Println(email.Type.Native, email.Type, email.Def)

	declared := &schema.Schema{Tables: []*schema.Table{
		schema.NewTable("account",
			schema.Col("id", schema.BigInteger()).Identity(),
			schema.Col("email", schema.String(255)).Nullable().Default(schema.Value("n/a")),
		).PrimaryKey("id").Unique("email"),
	}}
	n := schema.DefaultNaming()
	a, err := dialect.NormalizeSchema(d, live, n)
	if err != nil {
		panic(err)
	}
	b, err := dialect.NormalizeSchema(d, declared, n)
	if err != nil {
		panic(err)
	}
	fmt.Println("same:", a.Equal(b))
	// Output:
	// varchar(255) String(255) expr 'n/a'
	// same: true
}
