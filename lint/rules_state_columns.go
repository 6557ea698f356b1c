package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/lint/sqlast"
	"github.com/retortdb/retort/schema"
)

// The schema-state rules on column changes: type changes judged from the
// old type (RT107, RT605, and the MySQL copies and rebuilds of RT401,
// RT404, RT411, RT412), NOT NULL without a backfill (RT603), enum values
// removed on MySQL (RT207).

// typeChange is a column whose type a statement restates: PostgreSQL
// ALTER COLUMN ... TYPE, MySQL MODIFY and CHANGE.
type typeChange struct {
	col string         // the column's name before the statement
	typ *sqlast.Type   // the new type
	def *sqlast.Column // the new definition (MySQL); nil for ALTER COLUMN ... TYPE
}

// typeChanges returns the type changes of an ALTER TABLE of a table the
// revision did not create, leaving out columns the revision added.
func typeChanges(c *Check) []typeChange {
	var out []typeChange
	for _, a := range existingAlter(c) {
		var ch typeChange
		switch {
		case a.Kind == sqlast.AlterColumnType && a.Type != nil:
			ch = typeChange{col: a.ColumnName, typ: a.Type}
		case (a.Kind == sqlast.ModifyColumn || a.Kind == sqlast.ChangeColumn) && a.Column != nil && a.Column.Type != nil:
			ch = typeChange{col: a.ColumnName, typ: a.Column.Type, def: a.Column}
			if ch.col == "" {
				ch.col = a.Column.Name
			}
		default:
			continue
		}
		if !addedEarlier(c, c.Stmt.Name, ch.col) {
			out = append(out, ch)
		}
	}
	return out
}

// stateMB is the bytes per character of a MySQL column's charset (1 for
// binary strings); 4 on the other dialects, whose lengths count
// characters.
func stateMB(c *Check, ch typeChange, old schema.Column, t *schema.Table, nt colType) int {
	if c.Dialect != MySQL {
		return 4
	}
	if nt.binary {
		return 1
	}
	var defCS string
	if ch.def != nil {
		defCS = ch.def.Charset
	}
	cs, _ := columnCharset(defCS, old, t)
	return mbOf(cs)
}

// enumStorage is the bytes MySQL stores an ENUM or SET of n values in.
func enumStorage(family string, n int) int {
	if family == "enum" {
		if n > 255 {
			return 2
		}
		return 1
	}
	switch b := (n + 7) / 8; {
	case b > 4:
		return 8
	default:
		return b
	}
}

// removedValues returns the values of old that new lacks.
func removedValues(old, new []string) []string {
	var out []string
	for _, v := range old {
		if !slices.Contains(new, v) {
			out = append(out, v)
		}
	}
	return out
}

func quoteValues(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	return strings.Join(q, ", ")
}

// mysqlEnumRemoved is RT207 on MySQL/MariaDB: a MODIFY or CHANGE that
// leaves values out of an ENUM or SET column's old list (a rename is a
// removal and an addition).
func mysqlEnumRemoved(c *Check) {
	eachRetype(c, isEnumChange, func(r retype) bool {
		if r.o.family != "enum" && r.o.family != "set" {
			return false
		}
		gone := removedValues(r.o.values, r.n.values)
		if len(gone) == 0 {
			return false
		}
		c.Report(fmt.Sprintf("%s.%s loses value %s: rows holding it fail the change in strict mode (outside it they become ''), and the running application's writes of it fail afterwards", c.Stmt.Name, r.col, quoteValues(gone)),
			"append the new value, accept both in the application, backfill the rows, and remove the old value in a later release")
		return true
	})
}

// isEnumChange keeps the MySQL MODIFY/CHANGE of a column to an ENUM or
// SET type.
func isEnumChange(ch typeChange, n colType) bool {
	return ch.def != nil && (n.family == "enum" || n.family == "set")
}

// retype is one type change of a statement with the old column the
// schema state holds, and both types parsed.
type retype struct {
	typeChange
	t    *schema.Table
	old  schema.Column
	o, n colType // the old type and the new one
}

