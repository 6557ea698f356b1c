package fleet_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/fleet"
	"github.com/retortdb/retort/internal/dbtest"
)

// rev is a revision file of the safety tests.
func rev(id, down, body string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("-- revision: " + id + "\n-- down_revision: " + down + "\n-- message: " + id + "\n\n-- +upgrade\n" + body + "\n\n-- +downgrade\nSELECT 1;\n")}
}

// TestRun_SearchPathAfterBodies: a schema tenant's revisions run in its
// schema even after an earlier revision of the same run changed the
// session: SET search_path (as pg_dump's output does), RESET ALL, and
// DISCARD ALL (outside a transaction) each leave the next revision's
// unqualified names in the tenant's schema, and no table lands in
// public or in another tenant's schema (Project.InSchema sets the
// search_path at the start of each revision).
func TestRun_SearchPathAfterBodies(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	for _, s := range []string{"tenant_a", "tenant_b", "elsewhere"} {
		if _, err := db.SQL.ExecContext(ctx, "CREATE SCHEMA "+s); err != nil {
			t.Fatal(err)
		}
	}
	fsys := fstest.MapFS{
		"0001_s1.sql": rev("s1", "", "SET search_path TO elsewhere;\nSELECT 1;"),
		"0002_s2.sql": rev("s2", "s1", "CREATE TABLE after_set (id INTEGER);\nSELECT pg_catalog.set_config('search_path', '', false);"),
		"0003_s3.sql": rev("s3", "s2", "CREATE TABLE after_empty (id INTEGER);\nSET search_path TO public;\nRESET ALL;\nCREATE TABLE after_reset (id INTEGER);"),
		"0004_s4.sql": rev("s4", "s3", "CREATE TABLE before_public (id INTEGER);\nSET search_path TO public;\nSELECT 1;"),
		"0005_s5.sql": rev("s5", "s4", "CREATE TABLE last (id INTEGER);"),
		// DISCARD ALL also drops the driver's prepared statements, which
		// the statements after it in the same session cannot survive: it
		// comes last.
		"0006_s6.sql": rev("s6", "s5", "-- +no-transaction\nDISCARD ALL;\nCREATE TABLE after_discard (id INTEGER);"),
	}
	for _, perRun := range []bool{false, true} {
		name := "transaction_per=migration"
		if perRun {
			name = "transaction_per=run"
		}
		t.Run(name, func(t *testing.T) {
			runSearchPathBodies(t, db, fsys, perRun)
		})
	}
}

// runSearchPathBodies runs the revisions of TestRun_SearchPathAfterBodies
// on the tenant schemas (without the one outside a transaction when
// perRun), checks where their tables are, and drops them.
func runSearchPathBodies(t *testing.T, db *dbtest.DB, fsys fstest.MapFS, perRun bool) {
	ctx := context.Background()
	want := []string{"after_discard", "after_empty", "after_reset", "after_set", "before_public", "last", "retort_history", "retort_version"}
	if perRun {
		fsys = maps.Clone(fsys)
		delete(fsys, "0006_s6.sql")
		want = slices.DeleteFunc(want, func(s string) bool { return s == "after_discard" })
	}
	proj, err := retort.LoadProject(postgres.New(), fsys, retort.WithTransactionPerRun(perRun))
	if err != nil {
		t.Fatal(err)
	}
	targets, err := fleet.Schemas(ctx, db.URL, "tenant_*", "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := fleet.Run(ctx, proj, targets, fleet.Upgrade("head"), fleet.Options{Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != fleet.Done {
			t.Fatalf("%s: %q %v", r.Target.Name, r.Status, r.Err)
		}
	}
	got := tablesBySchema(t, db)
	for _, s := range []string{"tenant_a", "tenant_b"} {
		if !slices.Equal(got[s], want) {
			t.Errorf("%s has %v, want %v", s, got[s], want)
		}
	}
	if len(got["elsewhere"]) > 0 || len(got["public"]) > 0 {
		t.Errorf("elsewhere has %v, public %v", got["elsewhere"], got["public"])
	}
	for _, s := range []string{"tenant_a", "tenant_b"} {
		if _, err := db.SQL.ExecContext(ctx, "DROP SCHEMA "+s+" CASCADE; CREATE SCHEMA "+s); err != nil {
			t.Fatal(err)
		}
	}
}

