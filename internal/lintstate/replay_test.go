package lintstate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

// TestReplayer: one scratch database along a branch, a new one for
// another branch and after Discard; a revision that fails is a
// *ReplayError naming it, and drops the database.
func TestReplayer(t *testing.T) {
	ctx := context.Background()
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			srv := server(t, dn)
			d, err := dburl.Dialect(srv)
			if err != nil {
				t.Fatal(err)
			}
			fsys := chain()
			fsys["6_f.sql"] = rev("ffff", "eeee", "INSERT INTO no_such_table (id) VALUES (1);")
			fsys["7_g.sql"] = rev("gggg", "ffff", "SELECT 1;")
			proj, err := retort.LoadProject(d, fsys)
			if err != nil {
				t.Fatal(err)
			}
			r := NewReplayer(proj, srv, t.TempDir())
			defer r.Close()
			tables := func() string {
				t.Helper()
				p := New(Options{Project: proj, OwnTables: []string{proj.VersionTable().Name, proj.HistoryTable().Name, proj.LockTable().Name}})
				sc, err := p.inspect(ctx, r.DB())
				if err != nil {
					t.Fatal(err)
				}
				return summary(sc)
			}
			for _, step := range []struct {
				before    string
				discard   bool
				scratches int // made so far
				replayed  int // revisions applied so far
			}{
				{"bbbb", false, 1, 1}, // aaaa
				{"dddd", false, 1, 3}, // bbbb and cccc added on the same database
				{"cccc", false, 2, 4}, // bbbb is on another branch: a new one, aaaa
				{"eeee", false, 2, 7}, // bbbb, cccc, dddd added on it
				{"eeee", true, 3, 11}, // after Discard: a new one, aaaa..dddd
			} {
				if step.discard {
					r.Discard()
					if r.DB() != nil {
						t.Fatal("Discard left the database")
					}
				}
				if err := r.Before(ctx, step.before); err != nil {
					t.Fatalf("before %s: %v", step.before, err)
				}
				if got := tables(); got != wantBefore[step.before] {
					t.Errorf("before %s: %q, want %q", step.before, got, wantBefore[step.before])
				}
				if r.Scratches() != step.scratches || r.Replayed() != step.replayed {
					t.Errorf("before %s: %d scratch databases, %d revisions replayed; want %d, %d", step.before, r.Scratches(), r.Replayed(), step.scratches, step.replayed)
				}
			}
			err = r.Before(ctx, "gggg")
			var re *ReplayError
			if !errors.As(err, &re) || re.Failed != "ffff" || re.Target != "ffff" {
				t.Fatalf("before gggg: %v, want a *ReplayError on ffff", err)
			}
			if r.DB() != nil {
				t.Error("a failed replay left its database")
			}
		})
	}
}

// TestReplayerScratchError: a server that does not answer is a
// *ScratchError.
func TestReplayerScratchError(t *testing.T) {
	srv := "postgresql://127.0.0.1:1/nowhere"
	d, err := dburl.Dialect(srv)
	if err != nil {
		t.Fatal(err)
	}
	proj, err := retort.LoadProject(d, fstest.MapFS{"1_a.sql": rev("aaaa", "", "SELECT 1;")})
	if err != nil {
		t.Fatal(err)
	}
	r := NewReplayer(proj, srv, t.TempDir())
	var se *ScratchError
	if err := r.To(context.Background(), map[string]bool{"aaaa": true}); !errors.As(err, &se) {
		t.Fatalf("got %v, want a *ScratchError", err)
	}
	if r.Scratches() != 0 {
		t.Errorf("%d scratch databases made", r.Scratches())
	}
}

// TestReplayerNeverTouchesTarget: the server URL is the target
// database's own, with options that name a database besides the path
// (PostgreSQL's ?dbname=, which pgx lets override the path). The replay
// runs on a scratch database all the same, or not at all: the target
// gets no table and no version table.
func TestReplayerNeverTouchesTarget(t *testing.T) {
	ctx := context.Background()
	target := dbtest.Postgres(t)
	sep := "?"
	if strings.Contains(target.URL, "?") {
		sep = "&"
	}
	for _, srv := range []string{
		target.URL + sep + "dbname=" + target.Name,
		target.URL + sep + "database=" + target.Name,
	} {
		d, err := dburl.Dialect(srv)
		if err != nil {
			t.Fatal(err)
		}
		proj, err := retort.LoadProject(d, chain())
		if err != nil {
			t.Fatal(err)
		}
		r := NewReplayer(proj, srv, t.TempDir())
		err = r.Before(ctx, "eeee")
		_ = r.Close()
		var n int
		if err := target.SQL.QueryRowContext(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("server %s: the replay (error %v) left %d tables in the target database", srv, err, n)
		}
	}
}

