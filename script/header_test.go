package script

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

const sample = `-- revision: 3f2a9c1b7d4e
-- down_revision: 1a2b3c4d5e6f
-- branch_labels:
-- depends_on:
-- message: Add new column
-- create_date: 2021-11-28 14:32:05 UTC

-- +upgrade
ALTER TABLE account ADD COLUMN email VARCHAR(255) NULL;

-- +downgrade
ALTER TABLE account DROP COLUMN email;
`

// header is the part of a Script the header tests compare.
type header struct {
	Revision   string
	Down       []string
	Labels     []string
	Depends    []string
	Message    string
	CreateDate string
}

func headerOf(s *Script) header {
	return header{s.Revision, s.DownRevisions, s.BranchLabels, s.DependsOn, s.Message, s.CreateDate}
}

func (h header) equal(o header) bool {
	return h.Revision == o.Revision && slices.Equal(h.Down, o.Down) && slices.Equal(h.Labels, o.Labels) &&
		slices.Equal(h.Depends, o.Depends) && h.Message == o.Message && h.CreateDate == o.CreateDate
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  header
		lines map[string]int // HeaderLine, when checked
	}{
		{
			name: "every key",
			src:  sample,
			want: header{Revision: "3f2a9c1b7d4e", Down: []string{"1a2b3c4d5e6f"}, Message: "Add new column", CreateDate: "2021-11-28 14:32:05 UTC"},
			lines: map[string]int{"revision": 1, "down_revision": 2, "branch_labels": 3, "depends_on": 4,
				"message": 5, "create_date": 6},
		},
		{
			name:  "only required keys, base",
			src:   "-- revision: a\n-- down_revision:\n-- +upgrade\n",
			want:  header{Revision: "a"},
			lines: map[string]int{"revision": 1, "down_revision": 2},
		},
		{
			name:  "keys in another order",
			src:   "-- message: m\n-- down_revision: b\n-- depends_on: d\n-- revision: a\n-- +upgrade\n",
			want:  header{Revision: "a", Down: []string{"b"}, Depends: []string{"d"}, Message: "m"},
			lines: map[string]int{"message": 1, "down_revision": 2, "depends_on": 3, "revision": 4},
		},
		{
			name: "merge",
			src:  "-- revision: m\n-- down_revision: b,c\n-- +upgrade\n",
			want: header{Revision: "m", Down: []string{"b", "c"}},
		},
		{
			name: "lists with spaces and empty items",
			src:  "-- revision: m\n-- down_revision:  b ,\tc,, d ,\n-- branch_labels: x , y\n-- depends_on: ,z,\n-- +upgrade\n",
			want: header{Revision: "m", Down: []string{"b", "c", "d"}, Labels: []string{"x", "y"}, Depends: []string{"z"}},
		},
		{
			name: "empty values mean none",
			src:  "-- revision: a\n-- down_revision:   \n-- branch_labels:\n-- depends_on: , ,\n-- message:\n-- create_date:\n-- +upgrade\n",
			want: header{Revision: "a"},
		},
		{
			name: "values trimmed",
			src:  "--   revision:   a  \n--down_revision:b\t\n-- message:   two  words  \n-- +upgrade\n",
			want: header{Revision: "a", Down: []string{"b"}, Message: "two  words"},
		},
		{
			name: "space before the colon",
			src:  "-- revision : a\n-- down_revision\t: b\n-- +upgrade\n",
			want: header{Revision: "a", Down: []string{"b"}},
		},
		{
			name: "message with colons",
			src:  "-- revision: a\n-- down_revision:\n-- message: fix: the thing: again\n-- +upgrade\n",
			want: header{Revision: "a", Message: "fix: the thing: again"},
		},
		{
			name:  "comments and blank lines in the header",
			src:   "\n-- This migration adds the email column.\n--\n-- revision: a\n-- Note: free text with a colon\n-- see https://example.com/x\n----------\n-- +1\n\n-- down_revision:\n\n-- +upgrade\n",
			want:  header{Revision: "a"},
			lines: map[string]int{"revision": 4, "down_revision": 10},
		},
		{
			name: "BOM",
			src:  "\ufeff-- revision: a\n-- down_revision: b\n-- +upgrade\n",
			want: header{Revision: "a", Down: []string{"b"}},
		},
		{
			name: "CRLF",
			src:  "-- revision: a\r\n-- down_revision: b, c\r\n-- message: hi \r\n\r\n-- +upgrade\r\nSELECT 1;\r\n",
			want: header{Revision: "a", Down: []string{"b", "c"}, Message: "hi"},
		},
		{
			name: "BOM and CRLF",
			src:  "\ufeff-- revision: a\r\n-- down_revision:\r\n-- +upgrade\r\n",
			want: header{Revision: "a"},
		},
		{
			name: "marker with surrounding white space",
			src:  "-- revision: a\n-- down_revision:\n  \t-- +upgrade \t\n",
			want: header{Revision: "a"},
		},
		{
			name: "marker last, without newline",
			src:  "-- revision: a\n-- down_revision:\n-- +upgrade",
			want: header{Revision: "a"},
		},
		{
			name: "header-like text after the marker is not read",
			src:  "-- revision: a\n-- down_revision:\n-- +upgrade\n-- revision: b\n-- bogus_key: x\n",
			want: header{Revision: "a"},
		},
		{
			name: "long message across buffer reads",
			src:  "-- revision: a\n-- down_revision:\n-- message: " + strings.Repeat("word ", 2000) + "end\n-- +upgrade\n",
			want: header{Revision: "a", Message: strings.Repeat("word ", 2000) + "end"},
		},
		{
			name: "unicode values",
			src:  "-- revision: a\n-- down_revision:\n-- branch_labels: élan, 日本\n-- message: Ajouter l'élément\n-- +upgrade\n",
			want: header{Revision: "a", Labels: []string{"élan", "日本"}, Message: "Ajouter l'élément"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseHeader(strings.NewReader(tt.src), "m/x.sql")
			if err != nil {
				t.Fatal(err)
			}
			if !headerOf(got).equal(tt.want) {
				t.Errorf("got  %+v\nwant %+v", headerOf(got), tt.want)
			}
			if got.Path != "m/x.sql" || got.Format != "sql" {
				t.Errorf("Path %q Format %q", got.Path, got.Format)
			}
			if tt.lines != nil && !maps.Equal(got.HeaderLines(), tt.lines) {
				t.Errorf("HeaderLine %v, want %v", got.HeaderLines(), tt.lines)
			}
			// Parse reads the same header.
			s, _, err := Parse([]byte(tt.src), "m/x.sql")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !headerOf(s).equal(tt.want) || !maps.Equal(s.HeaderLines(), got.HeaderLines()) {
				t.Errorf("Parse got %+v %v", headerOf(s), s.HeaderLines())
			}
		})
	}
}

