package script

import (
	"errors"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"time"
)

// GoFileName is FileName for a Go revision: the same expansion of
// file_template, with ".go" appended. A name the go tool would ignore
// (starting with "_" or ".") is an error. A name that the go tool would
// read as a test file or as built for one system only (a last "_" part
// that is "test", a GOOS or a GOARCH, as in "..._add_windows.go") gets
// an extra "_", so that the revision is compiled everywhere.
func GoFileName(template, rev, message string, t time.Time, truncateSlugLength int) (string, error) {
	stem, err := fileStem(template, rev, message, t, truncateSlugLength)
	if err != nil {
		return "", err
	}
	if constrainedStem(stem) {
		stem += "_"
	}
	name := stem + ".go"
	if strings.ContainsAny(name, "/\\\x00") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
		return "", fmt.Errorf("file_template %q gives %q, which is not a plain Go file name (the go tool ignores names starting with \"_\" or \".\")", template, name)
	}
	return name, nil
}

// knownOS and knownArch are the GOOS and GOARCH values that the go tool
// recognises as file name suffixes (go/build's lists).
var (
	knownOS = []string{"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl",
		"netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos"}
	knownArch = []string{"386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle", "mips64",
		"mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm"}
)

// constrainedStem reports whether a file named stem+".go" is a test file
// or carries an implicit build constraint.
func constrainedStem(stem string) bool {
	parts := strings.Split(stem, "_")
	if len(parts) < 2 {
		return false
	}
	last := parts[len(parts)-1]
	return last == "test" || slices.Contains(knownOS, last) || slices.Contains(knownArch, last)
}

// RenderGo returns the content of a new Go revision file in package pkg
// (the versions package, which declares Registry): an init function that
// adds a script.GoRevision with the header as string literals and empty
// Upgrade and Downgrade functions that return nil, each with a comment
// showing an operation. It is gofmt'd. Values are written as in Render:
// the message's first line only, lists joined with ", ", line breaks in
// other values turned into spaces. pkg must be a Go identifier.
func RenderGo(pkg string, h Header) ([]byte, error) {
	return RenderGoRevision(pkg, h,
		"// o.Execute(\"ALTER TABLE account ADD COLUMN email VARCHAR(255) NULL\")\n",
		"// o.DropColumn(\"account\", \"email\")\n", nil)
}

// Import paths every Go revision file imports.
const (
	opImport     = "github.com/retortdb/retort/op"
	scriptImport = "github.com/retortdb/retort/script"
)

// RenderGoRevision returns the content of a Go revision file as RenderGo
// writes it, with upgrade and downgrade as the statements of the Upgrade
// and Downgrade functions, before their "return nil": Go statements such
// as schemafmt.GoOps writes, or comments; "" leaves a function empty.
// The file imports op, script and imports (what the statements use, as
// GoOps returns them), each once, the standard library's first. It is
// gofmt'd. A body that is not a list of statements (one that closes its
// function, say) or an import path that cannot be quoted as it is, is an
// error.
func RenderGoRevision(pkg string, h Header, upgrade, downgrade string, imports []string) ([]byte, error) {
	if !token.IsIdentifier(pkg) {
		return nil, fmt.Errorf("Go revision package name %q is not a Go identifier", pkg)
	}
	importDecl, err := goImports(imports)
	if err != nil {
		return nil, err
	}
	msg, _, _ := strings.Cut(h.Message, "\n")
	date := ""
	if !h.CreateDate.IsZero() {
		date = h.CreateDate.Format(CreateDateLayout)
	}
	q := strconv.Quote
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\n", pkg)
	b.WriteString(importDecl)
	b.WriteString("func init() {\n\tRegistry.Add(script.GoRevision{\n")
	fmt.Fprintf(&b, "\t\tRevision: %s,\n", q(oneLine(h.Revision)))
	fmt.Fprintf(&b, "\t\tDownRevision: %s,\n", q(joinList(h.DownRevisions)))
	fmt.Fprintf(&b, "\t\tBranchLabels: %s,\n", q(joinList(h.BranchLabels)))
	fmt.Fprintf(&b, "\t\tDependsOn: %s,\n", q(joinList(h.DependsOn)))
	fmt.Fprintf(&b, "\t\tMessage: %s,\n", q(oneLine(msg)))
	fmt.Fprintf(&b, "\t\tCreateDate: %s,\n", q(date))
	for _, fn := range []struct{ name, body string }{{"Upgrade", upgrade}, {"Downgrade", downgrade}} {
		fmt.Fprintf(&b, "\t\t%s: func(o *op.Ops) error {\n", fn.name)
		if fn.body != "" {
			b.WriteString(fn.body)
			if !strings.HasSuffix(fn.body, "\n") {
				b.WriteString("\n")
			}
		}
		b.WriteString("\t\t\treturn nil\n\t\t},\n")
	}
	b.WriteString("\t})\n}\n")
	f, err := parser.ParseFile(token.NewFileSet(), "revision.go", b.String(), parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("render the Go revision: its upgrade or downgrade is not Go statements: %w", err)
	}
	if len(f.Decls) != 2 {
		return nil, errors.New("render the Go revision: its upgrade or downgrade is not a list of statements of one function")
	}
	out, err := format.Source([]byte(b.String()))
	if err != nil {
		return nil, fmt.Errorf("format the new Go revision: %w", err)
	}
	return out, nil
}

// goImports returns the import declaration of a Go revision: op, script
// and paths, each once, sorted, the standard library's in a group of
// their own before the others.
func goImports(paths []string) (string, error) {
	seen := map[string]bool{opImport: true, scriptImport: true}
	for _, p := range paths {
		if p == "" || strings.ContainsAny(p, " \t") || strconv.Quote(p) != `"`+p+`"` {
			return "", fmt.Errorf("render the Go revision: import path %q is not one", p)
		}
		seen[p] = true
	}
	var std, other []string
	for p := range seen {
		if first, _, _ := strings.Cut(p, "/"); strings.Contains(first, ".") {
			other = append(other, p)
		} else {
			std = append(std, p)
		}
	}
	slices.Sort(std)
	slices.Sort(other)
	var b strings.Builder
	b.WriteString("import (\n")
	for _, p := range std {
		fmt.Fprintf(&b, "\t%q\n", p)
	}
	if len(std) > 0 {
		b.WriteString("\n")
	}
	for _, p := range other {
		fmt.Fprintf(&b, "\t%q\n", p)
	}
	b.WriteString(")\n\n")
	return b.String(), nil
}
