package lintstate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql", for tests only
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for tests only
	_ "modernc.org/sqlite"             // database/sql driver "sqlite", for tests only

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/script"
)

// rev is a SQL revision file.
func rev(id, down, upgrade string) *fstest.MapFile {
	return &fstest.MapFile{Data: fmt.Appendf(nil, "-- revision: %s\n-- down_revision: %s\n-- message: %s\n\n-- +upgrade\n%s\n", id, down, id, upgrade)}
}

// chain is a history with a branch and a merge: aaaa, then bbbb and
// cccc both on aaaa, dddd merging them, eeee on dddd.
func chain() fstest.MapFS {
	return fstest.MapFS{
		"1_a.sql": rev("aaaa", "", "CREATE TABLE account (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL);"),
		"2_b.sql": rev("bbbb", "aaaa", "ALTER TABLE account ADD COLUMN email VARCHAR(100) NULL;"),
		"3_c.sql": rev("cccc", "aaaa", "CREATE TABLE audit (id INTEGER NOT NULL PRIMARY KEY);"),
		"4_d.sql": rev("dddd", "bbbb, cccc", "CREATE INDEX ix_account_email ON account (email);"),
		"5_e.sql": rev("eeee", "dddd", "ALTER TABLE audit ADD COLUMN note VARCHAR(10) NULL;"),
	}
}

var ids = []string{"aaaa", "bbbb", "cccc", "dddd", "eeee"}

// want is the state before each revision of chain, as summary writes it.
var wantBefore = map[string]string{
	"aaaa": "",
	"bbbb": "account(id,name)",
	"cccc": "account(id,name)", // bbbb is on another branch
	"dddd": "account(id,name,email) audit(id)",
	"eeee": "account(id,name,email)[ix_account_email] audit(id)",
}

// summary is the tables of sc with their columns and indexes.
func summary(sc *schema.Schema) string {
	var ts []string
	for _, t := range sc.Tables {
		var cols, ixs []string
		for _, c := range t.Columns {
			cols = append(cols, strings.ToLower(c.Name))
		}
		for _, ix := range t.Indexes {
			ixs = append(ixs, strings.ToLower(ix.Name))
		}
		s := strings.ToLower(t.Name) + "(" + strings.Join(cols, ",") + ")"
		if len(ixs) > 0 {
			slices.Sort(ixs)
			s += "[" + strings.Join(ixs, ",") + "]"
		}
		ts = append(ts, s)
	}
	slices.Sort(ts)
	return strings.Join(ts, " ")
}

// server returns the URL of a database of the dialect, whose server the
// scratch databases are made on.
func server(t *testing.T, name string) string {
	return dbtest.For(t, name).URL // skips (or fails under RETORT_TEST_REQUIRE) without the server
}

func provider(t *testing.T, srv, cache string, fsys fstest.MapFS) *Provider {
	t.Helper()
	d, err := dburl.Dialect(srv)
	if err != nil {
		t.Fatal(err)
	}
	proj, err := retort.LoadProject(d, fsys)
	if err != nil {
		t.Fatal(err)
	}
	return New(Options{Project: proj, Server: srv, BaseDir: t.TempDir(), CacheDir: cache,
		OwnTables: []string{proj.VersionTable().Name, proj.HistoryTable().Name, proj.LockTable().Name}})
}

