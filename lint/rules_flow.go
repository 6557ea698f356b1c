package lint

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/retortdb/retort/lint/sqlast"
)

func dataRules() []*Rule {
	return []*Rule{{
		Code: "RT606", Name: "single-statement-backfill", Severity: Warning, Dialects: every,
		Summary: "UPDATE or DELETE of a whole table in one statement",
		Doc: Doc{
			What:    "`UPDATE` or `DELETE` without a `WHERE` on a table the revision did not create.",
			Why:     "One statement locks every row it touches until the revision commits, and writes the whole table to the WAL or binlog at once: replicas lag, and concurrent writers wait.",
			Safe:    "Backfill in batches of a few thousand rows by key range, in a revision (or a job) of its own, outside the DDL's transaction.",
			SafeSQL: "UPDATE orders SET status = 'new' WHERE status IS NULL AND id BETWEEN 1 AND 5000;",
			Dialect: Postgres,
			Fires:   "UPDATE orders SET status = 'new';",
			Passes:  "UPDATE orders SET status = 'new' WHERE id = 42;",
		},
		stmt: func(c *Check) {
			st := c.Stmt
			if (st.Kind != sqlast.Update && st.Kind != sqlast.Delete) || st.HasWhere || c.Created(st.Name) {
				return
			}
			verb := "UPDATE"
			if st.Kind == sqlast.Delete {
				verb = "DELETE"
			}
			c.Report(fmt.Sprintf("%s of every row of %s in one statement: every row stays locked until the revision ends, and the whole table goes to the WAL/binlog at once", verb, st.Name),
				"batch it by key range (WHERE id BETWEEN ...) in a revision or job of its own")
		},
	}}
}

// isLockTimeoutSet reports whether st sets the lock wait of the session.
func isLockTimeoutSet(st *sqlast.Statement) bool {
	if st.Kind != sqlast.Set || st.Set == nil || st.Set.Scope == "GLOBAL" || st.Set.Scope == "PERSIST" {
		return false
	}
	n := strings.ToLower(st.Name.Object())
	return n == "lock_timeout" || n == "lock_wait_timeout"
}

// isStatementTimeoutSet reports whether st sets the session's statement
// timeout: statement_timeout (PostgreSQL), max_statement_time (MariaDB)
// or max_execution_time (MySQL).
func isStatementTimeoutSet(st *sqlast.Statement) bool {
	if st.Kind != sqlast.Set || st.Set == nil || st.Set.Scope == "GLOBAL" || st.Set.Scope == "PERSIST" {
		return false
	}
	switch strings.ToLower(st.Name.Object()) {
	case "statement_timeout", "max_statement_time", "max_execution_time":
		return true
	}
	return false
}

// blocking reports whether st takes a lock that queues other sessions'
// queries on a table the revision did not create, and names it.
func blocking(c *Check) (string, bool) {
	st := c.Stmt
	switch st.Kind {
	case sqlast.AlterTable, sqlast.DropTable, sqlast.Truncate, sqlast.CreateTrigger:
		if !c.Created(st.Name) {
			return st.Name.String(), true
		}
	case sqlast.CreateIndex:
		if !st.Concurrently && st.Index != nil && !c.Created(st.Index.Table) {
			return st.Index.Table.String(), true
		}
	case sqlast.DropIndex:
		if !st.Concurrently && !c.CreatedIndex(st.Name) {
			return st.Name.String(), true
		}
	case sqlast.RenameTable:
		return st.Name.String(), true
	}
	return "", false
}

// boundedWait reports whether the statement bounds its own lock wait:
// MariaDB's ALTER TABLE, DROP TABLE, CREATE INDEX ... WAIT n or NOWAIT.
func boundedWait(d string, st *sqlast.Statement) bool {
	return d == MySQL && (st.HasKeyword("NOWAIT") || st.HasKeyword("WAIT"))
}

