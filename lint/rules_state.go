package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/retortdb/retort/lint/sqlast"
	"github.com/retortdb/retort/schema"
)

// The catalogue's C rules: rules that read the schema before the
// revision (Revision.Before, through Check.Table and Check.Schema). Each
// looks at the statement first and asks for the state only once the
// statement matters, so that without state only the rules that had
// something to check are listed as skipped. Tables created earlier in
// the revision are not in the state: Check.Table returns false for them.
//
// The schema model reflects no partitioning and no validity of CHECK
// constraints: RT316 (index on a partitioned table) is not built, and
// RT309 takes a CHECK (c IS NOT NULL) of the state as validated.

// findColumn returns column name of t (names compare case-insensitively).
func findColumn(t *schema.Table, name string) (schema.Column, bool) {
	for _, col := range t.Columns {
		if strings.EqualFold(col.Name, name) {
			return col, true
		}
	}
	return schema.Column{}, false
}

// stateColumn returns table n as it was before the revision and its
// column col.
func stateColumn(c *Check, n sqlast.Name, col string) (*schema.Table, schema.Column, bool) {
	t, ok := c.Table(n)
	if !ok {
		return nil, schema.Column{}, false
	}
	old, ok := findColumn(t, col)
	return t, old, ok
}

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

// lowerAll returns names in lower case.
func lowerAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ToLower(strings.Trim(n, "`\""))
	}
	return out
}

// keyIndex is an index, key or constraint over plain columns.
type keyIndex struct {
	name   string
	what   string // "index", "primary key", "unique constraint"
	cols   []string
	unique bool
	method string // lower case, "" for the default (btree)
}

func (k keyIndex) String() string {
	n := k.what
	if k.name != "" {
		n += " " + k.name
	}
	return fmt.Sprintf("%s (%s)", n, strings.Join(k.cols, ", "))
}

// stateKeys returns t's primary key, unique constraints and the indexes
// over plain columns (no expression, no WHERE).
func stateKeys(t *schema.Table) []keyIndex {
	var out []keyIndex
	if t.PK != nil {
		out = append(out, keyIndex{name: t.PK.Name, what: "primary key", cols: lowerAll(t.PK.Columns), unique: true})
	}
	for _, u := range t.Uniques {
		out = append(out, keyIndex{name: u.Name, what: "unique constraint", cols: lowerAll(u.Columns), unique: true})
	}
	for _, ix := range t.Indexes {
		if ix.Where != "" || len(ix.Columns()) != len(ix.Parts) {
			continue
		}
		m := strings.ToLower(ix.Method)
		if m == "btree" {
			m = ""
		}
		out = append(out, keyIndex{name: ix.Name, what: "index", cols: lowerAll(ix.Columns()), unique: ix.Unique, method: m})
	}
	return out
}

// plainIndex returns a recognised index as a keyIndex, false for a
// partial, expression, FULLTEXT or SPATIAL index.
func plainIndex(ix *sqlast.Index) (keyIndex, bool) {
	if ix == nil || ix.Partial || ix.Expressions || ix.Fulltext || ix.Spatial || len(ix.Columns) == 0 {
		return keyIndex{}, false
	}
	m := strings.ToLower(ix.Method)
	if m == "btree" {
		m = ""
	}
	return keyIndex{name: ix.Name.Object(), what: "index", cols: lowerAll(ix.Columns), unique: ix.Unique, method: m}, true
}

// revisionKeys returns the keys and indexes of table the given
// statements create: CREATE TABLE's primary key and unique columns and
// constraints, CREATE INDEX, ALTER TABLE ADD CONSTRAINT PRIMARY KEY /
// UNIQUE and MySQL ADD INDEX.
func revisionKeys(stmts []*sqlast.Statement, table sqlast.Name) []keyIndex {
	var out []keyIndex
	con := func(k *sqlast.Constraint) {
		if k == nil || len(k.Columns) == 0 {
			return
		}
		switch k.Kind {
		case sqlast.PrimaryKey:
			out = append(out, keyIndex{name: k.Name, what: "primary key", cols: lowerAll(k.Columns), unique: true})
		case sqlast.Unique:
			out = append(out, keyIndex{name: k.Name, what: "unique constraint", cols: lowerAll(k.Columns), unique: true})
		}
	}
	for _, st := range stmts {
		switch st.Kind {
		case sqlast.CreateTable:
			if !sameTable(st.Name, table) || st.CreateTable == nil {
				continue
			}
			for _, col := range st.CreateTable.Columns {
				if col.PrimaryKey || col.Unique {
					what := "unique column"
					if col.PrimaryKey {
						what = "primary key"
					}
					out = append(out, keyIndex{what: what, cols: []string{strings.ToLower(col.Name)}, unique: true})
				}
			}
			for _, k := range st.CreateTable.Constraints {
				con(k)
			}
			for _, ix := range st.CreateTable.Indexes {
				if k, ok := plainIndex(ix); ok {
					out = append(out, k)
				}
			}
		case sqlast.CreateIndex:
			if st.Index != nil && sameTable(st.Name, table) {
				if k, ok := plainIndex(st.Index); ok {
					out = append(out, k)
				}
			}
		case sqlast.AlterTable:
			if !sameTable(st.Name, table) {
				continue
			}
			for _, a := range actions(st) {
				switch a.Kind {
				case sqlast.AddConstraint:
					con(a.Constraint)
				case sqlast.AddIndex:
					if k, ok := plainIndex(a.Index); ok {
						out = append(out, k)
					}
				}
			}
		}
	}
	return out
}

// droppedIndexes returns the lower-case names of the indexes and
// constraints the statements drop.
func droppedIndexes(stmts []*sqlast.Statement) map[string]bool {
	out := map[string]bool{}
	for _, st := range stmts {
		switch st.Kind {
		case sqlast.DropIndex:
			for _, n := range names(st) {
				out[key(n)] = true
			}
		case sqlast.AlterTable:
			for _, a := range actions(st) {
				switch a.Kind {
				case sqlast.DropIndexAction, sqlast.DropConstraint, sqlast.DropForeignKey:
					out[strings.ToLower(a.Name)] = true
				}
			}
		}
	}
	return out
}

