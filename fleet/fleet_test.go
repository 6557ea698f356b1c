package fleet_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql", for tests only
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for tests only
	_ "modernc.org/sqlite"             // database/sql driver "sqlite", for tests only

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/fleet"
	"github.com/retortdb/retort/internal/dbtest"
)

// revisions are three revisions that run on every dialect. r2's unique
// index fails on a tenant whose item rows repeat a code: the failure
// injected in one tenant's data.
var revisions = fstest.MapFS{
	"0001_r1.sql": {Data: []byte("-- revision: r1\n-- down_revision:\n-- message: items\n\n-- +upgrade\nCREATE TABLE item (code VARCHAR(20) NOT NULL, qty INTEGER NOT NULL);\n\n-- +downgrade\nDROP TABLE item;\n")},
	"0002_r2.sql": {Data: []byte("-- revision: r2\n-- down_revision: r1\n-- message: unique codes\n\n-- +upgrade\nCREATE UNIQUE INDEX ux_item_code ON item (code);\n\n-- +downgrade\nDROP INDEX ux_item_code ON item;\n")},
	"0003_r3.sql": {Data: []byte("-- revision: r3\n-- down_revision: r2\n-- message: notes\n\n-- +upgrade\nCREATE TABLE note (id INTEGER NOT NULL);\n\n-- +downgrade\nDROP TABLE note;\n")},
}

func project(t *testing.T, d dialect.Dialect) *retort.Project {
	t.Helper()
	p, err := retort.LoadProject(d, revisions)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// tenantFleet is a seeded fleet of one dialect.
type tenantFleet struct {
	proj    *retort.Project
	targets []fleet.Target
	// exec runs a statement on a tenant's database; table qualifies a
	// table name with the tenant's schema where it has one.
	exec  func(t *testing.T, tg fleet.Target, q string)
	table func(tg fleet.Target, name string) string
}

func sqliteFleet(t *testing.T, n int) *tenantFleet {
	dir := t.TempDir()
	f := &tenantFleet{proj: project(t, sqlite.New()), table: func(_ fleet.Target, name string) string { return name }}
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("t%02d.db", i))
		f.targets = append(f.targets, fleet.Target{Name: fmt.Sprintf("t%02d", i), URL: "sqlite:///" + p})
	}
	f.exec = func(t *testing.T, tg fleet.Target, q string) {
		t.Helper()
		db, err := sql.Open("sqlite", strings.TrimPrefix(tg.URL, "sqlite:///"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %s: %v", tg.Name, q, err)
		}
	}
	return f
}

