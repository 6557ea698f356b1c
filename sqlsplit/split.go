package sqlsplit

import (
	"strconv"
	"strings"
)

// Statement is one statement cut from the source.
type Statement struct {
	Text  string // the statement's source text, without its terminator (";" or the current DELIMITER), with leading/trailing white space trimmed; comments inside or before the statement are kept as written
	Start int    // byte offset in src of Text's first byte
	End   int    // byte offset in src just past Text's last byte
	Line  int    // 1-based line in src of Text's first byte
	NoTx  bool   // true when a "-- +no-transaction" marker line appeared earlier in src (at top level)
}

// Error reports source that cannot be split: an unterminated quoted span,
// comment, dollar-quoted string or BEGIN ... END block, or a DELIMITER
// directive without a delimiter.
type Error struct {
	Line int    // 1-based line in src where the offending construct starts
	Msg  string // what is wrong, without the line
}

func (e *Error) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Msg }

// Split cuts src into statements. Empty statements (only white space, or
// only comments) are dropped. On error it returns a nil slice and an *Error.
func Split(src string, opts Options) ([]Statement, error) {
	s := splitter{src: src, opts: opts}
	if err := s.run(); err != nil {
		return nil, err
	}
	return s.stmts, nil
}

// segKind says why a span of the source is, or is not, part of a statement.
type segKind uint8

const (
	segStatement  segKind = iota // a statement's Text
	segTerminator                // ";" or the current DELIMITER
	segDirective                 // a DELIMITER directive line
	segMarker                    // a "-- +no-transaction" marker line
	segComment                   // a comment that belongs to no statement
)

var segNames = [...]string{"statement", "terminator", "directive", "marker", "comment"}

func (k segKind) String() string { return segNames[k] }

// segment is a span [start, end) of the source and what it is.
type segment struct {
	kind       segKind
	start, end int
}

// splitSegments is Split that also reports, in source order, every span of
// the source that is not white space: the statements and the spans that
// were skipped, with the reason. Tests use it to check that no byte of the
// source is lost.
func splitSegments(src string, opts Options) ([]Statement, []segment, error) {
	s := splitter{src: src, opts: opts, wantSegs: true}
	if err := s.run(); err != nil {
		return nil, nil, err
	}
	return s.stmts, s.segs, nil
}

// Byte classes.
const (
	clSpace      = 1 << iota // space \t \n \v \f \r
	clIdentStart             // A-Z a-z _ and every byte >= 0x80
	clDigit                  // 0-9
	clDollar                 // $
	clIdent      = clIdentStart | clDigit | clDollar
	clNumber     = clIdentStart | clDigit
)

var class = func() (t [256]uint8) {
	for _, c := range []byte(" \t\n\v\f\r") {
		t[c] = clSpace
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = clIdentStart
		t[c-'a'+'A'] = clIdentStart
	}
	t['_'] = clIdentStart
	for c := 0x80; c < 0x100; c++ {
		t[c] = clIdentStart
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = clDigit
	}
	t['$'] = clDollar
	return t
}()

func isSpace(c byte) bool { return class[c]&clSpace != 0 }

// kw is a token as the statement-structure machine sees it: a keyword that
// matters, ";" or ":" inside a block, or anything else (kwNone).
type kw uint8

const (
	kwNone kw = iota
	kwSemi
	kwColon
	kwBEGIN
	kwEND
	kwCASE
	kwIF
	kwLOOP
	kwWHILE
	kwREPEAT
	kwFOR
	kwTHEN
	kwELSE
	kwDO
	kwROW
	kwATOMIC
	kwNOT
	kwCREATE
	kwOR
	kwREPLACE
	kwTEMP
	kwTEMPORARY
	kwCONSTRAINT
	kwAGGREGATE
	kwDEFINER
	kwTRIGGER
	kwPROCEDURE
	kwFUNCTION
	kwEVENT
	kwVIEW
	kwDELIMITER
)

