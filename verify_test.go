package retort_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/script"
)

// sumOf is the hex checksum of a file of fsys, as retort records it.
func sumOf(fsys fstest.MapFS, name string) string {
	s := script.Checksum(fsys[name].Data)
	return hex.EncodeToString(s[:])
}

func unverifiedIDs(us []retort.Unverified) []string {
	var ids []string
	for _, u := range us {
		ids = append(ids, u.Revision)
	}
	return ids
}

// TestStamp_Checksum checks that every stamp row carries the checksum of
// the file stamped to, one row per head, online on every database and in
// offline scripts of every dialect.
func TestStamp_Checksum(t *testing.T) {
	ctx := context.Background()
	branched := linear()
	branched["4_d.sql"] = rev("dddd", "aaaa", "SELECT 1;", "SELECT 1;")
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			p := open(t, dbtest.For(t, name), branched)
			steps := []struct {
				targets []string
				want    []string // revision|direction|checksum of the rows added
			}{
				{[]string{"cccc", "dddd"}, []string{"cccc|stamp|" + sumOf(branched, "3_c.sql"), "dddd|stamp|" + sumOf(branched, "4_d.sql")}},
				{[]string{"aaaa"}, []string{"aaaa|stamp|" + sumOf(branched, "1_a.sql")}},
				{[]string{"base"}, []string{"aaaa|stamp|"}}, // removes a head: no file stamped to
			}
			seen := 0
			for _, s := range steps {
				if _, err := p.Stamp(ctx, s.targets...); err != nil {
					t.Fatalf("Stamp(%v): %v", s.targets, err)
				}
				rows, err := p.History(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range rows[seen:] {
					got = append(got, r.Revision+"|"+r.Direction+"|"+r.Checksum)
				}
				seen = len(rows)
				if !slices.Equal(got, s.want) {
					t.Errorf("Stamp(%v) wrote rows %q, want %q", s.targets, got, s.want)
				}
			}
		})
	}
	// A file with dialect sections: the stamp records the checksum of what
	// the dialect runs, as an upgrade does.
	sections := fstest.MapFS{"1_e.sql": &fstest.MapFile{Data: []byte("-- revision: eeee\n-- down_revision:\n\n" +
		"-- +upgrade\nCREATE TABLE e (id INTEGER);\n\n-- +downgrade\nDROP TABLE e;\n\n" +
		"-- +upgrade sqlite\nCREATE TABLE e (id INTEGER, s INTEGER);\n")}}
	for _, name := range dbtest.Dialects {
		t.Run(name+"/dialect sections", func(t *testing.T) {
			sums := make([]string, 2)
			for i, do := range []func(*retort.Provider) error{
				func(p *retort.Provider) error { _, err := p.Upgrade(ctx, "head"); return err },
				func(p *retort.Provider) error { _, err := p.Stamp(ctx, "head"); return err },
			} {
				p := open(t, dbtest.For(t, name), sections)
				if err := do(p); err != nil {
					t.Fatal(err)
				}
				rows, err := p.History(ctx)
				if err != nil || len(rows) != 1 {
					t.Fatalf("History = %+v, %v", rows, err)
				}
				sums[i] = rows[0].Checksum
				if v, err := p.Verify(ctx); err != nil || !v.OK() {
					t.Fatalf("Verify = %+v, %v", v, err)
				}
			}
			if sums[0] != sums[1] || len(sums[0]) != 64 {
				t.Errorf("stamp recorded checksum %q, upgrade %q", sums[1], sums[0])
			}
			if whole := sumOf(sections, "1_e.sql"); sums[0] == whole {
				t.Errorf("checksum %q is the whole file's: want that of what %s runs", sums[0], name)
			}
		})
	}
	for _, name := range dbtest.Dialects {
		t.Run(name+"/offline", func(t *testing.T) {
			p, err := retort.LoadProject(dialectOf(name), branched)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := p.WriteStampSQL(ctx, &b, "aaaa", "cccc", "dddd"); err != nil {
				t.Fatalf("WriteStampSQL: %v", err)
			}
			for _, f := range []string{"3_c.sql", "4_d.sql"} {
				if want := "'" + sumOf(branched, f) + "'"; strings.Count(b.String(), want) != 1 {
					t.Errorf("the stamp script names the checksum of %s %d times, want once:\n%s", f, strings.Count(b.String(), want), b.String())
				}
			}
		})
	}
}

