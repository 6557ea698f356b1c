package script

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/retortdb/retort/internal/textdist"
)

// Script is a revision file as the revision graph sees it: its header.
// The sections are read on demand by Body.
type Script struct {
	Revision      string
	DownRevisions []string // empty for a base, several for a merge
	BranchLabels  []string
	DependsOn     []string
	Message       string
	CreateDate    string // as written; informational
	// Replaces are the revisions a squashed revision stands for (its
	// "-- replaces:" header, written by retort squash): it is then no
	// node of the graph but a shortcut from base to the newest of them
	// (revision.Revision.Replaces).
	Replaces []string
	Path     string // display path: the loader's prefix joined with the file name
	Format   string // "sql", or "go" for a Go revision file
	// lines holds the 1-based line of each header key present in the
	// file, indexed like headerKeys (0: absent); see HeaderLine.
	lines [numHeaderKeys]int32
	// Archived is set for a file loaded from the archive folder
	// (ArchiveDir): a revision a squash replaced, read for the databases
	// that are still behind it and for history.
	Archived bool
	// Go is the compiled revision of a Go revision file (Format "go"),
	// set by Bind from the migrations program's Registry; nil for a SQL
	// file, and for a Go file that was only read (the graph commands
	// need nothing more).
	Go *GoRevision

	// Where Body reads the file: fsys and name for a loaded file,
	// extra.content for one made by Parse or read whole.
	fsys  fs.FS
	name  string
	extra *scriptExtra
}

// scriptExtra is what only some scripts have, kept out of Script so that
// a graph of 100,000 revisions is 3 MB smaller.
type scriptExtra struct {
	content []byte    // the file's content (not nil), for Body
	gh      *goHeader // for a Go file: what its literal sets
}

func (s *Script) extras() *scriptExtra {
	if s.extra == nil {
		s.extra = &scriptExtra{}
	}
	return s.extra
}

// content returns the file's content held in memory, or nil.
func (s *Script) content() []byte {
	if s.extra == nil {
		return nil
	}
	return s.extra.content
}

// goHeader returns what a Go file's literal sets, or nil.
func (s *Script) goHeader() *goHeader {
	if s.extra == nil {
		return nil
	}
	return s.extra.gh
}

// ParseError is a malformed revision file. Error returns "path:line: msg".
type ParseError struct {
	Path string // the display path
	Line int    // 1-based; 0 when the error is about the whole file
	Msg  string
	Err  error // a condition callers test with errors.Is (ErrChangedSinceLoad), or nil
}

// ErrChangedSinceLoad is matched (errors.Is) by the *ParseError of a file
// whose header changed between the load that built the graph and the
// reading of its body: loading the project again picks the change up.
var ErrChangedSinceLoad = errors.New("the revision file changed since it was loaded")

// Unwrap returns the condition the error matches, if any.
func (e *ParseError) Unwrap() error { return e.Err }

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return e.Path + ": " + e.Msg
}

// The header keys, in the order Render writes them.
var headerKeys = [numHeaderKeys]string{"revision", "down_revision", "branch_labels", "depends_on", "message", "create_date", "replaces"}

const numHeaderKeys = 7

// HeaderLine returns the 1-based line of the header key ("revision",
// "down_revision", "branch_labels", "depends_on", "message",
// "create_date", "replaces") in the file, for error messages about the
// graph; 0 when the file does not have it.
func (s *Script) HeaderLine(key string) int {
	if i := headerIndex(key); i >= 0 {
		return int(s.lines[i])
	}
	return 0
}

// HeaderLines returns the line of every header key present in the file,
// as HeaderLine gives them.
func (s *Script) HeaderLines() map[string]int {
	m := make(map[string]int, numHeaderKeys)
	for i, l := range s.lines {
		if l != 0 {
			m[headerKeys[i]] = int(l)
		}
	}
	return m
}

// hasHeader reports whether any header key has been read.
func (s *Script) hasHeader() bool { return s.lines != [numHeaderKeys]int32{} }

// headerIndex returns the index of key in headerKeys, or -1.
func headerIndex[T string | []byte](key T) int {
	for i, h := range headerKeys {
		if string(key) == h {
			return i
		}
	}
	return -1
}

const (
	markUpgrade   = "-- +upgrade"
	markDowngrade = "-- +downgrade"
	bom           = "\ufeff"

	// maxHeaderLine bounds one line before -- +upgrade, so that a file
	// that is not a revision (one long line of data) is not read whole.
	maxHeaderLine = 64 << 10
)

// ParseHeader parses a revision file's header from r, reading r no
// further than (a buffer's worth past) the -- +upgrade line. path is the
// display path used in errors and Script.Path. Body cannot be called on
// the result; use Parse for content held in memory.
func ParseHeader(r io.Reader, path string) (*Script, error) {
	return parseHeader(&readerLines{br: bufio.NewReaderSize(r, 512)}, path)
}

