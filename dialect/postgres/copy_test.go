package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// cxColumns are the columns of table cx, one per column type COPY is
// checked on, after n.
var cxColumns = []struct{ name, typ string }{
	{"i2", "SMALLINT"}, {"i4", "INTEGER"}, {"i8", "BIGINT"},
	{"num", "NUMERIC"}, {"num2", "NUMERIC(12,2)"},
	{"t", "TEXT"}, {"vc", "VARCHAR(200000)"}, {"bp", "CHAR(6)"}, {"b", "BYTEA"}, {"bo", "BOOLEAN"},
	{"f4", "REAL"}, {"f8", "DOUBLE PRECISION"}, {"tz", "TIMESTAMPTZ"}, {"ts", "TIMESTAMP"},
	{"d", "DATE"}, {"u", "UUID"}, {"j", "JSONB"}, {"arr", "BIGINT[]"},
}

func cxDDL(table string) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE " + table + " (n BIGINT PRIMARY KEY")
	for _, c := range cxColumns {
		b.WriteString(", " + c.name + " " + c.typ)
	}
	b.WriteString(")")
	return b.String()
}

// cxTable declares cx's columns; the declared types do not steer COPY
// (the server's do), so they are only roughly right.
func cxTable(name string) op.TableRef {
	cols := []schema.Column{op.Column("n", schema.BigInteger())}
	for _, c := range cxColumns {
		cols = append(cols, op.Column(c.name, schema.Raw(map[string]string{"postgres": c.typ})))
	}
	return op.Table(name, cols...)
}

type cxCase struct {
	col string
	v   any
}

// litColumn is the cx column of a litCase type.
var litColumn = map[string]string{"text": "t", "bytea": "b", "boolean": "bo", "bigint": "i8", "float8": "f8", "float4": "f4", "timestamptz": "tz"}

type namedString string

