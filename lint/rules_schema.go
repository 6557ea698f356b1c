package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/lint/sqlast"
)

// This file holds the general schema rules: compatibility (RT102-RT207),
// data (RT210, RT601, RT604) and design (RT801-RT815).

// existingTable reports whether the statement's table existed before the
// revision: it was not created by an earlier statement.
func existingTable(c *Check) bool {
	return !c.Stmt.Name.IsZero() && !c.Created(c.Stmt.Name)
}

// addedColumn reports whether an earlier statement of the revision added
// column col to table (then changing or dropping it touches no old data).
func addedColumn(c *Check, table sqlast.Name, col string) bool {
	for _, st := range c.Earlier() {
		if st.Kind != sqlast.AlterTable || !strings.EqualFold(st.Name.Object(), table.Object()) {
			continue
		}
		for _, a := range actions(st) {
			if a.Kind == sqlast.AddColumn && a.Column != nil && strings.EqualFold(a.Column.Name, col) {
				return true
			}
		}
	}
	return false
}

// createdType reports whether an earlier statement created the type n.
func createdType(c *Check, n sqlast.Name) bool {
	for _, st := range c.Earlier() {
		if st.Kind == sqlast.CreateType && strings.EqualFold(st.Name.Object(), n.Object()) {
			return true
		}
	}
	return false
}

