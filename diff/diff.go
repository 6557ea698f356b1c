package diff

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// Compare returns the operations that turn from (the database as it is,
// reflected and normalised) into to (the desired schema, normalised the
// same way), in an order that runs, and the downgrade that turns to back
// into from. See the package documentation for the contract on the two
// schemas, the order of the operations and what is never detected.
//
// It returns an *EnumChangeError when an enum type would lose or reorder
// values, and an error for a malformed table pattern in opts. Neither
// schema is modified: the operations hold copies of the definitions.
func Compare(from, to *schema.Schema, opts Options) (*Result, error) {
	if err := opts.checkPatterns(); err != nil {
		return nil, fmt.Errorf("compare schemas: %w", err)
	}
	if from == nil {
		from = &schema.Schema{}
	}
	if to == nil {
		to = &schema.Schema{}
	}
	f, t := filter(from, to, opts)
	up, err := plan(f, t, opts, false)
	if err != nil {
		return nil, err
	}
	down, err := plan(t, f, opts, true)
	if err != nil {
		return nil, fmt.Errorf("plan the downgrade: %w", err)
	}
	return &Result{Upgrade: up.ops(), Downgrade: down.ops(), Notes: append(up.notes, down.notes...)}, nil
}

// The phases of a plan, in the order their operations run. Within a
// phase, operations are sorted by table and then by object name, except
// that tables are created and dropped in dependency order and columns
// are added in the order the target declares them.
const (
	phCreateEnum = iota
	phAddEnumValue
	phDropFK
	phDropIndex
	phDropCheck
	phDropUnique
	phDropPK
	phDropTable
	phDropColumn
	phAddColumn
	phAlterColumn
	phCreatePK
	phCreateUnique
	phCreateTable
	phCreateCheck
	phCreateIndex
	phCreateFK
	phComment
	phDropEnum
	phases
)

// planner plans one direction: from into to. The downgrade is the plan
// of the other direction (down set), which orders its operations by the
// same rules.
type planner struct {
	from, to   *schema.Schema
	ft, tt     map[schema.TableName]*schema.Table
	fe, te     map[enumID]schema.EnumType
	opts       Options
	down       bool
	phase      [phases][]op.Op
	notes      []Note
	typeChange map[schema.TableName]map[string]bool // columns whose type changes
}

func (p *planner) add(ph int, o op.Op) { p.phase[ph] = append(p.phase[ph], o) }

func (p *planner) note(k NoteKind, t schema.TableName, format string, args ...any) {
	p.notes = append(p.notes, Note{Kind: k, Downgrade: p.down, Table: t, Msg: fmt.Sprintf(format, args...)})
}

func (p *planner) ops() []op.Op {
	var out []op.Op
	for _, ops := range p.phase {
		out = append(out, ops...)
	}
	return out
}

func plan(from, to *schema.Schema, opts Options, down bool) (*planner, error) {
	p := &planner{
		from: from, to: to, opts: opts, down: down,
		ft: tableMap(from), tt: tableMap(to),
		fe: enumMap(from), te: enumMap(to),
		typeChange: map[schema.TableName]map[string]bool{},
	}
	if err := p.enums(); err != nil {
		return nil, err
	}
	var dropped, created, kept []schema.TableName
	for n := range p.ft {
		if _, ok := p.tt[n]; ok {
			kept = append(kept, n)
		} else {
			dropped = append(dropped, n)
		}
	}
	for n := range p.tt {
		if _, ok := p.ft[n]; !ok {
			created = append(created, n)
		}
	}
	for _, s := range [][]schema.TableName{dropped, created, kept} {
		slices.SortFunc(s, compareNames)
	}
	for _, n := range kept {
		p.columnTypes(n)
	}
	for _, n := range kept {
		p.table(n)
	}
	p.dropTables(dropped)
	p.createTables(created)
	p.sortForeignKeys(phDropFK)
	p.sortForeignKeys(phCreateFK)
	if !down {
		p.renames(dropped, created)
	}
	return p, nil
}

// enumID identifies an enum type.
type enumID struct{ schema, name string }

