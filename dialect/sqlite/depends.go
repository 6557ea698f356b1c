package sqlite

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

// dependent is a trigger or view that a move and copy drops before it
// drops the table, and creates again from its own SQL after the rename:
// the table's triggers (DROP TABLE drops them), and the views and the
// triggers of other tables or views whose SQL names the table, or names
// such a view (with legacy_alter_table off, SQLite's default, the RENAME
// of the new table checks the whole schema and fails on a view or
// trigger naming a table that does not exist at that moment).
type dependent struct {
	typ  string // "trigger" or "view"
	name string
	tbl  string // the table or view a trigger is on; a view's own name
	sql  string
}

// String is "trigger <name>" or "view <name>", for messages.
func (dep dependent) String() string { return dep.typ + " " + dep.name }

// dependents reads, online, the triggers and views a move and copy of
// table name must drop and create again, in the order they were created.
// Objects in the temp schema (temporary triggers) are not read.
func (d *Dialect) dependents(ctx context.Context, q dialect.Querier, name schema.TableName) ([]dependent, error) {
	rows, err := q.QueryContext(ctx, "SELECT type, name, tbl_name, sql FROM "+d.master(name)+" WHERE type IN ('trigger', 'view') AND sql IS NOT NULL ORDER BY rowid")
	if err != nil {
		return nil, fmt.Errorf("read the triggers and views of %s: %w", name, err)
	}
	var all []dependent
	for rows.Next() {
		var o dependent
		if err := rows.Scan(&o.typ, &o.name, &o.tbl, &o.sql); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read the triggers and views of %s: %w", name, err)
		}
		all = append(all, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the triggers and views of %s: %w", name, err)
	}
	return closure(all, name.Name), nil
}

// closure returns the objects of all that depend on table: triggers on
// it, and views and triggers whose SQL names it or names a view that
// depends on it, repeatedly. Names are compared as SQLite does,
// case-insensitively; a word that merely looks like the name (a column
// alias, a string) counts too, which only drops and creates an object
// that did not need it.
func closure(all []dependent, table string) []dependent {
	names := map[string]bool{strings.ToLower(table): true}
	in := make([]bool, len(all))
	for changed := true; changed; {
		changed = false
		for i, o := range all {
			if in[i] {
				continue
			}
			if o.typ == "trigger" && names[strings.ToLower(o.tbl)] || namesAny(o.sql, names, true) {
				in[i], changed = true, true
				if o.typ == "view" {
					names[strings.ToLower(o.name)] = true
				}
			}
		}
	}
	var out []dependent
	for i, o := range all {
		if in[i] {
			out = append(out, o)
		}
	}
	return out
}

// words returns the lowercased names in SQL text s: bare words and quoted
// identifiers, inside parentheses too, and string literals' values when
// strs is true (SQLite reads a string as a name where only a name fits).
func words(s string, strs bool, out map[string]bool) {
	for _, tk := range tokenize(s) {
		switch tk.kind {
		case tWord, tIdent:
			out[strings.ToLower(tk.name())] = true
		case tString:
			if strs && len(tk.text) >= 2 && tk.text[0] == '\'' {
				out[strings.ToLower(strings.ReplaceAll(tk.text[1:len(tk.text)-1], "''", "'"))] = true
			}
		case tGroup:
			words(inner(tk), strs, out)
		}
	}
}

// namesAny reports whether SQL text s names any of names (lowercase).
func namesAny(s string, names map[string]bool, strs bool) bool {
	w := map[string]bool{}
	words(s, strs, w)
	for n := range names {
		if w[n] {
			return true
		}
	}
	return false
}

// checkDependents refuses a move and copy after which a dependent
// trigger or view would name a column that is gone: dropped, or renamed
// (its SQL is created again as it was, and SQLite would only find out
// when the trigger fires or the view is read). gone maps each column of
// the old table missing from the new one to its new name ("" when
// dropped).
func checkDependents(deps []dependent, gone map[string]string, table schema.TableName) error {
	cols := slices.Sorted(maps.Keys(gone))
	for _, dep := range deps {
		w := map[string]bool{}
		words(dep.sql, false, w)
		for _, col := range cols {
			if !w[strings.ToLower(col)] {
				continue
			}
			to := gone[col]
			if to == "" {
				return fmt.Errorf("batch on %s: %s may use column %s, which the batch drops, and would be created again as it is, broken: drop the %s in the revision before this batch (op.Execute(\"DROP %s …\")) and create it again after the batch, written for the new columns",
					table, dep, col, dep.typ, strings.ToUpper(dep.typ))
			}
			return fmt.Errorf("batch on %s: %s may use column %s, which the batch renames to %s, and its SQL would be created again as it is, naming the old column: rename the column outside a batch (ALTER TABLE … RENAME COLUMN rewrites triggers and views), or drop the %s in the revision before this batch and create it again after",
				table, dep, col, to, dep.typ)
		}
	}
	return nil
}

// inSchema returns a CREATE INDEX, TRIGGER or VIEW statement read from
// the sqlite_master of attached database db, with the object's name
// qualified by db so that it is created there again (SQLite keeps the
// text without the qualifier; run as it is, it would create the object
// in main). With db empty it returns s.
func (d *Dialect) inSchema(s, db string) (string, error) {
	if db == "" {
		return s, nil
	}
	i := 0
	word := func(w string) bool {
		j := i
		for j < len(s) && strings.ContainsRune(" \t\r\n", rune(s[j])) {
			j++
		}
		if len(s)-j > len(w) && strings.EqualFold(s[j:j+len(w)], w) && strings.ContainsRune(" \t\r\n", rune(s[j+len(w)])) {
			i = j + len(w)
			return true
		}
		return false
	}
	ok := word("CREATE")
	word("UNIQUE")
	ok = ok && (word("INDEX") || word("TRIGGER") || word("VIEW"))
	if !ok {
		return "", fmt.Errorf("cannot read %q to create it again in attached database %s: drop it in the revision before the batch and create it again after", s, db)
	}
	save := i
	if !(word("IF") && word("NOT") && word("EXISTS")) {
		i = save
	}
	for i < len(s) && strings.ContainsRune(" \t\r\n", rune(s[i])) {
		i++
	}
	return s[:i] + d.QuoteIdent(db) + "." + s[i:], nil
}