// eachRetype calls f with each type change of the statement that keep
// accepts (nil: every one), for which the schema state holds the old
// column; f returns true to stop. keep looks at the new type only, so
// that a statement the rule has nothing to say of does not list the rule
// as skipped for want of state.
func eachRetype(c *Check, keep func(typeChange, colType) bool, f func(retype) bool) {
	for _, ch := range typeChanges(c) {
		n := parseColType(c.Dialect, ch.typ.Text)
		if keep != nil && !keep(ch, n) {
			continue
		}
		t, old, ok := stateColumn(c, c.Stmt.Name, ch.col)
		if !ok {
			continue
		}
		if f(retype{typeChange: ch, t: t, old: old, o: parseColType(c.Dialect, old.Type.Native), n: n}) {
			return
		}
	}
}

// lossOf is what a type change loses (lossy): values changed silently,
// values that may not fit.
func lossOf(c *Check, r retype) (silent, rng []string) {
	return lossy(r.o, r.n, stateMB(c, r.typeChange, r.old, r.t, r.n))
}

// stateColumnRules are the column-change rules that read the state.
func stateColumnRules() []*Rule {
	return []*Rule{
		{
			Code: "RT107", Name: "lossy-type-change", Severity: Error, Dialects: pgMy,
			Summary: "a type change that silently changes stored values",
			Doc: Doc{
				What: "A column type change (PostgreSQL `ALTER COLUMN ... TYPE`, MySQL `MODIFY`/`CHANGE`) that alters values without failing, judged from the old type in the schema before the revision: " +
					"a smaller decimal scale, double to single precision, integer to a float too narrow for it, decimal to float, fewer fractional-second digits, a datetime to a date or time; " +
					"on MySQL a `CHARACTER SET` other than utf8mb4 that differs from the old one, and a case- or accent-insensitive `COLLATE` on a column of a unique key that was case-sensitive. " +
					"Changes that fail on values that do not fit (shorter strings, narrower integers) are RT605's. SQLite has no type change but a table rebuild (RT502).",
				Why: "The server rounds or cuts every stored value as it converts it and reports success (MySQL strict mode does not stop rounding): the lost digits, precision or characters are gone, " +
					"found later by a report that does not add up; a looser collation makes distinct keys collide.",
				Safe:    "Add a column of the new type, copy and compare the values (find the rows that would change), switch the application, then drop the old column.",
				SafeSQL: "ALTER TABLE payment ADD COLUMN amount_2 numeric(12,2);\n-- in a data revision, after checking which rows would be rounded:\nSELECT id FROM payment WHERE amount <> round(amount, 2);",
				Dialect: Postgres,
				Before:  "CREATE TABLE payment (id bigint PRIMARY KEY, amount numeric(12,4) NOT NULL);",
				Fires:   "ALTER TABLE payment ALTER COLUMN amount TYPE numeric(12,2);",
				Passes:  "ALTER TABLE payment ALTER COLUMN amount TYPE numeric(14,4);",
			},
			stmt: func(c *Check) {
				eachRetype(c, nil, func(r retype) bool {
					silent, _ := lossOf(c, r)
					if c.Dialect == MySQL && r.def != nil {
						silent = append(silent, mysqlCharsetLoss(r.typeChange, r.old, r.t)...)
					}
					if len(silent) == 0 {
						return false
					}
					c.Report(fmt.Sprintf("changing %s.%s from %s to %s alters stored values without failing: %s", c.Stmt.Name, r.col, r.old.Type.Native, r.typ.Text, strings.Join(silent, "; ")),
						"add a column of the new type, copy and compare the values, switch the application, then drop the old column")
					return true
				})
			},
		},
		{
			Code: "RT605", Name: "narrowing-may-truncate", Severity: Warning, Dialects: pgMy,
			Summary: "a type change to a narrower type, which fails on values that do not fit",
			Doc: Doc{
				What: "A column type change (PostgreSQL `ALTER COLUMN ... TYPE`, MySQL `MODIFY`/`CHANGE`) to a type that holds fewer values than the old one in the schema before the revision: " +
					"a shorter string, a narrower integer, signed to unsigned, fewer integer digits of a decimal, text to a number or date.",
				Why: "On production data some value may not fit: PostgreSQL and MySQL in strict mode fail the statement (after copying most of the table, under its lock), " +
					"MySQL outside strict mode cuts the value and goes on. Development databases seldom hold the long or large values that break it.",
				Safe:    "Find the values that do not fit first, fix them in a data revision, then change the type (or leave the type wide and add a CHECK).",
				SafeSQL: "-- returns no row before the revision is applied:\nSELECT id FROM customer WHERE char_length(name) > 100;\nALTER TABLE customer MODIFY name varchar(100) NOT NULL;",
				Dialect: MySQL,
				Before:  "CREATE TABLE customer (id bigint PRIMARY KEY, name varchar(200) NOT NULL);",
				Fires:   "ALTER TABLE customer MODIFY name varchar(100) NOT NULL;",
				Passes:  "ALTER TABLE customer MODIFY name varchar(300) NOT NULL;",
			},
			stmt: func(c *Check) {
				eachRetype(c, nil, func(r retype) bool {
					_, rng := lossOf(c, r)
					if len(rng) == 0 {
						return false
					}
					c.Report(fmt.Sprintf("changing %s.%s from %s to %s: %s; %s", c.Stmt.Name, r.col, r.old.Type.Native, r.typ.Text, strings.Join(rng, "; "), failsOrCuts(c.Dialect, "cuts the value to fit")),
						"find the values that do not fit first and fix them in a data revision")
					return true
				})
			},
		},
		{
			Code: "RT603", Name: "not-null-without-backfill", Severity: Warning, Dialects: pgMy,
			Summary: "a nullable column made NOT NULL without a backfill",
			Doc: Doc{
				What: "PostgreSQL `ALTER COLUMN c SET NOT NULL`, or a MySQL `MODIFY`/`CHANGE` to NOT NULL, of a column that is nullable before the revision, " +
					"without an earlier `UPDATE` of the table that sets the column, or a CHECK (c IS NOT NULL) that proves it (in the state or earlier in the revision). " +
					"SQLite makes a column NOT NULL by a rebuild: RT502 checks its copy.",
				Why: "Rows written with NULL in production fail the statement (PostgreSQL, MySQL in strict mode: `Invalid use of NULL value`), or get the type's zero value silently (MySQL outside strict mode); " +
					"a development database without such rows passes.",
				Safe:    "Backfill the NULLs first, in a data revision (in batches on a large table), then make the column NOT NULL.",
				SafeSQL: "UPDATE orders SET note = '' WHERE note IS NULL;\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;",
				Dialect: Postgres,
				Before:  "CREATE TABLE orders (id bigint PRIMARY KEY, note text);",
				Fires:   "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;",
				Passes:  "UPDATE orders SET note = '' WHERE note IS NULL;\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;",
			},
			stmt: func(c *Check) {
				for _, a := range existingAlter(c) {
					col := ""
					switch {
					case a.Kind == sqlast.SetNotNull:
						col = a.ColumnName
					case (a.Kind == sqlast.ModifyColumn || a.Kind == sqlast.ChangeColumn) && a.Column != nil && (a.Column.NotNull || a.Column.PrimaryKey):
						col = a.ColumnName
						if col == "" {
							col = a.Column.Name
						}
					default:
						continue
					}
					if addedEarlier(c, c.Stmt.Name, col) || updatedEarlier(c, c.Stmt.Name, col) || provenNotNull(c, col) {
						continue
					}
					t, old, ok := stateColumn(c, c.Stmt.Name, col)
					if !ok || !old.Null || stateProvesNotNull(c, t, col) {
						continue
					}
					c.Report(fmt.Sprintf("%s.%s is nullable before the revision and nothing in it fills the NULLs: %s", c.Stmt.Name, col, failsOrCuts(c.Dialect, "stores the type's zero value instead")),
						fmt.Sprintf("UPDATE %s SET %s = ... WHERE %s IS NULL first (in batches, in a data revision)", c.Stmt.Name, col, col))
					return
				}
			},
		},
	}
}