// lookup returns the keyword spelled by w in any case, or kwNone. Words of
// up to 8 bytes are upper-cased into a uint64 and compared as integers.
func lookup(w string) kw {
	if len(w) < 2 || len(w) > 10 {
		return kwNone
	}
	if len(w) > 8 {
		switch {
		case strings.EqualFold(w, "TEMPORARY"):
			return kwTEMPORARY
		case strings.EqualFold(w, "AGGREGATE"):
			return kwAGGREGATE
		case strings.EqualFold(w, "PROCEDURE"):
			return kwPROCEDURE
		case strings.EqualFold(w, "DELIMITER"):
			return kwDELIMITER
		case strings.EqualFold(w, "CONSTRAINT"):
			return kwCONSTRAINT
		}
		return kwNone
	}
	var p uint64
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		p = p<<8 | uint64(c)
	}
	switch p {
	case 'B'<<32 | 'E'<<24 | 'G'<<16 | 'I'<<8 | 'N':
		return kwBEGIN
	case 'E'<<16 | 'N'<<8 | 'D':
		return kwEND
	case 'C'<<24 | 'A'<<16 | 'S'<<8 | 'E':
		return kwCASE
	case 'I'<<8 | 'F':
		return kwIF
	case 'L'<<24 | 'O'<<16 | 'O'<<8 | 'P':
		return kwLOOP
	case 'W'<<32 | 'H'<<24 | 'I'<<16 | 'L'<<8 | 'E':
		return kwWHILE
	case 'R'<<40 | 'E'<<32 | 'P'<<24 | 'E'<<16 | 'A'<<8 | 'T':
		return kwREPEAT
	case 'F'<<16 | 'O'<<8 | 'R':
		return kwFOR
	case 'T'<<24 | 'H'<<16 | 'E'<<8 | 'N':
		return kwTHEN
	case 'E'<<24 | 'L'<<16 | 'S'<<8 | 'E':
		return kwELSE
	case 'D'<<8 | 'O':
		return kwDO
	case 'R'<<16 | 'O'<<8 | 'W':
		return kwROW
	case 'A'<<40 | 'T'<<32 | 'O'<<24 | 'M'<<16 | 'I'<<8 | 'C':
		return kwATOMIC
	case 'N'<<16 | 'O'<<8 | 'T':
		return kwNOT
	case 'C'<<40 | 'R'<<32 | 'E'<<24 | 'A'<<16 | 'T'<<8 | 'E':
		return kwCREATE
	case 'O'<<8 | 'R':
		return kwOR
	case 'R'<<48 | 'E'<<40 | 'P'<<32 | 'L'<<24 | 'A'<<16 | 'C'<<8 | 'E':
		return kwREPLACE
	case 'T'<<24 | 'E'<<16 | 'M'<<8 | 'P':
		return kwTEMP
	case 'D'<<48 | 'E'<<40 | 'F'<<32 | 'I'<<24 | 'N'<<16 | 'E'<<8 | 'R':
		return kwDEFINER
	case 'T'<<48 | 'R'<<40 | 'I'<<32 | 'G'<<24 | 'G'<<16 | 'E'<<8 | 'R':
		return kwTRIGGER
	case 'F'<<56 | 'U'<<48 | 'N'<<40 | 'C'<<32 | 'T'<<24 | 'I'<<16 | 'O'<<8 | 'N':
		return kwFUNCTION
	case 'E'<<32 | 'V'<<24 | 'E'<<16 | 'N'<<8 | 'T':
		return kwEVENT
	case 'V'<<24 | 'I'<<16 | 'E'<<8 | 'W':
		return kwVIEW
	}
	return kwNone
}

// Header states: how far the start of a statement has been matched against
// CREATE [OR REPLACE] [TEMP|TEMPORARY] [DEFINER = user] TRIGGER|PROCEDURE|
// FUNCTION|EVENT.
const (
	hdrFirst   = iota // no token yet
	hdrCreate         // CREATE and modifiers seen
	hdrDefiner        // inside a DEFINER = user clause
	hdrDone           // decided
)

// Block kinds on the nesting stack of a routine statement.
const (
	blkBegin    uint8 = iota // BEGIN ... END
	blkCaseStmt              // CASE ... END [CASE] in statement position
	blkCaseExpr              // CASE ... END in an expression
	blkIf                    // IF ... END IF
	blkLoop                  // LOOP/WHILE/REPEAT/FOR ... END LOOP/WHILE/REPEAT/FOR
)

