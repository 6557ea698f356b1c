package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/retortdb/retort/lint/sqlast"
	"github.com/retortdb/retort/schema"
)

// The schema-state rules on drops: tables and columns other objects
// still use (RT209), SQLite DROP COLUMN (RT503), virtual columns (RT102),
// and the copy of a hand-written SQLite rebuild (RT502).

// mentions reports whether the SQL expression e names column col.
func mentions(e, col string) bool {
	re, err := regexp.Compile(`(?i)(^|[^A-Za-z0-9_$])["` + "`" + `\[]?` + regexp.QuoteMeta(col) + `["` + "`" + `\]]?($|[^A-Za-z0-9_$])`)
	return err == nil && re.MatchString(e)
}

// stateDropRules are the drop rules that read the state.
func stateDropRules() []*Rule {
	return []*Rule{
		{
			Code: "RT209", Name: "drop-used-object", Severity: Warning, Dialects: every,
			Summary: "dropping a table or column that other objects still reference",
			Doc: Doc{
				What: "DROP TABLE of a table that another table's foreign key references, and DROP COLUMN of a column that another table's foreign key references, that a multi-column index, " +
					"unique or primary key of its table includes, or (MySQL) that a foreign key of its table uses, in the schema before the revision, unless an earlier statement of the revision dropped that key (or its table); a table rebuilt under its name (dropped, then a new one renamed to it) is not dropped. " +
					"Views, functions and the application's own use are not in the schema state.",
				Why: "The drop fails while the key exists (PostgreSQL without CASCADE, MySQL, SQLite with foreign keys on), or, with CASCADE, silently removes the other table's foreign key; " +
					"a dropped column takes its multi-column indexes with it on PostgreSQL, and shrinks them on MySQL (a unique one then over fewer columns).",
				Safe:    "Drop the referencing foreign keys (and replace the indexes) explicitly first, in the same or an earlier revision, after the application stopped using them.",
				SafeSQL: "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;\nDROP TABLE customer;",
				Dialect: Postgres,
				Before:  "CREATE TABLE customer (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customer (id));",
				Fires:   "DROP TABLE customer;",
				Passes:  "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;\nDROP TABLE customer;",
			},
			stmt: func(c *Check) {
				switch c.Stmt.Kind {
				case sqlast.DropTable:
					if c.Stmt.Temporary {
						return
					}
					for _, n := range names(c.Stmt) {
						if c.Created(n) || replacedLater(c, n.Object()) {
							continue // new, or rebuilt under its name
						}
						sc, ok := c.Schema()
						if !ok {
							return
						}
						t, ok := c.Table(n) // the table the name finds here, by its name in the state
						if !ok {
							continue
						}
						if by := referencingKeys(c, sc, sqlast.Name{Parts: []string{t.Name}}, ""); len(by) > 0 {
							what := map[string]string{
								Postgres: "the drop fails while the key exists, or with CASCADE silently removes the key",
								MySQL:    "the drop fails while the key exists (with foreign_key_checks off it succeeds and leaves the key pointing nowhere)",
								SQLite:   "with foreign keys on, the drop deletes the rows first and fails on a referenced one; with them off the key points nowhere",
							}[c.Dialect]
							c.Report(fmt.Sprintf("%s is still referenced by %s: %s", n, strings.Join(by, ", "), what),
								"drop the referencing foreign keys explicitly first, after the application stopped using them")
							return
						}
					}
				case sqlast.AlterTable:
					for _, a := range existingAlter(c) {
						if a.Kind != sqlast.DropColumn || addedEarlier(c, c.Stmt.Name, a.ColumnName) {
							continue
						}
						sc, ok := c.Schema()
						if !ok {
							return
						}
						t, ok := c.Table(c.Stmt.Name)
						if !ok {
							continue
						}
						by := referencingKeys(c, sc, sqlast.Name{Parts: []string{t.Name}}, a.ColumnName)
						if c.Dialect != SQLite {
							dropped := droppedIndexes(c.Earlier())
							for _, k := range stateKeys(t) {
								if len(k.cols) > 1 && slices.Contains(k.cols, strings.ToLower(a.ColumnName)) && (k.name == "" || !dropped[strings.ToLower(k.name)]) {
									by = append(by, k.String()+" of "+t.Name)
								}
							}
							for _, fk := range t.ForeignKeys {
								if c.Dialect == MySQL && slices.ContainsFunc(fk.Columns, func(s string) bool { return strings.EqualFold(s, a.ColumnName) }) && (fk.Name == "" || !dropped[strings.ToLower(fk.Name)]) {
									by = append(by, fmt.Sprintf("foreign key %s of %s to %s", fk.Name, t.Name, fk.RefTable))
								}
							}
						}
						if len(by) > 0 {
							what := "PostgreSQL drops the index or key with it (and fails on another table's foreign key without CASCADE)"
							if c.Dialect == MySQL {
								what = "MySQL fails on a foreign key and shrinks an index or key to the remaining columns"
							}
							c.Report(fmt.Sprintf("column %s.%s is still used by %s: %s", c.Stmt.Name, a.ColumnName, strings.Join(by, ", "), what),
								"drop or replace the keys and indexes that use the column explicitly first")
							return
						}
					}
				}
			},
		},
		{
			Code: "RT503", Name: "drop-column-rewrites", Severity: Warning, Dialects: slOnly,
			Summary: "SQLite DROP COLUMN rewrites the table, and fails on a column in use",
			Doc: Doc{
				What: "SQLite (3.35+) `ALTER TABLE ... DROP COLUMN` on a table the revision did not create. With the schema before the revision it is an error when the column is part of the primary key, " +
					"a UNIQUE constraint, an index, a CHECK, a generated column or a foreign key of the table (views and triggers are not in the state).",
				Why: "SQLite rewrites every row of the table to remove the column, holding the database's write lock all along; " +
					"and it refuses to drop a column anything else in the table's schema uses, so the revision fails there.",
				Safe:    "Rebuild the table without the column by SQLite's twelve steps (RT502), or write the revision in Go: retort renders the rebuild.",
				SafeSQL: "-- +no-transaction\nPRAGMA foreign_keys = OFF;\nBEGIN;\nCREATE TABLE notes_new (id integer PRIMARY KEY, body text);\nINSERT INTO notes_new (id, body) SELECT id, body FROM notes;\nDROP TABLE notes;\nALTER TABLE notes_new RENAME TO notes;\nPRAGMA foreign_key_check;\nCOMMIT;\nPRAGMA foreign_keys = ON;",
				Dialect: SQLite,
				Before:  "CREATE TABLE notes (id integer PRIMARY KEY, body text, slug text UNIQUE);",
				Fires:   "ALTER TABLE notes DROP COLUMN slug;",
				Passes:  "CREATE TABLE drafts (id integer PRIMARY KEY, body text);\nALTER TABLE drafts DROP COLUMN body;",
			},
			stmt: func(c *Check) {
				for _, a := range existingAlter(c) {
					if a.Kind != sqlast.DropColumn || addedEarlier(c, c.Stmt.Name, a.ColumnName) {
						continue
					}
					if t, ok := c.Table(c.Stmt.Name); ok {
						if uses := sqliteColumnUses(t, a.ColumnName); len(uses) > 0 {
							c.ReportAt(Error, fmt.Sprintf("SQLite refuses to drop %s.%s, used by %s: the revision fails", c.Stmt.Name, a.ColumnName, strings.Join(uses, ", ")),
								"rebuild the table without the column (RT502's twelve steps), or write the revision in Go")
							return
						}
					}
					c.Report(fmt.Sprintf("SQLite rewrites every row of %s to drop %s, holding the database's write lock all along", c.Stmt.Name, a.ColumnName),
						"drop it off-peak, or rebuild the table when other changes need a rebuild too")
					return
				}
			},
		},
	}
}

