package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

type litCase struct {
	name string
	v    any
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
	return []litCase{
		{"nil", nil},
		{"empty string", ""},
		{"plain", "plain"},
		{"quote", "it's"},
		{"lone quote", "'"},
		{"doubled quotes", "''"},
		{"backslash", `\`},
		{"backslash quote", `\'`},
		{"injection", "'); DROP TABLE rt; --"},
		{"dollar dollar", "$$ $tag$"},
		{"placeholders", "? ?1 :name @x $y"},
		{"line comment", "-- comment"},
		{"block comment", "/* open"},
		{"double quotes", `"quoted" ""`},
		{"semicolons", "a;b;;"},
		{"shell dot command", "\n.shell echo hi\n.quit\n"},
		{"emoji astral plane", "emoji 😀🎉👩‍👩‍👧 🏳️‍🌈 𝄞"},
		{"combining marks", "e\u0301 a\u030a Z\u0351\u0359"},
		{"scripts", "混合 русский עברית العربية"},
		{"CR", "a\rb"},
		{"LF", "a\nb"},
		{"CRLF", "a\r\nb\r\n"},
		{"tab", "a\tb"},
		{"control characters", "\x01\x07\x08\x1b\x1f\x7f"},
		{"line separators", "\u2028\u2029\u0085"},
		{"BOM", "\ufeffbom"},
		{"trailing space", "  spaced  "},
		{"100 KB", big},
		{"bytes 0..255 with NUL", allBytes()},
		{"only NUL bytes", []byte{0, 0, 0}},
		{"empty bytes", []byte{}},
		{"nil bytes", []byte(nil)},
		{"true", true},
		{"false", false},
		{"int zero", 0},
		{"int negative", -42},
		{"int64 max", int64(math.MaxInt64)},
		{"int64 min", int64(math.MinInt64)},
		{"int8 min", int8(math.MinInt8)},
		{"int32 min", int32(math.MinInt32)},
		{"uint32 max", uint32(math.MaxUint32)},
		{"uint64 max int64", uint64(math.MaxInt64)},
		{"float zero", 0.0},
		{"float negative zero", math.Copysign(0, -1)},
		{"float integral", 3.0},
		{"float 1e21", 1e21},
		{"float negative", -1.5},
		{"float tenth", 0.1},
		{"float third", 1.0 / 3},
		{"float max", math.MaxFloat64},
		{"float -max", -math.MaxFloat64},
		{"float smallest normal", 0x1p-1022},
		{"float smallest subnormal", math.SmallestNonzeroFloat64},
		{"float32", float32(0.1)},
		{"time UTC nanoseconds", time.Date(2024, 2, 29, 23, 59, 59, 123456789, time.UTC)},
		{"time +05:30", time.Date(2024, 7, 1, 5, 29, 0, 1000, time.FixedZone("IST", 5*3600+1800))},
		{"time -07:00", time.Date(1999, 12, 31, 23, 0, 0, 500000000, time.FixedZone("MST", -7*3600))},
		{"time before 1970", time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC)},
		{"time zero", time.Time{}},
		{"time year 9999", time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)},
	}
}

// want is what the pure-Go driver returns for v from a column without
// declared type, which keeps each value's storage class.
func want(v any) any {
	switch x := v.(type) {
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int32:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		return int64(x)
	case float32:
		return float64(x)
	case []byte:
		if x == nil {
			return nil
		}
	case time.Time:
		s, _ := FormatTime(x)
		return s
	}
	return v
}

