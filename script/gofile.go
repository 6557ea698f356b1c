package script

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strconv"
	"strings"

	"github.com/retortdb/retort/internal/textdist"
)

// ScriptImportPath is the import path of this package, whose GoRevision
// literal marks a Go revision file.
const ScriptImportPath = "github.com/retortdb/retort/script"

// goFields maps the header fields of a GoRevision literal to the header
// keys of Script.HeaderLine.
var goFields = []struct{ field, key string }{
	{"Revision", "revision"},
	{"DownRevision", "down_revision"},
	{"BranchLabels", "branch_labels"},
	{"DependsOn", "depends_on"},
	{"Message", "message"},
	{"CreateDate", "create_date"},
}

// goFuncFields are the GoRevision fields that hold code.
var goFuncFields = []string{"Upgrade", "Downgrade"}

// goHeader is what a Go revision file's literal says, besides the Script
// fields: whether it sets Upgrade and Downgrade, and where.
type goHeader struct {
	upgrade, downgrade         bool
	upgradeLine, downgradeLine int
}

// ParseGo parses a Go revision file held in memory: it finds the one
// script.GoRevision composite literal (whatever name the file imports
// package script under) and reads its header fields, which must be
// string literals, with go/parser and without compiling anything. path is
// the display path. A file without such a literal, a file that does not
// parse as Go, and a malformed literal are a *ParseError. The Body's
// sections carry no SQL: Present says whether the literal sets Upgrade
// or Downgrade, Line where. Script.Go is nil until Bind sets it.
func ParseGo(content []byte, path string) (*Script, *Body, error) {
	s, gh, err := parseGo(content, path)
	if err != nil {
		return nil, nil, err
	}
	if s == nil {
		return nil, nil, &ParseError{Path: path, Line: 1, Msg: "no script.GoRevision{...} literal: a Go revision file registers one (Registry.Add(script.GoRevision{Revision: ...}))"}
	}
	s.extras().content = cloneContent(content)
	return s, gh.body(content), nil
}

func (gh *goHeader) body(content []byte) *Body {
	return &Body{
		Checksum:  Checksum(content),
		Upgrade:   Section{Present: gh.upgrade, Line: gh.upgradeLine},
		Downgrade: Section{Present: gh.downgrade, Line: gh.downgradeLine},
	}
}

// parseGo reads the header of a Go file; it returns a nil Script and no
// error when the file has no GoRevision literal (a helper file of the
// versions package, such as registry.go).
func parseGo(content []byte, displayPath string) (*Script, *goHeader, error) {
	fset := token.NewFileSet()
	// The display path is the file name given to the parser, so that its
	// positions print as the path the user sees.
	f, err := parser.ParseFile(fset, displayPath, normalize(content), parser.SkipObjectResolution)
	if err != nil {
		line := 0
		msg := err.Error()
		if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
			line, msg = list[0].Pos.Line, list[0].Msg
		}
		return nil, nil, &ParseError{Path: displayPath, Line: line, Msg: "not valid Go: " + msg}
	}
	names, dot := scriptImportNames(f)
	if len(names) == 0 && !dot {
		return nil, nil, nil
	}
	isRev := func(e ast.Expr) bool {
		switch t := e.(type) {
		case *ast.SelectorExpr:
			x, ok := t.X.(*ast.Ident)
			return ok && t.Sel.Name == "GoRevision" && names[x.Name]
		case *ast.Ident:
			return dot && t.Name == "GoRevision"
		}
		return false
	}
	var lits []*ast.CompositeLit
	var perr *ParseError
	ast.Inspect(f, func(n ast.Node) bool {
		if perr != nil {
			return false
		}
		cl, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		switch t := cl.Type.(type) {
		case *ast.ArrayType:
			if isRev(t.Elt) {
				perr = &ParseError{Path: displayPath, Line: fset.Position(cl.Pos()).Line,
					Msg: "a list of script.GoRevision values; write one script.GoRevision{...} literal per file, so that retort can read its header without compiling"}
			}
		case *ast.MapType:
			if isRev(t.Value) {
				perr = &ParseError{Path: displayPath, Line: fset.Position(cl.Pos()).Line,
					Msg: "a map of script.GoRevision values; write one script.GoRevision{...} literal per file, so that retort can read its header without compiling"}
			}
		}
		if isRev(cl.Type) {
			lits = append(lits, cl)
		}
		return true
	})
	if perr != nil {
		return nil, nil, perr
	}
	switch len(lits) {
	case 0:
		return nil, nil, nil
	case 1:
	default:
		return nil, nil, &ParseError{Path: displayPath, Line: fset.Position(lits[1].Pos()).Line,
			Msg: fmt.Sprintf("second script.GoRevision literal (the first is on line %d); a file holds one revision: move this one to a file of its own",
				fset.Position(lits[0].Pos()).Line)}
	}
	return readGoLiteral(fset, lits[0], displayPath)
}

