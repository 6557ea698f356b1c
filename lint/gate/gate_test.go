package gate_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql", for tests only
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for tests only
	_ "modernc.org/sqlite"             // database/sql driver "sqlite", for tests only

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/lint"
	"github.com/retortdb/retort/lint/gate"
)

// revisions: 0001 creates a table, 0002 backfills it (a warning,
// RT606), 0003 drops it (an error, RT101).
func revisions() fstest.MapFS {
	return fstest.MapFS{
		"0001_create.sql":   {Data: []byte("-- revision: 0001\n-- down_revision:\n-- message: create\n\n-- +upgrade\nCREATE TABLE orders (id INTEGER PRIMARY KEY NOT NULL, a INTEGER NULL);\n\n-- +downgrade\nDROP TABLE orders;\n")},
		"0002_backfill.sql": {Data: []byte("-- revision: 0002\n-- down_revision: 0001\n-- message: backfill\n\n-- +upgrade\nUPDATE orders SET a = 0;\n\n-- +downgrade\nUPDATE orders SET a = NULL;\n")},
		"0003_drop.sql":     {Data: []byte("-- revision: 0003\n-- down_revision: 0002\n-- message: drop\n\n-- +upgrade\nDROP TABLE orders;\n\n-- +downgrade\nCREATE TABLE orders (id INTEGER PRIMARY KEY NOT NULL, a INTEGER NULL);\n")},
	}
}

// codes are the codes and severities of res's findings.
func codes(res *lint.Result) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, f.Severity.String()+" "+f.Code)
	}
	return out
}

func TestPreflightOnline(t *testing.T) {
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			ctx := context.Background()
			db := dbtest.For(t, dn)
			d, err := dburl.Dialect(db.URL)
			if err != nil {
				t.Fatal(err)
			}
			var reported []*lint.Result
			open := func(strict bool) *retort.Provider {
				check := gate.Preflight(gate.Options{Strict: strict, Report: func(_ context.Context, res *lint.Result) error {
					reported = append(reported, res)
					return nil
				}})
				p, err := retort.Open(db.SQL, d, revisions(), retort.WithPreflight(check))
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			p := open(false)
			tableCount := func() int {
				t.Helper()
				var n int
				q := map[string]string{
					"sqlite":   "SELECT count(*) FROM sqlite_master WHERE name = 'orders'",
					"postgres": "SELECT count(*) FROM pg_tables WHERE tablename = 'orders' AND schemaname = current_schema()",
					"mysql":    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'orders' AND table_schema = DATABASE()",
				}[dn]
				if err := db.SQL.QueryRowContext(ctx, q).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			versionTables := func() int {
				t.Helper()
				var n int
				q := map[string]string{
					"sqlite":   "SELECT count(*) FROM sqlite_master WHERE name LIKE 'retort%'",
					"postgres": "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'retort%'",
					"mysql":    "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'retort%' AND table_schema = DATABASE()",
				}[dn]
				if err := db.SQL.QueryRowContext(ctx, q).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}

			// An empty database and an upgrade whose plan holds an
			// error: refused, nothing made, not even the version table.
			res, err := p.Upgrade(ctx, "head")
			var pe *retort.PreflightError
			var ge *gate.Error
			if !errors.As(err, &pe) || !errors.As(err, &ge) {
				t.Fatalf("upgrade head on an empty database: %v, want a *retort.PreflightError of a *gate.Error", err)
			}
			if !slices.Contains(codes(ge.Result), "error RT101") || ge.Revisions != 3 {
				t.Errorf("refusal: %v over %d revisions, want error RT101 over 3", codes(ge.Result), ge.Revisions)
			}
			if !strings.HasPrefix(err.Error(), "lint found ") || !strings.HasSuffix(err.Error(), "in the 3 revisions to apply, so nothing was run") {
				t.Errorf("error %q", err)
			}
			if len(res.Steps) != 0 || tableCount() != 0 || versionTables() != 0 {
				t.Errorf("refused, and %d steps ran, orders: %d, retort tables: %d", len(res.Steps), tableCount(), versionTables())
			}
			if len(reported) != 1 || !slices.Equal(codes(reported[0]), codes(ge.Result)) {
				t.Errorf("reported %d results, want the refusal's", len(reported))
			}

			// Warnings pass: 0001 and 0002 apply, RT606 reported.
			reported = nil
			if _, err := p.Upgrade(ctx, "0002"); err != nil {
				t.Fatalf("upgrade 0002 (warnings only): %v", err)
			}
			if len(reported) != 1 || !slices.Contains(codes(reported[0]), "warning RT606") || reported[0].Count(lint.Error) != 0 {
				t.Errorf("upgrade 0002 reported %v, want warning RT606 and no error", reported)
			}
			if cur, err := p.Current(ctx); err != nil || !slices.Equal(cur, []string{"0002"}) {
				t.Fatalf("current after 0002: %v, %v", cur, err)
			}

			// The drop is refused on a database with history: still at
			// 0002, the table there.
			if _, err := p.Upgrade(ctx, "head"); !errors.As(err, &ge) {
				t.Fatalf("upgrade head from 0002: %v, want a refusal", err)
			}
			if cur, err := p.Current(ctx); err != nil || !slices.Equal(cur, []string{"0002"}) || tableCount() != 1 {
				t.Errorf("after the refusal: current %v (%v), orders %d; want 0002 and the table", cur, err, tableCount())
			}
			// The version rules checked by the live server's version:
			// none was skipped for want of one.
			if len(ge.Result.Skipped) != 0 {
				t.Errorf("rules skipped for want of a server version online: %v", ge.Result.Skipped)
			}

			// Nothing to do: no preflight at all.
			reported = nil
			if _, err := open(true).Upgrade(ctx, "0002"); err != nil || len(reported) != 0 {
				t.Errorf("upgrade to where the database is: %v, %d reports", err, len(reported))
			}
		})
	}
}