// referencingKeys names the foreign keys of other tables in sc that
// reference table n (its column col, when col is not ""), leaving out
// tables the statement or an earlier one drops and keys dropped earlier.
func referencingKeys(c *Check, sc *schema.Schema, n sqlast.Name, col string) []string {
	gone := map[string]bool{}
	for _, m := range names(c.Stmt) {
		if c.Stmt.Kind == sqlast.DropTable {
			gone[key(m)] = true
		}
	}
	for _, st := range c.Earlier() {
		if st.Kind == sqlast.DropTable {
			for _, m := range names(st) {
				gone[key(m)] = true
			}
		}
	}
	dropped := droppedIndexes(c.Earlier())
	var out []string
	for _, t := range sc.Tables {
		if strings.EqualFold(t.Name, n.Object()) || gone[strings.ToLower(t.Name)] {
			continue
		}
		for _, fk := range t.ForeignKeys {
			if !strings.EqualFold(fk.RefTable, n.Object()) || fk.Name != "" && dropped[strings.ToLower(fk.Name)] {
				continue
			}
			// A key whose column an earlier statement dropped went with it.
			if slices.ContainsFunc(fk.Columns, func(col string) bool { return columnDroppedEarlier(c, t.Name, col) }) {
				continue
			}
			if col != "" && !slices.ContainsFunc(fk.RefColumns, func(s string) bool { return strings.EqualFold(s, col) }) {
				continue
			}
			name := fk.Name
			if name == "" {
				name = "(" + strings.Join(fk.Columns, ", ") + ")"
			}
			out = append(out, fmt.Sprintf("foreign key %s of %s", name, t.Name))
		}
	}
	return out
}