// leadsWith reports whether cols begins with the columns of want, in any
// order (an index whose leading columns are want serves lookups by
// them).
func leadsWith(cols, want []string) bool {
	if len(cols) < len(want) {
		return false
	}
	for _, w := range want {
		if !slices.Contains(cols[:len(want)], strings.ToLower(w)) {
			return false
		}
	}
	return true
}

// allStatements returns every statement of the revision (of c's
// dialect).
func allStatements(c *Check) []*sqlast.Statement {
	out := make([]*sqlast.Statement, len(c.stmts))
	for i, p := range c.stmts {
		out[i] = p.Statement
	}
	return out
}

// updatedEarlier reports whether an earlier UPDATE of table sets col (a
// backfill before the column becomes NOT NULL).
func updatedEarlier(c *Check, table sqlast.Name, col string) bool {
	for _, st := range c.Earlier() {
		if st.Kind == sqlast.Update && sameTable(st.Name, table) &&
			slices.ContainsFunc(st.Columns, func(s string) bool { return strings.EqualFold(s, col) }) {
			return true
		}
	}
	return false
}

// setNotNullEarlier reports whether an earlier statement made table's
// column col NOT NULL.
func setNotNullEarlier(c *Check, table sqlast.Name, col string) bool {
	for _, st := range c.Earlier() {
		if st.Kind != sqlast.AlterTable || !sameTable(st.Name, table) {
			continue
		}
		for _, a := range actions(st) {
			if a.Kind == sqlast.SetNotNull && strings.EqualFold(a.ColumnName, col) ||
				(a.Kind == sqlast.ModifyColumn || a.Kind == sqlast.ChangeColumn) && a.Column != nil && a.Column.NotNull && strings.EqualFold(a.ColumnName, col) {
				return true
			}
		}
	}
	return false
}

// stateProvesNotNull reports whether the state holds a CHECK (col IS NOT
// NULL) on t, or col is NOT NULL already. The schema model does not
// record whether a CHECK is validated: one left NOT VALID by an earlier
// revision is taken as validated.
func stateProvesNotNull(t *schema.Table, col string) bool {
	if old, ok := findColumn(t, col); ok && !old.Null {
		return true
	}
	return slices.ContainsFunc(t.Checks, func(k schema.Check) bool {
		return normExpr(k.Expr) == strings.ToLower(col)+"isnotnull"
	})
}

// mentions reports whether the SQL expression e names column col.
func mentions(e, col string) bool {
	re, err := regexp.Compile(`(?i)(^|[^A-Za-z0-9_$])["` + "`" + `\[]?` + regexp.QuoteMeta(col) + `["` + "`" + `\]]?($|[^A-Za-z0-9_$])`)
	return err == nil && re.MatchString(e)
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
	for _, ch := range typeChanges(c) {
		n := parseColType(MySQL, ch.typ.Text)
		if ch.def == nil || n.family != "enum" && n.family != "set" {
			continue
		}
		_, old, ok := stateColumn(c, c.Stmt.Name, ch.col)
		if !ok {
			continue
		}
		o := parseColType(MySQL, old.Type.Native)
		if o.family != "enum" && o.family != "set" {
			continue
		}
		if gone := removedValues(o.values, n.values); len(gone) > 0 {
			c.Report(fmt.Sprintf("%s.%s loses value %s: rows holding it fail the change in strict mode (outside it they become ''), and the running application's writes of it fail afterwards", c.Stmt.Name, ch.col, quoteValues(gone)),
				"append the new value, accept both in the application, backfill the rows, and remove the old value in a later release")
			return
		}
	}
}