func TestPreflightStrictAndOffline(t *testing.T) {
	ctx := context.Background()
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			d, err := dburl.Dialect(map[string]string{"sqlite": "sqlite://", "postgres": "postgresql://localhost/x", "mysql": "mysql://localhost/x"}[dn])
			if err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				name, target string
				strict       bool
				refused      string // the finding that refuses, "" when the script is written
			}{
				{"warnings pass", "0002", false, ""},
				{"strict refuses warnings", "0002", true, "warning RT606"},
				{"errors refuse", "0002:head", false, "error RT101"},
				{"from base to head", "head", false, "error RT101"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					proj, err := retort.LoadProject(d, revisions(), retort.WithPreflight(gate.Preflight(gate.Options{Strict: tc.strict})))
					if err != nil {
						t.Fatal(err)
					}
					var buf bytes.Buffer
					err = proj.WriteUpgradeSQL(ctx, &buf, tc.target)
					if tc.refused == "" {
						if err != nil || !strings.Contains(buf.String(), "UPDATE orders SET a = 0") {
							t.Fatalf("script: %v\n%s", err, buf.String())
						}
						return
					}
					var ge *gate.Error
					if !errors.As(err, &ge) || !slices.Contains(codes(ge.Result), tc.refused) {
						t.Fatalf("got %v, want a refusal on %s", err, tc.refused)
					}
					if buf.Len() != 0 {
						t.Errorf("refused, and the script was written:\n%s", buf.String())
					}
				})
			}
		})
	}
}

// The info line on rules skipped for want of schema state says the
// upgrade lints without it; the caller's own reason is kept.
func TestPreflightStateReason(t *testing.T) {
	ctx := context.Background()
	d, err := dburl.Dialect("postgresql://localhost/x")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"0001_ix.sql": {Data: []byte("-- revision: 0001\n-- down_revision:\n-- message: ix\n\n-- +upgrade\nCREATE INDEX CONCURRENTLY ix_a ON t (a);\n\n-- +downgrade\nDROP INDEX ix_a;\n")}}
	for _, tc := range []struct{ given, want string }{
		{"", gate.NoStateReason},
		{"turned off", "turned off"},
	} {
		var got *lint.Result
		check := gate.Preflight(gate.Options{Settings: lint.Settings{StateMissing: tc.given, Severity: map[string]lint.Severity{"RT813": lint.Info}},
			Report: func(_ context.Context, res *lint.Result) error { got = res; return nil }})
		proj, err := retort.LoadProject(d, fsys, retort.WithPreflight(check))
		if err != nil {
			t.Fatal(err)
		}
		var ge *gate.Error
		if err := proj.WriteUpgradeSQL(ctx, &bytes.Buffer{}, "head"); err != nil && !errors.As(err, &ge) {
			t.Fatal(err)
		}
		if got == nil || !strings.Contains(got.SkippedStateLine(), "no schema state; "+tc.want+" (") {
			t.Errorf("state reason %q: line %q", tc.given, got.SkippedStateLine())
		}
	}
}

// TestPreflightCancelled: the gate runs under the migration lock; an
// upgrade whose context ends (an interrupt) is refused with the
// context's error at once, before any revision is linted or reported.
func TestPreflightCancelled(t *testing.T) {
	d, err := dburl.Dialect("postgresql://localhost/x")
	if err != nil {
		t.Fatal(err)
	}
	reported := false
	proj, err := retort.LoadProject(d, revisions(), retort.WithPreflight(gate.Preflight(gate.Options{
		Report: func(context.Context, *lint.Result) error { reported = true; return nil }})))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	if err := proj.WriteUpgradeSQL(ctx, &buf, "head"); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if reported || buf.Len() != 0 {
		t.Errorf("cancelled, and reported %v, %d bytes written", reported, buf.Len())
	}
}
