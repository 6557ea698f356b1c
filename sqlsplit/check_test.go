package sqlsplit

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// dialects are the option sets every input is checked against.
var dialects = []struct {
	name string
	opts Options
}{
	{"postgresql", PostgreSQL()},
	{"mysql", MySQL()},
	{"sqlite", SQLite()},
}

// optsFromBits turns fuzzer bits into an arbitrary Options.
func optsFromBits(b uint16) Options {
	return Options{
		DollarQuotes:       b&(1<<0) != 0,
		BackslashEscapes:   b&(1<<1) != 0,
		HashComments:       b&(1<<2) != 0,
		NestedComments:     b&(1<<3) != 0,
		Delimiter:          b&(1<<4) != 0,
		DoubleQuoteStrings: b&(1<<5) != 0,
		Backticks:          b&(1<<6) != 0,
		Brackets:           b&(1<<7) != 0,
		EscapeStrings:      b&(1<<8) != 0,
		DashNeedsSpace:     b&(1<<9) != 0,
		ExecComments:       b&(1<<10) != 0,
	}
}

// checkSplit splits src with opts and checks every property that must hold
// whatever the input: no panic; an error is an *Error with a line inside
// src; otherwise every non-space byte of src is either in a statement or
// in a skipped span that is only a terminator, a DELIMITER directive line,
// the no-transaction marker or a comment, and each statement is sane.
// It returns Split's results.
func checkSplit(t *testing.T, src string, opts Options) ([]Statement, error) {
	t.Helper()
	stmts, err := Split(src, opts)
	stmts2, segs, err2 := splitSegments(src, opts)
	if (err == nil) != (err2 == nil) || !reflect.DeepEqual(stmts, stmts2) {
		t.Fatalf("Split and splitSegments disagree: %v %v", err, err2)
	}
	if err != nil {
		var se *Error
		if !errors.As(err, &se) {
			t.Fatalf("error %v (%T) is not an *Error", err, err)
		}
		if lines := strings.Count(src, "\n") + 1; se.Line < 1 || se.Line > lines {
			t.Fatalf("error line %d outside 1..%d: %v", se.Line, lines, err)
		}
		if stmts != nil {
			t.Fatalf("statements returned with an error")
		}
		if !strings.HasPrefix(se.Msg, "unterminated ") && !strings.HasPrefix(se.Msg, "unclosed ") && !strings.HasPrefix(se.Msg, "DELIMITER ") {
			t.Fatalf("unexpected error message %q", se.Msg)
		}
		return nil, err
	}

	// Statements.
	notx := false
	prevEnd := 0
	line, linePos := 1, 0
	firstMarker := firstMarkerLine(src)
	for i, st := range stmts {
		if st.Start < prevEnd || st.End <= st.Start || st.End > len(src) {
			t.Fatalf("stmt %d: bad span [%d,%d) after %d", i+1, st.Start, st.End, prevEnd)
		}
		prevEnd = st.End
		if src[st.Start:st.End] != st.Text {
			t.Fatalf("stmt %d: src[Start:End] = %q, Text = %q", i+1, src[st.Start:st.End], st.Text)
		}
		if isSpace(st.Text[0]) || isSpace(st.Text[len(st.Text)-1]) {
			t.Fatalf("stmt %d: Text %q not trimmed", i+1, st.Text)
		}
		// Stripped from src, not Text: MySQL's "--;" needs the byte after.
		if rest := stripComments(src[st.Start:], opts); len(src)-len(rest) >= st.End {
			t.Fatalf("stmt %d: Text %q is only comments", i+1, st.Text)
		}
		line += strings.Count(src[linePos:st.Start], "\n")
		linePos = st.Start
		if st.Line != line {
			t.Fatalf("stmt %d: Line = %d, want %d", i+1, st.Line, line)
		}
		if notx && !st.NoTx {
			t.Fatalf("stmt %d: NoTx went back to false", i+1)
		}
		notx = st.NoTx
		if st.NoTx && (firstMarker < 0 || firstMarker >= st.Start) {
			t.Fatalf("stmt %d: NoTx without a marker line before it", i+1)
		}
	}

	// Segments: ordered, disjoint, each of a legal kind, covering every
	// non-space byte.
	delim := ";"
	nstmt := 0
	pos := 0
	markerSeen := false
	for _, sg := range segs {
		if sg.start < pos || sg.end <= sg.start || sg.end > len(src) {
			t.Fatalf("segment %v [%d,%d) out of order after %d", sg.kind, sg.start, sg.end, pos)
		}
		if gap := src[pos:sg.start]; strings.TrimLeft(gap, " \t\n\v\f\r") != "" {
			t.Fatalf("bytes %d..%d %q are in no segment", pos, sg.start, gap)
		}
		pos = sg.end
		text := src[sg.start:sg.end]
		switch sg.kind {
		case segStatement:
			if nstmt >= len(stmts) || stmts[nstmt].Start != sg.start || stmts[nstmt].End != sg.end {
				t.Fatalf("statement segment [%d,%d) is not statement %d", sg.start, sg.end, nstmt+1)
			}
			if markerSeen && !stmts[nstmt].NoTx {
				t.Fatalf("stmt %d after a marker has NoTx false", nstmt+1)
			}
			nstmt++
		case segTerminator:
			if text != delim {
				t.Fatalf("terminator %q, want the delimiter %q", text, delim)
			}
		case segDirective:
			f := strings.FieldsFunc(text, func(r rune) bool { return r < 0x80 && isSpace(byte(r)) })
			if !opts.Delimiter || strings.Contains(text, "\n") || len(f) < 2 || !strings.EqualFold(f[0], "DELIMITER") || !atLineStart(src, sg.start) {
				t.Fatalf("bad directive %q", text)
			}
			d := f[1]
			if len(d) >= 3 && strings.ContainsRune("'\"`", rune(d[0])) && d[len(d)-1] == d[0] {
				d = d[1 : len(d)-1]
			}
			delim = d
		case segMarker:
			if !isMarkerLine(text) || !atLineStart(src, sg.start) {
				t.Fatalf("bad marker %q", text)
			}
			markerSeen = true
		case segComment:
			if !isComment(text, opts) {
				t.Fatalf("skipped span %q is not a comment", text)
			}
		default:
			t.Fatalf("unknown segment kind %d", sg.kind)
		}
	}
	if gap := src[pos:]; strings.TrimLeft(gap, " \t\n\v\f\r") != "" {
		t.Fatalf("bytes %d.. %q are in no segment", pos, gap)
	}
	if nstmt != len(stmts) {
		t.Fatalf("%d statement segments for %d statements", nstmt, len(stmts))
	}

	// Without DELIMITER state, a statement on its own splits to itself
	// (a leading comment may drop off when it becomes a marker). The one
	// place where lexing looks past a Text is MySQL's "--": in "--;" and
	// "--+no-transaction;" it is no comment, but at the end of a Text it
	// is a comment or a marker line, so such a Text is not checked.
	if !opts.Delimiter {
		for i, st := range stmts {
			last := st.Text[strings.LastIndexByte(st.Text, '\n')+1:]
			if opts.DashNeedsSpace && strings.Contains(last, "--") {
				continue
			}
			again, err := Split(st.Text, opts)
			if err != nil || len(again) != 1 || !strings.HasSuffix(st.Text, again[0].Text) {
				t.Fatalf("stmt %d %q split again: %+v, %v", i+1, st.Text, again, err)
			}
		}
	}
	return stmts, nil
}

