package script

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestRender(t *testing.T) {
	tests := []struct {
		name     string
		h        Header
		up, down string
	}{
		{
			name: "sample",
			h: Header{Revision: "3f2a9c1b7d4e", DownRevisions: []string{"1a2b3c4d5e6f"}, Message: "Add new column",
				CreateDate: time.Date(2021, 11, 28, 14, 32, 5, 0, time.UTC)},
			up:   "ALTER TABLE account ADD COLUMN email VARCHAR(255) NULL;",
			down: "ALTER TABLE account DROP COLUMN email;",
		},
		{
			name: "new base, empty sections",
			h:    Header{Revision: "aaaa00000001", Message: "create account table", CreateDate: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		},
		{
			name: "merge with labels",
			h: Header{Revision: "dddd00000004", DownRevisions: []string{"bbbb00000002", "cccc00000003"},
				BranchLabels: []string{"accounts", " billing "}, DependsOn: []string{"lib0001", ""},
				Message:    "  Join the branches\nsecond line is dropped",
				CreateDate: time.Date(2021, 11, 28, 14, 32, 5, 0, time.FixedZone("CET", 3600))},
			up:   "\n\n  -- indented comment\r\nCREATE TABLE t (x INT);\r\nCREATE TABLE u (y INT);\r\n\r\n",
			down: "DROP TABLE u;\nDROP TABLE t;\n\n\n",
		},
		{
			name: "no create date, line breaks in values",
			h:    Header{Revision: "r1\n", DownRevisions: []string{"a\r\nb"}, Message: "\r\n"},
			up:   "-- +no-transaction\nVACUUM;",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Render(tt.h, tt.up, tt.down)
			golden := filepath.Join("testdata", "render_"+strings.NewReplacer(" ", "_", ",", "").Replace(tt.name)+".sql.golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Render:\n%s\nwant (%s):\n%s", got, golden, want)
			}
			if _, _, err := Parse(got, golden); err != nil {
				t.Errorf("the rendered file does not parse: %v", err)
			}
		})
	}
	t.Run("sample is the documented example", func(t *testing.T) {
		got := Render(tests[0].h, tests[0].up, tests[0].down)
		if string(got) != sample {
			t.Errorf("Render:\n%s\nwant:\n%s", got, sample)
		}
	})
}

func TestRenderParseRoundTrip(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	tests := []struct {
		name     string
		h        Header
		up, down string
		want     header
	}{
		{
			name: "every field",
			h: Header{Revision: "3f2a9c1b7d4e", DownRevisions: []string{"a1", "b2"}, BranchLabels: []string{"x", "y"},
				DependsOn: []string{"z"}, Message: "Add: a column", CreateDate: time.Date(2021, 11, 28, 14, 32, 5, 0, time.UTC)},
			up: "SELECT 1;", down: "SELECT 2;",
			want: header{Revision: "3f2a9c1b7d4e", Down: []string{"a1", "b2"}, Labels: []string{"x", "y"},
				Depends: []string{"z"}, Message: "Add: a column", CreateDate: "2021-11-28 14:32:05 UTC"},
		},
		{
			name: "base with nothing else",
			h:    Header{Revision: "r"},
			want: header{Revision: "r"},
		},
		{
			name: "time in its own location",
			h:    Header{Revision: "r", CreateDate: time.Date(2021, 11, 28, 14, 32, 5, 0, cet)},
			want: header{Revision: "r", CreateDate: "2021-11-28 14:32:05 CET"},
		},
		{
			name: "multi-line message keeps its first line",
			h:    Header{Revision: "r", Message: "First line \r\nsecond"},
			want: header{Revision: "r", Message: "First line"},
		},
		{
			name: "unicode",
			h:    Header{Revision: "r", BranchLabels: []string{"élan"}, Message: "Ajouter l'élément — 日本"},
			want: header{Revision: "r", Labels: []string{"élan"}, Message: "Ajouter l'élément — 日本"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, body, err := Parse(Render(tt.h, tt.up, tt.down), "x.sql")
			if err != nil {
				t.Fatal(err)
			}
			if !headerOf(s).equal(tt.want) {
				t.Errorf("got  %+v\nwant %+v", headerOf(s), tt.want)
			}
			if len(s.HeaderLines()) != 6 {
				t.Errorf("HeaderLine %v: Render writes every key", s.HeaderLines())
			}
			if !body.Upgrade.Present || !body.Downgrade.Present ||
				strings.TrimSpace(body.Upgrade.SQL) != tt.up || strings.TrimSpace(body.Downgrade.SQL) != tt.down {
				t.Errorf("sections %+v", body)
			}
		})
	}
}

