package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

// A guard makes a move and copy fail, online and in an offline script,
// when a query finds a problem: SQLite has no statement that fails on
// a condition outside a trigger, so the guard is a temporary table with
// one CHECK constraint per problem, named by the problem's message, and
// a problem found is a row inserted that breaks its CHECK: SQLite
// reports "CHECK constraint failed: <message>". In the sqlite3 shell
// the script must run with -bail (as `retort upgrade --sql` says), or
// the shell goes on after the error.
const guardTable = "_retort_guard"

// guardCheck is one problem a guard looks for.
type guardCheck struct {
	key string // the value inserted when found; the CHECK refuses it
	msg string // what SQLite reports: the CHECK constraint's name
	// exists is a query that returns a row when the problem is there.
	exists string
	// after is true for a check that runs after the copy, false for one
	// that runs before anything changes.
	after bool
}

// guardCreate creates the guard table for checks.
func (d *Dialect) guardCreate(checks []guardCheck) dialect.Stmt {
	var b strings.Builder
	b.WriteString("CREATE TEMP TABLE " + d.QuoteIdent(guardTable) + " (\n    problem TEXT")
	for _, c := range checks {
		b.WriteString(",\n    CONSTRAINT " + d.QuoteIdent(c.msg) + " CHECK (problem IS NOT '" + c.key + "')")
	}
	b.WriteString("\n)")
	return dialect.Stmt{SQL: b.String()}
}

// guardInsert fails when c's problem is there.
func (d *Dialect) guardInsert(c guardCheck) dialect.Stmt {
	return dialect.Stmt{SQL: "INSERT INTO temp." + d.QuoteIdent(guardTable) + " (problem)\nSELECT '" + c.key + "' WHERE EXISTS (" + c.exists + ")"}
}

// guardDrop drops the guard table.
func (d *Dialect) guardDrop() dialect.Stmt {
	return dialect.Stmt{SQL: "DROP TABLE temp." + d.QuoteIdent(guardTable)}
}

