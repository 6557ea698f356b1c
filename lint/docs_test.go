package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	docsBegin = "<!-- rules:begin (generated from the rules' documentation: go test ./lint -run TestLintDocs -update) -->\n"
	docsEnd   = "<!-- rules:end -->\n"
)

var dialectAbbrev = map[string]string{Postgres: "PG", MySQL: "MY", SQLite: "SL"}

// rulesMarkdown is the rules part of docs/lint.md: a table of every
// rule, then one section per rule.
func rulesMarkdown() string {
	var b strings.Builder
	sev := map[Severity]string{Error: "E", Warning: "W", Info: "I", Off: "off (opt-in)"}
	dialects := func(r *Rule) string {
		var ds []string
		for _, d := range r.Dialects {
			ds = append(ds, dialectAbbrev[d])
		}
		return strings.Join(ds, " ")
	}
	b.WriteString("\n| code | rule | sev | dialects | finds |\n|---|---|---|---|---|\n")
	for _, r := range Rules() {
		fmt.Fprintf(&b, "| [%s](#%s-%s) | %s | %s | %s | %s |\n", r.Code, strings.ToLower(r.Code), r.Name, r.Name, sev[r.Severity], dialects(r), r.Summary)
	}
	for _, r := range Rules() {
		fmt.Fprintf(&b, "\n### %s %s\n\n", r.Code, r.Name)
		if r.Severity == Off {
			fmt.Fprintf(&b, "Off by default (opt-in: `[lint.rules] %s = \"info\"` in retort.toml, or \"warning\" or \"error\"); %s.\n\n", r.Code, dialects(r))
		} else {
			fmt.Fprintf(&b, "Severity %s; %s.\n\n", r.Severity, dialects(r))
		}
		fmt.Fprintf(&b, "**What.** %s\n\n**Why.** %s\n\n**Safe alternative.** %s\n\n```sql\n%s\n```\n", r.Doc.What, r.Doc.Why, r.Doc.Safe, r.Doc.SafeSQL)
		if r.Doc.Fires != "" {
			on := r.Doc.Dialect
			if r.Doc.Server != "" {
				on += ", lint.server_version = \"" + r.Doc.Server + "\""
			}
			if r.Severity == Off {
				on += ", the rule enabled"
			}
			if r.Doc.Before != "" {
				fmt.Fprintf(&b, "\nGiven the schema the earlier revisions made (%s):\n\n```sql\n%s\n```\n", r.Doc.Dialect, r.Doc.Before)
			}
			fmt.Fprintf(&b, "\nFires (%s):\n\n```sql\n%s\n```\n\nDoes not fire:\n\n```sql\n%s\n```\n", on, r.Doc.Fires, r.Doc.Passes)
		}
	}
	b.WriteString("\n")
	return b.String()
}

// TestLintDocs keeps docs/lint.md's rule sections equal to the rules'
// documentation (whose examples TestLintRuleExamples lints).
func TestLintDocs(t *testing.T) {
	path := filepath.Join("..", "docs", "lint.md")
	text := syncMarked(t, path, docsBegin, docsEnd, rulesMarkdown(), "rule sections", "TestLintDocs")
	for _, r := range Rules() {
		if !strings.Contains(text, fmt.Sprintf("\n### %s %s\n", r.Code, r.Name)) {
			t.Errorf("%s has no section for %s", path, r.Code)
		}
	}
	if !strings.Contains(text, "retort lint --git-base origin/${{ github.base_ref }} --format github") {
		t.Errorf("%s lacks the GitHub Actions example", path)
	}
}

// syncMarked keeps the part of the file at path between the markers
// begin and end equal to content: with -update it writes it, otherwise
// it reports a difference, naming what the part is and the test that
// rewrites it. It returns the file's text.
func syncMarked(t *testing.T, path, begin, end, content, what, test string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the markers of its %s", path, what)
	}
	want := text[:i+len(begin)] + content + text[j:]
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return want
	}
	if text != want {
		t.Errorf("%s's %s differ from what the tests generate: run go test ./lint -run %s -update", path, what, test)
	}
	return text
}
