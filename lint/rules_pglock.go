package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/lint/sqlast"
)

// The PostgreSQL lock, scan and rewrite rules of catalogue §8.3 that
// look at constraints, columns and the order of statements. Parts that
// need the schema before the revision (nullability of primary-key
// columns for RT305, constraints that already exist for RT309, the old
// type of a column for RT312) are left to the schema-state rules, which
// can call pgTypeChangeRewrites and pgAddedDefaults.

// sameTable reports whether a and b name the same table (by object name).
func sameTable(a, b sqlast.Name) bool { return key(a) == key(b) }

// existingAlter returns the ALTER TABLE actions of the statement when it
// alters a table the revision did not create.
func existingAlter(c *Check) []*sqlast.Action {
	if c.Stmt.Kind != sqlast.AlterTable || c.Created(c.Stmt.Name) {
		return nil
	}
	return actions(c.Stmt)
}

// normExpr is an expression's text without quotes, parentheses and
// spaces, in lower case, to compare CHECK expressions.
func normExpr(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '(', ')', '"', ' ', '\t', '\n', '\r':
			return -1
		}
		return r
	}, strings.ToLower(s))
}

// isNotNullCheck reports whether con is CHECK (col IS NOT NULL).
func isNotNullCheck(con *sqlast.Constraint, col string) bool {
	return con != nil && con.Kind == sqlast.Check && con.Expr != nil &&
		normExpr(con.Expr.Text) == strings.ToLower(col)+"isnotnull"
}

// laterInTx returns the statements of c's transaction after c's, or nil
// when c runs outside a transaction.
func laterInTx(c *Check) []*sqlast.Statement {
	tx := c.SameTx()
	for i, st := range tx {
		if st == c.Stmt {
			return tx[i+1:]
		}
	}
	return nil
}

// earlierInTx returns the statements of c's transaction before c's.
func earlierInTx(c *Check) []*sqlast.Statement {
	tx := c.SameTx()
	for i, st := range tx {
		if st == c.Stmt {
			return tx[:i]
		}
	}
	return nil
}

