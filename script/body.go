package script

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// Section is one of a file's two sections.
type Section struct {
	// SQL is the text from the line after the marker up to the next
	// marker line or the end of the file, with CRLF turned into LF and
	// nothing trimmed, so that line Line+k-1 of the file is line k of SQL.
	SQL string
	// Line is the 1-based file line of SQL's first line (the line after
	// the marker).
	Line int
	// Present reports whether the file has the section's marker. A file
	// without -- +downgrade cannot be downgraded; a present but empty
	// downgrade section is a no-op.
	Present bool
}

// Body is a revision file's sections and checksum.
type Body struct {
	Upgrade, Downgrade Section
	// Checksum is Checksum of the whole file.
	Checksum [32]byte
}

// HasDowngrade reports whether the file has a -- +downgrade section.
func (b *Body) HasDowngrade() bool { return b.Downgrade.Present }

// Body reads the whole file once, validates it again (the sections, and
// that its header still says what it said when it was loaded) and returns
// its sections and checksum.
func (s *Script) Body() (*Body, error) {
	var content []byte
	switch {
	case s.content != nil:
		content = s.content
	case s.fsys != nil:
		b, err := fs.ReadFile(s.fsys, s.name)
		if err != nil {
			return nil, fmt.Errorf("read revision %s: %w", s.Path, err)
		}
		content = b
	default:
		return nil, fmt.Errorf("%s: no file to read the body from (the Script was made by ParseHeader)", s.Path)
	}
	var now *Script
	var body *Body
	var err error
	if s.Format == "go" {
		now, body, err = parseGoBody(content, s.Path)
	} else {
		now, body, err = parse(content, s.Path)
	}
	if err != nil {
		return nil, err
	}
	if now.Revision != s.Revision || !slices.Equal(now.DownRevisions, s.DownRevisions) ||
		!slices.Equal(now.BranchLabels, s.BranchLabels) || !slices.Equal(now.DependsOn, s.DependsOn) {
		return nil, &ParseError{Path: s.Path, Line: now.HeaderLine["revision"],
			Msg: "the header changed after retort read it; run the command again"}
	}
	return body, nil
}

// Parse parses a whole revision file held in memory: the header as
// ParseHeader does, then the sections. path is the display path; a path
// ending in ".go" is a Go revision file, parsed by ParseGo. Body works on
// the returned Script (it parses a copy of content again).
func Parse(content []byte, path string) (*Script, *Body, error) {
	if strings.HasSuffix(path, ".go") {
		return ParseGo(content, path)
	}
	s, body, err := parse(content, path)
	if err != nil {
		return nil, nil, err
	}
	s.content = bytes.Clone(content)
	if s.content == nil {
		s.content = []byte{}
	}
	return s, body, nil
}

// parseGoBody is ParseGo without keeping the content.
func parseGoBody(content []byte, path string) (*Script, *Body, error) {
	s, gh, err := parseGo(content, path)
	if err != nil {
		return nil, nil, err
	}
	if s == nil {
		return nil, nil, &ParseError{Path: path, Line: 1, Msg: "the script.GoRevision literal is gone since retort read the file; run the command again"}
	}
	return s, gh.body(content), nil
}

func parse(content []byte, path string) (*Script, *Body, error) {
	text := normalize(content)
	var buf []byte
	s, err := parseHeader(bufio.NewReaderSize(bytes.NewReader(text), 1024), path, &buf)
	if err != nil {
		return nil, nil, err
	}
	body, err := s.sections(text)
	if err != nil {
		return nil, nil, err
	}
	return s, body, nil
}

// sections cuts the normalised text at its marker lines.
func (s *Script) sections(text []byte) (*Body, error) {
	body := &Body{Checksum: sha256.Sum256(text)}
	var cur *Section
	start := 0 // offset of cur's text
	line := 0
	for off := 0; off < len(text); {
		end := len(text)
		if i := bytes.IndexByte(text[off:], '\n'); i >= 0 {
			end = off + i
		}
		line++
		next := min(end+1, len(text))
		t := bytes.TrimSpace(text[off:end])
		if len(t) < len("--+upgrade") || t[0] != '-' {
			off = next
			continue
		}
		marker := nearMarker(string(t))
		if marker == "" {
			off = next
			continue
		}
		if string(t) != marker {
			return nil, s.errf(line, "%q is not a marker; write exactly %q (lower case, one space), or change the comment", t, marker)
		}
		var sec *Section
		switch {
		case marker == markUpgrade && body.Upgrade.Present:
			return nil, s.errf(line, "second %q line; a file has one upgrade section", markUpgrade)
		case marker == markUpgrade:
			sec = &body.Upgrade
		case !body.Upgrade.Present: // ParseHeader reports this first
			return nil, s.errf(line, "%q comes before %q", markDowngrade, markUpgrade)
		case body.Downgrade.Present:
			return nil, s.errf(line, "second %q line; a file has one downgrade section", markDowngrade)
		default:
			sec = &body.Downgrade
		}
		if cur != nil {
			cur.SQL = string(text[start:off])
		}
		*sec = Section{Line: line + 1, Present: true}
		cur, start, off = sec, next, next
	}
	if cur != nil {
		cur.SQL = string(text[start:])
	}
	return body, nil
}

// normalize removes a leading BOM and turns CRLF into LF.
func normalize(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte(bom))
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
}

// Checksum is the SHA-256 of a revision file's content with a leading
// UTF-8 BOM removed and every CRLF turned into LF, so that a checkout
// with other line endings does not change it. It is Body.Checksum.
func Checksum(content []byte) [32]byte { return sha256.Sum256(normalize(content)) }

// Bodies reads the bodies of scripts, several files at a time (reading is
// mostly waiting on the file system), and returns them in the same order;
// a nil script gives a nil body. The error is the first file's, in order.
func Bodies(scripts []*Script) ([]*Body, error) {
	out := make([]*Body, len(scripts))
	errs := make([]error, len(scripts))
	parallel(len(scripts), func(i int, _ *bufio.Reader, _ *[]byte) {
		if scripts[i] != nil {
			out[i], errs[i] = scripts[i].Body()
		}
	})
	if err := firstError(errs); err != nil {
		return nil, err
	}
	return out, nil
}
