package postgres

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Literal implements dialect.Dialect. It renders:
//
//   - nil as NULL;
//   - a string as '...' with each ' doubled and nothing else escaped, which
//     assumes standard_conforming_strings = on (the default since
//     PostgreSQL 9.1, and required by this package): a backslash is then an
//     ordinary character. A NUL byte is an error (text cannot hold one), and
//     so is a string that is not valid UTF-8 (scripts are UTF-8). The
//     literal has no type of its own, like a bound parameter;
//   - a []byte as '\x...'::bytea (hex format); a nil []byte is NULL, as
//     when it is bound as a parameter;
//   - a bool as TRUE or FALSE;
//   - an int, int8, int16, int32 or int64 as decimal digits, in parentheses
//     when negative, so that "1-" followed by the literal is not a comment
//     and "::" after it casts the number, not its absolute value;
//   - a uint, uint8, uint16, uint32 or uint64 the same way, an error above
//     the largest bigint;
//   - a float64 as '...'::float8 (shortest exact form; 'NaN', 'Infinity',
//     '-Infinity' and '-0' included), a float32 as '...'::float4;
//   - a time.Time as '2006-01-02 15:04:05.999999+00'::timestamptz: the
//     instant in UTC, truncated to microseconds (PostgreSQL's precision, and
//     what a bound parameter keeps), with BC for years before 1. Times
//     outside PostgreSQL's range (4714-11-24 BC to 294276 AD) are an
//     error. Stored in a TIMESTAMP column without time zone, the value is
//     converted to the session's TimeZone, as a timestamptz parameter is.
//
// Any other type is an error.
func (*Dialect) Literal(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "NULL", nil
	case string:
		return stringLiteral(x)
	case []byte:
		if x == nil {
			return "NULL", nil
		}
		return `'\x` + hex.EncodeToString(x) + `'::bytea`, nil
	case bool:
		if x {
			return "TRUE", nil
		}
		return "FALSE", nil
	case int:
		return intLiteral(int64(x)), nil
	case int8:
		return intLiteral(int64(x)), nil
	case int16:
		return intLiteral(int64(x)), nil
	case int32:
		return intLiteral(int64(x)), nil
	case int64:
		return intLiteral(x), nil
	case uint:
		return uintLiteral(uint64(x))
	case uint8:
		return uintLiteral(uint64(x))
	case uint16:
		return uintLiteral(uint64(x))
	case uint32:
		return uintLiteral(uint64(x))
	case uint64:
		return uintLiteral(x)
	case float64:
		return floatLiteral(x, 64), nil
	case float32:
		return floatLiteral(float64(x), 32), nil
	case time.Time:
		return timeLiteral(x)
	}
	return "", fmt.Errorf("postgres: no literal for a value of type %T", v)
}

var (
	errNUL     = errors.New("postgres: a NUL byte cannot be written in a text literal (PostgreSQL text cannot hold it)")
	errNotUTF8 = errors.New("postgres: a text literal must be valid UTF-8")
)

func stringLiteral(s string) (string, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return "", errNUL
	}
	if !utf8.ValidString(s) {
		return "", errNotUTF8
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", nil
}

func intLiteral(n int64) string {
	if n < 0 {
		return "(" + strconv.FormatInt(n, 10) + ")"
	}
	return strconv.FormatInt(n, 10)
}

func uintLiteral(n uint64) (string, error) {
	if n > math.MaxInt64 {
		return "", fmt.Errorf("postgres: %d does not fit in a bigint", n)
	}
	return strconv.FormatUint(n, 10), nil
}

func floatLiteral(f float64, bits int) string {
	typ := "float8"
	if bits == 32 {
		typ = "float4"
	}
	var s string
	switch {
	case math.IsNaN(f):
		s = "NaN"
	case math.IsInf(f, 1):
		s = "Infinity"
	case math.IsInf(f, -1):
		s = "-Infinity"
	default:
		s = strconv.FormatFloat(f, 'g', -1, bits)
	}
	return "'" + s + "'::" + typ
}

// PostgreSQL's timestamp range: from the start of Julian day 0 to the end
// of 294276 AD.
var (
	minTime = time.Date(-4713, time.November, 24, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(294277, time.January, 1, 0, 0, 0, 0, time.UTC)
)

func timeLiteral(t time.Time) (string, error) {
	t = t.UTC()
	if t.Before(minTime) || !t.Before(maxTime) {
		return "", fmt.Errorf("postgres: %s is outside PostgreSQL's timestamp range", t.Format(time.RFC3339Nano))
	}
	year, bc := t.Year(), false
	if year <= 0 { // Go's year 0 is 1 BC
		year, bc = 1-year, true
	}
	var b strings.Builder
	b.Grow(48)
	b.WriteByte('\'')
	fmt.Fprintf(&b, "%04d-%02d-%02d %02d:%02d:%02d", year, int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second())
	if us := t.Nanosecond() / 1000; us != 0 {
		frac := fmt.Sprintf("%06d", us)
		b.WriteString("." + strings.TrimRight(frac, "0"))
	}
	b.WriteString("+00")
	if bc {
		b.WriteString(" BC")
	}
	b.WriteString("'::timestamptz")
	return b.String(), nil
}
