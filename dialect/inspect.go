package dialect

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/retortdb/retort/schema"
)

// Inspector is implemented by dialects that read a live database into the
// schema model (reflection): autogenerate's current side, lint's schema
// before a statement, a squash's starting point.
//
// Inspect reads the tables opts selects, in one schema (PostgreSQL), the
// connected database (MySQL) or one attached database (SQLite), with a
// few catalog queries per schema rather than per table. It returns the
// tables sorted by name, each with its columns in order, primary key,
// unique constraints, foreign keys, check constraints and indexes (those
// of keys and unique constraints left out: they are the constraints), in
// an order of the dialect's choosing (NormalizeSchema sorts them), and
// what the database calls each type in Type.Native. What a dialect
// cannot report is documented by the dialect (SQLite keeps no comments).
// A database object the schema model cannot hold is an error wrapping
// ErrUnsupported that names its table, never silently dropped; a schema
// that does not exist is an empty Schema, not an error.
type Inspector interface {
	Inspect(ctx context.Context, q Querier, opts InspectOptions) (*schema.Schema, error)
}

// InspectOptions say what an Inspector reads. The zero value reads every
// table of the connection's default schema except retort's own
// (DefaultOwnTables) and the dialect's internal ones (sqlite_sequence…).
//
// Tables, Exclude and IncludeName filter by name before a table is read,
// like Alembic's include_name hook, so that an excluded table costs
// nothing and an unreadable one does not fail the inspection. Filtering
// the objects of a table (Alembic's include_object: this index, that
// column) is autogenerate's business, on both sides of the comparison.
type InspectOptions struct {
	// Schema is the PostgreSQL schema, MySQL database or SQLite attached
	// database to read; "" is the connection's default (search_path's
	// first schema, DATABASE(), main).
	Schema string
	// Tables, when not empty, are the only tables read (exact names).
	Tables []string
	// Exclude are tables not read (exact names).
	Exclude []string
	// IncludeName, when set, is asked about every table that passes
	// Tables and Exclude; a table for which it returns false is not read.
	IncludeName func(name schema.TableName) bool
	// OwnTables are retort's version, history and lock tables under the
	// names the project configured; empty means DefaultOwnTables().
	OwnTables []string
	// IncludeOwn reads retort's own tables too; they are skipped by
	// default, since no target schema declares them.
	IncludeOwn bool
}

// UnmanagedLister is implemented by dialects that can list the objects
// of a schema that the schema model does not hold (views, functions and
// procedures, triggers, sequences no column owns, policies, extensions,
// events), so that autogenerate and check name what they leave alone
// instead of skipping it in silence. Unmanaged returns one description
// per object, such as "view active_accounts" or "trigger touch on
// account", sorted; opts select the schema as for Inspect (its table
// filters do not apply: these are not tables).
type UnmanagedLister interface {
	Unmanaged(ctx context.Context, q Querier, opts InspectOptions) ([]string, error)
}

// DefaultOwnTables are the default names of retort's own tables (the
// version, history and lock tables), which Inspect skips unless
// InspectOptions.IncludeOwn is set. They match the defaults of package
// retort and of retort.toml.
func DefaultOwnTables() []string {
	return []string{"retort_version", "retort_history", "retort_lock"}
}

// ScratchPrefix starts the names of the tables retort creates and drops
// within one step (SQLite's move and copy and its guard table); Inspect
// skips them unless IncludeOwn is set.
const ScratchPrefix = "_retort_"

// Includes reports whether the options select the table named name in
// the inspected schema. Dialects call it for every table they find;
// their own internal tables they skip before asking.
func (o InspectOptions) Includes(name string) bool {
	if len(o.Tables) > 0 && !slices.Contains(o.Tables, name) {
		return false
	}
	if slices.Contains(o.Exclude, name) {
		return false
	}
	if !o.IncludeOwn {
		own := o.OwnTables
		if len(own) == 0 {
			own = DefaultOwnTables()
		}
		if slices.Contains(own, name) || strings.HasPrefix(name, ScratchPrefix) {
			return false
		}
	}
	if o.IncludeName != nil && !o.IncludeName(schema.TableName{Schema: o.Schema, Name: name}) {
		return false
	}
	return true
}

// Normalizer is implemented by dialects whose databases spell one thing
// in several ways, which is all of them: it rewrites a schema into one
// normal form, so that a reflected table and a declared one compare
// equal (Table.Equal) exactly when the database would hold the same
// thing for both. Autogenerate normalises both sides before it compares
// (Atlas's normalisation through the dev database, Alembic's compare_type
// and compare_server_default hooks).
//
// Each method returns a new value and leaves its argument unchanged. A
// normal form is idempotent: normalising a normalised value returns it.
type Normalizer interface {
	// NormalizeType returns t in the dialect's normal form: the kind and
	// parameters the database would report for it, with Native in one
	// canonical spelling. A declared String(255) and a reflected
	// "varchar(255)" come out the same.
	NormalizeType(t schema.Type) schema.Type
	// NormalizeDefault returns d in the dialect's normal form: a
	// constant as a Value of one Go type per SQL literal kind (a string
	// default reflected as the SQL text 'x' and a declared Value("x")
	// come out the same), anything else as an Expr in canonical text.
	NormalizeDefault(d schema.Default) schema.Default
	// NormalizeTable returns t in the dialect's normal form: its types
	// and defaults normalised, every constraint and index that has
	// neither name nor, for a check, label named by n, and the dialect's
	// table-level rules applied (what becomes of an Enum column, which
	// column is an identity, what the dialect does not keep, such as
	// comments). Constraints and indexes keep their order: see
	// NormalizeSchema.
	NormalizeTable(t *schema.Table, n schema.Naming) (*schema.Table, error)
}