// postgresFleet is n tenant schemas of one database, and a schema that
// the pattern does not match.
func postgresFleet(t *testing.T, n int) *tenantFleet {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	for i := range n {
		if _, err := db.SQL.ExecContext(ctx, fmt.Sprintf(`CREATE SCHEMA tenant_%02d`, i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SQL.ExecContext(ctx, `CREATE SCHEMA other`); err != nil {
		t.Fatal(err)
	}
	targets, err := fleet.Schemas(ctx, db.URL, "tenant_*", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != n {
		t.Fatalf("Schemas found %d schemas, want %d", len(targets), n)
	}
	return &tenantFleet{
		proj:    project(t, postgres.New()),
		targets: targets,
		exec: func(t *testing.T, tg fleet.Target, q string) {
			t.Helper()
			if _, err := db.SQL.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %s: %v", tg.Name, q, err)
			}
		},
		table: func(tg fleet.Target, name string) string { return `"` + tg.Schema + `".` + name },
	}
}

func mysqlFleet(t *testing.T, n int) *tenantFleet {
	f := &tenantFleet{proj: project(t, mysql.New()), table: func(_ fleet.Target, name string) string { return name }}
	dbs := map[string]*sql.DB{}
	for i := range n {
		db := dbtest.MySQL(t)
		name := fmt.Sprintf("m%d", i)
		dbs[name] = db.SQL
		f.targets = append(f.targets, fleet.Target{Name: name, URL: db.URL})
	}
	f.exec = func(t *testing.T, tg fleet.Target, q string) {
		t.Helper()
		if _, err := dbs[tg.Name].Exec(q); err != nil {
			t.Fatalf("%s: %s: %v", tg.Name, q, err)
		}
	}
	return f
}

// provider binds the project to a tenant, for checking it; Close
// closes its database.
func (f *tenantFleet) provider(t *testing.T, tg fleet.Target) *retort.Provider {
	t.Helper()
	db, _, err := dburl.OpenDB(tg.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	p := f.proj
	if tg.Schema != "" {
		p = p.InSchema(tg.Schema)
	}
	prov := p.Bind(db)
	t.Cleanup(func() { db.Close() })
	return prov
}

// seedBad brings tenant i to r1 and gives it two items of one code, so
// that r2 fails there.
func (f *tenantFleet) seedBad(t *testing.T, i int) {
	t.Helper()
	res, err := fleet.Run(context.Background(), f.proj, f.targets[i:i+1], fleet.Upgrade("r1"), fleet.Options{Jobs: 1})
	if err != nil || res[0].Err != nil {
		t.Fatalf("seed %s: %v %v", f.targets[i].Name, err, res[0].Err)
	}
	f.exec(t, f.targets[i], "INSERT INTO "+f.table(f.targets[i], "item")+" (code, qty) VALUES ('a', 1), ('a', 2)")
}

// checkAtHead checks that every tenant is at r3 and that its history
// has each step up exactly once.
func (f *tenantFleet) checkAtHead(t *testing.T) {
	t.Helper()
	for _, tg := range f.targets {
		f.checkTenantAtHead(t, tg)
	}
}

// checkTenantAtHead is checkAtHead of one tenant, whose database it
// closes before it returns: a fleet of hundreds must not hold a
// connection each.
func (f *tenantFleet) checkTenantAtHead(t *testing.T, tg fleet.Target) {
	t.Helper()
	ctx := context.Background()
	p := f.provider(t, tg)
	defer p.DB().Close()
	cur, err := p.Current(ctx)
	if err != nil {
		t.Fatalf("%s: %v", tg.Name, err)
	}
	if !slices.Equal(cur, []string{"r3"}) {
		t.Errorf("%s is at %v, want [r3]", tg.Name, cur)
	}
	rows, err := p.History(ctx)
	if err != nil {
		t.Fatalf("%s: %v", tg.Name, err)
	}
	ups := map[string]int{}
	for _, r := range rows {
		if r.Direction == retort.DirectionUp && !r.Dirty {
			ups[r.Revision]++
		}
	}
	for _, rev := range []string{"r1", "r2", "r3"} {
		if ups[rev] != 1 {
			t.Errorf("%s: revision %s applied %d times, want once (history %+v)", tg.Name, rev, ups[rev], rows)
		}
	}
}

// byStatus counts results per status.
func byStatus(res []fleet.Result) map[fleet.Status]int {
	n := map[fleet.Status]int{}
	for _, r := range res {
		n[r.Status]++
	}
	return n
}

// TestRun_Dialects migrates a seeded fleet of each dialect, with a
// failure injected in one tenant: the default policy stops starting
// tenants, --keep-going migrates the others, and a rerun after the data
// is fixed finishes the failed tenant and repeats nothing.
func TestRun_Dialects(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fleet func(*testing.T, int) *tenantFleet
	}{
		{"sqlite", sqliteFleet},
		{"postgres", postgresFleet},
		{"mysql", mysqlFleet},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := fleetSizes[tc.name]
			f := tc.fleet(t, n)
			ctx := context.Background()
			bad := 2
			f.seedBad(t, bad)

			// Default policy, one at a time: the tenants after the failed
			// one are not started.
			res, err := fleet.Run(ctx, f.proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != n {
				t.Fatalf("%d results for %d targets", len(res), n)
			}
			for i, r := range res {
				var want fleet.Status
				switch {
				case i < bad:
					want = fleet.Done
				case i == bad:
					want = fleet.Failed
				default:
					want = fleet.NotStarted
				}
				if r.Status != want {
					t.Errorf("default policy: %s is %q (%v), want %q", r.Target.Name, r.Status, r.Err, want)
				}
				if r.Target != f.targets[i] {
					t.Errorf("result %d is of %s, want %s", i, r.Target.Name, f.targets[i].Name)
				}
			}
			failed := res[bad]
			if !slices.Equal(failed.From, []string{"r1"}) || !slices.Equal(failed.To, []string{"r1"}) {
				t.Errorf("failed tenant went %v -> %v, want [r1] -> [r1]", failed.From, failed.To)
			}
			if failed.Err == nil || !strings.Contains(failed.Err.Error(), "r2") {
				t.Errorf("failed tenant's error %v does not name revision r2", failed.Err)
			}
			if tc.name == "mysql" {
				// MySQL's DDL commits as it goes: the step was marked dirty.
				if failed.Dirty == nil || failed.Dirty.Revision != "r2" {
					t.Errorf("MySQL tenant failed in r2 should be reported dirty in r2, got %+v", failed.Dirty)
				}
			} else if failed.Dirty != nil {
				t.Errorf("a transactional failure is reported dirty: %+v", failed.Dirty)
			}
			if !errors.Is(res[bad+1].Err, fleet.ErrNotStarted) || !strings.Contains(res[bad+1].Err.Error(), "an earlier tenant failed") {
				t.Errorf("not started tenant's error: %v", res[bad+1].Err)
			}
			if len(res[0].Steps) != 3 || !slices.Equal(res[0].From, nil) || !slices.Equal(res[0].To, []string{"r3"}) {
				t.Errorf("first tenant: %d steps, %v -> %v; want 3 steps, [] -> [r3]", len(res[0].Steps), res[0].From, res[0].To)
			}

			// --keep-going, concurrently: every other tenant is migrated.
			var mu sync.Mutex
			maxRunning := 0
			res, err = fleet.Run(ctx, f.proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 4, KeepGoing: true, Progress: func(ev fleet.Event) {
				mu.Lock()
				defer mu.Unlock()
				maxRunning = max(maxRunning, ev.Running)
			}})
			if err != nil {
				t.Fatal(err)
			}
			if got := byStatus(res); got[fleet.Done] != n-1 || got[fleet.Failed] != 1 {
				t.Errorf("keep going: %v, want %d done and 1 failed", got, n-1)
			}
			if res[bad].Status != fleet.Failed {
				t.Errorf("keep going: %s is %q, want failed", res[bad].Target.Name, res[bad].Status)
			}
			if maxRunning > 4 {
				t.Errorf("%d tenants ran at once with Jobs 4", maxRunning)
			}

			// The operator fixes the data (and, on MySQL, resolves the
			// dirty step); the rerun finishes that tenant only.
			f.exec(t, f.targets[bad], "DELETE FROM "+f.table(f.targets[bad], "item")+" WHERE qty = 2")
			if tc.name == "mysql" {
				if err := f.provider(t, f.targets[bad]).MarkRolledBack(ctx, "r2"); err != nil {
					t.Fatal(err)
				}
			}
			res, err = fleet.Run(ctx, f.proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 4})
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range res {
				steps := 0
				if i == bad {
					steps = 2
				}
				if r.Status != fleet.Done || len(r.Steps) != steps {
					t.Errorf("rerun: %s is %q with %d steps (%v), want done with %d", r.Target.Name, r.Status, len(r.Steps), r.Err, steps)
				}
			}
			f.checkAtHead(t)
		})
	}
}

