package fleet_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/fleet"
)

// A service migrates its tenants' databases at start-up: one project,
// parsed once, run over every tenant, two at a time.
func ExampleRun() {
	dir, err := os.MkdirTemp("", "fleet-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	migrations := fstest.MapFS{
		"0001_accounts.sql": {Data: []byte("-- revision: a1\n-- down_revision:\n-- message: accounts\n\n-- +upgrade\nCREATE TABLE account (id INTEGER PRIMARY KEY);\n\n-- +downgrade\nDROP TABLE account;\n")},
	}
	proj, err := retort.LoadProject(sqlite.New(), migrations)
	if err != nil {
		log.Fatal(err)
	}
	// In a service the list comes from its own catalogue of tenants, or
	// from fleet.ParseTargets or fleet.Schemas.
	var targets []fleet.Target
	for _, name := range []string{"acme", "globex", "initech"} {
		targets = append(targets, fleet.Target{Name: name, URL: "sqlite:///" + filepath.Join(dir, name+".db")})
	}
	results, err := fleet.Run(context.Background(), proj, targets, fleet.Upgrade("head"), fleet.Options{Jobs: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range results {
		fmt.Printf("%s: %s, %d step(s), now at %s\n", r.Target.Name, r.Status, len(r.Steps), strings.Join(r.To, ","))
	}
	// Output:
	// acme: done, 1 step(s), now at a1
	// globex: done, 1 step(s), now at a1
	// initech: done, 1 step(s), now at a1
}