func pgConstraintRules() []*Rule {
	return []*Rule{
		{
			Code: "RT304", Name: "add-unique-constraint", Severity: Error, Dialects: pgOnly,
			Summary: "ADD UNIQUE builds its index under an ACCESS EXCLUSIVE lock",
			Doc: Doc{
				What:    "`ALTER TABLE ... ADD [CONSTRAINT n] UNIQUE (...)` without `USING INDEX`, or `ADD COLUMN ... UNIQUE`, on a table the revision did not create.",
				Why:     "The unique index is built while the table is locked ACCESS EXCLUSIVE: no query reads or writes it until the build over every row ends.",
				Safe:    "Build the unique index with CONCURRENTLY in a `-- +no-transaction` section, then attach it as the constraint (a short lock).",
				SafeSQL: "-- +no-transaction\nALTER TABLE customer DROP CONSTRAINT IF EXISTS customer_email_key;\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS customer_email_key ON customer (email);\nALTER TABLE customer ADD CONSTRAINT customer_email_key UNIQUE USING INDEX customer_email_key;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE customer ADD CONSTRAINT customer_email_key UNIQUE (email);",
				Passes:  "ALTER TABLE customer ADD CONSTRAINT customer_email_key UNIQUE USING INDEX customer_email_key;",
			},
			stmt: func(c *Check) {
				for _, a := range existingAlter(c) {
					if a.Kind == sqlast.AddConstraint && a.Constraint != nil && a.Constraint.Kind == sqlast.Unique && a.Constraint.UsingIndex == "" ||
						a.Kind == sqlast.AddColumn && a.Column != nil && a.Column.Unique {
						c.Report(fmt.Sprintf("adding a UNIQUE constraint builds its index while %s is locked ACCESS EXCLUSIVE: no reads or writes until the build ends", c.Stmt.Name),
							"CREATE UNIQUE INDEX CONCURRENTLY in a -- +no-transaction section, then ADD CONSTRAINT ... UNIQUE USING INDEX")
						return
					}
				}
			},
		},
		{
			Code: "RT305", Name: "add-primary-key", Severity: Error, Dialects: pgOnly,
			Summary: "ADD PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock",
			Doc: Doc{
				What:    "`ALTER TABLE ... ADD [CONSTRAINT n] PRIMARY KEY (...)` without `USING INDEX`, or `ADD COLUMN ... PRIMARY KEY`, on a table the revision did not create. With the schema before the revision the finding also names the key's nullable columns, which PostgreSQL scans for NULLs under the same lock (RT327 is the same scan for `USING INDEX`).",
				Why:     "The index is built, and nullable key columns are scanned for NULLs, while the table is locked ACCESS EXCLUSIVE: the table is unavailable for the whole build.",
				Safe:    "Make the columns NOT NULL safely (RT309), build a unique index CONCURRENTLY, then attach it as the primary key.",
				SafeSQL: "-- +no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY line_item_pkey ON line_item (id);\n-- +no-transaction\nALTER TABLE line_item ADD CONSTRAINT line_item_pkey PRIMARY KEY USING INDEX line_item_pkey;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE line_item ADD PRIMARY KEY (id);",
				Passes:  "ALTER TABLE line_item ADD CONSTRAINT line_item_pkey PRIMARY KEY USING INDEX line_item_pkey;",
			},
			stmt: func(c *Check) {
				for _, a := range existingAlter(c) {
					if a.Kind == sqlast.AddConstraint && a.Constraint != nil && a.Constraint.Kind == sqlast.PrimaryKey && a.Constraint.UsingIndex == "" ||
						a.Kind == sqlast.AddColumn && a.Column != nil && a.Column.PrimaryKey {
						msg := fmt.Sprintf("adding a PRIMARY KEY builds its index while %s is locked ACCESS EXCLUSIVE: no reads or writes until the build ends", c.Stmt.Name)
						if a.Kind == sqlast.AddConstraint {
							if nullable := nullableKeyColumns(c, a.Constraint.Columns); len(nullable) > 0 {
								msg += fmt.Sprintf("; nullable column %s: PostgreSQL also scans every row for NULLs to make it NOT NULL, under the same lock", columnList(nullable))
							}
						}
						c.Report(msg, "CREATE UNIQUE INDEX CONCURRENTLY in a -- +no-transaction section, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX")
						return
					}
				}
			},
		},
		{
			Code: "RT306", Name: "add-fk-validated", Severity: Error, Dialects: pgOnly,
			Summary: "a FOREIGN KEY added without NOT VALID scans the table under lock",
			Doc: Doc{
				What:    "`ALTER TABLE ... ADD [CONSTRAINT n] FOREIGN KEY ... REFERENCES ...` without `NOT VALID` on a table the revision did not create (error); `ADD COLUMN ... REFERENCES ...` of a table the revision did not create (warning: the new column is empty, so there is no scan, but the referenced table is still locked).",
				Why:     "Both tables are locked SHARE ROW EXCLUSIVE (writes blocked) while every row of the table is checked against the referenced one.",
				Safe:    "Add the constraint NOT VALID (a short lock, no scan), then VALIDATE CONSTRAINT in a later transaction: validation takes SHARE UPDATE EXCLUSIVE, which lets reads and writes through.",
				SafeSQL: "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;\n-- +no-transaction\nALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id);",
				Passes:  "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;",
			},
			stmt: func(c *Check) {
				for _, a := range existingAlter(c) {
					switch {
					case a.Kind == sqlast.AddConstraint && a.Constraint != nil && a.Constraint.Kind == sqlast.ForeignKey && !a.Constraint.NotValid:
						c.Report(fmt.Sprintf("the foreign key is checked against every row of %s while it and the referenced table are locked against writes", c.Stmt.Name),
							"ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a later transaction")
						return
					case a.Kind == sqlast.AddColumn && a.Column != nil && a.Column.References != nil && !c.Created(a.Column.References.Table):
						c.ReportAt(Warning, fmt.Sprintf("adding column %s with REFERENCES locks %s and %s against writes (SHARE ROW EXCLUSIVE) until the transaction ends", a.Column.Name, c.Stmt.Name, a.Column.References.Table),
							"add the column alone, then ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID and VALIDATE CONSTRAINT in a later transaction")
						return
					}
				}
			},
		},
		{
			Code: "RT307", Name: "add-check-validated", Severity: Error, Dialects: pgOnly,
			Summary: "a CHECK added without NOT VALID scans the table under ACCESS EXCLUSIVE",
			Doc: Doc{
				What:    "`ALTER TABLE ... ADD [CONSTRAINT n] CHECK (...)` without `NOT VALID`, or `ADD COLUMN ... CHECK (...)`, on a table the revision did not create.",
				Why:     "Every row is checked while the table is locked ACCESS EXCLUSIVE: reads and writes wait for the whole scan.",
				Safe:    "Add the constraint NOT VALID (new rows are checked at once), then VALIDATE CONSTRAINT in a later transaction under SHARE UPDATE EXCLUSIVE.",
				SafeSQL: "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;\n-- +no-transaction\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);",
				Passes:  "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;",
			},
			stmt: func(c *Check) {
				for _, a := range existingAlter(c) {
					if a.Kind == sqlast.AddConstraint && a.Constraint != nil && a.Constraint.Kind == sqlast.Check && !a.Constraint.NotValid ||
						a.Kind == sqlast.AddColumn && a.Column != nil && len(a.Column.Checks) > 0 {
						c.Report(fmt.Sprintf("the CHECK is verified on every row of %s while it is locked ACCESS EXCLUSIVE", c.Stmt.Name),
							"ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a later transaction")
						return
					}
				}
			},
		},
		{
			Code: "RT308", Name: "validate-in-same-transaction", Severity: Error, Dialects: pgOnly,
			Summary: "VALIDATE CONSTRAINT in the transaction that added it NOT VALID",
			Doc: Doc{
				What:    "`ALTER TABLE ... VALIDATE CONSTRAINT n` in the same transaction as the `ADD CONSTRAINT n ... NOT VALID`.",
				Why:     "The add's lock (ACCESS EXCLUSIVE for CHECK, SHARE ROW EXCLUSIVE for FOREIGN KEY) is held until the transaction ends, so the validation scan runs under it: NOT VALID gains nothing.",
				Safe:    "Validate in a later transaction: after a `-- +no-transaction` marker (each statement after it commits on its own), or in the next revision.",
				SafeSQL: "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;\n-- +no-transaction\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;",
				Passes:  "ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;",
			},
			stmt: func(c *Check) {
				for _, a := range existingAlter(c) {
					if a.Kind != sqlast.ValidateConstraint {
						continue
					}
					for _, st := range earlierInTx(c) {
						if st.Kind != sqlast.AlterTable || !sameTable(st.Name, c.Stmt.Name) {
							continue
						}
						for _, b := range actions(st) {
							if b.Kind == sqlast.AddConstraint && b.Constraint != nil && b.Constraint.NotValid && strings.EqualFold(b.Constraint.Name, a.Name) {
								c.Report(fmt.Sprintf("constraint %s is validated in the transaction that added it NOT VALID: the add's lock on %s is held for the whole scan", a.Name, c.Stmt.Name),
									"validate in a later transaction: put -- +no-transaction before the VALIDATE, or move it to the next revision")
								return
							}
						}
					}
				}
			},
		},
		{
			Code: "RT309", Name: "set-not-null", Severity: Error, Dialects: pgOnly,
			Summary: "SET NOT NULL scans the table under ACCESS EXCLUSIVE",
			Doc: Doc{
				What:    "`ALTER TABLE ... ALTER COLUMN c SET NOT NULL` on a table the revision did not create, unless a validated `CHECK (c IS NOT NULL)` on the table comes earlier in the revision, or (with the schema before the revision) the table has such a CHECK or the column is NOT NULL already. A CHECK an earlier revision left NOT VALID proves nothing until it is validated (in an earlier revision, or earlier in this one).",
				Why:     "PostgreSQL scans every row for NULLs while the table is locked ACCESS EXCLUSIVE; from PostgreSQL 12 it skips the scan when a valid CHECK (c IS NOT NULL) proves it.",
				Safe:    "Add `CHECK (c IS NOT NULL) NOT VALID`, validate it in a later transaction, then SET NOT NULL (no scan) and drop the CHECK. PostgreSQL 18 has `ADD CONSTRAINT n NOT NULL c NOT VALID`.",
				SafeSQL: "ALTER TABLE orders ADD CONSTRAINT orders_note_nn CHECK (note IS NOT NULL) NOT VALID;\n-- +no-transaction\nALTER TABLE orders VALIDATE CONSTRAINT orders_note_nn;\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;\nALTER TABLE orders DROP CONSTRAINT orders_note_nn;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;",
				Passes:  "ALTER TABLE orders ADD CONSTRAINT orders_note_nn CHECK (note IS NOT NULL) NOT VALID;\n-- +no-transaction\nALTER TABLE orders VALIDATE CONSTRAINT orders_note_nn;\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;",
			},
			stmt: func(c *Check) {
				for _, a := range existingAlter(c) {
					if a.Kind != sqlast.SetNotNull || provenNotNull(c, a.ColumnName) {
						continue
					}
					c.Report(fmt.Sprintf("SET NOT NULL scans every row of %s for NULLs in %s while the table is locked ACCESS EXCLUSIVE", c.Stmt.Name, a.ColumnName),
						"ADD CONSTRAINT ... CHECK ("+a.ColumnName+" IS NOT NULL) NOT VALID, VALIDATE it in a later transaction, then SET NOT NULL and drop the CHECK")
					return
				}
			},
		},
		{
			Code: "RT313", Name: "add-exclusion-constraint", Severity: Error, Dialects: pgOnly,
			Summary: "ADD EXCLUDE builds and checks under ACCESS EXCLUSIVE",
			Doc: Doc{
				What:    "`ALTER TABLE ... ADD [CONSTRAINT n] EXCLUDE ...` on a table the revision did not create.",
				Why:     "The constraint's index is built and every row checked while the table is locked ACCESS EXCLUSIVE; there is no NOT VALID or USING INDEX form for exclusion constraints.",
				Safe:    "Add exclusion constraints when the table is created, or in a maintenance window on a small table; otherwise enforce the rule in a trigger added with the table.",
				SafeSQL: "CREATE TABLE booking (room int, during tstzrange, EXCLUDE USING gist (room WITH =, during WITH &&));",
				Dialect: Postgres,
				Fires:   "ALTER TABLE booking ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);",
				Passes:  "CREATE TABLE booking (room int, during tstzrange);\nALTER TABLE booking ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);",
			},
			stmt: func(c *Check) {
				for _, a := range existingAlter(c) {
					if a.Kind == sqlast.AddConstraint && a.Constraint != nil && a.Constraint.Kind == sqlast.Exclude {
						c.Report(fmt.Sprintf("the exclusion constraint is built over every row of %s while the table is locked ACCESS EXCLUSIVE, and has no online form", c.Stmt.Name),
							"add exclusion constraints when the table is created, or in a maintenance window")
						return
					}
				}
			},
		},
	}
}