// scriptImportNames returns the names under which f imports package
// script, and whether it dot-imports it.
func scriptImportNames(f *ast.File) (map[string]bool, bool) {
	names := map[string]bool{}
	dot := false
	for _, im := range f.Imports {
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil || p != ScriptImportPath {
			continue
		}
		switch {
		case im.Name == nil:
			names["script"] = true
		case im.Name.Name == ".":
			dot = true
		case im.Name.Name != "_":
			names[im.Name.Name] = true
		}
	}
	return names, dot
}

// readGoLiteral reads the fields of a GoRevision literal.
func readGoLiteral(fset *token.FileSet, cl *ast.CompositeLit, displayPath string) (*Script, *goHeader, error) {
	s := &Script{Path: displayPath, Format: "go"}
	gh := &goHeader{}
	litLine := fset.Position(cl.Pos()).Line
	seen := map[string]int{}
	for _, elt := range cl.Elts {
		line := fset.Position(elt.Pos()).Line
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return nil, nil, s.errf(line, "script.GoRevision with an unkeyed field; write the fields by name (Revision: \"...\", DownRevision: \"...\")")
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			return nil, nil, s.errf(line, "script.GoRevision field key is not a field name")
		}
		name := key.Name
		if prev, dup := seen[name]; dup {
			return nil, nil, s.errf(line, "field %s given twice (first on line %d)", name, prev)
		}
		seen[name] = line
		if name == "Upgrade" || name == "Downgrade" {
			set := !isNilIdent(kv.Value)
			if name == "Upgrade" {
				gh.upgrade, gh.upgradeLine = set, line
			} else {
				gh.downgrade, gh.downgradeLine = set, line
			}
			continue
		}
		hk := ""
		for _, gf := range goFields {
			if gf.field == name {
				hk = gf.key
			}
		}
		if hk == "" {
			return nil, nil, s.errf(line, "unknown script.GoRevision field %s%s", name, nearestField(name))
		}
		lit, ok := kv.Value.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return nil, nil, s.errf(line, "field %s must be a string literal, so that retort can read it without compiling (write %s: \"...\")", name, name)
		}
		v, err := strconv.Unquote(lit.Value)
		if err != nil {
			return nil, nil, s.errf(line, "field %s: %v", name, err)
		}
		s.setHeader(hk, line, []byte(v))
	}
	if s.HeaderLine("revision") == 0 {
		return nil, nil, s.errf(litLine, "script.GoRevision has no Revision field")
	}
	if s.Revision == "" {
		return nil, nil, s.errf(s.HeaderLine("revision"), "empty revision id")
	}
	if !gh.upgrade {
		line := gh.upgradeLine
		if line == 0 {
			line = litLine
		}
		return nil, nil, s.errf(line, "script.GoRevision has no Upgrade function: every revision needs one (Upgrade: func(o *op.Ops) error { ... })")
	}
	s.extras().gh = gh
	return s, gh, nil
}

func isNilIdent(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "nil"
}

// nearestField suggests the GoRevision field that name is a typo of.
func nearestField(name string) string {
	best, bestD := "", 1<<30
	all := append([]string{}, goFuncFields...)
	for _, gf := range goFields {
		all = append(all, gf.field)
	}
	for _, f := range all {
		if d := textdist.Distance(strings.ToLower(name), strings.ToLower(f)); d < bestD {
			best, bestD = f, d
		}
	}
	if bestD <= 3 {
		return fmt.Sprintf(" (did you mean %s?)", best)
	}
	return "; the fields are Revision, DownRevision, BranchLabels, DependsOn, Message, CreateDate, Upgrade and Downgrade"
}

func cloneContent(content []byte) []byte {
	c := make([]byte, len(content))
	copy(c, content)
	return c
}

// isGoName reports whether n is a Go source file retort reads for a
// revision: "*.go", not a test file.
func isGoName(n string) bool {
	return strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go")
}
