package lint

import (
	"fmt"
	"strings"

	"github.com/retortdb/retort/lint/sqlast"
)

// mysqlOnlineRules are the MySQL/MariaDB rules about how the server runs
// an ALTER TABLE (catalogue §6): a copy that blocks writes, an in-place
// change that still blocks them, a default that forces a copy, a
// constraint that checks every row. Each is exempt for a table created
// earlier in the revision: it is empty.
func mysqlOnlineRules() []*Rule {
	return []*Rule{
		{
			Code: "RT401", Name: "alter-copies-table", Severity: Error, Dialects: myOnly,
			Summary: "an ALTER TABLE that MySQL/MariaDB can only run by copying the table",
			Doc: Doc{
				What: "An ALTER TABLE whose change the server runs with ALGORITHM=COPY: `CONVERT TO CHARACTER SET`, `DROP PRIMARY KEY` without adding one in the same statement, " +
					"an `ENGINE=` other than InnoDB (ENGINE=InnoDB is RT404's rebuild), `PARTITION BY`, `ADD SYSTEM VERSIONING` (MariaDB); and, with the schema before the revision, a `MODIFY`/`CHANGE` " +
					"that changes a column's type (int to bigint, a shorter VARCHAR, decimal precision, char to varchar, ...) or its CHARACTER SET (utf8mb3 to utf8mb4 aside), checked on MariaDB 10.11. " +
					"A longer VARCHAR is RT411's and ENUM/SET lists RT412's; without the state, MODIFY/CHANGE is not judged.",
				Why:     "The server copies every row into a new table while writes to the table wait (reads too at the swap); on a large table that is an outage of minutes to hours, and a failure near the end starts over.",
				Safe:    "Run the change with an online schema change tool (gh-ost, pt-online-schema-change) outside the revision, or expand and contract: a new table or column filled in batches, then a switch.",
				SafeSQL: "-- run with gh-ost / pt-online-schema-change:\n-- ALTER TABLE orders CONVERT TO CHARACTER SET utf8mb4",
				Dialect: MySQL,
				Fires:   "ALTER TABLE orders CONVERT TO CHARACTER SET utf8mb4;",
				Passes:  "ALTER TABLE orders DEFAULT CHARACTER SET utf8mb4;",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.AlterTable || c.Created(c.Stmt.Name) {
					return
				}
				why := copyReason(c.Stmt)
				if why == "" {
					why = mysqlStateChange(c, mysqlTypeCopy)
				}
				if why != "" {
					c.Report(why+": the server copies every row into a new table while writes to it wait",
						"an online schema change tool (gh-ost, pt-online-schema-change), or expand and contract")
				}
			},
		},
		{
			Code: "RT404", Name: "alter-rebuilds-table", Severity: Warning, Dialects: myOnly,
			Summary: "an ALTER TABLE that MySQL/MariaDB runs as an in-place rebuild",
			Doc: Doc{
				What: "An ALTER TABLE the server runs in place but by rebuilding the table: `ADD PRIMARY KEY` (or dropping and adding one), `FORCE`, `ROW_FORMAT=`, `KEY_BLOCK_SIZE=`, " +
					"`ENGINE=InnoDB` on an InnoDB table, moving a column with MODIFY/CHANGE ... FIRST/AFTER; and, with the schema before the revision, a MODIFY/CHANGE that keeps the type but changes " +
					"the column's nullability (a MODIFY without NOT NULL makes a NOT NULL column nullable), checked on MariaDB 10.11.",
				Why: "Writes go on during the rebuild, but it reads and writes the whole table: it takes as long as a copy, needs free space for a second copy, " +
					"replicas apply it only after it finished on the primary (replication lag of that long), and the end takes a brief exclusive lock.",
				Safe:    "Run it off-peak with the space at hand, or with an online schema change tool that throttles on replica lag (gh-ost, pt-online-schema-change); say `ALGORITHM=INPLACE, LOCK=NONE` so the server refuses a copy.",
				SafeSQL: "ALTER TABLE events ROW_FORMAT=DYNAMIC, ALGORITHM=INPLACE, LOCK=NONE; -- off-peak, or gh-ost",
				Dialect: MySQL,
				Fires:   "ALTER TABLE events ROW_FORMAT=COMPRESSED;",
				Passes:  "ALTER TABLE events ADD INDEX created_idx (created_at);",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.AlterTable || c.Created(c.Stmt.Name) {
					return
				}
				why := rebuildReason(c.Stmt)
				if why == "" {
					why = mysqlStateChange(c, mysqlNullChange)
				}
				if why != "" {
					c.Report(why+" rebuilds the table in place: as long as a copy, twice the space, replicas lag by as long",
						"off-peak with ALGORITHM=INPLACE, LOCK=NONE, or an online schema change tool that throttles on replica lag")
				}
			},
		},
		{
			Code: "RT413", Name: "guard-with-algorithm", Severity: Info, Dialects: myOnly,
			Summary: "an ALTER TABLE without ALGORITHM=",
			Doc: Doc{
				What: "An ALTER TABLE on an existing table that does not say `ALGORITHM=` or `LOCK=` (CREATE INDEX is left alone: InnoDB always builds a plain index in place with writes going on, and RT403 reports FULLTEXT and SPATIAL). On MariaDB, `ALGORITHM` does not stop a `PARTITION BY` copy (checked on 10.11): " +
					"RT401 reports that one.",
				Why: "Without it the server picks the algorithm and falls back to a table copy silently when the change cannot run instantly or in place: " +
					"a change expected to take a millisecond blocks writes for an hour.",
				Safe:    "Say the algorithm you expect: `ALGORITHM=INSTANT`, or `ALGORITHM=INPLACE, LOCK=NONE`; the server then refuses the change instead of copying.",
				SafeSQL: "ALTER TABLE users ADD COLUMN nickname varchar(50) NULL, ALGORITHM=INSTANT;",
				Dialect: MySQL,
				Fires:   "ALTER TABLE users ADD COLUMN nickname varchar(50) NULL;",
				Passes:  "ALTER TABLE users ADD COLUMN nickname varchar(50) NULL, ALGORITHM=INSTANT;",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.AlterTable || c.Stmt.AlterTable == nil || c.Created(c.Stmt.Name) {
					return
				}
				if _, ok := c.Stmt.AlterTable.Option("ALGORITHM"); ok {
					return
				}
				for _, a := range actions(c.Stmt) {
					if a.Kind == sqlast.RenameTo || a.Kind == sqlast.TableOption && strings.EqualFold(a.Name, "LOCK") {
						return
					}
				}
				c.Report("without ALGORITHM= the server falls back to a table copy silently when the change cannot run instantly or in place",
					"say the algorithm you expect: ALGORITHM=INSTANT, or ALGORITHM=INPLACE, LOCK=NONE")
			},
		},
		{
			Code: "RT416", Name: "auto-increment-sbr", Severity: Info, Dialects: myOnly,
			Summary: "an AUTO_INCREMENT column added to an existing table",
			Doc: Doc{
				What: "`ADD COLUMN ... AUTO_INCREMENT` on a table not created in the revision.",
				Why: "The server numbers the existing rows in the order it reads them; under statement-based replication (binlog_format=STATEMENT, or MIXED deciding so) " +
					"each replica runs the ALTER itself and may read the rows in another order: the same row gets different ids on the primary and the replicas.",
				Safe:    "Use row-based replication (binlog_format=ROW, the default since MySQL 5.7.7), or create the numbered table anew and copy the rows in a fixed ORDER BY.",
				SafeSQL: "-- with binlog_format = ROW on the primary:\nALTER TABLE legacy ADD COLUMN id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY;",
				Dialect: MySQL,
				Fires:   "ALTER TABLE legacy ADD COLUMN id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY;",
				Passes:  "ALTER TABLE legacy ADD COLUMN id bigint NULL;",
			},
			stmt: func(c *Check) {
				if c.Created(c.Stmt.Name) {
					return
				}
				if col := addedColumn(c.Stmt, func(col *sqlast.Column) bool { return col.AutoIncrement }); col != nil {
					c.Report(fmt.Sprintf("under statement-based replication each replica numbers the rows for %s in its own read order: the same row may get different ids", col.Name),
						"binlog_format = ROW, or a new table filled with INSERT ... SELECT ... ORDER BY")
				}
			},
		},
		{
			Code: "RT414", Name: "not-null-without-strict-mode", Severity: Error, Dialects: myOnly,
			Summary: "a column made NOT NULL on a server whose sql_mode is not strict",
			Doc: Doc{
				What: "`MODIFY`/`CHANGE` a column to NOT NULL (or `ALTER COLUMN ... SET NOT NULL`) on an existing table when the server's sql_mode has neither STRICT_TRANS_TABLES nor STRICT_ALL_TABLES. " +
					"The sql_mode is the live server's when lint connects; otherwise the default of the configured server version (strict since MySQL 5.7 and MariaDB 10.2.4), " +
					"and without either the rule is skipped and listed.",
				Why: "Without strict mode the server does not refuse the change when rows hold NULL: it silently turns each NULL into the type's zero value ('' , 0, 0000-00-00), " +
					"and the data is changed for good with a warning nobody reads.",
				Safe:    "Backfill the NULLs yourself first (so the values are the ones you chose), and run the change in a strict session.",
				SafeSQL: "UPDATE users SET nickname = '' WHERE nickname IS NULL; -- batched\nSET SESSION sql_mode = CONCAT(@@sql_mode, ',STRICT_TRANS_TABLES');\nALTER TABLE users MODIFY nickname varchar(50) NOT NULL;",
				Dialect: MySQL,
				Server:  "mysql 5.6",
				Fires:   "ALTER TABLE users MODIFY nickname varchar(50) NOT NULL;",
				Passes:  "ALTER TABLE users MODIFY nickname varchar(50) NULL;",
			},
			stmt: func(c *Check) {
				if c.Created(c.Stmt.Name) {
					return
				}
				col := ""
				for _, a := range actions(c.Stmt) {
					switch {
					case (a.Kind == sqlast.ModifyColumn || a.Kind == sqlast.ChangeColumn) && a.Column != nil && a.Column.NotNull:
						col = a.Column.Name
					case a.Kind == sqlast.SetNotNull:
						col = a.ColumnName
					}
				}
				if col == "" {
					return
				}
				mode, from := "", ""
				if c.settings.SQLMode != nil {
					mode, from = *c.settings.SQLMode, "the server's sql_mode"
				} else {
					v, ok := c.Server()
					if !ok {
						return
					}
					if v.Flavour == FlavourMySQL && !v.Before(5, 7, 0) || v.Flavour == FlavourMariaDB && !v.Before(10, 2, 4) {
						return // strict by default
					}
					from = "the default sql_mode of " + v.String()
				}
				m := strings.ToUpper(mode)
				if strings.Contains(m, "STRICT_TRANS_TABLES") || strings.Contains(m, "STRICT_ALL_TABLES") {
					return
				}
				c.Report(fmt.Sprintf("%s is not strict: rows whose %s is NULL get the type's zero value silently instead of failing the change", from, col),
					"backfill the NULLs yourself first, and run the change with STRICT_TRANS_TABLES in the session's sql_mode")
			},
		},
		{
			Code: "RT402", Name: "add-stored-generated-column", Severity: Error, Dialects: myOnly,
			Summary: "a STORED (PERSISTENT) generated column added to an existing table",
			Doc: Doc{
				What:    "`ADD COLUMN ... GENERATED ALWAYS AS (...) STORED` (MariaDB: `PERSISTENT`) on a table not created in the revision.",
				Why:     "A stored generated column is computed and written for every row: the server copies the table (ALGORITHM=COPY) and blocks writes for the whole copy.",
				Safe:    "Add the column VIRTUAL (computed on read, added instantly), and index it if queries need it.",
				SafeSQL: "ALTER TABLE orders ADD COLUMN total_cents int GENERATED ALWAYS AS (quantity * price_cents) VIRTUAL;",
				Dialect: MySQL,
				Fires:   "ALTER TABLE orders ADD COLUMN total_cents int GENERATED ALWAYS AS (quantity * price_cents) STORED;",
				Passes:  "ALTER TABLE orders ADD COLUMN total_cents int GENERATED ALWAYS AS (quantity * price_cents) VIRTUAL;",
			},
			stmt: func(c *Check) {
				if c.Created(c.Stmt.Name) {
					return
				}
				if col := addedColumn(c.Stmt, func(col *sqlast.Column) bool { return col.Generated != nil && col.Generated.Stored }); col != nil {
					c.Report(fmt.Sprintf("the stored generated column %s is computed and written for every row: the table is copied while writes wait", col.Name),
						"add it VIRTUAL, and index it if queries need it")
				}
			},
		},
		{
			Code: "RT403", Name: "alter-blocks-writes", Severity: Error, Dialects: myOnly,
			Summary: "an in-place ALTER that still blocks writes: AUTO_INCREMENT column, FULLTEXT or SPATIAL index",
			Doc: Doc{
				What:    "On an existing table: an added AUTO_INCREMENT column, or an added FULLTEXT or SPATIAL index (ALTER TABLE ADD, or CREATE FULLTEXT/SPATIAL INDEX).",
				Why:     "These run in place but do not allow concurrent writes (LOCK=SHARED at best): every INSERT, UPDATE and DELETE on the table waits for the whole build.",
				Safe:    "Build it with an online schema change tool (gh-ost, pt-online-schema-change), or in a maintenance window; for search, consider a separate search table filled in batches.",
				SafeSQL: "-- run with gh-ost / pt-online-schema-change:\n-- ALTER TABLE articles ADD FULLTEXT INDEX body_ft (body)",
				Dialect: MySQL,
				Fires:   "ALTER TABLE articles ADD FULLTEXT INDEX body_ft (body);",
				Passes:  "ALTER TABLE articles ADD INDEX title_idx (title);",
			},
			stmt: func(c *Check) {
				if c.Created(c.Stmt.Name) {
					return
				}
				if c.Stmt.Kind == sqlast.CreateIndex && c.Stmt.Index != nil && (c.Stmt.Index.Fulltext || c.Stmt.Index.Spatial) && !c.Created(c.Stmt.Index.Table) {
					c.Report("a FULLTEXT or SPATIAL index is built in place but without concurrent writes: writes to the table wait for the whole build",
						"an online schema change tool, or a maintenance window")
					return
				}
				for _, a := range actions(c.Stmt) {
					switch {
					case a.Kind == sqlast.AddColumn && a.Column != nil && a.Column.AutoIncrement:
						c.Report(fmt.Sprintf("adding the AUTO_INCREMENT column %s numbers every row in place without concurrent writes: writes to the table wait", a.Column.Name),
							"an online schema change tool, or a maintenance window")
						return
					case a.Kind == sqlast.AddIndex && a.Index != nil && (a.Index.Fulltext || a.Index.Spatial):
						c.Report("a FULLTEXT or SPATIAL index is built in place but without concurrent writes: writes to the table wait for the whole build",
							"an online schema change tool, or a maintenance window")
						return
					}
				}
			},
		},
		{
			Code: "RT405", Name: "add-column-expression-default", Severity: Warning, Dialects: myOnly,
			Summary: "ADD COLUMN with an expression default DEFAULT (expr)",
			Doc: Doc{
				What:    "`ADD COLUMN c t DEFAULT (expr)`, MySQL 8.0.13+ and MariaDB's expression default, on an existing table.",
				Why:     "The server evaluates the expression for every existing row, so the change is not instant: the table is copied while writes wait.",
				Safe:    "Add the column without a default (instant), set the default for new rows, then backfill existing rows in batches.",
				SafeSQL: "ALTER TABLE orders ADD COLUMN token char(36) NULL;\nALTER TABLE orders ALTER COLUMN token SET DEFAULT (uuid());\n-- backfill in batches: UPDATE orders SET token = uuid() WHERE token IS NULL AND id BETWEEN ? AND ?",
				Dialect: MySQL,
				Fires:   "ALTER TABLE orders ADD COLUMN token char(36) DEFAULT (uuid());",
				Passes:  "ALTER TABLE orders ADD COLUMN status varchar(20) NOT NULL DEFAULT 'new';",
			},
			stmt: func(c *Check) {
				if c.Created(c.Stmt.Name) {
					return
				}
				if col := addedColumn(c.Stmt, func(col *sqlast.Column) bool { return col.Default != nil && col.Default.Paren }); col != nil {
					c.Report(fmt.Sprintf("the expression default of %s is evaluated for every existing row: the table is copied while writes wait", col.Name),
						"add the column without a default, SET DEFAULT (expr) for new rows, backfill in batches")
				}
			},
		},
		{
			Code: "RT408", Name: "add-foreign-key-mysql", Severity: Warning, Dialects: myOnly,
			Summary: "a FOREIGN KEY added to an existing MySQL/MariaDB table",
			Doc: Doc{
				What:    "`ALTER TABLE ... ADD [CONSTRAINT n] FOREIGN KEY` on a table not created in the revision.",
				Why:     "With foreign_key_checks=1 (the default) the server copies the table to check every row, and writes to both tables wait; with foreign_key_checks=0 the key is added in place but the existing rows are never checked.",
				Safe:    "Check for orphans first, then add the key with foreign_key_checks=0 in the same session (in place, no copy), knowing existing rows were checked by your query rather than the server; or use an online schema change tool.",
				SafeSQL: "SELECT count(*) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE o.customer_id IS NOT NULL AND c.id IS NULL; -- must be 0\nSET foreign_key_checks = 0;\nALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id), ALGORITHM=INPLACE, LOCK=NONE;\nSET foreign_key_checks = 1;",
				Dialect: MySQL,
				Fires:   "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);",
				Passes:  "SET foreign_key_checks = 0;\nALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);",
			},
			stmt: func(c *Check) {
				if c.Created(c.Stmt.Name) {
					return
				}
				for _, a := range actions(c.Stmt) {
					if a.Kind == sqlast.AddConstraint && a.Constraint != nil && a.Constraint.Kind == sqlast.ForeignKey {
						if fkChecksOff(c.Earlier()) {
							return
						}
						c.Report("with foreign_key_checks=1 the server copies the table to check every row: writes to it and to the referenced table wait",
							"check for orphans with a query, then SET foreign_key_checks = 0 around the ALTER (in place); or an online schema change tool")
						return
					}
				}
			},
		},
		{
			Code: "RT409", Name: "add-check-mysql", Severity: Warning, Dialects: myOnly,
			Summary: "a CHECK constraint added to an existing MySQL/MariaDB table",
			Doc: Doc{
				What:    "`ALTER TABLE ... ADD [CONSTRAINT n] CHECK (...)` on a table not created in the revision, unless MySQL's `NOT ENFORCED` is written.",
				Why:     "The server validates every row: MySQL copies the table for an enforced CHECK, MariaDB copies it too; writes wait for the whole copy, and one bad row fails the revision after the copy.",
				Safe:    "On MySQL add it `NOT ENFORCED` (instant), fix the rows that violate it, then enforce it with an online schema change tool; on MariaDB use the tool directly.",
				SafeSQL: "ALTER TABLE orders ADD CONSTRAINT quantity_positive CHECK (quantity > 0) NOT ENFORCED;",
				Dialect: MySQL,
				Fires:   "ALTER TABLE orders ADD CONSTRAINT quantity_positive CHECK (quantity > 0);",
				Passes:  "ALTER TABLE orders ADD CONSTRAINT quantity_positive CHECK (quantity > 0) NOT ENFORCED;",
			},
			stmt: func(c *Check) {
				if c.Created(c.Stmt.Name) {
					return
				}
				for _, a := range actions(c.Stmt) {
					if a.Kind == sqlast.AddConstraint && a.Constraint != nil && a.Constraint.Kind == sqlast.Check && !a.Constraint.NotEnforced {
						c.Report("the server checks every row and copies the table to add the CHECK: writes wait for the whole copy, and one bad row fails it at the end",
							"MySQL: add it NOT ENFORCED, fix the rows, enforce it later with an online schema change tool")
						return
					}
				}
			},
		},
	}
}

