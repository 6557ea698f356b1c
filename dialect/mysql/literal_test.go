package mysql

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLiteralText(t *testing.T) {
	d := New()
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"nil", nil, "NULL"},
		{"empty string", "", "''"},
		{"quote", "it's", "'it''s'"},
		{"backslash", `a\b`, `'a\\b'`},
		{"backslash quote", `\'`, `'\\'''`},
		{"controls", "\x00\n\r\x1a\t", `'\0\n\r\Z` + "\t'"},
		{"nul then digit", "\x001", `'\01'`},
		{"percent underscore kept", `%_`, `'%_'`},
		{"unicode", "é🎉", "'é🎉'"},
		{"bytes", []byte{0, 0xff, '\''}, "X'00ff27'"},
		{"empty bytes", []byte{}, "X''"},
		{"nil bytes", []byte(nil), "NULL"},
		{"true", true, "TRUE"},
		{"false", false, "FALSE"},
		{"int", 42, "42"},
		{"int8", int8(-8), "-8"},
		{"int64 min", int64(math.MinInt64), "-9223372036854775808"},
		{"uint64 max", uint64(math.MaxUint64), "18446744073709551615"},
		{"float", 0.1, "0.1e0"},
		{"float exponent", 1e308, "1e+308"},
		{"float negative zero", math.Copysign(0, -1), "-0e0"},
		{"float integral", 3.0, "3e0"},
		{"float32 widened as bound", float32(0.1), "0.10000000149011612e0"},
		{"time", time.Date(2024, 2, 29, 23, 59, 58, 123456789, time.UTC), "'2024-02-29 23:59:58.123456'"},
		{"time whole second", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "'2024-01-02 03:04:05'"},
		{"time zone to UTC", time.Date(2024, 1, 1, 1, 0, 0, 500000000, time.FixedZone("x", 2*3600)), "'2023-12-31 23:00:00.5'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := d.Literal(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Literal(%#v) = %s, want %s", tt.v, got, tt.want)
			}
		})
	}
}

func TestLiteralErrors(t *testing.T) {
	d := New()
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"NaN", math.NaN(), "NaN"},
		{"+Inf", math.Inf(1), "infinity"},
		{"-Inf", math.Inf(-1), "infinity"},
		{"float32 Inf", float32(math.Inf(1)), "infinity"},
		{"invalid UTF-8", "a\xffb", "UTF-8"},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "0000-9999"},
		{"year -1", time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), "0000-9999"},
		{"struct", struct{}{}, "no MySQL literal"},
		{"pointer", new(int), "no MySQL literal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := d.Literal(tt.v)
			if err == nil {
				t.Fatalf("Literal(%#v) = %s, want an error", tt.v, got)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

// literalCase is a value written as a literal into column col, and what
// reading it back must give (nil for NULL; a string for text and for
// DATETIME(6), read as text with microseconds; a float64 compared bit for
// bit).
type literalCase struct {
	name string
	v    any
	col  string
	want any
}

func literalCases() []literalCase {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	var controls strings.Builder
	for c := 0; c < 0x20; c++ {
		controls.WriteByte(byte(c))
	}
	controls.WriteByte(0x7f)
	big := strings.Repeat("x'\\\x00\n\r\x1a\t🎉é;$$--#/*", 100<<10/24)
	ts := time.Date(2024, 2, 29, 23, 59, 58, 123456789, time.UTC)
	str := func(name, s string) literalCase { return literalCase{name, s, "txt", s} }
	return []literalCase{
		str("empty", ""),
		str("plain", "hello"),
		str("single quote", "it's"),
		str("only quotes", "''''"),
		str("backslash", `\`),
		str("double backslash", `\\`),
		str("backslash quote", `\'`),
		str("quote backslash at end", `x'\`),
		str("injection", "'; DROP TABLE x; --"),
		str("injection with backslash", `\'; DROP TABLE x; -- `),
		str("dollars", "$$ $tag$ $1"),
		str("double quotes", `"a""b"`),
		str("backticks", "`a``b`"),
		str("comment markers", "/* x */ -- y # z"),
		str("emoji", "🎉👩‍👩‍👧 \U0010FFFF"),
		str("combining marks", "e\u0301 a\u0308 \u0338="),
		str("BOM and ZWJ", "\uFEFFa\u200db"),
		str("CR", "a\rb"),
		str("LF", "a\nb"),
		str("CRLF", "a\r\nb\r\n"),
		str("tab", "a\tb"),
		str("NUL inside", "a\x00b"),
		str("NUL then digits", "\x00123\x000"),
		str("Ctrl-Z", "a\x1ab\x1a"),
		str("all ASCII controls", controls.String()),
		str("escape lookalikes", `\0 \n \r \Z \b \t \% \_ \x`),
		str("percent underscore", "100% _x_"),
		str("trailing spaces", "x   "),
		str("100 KB", big),
		{"bytes 0..255", all, "bin", all},
		{"bytes empty", []byte{}, "bin", []byte{}},
		{"bytes nil is NULL", []byte(nil), "bin", nil},
		{"bytes quotes", []byte(`'\"`), "bin", []byte(`'\"`)},
		{"int64 max", int64(math.MaxInt64), "i", int64(math.MaxInt64)},
		{"int64 min", int64(math.MinInt64), "i", int64(math.MinInt64)},
		{"int zero", 0, "i", int64(0)},
		{"int negative", -1, "i", int64(-1)},
		{"int32 min", int32(math.MinInt32), "i", int64(math.MinInt32)},
		{"uint64 max", uint64(math.MaxUint64), "u", uint64(math.MaxUint64)},
		{"float zero", 0.0, "f", 0.0},
		// MariaDB has no negative zero (not even in SELECT -0e0); MySQL 8 keeps it.
		{"float negative zero", math.Copysign(0, -1), "f", anyZero{}},
		{"float 1e308", 1e308, "f", 1e308},
		{"float -1e308", -1e308, "f", -1e308},
		{"float max", math.MaxFloat64, "f", math.MaxFloat64},
		{"float smallest normal", 0x1p-1022, "f", 0x1p-1022},
		{"float smallest subnormal", math.SmallestNonzeroFloat64, "f", math.SmallestNonzeroFloat64},
		{"float 0.1", 0.1, "f", 0.1},
		{"float third", 1.0 / 3, "f", 1.0 / 3},
		{"float integral", 3.0, "f", 3.0},
		{"float 2^53+2", 9007199254740994.0, "f", 9007199254740994.0},
		{"float32", float32(0.1), "f", float64(float32(0.1))},
		{"time microseconds", ts, "ts", "2024-02-29 23:59:58.123456"},
		{"time whole second", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), "ts", "2000-01-01 00:00:00.000000"},
		{"time one microsecond", time.Date(2000, 1, 1, 0, 0, 0, 1000, time.UTC), "ts", "2000-01-01 00:00:00.000001"},
		{"time zone", time.Date(2024, 1, 1, 1, 0, 0, 999999000, time.FixedZone("UTC+2", 2*3600)), "ts", "2023-12-31 23:00:00.999999"},
		{"time min", time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC), "ts", "1000-01-01 00:00:00.000000"},
		{"time max", time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), "ts", "9999-12-31 23:59:59.999999"},
		{"bool true", true, "bo", int64(1)},
		{"bool false", false, "bo", int64(0)},
		{"nil text", nil, "txt", nil},
		{"nil int", nil, "i", nil},
		{"nil time", nil, "ts", nil},
	}
}

// TestLiteralRoundTrip writes each value as a literal, reads it back,
// and checks it is exactly the value, and the same as the value bound as
// a parameter.
func TestLiteralRoundTrip(t *testing.T) {
	db, _ := testDB(t)
	ctx := context.Background()
	mustExec(t, db, `CREATE TABLE lit (
    id INT NOT NULL PRIMARY KEY,
    txt LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    bin LONGBLOB NULL,
    i BIGINT NULL,
    u BIGINT UNSIGNED NULL,
    f DOUBLE NULL,
    ts DATETIME(6) NULL,
    bo TINYINT(1) NULL
)`)
	d := New()
	cases := literalCases()
	if len(cases) < 30 {
		t.Fatalf("only %d cases", len(cases))
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lit, err := d.Literal(c.v)
			if err != nil {
				t.Fatal(err)
			}
			id := i + 1
			// No arguments: the text protocol, the literal as written.
			if _, err := db.ExecContext(ctx, fmt.Sprintf("INSERT INTO lit (id, %s) VALUES (%d, %s)", c.col, id, lit)); err != nil {
				t.Fatalf("insert %.200s: %v", lit, err)
			}
			got := readBack(t, db, c.col, id)
			if !sameValue(got, c.want) {
				t.Errorf("literal %.200s read back as %s, want %s", lit, show(got), show(c.want))
			}
			// The same value bound as a parameter must store the same.
			bound := id + 10000
			if _, err := db.ExecContext(ctx, fmt.Sprintf("INSERT INTO lit (id, %s) VALUES (?, ?)", c.col), bound, c.v); err != nil {
				t.Fatalf("insert bound: %v", err)
			}
			if b := readBack(t, db, c.col, bound); !sameValue(b, got) {
				t.Errorf("bound value read back as %s, the literal as %s", show(b), show(got))
			}
		})
	}
}