// stateIndexRules are the index rules that read the state.
func stateIndexRules() []*Rule {
	return []*Rule{
		{
			Code: "RT324", Name: "fk-without-index", Severity: Warning, Dialects: pgOnly,
			Summary: "a foreign key whose columns no index leads with",
			Doc: Doc{
				What: "A foreign key added by CREATE TABLE, `ADD CONSTRAINT ... FOREIGN KEY` or `ADD COLUMN ... REFERENCES` when no index, primary key or unique constraint of the table begins with its columns: " +
					"neither in the schema before the revision nor created anywhere in the revision. PostgreSQL does not index a foreign key's columns by itself (MySQL does).",
				Why: "Every DELETE of a referenced row, and every UPDATE of its key, looks for referencing rows with a sequential scan of the referencing table, under the locks of the parent's statement: " +
					"deletes of customers become scans of the orders table, and ON DELETE CASCADE worse.",
				Safe:    "Create an index that begins with the foreign key's columns, CONCURRENTLY on an existing table.",
				SafeSQL: "-- +no-transaction\nCREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);",
				Dialect: Postgres,
				Before:  "CREATE TABLE customer (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);",
				Fires:   "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;",
				Passes:  "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id) NOT VALID;\n-- +no-transaction\nCREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);",
			},
			stmt: func(c *Check) {
				var fks [][]string
				switch st := c.Stmt; st.Kind {
				case sqlast.CreateTable:
					if st.CreateTable == nil {
						return
					}
					for _, col := range st.CreateTable.Columns {
						if col.References != nil {
							fks = append(fks, []string{col.Name})
						}
					}
					for _, k := range st.CreateTable.Constraints {
						if k.Kind == sqlast.ForeignKey && len(k.Columns) > 0 {
							fks = append(fks, k.Columns)
						}
					}
				case sqlast.AlterTable:
					for _, a := range actions(st) {
						switch {
						case a.Kind == sqlast.AddConstraint && a.Constraint != nil && a.Constraint.Kind == sqlast.ForeignKey && len(a.Constraint.Columns) > 0:
							fks = append(fks, a.Constraint.Columns)
						case a.Kind == sqlast.AddColumn && a.Column != nil && a.Column.References != nil:
							fks = append(fks, []string{a.Column.Name})
						}
					}
				}
				if len(fks) == 0 {
					return
				}
				keys := revisionKeys(allStatements(c), c.Stmt.Name)
				var state []keyIndex
				if c.Stmt.Kind == sqlast.AlterTable && !c.Created(c.Stmt.Name) {
					t, ok := c.Table(c.Stmt.Name)
					if !ok {
						return
					}
					dropped := droppedIndexes(allStatements(c))
					for _, k := range stateKeys(t) {
						if !dropped[strings.ToLower(k.name)] || k.name == "" {
							state = append(state, k)
						}
					}
				}
				for _, fk := range fks {
					if slices.ContainsFunc(slices.Concat(keys, state), func(k keyIndex) bool { return k.method == "" && leadsWith(k.cols, fk) }) {
						continue
					}
					c.Report(fmt.Sprintf("no index of %s begins with the foreign key's columns (%s): each DELETE or key UPDATE of a referenced row scans %s", c.Stmt.Name, columnList(fk), c.Stmt.Name),
						fmt.Sprintf("CREATE INDEX CONCURRENTLY ... ON %s (%s)", c.Stmt.Name, columnList(fk)))
					return
				}
			},
		},
		{
			Code: "RT327", Name: "pk-using-index-nullable", Severity: Warning, Dialects: pgOnly,
			Summary: "ADD PRIMARY KEY USING INDEX over nullable columns scans the table",
			Doc: Doc{
				What: "`ALTER TABLE ... ADD [CONSTRAINT n] PRIMARY KEY USING INDEX i` when a column of the index is nullable before the revision and no earlier statement of the revision made it NOT NULL.",
				Why: "A primary key's columns must be NOT NULL: PostgreSQL sets them NOT NULL as part of the statement, which scans every row for NULLs while the table is locked ACCESS EXCLUSIVE. " +
					"The index was built CONCURRENTLY to avoid exactly that lock.",
				Safe:    "Make the columns NOT NULL first without a scan under lock (a validated CHECK (c IS NOT NULL), then SET NOT NULL: see RT309), then attach the index.",
				SafeSQL: "ALTER TABLE line_item ADD CONSTRAINT line_item_id_nn CHECK (id IS NOT NULL) NOT VALID;\n-- +no-transaction\nALTER TABLE line_item VALIDATE CONSTRAINT line_item_id_nn;\nALTER TABLE line_item ALTER COLUMN id SET NOT NULL;\nALTER TABLE line_item ADD CONSTRAINT line_item_pkey PRIMARY KEY USING INDEX line_item_id_key;",
				Dialect: Postgres,
				Before:  "CREATE TABLE line_item (id bigint, note text);\nCREATE UNIQUE INDEX line_item_id_key ON line_item (id);",
				Fires:   "ALTER TABLE line_item ADD CONSTRAINT line_item_pkey PRIMARY KEY USING INDEX line_item_id_key;",
				Passes:  "ALTER TABLE line_item ALTER COLUMN id SET NOT NULL;\nALTER TABLE line_item ADD CONSTRAINT line_item_pkey PRIMARY KEY USING INDEX line_item_id_key;",
			},
			stmt: func(c *Check) {
				for _, a := range existingAlter(c) {
					if a.Kind != sqlast.AddConstraint || a.Constraint == nil || a.Constraint.Kind != sqlast.PrimaryKey || a.Constraint.UsingIndex == "" {
						continue
					}
					t, ok := c.Table(c.Stmt.Name)
					if !ok {
						return
					}
					var cols []string
					for _, k := range revisionKeys(c.Earlier(), c.Stmt.Name) {
						if strings.EqualFold(k.name, a.Constraint.UsingIndex) {
							cols = k.cols
						}
					}
					if cols == nil {
						for _, k := range stateKeys(t) {
							if k.what == "index" && strings.EqualFold(k.name, a.Constraint.UsingIndex) {
								cols = k.cols
							}
						}
					}
					var nullable []string
					for _, col := range cols {
						if old, ok := findColumn(t, col); ok && old.Null && !setNotNullEarlier(c, c.Stmt.Name, col) {
							nullable = append(nullable, col)
						}
					}
					if len(nullable) > 0 {
						c.Report(fmt.Sprintf("column %s of index %s is nullable: attaching it as the primary key sets it NOT NULL, scanning every row of %s under ACCESS EXCLUSIVE", columnList(nullable), a.Constraint.UsingIndex, c.Stmt.Name),
							"add CHECK ("+nullable[0]+" IS NOT NULL) NOT VALID, VALIDATE it in a later transaction, SET NOT NULL, then attach the index")
					}
					return
				}
			},
		},
		{
			Code: "RT602", Name: "make-index-unique", Severity: Warning, Dialects: every,
			Summary: "an existing index made unique",
			Doc: Doc{
				What: "A unique index or constraint (CREATE UNIQUE INDEX, `ADD CONSTRAINT ... UNIQUE`, MySQL `ADD UNIQUE`) over the same columns, in the same order, as a non-unique index the table had before the revision, " +
					"or with the name of a non-unique index the revision dropped: the index becomes unique.",
				Why: "The application was written against a non-unique index: its writes of a value that is already there, which succeed today, fail with a duplicate-key error after the revision, " +
					"and the revision itself fails if the data holds a duplicate (RT601).",
				Safe:    "Make sure the application never writes duplicates (an upsert, or a check before insert) and released that first; remove duplicates in a data revision; then build the unique index beside the old one and drop the old one.",
				SafeSQL: "-- +no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY customer_email_key ON customer (email);\nDROP INDEX CONCURRENTLY customer_email_idx;",
				Dialect: Postgres,
				Before:  "CREATE TABLE customer (id bigint PRIMARY KEY, email text NOT NULL);\nCREATE INDEX customer_email_idx ON customer (email);",
				Fires:   "-- +no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY customer_email_key ON customer (email);",
				Passes:  "-- +no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY customer_id_email_key ON customer (id, email);",
			},
			stmt: func(c *Check) {
				var added []keyIndex
				ifNotExists := map[string]bool{} // names of indexes added only if there is none of that name
				switch st := c.Stmt; st.Kind {
				case sqlast.CreateIndex:
					if k, ok := plainIndex(st.Index); ok && k.unique {
						added = append(added, k)
						ifNotExists[strings.ToLower(k.name)] = st.IfNotExists
					}
				case sqlast.AlterTable:
					for _, a := range actions(st) {
						switch {
						case a.Kind == sqlast.AddConstraint && a.Constraint != nil && a.Constraint.Kind == sqlast.Unique && a.Constraint.UsingIndex == "" && len(a.Constraint.Columns) > 0:
							added = append(added, keyIndex{name: a.Constraint.Name, cols: lowerAll(a.Constraint.Columns), unique: true})
						case a.Kind == sqlast.AddIndex:
							if k, ok := plainIndex(a.Index); ok && k.unique {
								added = append(added, k)
								ifNotExists[strings.ToLower(k.name)] = a.IfNotExists
							}
						}
					}
				}
				if len(added) == 0 || c.Created(c.Stmt.Name) {
					return
				}
				t, ok := c.Table(c.Stmt.Name)
				if !ok {
					return
				}
				dropped := droppedIndexes(append(c.Earlier(), c.Stmt))
				keys := stateKeys(t)
				for _, k := range added {
					if k.name != "" && ifNotExists[strings.ToLower(k.name)] && !dropped[strings.ToLower(k.name)] &&
						slices.ContainsFunc(keys, func(o keyIndex) bool { return strings.EqualFold(o.name, k.name) }) {
						continue // IF NOT EXISTS of an index that exists: nothing changes
					}
					for _, old := range keys {
						if old.unique || old.method != "" {
							continue
						}
						sameName := k.name != "" && strings.EqualFold(k.name, old.name) && dropped[strings.ToLower(old.name)]
						if sameName || slices.Equal(k.cols, old.cols) {
							c.Report(fmt.Sprintf("%s of %s becomes unique: the application's writes of a value already there, which succeed today, fail with a duplicate-key error", old, c.Stmt.Name),
								"release the application that never writes duplicates first, remove duplicates in a data revision, then build the unique index beside the old one")
							return
						}
					}
				}
			},
		},
		{
			Code: "RT813", Name: "redundant-index", Severity: Info, Dialects: every,
			Summary: "an index that is a prefix of another",
			Doc: Doc{
				What: "A new non-unique index (CREATE INDEX, MySQL ADD INDEX) over plain columns when another index, primary key or unique constraint of the table (before the revision or created earlier in it, and not dropped) begins with the same columns in the same order, " +
					"or when an existing non-unique index's columns are the first columns of the new one (that one becomes redundant). Partial, expression and non-btree indexes are left out.",
				Why:     "The database can answer every lookup of the shorter index with the longer one: the redundant index costs every INSERT, UPDATE and DELETE a write, takes disk and memory, and gives the planner nothing.",
				Safe:    "Keep the longer index and do not create, or drop, the one that is its prefix (mind a MySQL foreign key, which needs some index beginning with its columns).",
				SafeSQL: "-- orders_customer_placed_idx (customer_id, placed_at) already serves lookups by customer_id",
				Dialect: Postgres,
				Before:  "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, placed_at timestamptz NOT NULL);\nCREATE INDEX orders_customer_placed_idx ON orders (customer_id, placed_at);",
				Fires:   "-- +no-transaction\nCREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);",
				Passes:  "-- +no-transaction\nCREATE INDEX CONCURRENTLY orders_placed_idx ON orders (placed_at);",
			},
			stmt: func(c *Check) {
				var added []keyIndex
				switch st := c.Stmt; st.Kind {
				case sqlast.CreateIndex:
					if k, ok := plainIndex(st.Index); ok && !k.unique {
						added = append(added, k)
					}
				case sqlast.AlterTable:
					for _, a := range actions(st) {
						if a.Kind == sqlast.AddIndex {
							if k, ok := plainIndex(a.Index); ok && !k.unique {
								added = append(added, k)
							}
						}
					}
				}
				if len(added) == 0 {
					return
				}
				others := revisionKeys(c.Earlier(), c.Stmt.Name)
				if !c.Created(c.Stmt.Name) {
					t, ok := c.Table(c.Stmt.Name)
					if !ok {
						return
					}
					others = append(others, stateKeys(t)...)
				}
				dropped := droppedIndexes(append(c.Earlier(), c.Stmt))
				for _, k := range added {
					for _, o := range others {
						if o.method != k.method || o.name != "" && dropped[strings.ToLower(o.name)] || o.name != "" && strings.EqualFold(o.name, k.name) {
							continue
						}
						switch {
						case len(o.cols) >= len(k.cols) && slices.Equal(o.cols[:len(k.cols)], k.cols):
							c.Report(fmt.Sprintf("the new index (%s) is a prefix of %s of %s, which serves the same lookups: the new one only costs writes and space", columnList(k.cols), o, c.Stmt.Name),
								"do not create it: "+o.String()+" already serves lookups by "+columnList(k.cols))
							return
						case !o.unique && len(o.cols) < len(k.cols) && slices.Equal(k.cols[:len(o.cols)], o.cols):
							c.Report(fmt.Sprintf("%s of %s is a prefix of the new index (%s): it becomes redundant and only costs writes and space", o, c.Stmt.Name, columnList(k.cols)),
								"drop "+o.String()+" once the new index is built")
							return
						}
					}
				}
			},
		},
	}
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
				for _, ch := range typeChanges(c) {
					t, old, ok := stateColumn(c, c.Stmt.Name, ch.col)
					if !ok {
						continue
					}
					o, n := parseColType(c.Dialect, old.Type.Native), parseColType(c.Dialect, ch.typ.Text)
					silent, _ := lossy(o, n, stateMB(c, ch, old, t, n))
					if c.Dialect == MySQL && ch.def != nil {
						silent = append(silent, mysqlCharsetLoss(ch, old, t)...)
					}
					if len(silent) > 0 {
						c.Report(fmt.Sprintf("changing %s.%s from %s to %s alters stored values without failing: %s", c.Stmt.Name, ch.col, old.Type.Native, ch.typ.Text, strings.Join(silent, "; ")),
							"add a column of the new type, copy and compare the values, switch the application, then drop the old column")
						return
					}
				}
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
				for _, ch := range typeChanges(c) {
					t, old, ok := stateColumn(c, c.Stmt.Name, ch.col)
					if !ok {
						continue
					}
					o, n := parseColType(c.Dialect, old.Type.Native), parseColType(c.Dialect, ch.typ.Text)
					if _, rng := lossy(o, n, stateMB(c, ch, old, t, n)); len(rng) > 0 {
						c.Report(fmt.Sprintf("changing %s.%s from %s to %s: %s; %s", c.Stmt.Name, ch.col, old.Type.Native, ch.typ.Text, strings.Join(rng, "; "), failsOrCuts(c.Dialect, "cuts the value to fit")),
							"find the values that do not fit first and fix them in a data revision")
						return
					}
				}
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
					if !ok || !old.Null || stateProvesNotNull(t, col) {
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
				for _, ch := range typeChanges(c) {
					n := parseColType(MySQL, ch.typ.Text)
					if ch.def == nil || n.name != "varchar" && n.name != "varbinary" {
						continue
					}
					t, old, ok := stateColumn(c, c.Stmt.Name, ch.col)
					if !ok {
						continue
					}
					o := parseColType(MySQL, old.Type.Native)
					if o.name != n.name {
						continue
					}
					mb, note := 1, ""
					if !n.binary {
						cs, assumed := columnCharset(ch.def.Charset, old, t)
						mb, note = mbOf(cs), " ("+cs+")"
						if assumed {
							note = " (utf8mb4 assumed: the schema state names no charset)"
						}
					}
					if ob, nb := o.length*mb, n.length*mb; ob <= 255 && nb > 255 {
						c.Report(fmt.Sprintf("%s.%s grows from %d to %d bytes%s, across 255: its length prefix grows to two bytes and MySQL copies the table while writes wait", c.Stmt.Name, ch.col, ob, nb, note),
							"stay within 255 bytes, or run the change with an online schema change tool")
						return
					}
				}
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
				for _, ch := range typeChanges(c) {
					n := parseColType(MySQL, ch.typ.Text)
					if ch.def == nil || n.family != "enum" && n.family != "set" {
						continue
					}
					_, old, ok := stateColumn(c, c.Stmt.Name, ch.col)
					if !ok {
						continue
					}
					o := parseColType(MySQL, old.Type.Native)
					if o.family != n.family {
						continue
					}
					why := ""
					switch {
					case len(n.values) < len(o.values) || !slices.Equal(n.values[:len(o.values)], o.values):
						why = "its values are not the old list with values appended"
					case enumStorage(o.family, len(o.values)) != enumStorage(n.family, len(n.values)):
						why = fmt.Sprintf("%d values need %d bytes where %d needed %d", len(n.values), enumStorage(n.family, len(n.values)), len(o.values), enumStorage(o.family, len(o.values)))
					default:
						continue
					}
					c.Report(fmt.Sprintf("%s %s.%s changes from %s to %s: %s, so the stored values are renumbered and the table is copied while writes wait", strings.ToUpper(n.family), c.Stmt.Name, ch.col, old.Type.Native, ch.typ.Text, why),
						"append new values at the end of the list; leave unused values in place")
					return
				}
			},
		},
	}
}

