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
		{
			Code: "RT501", Name: "alter-needs-rebuild", Severity: Info, Dialects: slOnly,
			Summary: "an ALTER TABLE form SQLite cannot run: the table needs a rebuild",
			Doc: Doc{
				What: "On SQLite: ALTER COLUMN ... TYPE, SET/DROP DEFAULT, ADD PRIMARY KEY/UNIQUE/FOREIGN KEY constraints, on any version; " +
					"and, by the server version, DROP COLUMN before 3.35, RENAME COLUMN before 3.25, SET/DROP NOT NULL and ADD/DROP CONSTRAINT (CHECK) before 3.53 " +
					"(without a version these are skipped and listed).",
				Why:     "SQLite refuses the statement: the revision fails wherever it runs. The change is made by rebuilding the table.",
				Safe:    "Rebuild the table by SQLite's twelve steps (see RT502), or write the revision in Go: retort's operations render the rebuild for SQLite.",
				SafeSQL: "-- +no-transaction\nPRAGMA foreign_keys = OFF;\nBEGIN;\nCREATE TABLE notes_new (id integer PRIMARY KEY, body text NOT NULL);\nINSERT INTO notes_new (id, body) SELECT id, coalesce(body, '') FROM notes;\nDROP TABLE notes;\nALTER TABLE notes_new RENAME TO notes;\nPRAGMA foreign_key_check;\nCOMMIT;\nPRAGMA foreign_keys = ON;",
				Dialect: SQLite,
				Fires:   "ALTER TABLE notes ALTER COLUMN body TYPE varchar(500);",
				Passes:  "ALTER TABLE notes ADD COLUMN summary text;",
			},
			stmt: func(c *Check) {
				for _, a := range actions(c.Stmt) {
					what, since := "", [3]int{}
					switch a.Kind {
					case sqlast.AlterColumnType:
						what = "change a column's type"
					case sqlast.SetDefault, sqlast.DropDefault:
						what = "change a column's default"
					case sqlast.AlterColumnOther:
						what = "alter a column (" + a.Keyword + ")"
					case sqlast.AddConstraint:
						if a.Constraint != nil && a.Constraint.Kind == sqlast.Check {
							what, since = "add a CHECK constraint", [3]int{3, 53, 0}
						} else {
							what = "add a PRIMARY KEY, UNIQUE or FOREIGN KEY constraint"
						}
					case sqlast.DropConstraint:
						what, since = "drop a constraint", [3]int{3, 53, 0}
					case sqlast.SetNotNull, sqlast.DropNotNull:
						what, since = "change a column's NOT NULL", [3]int{3, 53, 0}
					case sqlast.DropColumn:
						what, since = "drop a column", [3]int{3, 35, 0}
					case sqlast.RenameColumn:
						what, since = "rename a column", [3]int{3, 25, 0}
					default:
						continue
					}
					on := "SQLite"
					if since[0] > 0 {
						v, ok := c.Server()
						if !ok || !v.Before(since[0], since[1], since[2]) {
							continue
						}
						on = v.String()
					}
					c.Report(fmt.Sprintf("%s cannot %s with ALTER TABLE: the statement fails and the table needs a rebuild", on, what),
						"rebuild the table by SQLite's twelve steps, or write the revision in Go (retort renders the rebuild)")
					return
				}
			},
		},
		{
			Code: "RT502", Name: "rebuild-procedure-incomplete", Severity: Error, Dialects: slOnly,
			Summary: "a hand-written SQLite table rebuild without its foreign-key steps",
			Doc: Doc{
				What: "A hand-written rebuild (create a new table, copy, `DROP TABLE` the old one, rename the new one to its name) without `PRAGMA foreign_keys = OFF` " +
					"in a `-- +no-transaction` section before it, or without `PRAGMA foreign_key_check` after it; or whose copy (`INSERT INTO new ... SELECT ... FROM old`) leaves out a NOT NULL column without DEFAULT, " +
					"or, with the schema before the revision, fills one from a plain column of the old table that is nullable. The rebuild a Go revision's `op.Batch` renders is retort's own and exempt: its guards refuse to drop a table other tables refer to while foreign keys are enforced, and check the copied rows' keys.",
				Why: "With foreign keys on, dropping the old table deletes its rows through the keys that point at it: ON DELETE CASCADE empties the child tables, " +
					"other keys make the DROP fail. The pragma has no effect inside a transaction, so it must run outside the revision's. " +
					"Without the check afterwards, rows the new table no longer matches go unnoticed.",
				Safe:    "Follow SQLite's twelve steps in a `-- +no-transaction` section (the rest of the section runs outside the revision's transaction): turn foreign keys off, rebuild inside BEGIN/COMMIT, run `PRAGMA foreign_key_check` before the COMMIT, turn them back on.",
				SafeSQL: "-- +no-transaction\nPRAGMA foreign_keys = OFF;\nBEGIN;\nCREATE TABLE account_new (id integer PRIMARY KEY, email text NOT NULL);\nINSERT INTO account_new (id, email) SELECT id, email FROM account;\nDROP TABLE account;\nALTER TABLE account_new RENAME TO account;\nPRAGMA foreign_key_check;\nCOMMIT;\nPRAGMA foreign_keys = ON;",
				Dialect: SQLite,
				Fires:   "CREATE TABLE account_new (id integer PRIMARY KEY, email text NOT NULL);\nINSERT INTO account_new (id, email) SELECT id, email FROM account;\nDROP TABLE account;\nALTER TABLE account_new RENAME TO account;",
				Passes:  "-- +no-transaction\nPRAGMA foreign_keys = OFF;\nBEGIN;\nCREATE TABLE account_new (id integer PRIMARY KEY, email text NOT NULL);\nINSERT INTO account_new (id, email) SELECT id, email FROM account;\nDROP TABLE account;\nALTER TABLE account_new RENAME TO account;\nPRAGMA foreign_key_check;\nCOMMIT;\nPRAGMA foreign_keys = ON;",
			},
			stmt: func(c *Check) {
				// A Go revision's rebuild is retort's own (op.Batch): its
				// guards refuse it when foreign keys are enforced and other
				// tables refer to the table, and check the copied rows'
				// keys, which is what RT501 advises.
				if c.Revision.Go || c.Stmt.Kind != sqlast.DropTable || c.Created(c.Stmt.Name) || !replacedLater(c, c.Stmt.Name.Object()) {
					return
				}
				var missing []string
				off, inTx := false, false // turned off outside, inside the transaction
				for i := range c.Index {
					if e := c.stmts[i]; isPragma(e.Statement, "foreign_keys") && isOff(e.Value) {
						if e.noTx {
							off = true
						} else {
							inTx = true
						}
					}
				}
				switch {
				case inTx && !off:
					missing = append(missing, "PRAGMA foreign_keys = OFF runs inside the revision's transaction, where it has no effect: put it in a -- +no-transaction section")
				case !off:
					missing = append(missing, "no PRAGMA foreign_keys = OFF before it: dropping the old table deletes through the keys that point at it (ON DELETE CASCADE empties child tables)")
				}
				check := false
				for _, l := range c.Later() {
					if isPragma(l, "foreign_key_check") {
						check = true
					}
				}
				if !check {
					missing = append(missing, "no PRAGMA foreign_key_check after it: rows the new table breaks go unnoticed")
				}
				missing = append(missing, rebuildNullCopies(c)...)
				if len(missing) > 0 {
					c.Report("hand-written rebuild of "+c.Stmt.Name.Object()+": "+strings.Join(missing, "; "),
						"SQLite's twelve steps: PRAGMA foreign_keys = OFF in a -- +no-transaction section, rebuild, PRAGMA foreign_key_check, foreign_keys back ON")
				}
			},
		},
		{
			Code: "RT506", Name: "long-write-locks-database", Severity: Info, Dialects: slOnly,
			Summary: "a statement that writes a whole SQLite table, holding the database's write lock",
			Doc: Doc{
				What:    "On SQLite: UPDATE or DELETE without WHERE of a table not created in the revision, or INSERT ... SELECT ... FROM (the copy of a rebuild or backfill).",
				Why:     "SQLite has one writer for the whole database: while the statement (and the revision's transaction) runs, every other write to any table waits, then fails with SQLITE_BUSY once busy_timeout runs out.",
				Safe:    "Run it when the application does not write, or batch it in revisions or jobs of their own (WHERE rowid BETWEEN ...) so that each transaction is short.",
				SafeSQL: "UPDATE notes SET slug = lower(title) WHERE rowid BETWEEN 1 AND 10000;",
				Dialect: SQLite,
				Fires:   "UPDATE notes SET slug = lower(title);",
				Passes:  "UPDATE notes SET slug = lower(title) WHERE id = 42;",
			},
			stmt: func(c *Check) {
				switch c.Stmt.Kind {
				case sqlast.Update, sqlast.Delete:
					if c.Stmt.HasWhere || c.Created(c.Stmt.Name) {
						return
					}
				case sqlast.Insert:
					if !c.Stmt.HasKeyword("SELECT") || !c.Stmt.HasKeyword("FROM") {
						return
					}
				default:
					return
				}
				c.Report("this statement writes a whole table while holding SQLite's single write lock: every other write to the database waits, then fails with SQLITE_BUSY",
					"run it when the application does not write, or batch it by rowid range in short transactions")
			},
		},
	}
}

// isPragma reports whether st is PRAGMA name.
func isPragma(st *sqlast.Statement, name string) bool {
	return st.Kind == sqlast.Pragma && strings.EqualFold(st.Name.Object(), name)
}

// isOff reports whether a PRAGMA value turns a setting off.
func isOff(v string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(v), `'"`)) {
	case "off", "0", "false", "no":
		return true
	}
	return false
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