func TestFileName(t *testing.T) {
	const defaultTemplate = "%(year)d%(month).2d%(day).2d_%(hour).2d%(minute).2d_%(rev)s_%(slug)s"
	at := time.Date(2021, 11, 8, 4, 3, 2, 0, time.UTC)
	tests := []struct {
		name, tmpl, msg string
		at              time.Time
		trunc           int
		want            string
	}{
		{"default template", defaultTemplate, "Add new column", at, 40, "20211108_0403_3f2a9c1b7d4e_add_new_column.sql"},
		{"default template, other zone", defaultTemplate, "Add new column", at.In(time.FixedZone("JST", 9*3600)), 40, "20211108_1303_3f2a9c1b7d4e_add_new_column.sql"},
		{"default template, date rolls over", defaultTemplate, "x", at.In(time.FixedZone("W", -5*3600)), 40, "20211107_2303_3f2a9c1b7d4e_x.sql"},
		{"alembic rev_slug", "%(rev)s_%(slug)s", "Add new column", at, 40, "3f2a9c1b7d4e_add_new_column.sql"},
		{"punctuation in the message", "%(rev)s_%(slug)s", "Add, new -- column!  (v2.5)", at, 40, "3f2a9c1b7d4e_add_new_column_v2_5.sql"},
		{"underscores kept", "%(rev)s_%(slug)s", "drop old_table", at, 40, "3f2a9c1b7d4e_drop_old_table.sql"},
		{"epoch", "%(epoch)s_%(rev)s", "x", at, 40, "1636344182_3f2a9c1b7d4e.sql"},
		{"epoch as a number", "%(epoch)d", "x", at, 40, "1636344182.sql"},
		{"seconds", "%(year)d%(month).2d%(day).2d%(hour).2d%(minute).2d%(second).2d", "x", at, 40, "20211108040302.sql"},
		{"percent", "%(rev)s_100%%", "x", at, 40, "3f2a9c1b7d4e_100%.sql"},
		{"escaped token", "%%(rev)s_%(rev)s", "x", at, 40, "%(rev)s_3f2a9c1b7d4e.sql"},
		{"no tokens", "fixed", "x", at, 40, "fixed.sql"},
		{"zero flag and width", "%(day)02d-%(month)03d", "x", at, 40, "08-011.sql"},
		{"width pads with spaces", "%(day)3d|%(day)-3d|", "x", at, 40, "  8|8  |.sql"},
		{"plus flag", "%(day)+d", "x", at, 40, "+8.sql"},
		{"precision cuts text", "%(rev).4s", "x", at, 40, "3f2a.sql"},
		{"width pads text", "%(rev)14s|%(rev)-14s|", "x", at, 40, "  3f2a9c1b7d4e|3f2a9c1b7d4e  |.sql"},
		{"i and length modifier", "%(year)i%(month)ld", "x", at, 40, "202111.sql"},
		{"number as text", "%(month)s-%(day)s", "x", at, 40, "11-8.sql"},
		{"slug truncated at a word", "%(rev)s_%(slug)s", "this is a rather long message indeed", at, 12, "3f2a9c1b7d4e_this_is_a_.sql"},
		{"slug truncated inside one word", "%(slug)s", "Supercalifragilistic word", at, 5, "super_.sql"},
		{"slug cut right after a word", "%(slug)s", "abc def ghi", at, 4, "abc_.sql"},
		{"slug at the limit is kept", "%(slug)s", "abc def", at, 7, "abc_def.sql"},
		{"unicode slug", "%(rev)s_%(slug)s", "Ajouter l'élément Über", at, 40, "3f2a9c1b7d4e_ajouter_l_élément_über.sql"},
		{"unicode slug truncated by characters", "%(slug)s", "élément über", at, 3, "élé_.sql"},
		{"cjk slug", "%(slug)s", "日本語のテスト 2", at, 40, "日本語のテスト_2.sql"},
		{"empty message", "%(rev)s_%(slug)s", "", at, 40, "3f2a9c1b7d4e_.sql"},
		{"message without words", "%(rev)s_%(slug)s", "!?", at, 40, "3f2a9c1b7d4e_.sql"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FileName(tt.tmpl, "3f2a9c1b7d4e", tt.msg, tt.at, tt.trunc)
			if err != nil || got != tt.want {
				t.Errorf("FileName(%q) = %q, %v; want %q", tt.tmpl, got, err, tt.want)
			}
		})
	}
}