// stateDropRules are the drop rules that read the state.
func stateDropRules() []*Rule {
	return []*Rule{
		{
			Code: "RT209", Name: "drop-used-object", Severity: Warning, Dialects: every,
			Summary: "dropping a table or column that other objects still reference",
			Doc: Doc{
				What: "DROP TABLE of a table that another table's foreign key references, and DROP COLUMN of a column that another table's foreign key references, that a multi-column index, " +
					"unique or primary key of its table includes, or (MySQL) that a foreign key of its table uses, in the schema before the revision, unless an earlier statement of the revision dropped that key (or its table); a table rebuilt under its name (dropped, then a new one renamed to it) is not dropped. " +
					"Views, functions and the application's own use are not in the schema state.",
				Why: "The drop fails while the key exists (PostgreSQL without CASCADE, MySQL, SQLite with foreign keys on), or, with CASCADE, silently removes the other table's foreign key; " +
					"a dropped column takes its multi-column indexes with it on PostgreSQL, and shrinks them on MySQL (a unique one then over fewer columns).",
				Safe:    "Drop the referencing foreign keys (and replace the indexes) explicitly first, in the same or an earlier revision, after the application stopped using them.",
				SafeSQL: "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;\nDROP TABLE customer;",
				Dialect: Postgres,
				Before:  "CREATE TABLE customer (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customer (id));",
				Fires:   "DROP TABLE customer;",
				Passes:  "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;\nDROP TABLE customer;",
			},
			stmt: func(c *Check) {
				switch c.Stmt.Kind {
				case sqlast.DropTable:
					if c.Stmt.Temporary {
						return
					}
					for _, n := range names(c.Stmt) {
						if c.Created(n) || replacedLater(c, n.Object()) {
							continue // new, or rebuilt under its name
						}
						sc, ok := c.Schema()
						if !ok {
							return
						}
						if by := referencingKeys(c, sc, n, ""); len(by) > 0 {
							what := map[string]string{
								Postgres: "the drop fails while the key exists, or with CASCADE silently removes the key",
								MySQL:    "the drop fails while the key exists (with foreign_key_checks off it succeeds and leaves the key pointing nowhere)",
								SQLite:   "with foreign keys on, the drop deletes the rows first and fails on a referenced one; with them off the key points nowhere",
							}[c.Dialect]
							c.Report(fmt.Sprintf("%s is still referenced by %s: %s", n, strings.Join(by, ", "), what),
								"drop the referencing foreign keys explicitly first, after the application stopped using them")
							return
						}
					}
				case sqlast.AlterTable:
					for _, a := range existingAlter(c) {
						if a.Kind != sqlast.DropColumn || addedEarlier(c, c.Stmt.Name, a.ColumnName) {
							continue
						}
						sc, ok := c.Schema()
						if !ok {
							return
						}
						by := referencingKeys(c, sc, c.Stmt.Name, a.ColumnName)
						if t, ok := lookupTable(sc, c.Stmt.Name); ok && c.Dialect != SQLite {
							dropped := droppedIndexes(c.Earlier())
							for _, k := range stateKeys(t) {
								if len(k.cols) > 1 && slices.Contains(k.cols, strings.ToLower(a.ColumnName)) && (k.name == "" || !dropped[strings.ToLower(k.name)]) {
									by = append(by, k.String()+" of "+t.Name)
								}
							}
							for _, fk := range t.ForeignKeys {
								if c.Dialect == MySQL && slices.ContainsFunc(fk.Columns, func(s string) bool { return strings.EqualFold(s, a.ColumnName) }) && (fk.Name == "" || !dropped[strings.ToLower(fk.Name)]) {
									by = append(by, fmt.Sprintf("foreign key %s of %s to %s", fk.Name, t.Name, fk.RefTable))
								}
							}
						}
						if len(by) > 0 {
							what := "PostgreSQL drops the index or key with it (and fails on another table's foreign key without CASCADE)"
							if c.Dialect == MySQL {
								what = "MySQL fails on a foreign key and shrinks an index or key to the remaining columns"
							}
							c.Report(fmt.Sprintf("column %s.%s is still used by %s: %s", c.Stmt.Name, a.ColumnName, strings.Join(by, ", "), what),
								"drop or replace the keys and indexes that use the column explicitly first")
							return
						}
					}
				}
			},
		},
		{
			Code: "RT503", Name: "drop-column-rewrites", Severity: Warning, Dialects: slOnly,
			Summary: "SQLite DROP COLUMN rewrites the table, and fails on a column in use",
			Doc: Doc{
				What: "SQLite (3.35+) `ALTER TABLE ... DROP COLUMN` on a table the revision did not create. With the schema before the revision it is an error when the column is part of the primary key, " +
					"a UNIQUE constraint, an index, a CHECK, a generated column or a foreign key of the table (views and triggers are not in the state).",
				Why: "SQLite rewrites every row of the table to remove the column, holding the database's write lock all along; " +
					"and it refuses to drop a column anything else in the table's schema uses, so the revision fails there.",
				Safe:    "Rebuild the table without the column by SQLite's twelve steps (RT502), or write the revision in Go: retort renders the rebuild.",
				SafeSQL: "-- +no-transaction\nPRAGMA foreign_keys = OFF;\nBEGIN;\nCREATE TABLE notes_new (id integer PRIMARY KEY, body text);\nINSERT INTO notes_new (id, body) SELECT id, body FROM notes;\nDROP TABLE notes;\nALTER TABLE notes_new RENAME TO notes;\nPRAGMA foreign_key_check;\nCOMMIT;\nPRAGMA foreign_keys = ON;",
				Dialect: SQLite,
				Before:  "CREATE TABLE notes (id integer PRIMARY KEY, body text, slug text UNIQUE);",
				Fires:   "ALTER TABLE notes DROP COLUMN slug;",
				Passes:  "CREATE TABLE drafts (id integer PRIMARY KEY, body text);\nALTER TABLE drafts DROP COLUMN body;",
			},
			stmt: func(c *Check) {
				for _, a := range existingAlter(c) {
					if a.Kind != sqlast.DropColumn || addedEarlier(c, c.Stmt.Name, a.ColumnName) {
						continue
					}
					if t, ok := c.Table(c.Stmt.Name); ok {
						if uses := sqliteColumnUses(t, a.ColumnName); len(uses) > 0 {
							c.ReportAt(Error, fmt.Sprintf("SQLite refuses to drop %s.%s, used by %s: the revision fails", c.Stmt.Name, a.ColumnName, strings.Join(uses, ", ")),
								"rebuild the table without the column (RT502's twelve steps), or write the revision in Go")
							return
						}
					}
					c.Report(fmt.Sprintf("SQLite rewrites every row of %s to drop %s, holding the database's write lock all along", c.Stmt.Name, a.ColumnName),
						"drop it off-peak, or rebuild the table when other changes need a rebuild too")
					return
				}
			},
		},
	}
}

