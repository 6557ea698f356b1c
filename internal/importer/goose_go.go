package importer

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
)

// gooseRegisters are goose's functions that register a Go migration, by
// whether their first argument is the file name (the Named ones).
var gooseRegisters = map[string]bool{
	"AddMigration": false, "AddMigrationContext": false, "AddMigrationNoTx": false, "AddMigrationNoTxContext": false,
	"AddNamedMigration": true, "AddNamedMigrationContext": true, "AddNamedMigrationNoTx": true, "AddNamedMigrationNoTxContext": true,
}

// gooseGo reads a goose Go migration into the skeleton of its revision:
// the functions its goose.AddMigration… call registers, each with its
// source. line is the line of that call (1 when there is none).
func gooseGo(fsys fs.FS, name string) (sk *Skeleton, line int, warns []Warning, err error) {
	text, err := readText(fsys, name)
	if err != nil {
		return nil, 0, nil, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, text, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		e := &Error{Path: name, Msg: fmt.Sprintf("not Go that compiles, so goose's program cannot be built with it: %v", err)}
		if el, ok := err.(interface{ Unwrap() []error }); ok && len(el.Unwrap()) > 0 {
			e.Msg = fmt.Sprintf("not Go that compiles, so goose's program cannot be built with it: %v", el.Unwrap()[0])
		}
		return nil, 0, nil, e
	}
	// src is a node's text, its lines after the first without the
	// indentation of the line it starts on.
	src := func(n ast.Node) string {
		start := fset.Position(n.Pos()).Offset
		lineStart := strings.LastIndex(text[:start], "\n") + 1
		indent := text[lineStart:start]
		indent = indent[:len(indent)-len(strings.TrimLeft(indent, " \t"))]
		lines := strings.Split(text[start:fset.Position(n.End()).Offset], "\n")
		for i := 1; i < len(lines); i++ {
			lines[i] = strings.TrimPrefix(lines[i], indent)
		}
		return strings.Join(lines, "\n")
	}
	var calls []*ast.CallExpr
	var reg []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		fn := ""
		switch x := call.Fun.(type) {
		case *ast.SelectorExpr:
			fn = x.Sel.Name
		case *ast.Ident:
			fn = x.Name
		}
		if _, ok := gooseRegisters[fn]; ok {
			calls = append(calls, call)
			reg = append(reg, fn)
		}
		return true
	})
	if len(calls) > 1 {
		return nil, 0, nil, &Error{Path: name, Line: fset.Position(calls[1].Pos()).Line,
			Msg: fmt.Sprintf("a second goose.%s: goose refuses two migrations of one file (one version)", reg[1])}
	}
	sk = &Skeleton{Why: "A goose Go migration, which import cannot translate"}
	if len(calls) == 0 {
		sk.Up = SkeletonFunc{From: "the goose file " + name + ", which registers no migration (no goose.AddMigration call)", Source: text}
		sk.Down = SkeletonFunc{None: true}
		warns = append(warns, Warning{Path: name, Line: 1, Msg: "a Go migration without a goose.AddMigration call: its revision is a Go skeleton holding the whole file as a comment, to write by hand"})
		return sk, 1, warns, nil
	}
	call := calls[0]
	line = fset.Position(call.Pos()).Line
	if strings.Contains(reg[0], "NoTx") {
		sk.Why = fmt.Sprintf("A goose Go migration that goose ran outside a transaction (%s), which import cannot translate", reg[0])
	}
	args := call.Args
	want := 2
	if gooseRegisters[reg[0]] {
		want = 3
	}
	if len(args) != want {
		return nil, 0, nil, &Error{Path: name, Line: line, Msg: fmt.Sprintf("goose.%s with %d arguments: goose's takes %d", reg[0], len(args), want)}
	}
	funcs := map[string]*ast.FuncDecl{}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
			funcs[fd.Name.Name] = fd
		}
	}
	read := func(e ast.Expr, dir string) SkeletonFunc {
		switch x := e.(type) {
		case *ast.Ident:
			if x.Name == "nil" {
				return SkeletonFunc{None: true}
			}
			if fd := funcs[x.Name]; fd != nil {
				start := ast.Node(fd)
				code := src(fd)
				if fd.Doc != nil {
					code = src(fd.Doc) + "\n" + code
					start = fd.Doc
				}
				return SkeletonFunc{From: fmt.Sprintf("goose's %s, %s (%s:%d)", dir, x.Name, name, fset.Position(start.Pos()).Line), Source: code}
			}
			return SkeletonFunc{From: fmt.Sprintf("goose's %s, %s, is not declared in %s (another file of its package); the file", dir, x.Name, name), Source: text}
		case *ast.FuncLit:
			return SkeletonFunc{From: fmt.Sprintf("goose's %s, a function literal (%s:%d)", dir, name, fset.Position(x.Pos()).Line), Source: src(x)}
		}
		return SkeletonFunc{From: fmt.Sprintf("goose's %s, %s (%s:%d); the file", dir, src(e), name, fset.Position(e.Pos()).Line), Source: text}
	}
	sk.Up = read(args[want-2], "up")
	sk.Down = read(args[want-1], "down")
	if sk.Up.None {
		// goose runs nothing and records the version: so does the revision.
		sk.Up = SkeletonFunc{Body: "\t\t\t// goose's up function is nil: goose ran nothing here.\n"}
	}
	return sk, line, warns, nil
}
