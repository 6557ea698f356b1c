package schema

import (
	"errors"
	"fmt"
	"strings"
)

// Naming is a naming convention: one template per kind of named object,
// with SQLAlchemy's tokens, so that every constraint and index gets a
// name retort chose (never one the database made up) and can be dropped
// later on every dialect by computing the same name again.
//
// Tokens:
//
//	%(table_name)s          the table name (alias %(table)s)
//	%(column_0_name)s       the first column
//	%(column_0_N_name)s     all columns joined by "_" (alias %(column)s)
//	%(column_0N_name)s      all columns joined without separator
//	%(referred_table_name)s the referred table of a foreign key
//	%(constraint_name)s     a check's short label
//	%%                      a percent sign
//
// An expression part of an index stands in the column tokens as the
// expression reduced to lower-case letters, digits and single
// underscores ("lower(email)" → "lower_email").
type Naming struct {
	Index      string
	Unique     string
	ForeignKey string
	Check      string
	PrimaryKey string
}

// DefaultNaming returns retort's default convention, Alembic's
// recommended one with all columns:
//
//	ix_%(table_name)s_%(column_0_N_name)s
//	uq_%(table_name)s_%(column_0_N_name)s
//	fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s
//	ck_%(table_name)s_%(constraint_name)s
//	pk_%(table_name)s
func DefaultNaming() Naming {
	return Naming{
		Index:      "ix_%(table_name)s_%(column_0_N_name)s",
		Unique:     "uq_%(table_name)s_%(column_0_N_name)s",
		ForeignKey: "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
		Check:      "ck_%(table_name)s_%(constraint_name)s",
		PrimaryKey: "pk_%(table_name)s",
	}
}

// Constraint is what Naming names: PrimaryKey, Unique, ForeignKey, Check
// and Index. The set is closed.
type Constraint interface {
	// ExplicitName is the name the user gave, "" when none.
	ExplicitName() string
	// ConstraintKind is "pk", "uq", "fk", "ck" or "ix", as in SQLAlchemy's
	// naming_convention keys.
	ConstraintKind() string
	constraint()
}

func (pk PrimaryKey) ExplicitName() string { return pk.Name }
func (u Unique) ExplicitName() string      { return u.Name }
func (fk ForeignKey) ExplicitName() string { return fk.Name }
func (c Check) ExplicitName() string       { return c.Name }
func (idx Index) ExplicitName() string     { return idx.Name }
func (PrimaryKey) ConstraintKind() string  { return "pk" }
func (Unique) ConstraintKind() string      { return "uq" }
func (ForeignKey) ConstraintKind() string  { return "fk" }
func (Check) ConstraintKind() string       { return "ck" }
func (Index) ConstraintKind() string       { return "ix" }
func (PrimaryKey) constraint()             {}
func (Unique) constraint()                 {}
func (ForeignKey) constraint()             {}
func (Check) constraint()                  {}
func (Index) constraint()                  {}

// ErrNaming is wrapped by errors from Naming: a template with an unknown
// token, a kind without a template, a check with neither name nor label.
var ErrNaming = errors.New("naming convention")

// Name returns c's name on the table: its explicit name when it has one
// (generated false), else the name the convention makes (generated true).
// The name is not yet fitted to a dialect's identifier limit: see Resolve.
func (n Naming) Name(table string, c Constraint) (name string, generated bool, err error) {
	if x := c.ExplicitName(); x != "" {
		return x, false, nil
	}
	var tmpl, label, ref string
	var parts []IndexPart
	switch c := c.(type) {
	case PrimaryKey:
		tmpl, parts = n.PrimaryKey, colParts(c.Columns)
	case Unique:
		tmpl, parts = n.Unique, colParts(c.Columns)
	case ForeignKey:
		tmpl, parts, ref = n.ForeignKey, colParts(c.Columns), c.RefTable
	case Check:
		if c.Label == "" {
			// Unnamed: the database names it (PostgreSQL t_col_check,
			// MySQL t_chk_N; SQLite keeps none), as in hand-written DDL.
			return "", false, nil
		}
		tmpl, label = n.Check, c.Label
	case Index:
		tmpl, parts = n.Index, c.Parts
	}
	if tmpl == "" {
		return "", false, fmt.Errorf("%w: no template for %q (table %s)", ErrNaming, c.ConstraintKind(), table)
	}
	name, err = expand(tmpl, table, parts, ref, label)
	if err != nil {
		return "", false, err
	}
	return name, true, nil
}

