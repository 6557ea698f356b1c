package dialect_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

func TestInline(t *testing.T) {
	pg, my, lite := postgres.New(), mysql.New(), sqlite.New()
	tests := []struct {
		name    string
		d       dialect.Dialect
		sql     string
		args    []any
		want    string
		wantErr string
	}{
		{"pg numbered", pg, "UPDATE t SET a = $1 WHERE b = $2 OR c = $1", []any{"x'y", 5},
			"UPDATE t SET a = 'x''y' WHERE b = 5 OR c = 'x''y'", ""},
		{"pg quoted and comments kept", pg, "SELECT '$1', \"$1\", $$ $1 $$, $q$ $2 $q$ -- $1\n, $1 /* $2 */, $2", []any{1, 2},
			"SELECT '$1', \"$1\", $$ $1 $$, $q$ $2 $q$ -- $1\n, 1 /* $2 */, 2", ""},
		{"pg E string", pg, `SELECT E'\'$1', $1`, []any{true}, `SELECT E'\'$1', TRUE`, ""},
		{"pg out of range", pg, "SELECT $3", []any{1}, "", "$3 with 1 arguments"},
		{"pg unused argument", pg, "SELECT $1", []any{1, 2}, "", "argument 2 has no placeholder"},
		{"mysql positional", my, "INSERT INTO t VALUES (?, ?, ?)", []any{nil, `a\b`, -3}, `INSERT INTO t VALUES (NULL, 'a\\b', -3)`, ""},
		{"mysql quoted kept", my, "SELECT '?', \"?\", `?`, 'it\\'s ?' # ?\n, ?", []any{"z"},
			"SELECT '?', \"?\", `?`, 'it\\'s ?' # ?\n, 'z'", ""},
		{"mysql too few", my, "SELECT ?, ?", []any{1}, "", "more placeholders than the 1 arguments"},
		{"sqlite positional", lite, "UPDATE t SET a = ? -- ?\nWHERE b = '?' AND c = ?", []any{"o'k", 2.5},
			"UPDATE t SET a = 'o''k' -- ?\nWHERE b = '?' AND c = 2.5", ""},
		{"bad literal", pg, "SELECT $1", []any{"nul\x00"}, "", "argument 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dialect.Inline(tt.d, tt.sql, tt.args)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v; want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Inline =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	if _, err := dialect.Inline(pg, "SELECT $2", []any{1}); !errors.Is(err, dialect.ErrPlaceholders) {
		t.Errorf("err = %v; want ErrPlaceholders", err)
	}
}

func TestRenderExecute(t *testing.T) {
	pg, my := postgres.New(), mysql.New()
	// Without arguments the text is split like a revision section.
	st, err := dialect.RenderExecute(pg, op.Execute{SQL: "UPDATE a SET x = 1; UPDATE b SET y = ';'"}, true)
	if err != nil || len(st) != 2 || st[1].SQL != "UPDATE b SET y = ';'" {
		t.Fatalf("split: %v %+v", err, st)
	}
	// Online, arguments are bound and the statement kept as written.
	st, err = dialect.RenderExecute(pg, op.Execute{SQL: "UPDATE a SET x = $1;", Args: []any{"v"}}, true)
	if err != nil || len(st) != 1 || st[0].SQL != "UPDATE a SET x = $1" || len(st[0].Args) != 1 {
		t.Fatalf("online: %v %+v", err, st)
	}
	// Offline they become literals.
	st, err = dialect.RenderExecute(my, op.Execute{SQL: "UPDATE a SET x = ?", Args: []any{"v'"}}, false)
	if err != nil || len(st) != 1 || st[0].SQL != "UPDATE a SET x = 'v'''" || st[0].Args != nil {
		t.Fatalf("offline: %v %+v", err, st)
	}
	// Restricted to another dialect: nothing.
	st, err = dialect.RenderExecute(my, op.Execute{SQL: "VACUUM", Dialects: []string{"postgres"}}, false)
	if err != nil || len(st) != 0 {
		t.Fatalf("restricted: %v %+v", err, st)
	}
	if _, err := dialect.RenderExecute(pg, op.Execute{SQL: "SELECT 'open"}, false); err == nil {
		t.Error("unterminated string accepted")
	}
}

func TestInsertStatements(t *testing.T) {
	lite := sqlite.New()
	tbl := op.Table("t", op.Column("id", schema.Integer()), op.Column("name", schema.Text()))
	n := dialect.InsertRowsPerStatement*2 + 3
	rows := func(yield func([]any) bool) {
		for i := 0; i < n; i++ {
			if !yield([]any{i, "it's"}) {
				return
			}
		}
	}
	var stmts []dialect.Stmt
	err := dialect.InsertStatements(lite, op.BulkInsert{Table: tbl, Values: rows}, func(s dialect.Stmt) error {
		stmts = append(stmts, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 3 {
		t.Fatalf("%d statements; want 3", len(stmts))
	}
	if !strings.HasPrefix(stmts[0].SQL, `INSERT INTO "t" ("id", "name") VALUES (0, 'it''s'),`) {
		t.Errorf("first statement starts %q", stmts[0].SQL[:60])
	}
	if got := strings.Count(stmts[2].SQL, "'it''s'"); got != 3 {
		t.Errorf("last statement has %d rows; want 3", got)
	}
	// A value the dialect cannot write names its row and column.
	bad := op.BulkInsert{Table: tbl, Maps: []map[string]any{{"id": 1, "name": "a"}, {"id": 2, "name": struct{}{}}}}
	err = dialect.InsertStatements(lite, bad, func(dialect.Stmt) error { return nil })
	var re *op.RowError
	if !errors.As(err, &re) || re.Row != 2 || !strings.Contains(err.Error(), "column name") {
		t.Errorf("err = %v; want a RowError for row 2, column name", err)
	}
}

func TestPortablePlaceholders(t *testing.T) {
	pg := postgres.New()
	st, err := dialect.RenderExecute(pg, op.Execute{SQL: "UPDATE a SET x = ?, y = '?' WHERE z = ?", Args: []any{1, 2}}, true)
	if err != nil || st[0].SQL != "UPDATE a SET x = $1, y = '?' WHERE z = $2" {
		t.Fatalf("online: %v %+v", err, st)
	}
	st, err = dialect.RenderExecute(pg, op.Execute{SQL: "UPDATE a SET x = ? WHERE z = ?", Args: []any{"a", 2}}, false)
	if err != nil || st[0].SQL != "UPDATE a SET x = 'a' WHERE z = 2" {
		t.Fatalf("offline: %v %+v", err, st)
	}
	// With $n present, "?" is an operator (jsonb) and left alone.
	st, err = dialect.RenderExecute(pg, op.Execute{SQL: "SELECT doc ? 'k' FROM a WHERE id = $1", Args: []any{3}}, false)
	if err != nil || st[0].SQL != "SELECT doc ? 'k' FROM a WHERE id = 3" {
		t.Fatalf("jsonb: %v %+v", err, st)
	}
}