// atLineStart reports whether only spaces and tabs precede offset i on its
// line.
func atLineStart(src string, i int) bool {
	j := strings.LastIndexByte(src[:i], '\n') + 1
	return strings.Trim(src[j:i], " \t\v\f\r") == ""
}

func isMarkerLine(text string) bool {
	return strings.HasPrefix(text, "--") && !strings.Contains(text, "\n") &&
		strings.EqualFold(strings.TrimSpace(text[2:]), "+no-transaction")
}

// firstMarkerLine returns the offset of the first line of src that reads
// as a marker line, ignoring quotes and comments, or -1.
func firstMarkerLine(src string) int {
	for pos := 0; pos <= len(src); {
		end := strings.IndexByte(src[pos:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += pos
		}
		if isMarkerLine(strings.TrimLeft(src[pos:end], " \t\v\f\r")) {
			return pos
		}
		pos = end + 1
	}
	return -1
}

// isComment reports whether text is exactly one comment under opts.
func isComment(text string, opts Options) bool {
	switch {
	case strings.HasPrefix(text, "--"):
		if opts.DashNeedsSpace && len(text) > 2 && text[2] > ' ' {
			return false
		}
		return !strings.Contains(text, "\n")
	case strings.HasPrefix(text, "#"):
		return opts.HashComments && !strings.Contains(text, "\n")
	case strings.HasPrefix(text, "/*"):
		if len(text) < 4 || !strings.HasSuffix(text, "*/") {
			return false
		}
		if opts.ExecComments && (strings.HasPrefix(text, "/*!") || strings.HasPrefix(text, "/*M!")) {
			return false
		}
		if !opts.NestedComments {
			return strings.Index(text[2:], "*/") == len(text)-4
		}
		return true
	}
	return false
}

func TestOptsFromBitsCoversPresets(t *testing.T) {
	// The fuzzer's bit space reaches every preset.
	for _, d := range dialects {
		found := false
		for b := 0; b < 1<<11 && !found; b++ {
			found = optsFromBits(uint16(b)) == d.opts
		}
		if !found {
			t.Errorf("%s preset not reachable from fuzz bits", d.name)
		}
	}
}

// stripComments removes the comments and white space at the start of text
// (a second, simpler lexer than the splitter's). An executable /*! */
// comment under ExecComments is content and stops it.
func stripComments(text string, opts Options) string {
	for {
		text = strings.TrimLeft(text, " \t\n\v\f\r")
		switch {
		case strings.HasPrefix(text, "--") && (!opts.DashNeedsSpace || len(text) == 2 || text[2] <= ' '),
			opts.HashComments && strings.HasPrefix(text, "#"):
			i := strings.IndexByte(text, '\n')
			if i < 0 {
				return ""
			}
			text = text[i:]
		case strings.HasPrefix(text, "/*"):
			if opts.ExecComments && (strings.HasPrefix(text, "/*!") || strings.HasPrefix(text, "/*M!")) {
				return text
			}
			depth, i := 1, 2
			for depth > 0 && i+1 < len(text) {
				switch {
				case text[i] == '*' && text[i+1] == '/':
					depth--
					i += 2
				case opts.NestedComments && text[i] == '/' && text[i+1] == '*':
					depth++
					i += 2
				default:
					i++
				}
			}
			if depth > 0 {
				return text // unterminated: not a comment
			}
			text = text[i:]
		default:
			return text
		}
	}
}