func same(got, v any) bool {
	switch w := want(v).(type) {
	case nil:
		return got == nil
	case string:
		g, ok := got.(string)
		return ok && g == w
	case []byte:
		g, ok := got.([]byte)
		return ok && bytes.Equal(g, w)
	case int64:
		g, ok := got.(int64)
		return ok && g == w
	case float64:
		g, ok := got.(float64)
		return ok && math.Float64bits(g) == math.Float64bits(w)
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

// rtTable is the round-trip table: n orders the rows, v has no declared
// type so that SQLite keeps each value as given.
const rtTable = "CREATE TABLE %s (n INTEGER PRIMARY KEY, v)"

func rtInsert(name string, cases []litCase) op.BulkInsert {
	return op.BulkInsert{
		Table: op.Table(name, op.Column("n", schema.Integer()), op.Column("v", schema.Raw(map[string]string{"": ""}))),
		Values: func(yield func([]any) bool) {
			for i, c := range cases {
				if !yield([]any{i, c.v}) {
					return
				}
			}
		},
	}
}

type stored struct {
	v         any
	typ, text string // typeof(v), quote(v)
}

func readBack(t *testing.T, db *sql.DB, table string, n int) []stored {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), "SELECT v, typeof(v), quote(v) FROM "+table+" ORDER BY n")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []stored
	for rows.Next() {
		var s stored
		if err := rows.Scan(&s.v, &s.typ, &s.text); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) != n {
		t.Fatalf("%s holds %d rows, want %d", table, len(out), n)
	}
	return out
}