type splitter struct {
	src      string
	opts     Options
	wantSegs bool

	stmts   []Statement
	segs    []segment
	pending []segment // comments of the current chunk while it has no content

	delim string // the current DELIMITER; "" means ";" with block rules

	lineStart bool // nothing but white space since the start of the line
	trailing  bool // on the line of the last terminator, nothing but comments since

	chunk      int  // start of the current chunk (first non-space byte), or -1
	hasContent bool // the current chunk has more than comments
	notxFrom   int  // statements starting at or after this offset are NoTx

	// Statement structure, for routine bodies.
	hdr        uint8
	hdrBudget  int
	routine    bool    // ";" inside blocks does not terminate
	stack      []uint8 // open blocks
	outer      int     // offset of the outermost open block's keyword
	outerKw    kw      // and that keyword
	parens     int     // depth of parentheses; ";" inside does not terminate
	parenPos   int     // offset of the outermost open parenthesis
	stmtPos    bool    // the next token starts a statement inside the body
	afterEnd   bool    // the previous token was END
	afterBegin bool    // the previous tokens were BEGIN [NOT]
	pendBegin  uint8   // non-routine: 1 after BEGIN, 2 after BEGIN NOT
	beginPos   int

	linePos, lineNo int // lineAt cache
}

func (s *splitter) run() error {
	src := s.src
	n := len(src)
	s.chunk = -1
	s.notxFrom = n + 1
	s.lineStart = true
	s.lineNo = 1
	i := 0
	for i < n {
		c := src[i]
		if s.delim != "" && c == s.delim[0] && strings.HasPrefix(src[i:], s.delim) {
			s.terminate(i, i+len(s.delim))
			i += len(s.delim)
			continue
		}
		cl := class[c]
		if cl&clSpace != 0 {
			nl := c == '\n'
			i++
			for i < n && class[src[i]]&clSpace != 0 {
				if src[i] == '\n' {
					nl = true
				}
				i++
			}
			if nl {
				s.lineStart = true
				s.trailing = false
			}
			continue
		}
		if cl&clIdentStart != 0 {
			j := s.scanWord(i+1, clIdent)
			if j == i+1 && (c == 'E' || c == 'e') && s.opts.EscapeStrings && j < n && src[j] == '\'' {
				k := scanQuoted(src, j+1, '\'', true)
				if k < 0 {
					return s.errAt(i, "unterminated string literal")
				}
				s.content(i, kwNone)
				i = k
				continue
			}
			// Outside routine headers and bodies only BEGIN [NOT] ATOMIC
			// and DELIMITER matter: skip the lookup for other words.
			k := kwNone
			if lc := c | 0x20; s.routine || s.hdr != hdrDone || lc == 'b' || lc == 'n' || lc == 'a' || lc == 'd' {
				k = s.keyword(i, j)
			}
			if k == kwDELIMITER && s.opts.Delimiter && s.lineStart && !s.hasContent && (j == n || isSpace(src[j])) {
				next, err := s.directive(i, j)
				if err != nil {
					return err
				}
				i = next
				continue
			}
			s.content(i, k)
			i = j
			continue
		}
		if cl&clDigit != 0 {
			j := s.scanWord(i+1, clNumber)
			s.content(i, kwNone)
			i = j
			continue
		}
		switch c {
		case ';':
			if s.delim == "" && len(s.stack) == 0 && s.parens == 0 {
				s.terminate(i, i+1)
			} else {
				s.content(i, kwSemi)
			}
			i++
			continue
		case '\'':
			k := scanQuoted(src, i+1, '\'', s.opts.BackslashEscapes)
			if k < 0 {
				return s.errAt(i, "unterminated string literal")
			}
			s.content(i, kwNone)
			i = k
			continue
		case '"':
			var k int
			if s.opts.DoubleQuoteStrings {
				k = scanQuoted(src, i+1, '"', s.opts.BackslashEscapes)
				if k < 0 {
					return s.errAt(i, "unterminated string literal")
				}
			} else {
				k = scanQuoted(src, i+1, '"', false)
				if k < 0 {
					return s.errAt(i, "unterminated quoted identifier")
				}
			}
			s.content(i, kwNone)
			i = k
			continue
		case '`':
			if s.opts.Backticks {
				k := scanQuoted(src, i+1, '`', false)
				if k < 0 {
					return s.errAt(i, "unterminated quoted identifier")
				}
				s.content(i, kwNone)
				i = k
				continue
			}
		case '[':
			if s.opts.Brackets {
				k := strings.IndexByte(src[i+1:], ']')
				if k < 0 {
					return s.errAt(i, "unterminated quoted identifier")
				}
				s.content(i, kwNone)
				i += k + 2
				continue
			}
		case '-':
			if i+1 < n && src[i+1] == '-' {
				// lineEnd only where the line is consumed, or once per
				// line for the marker, so that a--b--c stays linear.
				if s.lineStart && len(s.stack) == 0 && s.parens == 0 {
					if eol := lineEnd(src, i); isMarker(src[i+2 : eol]) {
						s.marker(i, eol)
						i = eol
						continue
					}
				}
				if !s.opts.DashNeedsSpace || i+2 == n || src[i+2] <= ' ' {
					eol := lineEnd(src, i)
					s.comment(i, eol)
					i = eol
					continue
				}
			}
		case '#':
			if s.opts.HashComments {
				eol := lineEnd(src, i)
				s.comment(i, eol)
				i = eol
				continue
			}
		case '/':
			if i+1 < n && src[i+1] == '*' {
				k := s.scanBlockComment(i)
				if k < 0 {
					return s.errAt(i, "unterminated /* comment")
				}
				if s.opts.ExecComments && (src[i+2] == '!' || strings.HasPrefix(src[i+2:], "M!")) {
					s.content(i, kwNone)
				} else {
					multiline := s.trailing && strings.IndexByte(src[i:k], '\n') >= 0
					s.comment(i, k)
					if multiline {
						s.trailing = false
					}
				}
				i = k
				continue
			}
		case '$':
			if s.opts.DollarQuotes {
				k, err := s.dollar(i)
				if err != nil {
					return err
				}
				i = k
				continue
			}
			// Part of a name or a parameter ($name, $1).
			j := s.scanWord(i+1, clIdent)
			s.content(i, kwNone)
			i = j
			continue
		case ':':
			s.content(i, kwColon)
			i++
			continue
		case '(':
			if s.delim == "" {
				if s.parens == 0 {
					s.parenPos = i
				}
				s.parens++
			}
		case ')':
			if s.parens > 0 {
				s.parens--
			}
		}
		s.content(i, kwNone)
		i++
	}
	switch {
	case s.parens > 0 && (len(s.stack) == 0 || s.parenPos < s.outer):
		return &Error{Line: s.lineAt(s.parenPos), Msg: "unclosed parenthesis starting here"}
	case len(s.stack) > 0:
		return s.errAt(s.outer, "unterminated "+blockName(s.outerKw)+" block")
	}
	s.endChunk(n)
	return nil
}

