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

// addedEarlier reports whether an earlier statement of the revision added
// column col to table (then changing or dropping it touches no old data).
func addedEarlier(c *Check, table sqlast.Name, col string) bool {
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
				What:    "`ALTER TABLE ... DROP COLUMN` on a table the revision did not create, of a column the revision did not add. With the schema before the revision, a virtual generated column (computed, no data) is a warning: only the running application's queries break; without it the rule cannot tell, and such a drop can be suppressed with that reason.",
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
					if a.Kind != sqlast.DropColumn || addedEarlier(c, c.Stmt.Name, a.ColumnName) {
						continue
					}
					if virtualColumn(c, a.ColumnName) {
						c.ReportAt(Warning, fmt.Sprintf("DROP COLUMN %s.%s drops a virtual generated column: no values are lost, but the running application's queries that name it fail", c.Stmt.Name, a.ColumnName),
							"release an application version that no longer uses the column first, then drop it in a later revision")
						return
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
				What:    "`DROP CONSTRAINT`, MySQL `DROP PRIMARY KEY`, `DROP FOREIGN KEY`, `DROP CHECK` on a table the revision did not create, unless the same or a later statement of the revision adds a constraint of the same name back, or a new primary key after DROP PRIMARY KEY (a redefinition).",
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
					if readded(c, a) {
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
				if col := addedColumn(c.Stmt, requiredColumn); col != nil {
					c.Report(fmt.Sprintf("ADD COLUMN %s NOT NULL without a default fails on a table with rows, and the running application's INSERTs do not give it a value", col.Name),
						"add it nullable or with a DEFAULT, backfill, then set NOT NULL in a later revision")
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
				if col := addedColumn(c.Stmt, requiredColumn); col != nil {
					c.Report(fmt.Sprintf("ADD COLUMN %s NOT NULL without a default silently fills existing rows with 0, '' or a zero date", col.Name),
						"write the value existing rows get as an explicit DEFAULT")
				}
			},
		},
		{
			Code: "RT205", Name: "drop-not-null", Severity: Warning, Dialects: every,
			Summary: "a column made nullable",
			Doc: Doc{
				What:    "`ALTER COLUMN ... DROP NOT NULL`, and on MySQL a `MODIFY`/`CHANGE` that writes `NULL` explicitly, on a table the revision did not create. With the schema before the revision, the MySQL part is exact: an explicit NULL on a column that is nullable already is no change, and a MODIFY/CHANGE without NOT NULL of a NOT NULL column (outside the primary key) makes it nullable silently.",
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
					case (a.Kind == sqlast.ModifyColumn || a.Kind == sqlast.ChangeColumn) && a.Column != nil && !a.Column.NotNull && !a.Column.PrimaryKey:
						if col == "" {
							col = a.Column.Name
						}
					default:
						continue
					}
					if addedEarlier(c, c.Stmt.Name, col) {
						continue
					}
					how := ""
					if a.Kind != sqlast.DropNotNull {
						// MySQL: the state says whether the column was NOT NULL;
						// without it only an explicit NULL is reported.
						if t, old, ok := stateColumn(c, c.Stmt.Name, col); ok {
							if old.Null || inPrimaryKey(t, old.Name) {
								continue
							}
							if !a.Column.Null {
								how = " silently (the MODIFY leaves NOT NULL out)"
							}
						} else if !a.Column.Null {
							continue
						}
					}
					c.Report(fmt.Sprintf("%s.%s becomes nullable%s: code written for a column that always has a value meets NULLs", c.Stmt.Name, col, how),
						"release code that handles NULL in the column first")
					return
				}
			},
		},
		{
			Code: "RT206", Name: "type-change-breaks-clients", Severity: Warning, Dialects: every,
			Summary: "a column's type changed",
			Doc: Doc{
				What:    "`ALTER COLUMN ... TYPE` (PostgreSQL), and MySQL `MODIFY`/`CHANGE`, which restate the column's type, on a table the revision did not create, of a column the revision did not add. With the schema before the revision, a statement that restates the old type (however spelled: int(11) and INT) is not reported; without it the rule does not know the old type, and a MODIFY that only changes the default fires too (suppress it, or use `ALTER COLUMN ... SET DEFAULT`). RT312/RT401 say whether the change rewrites the table.",
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
					if addedEarlier(c, c.Stmt.Name, col) || sameTypeBefore(c, col, typ, a.Column) {
						continue
					}
					c.Report(fmt.Sprintf("%s.%s gets type %s: the running application, views and drivers were written for the old type", c.Stmt.Name, col, typ),
						"add a column of the new type, write both, backfill, switch reads, then drop the old column")
					return
				}
			},
		},
		{
			Code: "RT207", Name: "enum-value-rename-or-remove", Severity: Error, Dialects: pgMy,
			Summary: "an enum value renamed or removed",
			Doc: Doc{
				What:    "PostgreSQL `ALTER TYPE ... RENAME VALUE` of a type the revision did not create. On MySQL and MariaDB, a `MODIFY`/`CHANGE` of an ENUM or SET column whose new list lacks a value of the old list in the schema before the revision (a rename is a removal and an addition); without the state that part is skipped.",
				Why:     "The running application still writes and compares the old value: its INSERTs fail with `invalid input value for enum`, and its queries for the old value find nothing.",
				Safe:    "Add the new value, make the application accept both, backfill the rows to the new value, and stop writing the old one; leave the old value unused (PostgreSQL cannot drop enum values).",
				SafeSQL: "ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'shipped';\n-- after the release that writes 'shipped', in a data revision:\nUPDATE orders SET status = 'shipped' WHERE status = 'sent';",
				Dialect: Postgres,
				Fires:   "ALTER TYPE order_status RENAME VALUE 'sent' TO 'shipped';",
				Passes:  "ALTER TYPE order_status ADD VALUE 'shipped';",
			},
			stmt: func(c *Check) {
				if c.Dialect == MySQL {
					mysqlEnumRemoved(c)
					return
				}
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

// readded reports whether the statement itself or a later ALTER TABLE of
// its table adds back the constraint the drop action removes: one of the
// same name, or a primary key for DROP PRIMARY KEY (a redefinition).
func readded(c *Check, drop *sqlast.Action) bool {
	adds := func(st *sqlast.Statement) bool {
		return slices.ContainsFunc(actions(st), func(a *sqlast.Action) bool {
			if a.Kind != sqlast.AddConstraint || a.Constraint == nil {
				return false
			}
			if drop.Kind == sqlast.DropPrimaryKey {
				return a.Constraint.Kind == sqlast.PrimaryKey
			}
			return drop.Name != "" && strings.EqualFold(a.Constraint.Name, drop.Name)
		})
	}
	if adds(c.Stmt) {
		return true
	}
	for _, st := range c.Later() {
		if st.Kind == sqlast.AlterTable && strings.EqualFold(st.Name.Object(), c.Stmt.Name.Object()) && adds(st) {
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
				What:    "`CREATE UNIQUE INDEX`, `ADD CONSTRAINT ... UNIQUE` / `PRIMARY KEY`, MySQL `ADD UNIQUE [INDEX]`, on a table the revision did not create. A PostgreSQL constraint `USING INDEX` of an index that already exists is not reported (its uniqueness was checked when it was built), nor, with the schema before the revision, a unique index over columns that include all the columns of a primary key or unique key the table has (no duplicate can exist).",
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
				if alreadyUnique(c, st.Name, cols) {
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

// tableKeyColumns returns the lower-case names of the columns CREATE
// TABLE's table constraints put in a primary key (pk) or a foreign key (fk).
func tableKeyColumns(ct *sqlast.CreateTableParts) (pk, fk map[string]bool) {
	pk, fk = map[string]bool{}, map[string]bool{}
	if ct == nil {
		return pk, fk
	}
	for _, con := range ct.Constraints {
		for _, col := range con.Columns {
			switch con.Kind {
			case sqlast.PrimaryKey:
				pk[strings.ToLower(col)] = true
			case sqlast.ForeignKey:
				fk[strings.ToLower(col)] = true
			}
		}
	}
	return pk, fk
}

// hasPrimaryKey reports whether CREATE TABLE declares a primary key.
func hasPrimaryKey(ct *sqlast.CreateTableParts) bool {
	pk, _ := tableKeyColumns(ct)
	return len(pk) > 0 || slices.ContainsFunc(ct.Columns, func(c *sqlast.Column) bool { return c.PrimaryKey })
}

// narrowInts are the integer types narrower than 64 bits, by dialect
// (MySQL tinyint is left out: tinyint(1) is MySQL's boolean).
var narrowInts = map[string][]string{
	Postgres: {"integer", "int", "int4", "smallint", "int2", "serial", "serial4", "smallserial", "serial2"},
	MySQL:    {"integer", "int", "mediumint", "smallint"},
}

// pgAlign is the alignment in bytes of PostgreSQL's fixed-width types
// (the typalign of pg_type); the other types are variable-width.
var pgAlign = map[string]int{
	"bigint": 8, "int8": 8, "bigserial": 8, "serial8": 8, "double precision": 8, "float8": 8, "float": 8,
	"timestamp": 8, "timestamptz": 8, "timestamp with time zone": 8, "timestamp without time zone": 8,
	"time": 8, "time without time zone": 8, "timetz": 8, "time with time zone": 8, "money": 8, "interval": 8,
	"integer": 4, "int": 4, "int4": 4, "serial": 4, "serial4": 4, "real": 4, "float4": 4, "date": 4, "oid": 4,
	"smallint": 2, "int2": 2, "smallserial": 2, "serial2": 2,
	"boolean": 1, "bool": 1, "uuid": 1,
}

// pgSize is the width in bytes of the fixed-width types of pgAlign.
var pgSize = map[string]int{
	"interval": 16, "timetz": 12, "time with time zone": 12, "uuid": 16,
}

func pgWidth(name string) int {
	if n, ok := pgSize[name]; ok {
		return n
	}
	return pgAlign[name]
}

// padded returns the bytes fixed-width columns of the given types take
// laid out in order, with the padding their alignment needs, rounded up to
// the row's 8-byte alignment.
func padded(types []string) int {
	off := 0
	for _, t := range types {
		a := pgAlign[t]
		off = (off+a-1)/a*a + pgWidth(t)
	}
	return (off + 7) / 8 * 8
}

// alignmentSaving returns the bytes per row that ordering the table's
// fixed-width columns by decreasing alignment saves, and that order.
func alignmentSaving(ct *sqlast.CreateTableParts) (int, []string) {
	var types, names []string
	for _, col := range ct.Columns {
		if col.Type == nil || col.Type.Array || pgAlign[col.Type.Name] == 0 {
			continue
		}
		types = append(types, col.Type.Name)
		names = append(names, col.Name)
	}
	idx := make([]int, len(types))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return pgAlign[types[b]] - pgAlign[types[a]] })
	sorted := make([]string, len(idx))
	order := make([]string, len(idx))
	for i, k := range idx {
		sorted[i], order[i] = types[k], names[k]
	}
	return padded(types) - padded(sorted), order
}

// designSchemaRules are the design rules on new tables and columns.
func designSchemaRules() []*Rule {
	return []*Rule{
		{
			Code: "RT801", Name: "prefer-bigint", Severity: Info, Dialects: pgMy,
			Summary: "a 32- or 16-bit integer key",
			Doc: Doc{
				What:    "A key column of a 32- or 16-bit integer type (`int`, `integer`, `smallint`, `serial`, MySQL `mediumint`): a primary key, an identity/serial/AUTO_INCREMENT column, a foreign key, or a column named `id` or ending in `_id`. SQLite is not checked: its INTEGER holds 64 bits. A foreign key whose column type differs from the referenced column's (a different type, integer size or sign, string length), read from the revision and the schema before it, is a warning, and an error where the database refuses the key (types of different families; on MySQL/MariaDB also integers or decimals of another size or sign, checked on MariaDB 10.11).",
				Why:     "A 32-bit key runs out at 2,147,483,647: inserts fail from then on, and widening the column of a large table later is a long table rewrite (and every referencing column with it).",
				Safe:    "Use `bigint` (and `bigint` identity) for keys and the columns that reference them; the 4 bytes per row are cheap.",
				SafeSQL: "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id bigint NOT NULL);",
				Dialect: Postgres,
				Fires:   "CREATE TABLE orders (id serial PRIMARY KEY, total numeric NOT NULL);",
				Passes:  "CREATE TABLE orders (id bigserial PRIMARY KEY, quantity integer NOT NULL);",
			},
			stmt: func(c *Check) {
				ints := narrowInts[c.Dialect]
				var pk, fk map[string]bool
				if c.Stmt.Kind == sqlast.CreateTable {
					pk, fk = tableKeyColumns(c.Stmt.CreateTable)
				}
				var cols []string
				for _, t := range typesOf(c.Stmt) {
					if t.typ.Array || !slices.Contains(ints, t.typ.Name) {
						continue
					}
					low := strings.ToLower(t.column)
					isKey := low == "id" || strings.HasSuffix(low, "_id") || pk[low] || fk[low] ||
						strings.HasPrefix(t.typ.Name, "serial") || strings.HasSuffix(t.typ.Name, "serial")
					if d := t.def; d != nil {
						isKey = isKey || d.PrimaryKey || d.References != nil || d.Identity != "" || d.Serial || d.AutoIncrement
					}
					if isKey {
						cols = append(cols, t.column+" "+t.typ.Name)
					}
				}
				if len(cols) > 0 {
					c.Report(fmt.Sprintf("key column %s holds at most 2,147,483,647 (or less): inserts fail when it runs out, and widening it later rewrites the table", columnList(cols)),
						"use bigint for keys and the columns that reference them")
				}
				for _, bad := range fkTypeMismatches(c) {
					if bad.fails {
						c.ReportAt(Error, fmt.Sprintf("foreign key column %s: the database refuses a foreign key between these types, and the statement fails", bad.text),
							"give the foreign key column the referenced column's type")
					} else {
						c.ReportAt(Warning, fmt.Sprintf("foreign key column %s: the types differ, so every join and key check converts between them, and values of one may not fit the other", bad.text),
							"give the foreign key column the referenced column's type")
					}
				}
			},
		},
		{
			Code: "RT802", Name: "prefer-identity", Severity: Info, Dialects: pgOnly,
			Summary: "a serial column instead of an identity",
			Doc: Doc{
				What:    "A PostgreSQL `serial`, `bigserial` or `smallserial` column.",
				Why:     "A serial column is an int with a default taken from a separately owned sequence: the sequence's ownership, grants and value are not part of the column, so copying the table, changing owners or dumping part of the schema leaves them behind, and nothing stops inserts of explicit values that later collide with the sequence.",
				Safe:    "Use an identity column (SQL standard, PostgreSQL 10+).",
				SafeSQL: "CREATE TABLE account (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);",
				Dialect: Postgres,
				Fires:   "CREATE TABLE account (id bigserial PRIMARY KEY);",
				Passes:  "CREATE TABLE account (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);",
			},
			stmt: func(c *Check) {
				var cols []string
				for _, t := range typesOf(c.Stmt) {
					if t.def != nil && t.def.Serial {
						cols = append(cols, t.column)
					}
				}
				if len(cols) > 0 {
					c.Report(fmt.Sprintf("column %s is serial: its sequence is a separate object whose ownership, grants and value the column does not carry", columnList(cols)),
						"use bigint GENERATED ALWAYS AS IDENTITY")
				}
			},
		},
		{
			Code: "RT803", Name: "prefer-text", Severity: Info, Dialects: pgOnly,
			Summary: "varchar(n) instead of text with a CHECK",
			Doc: Doc{
				What:    "A PostgreSQL `varchar(n)` / `character varying(n)` column (with a length).",
				Why:     "The length limit is part of the type: raising it is cheap since PostgreSQL 9.2, but lowering it or changing it on a column used by views rewrites the table or needs the views dropped, while it stores nothing more efficiently than `text`.",
				Safe:    "Use `text`, with a CHECK constraint on the length when there is a real limit (a CHECK can be replaced NOT VALID, without a rewrite).",
				SafeSQL: "ALTER TABLE customer ADD COLUMN nickname text CHECK (char_length(nickname) <= 50);",
				Dialect: Postgres,
				Fires:   "ALTER TABLE customer ADD COLUMN nickname varchar(50);",
				Passes:  "ALTER TABLE customer ADD COLUMN nickname text CHECK (char_length(nickname) <= 50);",
			},
			stmt: func(c *Check) {
				var cols []string
				for _, t := range typesOf(c.Stmt) {
					if (t.typ.Name == "varchar" || t.typ.Name == "character varying") && len(t.typ.Args) > 0 {
						cols = append(cols, t.column)
					}
				}
				if len(cols) > 0 {
					c.Report(fmt.Sprintf("column %s is varchar(n): the limit is part of the type and changing it can mean a rewrite, while text stores the same", columnList(cols)),
						"use text, with CHECK (char_length(col) <= n) when the limit is real")
				}
			},
		},
		{
			Code: "RT804", Name: "prefer-timestamptz", Severity: Warning, Dialects: pgOnly,
			Summary: "timestamp without time zone",
			Doc: Doc{
				What:    "A PostgreSQL `timestamp` / `timestamp without time zone` column.",
				Why:     "The value carries no time zone: what it means depends on the session's TimeZone of whoever wrote it, so servers or drivers in different zones, and daylight-saving changes, silently shift or duplicate points in time.",
				Safe:    "Use `timestamptz` (`timestamp with time zone`), which stores an absolute instant.",
				SafeSQL: "ALTER TABLE orders ADD COLUMN shipped_at timestamptz;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ADD COLUMN shipped_at timestamp;",
				Passes:  "ALTER TABLE orders ADD COLUMN shipped_at timestamptz;",
			},
			stmt: func(c *Check) {
				var cols []string
				for _, t := range typesOf(c.Stmt) {
					if t.typ.Name == "timestamp" || t.typ.Name == "timestamp without time zone" {
						cols = append(cols, t.column)
					}
				}
				if len(cols) > 0 {
					c.Report(fmt.Sprintf("column %s is timestamp without time zone: its meaning depends on the writer's time zone setting", columnList(cols)),
						"use timestamptz")
				}
			},
		},
		{
			Code: "RT805", Name: "ban-char", Severity: Warning, Dialects: pgMy,
			Summary: "a char(n) column",
			Doc: Doc{
				What:    "A `char(n)` / `character(n)` column (PostgreSQL, MySQL, MariaDB).",
				Why:     "Values are padded with spaces to n characters: the padding is kept or stripped depending on the operation (comparison, concatenation, the driver), so values read back differ from those written, and a longer value is an error.",
				Safe:    "Use `text` / `varchar(n)`, with a CHECK when the length must be exact.",
				SafeSQL: "ALTER TABLE country ADD COLUMN code varchar(2) NOT NULL CHECK (char_length(code) = 2);",
				Dialect: Postgres,
				Fires:   "ALTER TABLE country ADD COLUMN code char(2) NOT NULL;",
				Passes:  "ALTER TABLE country ADD COLUMN code varchar(2) NOT NULL;",
			},
			stmt: func(c *Check) {
				var cols []string
				for _, t := range typesOf(c.Stmt) {
					if t.typ.Name == "char" || t.typ.Name == "character" || t.typ.Name == "bpchar" || t.typ.Name == "nchar" || t.typ.Name == "national char" {
						cols = append(cols, t.column)
					}
				}
				if len(cols) > 0 {
					c.Report(fmt.Sprintf("column %s is char(n): values are blank-padded, and the padding comes and goes depending on the operation", columnList(cols)),
						"use text or varchar(n), with a CHECK for an exact length")
				}
			},
		},
		{
			Code: "RT807", Name: "require-schema-qualified", Severity: Off, Dialects: pgOnly,
			Summary: "an unqualified table name",
			Doc: Doc{
				What:    "CREATE TABLE, ALTER TABLE, DROP TABLE, TRUNCATE and CREATE INDEX naming a table without its schema (temporary tables excepted).",
				Why:     "An unqualified name is looked up along the session's search_path: a different search_path (a role setting, a pooler, a tool) makes the revision create or change a table in another schema than intended.",
				Safe:    "Qualify table names with their schema.",
				SafeSQL: "ALTER TABLE public.orders ADD COLUMN note text;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ADD COLUMN note text;",
				Passes:  "ALTER TABLE public.orders ADD COLUMN note text;",
			},
			stmt: func(c *Check) {
				st := c.Stmt
				switch st.Kind {
				case sqlast.CreateTable, sqlast.AlterTable, sqlast.DropTable, sqlast.Truncate, sqlast.CreateIndex:
				default:
					return
				}
				if st.Temporary {
					return
				}
				for _, n := range names(st) {
					if !n.Qualified() {
						c.Report(fmt.Sprintf("table %s has no schema: the session's search_path decides which table the statement touches", n),
							"qualify it with its schema ("+"public."+n.Object()+")")
						return
					}
				}
			},
		},
		{
			Code: "RT809", Name: "duplicate-column-assignment", Severity: Error, Dialects: every,
			Summary: "a column set or defined twice in one statement",
			Doc: Doc{
				What:    "A column named twice in an INSERT column list, an UPDATE's SET, a CREATE TABLE's columns, or the ADD COLUMNs of one ALTER TABLE (column lists of views are not checked).",
				Why:     "The statement fails (PostgreSQL, MySQL on CREATE/INSERT) or silently keeps one of the two values (SQLite and MySQL UPDATE apply the last), so the data written is not what the statement seems to say.",
				Safe:    "Name each column once.",
				SafeSQL: "UPDATE orders SET status = 'shipped', shipped_at = now() WHERE id = 7;",
				Dialect: SQLite,
				Fires:   "UPDATE orders SET status = 'shipped', status = 'sent' WHERE id = 7;",
				Passes:  "UPDATE orders SET status = 'shipped', shipped_at = CURRENT_TIMESTAMP WHERE id = 7;",
			},
			stmt: func(c *Check) {
				var cols []string
				st := c.Stmt
				switch st.Kind {
				case sqlast.Insert, sqlast.Update:
					cols = st.Columns
				case sqlast.CreateTable:
					if st.CreateTable != nil {
						for _, col := range st.CreateTable.Columns {
							cols = append(cols, col.Name)
						}
					}
				case sqlast.AlterTable:
					for _, a := range actions(st) {
						if a.Kind == sqlast.AddColumn && a.Column != nil {
							cols = append(cols, a.Column.Name)
						}
					}
				}
				seen := map[string]bool{}
				for _, col := range cols {
					k := strings.ToLower(col)
					if seen[k] {
						c.Report(fmt.Sprintf("column %s is named twice: the statement fails, or one of the two values is silently dropped", col),
							"name each column once")
						return
					}
					seen[k] = true
				}
			},
		},
		{
			Code: "RT810", Name: "nullable-without-intent", Severity: Warning, Dialects: every,
			Summary: "a column created nullable without saying NULL",
			Doc: Doc{
				What:    "A column of CREATE TABLE, ADD COLUMN or MySQL MODIFY/CHANGE written with neither `NOT NULL` nor `NULL`, that is not a primary key, identity, serial, AUTO_INCREMENT or generated column (retort's seed rule: NOT NULL unless declared otherwise).",
				Why:     "The database makes it nullable by default, usually by accident: the application then meets NULLs it was never written for, and making the column NOT NULL later needs a backfill and a table scan under lock.",
				Safe:    "Write `NOT NULL` (with a default for existing rows), or `NULL` when a missing value is meant.",
				SafeSQL: "CREATE TABLE invoice (id bigint PRIMARY KEY, paid_at timestamptz NULL, total numeric NOT NULL);",
				Dialect: Postgres,
				Fires:   "CREATE TABLE invoice (id bigint PRIMARY KEY, paid_at timestamptz, total numeric NOT NULL);",
				Passes:  "CREATE TABLE invoice (id bigint PRIMARY KEY, paid_at timestamptz NULL, total numeric NOT NULL);",
			},
			stmt: func(c *Check) {
				if c.Stmt.Temporary {
					return
				}
				var pk map[string]bool
				if c.Stmt.Kind == sqlast.CreateTable {
					pk, _ = tableKeyColumns(c.Stmt.CreateTable)
				}
				var cols []string
				for _, t := range typesOf(c.Stmt) {
					d := t.def
					if d == nil || d.NotNull || d.Null || d.PrimaryKey || pk[strings.ToLower(d.Name)] ||
						d.Identity != "" || d.Serial || d.AutoIncrement || d.Generated != nil {
						continue
					}
					cols = append(cols, d.Name)
				}
				if len(cols) > 0 {
					c.Report(fmt.Sprintf("column %s is nullable without saying so: the application meets NULLs it may not expect", columnList(cols)),
						"write NOT NULL (with a DEFAULT for existing rows), or NULL when a missing value is meant")
				}
			},
		},
		{
			Code: "RT811", Name: "wide-non-unique-index", Severity: Info, Dialects: every,
			Summary: "a non-unique index of more than 3 columns",
			Doc: Doc{
				What:    "A non-unique index (CREATE INDEX, MySQL ADD INDEX or an index in CREATE TABLE) over more than 3 columns or expressions.",
				Why:     "Every write pays for maintaining the wide index and it takes much space, while queries seldom filter on all of its columns; a narrower index, or one that INCLUDEs the extra columns, usually serves the same queries.",
				Safe:    "Index the columns queries filter on (most selective first); on PostgreSQL carry the rest with INCLUDE.",
				SafeSQL: "CREATE INDEX orders_customer_status_idx ON orders (customer_id, status) INCLUDE (placed_at, total);",
				Dialect: Postgres,
				Fires:   "CREATE INDEX orders_report_idx ON orders (customer_id, status, placed_at, total);",
				Passes:  "CREATE INDEX orders_report_idx ON orders (customer_id, status, placed_at);",
			},
			stmt: func(c *Check) {
				var idxs []*sqlast.Index
				switch c.Stmt.Kind {
				case sqlast.CreateIndex:
					idxs = append(idxs, c.Stmt.Index)
				case sqlast.CreateTable:
					if c.Stmt.CreateTable != nil {
						idxs = append(idxs, c.Stmt.CreateTable.Indexes...)
					}
				case sqlast.AlterTable:
					for _, a := range actions(c.Stmt) {
						if a.Kind == sqlast.AddIndex {
							idxs = append(idxs, a.Index)
						}
					}
				}
				for _, ix := range idxs {
					if ix != nil && !ix.Unique && len(ix.Columns) > 3 {
						c.Report(fmt.Sprintf("index over %d columns (%s): every write maintains it, and queries seldom use all of them", len(ix.Columns), columnList(ix.Columns)),
							"index the columns queries filter on; on PostgreSQL carry the rest with INCLUDE")
						return
					}
				}
			},
		},
		{
			Code: "RT812", Name: "table-without-pk", Severity: Warning, Dialects: every,
			Summary: "a new table without a primary key",
			Doc: Doc{
				What:    "CREATE TABLE (not temporary, not a partition, not MySQL `LIKE`) without a primary key, unless a later statement of the revision adds one.",
				Why:     "Rows cannot be addressed one by one: ORMs cannot update or delete a single row, duplicates creep in, logical replication (PostgreSQL) cannot replicate UPDATE and DELETE, MySQL group replication refuses the writes, and InnoDB uses a hidden key that replicas must scan for.",
				Safe:    "Declare a primary key: a bigint identity, or the natural key of a join table.",
				SafeSQL: "CREATE TABLE order_tag (order_id bigint NOT NULL, tag_id bigint NOT NULL, PRIMARY KEY (order_id, tag_id));",
				Dialect: MySQL,
				Fires:   "CREATE TABLE order_tag (order_id bigint NOT NULL, tag_id bigint NOT NULL);",
				Passes:  "CREATE TABLE order_tag (order_id bigint NOT NULL, tag_id bigint NOT NULL, PRIMARY KEY (order_id, tag_id));",
			},
			stmt: func(c *Check) {
				st := c.Stmt
				ct := st.CreateTable
				if st.Kind != sqlast.CreateTable || ct == nil || st.Temporary || !ct.Like.IsZero() || !ct.PartitionOf.IsZero() || hasPrimaryKey(ct) {
					return
				}
				for _, later := range c.Later() {
					if later.Kind == sqlast.AlterTable && strings.EqualFold(later.Name.Object(), st.Name.Object()) &&
						slices.ContainsFunc(actions(later), func(a *sqlast.Action) bool {
							return a.Kind == sqlast.AddConstraint && a.Constraint != nil && a.Constraint.Kind == sqlast.PrimaryKey
						}) {
						return
					}
				}
				c.Report(fmt.Sprintf("table %s has no primary key: single rows cannot be addressed, and replication of its updates and deletes breaks or crawls", st.Name),
					"declare a primary key (a bigint identity, or the natural key of a join table)")
			},
		},
		{
			Code: "RT814", Name: "enum-type", Severity: Info, Dialects: pgMy,
			Summary: "an enum type",
			Doc: Doc{
				What:    "PostgreSQL `CREATE TYPE ... AS ENUM`, and MySQL/MariaDB `ENUM(...)` columns.",
				Why:     "The list of values is part of the schema: PostgreSQL cannot remove or reorder values (only add), and on MySQL changing the list other than by appending rewrites the table. A lookup table or a CHECK constraint changes with an ordinary revision.",
				Safe:    "Use text with a CHECK constraint, or a lookup table with a foreign key.",
				SafeSQL: "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped'));",
				Dialect: Postgres,
				Fires:   "CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');",
				Passes:  "CREATE TYPE money_range AS (low numeric, high numeric);",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind == sqlast.CreateType && c.Stmt.EnumValues != nil {
					c.Report(fmt.Sprintf("enum type %s: values cannot be removed or reordered later", c.Stmt.Name),
						"use text with a CHECK constraint, or a lookup table")
					return
				}
				if c.Dialect != MySQL {
					return
				}
				var cols []string
				for _, t := range typesOf(c.Stmt) {
					if t.typ.Name == "enum" {
						cols = append(cols, t.column)
					}
				}
				if len(cols) > 0 {
					c.Report(fmt.Sprintf("column %s is an ENUM: changing the list other than by appending rewrites the table", columnList(cols)),
						"use a varchar with a CHECK constraint, or a lookup table")
				}
			},
		},
		{
			Code: "RT815", Name: "column-alignment", Severity: Off, Dialects: pgOnly,
			Summary: "a new table whose column order wastes alignment padding",
			Doc: Doc{
				What:    "PostgreSQL CREATE TABLE whose fixed-width columns (bigint, timestamptz, integer, date, smallint, boolean, uuid, ...) in the order written need at least 8 bytes per row more alignment padding than the same columns ordered by alignment: 8-byte types first, then 4, 2 and 1. The rule counts only the fixed-width columns, as if the variable-width ones (text, numeric, jsonb, arrays) came after them, and rounds to the row's 8-byte alignment: it is an estimate, not the exact row size.",
				Why:     "PostgreSQL aligns each value to its type's boundary, so a boolean before a bigint costs 7 bytes of padding in every row; on a large table that is disk, cache and I/O spent on nothing. Column order cannot change later without rewriting the table.",
				Safe:    "Declare the 8-byte columns first, then the 4-, 2- and 1-byte ones, then the variable-width ones.",
				SafeSQL: "CREATE TABLE event (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, kind smallint NOT NULL, active boolean NOT NULL, archived boolean NOT NULL);",
				Dialect: Postgres,
				Fires:   "CREATE TABLE event (active boolean NOT NULL, id bigint PRIMARY KEY, archived boolean NOT NULL, created_at timestamptz NOT NULL);",
				Passes:  "CREATE TABLE event (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, active boolean NOT NULL, archived boolean NOT NULL);",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.CreateTable || c.Stmt.CreateTable == nil {
					return
				}
				if saving, order := alignmentSaving(c.Stmt.CreateTable); saving >= 8 {
					c.Report(fmt.Sprintf("the column order of %s wastes about %d bytes of alignment padding per row", c.Stmt.Name, saving),
						"declare the fixed-width columns by decreasing alignment: "+columnList(order)+", then the variable-width ones")
				}
			},
		},
	}
}