// str is s as a SQL string literal (names hold no NUL byte).
func str(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// pragmaArgs are the arguments of a table-valued pragma function on
// table t: its name, and its attached database when it has one.
func pragmaArgs(t schema.TableName) string {
	if t.Schema != "" {
		return str(t.Name) + ", " + str(t.Schema)
	}
	return str(t.Name)
}

// master is the schema table of t's database.
func (d *Dialect) master(t schema.TableName) string {
	if t.Schema != "" {
		return d.QuoteIdent(t.Schema) + ".sqlite_master"
	}
	return "sqlite_master"
}

// referrers is a query for the tables other than t with a foreign key to
// t, one row per table, named "name".
func (d *Dialect) referrers(t schema.TableName) string {
	db := "'main'"
	if t.Schema != "" {
		db = str(t.Schema)
	}
	return "SELECT DISTINCT m.name FROM " + d.master(t) + " m JOIN pragma_foreign_key_list(m.name, " + db + ") f\n" +
		"WHERE m.type = 'table' AND m.name <> " + str(t.Name) + " COLLATE NOCASE AND f.\"table\" = " + str(t.Name) + " COLLATE NOCASE"
}

// fkEnforcedCheck fails, offline, when foreign keys are enforced and
// other tables refer to t: DROP TABLE would delete their rows by ON
// DELETE CASCADE, clear them by SET NULL, or fail.
func (d *Dialect) fkEnforcedCheck(t schema.TableName) guardCheck {
	return guardCheck{
		key:    "foreign_keys",
		msg:    fkEnforcedMsg(t, ""),
		exists: "SELECT 1 FROM pragma_foreign_keys WHERE foreign_keys = 1 AND EXISTS (" + d.referrers(t) + ")",
	}
}

func fkEnforcedMsg(t schema.TableName, tables string) string {
	who := "other tables refer to " + t.String()
	if tables != "" {
		who = "tables " + tables + " refer to " + t.String()
	}
	return "batch on " + t.String() + ": foreign keys are enforced (PRAGMA foreign_keys = 1) and " + who +
		", so dropping the old table in the move and copy would delete or change their rows (ON DELETE actions) or fail: " +
		"run this migration on a connection with foreign keys off (SQLite's default; the pragma cannot change inside the migration's transaction)"
}

// triggersCheck fails, offline, when t has triggers: a script made from
// CopyFrom does not know them and DROP TABLE would drop them.
func (d *Dialect) triggersCheck(t schema.TableName) guardCheck {
	return guardCheck{
		key: "triggers",
		msg: "batch on " + t.String() + ": the table has triggers, which this offline move and copy does not know (CopyFrom describes the table only) and DROP TABLE would drop: " +
			"drop them in the revision before the batch (op.Execute) and create them again after it, or run the migration online, where retort creates them again",
		exists: "SELECT 1 FROM " + d.master(t) + " WHERE type = 'trigger' AND tbl_name = " + str(t.Name) + " COLLATE NOCASE",
	}
}

// indexesCheck fails, offline, when t has an index (with SQL text: not
// one of a constraint) whose name is not among names, those CopyFrom
// describes: DROP TABLE would drop it.
func (d *Dialect) indexesCheck(t schema.TableName, names []string) guardCheck {
	q := "SELECT 1 FROM " + d.master(t) + " WHERE type = 'index' AND tbl_name = " + str(t.Name) + " COLLATE NOCASE AND sql IS NOT NULL"
	if len(names) > 0 {
		lits := make([]string, len(names))
		for i, n := range names {
			lits[i] = str(n)
		}
		q += " AND name COLLATE NOCASE NOT IN (" + strings.Join(lits, ", ") + ")"
	}
	return guardCheck{
		key: "indexes",
		msg: "batch on " + t.String() + ": the table has indexes that CopyFrom does not describe, which DROP TABLE would drop: " +
			"add them to CopyFrom (schema.Table.Index, under their names), or drop them in the revision before the batch and create them again after it",
		exists: q,
	}
}

// fkViolationCheck fails when, after the copy, rows of t break its
// foreign keys (PRAGMA foreign_key_check), naming the parent tables.
func (d *Dialect) fkViolationCheck(t schema.TableName, fks []schema.ForeignKey) guardCheck {
	var parents []string
	for _, fk := range fks {
		if !containsFold(parents, fk.RefTable) {
			parents = append(parents, fk.RefTable)
		}
	}
	return guardCheck{
		key: "foreign_key_check",
		msg: "batch on " + t.String() + ": after the copy, rows of " + t.String() + " refer to rows of " + strings.Join(parents, ", ") +
			" that do not exist (PRAGMA foreign_key_check(" + t.Name + ") lists them): fix or delete those rows in the revision before the batch",
		exists: "SELECT 1 FROM pragma_foreign_key_check(" + pragmaArgs(t) + ")",
		after:  true,
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// fkViolationRaise are the statements that fail, online on SQLite 3.47
// or later (RAISE with an expression), when after the copy a row of t
// breaks a foreign key, with a message naming its rowid, its columns and
// the parent table.
func (d *Dialect) fkViolationRaise(t schema.TableName) []dialect.Stmt {
	g := d.QuoteIdent(guardTable)
	args := pragmaArgs(t)
	msg := str("batch on "+t.String()+": after the copy, the row of "+t.String()+" with rowid ") +
		" || coalesce(c.rowid, 'NULL') || " + str(" refers by column(s) ") +
		" || coalesce((SELECT group_concat(\"from\", ', ') FROM pragma_foreign_key_list(" + args + ") WHERE id = c.fkid), '?') || " +
		str(" to a row of ") + " || c.parent || " + str(" that does not exist; ") +
		" || (SELECT count(*) FROM pragma_foreign_key_check(" + args + ")) || " +
		str(" row(s) in all break a foreign key of "+t.String()+" (PRAGMA foreign_key_check("+t.Name+") lists them): fix or delete them in the revision before the batch")
	return []dialect.Stmt{
		{SQL: "CREATE TEMP TABLE " + g + " (problem TEXT)"},
		{SQL: "CREATE TEMP TRIGGER " + d.QuoteIdent(guardTable+"_fails") + " BEFORE INSERT ON " + g + " BEGIN SELECT RAISE(ABORT, NEW.problem); END"},
		{SQL: "INSERT INTO temp." + g + " (problem)\nSELECT " + msg + "\nFROM pragma_foreign_key_check(" + args + ") c LIMIT 1"},
		d.guardDrop(),
	}
}

// raiseTakesExpr reports whether SQLite version v ("3.47.0") accepts an
// expression as RAISE's message, which came with 3.47.0.
func raiseTakesExpr(v string) bool {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return major > 3 || major == 3 && minor >= 47
}

// onlineChecks reads, online, what a move and copy of t must know before
// it renders: it refuses when foreign keys are enforced and other tables
// refer to t, and tells whether RAISE takes an expression.
func (d *Dialect) onlineChecks(ctx context.Context, q dialect.Querier, t schema.TableName) (raiseExpr bool, err error) {
	var on int
	if err := q.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&on); err != nil {
		return false, fmt.Errorf("batch on %s: read PRAGMA foreign_keys: %w", t, err)
	}
	if on == 1 {
		rows, err := q.QueryContext(ctx, d.referrers(t))
		if err != nil {
			return false, fmt.Errorf("batch on %s: read the tables that refer to it: %w", t, err)
		}
		var names []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return false, fmt.Errorf("batch on %s: read the tables that refer to it: %w", t, err)
			}
			names = append(names, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return false, fmt.Errorf("batch on %s: read the tables that refer to it: %w", t, err)
		}
		if len(names) > 0 {
			return false, errors.New(fkEnforcedMsg(t, strings.Join(names, ", ")))
		}
	}
	var v string
	if err := q.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v); err != nil {
		return false, fmt.Errorf("batch on %s: read sqlite_version(): %w", t, err)
	}
	return raiseTakesExpr(v), nil
}