// provenNotNull reports whether an earlier statement of the revision
// added a validated CHECK (col IS NOT NULL) to c's table: added without
// NOT VALID, or added NOT VALID and validated since.
func provenNotNull(c *Check, col string) bool {
	return provenInRevision(c, col) || stateNotNull(c, col)
}

// stateNotNull reports whether the schema before the revision proves col
// of c's table NOT NULL (stateProvesNotNull). Without state it is false,
// and the rule is listed as skipped for want of it.
func stateNotNull(c *Check, col string) bool {
	t, ok := c.Table(c.Stmt.Name)
	return ok && stateProvesNotNull(c, t, col)
}

// nullableKeyColumns returns the columns of cols that are nullable in the
// schema before the revision and that no earlier statement made NOT NULL.
func nullableKeyColumns(c *Check, cols []string) []string {
	t, ok := c.Table(c.Stmt.Name)
	if !ok {
		return nil
	}
	var out []string
	for _, col := range cols {
		if old, ok := findColumn(t, col); ok && old.Null && !setNotNullEarlier(c, c.Stmt.Name, col) {
			out = append(out, col)
		}
	}
	return out
}

// provenInRevision is provenNotNull from the revision's statements alone.
func provenInRevision(c *Check, col string) bool {
	var pending []string // NOT VALID checks not yet validated
	for _, st := range c.Earlier() {
		if st.Kind != sqlast.AlterTable || !sameTable(st.Name, c.Stmt.Name) {
			continue
		}
		for _, a := range actions(st) {
			switch {
			case a.Kind == sqlast.AddConstraint && isNotNullCheck(a.Constraint, col):
				if !a.Constraint.NotValid {
					return true
				}
				pending = append(pending, strings.ToLower(a.Constraint.Name))
			case a.Kind == sqlast.ValidateConstraint:
				for _, n := range pending {
					if n != "" && n == strings.ToLower(a.Name) {
						return true
					}
				}
			}
		}
	}
	return false
}

