package script

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Header is what a new revision file says about itself.
type Header struct {
	Revision      string
	DownRevisions []string
	BranchLabels  []string
	DependsOn     []string
	Message       string    // only its first line is written
	CreateDate    time.Time // written in its own location; the zero time writes an empty value
	// Replaces, for a squashed revision, are the ids it stands for; the
	// "-- replaces:" line is written only when there are some.
	Replaces []string
}

// CreateDateLayout is the layout of the create_date header written by
// Render, as in "2021-11-28 14:32:05 UTC".
const CreateDateLayout = "2006-01-02 15:04:05 MST"

// Render returns the content of a new SQL revision file: the six header
// lines in the fixed order, a blank line, "-- +upgrade", the upgrade SQL
// (a blank line when it is empty), a blank line, "-- +downgrade" and the
// downgrade SQL. Lists are joined with ", ". Values are written on one
// line: the message is cut at its first line break, and a line break in
// any other value becomes a space. Render does not validate: the ids and
// labels must not contain commas, and the SQL must not contain marker
// lines, or the file will not parse back the same. The SQL's leading
// blank lines and trailing white space are dropped and CRLF becomes LF.
func Render(h Header, upgradeSQL, downgradeSQL string) []byte {
	var b strings.Builder
	b.Grow(256 + len(upgradeSQL) + len(downgradeSQL))
	msg, _, _ := strings.Cut(h.Message, "\n")
	date := ""
	if !h.CreateDate.IsZero() {
		date = h.CreateDate.Format(CreateDateLayout)
	}
	headerLine(&b, "revision", oneLine(h.Revision))
	headerLine(&b, "down_revision", joinList(h.DownRevisions))
	headerLine(&b, "branch_labels", joinList(h.BranchLabels))
	headerLine(&b, "depends_on", joinList(h.DependsOn))
	headerLine(&b, "message", oneLine(msg))
	headerLine(&b, "create_date", date)
	if len(h.Replaces) > 0 {
		headerLine(&b, "replaces", joinList(h.Replaces))
	}
	b.WriteString("\n" + markUpgrade + "\n")
	if up := SectionText(upgradeSQL); up != "" {
		b.WriteString(up)
	} else {
		b.WriteString("\n")
	}
	b.WriteString("\n" + markDowngrade + "\n")
	b.WriteString(SectionText(downgradeSQL))
	return []byte(b.String())
}

func headerLine(b *strings.Builder, key, val string) {
	b.WriteString("-- ")
	b.WriteString(key)
	b.WriteByte(':')
	if val != "" {
		b.WriteByte(' ')
		b.WriteString(val)
	}
	b.WriteByte('\n')
}

// oneLine turns line breaks into spaces and trims.
func oneLine(v string) string {
	if strings.ContainsAny(v, "\r\n") {
		v = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(v)
	}
	return strings.TrimSpace(v)
}

func joinList(items []string) string {
	var out []string
	for _, it := range items {
		if it = oneLine(it); it != "" {
			out = append(out, it)
		}
	}
	return strings.Join(out, ", ")
}

// SectionText is sql as Render writes a section: CRLF turned into LF,
// leading blank lines and trailing white space dropped, and a final
// newline; "" when empty.
func SectionText(sql string) string {
	for strings.Contains(sql, "\r\n") { // "\r\r\n" needs two rounds
		sql = strings.ReplaceAll(sql, "\r\n", "\n")
	}
	sql = strings.TrimRightFunc(sql, unicode.IsSpace)
	for {
		first, rest, ok := strings.Cut(sql, "\n")
		if !ok || strings.TrimSpace(first) != "" {
			break
		}
		sql = rest
	}
	if sql == "" {
		return ""
	}
	return sql + "\n"
}