// mysqlCharsetLoss says what a MySQL column definition's CHARACTER SET and
// COLLATE lose against the old column: a charset other than utf8mb4
// that differs from the old one, and an insensitive collation replacing a
// sensitive one on a column of a unique key.
func mysqlCharsetLoss(ch typeChange, old schema.Column, t *schema.Table) []string {
	var out []string
	if cs := strings.ToLower(ch.def.Charset); cs != "" && cs != "utf8mb4" && cs != "binary" {
		oldCS, assumed := columnCharset("", old, t)
		if !strings.EqualFold(oldCS, cs) {
			was := oldCS
			if assumed {
				was = "the table's default"
			}
			out = append(out, fmt.Sprintf("converting from %s to %s turns characters %s cannot hold into '?'", was, cs, cs))
		}
	}
	if co := strings.ToLower(ch.def.Collate); co != "" && (strings.Contains(co, "_ci") || strings.Contains(co, "_ai")) {
		oc := strings.ToLower(old.Type.Ext.Collation)
		sensitive := strings.HasSuffix(oc, "_bin") || strings.Contains(oc, "_cs") || strings.Contains(oc, "_as")
		if sensitive && slices.ContainsFunc(stateKeys(t), func(k keyIndex) bool { return k.unique && slices.Contains(k.cols, strings.ToLower(old.Name)) }) {
			out = append(out, fmt.Sprintf("under %s values that differ in case or accents compare equal: the unique key over %s rejects them, and lookups match more rows", co, old.Name))
		}
	}
	return out
}