// compatSchemaRules are the destructive and compatibility rules on
// columns and constraints.
func compatSchemaRules() []*Rule {
	return []*Rule{
		{
			Code: "RT102", Name: "drop-column", Severity: Error, Dialects: every,
			Summary: "DROP COLUMN of a column that existed before the revision",
			Doc: Doc{
				What:    "`ALTER TABLE ... DROP COLUMN` on a table the revision did not create, of a column the revision did not add. The rule cannot see whether the column is virtual (computed, no data): suppress it with that reason.",
				Why:     "The column's values are gone when the revision commits, and the application version still running selects or inserts it: those queries fail until every instance runs the new code (ORMs that list every column in SELECT and INSERT fail on every query). A downgrade adds back an empty column. On SQLite the drop also rewrites the whole table.",
				Safe:    "Release an application version that no longer reads or writes the column first (Rails `ignored_columns`, Django: remove the field with `SeparateDatabaseAndState`), check the values are not needed, then drop it in a later revision.",
				SafeSQL: "-- revision N+1, after the release that ignores the column:\n-- retort:ignore RT102 unused since release 4.2, values archived in orders_note_archive\nALTER TABLE orders DROP COLUMN note;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders DROP COLUMN note;",
				Passes:  "ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders DROP COLUMN note;",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.AlterTable || !existingTable(c) {
					return
				}
				for _, a := range actions(c.Stmt) {
					if a.Kind != sqlast.DropColumn || addedColumn(c, c.Stmt.Name, a.ColumnName) {
						continue
					}
					c.Report(fmt.Sprintf("DROP COLUMN %s.%s deletes the column's values, and the running application's queries that name it fail", c.Stmt.Name, a.ColumnName),
						"release an application version that no longer uses the column first, then drop it in a later revision (suppress with the reason)")
					return
				}
			},
		},
		{
			Code: "RT105", Name: "drop-constraint", Severity: Warning, Dialects: every,
			Summary: "dropping a foreign key, check, primary key or unique constraint",
			Doc: Doc{
				What:    "`DROP CONSTRAINT`, MySQL `DROP PRIMARY KEY`, `DROP FOREIGN KEY`, `DROP CHECK` on a table the revision did not create, unless a later statement of the revision adds a constraint of the same name back (a redefinition).",
				Why:     "The rule the constraint enforced is gone: rows the application relied on being unique, related or valid can now be written, and restoring the constraint later fails on them. On PostgreSQL dropping a foreign key takes an ACCESS EXCLUSIVE lock on both the table and the referenced table.",
				Safe:    "Make sure no code relies on the constraint; to change it, add the new constraint (NOT VALID, then VALIDATE) before dropping the old one.",
				SafeSQL: "ALTER TABLE orders ADD CONSTRAINT orders_total_check2 CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_check2;\nALTER TABLE orders DROP CONSTRAINT orders_total_check;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;",
				Passes:  "ALTER TABLE orders DROP CONSTRAINT orders_total_check;\nALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.AlterTable || !existingTable(c) {
					return
				}
				for _, a := range actions(c.Stmt) {
					var what string
					switch a.Kind {
					case sqlast.DropConstraint:
						what = "constraint " + a.Name
					case sqlast.DropForeignKey:
						what = "foreign key " + a.Name
					case sqlast.DropPrimaryKey:
						what = "the primary key"
					default:
						continue
					}
					if a.Name != "" && readdedLater(c, a.Name) {
						continue
					}
					c.Report(fmt.Sprintf("dropping %s of %s lets rows it refused be written, and re-adding it later fails on them", what, c.Stmt.Name),
						"check no code relies on it; to change a constraint, add the new one (NOT VALID, then VALIDATE) before dropping the old")
					return
				}
			},
		},
		{
			Code: "RT108", Name: "create-table-replacing", Severity: Error, Dialects: every,
			Summary: "CREATE OR REPLACE TABLE, or a table dropped and created again",
			Doc: Doc{
				What:    "MariaDB `CREATE OR REPLACE TABLE`, and `CREATE TABLE` of a table an earlier statement of the revision dropped while it existed before the revision (what Rails `create_table ..., force: true` and hand-written `DROP TABLE IF EXISTS` + `CREATE TABLE` scripts do).",
				Why:     "The table is replaced by an empty one: every row is gone, without a DROP in sight for `CREATE OR REPLACE`. A revision that works on an empty development database wipes the production table.",
				Safe:    "Change the existing table with ALTER TABLE; to really start over, drop it in its own reviewed revision.",
				SafeSQL: "ALTER TABLE settings ADD COLUMN scope text NOT NULL DEFAULT 'global';",
				Dialect: MySQL,
				Fires:   "CREATE OR REPLACE TABLE settings (id bigint PRIMARY KEY, name varchar(100) NOT NULL);",
				Passes:  "CREATE TABLE IF NOT EXISTS settings (id bigint PRIMARY KEY, name varchar(100) NOT NULL);",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.CreateTable || c.Stmt.Temporary || c.Stmt.Name.IsZero() {
					return
				}
				n := c.Stmt.Name
				if c.Stmt.OrReplace {
					c.Report(fmt.Sprintf("CREATE OR REPLACE TABLE %s drops the existing table and every row in it", n),
						"change the existing table with ALTER TABLE, or create it only when missing (CREATE TABLE IF NOT EXISTS)")
					return
				}
				created := map[string]bool{}
				for _, st := range c.Earlier() {
					switch st.Kind {
					case sqlast.CreateTable:
						created[key(st.Name)] = true
					case sqlast.DropTable:
						for _, d := range names(st) {
							if strings.EqualFold(d.Object(), n.Object()) && !created[key(d)] && !st.Temporary {
								c.Report(fmt.Sprintf("%s is dropped and created again: the table existed before the revision, and its rows are gone", n),
									"change the existing table with ALTER TABLE instead of recreating it")
								return
							}
						}
					}
				}
			},
		},
		{
			Code: "RT203", Name: "add-required-column", Severity: Error, Dialects: every,
			Summary: "ADD COLUMN ... NOT NULL without a default on an existing table",
			Doc: Doc{
				What:    "`ADD COLUMN` of a `NOT NULL` column without `DEFAULT` (nor identity, serial, AUTO_INCREMENT or generated expression) to a table the revision did not create.",
				Why:     "PostgreSQL and SQLite refuse the statement on a table that has rows, so the revision passes on an empty development database and fails in production. Where it succeeds (MySQL fills a zero value, see RT204), the running application's INSERTs, which do not know the column, fail.",
				Safe:    "Add the column nullable or with a default, backfill it, then set NOT NULL in a later revision (on PostgreSQL through a validated CHECK (col IS NOT NULL) first).",
				SafeSQL: "ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL DEFAULT 'EUR';",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ADD COLUMN currency text NOT NULL;",
				Passes:  "ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.AlterTable || !existingTable(c) {
					return
				}
				for _, a := range actions(c.Stmt) {
					if a.Kind == sqlast.AddColumn && a.Column != nil && a.Column.NotNull && !a.Column.ServerFilled() {
						c.Report(fmt.Sprintf("ADD COLUMN %s NOT NULL without a default fails on a table with rows, and the running application's INSERTs do not give it a value", a.Column.Name),
							"add it nullable or with a DEFAULT, backfill, then set NOT NULL in a later revision")
						return
					}
				}
			},
		},
		{
			Code: "RT204", Name: "implicit-zero-fill", Severity: Warning, Dialects: myOnly,
			Summary: "MySQL fills a NOT NULL column without default with 0, '' or a zero date",
			Doc: Doc{
				What:    "On MySQL and MariaDB, `ADD COLUMN ... NOT NULL` without `DEFAULT` on a table the revision did not create.",
				Why:     "MySQL and MariaDB accept the statement and silently give every existing row the type's implicit default: 0, the empty string, or the zero date `0000-00-00`. The rows now hold values nobody wrote, which the application cannot tell from real ones.",
				Safe:    "Say what existing rows get with an explicit DEFAULT (or add the column nullable and backfill it).",
				SafeSQL: "ALTER TABLE orders ADD COLUMN priority int NOT NULL DEFAULT 0;",
				Dialect: MySQL,
				Fires:   "ALTER TABLE orders ADD COLUMN priority int NOT NULL;",
				Passes:  "ALTER TABLE orders ADD COLUMN priority int NOT NULL DEFAULT 0;",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.AlterTable || !existingTable(c) {
					return
				}
				for _, a := range actions(c.Stmt) {
					if a.Kind == sqlast.AddColumn && a.Column != nil && a.Column.NotNull && !a.Column.ServerFilled() {
						c.Report(fmt.Sprintf("ADD COLUMN %s NOT NULL without a default silently fills existing rows with 0, '' or a zero date", a.Column.Name),
							"write the value existing rows get as an explicit DEFAULT")
						return
					}
				}
			},
		},
		{
			Code: "RT205", Name: "drop-not-null", Severity: Warning, Dialects: every,
			Summary: "a column made nullable",
			Doc: Doc{
				What:    "`ALTER COLUMN ... DROP NOT NULL`, and on MySQL a `MODIFY`/`CHANGE` that writes `NULL` explicitly, on a table the revision did not create.",
				Why:     "The running application, reports, triggers and functions were written for a column that always has a value: once NULLs arrive they crash on them or silently treat them as values (NULL never equals anything).",
				Safe:    "Release code that handles NULL in the column first, then drop NOT NULL.",
				SafeSQL: "-- after the release that handles a missing phone number:\nALTER TABLE customer ALTER COLUMN phone DROP NOT NULL;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE customer ALTER COLUMN phone DROP NOT NULL;",
				Passes:  "ALTER TABLE customer ALTER COLUMN phone SET NOT NULL;",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.AlterTable || !existingTable(c) {
					return
				}
				for _, a := range actions(c.Stmt) {
					col := a.ColumnName
					switch {
					case a.Kind == sqlast.DropNotNull:
					case (a.Kind == sqlast.ModifyColumn || a.Kind == sqlast.ChangeColumn) && a.Column != nil && a.Column.Null:
						if col == "" {
							col = a.Column.Name
						}
					default:
						continue
					}
					if addedColumn(c, c.Stmt.Name, col) {
						continue
					}
					c.Report(fmt.Sprintf("%s.%s becomes nullable: code written for a column that always has a value meets NULLs", c.Stmt.Name, col),
						"release code that handles NULL in the column first")
					return
				}
			},
		},
		{
			Code: "RT206", Name: "type-change-breaks-clients", Severity: Warning, Dialects: every,
			Summary: "a column's type changed",
			Doc: Doc{
				What:    "`ALTER COLUMN ... TYPE` (PostgreSQL), and MySQL `MODIFY`/`CHANGE`, which restate the column's type, on a table the revision did not create, of a column the revision did not add. The rule does not know the old type: a MODIFY that only changes the default fires too (suppress it, or use `ALTER COLUMN ... SET DEFAULT`). RT312/RT401 say whether the change rewrites the table.",
				Why:     "The running application, its ORM's type mapping, views, functions and replication consumers were written for the old type: values may be truncated or rounded, comparisons change, and drivers decode the column differently.",
				Safe:    "Add a column of the new type, write both, backfill, switch reads, then drop the old column: each step a release of its own.",
				SafeSQL: "ALTER TABLE orders ADD COLUMN total_cents bigint;\n-- backfill in batches, switch the application, then drop total",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);",
				Passes:  "ALTER TABLE orders ALTER COLUMN total SET DEFAULT 0;",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.AlterTable || !existingTable(c) {
					return
				}
				for _, a := range actions(c.Stmt) {
					var col, typ string
					switch {
					case a.Kind == sqlast.AlterColumnType && a.Type != nil:
						col, typ = a.ColumnName, a.Type.Text
					case (a.Kind == sqlast.ModifyColumn || a.Kind == sqlast.ChangeColumn) && a.Column != nil && a.Column.Type != nil:
						col, typ = a.ColumnName, a.Column.Type.Text
						if col == "" {
							col = a.Column.Name
						}
					default:
						continue
					}
					if addedColumn(c, c.Stmt.Name, col) {
						continue
					}
					c.Report(fmt.Sprintf("%s.%s gets type %s: the running application, views and drivers were written for the old type", c.Stmt.Name, col, typ),
						"add a column of the new type, write both, backfill, switch reads, then drop the old column")
					return
				}
			},
		},
		{
			Code: "RT207", Name: "enum-value-rename-or-remove", Severity: Error, Dialects: pgOnly,
			Summary: "ALTER TYPE ... RENAME VALUE of an enum",
			Doc: Doc{
				What:    "PostgreSQL `ALTER TYPE ... RENAME VALUE` of a type the revision did not create. On MySQL and MariaDB an enum's values are removed by a `MODIFY` whose old value list the statement does not show: that part belongs to the schema-state rules, which know the old list.",
				Why:     "The running application still writes and compares the old value: its INSERTs fail with `invalid input value for enum`, and its queries for the old value find nothing.",
				Safe:    "Add the new value, make the application accept both, backfill the rows to the new value, and stop writing the old one; leave the old value unused (PostgreSQL cannot drop enum values).",
				SafeSQL: "ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'shipped';\n-- after the release that writes 'shipped', in a data revision:\nUPDATE orders SET status = 'shipped' WHERE status = 'sent';",
				Dialect: Postgres,
				Fires:   "ALTER TYPE order_status RENAME VALUE 'sent' TO 'shipped';",
				Passes:  "ALTER TYPE order_status ADD VALUE 'shipped';",
			},
			stmt: func(c *Check) {
				st := c.Stmt
				if st.Kind != sqlast.AlterType || st.AlterType == nil || st.AlterType.Op != "RENAME VALUE" || createdType(c, st.Name) {
					return
				}
				c.Report(fmt.Sprintf("renaming value '%s' of %s to '%s' makes the running application's writes of '%s' fail", st.AlterType.Value, st.Name, st.AlterType.NewValue, st.AlterType.Value),
					"add the new value, accept both in the application, backfill, then stop writing the old one")
			},
		},
	}
}

