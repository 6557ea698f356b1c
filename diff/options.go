package diff

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

// Options refine what Compare compares. The zero Options compares every
// table but retort's own and other tools' version tables.
type Options struct {
	// IncludeTables, when not empty, are the only tables compared: a
	// table is compared when one pattern matches its name or its
	// "schema.name" (path.Match syntax: "audit_*", "billing.*").
	IncludeTables []string
	// ExcludeTables are patterns, as IncludeTables, of tables never
	// compared; they win over IncludeTables.
	ExcludeTables []string
	// OwnTables are retort's version, history and lock tables under the
	// names the project configured; empty means
	// dialect.DefaultOwnTables(). They are never compared, and neither
	// are tables whose name starts with dialect.ScratchPrefix.
	OwnTables []string
	// IncludeObject, when set, is asked about every table, column,
	// constraint, index and enum type found on either side (after the
	// table patterns); an object for which it returns false is left out
	// of the comparison on both sides, as Alembic's include_object hook.
	IncludeObject func(obj Object) bool
	// CompareType, when set, is asked first whether the types of two
	// columns of one name are the same, as Alembic's compare_type hook:
	// decided false leaves the question to the default comparison
	// (Type.Equal on the normalised types).
	CompareType func(from, to schema.Column) (equal bool, decided bool)
}

// OtherToolTables are the version tables of other migration tools
// (Alembic, goose, golang-migrate and Rails, Flyway). Compare leaves them
// out unless IncludeTables names one exactly (by name or schema.name; a
// pattern that happens to match is not enough).
func OtherToolTables() []string {
	return []string{"alembic_version", "goose_db_version", "schema_migrations", "flyway_schema_history"}
}

// ObjectKind says what an Object is.
type ObjectKind int

// The kinds of objects IncludeObject is asked about.
const (
	ObjectTable ObjectKind = iota + 1
	ObjectColumn
	ObjectPrimaryKey
	ObjectUnique
	ObjectForeignKey
	ObjectCheck
	ObjectIndex
	ObjectEnum
)

// String returns the kind as a lower-case noun ("foreign key").
func (k ObjectKind) String() string {
	switch k {
	case ObjectTable:
		return "table"
	case ObjectColumn:
		return "column"
	case ObjectPrimaryKey:
		return "primary key"
	case ObjectUnique:
		return "unique constraint"
	case ObjectForeignKey:
		return "foreign key"
	case ObjectCheck:
		return "check"
	case ObjectIndex:
		return "index"
	case ObjectEnum:
		return "enum"
	}
	return fmt.Sprintf("ObjectKind(%d)", int(k))
}

// Object is one thing IncludeObject is asked about.
type Object struct {
	Kind ObjectKind
	// Table is the table the object belongs to (the table itself for
	// ObjectTable); for ObjectEnum only Table.Schema is set, the enum's
	// schema.
	Table schema.TableName
	// Name is the object's name: the table's, the column's, the
	// constraint's or index's (as normalised), the enum type's.
	Name string
	// InFrom and InTo say on which sides of the comparison it exists
	// (Alembic's reflected and compare_to).
	InFrom, InTo bool
}

// checkPatterns reports a malformed pattern of opts.
func (opts Options) checkPatterns() error {
	for _, p := range slices.Concat(opts.IncludeTables, opts.ExcludeTables) {
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("table pattern %q: %w", p, err)
		}
	}
	return nil
}

// Compares reports whether the table named n is compared at all: the
// table patterns, retort's own tables and other tools' version tables.
// A caller that reflects a database passes it as the inspection's
// IncludeName, so that a table left out is not even read. A malformed
// pattern matches nothing (Compare reports it).
func (opts Options) Compares(n schema.TableName) bool {
	names := []string{n.Name}
	if n.Schema != "" {
		names = append(names, n.Schema+"."+n.Name)
	}
	match := func(pats []string) bool {
		for _, p := range pats {
			for _, s := range names {
				if ok, _ := path.Match(p, s); ok {
					return true
				}
			}
		}
		return false
	}
	own := opts.OwnTables
	if len(own) == 0 {
		own = dialect.DefaultOwnTables()
	}
	if slices.Contains(own, n.Name) || strings.HasPrefix(n.Name, dialect.ScratchPrefix) {
		return false
	}
	if slices.Contains(OtherToolTables(), n.Name) &&
		!slices.ContainsFunc(opts.IncludeTables, func(p string) bool { return slices.Contains(names, p) }) {
		return false
	}
	if len(opts.IncludeTables) > 0 && !match(opts.IncludeTables) {
		return false
	}
	return !match(opts.ExcludeTables)
}

