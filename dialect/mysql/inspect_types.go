package mysql

import (
	"strconv"
	"strings"

	"github.com/retortdb/retort/schema"
)

// mtype is a MySQL column type read from its text: the base name, the
// arguments in parentheses (quoted values as written, for ENUM and SET),
// UNSIGNED and ZEROFILL, and whatever else follows (a character set, a
// collation), lower case outside quotes.
type mtype struct {
	base     string
	args     []string
	unsigned bool
	zerofill bool
	rest     []string
}

// twoWordTypes are the type names of two words.
var twoWordTypes = map[string]bool{
	"double precision": true, "character varying": true, "national varchar": true,
	"national char": true, "long varchar": true, "long varbinary": true,
}

// mysqlSynonyms maps type names to the name MySQL reports.
var mysqlSynonyms = map[string]string{
	"integer": "int", "int4": "int", "int1": "tinyint", "int2": "smallint", "int3": "mediumint",
	"middleint": "mediumint", "int8": "bigint", "dec": "decimal", "numeric": "decimal", "fixed": "decimal",
	"double precision": "double", "real": "double", "float8": "double", "float4": "float",
	"character varying": "varchar", "character": "char", "nchar": "char", "nvarchar": "varchar",
	"national varchar": "varchar", "national char": "char", "long varchar": "mediumtext", "long": "mediumtext",
	"long varbinary": "mediumblob",
}

// integerTypes are the types whose argument is a display width.
var integerTypes = map[string]bool{"tinyint": true, "smallint": true, "mediumint": true, "int": true, "bigint": true}

// numericTypes are the types that may be UNSIGNED.
var numericTypes = map[string]bool{"tinyint": true, "smallint": true, "mediumint": true, "int": true, "bigint": true,
	"decimal": true, "double": true, "float": true}

// parseType reads a type as MySQL reports it (COLUMN_TYPE) or as it is
// written in a CREATE TABLE, and puts it in the form MySQL 8 reports:
// synonyms resolved (INTEGER is int, BOOL tinyint(1), NUMERIC decimal),
// display widths dropped (int(11) is int) except tinyint(1) and with
// ZEROFILL, which implies UNSIGNED; DECIMAL is decimal(10,0), CHAR
// char(1), FLOAT(p) float or double by p, a zero fractional precision
// left out.
func parseType(s string) mtype {
	var t mtype
	s = strings.TrimSpace(s)
	i := 0
	word := func() string {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		j := i
		for i < len(s) && isWordByte(s[i]) {
			i++
		}
		return strings.ToLower(s[j:i])
	}
	t.base = word()
	save := i
	if w := word(); w != "" && twoWordTypes[t.base+" "+w] {
		t.base += " " + w
	} else {
		i = save
	}
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '(' {
		end := closingParen(s, i)
		if end < 0 {
			end = len(s) - 1
		}
		for _, a := range splitTop(s[i+1 : end]) {
			a = strings.TrimSpace(a)
			if a != "" && a[0] != '\'' && a[0] != '"' {
				a = strings.ToLower(strings.Join(strings.Fields(a), ""))
			}
			t.args = append(t.args, a)
		}
		i = end + 1
	}
	for _, f := range strings.Fields(strings.ToLower(s[min(i, len(s)):])) {
		switch f {
		case "unsigned":
			t.unsigned = true
		case "zerofill":
			t.zerofill = true
		case "signed":
		default:
			t.rest = append(t.rest, f)
		}
	}
	if syn, ok := mysqlSynonyms[t.base]; ok {
		t.base = syn
	}
	switch t.base {
	case "bool", "boolean":
		t.base, t.args = "tinyint", []string{"1"}
	case "decimal":
		switch len(t.args) {
		case 0:
			t.args = []string{"10", "0"}
		case 1:
			t.args = append(t.args, "0")
		}
	case "float":
		if len(t.args) == 1 {
			if p, err := strconv.Atoi(t.args[0]); err == nil {
				t.args = nil
				if p > 24 {
					t.base = "double"
				}
			}
		}
	case "char", "binary", "bit", "nchar":
		if len(t.args) == 0 {
			t.args = []string{"1"}
		}
	case "year":
		if len(t.args) == 1 && t.args[0] == "4" {
			t.args = nil
		}
	case "time", "datetime", "timestamp":
		if len(t.args) == 1 && t.args[0] == "0" {
			t.args = nil
		}
	}
	if t.zerofill {
		t.unsigned = true
	}
	if integerTypes[t.base] && !t.zerofill && !(t.base == "tinyint" && len(t.args) == 1 && t.args[0] == "1") {
		t.args = nil
	}
	return t
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}