// lineSource gives the lines of a file: the next line without its line
// ending ("\n" or "\r\n"), valid until the next call; at the end of the
// input the last line (maybe empty) and io.EOF; a line longer than
// maxHeaderLine, its start (at least maxHeaderLine bytes) and errLongLine.
type lineSource interface {
	readLine() ([]byte, error)
}

// readerLines reads lines from a buffered reader, which the caller may
// reuse; buf is scratch space for lines longer than br's buffer.
type readerLines struct {
	br  *bufio.Reader
	buf []byte
}

func (r *readerLines) readLine() ([]byte, error) { return readLine(r.br, &r.buf) }

// bytesLines reads lines from content held in memory, without copying.
type bytesLines struct{ b []byte }

func (r *bytesLines) readLine() ([]byte, error) {
	if len(r.b) == 0 {
		return nil, io.EOF
	}
	line, rest, found := bytes.Cut(r.b, []byte("\n"))
	r.b = rest
	line = bytes.TrimSuffix(line, []byte("\r"))
	switch {
	case len(line) > maxHeaderLine:
		return line, errLongLine
	case !found:
		return line, io.EOF
	}
	return line, nil
}

// parseHeader is ParseHeader on a source of lines.
func parseHeader(src lineSource, displayPath string) (*Script, error) {
	s := &Script{Path: displayPath, Format: "sql"}
	for line := 1; ; line++ {
		text, err := src.readLine()
		if err == errLongLine {
			if !isComment(text) {
				return nil, s.sqlBeforeUpgrade(line)
			}
			return nil, s.errf(line, "header line longer than %d bytes", maxHeaderLine)
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("read %s: %w", displayPath, err)
		}
		if err == io.EOF && len(text) == 0 {
			return nil, s.errf(max(line-1, 1), "no %q line: every revision needs an upgrade section", markUpgrade)
		}
		if line == 1 {
			text = bytes.TrimPrefix(text, []byte(bom))
		}
		done, perr := s.headerLine(text, line)
		if perr != nil {
			return nil, perr
		}
		if done {
			break
		}
		if err == io.EOF {
			return nil, s.errf(line, "no %q line: every revision needs an upgrade section", markUpgrade)
		}
	}
	if s.HeaderLine("revision") == 0 {
		return nil, s.errf(1, "no \"-- revision:\" header line")
	}
	if s.Revision == "" {
		return nil, s.errf(s.HeaderLine("revision"), "empty revision id")
	}
	if s.HeaderLine("down_revision") == 0 {
		return nil, s.errf(s.HeaderLine("revision"), "no \"-- down_revision:\" header line (leave its value empty for a first revision)")
	}
	return s, nil
}

var errLongLine = errors.New("line too long")

// readLine returns the next line without its line ending ("\n" or
// "\r\n"). The result is valid until the next call. At the end of the
// input it returns the last line (maybe empty) and io.EOF. A line longer
// than maxHeaderLine returns its start and errLongLine.
func readLine(br *bufio.Reader, buf *[]byte) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		long := append((*buf)[:0], line...)
		for err == bufio.ErrBufferFull && len(long) <= maxHeaderLine {
			line, err = br.ReadSlice('\n')
			long = append(long, line...)
		}
		*buf = long
		line = long
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) > maxHeaderLine {
		return line, errLongLine
	}
	return line, err
}

func isComment(text []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(text, " \t"), []byte("--"))
}

func (s *Script) errf(line int, format string, a ...any) *ParseError {
	return &ParseError{Path: s.Path, Line: line, Msg: fmt.Sprintf(format, a...)}
}

func (s *Script) sqlBeforeUpgrade(line int) *ParseError {
	msg := fmt.Sprintf("SQL before %s; put statements after the %s line", markUpgrade, markUpgrade)
	if !s.hasHeader() {
		msg += ` (a .sql file here that is not a revision needs a name starting with "_")`
	}
	return s.errf(line, "%s", msg)
}

// headerLine handles one line before -- +upgrade; done reports the marker.
func (s *Script) headerLine(text []byte, line int) (done bool, err error) {
	t := bytes.TrimSpace(text)
	switch {
	case len(t) == 0:
		return false, nil
	case string(t) == markUpgrade:
		return true, nil
	case string(t) == markDowngrade:
		return false, s.errf(line, "%q comes before %q", markDowngrade, markUpgrade)
	case !bytes.HasPrefix(t, []byte("--")):
		return false, s.sqlBeforeUpgrade(line)
	}
	body := bytes.TrimLeft(t[2:], " \t")
	if len(body) > 1 && body[0] == '+' {
		return s.markerInHeader(t, line)
	}
	k, v, ok := bytes.Cut(body, []byte(":"))
	if !ok {
		return false, nil // free text
	}
	k = bytes.TrimRight(k, " \t")
	key := headerKey(k)
	if key == "" {
		if !isKey(k) {
			if alt := strings.ReplaceAll(strings.ToLower(string(k)), "-", "_"); isKey([]byte(alt)) && headerIndex(alt) >= 0 {
				return false, s.errf(line, "header %q is spelled %q", k, alt)
			}
			return false, nil // free text, such as "-- Note: ..."
		}
		return false, s.unknownKey(string(k), line)
	}
	if prev := s.HeaderLine(key); prev != 0 {
		return false, s.errf(line, "header %q given twice (first on line %d)", key, prev)
	}
	s.setHeader(key, line, v)
	return false, nil
}