// TestReplayerProtectsMySQLDatabases: on MySQL a database-qualified name
// or USE reaches any database of the scratch server, the target's when
// the scratch database is made beside it. A revision naming a protected
// database is not replayed: the target gets nothing, and the error names
// the revision.
func TestReplayerProtectsMySQLDatabases(t *testing.T) {
	ctx := context.Background()
	target := dbtest.MySQL(t)
	for _, tc := range []struct{ name, sql string }{
		{"qualified", "CREATE TABLE `" + target.Name + "`.victim (id INT PRIMARY KEY);"},
		{"use", "USE " + target.Name + ";\nCREATE TABLE victim (id INT PRIMARY KEY);"},
		{"upper case", "CREATE TABLE " + strings.ToUpper(target.Name) + " . victim (id INT PRIMARY KEY);"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := dburl.Dialect(target.URL)
			if err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{
				"1_a.sql": rev("aaaa", "", "CREATE TABLE ok1 (id INT PRIMARY KEY);"),
				"2_b.sql": rev("bbbb", "aaaa", tc.sql),
				"3_c.sql": rev("cccc", "bbbb", "SELECT 1;"),
			}
			proj, err := retort.LoadProject(d, fsys)
			if err != nil {
				t.Fatal(err)
			}
			r := NewReplayer(proj, target.URL, t.TempDir())
			r.Protect(target.Name)
			defer r.Close()
			err = r.Before(ctx, "cccc")
			var re *ReplayError
			if !errors.As(err, &re) || re.Failed != "bbbb" || !strings.Contains(err.Error(), target.Name) {
				t.Errorf("got %v, want a *ReplayError on bbbb naming database %s", err, target.Name)
			}
			var n int
			if err := target.SQL.QueryRowContext(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_schema = ?", target.Name).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("the replay made %d tables in the target database", n)
			}
			// The revisions before it are still replayed.
			if err := r.Before(ctx, "bbbb"); err != nil {
				t.Errorf("before bbbb: %v", err)
			}
		})
	}
}

// TestReplayerNoAttach: a SQLite revision that attaches a database file
// would write that file from the in-memory scratch database: it is not
// replayed, and the file is not made.
func TestReplayerNoAttach(t *testing.T) {
	file := filepath.Join(t.TempDir(), "prod.db")
	d, err := dburl.Dialect("sqlite:///:memory:")
	if err != nil {
		t.Fatal(err)
	}
	proj, err := retort.LoadProject(d, fstest.MapFS{
		"1_a.sql": rev("aaaa", "", "ATTACH DATABASE '"+file+"' AS prod;\nCREATE TABLE prod.victim (id INTEGER PRIMARY KEY);"),
	})
	if err != nil {
		t.Fatal(err)
	}
	r := NewReplayer(proj, "sqlite:///app.db", t.TempDir())
	defer r.Close()
	var re *ReplayError
	if err := r.To(context.Background(), map[string]bool{"aaaa": true}); !errors.As(err, &re) || re.Failed != "aaaa" {
		t.Errorf("got %v, want a *ReplayError on aaaa", err)
	}
	if _, err := os.Stat(file); err == nil {
		t.Error("the replay made the attached database file")
	}
}

// TestReplayerNoDatabaseStatements: CREATE, ALTER or DROP DATABASE (and
// MySQL's SCHEMA, its synonym) act on the scratch server beside the
// scratch database, the target's when there is no dev_url: a revision
// with one is not replayed, and the target's server keeps its databases.
func TestReplayerNoDatabaseStatements(t *testing.T) {
	ctx := context.Background()
	for _, dn := range []string{"postgres", "mysql"} {
		t.Run(dn, func(t *testing.T) {
			victim := dbtest.For(t, dn)
			stmt := map[string]string{
				"postgres": "DROP DATABASE " + victim.Name + " WITH (FORCE);",
				"mysql":    "DROP SCHEMA " + victim.Name + ";",
			}[dn]
			d, err := dburl.Dialect(victim.URL)
			if err != nil {
				t.Fatal(err)
			}
			proj, err := retort.LoadProject(d, fstest.MapFS{
				"1_a.sql": &fstest.MapFile{Data: []byte("-- revision: aaaa\n-- down_revision:\n-- message: a\n\n-- +upgrade\n-- +no-transaction\n" + stmt + "\n")},
			})
			if err != nil {
				t.Fatal(err)
			}
			r := NewReplayer(proj, victim.URL, t.TempDir())
			defer r.Close()
			var re *ReplayError
			if err := r.To(ctx, map[string]bool{"aaaa": true}); !errors.As(err, &re) || re.Failed != "aaaa" {
				t.Errorf("got %v, want a *ReplayError on aaaa", err)
			}
			if err := victim.SQL.PingContext(ctx); err != nil {
				t.Errorf("the victim database: %v", err)
			}
			var one int
			if err := victim.SQL.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
				t.Errorf("the victim database is gone: %v", err)
			}
		})
	}
}

// TestReplayerGoServerWide: a Go revision whose Execute drops a database
// is not replayed either (MySQL runs DROP DATABASE in any transaction).
func TestReplayerGoServerWide(t *testing.T) {
	victim := dbtest.MySQL(t)
	d, err := dburl.Dialect(victim.URL)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"1_g.go": &fstest.MapFile{Data: []byte(`package versions

import (
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

func init() {
	Registry.Add(script.GoRevision{
		Revision:     "gggg",
		DownRevision: "",
		Message:      "go",
		Upgrade:      func(o *op.Ops) error { return nil },
	})
}
`)}}
	reg := &script.Registry{}
	reg.Add(script.GoRevision{Revision: "gggg", Message: "go", Upgrade: func(o *op.Ops) error {
		o.Execute("DROP DATABASE " + victim.Name)
		return nil
	}})
	proj, err := retort.LoadProject(d, fsys, retort.WithRevisions(reg))
	if err != nil {
		t.Fatal(err)
	}
	r := NewReplayer(proj, victim.URL, t.TempDir())
	defer r.Close()
	var re *ReplayError
	if err := r.To(context.Background(), map[string]bool{"gggg": true}); !errors.As(err, &re) {
		t.Errorf("got %v, want a *ReplayError", err)
	}
	var one int
	if err := victim.SQL.QueryRow("SELECT 1").Scan(&one); err != nil {
		t.Errorf("the database beside the scratch one: %v", err)
	}
}
