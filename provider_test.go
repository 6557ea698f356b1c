package retort_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql", for tests only
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for tests only

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/revision"
)

func dialectOf(name string) dialect.Dialect {
	switch name {
	case "postgres":
		return postgres.New()
	case "mysql":
		return mysql.New()
	}
	return sqlite.New()
}

// rev is a revision file of a test.
func rev(id, down, up, downSQL string) *fstest.MapFile {
	text := "-- revision: " + id + "\n-- down_revision: " + down + "\n-- message: step " + id + "\n\n-- +upgrade\n" + up + "\n"
	if downSQL != "-" {
		text += "\n-- +downgrade\n" + downSQL + "\n"
	}
	return &fstest.MapFile{Data: []byte(text)}
}

// linear is three revisions a -> b -> c that create and fill a table.
func linear() fstest.MapFS {
	return fstest.MapFS{
		"1_a.sql": rev("aaaa", "", "CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, v VARCHAR(20) NULL);", "DROP TABLE t;"),
		"2_b.sql": rev("bbbb", "aaaa", "INSERT INTO t (id) VALUES (1);", "DELETE FROM t WHERE id = 1;"),
		"3_c.sql": rev("cccc", "bbbb", "INSERT INTO t (id) VALUES (2);", "DELETE FROM t WHERE id = 2;"),
	}
}

func open(t *testing.T, db *dbtest.DB, fsys fstest.MapFS, opts ...retort.Option) *retort.Provider {
	t.Helper()
	var sqlDB *sql.DB
	if db != nil {
		sqlDB = db.SQL
	}
	name := "sqlite"
	if db != nil {
		name = db.Dialect
	}
	p, err := retort.Open(sqlDB, dialectOf(name), fsys, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func wantCurrent(t *testing.T, p *retort.Provider, want ...string) {
	t.Helper()
	got, err := p.Current(context.Background())
	if err != nil {
		t.Fatalf("Current: %v", err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Current = %v, want %v", got, want)
	}
}

func TestProvider_Lifecycle(t *testing.T) {
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := dbtest.For(t, name)
			p := open(t, db, linear())
			if h := p.Project().Heads(); !slices.Equal(h, []string{"cccc"}) {
				t.Fatalf("Heads = %v", h)
			}
			wantCurrent(t, p)

			plan, err := p.PlanUpgrade(ctx, "head")
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, s := range plan.Steps {
				ids = append(ids, s.Revision)
			}
			if !slices.Equal(ids, []string{"aaaa", "bbbb", "cccc"}) {
				t.Fatalf("Plan(head) = %v", ids)
			}
			wantCurrent(t, p) // planning runs nothing

			steps := []struct {
				do   func() error
				want []string
			}{
				{func() error { _, err := p.Upgrade(ctx, "+1"); return err }, []string{"aaaa"}},
				{func() error { _, err := p.Upgrade(ctx, "head"); return err }, []string{"cccc"}},
				{func() error { _, err := p.Upgrade(ctx, "head"); return err }, []string{"cccc"}}, // at head: a success
				{func() error { _, err := p.Downgrade(ctx, "-1"); return err }, []string{"bbbb"}},
				{func() error { _, err := p.Downgrade(ctx, "base"); return err }, nil},
				{func() error { _, err := p.Stamp(ctx, "head"); return err }, []string{"cccc"}},
				{func() error { _, err := p.StampPurge(ctx, "aaaa"); return err }, []string{"aaaa"}},
			}
			for i, s := range steps {
				if err := s.do(); err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				wantCurrent(t, p, s.want...)
			}
			down, err := p.PlanDowngrade(ctx, "base")
			if err != nil || len(down.Steps) != 1 || down.Steps[0].Revision != "aaaa" || down.Steps[0].Up {
				t.Fatalf("PlanDowngrade(base) = %+v, %v", down, err)
			}
			hist, err := p.History(ctx)
			if err != nil || len(hist) == 0 {
				t.Fatalf("History = %d rows, %v", len(hist), err)
			}
			if v, err := p.Verify(ctx); err != nil || !v.OK() || v.Matched != 1 {
				t.Fatalf("Verify = %+v, %v; want aaaa (stamped) matching", v, err)
			}
			if d, err := p.Dirty(ctx); err != nil || d != nil {
				t.Fatalf("Dirty = %v, %v", d, err)
			}
		})
	}
}

