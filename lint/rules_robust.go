package lint

import (
	"fmt"
	"strings"

	"github.com/retortdb/retort/lint/sqlast"
)

// notRerunnable says why a PostgreSQL statement fails when it runs a
// second time after it succeeded (a resumed revision), or "" when it can
// run again: the forms that have IF [NOT] EXISTS and do not say it.
func notRerunnable(st *sqlast.Statement, earlier []*sqlast.Statement) string {
	switch st.Kind {
	case sqlast.CreateIndex:
		if !st.IfNotExists {
			return "CREATE INDEX without IF NOT EXISTS"
		}
	case sqlast.DropIndex:
		if !st.IfExists {
			return "DROP INDEX without IF EXISTS"
		}
	case sqlast.CreateTable:
		if !st.IfNotExists && !st.OrReplace && !st.Temporary {
			return "CREATE TABLE without IF NOT EXISTS"
		}
	case sqlast.DropTable:
		if !st.IfExists {
			return "DROP TABLE without IF EXISTS"
		}
	case sqlast.AlterType:
		if a := st.AlterType; a != nil && a.Op == "ADD VALUE" && !a.IfNotExists {
			return "ALTER TYPE ... ADD VALUE without IF NOT EXISTS"
		}
	case sqlast.AlterTable:
		for _, a := range actions(st) {
			switch {
			case a.Kind == sqlast.AddColumn && !a.IfNotExists:
				return "ADD COLUMN without IF NOT EXISTS"
			case a.Kind == sqlast.DropColumn && !a.IfExists:
				return "DROP COLUMN without IF EXISTS"
			case a.Kind == sqlast.DropConstraint && !a.IfExists:
				return "DROP CONSTRAINT without IF EXISTS"
			case a.Kind == sqlast.AddConstraint && a.Constraint != nil && !droppedIfExists(st.Name, a.Constraint.Name, earlier):
				// PostgreSQL has no ADD CONSTRAINT IF NOT EXISTS: a
				// DROP CONSTRAINT IF EXISTS before it makes it re-runnable.
				return "ADD CONSTRAINT without a DROP CONSTRAINT IF EXISTS before it"
			}
		}
	}
	return ""
}

// droppedIfExists reports whether an earlier statement drops constraint
// name of table with IF EXISTS.
func droppedIfExists(table sqlast.Name, name string, earlier []*sqlast.Statement) bool {
	if name == "" {
		return false
	}
	for _, e := range earlier {
		if e.Kind != sqlast.AlterTable || key(e.Name) != key(table) {
			continue
		}
		for _, a := range actions(e) {
			if a.Kind == sqlast.DropConstraint && a.IfExists && strings.EqualFold(a.Name, name) {
				return true
			}
		}
	}
	return false
}

// robustRules are the rules on revisions that must be able to run again
// after a partial failure.
func robustRules() []*Rule {
	return []*Rule{
		{
			Code: "RT705", Name: "non-idempotent-outside-transaction", Severity: Warning, Dialects: pgOnly,
			Summary: "a statement outside the revision's transaction that fails when run again",
			Doc: Doc{
				What: "On PostgreSQL, a statement after `-- +no-transaction` (run outside the revision's transaction) that fails when it runs a second time: " +
					"CREATE INDEX, CREATE TABLE and ALTER TYPE ... ADD VALUE without IF NOT EXISTS; DROP INDEX, DROP TABLE, DROP COLUMN and DROP CONSTRAINT without IF EXISTS; " +
					"ADD COLUMN without IF NOT EXISTS; ADD CONSTRAINT without a `DROP CONSTRAINT IF EXISTS` of the same name before it. " +
					"Statements in the revision's transaction are exempt: a failure rolls them all back. " +
					"MySQL and MariaDB commit every DDL statement on its own, but MySQL 8.0 has no IF [NOT] EXISTS for most ALTER TABLE forms: RT415 covers them (one DDL statement per revision).",
				Why: "Outside a transaction a failure leaves the statements before it applied: retort leaves the step dirty and refuses to run on until `retort resolve` (docs/safety.md). " +
					"With statements that can run again, recovering is `retort resolve REV --rolled-back` and the same upgrade again: what had succeeded is skipped. " +
					"Without, each applied statement must first be finished or undone by hand, on production, under pressure. A failed CREATE INDEX CONCURRENTLY also leaves an INVALID index behind.",
				Safe:    "Write the statements so that they can run again: IF NOT EXISTS / IF EXISTS, and a DROP ... IF EXISTS before a CREATE INDEX CONCURRENTLY or an ADD CONSTRAINT (which removes an INVALID index a failed build left).",
				SafeSQL: "-- +no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id);",
				Dialect: Postgres,
				Fires:   "-- +no-transaction\nCREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);",
				Passes:  "-- +no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id);",
			},
			stmt: func(c *Check) {
				if c.InTx {
					return
				}
				if why := notRerunnable(c.Stmt, c.Earlier()); why != "" {
					c.Report(fmt.Sprintf("%s, outside the revision's transaction: if the revision fails after it, running it again fails here, and the step must be repaired by hand", why),
						"make it re-runnable: IF [NOT] EXISTS, or a DROP ... IF EXISTS before it")
				}
			},
		},
	}
}
