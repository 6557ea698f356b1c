package retort_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"strings"
	"testing/fstest"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver: the program registers it, not retort

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect/sqlite"
)

// exampleRevisions are two revision files. A program would embed its
// migrations folder instead:
//
//	//go:embed migrations/*.sql
//	var files embed.FS
//	migrations, _ := fs.Sub(files, "migrations")
var exampleRevisions = fstest.MapFS{
	"0001_create_account.sql": {Data: []byte(`-- revision: 1a2b3c4d5e6f
-- down_revision:
-- message: create account table

-- +upgrade
CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);

-- +downgrade
DROP TABLE account;
`)},
	"0002_add_email.sql": {Data: []byte(`-- revision: 3f2a9c1b7d4e
-- down_revision: 1a2b3c4d5e6f
-- message: add email

-- +upgrade
ALTER TABLE account ADD COLUMN email VARCHAR(255) NULL;

-- +downgrade
ALTER TABLE account DROP COLUMN email;
`)},
}

// Example brings a database to the head revision, as a program does at
// start-up.
func Example() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one in-memory database, one connection

	p, err := retort.Open(db, sqlite.New(), exampleRevisions)
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()

	plan, err := p.PlanUpgrade(ctx, "head")
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range plan.Steps {
		fmt.Println("to run:", s.Verb(), s.Arrow())
	}
	res, err := p.Upgrade(ctx, "head")
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range res.Steps {
		fmt.Printf("applied: %s %s (%d statements, in a transaction: %t)\n", s.Direction, s.Revision, s.Statements, s.Transactional)
	}
	current, err := p.Current(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("current:", current, "heads:", p.Project().Heads())
	// Output:
	// to run: upgrade  -> 1a2b3c4d5e6f
	// to run: upgrade 1a2b3c4d5e6f -> 3f2a9c1b7d4e
	// applied: up 1a2b3c4d5e6f (1 statements, in a transaction: true)
	// applied: up 3f2a9c1b7d4e (1 statements, in a transaction: true)
	// current: [3f2a9c1b7d4e] heads: [3f2a9c1b7d4e]
}

// ExampleProject_WriteUpgradeSQL writes the upgrade script for a DBA,
// without a database: a Project needs none.
func ExampleProject_WriteUpgradeSQL() {
	p, err := retort.LoadProject(sqlite.New(), exampleRevisions)
	if err != nil {
		log.Fatal(err)
	}
	var script bytes.Buffer
	if err := p.WriteUpgradeSQL(context.Background(), &script, "1a2b3c4d5e6f:head"); err != nil {
		log.Fatal(err)
	}
	// Print the statements of the migration alone.
	sc := bufio.NewScanner(&script)
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, "-- Running") || strings.HasPrefix(l, "ALTER") {
			fmt.Println(l)
		}
	}
	// Output:
	// -- Running upgrade 1a2b3c4d5e6f -> 3f2a9c1b7d4e
	// ALTER TABLE account ADD COLUMN email VARCHAR(255) NULL;
}

// ExampleProject_Bind parses the revisions once and migrates two
// databases with them, one Provider each, as a program that serves
// several tenants does.
func ExampleProject_Bind() {
	ctx := context.Background()
	proj, err := retort.LoadProject(sqlite.New(), exampleRevisions)
	if err != nil {
		log.Fatal(err)
	}
	for _, tenant := range []string{"north", "south"} {
		db, err := sql.Open("sqlite", "file:"+tenant+"?mode=memory&cache=shared")
		if err != nil {
			log.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		res, err := proj.Bind(db).Upgrade(ctx, "head")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d steps\n", tenant, len(res.Steps))
		db.Close()
	}
	// Output:
	// north: 2 steps
	// south: 2 steps
}

// ExampleWithPreflight refuses an upgrade that would apply more than one
// revision at once, reading the database through the run's own
// connection (the only one here). Package lint/gate's Preflight lints
// the revisions the same way (retort.toml's lint_on_upgrade).
func ExampleWithPreflight() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one in-memory database, one connection

	oneAtATime := func(ctx context.Context, run *retort.PreflightRun) error {
		var tables int
		if err := run.Conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table'").Scan(&tables); err != nil {
			return err
		}
		if len(run.Steps) > 1 {
			return fmt.Errorf("%d revisions at once on a database of %d tables: upgrade one at a time", len(run.Steps), tables)
		}
		return nil
	}
	p, err := retort.Open(db, sqlite.New(), exampleRevisions, retort.WithPreflight(oneAtATime))
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()

	_, err = p.Upgrade(ctx, "head")
	var refused *retort.PreflightError
	fmt.Println(errors.As(err, &refused), err)
	if _, err := p.Upgrade(ctx, "1a2b3c4d5e6f"); err != nil {
		log.Fatal(err)
	}
	if _, err := p.Upgrade(ctx, "head"); err != nil {
		log.Fatal(err)
	}
	current, err := p.Current(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("at", current)
	// Output:
	// true 2 revisions at once on a database of 0 tables: upgrade one at a time
	// at [3f2a9c1b7d4e]
}