// referencingKeys names the foreign keys of other tables in sc that
// reference table n (its column col, when col is not ""), leaving out
// tables the statement or an earlier one drops and keys dropped earlier.
func referencingKeys(c *Check, sc *schema.Schema, n sqlast.Name, col string) []string {
	gone := map[string]bool{}
	for _, m := range names(c.Stmt) {
		if c.Stmt.Kind == sqlast.DropTable {
			gone[key(m)] = true
		}
	}
	for _, st := range c.Earlier() {
		if st.Kind == sqlast.DropTable {
			for _, m := range names(st) {
				gone[key(m)] = true
			}
		}
	}
	dropped := droppedIndexes(c.Earlier())
	var out []string
	for _, t := range sc.Tables {
		if strings.EqualFold(t.Name, n.Object()) || gone[strings.ToLower(t.Name)] {
			continue
		}
		for _, fk := range t.ForeignKeys {
			if !strings.EqualFold(fk.RefTable, n.Object()) || fk.Name != "" && dropped[strings.ToLower(fk.Name)] {
				continue
			}
			if col != "" && !slices.ContainsFunc(fk.RefColumns, func(s string) bool { return strings.EqualFold(s, col) }) {
				continue
			}
			name := fk.Name
			if name == "" {
				name = "(" + strings.Join(fk.Columns, ", ") + ")"
			}
			out = append(out, fmt.Sprintf("foreign key %s of %s", name, t.Name))
		}
	}
	return out
}

