package postgres

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
)

// COPY in binary format, encoded by retort.
//
// pgx's Conn.CopyFrom encodes every value through its type map: a plan
// looked up per value, interface conversions, and for a NUMERIC given as a
// decimal string a parse into math/big and a conversion to base 10000 by
// big.Int divisions. copyRows sends the same bytes with less work: it
// asks the server for the columns' types once (as pgx does), picks an
// encoder per column, and writes each value of the common Go types
// (integers, string, []byte, bool, floats, time.Time, decimal strings)
// straight into the COPY buffer. Every other value, or a value one of
// these encoders does not take (out of range, an unusual decimal
// spelling), is encoded by pgx's type map exactly as pgx's CopyFrom does
// (encodeWithPgx), so what reaches the server is, byte for byte, what
// pgx would have sent; copy_test.go checks it value by value.
//
// The rows are encoded on the caller's goroutine, into chunks the size of
// one CopyData message, and handed to pgconn's writer goroutine through a
// channel: encoding and sending overlap, the row iterator runs where the
// caller called it, and at most copyChunks chunks exist at a time, so
// memory does not grow with the number of rows.

// copyChunk is the payload of one CopyData message as pgconn reads it:
// its 64 KiB buffer less the 5-byte message header.
const copyChunk = 65536 - 5

// copyChunks is how many chunks exist at once: one being filled, one
// queued, one being sent.
const copyChunks = 3

// copyHeader is the binary COPY header: signature, flags, extension
// length.
var copyHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// nullField is the length of a NULL field.
var nullField = []byte{0xff, 0xff, 0xff, 0xff}

// copyRows runs COPY table (columns) FROM STDIN (FORMAT binary) on c with
// the rows of b, in whatever transaction is open on c.
func copyRows(ctx context.Context, d *Dialect, c *pgx.Conn, b op.BulkInsert) (int64, error) {
	name := b.Table.TableName()
	cols := b.Columns()
	if len(cols) > math.MaxInt16 {
		return 0, fmt.Errorf("bulk insert into %s: %d columns, more than COPY takes", name, len(cols))
	}
	quoted := make([]string, len(cols))
	for i, col := range cols {
		quoted[i] = d.QuoteIdent(col)
	}
	table := d.QuoteTable(dialect.Table{Schema: name.Schema, Name: name.Name})
	list := strings.Join(quoted, ", ")
	sd, err := c.Prepare(ctx, "", "SELECT "+list+" FROM "+table)
	if err != nil {
		return 0, fmt.Errorf("bulk insert into %s (reading the columns' types): %w", name, err)
	}
	if len(sd.Fields) != len(cols) {
		return 0, fmt.Errorf("bulk insert into %s: the server describes %d columns for %d", name, len(sd.Fields), len(cols))
	}
	enc := newRowEncoder(c.TypeMap(), sd.Fields)

	s := &copyStream{
		full: make(chan []byte, 1),
		free: make(chan []byte, copyChunks),
		done: make(chan struct{}),
	}
	for range copyChunks {
		s.free <- make([]byte, 0, copyChunk+1024)
	}
	var tag pgconn.CommandTag
	var copyErr error
	go func() {
		defer close(s.done)
		tag, copyErr = c.PgConn().CopyFrom(ctx, s, "COPY "+table+" ("+list+") FROM STDIN (FORMAT binary)")
	}()
	rowErr, sent := s.produce(enc, b, name.String(), cols)
	<-s.done
	if rowErr != nil {
		// The COPY was aborted (CopyFail), and the server's answer to
		// that is no news: the bad row is.
		return 0, rowErr
	}
	if copyErr != nil {
		return 0, fmt.Errorf("bulk insert into %s (COPY): %w", name, copyErr)
	}
	if !sent {
		return 0, fmt.Errorf("bulk insert into %s (COPY): the server ended the COPY before the rows did", name)
	}
	return tag.RowsAffected(), nil
}