// Slug is Alembic's slug of a message: its runs of word characters
// (Unicode letters and numbers, and "_") joined with "_" and lower-cased.
// A slug longer than n characters is cut to n, then back to its last "_",
// and an "_" is appended (Alembic's slug[:n].rsplit("_", 1)[0] + "_").
// n <= 0 means no limit.
func Slug(message string, n int) string {
	words := strings.FieldsFunc(message, func(r rune) bool { return !isWordRune(r) })
	slug := strings.ToLower(strings.Join(words, "_"))
	if n > 0 && utf8.RuneCountInString(slug) > n {
		cut := firstRunes(slug, n)
		if i := strings.LastIndexByte(cut, '_'); i >= 0 {
			cut = cut[:i]
		}
		slug = cut + "_"
	}
	return slug
}

// firstRunes returns the first n runes of s.
func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// isWordRune is Python's \w on str: letters, numbers and "_".
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// FileName renders file_template with Alembic's tokens and appends ".sql".
// The template is a Python %-format as in alembic.ini: %(rev)s, %(slug)s
// (Slug of message cut to truncateSlugLength), %(epoch)s (Unix seconds),
// %(year)d, %(month).2d, %(day).2d, %(hour).2d, %(minute).2d,
// %(second).2d, and %% for a percent sign. The conversions s, d and i
// take Python's flags (-, 0, +, space), width and precision; a text token
// with d is an error, as in Python. The time fields are t's in its own
// location. An unknown token, a malformed %, or a result that is not a
// plain file name (one with "/" or "\", or starting with ".") is an
// error.
func FileName(template, rev, message string, t time.Time, truncateSlugLength int) (string, error) {
	stem, err := fileStem(template, rev, message, t, truncateSlugLength)
	if err != nil {
		return "", err
	}
	name := stem + ".sql"
	if strings.ContainsAny(name, "/\\\x00") || strings.HasPrefix(name, ".") {
		return "", fmt.Errorf("file_template %q gives %q, which is not a plain file name", template, name)
	}
	return name, nil
}