func enumKey(e schema.EnumType) enumID { return enumID{e.Schema, e.Name} }

func enumMap(s *schema.Schema) map[enumID]schema.EnumType {
	m := make(map[enumID]schema.EnumType, len(s.Enums))
	for _, e := range s.Enums {
		m[enumKey(e)] = e
	}
	return m
}

func tableMap(s *schema.Schema) map[schema.TableName]*schema.Table {
	m := make(map[schema.TableName]*schema.Table, len(s.Tables))
	for _, t := range s.Tables {
		m[t.TableName()] = t
	}
	return m
}

func compareNames(a, b schema.TableName) int {
	return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name))
}

func sortedEnums(m map[enumID]schema.EnumType) []schema.EnumType {
	out := make([]schema.EnumType, 0, len(m))
	for _, e := range m {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b schema.EnumType) int {
		return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// enums plans the enum types: created first, new values added after
// them, dropped last. A value removed or moved is an *EnumChangeError in
// the upgrade; in the downgrade (undoing values the upgrade added) it
// is a NoteIrreversible, since PostgreSQL cannot remove a value.
func (p *planner) enums() error {
	for _, e := range sortedEnums(p.te) {
		old, ok := p.fe[enumKey(e)]
		if !ok {
			p.add(phCreateEnum, op.CreateEnum{Enum: cloneEnum(e)})
			continue
		}
		if slices.Equal(old.Values, e.Values) {
			continue
		}
		if !isSubsequence(old.Values, e.Values) {
			var removed []string
			for _, v := range old.Values {
				if !slices.Contains(e.Values, v) {
					removed = append(removed, v)
				}
			}
			if p.down {
				p.note(NoteIrreversible, schema.TableName{}, "enum %s keeps the values (%s): PostgreSQL cannot remove or reorder enum values; to undo by hand, create the type anew (ALTER TYPE … RENAME, CREATE TYPE, ALTER COLUMN … TYPE … USING col::text::type for each column, DROP TYPE)",
					e, joinValues(old.Values))
				continue
			}
			return &EnumChangeError{Enum: cloneEnum(old), Want: slices.Clone(e.Values), Removed: removed, Columns: p.enumColumns(p.from, old)}
		}
		have := slices.Clone(old.Values)
		for i, v := range e.Values {
			if slices.Contains(have, v) {
				continue
			}
			a := op.AddEnumValue{Enum: schema.EnumType{Schema: e.Schema, Name: e.Name}, Value: v}
			switch {
			case i > 0:
				a.After = e.Values[i-1]
			case len(have) > 0:
				a.Before = have[0]
			}
			have = slices.Insert(have, i, v)
			p.add(phAddEnumValue, a)
		}
	}
	for _, e := range sortedEnums(p.fe) {
		if _, ok := p.te[enumKey(e)]; !ok {
			p.add(phDropEnum, op.DropEnum{Enum: cloneEnum(e)})
		}
	}
	return nil
}

func cloneEnum(e schema.EnumType) schema.EnumType { e.Values = slices.Clone(e.Values); return e }

func joinValues(v []string) string {
	s := ""
	for i, x := range v {
		if i > 0 {
			s += ", "
		}
		s += x
	}
	return s
}

// isSubsequence reports whether a's values appear in b in the same order.
func isSubsequence(a, b []string) bool {
	i := 0
	for _, v := range b {
		if i < len(a) && a[i] == v {
			i++
		}
	}
	return i == len(a)
}

// enumColumns returns "table.column" for the columns of s typed e.
func (p *planner) enumColumns(s *schema.Schema, e schema.EnumType) []string {
	var out []string
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			if c.Type.Kind == schema.KindEnum && c.Type.EnumName == e.Name && c.Type.EnumSchema == e.Schema {
				out = append(out, t.TableName().String()+"."+c.Name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// sameType reports whether two columns of one name have the same type:
// the CompareType hook first (given the "from" side's column first in
// the upgrade, the "to" side's in the downgrade: the database's column
// and the desired one, always), then Type.Equal, ignoring the values of
// an enum type that both sides declare as a named type (its values are
// compared as the type's, by enums).
func (p *planner) sameType(a, b schema.Column) bool {
	if p.opts.CompareType != nil {
		x, y := a, b
		if p.down { // the hook sees the database's column first
			x, y = b, a
		}
		if eq, ok := p.opts.CompareType(x, y); ok {
			return eq
		}
	}
	ta, tb := a.Type, b.Type
	if ta.Kind == schema.KindEnum && tb.Kind == schema.KindEnum {
		id := enumID{ta.EnumSchema, ta.EnumName}
		_, inF := p.fe[id]
		_, inT := p.te[id]
		if inF && inT && tb.EnumSchema == ta.EnumSchema && tb.EnumName == ta.EnumName {
			ta.Values, tb.Values = nil, nil
		}
	}
	return ta.Equal(tb)
}

// columnTypes records the columns of table n whose type changes, which
// the foreign keys on them must be dropped and added again around.
func (p *planner) columnTypes(n schema.TableName) {
	f, t := p.ft[n], p.tt[n]
	for _, c := range t.Columns {
		if old, ok := f.Column(c.Name); ok && !p.sameType(old, c) {
			if p.typeChange[n] == nil {
				p.typeChange[n] = map[string]bool{}
			}
			p.typeChange[n][c.Name] = true
		}
	}
}

// refName is the qualified name of the table fk on t refers to.
func refName(t *schema.Table, fk schema.ForeignKey) schema.TableName {
	s := fk.RefSchema
	if s == "" {
		s = t.Schema
	}
	return schema.TableName{Schema: s, Name: fk.RefTable}
}

// keysChange reports whether the keys a foreign key may refer to (the
// primary key and unique constraints) change on the kept table n.
func (p *planner) keysChange(n schema.TableName) bool {
	f, t := p.ft[n], p.tt[n]
	if f == nil || t == nil {
		return false
	}
	pkEq := f.PK == nil && t.PK == nil || f.PK != nil && t.PK != nil && f.PK.Equal(*t.PK)
	return !pkEq || !slices.EqualFunc(sortedBy(f.Uniques, uniqueName), sortedBy(t.Uniques, uniqueName), schema.Unique.Equal)
}

// fkTouched reports whether an unchanged foreign key of the kept table
// t must still be dropped and added again: a column on either end
// changes type, the keys of the table it refers to change, or t loses
// the index the foreign key may be using (indexLost).
func (p *planner) fkTouched(t *schema.Table, fk schema.ForeignKey) bool {
	ref := refName(t, fk)
	for _, c := range fk.Columns {
		if p.typeChange[t.TableName()][c] {
			return true
		}
	}
	for _, c := range fk.RefColumns {
		if p.typeChange[ref][c] {
			return true
		}
	}
	return p.keysChange(ref) || p.indexLost(t.TableName(), fk)
}

// indexLost reports whether the kept table n loses (drops or changes)
// a primary key, unique constraint or index that begins with the
// columns of its foreign key fk while none that begins so stays as it
// is. MySQL refuses to drop the index a foreign key uses; the foreign
// key is then dropped first and added again after.
func (p *planner) indexLost(n schema.TableName, fk schema.ForeignKey) bool {
	f, t := p.ft[n], p.tt[n]
	if f == nil || t == nil {
		return false
	}
	covers := func(cols []string) bool {
		return len(cols) >= len(fk.Columns) && slices.Equal(cols[:len(fk.Columns)], fk.Columns)
	}
	lost := false
	see := func(cols []string, stays bool) {
		if covers(cols) {
			lost = lost || !stays
		}
	}
	kept := func(cols []string, stays bool) bool { return covers(cols) && stays }
	anyKept := false
	if f.PK != nil {
		stays := t.PK != nil && t.PK.Equal(*f.PK)
		see(f.PK.Columns, stays)
		anyKept = anyKept || kept(f.PK.Columns, stays)
	}
	for _, u := range f.Uniques {
		stays := slices.ContainsFunc(t.Uniques, u.Equal)
		see(u.Columns, stays)
		anyKept = anyKept || kept(u.Columns, stays)
	}
	for _, i := range f.Indexes {
		if i.Where != "" || len(i.Columns()) != len(i.Parts) {
			continue // a partial or expression index serves no foreign key
		}
		stays := slices.ContainsFunc(t.Indexes, i.Equal)
		see(i.Columns(), stays)
		anyKept = anyKept || kept(i.Columns(), stays)
	}
	return lost && !anyKept
}

func uniqueName(u schema.Unique) string { return u.Name }
func fkName(f schema.ForeignKey) string { return f.Name }

// checkName keys a check by name; an unnamed one (SQLite keeps no name
// for a check written without one) by its expression.
func checkName(c schema.Check) string {
	if c.Name == "" {
		return "\x00" + c.Expr
	}
	return c.Name
}
func indexName(i schema.Index) string   { return i.Name }
func columnName(c schema.Column) string { return c.Name }
func sortedBy[T any](s []T, key func(T) string) []T {
	out := slices.Clone(s)
	slices.SortStableFunc(out, func(a, b T) int { return cmp.Compare(key(a), key(b)) })
	return out
}

// pair lists the objects of two sides by name: those only in from
// (gone), only in to (new) and in both but different (changed, as
// from's and to's), each sorted by name. same decides "different".
func pair[T any](from, to []T, key func(T) string, same func(a, b T) bool) (gone, added []T, changedFrom, changedTo []T) {
	fm := map[string]T{}
	for _, x := range from {
		fm[key(x)] = x
	}
	tm := map[string]T{}
	for _, x := range to {
		tm[key(x)] = x
	}
	for _, x := range sortedBy(from, key) {
		y, ok := tm[key(x)]
		switch {
		case !ok:
			gone = append(gone, x)
		case !same(x, y):
			changedFrom = append(changedFrom, x)
			changedTo = append(changedTo, y)
		}
	}
	for _, x := range sortedBy(to, key) {
		if _, ok := fm[key(x)]; !ok {
			added = append(added, x)
		}
	}
	return gone, added, changedFrom, changedTo
}

// table plans the changes of a table on both sides.
func (p *planner) table(n schema.TableName) {
	f, t := p.ft[n], p.tt[n]

	// Columns. A column whose generation changes (generated or not, or
	// another expression) is dropped and added again: no ALTER changes
	// it, and its values are computed, so nothing is lost.
	regen := func(name string) bool {
		a, okA := f.Column(name)
		b, okB := t.Column(name)
		return okA && okB && (a.Generated != nil || b.Generated != nil) && !a.Equal(b)
	}
	var gone []string
	for _, c := range f.Columns {
		if t.ColumnIndex(c.Name) < 0 || regen(c.Name) {
			gone = append(gone, c.Name)
		}
	}
	slices.Sort(gone)
	for _, name := range gone {
		c, _ := f.Column(name)
		p.add(phDropColumn, op.DropColumn{Table: n, Column: name, Def: ptr(cloneColumn(c))})
	}
	for _, c := range t.Columns { // in the declared order: each is added last
		if f.ColumnIndex(c.Name) >= 0 && !regen(c.Name) {
			continue
		}
		p.add(phAddColumn, op.AddColumn{Table: n, Column: cloneColumn(c)})
		if !c.Null && c.Def.IsZero() && !c.AutoIncrement && c.Generated == nil {
			p.note(NoteNotNullWithoutDefault, n, "column %s.%s is added NOT NULL without a default: the operation fails on a table that has rows; give it a server default, or add it nullable, fill it and then make it NOT NULL", n, c.Name)
		}
	}
	names := t.ColumnNames()
	slices.Sort(names)
	for _, name := range names {
		old, ok := f.Column(name)
		if !ok || regen(name) {
			continue
		}
		c, _ := t.Column(name)
		p.alterColumn(n, old, c)
	}

	// Primary key.
	pkEq := f.PK == nil && t.PK == nil || f.PK != nil && t.PK != nil && f.PK.Equal(*t.PK)
	if !pkEq {
		if f.PK != nil {
			p.add(phDropPK, op.DropPrimaryKey{Table: n, PrimaryKey: clonePK(*f.PK)})
		}
		if t.PK != nil {
			p.add(phCreatePK, op.CreatePrimaryKey{Table: n, PrimaryKey: clonePK(*t.PK)})
		}
	}

	// Unique constraints.
	ug, ua, ucf, uct := pair(f.Uniques, t.Uniques, uniqueName, schema.Unique.Equal)
	for _, u := range sortedBy(slices.Concat(ug, ucf), uniqueName) {
		p.add(phDropUnique, op.DropUnique{Table: n, Unique: cloneUnique(u)})
	}
	for _, u := range sortedBy(slices.Concat(ua, uct), uniqueName) {
		p.add(phCreateUnique, op.CreateUnique{Table: n, Unique: cloneUnique(u)})
	}

	// Foreign keys: those unchanged but touched by a change of their
	// columns or of the keys they refer to are dropped and added again.
	fg, fa, fcf, fct := pair(f.ForeignKeys, t.ForeignKeys, fkName, func(a, b schema.ForeignKey) bool {
		return a.Equal(b) && !p.fkTouched(f, a)
	})
	for _, fk := range sortedBy(slices.Concat(fg, fcf), fkName) {
		p.add(phDropFK, op.DropForeignKey{Table: n, ForeignKey: cloneFK(fk)})
	}
	for _, fk := range sortedBy(slices.Concat(fa, fct), fkName) {
		p.add(phCreateFK, op.CreateForeignKey{Table: n, ForeignKey: cloneFK(fk)})
	}

	// Checks.
	cg, ca, ccf, cct := pair(f.Checks, t.Checks, checkName, schema.Check.Equal)
	for _, c := range sortedBy(slices.Concat(cg, ccf), checkName) {
		p.add(phDropCheck, op.DropCheck{Table: n, Check: c})
	}
	for _, c := range sortedBy(slices.Concat(ca, cct), checkName) {
		p.add(phCreateCheck, op.CreateCheck{Table: n, Check: c})
	}

	// Indexes.
	ig, ia, icf, ict := pair(f.Indexes, t.Indexes, indexName, schema.Index.Equal)
	for _, i := range sortedBy(slices.Concat(ig, icf), indexName) {
		p.add(phDropIndex, op.DropIndex{Table: n, Index: cloneIndex(i)})
	}
	for _, i := range sortedBy(slices.Concat(ia, ict), indexName) {
		p.add(phCreateIndex, op.CreateIndex{Table: n, Index: cloneIndex(i)})
	}

	// Comment and options.
	if f.Comment != t.Comment {
		p.add(phComment, op.SetTableComment{Table: n, Comment: t.Comment, Existing: ptr(f.Comment)})
	}
	if f.Ext != t.Ext {
		p.note(NoteNotGenerated, n, "table %s: its options differ (%+v, wanted %+v) and no operation changes them: change them by hand", n, f.Ext, t.Ext)
	}
}

// alterColumn plans the change of a column that both sides have.
func (p *planner) alterColumn(n schema.TableName, old, c schema.Column) {
	a := op.AlterColumn{Table: n, Column: c.Name}
	changed := false
	if !p.sameType(old, c) {
		a.Type, changed = ptr(cloneType(c.Type)), true
	}
	if old.Null != c.Null {
		a.Null, changed = ptr(c.Null), true
	}
	if !old.Def.Equal(c.Def) {
		a.Default, changed = ptr(c.Def), true
	}
	if old.Comment != c.Comment {
		a.Comment, changed = ptr(c.Comment), true
	}
	if old.AutoIncrement != c.AutoIncrement {
		verb := "gains"
		if old.AutoIncrement {
			verb = "loses"
		}
		p.note(NoteNotGenerated, n, "column %s.%s %s its identity (auto-increment), which no operation changes: change it by hand", n, c.Name, verb)
	}
	if changed {
		a.Existing = ptr(cloneColumn(old))
		p.add(phAlterColumn, a)
	}
}

// createTables plans the tables only to has: each created after the
// tables it refers to, the foreign keys that close a cycle among them
// added once all exist.
func (p *planner) createTables(names []schema.TableName) {
	order, cyclic := dependencyOrder(p.tt, names)
	for _, n := range order {
		t := cloneTable(p.tt[n])
		var later []schema.ForeignKey
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool {
			if cyclic[n][fk.Name] {
				later = append(later, fk)
				return true
			}
			return false
		})
		p.add(phCreateTable, op.CreateTable{Table: t})
		for _, fk := range sortedBy(later, fkName) {
			p.add(phCreateFK, op.CreateForeignKey{Table: n, ForeignKey: cloneFK(fk)})
		}
	}
}

// dropTables plans the tables only from has: the foreign keys of a
// cycle among them, and those that refer to a key or column about to
// change on a table that stays, dropped first, then each table dropped before the
// tables it refers to. DropTable carries the definition as it is when
// it is dropped, so that it can be created again.
func (p *planner) dropTables(names []schema.TableName) {
	order, cyclic := dependencyOrder(p.ft, names)
	for _, n := range slices.Backward(order) {
		t := cloneTable(p.ft[n])
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool {
			if cyclic[n][fk.Name] || p.fkTouched(t, fk) {
				p.add(phDropFK, op.DropForeignKey{Table: n, ForeignKey: cloneFK(fk)})
				return true
			}
			return false
		})
		p.add(phDropTable, op.DropTable{Table: n, Def: t})
	}
}

// sortForeignKeys sorts the foreign key operations of phase ph by table
// and name, which come from the tables that stay and from the tables
// created or dropped, in two passes.
func (p *planner) sortForeignKeys(ph int) {
	key := func(o op.Op) (schema.TableName, string) {
		switch x := o.(type) {
		case op.DropForeignKey:
			return x.Table, x.ForeignKey.Name
		case op.CreateForeignKey:
			return x.Table, x.ForeignKey.Name
		}
		return schema.TableName{}, ""
	}
	slices.SortStableFunc(p.phase[ph], func(a, b op.Op) int {
		ta, na := key(a)
		tb, nb := key(b)
		return cmp.Or(compareNames(ta, tb), cmp.Compare(na, nb))
	})
}

// renames notes the dropped and added columns, and the dropped and
// created tables, of one definition: possible renames, never guessed.
func (p *planner) renames(dropped, created []schema.TableName) {
	for _, d := range dropped {
		for _, c := range created {
			if d.Schema == c.Schema && slices.EqualFunc(p.ft[d].Columns, p.tt[c].Columns, p.sameColumn) {
				p.note(NoteRename, d, "table %s is dropped and table %s created with the same columns: if it is a rename, replace the drop and the create by op.RenameTable{Table: %s, NewName: %q}, which keeps the rows", d, c, d, c.Name)
			}
		}
	}
	for _, o := range p.phase[phDropColumn] {
		dc := o.(op.DropColumn)
		for _, a := range p.phase[phAddColumn] {
			ac := a.(op.AddColumn)
			if ac.Table == dc.Table && p.sameShape(*dc.Def, ac.Column) {
				p.note(NoteRename, dc.Table, "column %s.%s is dropped and column %s added with the same definition: if it is a rename, replace the drop and the add by op.AlterColumn{Column: %q, NewName: %q}, which keeps the data", dc.Table, dc.Column, ac.Column.Name, dc.Column, ac.Column.Name)
			}
		}
	}
}

// sameShape reports whether columns a and b have the same definition
// but for their names.
func (p *planner) sameShape(a, b schema.Column) bool {
	return p.sameType(a, b) && a.Null == b.Null && a.Def.Equal(b.Def) && a.AutoIncrement == b.AutoIncrement && a.Comment == b.Comment
}

// sameColumn reports whether a and b are the same column.
func (p *planner) sameColumn(a, b schema.Column) bool { return a.Name == b.Name && p.sameShape(a, b) }