// TestProvider_Offline checks that the offline methods never touch the
// database: neither a nil one nor one that cannot be reached.
func TestProvider_Offline(t *testing.T) {
	unreachable, err := sql.Open("pgx", "postgres://u:pw@127.0.0.1:1/db?connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	defer unreachable.Close()
	for _, tc := range []struct {
		name string
		db   *sql.DB
		d    dialect.Dialect
	}{
		{"nil db", nil, sqlite.New()},
		{"unreachable db", unreachable, postgres.New()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			p, err := retort.Open(tc.db, tc.d, linear())
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			var up, down bytes.Buffer
			if err := p.Project().WriteUpgradeSQL(ctx, &up, "head"); err != nil {
				t.Fatalf("WriteSQL: %v", err)
			}
			if err := p.Project().WriteDowngradeSQL(ctx, &down, "cccc:aaaa"); err != nil {
				t.Fatalf("WriteDowngradeSQL: %v", err)
			}
			for _, want := range []string{"-- Running upgrade  -> aaaa", "-- Running upgrade bbbb -> cccc", "CREATE TABLE"} {
				if !strings.Contains(up.String(), want) {
					t.Errorf("upgrade script lacks %q:\n%s", want, up.String())
				}
			}
			for _, want := range []string{"-- Running downgrade cccc -> bbbb", "-- Running downgrade bbbb -> aaaa"} {
				if !strings.Contains(down.String(), want) {
					t.Errorf("downgrade script lacks %q:\n%s", want, down.String())
				}
			}
			if strings.Contains(down.String(), "downgrade aaaa ->") {
				t.Errorf("downgrade script goes below aaaa:\n%s", down.String())
			}
			if err := p.Project().WriteDowngradeSQL(ctx, &down, "aaaa"); err == nil {
				t.Errorf("WriteDowngradeSQL without a range succeeded")
			}
			if stats := unreachable.Stats(); stats.OpenConnections != 0 {
				t.Errorf("%d connections were opened", stats.OpenConnections)
			}
			if tc.db == nil {
				if _, err := p.Current(ctx); !errors.Is(err, retort.ErrNoDatabase) {
					t.Errorf("Current without a database: %v, want ErrNoDatabase", err)
				}
				if _, err := p.Upgrade(ctx, "head"); !errors.Is(err, retort.ErrNoDatabase) {
					t.Errorf("Upgrade without a database: %v, want ErrNoDatabase", err)
				}
			}
		})
	}
}

