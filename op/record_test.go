package op_test

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"testing"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// here returns the file and line of its caller: the case records an
// operation and calls here on the same line.
func here() op.Pos {
	_, file, line, _ := runtime.Caller(1)
	return op.Pos{File: file, Line: line}
}

// notRecording are the methods of *op.Ops that record nothing.
var notRecording = []string{"Callers", "Ignore", "InSchema", "Lines", "List", "Positions", "Suppressions", "XArg", "XArgs"}

// TestOps_Positions: every recording method of op.Ops records the line
// of the user's call, not one of package op, including the methods that
// call one another, the InSchema view and Batch.
func TestOps_Positions(t *testing.T) {
	tbl := schema.NewTable("t", schema.Col("id", schema.Integer()))
	ref := op.Table("t", op.Column("id", schema.Integer()))
	col := schema.Col("x", schema.Text()).Nullable()
	idx := schema.IndexOn("x")
	run := func(context.Context, op.DB) error { return nil }
	notNull := op.AlterColumn{Column: "x", Null: op.Ptr(false)}
	tests := []struct {
		method string
		want   op.Op // the kind of operation the method records
		record func(o *op.Ops) op.Pos
	}{
		{"Add", op.RenameTable{}, func(o *op.Ops) op.Pos { o.Add(op.RenameTable{NewName: "u"}); return here() }},
		{"AddColumn", op.AddColumn{}, func(o *op.Ops) op.Pos { o.AddColumn("t", col); return here() }},
		{"AlterColumn", op.AlterColumn{}, func(o *op.Ops) op.Pos { o.AlterColumn("t", notNull); return here() }},
		{"Batch", op.Batch{}, func(o *op.Ops) op.Pos { o.Batch("t", tbl, func(b *op.Ops) { b.DropColumn("t", "x") }); return here() }},
		{"BulkInsert", op.BulkInsert{}, func(o *op.Ops) op.Pos { o.BulkInsert(ref, []map[string]any{{"id": 1}}); return here() }},
		{"CreateIndex", op.CreateIndex{}, func(o *op.Ops) op.Pos { o.CreateIndex("t", idx); return here() }},
		{"CreateTable", op.CreateTable{}, func(o *op.Ops) op.Pos { o.CreateTable(tbl); return here() }},
		{"DropColumn", op.DropColumn{}, func(o *op.Ops) op.Pos { o.DropColumn("t", "x"); return here() }},
		{"DropIndex", op.DropIndex{}, func(o *op.Ops) op.Pos { o.DropIndex("t", idx); return here() }},
		{"DropTable", op.DropTable{}, func(o *op.Ops) op.Pos { o.DropTable("t"); return here() }},
		{"Execute", op.Execute{}, func(o *op.Ops) op.Pos { o.Execute("UPDATE t SET x = ?", 1); return here() }},
		{"ExecuteOn", op.Execute{}, func(o *op.Ops) op.Pos { o.ExecuteOn("postgres", "VACUUM t"); return here() }},
		{"RenameTable", op.RenameTable{}, func(o *op.Ops) op.Pos { o.RenameTable("t", "u"); return here() }},
		{"Run", op.Run{}, func(o *op.Ops) op.Pos { o.Run("check", run); return here() }},
	}
	for _, tt := range tests {
		for _, view := range []string{"", "s"} {
			t.Run(fmt.Sprintf("%s/schema=%q", tt.method, view), func(t *testing.T) {
				o := op.NewOps()
				rec := o
				if view != "" {
					rec = o.InSchema(view)
				}
				want := tt.record(rec)
				ops, ps, lines := o.List(), o.Positions(), o.Lines()
				if len(ops) != 1 || len(ps) != 1 || len(lines) != 1 {
					t.Fatalf("recorded %d ops, %d positions, %d lines; want 1 each", len(ops), len(ps), len(lines))
				}
				if reflect.TypeOf(ops[0]) != reflect.TypeOf(tt.want) {
					t.Errorf("%s recorded a %T; want a %T", tt.method, ops[0], tt.want)
				}
				if ps[0] != want || lines[0] != want.Line {
					t.Errorf("%s recorded at %s:%d (line %d); want the calling line %s:%d", tt.method, ps[0].File, ps[0].Line, lines[0], want.File, want.Line)
				}
				if c := o.Callers(0); len(c) < 2 || c[0] != want {
					t.Errorf("Callers(0) = %v; want %v first, then its callers", c, want)
				}
			})
		}
	}
	t.Run("every method", func(t *testing.T) {
		typ := reflect.TypeFor[*op.Ops]()
		for i := range typ.NumMethod() {
			name := typ.Method(i).Name
			covered := slices.ContainsFunc(tests, func(c struct {
				method string
				want   op.Op
				record func(o *op.Ops) op.Pos
			}) bool {
				return c.method == name
			})
			if !covered && !slices.Contains(notRecording, name) {
				t.Errorf("op.Ops has method %s with no case here: add one, or list it in notRecording if it records nothing", name)
			}
		}
	})
}

// TestOps_PositionsBatchInner: the operations recorded inside a Batch
// point at the lines of the Batch function.
func TestOps_PositionsBatchInner(t *testing.T) {
	o := op.NewOps()
	var inner []op.Pos
	var want [2]op.Pos
	o.Batch("t", nil, func(b *op.Ops) {
		want[0] = func() op.Pos { b.DropColumn("t", "x"); return here() }()
		want[1] = func() op.Pos { b.Execute("UPDATE t SET y = 1"); return here() }()
		inner = b.Positions()
	})
	if !slices.Equal(inner, want[:]) {
		t.Errorf("positions in the batch = %v; want %v", inner, want)
	}
}

// addAudit is a revision's helper function that records for it.
func addAudit(o *op.Ops, table string) op.Pos { o.AddColumn(table, auditCol); return here() }

var auditCol = schema.Col("audited_at", schema.Date()).Nullable()

// TestOps_CallersThroughHelper: an operation recorded by a helper is at
// the helper's line, and its next caller is the revision's call of the
// helper.
func TestOps_CallersThroughHelper(t *testing.T) {
	o := op.NewOps()
	var inHelper, call, both op.Pos
	func() { inHelper = addAudit(o, "account"); call = here() }()
	a, b := op.DropTable{Table: op.TableName{Name: "a"}}, op.DropTable{Table: op.TableName{Name: "b"}}
	func() { o.Add(a, b); both = here() }()
	c := o.Callers(0)
	if len(c) < 2 || c[0] != inHelper || c[1] != call {
		t.Errorf("Callers(0) = %v; want the helper's line %v, then its call %v", c, inHelper, call)
	}
	if ps := o.Positions(); len(ps) != 3 || ps[0] != inHelper || ps[1] != both || ps[2] != both {
		t.Errorf("Positions = %v; want %v, then %v twice (one Add of two ops)", ps, inHelper, both)
	}
}
