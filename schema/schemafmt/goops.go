package schemafmt

import (
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// GoOpsOptions are the options of GoOps.
type GoOpsOptions struct {
	// Native keeps each column type's Native spelling, written as a
	// schema.Type literal where a type has one. By default types are
	// written as a project declares them, with the constructors and
	// without Native, as Go writes them: no renderer reads Native, so the
	// operations do the same either way.
	Native bool
}

// GoOps returns Go statements that record ops, in order, when they run
// inside a Go revision's function
//
//	func(o *op.Ops) error { <body> return nil }
//
// and the import paths the statements use, sorted ("github.com/retortdb/
// retort/schema", "github.com/retortdb/retort/op", "time" as needed; the
// function's own op import is listed only when the body names op). The
// body is formatted by go/format, without the enclosing function's
// indentation, and ends with a newline unless ops is empty.
//
// Each operation is written as one would write it by hand: with the
// recorder's method where one records exactly that operation
// (o.CreateTable(schema.NewTable(…)), o.AddColumn("t", schema.Col(…)),
// o.AlterColumn("t", op.AlterColumn{…}), o.CreateIndex, o.DropIndex,
// o.DropColumn and o.DropTable without a definition, o.RenameTable,
// o.Execute and o.ExecuteOn), else with o.Add and the operation's struct
// literal; tables, columns, types, indexes and constraints with the
// schema package's builders, as Go writes them. A table of another schema
// is named through o.InSchema("s") or its op.TableName literal. A blank
// line separates the operations of different tables.
//
// The statements record operations equal to ops field by field
// (reflect.DeepEqual), with two exceptions that change nothing an
// operation does: an empty slice or map comes back nil, and types lose
// their Native spelling unless opts.Native is set. BulkInsert, Batch and
// Run, which hold rows or Go code rather than a description, are an
// error, as is a default or Execute argument of a Go type that has no
// literal.
func GoOps(ops []op.Op, opts GoOpsOptions) (body string, imports []string, err error) {
	g := &goWriter{native: opts.Native}
	prev := ""
	for i, o := range ops {
		if o == nil {
			return "", nil, fmt.Errorf("render operations as Go: operation %d is nil", i+1)
		}
		key := opGroup(o)
		if i > 0 && key != prev {
			g.p("\n")
		}
		prev = key
		if err := g.op(o); err != nil {
			return "", nil, fmt.Errorf("render operations as Go: operation %d (%s): %w", i+1, o, err)
		}
	}
	src := g.b.String()
	if g.usesExt {
		src = `// withExt returns t with the dialect attributes ext, for which package
// schema has no builder.
withExt := func(t *schema.Table, ext schema.TableExt) *schema.Table {
	t = t.Clone()
	t.Ext = ext
	return t
}

` + src
	}
	if src == "" {
		return "", nil, nil
	}
	imports, err = bodyImports(src)
	if err != nil {
		return "", nil, fmt.Errorf("render operations as Go: %w", err)
	}
	out, err := format.Source([]byte(src))
	if err != nil {
		return "", nil, fmt.Errorf("render operations as Go: format: %w", err)
	}
	return string(out), imports, nil
}

// bodyImports parses src as the statements of a function and returns
// the import paths of the packages it names.
func bodyImports(src string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "ops.go", "package p\n\nfunc _(o *op.Ops) error {\n"+src+"\nreturn nil\n}\n", 0)
	if err != nil {
		return nil, fmt.Errorf("parse the statements: %w", err)
	}
	fn := f.Decls[0].(*ast.FuncDecl)
	known := map[string]string{
		"op":     "github.com/retortdb/retort/op",
		"schema": "github.com/retortdb/retort/schema",
		"time":   "time",
	}
	seen := map[string]bool{}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && known[id.Name] != "" {
				seen[known[id.Name]] = true
			}
		}
		return true
	})
	var paths []string
	for p := range seen {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths, nil
}

