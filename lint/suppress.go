package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Suppression is a suppression a statement carries (Statement.Ignore):
// the rule's code and why it does not apply.
type Suppression struct {
	Code   string
	Reason string
}

// directive is one "retort:ignore" or "retort:ignore-file" comment, or
// one suppression a statement carries.
type directive struct {
	line   int
	file   bool     // ignore-file
	codes  []string // the rules it names
	reason string
	used   bool
	op     bool // a statement's own (Statement.Ignore): it attaches to line
}

// opDirectives reads the suppressions the statements of rev carry
// (Statement.Ignore), one directive per operation line, code and
// reason whatever the number of dialects rendering it. Malformed ones
// are returned as RT904 findings.
func opDirectives(rev *Revision) ([]*directive, []raw) {
	var out []*directive
	var bad []raw
	rt904 := RuleByCode("RT904")
	seen := map[string]bool{}
	for _, d := range slices.Sorted(mapKeys(rev.Statements)) {
		for _, st := range rev.Statements[d] {
			for _, sp := range st.Ignore {
				k := fmt.Sprintf("%d\x00%s\x00%s", st.Line, sp.Code, sp.Reason)
				if seen[k] {
					continue
				}
				seen[k] = true
				code, reason := strings.TrimSpace(sp.Code), strings.TrimSpace(sp.Reason)
				switch {
				case !codeShape.MatchString(code):
					bad = append(bad, raw{rule: rt904, line: st.Line, stmtLine: st.Line, msg: fmt.Sprintf("Ignore(%q, ...) names no rule code: write the code of one rule, as RT301", sp.Code),
						safe: `o.Ignore("RT301", "the table holds 20 rows")`})
				case RuleByCode(code) == nil:
					bad = append(bad, raw{rule: rt904, line: st.Line, stmtLine: st.Line, msg: fmt.Sprintf("Ignore names %s, which is no rule of retort lint", code),
						safe: "docs/lint.md lists the rules"})
				case reason == "":
					bad = append(bad, raw{rule: rt904, line: st.Line, stmtLine: st.Line,
						msg:  fmt.Sprintf("Ignore(%q, \"\") gives no reason, so it suppresses nothing: a reviewer must see why the finding does not apply", code),
						safe: fmt.Sprintf("o.Ignore(%q, \"<why it is safe here>\")", code)})
				default:
					out = append(out, &directive{line: st.Line, codes: []string{code}, reason: reason, op: true})
				}
			}
		}
	}
	return out, bad
}

var codeShape = regexp.MustCompile(`^RT[0-9]{3}$`)

// directives reads the suppression comments of a revision's source: full
// comment lines ("--", "#" or "//") whose text starts with retort:ignore.
// Malformed ones are returned as RT904 findings.
func directives(rev *Revision) ([]*directive, []raw) {
	var out []*directive
	var bad []raw
	rt904 := RuleByCode("RT904")
	for i, ln := range strings.Split(rev.Source, "\n") {
		text, ok := commentText(ln, rev.Go)
		if !ok || !strings.HasPrefix(text, "retort:ignore") {
			continue
		}
		word, rest, _ := strings.Cut(text, " ")
		d := &directive{line: i + 1}
		switch word {
		case "retort:ignore":
		case "retort:ignore-file":
			d.file = true
		default:
			bad = append(bad, raw{rule: rt904, line: i + 1, msg: fmt.Sprintf("%q is no suppression: write retort:ignore (the next statement) or retort:ignore-file (the whole file)", word),
				safe: "-- retort:ignore RT301 the table holds 20 rows"})
			continue
		}
		rest = strings.TrimSpace(rest)
		list, reason, _ := strings.Cut(rest, " ")
		reason = strings.TrimSpace(reason)
		// "RT301, RT302 reason": codes separated by commas, spaces allowed after them.
		for strings.HasSuffix(list, ",") {
			var more string
			more, reason, _ = strings.Cut(reason, " ")
			list += more
			reason = strings.TrimSpace(reason)
		}
		valid := list != ""
		for _, c := range strings.Split(list, ",") {
			c = strings.TrimSpace(c)
			switch {
			case !codeShape.MatchString(c):
				bad = append(bad, raw{rule: rt904, line: i + 1, msg: fmt.Sprintf("%s names no rule code (%q): write the codes first, comma-separated, then the reason", word, c),
					safe: "-- " + word + " RT301 the table holds 20 rows"})
				valid = false
			case RuleByCode(c) == nil:
				bad = append(bad, raw{rule: rt904, line: i + 1, msg: fmt.Sprintf("%s names %s, which is no rule of retort lint", word, c),
					safe: "docs/lint.md lists the rules"})
				valid = false
			default:
				d.codes = append(d.codes, c)
			}
			if !valid {
				break
			}
		}
		if !valid {
			continue
		}
		if reason == "" {
			bad = append(bad, raw{rule: rt904, line: i + 1,
				msg:  fmt.Sprintf("%s %s gives no reason, so it suppresses nothing: a reviewer must see why the finding does not apply", word, strings.Join(d.codes, ",")),
				safe: fmt.Sprintf("-- %s %s <why it is safe here>", word, strings.Join(d.codes, ","))})
			continue
		}
		d.reason = reason
		out = append(out, d)
	}
	return out, bad
}