// scanWord returns the end of the run of bytes of class mask starting at j.
// Under a custom DELIMITER the run also stops where the delimiter starts, as
// the mysql client finds the delimiter anywhere outside quotes and comments.
func (s *splitter) scanWord(j int, mask uint8) int {
	src := s.src
	if s.delim == "" {
		for j < len(src) && class[src[j]]&mask != 0 {
			j++
		}
		return j
	}
	d0 := s.delim[0]
	for j < len(src) && class[src[j]]&mask != 0 {
		if src[j] == d0 && strings.HasPrefix(src[j:], s.delim) {
			break
		}
		j++
	}
	return j
}

// keyword classifies the word src[i:j]. A word that is part of a qualified
// name (t.end, end.x) or a variable (@begin) is never a keyword.
func (s *splitter) keyword(i, j int) kw {
	if j-i < 2 || j-i > 10 {
		return kwNone
	}
	if i > 0 && (s.src[i-1] == '.' || s.src[i-1] == '@') {
		return kwNone
	}
	if j < len(s.src) && s.src[j] == '.' {
		return kwNone
	}
	return lookup(s.src[i:j])
}

// lineEnd returns the offset of the newline ending the line that contains
// offset i, or len(src).
func lineEnd(src string, i int) int {
	k := strings.IndexByte(src[i:], '\n')
	if k < 0 {
		return len(src)
	}
	return i + k
}