// NormalizeSchema returns s with every table normalised by nz
// (NormalizeTable with the naming convention n) and everything put in
// one order: tables, enum types, unique constraints, foreign keys,
// checks and indexes by name, so that two normalised schemas are Equal
// when they hold the same objects. Columns keep their order, which is
// part of a table. s is not modified.
func NormalizeSchema(nz Normalizer, s *schema.Schema, n schema.Naming) (*schema.Schema, error) {
	out := &schema.Schema{Name: s.Name, Enums: slices.Clone(s.Enums)}
	for _, t := range s.Tables {
		nt, err := nz.NormalizeTable(t, n)
		if err != nil {
			return nil, fmt.Errorf("normalise table %s: %w", t.TableName(), err)
		}
		slices.SortStableFunc(nt.Uniques, func(a, b schema.Unique) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortStableFunc(nt.ForeignKeys, func(a, b schema.ForeignKey) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortStableFunc(nt.Checks, func(a, b schema.Check) int { return cmp.Compare(a.Name, b.Name) })
		slices.SortStableFunc(nt.Indexes, func(a, b schema.Index) int { return cmp.Compare(a.Name, b.Name) })
		out.Tables = append(out.Tables, nt)
	}
	slices.SortStableFunc(out.Tables, func(a, b *schema.Table) int {
		return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name))
	})
	slices.SortStableFunc(out.Enums, func(a, b schema.EnumType) int {
		return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name))
	})
	return out, nil
}

// NameConstraints gives every unnamed constraint and index of t the name
// res resolves for it (the naming convention, as the database would have
// named it), and drops what only spells a default: NO ACTION on a foreign
// key, a referenced schema that is t's own, the label of a named check.
// It is the part of NormalizeTable that every dialect shares.
func NameConstraints(t *schema.Table, res func(schema.Constraint) (string, error)) error {
	var err error
	if t.PK != nil && t.PK.Name == "" {
		if t.PK.Name, err = res(*t.PK); err != nil {
			return err
		}
	}
	for i := range t.Uniques {
		if t.Uniques[i].Name == "" {
			if t.Uniques[i].Name, err = res(t.Uniques[i]); err != nil {
				return err
			}
		}
	}
	for i := range t.ForeignKeys {
		fk := &t.ForeignKeys[i]
		if fk.Name == "" {
			if fk.Name, err = res(*fk); err != nil {
				return err
			}
		}
		if fk.OnDelete == schema.NoAction {
			fk.OnDelete = ""
		}
		if fk.OnUpdate == schema.NoAction {
			fk.OnUpdate = ""
		}
		if fk.RefSchema == t.Schema {
			fk.RefSchema = ""
		}
	}
	for i := range t.Checks {
		ck := &t.Checks[i]
		if ck.Name == "" && ck.Label != "" {
			if ck.Name, err = res(*ck); err != nil {
				return err
			}
		}
		if ck.Name != "" {
			ck.Label = ""
		}
	}
	for i := range t.Indexes {
		if t.Indexes[i].Name == "" {
			if t.Indexes[i].Name, err = res(t.Indexes[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// NumericDefault returns d, a normalised default, with a decimal
// constant (a Value) in one spelling when t is a numeric type (integer,
// numeric, float): "0.00", "0" and "+0" are the same default of a
// NUMERIC(10,2) column, which a server keeps as they were written. The
// constant becomes an Expr of its canonical text, written unquoted.
// Other defaults are returned as they are. It rewrites the text of a
// constant; it evaluates nothing.
func NumericDefault(t schema.Type, d schema.Default) schema.Default {
	switch t.Kind {
	case schema.KindInteger, schema.KindBigInteger, schema.KindSmallInteger, schema.KindNumeric, schema.KindFloat:
	default:
		return d
	}
	if d.Kind != schema.DefaultValue {
		return d
	}
	var s string
	switch v := d.Value.(type) {
	case string:
		s = v
	case int:
		s = strconv.Itoa(v)
	case int64:
		s = strconv.FormatInt(v, 10)
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return d
		}
		s = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return d
	}
	if c, ok := canonDecimal(s); ok {
		// An expression, so that it is written as the number it is.
		return schema.Expr(c)
	}
	return d
}

// canonDecimal spells a decimal literal without sign "+", leading zeros,
// trailing zeros after the point, or a bare point; -0 is 0.
func canonDecimal(s string) (string, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if intPart == "" && frac == "" {
		return "", false
	}
	for _, part := range []string{intPart, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return "", false
			}
		}
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	if hasPoint {
		frac = strings.TrimRight(frac, "0")
	}
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out, true
}