// cxCases are the values COPY must store exactly: the literal tests'
// hostile values in their columns, text again in VARCHAR and CHAR,
// times in a TIMESTAMP without time zone, decimal strings in NUMERIC,
// integers at the edges of SMALLINT and INTEGER, NULLs, and values only
// pgx encodes (DATE, UUID, JSONB, arrays, integers and floats into
// NUMERIC, named types).
func cxCases() []cxCase {
	var cs []cxCase
	ny, _ := time.LoadLocation("America/New_York")
	for _, c := range litCases() {
		cs = append(cs, cxCase{litColumn[c.typ], c.v})
		switch v := c.v.(type) {
		case string:
			cs = append(cs, cxCase{"vc", v})
			if len(v) <= 6 && !strings.HasSuffix(v, " ") {
				cs = append(cs, cxCase{"bp", v})
			}
		case time.Time:
			cs = append(cs, cxCase{"ts", v}, cxCase{"tz", v.In(ny)})
			if v.Year() > 0 && v.Year() < 10000 { // its wall clock in New York is in range
				cs = append(cs, cxCase{"ts", v.In(ny)})
			}
		}
	}
	for _, s := range numericStrings() {
		if _, ok := numericField(nil, s); ok || s == "NaN" || s == "Infinity" || s == "-Infinity" || s == "+5" || s == ".5" || s == "5." {
			cs = append(cs, cxCase{"num", s})
		}
	}
	for _, s := range []string{"0", "-0.00", "12.30", "12.3", "12.345", "12.355", "-9999999999.99", "0.005", "7"} {
		cs = append(cs, cxCase{"num2", s})
	}
	for _, v := range []any{0, -1, int16(math.MinInt16), int64(math.MaxInt16), uint8(200)} {
		cs = append(cs, cxCase{"i2", v})
	}
	for _, v := range []any{0, -1, int32(math.MinInt32), int64(math.MaxInt32), uint16(65535), namedInt(-3)} {
		cs = append(cs, cxCase{"i4", v})
	}
	cs = append(cs,
		cxCase{"i8", namedInt(42)}, cxCase{"t", namedString("named")}, cxCase{"t", nil},
		cxCase{"num", int64(-10000)}, cxCase{"num", 100}, cxCase{"num", 1.25}, cxCase{"num", nil},
		cxCase{"f8", float32(0.1)}, cxCase{"f8", 3},
		cxCase{"d", time.Date(2024, 2, 29, 23, 0, 0, 0, ny)}, cxCase{"d", "1999-12-31"},
		cxCase{"u", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"}, cxCase{"u", pgtype.UUID{Bytes: [16]byte{0x6b, 0xa7, 0xb8, 0x11, 15: 0xc8}, Valid: true}},
		cxCase{"j", `{"a": [1, "b\tc", null]}`}, cxCase{"j", map[string]any{"k": "v"}},
		cxCase{"arr", []int64{1, -2, 3}}, cxCase{"arr", "{4,5}"},
	)
	return cs
}

// cxRows yields one row per case: n, the value in its column, NULL
// elsewhere.
func cxRows(cases []cxCase) iter.Seq[[]any] {
	return func(yield func([]any) bool) {
		for n, c := range cases {
			row := make([]any, 1+len(cxColumns))
			row[0] = int64(n)
			for i, col := range cxColumns {
				if col.name == c.col {
					row[1+i] = c.v
				}
			}
			if !yield(row) {
				return
			}
		}
	}
}

// TestBulkInsertCopyExact copies values of every column type with
// BulkInsert and with pgx's own CopyFrom (the path BulkInsert used
// before it encoded values itself), and checks that both tables hold
// the same values, and that they are the values given: text and bytes
// byte for byte, integers, floats bit for bit, instants to the
// microsecond, wall clocks in a TIMESTAMP, decimals as the server
// itself reads their text (scale included).
func TestBulkInsertCopyExact(t *testing.T) {
	db := newDB(t)
	mustExec(t, db, "SET TimeZone = 'UTC'", cxDDL("cx"), cxDDL("cx_pgx"))
	ctx := context.Background()
	c := conn(t, db.DB)
	mustExec(t, c, "SET TimeZone = 'UTC'")
	cases := cxCases()
	mustExec(t, c, "BEGIN")
	n, err := New().BulkInsert(ctx, c, op.BulkInsert{Table: cxTable("cx"), Values: cxRows(cases)})
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(cases)) {
		t.Fatalf("BulkInsert reported %d rows; want %d", n, len(cases))
	}
	var rows [][]any
	for r := range cxRows(cases) {
		rows = append(rows, r)
	}
	err = c.Raw(func(dc any) error {
		_, err := dc.(pgxConn).Conn().CopyFrom(ctx, pgx.Identifier{"cx_pgx"}, cxTable("cx").ColumnNames(), pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		t.Fatalf("pgx CopyFrom: %v", err)
	}
	mustExec(t, c, "COMMIT")

	// Both tables alike, column by column (each column's text output
	// is exact: shortest-exact floats, numerics with their scale).
	var diff int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM cx x FULL JOIN cx_pgx y USING (n) WHERE x::text IS DISTINCT FROM y::text`).Scan(&diff); err != nil {
		t.Fatal(err)
	}
	if diff != 0 {
		rows, err := db.QueryContext(ctx, `SELECT n, left(x::text, 300), left(y::text, 300) FROM cx x FULL JOIN cx_pgx y USING (n) WHERE x::text IS DISTINCT FROM y::text LIMIT 10`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var n int64
			var a, b sql.NullString
			if err := rows.Scan(&n, &a, &b); err != nil {
				t.Fatal(err)
			}
			t.Errorf("row %d (%s %s):\nBulkInsert %s\npgx        %s", n, cases[n].col, show(cases[n].v), a.String, b.String)
		}
		t.Fatalf("%d rows differ from pgx's CopyFrom", diff)
	}

	// The values given, read back.
	for n, c := range cases {
		name := fmt.Sprintf("row %d (%s %s)", n, c.col, show(c.v))
		switch {
		case c.v == nil:
			var isNull bool
			if err := db.QueryRowContext(ctx, "SELECT "+c.col+" IS NULL FROM cx WHERE n = $1", n).Scan(&isNull); err != nil || !isNull {
				t.Errorf("%s: NULL? %v, %v", name, isNull, err)
			}
		case c.col == "num" || c.col == "num2":
			s, ok := c.v.(string)
			if !ok {
				continue // pgx's own encoding, checked against pgx above
			}
			typ := map[string]string{"num": "numeric", "num2": "numeric(12,2)"}[c.col]
			var got, want string
			if err := db.QueryRowContext(ctx, "SELECT "+c.col+"::text, ($2::text)::"+typ+"::text FROM cx WHERE n = $1", n, s).Scan(&got, &want); err != nil {
				t.Errorf("%s: %v", name, err)
			} else if got != want {
				t.Errorf("%s: stored %s; the server reads %q as %s", name, got, s, want)
			}
		case c.col == "ts":
			tm := c.v.(time.Time)
			var got time.Time
			if err := db.QueryRowContext(ctx, "SELECT ts FROM cx WHERE n = $1", n).Scan(&got); err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			wall := time.Date(tm.Year(), tm.Month(), tm.Day(), tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), time.UTC)
			want := wall.Add(-time.Duration(wall.Nanosecond() % 1000))
			if !got.Equal(want) {
				t.Errorf("%s: stored %s; want the wall clock %s", name, got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
			}
		case c.col == "vc" || c.col == "bp":
			var got string
			if err := db.QueryRowContext(ctx, "SELECT rtrim("+c.col+", ' ') FROM cx WHERE n = $1", n).Scan(&got); err != nil {
				t.Errorf("%s: %v", name, err)
			} else if got != strings.TrimRight(c.v.(string), " ") {
				t.Errorf("%s: stored %s", name, show(got))
			}
		case c.col == "t" || c.col == "b" || c.col == "bo" || c.col == "i8" || c.col == "f8" || c.col == "f4" || c.col == "tz" || c.col == "i2" || c.col == "i4":
			if _, named := c.v.(namedInt); named {
				continue
			}
			if _, named := c.v.(namedString); named {
				continue
			}
			var got any
			if err := db.QueryRowContext(ctx, "SELECT "+c.col+" FROM cx WHERE n = $1", n).Scan(&got); err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			v := c.v
			switch x := v.(type) {
			case float32:
				if c.col == "f8" {
					v = float64(x)
				}
			case int:
				if c.col == "f8" {
					v = float64(x)
				}
			case uint16:
				v = int64(x)
			}
			if !same(got, v) {
				t.Errorf("%s: stored %s, want %s", name, show(got), show(want(v)))
			}
		}
	}
}

// TestBulkInsertCopyStream copies more rows than fit in a CopyData
// message, rows larger than one, and checks what arrives.
func TestBulkInsertCopyStream(t *testing.T) {
	db := newDB(t)
	mustExec(t, db, "CREATE TABLE s (id BIGINT NOT NULL, name TEXT, amount NUMERIC(14,2))")
	ref := op.Table("s", op.Column("id", schema.BigInteger()), op.Column("name", schema.Text()), op.Column("amount", schema.Numeric(14, 2)))
	const rows = 50000
	big := strings.Repeat("x\t\\\n", 50000) // 200,000 bytes: three messages
	name := func(i int) string {
		switch i % 10000 {
		case 7:
			return big
		case 8:
			return big[:copyChunk-20] // about the room left in a message
		}
		return fmt.Sprintf("name %d", i)
	}
	values := func(yield func([]any) bool) {
		for i := range rows {
			if !yield([]any{int64(i), name(i), fmt.Sprintf("%d.%02d", i, i%100)}) {
				return
			}
		}
	}
	c := conn(t, db.DB)
	mustExec(t, c, "BEGIN")
	n, err := New().BulkInsert(context.Background(), c, op.BulkInsert{Table: ref, Values: values})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, c, "COMMIT")
	if n != rows {
		t.Fatalf("%d rows reported; want %d", n, rows)
	}
	got, err := db.QueryContext(context.Background(), "SELECT id, name, amount::text FROM s ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	i := 0
	for ; got.Next(); i++ {
		var id int64
		var nm, amount string
		if err := got.Scan(&id, &nm, &amount); err != nil {
			t.Fatal(err)
		}
		if id != int64(i) || nm != name(i) || amount != fmt.Sprintf("%d.%02d", i, i%100) {
			t.Fatalf("row %d: %d, %.40q (%d bytes), %s", i, id, nm, len(nm), amount)
		}
	}
	if err := got.Err(); err != nil {
		t.Fatal(err)
	}
	if i != rows {
		t.Fatalf("%d rows read back; want %d", i, rows)
	}
}

// TestBulkInsertCopyFailures stops COPYs in the middle, after several
// messages were sent: a bad value, a bad row, the server refusing a
// row, a cancelled context, a panic in the rows. Each is reported (the
// panic goes on), nothing is left after the rollback, and the
// connection still works.
func TestBulkInsertCopyFailures(t *testing.T) {
	ref := op.Table("f", op.Column("id", schema.BigInteger()), op.Column("name", schema.Text()))
	const bad = 30000 // well after the first messages
	rowsWith := func(last func(i int) []any) iter.Seq[[]any] {
		return func(yield func([]any) bool) {
			for i := 1; i <= bad+10000; i++ {
				row := []any{int64(i), "name"}
				if i == bad {
					row = last(i)
				}
				if !yield(row) {
					return
				}
			}
		}
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		b      func(context.CancelFunc) op.BulkInsert
		check  func(t *testing.T, err error)
		panics bool
	}{
		{"unencodable value", func(context.CancelFunc) op.BulkInsert {
			return op.BulkInsert{Table: ref, Values: rowsWith(func(i int) []any { return []any{struct{}{}, "x"} })}
		}, func(t *testing.T, err error) {
			var re *op.RowError
			if !errors.As(err, &re) || re.Row != bad || !errors.Is(err, op.ErrBadRow) || !strings.Contains(err.Error(), "column id") {
				t.Errorf("error %v; want an *op.RowError for row %d, column id", err, bad)
			}
		}, false},
		{"wrong width", func(context.CancelFunc) op.BulkInsert {
			return op.BulkInsert{Table: ref, Values: rowsWith(func(i int) []any { return []any{int64(i)} })}
		}, func(t *testing.T, err error) {
			var re *op.RowError
			if !errors.As(err, &re) || re.Row != bad {
				t.Errorf("error %v; want an *op.RowError for row %d", err, bad)
			}
		}, false},
		{"refused by the server", func(context.CancelFunc) op.BulkInsert {
			return op.BulkInsert{Table: ref, Values: rowsWith(func(i int) []any { return []any{nil, "x"} })}
		}, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "bulk insert into f (COPY)") || !strings.Contains(err.Error(), "23502") {
				t.Errorf("error %v; want the server's not-null violation", err)
			}
		}, false},
		{"cancelled", func(cancel context.CancelFunc) op.BulkInsert {
			return op.BulkInsert{Table: ref, Values: rowsWith(func(i int) []any { cancel(); return []any{int64(i), "x"} })}
		}, func(t *testing.T, err error) {
			if err == nil {
				t.Errorf("no error after the context was cancelled")
			}
		}, false},
		{"panic", func(context.CancelFunc) op.BulkInsert {
			return op.BulkInsert{Table: ref, Values: rowsWith(func(i int) []any { panic("rows broke") })}
		}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := newDB(t)
			mustExec(t, db, "CREATE TABLE f (id BIGINT NOT NULL, name TEXT)")
			c := conn(t, db.DB)
			mustExec(t, c, "BEGIN")
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			var err error
			var recovered any
			func() {
				defer func() { recovered = recover() }()
				_, err = New().BulkInsert(cctx, c, tc.b(cancel))
			}()
			if tc.panics {
				if recovered != "rows broke" {
					t.Errorf("recovered %v; want the rows' panic", recovered)
				}
			} else {
				if recovered != nil {
					t.Fatalf("panic: %v", recovered)
				}
				tc.check(t, err)
			}
			var q interface {
				QueryRowContext(context.Context, string, ...any) *sql.Row
			} = c
			switch tc.name {
			case "cancelled", "panic":
				// pgx closes a connection whose query is cancelled, and
				// database/sql one whose Raw function panicked.
				q = db
			default:
				mustExec(t, c, "ROLLBACK")
			}
			var count int
			if err := q.QueryRowContext(ctx, "SELECT count(*) FROM f").Scan(&count); err != nil {
				t.Fatalf("after the failure: %v", err)
			}
			if count != 0 {
				t.Errorf("%d rows left after the rollback", count)
			}
		})
	}
}