func before(t *testing.T, p *Provider, ids ...string) *State {
	t.Helper()
	st, err := p.Before(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func checkStates(t *testing.T, st *State, want map[string]string) {
	t.Helper()
	for id, w := range want {
		sc, ok := st.Before[id]
		if !ok {
			t.Errorf("no state before %s (notes: %q)", id, st.Notes)
			continue
		}
		if got := summary(sc); got != w {
			t.Errorf("before %s: got %q, want %q", id, got, w)
		}
	}
	if len(st.Before) != len(want) {
		t.Errorf("states for %d revisions, want %d", len(st.Before), len(want))
	}
}

// TestProvider_Before checks, on each database, the state before each revision
// of a history with a branch and a merge; that a second run reads every
// state from the cache and makes no scratch database, also for a new
// revision written on top of the newest; that an edited ancestor is
// replayed again; that a corrupt entry is ignored and rewritten.
func TestProvider_Before(t *testing.T) {
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			srv := server(t, name)
			cache := t.TempDir()

			p := provider(t, srv, cache, chain())
			st := before(t, p, ids...)
			checkStates(t, st, wantBefore)
			if len(st.Notes) > 0 || st.Cached != 0 || p.Scratches() != 1 {
				t.Errorf("first run: notes %q, cached %d, scratch databases %d; want none, 0, 1", st.Notes, st.Cached, p.Scratches())
			}

			p = provider(t, srv, cache, chain())
			st = before(t, p, ids...)
			checkStates(t, st, wantBefore)
			if st.Cached != len(ids) || st.Replayed != 0 || p.Scratches() != 0 {
				t.Errorf("warm cache: cached %d, replayed %d, scratch databases %d; want %d, 0, 0", st.Cached, st.Replayed, p.Scratches(), len(ids))
			}

			// A revision written on top of the newest linted: a hit.
			next := chain()
			next["6_f.sql"] = rev("ffff", "eeee", "DROP TABLE audit;")
			p = provider(t, srv, cache, next)
			st = before(t, p, "ffff")
			checkStates(t, st, map[string]string{"ffff": "account(id,name,email)[ix_account_email] audit(id,note)"})
			if p.Scratches() != 0 {
				t.Errorf("the revision after the newest made %d scratch databases, want 0 (its state was stored)", p.Scratches())
			}

			// An edited ancestor: replayed, with the edit.
			edited := chain()
			edited["2_b.sql"] = rev("bbbb", "aaaa", "ALTER TABLE account ADD COLUMN email VARCHAR(100) NULL;\nALTER TABLE account ADD COLUMN phone VARCHAR(20) NULL;")
			p = provider(t, srv, cache, edited)
			st = before(t, p, "eeee")
			checkStates(t, st, map[string]string{"eeee": "account(id,name,email,phone)[ix_account_email] audit(id)"})
			if st.Cached != 0 || p.Scratches() != 1 {
				t.Errorf("edited ancestor: cached %d, scratch databases %d; want 0, 1", st.Cached, p.Scratches())
			}

			// Corrupt entries: ignored, replayed, rewritten.
			corrupt(t, cache)
			p = provider(t, srv, cache, chain())
			checkStates(t, before(t, p, "eeee"), map[string]string{"eeee": wantBefore["eeee"]})
			if p.Scratches() != 1 {
				t.Errorf("corrupt cache: %d scratch databases, want 1", p.Scratches())
			}
			p = provider(t, srv, cache, chain())
			checkStates(t, before(t, p, "eeee"), map[string]string{"eeee": wantBefore["eeee"]})
			if p.Scratches() != 0 {
				t.Errorf("after the corrupt entry was rewritten: %d scratch databases, want 0", p.Scratches())
			}
		})
	}
}

// corrupt overwrites every cache entry with half of itself.
func corrupt(t *testing.T, dir string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		return os.WriteFile(path, b[:len(b)/2], 0o644)
	})
	if err != nil || n == 0 {
		t.Fatalf("corrupt the cache: %d entries, %v", n, err)
	}
}

// TestProvider_BeforeFailingRevision checks that a revision that fails to replay
// leaves the states from it on unknown, said in one note naming it, and
// the states before it known.
func TestProvider_BeforeFailingRevision(t *testing.T) {
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			fsys := chain()
			fsys["3_c.sql"] = rev("cccc", "aaaa", "CREATE TABLE audit (id INTEGER NOT NULL PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);")
			p := provider(t, server(t, name), t.TempDir(), fsys)
			st := before(t, p, ids...)
			checkStates(t, st, map[string]string{"aaaa": "", "bbbb": wantBefore["bbbb"], "cccc": wantBefore["cccc"]})
			t.Logf("notes: %q", st.Notes)
			if len(st.Notes) != 1 || !strings.Contains(st.Notes[0], "revision cccc") || !strings.Contains(st.Notes[0], "no_such_table") {
				t.Errorf("notes = %q, want one naming revision cccc and its error", st.Notes)
			}
		})
	}
}