// scanQuoted returns the offset just past the quote q that closes a quoted
// span whose body starts at j, or -1. A doubled quote stands for itself;
// with backslash, a backslash escapes the byte after it.
func scanQuoted(src string, j int, q byte, backslash bool) int {
	n := len(src)
	if !backslash {
		for {
			k := strings.IndexByte(src[j:], q)
			if k < 0 {
				return -1
			}
			j += k + 1
			if j < n && src[j] == q {
				j++
				continue
			}
			return j
		}
	}
	for j < n {
		switch src[j] {
		case q:
			if j+1 < n && src[j+1] == q {
				j += 2
				continue
			}
			return j + 1
		case '\\':
			j += 2
			continue
		}
		j++
	}
	return -1
}

// scanBlockComment returns the offset just past the end of the /* comment
// starting at i, or -1.
func (s *splitter) scanBlockComment(i int) int {
	src := s.src
	if !s.opts.NestedComments {
		k := strings.Index(src[i+2:], "*/")
		if k < 0 {
			return -1
		}
		return i + 2 + k + 2
	}
	depth := 1
	n := len(src)
	j := i + 2
	for j+1 < n {
		switch src[j] {
		case '*':
			if src[j+1] == '/' {
				j += 2
				depth--
				if depth == 0 {
					return j
				}
				continue
			}
		case '/':
			if src[j+1] == '*' {
				j += 2
				depth++
				continue
			}
		}
		j++
	}
	return -1
}

// dollar handles a $ at i on PostgreSQL: a $tag$ ... $tag$ string, a $1
// parameter, or a stray $.
func (s *splitter) dollar(i int) (int, error) {
	src := s.src
	n := len(src)
	j := i + 1
	switch {
	case j < n && src[j] == '$':
		j++
	case j < n && class[src[j]]&clIdentStart != 0:
		for j < n && class[src[j]]&(clIdentStart|clDigit) != 0 {
			j++
		}
		if j == n || src[j] != '$' {
			s.content(i, kwNone) // not a tag: $name
			return j, nil
		}
		j++
	default:
		for j < n && class[src[j]]&clDigit != 0 {
			j++
		}
		s.content(i, kwNone) // $1 parameter
		return j, nil
	}
	tag := src[i:j]
	k := strings.Index(src[j:], tag)
	if k < 0 {
		return 0, s.errAt(i, "unterminated dollar-quoted string "+tag)
	}
	s.content(i, kwNone)
	return j + k + len(tag), nil
}

// isMarker reports whether the body of a -- comment (the text after "--")
// is the no-transaction marker.
func isMarker(body string) bool {
	body = strings.TrimLeft(body, " \t")
	body = strings.TrimRight(body, " \t\r\v\f")
	return strings.EqualFold(body, "+no-transaction")
}

// maxDelimiter bounds a DELIMITER's length (the mysql client allows 15
// bytes), which keeps the search for it linear.
const maxDelimiter = 16

// directive handles a DELIMITER directive whose keyword is src[i:j]. It
// returns the offset of the end of its line.
func (s *splitter) directive(i, j int) (int, error) {
	src := s.src
	eol := lineEnd(src, i)
	k := j
	for k < eol && isSpace(src[k]) {
		k++
	}
	t := k
	for t < eol && !isSpace(src[t]) {
		t++
	}
	arg := src[k:t]
	if len(arg) >= 3 && (arg[0] == '\'' || arg[0] == '"' || arg[0] == '`') && arg[len(arg)-1] == arg[0] {
		arg = arg[1 : len(arg)-1]
	}
	if arg == "" {
		return 0, &Error{Line: s.lineAt(i), Msg: "DELIMITER must be followed by a delimiter"}
	}
	if len(arg) > maxDelimiter {
		return 0, &Error{Line: s.lineAt(i), Msg: "DELIMITER longer than " + strconv.Itoa(maxDelimiter) + " bytes"}
	}
	s.endChunk(i)
	end := eol
	for end > i && isSpace(src[end-1]) {
		end--
	}
	s.addSeg(segDirective, i, end)
	if arg == ";" {
		s.delim = ""
	} else {
		s.delim = arg
	}
	s.lineStart = false
	s.trailing = false
	return eol, nil
}