// String writes t in its canonical spelling: "varchar(255)", "int
// unsigned", "decimal(10,2)", "enum('a','b')".
func (t mtype) String() string {
	s := t.base
	if len(t.args) > 0 {
		args := t.args
		if t.base == "enum" || t.base == "set" {
			args = make([]string, len(t.args))
			for i, v := range t.values() {
				args[i] = quoteTypeValue(v)
			}
		}
		s += "(" + strings.Join(args, ",") + ")"
	}
	if t.unsigned && numericTypes[t.base] {
		s += " unsigned"
	}
	if t.zerofill {
		s += " zerofill"
	}
	if len(t.rest) > 0 {
		s += " " + strings.Join(t.rest, " ")
	}
	return s
}

// values returns the values of an ENUM or SET, unquoted.
func (t mtype) values() []string {
	vals := make([]string, len(t.args))
	for i, a := range t.args {
		if v, ok := unquoteSQL(a); ok {
			vals[i] = v
		} else {
			vals[i] = a
		}
	}
	return vals
}

// quoteTypeValue quotes an ENUM or SET value as MySQL spells it in
// COLUMN_TYPE: a quote doubled, a backslash doubled.
func quoteTypeValue(v string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(v, `\`, `\\`), "'", "''") + "'"
}

// kind maps t to the neutral kind retort's renderer declares as t, or to
// Raw with t's canonical text. Ext.Unsigned is set for an UNSIGNED type;
// Native is not set.
func (t mtype) kind() schema.Type {
	var out schema.Type
	plain := len(t.rest) == 0 && !t.zerofill
	intArg := func(i int) (int, bool) {
		if i >= len(t.args) {
			return 0, false
		}
		n, err := strconv.Atoi(t.args[i])
		return n, err == nil
	}
	switch {
	case !plain:
	case t.base == "int":
		out = schema.Integer()
	case t.base == "bigint":
		out = schema.BigInteger()
	case t.base == "smallint":
		out = schema.SmallInteger()
	case t.base == "tinyint" && len(t.args) == 1 && !t.unsigned:
		out = schema.Boolean()
	case t.base == "varchar" && len(t.args) == 1:
		if n, ok := intArg(0); ok && n > 0 {
			out = schema.String(n)
		}
	case t.base == "longtext" && len(t.args) == 0:
		out = schema.Text()
	case t.base == "decimal" && len(t.args) == 2:
		p, ok1 := intArg(0)
		s, ok2 := intArg(1)
		if ok1 && ok2 {
			out = schema.Numeric(p, s)
		}
	case t.base == "double" && len(t.args) == 0:
		out = schema.Float()
	case t.base == "date":
		out = schema.Date()
	case t.base == "time" && len(t.args) == 1 && t.args[0] == "6":
		out = schema.Time()
	case t.base == "datetime" && len(t.args) == 1 && t.args[0] == "6":
		out = schema.DateTime(false)
	case t.base == "json":
		out = schema.JSON()
	case t.base == "longblob" && len(t.args) == 0:
		out = schema.LargeBinary()
	case t.base == "enum" && len(t.args) > 0:
		out = schema.Type{Kind: schema.KindEnum, Values: t.values()}
	}
	if out.Kind == schema.KindInvalid {
		out = schema.Raw(map[string]string{"mysql": t.String()})
	}
	out.Ext.Unsigned = t.unsigned && numericTypes[t.base]
	return out
}

// binaryType reports whether t holds bytes rather than text.
func (t mtype) binaryType() bool {
	switch t.base {
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		return true
	}
	return false
}

// splitTop splits s at the commas outside quotes and parentheses.
func splitTop(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'', '"', '`':
			i = quotedEnd(s, i) - 1
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

// quotedEnd returns the index after the quoted text that starts at
// s[i] (a ', " or `), a doubled quote and (but for `) a backslash
// escaping; len(s) when it does not end. Unlike skipQuoted it steps over
// a doubled quote, so that it finds the end of the whole literal.
func quotedEnd(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case s[j] == '\\' && q != '`':
			j++
		case s[j] == q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// closingParen returns the index of the parenthesis closing the one at
// s[i], skipping quoted text, or -1.
func closingParen(s string, i int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '\'', '"', '`':
			j = quotedEnd(s, j) - 1
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// unquoteSQL reads s as one quoted string literal, '…' or "…", undoing
// doubled quotes and backslash escapes as MySQL reads them by default.
func unquoteSQL(s string) (string, bool) {
	if len(s) < 2 || (s[0] != '\'' && s[0] != '"') || quotedEnd(s, 0) != len(s) || s[len(s)-1] != s[0] {
		return "", false
	}
	q := s[0]
	body := s[1 : len(s)-1]
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == q && i+1 < len(body) && body[i+1] == q:
			b.WriteByte(q)
			i++
		case c == '\\' && i+1 < len(body):
			i++
			switch body[i] {
			case '0':
				b.WriteByte(0)
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			case 'Z':
				b.WriteByte(0x1a)
			case '%', '_':
				b.WriteByte('\\')
				b.WriteByte(body[i])
			default:
				b.WriteByte(body[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// stripParens removes the parentheses around the whole of s, as many as
// there are, and trims it.
func stripParens(s string) string {
	s = strings.TrimSpace(s)
	for len(s) > 1 && s[0] == '(' && closingParen(s, 0) == len(s)-1 {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// canonExpr writes an SQL expression (a check, a default, an index part)
// in one spelling, so that the text a revision declares and the text
// the server prints back compare equal where they differ only in
// spelling: outer parentheses removed, everything outside quoted
// strings in lower case (MySQL's keywords, function and column names are
// not case-sensitive), backticks removed around names that need none,
// tokens separated by one space, none inside parentheses, before a
// comma or around a dot, and none between a name and its "(".
func canonExpr(s string) string {
	s = stripParens(s)
	var toks []string
	word := func(t string) bool { return t != "" && isWordByte(t[0]) }
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isSpace(c):
			i++
		case c == '\'' || c == '"':
			j := quotedEnd(s, i)
			toks = append(toks, s[i:j])
			i = j
		case c == '`':
			j := quotedEnd(s, i)
			name := strings.ToLower(strings.ReplaceAll(strings.TrimSuffix(s[i+1:j], "`"), "``", "`"))
			if plainName(name) {
				toks = append(toks, name)
			} else {
				toks = append(toks, "`"+strings.ReplaceAll(name, "`", "``")+"`")
			}
			i = j
		case isWordByte(c):
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			toks = append(toks, strings.ToLower(s[i:j]))
			i = j
		case strings.IndexByte("<>=!|&+-*/%^~:", c) >= 0:
			j := i
			for j < len(s) && strings.IndexByte("<>=!|&+-*/%^~:", s[j]) >= 0 {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			toks = append(toks, string(c))
			i++
		}
	}
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			prev := toks[i-1]
			glue := prev == "(" || prev == "." || t == ")" || t == "," || t == "." ||
				t == "(" && (word(prev) || prev[0] == '`')
			if !glue {
				b.WriteByte(' ')
			}
		}
		b.WriteString(t)
	}
	return b.String()
}

// plainName reports whether a name needs no backticks to be read as a
// name in an expression's canonical text: letters, digits, _ and $, not
// only digits.
func plainName(s string) bool {
	if s == "" {
		return false
	}
	digits := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '$') {
			return false
		}
		digits = digits && c >= '0' && c <= '9'
	}
	return !digits
}
