package sqlast

import "strings"

// ServerWide returns the words of the first statement of src that acts
// on the server rather than inside the database it runs in, or "":
// CREATE, ALTER or DROP of a DATABASE, ROLE, USER, GROUP or TABLESPACE
// (MySQL: SCHEMA, a synonym of DATABASE, and RENAME USER), ALTER SYSTEM,
// MySQL's GRANT and REVOKE (the server's privilege tables) and SET
// GLOBAL or PERSIST, and SQLite's ATTACH (a database file). Lint runs
// statements on a scratch database (the schema state's replay, --trace)
// on a server it must not change: a revision with one is not run there.
func ServerWide(src string, d Dialect) string {
	var toks []Token
	for _, t := range Lex(src, d) {
		if t.Kind != Comment {
			toks = append(toks, t)
		}
	}
	word := func(i int) string {
		if i < len(toks) && toks[i].Kind == Word {
			return strings.ToUpper(toks[i].Text)
		}
		return ""
	}
	for i := range toks {
		if i > 0 && !toks[i-1].IsPunct(";") {
			continue
		}
		verb, obj := word(i), word(i+1)
		switch verb {
		case "CREATE", "ALTER", "DROP":
			switch obj {
			case "DATABASE", "ROLE", "USER", "GROUP", "TABLESPACE":
				if d.isMySQL() && obj == "GROUP" || d == SQLite {
					continue
				}
				return verb + " " + obj
			case "SCHEMA":
				if d.isMySQL() {
					return verb + " " + obj
				}
			case "SYSTEM":
				if verb == "ALTER" && d == PostgreSQL {
					return "ALTER SYSTEM"
				}
			}
		case "RENAME":
			if d.isMySQL() && obj == "USER" {
				return "RENAME USER"
			}
		case "GRANT", "REVOKE":
			if d.isMySQL() {
				return verb
			}
		case "SET":
			if d.isMySQL() && (obj == "GLOBAL" || obj == "PERSIST" || obj == "PERSIST_ONLY" || obj == "PASSWORD") {
				return "SET " + obj
			}
		case "ATTACH":
			if d == SQLite {
				return "ATTACH"
			}
		}
	}
	return ""
}
