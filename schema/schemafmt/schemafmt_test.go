package schemafmt_test

import (
	"bytes"
	"context"

	"flag"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/schema/schemafmt"
)

var update = flag.Bool("update", false, "rewrite the golden files (testdata/*, internal/gen/*/schema.go and internal/genops/*/ops.go)")

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it); got:\n%s", path, got)
	}
}

func dialects() []dialect.Dialect {
	return []dialect.Dialect{sqlite.New(), postgres.New(), mysql.New()}
}

// sqlCase is a case rendered as SQL on a dialect.
type sqlCase struct {
	testCase
	d dialect.Dialect
}

// sqlCases are the cases and the dialects that render them as SQL.
func sqlCases() []sqlCase {
	var out []sqlCase
	for _, c := range testCases() {
		for _, d := range dialects() {
			if c.sqlOn == nil || slices.Contains(c.sqlOn, d.Name()) {
				out = append(out, sqlCase{c, d})
			}
		}
	}
	return out
}

func TestEncodeJSON_Golden(t *testing.T) {
	for _, c := range testCases() {
		t.Run(c.name, func(t *testing.T) {
			got, err := schemafmt.EncodeJSON(c.s)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", c.name+".json"), got)
		})
	}
}

func TestDecodeJSON_RoundTrip(t *testing.T) {
	for _, c := range testCases() {
		t.Run(c.name, func(t *testing.T) {
			b, err := schemafmt.EncodeJSON(c.s)
			if err != nil {
				t.Fatal(err)
			}
			back, err := schemafmt.DecodeJSON(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if !back.Equal(c.s) {
				t.Errorf("decode(encode(s)) differs from s:\n%s", b)
			}
			again, err := schemafmt.EncodeJSON(back)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, b) {
				t.Errorf("encoding the decoded schema differs:\n%s\nfirst:\n%s", again, b)
			}
		})
	}
}

func TestEncodeJSON_SortsTables(t *testing.T) {
	s := &schema.Schema{
		Tables: []*schema.Table{schema.NewTable("b"), schema.NewTable("a").InSchema("z"), schema.NewTable("a")},
		Enums:  []schema.EnumType{{Name: "y"}, {Name: "x"}},
	}
	b, err := schemafmt.EncodeJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := schemafmt.DecodeJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range back.Tables {
		names = append(names, tb.TableName().String())
	}
	if got := strings.Join(names, " "); got != "a b z.a" {
		t.Errorf("tables in the order %s, want a b z.a", got)
	}
	if back.Enums[0].Name != "x" || back.Enums[1].Name != "y" {
		t.Errorf("enums in the order %v, want x y", back.Enums)
	}
}

