package dialecttest

import (
	"fmt"
	"slices"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// Apply applies one operation to the declared schema s, as the database
// would to its catalog, for tests that compare an inspected database
// with what the cases declare. Constraints and indexes are named by the
// default convention, fitted to lim, when they are created, so that a
// table rename keeps them as the database does. Execute changes nothing
// (the cases' Execute statements touch data or create a schema). An
// operation it does not know is an error.
func Apply(s *schema.Schema, o op.Op, lim schema.Limit) error {
	n := schema.DefaultNaming()
	find := func(name schema.TableName) (*schema.Table, error) {
		for _, t := range s.Tables {
			if t.TableName() == name {
				return t, nil
			}
		}
		return nil, fmt.Errorf("no table %s in the model", name)
	}
	col := func(t *schema.Table, name string) (*schema.Column, error) {
		i := t.ColumnIndex(name)
		if i < 0 {
			return nil, fmt.Errorf("no column %s in %s", name, t.Name)
		}
		return &t.Columns[i], nil
	}
	name := func(t *schema.Table, c schema.Constraint) string {
		nm, err := n.Resolve(t.Name, c, lim)
		if err != nil {
			panic(err)
		}
		return nm
	}
	tableOf := func(tn schema.TableName, f func(t *schema.Table) error) error {
		t, err := find(tn)
		if err != nil {
			return err
		}
		return f(t)
	}
	enumIs := func(t schema.Type, e schema.EnumType) bool {
		return t.Kind == schema.KindEnum && t.EnumName == e.Name && t.EnumSchema == e.Schema
	}
	switch x := o.(type) {
	case op.CreateTable:
		t, err := n.Apply(x.Table, lim)
		if err != nil {
			return err
		}
		for i := range t.Checks {
			t.Checks[i].Label = ""
		}
		s.Tables = append(s.Tables, t)
	case op.DropTable:
		if _, err := find(x.Table); err != nil {
			return err
		}
		s.Tables = slices.DeleteFunc(s.Tables, func(t *schema.Table) bool { return t.TableName() == x.Table })
	case op.RenameTable:
		return tableOf(x.Table, func(t *schema.Table) error { t.Name = x.NewName; return nil })
	case op.AddColumn:
		return tableOf(x.Table, func(t *schema.Table) error { t.Columns = append(t.Columns, x.Column); return nil })
	case op.DropColumn:
		return tableOf(x.Table, func(t *schema.Table) error {
			if _, err := col(t, x.Column); err != nil {
				return err
			}
			t.Columns = slices.DeleteFunc(t.Columns, func(c schema.Column) bool { return c.Name == x.Column })
			t.Indexes = slices.DeleteFunc(t.Indexes, func(idx schema.Index) bool { return slices.Contains(idx.Columns(), x.Column) })
			return nil
		})
	case op.AlterColumn:
		return tableOf(x.Table, func(t *schema.Table) error {
			c, err := col(t, x.Column)
			if err != nil {
				return err
			}
			if x.Type != nil {
				c.Type = *x.Type
			}
			if x.Null != nil {
				c.Null = *x.Null
			}
			if x.Default != nil {
				c.Def = *x.Default
			}
			if x.Comment != nil {
				c.Comment = *x.Comment
			}
			if x.NewName != "" && x.NewName != x.Column {
				schema.RenameColumnRefs(t, x.Column, x.NewName)
				c.Name = x.NewName
			}
			return nil
		})
	case op.SetColumnComment:
		return tableOf(x.Table, func(t *schema.Table) error {
			c, err := col(t, x.Column)
			if err != nil {
				return err
			}
			c.Comment = x.Comment
			return nil
		})
	case op.SetTableComment:
		return tableOf(x.Table, func(t *schema.Table) error { t.Comment = x.Comment; return nil })
	case op.CreateIndex:
		return tableOf(x.Table, func(t *schema.Table) error {
			idx := x.Index
			idx.Name = name(t, idx)
			t.Indexes = append(t.Indexes, idx)
			return nil
		})
	case op.DropIndex:
		return tableOf(x.Table, func(t *schema.Table) error {
			nm := name(t, x.Index)
			t.Indexes = slices.DeleteFunc(t.Indexes, func(i schema.Index) bool { return i.Name == nm })
			return nil
		})
	case op.CreatePrimaryKey:
		return tableOf(x.Table, func(t *schema.Table) error {
			pk := x.PrimaryKey
			pk.Name = name(t, pk)
			t.PK = &pk
			return nil
		})
	case op.DropPrimaryKey:
		return tableOf(x.Table, func(t *schema.Table) error { t.PK = nil; return nil })
	case op.CreateUnique:
		return tableOf(x.Table, func(t *schema.Table) error {
			u := x.Unique
			u.Name = name(t, u)
			t.Uniques = append(t.Uniques, u)
			return nil
		})
	case op.DropUnique:
		return tableOf(x.Table, func(t *schema.Table) error {
			nm := name(t, x.Unique)
			t.Uniques = slices.DeleteFunc(t.Uniques, func(u schema.Unique) bool { return u.Name == nm })
			return nil
		})
	case op.CreateForeignKey:
		return tableOf(x.Table, func(t *schema.Table) error {
			fk := x.ForeignKey
			fk.Name = name(t, fk)
			t.ForeignKeys = append(t.ForeignKeys, fk)
			return nil
		})
	case op.DropForeignKey:
		return tableOf(x.Table, func(t *schema.Table) error {
			nm := name(t, x.ForeignKey)
			t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(f schema.ForeignKey) bool { return f.Name == nm })
			return nil
		})
	case op.CreateCheck:
		return tableOf(x.Table, func(t *schema.Table) error {
			ck := x.Check
			ck.Name, ck.Label = name(t, ck), ""
			t.Checks = append(t.Checks, ck)
			return nil
		})
	case op.DropCheck:
		return tableOf(x.Table, func(t *schema.Table) error {
			nm := name(t, x.Check)
			t.Checks = slices.DeleteFunc(t.Checks, func(c schema.Check) bool { return c.Name == nm })
			return nil
		})
	case op.CreateEnum:
		s.Enums = append(s.Enums, schema.EnumType{Schema: x.Enum.Schema, Name: x.Enum.Name, Values: slices.Clone(x.Enum.Values)})
	case op.DropEnum:
		s.Enums = slices.DeleteFunc(s.Enums, func(e schema.EnumType) bool { return e.Schema == x.Enum.Schema && e.Name == x.Enum.Name })
	case op.AddEnumValue:
		i := slices.IndexFunc(s.Enums, func(e schema.EnumType) bool { return e.Schema == x.Enum.Schema && e.Name == x.Enum.Name })
		if i < 0 {
			return fmt.Errorf("no enum %s in the model", x.Enum)
		}
		vals := s.Enums[i].Values
		at := len(vals)
		if x.Before != "" {
			at = slices.Index(vals, x.Before)
		} else if x.After != "" {
			at = slices.Index(vals, x.After) + 1
		}
		if at < 0 {
			return fmt.Errorf("enum %s has no value %q", x.Enum, x.Before)
		}
		vals = slices.Insert(slices.Clone(vals), at, x.Value)
		s.Enums[i].Values = vals
		for _, t := range s.Tables {
			for j := range t.Columns {
				if enumIs(t.Columns[j].Type, s.Enums[i]) {
					t.Columns[j].Type.Values = vals
				}
			}
		}
	case op.Batch:
		for _, inner := range x.Ops {
			if err := Apply(s, inner, lim); err != nil {
				return err
			}
		}
	case op.Execute:
	default:
		return fmt.Errorf("the model does not apply %T: add it to dialecttest.Apply", o)
	}
	return nil
}