// rebuildReason says which part of an ALTER TABLE makes MySQL/MariaDB
// rebuild the table in place, or "".
func rebuildReason(st *sqlast.Statement) string {
	var dropPK bool
	for _, a := range actions(st) {
		switch a.Kind {
		case sqlast.DropPrimaryKey:
			dropPK = true
		case sqlast.AddConstraint:
			if a.Constraint != nil && a.Constraint.Kind == sqlast.PrimaryKey {
				if dropPK {
					return "replacing the primary key"
				}
				return "ADD PRIMARY KEY"
			}
		case sqlast.Force:
			return "FORCE"
		case sqlast.TableOption:
			switch n := strings.ToUpper(a.Name); {
			case n == "ROW_FORMAT" || n == "KEY_BLOCK_SIZE":
				return n + "=" + a.Value
			case n == "ENGINE" && strings.EqualFold(a.Value, "InnoDB"):
				return "ENGINE=InnoDB (a rebuild on an InnoDB table, a copy on any other)"
			}
		case sqlast.ModifyColumn, sqlast.ChangeColumn:
			if a.Column != nil && (a.Column.First || a.Column.After != "") {
				return "moving column " + a.Column.Name
			}
		}
	}
	return ""
}

// copyReason says which part of an ALTER TABLE makes MySQL/MariaDB copy
// the table, or "".
func copyReason(st *sqlast.Statement) string {
	var dropPK, addPK bool
	for _, a := range actions(st) {
		switch a.Kind {
		case sqlast.ConvertCharset:
			return "CONVERT TO CHARACTER SET rewrites every text column"
		case sqlast.AddSystemVersioning:
			return "ADD SYSTEM VERSIONING"
		case sqlast.DropPrimaryKey:
			dropPK = true
		case sqlast.AddConstraint:
			if a.Constraint != nil && a.Constraint.Kind == sqlast.PrimaryKey {
				addPK = true
			}
		case sqlast.TableOption:
			if strings.EqualFold(a.Name, "ENGINE") && !strings.EqualFold(a.Value, "InnoDB") {
				return "ENGINE=" + a.Value + " changes the storage engine"
			}
		}
	}
	if dropPK && !addPK {
		return "DROP PRIMARY KEY without a new primary key in the same statement"
	}
	if st.HasSeq("PARTITION", "BY") || st.HasSeq("REMOVE", "PARTITIONING") {
		return "partitioning the table"
	}
	return ""
}

