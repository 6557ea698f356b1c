package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/lint/sqlast"
)

var (
	pgOnly      = []string{Postgres}
	myOnly      = []string{MySQL}
	pgMy        = []string{Postgres, MySQL}
	every       = []string{Postgres, MySQL, SQLite}
	pgSL        = []string{Postgres, SQLite}
	transaction = []string{Postgres, SQLite} // dialects with transactional DDL
)

// indexName is the name of the index CREATE INDEX makes (zero when unnamed).
func indexName(st *sqlast.Statement) sqlast.Name {
	if st.Index == nil {
		return sqlast.Name{}
	}
	return st.Index.Name
}

// names are the objects of a statement: Names, or Name alone.
func names(st *sqlast.Statement) []sqlast.Name {
	if len(st.Names) > 0 {
		return st.Names
	}
	if st.Name.IsZero() {
		return nil
	}
	return []sqlast.Name{st.Name}
}

// replacedLater reports whether a later statement renames a table to
// name: the dropped table is replaced by a copy (a rebuild).
func replacedLater(c *Check, name string) bool {
	for _, st := range c.Later() {
		switch st.Kind {
		case sqlast.AlterTable:
			for _, a := range actions(st) {
				if a.Kind == sqlast.RenameTo && strings.EqualFold(a.NewName, name) {
					return true
				}
			}
		case sqlast.RenameTable:
			for _, r := range st.Renames {
				if strings.EqualFold(r.To.Object(), name) {
					return true
				}
			}
		}
	}
	return false
}

