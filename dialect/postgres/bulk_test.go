package postgres

import (
	"context"
	"database/sql"
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

// rtColumn is, for each litCase typ, the column of table rt holding it.
var rtColumn = map[string]string{"text": "t", "bytea": "b", "boolean": "bo", "bigint": "i", "float8": "f", "float4": "f4", "timestamptz": "ts"}

const rtDDL = "CREATE TABLE rt (n BIGINT PRIMARY KEY, t TEXT, b BYTEA, bo BOOLEAN, i BIGINT, f FLOAT8, f4 REAL, ts TIMESTAMPTZ)"

func rtTable() op.TableRef {
	return op.Table("rt",
		op.Column("n", schema.BigInteger()),
		op.Column("t", schema.Text()).Nullable(),
		op.Column("b", schema.LargeBinary()).Nullable(),
		op.Column("bo", schema.Boolean()).Nullable(),
		op.Column("i", schema.BigInteger()).Nullable(),
		op.Column("f", schema.Float()).Nullable(),
		op.Column("f4", schema.Raw(map[string]string{"postgres": "REAL"})).Nullable(),
		op.Column("ts", schema.DateTime(true)).Nullable(),
	)
}

// rtRows is one row per litCase: n, then the value in its column, NULL
// elsewhere.
func rtRows(cases []litCase) iter.Seq[[]any] {
	names := rtTable().ColumnNames()
	return func(yield func([]any) bool) {
		for n, c := range cases {
			row := make([]any, len(names))
			row[0] = int64(n)
			for i, name := range names {
				if name == rtColumn[c.typ] {
					row[i] = c.v
				}
			}
			if !yield(row) {
				return
			}
		}
	}
}

// checkRT reads the litCases back from rt.
func checkRT(t *testing.T, db *sql.DB, cases []litCase) {
	t.Helper()
	var count int
	if err := db.QueryRowContext(context.Background(), "SELECT count(*) FROM rt").Scan(&count); err != nil {
		t.Fatal(err)
	}
	if count != len(cases) {
		t.Fatalf("%d rows; want %d", count, len(cases))
	}
	for n, c := range cases {
		var got any
		if err := db.QueryRowContext(context.Background(), "SELECT "+rtColumn[c.typ]+" FROM rt WHERE n = $1", n).Scan(&got); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !same(got, c.v) {
			t.Errorf("%s: got %s, want %s", c.name, show(got), show(want(c.v)))
		}
	}
}

func TestBulkInsertCopy(t *testing.T) {
	db := newDB(t)
	mustExec(t, db, rtDDL)
	c := conn(t, db.DB)
	cases := litCases()
	mustExec(t, c, "BEGIN")
	n, err := New().BulkInsert(context.Background(), c, op.BulkInsert{Table: rtTable(), Values: rtRows(cases)})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, c, "COMMIT")
	if n != int64(len(cases)) {
		t.Errorf("BulkInsert reported %d rows; want %d", n, len(cases))
	}
	checkRT(t, db.DB, cases)
}

func TestBulkInsertBadRow(t *testing.T) {
	tbl := rtTable()
	good := func(n int) map[string]any {
		m := map[string]any{}
		for _, c := range tbl.Columns {
			m[c.Name] = nil
		}
		m["n"] = int64(n)
		return m
	}
	bad := good(3)
	delete(bad, "t")
	for _, c := range []struct {
		name string
		rows []map[string]any
		row  int
	}{
		{"missing column", []map[string]any{good(1), good(2), bad, good(4)}, 3},
		{"unknown column", []map[string]any{good(1), {"n": int64(2), "nope": 1}}, 2},
		{"unencodable value", []map[string]any{good(1), func() map[string]any { m := good(2); m["i"] = struct{}{}; return m }()}, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := newDB(t)
			mustExec(t, db, rtDDL)
			cn := conn(t, db.DB)
			mustExec(t, cn, "BEGIN")
			_, err := New().BulkInsert(context.Background(), cn, op.BulkInsert{Table: tbl, Maps: c.rows})
			var re *op.RowError
			if !errors.As(err, &re) || re.Row != c.row {
				t.Fatalf("error %v; want an *op.RowError for row %d", err, c.row)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("row %d", c.row)) {
				t.Errorf("error %q does not name row %d", err, c.row)
			}
			mustExec(t, cn, "ROLLBACK")
			var count int
			if err := db.QueryRowContext(context.Background(), "SELECT count(*) FROM rt").Scan(&count); err != nil {
				t.Fatal(err)
			}
			if count != 0 {
				t.Errorf("%d rows left after rollback", count)
			}
		})
	}
}

// TestInsertStatementsPsql renders the litCases as offline INSERT
// statements, runs them with psql and reads them back.
func TestInsertStatementsPsql(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Fatal("psql is not installed; it is needed to replay offline scripts")
	}
	db := newDB(t)
	mustExec(t, db, rtDDL)
	d := New()
	cases := litCases()
	var script strings.Builder
	script.WriteString(d.ScriptStatement(d.Begin()) + "\n")
	err = dialect.InsertStatements(d, op.BulkInsert{Table: rtTable(), Values: rtRows(cases)}, func(s dialect.Stmt) error {
		if len(s.Args) != 0 {
			return fmt.Errorf("offline statement has %d bound arguments", len(s.Args))
		}
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
	cmd := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", path,
		"-h", db.cfg.Host, "-p", fmt.Sprint(db.cfg.Port), "-U", db.cfg.User, "-d", db.Name)
	cmd.Env = append(os.Environ(), "PGPASSWORD="+db.cfg.Password, "PGCLIENTENCODING=UTF8", "PGOPTIONS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	checkRT(t, db.DB, cases)
}