// TestProvider_GraphErrors checks that the graph and target errors of
// package revision reach the caller as they are, for errors.As.
func TestProvider_GraphErrors(t *testing.T) {
	branched := linear()
	branched["4_d.sql"] = rev("dddd", "aaaa", "SELECT 1;", "SELECT 1;")
	cases := []struct {
		name   string
		fsys   fstest.MapFS
		action func(p *retort.Provider) error // nil: Open fails
		check  func(error) bool
	}{
		{"duplicate", fstest.MapFS{"1.sql": rev("aaaa", "", "SELECT 1;", ""), "2.sql": rev("aaaa", "", "SELECT 1;", "")}, nil,
			func(err error) bool { var e *revision.GraphError; return errors.As(err, &e) }},
		{"missing parent", fstest.MapFS{"1.sql": rev("aaaa", "ffff", "SELECT 1;", "")}, nil,
			func(err error) bool { var e *revision.GraphError; return errors.As(err, &e) }},
		{"cycle", fstest.MapFS{"1.sql": rev("aaaa", "bbbb", "SELECT 1;", ""), "2.sql": rev("bbbb", "aaaa", "SELECT 1;", "")}, nil,
			func(err error) bool { var e *revision.CycleError; return errors.As(err, &e) }},
		{"unknown target", linear(), func(p *retort.Provider) error { _, err := p.Upgrade(context.Background(), "zzzz"); return err },
			func(err error) bool { var e *revision.ResolutionError; return errors.As(err, &e) }},
		{"multiple heads", branched, func(p *retort.Provider) error { _, err := p.Upgrade(context.Background(), "head"); return err },
			func(err error) bool { var e *revision.MultipleHeadsError; return errors.As(err, &e) }},
		{"offline unknown target", linear(), func(p *retort.Provider) error {
			return p.Project().WriteUpgradeSQL(context.Background(), &bytes.Buffer{}, "zzzz")
		},
			func(err error) bool { var e *revision.ResolutionError; return errors.As(err, &e) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := dbtest.SQLite(t)
			p, err := retort.Open(db.SQL, sqlite.New(), tc.fsys)
			if tc.action == nil {
				if err == nil || !tc.check(err) {
					t.Fatalf("Open: %v (%T), want the graph's error", err, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			if err := tc.action(p); err == nil || !tc.check(err) {
				t.Fatalf("got %v (%T)", err, err)
			}
		})
	}
}

// TestProvider_RunErrors checks the errors of runs with errors.Is/As.
func TestProvider_RunErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("statement fails", func(t *testing.T) {
		for _, name := range dbtest.Dialects {
			t.Run(name, func(t *testing.T) {
				fsys := linear()
				fsys["3_c.sql"] = rev("cccc", "bbbb", "INSERT INTO no_such_table (id) VALUES (2);", "")
				p := open(t, dbtest.For(t, name), fsys)
				_, err := p.Upgrade(ctx, "head")
				var pe *retort.PartialError
				var se *retort.StmtError
				if !errors.As(err, &pe) || !errors.As(err, &se) {
					t.Fatalf("Upgrade: %v (%T), want *PartialError wrapping *StmtError", err, err)
				}
				if !slices.Equal(pe.Applied, []string{"aaaa", "bbbb"}) || pe.Failed != "cccc" || se.Revision != "cccc" {
					t.Errorf("PartialError{Applied: %v, Failed: %s}, StmtError.Revision %s", pe.Applied, pe.Failed, se.Revision)
				}
				wantCurrent(t, p, "bbbb")
			})
		}
	})
	t.Run("no downgrade", func(t *testing.T) {
		fsys := linear()
		fsys["2_b.sql"] = rev("bbbb", "aaaa", "INSERT INTO t (id) VALUES (1);", "-")
		p := open(t, dbtest.SQLite(t), fsys)
		if _, err := p.Upgrade(ctx, "head"); err != nil {
			t.Fatal(err)
		}
		_, err := p.Downgrade(ctx, "base")
		var se *retort.ScriptError
		if !errors.Is(err, retort.ErrNoDowngrade) || !errors.As(err, &se) || se.Revision != "bbbb" {
			t.Fatalf("Downgrade: %v, want ErrNoDowngrade for bbbb", err)
		}
		wantCurrent(t, p, "cccc") // nothing ran
	})
	t.Run("checksum mismatch", func(t *testing.T) {
		for _, name := range dbtest.Dialects {
			t.Run(name, func(t *testing.T) {
				db := dbtest.For(t, name)
				fsys := linear()
				if _, err := open(t, db, fsys).Upgrade(ctx, "bbbb"); err != nil {
					t.Fatal(err)
				}
				fsys["2_b.sql"] = rev("bbbb", "aaaa", "INSERT INTO t (id) VALUES (10);", "DELETE FROM t WHERE id = 10;")
				p := open(t, db, fsys)
				_, err := p.Upgrade(ctx, "head")
				var ce *retort.ChecksumError
				if !errors.Is(err, retort.ErrChecksumMismatch) || !errors.As(err, &ce) || ce.Changed[0].Revision != "bbbb" {
					t.Fatalf("Upgrade: %v, want ErrChecksumMismatch for bbbb", err)
				}
				if v, err := p.Verify(ctx); err != nil || len(v.Changed) != 1 || v.Changed[0].Revision != "bbbb" || len(v.Unverified) != 0 {
					t.Fatalf("Verify = %+v, %v; want bbbb changed", v, err)
				}
				if _, err := open(t, db, fsys, retort.WithAllowChanged(true)).Upgrade(ctx, "head"); err != nil {
					t.Fatalf("Upgrade with WithAllowChanged: %v", err)
				}
			})
		}
	})
	t.Run("dirty", func(t *testing.T) {
		for _, name := range dbtest.Dialects {
			t.Run(name, func(t *testing.T) {
				fsys := linear()
				fsys["3_c.sql"] = rev("cccc", "bbbb", "-- +no-transaction\nINSERT INTO t (id) VALUES (2);\nINSERT INTO no_such_table (id) VALUES (3);", "")
				p := open(t, dbtest.For(t, name), fsys)
				if _, err := p.Upgrade(ctx, "head"); err == nil {
					t.Fatal("Upgrade succeeded")
				}
				_, err := p.Upgrade(ctx, "head")
				var de *retort.DirtyError
				if !errors.Is(err, retort.ErrDirty) || !errors.As(err, &de) || de.Revision != "cccc" || de.Done != 1 {
					t.Fatalf("second Upgrade: %v, want ErrDirty for cccc after 1 statement", err)
				}
				if d, err := p.Dirty(ctx); err != nil || d == nil || d.Revision != "cccc" {
					t.Fatalf("Dirty = %v, %v", d, err)
				}
				if err := p.MarkRolledBack(ctx, "cccc"); err != nil {
					t.Fatalf("Resolve: %v", err)
				}
				wantCurrent(t, p, "bbbb")
			})
		}
	})
	t.Run("locked", func(t *testing.T) {
		db := dbtest.SQLite(t)
		// Another writer holds SQLite's write lock.
		conn, err := db.SQL.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			t.Fatal(err)
		}
		defer conn.ExecContext(context.Background(), "ROLLBACK")
		other, err := sql.Open("sqlite", db.Name)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		p, err := retort.Open(other, sqlite.New(), linear(), retort.WithLockTimeout(50*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Upgrade(ctx, "head"); !errors.Is(err, retort.ErrLocked) {
			t.Fatalf("Upgrade: %v, want ErrLocked", err)
		}
	})
}

// TestProvider_Close checks who closes the database.
func TestProvider_Close(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   []retort.Option
		closed bool
	}{
		{"caller owns the database", nil, false},
		{"WithCloseDB", []retort.Option{retort.WithCloseDB(true)}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := dbtest.SQLite(t)
			p, err := retort.Open(db.SQL, sqlite.New(), linear(), tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Close(); err != nil {
				t.Fatal(err)
			}
			err = db.SQL.Ping()
			if closed := err != nil && strings.Contains(err.Error(), "closed"); closed != tc.closed {
				t.Fatalf("after Close, Ping: %v; want closed=%v", err, tc.closed)
			}
		})
	}
}

// TestProjectBindMany parses the revisions once and migrates three
// databases of each dialect with the one Project at the same time, one
// Provider each: the bindings share the Project and none changes it (run
// with -race), each database ends at head with its own history, and the
// Project still writes the same offline script afterwards.
func TestProjectBindMany(t *testing.T) {
	ctx := context.Background()
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			proj, err := retort.LoadProject(dialectOf(name), linear(), retort.WithTag("many"))
			if err != nil {
				t.Fatal(err)
			}
			var before bytes.Buffer
			if err := proj.WriteUpgradeSQL(ctx, &before, "head"); err != nil {
				t.Fatal(err)
			}
			dbs := make([]*dbtest.DB, 3)
			for i := range dbs {
				dbs[i] = dbtest.For(t, name)
			}
			errs := make(chan error, len(dbs))
			for _, db := range dbs {
				go func() {
					res, err := proj.Bind(db.SQL).Upgrade(ctx, "head")
					if err == nil && len(res.Steps) != 3 {
						err = fmt.Errorf("%d steps applied, want 3", len(res.Steps))
					}
					errs <- err
				}()
			}
			for range dbs {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
			}
			for _, db := range dbs {
				p := proj.Bind(db.SQL)
				wantCurrent(t, p, "cccc")
				rows, err := p.History(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) != 3 || rows[2].Tag != "many" {
					t.Errorf("history = %+v, want 3 rows tagged many", rows)
				}
			}
			var after bytes.Buffer
			if err := proj.WriteUpgradeSQL(ctx, &after, "head"); err != nil {
				t.Fatal(err)
			}
			if before.String() != after.String() {
				t.Errorf("the offline script changed after the Project ran on three databases")
			}
		})
	}
}

