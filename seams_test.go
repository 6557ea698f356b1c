package retort_test

import (
	"context"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/internal/dbtest"
)

var seamRevisions = fstest.MapFS{
	"0001_a.sql": {Data: []byte("-- revision: a\n-- down_revision:\n\n-- +upgrade\nCREATE TABLE a (id INTEGER);\n\n-- +downgrade\nDROP TABLE a;\n")},
}

// TestProject_InSchema checks that the copy has its tables in the schema
// and the original is unchanged.
func TestProject_InSchema(t *testing.T) {
	p, err := retort.LoadProject(postgres.New(), seamRevisions, retort.WithVersionTable("v"))
	if err != nil {
		t.Fatal(err)
	}
	c := p.InSchema("tenant_a")
	if got := c.VersionTable(); got.Schema != "tenant_a" || got.Name != "v" {
		t.Errorf("copy's version table %+v", got)
	}
	if got := c.HistoryTable(); got.Schema != "tenant_a" {
		t.Errorf("copy's history table %+v", got)
	}
	if got := c.LockTable(); got.Schema != "tenant_a" {
		t.Errorf("copy's lock table %+v", got)
	}
	if p.VersionTable().Schema != "" || p.HistoryTable().Schema != "" {
		t.Errorf("the original changed: %+v %+v", p.VersionTable(), p.HistoryTable())
	}
}

// TestProject_Observed checks that each copy reports its steps to its own
// observer after the project's, and the original to its own only.
func TestProject_Observed(t *testing.T) {
	var seen []string
	p, err := retort.LoadProject(sqlite.New(), seamRevisions, retort.WithStepObserver(func(s retort.StepResult) { seen = append(seen, "project "+s.Revision) }))
	if err != nil {
		t.Fatal(err)
	}
	one := p.Observed(func(s retort.StepResult) { seen = append(seen, "one "+s.Revision) })
	two := p.Observed(func(s retort.StepResult) { seen = append(seen, "two "+s.Revision) })
	ctx := context.Background()
	for _, proj := range []*retort.Project{one, two, p} {
		if _, err := proj.Bind(dbtest.SQLite(t).SQL).Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"project a", "one a", "project a", "two a", "project a"}
	if !slices.Equal(seen, want) {
		t.Errorf("observed %v, want %v", seen, want)
	}
}