// pgAddedDefaults returns the columns an ALTER TABLE statement adds with a
// DEFAULT. Before PostgreSQL 11 any of them rewrites the table: the
// version-aware rules call this.
func pgAddedDefaults(st *sqlast.Statement) []*sqlast.Column {
	var out []*sqlast.Column
	for _, a := range actions(st) {
		if a.Kind == sqlast.AddColumn && a.Column != nil && a.Column.Default != nil {
			out = append(out, a.Column)
		}
	}
	return out
}

// trivialUsing reports whether USING e only restates the column (c,
// c::type or CAST(c AS type), type the new type), which is the same as no
// USING clause.
func trivialUsing(e *sqlast.Expr, col, typ string) bool {
	t, c, ty := normExpr(e.Text), normExpr(col), normExpr(typ)
	return t == c || t == c+"::"+ty || t == "cast"+c+"as"+ty
}

// knownServer returns the server version when one is known for the
// statement's dialect, without recording the rule as skipped: for a rule
// whose version-dependent part only matters on old releases.
func knownServer(c *Check) (ServerVersion, bool) {
	if v := c.settings.Server; v != nil && v.Dialect() == c.Dialect {
		return *v, true
	}
	return ServerVersion{}, false
}

func pgColumnRules() []*Rule {
	return []*Rule{
		{
			Code: "RT310", Name: "add-column-volatile-default", Severity: Error, Dialects: pgOnly,
			Summary: "ADD COLUMN with a volatile DEFAULT rewrites the table",
			Doc: Doc{
				What:    "`ALTER TABLE ... ADD COLUMN c t DEFAULT e` where e calls a volatile function (random(), gen_random_uuid(), clock_timestamp(), nextval(), ...), on a table the revision did not create. A function retort does not know is reported as a warning. When the server is older than PostgreSQL 11 (lint.server_version, or the live server's version), any default fires: those releases store even a constant default in every row. Without a known server version that part is not checked.",
				Why:     "A volatile default gives each row its own value, so PostgreSQL rewrites the whole table under ACCESS EXCLUSIVE: no reads or writes until the copy ends, and twice the disk space meanwhile.",
				Safe:    "Add the column without a default, set the default for new rows, and backfill existing rows in batches.",
				SafeSQL: "ALTER TABLE orders ADD COLUMN token uuid;\nALTER TABLE orders ALTER COLUMN token SET DEFAULT gen_random_uuid();\nUPDATE orders SET token = gen_random_uuid() WHERE id BETWEEN 1 AND 10000 AND token IS NULL; -- in batches, in a data revision",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();",
				Passes:  "ALTER TABLE orders ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.AlterTable || c.Created(c.Stmt.Name) {
					return
				}
				for _, col := range pgAddedDefaults(c.Stmt) {
					safe := fmt.Sprintf("ADD COLUMN %s without a default, then ALTER COLUMN %s SET DEFAULT ..., and backfill in batches", col.Name, col.Name)
					switch col.Default.Volatility {
					case sqlast.Volatile:
						c.Report(fmt.Sprintf("the default of %s (%s) is volatile: PostgreSQL rewrites all of %s under ACCESS EXCLUSIVE to store a value per row", col.Name, col.Default.Text, c.Stmt.Name), safe)
						return
					case sqlast.Unknown:
						c.ReportAt(Warning, fmt.Sprintf("the default of %s calls %s, which retort cannot classify: if it is volatile, PostgreSQL rewrites all of %s under ACCESS EXCLUSIVE", col.Name, strings.Join(col.Default.Funcs, ", "), c.Stmt.Name), safe)
						return
					}
					// Before PostgreSQL 11 a constant default is stored in
					// every row too. Without a known server version this
					// part is not checked (and the rule is not listed as
					// skipped): every supported release is 11 or later.
					if v, ok := knownServer(c); ok && v.Before(11, 0, 0) {
						c.Report(fmt.Sprintf("on %s any default on ADD COLUMN is written into every row: PostgreSQL rewrites all of %s under ACCESS EXCLUSIVE (from PostgreSQL 11 a non-volatile default does not)", v, c.Stmt.Name), safe)
						return
					}
				}
			},
		},
		{
			Code: "RT311", Name: "add-column-rewriting", Severity: Error, Dialects: pgOnly,
			Summary: "ADD COLUMN of a STORED generated, serial or identity column rewrites the table",
			Doc: Doc{
				What:    "`ALTER TABLE ... ADD COLUMN` of a `GENERATED ALWAYS AS (...) STORED` column, a `serial`/`bigserial`/`smallserial` column or a `GENERATED ... AS IDENTITY` column, on a table the revision did not create.",
				Why:     "Each existing row needs its own computed or sequence value, so the table is rewritten under ACCESS EXCLUSIVE: no reads or writes until the copy ends.",
				Safe:    "Add a plain column, fill new rows from a default or trigger, backfill existing rows in batches, then add the constraint or identity on the filled column.",
				SafeSQL: "ALTER TABLE orders ADD COLUMN total_cents bigint;\nCREATE TRIGGER orders_total_cents BEFORE INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION set_total_cents();\nUPDATE orders SET total_cents = total * 100 WHERE id BETWEEN 1 AND 10000; -- in batches",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS (total * 100) STORED;",
				Passes:  "ALTER TABLE orders ADD COLUMN total_cents bigint;",
			},
			stmt: func(c *Check) {
				for _, a := range existingAlter(c) {
					if a.Kind != sqlast.AddColumn || a.Column == nil {
						continue
					}
					col, what := a.Column, ""
					switch {
					case col.Generated != nil && !col.Generated.Virtual:
						what = "a STORED generated column"
					case col.Serial:
						what = "a serial column"
					case col.Identity != "":
						what = "an identity column"
					default:
						continue
					}
					c.Report(fmt.Sprintf("adding %s %s computes a value for every row: PostgreSQL rewrites %s under ACCESS EXCLUSIVE", what, col.Name, c.Stmt.Name),
						"add a plain column, fill new rows with a default or trigger, backfill in batches")
					return
				}
			},
		},
		{
			Code: "RT312", Name: "column-type-rewrite", Severity: Error, Dialects: pgOnly,
			Summary: "ALTER COLUMN ... TYPE that rewrites the table",
			Doc: Doc{
				What:    "`ALTER TABLE ... ALTER COLUMN c TYPE t` on a table the revision did not create, when the change rewrites the table whatever the old type: a USING clause that computes something, or a target type no other built-in type reaches without a rewrite (bigint, jsonb, uuid, boolean, ...). Changes to varchar, text, numeric, timestamp(tz) and similar targets may be binary-coercible: with the schema before the revision the old type decides (a shorter varchar, a numeric of another scale, int to bigint rewrite; varchar to text, a longer varchar do not), and without it only the targets that always rewrite are reported. timestamp to and from timestamptz depends on the session's TimeZone and is not reported.",
				Why:     "PostgreSQL rewrites the table and rebuilds its indexes under ACCESS EXCLUSIVE: no reads or writes until the copy ends, minutes to hours on a large table.",
				Safe:    "Expand and contract: add a column of the new type, write both from the application (or a trigger), backfill in batches, switch reads, drop the old column later.",
				SafeSQL: "ALTER TABLE orders ADD COLUMN id_new bigint;\nUPDATE orders SET id_new = id WHERE id BETWEEN 1 AND 10000; -- in batches, in a data revision",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ALTER COLUMN id TYPE bigint;",
				Passes:  "ALTER TABLE orders ALTER COLUMN note TYPE text;",
			},
			stmt: func(c *Check) {
				for _, a := range existingAlter(c) {
					if a.Kind != sqlast.AlterColumnType || a.Type == nil {
						continue
					}
					safe := "add a column of the new type, dual-write, backfill in batches, switch reads, drop the old column later"
					if a.Using != nil && !trivialUsing(a.Using, a.ColumnName, a.Type.Text) {
						c.Report(fmt.Sprintf("changing %s.%s with USING %s computes every row: PostgreSQL rewrites the table under ACCESS EXCLUSIVE", c.Stmt.Name, a.ColumnName, a.Using.Text), safe)
						return
					}
					if _, old, ok := stateColumn(c, c.Stmt.Name, a.ColumnName); ok && !addedEarlier(c, c.Stmt.Name, a.ColumnName) {
						if rewrites, known := pgTypeChangeRewrites(old.Type.Native, a.Type.Text); known {
							if rewrites {
								c.Report(fmt.Sprintf("changing %s.%s from %s to %s is not binary-coercible: PostgreSQL rewrites the table and its indexes under ACCESS EXCLUSIVE", c.Stmt.Name, a.ColumnName, old.Type.Native, a.Type.Text), safe)
								return
							}
							continue
						}
					}
					if !pgTypeTargetMayKeep(a.Type.Text) {
						c.Report(fmt.Sprintf("changing %s.%s to %s is not binary-coercible from any other type: PostgreSQL rewrites the table and its indexes under ACCESS EXCLUSIVE", c.Stmt.Name, a.ColumnName, a.Type.Text), safe)
						return
					}
				}
			},
		},
	}
}