func TestParseHeaderErrors(t *testing.T) {
	const keys = "revision, down_revision, branch_labels, depends_on, message, create_date, replaces"
	tests := []struct {
		name, src, want string
	}{
		{"missing revision", "-- down_revision:\n-- +upgrade\n",
			`m/x.sql:1: no "-- revision:" header line`},
		{"empty revision", "-- message: x\n-- revision:   \n-- down_revision:\n-- +upgrade\n",
			`m/x.sql:2: empty revision id`},
		{"missing down_revision line", "-- revision: a\n-- message: x\n-- +upgrade\n",
			`m/x.sql:1: no "-- down_revision:" header line (leave its value empty for a first revision)`},
		{"missing upgrade", "-- revision: a\n-- down_revision:\n",
			`m/x.sql:2: no "-- +upgrade" line: every revision needs an upgrade section`},
		{"missing upgrade, no final newline", "-- revision: a\n-- down_revision:",
			`m/x.sql:2: no "-- +upgrade" line: every revision needs an upgrade section`},
		{"empty file", "",
			`m/x.sql:1: no "-- +upgrade" line: every revision needs an upgrade section`},
		{"downgrade before upgrade", "-- revision: a\n-- down_revision:\n-- +downgrade\n-- +upgrade\n",
			`m/x.sql:3: "-- +downgrade" comes before "-- +upgrade"`},
		{"unknown key with suggestion", "-- revision: a\n-- down_revison: b\n-- +upgrade\n",
			`m/x.sql:2: unknown header "down_revison" (did you mean "down_revision"?)`},
		{"unknown key, swapped letters", "-- revision: a\n-- down_revision:\n-- depneds_on: b\n-- +upgrade\n",
			`m/x.sql:3: unknown header "depneds_on" (did you mean "depends_on"?)`},
		{"unknown key, plural", "-- revision: a\n-- down_revisions: b\n-- +upgrade\n",
			`m/x.sql:2: unknown header "down_revisions" (did you mean "down_revision"?)`},
		{"unknown key, part of a key", "-- revision: a\n-- down_revision:\n-- labels: b\n-- +upgrade\n",
			`m/x.sql:3: unknown header "labels" (did you mean "branch_labels"?)`},
		{"unknown key without suggestion", "-- revision: a\n-- todo: later\n-- down_revision:\n-- +upgrade\n",
			`m/x.sql:2: unknown header "todo"; the header keys are ` + keys + ` (a free comment must not look like "-- key: value")`},
		{"known key in upper case", "-- Revision: a\n-- down_revision:\n-- +upgrade\n",
			`m/x.sql:1: header "Revision" is spelled "revision"`},
		{"known key with a hyphen", "-- revision: a\n-- down_revision:\n-- depends-on: b\n-- +upgrade\n",
			`m/x.sql:3: header "depends-on" is spelled "depends_on"`},
		{"duplicate key", "-- revision: a\n-- revision: b\n-- down_revision:\n-- +upgrade\n",
			`m/x.sql:2: header "revision" given twice (first on line 1)`},
		{"duplicate list key", "-- revision: a\n-- down_revision: b\n-- message: m\n-- down_revision: c\n-- +upgrade\n",
			`m/x.sql:4: header "down_revision" given twice (first on line 2)`},
		{"SQL before upgrade", "-- revision: a\n-- down_revision:\nCREATE TABLE t (x INT);\n-- +upgrade\n",
			`m/x.sql:3: SQL before -- +upgrade; put statements after the -- +upgrade line`},
		{"SQL before upgrade, CRLF and BOM", "\ufeff-- revision: a\r\n-- down_revision:\r\n\r\nSELECT 1;\r\n-- +upgrade\r\n",
			`m/x.sql:4: SQL before -- +upgrade; put statements after the -- +upgrade line`},
		{"not a revision at all", "CREATE TABLE t (x INT);\n",
			`m/x.sql:1: SQL before -- +upgrade; put statements after the -- +upgrade line (a .sql file here that is not a revision needs a name starting with "_")`},
		{"block comment in the header", "/* header */\n-- revision: a\n-- down_revision:\n-- +upgrade\n",
			`m/x.sql:1: SQL before -- +upgrade; put statements after the -- +upgrade line (a .sql file here that is not a revision needs a name starting with "_")`},
		{"upgrade marker without space", "-- revision: a\n-- down_revision:\n--+upgrade\nSELECT 1;\n",
			`m/x.sql:3: "--+upgrade" is not the marker; write exactly "-- +upgrade" (lower case, one space)`},
		{"upgrade marker in upper case", "-- revision: a\n-- down_revision:\n-- +Upgrade\n",
			`m/x.sql:3: "-- +Upgrade" is not the marker; write exactly "-- +upgrade" (lower case, one space)`},
		{"upgrade marker with two spaces", "-- revision: a\n-- down_revision:\n--  + upgrade\n",
			`m/x.sql:3: "--  + upgrade" is not the marker; write exactly "-- +upgrade" (lower case, one space)`},
		{"misspelt downgrade marker first", "-- revision: a\n-- down_revision:\n-- +DOWNGRADE\n-- +upgrade\n",
			`m/x.sql:3: "-- +DOWNGRADE" is not the marker, and a downgrade section comes after "-- +upgrade"`},
		{"goose marker", "-- revision: a\n-- down_revision:\n-- +goose Up\nSELECT 1;\n",
			`m/x.sql:3: "-- +goose Up" is goose's marker; retort's sections start with "-- +upgrade" and "-- +downgrade"`},
		{"section marker in the header", "-- revision: a\n-- down_revision:\n-- +no-transaction\n-- +upgrade\n",
			`m/x.sql:3: marker "-- +no-transaction" before "-- +upgrade"; markers belong inside a section`},
		{"very long header line", "-- revision: a\n-- message: " + strings.Repeat("x", maxHeaderLine+10) + "\n-- down_revision:\n-- +upgrade\n",
			`m/x.sql:2: header line longer than 65536 bytes`},
		{"very long line of data", "-- revision: a\n" + strings.Repeat("x", maxHeaderLine+10),
			`m/x.sql:2: SQL before -- +upgrade; put statements after the -- +upgrade line`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseHeader(strings.NewReader(tt.src), "m/x.sql")
			checkParseError(t, "ParseHeader", err, tt.want)
			_, _, err = Parse([]byte(tt.src), "m/x.sql")
			checkParseError(t, "Parse", err, tt.want)
			fsys := fstest.MapFS{"dir/x.sql": {Data: []byte(tt.src)}}
			_, err = Load(fsys, "dir", "m")
			checkParseError(t, "Load", err, tt.want)
		})
	}
}

