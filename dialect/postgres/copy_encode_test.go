package postgres

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// numericStrings are decimal strings for NUMERIC columns: the spellings
// numericField takes, at the edges of its grouping by 4 digits, and
// spellings it leaves to pgx.
func numericStrings() []string {
	s := []string{
		"0", "-0", "00", "000", "0000", "00000", "0.0", "-0.00", "0.0000", "0.00000", "000.000",
		"1", "-1", "9", "10", "100", "1000", "10000", "100000", "100000000", "-100", "-10000",
		"9999", "99999", "12345678", "123456789", "-123456789",
		"12.30", "12.3", "1.5", "007.50", "5.0", "0.5", "-0.5", "0.05", "0.005", "0.0005", "0.00005",
		"0.0001", "0.00010", "0.00000001", "-0.00000001", "0.000000010", "1.0001", "10000.0001",
		"123456789.123456789", "99999999999999999999999999.99999", "-99999999999999999999999999.99999",
		"99999.99", "-99999.99", "0.99", "1.10", "10.01", "1000.1", "9999.9999", "10000.00000",
		"3.14159265358979323846264338327950288419716939937510",
		strings.Repeat("9", 200) + "." + strings.Repeat("1", 300),
		strings.Repeat("1", 1000),
		"1" + strings.Repeat("0", 500),
		// Left to pgx: an exponent, a leading + or point, a trailing
		// point, special values, garbage.
		"1e5", "1E-3", "+5", ".5", "-.5", "5.", "-", "", ".", "1.2.3", " 1", "1 ", "١٢", "NaN", "Infinity", "-Infinity",
		"0x10", "1_000", "--1", "-+1",
	}
	r := rand.New(rand.NewPCG(19, 7))
	digits := func(n int) string {
		var b strings.Builder
		for range n {
			switch r.IntN(4) {
			case 0:
				b.WriteByte('0') // zeros are where the grouping goes wrong
			default:
				b.WriteByte(byte('0' + r.IntN(10)))
			}
		}
		return b.String()
	}
	for range 3000 {
		var b strings.Builder
		if r.IntN(3) == 0 {
			b.WriteByte('-')
		}
		b.WriteString(digits(1 + r.IntN(24)))
		if r.IntN(3) > 0 {
			b.WriteByte('.')
			b.WriteString(digits(1 + r.IntN(24)))
		}
		s = append(s, b.String())
	}
	return s
}

// pgxNumeric is what pgx's CopyFrom sends for a string in a NUMERIC
// column, computed here without encodeWithPgx: pgx cannot encode a
// string as a binary NUMERIC, so it parses the text and encodes the
// result.
func pgxNumeric(t testing.TB, m *pgtype.Map, s string) ([]byte, error) {
	t.Helper()
	if _, err := m.Encode(pgtype.NumericOID, pgtype.BinaryFormatCode, s, nil); err == nil {
		t.Fatalf("pgx encodes the string %q as a NUMERIC directly; the comparison must change", s)
	}
	var v any
	if err := m.Scan(pgtype.NumericOID, pgtype.TextFormatCode, []byte(s), &v); err != nil {
		return nil, err
	}
	body, err := m.Encode(pgtype.NumericOID, pgtype.BinaryFormatCode, v, nil)
	if err != nil {
		return nil, err
	}
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...), nil
}

func checkNumeric(t testing.TB, m *pgtype.Map, s string) {
	t.Helper()
	prefix := []byte("row:")
	got, ok := numericField(bytes.Clone(prefix), s)
	if !ok {
		if !bytes.Equal(got, prefix) {
			t.Fatalf("numericField(%q) declined but wrote %x", s, got[len(prefix):])
		}
		return
	}
	want, err := pgxNumeric(t, m, s)
	if err != nil {
		t.Fatalf("numericField(%q) took a string pgx refuses: %v", s, err)
	}
	if !bytes.Equal(got[len(prefix):], want) {
		t.Fatalf("numericField(%q)\n got %x\nwant %x (pgx)", s, got[len(prefix):], want)
	}
}

// TestNumericFieldMatchesPgx checks that every decimal string
// numericField takes is encoded byte for byte as pgx encodes it, and
// that it takes the plain spellings (the fast path is used).
func TestNumericFieldMatchesPgx(t *testing.T) {
	m := pgtype.NewMap()
	taken := 0
	for _, s := range numericStrings() {
		checkNumeric(t, m, s)
		if _, ok := numericField(nil, s); ok {
			taken++
		}
	}
	for _, s := range []string{"0", "-0", "12.30", "100", "0.00000001", "007.50", strings.Repeat("1", 1000)} {
		if _, ok := numericField(nil, s); !ok {
			t.Errorf("numericField declines %q", s)
		}
	}
	for _, s := range []string{"1e5", "+5", ".5", "5.", "NaN", "", "-", strings.Repeat("1", 1001)} {
		if _, ok := numericField(nil, s); ok {
			t.Errorf("numericField takes %q; it is pgx's to encode", s)
		}
	}
	if taken < 3000 {
		t.Errorf("numericField took %d strings; want the 3000 generated ones at least", taken)
	}
}