// marker handles a -- +no-transaction line spanning [i, eol).
func (s *splitter) marker(i, eol int) {
	if s.notxFrom > eol {
		s.notxFrom = eol
	}
	if s.hasContent {
		// Inside a statement: a comment of that statement; it applies to
		// the statements that start after it.
		s.comment(i, eol)
		return
	}
	s.endChunk(i)
	s.addSeg(segMarker, i, eol)
	s.lineStart = false
}

// comment records the comment [start, end).
func (s *splitter) comment(start, end int) {
	s.lineStart = false
	if s.hasContent {
		return
	}
	if s.trailing {
		// After a terminator on the same line: it annotates the statement
		// before, and belongs to no statement.
		s.addSeg(segComment, start, end)
		return
	}
	if s.chunk < 0 {
		s.chunk = start
	}
	if s.wantSegs {
		s.pending = append(s.pending, segment{segComment, start, end})
	}
}

// content records a token of a statement starting at start.
func (s *splitter) content(start int, k kw) {
	s.lineStart = false
	if !s.hasContent {
		s.hasContent = true
		s.trailing = false
		if s.chunk < 0 {
			s.chunk = start
		}
		s.pending = s.pending[:0]
	}
	if s.delim == "" {
		s.token(k, start)
	}
}

// token feeds the statement-structure machine.
func (s *splitter) token(k kw, start int) {
	if s.hdr != hdrDone {
		s.header(k)
	}
	if s.routine {
		s.block(k, start)
		return
	}
	switch k {
	case kwBEGIN:
		s.pendBegin, s.beginPos = 1, start
	case kwNOT:
		if s.pendBegin == 1 {
			s.pendBegin = 2
		} else {
			s.pendBegin = 0
		}
	case kwATOMIC:
		if s.pendBegin != 0 {
			// BEGIN [NOT] ATOMIC: a SQL-standard body.
			s.routine = true
			s.stack = append(s.stack[:0], blkBegin)
			s.outer, s.outerKw = s.beginPos, kwBEGIN
			s.stmtPos = true
		}
		s.pendBegin = 0
	default:
		s.pendBegin = 0
	}
}

// header matches the start of a statement against the routine headers.
func (s *splitter) header(k kw) {
	switch s.hdr {
	case hdrFirst:
		if k == kwCREATE {
			s.hdr = hdrCreate
		} else {
			s.hdr = hdrDone
		}
	case hdrCreate:
		switch k {
		case kwOR, kwREPLACE, kwTEMP, kwTEMPORARY, kwCONSTRAINT, kwAGGREGATE:
		case kwDEFINER:
			s.hdr, s.hdrBudget = hdrDefiner, 16
		case kwTRIGGER, kwPROCEDURE, kwFUNCTION, kwEVENT:
			s.hdr, s.routine = hdrDone, true
		default:
			s.hdr = hdrDone
		}
	case hdrDefiner:
		// DEFINER = 'user'@'host' | user@host | CURRENT_USER[()]
		switch k {
		case kwTRIGGER, kwPROCEDURE, kwFUNCTION, kwEVENT:
			s.hdr, s.routine = hdrDone, true
		case kwAGGREGATE:
			s.hdr = hdrCreate
		case kwVIEW:
			s.hdr = hdrDone
		default:
			s.hdrBudget--
			if s.hdrBudget == 0 {
				s.hdr = hdrDone
			}
		}
	}
}