// TestProvider_BeforeNoServer checks that a scratch server lint cannot
// use gives no state and one note saying why, not an error, and makes
// no scratch database.
func TestProvider_BeforeNoServer(t *testing.T) {
	d, err := dburl.Dialect("sqlite:///app.db")
	if err != nil {
		t.Fatal(err)
	}
	proj, err := retort.LoadProject(d, chain())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, server, note string
	}{
		{"another kind of server", "postgresql://localhost/dev", "it is a postgres server and the project's database is sqlite; point dev_url at a sqlite server"},
		{"not a URL lint knows", "oracle://localhost/dev", "no schema state: the scratch server cannot be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := New(Options{Project: proj, Server: tt.server, CacheDir: t.TempDir()})
			st := before(t, p, ids...)
			if len(st.Before) != 0 || len(st.Notes) != 1 || !strings.Contains(st.Notes[0], tt.note) || p.Scratches() != 0 {
				t.Errorf("got %d states, notes %q, %d scratch databases; want none, one note with %q, none", len(st.Before), st.Notes, p.Scratches(), tt.note)
			}
		})
	}
}

// TestProvider_BeforeServerDown checks that a server that does not
// answer gives no state and one note on one line.
func TestProvider_BeforeServerDown(t *testing.T) {
	d, err := dburl.Dialect("postgresql://127.0.0.1:1/nowhere")
	if err != nil {
		t.Fatal(err)
	}
	proj, err := retort.LoadProject(d, chain())
	if err != nil {
		t.Fatal(err)
	}
	p := New(Options{Project: proj, Server: "postgresql://postgres@127.0.0.1:1/nowhere?connect_timeout=5", CacheDir: t.TempDir()})
	st := before(t, p, ids...)
	if len(st.Before) != 0 || len(st.Notes) != 1 || !strings.HasPrefix(st.Notes[0], "no schema state: the scratch server cannot be read (") ||
		strings.Contains(st.Notes[0], "\n") || p.Scratches() != 0 {
		t.Errorf("got %d states, notes %q, %d scratch databases; want none, one one-line note, none", len(st.Before), st.Notes, p.Scratches())
	}
}

// TestProvider_BeforeBranches checks that the states of revisions on two
// branches hold only their own ancestors: the second branch starts a new
// scratch database rather than keep the first branch's revisions.
func TestProvider_BeforeBranches(t *testing.T) {
	fsys := chain()
	fsys["6_x.sql"] = rev("xxxx", "bbbb", "CREATE TABLE x1 (id INTEGER NOT NULL PRIMARY KEY);")
	fsys["7_y.sql"] = rev("yyyy", "cccc", "CREATE TABLE y1 (id INTEGER NOT NULL PRIMARY KEY);")
	p := provider(t, server(t, "sqlite"), t.TempDir(), fsys)
	st := before(t, p, "xxxx", "yyyy")
	checkStates(t, st, map[string]string{"xxxx": "account(id,name,email)", "yyyy": "account(id,name) audit(id)"})
	if p.Scratches() != 2 {
		t.Errorf("%d scratch databases, want 2 (one per branch)", p.Scratches())
	}
}

// TestProvider_BeforeGoRevision checks that a Go revision among the
// ancestors runs as an upgrade runs it, from the registry; without its
// compiled code the state is unknown from it on, said in a note.
func TestProvider_BeforeGoRevision(t *testing.T) {
	fsys := chain()
	fsys["6_g.go"] = &fstest.MapFile{Data: []byte(`package versions

import (
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

func init() {
	Registry.Add(script.GoRevision{
		Revision:     "gggg",
		DownRevision: "eeee",
		Message:      "go",
		Upgrade:      func(o *op.Ops) error { return nil },
	})
}
`)}
	fsys["7_h.sql"] = rev("hhhh", "gggg", "DROP TABLE g1;")
	reg := &script.Registry{}
	reg.Add(script.GoRevision{Revision: "gggg", DownRevision: "eeee", Message: "go",
		Upgrade: func(o *op.Ops) error {
			o.Execute("CREATE TABLE g1 (id INTEGER NOT NULL PRIMARY KEY)")
			return nil
		}})
	tests := []struct {
		name  string
		opts  []retort.Option
		want  map[string]string
		notes string
	}{
		{"compiled", []retort.Option{retort.WithRevisions(reg)},
			map[string]string{"hhhh": "account(id,name,email)[ix_account_email] audit(id,note) g1(id)"}, ""},
		{"not compiled", nil, map[string]string{}, "schema state unknown from revision gggg on"},
	}
	srv := server(t, "sqlite")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := dburl.Dialect(srv)
			if err != nil {
				t.Fatal(err)
			}
			proj, err := retort.LoadProject(d, fsys, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			p := New(Options{Project: proj, Server: srv, CacheDir: t.TempDir(),
				OwnTables: []string{proj.VersionTable().Name, proj.HistoryTable().Name, proj.LockTable().Name}})
			st := before(t, p, "hhhh")
			checkStates(t, st, tt.want)
			t.Logf("notes: %q", st.Notes)
			if got := strings.Join(st.Notes, "\n"); tt.notes == "" && got != "" || !strings.Contains(got, tt.notes) {
				t.Errorf("notes %q, want one with %q", st.Notes, tt.notes)
			}
		})
	}
}

