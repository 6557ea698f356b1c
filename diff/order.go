package diff

import (
	"maps"
	"slices"

	"github.com/retortdb/retort/schema"
)

// dependencyOrder orders names (sorted, all keys of tables) so that each
// table comes after the tables among names that its foreign keys refer
// to, ties broken by name. A foreign key between two tables of one cycle
// (a strongly connected component of more than one table) cannot be
// honoured by any order: it is returned in cyclic (by table, then
// foreign key name) and left out of the ordering, to be added once both
// tables exist (or dropped before either goes). A table referring to
// itself needs no order and stays as it is.
func dependencyOrder(tables map[schema.TableName]*schema.Table, names []schema.TableName) (order []schema.TableName, cyclic map[schema.TableName]map[string]bool) {
	in := make(map[schema.TableName]bool, len(names))
	for _, n := range names {
		in[n] = true
	}
	// deps[n]: the tables among names that n refers to, sorted.
	deps := make(map[schema.TableName][]schema.TableName, len(names))
	for _, n := range names {
		for _, fk := range tables[n].ForeignKeys {
			r := refName(tables[n], fk)
			if r != n && in[r] && !slices.Contains(deps[n], r) {
				deps[n] = append(deps[n], r)
			}
		}
		slices.SortFunc(deps[n], compareNames)
	}
	comp := components(names, deps)
	cyclic = map[schema.TableName]map[string]bool{}
	for _, n := range names {
		for _, fk := range tables[n].ForeignKeys {
			r := refName(tables[n], fk)
			if r != n && in[r] && comp[r] == comp[n] {
				if cyclic[n] == nil {
					cyclic[n] = map[string]bool{}
				}
				cyclic[n][fk.Name] = true
			}
		}
	}
	// Kahn's algorithm over the edges between components, the ready
	// table of smallest name first.
	waiting := make(map[schema.TableName]int, len(names))
	users := map[schema.TableName][]schema.TableName{}
	for _, n := range names {
		for _, r := range deps[n] {
			if comp[r] != comp[n] {
				waiting[n]++
				users[r] = append(users[r], n)
			}
		}
	}
	var ready []schema.TableName
	for _, n := range names {
		if waiting[n] == 0 {
			ready = append(ready, n)
		}
	}
	for len(ready) > 0 {
		n := ready[0]
		ready = ready[1:]
		order = append(order, n)
		for _, u := range users[n] {
			waiting[u]--
			if waiting[u] == 0 {
				i, _ := slices.BinarySearchFunc(ready, u, compareNames)
				ready = slices.Insert(ready, i, u)
			}
		}
	}
	return order, cyclic
}

// components numbers the strongly connected components of the graph
// (Tarjan's algorithm): two tables have one number when each refers to
// the other, directly or through others.
func components(names []schema.TableName, deps map[schema.TableName][]schema.TableName) map[schema.TableName]int {
	index := map[schema.TableName]int{}
	low := map[schema.TableName]int{}
	onStack := map[schema.TableName]bool{}
	comp := map[schema.TableName]int{}
	var stack []schema.TableName
	next, ncomp := 0, 0
	var visit func(n schema.TableName)
	visit = func(n schema.TableName) {
		index[n], low[n] = next, next
		next++
		stack = append(stack, n)
		onStack[n] = true
		for _, r := range deps[n] {
			if _, seen := index[r]; !seen {
				visit(r)
				low[n] = min(low[n], low[r])
			} else if onStack[r] {
				low[n] = min(low[n], index[r])
			}
		}
		if low[n] == index[n] {
			for {
				m := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[m] = false
				comp[m] = ncomp
				if m == n {
					break
				}
			}
			ncomp++
		}
	}
	for _, n := range names {
		if _, seen := index[n]; !seen {
			visit(n)
		}
	}
	return comp
}

func ptr[T any](v T) *T { return &v }

func cloneType(t schema.Type) schema.Type {
	t.Values = slices.Clone(t.Values)
	t.Raw = maps.Clone(t.Raw)
	return t
}

// cloneTable is a deep copy of t, column types included.
func cloneTable(t *schema.Table) *schema.Table {
	c := t.Clone()
	for i := range c.Columns {
		c.Columns[i] = cloneColumn(c.Columns[i])
	}
	return c
}

func cloneColumn(c schema.Column) schema.Column {
	c.Type = cloneType(c.Type)
	if c.Generated != nil {
		g := *c.Generated
		c.Generated = &g
	}
	return c
}

func clonePK(pk schema.PrimaryKey) schema.PrimaryKey {
	pk.Columns = slices.Clone(pk.Columns)
	return pk
}

func cloneUnique(u schema.Unique) schema.Unique { u.Columns = slices.Clone(u.Columns); return u }

func cloneFK(fk schema.ForeignKey) schema.ForeignKey {
	fk.Columns, fk.RefColumns = slices.Clone(fk.Columns), slices.Clone(fk.RefColumns)
	return fk
}

func cloneIndex(i schema.Index) schema.Index { i.Parts = slices.Clone(i.Parts); return i }