// commentText returns the text of a line that is only a comment, trimmed.
func commentText(line string, goFile bool) (string, bool) {
	t := strings.TrimSpace(line)
	prefixes := []string{"--", "#"}
	if goFile {
		prefixes = []string{"//"}
	}
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(t, p); ok {
			return strings.TrimSpace(rest), true
		}
	}
	return "", false
}

// suppress drops the findings that a directive covers and adds RT902
// for the directives that covered none and RT904 for the malformed ones.
// lines are the report lines of each dialect's statements.
func suppress(rev *Revision, found []raw, lines map[string][]int, s *Settings) []raw {
	dirs, bad := directives(rev)
	opDirs, opBad := opDirectives(rev)
	dirs, bad = append(dirs, opDirs...), append(bad, opBad...)
	if len(dirs) == 0 && len(bad) == 0 {
		return found
	}
	src := strings.Split(rev.Source, "\n")
	// target[d][k] is the statement line directive k attaches to in dialect d.
	target := func(d *directive, dialect string) int {
		if d.op {
			return d.line
		}
		best := 0
		for _, l := range lines[dialect] {
			if l > d.line && (best == 0 || l < best) {
				best = l
			}
		}
		if best == 0 {
			return 0
		}
		// Only comments and blank lines may stand between them.
		for l := d.line + 1; l < best && l <= len(src); l++ {
			if t := strings.TrimSpace(src[l-1]); t != "" {
				if _, ok := commentText(t, rev.Go); !ok {
					return 0
				}
			}
		}
		return best
	}
	var kept []raw
	for _, f := range found {
		if f.rule.Code == "RT904" || f.rule.Code == "RT902" {
			kept = append(kept, f)
			continue
		}
		hit := false
		for _, d := range dirs {
			if !slices.Contains(d.codes, f.rule.Code) {
				continue
			}
			if d.file || target(d, f.dialect) == f.stmtLine && f.stmtLine != 0 || f.dialect == "" && anyTarget(d, lines, target) == f.stmtLine {
				d.used, hit = true, true
			}
		}
		if !hit {
			kept = append(kept, f)
		}
	}
	kept = append(kept, bad...)
	rt902 := RuleByCode("RT902")
	if sev := s.severity(rt902); sev != Off {
		for _, d := range dirs {
			if d.used || allOff(d.codes, s) {
				continue
			}
			if d.op {
				kept = append(kept, raw{rule: rt902, sev: sev, line: d.line, stmtLine: d.line,
					msg:  fmt.Sprintf("Ignore(%q, ...) matches no finding of this operation: the problem was fixed, or the Ignore is on another operation than the one it is for", d.codes[0]),
					safe: "remove the Ignore, or move it to the operation it is for"})
				continue
			}
			kind := "the statement after it"
			if d.file {
				kind = "this file"
			}
			kept = append(kept, raw{rule: rt902, sev: sev, line: d.line, stmtLine: d.line,
				msg:  fmt.Sprintf("this suppression of %s matches no finding in %s: the problem was fixed, or the comment is in the wrong place", strings.Join(d.codes, ","), kind),
				safe: "remove the comment, or put it on the lines right above the statement it is for"})
		}
	}
	rt904 := RuleByCode("RT904")
	sev904 := s.severity(rt904)
	out := kept[:0]
	for _, f := range kept {
		if f.rule == rt904 {
			if sev904 == Off {
				continue
			}
			f.sev = sev904
		}
		out = append(out, f)
	}
	return out
}

// anyTarget is the line a directive attaches to in the first dialect
// that has one, for findings of no dialect (problems).
func anyTarget(d *directive, lines map[string][]int, target func(*directive, string) int) int {
	for _, dl := range allDialects {
		if _, ok := lines[dl]; ok {
			if t := target(d, dl); t != 0 {
				return t
			}
		}
	}
	return d.line + 1
}

func allOff(codes []string, s *Settings) bool {
	for _, c := range codes {
		if s.severity(RuleByCode(c)) != Off {
			return false
		}
	}
	return true
}