func TestDecodeJSON_Errors(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"unknown field", `{"tables": [{"name": "a", "colour": "red"}]}`, `unknown field "colour"`},
		{"unknown kind", `{"tables": [{"name": "a", "columns": [{"name": "c", "type": {"kind": "Money"}}]}]}`, `unknown type kind "Money"`},
		{"unknown go_type", `{"tables": [{"name": "a", "columns": [{"name": "c", "type": {"kind": "Integer"}, "default": {"value": 1, "go_type": "complex128"}}]}]}`, `unknown go_type "complex128"`},
		{"value out of range", `{"tables": [{"name": "a", "columns": [{"name": "c", "type": {"kind": "Integer"}, "default": {"value": 300, "go_type": "int8"}}]}]}`, "out of range"},
		{"value and expr", `{"tables": [{"name": "a", "columns": [{"name": "c", "type": {"kind": "Integer"}, "default": {"expr": "1", "value": 1, "go_type": "int"}}]}]}`, "both an expr and a go_type"},
		{"two values", `{} {}`, "more than one value"},
		{"not JSON", `{"tables": [`, "decode schema JSON"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := schemafmt.DecodeJSON(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestEncodeJSON_UnknownValueType(t *testing.T) {
	s := &schema.Schema{Tables: []*schema.Table{
		schema.NewTable("a", schema.Col("c", schema.Integer()).Default(schema.Value(struct{}{}))),
	}}
	_, err := schemafmt.EncodeJSON(s)
	if err == nil || !strings.Contains(err.Error(), "table a: column c: default value of type struct {}") {
		t.Errorf("error %v, want one naming the table, the column and the type", err)
	}
}

func TestSQL_Golden(t *testing.T) {
	ctx := context.Background()
	for _, c := range sqlCases() {
		t.Run(c.name+"/"+c.d.Name(), func(t *testing.T) {
			got, err := schemafmt.SQL(ctx, c.d, c.s, schemafmt.SQLOptions{})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", c.name+"."+c.d.Name()+".sql"), []byte(got))
		})
	}
}

// TestOps_Order checks the order of the operations on the cycle: author
// and book refer to each other, review to book.
func TestOps_Order(t *testing.T) {
	var got []string
	for _, o := range schemafmt.Ops(cycleSchema()) {
		got = append(got, o.String())
	}
	want := []string{
		"create table book",
		"create table author",
		"create table review",
		"create foreign key on book (author_id) -> author (id)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("operations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	ops := schemafmt.Ops(cycleSchema())
	if book := ops[0].(op.CreateTable).Table; len(book.ForeignKeys) != 0 {
		t.Errorf("book is created with its foreign keys %v; the one to author closes the cycle", book.ForeignKeys)
	}
	if author := ops[1].(op.CreateTable).Table; len(author.ForeignKeys) != 1 {
		t.Errorf("author is created with %v, want its key to book", author.ForeignKeys)
	}
}

// TestOps_Enums checks that enum types come first, those only columns
// name included, and that a table keeps its indexes.
func TestOps_Enums(t *testing.T) {
	var got []string
	ops := schemafmt.Ops(enumSchema())
	for _, o := range ops {
		got = append(got, o.String())
	}
	want := "create enum mood\ncreate enum shirt_size\ncreate table person"
	if strings.Join(got, "\n") != want {
		t.Errorf("operations:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
	if n := len(ops[2].(op.CreateTable).Table.Indexes); n != 2 {
		t.Errorf("person is created with %d indexes, want its 2", n)
	}
}

func TestSQL_Unrenderable(t *testing.T) {
	_, err := schemafmt.SQL(context.Background(), sqlite.New(), reflectedSchema(), schemafmt.SQLOptions{})
	if err == nil || !strings.Contains(err.Error(), "render schema as sqlite SQL: create table shop.gadget") {
		t.Errorf("error %v, want one naming the dialect and the operation", err)
	}
}

func TestGo_Golden(t *testing.T) {
	for _, c := range testCases() {
		t.Run(c.name, func(t *testing.T) {
			got, err := schemafmt.Go(c.s, schemafmt.GoOptions{Package: c.name,
				Doc: "Schema returns the " + c.name + " test schema.\n\nGenerated by TestGo_Golden (go test -update); TestGo_Builds checks it."})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := parser.ParseFile(token.NewFileSet(), "schema.go", got, 0); err != nil {
				t.Fatalf("the source does not parse: %v\n%s", err, got)
			}
			golden(t, filepath.Join("internal", "gen", c.name, "schema.go"), got)
		})
	}
}

func TestGo_Options(t *testing.T) {
	got, err := schemafmt.Go(selfRefSchema(), schemafmt.GoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"package target\n", "// Schema returns the schema.\nfunc Schema() *schema.Schema {"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	if _, err := schemafmt.Go(selfRefSchema(), schemafmt.GoOptions{Package: "my-pkg"}); err == nil {
		t.Error("a package name that is no identifier is accepted")
	}
	bad := &schema.Schema{Tables: []*schema.Table{
		schema.NewTable("a", schema.Col("c", schema.Integer()).Default(schema.Value(struct{}{}))),
	}}
	if _, err := schemafmt.Go(bad, schemafmt.GoOptions{}); err == nil || !strings.Contains(err.Error(), "table a: column c: default value of type struct {} has no Go literal") {
		t.Errorf("error %v, want one naming the table, column and type", err)
	}
}

// declared is s as the Go form builds it: every Type.Native cleared.
func declared(s *schema.Schema) *schema.Schema {
	out := &schema.Schema{Name: s.Name, Enums: s.Enums}
	for _, t := range s.Tables {
		c := t.Clone()
		for i := range c.Columns {
			c.Columns[i].Type.Native = ""
		}
		out.Tables = append(out.Tables, c)
	}
	return out
}
