package mysql

import (
	"strconv"
	"strings"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.ScriptPreambler = (*Dialect)(nil)

// ScriptPreamble implements dialect.ScriptPreambler: a script sets its
// connection's character set to utf8mb4. The mysql and mariadb clients
// otherwise talk the character set of their configuration or locale
// (latin1 or utf8mb3 by default), which garbles the UTF-8 text of string
// literals or cannot carry it.
func (*Dialect) ScriptPreamble() []string { return []string{"SET NAMES utf8mb4;"} }

// ScriptStatement implements dialect.Dialect for the mysql and mariadb
// command-line clients. A statement in which the client would see a ";"
// (outside quotes and comments: a routine or trigger body) is wrapped in
// DELIMITER lines, with a delimiter that does not occur in it:
//
//	DELIMITER //
//	CREATE PROCEDURE p() BEGIN SELECT 1; END
//	//
//	DELIMITER ;
//
// Any other statement gets a ";", on a line of its own when the statement
// ends in a -- or # comment.
func (*Dialect) ScriptStatement(sql string) string {
	wrap, inComment := scanScript(sql)
	if !wrap {
		if inComment {
			return sql + "\n;"
		}
		return sql + ";"
	}
	delim := scriptDelimiter(sql)
	return "DELIMITER " + delim + "\n" + sql + "\n" + delim + "\nDELIMITER ;"
}

// scriptDelimiter returns a delimiter that does not occur in sql: the
// usual ones first, then generated ones. It never holds a backslash, a
// quote or a letter.
func scriptDelimiter(sql string) string {
	for _, d := range []string{"//", "$$", ";;"} {
		if !strings.Contains(sql, d) {
			return d
		}
	}
	for n := 1; ; n++ {
		if d := "//" + strconv.Itoa(n) + "//"; !strings.Contains(sql, d) {
			return d
		}
	}
}

// scanScript reads sql as the mysql client does and reports whether it
// needs a DELIMITER: a ";" outside quotes and comments, or a construct
// the client and the server read differently. inComment reports that sql
// ends inside a -- or # comment, where a ";" appended on the same line
// would be commented out.
//
// The client's rules: '...' and "..." strings take backslash escapes,
// `...` identifiers do not; # and "-- " (a dash, a dash and white space)
// comment to the end of the line; /* */ comments do not nest. Executable
// comments /*! */, /*M! */ and hints /*+ */ are read as statement text:
// the client ends a statement at a ";" inside /*! */, and the others are
// treated the same way to be safe, since wrapping is always correct.
func scanScript(sql string) (needsDelimiter, inComment bool) {
	n := len(sql)
	for i := 0; i < n; {
		c := sql[i]
		switch {
		case c == ';':
			needsDelimiter = true
			i++
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(sql, i)
		case c == '#':
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				return needsDelimiter, true
			}
			i += j + 1
		case c == '-' && i+1 < n && sql[i+1] == '-':
			if i+2 == n {
				// The server reads a final "--" as a comment.
				return needsDelimiter, true
			}
			next := sql[i+2]
			if !isCommentSpace(next) {
				i += 2
				break
			}
			if !isClientSpace(next) {
				// A comment to the server but not to the client
				// ("--" and a control character): let the client
				// look for a delimiter that does not occur at all.
				needsDelimiter = true
			}
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				return needsDelimiter, true
			}
			i += j + 1
		case c == '/' && i+1 < n && sql[i+1] == '*':
			rest := sql[i+2:]
			if strings.HasPrefix(rest, "!") || strings.HasPrefix(rest, "+") || strings.HasPrefix(rest, "M!") {
				// Executable: its content is statement text.
				i += 2
				break
			}
			j := strings.Index(rest, "*/")
			if j < 0 {
				return needsDelimiter, false // unterminated: the server will say so
			}
			i += 2 + j + 2
		default:
			i++
		}
	}
	return needsDelimiter, false
}

// skipQuoted returns the index just past the quoted span that starts at
// sql[i], or len(sql) when it is not closed. A doubled quote stands for
// itself; in '...' and "..." a backslash escapes the next byte.
func skipQuoted(sql string, i int) int {
	q := sql[i]
	for j := i + 1; j < len(sql); j++ {
		switch sql[j] {
		case '\\':
			if q != '`' {
				j++
			}
		case q:
			// A doubled quote continues the span: the loop sees the
			// second one as an opening quote of the same kind, which
			// is the same thing for finding where the span ends.
			return j + 1
		}
	}
	return len(sql)
}

// isClientSpace is the client's white space after "--".
func isClientSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// isCommentSpace is the server's rule: "--" starts a comment when white
// space or a control character follows.
func isCommentSpace(c byte) bool { return c <= ' ' || c == 0x7f }
