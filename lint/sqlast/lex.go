package sqlast

import "strings"

// Dialect selects the lexical rules and the recogniser's grammar.
type Dialect uint8

// The dialects. MySQL covers MySQL and MariaDB; MySQLANSIQuotes is MySQL
// with sql_mode ANSI_QUOTES, where "..." quotes an identifier.
const (
	PostgreSQL Dialect = iota
	MySQL
	MySQLANSIQuotes
	SQLite
)

// DialectFor returns the dialect of a retort dialect name ("postgres",
// "mysql", "sqlite", as dialect.Syntax.Name returns them) or of a common
// alias ("postgresql", "mariadb", "sqlite3").
func DialectFor(name string) (Dialect, bool) {
	switch strings.ToLower(name) {
	case "postgres", "postgresql", "pg":
		return PostgreSQL, true
	case "mysql", "mariadb":
		return MySQL, true
	case "sqlite", "sqlite3":
		return SQLite, true
	}
	return PostgreSQL, false
}

// Name returns retort's dialect name: "postgres", "mysql" or "sqlite".
func (d Dialect) Name() string {
	switch d {
	case MySQL, MySQLANSIQuotes:
		return "mysql"
	case SQLite:
		return "sqlite"
	}
	return "postgres"
}

func (d Dialect) String() string { return d.Name() }

func (d Dialect) isMySQL() bool { return d == MySQL || d == MySQLANSIQuotes }

// TokenKind says what a token is.
type TokenKind uint8

// The token kinds.
const (
	Word        TokenKind = iota // keyword or unquoted identifier
	QuotedIdent                  // "x", `x`, [x] (per dialect)
	String                       // '...', E'...', X'...', N'...', MySQL "..." (not under ANSI_QUOTES)
	Number                       // 1, 1.5, .5e3, 0x1F
	Punct                        // operator or punctuation: ( ) , ; . :: >= etc.
	Comment                      // -- ..., # ..., /* ... */
	DollarBody                   // PostgreSQL $tag$...$tag$
	Param                        // $1, ?, :name, @name, @@var
)

var kindNames = [...]string{"word", "qident", "string", "number", "punct", "comment", "dollar", "param"}

func (k TokenKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "?"
}

// Pos is a position in the source: a 0-based byte offset, a 1-based line
// and a 1-based column counted in bytes.
type Pos struct {
	Offset, Line, Col int
}

// Token is one lexical token.
type Token struct {
	Kind TokenKind
	// Text is the raw source text of the token.
	Text string
	// Name is the token's value: for a Word, the identifier as the
	// dialect folds it (lower case on PostgreSQL, as written elsewhere);
	// for a QuotedIdent, the identifier without quotes and with doubled
	// quotes undone; for a String or DollarBody, the content without
	// quotes (escapes other than doubled quotes are left as written);
	// otherwise Text.
	Name string
	Pos  Pos
	// Depth is the number of parentheses open before the token; a "("
	// has the depth outside it, its ")" the same.
	Depth int
	// Unterminated marks a quoted span, comment or dollar-quoted string
	// that runs to the end of the input without its closing delimiter.
	Unterminated bool
}

// End returns the byte offset just past the token.
func (t Token) End() int { return t.Pos.Offset + len(t.Text) }

// Is reports whether t is the Word w, in any case (w in upper case).
func (t Token) Is(w string) bool {
	return t.Kind == Word && len(t.Text) == len(w) && strings.EqualFold(t.Text, w)
}

// IsPunct reports whether t is the punctuation or operator p.
func (t Token) IsPunct(p string) bool { return t.Kind == Punct && t.Text == p }

// IsIdent reports whether t can name an object: a Word or QuotedIdent.
func (t Token) IsIdent() bool { return t.Kind == Word || t.Kind == QuotedIdent }

const (
	clSpace = 1 << iota
	clIdentStart
	clDigit
	clOp
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
	for _, c := range []byte("+-*/<>=~!@#%^&|?:") {
		t[c] = clOp
	}
	return t
}()

// Lex cuts src into tokens by the rules of d. White space is skipped;
// every other byte belongs to exactly one token, in order. Lex never
// fails: an unclosed quote or comment yields a token that runs to the end
// of src with Unterminated set, and a byte that starts no token is a
// one-byte Punct.
func Lex(src string, d Dialect) []Token {
	l := lexer{src: src, d: d, line: 1, lineStart: 0}
	l.toks = make([]Token, 0, len(src)/5+4)
	l.run()
	return l.toks
}

type lexer struct {
	src       string
	d         Dialect
	toks      []Token
	line      int
	lineStart int // offset of the current line's first byte
	depth     int
}