// readdedLater reports whether a later ALTER TABLE of the statement's
// table adds a constraint named name.
func readdedLater(c *Check, name string) bool {
	for _, st := range c.Later() {
		if st.Kind != sqlast.AlterTable || !strings.EqualFold(st.Name.Object(), c.Stmt.Name.Object()) {
			continue
		}
		if slices.ContainsFunc(actions(st), func(a *sqlast.Action) bool {
			return a.Kind == sqlast.AddConstraint && a.Constraint != nil && strings.EqualFold(a.Constraint.Name, name)
		}) {
			return true
		}
	}
	return false
}

// typed is a column type a statement writes, with the column it is for.
type typed struct {
	column string
	typ    *sqlast.Type
	def    *sqlast.Column // nil for ALTER COLUMN ... TYPE
}

// typesOf returns the column types a statement defines: CREATE TABLE's
// columns, ADD COLUMN, MySQL MODIFY/CHANGE and ALTER COLUMN ... TYPE.
func typesOf(st *sqlast.Statement) []typed {
	var out []typed
	switch st.Kind {
	case sqlast.CreateTable:
		if st.CreateTable == nil {
			return nil
		}
		for _, col := range st.CreateTable.Columns {
			if col.Type != nil {
				out = append(out, typed{col.Name, col.Type, col})
			}
		}
	case sqlast.AlterTable:
		for _, a := range actions(st) {
			switch a.Kind {
			case sqlast.AddColumn, sqlast.ModifyColumn, sqlast.ChangeColumn:
				if a.Column != nil && a.Column.Type != nil {
					out = append(out, typed{a.Column.Name, a.Column.Type, a.Column})
				}
			case sqlast.AlterColumnType:
				if a.Type != nil {
					out = append(out, typed{a.ColumnName, a.Type, nil})
				}
			}
		}
	}
	return out
}

