package retort_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort/internal/dbtest"
)

// squashedFS is the project of linear() after a squash up to bbbb: the
// squashed revision ssss, a..b in the archive folder, c where it was.
func squashedFS() fstest.MapFS {
	full := linear()
	return fstest.MapFS{
		"archive/1_a.sql": full["1_a.sql"],
		"archive/2_b.sql": full["2_b.sql"],
		"3_c.sql":         full["3_c.sql"],
		"0_s.sql": {Data: []byte("-- revision: ssss\n-- down_revision:\n-- message: squash\n-- replaces: aaaa, bbbb\n\n" +
			"-- +upgrade\nCREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, v VARCHAR(20) NULL);\nINSERT INTO t (id) VALUES (1);\n\n" +
			"-- +downgrade\nDROP TABLE t;\n")},
	}
}

// TestSquash_Run checks the rule of a squashed project on every
// database: a fresh database runs the squashed revision, then the
// children; a database inside the squashed part runs the archived
// revisions; one past it runs nothing new; verify passes on each, the
// squashed revision's checksum standing for the ones it replaced; a
// downgrade to base reverts the squashed revision; the offline script
// from base runs it too.
func TestSquash_Run(t *testing.T) {
	ctx := context.Background()
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			tests := []struct {
				name   string
				before string   // upgrade the full project to this first ("" none)
				want   []string // revisions the squashed project then runs to head
			}{
				{"fresh database", "", []string{"ssss", "cccc"}},
				{"inside the squashed part", "aaaa", []string{"bbbb", "cccc"}},
				{"at the squash's target", "bbbb", []string{"cccc"}},
				{"past it", "cccc", nil},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					db := dbtest.For(t, name)
					if tt.before != "" {
						if _, err := open(t, db, linear()).Upgrade(ctx, tt.before); err != nil {
							t.Fatal(err)
						}
					}
					p := open(t, db, squashedFS())
					if h := p.Project().Heads(); !slices.Equal(h, []string{"cccc"}) {
						t.Fatalf("heads = %v", h)
					}
					res, err := p.Upgrade(ctx, "head")
					if err != nil {
						t.Fatal(err)
					}
					if got := res.Revisions(); !slices.Equal(got, tt.want) {
						t.Errorf("ran %v, want %v", got, tt.want)
					}
					wantCurrent(t, p, "cccc")
					v, err := p.Verify(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if !v.OK() || v.Matched == 0 {
						t.Errorf("verify: %+v", v)
					}
					var n int
					if err := db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 2 {
						t.Errorf("rows of t: %d, %v; want 2", n, err)
					}
					res, err = p.Downgrade(ctx, "base")
					if err != nil {
						t.Fatal(err)
					}
					wantDown := []string{"cccc", "ssss"}
					if got := res.Revisions(); !slices.Equal(got, wantDown) {
						t.Errorf("downgrade base ran %v, want %v", got, wantDown)
					}
					wantCurrent(t, p)
				})
			}
		})
	}
}

// TestSquash_Offline checks that an offline upgrade from base goes
// through the squashed revision and records its target in the version
// table, and one from inside the squashed part through the archived ones.
func TestSquash_Offline(t *testing.T) {
	ctx := context.Background()
	p := open(t, nil, squashedFS())
	var b bytes.Buffer
	if err := p.Project().WriteUpgradeSQL(ctx, &b, "head"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"-- Running upgrade  -> ssss", "-- Running upgrade bbbb -> cccc", "'bbbb'"} {
		if !strings.Contains(out, want) {
			t.Errorf("offline script lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "-> aaaa") {
		t.Errorf("offline script from base runs the archived revisions:\n%s", out)
	}
	b.Reset()
	if err := p.Project().WriteUpgradeSQL(ctx, &b, "aaaa:head"); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); !strings.Contains(out, "-- Running upgrade aaaa -> bbbb") || strings.Contains(out, "ssss") {
		t.Errorf("offline script from aaaa:\n%s", out)
	}
}