// TestLiteralRoundTrip writes the values into an offline script
// (dialect.InsertStatements), runs it with the sqlite3 shell, inserts
// them online with BulkInsert, and reads both back with the Go driver:
// each must be the value written, with the same storage class and the
// same bytes both ways.
func TestLiteralRoundTrip(t *testing.T) {
	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatalf("the sqlite3 shell is needed for the offline round trip (CI installs it): %v", err)
	}
	cases := litCases()
	if len(cases) < 30 {
		t.Fatalf("only %d cases", len(cases))
	}
	tdb := dbtest.SQLite(t)
	db := tdb.SQL
	d := New()
	ctx := context.Background()
	exec1(t, db, fmt.Sprintf(rtTable, "offline"), fmt.Sprintf(rtTable, "online"))

	var script strings.Builder
	script.WriteString(d.ScriptStatement(d.Begin()) + "\n")
	err = dialect.InsertStatements(d, rtInsert("offline", cases), func(s dialect.Stmt) error {
		script.WriteString(d.ScriptStatement(s.SQL) + "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	script.WriteString(d.ScriptStatement(d.Commit()) + "\n")
	path := filepath.Join(t.TempDir(), "script.sql")
	if err := os.WriteFile(path, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(shell, "-bail", tdb.Name)
	cmd.Stdin = f
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		t.Fatalf("sqlite3 < script: %v\n%s", err, out)
	}

	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	exec1(t, conn, "BEGIN")
	n, err := d.BulkInsert(ctx, conn, rtInsert("online", cases))
	if err != nil {
		t.Fatal(err)
	}
	exec1(t, conn, "COMMIT")
	if n != int64(len(cases)) {
		t.Fatalf("BulkInsert: %d rows, want %d", n, len(cases))
	}

	off := readBack(t, db, "offline", len(cases))
	on := readBack(t, db, "online", len(cases))
	for i, c := range cases {
		if !same(off[i].v, c.v) {
			t.Errorf("%s: offline got %s (%s), want %s", c.name, show(off[i].v), off[i].typ, show(want(c.v)))
		}
		if !same(on[i].v, c.v) {
			t.Errorf("%s: online got %s (%s), want %s", c.name, show(on[i].v), on[i].typ, show(want(c.v)))
		}
		if off[i].typ != on[i].typ || off[i].text != on[i].text {
			t.Errorf("%s: offline stored %s %.100s, online %s %.100s", c.name, off[i].typ, off[i].text, on[i].typ, on[i].text)
		}
	}
}

// TestLiteralTimes reads the times written back through SQLite's own date
// functions and the driver's parsing of DATETIME columns.
func TestLiteralTimes(t *testing.T) {
	db := newDB(t)
	d := New()
	exec1(t, db, "CREATE TABLE ts (n INTEGER PRIMARY KEY, at DATETIME)")
	for i, c := range litCases() {
		tm, ok := c.v.(time.Time)
		if !ok {
			continue
		}
		lit, err := d.Literal(tm)
		if err != nil {
			t.Fatal(err)
		}
		var unix int64
		if err := db.QueryRow("SELECT unixepoch(" + lit + ")").Scan(&unix); err != nil {
			t.Fatalf("%s: unixepoch(%s): %v", c.name, lit, err)
		}
		if unix != tm.Unix() {
			t.Errorf("%s: unixepoch(%s) = %d, want %d", c.name, lit, unix, tm.Unix())
		}
		exec1(t, db, fmt.Sprintf("INSERT INTO ts VALUES (%d, %s)", i, lit))
		var got time.Time
		if err := db.QueryRow("SELECT at FROM ts WHERE n = ?", i).Scan(&got); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !got.Equal(tm) {
			t.Errorf("%s: read back %s, want %s", c.name, got, tm)
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
		{"it's", "'it''s'"},
		{`a\b`, `'a\b'`},
		{[]byte{0, 0xff}, "X'00ff'"},
		{[]byte{}, "X''"},
		{[]byte(nil), "NULL"},
		{true, "1"},
		{-7, "-7"},
		{1.0, "1.0"},
		{math.Copysign(0, -1), "-0.0"},
		{1e21, "1e+21"},
		{"a\r\nb'\r\n", "('a' || char(13, 10) || 'b''' || char(13, 10) || '')"},
		{time.Date(2006, 1, 2, 15, 4, 5, 120000000, time.FixedZone("", 3600)), "'2006-01-02 15:04:05.12+01:00'"},
		{time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC), "'2006-01-02 15:04:05+00:00'"},
	} {
		got, err := d.Literal(c.v)
		if err != nil || got != c.want {
			t.Errorf("Literal(%s) = %s, %v; want %s", show(c.v), got, err, c.want)
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
		{"NUL in text", "a\x00b", "NUL"},
		{"only NUL", "\x00", "NUL"},
		{"NaN", math.NaN(), "NaN"},
		{"+Inf", math.Inf(1), "infinity"},
		{"uint64 too big", uint64(math.MaxInt64) + 1, "64-bit"},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "9999"},
		{"year -1", time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), "9999"},
		{"offset seconds", time.Date(1900, 1, 1, 0, 0, 0, 0, time.FixedZone("LMT", 3600+30)), "offset"},
		{"struct", struct{}{}, "struct {}"},
	} {
		t.Run(c.name, func(t *testing.T) {
			lit, err := d.Literal(c.v)
			if err == nil {
				t.Fatalf("Literal(%s) = %s, want an error", show(c.v), lit)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("Literal(%s): %v, want it to mention %q", show(c.v), err, c.want)
			}
		})
	}
}

// TestBulkInsertNUL checks that text with a NUL byte is a row error
// online as offline, naming the row.
func TestBulkInsertNUL(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	exec1(t, db, fmt.Sprintf(rtTable, "rt"))
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cases := []litCase{{"ok", "fine"}, {"nul", "a\x00b"}}
	exec1(t, conn, "BEGIN")
	_, err = New().BulkInsert(ctx, conn, rtInsert("rt", cases))
	exec1(t, conn, "ROLLBACK")
	var re *op.RowError
	if !errors.As(err, &re) || re.Row != 2 || !errors.Is(err, op.ErrBadRow) || !strings.Contains(err.Error(), "NUL") {
		t.Errorf("online: %v, want a RowError for row 2 about NUL", err)
	}
	err = dialect.InsertStatements(New(), rtInsert("rt", cases), func(dialect.Stmt) error { return nil })
	if !errors.As(err, &re) || re.Row != 2 {
		t.Errorf("offline: %v, want a RowError for row 2", err)
	}
}

func exec1(t *testing.T, q dialect.Querier, sqls ...string) { t.Helper(); execSQL(t, q, sqls...) }