func (l *lexer) emit(k TokenKind, start, end int, name string, unterminated bool) {
	t := Token{
		Kind:         k,
		Text:         l.src[start:end],
		Name:         name,
		Pos:          Pos{Offset: start, Line: l.line, Col: start - l.lineStart + 1},
		Depth:        l.depth,
		Unterminated: unterminated,
	}
	if k == Punct {
		switch t.Text {
		case "(":
			l.depth++
		case ")":
			if l.depth > 0 {
				l.depth--
				t.Depth = l.depth
			}
		}
	}
	l.toks = append(l.toks, t)
	// Advance the line count over the token's text.
	for i := start; i < end; i++ {
		if l.src[i] == '\n' {
			l.line++
			l.lineStart = i + 1
		}
	}
}

func (l *lexer) run() {
	src := l.src
	n := len(src)
	i := 0
	my := l.d.isMySQL()
	for i < n {
		c := src[i]
		cl := class[c]
		switch {
		case cl&clSpace != 0:
			if c == '\n' {
				l.line++
				l.lineStart = i + 1
			}
			i++
			continue
		case cl&clIdentStart != 0:
			// Prefixed strings: E'', B'', X'', N'', U&''.
			if i+1 < n && src[i+1] == '\'' {
				switch lc := c | 0x20; {
				case lc == 'b' || lc == 'x' || lc == 'n' || lc == 'e' && l.d == PostgreSQL:
					back := my || (c|0x20) == 'e' && l.d == PostgreSQL
					j, ok := scanQuoted(src, i+2, '\'', back)
					l.emit(String, i, j, unquote(src[i+2:j], '\'', ok), !ok)
					i = j
					continue
				}
			}
			if l.d == PostgreSQL && (c|0x20) == 'u' && i+2 < n && src[i+1] == '&' && (src[i+2] == '\'' || src[i+2] == '"') {
				q := src[i+2]
				j, ok := scanQuoted(src, i+3, q, false)
				k := String
				if q == '"' {
					k = QuotedIdent
				}
				l.emit(k, i, j, unquote(src[i+3:j], q, ok), !ok)
				i = j
				continue
			}
			j := i + 1
			for j < n && (class[src[j]]&(clIdentStart|clDigit) != 0 || src[j] == '$' && l.d != SQLite) {
				j++
			}
			w := src[i:j]
			name := w
			if l.d == PostgreSQL {
				name = lowerASCII(w)
			}
			l.emit(Word, i, j, name, false)
			i = j
			continue
		case cl&clDigit != 0 || c == '.' && i+1 < n && class[src[i+1]]&clDigit != 0:
			j := scanNumber(src, i)
			l.emit(Number, i, j, src[i:j], false)
			i = j
			continue
		}
		switch c {
		case '\'':
			j, ok := scanQuoted(src, i+1, '\'', my)
			l.emit(String, i, j, unquote(src[i+1:j], '\'', ok), !ok)
			i = j
			continue
		case '"':
			if my && l.d != MySQLANSIQuotes {
				j, ok := scanQuoted(src, i+1, '"', true)
				l.emit(String, i, j, unquote(src[i+1:j], '"', ok), !ok)
				i = j
				continue
			}
			j, ok := scanQuoted(src, i+1, '"', false)
			l.emit(QuotedIdent, i, j, unquote(src[i+1:j], '"', ok), !ok)
			i = j
			continue
		case '`':
			if my || l.d == SQLite {
				j, ok := scanQuoted(src, i+1, '`', false)
				l.emit(QuotedIdent, i, j, unquote(src[i+1:j], '`', ok), !ok)
				i = j
				continue
			}
		case '[':
			if l.d == SQLite {
				k := strings.IndexByte(src[i+1:], ']')
				if k < 0 {
					l.emit(QuotedIdent, i, n, src[i+1:], true)
					i = n
				} else {
					l.emit(QuotedIdent, i, i+k+2, src[i+1:i+k+1], false)
					i += k + 2
				}
				continue
			}
		case '-':
			if i+1 < n && src[i+1] == '-' && (!my || i+2 == n || src[i+2] <= ' ') {
				j := lineEnd(src, i)
				l.emit(Comment, i, j, src[i:j], false)
				i = j
				continue
			}
		case '#':
			if my {
				j := lineEnd(src, i)
				l.emit(Comment, i, j, src[i:j], false)
				i = j
				continue
			}
		case '/':
			if i+1 < n && src[i+1] == '*' {
				j, ok := scanBlockComment(src, i, l.d == PostgreSQL)
				l.emit(Comment, i, j, src[i:j], !ok)
				i = j
				continue
			}
		case '$':
			if l.d == PostgreSQL {
				if j, body, ok, isTag := scanDollar(src, i); isTag {
					l.emit(DollarBody, i, j, body, !ok)
					i = j
					continue
				}
			}
			j := i + 1
			for j < n && class[src[j]]&(clIdentStart|clDigit) != 0 {
				j++
			}
			if j > i+1 {
				l.emit(Param, i, j, src[i:j], false)
				i = j
				continue
			}
		case '?':
			if l.d != PostgreSQL {
				j := i + 1
				for j < n && class[src[j]]&clDigit != 0 {
					j++
				}
				l.emit(Param, i, j, src[i:j], false)
				i = j
				continue
			}
		case ':', '@':
			if c == ':' && i+1 < n && src[i+1] == ':' {
				break
			}
			if c == ':' && l.d == PostgreSQL {
				break
			}
			j := i + 1
			if c == '@' && j < n && src[j] == '@' {
				j++
			}
			k := j
			for k < n && (class[src[k]]&(clIdentStart|clDigit) != 0 || src[k] == '.' && c == '@') {
				k++
			}
			if k > j {
				l.emit(Param, i, k, src[i:k], false)
				i = k
				continue
			}
		}
		if cl&clOp != 0 {
			j := i + 1
			for j < n && class[src[j]]&clOp != 0 {
				// Stop before a comment start.
				if src[j] == '-' && j+1 < n && src[j+1] == '-' || src[j] == '/' && j+1 < n && src[j+1] == '*' {
					break
				}
				if my && src[j] == '#' {
					break
				}
				if l.d != PostgreSQL && (src[j] == '?' || src[j] == '@' || src[j] == ':' && c != ':') {
					break
				}
				j++
			}
			l.emit(Punct, i, j, src[i:j], false)
			i = j
			continue
		}
		// Single-byte punctuation, or a byte that starts no token. Keep
		// UTF-8 sequences whole (they are identifier starts above, so only
		// ASCII arrives here).
		l.emit(Punct, i, i+1, src[i:i+1], false)
		i++
	}
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func lineEnd(src string, i int) int {
	k := strings.IndexByte(src[i:], '\n')
	if k < 0 {
		return len(src)
	}
	// A \r before the newline stays out of the comment.
	if j := i + k; j > i && src[j-1] == '\r' {
		return j - 1
	}
	return i + k
}

// scanQuoted returns the offset just past the closing quote q of a span
// whose body starts at j, and true; or len(src) and false.
func scanQuoted(src string, j int, q byte, backslash bool) (int, bool) {
	n := len(src)
	for j < n {
		switch src[j] {
		case q:
			if j+1 < n && src[j+1] == q {
				j += 2
				continue
			}
			return j + 1, true
		case '\\':
			if backslash {
				j += 2
				continue
			}
		}
		j++
	}
	return n, false
}

// unquote returns body (a quoted span without its opening quote, and with
// its closing quote when closed) without the closing quote and with
// doubled quotes undone.
func unquote(body string, q byte, closed bool) string {
	if closed && len(body) > 0 {
		body = body[:len(body)-1]
	}
	dq := string([]byte{q, q})
	if strings.Contains(body, dq) {
		return strings.ReplaceAll(body, dq, dq[:1])
	}
	return body
}

func scanNumber(src string, i int) int {
	n := len(src)
	j := i
	if src[j] == '0' && j+1 < n && (src[j+1]|0x20 == 'x' || src[j+1]|0x20 == 'b' || src[j+1]|0x20 == 'o') {
		j += 2
		for j < n && (class[src[j]]&(clDigit|clIdentStart) != 0) {
			j++
		}
		return j
	}
	for j < n && (class[src[j]]&clDigit != 0 || src[j] == '_') {
		j++
	}
	if j < n && src[j] == '.' && !(j+1 < n && src[j+1] == '.') {
		j++
		for j < n && class[src[j]]&clDigit != 0 {
			j++
		}
	}
	if j < n && src[j]|0x20 == 'e' {
		k := j + 1
		if k < n && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < n && class[src[k]]&clDigit != 0 {
			j = k
			for j < n && class[src[j]]&clDigit != 0 {
				j++
			}
		}
	}
	return j
}

// scanBlockComment returns the end of the /* comment at i and whether it
// was closed.
func scanBlockComment(src string, i int, nested bool) (int, bool) {
	if !nested {
		k := strings.Index(src[i+2:], "*/")
		if k < 0 {
			return len(src), false
		}
		return i + 2 + k + 2, true
	}
	depth := 1
	n := len(src)
	j := i + 2
	for j+1 < n {
		switch {
		case src[j] == '*' && src[j+1] == '/':
			j += 2
			depth--
			if depth == 0 {
				return j, true
			}
			continue
		case src[j] == '/' && src[j+1] == '*':
			j += 2
			depth++
			continue
		}
		j++
	}
	return n, false
}

// scanDollar reads a $tag$...$tag$ string at i. isTag is false when the $
// starts no tag ($1, $name, a stray $).
func scanDollar(src string, i int) (end int, body string, closed, isTag bool) {
	n := len(src)
	j := i + 1
	if j < n && src[j] != '$' {
		if class[src[j]]&clIdentStart == 0 {
			return 0, "", false, false
		}
		for j < n && class[src[j]]&(clIdentStart|clDigit) != 0 {
			j++
		}
		if j == n || src[j] != '$' {
			return 0, "", false, false
		}
	}
	if j >= n {
		return 0, "", false, false
	}
	j++ // past the closing $ of the tag
	tag := src[i:j]
	k := strings.Index(src[j:], tag)
	if k < 0 {
		return n, src[j:], false, true
	}
	return j + k + len(tag), src[j : j+k], true, true
}
