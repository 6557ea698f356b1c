package lint

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/retortdb/retort/schema"
)

// colType is a column type as the schema-state rules compare them: the
// old type (schema.Type.Native of the reflected column) and the new one
// (the statement's text) are both read from SQL text by parseColType.
type colType struct {
	family    string // "int", "decimal", "float", "string", "datetime", "time", "date", "bool", "enum", "set", or the type's name
	name      string // the canonical base name ("varchar", "int", "timestamp with time zone", ...)
	known     bool   // family is one of the named families
	bytes     int    // int and float: storage bytes
	unsigned  bool   // MySQL UNSIGNED
	length    int    // string: characters; 0 when unbounded (or given in textBytes)
	textBytes int    // MySQL TINYTEXT/TEXT/MEDIUMTEXT/LONGTEXT: the byte limit
	binary    bool   // MySQL BINARY/VARBINARY: length counts bytes
	prec      int    // decimal precision
	scale     int    // decimal scale
	anyPrec   bool   // PostgreSQL numeric without a precision
	fsp       int    // datetime and time: fractional second digits
	values    []string
	array     bool
}

// parseColType reads a column type written in dialect d: "varchar(255)",
// "character varying(20)", "int(11) unsigned", "numeric(10,2)",
// "timestamp(3) with time zone", "enum('a','b')". Enum and set values keep
// their case; the rest is compared in lower case.
func parseColType(d, s string) colType {
	var args []string
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '('); i >= 0 {
		j := closingParen(s, i)
		if j < 0 {
			return colType{name: strings.ToLower(s)}
		}
		args = splitArgs(s[i+1 : j])
		s = s[:i] + " " + s[j+1:]
	}
	s = strings.ToLower(s)
	var t colType
	if strings.HasSuffix(s, "[]") || strings.HasSuffix(s, " array") {
		t.array = true
		s = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(s), "[]"), " array")
	}
	var words []string
	for _, w := range strings.Fields(strings.TrimPrefix(strings.TrimSpace(s), "pg_catalog.")) {
		switch w {
		case "unsigned":
			t.unsigned = true
		case "signed", "zerofill":
		default:
			words = append(words, w)
		}
	}
	t.name = strings.Join(words, " ")
	arg := func(i, def int) int {
		if i < len(args) {
			if n, err := strconv.Atoi(strings.TrimSpace(args[i])); err == nil {
				return n
			}
		}
		return def
	}
	my := d == MySQL
	set := func(family string) { t.family, t.known = family, true }
	switch t.name {
	case "tinyint":
		set("int")
		t.bytes = 1
	case "smallint", "int2", "smallserial", "serial2":
		set("int")
		t.bytes = 2
	case "mediumint":
		set("int")
		t.bytes = 3
	case "int", "integer", "int4", "serial", "serial4":
		set("int")
		t.bytes = 4
	case "bigint", "int8", "bigserial", "serial8":
		set("int")
		t.bytes = 8
	case "bool", "boolean":
		if my {
			set("int")
			t.bytes, t.name = 1, "tinyint"
		} else {
			set("bool")
		}
	case "decimal", "numeric", "dec", "fixed":
		set("decimal")
		switch {
		case len(args) == 0 && !my:
			t.anyPrec = true
		default:
			t.prec, t.scale = arg(0, 10), arg(1, 0)
		}
	case "real":
		set("float")
		t.bytes = 4
		if my {
			t.bytes = 8
		}
	case "float4":
		set("float")
		t.bytes = 4
	case "float8", "double", "double precision":
		set("float")
		t.bytes = 8
	case "float":
		set("float")
		p := arg(0, -1)
		switch {
		case my && len(args) < 2 && p > 24, !my && (p < 0 || p > 24):
			t.bytes = 8
		default:
			t.bytes = 4
		}
	case "varchar", "character varying", "nvarchar", "national varchar", "varbinary":
		set("string")
		t.length = arg(0, 0)
		t.binary = t.name == "varbinary"
	case "char", "character", "bpchar", "nchar", "national char", "binary":
		set("string")
		t.length = arg(0, 1)
		t.binary = t.name == "binary"
	case "text", "citext":
		set("string")
		if my {
			t.textBytes = arg(0, 65535)
		}
	case "tinytext":
		set("string")
		t.textBytes = 255
	case "mediumtext":
		set("string")
		t.textBytes = 16777215
	case "longtext":
		set("string")
		t.textBytes = 4294967295
	case "timestamp", "timestamp without time zone", "timestamptz", "timestamp with time zone", "datetime":
		set("datetime")
		t.fsp = arg(0, map[bool]int{true: 0, false: 6}[my])
	case "time", "time without time zone", "timetz", "time with time zone":
		set("time")
		t.fsp = arg(0, map[bool]int{true: 0, false: 6}[my])
	case "date":
		set("date")
	case "enum", "set":
		set(t.name)
		t.values = args
	}
	if t.array {
		t.family, t.known = t.name+"[]", false
	}
	return t
}

