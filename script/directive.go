package script

import (
	"bytes"
	"strings"
)

// markNoTx is the directive that runs the statements after it outside
// the migration's transaction; package sqlsplit acts on it.
const markNoTx = "-- +no-transaction"

// directives are the lines that may start with "-- +", as written.
var directives = []string{markUpgrade, markDowngrade, markNoTx}

// dirKind is what a directive line is.
type dirKind int

const (
	notDirective dirKind = iota // not a "-- +word" line: SQL or a free comment
	dirUpgrade                  // -- +upgrade, or -- +upgrade DIALECT
	dirDowngrade                // -- +downgrade, or -- +downgrade DIALECT
	dirNoTx                     // -- +no-transaction, in any of the spellings sqlsplit accepts
)

// sectionDialect returns the dialect's Name (as dialect.Dialect.Name
// spells it) for a name a section marker may carry, or "".
func sectionDialect(name string) string {
	switch name {
	case "postgresql", "postgres":
		return "postgres"
	case "mysql":
		return "mysql"
	case "sqlite":
		return "sqlite"
	}
	return ""
}

// dialectNames are the names sectionDialect accepts, for suggestions.
var dialectNames = []string{"postgresql", "postgres", "mysql", "sqlite"}

// isDirectiveShaped reports whether the trimmed line t is "--", optional
// blanks, "+" and a letter: a line that must be a directive. "-- +1"
// and "-- + note" are free comments.
func isDirectiveShaped(t []byte) bool {
	if len(t) < 4 || t[0] != '-' || t[1] != '-' {
		return false
	}
	i := 2
	for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	return i+1 < len(t) && t[i] == '+' && isLetter(t[i+1])
}

// directive classifies the trimmed line t of a section (after the
// header). A marker spelt but for case and spaces, an unknown directive
// and an unknown dialect are errors; dialect is the dialect's Name for a
// dialect section and "" for a plain one.
func (s *Script) directive(t []byte, line int) (kind dirKind, dialect string, err error) {
	if len(t) < 4 || t[0] != '-' || t[1] != '-' || bytes.IndexByte(t[2:], '+') < 0 {
		return notDirective, "", nil // most comment lines: no allocation
	}
	ts := string(t)
	if marker := nearMarker(ts); marker != "" {
		if ts != marker {
			return 0, "", s.errf(line, "%q is not a marker; write exactly %q (lower case, one space), or change the comment", ts, marker)
		}
		if marker == markUpgrade {
			return dirUpgrade, "", nil
		}
		return dirDowngrade, "", nil
	}
	if !isDirectiveShaped(t) {
		return notDirective, "", nil
	}
	rest := strings.TrimLeft(ts[2:], " \t") // "+word ..."
	if strings.EqualFold(rest, "+no-transaction") {
		return dirNoTx, "", nil
	}
	word, arg := rest[1:], ""
	if i := strings.IndexAny(word, " \t"); i >= 0 {
		word, arg = word[:i], strings.TrimSpace(word[i:])
	}
	// A marker without a dialect was nearMarker's; with one, it is here.
	if lw := strings.ToLower(word); lw == "upgrade" || lw == "downgrade" {
		d, err := s.dialectMarker(ts, "-- +"+lw, arg, line)
		if err != nil {
			return 0, "", err
		}
		if lw == "upgrade" {
			return dirUpgrade, d, nil
		}
		return dirDowngrade, d, nil
	}
	return 0, "", s.unknownDirective(ts, rest, line)
}

// dialectMarker checks the marker line t, marker (-- +upgrade or
// -- +downgrade) followed by arg, and returns the dialect's Name.
func (s *Script) dialectMarker(t, marker, arg string, line int) (string, error) {
	if d := sectionDialect(arg); d != "" {
		if want := marker + " " + arg; t != want {
			return "", s.errf(line, "%q is not a marker; write exactly %q (lower case, one space)", t, want)
		}
		return d, nil
	}
	if lower := strings.ToLower(arg); sectionDialect(lower) != "" {
		return "", s.errf(line, "%q is not a marker; write exactly %q (lower case, one space)", t, marker+" "+lower)
	}
	msg := "unknown dialect %q in %q"
	args := []any{arg, t}
	if strings.ContainsAny(arg, " \t,") {
		msg = "%q after %q: a section marker names one dialect"
		args = []any{arg, marker}
	} else if near := nearestDialect(arg); near != "" {
		msg += " (did you mean %q?)"
		args = append(args, marker+" "+near)
	}
	return "", s.errf(line, msg+"; the dialects are postgresql (or postgres), mysql and sqlite, and a marker without one applies to every dialect", args...)
}

// nearestDialect returns the section dialect name that name probably
// means, or "".
func nearestDialect(name string) string {
	n := strings.ToLower(name)
	switch n {
	case "pg", "psql", "pgsql":
		return "postgresql"
	case "mariadb", "maria":
		return "mysql" // one dialect serves MySQL and MariaDB
	}
	best, bestD := "", 1<<30
	for _, d := range dialectNames {
		if e := editDistance(n, d); e < bestD {
			best, bestD = d, e
		}
	}
	if bestD <= 2 || len(n) >= 4 && strings.HasPrefix(best, n) {
		return best
	}
	for _, d := range dialectNames {
		if len(n) >= 4 && (strings.HasPrefix(d, n) || strings.HasPrefix(n, d)) {
			return d
		}
	}
	return ""
}

// unknownDirective is the error for the "-- +word" line t that is not a
// directive; rest is t from its "+".
func (s *Script) unknownDirective(t, rest string, line int) error {
	if strings.HasPrefix(strings.ToLower(rest), "+goose") {
		return s.errf(line, "%q is goose's marker; retort's sections start with %q and %q", t, markUpgrade, markDowngrade)
	}
	word := strings.ToLower(rest)
	if i := strings.IndexAny(word, " \t"); i >= 0 {
		word = word[:i]
	}
	const why = "; a line that starts with \"-- +\" must be %q, %q (each optionally followed by a dialect) or %q, so that a misspelt marker cannot run one section as part of another; write a comment as \"-- text\""
	if near := nearestDirective(word); near != "" {
		return s.errf(line, "unknown directive %q (did you mean %q?)"+why, t, near, markUpgrade, markDowngrade, markNoTx)
	}
	return s.errf(line, "unknown directive %q"+why, t, markUpgrade, markDowngrade, markNoTx)
}

// nearestDirective returns the directive that word ("+downgrad") is
// probably a misspelling of, or "".
func nearestDirective(word string) string {
	best, bestD := "", 1<<30
	for _, d := range directives {
		if e := editDistance(word, d[3:]); e < bestD {
			best, bestD = d, e
		}
	}
	if bestD <= 3 {
		return best
	}
	// A shortening or a lengthening: +down, +upgradeish, +no-tx.
	for _, d := range directives {
		if commonPrefix(word, d[3:]) >= 5 || len(word) >= 3 && strings.HasPrefix(d[3:], word) {
			return d
		}
	}
	return ""
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
