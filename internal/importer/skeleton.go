package importer

import (
	"fmt"
	"go/format"
	"go/token"
	"strconv"
	"strings"

	"github.com/retortdb/retort/script"
)

// Skeleton is a revision whose code import cannot translate: a goose Go
// migration, an Alembic revision that Alembic cannot render offline. It
// becomes a Go revision at its place in the graph whose Upgrade and
// Downgrade hold the source's code as a comment and return an error
// until the user writes them, so that nothing runs silently as a no-op.
type Skeleton struct {
	Why      string // what the source is, the start of a sentence ("A goose Go migration, which import cannot translate")
	Up, Down SkeletonFunc
}

// SkeletonFunc is one direction of a skeleton.
type SkeletonFunc struct {
	From   string // what Source is, for the comment: "goose's upBackfill (00008_backfill.go:12)"
	Source string // the source's code, kept as a comment; the function fails until written
	Body   string // instead of Source: Go statements that do it already (a direction Alembic rendered)
	None   bool   // the source has no code for it: no function (the revision cannot be downgraded)
}

// skeletonMark opens the comment of a skeleton's file: import --force
// recognises the Go revisions import wrote by it.
const skeletonMark = "// retort import: a Go revision skeleton of "

// IsSkeletonFile reports whether the content of a Go revision file is a
// skeleton that import wrote (whether or not its functions were written
// since): import --force may replace it.
func IsSkeletonFile(content []byte) bool {
	return strings.Contains(string(content), "\n"+skeletonMark)
}

// renderSkeleton renders the Go revision file of r, a skeleton, in
// package pkg, with header h.
func renderSkeleton(toolName, pkg string, r Revision, h script.Header) ([]byte, error) {
	if !token.IsIdentifier(pkg) {
		return nil, fmt.Errorf("the revision of %s is a Go revision skeleton, and the package of the script location is not known (%q)", r.Path, pkg)
	}
	sk := r.Skeleton
	q := strconv.Quote
	date := ""
	if !h.CreateDate.IsZero() {
		date = h.CreateDate.Format(script.CreateDateLayout)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\nimport (\n", pkg)
	needsErrors := sk.Up.Body == "" || (!sk.Down.None && sk.Down.Body == "")
	if needsErrors {
		b.WriteString("\t\"errors\"\n\n")
	}
	b.WriteString("\t\"github.com/retortdb/retort/op\"\n\t\"github.com/retortdb/retort/script\"\n)\n\n")
	fmt.Fprintf(&b, "%s%s %s (%s)\n", skeletonMark, toolName, r.Path, versionWord(toolName)+" "+r.Version)
	b.WriteString("//\n")
	for _, l := range wrapComment(fmt.Sprintf("%s. Each function that the source's code could not become holds that code as a comment and returns an error, so that upgrading or downgrading through this revision stops there until you write it with the operations of package op (o.Execute for SQL, o.Run for Go code that reads data) and delete the error.", sk.Why), 76) {
		b.WriteString("// " + l + "\n")
	}
	b.WriteString("\nfunc init() {\n\tRegistry.Add(script.GoRevision{\n")
	fmt.Fprintf(&b, "\t\tRevision: %s,\n", q(h.Revision))
	fmt.Fprintf(&b, "\t\tDownRevision: %s,\n", q(strings.Join(h.DownRevisions, ", ")))
	fmt.Fprintf(&b, "\t\tBranchLabels: %s,\n", q(strings.Join(h.BranchLabels, ", ")))
	fmt.Fprintf(&b, "\t\tDependsOn: %s,\n", q(strings.Join(h.DependsOn, ", ")))
	msg, _, _ := strings.Cut(h.Message, "\n")
	fmt.Fprintf(&b, "\t\tMessage: %s,\n", q(msg))
	fmt.Fprintf(&b, "\t\tCreateDate: %s,\n", q(date))
	for _, fn := range []struct {
		name string
		f    SkeletonFunc
	}{{"Upgrade", sk.Up}, {"Downgrade", sk.Down}} {
		if fn.f.None {
			continue
		}
		fmt.Fprintf(&b, "\t\t%s: func(o *op.Ops) error {\n", fn.name)
		if fn.f.Body != "" {
			b.WriteString(strings.TrimRight(fn.f.Body, "\n") + "\n\t\t\treturn nil\n\t\t},\n")
			continue
		}
		if fn.f.From != "" {
			fmt.Fprintf(&b, "\t\t\t// %s:\n", fn.f.From)
		}
		if fn.f.Source != "" {
			b.WriteString("\t\t\t//\n")
			for l := range strings.SplitSeq(strings.TrimRight(fn.f.Source, "\n"), "\n") {
				if strings.TrimSpace(l) == "" {
					b.WriteString("\t\t\t//\n")
					continue
				}
				b.WriteString("\t\t\t//\t" + strings.TrimRight(l, " \t") + "\n")
			}
		}
		msg := fmt.Sprintf(SkeletonUnwritten+"%s %s; write its %s from the source it holds as a comment, and delete this error", toolName, r.Path, fn.name)
		fmt.Fprintf(&b, "\t\t\treturn errors.New(%s)\n\t\t},\n", q(msg))
	}
	b.WriteString("\t})\n}\n")
	out, err := format.Source([]byte(b.String()))
	if err != nil {
		return nil, fmt.Errorf("format the Go revision skeleton of %s: %w", r.Path, err)
	}
	return out, nil
}

// versionWord is what the tool calls its versions.
func versionWord(toolName string) string {
	if toolName == "alembic" {
		return "revision"
	}
	return "version"
}

// wrapComment cuts text into lines of at most width characters at spaces.
func wrapComment(text string, width int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			out = append(out, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// goString is s as a Go string literal: a raw string when it can be one.
func goString(s string) string {
	if !strings.Contains(s, "`") && !strings.Contains(s, "\r") {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}