// autovacuumOff reports whether opts turn autovacuum off for the table
// (or its TOAST table).
func autovacuumOff(opts []sqlast.Option) bool {
	for _, o := range opts {
		n := strings.TrimPrefix(strings.ToLower(o.Name), "toast.")
		if n != "autovacuum_enabled" {
			continue
		}
		switch strings.ToLower(strings.Trim(o.Value, "'")) {
		case "false", "off", "0", "no", "f", "n":
			return true
		}
	}
	return false
}

// usesString reports whether st holds the string literal v.
func usesString(st *sqlast.Statement, v string) bool {
	for _, t := range st.Tokens {
		if t.Kind == sqlast.String && t.Name == v {
			return true
		}
	}
	return false
}

func pgObjectRules() []*Rule {
	return []*Rule{
		{
			Code: "RT315", Name: "detach-partition-not-concurrently", Severity: Warning, Dialects: pgOnly,
			Summary: "DETACH PARTITION without CONCURRENTLY",
			Doc: Doc{
				What:    "`ALTER TABLE parent DETACH PARTITION p` without `CONCURRENTLY` (PostgreSQL 14 and later have it), on a parent the revision did not create.",
				Why:     "It locks the parent and the partition ACCESS EXCLUSIVE: every query on the partitioned table queues while it waits for running ones.",
				Safe:    "`DETACH PARTITION ... CONCURRENTLY` in a `-- +no-transaction` section (it cannot run in a transaction); it takes SHARE UPDATE EXCLUSIVE.",
				SafeSQL: "-- +no-transaction\nALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE events DETACH PARTITION events_2020;",
				Passes:  "-- +no-transaction\nALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;",
			},
			stmt: func(c *Check) {
				for _, a := range existingAlter(c) {
					if a.Kind == sqlast.DetachPartition && !a.Concurrently && a.Value != "FINALIZE" {
						c.Report(fmt.Sprintf("DETACH PARTITION %s locks %s ACCESS EXCLUSIVE: every query on the partitioned table waits", a.Name, c.Stmt.Name),
							"DETACH PARTITION ... CONCURRENTLY in a -- +no-transaction section (PostgreSQL 14+)")
						return
					}
				}
			},
		},
		{
			Code: "RT317", Name: "trigger-on-existing-table", Severity: Warning, Dialects: pgOnly,
			Summary: "CREATE TRIGGER on an existing table",
			Doc: Doc{
				What:    "`CREATE [OR REPLACE] TRIGGER ... ON t` for a table the revision did not create.",
				Why:     "CREATE TRIGGER takes a SHARE ROW EXCLUSIVE lock on the table: writes wait until the transaction ends, and the trigger adds work to every write from then on.",
				Safe:    "Set a lock timeout and keep the revision short: create the trigger in a revision of its own, with the function created before it.",
				SafeSQL: "SET lock_timeout = '2s';\nCREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit_row();",
				Dialect: Postgres,
				Fires:   "CREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit_row();",
				Passes:  "CREATE TABLE orders (id bigint PRIMARY KEY);\nCREATE TRIGGER orders_audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit_row();",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.CreateTrigger || c.Stmt.Name.IsZero() || c.Created(c.Stmt.Name) {
					return
				}
				c.Report(fmt.Sprintf("CREATE TRIGGER locks %s against writes (SHARE ROW EXCLUSIVE) until the transaction ends", c.Stmt.Name),
					"set a lock_timeout and create the trigger in a short revision of its own")
			},
		},
		{
			Code: "RT319", Name: "autovacuum-off", Severity: Warning, Dialects: pgOnly,
			Summary: "autovacuum_enabled = false on a table",
			Doc: Doc{
				What:    "`ALTER TABLE ... SET (autovacuum_enabled = false)` or `CREATE TABLE ... WITH (autovacuum_enabled = false)`, also for `toast.autovacuum_enabled`.",
				Why:     "Dead rows are never cleaned and statistics go stale: the table bloats, plans degrade, and in the end an anti-wraparound vacuum runs anyway, at the worst moment.",
				Safe:    "Tune the table's autovacuum thresholds instead of turning it off.",
				SafeSQL: "ALTER TABLE events SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_cost_limit = 2000);",
				Dialect: Postgres,
				Fires:   "ALTER TABLE events SET (autovacuum_enabled = false);",
				Passes:  "ALTER TABLE events SET (autovacuum_vacuum_scale_factor = 0.01);",
			},
			stmt: func(c *Check) {
				off := c.Stmt.Kind == sqlast.CreateTable && c.Stmt.CreateTable != nil && autovacuumOff(c.Stmt.CreateTable.Options)
				for _, a := range actions(c.Stmt) {
					if a.Kind == sqlast.SetStorage && autovacuumOff(a.Options) {
						off = true
					}
				}
				if off {
					c.Report(fmt.Sprintf("autovacuum off for %s: dead rows pile up, statistics go stale, and a forced anti-wraparound vacuum comes later", c.Stmt.Name),
						"tune autovacuum_vacuum_scale_factor / autovacuum_vacuum_cost_limit for the table instead")
				}
			},
		},
		{
			Code: "RT320", Name: "domain-constraint", Severity: Warning, Dialects: pgOnly,
			Summary: "CHECK constraints on domains",
			Doc: Doc{
				What:    "`CREATE DOMAIN ... CHECK (...)`, and `ALTER DOMAIN ... ADD CONSTRAINT` without `NOT VALID`.",
				Why:     "Adding a domain constraint checks every column of every table that uses the domain, under lock; and a domain's CHECK is hard to change later, since each change scans all of them again.",
				Safe:    "Put the CHECK on the tables' columns (where NOT VALID and VALIDATE work), or add domain constraints NOT VALID and validate them later.",
				SafeSQL: "CREATE DOMAIN email_address AS text;\nALTER TABLE customer ADD CONSTRAINT customer_email_format CHECK (email LIKE '%@%') NOT VALID;",
				Dialect: Postgres,
				Fires:   "ALTER DOMAIN email_address ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%');",
				Passes:  "ALTER DOMAIN email_address ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%') NOT VALID;",
			},
			stmt: func(c *Check) {
				switch {
				case c.Stmt.Kind == sqlast.CreateDomain && c.Stmt.HasKeyword("CHECK"):
					c.Report(fmt.Sprintf("domain %s has a CHECK: changing it later rechecks every column of every table that uses the domain, under lock", c.Stmt.Name),
						"put the CHECK on the tables' columns, where NOT VALID and VALIDATE work")
				case c.Stmt.Kind == sqlast.AlterDomain && c.Stmt.HasKeyword("ADD") && !c.Stmt.HasSeq("NOT", "VALID"):
					c.Report(fmt.Sprintf("adding a constraint to domain %s checks every column of every table that uses it, under lock", c.Stmt.Name),
						"ALTER DOMAIN ... ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later transaction")
				}
			},
		},
		{
			Code: "RT321", Name: "enum-add-value-position", Severity: Info, Dialects: pgOnly,
			Summary: "ALTER TYPE ... ADD VALUE without BEFORE/AFTER, or the new value used in the same transaction",
			Doc: Doc{
				What:    "`ALTER TYPE e ADD VALUE 'v'` without `BEFORE` or `AFTER` (info: the value sorts last); an error when a later statement of the same transaction uses 'v'.",
				Why:     "Enum values sort in declaration order, so a value appended at the end may break ORDER BY and comparisons the application relies on. A value added in a transaction cannot be used until the transaction commits: the later statement fails with \"unsafe use of new value\" and the revision rolls back.",
				Safe:    "Say where the value goes with BEFORE/AFTER, and use it in a later transaction (after a `-- +no-transaction` marker, or in the next revision).",
				SafeSQL: "ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'paid';",
				Dialect: Postgres,
				Fires:   "ALTER TYPE order_status ADD VALUE 'refunded';",
				Passes:  "ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'paid';",
			},
			stmt: func(c *Check) {
				at := c.Stmt.AlterType
				if c.Stmt.Kind != sqlast.AlterType || at == nil || at.Op != "ADD VALUE" {
					return
				}
				for _, st := range laterInTx(c) {
					if usesString(st, at.Value) {
						c.ReportAt(Error, fmt.Sprintf("enum value '%s' of %s is used later in the same transaction: PostgreSQL refuses it until the transaction commits (unsafe use of new value)", at.Value, c.Stmt.Name),
							"use the new value in a later transaction: after a -- +no-transaction marker, or in the next revision")
						return
					}
				}
				if at.Before == "" && at.After == "" {
					c.Report(fmt.Sprintf("enum value '%s' is added at the end of %s: enum values sort in declaration order", at.Value, c.Stmt.Name),
						"say where it goes: ADD VALUE '"+at.Value+"' BEFORE ... or AFTER ...")
				}
			},
		},
	}
}