// copyStream carries encoded chunks from the producing goroutine to
// pgconn's writer, which reads it as an io.Reader.
type copyStream struct {
	full chan []byte   // chunks to send; closed after the last one
	free chan []byte   // chunks sent, to fill again
	done chan struct{} // closed when pgconn's CopyFrom has returned
	fail error         // set before full is closed: abort the COPY with it

	cur  []byte // the unread rest of the chunk being sent
	held []byte // the chunk being sent, to give back
}

// Read implements io.Reader for pgconn's CopyFrom: it hands over the
// chunks in order, then io.EOF, or the error that aborts the COPY.
func (s *copyStream) Read(p []byte) (int, error) {
	for len(s.cur) == 0 {
		if s.held != nil {
			s.free <- s.held[:0] // never blocks: free holds every chunk
			s.held = nil
		}
		chunk, ok := <-s.full
		if !ok {
			if s.fail != nil {
				return 0, s.fail
			}
			return 0, io.EOF
		}
		s.cur, s.held = chunk, chunk
	}
	n := copy(p, s.cur)
	s.cur = s.cur[n:]
	return n, nil
}

// errAbandoned aborts a COPY whose rows stopped without an error of
// their own (a panic in the row iterator).
var errAbandoned = errors.New("the rows stopped before their end")

// produce encodes the rows of b into chunks and queues them, then
// closes the stream. It returns the *op.RowError of a bad row, and
// whether every row was queued (false when the server ended the COPY
// first: its error is CopyFrom's).
func (s *copyStream) produce(enc *rowEncoder, b op.BulkInsert, table string, cols []string) (rowErr error, sent bool) {
	closed := false
	finish := func(fail error) {
		s.fail = fail
		close(s.full)
		closed = true
	}
	defer func() {
		if !closed { // a panic in the rows: abort the COPY, then go on panicking
			finish(errAbandoned)
			<-s.done
		}
	}()
	// send queues buf and returns an empty chunk to fill, or nil when
	// the server has ended the COPY.
	send := func(buf []byte) []byte {
		select {
		case s.full <- buf:
		case <-s.done:
			return nil
		}
		select {
		case next := <-s.free:
			return next
		case <-s.done:
			return nil
		}
	}
	buf := <-s.free
	buf = append(buf, copyHeader...)
	width := uint16(len(cols))
	n := 0
	for row, err := range b.Rows() {
		if err != nil {
			finish(err)
			return err, false
		}
		n++
		start := len(buf)
		buf = binary.BigEndian.AppendUint16(buf, width)
		for i, v := range row {
			buf, err = enc.append(buf, i, v)
			if err != nil {
				re := &op.RowError{Table: table, Row: n, Err: fmt.Errorf("%w: column %s: %v", op.ErrBadRow, cols[i], err)}
				finish(re)
				return re, false
			}
		}
		if len(buf) < copyChunk {
			continue
		}
		if start == 0 { // one row fills the chunk: send it whole
			if buf = send(buf); buf == nil {
				finish(nil)
				return nil, false
			}
			continue
		}
		// Send the rows before this one; it starts the next chunk, so
		// that each chunk is one CopyData message.
		next := send(buf[:start])
		if next == nil {
			finish(nil)
			return nil, false
		}
		buf = append(next, buf[start:]...)
	}
	buf = append(buf, 0xff, 0xff) // the trailer: a row of -1 fields
	if buf = send(buf); buf == nil {
		finish(nil)
		return nil, false
	}
	finish(nil)
	return nil, true
}

// rowEncoder writes values as fields of a binary COPY row: a 4-byte
// length, then the value in the column type's binary format.
type rowEncoder struct {
	m    *pgtype.Map
	oids []uint32
	fast []fieldEncoder // per column; nil when none fits its type
}

// fieldEncoder appends v as a whole field (length and value) and true,
// or returns buf and false when it does not take v.
type fieldEncoder func(buf []byte, v any) ([]byte, bool)

