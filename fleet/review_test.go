package fleet_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
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
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/fleet"
	"github.com/retortdb/retort/internal/dbtest"
)

// TestRun_SchemaNamesThatNeedQuoting: tenant schemas whose names need
// quoting (upper case, a dash, a dot, a double quote, an SQL keyword)
// get their tables in their own schema, one history row per step, and a
// single command given the tenant's ConnURL finds its version table and
// waits for the fleet's lock of that schema (the key of the schema as
// it is spelt, not as an unquoted identifier would fold it).
func TestRun_SchemaNamesThatNeedQuoting(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	pg := postgres.New()
	schemas := []string{"Tenant-A", "Tenant.B", `Tenant"C`, "TenantD", "tenantd", "select"}
	for _, s := range schemas {
		if _, err := db.SQL.ExecContext(ctx, "CREATE SCHEMA "+pg.QuoteIdent(s)); err != nil {
			t.Fatal(err)
		}
	}
	targets, err := fleet.Schemas(ctx, db.URL, "Tenant*", "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tg := range targets {
		names = append(names, tg.Name)
	}
	if want := []string{"Tenant\"C", "Tenant-A", "Tenant.B", "TenantD"}; !slices.Equal(names, want) {
		t.Fatalf("Schemas(Tenant*) = %q, want %q", names, want)
	}
	targets = append(targets,
		fleet.Target{Name: "tenantd", URL: db.URL, Schema: "tenantd"},
		fleet.Target{Name: "select", URL: db.URL, Schema: "select"})
	proj := project(t, postgres.New())
	res, err := fleet.Run(ctx, proj, targets, fleet.Upgrade("head"), fleet.Options{Jobs: 3, KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != fleet.Done || !slices.Equal(r.To, []string{"r3"}) || len(r.Steps) != 3 {
			t.Errorf("%s: %q to %v, %d steps (%v)", r.Target.Name, r.Status, r.To, len(r.Steps), r.Err)
		}
	}
	locked, err := retort.LoadProject(postgres.New(), revisions, retort.WithLockTimeout(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range targets {
		q := pg.QuoteIdent(tg.Schema)
		var n int
		if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM `+q+`.retort_history WHERE direction = 'up'`).Scan(&n); err != nil {
			t.Fatalf("%s: %v", tg.Name, err)
		}
		if n != 3 {
			t.Errorf("%s: %d up rows in its history, want 3", tg.Name, n)
		}
		if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM `+q+`.item`).Scan(&n); err != nil {
			t.Errorf("%s: its item table: %v", tg.Name, err)
		}
		single, _, err := dburl.OpenDB(tg.ConnURL(), "")
		if err != nil {
			t.Fatal(err)
		}
		if cur, err := proj.Bind(single).Current(ctx); err != nil || !slices.Equal(cur, []string{"r3"}) {
			t.Errorf("%s: a single command on ConnURL %s: Current %v %v, want r3", tg.Name, tg.ConnURL(), cur, err)
		}
		// The fleet's lock of this tenant, held elsewhere: a single
		// downgrade through ConnURL must wait for it.
		conn, err := db.SQL.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", postgres.LockKey("retort:"+tg.Schema+".retort_version")); err != nil {
			t.Fatal(err)
		}
		if _, err := locked.Bind(single).Downgrade(ctx, "base"); !errors.Is(err, retort.ErrLocked) {
			t.Errorf("%s: a single downgrade while the fleet's lock of its schema is held: %v, want ErrLocked", tg.Name, err)
		}
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock_all()"); err != nil {
			t.Fatal(err)
		}
		conn.Close()
		single.Close()
	}
	if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'`).Scan(new(int)); err != nil {
		t.Fatal(err)
	}
	var inPublic []string
	rows, err := db.SQL.QueryContext(ctx, `SELECT tablename::text FROM pg_catalog.pg_tables WHERE schemaname = 'public'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		inPublic = append(inPublic, s)
	}
	rows.Close()
	if len(inPublic) > 0 {
		t.Errorf("tables in public: %s", strings.Join(inPublic, ", "))
	}
}

// TestRun_SameDatabaseTwice: one database (or one schema of one) named
// twice, under two names or two spellings of its URL, is refused before
// anything runs: the two would run at once on one database, the second
// waiting for the first's lock (or failing on --lock-timeout) and the
// summary showing one tenant as two.
func TestRun_SameDatabaseTwice(t *testing.T) {
	proj := project(t, postgres.New())
	for _, tc := range []struct {
		name    string
		targets []fleet.Target
		want    string // "" for no error
	}{
		{"two names, one URL", []fleet.Target{
			{Name: "a", URL: "postgresql://app@db1:5432/saas"},
			{Name: "b", URL: "postgresql://app@db1:5432/saas"},
		}, "targets 1 and 2 (a and b) are one database"},
		{"the default port spelt out", []fleet.Target{
			{Name: "a", URL: "postgresql://app@DB1/saas"},
			{Name: "b", URL: "postgresql://other:pw@db1:5432/saas?sslmode=disable"},
		}, "targets 1 and 2 (a and b) are one database"},
		{"one schema twice", []fleet.Target{
			{Name: "a", URL: "postgresql://app@db1/saas", Schema: "t1"},
			{Name: "b", URL: "postgresql://app@db1:5432/saas", Schema: "t1"},
		}, "targets 1 and 2 (a and b) are one database schema t1"},
		{"two schemas of one database", []fleet.Target{
			{Name: "a", URL: "postgresql://app@db1/saas", Schema: "t1"},
			{Name: "b", URL: "postgresql://app@db1/saas", Schema: "t2"},
			{Name: "c", URL: "postgresql://app@db1/other", Schema: "t1"},
			{Name: "d", URL: "postgresql://app@db2/saas", Schema: "t1"},
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A Progress that fails the test: nothing may start.
			opts := fleet.Options{PerServer: 1, Progress: func(ev fleet.Event) {
				if tc.want != "" {
					t.Errorf("a tenant was reported: %+v", ev)
				}
			}}
			if tc.want == "" {
				// Unreachable servers: only check that Run gets past its
				// checks (each tenant fails to connect).
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				if _, err := fleet.Run(ctx, proj, tc.targets, fleet.Upgrade("head"), fleet.Options{PerServer: 1}); err != nil {
					t.Fatalf("Run: %v", err)
				}
				return
			}
			_, err := fleet.Run(context.Background(), proj, tc.targets, fleet.Upgrade("head"), opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Run: %v, want an error containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "pw") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

// TestRun_PerServerSpellings: the bound of tenants per server holds for
// one server whose address the targets spell two ways (with and without
// the default port, in upper and lower case).
func TestRun_PerServerSpellings(t *testing.T) {
	a, b := dbtest.Postgres(t), dbtest.Postgres(t)
	bURL := strings.Replace(b.URL, ":5432/", "/", 1)
	if bURL == b.URL { // a server on another port: spell it with an option instead
		sep := "?"
		if strings.Contains(bURL, "?") {
			sep = "&"
		}
		bURL += sep + "connect_timeout=10"
	}
	targets := []fleet.Target{{Name: "a", URL: a.URL}, {Name: "b", URL: bURL}}
	var mu sync.Mutex
	most := 0
	res, err := fleet.Run(context.Background(), project(t, postgres.New()), targets, fleet.Upgrade("head"), fleet.Options{
		Jobs: 2, PerServer: 1,
		Progress: func(ev fleet.Event) {
			mu.Lock()
			defer mu.Unlock()
			most = max(most, ev.Running)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != fleet.Done {
			t.Errorf("%s: %q %v", r.Target.Name, r.Status, r.Err)
		}
	}
	if most != 1 {
		t.Errorf("%d tenants ran at once on one server, with PerServer 1", most)
	}
}

// TestRun_CancelAsATenantStarts: a Ctrl-C that comes as a tenant starts,
// before its run read or changed anything, leaves it not started (not
// failed: nothing was tried on it), the counts say so, and the rerun
// finishes every tenant with each step applied once.
func TestRun_CancelAsATenantStarts(t *testing.T) {
	f := sqliteFleet(t, 3)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	var last fleet.Event
	res, err := fleet.Run(ctx, f.proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 1, Progress: func(ev fleet.Event) {
		if ev.Kind == fleet.Started && ev.Target.Name == "t01" {
			cancel(errors.New("interrupted"))
		}
		last = ev
	}})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		want := fleet.NotStarted
		if i == 0 {
			want = fleet.Done
		}
		if r.Status != want {
			t.Errorf("%s: %q (%v), want %q", r.Target.Name, r.Status, r.Err, want)
		}
		if want == fleet.NotStarted && (!errors.Is(r.Err, fleet.ErrNotStarted) || !strings.Contains(r.Err.Error(), "interrupted")) {
			t.Errorf("%s: not started because %v", r.Target.Name, r.Err)
		}
	}
	if last.Finished != 1 || last.Failed != 0 || last.Running != 0 {
		t.Errorf("the last event's counts: %d finished, %d failed, %d running; want 1, 0, 0", last.Finished, last.Failed, last.Running)
	}
	res, err = fleet.Run(context.Background(), f.proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if want := map[bool]int{true: 0, false: 3}[i == 0]; r.Status != fleet.Done || len(r.Steps) != want {
			t.Errorf("rerun: %s %q with %d steps, want done with %d", r.Target.Name, r.Status, len(r.Steps), want)
		}
	}
	f.checkAtHead(t)
}

// TestRun_DowngradeAndStamp: a fleet downgrade follows the upgrade's
// failure policy (the first failure starts no new tenant; KeepGoing goes
// on), a tenant already at the target is done with no step, and every
// Result's To is where the tenant is (Current), for downgrade (from
// RunResult.Heads), a failed downgrade, and stamp (read after the run).
func TestRun_DowngradeAndStamp(t *testing.T) {
	dir := t.TempDir()
	fsys := fstest.MapFS{
		"0001_r1.sql": rev("r1", "", "CREATE TABLE item (qty INTEGER NOT NULL CHECK (qty >= 0));\nINSERT INTO item (qty) VALUES (0);"),
		"0002_r2.sql": rev("r2", "r1", "CREATE TABLE note (id INTEGER);"),
		"0003_r3.sql": {Data: []byte("-- revision: r3\n-- down_revision: r2\n-- message: r3\n\n-- +upgrade\nUPDATE item SET qty = qty + 1;\n\n-- +downgrade\nUPDATE item SET qty = qty - 1;\n")},
	}
	proj, err := retort.LoadProject(sqlite.New(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	var targets []fleet.Target
	for i, at := range []string{"r1", "r3", "r3", "r3"} {
		tg := fleet.Target{Name: fmt.Sprintf("t%d", i), URL: "sqlite:///" + filepath.Join(dir, fmt.Sprintf("t%d.db", i))}
		targets = append(targets, tg)
		if res, err := fleet.Run(context.Background(), proj, []fleet.Target{tg}, fleet.Upgrade(at), fleet.Options{}); err != nil || res[0].Status != fleet.Done {
			t.Fatalf("seed %s: %v %v", tg.Name, err, res)
		}
	}
	// t2's data makes r3's downgrade fail: its qty would go below 0.
	bad, err := sql.Open("sqlite", filepath.Join(dir, "t2.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	if _, err := bad.Exec("UPDATE item SET qty = 0"); err != nil {
		t.Fatal(err)
	}
	check := func(what string, res []fleet.Result, want []fleet.Status, steps []int) {
		t.Helper()
		for i, r := range res {
			if r.Status != want[i] || (r.Status != fleet.NotStarted && len(r.Steps) != steps[i]) {
				t.Errorf("%s: %s %q with %d steps (%v), want %q with %d", what, r.Target.Name, r.Status, len(r.Steps), r.Err, want[i], steps[i])
			}
			if r.Status == fleet.NotStarted {
				continue
			}
			db, _, err := dburl.OpenDB(r.Target.URL, "")
			if err != nil {
				t.Fatal(err)
			}
			cur, err := proj.Bind(db).Current(context.Background())
			db.Close()
			if err != nil {
				t.Fatal(err)
			}
			if !r.Known || !slices.Equal(r.To, cur) {
				t.Errorf("%s: %s: To %v (known %v), but the tenant is at %v", what, r.Target.Name, r.To, r.Known, cur)
			}
		}
	}
	ctx := context.Background()
	res, err := fleet.Run(ctx, proj, targets, fleet.Downgrade("r1"), fleet.Options{Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	check("downgrade", res, []fleet.Status{fleet.Done, fleet.Done, fleet.Failed, fleet.NotStarted}, []int{0, 2, 0, 0})
	res, err = fleet.Run(ctx, proj, targets, fleet.Downgrade("r1"), fleet.Options{Jobs: 1, KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	check("downgrade --keep-going", res, []fleet.Status{fleet.Done, fleet.Done, fleet.Failed, fleet.Done}, []int{0, 0, 0, 2})
	res, err = fleet.Run(ctx, proj, targets, fleet.Stamp("r3"), fleet.Options{Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	check("stamp r3", res, []fleet.Status{fleet.Done, fleet.Done, fleet.Done, fleet.Done}, []int{1, 1, 0, 1})
}

// TestRun_ConnectionLimits: a PostgreSQL database and a role with
// CONNECTION LIMITs (3 and 3) far below the server's free connections: the
// fleet's bound per server (PerServer 0) counts them, so that no tenant
// fails with "too many connections" however many Jobs allow.
func TestRun_ConnectionLimits(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	pg := postgres.New()
	role := "r_" + db.Name
	for _, q := range []string{
		"CREATE ROLE " + pg.QuoteIdent(role) + " LOGIN CONNECTION LIMIT 3",
		"ALTER DATABASE " + pg.QuoteIdent(db.Name) + " CONNECTION LIMIT 3",
	} {
		if _, err := db.SQL.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		// Before the database is dropped (cleanups run last first).
		_, _ = db.SQL.ExecContext(ctx, "DROP OWNED BY "+pg.QuoteIdent(role))
		_, _ = db.SQL.ExecContext(ctx, "DROP ROLE "+pg.QuoteIdent(role))
	})
	for i := range 6 {
		if _, err := db.SQL.ExecContext(ctx, fmt.Sprintf("CREATE SCHEMA tenant_%d AUTHORIZATION %s", i, pg.QuoteIdent(role))); err != nil {
			t.Fatal(err)
		}
	}
	// The test's own pool holds no connection to the database while the
	// fleet runs.
	db.SQL.SetMaxIdleConns(0)
	roleURL := strings.Replace(db.URL, "://postgres@", "://"+role+"@", 1)
	if roleURL == db.URL {
		t.Fatalf("no user postgres in %s", db.URL)
	}
	free, err := fleet.FreeConnections(ctx, roleURL, "")
	if err != nil {
		t.Fatal(err)
	}
	if free > 2 {
		t.Errorf("FreeConnections = %d with the database's limit of 3 and its own connection open", free)
	}
	targets, err := fleet.Schemas(ctx, roleURL, "tenant_*", "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := fleet.Run(ctx, project(t, postgres.New()), targets, fleet.Upgrade("head"), fleet.Options{Jobs: 4, KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != fleet.Done || len(r.Steps) != 3 {
			t.Errorf("%s: %q, %d steps (%v)", r.Target.Name, r.Status, len(r.Steps), r.Err)
		}
	}
}

// TestConnectionsPerRun: the fleet's bound per server counts two
// connections for a tenant run under the lease lock.
func TestConnectionsPerRun(t *testing.T) {
	for _, tc := range []struct {
		opts []retort.Option
		want int
	}{
		{nil, 1},
		{[]retort.Option{retort.WithLeaseLock(0)}, 2},
	} {
		p, err := retort.LoadProject(postgres.New(), revisions, tc.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.ConnectionsPerRun(); got != tc.want {
			t.Errorf("ConnectionsPerRun with %d options = %d, want %d", len(tc.opts), got, tc.want)
		}
	}
}

// TestRun_CancelDuringCanaries: a Ctrl-C while the canaries run reports
// each tenant finished once (one Finished event, one --json line), the
// canaries' and the others'.
func TestRun_CancelDuringCanaries(t *testing.T) {
	f := sqliteFleet(t, 5)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	finished := map[string]int{}
	res, err := fleet.Run(ctx, f.proj, f.targets, fleet.Upgrade("head"), fleet.Options{Jobs: 1, Canary: 3, Progress: func(ev fleet.Event) {
		if ev.Kind == fleet.Started && ev.Target.Name == "t00" {
			cancel(errors.New("interrupted"))
		}
		if ev.Kind == fleet.Finished {
			finished[ev.Target.Name]++
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != fleet.NotStarted {
			t.Errorf("%s: %q (%v), want not started", r.Target.Name, r.Status, r.Err)
		}
		if n := finished[r.Target.Name]; n != 1 {
			t.Errorf("%s: %d Finished events, want 1", r.Target.Name, n)
		}
	}
}

// TestRun_MySQLUserConnectionLimit: a MariaDB account WITH
// MAX_USER_CONNECTIONS far below the server's free connections: the
// fleet's bound per server counts it, so that no tenant fails with
// "has exceeded the 'max_user_connections' resource" however many Jobs
// allow.
func TestRun_MySQLUserConnectionLimit(t *testing.T) {
	ctx := context.Background()
	var dbs []*dbtest.DB
	for range 4 {
		dbs = append(dbs, dbtest.MySQL(t))
	}
	admin := dbs[0].SQL
	user := "u_" + strings.TrimPrefix(dbs[0].Name, "retort_test_")
	if _, err := admin.ExecContext(ctx, "CREATE USER '"+user+"'@'127.0.0.1' WITH MAX_USER_CONNECTIONS 3"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.ExecContext(ctx, "DROP USER '"+user+"'@'127.0.0.1'") })
	var targets []fleet.Target
	for _, db := range dbs {
		if _, err := admin.ExecContext(ctx, "GRANT ALL ON `"+db.Name+"`.* TO '"+user+"'@'127.0.0.1'"); err != nil {
			t.Fatal(err)
		}
		u := strings.Replace(db.URL, "://root@", "://"+user+"@", 1)
		if u == db.URL {
			t.Fatalf("no user root in %s", db.URL)
		}
		targets = append(targets, fleet.Target{Name: db.Name, URL: u})
	}
	free, err := fleet.FreeConnections(ctx, targets[0].URL, "")
	if err != nil {
		t.Fatal(err)
	}
	if free > 2 {
		t.Errorf("FreeConnections = %d for an account limited to 3 connections, its own open", free)
	}
	res, err := fleet.Run(ctx, project(t, mysql.New()), targets, fleet.Upgrade("head"), fleet.Options{Jobs: 4, KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != fleet.Done || len(r.Steps) != 3 {
			t.Errorf("%s: %q, %d steps (%v)", r.Target.Name, r.Status, len(r.Steps), r.Err)
		}
	}
}