// opGroup is the key that groups consecutive operations without a blank
// line between them: the table they concern, the enum type, or all SQL.
func opGroup(o op.Op) string {
	switch x := o.(type) {
	case op.CreateTable:
		if x.Table != nil {
			return "table " + x.Table.TableName().String()
		}
	case op.CreateEnum:
		return "enum " + x.Enum.String()
	case op.DropEnum:
		return "enum " + x.Enum.String()
	case op.AddEnumValue:
		return "enum " + x.Enum.String()
	case op.Execute:
		return "execute"
	}
	if t, ok := opTable(o); ok {
		return "table " + t.String()
	}
	return ""
}

// opTable returns the table of the operations that have a Table field.
func opTable(o op.Op) (op.TableName, bool) {
	switch x := o.(type) {
	case op.DropTable:
		return x.Table, true
	case op.RenameTable:
		return x.Table, true
	case op.AddColumn:
		return x.Table, true
	case op.DropColumn:
		return x.Table, true
	case op.AlterColumn:
		return x.Table, true
	case op.CreateIndex:
		return x.Table, true
	case op.DropIndex:
		return x.Table, true
	case op.CreatePrimaryKey:
		return x.Table, true
	case op.DropPrimaryKey:
		return x.Table, true
	case op.CreateUnique:
		return x.Table, true
	case op.DropUnique:
		return x.Table, true
	case op.CreateForeignKey:
		return x.Table, true
	case op.DropForeignKey:
		return x.Table, true
	case op.CreateCheck:
		return x.Table, true
	case op.DropCheck:
		return x.Table, true
	case op.SetTableComment:
		return x.Table, true
	case op.SetColumnComment:
		return x.Table, true
	}
	return op.TableName{}, false
}

// recv returns the recorder whose shorthand methods name tables of t's
// schema: o, or a view of it.
func recv(t op.TableName) string {
	if t.Schema == "" {
		return "o"
	}
	return "o.InSchema(" + goString(t.Schema) + ")"
}

// tableName returns the op.TableName literal of t.
func tableName(t op.TableName) string {
	var f fields
	f.str("Schema", t.Schema)
	f.add(true, "Name: "+goString(t.Name))
	return "op.TableName{" + f.String() + "}"
}

