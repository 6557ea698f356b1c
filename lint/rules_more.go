package lint

import (
	"fmt"
	"strings"

	"github.com/retortdb/retort/lint/sqlast"
)

// actions returns the ALTER TABLE actions of st (none for other kinds).
func actions(st *sqlast.Statement) []*sqlast.Action {
	if st.Kind != sqlast.AlterTable || st.AlterTable == nil {
		return nil
	}
	return st.AlterTable.Actions
}

// addedColumn is the first column an ALTER TABLE adds (ADD COLUMN) that
// has property want, or nil.
func addedColumn(st *sqlast.Statement, want func(*sqlast.Column) bool) *sqlast.Column {
	for _, a := range actions(st) {
		if a.Kind == sqlast.AddColumn && a.Column != nil && want(a.Column) {
			return a.Column
		}
	}
	return nil
}

// requiredColumn is a NOT NULL column that existing rows get no value for
// (no default, identity, serial, AUTO_INCREMENT or generated expression).
func requiredColumn(col *sqlast.Column) bool { return col.NotNull && !col.ServerFilled() }

func compatRules() []*Rule {
	return []*Rule{
		{
			Code: "RT201", Name: "rename-table", Severity: Error, Dialects: every,
			Summary: "renaming a table breaks the running application",
			Doc: Doc{
				What:    "`ALTER TABLE a RENAME TO b`, MySQL `RENAME TABLE a TO b`, of a table the revision did not create, unless a view with the old name follows.",
				Why:     "During a deploy the old application version runs against the new schema: every query naming the old table fails until the last old instance is gone.",
				Safe:    "Keep the table's name and map it in the application, or rename it and create a view with the old name in the same revision (drop the view once no code uses it).",
				SafeSQL: "ALTER TABLE customer RENAME TO client;\nCREATE VIEW customer AS SELECT * FROM client;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE customer RENAME TO client;",
				Passes:  "ALTER TABLE customer RENAME TO client;\nCREATE VIEW customer AS SELECT * FROM client;",
			},
			stmt: func(c *Check) {
				var pairs [][2]string
				switch {
				case c.Stmt.Kind == sqlast.RenameTable:
					for _, r := range c.Stmt.Renames {
						if !c.Created(r.From) {
							pairs = append(pairs, [2]string{r.From.Object(), r.To.Object()})
						}
					}
				case !c.Created(c.Stmt.Name):
					for _, a := range actions(c.Stmt) {
						if a.Kind == sqlast.RenameTo {
							pairs = append(pairs, [2]string{c.Stmt.Name.Object(), a.NewName})
						}
					}
				}
				for _, p := range pairs {
					if viewFollows(c, p[0]) {
						continue
					}
					c.Report(fmt.Sprintf("renaming table %s to %s breaks every query of the running application that names %s, until all of it is redeployed", p[0], p[1], p[0]),
						fmt.Sprintf("keep the name, or create a view with the old name in the same revision: CREATE VIEW %s AS SELECT * FROM %s", p[0], p[1]))
					return
				}
			},
		},
		{
			Code: "RT202", Name: "rename-column", Severity: Error, Dialects: every,
			Summary: "renaming a column breaks the running application",
			Doc: Doc{
				What:    "`ALTER TABLE t RENAME COLUMN a TO b`, or MySQL `CHANGE [COLUMN] a b ...` with a new name, on a table the revision did not create.",
				Why:     "The old application version keeps selecting and inserting the old column name during the deploy; its queries fail.",
				Safe:    "Expand and contract: add the new column, write both from the application, backfill, switch reads, drop the old column in a later release.",
				SafeSQL: "ALTER TABLE customer ADD COLUMN full_name text;\nUPDATE customer SET full_name = name WHERE id BETWEEN 1 AND 10000; -- in batches, in a data revision",
				Dialect: Postgres,
				Fires:   "ALTER TABLE customer RENAME COLUMN name TO full_name;",
				Passes:  "CREATE TABLE customer (id int, name text);\nALTER TABLE customer RENAME COLUMN name TO full_name;",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.AlterTable || c.Created(c.Stmt.Name) {
					return
				}
				for _, a := range actions(c.Stmt) {
					from, to := a.ColumnName, ""
					switch {
					case a.Kind == sqlast.RenameColumn:
						to = a.NewName
					case a.Kind == sqlast.ChangeColumn && a.Column != nil && !strings.EqualFold(a.ColumnName, a.Column.Name):
						to = a.Column.Name
					default:
						continue
					}
					c.Report(fmt.Sprintf("renaming column %s.%s to %s breaks the running application's queries that name %s", c.Stmt.Name, from, to, from),
						"expand and contract: add the new column, write both, backfill, switch reads, drop the old one in a later release")
					return
				}
			},
		},
		{
			Code: "RT208", Name: "rename-schema", Severity: Error, Dialects: pgOnly,
			Summary: "ALTER SCHEMA ... RENAME TO",
			Doc: Doc{
				What:    "`ALTER SCHEMA s RENAME TO t`.",
				Why:     "Every qualified name in the running application, and every search_path naming the schema, stops resolving.",
				Safe:    "Keep the schema's name; create the new schema and move objects one by one with compatibility views.",
				SafeSQL: "CREATE SCHEMA billing;\nALTER TABLE public.invoice SET SCHEMA billing;\nCREATE VIEW public.invoice AS SELECT * FROM billing.invoice;",
				Dialect: Postgres,
				Fires:   "ALTER SCHEMA sales RENAME TO billing;",
				Passes:  "ALTER SCHEMA sales OWNER TO app;",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind == sqlast.AlterSchema && c.Stmt.ObjectType != "DATABASE" && c.Stmt.HasSeq("RENAME", "TO") {
					c.Report(fmt.Sprintf("renaming schema %s breaks every query and search_path of the running application that names it", c.Stmt.Name),
						"keep the name; move objects to a new schema one by one, with views under the old names")
				}
			},
		},
	}
}

