package importer

import (
	"fmt"
	"strings"

	"github.com/retortdb/retort/sqlsplit"
)

// outsideTx returns the first statement of a migration's SQL that
// PostgreSQL refuses inside a transaction block (CREATE or DROP INDEX
// CONCURRENTLY, REINDEX ... CONCURRENTLY, VACUUM, CREATE or DROP
// DATABASE, TABLESPACE or SUBSCRIPTION, ALTER SYSTEM, ...: noTxPrefixes),
// its first words upper-cased, and the line it starts on; "" when there
// is none. golang-migrate has no
// per-file transaction setting: it sends a file to the database whole,
// so such a statement ran outside any transaction (PostgreSQL refuses it
// in a file with other statements). Flyway sees these statements too and
// runs their migration outside a transaction. The revision imported
// from such a file must run outside one as well.
func outsideTx(text string) (what string, line int) {
	stmts, err := sqlsplit.Split(text, sqlsplit.PostgreSQL())
	if err != nil {
		return "", 0
	}
	for _, s := range stmts {
		body, skipped := withoutLeadingComments(s.Text)
		w := strings.Fields(strings.ToUpper(body))
		if len(w) > 5 {
			w = w[:5]
		}
		words := strings.Join(w, " ") + " "
		match := ""
		for _, p := range noTxPrefixes {
			if strings.HasPrefix(words, p+" ") {
				match = p
				break
			}
		}
		if match == "" && len(w) > 0 && w[0] == "REINDEX" && strings.Contains(" "+strings.Join(strings.Fields(strings.ToUpper(body)), " ")+" ", " CONCURRENTLY ") {
			match = "REINDEX CONCURRENTLY"
		}
		if match != "" {
			return match, s.Line + skipped
		}
	}
	return "", 0
}

// noTxNote reports whether a migration's SQL holds a statement that
// must run outside a transaction (outsideTx), and if so notes, with why
// the source tool ran it so, that the revision is marked
// -- +no-transaction.
func noTxNote(warns *[]Warning, path, text, why string) bool {
	what, line := outsideTx(text)
	if what == "" {
		return false
	}
	*warns = append(*warns, Warning{Path: path, Line: line, Msg: fmt.Sprintf("%s runs only outside a transaction on PostgreSQL, and %s: the revision's section is marked %s", what, why, noTxMark)})
	return true
}

// noTxPrefixes are the first words of the statements outsideTx finds
// (REINDEX is found by its CONCURRENTLY anywhere).
var noTxPrefixes = []string{"CREATE INDEX CONCURRENTLY", "CREATE UNIQUE INDEX CONCURRENTLY", "DROP INDEX CONCURRENTLY",
	"REINDEX SCHEMA", "REINDEX DATABASE", "REINDEX SYSTEM", "VACUUM", "CREATE DATABASE", "DROP DATABASE",
	"CREATE TABLESPACE", "DROP TABLESPACE", "CREATE SUBSCRIPTION", "DROP SUBSCRIPTION", "ALTER SYSTEM", "DISCARD ALL"}

// withoutLeadingComments is a statement's text without the comment
// lines and blank lines before it, and the number of lines left out.
func withoutLeadingComments(s string) (string, int) {
	n := 0
	for {
		t := strings.TrimLeft(s, " \t\r")
		switch {
		case strings.HasPrefix(t, "\n"):
			s, n = t[1:], n+1
		case strings.HasPrefix(t, "--"):
			i := strings.IndexByte(t, '\n')
			if i < 0 {
				return "", n
			}
			s, n = t[i+1:], n+1
		case strings.HasPrefix(t, "/*"):
			i := strings.Index(t, "*/")
			if i < 0 {
				return "", n
			}
			n += strings.Count(t[:i], "\n")
			s = t[i+2:]
		default:
			return t, n
		}
	}
}