// op writes the statement that records o.
func (g *goWriter) op(o op.Op) error {
	switch x := o.(type) {
	case op.CreateTable:
		if x.Table == nil {
			return errors.New("no table")
		}
		g.p("o.CreateTable(")
		if err := g.table(x.Table); err != nil {
			return err
		}
		g.p(")\n")
	case op.DropTable:
		if x.Def == nil {
			g.p("%s.DropTable(%s)\n", recv(x.Table), goString(x.Table.Name))
			return nil
		}
		def, err := sub(g, (*goWriter).table, x.Def)
		if err != nil {
			return err
		}
		g.add("DropTable", "Table: "+tableName(x.Table), "Def: "+def)
	case op.RenameTable:
		g.p("%s.RenameTable(%s, %s)\n", recv(x.Table), goString(x.Table.Name), goString(x.NewName))
	case op.AddColumn:
		c, err := g.column(x.Column)
		if err != nil {
			return err
		}
		g.p("%s.AddColumn(%s, %s)\n", recv(x.Table), goString(x.Table.Name), c)
	case op.DropColumn:
		if x.Def == nil {
			g.p("%s.DropColumn(%s, %s)\n", recv(x.Table), goString(x.Table.Name), goString(x.Column))
			return nil
		}
		c, err := g.column(*x.Def)
		if err != nil {
			return err
		}
		g.add("DropColumn", "Table: "+tableName(x.Table), "Column: "+goString(x.Column), "Def: op.Ptr("+c+")")
	case op.AlterColumn:
		a, err := g.alterColumn(x)
		if err != nil {
			return err
		}
		g.p("%s.AlterColumn(%s, %s)\n", recv(x.Table), goString(x.Table.Name), a)
	case op.CreateIndex:
		if !x.Concurrently {
			g.p("%s.CreateIndex(%s, %s)\n", recv(x.Table), goString(x.Table.Name), index(x.Index))
			return nil
		}
		g.add("CreateIndex", "Table: "+tableName(x.Table), "Index: "+index(x.Index), "Concurrently: true")
	case op.DropIndex:
		if !x.Concurrently {
			g.p("%s.DropIndex(%s, %s)\n", recv(x.Table), goString(x.Table.Name), index(x.Index))
			return nil
		}
		g.add("DropIndex", "Table: "+tableName(x.Table), "Index: "+index(x.Index), "Concurrently: true")
	case op.CreatePrimaryKey:
		g.add("CreatePrimaryKey", "Table: "+tableName(x.Table), "PrimaryKey: "+primaryKey(x.PrimaryKey))
	case op.DropPrimaryKey:
		g.add("DropPrimaryKey", "Table: "+tableName(x.Table), "PrimaryKey: "+primaryKey(x.PrimaryKey))
	case op.CreateUnique:
		g.add("CreateUnique", "Table: "+tableName(x.Table), "Unique: "+unique(x.Unique))
	case op.DropUnique:
		g.add("DropUnique", "Table: "+tableName(x.Table), "Unique: "+unique(x.Unique))
	case op.CreateForeignKey:
		g.add("CreateForeignKey", "Table: "+tableName(x.Table), "ForeignKey: "+foreignKey(x.ForeignKey))
	case op.DropForeignKey:
		g.add("DropForeignKey", "Table: "+tableName(x.Table), "ForeignKey: "+foreignKey(x.ForeignKey))
	case op.CreateCheck:
		g.add("CreateCheck", "Table: "+tableName(x.Table), "Check: "+check(x.Check))
	case op.DropCheck:
		g.add("DropCheck", "Table: "+tableName(x.Table), "Check: "+check(x.Check))
	case op.SetTableComment:
		var f fields
		f.add(true, "Table: "+tableName(x.Table))
		f.add(true, "Comment: "+goString(x.Comment))
		f.add(x.Existing != nil, "Existing: "+ptrString(x.Existing))
		g.add("SetTableComment", f...)
	case op.SetColumnComment:
		var f fields
		f.add(true, "Table: "+tableName(x.Table))
		f.add(true, "Column: "+goString(x.Column))
		f.add(true, "Comment: "+goString(x.Comment))
		f.add(x.Existing != nil, "Existing: "+ptrString(x.Existing))
		g.add("SetColumnComment", f...)
	case op.CreateEnum:
		g.add("CreateEnum", "Enum: "+enumType(x.Enum))
	case op.DropEnum:
		g.add("DropEnum", "Enum: "+enumType(x.Enum))
	case op.AddEnumValue:
		var f fields
		f.add(true, "Enum: "+enumType(x.Enum))
		f.add(true, "Value: "+goString(x.Value))
		f.str("Before", x.Before)
		f.str("After", x.After)
		g.add("AddEnumValue", f...)
	case op.Execute:
		return g.execute(x)
	case op.BulkInsert, op.Batch, op.Run:
		return fmt.Errorf("op.%s has no Go form: write it in the revision by hand", strings.TrimPrefix(fmt.Sprintf("%T", o), "op."))
	default:
		return fmt.Errorf("unknown operation type %T", o)
	}
	return nil
}

// add writes o.Add with the literal of the operation typ.
func (g *goWriter) add(typ string, f ...string) {
	g.p("o.Add(%s)\n", literal("op."+typ, f))
}

// literal returns the composite literal of typ with the fields f: on one
// line, or one field a line when there are more than two or one spans
// lines.
func literal(typ string, f fields) string {
	if len(f) <= 2 && !strings.Contains(f.String(), "\n") {
		return typ + "{" + f.String() + "}"
	}
	return typ + "{\n" + strings.Join(f, ",\n") + ",\n}"
}