// viewFollows reports whether a later statement creates a view named old.
func viewFollows(c *Check, old string) bool {
	for _, st := range c.Later() {
		if st.Kind == sqlast.CreateView && strings.EqualFold(st.Name.Object(), old) {
			return true
		}
	}
	return false
}

func postgresRules() []*Rule {
	return []*Rule{
		{
			Code: "RT301", Name: "create-index-not-concurrently", Severity: Error, Dialects: pgOnly,
			Summary: "CREATE INDEX without CONCURRENTLY on an existing table",
			Doc: Doc{
				What:    "`CREATE INDEX` without `CONCURRENTLY` on a table the revision did not create; not on a table the schema before the revision shows partitioned (RT316), nor `ON ONLY` unless that schema shows a plain table.",
				Why:     "The build takes a SHARE lock on the table for as long as it scans it: every INSERT, UPDATE and DELETE waits, minutes on a large table.",
				Safe:    "Build it with CONCURRENTLY in a `-- +no-transaction` section (CONCURRENTLY cannot run in a transaction).",
				SafeSQL: "-- +no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS order_customer_idx ON orders (customer_id);",
				Dialect: Postgres,
				Fires:   "CREATE INDEX order_customer_idx ON orders (customer_id);",
				Passes:  "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\nCREATE INDEX order_customer_idx ON orders (customer_id);",
			},
			stmt: func(c *Check) {
				st := c.Stmt
				if st.Kind != sqlast.CreateIndex || st.Concurrently || st.Index == nil || c.Created(st.Index.Table) {
					return
				}
				// A partitioned table cannot take CONCURRENTLY: RT316 says
				// what to do instead. ON ONLY is written for a partitioned
				// parent, where it builds nothing; it fires only when the
				// schema state shows a plain table, where ONLY changes
				// nothing. Neither asks for the state.
				var partitioned, plain bool
				if sc := c.Revision.Before[c.Dialect]; sc != nil {
					if t, ok := lookupTable(sc, st.Index.Table, c.Dialect); ok {
						partitioned, plain = t.Partitioning != nil, t.Partitioning == nil
					}
				}
				if partitioned || st.Index.Only && !plain {
					return
				}
				c.Report(fmt.Sprintf("CREATE INDEX locks %s against writes (SHARE lock) for the whole build", st.Index.Table),
					"CREATE INDEX CONCURRENTLY in a -- +no-transaction section")
			},
		},
		{
			Code: "RT302", Name: "drop-index-not-concurrently", Severity: Warning, Dialects: pgOnly,
			Summary: "DROP INDEX without CONCURRENTLY",
			Doc: Doc{
				What:    "`DROP INDEX` without `CONCURRENTLY` of an index the revision did not create.",
				Why:     "It takes an ACCESS EXCLUSIVE lock on the index's table: while it waits for running queries, every new query on the table queues behind it.",
				Safe:    "`DROP INDEX CONCURRENTLY` in a `-- +no-transaction` section (not for an index that backs a constraint: drop the constraint).",
				SafeSQL: "-- +no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS order_customer_idx;",
				Dialect: Postgres,
				Fires:   "DROP INDEX order_customer_idx;",
				Passes:  "-- +no-transaction\nDROP INDEX CONCURRENTLY order_customer_idx;",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.DropIndex || c.Stmt.Concurrently || c.CreatedIndex(c.Stmt.Name) {
					return
				}
				c.Report(fmt.Sprintf("DROP INDEX %s takes an ACCESS EXCLUSIVE lock on its table: queries on it queue while it waits", c.Stmt.Name),
					"DROP INDEX CONCURRENTLY in a -- +no-transaction section")
			},
		},
		{
			Code: "RT303", Name: "reindex-not-concurrently", Severity: Warning, Dialects: pgOnly,
			Summary: "REINDEX without CONCURRENTLY",
			Doc: Doc{
				What:    "`REINDEX` without `CONCURRENTLY` (PostgreSQL 12 and later have it).",
				Why:     "REINDEX locks out writes to the table, and reads that use the index, for the whole rebuild.",
				Safe:    "`REINDEX ... CONCURRENTLY` in a `-- +no-transaction` section.",
				SafeSQL: "-- +no-transaction\nREINDEX INDEX CONCURRENTLY order_customer_idx;",
				Dialect: Postgres,
				Fires:   "REINDEX INDEX order_customer_idx;",
				Passes:  "-- +no-transaction\nREINDEX INDEX CONCURRENTLY order_customer_idx;",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind == sqlast.Reindex && !c.Stmt.Concurrently {
					c.Report("REINDEX blocks writes to the table, and reads through the index, for the whole rebuild",
						"REINDEX ... CONCURRENTLY in a -- +no-transaction section")
				}
			},
		},
		{
			Code: "RT314", Name: "table-rewrite-command", Severity: Error, Dialects: pgOnly,
			Summary: "VACUUM FULL, CLUSTER, SET LOGGED/UNLOGGED/TABLESPACE/ACCESS METHOD, REFRESH MATERIALIZED VIEW",
			Doc: Doc{
				What:    "A command that rewrites a whole table under an ACCESS EXCLUSIVE lock: `VACUUM FULL`, `CLUSTER`, `ALTER TABLE ... SET LOGGED | SET UNLOGGED | SET TABLESPACE | SET ACCESS METHOD`, `REFRESH MATERIALIZED VIEW` without `CONCURRENTLY`.",
				Why:     "No query can read or write the table until the rewrite ends.",
				Safe:    "Use an online tool (pg_repack, or REPACK CONCURRENTLY on PostgreSQL 19), and `REFRESH MATERIALIZED VIEW CONCURRENTLY` (needs a unique index on the view).",
				SafeSQL: "REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;",
				Dialect: Postgres,
				Fires:   "VACUUM FULL orders;",
				Passes:  "REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;",
			},
			stmt: func(c *Check) {
				st := c.Stmt
				what := ""
				switch {
				case st.Kind == sqlast.Vacuum && st.Full:
					what = "VACUUM FULL"
				case st.Kind == sqlast.Cluster:
					what = "CLUSTER"
				case st.Kind == sqlast.RefreshMatView && !st.Concurrently:
					what = "REFRESH MATERIALIZED VIEW"
				case st.Kind == sqlast.AlterTable && !c.Created(st.Name):
					for _, a := range actions(st) {
						switch a.Kind {
						case sqlast.SetLogged, sqlast.SetUnlogged, sqlast.SetTablespace, sqlast.SetAccessMethod:
							what = "ALTER TABLE ... " + a.Keyword
						}
					}
				}
				if what != "" {
					c.Report(what+" rewrites the whole table under an ACCESS EXCLUSIVE lock: no reads or writes until it ends",
						"use pg_repack (REPACK CONCURRENTLY on PostgreSQL 19) or REFRESH MATERIALIZED VIEW CONCURRENTLY")
				}
			},
		},
		{
			Code: "RT318", Name: "replica-identity-change", Severity: Warning, Dialects: pgOnly,
			Summary: "REPLICA IDENTITY FULL or NOTHING",
			Doc: Doc{
				What:    "`ALTER TABLE ... REPLICA IDENTITY FULL` or `NOTHING`.",
				Why:     "FULL makes logical replication log every column of every updated row (WAL grows, subscribers slow down); NOTHING makes UPDATE and DELETE fail on a published table.",
				Safe:    "Keep the default (the primary key), or `REPLICA IDENTITY USING INDEX` on a unique, not-null index.",
				SafeSQL: "ALTER TABLE orders REPLICA IDENTITY USING INDEX orders_uuid_key;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders REPLICA IDENTITY FULL;",
				Passes:  "ALTER TABLE orders REPLICA IDENTITY DEFAULT;",
			},
			stmt: func(c *Check) {
				for _, a := range actions(c.Stmt) {
					if a.Kind == sqlast.ReplicaIdentity && (a.Value == "FULL" || a.Value == "NOTHING") {
						c.Report(fmt.Sprintf("REPLICA IDENTITY %s on %s: FULL logs whole rows to logical replication, NOTHING makes updates and deletes fail on a published table", a.Value, c.Stmt.Name),
							"keep the primary key as replica identity, or REPLICA IDENTITY USING INDEX a unique not-null index")
					}
				}
			},
		},
	}
}

