package schema

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrInvalid is matched (errors.Is) by every *ValidationError.
var ErrInvalid = errors.New("invalid schema")

// ValidationError is one problem Validate found. Table and, when the
// problem concerns one, Column name where it is.
type ValidationError struct {
	Table  string
	Column string
	Msg    string
}

func (e *ValidationError) Error() string {
	s := "table " + quoteName(e.Table)
	if e.Column != "" {
		s += ": column " + quoteName(e.Column)
	}
	return s + ": " + e.Msg
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

func quoteName(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

// Validate checks the table and returns every problem found, joined
// (errors.Join), each a *ValidationError naming the table and column:
// empty table or column names, no columns, duplicate columns, invalid
// types (String without length, Enum without values, …), identity on a
// non-integer or nullable column or on more than one column, empty
// default expressions, keys, constraints and indexes that are empty or
// name unknown columns, nullable primary-key columns, foreign keys whose
// column counts differ, checks without expression or without name and
// label. It returns nil for a valid table.
func (t *Table) Validate() error {
	name := t.TableName().String()
	var errs []error
	bad := func(col, format string, args ...any) {
		errs = append(errs, &ValidationError{Table: name, Column: col, Msg: fmt.Sprintf(format, args...)})
	}
	if t.Name == "" {
		bad("", "empty table name")
	}
	if len(t.Columns) == 0 {
		bad("", "no columns")
	}
	seen := map[string]bool{}
	identities := 0
	for i, c := range t.Columns {
		if c.Name == "" {
			bad("", "column %d has an empty name", i+1)
			continue
		}
		if seen[c.Name] {
			bad(c.Name, "duplicate column")
		}
		seen[c.Name] = true
		if err := c.Type.validate(); err != "" {
			bad(c.Name, "%s", err)
		}
		if g := c.Generated; g != nil {
			switch {
			case strings.TrimSpace(g.Expr) == "":
				bad(c.Name, "generated column has an empty expression")
			case !c.Def.IsZero():
				bad(c.Name, "generated column has a default")
			case c.AutoIncrement:
				bad(c.Name, "generated column is an identity")
			}
		}
		if c.AutoIncrement {
			identities++
			if !c.Type.IsInteger() {
				bad(c.Name, "identity on non-integer type %s", c.Type)
			}
			if c.Null {
				bad(c.Name, "identity column is nullable")
			}
			if !c.Def.IsZero() {
				bad(c.Name, "identity column has a default")
			}
		}
		if c.Def.Kind == DefaultExpr && c.Def.Expr == "" {
			bad(c.Name, "empty default expression")
		}
	}
	if identities > 1 {
		bad("", "%d identity columns, at most one allowed", identities)
	}
	cols := func(what string, list []string) {
		if len(list) == 0 {
			bad("", "%s has no columns", what)
		}
		dup := map[string]bool{}
		for _, c := range list {
			if !seen[c] {
				bad(c, "unknown column in %s", what)
			}
			if dup[c] {
				bad(c, "column listed twice in %s", what)
			}
			dup[c] = true
		}
	}
	if t.PK != nil {
		cols(describe("primary key", t.PK.Name), t.PK.Columns)
		for _, c := range t.PK.Columns {
			if col, ok := t.Column(c); ok && col.Null {
				bad(c, "primary-key column is nullable")
			}
		}
	}
	for _, u := range t.Uniques {
		cols(describe("unique constraint", u.Name), u.Columns)
	}
	for _, fk := range t.ForeignKeys {
		what := describe("foreign key", fk.Name)
		cols(what, fk.Columns)
		if fk.RefTable == "" {
			bad("", "%s has no referred table", what)
		}
		if len(fk.RefColumns) != len(fk.Columns) {
			bad("", "%s has %d columns but %d referred columns", what, len(fk.Columns), len(fk.RefColumns))
		}
		for _, a := range []Action{fk.OnDelete, fk.OnUpdate} {
			if !validAction(a) {
				bad("", "%s has unknown referential action %q", what, a)
			}
		}
		switch fk.Deferral {
		case NotDeferrable, DeferrableImmediate, DeferrableDeferred:
		default:
			bad("", "%s has unknown deferral %q", what, fk.Deferral)
		}
	}
	for _, c := range t.Checks {
		what := describe("check", c.Name)
		if c.Expr == "" {
			bad("", "%s has an empty expression", what)
		}
	}
	for _, idx := range t.Indexes {
		what := describe("index", idx.Name)
		if len(idx.Parts) == 0 {
			bad("", "%s has no columns", what)
		}
		for _, p := range idx.Parts {
			switch {
			case p.Column == "" && p.Expr == "":
				bad("", "%s has an empty element", what)
			case p.Column != "" && p.Expr != "":
				bad(p.Column, "%s element has both a column and an expression", what)
			case p.Column != "" && !seen[p.Column]:
				bad(p.Column, "unknown column in %s", what)
			}
		}
		for _, c := range idx.Include {
			if !seen[c] {
				bad(c, "unknown column included in %s", what)
			}
		}
	}
	return errors.Join(errs...)
}

func describe(what, name string) string {
	if name == "" {
		return what
	}
	return what + " " + name
}

func validAction(a Action) bool {
	return slices.Contains([]Action{"", NoAction, Restrict, Cascade, SetNull, SetDefault}, a)
}

// validate returns what is wrong with t, "" when nothing.
func (t Type) validate() string {
	switch t.Kind {
	case KindInvalid:
		return "no type"
	case KindString:
		if t.Length <= 0 {
			return fmt.Sprintf("String(%d): length must be positive (use Text for unbounded)", t.Length)
		}
	case KindNumeric:
		if t.Precision < 0 || t.Scale < 0 || t.Scale > t.Precision {
			return fmt.Sprintf("Numeric(%d,%d): need 0 <= scale <= precision", t.Precision, t.Scale)
		}
	case KindEnum:
		// A name is optional: MySQL and SQLite keep an enum inline in its
		// column, and report none; PostgreSQL's renderer asks for one.
		what := "Enum"
		if t.EnumName != "" {
			what += " " + t.EnumName
		}
		if len(t.Values) == 0 {
			return what + " without values"
		}
		seen := map[string]bool{}
		for _, v := range t.Values {
			if v == "" {
				return what + " has an empty value"
			}
			if seen[v] {
				return fmt.Sprintf("%s lists %q twice", what, v)
			}
			seen[v] = true
		}
	case KindRaw:
		if len(t.Raw) == 0 {
			return "Raw type without SQL text"
		}
	default:
		if t.Kind < 0 || t.Kind > KindRaw {
			return fmt.Sprintf("unknown type %s", t.Kind)
		}
	}
	return ""
}