// lockWork reports whether st does work that prolongs a transaction's
// locks (settings, transaction control, comments and grants do not
// count).
func lockWork(st *sqlast.Statement) bool {
	switch st.Kind {
	case sqlast.Set, sqlast.Begin, sqlast.Commit, sqlast.Rollback, sqlast.Savepoint, sqlast.CommentOn, sqlast.Grant:
		return false
	}
	return true
}

// accessExclusiveOnExisting returns the object st locks ACCESS EXCLUSIVE
// when it existed before the revision, or "". DROP TABLE, DROP INDEX and
// other DROPs do not count: the object is gone, its lock blocks no work.
func accessExclusiveOnExisting(c *Check, st *sqlast.Statement) string {
	if m, _ := PostgresLock(st); m != AccessExclusive {
		return ""
	}
	switch st.Kind {
	case sqlast.DropTable, sqlast.DropIndex, sqlast.DropObject:
		return ""
	}
	n := st.Name
	switch {
	case st.Kind == sqlast.CreateTable && st.CreateTable != nil:
		n = st.CreateTable.PartitionOf
	case st.Kind == sqlast.DropIndex || st.Kind == sqlast.Reindex:
		if c.CreatedIndex(n) {
			return ""
		}
		return n.String()
	}
	if n.IsZero() || c.Created(n) {
		return ""
	}
	return n.String()
}