// columnDroppedEarlier reports whether an earlier statement of the
// revision dropped column col of the table named table.
func columnDroppedEarlier(c *Check, table, col string) bool {
	for _, st := range c.Earlier() {
		if st.Kind != sqlast.AlterTable || !strings.EqualFold(st.Name.Object(), table) {
			continue
		}
		for _, a := range actions(st) {
			if a.Kind == sqlast.DropColumn && strings.EqualFold(strings.Trim(a.ColumnName, "`\""), col) {
				return true
			}
		}
	}
	return false
}

// sqliteColumnUses names what in table t keeps SQLite from dropping col.
func sqliteColumnUses(t *schema.Table, col string) []string {
	low := strings.ToLower(col)
	var out []string
	for _, k := range stateKeys(t) {
		if slices.Contains(k.cols, low) {
			out = append(out, k.String())
		}
	}
	for _, ix := range t.Indexes {
		if ix.Where != "" && mentions(ix.Where, col) || slices.ContainsFunc(ix.Parts, func(p schema.IndexPart) bool { return p.Expr != "" && mentions(p.Expr, col) }) {
			out = append(out, "index "+ix.Name)
		}
	}
	for _, k := range t.Checks {
		if mentions(k.Expr, col) {
			out = append(out, "CHECK ("+k.Expr+")")
		}
	}
	for _, g := range t.Columns {
		if g.Generated != nil && mentions(g.Generated.Expr, col) {
			out = append(out, "generated column "+g.Name)
		}
	}
	for _, fk := range t.ForeignKeys {
		if slices.ContainsFunc(fk.Columns, func(s string) bool { return strings.EqualFold(s, col) }) {
			out = append(out, "a foreign key to "+fk.RefTable)
		}
	}
	return out
}

// virtualColumn reports whether column col of c's table is a virtual
// generated column in the schema before the revision (RT102: dropping it
// loses no data).
func virtualColumn(c *Check, col string) bool {
	_, old, ok := stateColumn(c, c.Stmt.Name, col)
	return ok && old.Generated != nil && !old.Generated.Stored
}

