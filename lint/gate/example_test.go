package gate_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/lint"
	"github.com/retortdb/retort/lint/gate"
)

// A program that embeds retort lints each upgrade before it runs, as
// lint_on_upgrade = true makes retort upgrade do: the drop of 0003 is
// refused, and the database stays at 0002.
func ExamplePreflight() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "gate-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", filepath.Join(dir, "app.db"))
	if err != nil {
		panic(err)
	}
	d, err := dburl.Dialect("sqlite://")
	if err != nil {
		panic(err)
	}
	check := gate.Preflight(gate.Options{
		// lock_timeout and statement_timeout set in retort.toml.
		Settings: lint.Settings{LockTimeout: true, StatementTimeout: true},
		Report: func(_ context.Context, res *lint.Result) error {
			for _, f := range res.Findings {
				fmt.Printf("%s:%d: %s %s\n", f.File, f.Line, f.Severity, f.Code)
			}
			return nil
		},
	})
	p, err := retort.Open(db, d, revisions(), retort.WithPreflight(check), retort.WithCloseDB(true))
	if err != nil {
		panic(err)
	}
	defer p.Close()
	if _, err := p.Upgrade(ctx, "0002"); err != nil {
		panic(err)
	}
	_, err = p.Upgrade(ctx, "head")
	var refused *gate.Error
	fmt.Println(errors.As(err, &refused), err)
	cur, _ := p.Current(ctx)
	fmt.Println("at", cur)
	// Output:
	// 0002_backfill.sql:6: info RT506
	// 0002_backfill.sql:6: warning RT606
	// 0003_drop.sql:6: error RT101
	// true lint found 1 error, 0 warnings, 0 infos in the 1 revision to apply, so nothing was run
	// at [0002]
}
