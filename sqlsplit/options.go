package sqlsplit

// Options selects the lexical rules of one SQL dialect. The zero value is
// plain SQL: '...' strings with doubled-quote escapes, "..." quoted
// identifiers, -- and /* */ comments, and ";" as the terminator.
type Options struct {
	DollarQuotes       bool // PostgreSQL $$...$$ and $tag$...$tag$ strings
	BackslashEscapes   bool // MySQL: backslash escapes inside '...' and "..." strings
	HashComments       bool // MySQL: # comments to end of line
	NestedComments     bool // PostgreSQL: /* */ comments nest
	Delimiter          bool // MySQL client DELIMITER directive
	DoubleQuoteStrings bool // MySQL: "..." is a string (still: it's a quoted span either way)
	Backticks          bool // MySQL/SQLite `quoted identifiers`
	Brackets           bool // SQLite [quoted identifiers]

	// EscapeStrings enables PostgreSQL E'...' (and e'...') strings, in which
	// a backslash escapes the next byte, so E'\'' is a complete string.
	EscapeStrings bool
	// DashNeedsSpace is MySQL's rule that "--" starts a comment only when it
	// is followed by white space, a control character or the end of input:
	// "a--1" is a minus a minus one. The retort marker "--+no-transaction"
	// is recognised either way.
	DashNeedsSpace bool
	// ExecComments marks MySQL's executable comments, /*! ... */ and
	// MariaDB's /*M! ... */, as statement content: they are still lexed as
	// comments (a ";" inside does not terminate), but a statement made only
	// of them, such as mysqldump's "/*!40101 SET NAMES utf8 */;", is kept
	// instead of being dropped as comment-only.
	ExecComments bool
}

// PostgreSQL returns the lexical rules of PostgreSQL: dollar quoting, E”
// strings, nested block comments, "..." identifiers.
func PostgreSQL() Options {
	return Options{
		DollarQuotes:   true,
		NestedComments: true,
		EscapeStrings:  true,
	}
}

// MySQL returns the lexical rules of MySQL and MariaDB as the mysql client
// sees them: backslash escapes, "..." strings, `identifiers`, # comments,
// "-- " comments, executable /*! */ comments and the DELIMITER directive.
func MySQL() Options {
	return Options{
		BackslashEscapes:   true,
		HashComments:       true,
		Delimiter:          true,
		DoubleQuoteStrings: true,
		Backticks:          true,
		DashNeedsSpace:     true,
		ExecComments:       true,
	}
}

// SQLite returns the lexical rules of SQLite: "..." and `...` and [...]
// quoted identifiers, no backslash escapes.
func SQLite() Options {
	return Options{
		Backticks: true,
		Brackets:  true,
	}
}
