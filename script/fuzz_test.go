package script

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode"
)

// FuzzParseHeader checks that parsing never panics and reports only
// *ParseError, that ParseHeader, Parse and Load agree, and that Render's
// output parses back to what was rendered: both for a header built from
// the fuzz input and for whatever header the input itself parses to.
func FuzzParseHeader(f *testing.F) {
	f.Add(sample, "3f2a", "a, b", "x", "Add new column", "SELECT 1;", "SELECT 2;", int64(1638109925))
	f.Add("-- revision: a\n-- down_revision: b, c\n-- branch_labels: x\n-- +upgrade\n", "r", "", "", "", "", "", int64(0))
	f.Add("\ufeff-- revision: a\r\n-- down_revision:\r\n-- +upgrade\r\n-- +downgrade\r\n", "r\n", "a\r\nb", " , ", "m\nsecond", "\r\n\r\nX\r\r\n", "-- +no-transaction\n", int64(-1))
	f.Add("-- revision: a\n-- down_revison: b\n-- +upgrade\n", "é", "日本", "_", "!!", "-- +upgrade", "--+Downgrade", int64(253402300800))
	f.Add("-- +goose Up\n", "r", "", "", "", "", "", int64(1))
	f.Add(multi, "r", "", "", "", "-- +upgrade sqlite", "-- +downgrade postgres", int64(1))
	f.Fuzz(func(t *testing.T, src, rev, down, labels, msg, up, dn string, unix int64) {
		// Any input: no panic, only *ParseError, the three readers agree.
		s1, err1 := ParseHeader(strings.NewReader(src), "f.sql")
		s2, body, err2 := Parse([]byte(src), "f.sql")
		ss, err3 := Load(fstest.MapFS{"d/f.sql": {Data: []byte(src)}}, "d", "")
		for _, err := range []error{err1, err2, err3} {
			var pe *ParseError
			if err != nil && !errors.As(err, &pe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
		}
		if (err1 == nil) != (err3 == nil) || err1 != nil && err1.Error() != err3.Error() {
			t.Fatalf("ParseHeader: %v; Load: %v", err1, err3)
		}
		if err1 != nil && (err2 == nil || err2.Error() != err1.Error()) {
			t.Fatalf("ParseHeader: %v; Parse: %v", err1, err2)
		}
		if err1 == nil {
			if !headerOf(s1).equal(headerOf(ss[0])) {
				t.Fatalf("ParseHeader %+v; Load %+v", headerOf(s1), headerOf(ss[0]))
			}
			if err2 == nil {
				if !headerOf(s1).equal(headerOf(s2)) {
					t.Fatalf("ParseHeader %+v; Parse %+v", headerOf(s1), headerOf(s2))
				}
				if first := firstSection(body); !first.up || first.line < 2 {
					t.Fatalf("sections %+v", body)
				}
				if b, err := ss[0].Body(); err != nil || !reflect.DeepEqual(b, body) {
					t.Fatalf("Body after Load: %+v, %v; Parse: %+v", b, err, body)
				}
				// Each dialect has an upgrade, or the file has one for others;
				// without dialect sections, the whole file's checksum.
				for _, d := range []string{"sqlite", "postgres", "mysql", "other"} {
					got := body.For(d)
					if !got.Upgrade.Present && len(body.Dialects(true)) == 0 {
						t.Fatalf("For(%s): no upgrade section, none for other dialects: %+v", d, body)
					}
					if body.DialectUpgrade == nil && body.DialectDowngrade == nil && got.Checksum != Checksum([]byte(src)) {
						t.Fatalf("For(%s).Checksum of a file without dialect sections", d)
					}
				}
			}
			if strings.ContainsAny(s1.Message, "\r\n") || s1.Revision == "" {
				t.Fatalf("header %+v", headerOf(s1))
			}
			// What parsed renders and parses back the same.
			h := Header{Revision: s1.Revision, DownRevisions: s1.DownRevisions, BranchLabels: s1.BranchLabels, DependsOn: s1.DependsOn, Message: s1.Message}
			s3, _, err := Parse(Render(h, "", ""), "g.sql")
			if err != nil {
				t.Fatalf("render of %+v does not parse: %v", h, err)
			}
			want := headerOf(s1)
			want.CreateDate = ""
			if !headerOf(s3).equal(want) {
				t.Fatalf("round trip: %+v -> %+v", want, headerOf(s3))
			}
		}

		// A header built from the input renders and parses back as
		// Render documents.
		date := time.Unix(unix, 0).UTC()
		if date.Year() < 0 || date.Year() > 9999 {
			date = time.Time{}
		}
		h := Header{Revision: rev, DownRevisions: strings.Split(down, ";"), BranchLabels: strings.Split(labels, ";"),
			DependsOn: []string{labels}, Message: msg, CreateDate: date}
		if markerLine(up) || markerLine(dn) {
			return // Render does not validate SQL
		}
		content := Render(h, up, dn)
		s, b, err := Parse(content, "r.sql")
		wantRev := oneLine(rev)
		if wantRev == "" {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != 1 {
				t.Fatalf("empty revision: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("render of %+v does not parse: %v\n%s", h, err, content)
		}
		first, _, _ := strings.Cut(msg, "\n")
		want := header{Revision: wantRev, Down: items(h.DownRevisions), Labels: items(h.BranchLabels),
			Depends: items(h.DependsOn), Message: oneLine(first)}
		if !date.IsZero() {
			want.CreateDate = date.Format(CreateDateLayout)
		}
		if got := headerOf(s); !got.equal(want) {
			t.Fatalf("round trip of %+v:\ngot  %+v\nwant %+v", h, got, want)
		}
		if !b.Upgrade.Present || !b.Downgrade.Present {
			t.Fatalf("sections %+v", b)
		}
		if got, want := trimSQL(b.Upgrade.SQL), trimSQL(up); got != want {
			t.Fatalf("upgrade SQL %q, want %q", got, want)
		}
		if got, want := trimSQL(b.Downgrade.SQL), trimSQL(dn); got != want {
			t.Fatalf("downgrade SQL %q, want %q", got, want)
		}
		if Checksum(content) != b.Checksum {
			t.Fatal("checksum")
		}
	})
}

// items is what a list renders and parses back as.
func items(list []string) []string {
	var out []string
	for _, it := range list {
		out = append(out, splitList([]byte(oneLine(it)))...)
	}
	return out
}

// trimSQL is SQL without CRs before newlines, leading blank lines and
// trailing white space.
func trimSQL(s string) string {
	for strings.Contains(s, "\r\n") {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	for {
		first, rest, ok := strings.Cut(s, "\n")
		if !ok || strings.TrimSpace(first) != "" {
			return s
		}
		s = rest
	}
}

// markerLine reports whether a line of sql is (nearly) a marker, or
// another directive-shaped line ("-- +word").
func markerLine(sql string) bool {
	return slices.ContainsFunc(strings.FieldsFunc(sql, func(r rune) bool { return r == '\n' || r == '\r' }), func(l string) bool {
		t := strings.TrimSpace(l)
		return nearMarker(t) != "" || isDirectiveShaped([]byte(t))
	})
}

// firstSection is the kind and marker line of the file's first section,
// plain or dialect; line 0 when it has none.
func firstSection(b *Body) (first struct {
	up   bool
	line int
}) {
	consider := func(sec Section, up bool) {
		if sec.Present && (first.line == 0 || sec.Line-1 < first.line) {
			first.up, first.line = up, sec.Line-1
		}
	}
	consider(b.Upgrade, true)
	consider(b.Downgrade, false)
	for _, sec := range b.DialectUpgrade {
		consider(sec, true)
	}
	for _, sec := range b.DialectDowngrade {
		consider(sec, false)
	}
	return first
}

// FuzzParseGoHeader checks that reading a Go revision file never panics
// and reports only *ParseError, that ParseGo, Parse, Load and Body agree,
// and that RenderGo's output parses back to what was rendered.
func FuzzParseGoHeader(f *testing.F) {
	f.Add(goRev("3f2a", "1a2b"), "3f2a", "a;b", "x", "Add new column", int64(1638109925))
	f.Add(registryGo, "r", "", "", "", int64(0))
	f.Add("package v\n\nimport rs \"github.com/retortdb/retort/script\"\n\nvar _ = rs.GoRevision{Revision: `a`, DownRevision: \"b,c\", Upgrade: f, Downgrade: nil}\n",
		"r\n", "a\r\nb", " , ", "m\nsecond", int64(-1))
	f.Add("package v\n\nimport . \"github.com/retortdb/retort/script\"\n\nvar _ = []GoRevision{{}}\n", "é", "日本", "_", "\"`\\", int64(253402300800))
	f.Add("package v\nimport \"github.com/retortdb/retort/script\"\nvar _ = script.GoRevision{Revision: x}", "", "", "", "", int64(1))
	f.Fuzz(func(t *testing.T, src, rev, down, labels, msg string, unix int64) {
		s1, b1, err1 := ParseGo([]byte(src), "v/f.go")
		s2, _, err2 := Parse([]byte(src), "v/f.go")
		ss, err3 := Load(fstest.MapFS{"d/f.go": {Data: []byte(src)}}, "d", "v")
		for _, err := range []error{err1, err2, err3} {
			var pe *ParseError
			if err != nil && !errors.As(err, &pe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
		}
		if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
			t.Fatalf("ParseGo: %v; Parse: %v", err1, err2)
		}
		switch {
		case err1 == nil:
			if err3 != nil || len(ss) != 1 || !headerOf(ss[0]).equal(headerOf(s1)) || !headerOf(s2).equal(headerOf(s1)) {
				t.Fatalf("ParseGo %+v; Load %v, %v", headerOf(s1), ss, err3)
			}
			if s1.Revision == "" || s1.Format != "go" || !b1.Upgrade.Present {
				t.Fatalf("header %+v body %+v", headerOf(s1), b1)
			}
			if b, err := ss[0].Body(); err != nil || !reflect.DeepEqual(b, b1) {
				t.Fatalf("Body after Load: %+v, %v; ParseGo: %+v", b, err, b1)
			}
		case strings.Contains(err1.Error(), "no script.GoRevision{...} literal"):
			if err3 != nil || len(ss) != 0 {
				t.Fatalf("a file without a literal: Load = %v, %v", ss, err3)
			}
		default:
			if err3 == nil || err3.Error() != err1.Error() {
				t.Fatalf("ParseGo: %v; Load: %v", err1, err3)
			}
		}

		// A header built from the input renders and parses back.
		date := time.Unix(unix, 0).UTC()
		if date.Year() < 0 || date.Year() > 9999 {
			date = time.Time{}
		}
		h := Header{Revision: rev, DownRevisions: strings.Split(down, ";"), BranchLabels: strings.Split(labels, ";"),
			DependsOn: []string{labels}, Message: msg, CreateDate: date}
		content, err := RenderGo("versions", h)
		if err != nil {
			t.Fatalf("RenderGo(%+v): %v", h, err)
		}
		s, b, err := ParseGo(content, "r.go")
		if oneLine(rev) == "" {
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.Contains(pe.Msg, "empty revision id") {
				t.Fatalf("empty revision: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("render of %+v does not parse: %v\n%s", h, err, content)
		}
		first, _, _ := strings.Cut(msg, "\n")
		want := header{Revision: oneLine(rev), Down: items(h.DownRevisions), Labels: items(h.BranchLabels),
			Depends: items(h.DependsOn), Message: oneLine(first)}
		if !date.IsZero() {
			want.CreateDate = date.Format(CreateDateLayout)
		}
		if got := headerOf(s); !got.equal(want) {
			t.Fatalf("round trip of %+v:\ngot  %+v\nwant %+v", h, got, want)
		}
		if !b.Upgrade.Present || !b.Downgrade.Present || b.Checksum != Checksum(content) {
			t.Fatalf("body %+v", b)
		}
	})
}