func newRowEncoder(m *pgtype.Map, fields []pgconn.FieldDescription) *rowEncoder {
	e := &rowEncoder{m: m, oids: make([]uint32, len(fields)), fast: make([]fieldEncoder, len(fields))}
	for i, f := range fields {
		e.oids[i] = f.DataTypeOID
		e.fast[i] = fastEncoder(f.DataTypeOID)
	}
	return e
}

func (e *rowEncoder) append(buf []byte, col int, v any) ([]byte, error) {
	if v == nil {
		return append(buf, nullField...), nil
	}
	if f := e.fast[col]; f != nil {
		if out, ok := f(buf, v); ok {
			return out, nil
		}
	}
	return encodeWithPgx(e.m, buf, e.oids[col], v)
}

// fastEncoder returns the encoder of the column type oid, or nil.
func fastEncoder(oid uint32) fieldEncoder {
	switch oid {
	case pgtype.Int8OID:
		return intField(math.MinInt64, math.MaxInt64, 8)
	case pgtype.Int4OID:
		return intField(math.MinInt32, math.MaxInt32, 4)
	case pgtype.Int2OID:
		return intField(math.MinInt16, math.MaxInt16, 2)
	case pgtype.TextOID, pgtype.VarcharOID, pgtype.BPCharOID:
		return textField
	case pgtype.ByteaOID:
		return byteaField
	case pgtype.BoolOID:
		return boolField
	case pgtype.Float8OID:
		return float8Field
	case pgtype.Float4OID:
		return float4Field
	case pgtype.NumericOID:
		return numericField
	case pgtype.TimestamptzOID:
		return timestamptzField
	case pgtype.TimestampOID:
		return timestampField
	}
	return nil
}

func appendLen(buf []byte, n int) []byte {
	return binary.BigEndian.AppendUint32(buf, uint32(n))
}

// intField encodes Go integers into an integer column of size bytes,
// within [lo, hi]; pgx reports the values outside.
func intField(lo, hi int64, size int) fieldEncoder {
	return func(buf []byte, v any) ([]byte, bool) {
		var n int64
		switch x := v.(type) {
		case int64:
			n = x
		case int:
			n = int64(x)
		case int32:
			n = int64(x)
		case int16:
			n = int64(x)
		case int8:
			n = int64(x)
		case uint8:
			n = int64(x)
		case uint16:
			n = int64(x)
		case uint32:
			n = int64(x)
		case uint64:
			if x > math.MaxInt64 {
				return buf, false
			}
			n = int64(x)
		case uint:
			if uint64(x) > math.MaxInt64 {
				return buf, false
			}
			n = int64(x)
		default:
			return buf, false
		}
		if n < lo || n > hi {
			return buf, false
		}
		buf = appendLen(buf, size)
		switch size {
		case 8:
			return binary.BigEndian.AppendUint64(buf, uint64(n)), true
		case 4:
			return binary.BigEndian.AppendUint32(buf, uint32(n)), true
		}
		return binary.BigEndian.AppendUint16(buf, uint16(n)), true
	}
}

// textField writes a string's bytes as they are (the server checks the
// encoding, as it does for pgx).
func textField(buf []byte, v any) ([]byte, bool) {
	s, ok := v.(string)
	if !ok || len(s) > math.MaxInt32 {
		return buf, false
	}
	return append(appendLen(buf, len(s)), s...), true
}

// byteaField writes a []byte as it is; a nil one is NULL.
func byteaField(buf []byte, v any) ([]byte, bool) {
	b, ok := v.([]byte)
	if !ok || len(b) > math.MaxInt32 {
		return buf, false
	}
	if b == nil {
		return append(buf, nullField...), true
	}
	return append(appendLen(buf, len(b)), b...), true
}