// closingParen returns the index of the parenthesis closing the one at
// s[i], skipping quoted strings, or -1.
func closingParen(s string, i int) int {
	depth, quote := 0, byte(0)
	for k := i; k < len(s); k++ {
		ch := s[k]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
		case ch == '\'' || ch == '"':
			quote = ch
		case ch == '(':
			depth++
		case ch == ')':
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

// splitArgs splits a type's argument list at top-level commas; quoted
// values lose their quotes (a doubled or backslash-escaped quote stands
// for one quote).
func splitArgs(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, inQuote := false, false
	for k := 0; k < len(s); k++ {
		ch := s[k]
		switch {
		case inQuote && ch == '\\' && k+1 < len(s):
			k++
			cur.WriteByte(s[k])
		case inQuote && ch == '\'' && k+1 < len(s) && s[k+1] == '\'':
			k++
			cur.WriteByte('\'')
		case ch == '\'':
			inQuote, quoted = !inQuote, true
		case !inQuote && ch == ',':
			out = append(out, argText(cur.String(), quoted))
			cur.Reset()
			quoted = false
		default:
			cur.WriteByte(ch)
		}
	}
	if cur.Len() > 0 || quoted || len(out) > 0 {
		out = append(out, argText(cur.String(), quoted))
	}
	return out
}

func argText(s string, quoted bool) string {
	if quoted {
		return s
	}
	return strings.TrimSpace(s)
}

// intDigits is the number of decimal digits of an integer type's range.
func intDigits(bytes int, unsigned bool) int {
	switch bytes {
	case 1:
		return 3
	case 2:
		return 5
	case 3:
		if unsigned {
			return 8
		}
		return 7
	case 4:
		return 10
	}
	if unsigned {
		return 20
	}
	return 19
}

// intWithin reports whether every value of integer type o fits n.
func intWithin(o, n colType) bool {
	if o.unsigned {
		return n.unsigned && n.bytes >= o.bytes || !n.unsigned && n.bytes > o.bytes
	}
	return !n.unsigned && n.bytes >= o.bytes
}

// charsIn is the most characters a string type holds in a charset of mb
// bytes per character; -1 when unbounded.
func (t colType) charsIn(mb int) int {
	switch {
	case t.textBytes > 0:
		return t.textBytes / max(mb, 1)
	case t.length == 0:
		return -1
	}
	return t.length
}

// lossy says what changing a column from type o to n loses. silent are
// values the change alters without failing (rounding, dropped precision);
// rangeLoss are values that do not fit: the statement fails on them
// (PostgreSQL, MySQL in strict mode) or stores them cut (MySQL otherwise).
// mb is the bytes per character of the column's charset (MySQL text
// types count bytes). Changes between types the rules do not model say
// nothing.
func lossy(o, n colType, mb int) (silent, rangeLoss []string) {
	if !o.known || !n.known || o.array || n.array {
		return nil, nil
	}
	fits := func(digits int) bool { // n holds every integer of that many digits
		switch n.family {
		case "int":
			return intDigits(n.bytes, n.unsigned) > digits
		case "decimal":
			return n.anyPrec || n.prec-n.scale >= digits
		case "float":
			return true
		case "string":
			c := n.charsIn(mb)
			return c < 0 || c > digits
		}
		return false
	}
	switch o.family {
	case "int":
		switch n.family {
		case "int":
			if !intWithin(o, n) {
				rangeLoss = append(rangeLoss, fmt.Sprintf("%s holds values %s does not", o.describe(), n.describe()))
			}
		case "float":
			if o.bytes >= 4 && n.bytes == 4 || o.bytes == 8 {
				silent = append(silent, fmt.Sprintf("%s cannot hold every %s exactly: large values are rounded", n.describe(), o.describe()))
			}
		case "decimal", "string":
			if !fits(intDigits(o.bytes, o.unsigned)) {
				rangeLoss = append(rangeLoss, fmt.Sprintf("%s holds values of up to %d digits, %s fewer", o.describe(), intDigits(o.bytes, o.unsigned), n.describe()))
			}
		default:
			rangeLoss = append(rangeLoss, fmt.Sprintf("%s values do not convert to %s", o.describe(), n.describe()))
		}
	case "decimal":
		switch n.family {
		case "decimal":
			switch {
			case n.anyPrec:
			case o.anyPrec:
				rangeLoss = append(rangeLoss, fmt.Sprintf("unconstrained numeric holds values numeric(%d,%d) does not", n.prec, n.scale))
				silent = append(silent, fmt.Sprintf("digits after the %d-th decimal place are rounded away", n.scale))
			default:
				if n.scale < o.scale {
					silent = append(silent, fmt.Sprintf("the scale drops from %d to %d: values are rounded", o.scale, n.scale))
				}
				if n.prec-n.scale < o.prec-o.scale {
					rangeLoss = append(rangeLoss, fmt.Sprintf("integer digits drop from %d in %s to %d in %s", o.prec-o.scale, o.describe(), n.prec-n.scale, n.describe()))
				}
			}
		case "int":
			if o.anyPrec || o.scale > 0 {
				silent = append(silent, fmt.Sprintf("the fractional part of %s is rounded away", o.describe()))
			}
			if o.anyPrec || !fits(o.prec-o.scale) {
				rangeLoss = append(rangeLoss, fmt.Sprintf("%s holds values %s does not", o.describe(), n.describe()))
			}
		case "float":
			silent = append(silent, fmt.Sprintf("%s is binary floating point: exact decimal values are rounded", n.describe()))
		case "string":
			if c := n.charsIn(mb); c >= 0 && (o.anyPrec || c < o.prec+2) {
				rangeLoss = append(rangeLoss, fmt.Sprintf("%s holds values longer than %d characters", o.describe(), c))
			}
		default:
			rangeLoss = append(rangeLoss, fmt.Sprintf("%s values do not convert to %s", o.describe(), n.describe()))
		}
	case "float":
		switch n.family {
		case "float":
			if n.bytes < o.bytes {
				silent = append(silent, "double precision values are rounded to single precision (about 7 digits)")
			}
		case "int", "decimal":
			silent = append(silent, fmt.Sprintf("floating-point values are rounded to %s", n.describe()))
			rangeLoss = append(rangeLoss, fmt.Sprintf("%s holds values %s does not", o.describe(), n.describe()))
		}
	case "string":
		switch n.family {
		case "string":
			oc, nc := o.charsIn(mb), n.charsIn(mb)
			if nc >= 0 && (oc < 0 || nc < oc) {
				rangeLoss = append(rangeLoss, fmt.Sprintf("values longer than %d characters do not fit %s", nc, n.describe()))
			}
		case "enum", "set":
			rangeLoss = append(rangeLoss, fmt.Sprintf("text outside the values of the %s fails the change (MySQL outside strict mode stores '')", n.family))
		default:
			rangeLoss = append(rangeLoss, fmt.Sprintf("text that does not read as %s fails the change (MySQL outside strict mode stores 0 or a zero value)", n.describe()))
		}
	case "datetime":
		switch n.family {
		case "datetime", "time":
			if n.fsp < o.fsp {
				silent = append(silent, fmt.Sprintf("fractional seconds drop from %d to %d digits", o.fsp, n.fsp))
			}
			if n.family == "time" {
				silent = append(silent, "the date part is dropped")
			}
		case "date":
			silent = append(silent, "the time of day is dropped")
		}
	case "time":
		if n.family == "time" && n.fsp < o.fsp {
			silent = append(silent, fmt.Sprintf("fractional seconds drop from %d to %d digits", o.fsp, n.fsp))
		}
	}
	return silent, rangeLoss
}

// describe names the type in messages.
func (t colType) describe() string {
	s := t.name
	switch t.family {
	case "decimal":
		if !t.anyPrec {
			s = fmt.Sprintf("%s(%d,%d)", s, t.prec, t.scale)
		} else {
			s = "numeric"
		}
	case "string":
		if t.textBytes == 0 && t.length > 0 {
			s = fmt.Sprintf("%s(%d)", s, t.length)
		}
	case "datetime", "time":
		s = fmt.Sprintf("%s(%d)", s, t.fsp)
	}
	if t.unsigned {
		s += " unsigned"
	}
	return s
}

// charsetBytes is the most bytes a character takes in MySQL charsets.
var charsetBytes = map[string]int{
	"latin1": 1, "latin2": 1, "latin5": 1, "latin7": 1, "ascii": 1, "binary": 1, "cp1250": 1, "cp1251": 1,
	"cp1256": 1, "cp1257": 1, "cp850": 1, "cp852": 1, "cp866": 1, "greek": 1, "hebrew": 1, "koi8r": 1,
	"koi8u": 1, "swe7": 1, "tis620": 1, "armscii8": 1, "dec8": 1, "hp8": 1, "keybcs2": 1, "macce": 1,
	"macroman": 1, "geostd8": 1, "ucs2": 2, "gbk": 2, "big5": 2, "sjis": 2, "cp932": 2, "euckr": 2,
	"gb2312": 2, "ujis": 3, "eucjpms": 3, "utf8": 3, "utf8mb3": 3, "utf8mb4": 4, "utf16": 4,
	"utf16le": 4, "utf32": 4, "gb18030": 4,
}

// columnCharset is the charset a MySQL column definition names, else the
// old column's, else its table's; assumed is set when none of them says
// and utf8mb4, MySQL 8's default, is taken.
func columnCharset(defCharset string, old schema.Column, t *schema.Table) (cs string, assumed bool) {
	for _, c := range []string{defCharset, old.Type.Ext.Charset, t.Ext.Charset} {
		if c != "" {
			return strings.ToLower(c), false
		}
	}
	return "utf8mb4", true
}

// mbOf is the bytes per character of charset cs (4 when unknown).
func mbOf(cs string) int {
	if n, ok := charsetBytes[strings.ToLower(cs)]; ok {
		return n
	}
	return 4
}