// fkChecksOff reports whether a statement before turned
// foreign_key_checks off (and no later one turned it back on).
func fkChecksOff(earlier []*sqlast.Statement) bool {
	off := false
	for _, e := range earlier {
		if e.Kind != sqlast.Set {
			continue
		}
		t := strings.ToLower(spaces.ReplaceAllString(e.Text, ""))
		switch {
		case strings.Contains(t, "foreign_key_checks=0"), strings.Contains(t, "foreign_key_checks=off"):
			off = true
		case strings.Contains(t, "foreign_key_checks=1"), strings.Contains(t, "foreign_key_checks=on"):
			off = false
		}
	}
	return off
}

// mysqlVersionRules are the MySQL/MariaDB rules that hold on some server
// versions or one flavour only: without a server version they are
// skipped, and the output says so.
func mysqlVersionRules() []*Rule {
	return []*Rule{
		{
			Code: "RT406", Name: "add-column-not-last", Severity: Warning, Dialects: myOnly,
			Summary: "ADD COLUMN the server cannot run instantly: FIRST/AFTER on an older server, or on a table with a FULLTEXT index",
			Doc: Doc{
				What: "`ADD COLUMN ... FIRST` or `AFTER c` on an existing table when the server is MySQL before 8.0.29 or MariaDB before 10.4 " +
					"(\"mysql 8.0\" without a patch level counts as 8.0.0: write \"mysql 8.0.36\" when you run a later release); " +
					"and, on any version, any ADD COLUMN on a table that has a FULLTEXT index in the schema before the revision (checked on MariaDB 10.11: ALGORITHM=INSTANT is refused).",
				Why: "Those servers add a column instantly only at the end: anywhere else the table is rebuilt, which takes as long as a copy, " +
					"needs twice the space and makes replicas lag.",
				Safe:    "Add the column last (column order does not matter to SQL that names its columns), or upgrade to MySQL 8.0.29+ / MariaDB 10.4+.",
				SafeSQL: "ALTER TABLE users ADD COLUMN nickname varchar(50) NULL, ALGORITHM=INSTANT;",
				Dialect: MySQL,
				Server:  "mysql 8.0.28",
				Fires:   "ALTER TABLE users ADD COLUMN nickname varchar(50) NULL AFTER email;",
				Passes:  "ALTER TABLE users ADD COLUMN nickname varchar(50) NULL;",
			},
			stmt: func(c *Check) {
				if c.Created(c.Stmt.Name) {
					return
				}
				if a := addedColumn(c.Stmt, func(*sqlast.Column) bool { return true }); a != nil {
					if t, ok := c.Table(c.Stmt.Name); ok {
						for _, ix := range t.Indexes {
							if strings.EqualFold(ix.Method, "FULLTEXT") {
								c.Report(fmt.Sprintf("%s has FULLTEXT index %s: no column can be added to it instantly, so adding %s rebuilds the table (as long as a copy, twice the space, replicas lag)", c.Stmt.Name, ix.Name, a.Name),
									"add the column when the table is rebuilt anyway, off-peak, or with an online schema change tool")
								return
							}
						}
					}
				}
				for _, a := range actions(c.Stmt) {
					if a.Kind != sqlast.AddColumn || a.Column == nil || !a.Column.First && a.Column.After == "" {
						continue
					}
					v, ok := c.Server()
					if !ok {
						return
					}
					if v.Flavour == FlavourMariaDB && v.Before(10, 4, 0) || v.Flavour == FlavourMySQL && v.Before(8, 0, 29) {
						c.Report(fmt.Sprintf("on %s a column is added instantly only at the end: %s elsewhere rebuilds the table (as long as a copy, twice the space, replicas lag)", v, a.Column.Name),
							"add the column last, or upgrade to MySQL 8.0.29+ / MariaDB 10.4+")
					}
					return
				}
			},
		},
		{
			Code: "RT407", Name: "inline-references-ignored", Severity: Error, Dialects: myOnly,
			Summary: "a column-level REFERENCES, which MySQL before 9.0 parses and ignores",
			Doc: Doc{
				What: "A column definition with `REFERENCES t (c)` (CREATE TABLE, ADD, MODIFY or CHANGE COLUMN) when the server is MySQL before 9.0. " +
					"MariaDB creates the key (checked on 10.11), so the rule needs the flavour: from lint.server_version or the live server's VERSION(), which names MariaDB.",
				Why:     "MySQL before 9.0 accepts the clause and creates no foreign key: the application believes the database guards the reference, and orphan rows pile up.",
				Safe:    "Declare the key at table level: `FOREIGN KEY (c) REFERENCES t (c)`.",
				SafeSQL: "CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint NOT NULL, FOREIGN KEY (post_id) REFERENCES posts (id));",
				Dialect: MySQL,
				Server:  "mysql 8.0",
				Fires:   "CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint NOT NULL REFERENCES posts (id));",
				Passes:  "CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint NOT NULL, FOREIGN KEY (post_id) REFERENCES posts (id));",
			},
			stmt: func(c *Check) {
				var cols []*sqlast.Column
				if c.Stmt.Kind == sqlast.CreateTable && c.Stmt.CreateTable != nil {
					cols = c.Stmt.CreateTable.Columns
				}
				for _, a := range actions(c.Stmt) {
					if a.Column != nil {
						cols = append(cols, a.Column)
					}
				}
				for _, col := range cols {
					if col.References == nil {
						continue
					}
					v, ok := c.Server()
					if !ok {
						return
					}
					if v.Flavour == FlavourMySQL && v.Before(9, 0, 0) {
						c.Report(fmt.Sprintf("on %s the REFERENCES of column %s is parsed and ignored: no foreign key is created", v, col.Name),
							fmt.Sprintf("a table-level FOREIGN KEY (%s) REFERENCES %s", col.Name, col.References.Table))
					}
					return
				}
			},
		},
	}
}