// sqliteColumnUses names what in table t keeps SQLite from dropping col.
func sqliteColumnUses(t *schema.Table, col string) []string {
	low := strings.ToLower(col)
	var out []string
	for _, k := range stateKeys(t) {
		if slices.Contains(k.cols, low) {
			out = append(out, k.String())
		}
	}
	for _, ix := range t.Indexes {
		if ix.Where != "" && mentions(ix.Where, col) || slices.ContainsFunc(ix.Parts, func(p schema.IndexPart) bool { return p.Expr != "" && mentions(p.Expr, col) }) {
			out = append(out, "index "+ix.Name)
		}
	}
	for _, k := range t.Checks {
		if mentions(k.Expr, col) {
			out = append(out, "CHECK ("+k.Expr+")")
		}
	}
	for _, g := range t.Columns {
		if g.Generated != nil && mentions(g.Generated.Expr, col) {
			out = append(out, "generated column "+g.Name)
		}
	}
	for _, fk := range t.ForeignKeys {
		if slices.ContainsFunc(fk.Columns, func(s string) bool { return strings.EqualFold(s, col) }) {
			out = append(out, "a foreign key to "+fk.RefTable)
		}
	}
	return out
}

// fkMismatch is a foreign key column whose type differs from the
// referenced column's.
type fkMismatch struct {
	text  string
	fails bool // the database refuses the foreign key
}