// TestNotesHidePassword: the notes on a scratch server that cannot be
// used never carry the password of its URL.
func TestNotesHidePassword(t *testing.T) {
	pg := dbtest.PostgresServerURL()
	my := dbtest.MySQLServerURL()
	for _, srv := range []string{
		"postgresql://u:s3cretpw@127.0.0.1:1/db",
		"mysql://u:s3cretpw@127.0.0.1:1/db",
		strings.Replace(pg, "postgres@", "nobody_here:s3cretpw@", 1),
		strings.Replace(my, "root@", "nobody_here:s3cretpw@", 1),
	} {
		p := provider(t, srv, t.TempDir(), chain())
		st, err := p.Before(context.Background(), []string{"bbbb"})
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Notes) == 0 {
			t.Errorf("%s: no note", srv)
		}
		for _, n := range st.Notes {
			if strings.Contains(n, "s3cretpw") {
				t.Errorf("%s: a note shows the password: %s", srv, n)
			}
		}
	}
}

// TestProvider_GoRevisionCacheKey: a Go revision's behaviour is its
// compiled code, not its file alone (it may call helpers of other files):
// a state with a Go revision applied is cached under the program's
// identity (Options.Program), and not cached at all without one.
func TestProvider_GoRevisionCacheKey(t *testing.T) {
	fsys := chain()
	fsys["6_g.go"] = &fstest.MapFile{Data: []byte(`package versions

import (
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

func init() {
	Registry.Add(script.GoRevision{
		Revision:     "gggg",
		DownRevision: "eeee",
		Message:      "go",
		Upgrade:      func(o *op.Ops) error { return createTable(o) }, // a helper of another file
	})
}
`)}
	fsys["7_h.sql"] = rev("hhhh", "gggg", "SELECT 1;")
	srv := server(t, "sqlite")
	d, err := dburl.Dialect(srv)
	if err != nil {
		t.Fatal(err)
	}
	run := func(cache, table string, program func() (string, error)) *State {
		t.Helper()
		reg := &script.Registry{}
		reg.Add(script.GoRevision{Revision: "gggg", DownRevision: "eeee", Message: "go",
			Upgrade: func(o *op.Ops) error {
				o.Execute("CREATE TABLE " + table + " (id INTEGER NOT NULL PRIMARY KEY)")
				return nil
			}})
		proj, err := retort.LoadProject(d, fsys, retort.WithRevisions(reg))
		if err != nil {
			t.Fatal(err)
		}
		p := New(Options{Project: proj, Server: srv, CacheDir: cache, Program: program,
			OwnTables: []string{proj.VersionTable().Name, proj.HistoryTable().Name, proj.LockTable().Name}})
		return before(t, p, "hhhh")
	}
	program := func(id string) func() (string, error) { return func() (string, error) { return id, nil } }
	want := func(table string) map[string]string {
		return map[string]string{"hhhh": "account(id,name,email)[ix_account_email] audit(id,note) " + table + "(id)"}
	}
	cache := t.TempDir()
	checkStates(t, run(cache, "g1", program("build 1")), want("g1"))
	if st := run(cache, "g1", program("build 1")); st.Cached != 1 {
		t.Errorf("same program: %d states from the cache, want 1", st.Cached)
	}
	st := run(cache, "g2", program("build 2")) // the helper it calls changed
	checkStates(t, st, want("g2"))
	if st.Cached != 0 {
		t.Errorf("another program: %d states from the cache, want 0", st.Cached)
	}
	cache = t.TempDir()
	run(cache, "g1", nil)
	st = run(cache, "g2", nil)
	checkStates(t, st, want("g2"))
	if st.Cached != 0 {
		t.Errorf("no program identity: %d states from the cache, want 0", st.Cached)
	}
}

// TestServerVersionMySQLSettings: on MySQL the cache key's server part
// holds the settings that change what a replay makes: table names' case
// (lower_case_table_names) and sql_mode (ANSI_QUOTES, zero dates).
func TestServerVersionMySQLSettings(t *testing.T) {
	p := provider(t, server(t, "mysql"), t.TempDir(), chain())
	v, err := p.serverVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"mysql ", "lower_case_table_names=", "sql_mode="} {
		if !strings.Contains(v, want) {
			t.Errorf("server version %q: no %q", v, want)
		}
	}
}