// sub returns what write writes of v on a writer of its own, whose
// flags it then shares with g.
func sub[T any](g *goWriter, write func(*goWriter, T) error, v T) (string, error) {
	w := &goWriter{native: g.native}
	if err := write(w, v); err != nil {
		return "", err
	}
	g.usesTime = g.usesTime || w.usesTime
	g.usesExt = g.usesExt || w.usesExt
	return w.b.String(), nil
}

func ptrString(s *string) string {
	if s == nil {
		return "nil"
	}
	return "op.Ptr(" + goString(*s) + ")"
}

// alterColumn returns the op.AlterColumn literal of a, without its Table
// (o.AlterColumn fills it in).
func (g *goWriter) alterColumn(a op.AlterColumn) (string, error) {
	var f fields
	f.add(true, "Column: "+goString(a.Column))
	if a.Type != nil {
		f.add(true, "Type: op.Ptr("+goType(*a.Type, g.native)+")")
	}
	if a.Null != nil {
		f.add(true, "Null: op.Ptr("+strconv.FormatBool(*a.Null)+")")
	}
	if a.Default != nil {
		d, err := g.def(*a.Default)
		if err != nil {
			return "", err
		}
		f.add(true, "Default: op.Ptr("+d+")")
	}
	f.str("NewName", a.NewName)
	f.add(a.Comment != nil, "Comment: "+ptrString(a.Comment))
	if a.Existing != nil {
		c, err := g.column(*a.Existing)
		if err != nil {
			return "", fmt.Errorf("existing column: %w", err)
		}
		f.add(true, "Existing: op.Ptr("+c+")")
	}
	return literal("op.AlterColumn", f), nil
}

// def returns the expression of a default: schema.Value, schema.Expr,
// or the zero Default (which drops one, in AlterColumn).
func (g *goWriter) def(d schema.Default) (string, error) {
	switch d.Kind {
	case schema.NoDefault:
		return "schema.Default{}", nil
	case schema.DefaultExpr:
		return "schema.Expr(" + goString(d.Expr) + ")", nil
	case schema.DefaultValue:
		v, err := g.value(d.Value, "default value")
		if err != nil {
			return "", err
		}
		return "schema.Value(" + v + ")", nil
	}
	return "", fmt.Errorf("unknown default kind %d", d.Kind)
}

// execute writes o.Execute or o.ExecuteOn when one of them records x,
// else the literal.
func (g *goWriter) execute(x op.Execute) error {
	args := make([]string, len(x.Args))
	for i, a := range x.Args {
		v, err := g.value(a, "value")
		if err != nil {
			return fmt.Errorf("argument %d: %w", i+1, err)
		}
		args[i] = v
	}
	sql := goSQL(x.SQL)
	switch {
	case len(x.Args) > 0 || x.Args == nil:
		rest := ""
		if len(args) > 0 {
			rest = ", " + strings.Join(args, ", ")
		}
		switch {
		case x.Dialects == nil:
			g.p("o.Execute(%s%s)\n", sql, rest)
			return nil
		case len(x.Dialects) == 1:
			g.p("o.ExecuteOn(%s, %s%s)\n", goString(x.Dialects[0]), sql, rest)
			return nil
		}
	}
	var f fields
	f.add(true, "SQL: "+sql)
	f.add(x.Args != nil, "Args: []any{"+strings.Join(args, ", ")+"}")
	f.add(x.Dialects != nil, "Dialects: "+goStrings(x.Dialects))
	g.add("Execute", f...)
	return nil
}

// goSQL returns SQL text as a Go string literal: a raw one over several
// lines when it has line breaks and can be one, so that a statement
// reads as it was written; else as goString does.
func goSQL(s string) string {
	if !strings.Contains(s, "\n") || !utf8.ValidString(s) {
		return goString(s)
	}
	for _, l := range strings.Split(s, "\n") {
		if !strconv.CanBackquote(l) {
			return goString(s)
		}
	}
	return "`" + s + "`"
}