// TestVerify_Unverified checks Verify and RecordChecksums on a stamped
// database: revisions with no checksum are unverified until recorded, and
// a file changed after its checksum was recorded is still reported.
func TestVerify_Unverified(t *testing.T) {
	ctx := context.Background()
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			db := dbtest.For(t, name)
			fsys := linear()
			p := open(t, db, fsys)
			type want struct {
				changed, unverified []string
				matched             int
			}
			check := func(p *retort.Provider, w want) {
				t.Helper()
				v, err := p.Verify(ctx)
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				var changed []string
				for _, c := range v.Changed {
					changed = append(changed, c.Revision)
				}
				if !slices.Equal(changed, w.changed) || !slices.Equal(unverifiedIDs(v.Unverified), w.unverified) || v.Matched != w.matched {
					t.Fatalf("Verify = changed %v, unverified %v, matched %d; want %v, %v, %d", changed, unverifiedIDs(v.Unverified), v.Matched, w.changed, w.unverified, w.matched)
				}
				if v.OK() != (len(w.changed) == 0 && len(w.unverified) == 0) {
					t.Fatalf("Verify().OK() = %v", v.OK())
				}
			}

			// Nothing applied: nothing to record, and no table made.
			if got, err := p.RecordChecksums(ctx); err != nil || len(got) != 0 {
				t.Fatalf("RecordChecksums on an empty database = %v, %v", got, err)
			}
			if rows, err := p.History(ctx); err != nil || rows != nil {
				t.Fatalf("History after RecordChecksums on an empty database = %v, %v; want no table", rows, err)
			}

			if _, err := p.Stamp(ctx, "cccc"); err != nil {
				t.Fatal(err)
			}
			check(p, want{unverified: []string{"aaaa", "bbbb"}, matched: 1})

			got, err := p.RecordChecksums(ctx)
			if err != nil {
				t.Fatalf("RecordChecksums: %v", err)
			}
			if !slices.Equal(unverifiedIDs(got), []string{"aaaa", "bbbb"}) || got[0].Now != sumOf(fsys, "1_a.sql") || got[1].Now != sumOf(fsys, "2_b.sql") {
				t.Fatalf("RecordChecksums = %+v", got)
			}
			rows, err := p.History(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var hist []string
			for _, r := range rows {
				hist = append(hist, r.Revision+"|"+r.Direction+"|"+r.Checksum)
			}
			if w := []string{"cccc|stamp|" + sumOf(fsys, "3_c.sql"), "aaaa|baseline|" + sumOf(fsys, "1_a.sql"), "bbbb|baseline|" + sumOf(fsys, "2_b.sql")}; !slices.Equal(hist, w) {
				t.Fatalf("history %q, want %q", hist, w)
			}
			check(p, want{matched: 3})
			if got, err := p.RecordChecksums(ctx); err != nil || len(got) != 0 {
				t.Fatalf("RecordChecksums again = %v, %v; want none", got, err)
			}

			// A file changed since: reported, and not re-recorded.
			fsys["1_a.sql"] = rev("aaaa", "", "CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY);", "DROP TABLE t;")
			p = open(t, db, fsys)
			check(p, want{changed: []string{"aaaa"}, matched: 2})
			if got, err := p.RecordChecksums(ctx); err != nil || len(got) != 0 {
				t.Fatalf("RecordChecksums with a changed file = %v, %v; want none", got, err)
			}
			check(p, want{changed: []string{"aaaa"}, matched: 2})

			// Downgraded and stamped again: the downgraded revisions have
			// no checksum until they run or are recorded.
			fsys = linear()
			p = open(t, db, fsys)
			if _, err := p.StampPurge(ctx, "base"); err != nil {
				t.Fatal(err)
			}
			if _, err := p.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if _, err := p.Downgrade(ctx, "aaaa"); err != nil {
				t.Fatal(err)
			}
			if _, err := p.Stamp(ctx, "cccc"); err != nil {
				t.Fatal(err)
			}
			check(p, want{unverified: []string{"bbbb"}, matched: 2})
		})
	}
}

// TestRecordChecksums_Dirty checks that a dirty database is refused.
func TestRecordChecksums_Dirty(t *testing.T) {
	ctx := context.Background()
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			fsys := linear()
			fsys["2_b.sql"] = rev("bbbb", "aaaa", "-- +no-transaction\nINSERT INTO t (id) VALUES (1);\nINSERT INTO no_such_table (id) VALUES (1);", "-")
			p := open(t, dbtest.For(t, name), fsys)
			if _, err := p.Upgrade(ctx, "head"); err == nil {
				t.Fatal("Upgrade succeeded; want a failure that leaves bbbb dirty")
			}
			rows, err := p.History(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.RecordChecksums(ctx)
			var de *retort.DirtyError
			if !errors.Is(err, retort.ErrDirty) || !errors.As(err, &de) || de.Revision != "bbbb" {
				t.Fatalf("RecordChecksums on a dirty database: %v, want ErrDirty for bbbb", err)
			}
			if after, err := p.History(ctx); err != nil || len(after) != len(rows) {
				t.Fatalf("History after a refused RecordChecksums: %d rows (%v), want %d", len(after), err, len(rows))
			}
		})
	}
}

// TestUpgrade_Unverified checks that revisions with no checksum do not
// stop an upgrade (only changed files do), and that the step it runs is
// verified from then on.
func TestUpgrade_Unverified(t *testing.T) {
	ctx := context.Background()
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			fsys := linear()
			fsys["4_d.sql"] = rev("dddd", "cccc", "CREATE TABLE u (id INTEGER NOT NULL);", "DROP TABLE u;")
			p := open(t, dbtest.For(t, name), fsys)
			if _, err := p.Stamp(ctx, "cccc"); err != nil {
				t.Fatal(err)
			}
			if _, err := p.Upgrade(ctx, "head"); err != nil {
				t.Fatalf("Upgrade over unverified revisions: %v", err)
			}
			wantCurrent(t, p, "dddd")
			v, err := p.Verify(ctx)
			if err != nil || len(v.Changed) != 0 || !slices.Equal(unverifiedIDs(v.Unverified), []string{"aaaa", "bbbb"}) || v.Matched != 2 {
				t.Fatalf("Verify = %+v, %v; want aaaa and bbbb unverified, cccc and dddd matching", v, err)
			}
		})
	}
}