// checkParseError checks that err is a *ParseError whose text is want and
// whose fields agree with it.
func checkParseError(t *testing.T, what string, err error, want string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("%s: error %v (%T), want a *ParseError", what, err, err)
	}
	if err.Error() != want {
		t.Errorf("%s: error\n  %s\nwant\n  %s", what, err, want)
	}
	if prefix := pe.Path + ":"; !strings.HasPrefix(want, prefix) || pe.Line <= 0 {
		t.Errorf("%s: ParseError fields %+v do not match %q", what, pe, want)
	}
}

func TestParseErrorText(t *testing.T) {
	if got := (&ParseError{Path: "a/b.sql", Line: 3, Msg: "bad"}).Error(); got != "a/b.sql:3: bad" {
		t.Errorf("with a line: %q", got)
	}
	if got := (&ParseError{Path: "a/b.sql", Msg: "bad"}).Error(); got != "a/b.sql: bad" {
		t.Errorf("without a line: %q", got)
	}
}

func TestNearestKey(t *testing.T) {
	tests := map[string]string{
		"revison":        "revision",
		"revisions":      "revision",
		"down_revison":   "down_revision",
		"downrevision":   "down_revision",
		"down_revisions": "down_revision",
		"branch_label":   "branch_labels",
		"branches":       "",
		"depends":        "depends_on",
		"depend_on":      "depends_on",
		"dependson":      "depends_on",
		"mesage":         "message",
		"date":           "create_date",
		"created_date":   "create_date",
		"todo":           "",
		"note":           "",
		"author":         "",
		"see":            "",
	}
	for key, want := range tests {
		t.Run(key, func(t *testing.T) {
			if got := nearestKey(key); got != want {
				t.Errorf("nearestKey(%q) = %q, want %q", key, got, want)
			}
		})
	}
}

// errReader fails if read past its content.
type errReader struct {
	s    string
	read int
}

func (r *errReader) Read(p []byte) (int, error) {
	if r.read >= len(r.s) {
		return 0, errors.New("read past the end")
	}
	n := copy(p, r.s[r.read:])
	r.read += n
	return n, nil
}

func TestParseHeaderStopsAtUpgrade(t *testing.T) {
	head := "-- revision: a\n-- down_revision:\n-- +upgrade\n"
	r := &errReader{s: head + strings.Repeat("SELECT 1;\n", 100000)}
	if _, err := ParseHeader(r, "x.sql"); err != nil {
		t.Fatal(err)
	}
	if r.read > len(head)+4096 {
		t.Errorf("ParseHeader read %d bytes; the header is %d", r.read, len(head))
	}
	// A reader error is returned as is, not as a *ParseError.
	_, err := ParseHeader(&errReader{s: "-- revision: a\n"}, "x.sql")
	var pe *ParseError
	if err == nil || errors.As(err, &pe) || !strings.Contains(err.Error(), "read past the end") {
		t.Errorf("reader error: %v", err)
	}
}