func mysqlRules() []*Rule {
	return []*Rule{
		{
			Code: "RT410", Name: "explicit-copy-or-lock", Severity: Warning, Dialects: myOnly,
			Summary: "ALGORITHM=COPY or LOCK=SHARED/EXCLUSIVE written explicitly",
			Doc: Doc{
				What:    "An ALTER TABLE or CREATE INDEX that asks for `ALGORITHM=COPY`, `LOCK=SHARED` or `LOCK=EXCLUSIVE`.",
				Why:     "COPY rebuilds the table row by row and blocks writes for the whole copy; LOCK=SHARED blocks writes, LOCK=EXCLUSIVE reads too.",
				Safe:    "Ask for `ALGORITHM=INSTANT` or `ALGORITHM=INPLACE, LOCK=NONE`: the server then refuses the change instead of copying; for what needs a copy, use an online schema change tool (gh-ost, pt-online-schema-change).",
				SafeSQL: "ALTER TABLE orders ADD COLUMN note varchar(200), ALGORITHM=INSTANT;",
				Dialect: MySQL,
				Fires:   "ALTER TABLE orders ADD INDEX customer_idx (customer_id), ALGORITHM=COPY;",
				Passes:  "ALTER TABLE orders ADD INDEX customer_idx (customer_id), ALGORITHM=INPLACE, LOCK=NONE;",
			},
			stmt: func(c *Check) {
				var opts []sqlast.Option
				for _, a := range actions(c.Stmt) {
					if a.Kind == sqlast.TableOption {
						opts = append(opts, sqlast.Option{Name: a.Name, Value: a.Value})
					}
				}
				if c.Stmt.Kind == sqlast.CreateIndex && c.Stmt.Index != nil {
					opts = append(opts, c.Stmt.Index.Options...)
				}
				for _, o := range opts {
					name, value := strings.ToUpper(o.Name), strings.ToUpper(o.Value)
					if name == "ALGORITHM" && value == "COPY" || name == "LOCK" && (value == "SHARED" || value == "EXCLUSIVE") {
						c.Report(fmt.Sprintf("%s=%s blocks writes to the table for the whole change (LOCK=EXCLUSIVE blocks reads too)", name, value),
							"ALGORITHM=INSTANT or ALGORITHM=INPLACE, LOCK=NONE, so the server refuses a copy; or an online schema change tool")
						return
					}
				}
			},
		},
		{
			Code: "RT415", Name: "non-transactional-ddl-batch", Severity: Warning, Dialects: myOnly,
			Summary: "several DDL statements (or DML before DDL) in one MySQL revision",
			Doc: Doc{
				What:    "A MySQL/MariaDB revision with a second DDL statement on a table it did not create, or a DDL statement after DML.",
				Why:     "MySQL commits each DDL statement on its own: if the second fails, the first stays applied, the revision is left dirty and cannot be rolled back as a whole.",
				Safe:    "One DDL statement per revision (several changes to one table fit in one ALTER TABLE), data changes in revisions of their own.",
				SafeSQL: "ALTER TABLE orders ADD COLUMN note varchar(200), ADD INDEX placed_idx (placed_at);",
				Dialect: MySQL,
				Fires:   "ALTER TABLE orders ADD COLUMN note varchar(200);\nALTER TABLE orders ADD INDEX placed_idx (placed_at);",
				Passes:  "ALTER TABLE orders ADD COLUMN note varchar(200), ADD INDEX placed_idx (placed_at);",
			},
			stmt: func(c *Check) {
				if !isDDL(c.Stmt) || c.Stmt.Kind == sqlast.CreateTable || c.Created(c.Stmt.Name) {
					return
				}
				for _, e := range c.Earlier() {
					switch {
					case isDDL(e) && e.Kind != sqlast.CreateTable:
						c.Report("MySQL commits each DDL statement on its own: if this one fails, the earlier DDL of the revision stays applied and the revision is left half done",
							"one DDL statement per revision: combine changes to one table in one ALTER TABLE")
						return
					case isDML(e) && !c.Created(e.Name):
						c.Report("DDL after DML on MySQL: the DDL commits the data change with it, so a failure leaves the revision half done",
							"put the data change in a revision of its own")
						return
					}
				}
			},
		},
	}
}

// isDDL reports whether st changes the schema.
func isDDL(st *sqlast.Statement) bool {
	switch st.Kind {
	case sqlast.CreateTable, sqlast.AlterTable, sqlast.CreateIndex, sqlast.DropIndex, sqlast.DropTable,
		sqlast.DropSchema, sqlast.DropObject, sqlast.Truncate, sqlast.RenameTable, sqlast.CreateTrigger,
		sqlast.CreateDomain, sqlast.AlterDomain, sqlast.AlterType, sqlast.CreateType, sqlast.CreateView,
		sqlast.AlterSchema, sqlast.CreateSchema, sqlast.CreateSequence, sqlast.AlterIndex, sqlast.AlterObject:
		return true
	}
	return false
}

// isDML reports whether st changes rows.
func isDML(st *sqlast.Statement) bool {
	return st.Kind == sqlast.Insert || st.Kind == sqlast.Update || st.Kind == sqlast.Delete
}