// filter returns from and to reduced to what opts compares: tables that
// pass the patterns, and within them (and among enum types) the objects
// IncludeObject accepts. The schemas given are not modified.
func filter(from, to *schema.Schema, opts Options) (f, t *schema.Schema) {
	f, t = &schema.Schema{Name: from.Name}, &schema.Schema{Name: to.Name}
	var inc func(o Object) bool // nil: every object
	if opts.IncludeObject != nil {
		inc = opts.IncludeObject
	}
	ft, tt := tableMap(from), tableMap(to)
	keep := func(n schema.TableName) bool {
		_, inF := ft[n]
		_, inT := tt[n]
		return opts.Compares(n) && (inc == nil || inc(Object{Kind: ObjectTable, Table: n, Name: n.Name, InFrom: inF, InTo: inT}))
	}
	for _, tb := range from.Tables {
		if keep(tb.TableName()) {
			f.Tables = append(f.Tables, filterTable(tb, tt[tb.TableName()], inc, true))
		}
	}
	for _, tb := range to.Tables {
		if keep(tb.TableName()) {
			t.Tables = append(t.Tables, filterTable(tb, ft[tb.TableName()], inc, false))
		}
	}
	fe, te := enumMap(from), enumMap(to)
	keepEnum := func(e schema.EnumType) bool {
		_, inF := fe[enumKey(e)]
		_, inT := te[enumKey(e)]
		return inc == nil || inc(Object{Kind: ObjectEnum, Table: schema.TableName{Schema: e.Schema}, Name: e.Name, InFrom: inF, InTo: inT})
	}
	for _, e := range from.Enums {
		if keepEnum(e) {
			f.Enums = append(f.Enums, e)
		}
	}
	for _, e := range to.Enums {
		if keepEnum(e) {
			t.Enums = append(t.Enums, e)
		}
	}
	return f, t
}

// filterTable returns a copy of tb without the objects inc rejects;
// other is the table of the same name on the other side (nil when
// there is none) and isFrom says which side tb is on. With no inc it
// returns tb itself.
func filterTable(tb, other *schema.Table, inc func(Object) bool, isFrom bool) *schema.Table {
	if inc == nil {
		return tb // nothing to leave out: the planner copies what it changes
	}
	n := tb.TableName()
	ask := func(kind ObjectKind, name string, inOther bool) bool {
		o := Object{Kind: kind, Table: n, Name: name, InFrom: isFrom || inOther, InTo: !isFrom || inOther}
		return inc(o)
	}
	has := func(kind ObjectKind, name string) bool {
		if other == nil {
			return false
		}
		switch kind {
		case ObjectColumn:
			return other.ColumnIndex(name) >= 0
		case ObjectPrimaryKey:
			return other.PK != nil && other.PK.Name == name
		case ObjectUnique:
			return slices.ContainsFunc(other.Uniques, func(u schema.Unique) bool { return u.Name == name })
		case ObjectForeignKey:
			return slices.ContainsFunc(other.ForeignKeys, func(f schema.ForeignKey) bool { return f.Name == name })
		case ObjectCheck:
			return slices.ContainsFunc(other.Checks, func(c schema.Check) bool { return c.Name == name })
		case ObjectIndex:
			return slices.ContainsFunc(other.Indexes, func(i schema.Index) bool { return i.Name == name })
		}
		return false
	}
	drop := func(kind ObjectKind, name string) bool { return !ask(kind, name, has(kind, name)) }
	c := tb.Clone()
	c.Columns = slices.DeleteFunc(c.Columns, func(x schema.Column) bool { return drop(ObjectColumn, x.Name) })
	if c.PK != nil && drop(ObjectPrimaryKey, c.PK.Name) {
		c.PK = nil
	}
	c.Uniques = slices.DeleteFunc(c.Uniques, func(x schema.Unique) bool { return drop(ObjectUnique, x.Name) })
	c.ForeignKeys = slices.DeleteFunc(c.ForeignKeys, func(x schema.ForeignKey) bool { return drop(ObjectForeignKey, x.Name) })
	c.Checks = slices.DeleteFunc(c.Checks, func(x schema.Check) bool { return drop(ObjectCheck, x.Name) })
	c.Indexes = slices.DeleteFunc(c.Indexes, func(x schema.Index) bool { return drop(ObjectIndex, x.Name) })
	return c
}