func FuzzNumericField(f *testing.F) {
	for _, s := range numericStrings()[:80] {
		f.Add(s)
	}
	m := pgtype.NewMap()
	f.Fuzz(func(t *testing.T, s string) { checkNumeric(t, m, s) })
}

type namedInt int64

// TestFastFieldsMatchPgx checks, value by value, that the per-column
// encoders write what pgx's type map writes for the same column type,
// and that they leave to pgx what they do not take.
func TestFastFieldsMatchPgx(t *testing.T) {
	ist := time.FixedZone("IST", 5*3600+1800)
	mst := time.FixedZone("MST", -7*3600)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	var times []any
	for _, c := range litCases() {
		if tm, ok := c.v.(time.Time); ok {
			times = append(times, tm, tm.In(ist), tm.In(mst), tm.In(ny), tm.Local())
		}
	}
	times = append(times,
		time.Date(2024, 3, 10, 2, 30, 0, 0, ny), // in the gap of a DST change
		time.Date(2024, 11, 3, 1, 30, 0, 0, ny), // in its overlap
		time.Date(1969, 12, 31, 23, 59, 59, 1, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999, time.UTC),
		time.Unix(-1, 500).UTC(),
		time.Now(),
	)
	ints := []any{
		0, 1, -1, int64(math.MaxInt64), int64(math.MinInt64), int64(math.MaxInt32), int64(math.MaxInt32) + 1,
		int64(math.MinInt32), int64(math.MinInt32) - 1, int64(math.MaxInt16), int64(math.MaxInt16) + 1,
		int64(math.MinInt16), int64(math.MinInt16) - 1, int32(math.MinInt32), int16(-5), int8(-128),
		uint8(255), uint16(65535), uint32(math.MaxUint32), uint64(math.MaxInt64), uint64(math.MaxInt64) + 1,
		uint(7), uint(math.MaxUint64), namedInt(5), "12", 1.0,
	}
	floats := []any{
		0.0, math.Copysign(0, -1), 1.5, 0.1, math.MaxFloat64, math.SmallestNonzeroFloat64, math.NaN(),
		math.Inf(1), math.Inf(-1), float32(0.1), float32(math.Inf(-1)), float32(math.MaxFloat32),
		float32(math.SmallestNonzeroFloat32), 3, "1.5",
	}
	var texts []any
	for _, c := range litCases() {
		if s, ok := c.v.(string); ok {
			texts = append(texts, s)
		}
	}
	texts = append(texts, "a\x00b", "\xff\xfe", []byte("bytes"), 5)
	cases := []struct {
		oid    uint32
		values []any
	}{
		{pgtype.Int8OID, ints},
		{pgtype.Int4OID, ints},
		{pgtype.Int2OID, ints},
		{pgtype.TextOID, texts},
		{pgtype.VarcharOID, texts},
		{pgtype.BPCharOID, texts},
		{pgtype.ByteaOID, []any{allBytes(), []byte{}, []byte(nil), []byte(`'\`), "text"}},
		{pgtype.BoolOID, []any{true, false, "true", 1}},
		{pgtype.Float8OID, floats},
		{pgtype.Float4OID, floats},
		{pgtype.TimestamptzOID, append(times, "2024-01-01 00:00:00+00")},
		{pgtype.TimestampOID, append(times, "2024-01-01 00:00:00")},
		{pgtype.NumericOID, []any{"12.30", "-0", 5, int64(-10000), 1.5, "NaN"}},
	}
	m := pgtype.NewMap()
	for _, c := range cases {
		typ, _ := m.TypeForOID(c.oid)
		f := fastEncoder(c.oid)
		if f == nil {
			t.Fatalf("no fast encoder for %s", typ.Name)
		}
		fast := 0
		for _, v := range c.values {
			name := fmt.Sprintf("%s %T %v", typ.Name, v, v)
			got, ok := f([]byte("x"), v)
			want, err := encodeWithPgx(m, []byte("x"), c.oid, v)
			if !ok {
				if string(got) != "x" {
					t.Errorf("%s: declined but wrote %x", name, got)
				}
				continue
			}
			fast++
			if err != nil {
				t.Errorf("%s: taken, but pgx refuses it: %v", name, err)
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s:\n got %x\nwant %x (pgx)", name, got, want)
			}
		}
		if fast == 0 {
			t.Errorf("%s: the fast encoder took no value", typ.Name)
		}
	}
}

// TestEncodeWithPgxNull checks that what pgx encodes as NULL is a NULL
// field, and that pgx's error is kept.
func TestEncodeWithPgxNull(t *testing.T) {
	m := pgtype.NewMap()
	var np *int64
	got, err := encodeWithPgx(m, nil, pgtype.Int8OID, np)
	if err != nil || !bytes.Equal(got, nullField) {
		t.Errorf("nil *int64: %x, %v; want a NULL field", got, err)
	}
	got, err = encodeWithPgx(m, []byte("x"), pgtype.Int8OID, struct{}{})
	if err == nil || string(got) != "x" {
		t.Errorf("struct{}: %x, %v; want an error and nothing written", got, err)
	}
}
