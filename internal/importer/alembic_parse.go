package importer

import (
	"fmt"
	"strings"
	"time"
)

// parseAlembic reads the graph of one Alembic revision file from its
// module-level assignments (with or without the annotations Alembic 1.11
// writes, "revision: str = ..."), and its message and create date from
// the module docstring.
func parseAlembic(text, path string) (*alembicRev, error) {
	r := &alembicRev{path: path, source: text}
	vals := map[string][]string{}
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		name, expr, ok := pyAssignment(lines[i])
		if !ok {
			continue
		}
		switch name {
		case "revision", "down_revision", "branch_labels", "depends_on":
		default:
			continue
		}
		start := i + 1
		for depth(expr) > 0 && i+1 < len(lines) { // a tuple or list over several lines
			i++
			expr += "\n" + lines[i]
		}
		v, err := pyStrings(expr)
		if err != nil {
			return nil, &Error{Path: path, Line: start, Msg: fmt.Sprintf("%s: %v; import reads strings, None, and tuples or lists of strings", name, err)}
		}
		vals[name] = v
	}
	rev, ok := vals["revision"]
	if !ok || len(rev) != 1 || rev[0] == "" {
		return nil, &Error{Path: path, Msg: "revision is not one string"}
	}
	r.id = rev[0]
	r.downs, r.labels, r.deps = vals["down_revision"], vals["branch_labels"], vals["depends_on"]
	r.message, r.created = pyDocstring(text)
	return r, nil
}

// pyAssignment splits a top-level "name = expr" or "name: type = expr".
func pyAssignment(line string) (name, expr string, ok bool) {
	i := 0
	for i < len(line) && (line[i] == '_' || isASCIILetter(line[i]) || i > 0 && line[i] >= '0' && line[i] <= '9') {
		i++
	}
	if i == 0 {
		return "", "", false
	}
	name, rest := line[:i], strings.TrimLeft(line[i:], " \t")
	if strings.HasPrefix(rest, ":") {
		j := strings.IndexByte(rest, '=')
		if j < 0 {
			return "", "", false
		}
		rest = rest[j:]
	}
	if !strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, "==") {
		return "", "", false
	}
	return name, strings.TrimSpace(rest[1:]), true
}

// depth is how many brackets expr leaves open, outside strings.
func depth(expr string) int {
	d := 0
	var quote byte
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '#':
			for i < len(expr) && expr[i] != '\n' {
				i++
			}
		case c == '(' || c == '[':
			d++
		case c == ')' || c == ']':
			d--
		}
	}
	return d
}

// pyStrings reads a Python expression that is None, a string, or a
// tuple or list of strings: the strings (nil for None or empty).
func pyStrings(expr string) ([]string, error) {
	var out []string
	seenNone, opened := false, false
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == ',' || c == '\\':
		case c == '#':
			for i < len(expr) && expr[i] != '\n' {
				i++
			}
		case c == '(' || c == '[':
			if opened {
				return nil, fmt.Errorf("nested brackets")
			}
			opened = true
		case c == ')' || c == ']':
		case c == '\'' || c == '"' || (c == 'u' || c == 'r') && i+1 < len(expr) && (expr[i+1] == '\'' || expr[i+1] == '"'):
			raw := c == 'r'
			if c == 'u' || c == 'r' {
				i++
				c = expr[i]
			}
			var b strings.Builder
			j := i + 1
			for ; j < len(expr) && expr[j] != c; j++ {
				if expr[j] == '\\' && !raw && j+1 < len(expr) {
					j++
				}
				b.WriteByte(expr[j])
			}
			if j >= len(expr) {
				return nil, fmt.Errorf("unclosed string")
			}
			out = append(out, b.String())
			i = j
		case strings.HasPrefix(expr[i:], "None"):
			seenNone = true
			i += 3
		default:
			return nil, fmt.Errorf("unexpected %q", expr[i:])
		}
	}
	if seenNone && len(out) > 0 {
		return nil, fmt.Errorf("None among strings")
	}
	return out, nil
}

// pyDocstring returns the first line of the module docstring and the
// time of its "Create Date:" line (UTC when it gives no offset; zero
// when there is none).
func pyDocstring(text string) (string, time.Time) {
	rest := text
	for {
		rest = strings.TrimLeft(rest, " \t\n")
		if !strings.HasPrefix(rest, "#") {
			break
		}
		_, rest, _ = strings.Cut(rest, "\n")
	}
	rest = strings.TrimLeft(rest, "rRuU")
	var q string
	for _, p := range []string{`"""`, `'''`, `"`, `'`} {
		if strings.HasPrefix(rest, p) {
			q = p
			break
		}
	}
	if q == "" {
		return "", time.Time{}
	}
	doc, _, _ := strings.Cut(rest[len(q):], q)
	var msg string
	var created time.Time
	for l := range strings.SplitSeq(doc, "\n") {
		t := strings.TrimSpace(l)
		if msg == "" && t != "" {
			msg = t
		}
		if v, ok := strings.CutPrefix(t, "Create Date:"); ok {
			v = strings.TrimSpace(v)
			for _, layout := range []string{"2006-01-02 15:04:05.999999-07:00", "2006-01-02 15:04:05.999999"} {
				if tm, err := time.Parse(layout, v); err == nil {
					created = tm.UTC().Truncate(time.Second)
					break
				}
			}
		}
	}
	return msg, created
}

// pyFn is a top-level function of a Python file: its first line number
// and its lines.
type pyFn struct {
	line  int
	lines []string
}

// pyFunction returns the top-level function name of a Python file, from
// its def line to the last indented line before the next top-level one.
func pyFunction(text, name string) pyFn {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "def "+name+"(") {
			continue
		}
		end := i + 1
		for j := i + 1; j < len(lines); j++ {
			t := lines[j]
			if strings.TrimSpace(t) == "" {
				continue
			}
			if t[0] != ' ' && t[0] != '\t' && t[0] != ')' && t[0] != '#' {
				break
			}
			end = j + 1
		}
		return pyFn{line: i + 1, lines: lines[i:end]}
	}
	return pyFn{}
}