// block tracks BEGIN ... END nesting inside a routine statement.
//
// BEGIN and CASE always open a block; IF, WHILE, REPEAT, LOOP and FOR open
// one only in statement position (after ";", BEGIN, THEN, ELSE, DO, a label
// colon, the body of a LOOP or REPEAT, or FOR EACH ROW), so that the IF()
// and REPEAT() functions, IF [NOT] EXISTS and SELECT ... FOR UPDATE do not.
// END closes the innermost block; the IF, CASE, LOOP, ... after END belongs
// to it.
func (s *splitter) block(k kw, start int) {
	afterEnd, afterBegin := s.afterEnd, s.afterBegin
	s.afterEnd, s.afterBegin = false, false
	if afterEnd {
		switch k {
		case kwIF, kwCASE, kwLOOP, kwWHILE, kwREPEAT, kwFOR:
			s.stmtPos = false
			return
		}
	}
	switch k {
	case kwSemi, kwColon, kwDO:
		s.stmtPos = true
	case kwBEGIN:
		s.push(blkBegin, k, start)
		s.stmtPos, s.afterBegin = true, true
	case kwNOT, kwATOMIC:
		if afterBegin {
			s.afterBegin = k == kwNOT // BEGIN [NOT] ATOMIC
		} else {
			s.stmtPos = false
		}
	case kwCASE:
		if s.stmtPos {
			s.push(blkCaseStmt, k, start)
		} else {
			s.push(blkCaseExpr, k, start)
		}
		s.stmtPos = false
	case kwIF:
		if s.stmtPos {
			s.push(blkIf, k, start)
		}
		s.stmtPos = false
	case kwWHILE, kwFOR:
		if s.stmtPos {
			s.push(blkLoop, k, start)
		}
		s.stmtPos = false
	case kwLOOP, kwREPEAT:
		if s.stmtPos {
			s.push(blkLoop, k, start)
		}
	case kwTHEN, kwELSE:
		s.stmtPos = false
		if n := len(s.stack); n > 0 {
			top := s.stack[n-1]
			s.stmtPos = top == blkIf || top == blkCaseStmt
		}
	case kwROW:
		s.stmtPos = len(s.stack) == 0 // FOR EACH ROW <body>
	case kwEND:
		if n := len(s.stack); n > 0 {
			s.stack = s.stack[:n-1]
		}
		s.afterEnd = true
		s.stmtPos = false
	default:
		s.stmtPos = false
	}
}

func (s *splitter) push(b uint8, k kw, start int) {
	if len(s.stack) == 0 {
		s.outer, s.outerKw = start, k
	}
	s.stack = append(s.stack, b)
}

func blockName(k kw) string {
	switch k {
	case kwCASE:
		return "CASE ... END"
	case kwIF:
		return "IF ... END IF"
	case kwLOOP:
		return "LOOP ... END LOOP"
	case kwWHILE:
		return "WHILE ... END WHILE"
	case kwREPEAT:
		return "REPEAT ... END REPEAT"
	case kwFOR:
		return "FOR ... END FOR"
	}
	return "BEGIN ... END"
}

// terminate ends the current chunk at the terminator [start, end).
func (s *splitter) terminate(start, end int) {
	s.endChunk(start)
	s.addSeg(segTerminator, start, end)
	s.trailing = true
	s.lineStart = false
}

// endChunk ends the current chunk before limit: it becomes a statement if
// it has content; otherwise its comments belong to no statement.
func (s *splitter) endChunk(limit int) {
	if s.hasContent {
		end := limit
		for end > s.chunk && isSpace(s.src[end-1]) {
			end--
		}
		if len(s.stmts) == cap(s.stmts) {
			// Double: append grows large slices by 1.25x, which copies
			// the statements about five times over on big inputs.
			grown := make([]Statement, len(s.stmts), 2*cap(s.stmts)+8)
			copy(grown, s.stmts)
			s.stmts = grown
		}
		s.stmts = append(s.stmts, Statement{
			Text:  s.src[s.chunk:end],
			Start: s.chunk,
			End:   end,
			Line:  s.lineAt(s.chunk),
			NoTx:  s.chunk >= s.notxFrom,
		})
		s.addSeg(segStatement, s.chunk, end)
	} else if s.wantSegs {
		s.segs = append(s.segs, s.pending...)
	}
	s.pending = s.pending[:0]
	s.chunk = -1
	s.hasContent = false
	s.hdr = hdrFirst
	s.routine = false
	s.stack = s.stack[:0]
	s.parens = 0
	s.stmtPos, s.afterEnd, s.afterBegin = false, false, false
	s.pendBegin = 0
}

func (s *splitter) addSeg(k segKind, start, end int) {
	if s.wantSegs {
		s.segs = append(s.segs, segment{k, start, end})
	}
}

// lineAt returns the 1-based line of offset pos. Calls are usually in
// increasing order of pos, which makes all of them together linear.
func (s *splitter) lineAt(pos int) int {
	if pos < s.linePos {
		s.linePos, s.lineNo = 0, 1
	}
	s.lineNo += strings.Count(s.src[s.linePos:pos], "\n")
	s.linePos = pos
	return s.lineNo
}

func (s *splitter) errAt(pos int, msg string) error {
	return &Error{Line: s.lineAt(pos), Msg: msg + " starting here"}
}
