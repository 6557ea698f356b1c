package oracle

// Pure helpers of the conformance test: splitting a step, normalising
// outputs where Alembic's order is not stable, and checking that a run of
// migrations respects the revision graph. Unit-tested in helpers_test.go.

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// strList is a JSON null, string or list of strings.
type strList []string

func (l *strList) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*l = strList{s}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("want null, a string or a list of strings, got %s", b)
	}
	*l = list
	return nil
}

// shlexSplit splits a command line like a POSIX shell: blanks separate
// words; 'single quotes' are literal; in "double quotes" a backslash
// escapes only \ " $ ` and newline; elsewhere it escapes any character.
func shlexSplit(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t', '\n':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case '\\':
			if i+1 == len(s) {
				return nil, errors.New("trailing backslash")
			}
			i++
			if s[i] != '\n' { // backslash-newline joins lines
				w.WriteByte(s[i])
			}
			inWord = true
		case '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, errors.New("unterminated ' quote")
			}
			w.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\\\"$`\n", s[i+1]) >= 0 {
					i++
					if s[i] == '\n' {
						continue
					}
				}
				w.WriteByte(s[i])
			}
			if i == len(s) {
				return nil, errors.New(`unterminated " quote`)
			}
			inWord = true
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// cleanLines right-strips every line and drops trailing empty lines.
func cleanLines(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimRight(l, " \t\r")
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// splitOutput splits a program's output into clean lines.
func splitOutput(s string) []string {
	if s == "" {
		return nil
	}
	return cleanLines(strings.Split(s, "\n"))
}

var labelGroup = regexp.MustCompile(`\(([^()]*,[^()]*)\)`)

// sortLabelGroups sorts the names of every parenthesised group of two or
// more names, "(c1lib, lib1)": Alembic prints label and dependency sets in
// hash order.
func sortLabelGroups(line string) string {
	return labelGroup.ReplaceAllStringFunc(line, func(g string) string {
		names := strings.Split(g[1:len(g)-1], ",")
		for i := range names {
			names[i] = strings.TrimSpace(names[i])
		}
		slices.Sort(names)
		return "(" + strings.Join(names, ", ") + ")"
	})
}

// isChildLine reports whether l is a child line of `branches`: the parent's
// width of blanks, then "-> child".
func isChildLine(l string) bool {
	return strings.HasPrefix(l, " ") && strings.HasPrefix(strings.TrimLeft(l, " "), "->")
}

// sortChildLines sorts each run of consecutive child lines (the children of
// one branch point), which Alembic lists in hash order.
func sortChildLines(lines []string) []string {
	out := slices.Clone(lines)
	for i := 0; i < len(out); i++ {
		j := i
		for j < len(out) && isChildLine(out[j]) {
			j++
		}
		slices.Sort(out[i:j])
		i = max(i, j-1)
	}
	return out
}

// volatilePrefixes start the lines of verbose output that name paths,
// dates or URLs of the machine Alembic ran on: only the prefix is compared.
var volatilePrefixes = []string{"Path:", "    Create Date:", "Current revision(s) for "}

func maskVolatile(line string) string {
	for _, p := range volatilePrefixes {
		if strings.HasPrefix(line, p) {
			return p + " <…>"
		}
	}
	return line
}

// listingCommands print what Alembic's do; their stdout is compared.
var listingCommands = map[string]bool{"heads": true, "history": true, "current": true, "branches": true, "show": true}

// normalizeListing prepares the stdout of a listing command for comparison.
func normalizeListing(command string, verbose bool, lines []string) []string {
	out := cleanLines(lines)
	for i, l := range out {
		out[i] = sortLabelGroups(maskVolatile(l))
	}
	switch {
	case command == "current" && !verbose:
		slices.Sort(out)
	case command == "branches":
		out = sortChildLines(out)
	}
	return out
}

// sqlSkeleton keeps, in order, the lines of a --sql script that must match
// Alembic's: the "-- Running ..." comments and the migration bodies. The
// version-table statements and transaction control are retort's own.
func sqlSkeleton(lines []string) []string {
	var out []string
	for _, l := range cleanLines(lines) {
		if strings.HasPrefix(l, "-- Running ") || strings.HasPrefix(l, "INSERT INTO oracle_log") {
			out = append(out, l)
		}
	}
	return out
}

// ancestry maps each revision id to every revision it comes after on the
// way up: its down revisions and depends_on targets, transitively. A
// depends_on naming a branch label stands for the revision declaring it.
func ancestry(revs []revisionSpec) map[string]map[string]bool {
	isRev, byLabel := map[string]bool{}, map[string]string{}
	for _, r := range revs {
		isRev[r.ID] = true
		for _, l := range r.Labels {
			byLabel[l] = r.ID
		}
	}
	direct := map[string][]string{}
	for _, r := range revs {
		direct[r.ID] = append(direct[r.ID], r.Down...)
		for _, d := range r.DependsOn {
			if !isRev[d] && byLabel[d] != "" {
				d = byLabel[d]
			}
			direct[r.ID] = append(direct[r.ID], d)
		}
	}
	anc := map[string]map[string]bool{}
	for id := range direct {
		seen := map[string]bool{}
		stack := slices.Clone(direct[id])
		for len(stack) > 0 {
			a := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !seen[a] {
				seen[a] = true
				stack = append(stack, direct[a]...)
			}
		}
		anc[id] = seen
	}
	return anc
}

// checkRanOrder accepts got if it holds the same migrations as want, in an
// order that respects the graph: "up:X" after the up: of X's ancestors,
// "down:X" before the down: of X's ancestors.
func checkRanOrder(got, want []string, anc map[string]map[string]bool) error {
	g, w := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	if !slices.Equal(g, w) {
		return fmt.Errorf("not the same migrations (in any order): want %v, got %v", w, g)
	}
	for i, a := range got {
		for _, b := range got[i+1:] {
			dirA, idA, _ := strings.Cut(a, ":")
			dirB, idB, _ := strings.Cut(b, ":")
			switch {
			case dirA != dirB:
			case dirA == "up" && anc[idA][idB]:
				return fmt.Errorf("%s ran before %s, but %s is an ancestor of %s", a, b, idB, idA)
			case dirA == "down" && anc[idB][idA]:
				return fmt.Errorf("%s ran before %s, but %s is an ancestor of %s", a, b, idA, idB)
			}
		}
	}
	return nil
}

// permuteLog reorders wantLog, whose lines answer wantRan one to one, into
// the order of gotRan. ok is false when that correspondence does not hold.
func permuteLog(wantRan, wantLog, gotRan []string) (log []string, ok bool) {
	if len(wantRan) != len(wantLog) || len(gotRan) != len(wantRan) {
		return nil, false
	}
	line := map[string]string{}
	for i, r := range wantRan {
		line[r] = wantLog[i]
	}
	for _, r := range gotRan {
		l, found := line[r]
		if !found {
			return nil, false
		}
		log = append(log, l)
	}
	return log, true
}

// describeDiff shows want and got in full when short, else the first
// difference.
func describeDiff(want, got []string) string {
	const short = 40
	if len(want) <= short && len(got) <= short {
		return "want:\n" + indent(want) + "got:\n" + indent(got)
	}
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	at := func(l []string) string {
		if i < len(l) {
			return fmt.Sprintf("%q", l[i])
		}
		return "(end)"
	}
	return fmt.Sprintf("%d lines wanted, %d got; first difference at line %d:\n    want %s\n    got  %s\n",
		len(want), len(got), i+1, at(want), at(got))
}

func indent(lines []string) string {
	if len(lines) == 0 {
		return "    (nothing)\n"
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("    | " + l + "\n")
	}
	return b.String()
}
