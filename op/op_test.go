package op

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/schema"
)

func TestBulkInsertRows(t *testing.T) {
	tbl := Table("account", Column("id", schema.BigInteger()), Column("name", schema.String(50)))
	values := func(rows ...[]any) func(func([]any) bool) {
		return func(yield func([]any) bool) {
			for _, r := range rows {
				if !yield(r) {
					return
				}
			}
		}
	}
	tests := []struct {
		name    string
		b       BulkInsert
		want    [][]any
		wantErr string
	}{
		{"maps", BulkInsert{Table: tbl, Maps: []map[string]any{{"id": 1, "name": "a"}, {"name": nil, "id": 2}}},
			[][]any{{1, "a"}, {2, nil}}, ""},
		{"values", BulkInsert{Table: tbl, Values: values([]any{1, "a"}, []any{2, "b"})}, [][]any{{1, "a"}, {2, "b"}}, ""},
		{"map seq", BulkInsert{Table: tbl, MapSeq: func(yield func(map[string]any) bool) {
			yield(map[string]any{"id": 7, "name": "x"})
		}}, [][]any{{7, "x"}}, ""},
		{"no rows", BulkInsert{Table: tbl}, nil, ""},
		{"missing key", BulkInsert{Table: tbl, Maps: []map[string]any{{"id": 1, "name": "a"}, {"id": 2}}},
			[][]any{{1, "a"}}, `row 2: bad row: no value for column "name" (give nil for NULL)`},
		{"unknown key", BulkInsert{Table: tbl, Maps: []map[string]any{{"id": 1, "name": "a", "nmae": "b"}}},
			nil, `row 1: bad row: unknown column "nmae" (declare it in op.Table)`},
		{"wrong width", BulkInsert{Table: tbl, Values: values([]any{1})}, nil, "row 1: bad row: 1 values for 2 columns (id, name)"},
		{"two sources", BulkInsert{Table: tbl, Maps: []map[string]any{}, Values: values()}, nil, "more than one row source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got [][]any
			var err error
			for row, e := range tt.b.Rows() {
				if e != nil {
					err = e
					break
				}
				got = append(got, slices.Clone(row))
			}
			if tt.wantErr == "" && err != nil {
				t.Fatalf("err = %v", err)
			}
			if tt.wantErr != "" {
				var re *RowError
				if !errors.As(err, &re) || !errors.Is(err, ErrBadRow) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v; want a RowError containing %q", err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "bulk insert into account: ") {
					t.Errorf("err = %q does not name the table", err)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("rows = %v; want %v", got, tt.want)
			}
			for i := range got {
				if !slices.Equal(got[i], tt.want[i]) {
					t.Errorf("row %d = %v; want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestOpsRecord(t *testing.T) {
	o := NewOps()
	o.CreateTable(schema.NewTable("t", schema.Col("id", schema.Integer())))
	o.AddColumn("t", schema.Col("x", schema.Text()).Nullable())
	o.InSchema("s").DropColumn("u", "y")
	o.Execute("UPDATE t SET x = ?", "v")
	o.ExecuteOn("postgres", "VACUUM t")
	o.Batch("t", nil, func(b *Ops) {
		b.DropColumn("t", "x")
	})
	o.Run("check", func(context.Context, DB) error { return nil })
	o.Add(RenameTable{Table: TableName{Name: "t"}, NewName: "t2"})
	ops := o.List()
	want := []string{
		"create table t",
		"add column t.x",
		"drop column s.u.y",
		"execute UPDATE t SET x = ?",
		"execute VACUUM t [postgres]",
		"batch on t (1 ops)",
		"run check",
		"rename table t to t2",
	}
	if len(ops) != len(want) {
		t.Fatalf("recorded %d ops; want %d", len(ops), len(want))
	}
	for i, w := range want {
		if ops[i].String() != w {
			t.Errorf("op %d = %q; want %q", i, ops[i].String(), w)
		}
	}
	lines := o.Lines()
	for i := 1; i < len(lines); i++ {
		if lines[i] <= lines[0] {
			t.Errorf("line of op %d = %d, not after the first op's line %d: lines must point at the recording calls", i, lines[i], lines[0])
		}
	}
	if e := ops[4].(Execute); e.AppliesTo("mysql") || !e.AppliesTo("postgres") {
		t.Error("ExecuteOn does not restrict the dialect")
	}
}

func TestAlterColumnAfter(t *testing.T) {
	ex := schema.Col("email", schema.String(100)).Nullable().WithComment("c")
	typ, null, name, com := schema.String(300), false, "mail", ""
	def := schema.Value("x")
	a := AlterColumn{Table: TableName{Name: "account"}, Column: "email", Type: &typ, Null: &null, NewName: name, Comment: &com, Default: &def, Existing: &ex}
	got, ok := a.After()
	if !ok {
		t.Fatal("After: not ok with Existing set")
	}
	want := schema.Col("mail", schema.String(300)).Default(schema.Value("x"))
	if !got.Equal(want) {
		t.Errorf("After = %v; want %v", got, want)
	}
	if _, ok := (AlterColumn{}).After(); ok {
		t.Error("After ok without Existing")
	}
	if s := a.String(); s != `alter column account.email (type String(300), not null, default value "x", rename to mail, comment)` {
		t.Errorf("String = %q", s)
	}
}