func transactionRules() []*Rule {
	return []*Rule{
		{
			Code: "RT701", Name: "missing-lock-timeout", Severity: Error, Dialects: pgMy,
			Summary: "blocking DDL without a lock timeout",
			Doc: Doc{
				What:    "The first statement of a revision that takes a table lock (ALTER TABLE, DROP, TRUNCATE, CREATE INDEX without CONCURRENTLY, CREATE TRIGGER) on a table the revision did not create, with no lock timeout: none set earlier in the revision (`SET lock_timeout` on PostgreSQL, `SET SESSION lock_wait_timeout` on MySQL), none on the statement itself (MariaDB's `WAIT n` or `NOWAIT`) and none set by retort (`lock_timeout` in retort.toml).",
				Why:     "The DDL waits for every running transaction on the table, and while it waits every new query on the table queues behind it: one long report query turns a millisecond ALTER into an outage.",
				Safe:    "Set lock_timeout in retort.toml (retort then sets it before each revision), or set it at the top of the revision; retry the revision when it times out.",
				SafeSQL: "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN note text;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ADD COLUMN note text;",
				Passes:  "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN note text;",
			},
			stmt: func(c *Check) {
				if c.LockTimeout() {
					return
				}
				name, ok := blocking(c)
				if !ok || boundedWait(c.Dialect, c.Stmt) {
					return
				}
				for _, e := range c.Earlier() {
					cc := *c
					cc.Stmt = e
					if _, ok := blocking(&cc); ok && !boundedWait(c.Dialect, e) {
						return // reported at the first one
					}
				}
				set := "SET lock_timeout = '5s'"
				if c.Dialect == MySQL {
					set = "SET SESSION lock_wait_timeout = 5"
				}
				c.Report(fmt.Sprintf("this statement waits for the lock on %s with no timeout, and every query on %s queues behind it meanwhile", name, name),
					fmt.Sprintf("set lock_timeout = \"5s\" in retort.toml, or begin the revision with %s", set))
			},
		},
		{
			Code: "RT702", Name: "missing-statement-timeout", Severity: Warning, Dialects: pgMy,
			Summary: "blocking DDL without a statement timeout",
			Doc: Doc{
				What:    "The first statement of a revision that takes a table lock on a table the revision did not create (as RT701 counts them), with no statement timeout: none set earlier in the revision (`SET statement_timeout` on PostgreSQL, `SET SESSION max_statement_time` on MariaDB, `max_execution_time` on MySQL) and none set by retort (`statement_timeout` in retort.toml).",
				Why:     "A lock timeout bounds the wait for the lock, not the work done once it is held: a table scan or rewrite under the lock runs as long as the table is big, and every query on the table waits for it.",
				Safe:    "Set statement_timeout in retort.toml (retort then sets it before each revision), or set it at the top of the revision, sized to what the statement should take.",
				SafeSQL: "SET statement_timeout = '60s';\nALTER TABLE orders ADD COLUMN note text;",
				Dialect: Postgres,
				Fires:   "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN note text;",
				Passes:  "SET lock_timeout = '5s';\nSET statement_timeout = '60s';\nALTER TABLE orders ADD COLUMN note text;",
			},
			stmt: func(c *Check) {
				if c.StatementTimeout() {
					return
				}
				name, ok := blocking(c)
				if !ok {
					return
				}
				for _, e := range c.Earlier() {
					cc := *c
					cc.Stmt = e
					if _, ok := blocking(&cc); ok {
						return // reported at the first one
					}
				}
				set := "SET statement_timeout = '60s'"
				if c.Dialect == MySQL {
					set = "SET SESSION max_statement_time = 60 (MariaDB) or max_execution_time = 60000 (MySQL)"
				}
				c.Report(fmt.Sprintf("nothing bounds how long this statement holds its lock on %s once it has it", name),
					fmt.Sprintf("set statement_timeout in retort.toml, or begin the revision with %s", set))
			},
		},
		{
			Code: "RT703", Name: "explicit-transaction-control", Severity: Error, Dialects: every,
			Summary: "BEGIN, COMMIT or ROLLBACK inside a revision",
			Doc: Doc{
				What:    "`BEGIN`, `START TRANSACTION`, `COMMIT` or `ROLLBACK` in a section that retort runs in the revision's transaction, or a `BEGIN` that no later `COMMIT` or `ROLLBACK` ends.",
				Why:     "retort wraps each revision in a transaction with its version-table update: a COMMIT inside ends it early, so a later failure leaves part of the revision applied and the version not recorded; a BEGIN nests (PostgreSQL warns and ignores it, MySQL commits).",
				Safe:    "Leave transactions to retort. For statements that must run outside one, use a `-- +no-transaction` section.",
				SafeSQL: "-- +no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS order_customer_idx ON orders (customer_id);",
				Dialect: Postgres,
				Fires:   "BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;",
				Passes:  "ALTER TABLE orders ADD COLUMN note text;",
			},
			stmt: func(c *Check) {
				k := c.Stmt.Kind
				if k != sqlast.Begin && k != sqlast.Commit && k != sqlast.Rollback {
					return
				}
				if c.InTx {
					c.Report(fmt.Sprintf("%s inside the transaction retort runs the revision in: a later failure leaves part of the revision applied and unrecorded", strings.ToUpper(c.Stmt.Tokens[0].Text)),
						"remove it: retort commits the revision with its version update; use a -- +no-transaction section for statements that cannot run in a transaction")
					return
				}
				if k == sqlast.Begin {
					for _, l := range c.Later() {
						if l.Kind == sqlast.Commit || l.Kind == sqlast.Rollback {
							return
						}
					}
					c.Report("this transaction is never committed: its statements are rolled back when retort's session ends",
						"end it with COMMIT, or remove BEGIN")
				}
			},
		},
		{
			Code: "RT704", Name: "non-transactional-in-transaction", Severity: Error, Dialects: pgSL,
			Summary: "a statement that cannot run in a transaction, in a transactional section",
			Doc: Doc{
				What:    "A statement the server refuses inside a transaction block, in a section retort runs in the revision's transaction (not after `-- +no-transaction`): on PostgreSQL `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY`, `DETACH PARTITION ... CONCURRENTLY`, `VACUUM`, `CREATE DATABASE`, `DROP DATABASE`, `ALTER SYSTEM`; on SQLite `VACUUM`.",
				Why:     "The server refuses them inside a transaction block, so the revision fails on every database at its first run.",
				Safe:    "Put the statement after a `-- +no-transaction` marker: retort runs it outside the revision's transaction.",
				SafeSQL: "-- +no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS order_customer_idx ON orders (customer_id);",
				Dialect: Postgres,
				Fires:   "CREATE INDEX CONCURRENTLY order_customer_idx ON orders (customer_id);",
				Passes:  "-- +no-transaction\nCREATE INDEX CONCURRENTLY order_customer_idx ON orders (customer_id);",
			},
			stmt: func(c *Check) {
				if !c.InTx {
					return
				}
				st := c.Stmt
				what := ""
				switch {
				case st.Kind == sqlast.Vacuum:
					what = "VACUUM"
				case c.Dialect != Postgres:
				case (st.Kind == sqlast.CreateIndex || st.Kind == sqlast.DropIndex || st.Kind == sqlast.Reindex) && st.Concurrently:
					what = strings.ToUpper(st.Tokens[0].Text) + " ... CONCURRENTLY"
				case slices.ContainsFunc(actions(st), func(a *sqlast.Action) bool { return a.Kind == sqlast.DetachPartition && a.Concurrently }):
					what = "DETACH PARTITION ... CONCURRENTLY"
				case st.Kind == sqlast.CreateSchema && st.ObjectType == "DATABASE", st.Kind == sqlast.DropSchema && st.ObjectType == "DATABASE":
					what = strings.ToUpper(st.Tokens[0].Text) + " DATABASE"
				case st.Kind == sqlast.AlterSystem:
					what = "ALTER SYSTEM"
				}
				if what != "" {
					c.Report(what+" cannot run inside a transaction block: the revision fails at its first run",
						"put it after a -- +no-transaction line, which runs it outside the revision's transaction")
				}
			},
		},
		{
			Code: "RT706", Name: "ddl-and-dml-mixed", Severity: Warning, Dialects: transaction,
			Summary: "data changes in the same transaction as DDL on an existing table",
			Doc: Doc{
				What:    "An `INSERT`, `UPDATE` or `DELETE` on an existing table in the same transaction as DDL on a table the revision did not create (PostgreSQL and SQLite; MySQL commits each DDL statement, see RT415).",
				Why:     "The DDL's lock is held until the transaction commits, so the whole data change runs under it: writers (and on PostgreSQL often readers) of the altered table wait for the backfill.",
				Safe:    "Put the data change in a revision of its own (batched), or after a `-- +no-transaction` marker.",
				SafeSQL: "-- revision N\nALTER TABLE orders ADD COLUMN status text;\n-- revision N+1\nUPDATE orders SET status = 'new' WHERE id BETWEEN 1 AND 5000;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ADD COLUMN status text;\nUPDATE orders SET status = 'new' WHERE status IS NULL;",
				Passes:  "CREATE TABLE status (code text PRIMARY KEY);\nINSERT INTO status VALUES ('new'), ('paid');",
			},
			stmt: func(c *Check) {
				if !isDML(c.Stmt) || c.Created(c.Stmt.Name) {
					return
				}
				for _, o := range c.SameTx() {
					if o == c.Stmt || !isDDL(o) || o.Kind == sqlast.CreateTable || o.Kind == sqlast.CreateView {
						continue
					}
					target := o.Name
					if o.Index != nil {
						target = o.Index.Table
					}
					if c.Created(target) {
						continue
					}
					c.Report(fmt.Sprintf("this data change runs in the same transaction as DDL on %s, which holds its lock until the whole change commits", target),
						"move the data change to a revision of its own, batched")
					return
				}
			},
		},
		{
			Code: "RT707", Name: "unreviewable-raw-sql", Severity: Info, Dialects: every,
			Summary: "a Go revision lint cannot plan offline",
			Doc: Doc{
				What:    "A Go revision whose operations cannot be recorded and rendered offline: it is not compiled into the program running lint, its Upgrade fails without a database, or it has an `op.Run` step (a Go function on the live database).",
				Why:     "Lint sees no statements for it, so none of the other rules checked it.",
				Safe:    "Run lint through the project's migrations program (the retort binary hands `lint` over to it), and prefer Execute/BulkInsert operations to Run where the work can be written as SQL.",
				SafeSQL: "-- from the project folder, with Go revisions:\n-- retort lint   (builds and runs migrations/main.go)",
				Dialect: Postgres,
			},
		},
		{
			Code: "RT708", Name: "missing-downgrade", Severity: Info, Dialects: every,
			Summary: "a revision without a downgrade",
			Doc: Doc{
				What:    "A SQL revision without a `-- +downgrade` section, or a Go revision without a Downgrade function.",
				Why:     "`retort downgrade` through it refuses; a bad deploy cannot be reverted by the tool.",
				Safe:    "Write the downgrade (an empty `-- +downgrade` section states that nothing is to undo).",
				SafeSQL: "-- +upgrade\nALTER TABLE orders ADD COLUMN note text;\n-- +downgrade\nALTER TABLE orders DROP COLUMN note;",
				Dialect: Postgres,
				Fires:   "-- +upgrade\nALTER TABLE orders ADD COLUMN note text;",
				Passes:  "-- +upgrade\nALTER TABLE orders ADD COLUMN note text;\n-- +downgrade\nALTER TABLE orders DROP COLUMN note;",
			},
			file: func(c *FileCheck) {
				if !c.Revision.HasDowngrade {
					c.Report(1, "this revision has no downgrade: retort downgrade through it refuses",
						"add a -- +downgrade section (or, in Go, a Downgrade function); an empty one says there is nothing to undo")
				}
			},
		},
	}
}