// Resolve returns c's name on the table fitted to the limit: a generated
// name is shortened with a hash suffix (Limit.Fit), an explicit name that
// is too long is an *IdentTooLongError.
func (n Naming) Resolve(table string, c Constraint, lim Limit) (string, error) {
	name, gen, err := n.Name(table, c)
	if err != nil {
		return "", err
	}
	return lim.Fit(c.ConstraintKind(), name, gen)
}

// Apply returns a copy of t in which every constraint and index has its
// name resolved (Resolve), after checking the table and column names
// against the limit. Errors are joined; t is not modified.
func (n Naming) Apply(t *Table, lim Limit) (*Table, error) {
	out := t.Clone()
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("table %s: %w", t.TableName(), err))
		}
	}
	add(lim.Check("table", t.Name))
	for _, c := range t.Columns {
		add(lim.Check("column", c.Name))
	}
	var err error
	if out.PK != nil {
		out.PK.Name, err = n.Resolve(t.Name, *out.PK, lim)
		add(err)
	}
	for i := range out.Uniques {
		out.Uniques[i].Name, err = n.Resolve(t.Name, out.Uniques[i], lim)
		add(err)
	}
	for i := range out.ForeignKeys {
		out.ForeignKeys[i].Name, err = n.Resolve(t.Name, out.ForeignKeys[i], lim)
		add(err)
	}
	for i := range out.Checks {
		out.Checks[i].Name, err = n.Resolve(t.Name, out.Checks[i], lim)
		add(err)
	}
	for i := range out.Indexes {
		out.Indexes[i].Name, err = n.Resolve(t.Name, out.Indexes[i], lim)
		add(err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// Validate checks that every template expands (has only known tokens).
func (n Naming) Validate() error {
	var errs []error
	for _, x := range []struct{ kind, tmpl string }{
		{"ix", n.Index}, {"uq", n.Unique}, {"fk", n.ForeignKey}, {"ck", n.Check}, {"pk", n.PrimaryKey},
	} {
		if x.tmpl == "" {
			errs = append(errs, fmt.Errorf("%w: no template for %q", ErrNaming, x.kind))
			continue
		}
		if _, err := expand(x.tmpl, "t", []IndexPart{{Column: "c"}}, "r", "l"); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func colParts(cols []string) []IndexPart {
	parts := make([]IndexPart, len(cols))
	for i, c := range cols {
		parts[i] = IndexPart{Column: c}
	}
	return parts
}

// partLabel is the name an index part contributes to a generated name.
func partLabel(p IndexPart) string {
	if p.Expr == "" {
		return p.Column
	}
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(p.Expr) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
		} else {
			under = true
		}
	}
	if b.Len() == 0 {
		return "expr"
	}
	return b.String()
}

func expand(tmpl, table string, parts []IndexPart, ref, label string) (string, error) {
	labels := make([]string, len(parts))
	for i, p := range parts {
		labels[i] = partLabel(p)
	}
	first := ""
	if len(labels) > 0 {
		first = labels[0]
	}
	var b strings.Builder
	for rest := tmpl; rest != ""; {
		i := strings.IndexByte(rest, '%')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		rest = rest[i:]
		if strings.HasPrefix(rest, "%%") {
			b.WriteByte('%')
			rest = rest[2:]
			continue
		}
		end := strings.Index(rest, ")s")
		if !strings.HasPrefix(rest, "%(") || end < 0 {
			return "", fmt.Errorf("%w: bad token at %q in template %q", ErrNaming, rest, tmpl)
		}
		token := rest[2:end]
		rest = rest[end+2:]
		switch token {
		case "table_name", "table":
			b.WriteString(table)
		case "column_0_name":
			b.WriteString(first)
		case "column_0_N_name", "column":
			b.WriteString(strings.Join(labels, "_"))
		case "column_0N_name":
			b.WriteString(strings.Join(labels, ""))
		case "referred_table_name":
			b.WriteString(ref)
		case "constraint_name":
			b.WriteString(label)
		default:
			return "", fmt.Errorf("%w: unknown token %%(%s)s in template %q", ErrNaming, token, tmpl)
		}
	}
	return b.String(), nil
}