func boolField(buf []byte, v any) ([]byte, bool) {
	b, ok := v.(bool)
	if !ok {
		return buf, false
	}
	buf = appendLen(buf, 1)
	if b {
		return append(buf, 1), true
	}
	return append(buf, 0), true
}

func float8Field(buf []byte, v any) ([]byte, bool) {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	default:
		return buf, false
	}
	return binary.BigEndian.AppendUint64(appendLen(buf, 8), math.Float64bits(f)), true
}

func float4Field(buf []byte, v any) ([]byte, bool) {
	f, ok := v.(float32)
	if !ok {
		return buf, false
	}
	return binary.BigEndian.AppendUint32(appendLen(buf, 4), math.Float32bits(f)), true
}

// Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01 UTC.
const usecUnixToY2K = 946684800 * 1000000

// timestamptzField writes a time.Time as its instant in microseconds
// since 2000-01-01 UTC, truncated as pgx truncates it.
func timestamptzField(buf []byte, v any) ([]byte, bool) {
	t, ok := v.(time.Time)
	if !ok {
		return buf, false
	}
	us := t.Unix()*1000000 + int64(t.Nanosecond())/1000 - usecUnixToY2K
	return binary.BigEndian.AppendUint64(appendLen(buf, 8), uint64(us)), true
}

// timestampField writes a time.Time into a TIMESTAMP column without time
// zone as pgx does: its wall clock in its own location, read as UTC.
func timestampField(buf []byte, v any) ([]byte, bool) {
	t, ok := v.(time.Time)
	if !ok {
		return buf, false
	}
	_, offset := t.Zone()
	us := (t.Unix()+int64(offset))*1000000 + int64(t.Nanosecond())/1000 - usecUnixToY2K
	return binary.BigEndian.AppendUint64(appendLen(buf, 8), uint64(us)), true
}

// maxFastNumeric bounds the decimal strings numericField takes, far
// inside the binary format's limits (weight and scale in 16 bits).
const maxFastNumeric = 1000