// rebuildNullCopies is RT502's copy check, at the DROP TABLE of a
// hand-written SQLite rebuild: the NOT NULL columns without DEFAULT of
// the new table that the copy (INSERT INTO new ... SELECT ... FROM old)
// leaves out, and, with the schema before the revision, those it fills
// from a column of the old table that is nullable. Either fails the copy
// on the first row with a NULL there.
func rebuildNullCopies(c *Check) []string {
	old := c.Stmt.Name
	var newName sqlast.Name
	for _, st := range c.Later() {
		for _, a := range actions(st) {
			if a.Kind == sqlast.RenameTo && strings.EqualFold(a.NewName, old.Object()) {
				newName = st.Name
			}
		}
	}
	if newName.IsZero() {
		return nil
	}
	var create, insert *sqlast.Statement
	for _, st := range c.Earlier() {
		switch {
		case st.Kind == sqlast.CreateTable && sameTable(st.Name, newName) && st.CreateTable != nil:
			create = st
		case st.Kind == sqlast.Insert && sameTable(st.Name, newName) && create != nil:
			insert = st
		}
	}
	if create == nil || insert == nil {
		return nil
	}
	targets := insert.Columns
	if len(targets) == 0 {
		for _, col := range create.CreateTable.Columns {
			targets = append(targets, col.Name)
		}
	}
	sources := selectList(insert)
	var out []string
	var nullable []string // candidates whose source column the state must judge
	var from []string
	for _, col := range create.CreateTable.Columns {
		if !col.NotNull || col.Default != nil || col.PrimaryKey || col.Generated != nil {
			continue
		}
		i := slices.IndexFunc(targets, func(s string) bool { return strings.EqualFold(s, col.Name) })
		switch {
		case i < 0:
			out = append(out, fmt.Sprintf("the copy leaves out %s, NOT NULL without DEFAULT in %s: it fails as soon as the old table has a row", col.Name, newName))
		case sources != nil && i < len(sources) && sources[i] != "":
			nullable, from = append(nullable, col.Name), append(from, sources[i])
		}
	}
	if len(nullable) == 0 {
		return out
	}
	t, ok := c.Table(old)
	if !ok {
		return out
	}
	for k, col := range nullable {
		if oc, ok := findColumn(t, from[k]); ok && oc.Null {
			out = append(out, fmt.Sprintf("the copy fills %s, NOT NULL without DEFAULT in %s, from %s.%s, which is nullable: a NULL there fails it (copy coalesce(%s, ...))", col, newName, old, from[k], from[k]))
		}
	}
	return out
}

// selectList returns the items of the top-level SELECT list of an INSERT
// ... SELECT: the column name of an item that is a plain (possibly
// qualified) column, "" for any other item. It is nil when the statement
// has no SELECT or selects * (the items are not known by position).
func selectList(st *sqlast.Statement) []string {
	var items [][]sqlast.Token
	in := false
	for _, tok := range st.Tokens {
		switch {
		case tok.Depth != 0:
			if in {
				items[len(items)-1] = append(items[len(items)-1], tok)
			}
		case !in && tok.Is("SELECT"):
			in = true
			items = append(items, nil)
		case in && (tok.Is("FROM") || tok.IsPunct(";")):
			in = false
		case in && tok.IsPunct(","):
			items = append(items, nil)
		case in && !tok.Is("DISTINCT") && !tok.Is("ALL"):
			items[len(items)-1] = append(items[len(items)-1], tok)
		}
		if !in && items != nil && tok.Is("FROM") {
			break
		}
	}
	if items == nil {
		return nil
	}
	out := make([]string, len(items))
	for i, it := range items {
		switch {
		case len(it) == 1 && it[0].IsPunct("*"):
			return nil
		case len(it) == 1 && it[0].IsIdent():
			out[i] = it[0].Name
		case len(it) == 3 && it[0].IsIdent() && it[1].IsPunct(".") && it[2].IsIdent():
			out[i] = it[2].Name
		case len(it) == 3 && it[0].IsIdent() && it[1].Is("AS") && it[2].IsIdent():
			out[i] = it[0].Name
		case len(it) == 3 && it[0].IsIdent() && it[1].IsPunct(".") && it[2].IsPunct("*"):
			return nil
		}
	}
	return out
}