func designRules() []*Rule {
	return []*Rule{{
		Code: "RT806", Name: "identifier-too-long", Severity: Error, Dialects: pgMy,
		Summary: "an identifier longer than the database allows",
		Doc: Doc{
			What:    "An identifier longer than 63 bytes (PostgreSQL) or 64 characters (MySQL).",
			Why:     "PostgreSQL silently truncates it, so the name in the database differs from the one in the code (and two long names can collide); MySQL refuses the statement.",
			Safe:    "Choose a shorter name.",
			SafeSQL: "CREATE INDEX orders_customer_placed_idx ON orders (customer_id, placed_at);",
			Dialect: Postgres,
			Fires:   "CREATE TABLE customer_subscription_renewal_reminder_notification_delivery_attempts (id int);",
			Passes:  "CREATE TABLE subscription_reminder_attempts (id int);",
		},
		stmt: func(c *Check) {
			for _, t := range c.Stmt.Tokens {
				if !t.IsIdent() {
					continue
				}
				if c.Dialect == Postgres && len(t.Name) > 63 {
					c.Report(fmt.Sprintf("identifier %q is %d bytes: PostgreSQL truncates it to 63, so the database's name differs from the code's", t.Name, len(t.Name)),
						"use a name of at most 63 bytes")
					return
				}
				if c.Dialect == MySQL && utf8.RuneCountInString(t.Name) > 64 {
					c.Report(fmt.Sprintf("identifier %q is %d characters: MySQL refuses names longer than 64", t.Name, utf8.RuneCountInString(t.Name)),
						"use a name of at most 64 characters")
					return
				}
			}
		},
	}}
}