// fkTypeMismatches is RT801's foreign-key part: the foreign keys a
// statement adds whose column type differs from the referenced column's,
// read from the statement, the revision's CREATE TABLE statements and
// the state.
func fkTypeMismatches(c *Check) []fkMismatch {
	type fk struct {
		cols    []string
		ref     sqlast.Name
		refCols []string
	}
	var fks []fk
	defs := map[string]*sqlast.Type{} // the statement's own column types
	switch st := c.Stmt; st.Kind {
	case sqlast.CreateTable:
		if st.CreateTable == nil {
			return nil
		}
		for _, col := range st.CreateTable.Columns {
			if col.Type != nil {
				defs[strings.ToLower(col.Name)] = col.Type
			}
			if col.References != nil {
				fks = append(fks, fk{[]string{col.Name}, col.References.Table, col.References.Columns})
			}
		}
		for _, k := range st.CreateTable.Constraints {
			if k.Kind == sqlast.ForeignKey && k.Ref != nil {
				fks = append(fks, fk{k.Columns, k.Ref.Table, k.Ref.Columns})
			}
		}
	case sqlast.AlterTable:
		for _, a := range actions(st) {
			switch {
			case a.Kind == sqlast.AddColumn && a.Column != nil:
				if a.Column.Type != nil {
					defs[strings.ToLower(a.Column.Name)] = a.Column.Type
				}
				if a.Column.References != nil {
					fks = append(fks, fk{[]string{a.Column.Name}, a.Column.References.Table, a.Column.References.Columns})
				}
			case a.Kind == sqlast.AddConstraint && a.Constraint != nil && a.Constraint.Kind == sqlast.ForeignKey && a.Constraint.Ref != nil:
				fks = append(fks, fk{a.Constraint.Columns, a.Constraint.Ref.Table, a.Constraint.Ref.Columns})
			}
		}
	}
	if len(fks) == 0 {
		return nil
	}
	// typeOf is the type of column col of table n as the revision or the
	// state has it ("" when unknown).
	typeOf := func(n sqlast.Name, col string) string {
		if sameTable(n, c.Stmt.Name) {
			if t, ok := defs[strings.ToLower(col)]; ok {
				return t.Text
			}
		}
		for _, st := range c.Earlier() {
			if st.Kind == sqlast.CreateTable && sameTable(st.Name, n) && st.CreateTable != nil {
				for _, d := range st.CreateTable.Columns {
					if strings.EqualFold(d.Name, col) && d.Type != nil {
						return d.Type.Text
					}
				}
				return ""
			}
		}
		if t, ok := c.Table(n); ok {
			if old, ok := findColumn(t, col); ok {
				return old.Type.Native
			}
		}
		return ""
	}
	var out []fkMismatch
	for _, k := range fks {
		refCols := k.refCols
		if len(refCols) == 0 {
			if t, ok := c.Table(k.ref); ok && t.PK != nil {
				refCols = t.PK.Columns
			}
		}
		for i, col := range k.cols {
			if i >= len(refCols) {
				break
			}
			a, b := typeOf(c.Stmt.Name, col), typeOf(k.ref, refCols[i])
			if a == "" || b == "" {
				continue
			}
			if x, y := parseColType(c.Dialect, a), parseColType(c.Dialect, b); x.known && y.known && !sameKeyType(x, y) {
				// Both refuse keys across type families; MySQL also
				// integers and decimals of another size or sign.
				fails := x.family != y.family || c.Dialect == MySQL && x.family != "string"
				out = append(out, fkMismatch{fmt.Sprintf("%s (%s) references %s.%s (%s)", col, a, k.ref, refCols[i], b), fails})
			}
		}
	}
	return out
}

// sameKeyType reports whether a foreign key column of type x matches a
// referenced column of type y: same family, integer size and sign,
// string length.
func sameKeyType(x, y colType) bool {
	if x.family != y.family {
		return false
	}
	switch x.family {
	case "int":
		return x.bytes == y.bytes && x.unsigned == y.unsigned
	case "string":
		return x.length == y.length && x.textBytes == y.textBytes
	case "decimal":
		return x.prec == y.prec && x.scale == y.scale && x.anyPrec == y.anyPrec
	}
	return true
}