// failsOrCuts says what a value that does not fit does to the statement
// on dialect d; cuts is what MySQL does outside strict mode.
func failsOrCuts(d, cuts string) string {
	if d == MySQL {
		return "the statement fails on the first such row in strict mode, and outside it MySQL " + cuts
	}
	return "the statement fails on the first such row, after holding its lock that long"
}

// stateMySQLRules are the MySQL/MariaDB rules that read the old column.
func stateMySQLRules() []*Rule {
	return []*Rule{
		{
			Code: "RT411", Name: "varchar-length-prefix-change", Severity: Warning, Dialects: myOnly,
			Summary: "a VARCHAR widened across 255 bytes, which MySQL copies",
			Doc: Doc{
				What: "MySQL `MODIFY`/`CHANGE` that widens a VARCHAR or VARBINARY column from at most 255 bytes to more, in bytes of the column's charset " +
					"(the definition's CHARACTER SET, else the old column's or table's, else utf8mb4 assumed): varchar(63) utf8mb4 is 252 bytes, varchar(64) is 256. " +
					"Not on MariaDB, which widens it in place (verified on 10.11): lint.server_version or the live server tells the flavour; when unknown, MySQL is assumed.",
				Why: "A VARCHAR of up to 255 bytes stores its length in one byte, a longer one in two: MySQL cannot change that in place, and copies the table with ALGORITHM=COPY while writes wait. " +
					"Widening within the same side of 255 bytes is instant.",
				Safe:    "Widen to at most 255 bytes, or choose the final length when the column is created; for a larger change use an online schema change tool.",
				SafeSQL: "-- run with gh-ost / pt-online-schema-change:\n-- ALTER TABLE users MODIFY nickname varchar(100) CHARACTER SET utf8mb4 NOT NULL",
				Dialect: MySQL,
				Server:  "mysql 8.0.36",
				Before:  "CREATE TABLE users (id bigint PRIMARY KEY, nickname varchar(50) NOT NULL);",
				Fires:   "ALTER TABLE users MODIFY nickname varchar(100) NOT NULL;",
				Passes:  "ALTER TABLE users MODIFY nickname varchar(60) NOT NULL;",
			},
			stmt: func(c *Check) {
				if v := c.settings.Server; v != nil && v.Dialect() == MySQL && v.Flavour == FlavourMariaDB {
					return
				}
				isVar := func(ch typeChange, n colType) bool {
					return ch.def != nil && (n.name == "varchar" || n.name == "varbinary")
				}
				eachRetype(c, isVar, func(r retype) bool {
					if r.o.name != r.n.name {
						return false
					}
					mb, note := 1, ""
					if !r.n.binary {
						cs, assumed := columnCharset(r.def.Charset, r.old, r.t)
						mb, note = mbOf(cs), " ("+cs+")"
						if assumed {
							note = " (utf8mb4 assumed: the schema state names no charset)"
						}
					}
					ob, nb := r.o.length*mb, r.n.length*mb
					if ob > 255 || nb <= 255 {
						return false
					}
					c.Report(fmt.Sprintf("%s.%s grows from %d to %d bytes%s, across 255: its length prefix grows to two bytes and MySQL copies the table while writes wait", c.Stmt.Name, r.col, ob, nb, note),
						"stay within 255 bytes, or run the change with an online schema change tool")
					return true
				})
			},
		},
		{
			Code: "RT412", Name: "enum-set-non-append", Severity: Error, Dialects: myOnly,
			Summary: "an ENUM or SET changed other than by appending values",
			Doc: Doc{
				What: "MySQL `MODIFY`/`CHANGE` of an ENUM or SET column whose new value list does not begin with the old list in the schema before the revision (a value inserted, removed or moved), " +
					"or whose appended values cross a storage size (ENUM past 255 values, SET past 8, 16, 24 or 32 members).",
				Why:     "Only appending values within the same storage size is a metadata change; anything else renumbers the stored values, so MySQL and MariaDB copy the table while writes wait.",
				Safe:    "Append new values at the end of the list; leave unused values in place (and stop writing them) instead of removing them.",
				SafeSQL: "ALTER TABLE orders MODIFY status enum('new','paid','sent','shipped') NOT NULL, ALGORITHM=INSTANT;",
				Dialect: MySQL,
				Before:  "CREATE TABLE orders (id bigint PRIMARY KEY, status enum('new','paid','sent') NOT NULL);",
				Fires:   "ALTER TABLE orders MODIFY status enum('new','paid','shipped','sent') NOT NULL;",
				Passes:  "ALTER TABLE orders MODIFY status enum('new','paid','sent','shipped') NOT NULL;",
			},
			stmt: func(c *Check) {
				eachRetype(c, isEnumChange, func(r retype) bool {
					o, n := r.o, r.n
					if o.family != n.family {
						return false
					}
					why := ""
					switch {
					case len(n.values) < len(o.values) || !slices.Equal(n.values[:len(o.values)], o.values):
						why = "its values are not the old list with values appended"
					case enumStorage(o.family, len(o.values)) != enumStorage(n.family, len(n.values)):
						why = fmt.Sprintf("%d values need %d bytes where %d needed %d", len(n.values), enumStorage(n.family, len(n.values)), len(o.values), enumStorage(o.family, len(o.values)))
					default:
						return false
					}
					c.Report(fmt.Sprintf("%s %s.%s changes from %s to %s: %s, so the stored values are renumbered and the table is copied while writes wait", strings.ToUpper(n.family), c.Stmt.Name, r.col, r.old.Type.Native, r.typ.Text, why),
						"append new values at the end of the list; leave unused values in place")
					return true
				})
			},
		},
	}
}