func metaRules() []*Rule {
	return []*Rule{
		{
			Code: "RT901", Name: "syntax-error", Severity: Error, Dialects: every,
			Summary: "a statement that cannot be read for its dialect",
			Doc: Doc{
				What:    "A statement of a recognised form that does not parse, an unterminated quote, comment or dollar-quoted string, or a section the statement splitter cannot cut.",
				Why:     "The server refuses it: the revision fails at its first run (with the statements before it applied, on MySQL).",
				Safe:    "Fix the statement; run it on a development database.",
				SafeSQL: "CREATE INDEX order_customer_idx ON orders (customer_id);",
				Dialect: Postgres,
				Fires:   "CREATE TABLE note (body text DEFAULT 'unterminated);",
				Passes:  "CREATE TABLE note (body text DEFAULT 'terminated');",
			},
			stmt: func(c *Check) {
				if c.Stmt.Err != nil {
					c.Report("this statement cannot be read: "+c.Stmt.Err.Msg, "fix the statement and try it on a development database")
				}
			},
		},
		{
			Code: "RT902", Name: "unused-ignore", Severity: Warning, Dialects: every,
			Summary: "a suppression comment that suppresses nothing",
			Doc: Doc{
				What:    "A `retort:ignore` comment with no finding of its rules on the statement after it, or a `retort:ignore-file` with none in the file.",
				Why:     "A stale suppression hides the next real problem of that rule at that place, and misleads the reader.",
				Safe:    "Remove it, or move it onto the lines right above the statement it is for.",
				SafeSQL: "-- retort:ignore RT101 replaced by orders_v2 in revision 7f3a, backup taken\nDROP TABLE orders_old;",
				Dialect: Postgres,
				Fires:   "-- retort:ignore RT101 the table is empty\nCREATE TABLE orders (id int);",
				Passes:  "-- retort:ignore RT101 the table is empty\nDROP TABLE orders;",
			},
		},
		{
			Code: "RT903", Name: "edited-after-applied", Severity: Error, Dialects: every,
			Summary: "a revision file changed after it was applied",
			Doc: Doc{
				What:    "With a database URL: a revision whose file no longer matches the checksum recorded when it was applied. With `--git-base`: a revision file that already existed at the base ref and was changed.",
				Why:     "The change never reaches databases that already ran the revision: they and new databases now differ.",
				Safe:    "Restore the file and write a new revision for the change.",
				SafeSQL: "-- retort revision -m \"widen note\"\nALTER TABLE orders ALTER COLUMN note TYPE text;",
				Dialect: Postgres,
			},
		},
		{
			Code: "RT904", Name: "bad-suppression", Severity: Error, Dialects: every,
			Summary: "a suppression comment without a reason, or naming no rule",
			Doc: Doc{
				What:    "A `retort:ignore` or `retort:ignore-file` comment without a reason after the codes, or naming a code that is no rule.",
				Why:     "A suppression is a decision a reviewer must be able to check: without the reason it suppresses nothing.",
				Safe:    "Give the codes, then why the finding does not apply here.",
				SafeSQL: "-- retort:ignore RT301 the table holds 12 rows, created last week\nCREATE INDEX flag_idx ON feature_flag (name);",
				Dialect: Postgres,
				Fires:   "-- retort:ignore RT101\nDROP TABLE orders;",
				Passes:  "-- retort:ignore RT101 replaced by orders_v2, backup taken\nDROP TABLE orders;",
			},
		},
	}
}