// TestRun_SchemaSearchPath checks that a schema tenant's bodies run with
// the search_path of its schema: the revisions' unqualified tables are
// created in the tenant's schema, and nothing lands in public or in the
// schema the pattern left out.
func TestRun_SchemaSearchPath(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	for _, s := range []string{"tenant_a", `tenant_"B"`, "other"} {
		if _, err := db.SQL.ExecContext(ctx, `CREATE SCHEMA `+postgres.New().QuoteIdent(s)); err != nil {
			t.Fatal(err)
		}
	}
	targets, err := fleet.Schemas(ctx, db.URL, "tenant_*", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{targets[0].Name, targets[1].Name}; len(targets) != 2 || !slices.Equal(got, []string{"tenant_\"B\"", "tenant_a"}) {
		t.Fatalf("Schemas: %+v", targets)
	}
	proj := project(t, postgres.New())
	res, err := fleet.Run(ctx, proj, targets, fleet.Upgrade("head"), fleet.Options{Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != fleet.Done {
			t.Fatalf("%s: %q %v", r.Target.Name, r.Status, r.Err)
		}
	}
	rows, err := db.SQL.QueryContext(ctx, `SELECT table_schema || '.' || table_name FROM information_schema.tables
WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	want := []string{
		`tenant_"B".item`, `tenant_"B".note`, `tenant_"B".retort_history`, `tenant_"B".retort_version`,
		"tenant_a.item", "tenant_a.note", "tenant_a.retort_history", "tenant_a.retort_version",
	}
	if !slices.Equal(got, want) {
		t.Errorf("tables:\n got %v\nwant %v", got, want)
	}
}

// TestRun_Cancel checks that a cancelled run starts no new tenant and
// says which were not started, while the running one finishes.
func TestRun_Cancel(t *testing.T) {
	f := sqliteFleet(t, 5)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	res, err := fleet.Run(ctx, f.proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 1, Progress: func(ev fleet.Event) {
		if ev.Kind == fleet.Finished && ev.Finished == 2 {
			cancel(errors.New("interrupted"))
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		want := fleet.Done
		if i >= 2 {
			want = fleet.NotStarted
		}
		if r.Status != want {
			t.Errorf("%s: %q (%v), want %q", r.Target.Name, r.Status, r.Err, want)
		}
		if want == fleet.NotStarted && !strings.Contains(fmt.Sprint(r.Err), "cancelled (interrupted)") {
			t.Errorf("%s: not started because %v", r.Target.Name, r.Err)
		}
	}
	// The rerun finishes the rest and repeats nothing.
	res, err = fleet.Run(context.Background(), f.proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		want := 0
		if i >= 2 {
			want = 3
		}
		if r.Status != fleet.Done || len(r.Steps) != want {
			t.Errorf("rerun: %s %q with %d steps, want done with %d", r.Target.Name, r.Status, len(r.Steps), want)
		}
	}
	f.checkAtHead(t)
}

// TestRun_Current reads where each tenant is and changes nothing.
func TestRun_Current(t *testing.T) {
	f := sqliteFleet(t, 3)
	ctx := context.Background()
	if _, err := fleet.Run(ctx, f.proj, f.targets[:1], fleet.Upgrade("r2"), fleet.Options{}); err != nil {
		t.Fatal(err)
	}
	res, err := fleet.Run(ctx, f.proj, f.targets, fleet.Current(), fleet.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"r2"}, nil, nil}
	for i, r := range res {
		if r.Status != fleet.Done || !slices.Equal(r.To, want[i]) || !slices.Equal(r.From, want[i]) || len(r.Steps) != 0 {
			t.Errorf("%s: %q %v -> %v (%v), want at %v", r.Target.Name, r.Status, r.From, r.To, r.Err, want[i])
		}
	}
}

// TestRun_Check checks the targets that are refused before anything runs.
func TestRun_Check(t *testing.T) {
	proj := project(t, sqlite.New())
	dir := t.TempDir()
	a := "sqlite:///" + filepath.Join(dir, "a.db")
	for _, tc := range []struct {
		name    string
		targets []fleet.Target
		want    string
	}{
		{"duplicate name", []fleet.Target{{Name: "a", URL: a}, {Name: "a", URL: a}}, `targets 1 and 2 are both named "a"`},
		{"no name", []fleet.Target{{URL: a}}, "target 1 has no name"},
		{"other dialect", []fleet.Target{{Name: "a", URL: "postgresql://u:secret@h/db"}}, "target a is a postgres database (postgresql://u:***@h/db); the project is built for sqlite"},
		{"schema off PostgreSQL", []fleet.Target{{Name: "a", URL: a, Schema: "s"}}, `names schema "s", but schemas are for PostgreSQL`},
		{"memory", []fleet.Target{{Name: "a", URL: "sqlite://"}}, "in-memory SQLite"},
		{"bad URL", []fleet.Target{{Name: "a", URL: "ftp://x"}}, `target a: database URL "ftp://x": unknown scheme`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := fleet.Run(context.Background(), proj, tc.targets, fleet.Upgrade("head"), fleet.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if res != nil {
				t.Errorf("results %+v with the error", res)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

// TestRun_Verify fails the tenants whose applied files changed.
func TestRun_Verify(t *testing.T) {
	f := sqliteFleet(t, 2)
	ctx := context.Background()
	if _, err := fleet.Run(ctx, f.proj, f.targets, fleet.Upgrade("head"), fleet.Options{}); err != nil {
		t.Fatal(err)
	}
	res, err := fleet.Run(ctx, f.proj, f.targets, fleet.Verify(), fleet.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != fleet.Done || r.Verification == nil || r.Verification.Matched != 3 {
			t.Errorf("%s: %q %v %+v", r.Target.Name, r.Status, r.Err, r.Verification)
		}
	}
	changed := fstest.MapFS{}
	for k, v := range revisions {
		changed[k] = v
	}
	changed["0003_r3.sql"] = &fstest.MapFile{Data: append([]byte(nil), append(revisions["0003_r3.sql"].Data, "-- edited\n"...)...)}
	proj, err := retort.LoadProject(sqlite.New(), changed)
	if err != nil {
		t.Fatal(err)
	}
	res, err = fleet.Run(ctx, proj, f.targets, fleet.Verify(), fleet.Options{KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		var ce *fleet.ChangedError
		if r.Status != fleet.Failed || !errors.As(r.Err, &ce) || !errors.Is(r.Err, retort.ErrChecksumMismatch) || ce.Changed[0].Revision != "r3" {
			t.Errorf("%s: %q %v", r.Target.Name, r.Status, r.Err)
		}
	}
}

// TestRun_PerServer runs the schemas of one server one at a time with
// PerServer 1, whatever Jobs allows.
func TestRun_PerServer(t *testing.T) {
	f := postgresFleet(t, 6)
	var mu sync.Mutex
	maxRunning := 0
	res, err := fleet.Run(context.Background(), f.proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 4, PerServer: 1, Progress: func(ev fleet.Event) {
		mu.Lock()
		defer mu.Unlock()
		maxRunning = max(maxRunning, ev.Running)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got := byStatus(res); got[fleet.Done] != 6 {
		t.Errorf("%v, want 6 done", got)
	}
	if maxRunning != 1 {
		t.Errorf("%d tenants of one server ran at once with PerServer 1", maxRunning)
	}
	f.checkAtHead(t)
}

// TestRun_CancelMidStatement cancels a fleet while a tenant's revision
// runs a long statement on PostgreSQL: the statement is cancelled and
// its transaction rolled back, so the tenant stays where it was; the
// tenants not started say so, and the rerun completes every tenant.
func TestRun_CancelMidStatement(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	for _, s := range []string{"tenant_a", "tenant_b", "tenant_c"} {
		if _, err := db.SQL.ExecContext(ctx, "CREATE SCHEMA "+s); err != nil {
			t.Fatal(err)
		}
	}
	targets, err := fleet.Schemas(ctx, db.URL, "tenant_*", "")
	if err != nil {
		t.Fatal(err)
	}
	slow := fstest.MapFS{
		"0001_r1.sql": revisions["0001_r1.sql"],
		"0002_s2.sql": {Data: []byte("-- revision: s2\n-- down_revision: r1\n-- message: slow\n\n-- +upgrade\nCREATE TABLE slow (id INTEGER NOT NULL);\nSELECT pg_sleep(CASE WHEN current_schema() = 'tenant_a' THEN 30 ELSE 0 END);\n\n-- +downgrade\nDROP TABLE slow;\n")},
	}
	proj, err := retort.LoadProject(postgres.New(), slow)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	res, err := fleet.Run(runCtx, proj, targets, fleet.Upgrade("head"), fleet.Options{Jobs: 1, Progress: func(ev fleet.Event) {
		if ev.Kind == fleet.Started && ev.Target.Name == "tenant_a" {
			go func() {
				// Cancel once the sleep has begun.
				for {
					var n int
					if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep%'`).Scan(&n); err != nil || n > 0 {
						cancel(errors.New("interrupted"))
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
			}()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	a := res[0]
	if a.Status != fleet.Failed || !slices.Equal(a.To, []string{"r1"}) || len(a.Steps) != 1 || a.Dirty != nil {
		t.Errorf("tenant_a: %q %v -> %v, %d steps, dirty %v (%v); want failed at r1 after 1 step, not dirty", a.Status, a.From, a.To, len(a.Steps), a.Dirty, a.Err)
	}
	var n int
	if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'tenant_a' AND table_name = 'slow'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the cancelled step's table is there (%d, %v): it was not rolled back", n, err)
	}
	for _, r := range res[1:] {
		if r.Status != fleet.NotStarted || !strings.Contains(fmt.Sprint(r.Err), "cancelled (interrupted)") {
			t.Errorf("%s: %q %v, want not started after the cancellation", r.Target.Name, r.Status, r.Err)
		}
	}
	// Without the sleep's trigger the rerun completes every tenant.
	if _, err := db.SQL.ExecContext(ctx, "ALTER SCHEMA tenant_a RENAME TO tenant_a2"); err != nil {
		t.Fatal(err)
	}
	targets, err = fleet.Schemas(ctx, db.URL, "tenant_*", "")
	if err != nil {
		t.Fatal(err)
	}
	res, err = fleet.Run(ctx, proj, targets, fleet.Upgrade("head"), fleet.Options{Jobs: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != fleet.Done || !slices.Equal(r.To, []string{"s2"}) {
			t.Errorf("rerun: %s %q -> %v (%v)", r.Target.Name, r.Status, r.To, r.Err)
		}
	}
}

// TestRun_Canary runs the canaries first: a failure among them starts no
// other tenant even with KeepGoing; when they pass, the rest follow the
// usual policy.
func TestRun_Canary(t *testing.T) {
	for _, tc := range []struct {
		name      string
		bad       int
		keepGoing bool
		want      []fleet.Status
		why       string
	}{
		{"canary fails", 1, true, []fleet.Status{fleet.Done, fleet.Failed, fleet.NotStarted, fleet.NotStarted, fleet.NotStarted}, "1 tenant of the first 2 (the canaries) failed"},
		{"canaries pass", 3, false, []fleet.Status{fleet.Done, fleet.Done, fleet.Done, fleet.Failed, fleet.NotStarted}, "an earlier tenant failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := sqliteFleet(t, 5)
			f.seedBad(t, tc.bad)
			res, err := fleet.Run(context.Background(), f.proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 1, Canary: 2, KeepGoing: tc.keepGoing})
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range res {
				if r.Status != tc.want[i] {
					t.Errorf("%s: %q (%v), want %q", r.Target.Name, r.Status, r.Err, tc.want[i])
				}
				if r.Status == fleet.NotStarted && !strings.Contains(r.Err.Error(), tc.why) {
					t.Errorf("%s not started because %v, want %q", r.Target.Name, r.Err, tc.why)
				}
			}
		})
	}
}