// fkAdds returns the tables the foreign keys st adds to an existing table
// refer to.
func fkAdds(c *Check, st *sqlast.Statement) []string {
	if st.Kind != sqlast.AlterTable || c.Created(st.Name) {
		return nil
	}
	var out []string
	for _, a := range actions(st) {
		switch {
		case a.Kind == sqlast.AddConstraint && a.Constraint != nil && a.Constraint.Kind == sqlast.ForeignKey && a.Constraint.Ref != nil:
			out = append(out, key(a.Constraint.Ref.Table))
		case a.Kind == sqlast.AddColumn && a.Column != nil && a.Column.References != nil:
			out = append(out, key(a.Column.References.Table))
		}
	}
	return out
}

// combinable reports whether an ALTER TABLE could be merged with another
// one of the same table: RENAME, SET SCHEMA, VALIDATE and partition
// actions stand alone (or are kept apart on purpose).
func combinable(st *sqlast.Statement) bool {
	if st.Kind != sqlast.AlterTable || len(actions(st)) == 0 {
		return false
	}
	for _, a := range actions(st) {
		switch a.Kind {
		case sqlast.RenameTo, sqlast.RenameColumn, sqlast.RenameConstraint, sqlast.SetSchema,
			sqlast.ValidateConstraint, sqlast.AttachPartition, sqlast.DetachPartition, sqlast.OtherAction:
			return false
		}
	}
	return true
}

// notNullThenDrop reports whether a sets a column NOT NULL and b drops a
// constraint: the end of the safe SET NOT NULL, kept apart on purpose
// (in one statement the CHECK that spares the scan would be gone).
func notNullThenDrop(a, b *sqlast.Statement) bool {
	return a.AlterTable.Has(sqlast.SetNotNull) && b.AlterTable.Has(sqlast.DropConstraint)
}