// TestProviderNamedMethods checks the named pairs that replaced mode
// booleans: PlanUpgrade/PlanDowngrade, MarkApplied/MarkRolledBack (on a
// database that is not dirty: an error naming the revision), and that a
// Provider bound to no database says so.
func TestProviderNamedMethods(t *testing.T) {
	ctx := context.Background()
	db := dbtest.SQLite(t)
	p := open(t, db, linear())
	up, err := p.PlanUpgrade(ctx, "head")
	if err != nil || len(up.Steps) != 3 {
		t.Fatalf("PlanUpgrade = %v, %v; want 3 steps", up, err)
	}
	if _, err := p.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	down, err := p.PlanDowngrade(ctx, "base")
	if err != nil || len(down.Steps) != 3 {
		t.Fatalf("PlanDowngrade = %v, %v; want 3 steps", down, err)
	}
	for _, mark := range []func(context.Context, string) error{p.MarkApplied, p.MarkRolledBack} {
		if err := mark(ctx, "bbbb"); err == nil || !strings.Contains(err.Error(), "bbbb") {
			t.Errorf("marking a step that is not dirty: %v, want an error naming bbbb", err)
		}
	}
	wantCurrent(t, p, "cccc")
	none := p.Project().Bind(nil)
	if _, err := none.Upgrade(ctx, "head"); !errors.Is(err, retort.ErrNoDatabase) {
		t.Errorf("Upgrade without a database: %v, want ErrNoDatabase", err)
	}
}
