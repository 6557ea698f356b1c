package mysql

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

const litTable = `CREATE TABLE lit (
    id INT NOT NULL PRIMARY KEY,
    txt LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    bin LONGBLOB NULL,
    i BIGINT NULL,
    u BIGINT UNSIGNED NULL,
    f DOUBLE NULL,
    ts DATETIME(6) NULL,
    bo TINYINT(1) NULL
)`

// litInserts groups the hostile values of literalCases by column: one
// BulkInsert of (id, column) rows per column, ids as in literalCases
// order (from 1).
func litInserts() []op.BulkInsert {
	cases := literalCases()
	types := map[string]schema.Type{
		"txt": schema.Text(), "bin": schema.LargeBinary(), "i": schema.BigInteger(), "u": schema.BigInteger(),
		"f": schema.Float(), "ts": schema.DateTime(false), "bo": schema.Boolean(),
	}
	var order []string
	rows := map[string][][]any{}
	for i, c := range cases {
		if _, ok := rows[c.col]; !ok {
			order = append(order, c.col)
		}
		rows[c.col] = append(rows[c.col], []any{i + 1, c.v})
	}
	var out []op.BulkInsert
	for _, col := range order {
		out = append(out, op.BulkInsert{
			Table:  op.Table("lit", op.Column("id", schema.Integer()), op.Column(col, types[col])),
			Values: valuesOf(rows[col]),
		})
	}
	return out
}

func valuesOf(rows [][]any) iter.Seq[[]any] {
	return func(yield func([]any) bool) {
		for _, r := range rows {
			if !yield(r) {
				return
			}
		}
	}
}

// TestBulkInsertLiterals inserts the hostile values online with
// BulkInsert and reads them back byte for byte.
func TestBulkInsertLiterals(t *testing.T) {
	db, _ := testDB(t)
	ctx := context.Background()
	mustExec(t, db, litTable)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	d := New()
	var total int64
	for _, b := range litInserts() {
		n, err := d.BulkInsert(ctx, conn, b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		total += n
	}
	cases := literalCases()
	if total != int64(len(cases)) {
		t.Errorf("inserted %d rows, want %d", total, len(cases))
	}
	for i, c := range cases {
		if got := readBack(t, db, c.col, i+1); !sameValue(got, c.want) {
			t.Errorf("%s: BulkInsert stored %s, want %s", c.name, show(got), show(c.want))
		}
	}
}

// TestInsertStatementsWithClient renders the hostile values offline with
// dialect.InsertStatements, replays the script through the mysql/mariadb
// client and reads them back.
func TestInsertStatementsWithClient(t *testing.T) {
	client := mysqlClient(t)
	db, dbName := testDB(t)
	ctx := context.Background()
	d := New()
	var script strings.Builder
	for _, s := range d.ScriptPreamble() {
		script.WriteString(s + "\n")
	}
	script.WriteString(d.ScriptStatement(litTable) + "\n\n")
	script.WriteString(d.Begin() + ";\n")
	for _, b := range litInserts() {
		err := dialect.InsertStatements(d, b, func(s dialect.Stmt) error {
			script.WriteString(d.ScriptStatement(s.SQL) + "\n\n")
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
	}
	script.WriteString(d.Commit() + ";\n")
	path := filepath.Join(t.TempDir(), "insert.sql")
	if err := os.WriteFile(path, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	args, env := clientArgs(t, dbName)
	cmd := exec.CommandContext(ctx, client, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = in
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s < %s: %v\n%s", client, strings.Join(args, " "), path, err, out.String())
	}
	for i, c := range literalCases() {
		if got := readBack(t, db, c.col, i+1); !sameValue(got, c.want) {
			t.Errorf("%s: the client stored %s, want %s", c.name, show(got), show(c.want))
		}
	}
}

// TestBulkInsertBatching inserts rows of varied sizes with small limits,
// so that statements are cut both by row count and by bytes, and checks
// that every row arrives once and intact.
func TestBulkInsertBatching(t *testing.T) {
	db, _ := testDB(t)
	ctx := context.Background()
	mustExec(t, db, "CREATE TABLE b (id BIGINT NOT NULL PRIMARY KEY, s LONGTEXT NULL)")
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const n = 5000
	value := func(i int) any {
		switch {
		case i%97 == 0:
			return nil
		case i%501 == 0:
			return strings.Repeat("big'\\", 2000) // larger than the budget: alone
		}
		return fmt.Sprintf("row %d %s", i, strings.Repeat("x", i%50))
	}
	b := op.BulkInsert{
		Table: op.Table("b", op.Column("id", schema.BigInteger()), op.Column("s", schema.Text())),
		Values: func(yield func([]any) bool) {
			for i := 1; i <= n; i++ {
				if !yield([]any{int64(i), value(i)}) {
					return
				}
			}
		},
	}
	got, err := New().bulkInsert(ctx, conn, b, 4096, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got != n {
		t.Errorf("inserted %d rows, want %d", got, n)
	}
	rows, err := db.QueryContext(ctx, "SELECT id, s FROM b ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		i++
		var id int64
		var s *string
		if err := rows.Scan(&id, &s); err != nil {
			t.Fatal(err)
		}
		want := value(i)
		switch {
		case id != int64(i):
			t.Fatalf("row %d has id %d", i, id)
		case want == nil && s != nil, want != nil && (s == nil || *s != want.(string)):
			t.Fatalf("row %d: got %v, want %v", i, s, want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if i != n {
		t.Errorf("read back %d rows, want %d", i, n)
	}
}

// TestBulkInsertBadRow checks that a bad row stops the insert with an
// *op.RowError naming it, and that no row after it is inserted.
func TestBulkInsertBadRow(t *testing.T) {
	ref := op.Table("r", op.Column("id", schema.BigInteger()), op.Column("name", schema.String(20)))
	tests := []struct {
		name string
		b    op.BulkInsert
		row  int
		want string
	}{
		{"missing key", op.BulkInsert{Table: ref, Maps: []map[string]any{
			{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3},
			{"id": 4, "name": "d"},
		}}, 3, `"name"`},
		{"unknown key", op.BulkInsert{Table: ref, Maps: []map[string]any{
			{"id": 1, "name": "a"}, {"id": 2, "name": "b", "nmae": "x"},
		}}, 2, `"nmae"`},
		{"wrong width", op.BulkInsert{Table: ref, Values: valuesOf([][]any{{1, "a"}, {2}})}, 2, "1 values for 2 columns"},
		{"unbindable value", op.BulkInsert{Table: ref, Values: valuesOf([][]any{{1, "a"}, {2, struct{}{}}, {3, "c"}})}, 2, "column name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := testDB(t)
			ctx := context.Background()
			mustExec(t, db, "CREATE TABLE r (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL)")
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			n, err := New().BulkInsert(ctx, conn, tt.b)
			var re *op.RowError
			if !errors.As(err, &re) {
				t.Fatalf("got %d rows, error %v; want an *op.RowError", n, err)
			}
			if !errors.Is(err, op.ErrBadRow) || re.Row != tt.row || re.Table != "r" || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q (row %d), want row %d mentioning %s", err, re.Row, tt.row, tt.want)
			}
			var count int64
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM r").Scan(&count); err != nil {
				t.Fatal(err)
			}
			if count != n || count >= int64(tt.row) {
				t.Errorf("%d rows in the table, BulkInsert reported %d, bad row %d", count, n, tt.row)
			}
		})
	}
}
