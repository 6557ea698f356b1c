package postgres

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/sqlsplit"
)

// litCase is one value for the literal round trips. typ is the
// PostgreSQL type the value is compared as.
type litCase struct {
	name string
	v    any
	typ  string
}

func allBytes() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

func litCases() []litCase {
	big := strings.Repeat("ab'c\\ $$ \"x\" ;\n", 6554) // 104,864 bytes
	utc := time.UTC
	plus0530 := time.FixedZone("IST", 5*3600+1800)
	minus0700 := time.FixedZone("MST", -7*3600)
	return []litCase{
		{"nil", nil, "text"},
		{"empty string", "", "text"},
		{"plain", "plain", "text"},
		{"quote", "it's", "text"},
		{"lone quote", "'", "text"},
		{"doubled quotes", "''", "text"},
		{"backslash", `\`, "text"},
		{"backslash quote", `\'`, "text"},
		{"backslash x escape text", `\x00\n\t`, "text"},
		{"injection", "'; DROP TABLE x; --", "text"},
		{"backslash injection", `\'; DROP TABLE x; --`, "text"},
		{"dollar dollar", "$$", "text"},
		{"dollar tag", "$tag$ body $tag$", "text"},
		{"unterminated dollar tag", "$tag$ body", "text"},
		{"placeholder", "$1 ? :name :'name' :\"name\"", "text"},
		{"line comment", "-- comment", "text"},
		{"block comment open", "/* open", "text"},
		{"block comment close", "*/", "text"},
		{"E string", "E'x\\'", "text"},
		{"U& string", `U&'\0041'`, "text"},
		{"double quotes", `"quoted" ""`, "text"},
		{"semicolons", "a;b;;", "text"},
		{"no-transaction marker", "\n-- +no-transaction\n", "text"},
		{"psql meta-command", "\n\\! echo hi\n\\q\n", "text"},
		{"emoji", "emoji 😀🎉👩‍👩‍👧 🏳️‍🌈", "text"},
		{"combining marks", "e\u0301 a\u030a Z\u0351\u0359", "text"},
		{"scripts", "混合 русский עברית العربية", "text"},
		{"CR", "a\rb", "text"},
		{"LF", "a\nb", "text"},
		{"CRLF", "a\r\nb\r\n", "text"},
		{"tab", "a\tb", "text"},
		{"control characters", "\x01\x07\x08\x1b\x1f\x7f", "text"},
		{"line separators", "\u2028\u2029\u0085", "text"},
		{"BOM", "\ufeffbom", "text"},
		{"trailing space", "  spaced  ", "text"},
		{"100 KB", big, "text"},
		{"bytes 0..255", allBytes(), "bytea"},
		{"empty bytes", []byte{}, "bytea"},
		{"nil bytes", []byte(nil), "bytea"},
		{"bytes quote backslash", []byte(`'\`), "bytea"},
		{"true", true, "boolean"},
		{"false", false, "boolean"},
		{"int zero", 0, "bigint"},
		{"int", 42, "bigint"},
		{"int negative", -42, "bigint"},
		{"int64 max", int64(math.MaxInt64), "bigint"},
		{"int64 min", int64(math.MinInt64), "bigint"},
		{"int8 min", int8(math.MinInt8), "bigint"},
		{"int16 min", int16(math.MinInt16), "bigint"},
		{"int32 min", int32(math.MinInt32), "bigint"},
		{"uint8 max", uint8(math.MaxUint8), "bigint"},
		{"uint32 max", uint32(math.MaxUint32), "bigint"},
		{"uint64 max bigint", uint64(math.MaxInt64), "bigint"},
		{"float zero", 0.0, "float8"},
		{"float negative zero", math.Copysign(0, -1), "float8"},
		{"float", 1.5, "float8"},
		{"float negative", -1.5, "float8"},
		{"float tenth", 0.1, "float8"},
		{"float third", 1.0 / 3, "float8"},
		{"float 1e308", 1e308, "float8"},
		{"float -1e308", -1e308, "float8"},
		{"float max", math.MaxFloat64, "float8"},
		{"float smallest normal", 0x1p-1022, "float8"},
		{"float smallest subnormal", math.SmallestNonzeroFloat64, "float8"},
		{"float NaN", math.NaN(), "float8"},
		{"float +Inf", math.Inf(1), "float8"},
		{"float -Inf", math.Inf(-1), "float8"},
		{"float32", float32(0.1), "float4"},
		{"float32 -Inf", float32(math.Inf(-1)), "float4"},
		{"time UTC micro", time.Date(2024, 2, 29, 23, 59, 59, 123456000, utc), "timestamptz"},
		{"time +05:30", time.Date(2024, 7, 1, 5, 29, 0, 1000, plus0530), "timestamptz"},
		{"time -07:00", time.Date(1999, 12, 31, 23, 0, 0, 500000000, minus0700), "timestamptz"},
		{"time nanoseconds truncated", time.Date(2020, 1, 1, 0, 0, 0, 999999999, utc), "timestamptz"},
		{"time before 1970", time.Date(1969, 12, 31, 23, 59, 59, 999999000, utc), "timestamptz"},
		{"time unix epoch", time.Unix(0, 0), "timestamptz"},
		{"time zero", time.Time{}, "timestamptz"},
		{"time 1 BC", time.Date(0, 6, 15, 12, 0, 0, 0, utc), "timestamptz"},
		{"time minimum", minTime, "timestamptz"},
		{"time year 10000", time.Date(10000, 1, 1, 0, 0, 0, 1000, utc), "timestamptz"},
		{"time maximum", maxTime.Add(-time.Microsecond), "timestamptz"},
	}
}

// want is what PostgreSQL should return for v, as database/sql with pgx
// scans it into an any.
func want(v any) any {
	switch x := v.(type) {
	case []byte:
		if x == nil {
			return nil
		}
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint8:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		return int64(x)
	case float32:
		return float64(x)
	case time.Time:
		// Microseconds, rounded down (toward the past).
		return x.Add(-time.Duration(x.Nanosecond() % 1000))
	}
	return v
}

// same reports whether got, as scanned, is exactly want(v).
func same(got, v any) bool {
	w := want(v)
	switch w := w.(type) {
	case nil:
		return got == nil
	case string:
		g, ok := got.(string)
		return ok && g == w
	case []byte:
		g, ok := got.([]byte)
		return ok && g != nil && bytes.Equal(g, w)
	case bool:
		g, ok := got.(bool)
		return ok && g == w
	case int64:
		g, ok := got.(int64)
		return ok && g == w
	case float64:
		g, ok := got.(float64)
		if !ok {
			return false
		}
		if math.IsNaN(w) {
			return math.IsNaN(g)
		}
		return math.Float64bits(g) == math.Float64bits(w)
	case time.Time:
		g, ok := got.(time.Time)
		return ok && g.Equal(w)
	}
	return false
}

func show(v any) string {
	s := fmt.Sprintf("%T %#v", v, v)
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

func TestLiteralRoundTrip(t *testing.T) {
	db := newDB(t)
	d := New()
	ctx := context.Background()
	cases := litCases()
	if len(cases) < 30 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lit, err := d.Literal(c.v)
			if err != nil {
				t.Fatalf("Literal(%s): %v", show(c.v), err)
			}
			// The literal as a whole statement.
			var got any
			if err := db.QueryRowContext(ctx, "SELECT "+lit).Scan(&got); err != nil {
				t.Fatalf("SELECT %.200s: %v", lit, err)
			}
			if !same(got, c.v) {
				t.Errorf("SELECT %.200s\n got %s\nwant %s", lit, show(got), show(want(c.v)))
			}
			// The literal means what the value bound as a parameter means.
			var eq bool
			q := "SELECT (" + lit + ")::" + c.typ + " IS NOT DISTINCT FROM $1::" + c.typ
			if err := db.QueryRowContext(ctx, q, c.v).Scan(&eq); err != nil {
				t.Fatalf("%.200s: %v", q, err)
			}
			if !eq {
				t.Errorf("%.200s: the literal differs from the bound value %s", q, show(c.v))
			}
			// The splitter sees the literal as one token.
			src := "SELECT " + lit + ";\nSELECT 2;"
			stmts, err := sqlsplit.Split(src, d.SplitOptions())
			if err != nil {
				t.Fatalf("split: %v", err)
			}
			if len(stmts) != 2 || stmts[0].Text != "SELECT "+lit || stmts[1].Text != "SELECT 2" || stmts[1].NoTx {
				t.Errorf("split %.200q: %d statements, first %.200q", src, len(stmts), stmts[0].Text)
			}
		})
	}
}

// TestLiteralInExpressions puts literals where a placeholder could be:
// after a minus, before a cast, after a unary minus.
func TestLiteralInExpressions(t *testing.T) {
	db := newDB(t)
	d := New()
	conn := conn(t, db.DB)
	mustExec(t, conn, "SET TimeZone = 'UTC'")
	for _, c := range []struct {
		expr string // %s is the literal
		v    any
		want string
	}{
		{"1-%s", -5, "6"},
		{"0 - %s", int64(math.MinInt64 + 1), "9223372036854775807"},
		{"%s::text", -5, "-5"},
		{"-%s", -5, "5"},
		{"%s::text", math.Copysign(0, -1), "-0"},
		{"-%s", 2.5, "-2.5"},
		{"%s::text", -2.5, "-2.5"},
		{"1-%s", -2.5, "3.5"},
		{"%s::text", []byte{0xde, 0xad}, `\xdead`},
		{"length(%s)", []byte{0, 0, 0}, "3"},
		{"%s || 'x'", "a'b", "a'bx"},
		{"%s::text", time.Date(2001, 2, 3, 4, 5, 6, 7000, time.UTC), "2001-02-03 04:05:06.000007+00"},
		{"NOT %s", false, "true"},
		{"%s IS NULL", nil, "true"},
	} {
		lit, err := d.Literal(c.v)
		if err != nil {
			t.Fatal(err)
		}
		q := "SELECT (" + fmt.Sprintf(c.expr, lit) + ")::text"
		var got string
		if err := conn.QueryRowContext(context.Background(), q).Scan(&got); err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s = %q, want %q", q, got, c.want)
		}
	}
}

func TestLiteralText(t *testing.T) {
	d := New()
	for _, c := range []struct {
		v    any
		want string
	}{
		{nil, "NULL"},
		{"", "''"},
		{"it's", "'it''s'"},
		{`a\b`, `'a\b'`},
		{"$$", "'$$'"},
		{[]byte{}, `'\x'::bytea`},
		{[]byte{0, 0xff}, `'\x00ff'::bytea`},
		{[]byte(nil), "NULL"},
		{true, "TRUE"},
		{false, "FALSE"},
		{0, "0"},
		{7, "7"},
		{-7, "(-7)"},
		{int64(math.MinInt64), "(-9223372036854775808)"},
		{uint64(math.MaxInt64), "9223372036854775807"},
		{1.5, "'1.5'::float8"},
		{1e308, "'1e+308'::float8"},
		{math.Copysign(0, -1), "'-0'::float8"},
		{math.NaN(), "'NaN'::float8"},
		{math.Inf(1), "'Infinity'::float8"},
		{math.Inf(-1), "'-Infinity'::float8"},
		{float32(0.1), "'0.1'::float4"},
		{time.Date(2006, 1, 2, 15, 4, 5, 999999999, time.UTC), "'2006-01-02 15:04:05.999999+00'::timestamptz"},
		{time.Date(2006, 1, 2, 15, 4, 5, 120000000, time.FixedZone("", 3600)), "'2006-01-02 14:04:05.12+00'::timestamptz"},
		{time.Date(2006, 1, 2, 15, 4, 5, 999, time.UTC), "'2006-01-02 15:04:05+00'::timestamptz"},
		{time.Time{}, "'0001-01-01 00:00:00+00'::timestamptz"},
		{time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC), "'0001-12-31 00:00:00+00 BC'::timestamptz"},
		{time.Date(-4713, 11, 24, 0, 0, 0, 0, time.UTC), "'4714-11-24 00:00:00+00 BC'::timestamptz"},
		{time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC), "'12345-01-01 00:00:00+00'::timestamptz"},
	} {
		got, err := d.Literal(c.v)
		if err != nil {
			t.Errorf("Literal(%s): %v", show(c.v), err)
		} else if got != c.want {
			t.Errorf("Literal(%s) = %s, want %s", show(c.v), got, c.want)
		}
	}
}

func TestLiteralErrors(t *testing.T) {
	d := New()
	for _, c := range []struct {
		name string
		v    any
		want string
	}{
		{"NUL", "a\x00b", "NUL"},
		{"only NUL", "\x00", "NUL"},
		{"invalid UTF-8", "a\xffb", "UTF-8"},
		{"truncated UTF-8", "\xe2\x82", "UTF-8"},
		{"uint64 too big", uint64(math.MaxInt64) + 1, "bigint"},
		{"uint too big", uint(math.MaxUint), "bigint"},
		{"before 4714 BC", minTime.Add(-time.Microsecond), "range"},
		{"after 294276", maxTime, "range"},
		{"struct", struct{}{}, "struct {}"},
		{"map", map[string]int{}, "map[string]int"},
		{"pointer", new(string), "*string"},
		{"named string", time.Month(1), "time.Month"},
	} {
		t.Run(c.name, func(t *testing.T) {
			lit, err := d.Literal(c.v)
			if err == nil {
				t.Fatalf("Literal(%s) = %s, want an error", show(c.v), lit)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("Literal(%s): %v, want it to mention %q", show(c.v), err, c.want)
			}
			if lit != "" {
				t.Errorf("Literal(%s) returned %q with its error", show(c.v), lit)
			}
		})
	}
}

// TestLiteralErrorsServer confirms that the values Literal refuses are ones
// PostgreSQL refuses too.
func TestLiteralErrorsServer(t *testing.T) {
	db := newDB(t)
	for _, v := range []any{"a\x00b", "a\xffb"} {
		var s string
		if err := db.QueryRowContext(context.Background(), "SELECT $1::text", v).Scan(&s); err == nil {
			t.Errorf("the server took %q as text", v)
		}
	}
}

// TestLiteralPsql writes the literals into a script, runs it with psql as
// an offline script would be run, and reads the values back.
func TestLiteralPsql(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("SKIPPING: psql is not installed")
	}
	db := newDB(t)
	d := New()
	cols := map[string]string{"text": "t", "bytea": "b", "boolean": "bo", "bigint": "i", "float8": "f", "float4": "f4", "timestamptz": "ts"}
	mustExec(t, db, "CREATE TABLE rt (n INT PRIMARY KEY, t TEXT, b BYTEA, bo BOOLEAN, i BIGINT, f FLOAT8, f4 FLOAT4, ts TIMESTAMPTZ)")
	var script strings.Builder
	script.WriteString(d.ScriptStatement(d.Begin()) + "\n")
	cases := litCases()
	for n, c := range cases {
		lit, err := d.Literal(c.v)
		if err != nil {
			t.Fatal(err)
		}
		script.WriteString(d.ScriptStatement(fmt.Sprintf("INSERT INTO rt (n, %s) VALUES (%d, %s)", cols[c.typ], n, lit)) + "\n\n")
	}
	script.WriteString(d.ScriptStatement(d.Commit()) + "\n")
	path := filepath.Join(t.TempDir(), "script.sql")
	if err := os.WriteFile(path, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", path,
		"-h", db.cfg.Host, "-p", fmt.Sprint(db.cfg.Port), "-U", db.cfg.User, "-d", db.Name)
	cmd.Env = append(os.Environ(), "PGPASSWORD="+db.cfg.Password, "PGCLIENTENCODING=UTF8", "PGOPTIONS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	for n, c := range cases {
		var got any
		if err := db.QueryRowContext(context.Background(), "SELECT "+cols[c.typ]+" FROM rt WHERE n = $1", n).Scan(&got); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !same(got, c.v) {
			t.Errorf("%s: got %s, want %s", c.name, show(got), show(want(c.v)))
		}
	}
}
