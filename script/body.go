package script

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
)

// Section is one section of a file.
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
	// Dialect is the dialect of a dialect section (-- +upgrade
	// postgresql), as dialect.Dialect.Name spells it: "postgres",
	// "mysql" or "sqlite". It is "" for a plain section.
	Dialect string
}

// Body is a revision file's sections and checksum.
type Body struct {
	// Upgrade and Downgrade are the plain sections (-- +upgrade and
	// -- +downgrade), which every dialect without its own section runs.
	Upgrade, Downgrade Section
	// DialectUpgrade and DialectDowngrade are the dialect sections, keyed
	// by Section.Dialect; nil when the file has none. For picks the
	// sections of one dialect.
	DialectUpgrade, DialectDowngrade map[string]Section
	// Checksum is Checksum of the whole file. What a dialect runs, and
	// records, is For(dialect).Checksum, the same for a file without
	// dialect sections.
	Checksum [32]byte

	// For a file with dialect sections: its normalised text, and where
	// each section (marker line included) starts and ends in it.
	text  []byte
	spans []span
}

// span is a section's extent in the normalised file.
type span struct {
	up         bool
	dialect    string
	start, end int
}

// HasDowngrade reports whether the file has a -- +downgrade section.
func (b *Body) HasDowngrade() bool { return b.Downgrade.Present }

// For returns what the dialect named name runs of the file: the
// dialect's own section of each kind where the file has one, else the
// plain one, and as Checksum the SHA-256 of the normalised file without
// the sections the dialect does not run (other dialects' sections, and
// plain sections its own replace). So an edit to another dialect's
// section leaves the checksum alone. name is dialect.Dialect.Name
// ("postgres", "mysql", "sqlite"; "postgresql" is taken too); a dialect
// retort has no sections for runs the plain sections. A file without
// dialect sections (every Go revision among them) returns b itself, with
// the checksum of the whole file.
//
// Upgrade.Present is false when the file has upgrade sections only for
// other dialects; the caller reports that (see Dialects).
func (b *Body) For(name string) *Body {
	if b.DialectUpgrade == nil && b.DialectDowngrade == nil {
		return b
	}
	d := sectionDialect(name)
	if d == "" {
		d = name
	}
	out := &Body{Upgrade: b.Upgrade, Downgrade: b.Downgrade}
	ownUp, ownDown := false, false
	if sec, ok := b.DialectUpgrade[d]; ok {
		out.Upgrade, ownUp = sec, true
	}
	if sec, ok := b.DialectDowngrade[d]; ok {
		out.Downgrade, ownDown = sec, true
	}
	h := sha256.New()
	from := 0
	for _, sp := range b.spans {
		replaced := sp.up && ownUp || !sp.up && ownDown
		if sp.dialect == d || sp.dialect == "" && !replaced {
			continue
		}
		h.Write(b.text[from:sp.start])
		from = sp.end
	}
	h.Write(b.text[from:])
	h.Sum(out.Checksum[:0])
	return out
}

// Dialects returns the dialects, as Section.Dialect spells them and in
// byte order, that the file has upgrade (up) or downgrade sections for.
func (b *Body) Dialects(up bool) []string {
	m := b.DialectDowngrade
	if up {
		m = b.DialectUpgrade
	}
	return slices.Sorted(maps.Keys(m))
}