// canonName is a MySQL type name with its synonyms folded: the name
// sameColType compares.
func canonName(t colType) string {
	switch t.name {
	case "integer":
		return "int"
	case "dec", "numeric", "fixed":
		return "decimal"
	case "character varying", "nvarchar", "national varchar":
		return "varchar"
	case "character", "nchar", "national char":
		return "char"
	}
	if t.family == "float" {
		return fmt.Sprintf("float%d", t.bytes)
	}
	return t.name
}

// sameColType reports whether o and n are the same MySQL column type
// however spelled (int(11) and INT, tinyint(1) and BOOLEAN, decimal and
// decimal(10,0)).
func sameColType(o, n colType) bool {
	return canonName(o) == canonName(n) && o.bytes == n.bytes && o.unsigned == n.unsigned && o.length == n.length &&
		o.textBytes == n.textBytes && o.binary == n.binary && o.prec == n.prec && o.scale == n.scale && o.fsp == n.fsp &&
		slices.Equal(o.values, n.values)
}

// mysqlTypeCopy says what a MySQL MODIFY/CHANGE changes that the server
// can only do by copying the table (RT401), judged from the old column:
// another type, or another charset. It says nothing of the changes
// other rules own or that run in place: a longer VARCHAR (RT411), ENUM
// and SET lists (RT412), utf8mb3 to utf8mb4; nor of types outside the
// modelled families.
func mysqlTypeCopy(ch typeChange, old schema.Column, t *schema.Table) string {
	o, n := parseColType(MySQL, old.Type.Native), parseColType(MySQL, ch.typ.Text)
	if !o.known || !n.known {
		return ""
	}
	if cs := strings.ToLower(ch.def.Charset); cs != "" && o.family == "string" && !o.binary {
		oldCS, assumed := columnCharset("", old, t)
		if !assumed && oldCS != cs && !(cs == "utf8mb4" && (oldCS == "utf8" || oldCS == "utf8mb3")) {
			return fmt.Sprintf("converting %s from %s to %s", ch.col, oldCS, cs)
		}
	}
	switch {
	case (o.family == "enum" || o.family == "set") && n.family == o.family:
		return ""
	case (o.name == "varchar" || o.name == "varbinary") && canonName(n) == o.name && n.length >= o.length:
		return ""
	case !sameColType(o, n):
		return fmt.Sprintf("changing the type of %s from %s to %s", ch.col, old.Type.Native, ch.typ.Text)
	}
	return ""
}