func destructiveRules() []*Rule {
	return []*Rule{
		{
			Code: "RT101", Name: "drop-table", Severity: Error, Dialects: every,
			Summary: "DROP TABLE of a table that existed before the revision",
			Doc: Doc{
				What:    "`DROP TABLE` of a table the revision did not create, unless a later statement renames another table to its name (the move-and-copy rebuild SQLite needs, and retort's batch operations write: the rows were copied first).",
				Why:     "The rows are gone the moment the revision commits, and the application version still running reads and writes the table: its queries fail until the new version is deployed everywhere. A downgrade recreates an empty table, not the data.",
				Safe:    "Stop using the table in the application first and deploy that; keep a backup (or rename the table and drop it in a later revision, once nothing complained).",
				SafeSQL: "-- revision N: the application no longer reads legacy_orders\nALTER TABLE legacy_orders RENAME TO legacy_orders_retired;\n-- revision N+1, after a release without complaints:\n-- retort:ignore RT101 retired in revision N, backup in s3://backups/legacy_orders\nDROP TABLE legacy_orders_retired;",
				Dialect: Postgres,
				Fires:   "DROP TABLE legacy_orders;",
				Passes:  "CREATE TABLE scratch (id int PRIMARY KEY);\nDROP TABLE scratch;",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.DropTable || c.Stmt.Temporary || c.Stmt.HasSeq("DROP", "TEMPORARY") {
					return
				}
				for _, n := range names(c.Stmt) {
					if !c.Created(n) && !replacedLater(c, n.Object()) {
						c.Report(fmt.Sprintf("DROP TABLE %s deletes the table and every row in it, and the running application's queries on it fail", n),
							"stop using the table in the application and deploy that first, keep a backup, then drop it (suppress with the reason)")
						return
					}
				}
			},
		},
		{
			Code: "RT103", Name: "drop-schema-or-database", Severity: Error, Dialects: every,
			Summary: "DROP SCHEMA or DROP DATABASE",
			Doc: Doc{
				What:    "`DROP SCHEMA` or `DROP DATABASE` in a revision.",
				Why:     "Every table, view and function inside goes with it, with their data; nothing in the statement says how much that is.",
				Safe:    "Drop the objects one by one in revisions that name them, after the application stopped using them; drop the empty schema last.",
				SafeSQL: "DROP TABLE reporting.daily_totals;\nDROP SCHEMA reporting RESTRICT; -- fails while anything is left",
				Dialect: Postgres,
				Fires:   "DROP SCHEMA reporting CASCADE;",
				Passes:  "CREATE SCHEMA reporting;",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.DropSchema {
					return
				}
				what := c.Stmt.ObjectType
				if what == "" {
					what = "SCHEMA"
				}
				c.Report(fmt.Sprintf("DROP %s %s deletes every object in it with its data", what, c.Stmt.Name),
					"drop the objects one by one in revisions that name them, then the empty schema (with RESTRICT on PostgreSQL)")
			},
		},
		{
			Code: "RT104", Name: "truncate", Severity: Warning, Dialects: pgMy,
			Summary: "TRUNCATE (an error with CASCADE)",
			Doc: Doc{
				What:    "`TRUNCATE` of a table; with `CASCADE` (PostgreSQL) an error, since it also empties every table whose foreign keys point at it.",
				Why:     "TRUNCATE deletes every row without a WHERE and cannot be undone by a downgrade; it takes an ACCESS EXCLUSIVE lock (PostgreSQL) or a metadata lock (MySQL). CASCADE silently extends it to the referencing tables.",
				Safe:    "Delete the rows you mean, in batches, outside the DDL revision; name every table to empty explicitly.",
				SafeSQL: "DELETE FROM session_token WHERE expires_at < now() - interval '30 days';",
				Dialect: Postgres,
				Fires:   "TRUNCATE customer CASCADE;",
				Passes:  "CREATE TABLE import_batch (id int);\nTRUNCATE import_batch;",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.Truncate {
					return
				}
				for _, n := range names(c.Stmt) {
					if c.Created(n) {
						continue
					}
					if c.Stmt.Cascade {
						c.ReportAt(Error, fmt.Sprintf("TRUNCATE %s CASCADE deletes every row of %s and of every table with a foreign key to it", n, n),
							"name each table to empty (TRUNCATE a, b) so that the statement says what it deletes")
					} else {
						c.Report(fmt.Sprintf("TRUNCATE %s deletes every row, and no downgrade brings them back", n),
							"delete the rows you mean with a WHERE, in batches, in a data revision")
					}
					return
				}
			},
		},
		{
			Code: "RT106", Name: "drop-cascade", Severity: Error, Dialects: pgOnly,
			Summary: "DROP ... CASCADE",
			Doc: Doc{
				What:    "A `DROP` of any object with `CASCADE`.",
				Why:     "CASCADE drops whatever depends on the object, views, foreign keys, defaults, without naming them: the statement does more than it says, and the revision's downgrade does not recreate them.",
				Safe:    "Drop the dependent objects explicitly first, then the object with RESTRICT (the default), which fails if anything still depends on it.",
				SafeSQL: "DROP VIEW active_customer;\nDROP TABLE customer_legacy;",
				Dialect: Postgres,
				Fires:   "DROP TYPE mood CASCADE;",
				Passes:  "DROP TYPE mood;",
			},
			stmt: func(c *Check) {
				k := c.Stmt.Kind
				if (k == sqlast.DropTable || k == sqlast.DropIndex || k == sqlast.DropObject || k == sqlast.DropSchema) && c.Stmt.Cascade {
					c.Report(fmt.Sprintf("DROP %s %s CASCADE also drops every object that depends on it (views, foreign keys, defaults), unnamed", c.Stmt.ObjectType, c.Stmt.Name),
						"drop the dependent objects explicitly first, then drop this one without CASCADE")
				}
			},
		},
		{
			Code: "RT109", Name: "drop-system-versioning", Severity: Error, Dialects: myOnly,
			Summary: "MariaDB DROP SYSTEM VERSIONING deletes the table's history",
			Doc: Doc{
				What:    "`ALTER TABLE ... DROP SYSTEM VERSIONING` (MariaDB).",
				Why:     "The table's history rows are deleted with the versioning; the table is also copied.",
				Safe:    "Archive the history first (`SELECT * FROM t FOR SYSTEM_TIME ALL` into an archive table), then drop versioning.",
				SafeSQL: "CREATE TABLE price_history AS SELECT * FROM price FOR SYSTEM_TIME ALL;\n-- retort:ignore RT109 history archived in price_history\nALTER TABLE price DROP SYSTEM VERSIONING;",
				Dialect: MySQL,
				Fires:   "ALTER TABLE price DROP SYSTEM VERSIONING;",
				Passes:  "ALTER TABLE price ADD SYSTEM VERSIONING;",
			},
			stmt: func(c *Check) {
				if slices.ContainsFunc(actions(c.Stmt), func(a *sqlast.Action) bool { return a.Kind == sqlast.DropSystemVersioning }) {
					c.Report(fmt.Sprintf("DROP SYSTEM VERSIONING deletes every history row of %s", c.Stmt.Name),
						"copy the history out first (CREATE TABLE archive AS SELECT * FROM t FOR SYSTEM_TIME ALL)")
				}
			},
		},
	}
}