// TestServerVersionSearchPath: on PostgreSQL the search_path a server
// URL's options set decides where a replay makes its tables: it is part
// of the cache key's server part.
func TestServerVersionSearchPath(t *testing.T) {
	srv := server(t, "postgres")
	sep := "?"
	if strings.Contains(srv, "?") {
		sep = "&"
	}
	v1, err := provider(t, srv, t.TempDir(), chain()).serverVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	v2, err := provider(t, srv+sep+"options=-csearch_path%3Dapp", t.TempDir(), chain()).serverVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v1 == v2 || !strings.Contains(v2, "search_path=app") {
		t.Errorf("server versions %q and %q: want the search_path in them", v1, v2)
	}
}

// TestModelShape: the cache key follows the schema model's fields, nested
// ones included (a constraint's validity), so a model change reads no
// state cached before it.
func TestModelShape(t *testing.T) {
	a, b := modelShape(), modelShape()
	if a == "" || a != b {
		t.Fatalf("modelShape %q, %q: want one stable value", a, b)
	}
	p := New(Options{})
	if p.model != a {
		t.Errorf("Provider's model %q, want %q", p.model, a)
	}
	// A field added to a struct held through a slice of pointers
	// changes it.
	if before, after := nestedV1(), nestedV2(); before == after {
		t.Errorf("a nested field added: shape %q unchanged", before)
	}
}

func nestedV1() string {
	type check struct{ Expr string }
	type table struct{ Checks []*check }
	return shapeOf(reflect.TypeOf(table{}))
}

func nestedV2() string {
	type check struct {
		Expr     string
		NotValid bool
	}
	type table struct{ Checks []*check }
	return shapeOf(reflect.TypeOf(table{}))
}

// TestProviderDropsScratchOnCancel: a lint interrupted while it replays
// (its context ends mid-statement) drops its scratch database.
func TestProviderDropsScratchOnCancel(t *testing.T) {
	srv := server(t, "postgres")
	fsys := chain()
	fsys["6_slow.sql"] = rev("ssss", "eeee", "SELECT pg_sleep(10);")
	fsys["7_next.sql"] = rev("nnnn", "ssss", "SELECT 1;")
	p := provider(t, srv, "", fsys)
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	if _, err := p.Before(ctx, []string{"nnnn"}); err == nil {
		t.Fatal("an interrupted replay returned no error")
	}
	db := dbtest.Postgres(t)
	var n int
	if err := db.SQL.QueryRow("SELECT count(*) FROM pg_database WHERE datname LIKE $1", fmt.Sprintf("retort\\_scratch\\_%d\\_%%", os.Getpid())).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 || p.Scratches() != 1 {
		t.Errorf("%d scratch databases left of %d made", n, p.Scratches())
	}
}

// TestProviderNoCacheNoAfterState: without a cache the state after the
// newest revision linted, kept only for the next run, is not replayed.
func TestProviderNoCacheNoAfterState(t *testing.T) {
	p := provider(t, server(t, "sqlite"), "", chain())
	st, err := p.Before(context.Background(), []string{"eeee"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Replayed != 4 { // aaaa..dddd
		t.Errorf("%d revisions replayed, want 4", st.Replayed)
	}
}

// TestProviderConcurrentRuns: lint runs at once on one cache (two CI
// jobs on one machine) write the same entries; each reads whole entries
// only, and a run after them finds every state in the cache.
func TestProviderConcurrentRuns(t *testing.T) {
	srv := server(t, "sqlite")
	cache := t.TempDir()
	errs := make(chan error, 4)
	var ps []*Provider
	for range 4 {
		ps = append(ps, provider(t, srv, cache, chain()))
	}
	for _, p := range ps {
		go func() {
			st, err := p.Before(context.Background(), ids)
			if err == nil && len(st.Notes) > 0 {
				err = fmt.Errorf("notes %q", st.Notes)
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	st := before(t, provider(t, srv, cache, chain()), ids...)
	if st.Cached != len(ids) {
		t.Errorf("after concurrent runs: %d states from the cache, want %d", st.Cached, len(ids))
	}
	checkStates(t, st, wantBefore)
}