// inPrimaryKey reports whether col is a column of t's primary key (MySQL
// keeps those NOT NULL whatever MODIFY says).
func inPrimaryKey(t *schema.Table, col string) bool {
	return t.PK != nil && slices.ContainsFunc(t.PK.Columns, func(s string) bool { return strings.EqualFold(s, col) })
}

// mysqlNullChange says how a MySQL MODIFY/CHANGE of a column whose type
// it keeps changes its nullability against the old column ("" when it
// does not): MODIFY without NOT NULL makes a NOT NULL column nullable.
func mysqlNullChange(ch typeChange, old schema.Column, t *schema.Table) string {
	if mysqlTypeCopy(ch, old, t) != "" {
		return ""
	}
	notNull := ch.def.NotNull || ch.def.PrimaryKey || inPrimaryKey(t, old.Name)
	switch {
	case old.Null && notNull:
		return "making " + ch.col + " NOT NULL"
	case !old.Null && !notNull:
		return "making " + ch.col + " nullable"
	}
	return ""
}

// mysqlStateChange is the first column change of a MySQL ALTER TABLE
// that what says something of, judged against the old column, or "".
// Without state the rule is listed as skipped.
func mysqlStateChange(c *Check, what func(typeChange, schema.Column, *schema.Table) string) string {
	var out string
	isModify := func(ch typeChange, _ colType) bool { return ch.def != nil }
	eachRetype(c, isModify, func(r retype) bool {
		out = what(r.typeChange, r.old, r.t)
		return out != ""
	})
	return out
}

// sameTypeBefore reports whether the schema before the revision gives
// column col of c's table the type typ already (however spelled), so that
// a statement restating it changes no type: RT206 is then quiet. Without
// state it is false, and the rule is listed as skipped.
func sameTypeBefore(c *Check, col, typ string, def *sqlast.Column) bool {
	t, old, ok := stateColumn(c, c.Stmt.Name, col)
	if !ok {
		return false
	}
	if c.Dialect == Postgres {
		o, ok1 := parsePgType(old.Type.Native)
		n, ok2 := parsePgType(typ)
		return ok1 && ok2 && o.base == n.base && o.array == n.array && equalInts(o.mods, n.mods)
	}
	o, n := parseColType(c.Dialect, old.Type.Native), parseColType(c.Dialect, typ)
	if !o.known || !n.known || !sameColType(o, n) {
		return false
	}
	if def != nil && def.Charset != "" {
		oldCS, assumed := columnCharset("", old, t)
		return !assumed && strings.EqualFold(oldCS, def.Charset)
	}
	return true
}