// fileStem expands file_template (see FileName), without an extension.
func fileStem(template, rev, message string, t time.Time, truncateSlugLength int) (string, error) {
	var b strings.Builder
	for i := 0; i < len(template); i++ {
		c := template[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(template) && template[i+1] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		spec, err := parseSpec(template, i)
		if err != nil {
			return "", fmt.Errorf("file_template %q: %w", template, err)
		}
		var text string
		num, isNum := int64(0), true
		switch spec.name {
		case "rev":
			text, isNum = rev, false
		case "slug":
			text, isNum = Slug(message, truncateSlugLength), false
		case "epoch":
			num = t.Unix()
		case "year":
			num = int64(t.Year())
		case "month":
			num = int64(t.Month())
		case "day":
			num = int64(t.Day())
		case "hour":
			num = int64(t.Hour())
		case "minute":
			num = int64(t.Minute())
		case "second":
			num = int64(t.Second())
		default:
			return "", fmt.Errorf("file_template %q: unknown token %s; the tokens are %%(rev)s %%(slug)s %%(epoch)s %%(year)d %%(month).2d %%(day).2d %%(hour).2d %%(minute).2d %%(second).2d", template, spec.text)
		}
		if spec.verb == 's' {
			if isNum {
				text = strconv.FormatInt(num, 10)
			}
			b.WriteString(spec.formatText(text))
		} else {
			if !isNum {
				return "", fmt.Errorf("file_template %q: %s needs a number, and %s is text; write %%(%s)s", template, spec.text, spec.name, spec.name)
			}
			b.WriteString(spec.formatNumber(num))
		}
		i = spec.end - 1
	}
	return b.String(), nil
}

// spec is one %(name)... conversion of a file_template.
type spec struct {
	text              string // as written, for errors
	name              string
	minus, zero, plus bool
	space             bool
	width, prec       int // -1 when absent
	verb              byte
	end               int // offset just past the conversion
}

// parseSpec parses the conversion that starts with the % at tmpl[i]:
// %(name), flags, width, .precision, an ignored length modifier (h, l,
// L) and a conversion type (s, d, i or u).
func parseSpec(tmpl string, i int) (spec, error) {
	sp := spec{width: -1, prec: -1}
	j := i + 1
	if j >= len(tmpl) || tmpl[j] != '(' {
		return sp, fmt.Errorf("the %% at offset %d is not followed by (name); write %%%% for a percent sign", i)
	}
	end := strings.IndexByte(tmpl[j:], ')')
	if end < 0 {
		return sp, fmt.Errorf("unclosed %q at offset %d", tmpl[i:j+1], i)
	}
	sp.name = tmpl[j+1 : j+end]
	j += end + 1
	for ; j < len(tmpl) && strings.IndexByte("-0+ #", tmpl[j]) >= 0; j++ {
		switch tmpl[j] {
		case '-':
			sp.minus = true
		case '0':
			sp.zero = true
		case '+':
			sp.plus = true
		case ' ':
			sp.space = true
		}
	}
	number := func() (int, error) {
		k := j
		for j < len(tmpl) && tmpl[j] >= '0' && tmpl[j] <= '9' {
			j++
		}
		n, err := strconv.Atoi(tmpl[k:j])
		if err != nil || n > 255 {
			return 0, fmt.Errorf("width or precision %q in %s is not a small number", tmpl[k:j], tmpl[i:j])
		}
		return n, nil
	}
	var err error
	if j < len(tmpl) && tmpl[j] >= '0' && tmpl[j] <= '9' {
		if sp.width, err = number(); err != nil {
			return sp, err
		}
	}
	if j < len(tmpl) && tmpl[j] == '.' {
		j++
		sp.prec = 0
		if j < len(tmpl) && tmpl[j] >= '0' && tmpl[j] <= '9' {
			if sp.prec, err = number(); err != nil {
				return sp, err
			}
		}
	}
	for j < len(tmpl) && strings.IndexByte("hlL", tmpl[j]) >= 0 {
		j++
	}
	if j >= len(tmpl) {
		return sp, fmt.Errorf("%s has no conversion type; write %%(%s)s or %%(%s)d", tmpl[i:], sp.name, sp.name)
	}
	sp.text = tmpl[i : j+1]
	switch v := tmpl[j]; v {
	case 's', 'd', 'i', 'u':
		sp.verb = v
	default:
		sp.text = tmpl[i:j] + string(rune(v))
		if v >= utf8.RuneSelf {
			r, _ := utf8.DecodeRuneInString(tmpl[j:])
			sp.text = tmpl[i:j] + string(r)
		}
		return sp, fmt.Errorf("unsupported conversion %s; file_template takes s and d", sp.text)
	}
	if sp.verb == 'i' || sp.verb == 'u' {
		sp.verb = 'd'
	}
	sp.end = j + 1
	return sp, nil
}

// formatText is Python's %s: precision cuts, width pads with spaces.
func (sp spec) formatText(s string) string {
	if sp.prec >= 0 {
		s = firstRunes(s, sp.prec)
	}
	return sp.pad(s)
}

// formatNumber is Python's %d: precision is the least number of digits,
// width pads with spaces or, with the 0 flag, zeros after the sign.
func (sp spec) formatNumber(n int64) string {
	sign := ""
	switch {
	case n < 0:
		sign = "-"
	case sp.plus:
		sign = "+"
	case sp.space:
		sign = " "
	}
	digits := strconv.FormatUint(absInt(n), 10)
	if len(digits) < sp.prec {
		digits = strings.Repeat("0", sp.prec-len(digits)) + digits
	}
	if sp.zero && !sp.minus && len(sign)+len(digits) < sp.width {
		digits = strings.Repeat("0", sp.width-len(sign)-len(digits)) + digits
	}
	return sp.pad(sign + digits)
}

func absInt(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}

func (sp spec) pad(s string) string {
	n := utf8.RuneCountInString(s)
	if n >= sp.width {
		return s
	}
	fill := strings.Repeat(" ", sp.width-n)
	if sp.minus {
		return s + fill
	}
	return fill + s
}