// Source returns the file's content as it is now: held in memory, or
// read again from the folder it was loaded from.
func (s *Script) Source() ([]byte, error) {
	switch {
	case s.content() != nil:
		return s.content(), nil
	case s.fsys != nil:
		b, err := fs.ReadFile(s.fsys, s.name)
		if err != nil {
			return nil, fmt.Errorf("read revision %s: %w", s.Path, err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("%s: no file to read the body from (the Script was made by ParseHeader)", s.Path)
}

// Body reads the whole file once, validates it again (the sections, and
// that its header still says what it said when it was loaded) and returns
// its sections and checksum.
func (s *Script) Body() (*Body, error) {
	content, err := s.Source()
	if err != nil {
		return nil, err
	}
	var now *Script
	var body *Body
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
		return nil, &ParseError{Path: s.Path, Line: now.HeaderLine("revision"),
			Msg: "the header changed since the file was loaded", Err: ErrChangedSinceLoad}
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
	s.extras().content = bytes.Clone(content)
	if s.extra.content == nil {
		s.extra.content = []byte{}
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
		return nil, nil, &ParseError{Path: path, Line: 1, Msg: "the script.GoRevision literal is gone since the file was loaded", Err: ErrChangedSinceLoad}
	}
	return s, gh.body(content), nil
}

func parse(content []byte, path string) (*Script, *Body, error) {
	text := normalize(content)
	s, err := parseHeader(&bytesLines{b: text}, path)
	if err != nil {
		return nil, nil, err
	}
	body, err := s.sections(text)
	if err != nil {
		return nil, nil, err
	}
	return s, body, nil
}

// sections cuts the normalised text at its marker lines, and checks
// every directive line ("-- +word") on the way.
func (s *Script) sections(text []byte) (*Body, error) {
	body := &Body{Checksum: sha256.Sum256(text)}
	p := sectionParser{s: s, body: body}
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
		if len(t) < len("--+x") || t[0] != '-' || t[1] != '-' {
			off = next
			continue
		}
		kind, dialect, err := s.directive(t, line)
		if err != nil {
			return nil, err
		}
		if kind != dirUpgrade && kind != dirDowngrade {
			off = next
			continue
		}
		sec, err := p.slot(kind == dirUpgrade, dialect, string(t), line)
		if err != nil {
			return nil, err
		}
		if cur != nil {
			cur.SQL = string(text[start:off])
			body.spans[len(body.spans)-1].end = off
		}
		*sec = Section{Line: line + 1, Present: true, Dialect: dialect}
		body.spans = append(body.spans, span{up: kind == dirUpgrade, dialect: dialect, start: off, end: len(text)})
		cur, start, off = sec, next, next
	}
	if cur != nil {
		cur.SQL = string(text[start:])
	}
	if len(p.dialects) == 0 {
		body.spans = nil
		return body, nil
	}
	body.text = text
	for k, sec := range p.dialects {
		m := &body.DialectDowngrade
		if k.up {
			m = &body.DialectUpgrade
		}
		if *m == nil {
			*m = make(map[string]Section)
		}
		(*m)[k.dialect] = *sec
	}
	return body, nil
}

// sectionParser keeps the sections found so far.
type sectionParser struct {
	s        *Script
	body     *Body
	dialects map[sectionKey]*Section
	seenUp   bool
}

type sectionKey struct {
	up      bool
	dialect string
}

// slot returns where the section that the marker line t on line starts
// goes: an error for a second section of a kind (per dialect).
func (p *sectionParser) slot(up bool, dialect, t string, line int) (*Section, error) {
	s, body := p.s, p.body
	if !up && !p.seenUp { // ParseHeader reports this first
		return nil, s.errf(line, "%q comes before %q", t, markUpgrade)
	}
	p.seenUp = p.seenUp || up
	if dialect == "" {
		switch {
		case up && body.Upgrade.Present:
			return nil, s.errf(line, "second %q line; a file has one upgrade section", markUpgrade)
		case up:
			return &body.Upgrade, nil
		case body.Downgrade.Present:
			return nil, s.errf(line, "second %q line; a file has one downgrade section", markDowngrade)
		}
		return &body.Downgrade, nil
	}
	k := sectionKey{up, dialect}
	if prev, dup := p.dialects[k]; dup {
		kind := "downgrade"
		if up {
			kind = "upgrade"
		}
		return nil, s.errf(line, "second %s section for %s (%q; the first starts on line %d); a file has one %s section per dialect",
			kind, dialect, t, prev.Line-1, kind)
	}
	if p.dialects == nil {
		p.dialects = make(map[sectionKey]*Section)
	}
	sec := new(Section)
	p.dialects[k] = sec
	return sec, nil
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
	parallel(len(scripts), func(i int, _ *worker) {
		if scripts[i] != nil {
			out[i], errs[i] = scripts[i].Body()
		}
	})
	if err := firstError(errs); err != nil {
		return nil, err
	}
	return out, nil
}