// TestRun_ProgressEvents checks the events of a run: each tenant
// starts, reports each step it commits, and finishes, in that order.
func TestRun_ProgressEvents(t *testing.T) {
	f := sqliteFleet(t, 3)
	var events []string
	_, err := fleet.Run(context.Background(), f.proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 2, Progress: func(ev fleet.Event) {
		switch ev.Kind {
		case fleet.Started:
			events = append(events, ev.Target.Name+" started")
		case fleet.Step:
			events = append(events, ev.Target.Name+" "+ev.Step.Revision)
		case fleet.Finished:
			events = append(events, ev.Target.Name+" "+string(ev.Result.Status))
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range f.targets {
		var mine []string
		for _, e := range events {
			if name, what, _ := strings.Cut(e, " "); name == tg.Name {
				mine = append(mine, what)
			}
		}
		if want := []string{"started", "r1", "r2", "r3", "done"}; !slices.Equal(mine, want) {
			t.Errorf("%s: events %v, want %v", tg.Name, mine, want)
		}
	}
}

// nopCloser is a buffer to write a script into.
type nopCloser struct{ *bytes.Buffer }

func (nopCloser) Close() error { return nil }

// TestRun_UpgradeSQL writes each schema tenant's script from where it is,
// which, run by hand, brings it to head with its tables in its schema.
func TestRun_UpgradeSQL(t *testing.T) {
	f := postgresFleet(t, 2)
	ctx := context.Background()
	if _, err := fleet.Run(ctx, f.proj, f.targets[1:], fleet.Upgrade("r1"), fleet.Options{}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	scripts := map[string]*bytes.Buffer{}
	res, err := fleet.Run(ctx, f.proj, f.targets, fleet.UpgradeSQL("head", func(tg fleet.Target) (io.WriteCloser, error) {
		mu.Lock()
		defer mu.Unlock()
		b := &bytes.Buffer{}
		scripts[tg.Name] = b
		return nopCloser{b}, nil
	}), fleet.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != fleet.Done || len(r.Steps) != 0 {
			t.Errorf("%s: %q %v, %d steps", r.Target.Name, r.Status, r.Err, len(r.Steps))
		}
	}
	a, b := scripts["tenant_00"].String(), scripts["tenant_01"].String()
	for _, want := range []string{`SET search_path TO "tenant_00";`, "CREATE TABLE item", `"tenant_00"."retort_version"`, "-- Running upgrade r2 -> r3"} {
		if !strings.Contains(a, want) {
			t.Errorf("tenant_00's script has no %q:\n%s", want, a)
		}
	}
	// Each revision starts in the tenant's schema, as online, whatever
	// the one before did to the search_path.
	if n := strings.Count(a, `SET LOCAL search_path TO "tenant_00";`); n != 3 {
		t.Errorf("tenant_00's script sets its search_path in %d revisions, want 3:\n%s", n, a)
	}
	if strings.Contains(b, "CREATE TABLE item") || !strings.Contains(b, "-- Running upgrade r1 -> r2") {
		t.Errorf("tenant_01's script does not start at r1:\n%s", b)
	}
	// Nothing ran: tenant_00 is still at base. The scripts, run by hand,
	// do it.
	if cur, err := f.provider(t, f.targets[0]).Current(ctx); err != nil || len(cur) != 0 {
		t.Fatalf("tenant_00 is at %v (%v) after its script was written", cur, err)
	}
	for i, s := range []string{a, b} {
		f.exec(t, f.targets[i], s)
	}
	f.checkTenantAtHead(t, f.targets[0])
	cur, err := f.provider(t, f.targets[1]).Current(ctx)
	if err != nil || !slices.Equal(cur, []string{"r3"}) {
		t.Errorf("tenant_01 after its script: %v %v", cur, err)
	}
}

// TestFreeConnections reads the free connections of both servers: more
// than none, fewer than the server's limit.
func TestFreeConnections(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		db    *dbtest.DB
		limit string
	}{
		{dbtest.Postgres(t), "SELECT current_setting('max_connections')::int"},
		{dbtest.MySQL(t), "SELECT @@max_connections"},
	} {
		t.Run(tc.db.Dialect, func(t *testing.T) {
			free, err := fleet.FreeConnections(ctx, tc.db.URL, "")
			if err != nil {
				t.Fatal(err)
			}
			var limit int
			if err := tc.db.SQL.QueryRowContext(ctx, tc.limit).Scan(&limit); err != nil {
				t.Fatal(err)
			}
			if free < 1 || free >= limit {
				t.Errorf("%d free connections of %d", free, limit)
			}
		})
	}
	if _, err := fleet.FreeConnections(ctx, "sqlite:///"+filepath.Join(t.TempDir(), "a.db"), ""); err == nil || !strings.Contains(err.Error(), "has no connection limit") {
		t.Errorf("SQLite: %v", err)
	}
}

// TestByDistance puts the tenants furthest from the target first.
func TestByDistance(t *testing.T) {
	f := sqliteFleet(t, 4)
	ctx := context.Background()
	for i, to := range []string{"r3", "", "r1", "r2"} {
		if to == "" {
			continue
		}
		if _, err := fleet.Run(ctx, f.proj, f.targets[i:i+1], fleet.Upgrade(to), fleet.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	cur, err := fleet.Run(ctx, f.proj, f.targets, fleet.Current(), fleet.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// An unreachable tenant comes last.
	cur = append(cur, fleet.Result{Target: fleet.Target{Name: "gone"}, Status: fleet.Failed})
	var names []string
	for _, tg := range fleet.ByDistance(f.proj, cur, "head", false) {
		names = append(names, tg.Name)
	}
	if want := []string{"t01", "t02", "t03", "t00", "gone"}; !slices.Equal(names, want) {
		t.Errorf("upgrade order %v, want %v", names, want)
	}
	names = nil
	for _, tg := range fleet.ByDistance(f.proj, cur[:4], "base", true) {
		names = append(names, tg.Name)
	}
	if want := []string{"t00", "t03", "t02", "t01"}; !slices.Equal(names, want) {
		t.Errorf("downgrade order %v, want %v", names, want)
	}
}