// readBack reads column col of row id with a bound parameter, so over
// the binary protocol (doubles arrive as doubles, not as text).
func readBack(t *testing.T, db *sql.DB, col string, id int) any {
	t.Helper()
	var v any
	if err := db.QueryRowContext(context.Background(), "SELECT "+col+" FROM lit WHERE id = ?", id).Scan(&v); err != nil {
		t.Fatalf("read back: %v", err)
	}
	if tm, ok := v.(time.Time); ok { // parseTime=true in RETORT_TEST_MYSQL_URL
		v = []byte(tm.Format("2006-01-02 15:04:05.000000"))
	}
	return v
}

// anyZero is a float64 zero of either sign.
type anyZero struct{}

func sameValue(got, want any) bool {
	switch w := want.(type) {
	case anyZero:
		g, ok := got.(float64)
		return ok && g == 0
	case nil:
		return got == nil
	case string:
		g, ok := got.([]byte)
		return ok && string(g) == w
	case []byte:
		g, ok := got.([]byte)
		return ok && g != nil && bytes.Equal(g, w)
	case int64:
		return decimal(got) == strconv.FormatInt(w, 10)
	case uint64:
		return decimal(got) == strconv.FormatUint(w, 10)
	case float64:
		g, ok := got.(float64)
		return ok && math.Float64bits(g) == math.Float64bits(w)
	}
	return false
}

// decimal is an integer read back, however the driver delivered it.
func decimal(v any) string {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case []byte:
		return string(x)
	}
	return fmt.Sprintf("%T %v", v, v)
}

// show prints a read-back value: integers as decimal however the driver
// delivered them.
func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		if len(x) > 200 {
			return fmt.Sprintf("%q... (%d bytes)", x[:200], len(x))
		}
		return fmt.Sprintf("%q", x)
	case string:
		if len(x) > 200 {
			return fmt.Sprintf("%q... (%d bytes)", x[:200], len(x))
		}
		return fmt.Sprintf("%q", x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64) + fmt.Sprintf(" (bits %#x)", math.Float64bits(x))
	}
	return fmt.Sprint(v)
}
