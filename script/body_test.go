package script

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseSections(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		up, down Section
	}{
		{
			name: "sample",
			src:  sample,
			up:   Section{SQL: "ALTER TABLE account ADD COLUMN email VARCHAR(255) NULL;\n\n", Line: 9, Present: true},
			down: Section{SQL: "ALTER TABLE account DROP COLUMN email;\n", Line: 12, Present: true},
		},
		{
			name: "no downgrade section",
			src:  "-- revision: a\n-- down_revision:\n-- +upgrade\nSELECT 1;\n",
			up:   Section{SQL: "SELECT 1;\n", Line: 4, Present: true},
		},
		{
			name: "empty downgrade section",
			src:  "-- revision: a\n-- down_revision:\n-- +upgrade\nSELECT 1;\n-- +downgrade\n",
			up:   Section{SQL: "SELECT 1;\n", Line: 4, Present: true},
			down: Section{SQL: "", Line: 6, Present: true},
		},
		{
			name: "empty sections, no final newline",
			src:  "-- revision: a\n-- down_revision:\n-- +upgrade\n-- +downgrade",
			up:   Section{SQL: "", Line: 4, Present: true},
			down: Section{SQL: "", Line: 5, Present: true},
		},
		{
			name: "markers with white space around them",
			src:  "-- revision: a\n-- down_revision:\n\t-- +upgrade  \nSELECT 1;\n   -- +downgrade\nSELECT 2;",
			up:   Section{SQL: "SELECT 1;\n", Line: 4, Present: true},
			down: Section{SQL: "SELECT 2;", Line: 6, Present: true},
		},
		{
			name: "other markers stay in the text",
			src:  "-- revision: a\n-- down_revision:\n-- +upgrade\n-- +no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);\n-- +downgrade\n-- +no-transaction\nDROP INDEX CONCURRENTLY i;\n",
			up:   Section{SQL: "-- +no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);\n", Line: 4, Present: true},
			down: Section{SQL: "-- +no-transaction\nDROP INDEX CONCURRENTLY i;\n", Line: 7, Present: true},
		},
		{
			name: "marker text inside a line is not a marker",
			src:  "-- revision: a\n-- down_revision:\n-- +upgrade\nSELECT '-- +downgrade'; -- +downgrade\n",
			up:   Section{SQL: "SELECT '-- +downgrade'; -- +downgrade\n", Line: 4, Present: true},
		},
		{
			name: "CRLF becomes LF, BOM ignored",
			src:  "\ufeff-- revision: a\r\n-- down_revision:\r\n\r\n-- +upgrade\r\nSELECT 1;\r\nSELECT 2;\r\n\r\n-- +downgrade\r\nSELECT 3;\r\n",
			up:   Section{SQL: "SELECT 1;\nSELECT 2;\n\n", Line: 5, Present: true},
			down: Section{SQL: "SELECT 3;\n", Line: 9, Present: true},
		},
		{
			name: "comments and blank lines kept",
			src:  "-- revision: a\n-- down_revision:\n-- +upgrade\n\n  -- add it\nSELECT 1;  \n",
			up:   Section{SQL: "\n  -- add it\nSELECT 1;  \n", Line: 4, Present: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body, err := Parse([]byte(tt.src), "m/x.sql")
			if err != nil {
				t.Fatal(err)
			}
			if body.Upgrade != tt.up {
				t.Errorf("upgrade %+v\nwant    %+v", body.Upgrade, tt.up)
			}
			if body.Downgrade != tt.down {
				t.Errorf("downgrade %+v\nwant      %+v", body.Downgrade, tt.down)
			}
			if body.HasDowngrade() != tt.down.Present {
				t.Errorf("HasDowngrade %v", body.HasDowngrade())
			}
			if body.Checksum != Checksum([]byte(tt.src)) {
				t.Error("Body.Checksum differs from Checksum")
			}
		})
	}
}

// TestSectionLines checks that Line maps each line of a section's SQL to
// the file's line.
func TestSectionLines(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(sample, "\n"), "\n")
	_, body, err := Parse([]byte(sample), "x.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range []Section{body.Upgrade, body.Downgrade} {
		for k, l := range strings.Split(strings.TrimSuffix(sec.SQL, "\n"), "\n") {
			if fileLine := lines[sec.Line+k-1]; fileLine != l {
				t.Errorf("line %d of the section is %q, file line %d is %q", k+1, l, sec.Line+k, fileLine)
			}
		}
	}
}

func TestParseBodyErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"duplicate upgrade", "-- revision: a\n-- down_revision:\n-- +upgrade\nSELECT 1;\n-- +upgrade\n",
			`m/x.sql:5: second "-- +upgrade" line; a file has one upgrade section`},
		{"upgrade after downgrade", "-- revision: a\n-- down_revision:\n-- +upgrade\n-- +downgrade\n-- +upgrade\n",
			`m/x.sql:5: second "-- +upgrade" line; a file has one upgrade section`},
		{"duplicate downgrade", "-- revision: a\n-- down_revision:\n-- +upgrade\n-- +downgrade\n\n-- +downgrade\n",
			`m/x.sql:6: second "-- +downgrade" line; a file has one downgrade section`},
		{"misspelt downgrade marker", "-- revision: a\n-- down_revision:\n-- +upgrade\nCREATE TABLE t (x INT);\n-- +Downgrade\nDROP TABLE t;\n",
			`m/x.sql:5: "-- +Downgrade" is not a marker; write exactly "-- +downgrade" (lower case, one space), or change the comment`},
		{"downgrade marker without space", "-- revision: a\n-- down_revision:\n-- +upgrade\n--+downgrade\n",
			`m/x.sql:4: "--+downgrade" is not a marker; write exactly "-- +downgrade" (lower case, one space), or change the comment`},
		{"second upgrade misspelt", "-- revision: a\n-- down_revision:\n-- +upgrade\n-- +downgrade\n--   +UPGRADE\n",
			`m/x.sql:5: "--   +UPGRADE" is not a marker; write exactly "-- +upgrade" (lower case, one space), or change the comment`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse([]byte(tt.src), "m/x.sql")
			checkParseError(t, "Parse", err, tt.want)
			// Load reads only the header: the error shows in Body.
			ss, err := Load(fstest.MapFS{"d/x.sql": {Data: []byte(tt.src)}}, "d", "m")
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			_, err = ss[0].Body()
			checkParseError(t, "Body", err, tt.want)
		})
	}
}

func TestChecksum(t *testing.T) {
	lf := []byte(sample)
	crlf := []byte(strings.ReplaceAll(sample, "\n", "\r\n"))
	bomCRLF := append([]byte("\ufeff"), crlf...)
	want := sha256.Sum256(lf)
	for name, content := range map[string][]byte{"LF": lf, "CRLF": crlf, "BOM and CRLF": bomCRLF} {
		t.Run(name, func(t *testing.T) {
			if got := Checksum(content); got != want {
				t.Errorf("Checksum = %x, want %x", got, want)
			}
			_, body, err := Parse(content, "x.sql")
			if err != nil {
				t.Fatal(err)
			}
			if body.Checksum != want {
				t.Errorf("Body.Checksum = %x, want %x", body.Checksum, want)
			}
		})
	}
	t.Run("content changes change it", func(t *testing.T) {
		for _, changed := range []string{
			strings.Replace(sample, "email", "e_mail", 1),
			strings.Replace(sample, "NULL;", "NULL; ", 1),
			sample + "\n",
			strings.Replace(sample, "\n", "\r", 1), // a lone CR is content
		} {
			if Checksum([]byte(changed)) == want {
				t.Errorf("same checksum for %q", changed)
			}
		}
	})
}

func TestBody(t *testing.T) {
	t.Run("loaded file", func(t *testing.T) {
		fsys := fstest.MapFS{"m/1.sql": {Data: []byte(sample)}}
		ss, err := Load(fsys, "m", "migrations")
		if err != nil {
			t.Fatal(err)
		}
		body, err := ss[0].Body()
		if err != nil {
			t.Fatal(err)
		}
		_, want, _ := Parse([]byte(sample), "x")
		if !reflect.DeepEqual(body, want) {
			t.Errorf("Body %+v\nwant %+v", body, want)
		}
	})
	t.Run("Parse result", func(t *testing.T) {
		content := []byte(sample)
		s, want, err := Parse(content, "x.sql")
		if err != nil {
			t.Fatal(err)
		}
		copy(content, "XXXX") // Parse keeps its own copy
		body, err := s.Body()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(body, want) {
			t.Errorf("Body %+v\nwant %+v", body, want)
		}
	})
	t.Run("ParseHeader result", func(t *testing.T) {
		s, err := ParseHeader(strings.NewReader(sample), "x.sql")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Body(); err == nil || !strings.Contains(err.Error(), "x.sql: no file") {
			t.Errorf("Body = %v", err)
		}
	})
	t.Run("file removed", func(t *testing.T) {
		fsys := fstest.MapFS{"m/1.sql": {Data: []byte(sample)}}
		ss, err := Load(fsys, "m", "migrations")
		if err != nil {
			t.Fatal(err)
		}
		delete(fsys, "m/1.sql")
		_, err = ss[0].Body()
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "migrations/1.sql") {
			t.Errorf("Body = %v", err)
		}
	})
	t.Run("header changed", func(t *testing.T) {
		fsys := fstest.MapFS{"m/1.sql": {Data: []byte(sample)}}
		ss, err := Load(fsys, "m", "migrations")
		if err != nil {
			t.Fatal(err)
		}
		fsys["m/1.sql"] = &fstest.MapFile{Data: []byte(strings.Replace(sample, "1a2b3c4d5e6f", "ffffffffffff", 1))}
		_, err = ss[0].Body()
		checkParseError(t, "Body", err, "migrations/1.sql:1: the header changed since the file was loaded")
		if !errors.Is(err, ErrChangedSinceLoad) {
			t.Errorf("the error does not match ErrChangedSinceLoad: %v", err)
		}
	})
	t.Run("body changed", func(t *testing.T) {
		fsys := fstest.MapFS{"m/1.sql": {Data: []byte(sample)}}
		ss, err := Load(fsys, "m", "migrations")
		if err != nil {
			t.Fatal(err)
		}
		fsys["m/1.sql"] = &fstest.MapFile{Data: []byte(sample + "SELECT 1;\n")}
		body, err := ss[0].Body()
		if err != nil || !strings.HasSuffix(body.Downgrade.SQL, "SELECT 1;\n") {
			t.Errorf("Body = %+v, %v", body, err)
		}
	})
}