// stateRules are the catalogue's C rules that are rules of their own;
// RT207, RT305, RT309, RT312, RT406 and RT801 consult the state in their
// own files.
func stateRules() []*Rule {
	return slices.Concat(stateIndexRules(), stateColumnRules(), stateMySQLRules(), stateDropRules())
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
	for _, ch := range typeChanges(c) {
		if ch.def == nil {
			continue
		}
		t, old, ok := stateColumn(c, c.Stmt.Name, ch.col)
		if !ok {
			continue
		}
		if s := what(ch, old, t); s != "" {
			return s
		}
	}
	return ""
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

// alreadyUnique reports whether the schema before the revision gives
// table a primary key, unique constraint or unique index (over plain
// columns, not partial) whose columns are all among cols: a new unique
// index over cols then cannot meet a duplicate (RT601). Without state it
// is false, and the rule is listed as skipped.
func alreadyUnique(c *Check, table sqlast.Name, cols []string) bool {
	t, ok := c.Table(table)
	if !ok {
		return false
	}
	want := lowerAll(cols)
	return slices.ContainsFunc(stateKeys(t), func(k keyIndex) bool {
		return k.unique && len(k.cols) > 0 && !slices.ContainsFunc(k.cols, func(col string) bool { return !slices.Contains(want, col) })
	})
}

// virtualColumn reports whether column col of c's table is a virtual
// generated column in the schema before the revision (RT102: dropping it
// loses no data).
func virtualColumn(c *Check, col string) bool {
	_, old, ok := stateColumn(c, c.Stmt.Name, col)
	return ok && old.Generated != nil && !old.Generated.Stored
}

// rebuildNullCopies is RT502's copy check, at the DROP TABLE of a
// hand-written SQLite rebuild: the NOT NULL columns without DEFAULT of
// the new table that the copy (INSERT INTO new ... SELECT ... FROM old)
// leaves out, and, with the schema before the revision, those it fills
// from a column of the old table that is nullable. Either fails the copy
// on the first row with a NULL there.
func rebuildNullCopies(c *Check) []string {
	old := c.Stmt.Name
	var newName sqlast.Name
	for _, st := range c.Later() {
		for _, a := range actions(st) {
			if a.Kind == sqlast.RenameTo && strings.EqualFold(a.NewName, old.Object()) {
				newName = st.Name
			}
		}
	}
	if newName.IsZero() {
		return nil
	}
	var create, insert *sqlast.Statement
	for _, st := range c.Earlier() {
		switch {
		case st.Kind == sqlast.CreateTable && sameTable(st.Name, newName) && st.CreateTable != nil:
			create = st
		case st.Kind == sqlast.Insert && sameTable(st.Name, newName) && create != nil:
			insert = st
		}
	}
	if create == nil || insert == nil {
		return nil
	}
	targets := insert.Columns
	if len(targets) == 0 {
		for _, col := range create.CreateTable.Columns {
			targets = append(targets, col.Name)
		}
	}
	sources := selectList(insert)
	var out []string
	var nullable []string // candidates whose source column the state must judge
	var from []string
	for _, col := range create.CreateTable.Columns {
		if !col.NotNull || col.Default != nil || col.PrimaryKey || col.Generated != nil {
			continue
		}
		i := slices.IndexFunc(targets, func(s string) bool { return strings.EqualFold(s, col.Name) })
		switch {
		case i < 0:
			out = append(out, fmt.Sprintf("the copy leaves out %s, NOT NULL without DEFAULT in %s: it fails as soon as the old table has a row", col.Name, newName))
		case sources != nil && i < len(sources) && sources[i] != "":
			nullable, from = append(nullable, col.Name), append(from, sources[i])
		}
	}
	if len(nullable) == 0 {
		return out
	}
	t, ok := c.Table(old)
	if !ok {
		return out
	}
	for k, col := range nullable {
		if oc, ok := findColumn(t, from[k]); ok && oc.Null {
			out = append(out, fmt.Sprintf("the copy fills %s, NOT NULL without DEFAULT in %s, from %s.%s, which is nullable: a NULL there fails it (copy coalesce(%s, ...))", col, newName, old, from[k], from[k]))
		}
	}
	return out
}

// selectList returns the items of the top-level SELECT list of an INSERT
// ... SELECT: the column name of an item that is a plain (possibly
// qualified) column, "" for any other item. It is nil when the statement
// has no SELECT or selects * (the items are not known by position).
func selectList(st *sqlast.Statement) []string {
	var items [][]sqlast.Token
	in := false
	for _, tok := range st.Tokens {
		switch {
		case tok.Depth != 0:
			if in {
				items[len(items)-1] = append(items[len(items)-1], tok)
			}
		case !in && tok.Is("SELECT"):
			in = true
			items = append(items, nil)
		case in && (tok.Is("FROM") || tok.IsPunct(";")):
			in = false
		case in && tok.IsPunct(","):
			items = append(items, nil)
		case in && !tok.Is("DISTINCT") && !tok.Is("ALL"):
			items[len(items)-1] = append(items[len(items)-1], tok)
		}
		if !in && items != nil && tok.Is("FROM") {
			break
		}
	}
	if items == nil {
		return nil
	}
	out := make([]string, len(items))
	for i, it := range items {
		switch {
		case len(it) == 1 && it[0].IsPunct("*"):
			return nil
		case len(it) == 1 && it[0].IsIdent():
			out[i] = it[0].Name
		case len(it) == 3 && it[0].IsIdent() && it[1].IsPunct(".") && it[2].IsIdent():
			out[i] = it[2].Name
		case len(it) == 3 && it[0].IsIdent() && it[1].Is("AS") && it[2].IsIdent():
			out[i] = it[0].Name
		case len(it) == 3 && it[0].IsIdent() && it[1].IsPunct(".") && it[2].IsPunct("*"):
			return nil
		}
	}
	return out
}