// numericField writes a decimal string, -?[0-9]+(\.[0-9]+)?, as a binary
// NUMERIC without math/big. It produces the bytes pgx produces for the
// same string (its text parse, then its binary encoding), quirks
// included, so that the server stores the same value with the same
// scale: the digits before the point and the exponent are those of pgx's
// parse (an integer without a point loses its trailing zeros to the
// exponent), the exponent is lowered to a multiple of 4, the fraction
// keeps all its base-10000 digits, zeros included, and the display
// scale is the number of digits after the point. Any other spelling
// (exponent, NaN, Infinity, a sign other than -, a missing digit) goes
// to pgx.
func numericField(buf []byte, v any) ([]byte, bool) {
	s, ok := v.(string)
	if !ok || len(s) == 0 || len(s) > maxFastNumeric {
		return buf, false
	}
	neg := s[0] == '-'
	body := s
	if neg {
		body = s[1:]
	}
	intPart, fracPart, dotted := strings.Cut(body, ".")
	if !allDigits(intPart) || (dotted && !allDigits(fracPart)) {
		return buf, false
	}
	// The value is digits × 10^exp.
	var digits string
	var exp int
	if dotted {
		digits, exp = intPart+fracPart, -len(fracPart)
	} else {
		digits = intPart
		for len(digits) > 1 && digits[len(digits)-1] == '0' {
			digits = digits[:len(digits)-1]
			exp++
		}
	}
	dscale := 0
	if exp < 0 {
		dscale = -exp
	}
	// Lower exp to a multiple of 4, appending as many zeros to digits.
	pad := ((exp % 4) + 4) % 4
	exp -= pad
	// x is digits and the pad zeros, left-padded with zeros to hold the
	// whole fraction: its last fracLen digits are the fraction (exp < 0),
	// the ones before the whole part; both are read in groups of 4
	// ending at a multiple of 4 from the right.
	fracLen := max(-exp, 0)
	total := len(digits) + pad
	width := max(total, fracLen)
	lead := width - total
	digit := func(i int) uint16 { // the i-th digit of x; 0 before it starts
		i -= lead
		if i < 0 || i >= len(digits) {
			return 0
		}
		return uint16(digits[i] - '0')
	}
	group := func(end int) uint16 { // the 4 digits of x ending before end
		return digit(end-4)*1000 + digit(end-3)*100 + digit(end-2)*10 + digit(end-1)
	}
	// Whole groups, high to low, without leading zero groups.
	wholeEnd := width - fracLen
	nWhole := (wholeEnd + 3) / 4
	first := wholeEnd - 4*nWhole // where the first whole group starts
	for nWhole > 0 && group(first+4) == 0 {
		nWhole--
		first += 4
	}
	// Fraction groups: all of them, zeros included.
	nFrac := fracLen / 4
	var weight int
	if nWhole > 0 {
		weight = nWhole - 1 + max(exp, 0)/4
	} else {
		weight = exp/4 - 1 + nFrac
	}
	zero := nWhole == 0
	for g := 0; g < nFrac && zero; g++ {
		zero = group(wholeEnd+4*(g+1)) == 0
	}
	var sign uint16
	if neg && !zero {
		sign = 0x4000
	}
	buf = appendLen(buf, 8+2*(nWhole+nFrac))
	buf = binary.BigEndian.AppendUint16(buf, uint16(nWhole+nFrac))
	buf = binary.BigEndian.AppendUint16(buf, uint16(int16(weight)))
	buf = binary.BigEndian.AppendUint16(buf, sign)
	buf = binary.BigEndian.AppendUint16(buf, uint16(dscale))
	for g := range nWhole {
		buf = binary.BigEndian.AppendUint16(buf, group(first+4*(g+1)))
	}
	for g := range nFrac {
		buf = binary.BigEndian.AppendUint16(buf, group(wholeEnd+4*(g+1)))
	}
	return buf, true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// encodeWithPgx writes v as a field the way pgx's own CopyFrom encodes
// a value: through the type map in binary format; failing that, a string
// (or v in text format) parsed by the type map and encoded again, which
// is how pgx takes "12.50" for a NUMERIC or a UUID's text. A nil
// encoding is NULL. When both fail, the first error is the one reported.
func encodeWithPgx(m *pgtype.Map, buf []byte, oid uint32, v any) ([]byte, error) {
	start := len(buf)
	buf = append(buf, nullField...)
	out, err := m.Encode(oid, pgtype.BinaryFormatCode, v, buf)
	if err != nil {
		var err2 error
		if out, err2 = encodeFromText(m, buf, oid, v); err2 != nil {
			return buf[:start], err
		}
	}
	if out == nil {
		return buf, nil
	}
	binary.BigEndian.PutUint32(out[start:], uint32(len(out)-start-4))
	return out, nil
}

// encodeFromText is encodeWithPgx's second try: v's text, scanned by the
// type map into a value of the column's type (an array keeps its
// dimensions), then encoded in binary format.
func encodeFromText(m *pgtype.Map, buf []byte, oid uint32, v any) ([]byte, error) {
	s, ok := v.(string)
	if !ok {
		text, err := m.Encode(oid, pgtype.TextFormatCode, v, nil)
		if err != nil {
			return nil, err
		}
		s = string(text)
	}
	if t, ok := m.TypeForOID(oid); ok {
		if _, ok := t.Codec.(*pgtype.ArrayCodec); ok {
			var arr pgtype.Array[any]
			if err := m.Scan(oid, pgtype.TextFormatCode, []byte(s), &arr); err == nil {
				return m.Encode(oid, pgtype.BinaryFormatCode, arr, buf)
			}
		}
	}
	var val any
	if err := m.Scan(oid, pgtype.TextFormatCode, []byte(s), &val); err != nil {
		return nil, err
	}
	return m.Encode(oid, pgtype.BinaryFormatCode, val, buf)
}