// headerKey returns k as a known key (without allocating), or "".
func headerKey(k []byte) string {
	if i := headerIndex(k); i >= 0 {
		return headerKeys[i]
	}
	return ""
}

// markerInHeader handles a "-- +word" line before -- +upgrade: a
// dialect's upgrade marker (-- +upgrade sqlite) ends the header like
// -- +upgrade; a misspelt marker, goose's markers, an unknown directive
// and a marker that belongs in a section are errors.
func (s *Script) markerInHeader(t []byte, line int) (done bool, err error) {
	ts := string(t)
	switch nearMarker(ts) {
	case markUpgrade:
		return false, s.errf(line, "%q is not the marker; write exactly %q (lower case, one space)", ts, markUpgrade)
	case markDowngrade:
		return false, s.errf(line, "%q is not the marker, and a downgrade section comes after %q", ts, markUpgrade)
	}
	if !isDirectiveShaped(t) {
		return false, nil // free text such as "-- +1"
	}
	kind, _, err := s.directive(t, line)
	switch {
	case err != nil:
		return false, err
	case kind == dirUpgrade:
		return true, nil
	case kind == dirDowngrade:
		return false, s.errf(line, "%q comes before %q", ts, markUpgrade)
	}
	return false, s.errf(line, "marker %q before %q; markers belong inside a section", ts, markUpgrade)
}

// nearMarker returns the marker that the comment line t (trimmed) almost
// is, ignoring case and spaces, or "" when it is neither. An exact marker
// returns itself.
func nearMarker(t string) string {
	if len(t) > 32 || !strings.HasPrefix(t, "--") {
		return ""
	}
	squeezed := strings.ToLower(strings.Join(strings.Fields(t[2:]), ""))
	switch squeezed {
	case "+upgrade":
		return markUpgrade
	case "+downgrade":
		return markDowngrade
	}
	return ""
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func (s *Script) unknownKey(key string, line int) error {
	if near := nearestKey(key); near != "" {
		return s.errf(line, "unknown header %q (did you mean %q?)", key, near)
	}
	return s.errf(line, "unknown header %q; the header keys are %s (a free comment must not look like \"-- key: value\")",
		key, strings.Join(headerKeys[:], ", "))
}

// isKey reports whether k is header-shaped: lower-case letters and "_".
func isKey(k []byte) bool {
	if len(k) == 0 {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c == '_') {
			return false
		}
	}
	return true
}

// splitList splits a comma-separated value, trimming items and dropping
// empty ones.
// setHeader records the value of one header key (one of headerKeys)
// found on line, trimmed; list keys are split on commas. SQL and Go
// revisions share it, so that both read a header the same way.
func (s *Script) setHeader(key string, line int, v []byte) {
	s.lines[headerIndex(key)] = int32(line)
	val := bytes.TrimSpace(v)
	switch key {
	case "revision":
		s.Revision = string(val)
	case "down_revision":
		s.DownRevisions = splitList(val)
	case "branch_labels":
		s.BranchLabels = splitList(val)
	case "depends_on":
		s.DependsOn = splitList(val)
	case "message":
		s.Message = string(val)
	case "create_date":
		s.CreateDate = string(val)
	case "replaces":
		s.Replaces = splitList(val)
	}
}

func splitList(v []byte) []string {
	if len(v) == 0 {
		return nil
	}
	var out []string
	for len(v) > 0 {
		item, rest, _ := bytes.Cut(v, []byte(","))
		if item = bytes.TrimSpace(item); len(item) > 0 {
			out = append(out, string(item))
		}
		v = rest
	}
	return out
}

// nearestKey returns the header key that key is probably a typo of, or "".
func nearestKey(key string) string {
	best, bestD := "", 1<<30
	for _, h := range headerKeys {
		if d := textdist.Distance(key, h); d < bestD {
			best, bestD = h, d
		}
	}
	if bestD <= 2 || bestD <= 3 && len(key) >= 8 {
		return best
	}
	// A part of a key: "labels", "date", "depends", "down".
	if len(key) >= 4 {
		for _, h := range headerKeys {
			if strings.HasPrefix(h, key) || strings.HasSuffix(h, key) {
				return h
			}
		}
	}
	return ""
}