func pgFlowRules() []*Rule {
	return []*Rule{
		{
			Code: "RT322", Name: "statement-after-access-exclusive", Severity: Warning, Dialects: pgOnly,
			Summary: "more work in a transaction after an ACCESS EXCLUSIVE lock",
			Doc: Doc{
				What:    "A statement that does work (not SET, COMMENT ON, GRANT) after a statement of the same transaction took an ACCESS EXCLUSIVE lock on an object the revision did not create (PostgresLock gives each statement's lock; DROPs do not count, their object is gone). Reported once per transaction, at the first such statement.",
				Why:     "Locks are held until the transaction commits: every later statement, an index build or a backfill above all, keeps the table unreadable and unwritable for its whole run.",
				Safe:    "Put the ACCESS EXCLUSIVE statement last in its transaction, or in a revision of its own; build indexes CONCURRENTLY in a `-- +no-transaction` section.",
				SafeSQL: "CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note); -- in a -- +no-transaction section or an earlier revision\nALTER TABLE orders ALTER COLUMN note SET DEFAULT '';",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ADD COLUMN note text;\nUPDATE customer SET tier = 'gold' WHERE spend > 1000;",
				Passes:  "UPDATE customer SET tier = 'gold' WHERE spend > 1000;\nALTER TABLE orders ADD COLUMN note text;",
			},
			stmt: func(c *Check) {
				if !lockWork(c.Stmt) {
					return
				}
				locked := ""
				for _, st := range earlierInTx(c) {
					if locked != "" && lockWork(st) {
						return // reported at that statement
					}
					if locked == "" {
						locked = accessExclusiveOnExisting(c, st)
					}
				}
				if locked != "" {
					c.Report(fmt.Sprintf("an earlier statement of this transaction holds an ACCESS EXCLUSIVE lock on %s: it stays unreadable and unwritable while this and every later statement run", locked),
						"put the ACCESS EXCLUSIVE statement last in its transaction, or in a revision of its own")
				}
			},
		},
		{
			Code: "RT323", Name: "multiple-alters-same-table", Severity: Info, Dialects: pgOnly,
			Summary: "consecutive ALTER TABLE statements of one table",
			Doc: Doc{
				What:    "An `ALTER TABLE` right after another `ALTER TABLE` of the same table the revision did not create, both of actions that can share one statement (not RENAME, SET SCHEMA, VALIDATE, ATTACH/DETACH PARTITION).",
				Why:     "Each statement queues for the table's lock again and may scan or rewrite it again; one ALTER TABLE with several actions does all of them under one lock and at most one pass.",
				Safe:    "Combine the actions into one ALTER TABLE, separated by commas.",
				SafeSQL: "ALTER TABLE orders ADD COLUMN note text, ADD COLUMN shipped_at timestamptz;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders ADD COLUMN shipped_at timestamptz;",
				Passes:  "ALTER TABLE orders ADD COLUMN note text, ADD COLUMN shipped_at timestamptz;",
			},
			stmt: func(c *Check) {
				if !combinable(c.Stmt) || c.Created(c.Stmt.Name) {
					return
				}
				earlier := c.Earlier()
				for i := len(earlier) - 1; i >= 0; i-- {
					st := earlier[i]
					if !lockWork(st) {
						continue
					}
					if combinable(st) && sameTable(st.Name, c.Stmt.Name) && !notNullThenDrop(st, c.Stmt) {
						c.Report(fmt.Sprintf("%s is altered by the statement before too: each ALTER TABLE takes the lock (and may scan) again", c.Stmt.Name),
							"combine the actions into one ALTER TABLE, separated by commas")
					}
					return
				}
			},
		},
		{
			Code: "RT325", Name: "many-fks-one-revision", Severity: Warning, Dialects: pgOnly,
			Summary: "foreign keys to several tables added in one transaction",
			Doc: Doc{
				What:    "Foreign keys (`ADD CONSTRAINT ... FOREIGN KEY`, with or without NOT VALID, or `ADD COLUMN ... REFERENCES`) added to existing tables in one transaction, referring to two or more tables. (Foreign keys in CREATE TABLE are not counted; dropping a table with several foreign keys needs the schema state.)",
				Why:     "Each foreign key locks its referenced table SHARE ROW EXCLUSIVE until the transaction commits: writes to all of them wait for the whole revision.",
				Safe:    "Add one foreign key per transaction: one per revision, or each after a `-- +no-transaction` marker, NOT VALID, and validate later.",
				SafeSQL: "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;\n-- +no-transaction\nALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_product_fk;\nALTER TABLE orders ADD CONSTRAINT orders_product_fk FOREIGN KEY (product_id) REFERENCES product (id) NOT VALID;",
				Dialect: Postgres,
				Fires:   "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;\nALTER TABLE orders ADD CONSTRAINT orders_product_fk FOREIGN KEY (product_id) REFERENCES product (id) NOT VALID;",
				Passes:  "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;\n-- +no-transaction\nALTER TABLE orders ADD CONSTRAINT orders_product_fk FOREIGN KEY (product_id) REFERENCES product (id) NOT VALID;",
			},
			stmt: func(c *Check) {
				mine := fkAdds(c, c.Stmt)
				if len(mine) == 0 || !c.InTx {
					return
				}
				seen := map[string]bool{}
				for _, st := range earlierInTx(c) {
					for _, t := range fkAdds(c, st) {
						seen[t] = true
					}
				}
				if len(seen) >= 2 {
					return // reported at an earlier statement
				}
				before := len(seen)
				for _, t := range mine {
					seen[t] = true
				}
				if before < 2 && len(seen) >= 2 {
					var ts []string
					for t := range seen {
						ts = append(ts, t)
					}
					slices.Sort(ts)
					c.Report(fmt.Sprintf("this transaction adds foreign keys to %s: all of them are locked against writes until it commits", strings.Join(ts, ", ")),
						"add one foreign key per transaction (one per revision, or after a -- +no-transaction marker), NOT VALID, and validate later")
				}
			},
		},
	}
}
