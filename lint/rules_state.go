package lint

import (
	"fmt"
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
// column col; false when an earlier statement of the revision changed
// the column (changedEarlier): the state no longer shows it as c's
// statement finds it.
func stateColumn(c *Check, n sqlast.Name, col string) (*schema.Table, schema.Column, bool) {
	if changedEarlier(c, n, col) {
		return nil, schema.Column{}, false
	}
	t, ok := c.Table(n)
	if !ok {
		return nil, schema.Column{}, false
	}
	old, ok := findColumn(t, col)
	return t, old, ok
}

// changedEarlier reports whether an earlier statement of the revision
// changed column col of table n: its type or definition (ALTER ... TYPE,
// MODIFY, CHANGE), its name (a column renamed to or from col), or
// dropped or added it.
func changedEarlier(c *Check, n sqlast.Name, col string) bool {
	is := func(s string) bool { return s != "" && strings.EqualFold(strings.Trim(s, "`\""), col) }
	for _, st := range c.Earlier() {
		if st.Kind != sqlast.AlterTable || !sameTable(st.Name, n) {
			continue
		}
		for _, a := range actions(st) {
			switch a.Kind {
			case sqlast.AlterColumnType, sqlast.DropColumn, sqlast.ModifyColumn, sqlast.ChangeColumn, sqlast.RenameColumn, sqlast.AddColumn:
				if is(a.ColumnName) || a.Kind == sqlast.RenameColumn && is(a.NewName) || a.Column != nil && is(a.Column.Name) {
					return true
				}
			}
		}
	}
	return false
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

// stateProvesNotNull reports whether the state holds a validated CHECK
// (col IS NOT NULL) on t, or col is NOT NULL already. A CHECK left NOT
// VALID by an earlier revision proves nothing (rows from before it may
// hold NULLs) unless a statement of this revision before c's validates
// it.
func stateProvesNotNull(c *Check, t *schema.Table, col string) bool {
	if old, ok := findColumn(t, col); ok && !old.Null {
		return true
	}
	return slices.ContainsFunc(t.Checks, func(k schema.Check) bool {
		return normExpr(k.Expr) == strings.ToLower(col)+"isnotnull" && (!k.NotValid || validatedEarlier(c, k.Name))
	})
}

// validatedEarlier reports whether a statement of the revision before
// c's validates the constraint name of c's table (VALIDATE CONSTRAINT).
func validatedEarlier(c *Check, name string) bool {
	for _, st := range c.Earlier() {
		if st.Kind != sqlast.AlterTable || !sameTable(st.Name, c.Stmt.Name) {
			continue
		}
		for _, a := range actions(st) {
			if a.Kind == sqlast.ValidateConstraint && strings.EqualFold(a.Name, name) {
				return true
			}
		}
	}
	return false
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
		{
			Code: "RT316", Name: "index-on-partitioned-table", Severity: Warning, Dialects: pgOnly,
			Summary: "CREATE INDEX on a partitioned table cannot be CONCURRENTLY",
			Doc: Doc{
				What: "`CREATE INDEX` (with or without `CONCURRENTLY`, not `ON ONLY`) on a table that is partitioned in the schema before the revision, " +
					"or created partitioned (`PARTITION BY`) earlier in the revision once an existing table has been attached to it as a partition.",
				Why: "PostgreSQL refuses CONCURRENTLY on a partitioned table, and without it builds the index on every partition in one transaction, " +
					"each partition locked SHARE (writes wait) until the last one is built.",
				Safe: "Create the index `ON ONLY` the parent (an invalid index, at once), build each partition's index CONCURRENTLY, " +
					"and attach each with `ALTER INDEX ... ATTACH PARTITION`: the parent's index becomes valid when every partition has one.",
				SafeSQL: "CREATE INDEX events_kind_idx ON ONLY events (kind);\n-- +no-transaction\nCREATE INDEX CONCURRENTLY events_2026_kind_idx ON events_2026 (kind);\n" +
					"ALTER INDEX events_kind_idx ATTACH PARTITION events_2026_kind_idx;",
				Dialect: Postgres,
				Before:  "CREATE TABLE events (id bigint NOT NULL, kind text, at date NOT NULL) PARTITION BY RANGE (at);\nCREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
				Fires:   "CREATE INDEX events_kind_idx ON events (kind);",
				Passes: "CREATE INDEX events_kind_idx ON ONLY events (kind);\n-- +no-transaction\nCREATE INDEX CONCURRENTLY events_2026_kind_idx ON events_2026 (kind);\n" +
					"ALTER INDEX events_kind_idx ATTACH PARTITION events_2026_kind_idx;",
			},
			stmt: func(c *Check) {
				st := c.Stmt
				if st.Kind != sqlast.CreateIndex || st.Index == nil || st.Index.Only {
					return
				}
				n := st.Index.Table
				var what string
				if c.Created(n) {
					part := attachedExisting(c, n)
					if !createdPartitioned(c, n) || part == "" {
						return
					}
					what = fmt.Sprintf("%s is created partitioned in this revision and %s, an existing table, is attached to it", n, part)
				} else {
					t, ok := c.Table(n)
					if !ok || t.Partitioning == nil {
						return
					}
					what = fmt.Sprintf("%s is partitioned (%s)", n, t.Partitioning.Key)
				}
				msg := what + ": CREATE INDEX builds the index on every partition in one transaction, each locked against writes (SHARE) until the last is built"
				if st.Concurrently {
					msg = what + ": PostgreSQL refuses CREATE INDEX CONCURRENTLY on a partitioned table"
				}
				c.Report(msg, "CREATE INDEX ... ON ONLY "+n.String()+", CREATE INDEX CONCURRENTLY on each partition, then ALTER INDEX ... ATTACH PARTITION each")
			},
		},
	}
}

// createdPartitioned reports whether a CREATE TABLE ... PARTITION BY
// earlier in the revision created table n.
func createdPartitioned(c *Check, n sqlast.Name) bool {
	for _, st := range c.Earlier() {
		if st.Kind == sqlast.CreateTable && sameTable(st.Name, n) && st.CreateTable != nil && st.CreateTable.PartitionBy != "" {
			return true
		}
	}
	return false
}

// attachedExisting returns the first table the revision did not create
// that a statement before c's attaches to n as a partition (ATTACH
// PARTITION), or "": the partitions of a table created in the revision
// are otherwise new and empty.
func attachedExisting(c *Check, n sqlast.Name) string {
	for _, st := range c.Earlier() {
		if st.Kind != sqlast.AlterTable || !sameTable(st.Name, n) {
			continue
		}
		for _, a := range actions(st) {
			if a.Kind == sqlast.AttachPartition && !c.Created(sqlast.Name{Parts: strings.Split(a.Name, ".")}) {
				return a.Name
			}
		}
	}
	return ""
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