// tablesBySchema lists the tables of each schema but the system ones.
func tablesBySchema(t *testing.T, db *dbtest.DB) map[string][]string {
	t.Helper()
	rows, err := db.SQL.QueryContext(context.Background(), `SELECT table_schema, table_name FROM information_schema.tables
WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var s, n string
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		out[s] = append(out[s], n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRun_TwoProcessesOneFleet runs two fleets over the same PostgreSQL
// schemas at once, each with several jobs and a revision slow enough
// for them to meet: the per-schema lock (keyed by the schema-qualified
// version table) makes one wait for the other on each schema, so that
// every step runs exactly once, while the schemas themselves run in
// parallel (the lock of tenant_00 is not the lock of tenant_01).
func TestRun_TwoProcessesOneFleet(t *testing.T) {
	f := postgresFleet(t, 6)
	slow := fstest.MapFS{
		"0001_r1.sql": revisions["0001_r1.sql"],
		"0002_r2.sql": rev("r2", "r1", "SELECT pg_sleep(0.2);\nCREATE TABLE r2_t (id INTEGER);"),
		"0003_r3.sql": revisions["0003_r3.sql"],
	}
	proj, err := retort.LoadProject(postgres.New(), slow)
	if err != nil {
		t.Fatal(err)
	}
	f.proj = proj
	ctx := context.Background()
	var wg sync.WaitGroup
	results := make([][]fleet.Result, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = fleet.Run(ctx, proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 3})
		}()
	}
	wg.Wait()
	steps := map[string]int{}
	for i, res := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		for _, r := range res {
			if r.Status != fleet.Done {
				t.Errorf("run %d: %s %q %v", i, r.Target.Name, r.Status, r.Err)
			}
			steps[r.Target.Name] += len(r.Steps)
		}
	}
	for _, tg := range f.targets {
		if steps[tg.Name] != 3 {
			t.Errorf("%s: the two runs committed %d steps between them, want 3", tg.Name, steps[tg.Name])
		}
	}
	f.checkAtHead(t)
}

// TestRun_SchemaLockKey holds, from another session, the advisory lock
// of the key "retort:tenant_00.retort_version" (postgres.LockKey): a
// fleet run waits for it on tenant_00 alone (and gives up after its lock
// timeout), and runs the other schemas, whose keys differ.
func TestRun_SchemaLockKey(t *testing.T) {
	f := postgresFleet(t, 3)
	ctx := context.Background()
	// The lock a fleet's run of tenant_00 holds.
	holdAdvisoryLock(t, f.targets[0].URL, "retort:tenant_00.retort_version")
	proj, err := retort.LoadProject(postgres.New(), revisions, retort.WithLockTimeout(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	res, err := fleet.Run(ctx, proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 3, KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(res[0].Err, retort.ErrLocked) {
		t.Errorf("tenant_00: %q %v, want ErrLocked", res[0].Status, res[0].Err)
	}
	for _, r := range res[1:] {
		if r.Status != fleet.Done || len(r.Steps) != 3 {
			t.Errorf("%s: %q %d steps (%v)", r.Target.Name, r.Status, len(r.Steps), r.Err)
		}
	}
}

// TestRun_CancelMySQLMidStep cancels a MariaDB fleet (Ctrl-C) while a
// tenant's step runs a statement after DDL that committed: the step is
// reported dirty (the database says so too), never silently
// half-applied, and a rerun refuses to move that tenant until it is
// resolved, then finishes it.
func TestRun_CancelMySQLMidStep(t *testing.T) {
	f := mysqlFleet(t, 2)
	slow := fstest.MapFS{
		"0001_r1.sql": revisions["0001_r1.sql"],
		"0002_s2.sql": rev("s2", "r1", "CREATE TABLE half (id INTEGER);\nSELECT SLEEP(8);\nCREATE TABLE other_half (id INTEGER);"),
	}
	proj, err := retort.LoadProject(mysql.New(), slow)
	if err != nil {
		t.Fatal(err)
	}
	f.proj = proj
	ctx := context.Background()
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	watch := func(ev fleet.Event) {
		if ev.Kind != fleet.Started || ev.Target.Name != "m0" {
			return
		}
		go func() {
			db, _, err := dburl.OpenDB(ev.Target.URL, "")
			if err != nil {
				cancel(err)
				return
			}
			defer db.Close()
			for runCtx.Err() == nil {
				var n int
				// This tenant's SLEEP only: the server is shared with the
				// other packages' tests, which go test runs at once.
				if err := db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE() AND info LIKE 'SELECT SLEEP%'`).Scan(&n); err != nil || n > 0 {
					cancel(errors.New("interrupted"))
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
	start := time.Now()
	res, err := fleet.Run(runCtx, proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 1, Progress: watch})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the cancelled run took %s: it waited for the step's SLEEP(8) instead of cutting it", took)
	}
	m0 := res[0]
	if m0.Status != fleet.Failed || m0.Dirty == nil || m0.Dirty.Revision != "s2" {
		t.Fatalf("m0: %q dirty %v (%v); want failed with s2 dirty", m0.Status, m0.Dirty, m0.Err)
	}
	if d, err := f.provider(t, f.targets[0]).Dirty(ctx); err != nil || d == nil || d.Revision != "s2" {
		t.Errorf("the database says dirty %v (%v), want s2", d, err)
	}
	if res[1].Status != fleet.NotStarted {
		t.Errorf("m1: %q, want not started after the cancellation", res[1].Status)
	}
	// The rerun refuses m0 until it is resolved, and finishes m1.
	res, err = fleet.Run(ctx, proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 2, KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	var de *retort.DirtyError
	if !errors.As(res[0].Err, &de) || res[1].Status != fleet.Done {
		t.Fatalf("rerun: m0 %q %v, m1 %q %v", res[0].Status, res[0].Err, res[1].Status, res[1].Err)
	}
	f.exec(t, f.targets[0], "CREATE TABLE other_half (id INTEGER)")
	if err := f.provider(t, f.targets[0]).MarkApplied(ctx, "s2"); err != nil {
		t.Fatalf("resolve: %v", err)
	}
	res, err = fleet.Run(ctx, proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != fleet.Done || !slices.Equal(r.To, []string{"s2"}) {
			t.Errorf("after resolve: %s %q -> %v (%v)", r.Target.Name, r.Status, r.To, r.Err)
		}
	}
}