// columnList joins column names for a message.
func columnList(cols []string) string { return strings.Join(cols, ", ") }

// dataSchemaRules are the rules on constraints that existing rows may
// break, and on column types with surprising behaviour.
func dataSchemaRules() []*Rule {
	return []*Rule{
		{
			Code: "RT210", Name: "json-not-jsonb", Severity: Warning, Dialects: pgOnly,
			Summary: "a json column instead of jsonb",
			Doc: Doc{
				What:    "A column of PostgreSQL type `json` (or `json[]`) in CREATE TABLE, ADD COLUMN or ALTER COLUMN ... TYPE.",
				Why:     "`json` has no equality operator: `SELECT DISTINCT`, `GROUP BY`, `UNION` and unique indexes over it fail with `could not identify an equality operator for type json`, which ORMs hit when they deduplicate rows. It is stored as text and parsed again on every access, and cannot have a GIN index.",
				Safe:    "Use `jsonb`; keep `json` only when key order and duplicate keys must be preserved exactly as written (then suppress with that reason).",
				SafeSQL: "ALTER TABLE event ADD COLUMN payload jsonb NOT NULL DEFAULT '{}';",
				Dialect: Postgres,
				Fires:   "ALTER TABLE event ADD COLUMN payload json NOT NULL DEFAULT '{}';",
				Passes:  "ALTER TABLE event ADD COLUMN payload jsonb NOT NULL DEFAULT '{}';",
			},
			stmt: func(c *Check) {
				var cols []string
				for _, t := range typesOf(c.Stmt) {
					if t.typ.Name == "json" || t.typ.Name == "pg_catalog.json" {
						cols = append(cols, t.column)
					}
				}
				if len(cols) > 0 {
					c.Report(fmt.Sprintf("column %s is json: DISTINCT, GROUP BY, UNION and unique indexes over it fail, and every read parses it again", columnList(cols)),
						"use jsonb")
				}
			},
		},
		{
			Code: "RT601", Name: "unique-on-existing-data", Severity: Warning, Dialects: every,
			Summary: "a unique index or constraint over a table that has rows",
			Doc: Doc{
				What:    "`CREATE UNIQUE INDEX`, `ADD CONSTRAINT ... UNIQUE` / `PRIMARY KEY`, MySQL `ADD UNIQUE [INDEX]`, on a table the revision did not create. A PostgreSQL constraint `USING INDEX` of an index that already exists is not reported (its uniqueness was checked when it was built).",
				Why:     "If the existing rows hold a duplicate, the statement fails in production after passing on every development database; on MySQL the failure comes after the table was copied, on PostgreSQL after the index was built, holding its lock all along.",
				Safe:    "Look for duplicates first (and remove them in a data revision), then add the unique index.",
				SafeSQL: "-- returns no row before the revision is applied:\nSELECT email, count(*) FROM customer GROUP BY email HAVING count(*) > 1;\nCREATE UNIQUE INDEX CONCURRENTLY customer_email_key ON customer (email);",
				Dialect: MySQL,
				Fires:   "ALTER TABLE customer ADD UNIQUE INDEX customer_email_key (email);",
				Passes:  "CREATE TABLE customer (id bigint NOT NULL PRIMARY KEY, email varchar(255) NOT NULL);\nCREATE UNIQUE INDEX customer_email_key ON customer (email);",
			},
			stmt: func(c *Check) {
				st := c.Stmt
				var cols []string
				switch st.Kind {
				case sqlast.CreateIndex:
					if st.Index == nil || !st.Index.Unique || c.Created(st.Name) {
						return
					}
					cols = st.Index.Columns
				case sqlast.AlterTable:
					if !existingTable(c) {
						return
					}
					for _, a := range actions(st) {
						switch {
						case a.Kind == sqlast.AddConstraint && a.Constraint != nil &&
							(a.Constraint.Kind == sqlast.Unique || a.Constraint.Kind == sqlast.PrimaryKey) && a.Constraint.UsingIndex == "":
							cols = a.Constraint.Columns
						case a.Kind == sqlast.AddIndex && a.Index != nil && a.Index.Unique:
							cols = a.Index.Columns
						case a.Kind == sqlast.AddColumn && a.Column != nil && (a.Column.Unique || a.Column.PrimaryKey) && a.Column.Default != nil:
							// every existing row gets the same default
							cols = []string{a.Column.Name}
						default:
							continue
						}
						break
					}
					if cols == nil {
						return
					}
				default:
					return
				}
				c.Report(fmt.Sprintf("a unique index over %s (%s) fails if the existing rows hold a duplicate", st.Name, columnList(cols)),
					"look for duplicates first (SELECT ... GROUP BY ... HAVING count(*) > 1) and remove them in a data revision")
			},
		},
		{
			Code: "RT604", Name: "check-or-fk-may-fail", Severity: Info, Dialects: every,
			Summary: "a validated CHECK or foreign key that existing rows may break",
			Doc: Doc{
				What:    "`ADD CONSTRAINT ... CHECK` or `FOREIGN KEY` without PostgreSQL `NOT VALID` (MySQL: not `NOT ENFORCED`), and PostgreSQL `VALIDATE CONSTRAINT`, on a table the revision did not create.",
				Why:     "The database checks every existing row: one row that breaks the check, or points at a missing parent, fails the revision in production although it passed on development data.",
				Safe:    "Run the query that finds the breaking rows first and fix them in a data revision; the revision can then add the constraint.",
				SafeSQL: "-- returns no row before the revision is applied:\nSELECT o.id FROM orders o LEFT JOIN customer c ON c.id = o.customer_id WHERE o.customer_id IS NOT NULL AND c.id IS NULL;\nALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);",
				Passes:  "CREATE TABLE refund (id bigint PRIMARY KEY, amount numeric NOT NULL);\nALTER TABLE refund ADD CONSTRAINT refund_amount_check CHECK (amount > 0);",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.AlterTable || !existingTable(c) {
					return
				}
				for _, a := range actions(c.Stmt) {
					switch {
					case a.Kind == sqlast.ValidateConstraint:
						c.Report(fmt.Sprintf("VALIDATE CONSTRAINT %s checks every row of %s and fails on the first that breaks it", a.Name, c.Stmt.Name),
							"run the query that finds breaking rows first and fix them in a data revision")
						return
					case a.Kind == sqlast.AddConstraint && a.Constraint != nil && !a.Constraint.NotValid && !a.Constraint.NotEnforced &&
						(a.Constraint.Kind == sqlast.Check || a.Constraint.Kind == sqlast.ForeignKey):
						c.Report(fmt.Sprintf("the new %s constraint of %s is checked against every existing row and fails on the first that breaks it", a.Constraint.Kind, c.Stmt.Name),
							"run the query that finds breaking rows first and fix them in a data revision")
						return
					}
				}
			},
		},
	}
}
