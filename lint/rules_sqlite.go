package lint

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/retortdb/retort/lint/sqlast"
)

var slOnly = []string{SQLite}

// sqliteRules are the SQLite rules about ALTER TABLE ADD COLUMN, whose
// limits depend on the rows the table holds (checked against SQLite
// 3.40: each "fails on a populated table" below was run).
func sqliteRules() []*Rule {
	return []*Rule{
		{
			Code: "RT504", Name: "passes-only-when-empty", Severity: Error, Dialects: slOnly,
			Summary: "an ADD COLUMN SQLite accepts on an empty table and refuses on a populated one",
			Doc: Doc{
				What: "SQLite `ALTER TABLE ... ADD COLUMN` with NOT NULL and no default, a `CURRENT_TIME`/`CURRENT_DATE`/`CURRENT_TIMESTAMP` default, " +
					"a parenthesised expression default other than a single literal, or a STORED generated column, on a table not created in the revision.",
				Why: "SQLite checks these only when the table has rows: the revision passes on the empty development and CI databases and fails in production " +
					"(\"Cannot add a NOT NULL column with default value NULL\", \"Cannot add a column with non-constant default\", \"cannot add a STORED column\").",
				Safe:    "Give the column a constant default (`NOT NULL DEFAULT ''`), or add it nullable and fill it with UPDATE; for a computed default or a STORED column, rebuild the table (create the new table, copy, drop, rename).",
				SafeSQL: "ALTER TABLE notes ADD COLUMN created_at text;\nUPDATE notes SET created_at = CURRENT_TIMESTAMP WHERE created_at IS NULL;",
				Dialect: SQLite,
				Fires:   "ALTER TABLE notes ADD COLUMN created_at text NOT NULL DEFAULT CURRENT_TIMESTAMP;",
				Passes:  "ALTER TABLE notes ADD COLUMN status text NOT NULL DEFAULT 'draft';",
			},
			stmt: func(c *Check) {
				if c.Created(c.Stmt.Name) {
					return
				}
				for _, a := range actions(c.Stmt) {
					if a.Kind != sqlast.AddColumn || a.Column == nil {
						continue
					}
					if why := sqliteEmptyOnly(a.Column); why != "" {
						c.Report(fmt.Sprintf("column %s: %s: SQLite accepts it on an empty table and refuses it once the table has rows, so it passes in development and CI and fails in production", a.Column.Name, why),
							"a constant default, or add the column nullable and fill it with UPDATE; rebuild the table for a computed default or a STORED column")
						return
					}
				}
			},
		},
		{
			Code: "RT505", Name: "add-column-pk-or-unique", Severity: Error, Dialects: slOnly,
			Summary: "ADD COLUMN with PRIMARY KEY or UNIQUE on SQLite",
			Doc: Doc{
				What:    "SQLite `ALTER TABLE ... ADD COLUMN` whose column is PRIMARY KEY or UNIQUE, on any table (a table created earlier in the revision too: SQLite refuses it even when empty).",
				Why:     "SQLite always refuses it (\"Cannot add a PRIMARY KEY column\", \"Cannot add a UNIQUE column\"): the revision fails wherever it runs.",
				Safe:    "Add the column plain and a unique index on it; for a primary key, rebuild the table (or declare the column in the CREATE TABLE of a table created in the revision).",
				SafeSQL: "ALTER TABLE users ADD COLUMN handle text;\nCREATE UNIQUE INDEX users_handle ON users (handle);",
				Dialect: SQLite,
				Fires:   "ALTER TABLE users ADD COLUMN handle text UNIQUE;",
				Passes:  "ALTER TABLE users ADD COLUMN handle text;\nCREATE UNIQUE INDEX users_handle ON users (handle);",
			},
			stmt: func(c *Check) {
				for _, a := range actions(c.Stmt) {
					if a.Kind != sqlast.AddColumn || a.Column == nil {
						continue
					}
					what := ""
					switch {
					case a.Column.PrimaryKey:
						what = "PRIMARY KEY"
					case a.Column.Unique:
						what = "UNIQUE"
					default:
						continue
					}
					c.Report(fmt.Sprintf("SQLite refuses ADD COLUMN %s ... %s on every table: the revision fails", a.Column.Name, what),
						"add the column plain and CREATE UNIQUE INDEX on it; for a primary key, rebuild the table")
					return
				}
			},
		},
	}
}

// sqliteLiteral is a default SQLite takes as constant when it is in
// parentheses: a single number, string, blob or NULL/TRUE/FALSE.
var sqliteLiteral = regexp.MustCompile(`(?is)^\s*([-+]?\s*[0-9.]+(e[-+]?[0-9]+)?|'([^']|'')*'|x'[0-9a-f]*'|null|true|false)\s*$`)

// sqliteEmptyOnly says why SQLite refuses col as an added column once
// the table has rows, or "".
func sqliteEmptyOnly(col *sqlast.Column) string {
	if col.Generated != nil {
		if col.Generated.Stored {
			return "a STORED generated column"
		}
		return ""
	}
	if d := col.Default; d != nil {
		text := strings.TrimSpace(d.Text)
		for strings.HasPrefix(text, "(") && strings.HasSuffix(text, ")") {
			text = strings.TrimSpace(text[1 : len(text)-1])
		}
		switch u := strings.ToUpper(text); {
		case u == "CURRENT_TIME" || u == "CURRENT_DATE" || u == "CURRENT_TIMESTAMP":
			return "the default " + u + " is not constant"
		case (d.Paren || strings.HasPrefix(strings.TrimSpace(d.Text), "(")) && !sqliteLiteral.MatchString(text):
			return "the expression default is not constant"
		}
		return ""
	}
	if col.NotNull && !col.PrimaryKey {
		return "NOT NULL without a default"
	}
	return ""
}