// TestRun_SingleCommandWaitsForFleet: a single run that reaches a
// tenant schema through the search_path of its URL (as docs/fleet.md
// tells for resolve, history, ...) takes the lock that a fleet's run of
// that schema takes, so that the two never migrate one schema at once.
func TestRun_SingleCommandWaitsForFleet(t *testing.T) {
	f := postgresFleet(t, 1)
	ctx := context.Background()
	// The lock a fleet's run of tenant_00 holds.
	release := holdAdvisoryLock(t, f.targets[0].URL, "retort:tenant_00.retort_version")
	proj, err := retort.LoadProject(postgres.New(), revisions, retort.WithLockTimeout(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	single, _, err := dburl.OpenDB(f.targets[0].ConnURL(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer single.Close()
	if _, err := proj.Bind(single).Upgrade(ctx, "head"); !errors.Is(err, retort.ErrLocked) {
		t.Fatalf("a single upgrade of tenant_00 while its fleet lock is held: %v, want ErrLocked", err)
	}
	release()
	if res, err := proj.Bind(single).Upgrade(ctx, "head"); err != nil || len(res.Steps) != 3 {
		t.Fatalf("the single upgrade once the lock is free: %v", err)
	}
	f.checkAtHead(t)
}

// TestRun_NoPublicTenant: public, the database's shared schema, is no
// tenant: a pattern never matches it, and a target naming it is refused
// before anything runs (a single run in public takes the configured
// lock key alone, which a fleet's tenant never takes).
func TestRun_NoPublicTenant(t *testing.T) {
	f := postgresFleet(t, 2)
	ctx := context.Background()
	all, err := fleet.Schemas(ctx, f.targets[0].URL, "*", "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tg := range all {
		names = append(names, tg.Name)
	}
	if !slices.Equal(names, []string{"other", "tenant_00", "tenant_01"}) {
		t.Errorf("Schemas(*) = %v, want other and the tenants, without public", names)
	}
	_, err = fleet.Run(ctx, f.proj, []fleet.Target{{Name: "p", URL: f.targets[0].URL, Schema: "public"}}, fleet.Upgrade("head"), fleet.Options{})
	if err == nil || !strings.Contains(err.Error(), "schema public, the database's shared schema") {
		t.Errorf("Run with schema public: %v", err)
	}
}

// holdAdvisoryLock takes the PostgreSQL advisory lock of key (as
// postgres.LockKey makes it) on a session of its own, held until the
// test ends or until the function it returns releases it.
func holdAdvisoryLock(t *testing.T, url, key string) (release func()) {
	t.Helper()
	db, _, err := dburl.OpenDB(url, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.ExecContext(context.Background(), "SELECT pg_advisory_lock($1)", postgres.LockKey(key)); err != nil {
		t.Fatal(err)
	}
	return func() {
		t.Helper()
		if _, err := conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock_all()"); err != nil {
			t.Fatal(err)
		}
	}
}