func TestFileNameErrors(t *testing.T) {
	at := time.Date(2021, 11, 8, 4, 3, 2, 0, time.UTC)
	tests := []struct {
		name, tmpl, rev, want string
	}{
		{"unknown token", "%(rev)s_%(nope)s", "r", `file_template "%(rev)s_%(nope)s": unknown token %(nope)s; the tokens are %(rev)s %(slug)s %(epoch)s %(year)d %(month).2d %(day).2d %(hour).2d %(minute).2d %(second).2d`},
		{"empty token", "%()s", "r", `unknown token %()s`},
		{"text as a number", "%(rev)d", "r", `file_template "%(rev)d": %(rev)d needs a number, and rev is text; write %(rev)s`},
		{"unsupported conversion", "%(rev)x", "r", `file_template "%(rev)x": unsupported conversion %(rev)x; file_template takes s and d`},
		{"unsupported non-ASCII conversion", "%(rev)é", "r", `unsupported conversion %(rev)é`},
		{"float conversion", "%(year).2f", "r", `unsupported conversion %(year).2f`},
		{"no conversion", "%(rev)", "r", `file_template "%(rev)": %(rev) has no conversion type; write %(rev)s or %(rev)d`},
		{"lone percent", "100%", "r", `file_template "100%": the % at offset 3 is not followed by (name); write %% for a percent sign`},
		{"old-style conversion", "%s", "r", `the % at offset 0 is not followed by (name)`},
		{"unclosed", "%(rev", "r", `file_template "%(rev": unclosed "%(" at offset 0`},
		{"huge width", "%(rev)999999999999999999999s", "r", `width or precision "999999999999999999999" in %(rev)999999999999999999999 is not a small number`},
		{"slash in the template", "%(rev)s/%(slug)s", "r", `file_template "%(rev)s/%(slug)s" gives "r/x.sql", which is not a plain file name`},
		{"slash in the id", "%(rev)s", "a/b", `gives "a/b.sql", which is not a plain file name`},
		{"backslash", `%(rev)s\x`, "r", `which is not a plain file name`},
		{"leading dot", ".%(rev)s", "r", `gives ".r.sql", which is not a plain file name`},
		{"empty name", "", "r", `gives ".sql", which is not a plain file name`},
		{"empty id", "%(rev)s", "", `gives ".sql", which is not a plain file name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FileName(tt.tmpl, tt.rev, "x", at, 40)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("FileName(%q) = %q, %v; want error %q", tt.tmpl, got, err, tt.want)
			}
		})
	}
}

func TestSlug(t *testing.T) {
	tests := []struct {
		msg  string
		n    int
		want string
	}{
		{"Add new column", 40, "add_new_column"},
		{"  leading and trailing  ", 40, "leading_and_trailing"},
		{"snake_case_name", 40, "snake_case_name"},
		{"__init__", 40, "__init__"},
		{"a_b c", 3, "a_"},
		{"ab_cd ef", 4, "ab_"},
		{"abcdef", 3, "abc_"},
		{"x", 0, "x"},
		{"no limit at all here", -1, "no_limit_at_all_here"},
		{"Straße ÄÖÜ", 40, "straße_äöü"},
		{"superscript ² and ½", 40, "superscript_²_and_½"},
		{"tab\tand\nnewline", 40, "tab_and_newline"},
		{"", 40, ""},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			if got := Slug(tt.msg, tt.n); got != tt.want {
				t.Errorf("Slug(%q, %d) = %q, want %q", tt.msg, tt.n, got, tt.want)
			}
		})
	}
}

func TestSplitList(t *testing.T) {
	tests := map[string][]string{
		"":            nil,
		"a":           {"a"},
		" a , b ,, c": {"a", "b", "c"},
		",,,":         nil,
		"a,":          {"a"},
	}
	for in, want := range tests {
		if got := splitList([]byte(in)); !slices.Equal(got, want) {
			t.Errorf("splitList(%q) = %q, want %q", in, got, want)
		}
	}
}
