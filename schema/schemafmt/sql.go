package schemafmt

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// Ops returns the operations that create s on an empty database, in an
// order that runs:
//
//  1. op.CreateEnum for every enum type: those of s.Enums and those its
//     Enum columns name that s.Enums does not hold, sorted by schema and
//     name (dialects without enum types render nothing for them);
//  2. op.CreateTable for every table, each after the tables its foreign
//     keys refer to, ties broken by schema and name; a table carries its
//     columns, keys, constraints, indexes and comments, and the foreign
//     keys that refer to a table created before it or to itself;
//  3. op.CreateForeignKey for each foreign key that closes a cycle of
//     references, once every table exists.
//
// Indexes and comments stay in their CreateTable, which each dialect
// writes the way it must: MySQL declares indexes and comments inside
// CREATE TABLE (a foreign key then uses its table's index, where a
// CREATE INDEX after it would find the index MySQL made for the key
// under the same name), PostgreSQL and SQLite follow CREATE TABLE with
// CREATE INDEX, and PostgreSQL with COMMENT ON. A foreign key to a table
// that s does not hold is left in its table.
func Ops(s *schema.Schema) []op.Op { return ops(s, true) }

// ops builds the operations of Ops; with split false every foreign key
// stays in its table, for dialects whose CREATE TABLE may refer to a
// table created later (SQLite).
func ops(s *schema.Schema, split bool) []op.Op {
	var out []op.Op
	for _, e := range enumTypes(s) {
		out = append(out, op.CreateEnum{Enum: e})
	}
	order, cycle := dependencyOrder(s.Tables)
	var later []op.Op
	for _, t := range order {
		ct := t.Clone()
		if split && len(cycle[t]) > 0 {
			ct.ForeignKeys = nil
			for i, fk := range t.ForeignKeys {
				if slices.Contains(cycle[t], i) {
					later = append(later, op.CreateForeignKey{Table: t.TableName(), ForeignKey: fk})
				} else {
					ct.ForeignKeys = append(ct.ForeignKeys, fk)
				}
			}
		}
		out = append(out, op.CreateTable{Table: ct})
	}
	return append(out, later...)
}

// enumTypes returns the enum types of s and those its columns name that
// s.Enums does not hold, sorted by schema and name.
func enumTypes(s *schema.Schema) []schema.EnumType {
	key := func(e schema.EnumType) schema.TableName { return schema.TableName{Schema: e.Schema, Name: e.Name} }
	seen := map[schema.TableName]bool{}
	var out []schema.EnumType
	for _, e := range s.Enums {
		if !seen[key(e)] {
			seen[key(e)] = true
			out = append(out, e)
		}
	}
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			if e, ok := c.Type.EnumType(); ok && e.Name != "" && !seen[key(e)] {
				seen[key(e)] = true
				out = append(out, e)
			}
		}
	}
	return sortedEnums(out)
}

// dependencyOrder returns the tables so that each comes after the tables
// its foreign keys refer to, visiting them by schema and name, and for
// each table the positions of its foreign keys that refer back to a table
// still being visited: the keys that close a cycle. A table's references
// to itself are no dependency.
func dependencyOrder(tables []*schema.Table) ([]*schema.Table, map[*schema.Table][]int) {
	byName := map[schema.TableName]*schema.Table{}
	for _, t := range tables {
		byName[t.TableName()] = t
	}
	const (
		visiting = 1
		done     = 2
	)
	state := map[*schema.Table]int{}
	cycle := map[*schema.Table][]int{}
	var order []*schema.Table
	var visit func(t *schema.Table)
	visit = func(t *schema.Table) {
		state[t] = visiting
		for i, fk := range t.ForeignKeys {
			ref := fk.RefTableName()
			if ref.Schema == "" {
				ref.Schema = t.Schema
			}
			u, ok := byName[ref]
			if !ok || u == t {
				continue
			}
			switch state[u] {
			case 0:
				visit(u)
			case visiting:
				cycle[t] = append(cycle[t], i)
			}
		}
		state[t] = done
		order = append(order, t)
	}
	for _, t := range sortedTables(tables) {
		if state[t] == 0 {
			visit(t)
		}
	}
	return order, cycle
}

// SQLOptions are the options of SQL.
type SQLOptions struct {
	// Naming names the constraints and indexes that have no name; the
	// zero Naming is schema.DefaultNaming(). A reflected schema names
	// them all.
	Naming schema.Naming
}

// SQL returns s as d's DDL: the statements of Ops rendered offline by
// d (dialect.RenderOp without a Querier), each as d writes a statement
// of an offline script (ScriptStatement, with its terminator), the
// operations separated by a blank line, after the statements a script
// of d opens with (dialect.ScriptPreambler). Where d cannot add a foreign
// key to an existing table offline (SQLite, whose ALTER TABLE has no ADD
// CONSTRAINT), the keys that close a cycle stay in their CREATE TABLE,
// which SQLite allows. An operation d cannot render is an error naming
// it.
func SQL(ctx context.Context, d dialect.Dialect, s *schema.Schema, opts SQLOptions) (string, error) {
	if s == nil {
		return "", errors.New("render schema as SQL: no schema")
	}
	naming := opts.Naming
	if naming == (schema.Naming{}) {
		naming = schema.DefaultNaming()
	}
	rc := dialect.RenderContext{Naming: naming}
	list := ops(s, true)
	if !addsForeignKeys(ctx, rc, d, list) {
		list = ops(s, false)
	}
	var b strings.Builder
	if p := dialect.Probe(d).ScriptPreambler; p != nil {
		for _, st := range p.ScriptPreamble() {
			b.WriteString(st + "\n")
		}
		b.WriteString("\n")
	}
	first := true
	for _, o := range list {
		stmts, err := dialect.RenderOp(ctx, rc, d, o)
		if err != nil {
			return "", fmt.Errorf("render schema as %s SQL: %w", d.Name(), err)
		}
		if len(stmts) == 0 {
			continue
		}
		if !first {
			b.WriteString("\n")
		}
		first = false
		for _, st := range stmts {
			if st.Comment != "" {
				for _, l := range strings.Split(st.Comment, "\n") {
					b.WriteString(strings.TrimRight("-- "+l, " ") + "\n")
				}
			}
			b.WriteString(d.ScriptStatement(st.SQL) + "\n")
		}
	}
	return b.String(), nil
}

// addsForeignKeys reports whether d renders the first CreateForeignKey of
// list offline; true when there is none. A dialect that needs the
// table's definition for it (SQLite's move and copy) does not.
func addsForeignKeys(ctx context.Context, rc dialect.RenderContext, d dialect.Dialect, list []op.Op) bool {
	for _, o := range list {
		if fk, ok := o.(op.CreateForeignKey); ok {
			_, err := dialect.RenderOp(ctx, rc, d, fk)
			return !errors.Is(err, dialect.ErrNeedExisting) && !errors.Is(err, dialect.ErrUnsupported)
		}
	}
	return true
}
