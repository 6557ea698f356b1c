package lint

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/retortdb/retort/lint/sqlast"
)

// The kinds of object names RT808 naming-convention checks: the keys of
// retort.toml's [lint.naming] (internal/config.NamingKinds is the same
// list, which a test checks).
const (
	NameSchema     = "schema"
	NameTable      = "table"
	NameColumn     = "column"
	NameIndex      = "index"
	NamePrimaryKey = "primary_key"
	NameForeignKey = "foreign_key"
	NameUnique     = "unique"
	NameCheck      = "check"
)

var namingKinds = []string{NameSchema, NameTable, NameColumn, NameIndex, NamePrimaryKey, NameForeignKey, NameUnique, NameCheck}

// NamingKinds returns the kinds of names [lint.naming] sets a pattern for.
func NamingKinds() []string { return slices.Clone(namingKinds) }

// DefaultNamingPattern is the convention RT808 checks a kind of name
// against when [lint.naming] sets no pattern for it: lower-case
// snake_case, which every dialect takes without quoting.
const DefaultNamingPattern = `^[a-z][a-z0-9_]*$`

var defaultNaming = regexp.MustCompile(DefaultNamingPattern)

// ParseNaming reads [lint.naming] of retort.toml: a regular expression
// (Go's RE2 syntax) per kind of name. An unknown kind or a pattern that
// does not compile is an error naming the key.
func ParseNaming(patterns map[string]string) (map[string]*regexp.Regexp, error) {
	out := make(map[string]*regexp.Regexp, len(patterns))
	for _, kind := range slices.Sorted(maps.Keys(patterns)) {
		if !slices.Contains(namingKinds, kind) {
			return nil, fmt.Errorf("[lint.naming] %s is no kind of name: use %s", kind, strings.Join(namingKinds, ", "))
		}
		re, err := regexp.Compile(patterns[kind])
		if err != nil {
			return nil, fmt.Errorf("[lint.naming] %s = %q is not a regular expression: %w", kind, patterns[kind], err)
		}
		out[kind] = re
	}
	return out, nil
}

// namingPattern is the pattern of a kind of name: [lint.naming]'s, or
// the default convention.
func (s *Settings) namingPattern(kind string) *regexp.Regexp {
	if re := s.Naming[kind]; re != nil {
		return re
	}
	return defaultNaming
}

// namedObject is a name a statement gives an object, with its kind.
type namedObject struct{ kind, name string }

// constraintKind is the [lint.naming] kind of a named constraint, or "".
func constraintKind(k sqlast.ConstraintKind) string {
	switch k {
	case sqlast.PrimaryKey:
		return NamePrimaryKey
	case sqlast.ForeignKey:
		return NameForeignKey
	case sqlast.Unique:
		return NameUnique
	case sqlast.Check:
		return NameCheck
	}
	return ""
}

// givenNames lists the names a statement gives: the objects it creates
// and the new names of renames. Names of existing objects it only uses
// are not listed: a convention adopted late does not flag every ALTER of
// an old table.
func givenNames(st *sqlast.Statement) []namedObject {
	var out []namedObject
	add := func(kind, name string) {
		if kind != "" && name != "" {
			out = append(out, namedObject{kind, name})
		}
	}
	constraint := func(k *sqlast.Constraint) {
		if k != nil {
			add(constraintKind(k.Kind), k.Name)
		}
	}
	switch st.Kind {
	case sqlast.CreateSchema:
		add(NameSchema, st.Name.Object())
	case sqlast.AlterSchema:
		add(NameSchema, st.RenameTo)
	case sqlast.CreateTable:
		if st.Temporary {
			return nil
		}
		add(NameTable, st.Name.Object())
		if ct := st.CreateTable; ct != nil {
			for _, col := range ct.Columns {
				add(NameColumn, col.Name)
			}
			for _, k := range ct.Constraints {
				constraint(k)
			}
			for _, ix := range ct.Indexes {
				add(NameIndex, ix.Name.Object())
			}
		}
	case sqlast.CreateIndex:
		if st.Index != nil {
			add(NameIndex, st.Index.Name.Object())
		}
	case sqlast.RenameTable:
		for _, r := range st.Renames {
			add(NameTable, r.To.Object())
		}
	case sqlast.AlterTable:
		for _, a := range actions(st) {
			switch a.Kind {
			case sqlast.AddColumn, sqlast.ChangeColumn:
				if a.Column != nil {
					add(NameColumn, a.Column.Name)
				}
			case sqlast.RenameColumn:
				add(NameColumn, a.NewName)
			case sqlast.RenameTo:
				add(NameTable, lastPart(a.NewName))
			case sqlast.RenameIndex:
				add(NameIndex, a.NewName)
			case sqlast.AddConstraint:
				constraint(a.Constraint)
			case sqlast.AddIndex:
				if a.Index != nil {
					add(NameIndex, a.Index.Name.Object())
				}
			}
		}
	}
	return out
}

// lastPart is the object part of a possibly qualified name written as
// text (a RENAME TO target).
func lastPart(s string) string {
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// namingRules are the opt-in rules on how objects are named.
func namingRules() []*Rule {
	return []*Rule{
		{
			Code: "RT808", Name: "naming-convention", Severity: Off, Dialects: every,
			Summary: "a new name that does not follow the project's naming convention",
			Doc: Doc{
				What: "A schema, table, column, index or named constraint (primary key, foreign key, unique, check) that a statement creates or renames to, " +
					"whose name does not match the regular expression retort.toml's `[lint.naming]` sets for its kind " +
					"(keys `schema`, `table`, `column`, `index`, `primary_key`, `foreign_key`, `unique`, `check`; Go RE2 syntax, checked when retort.toml is read). " +
					"A kind without a pattern is checked against lower-case snake_case, `" + DefaultNamingPattern + "`. " +
					"Names are compared as the database stores them (unquoted PostgreSQL names folded to lower case); existing objects that a statement only alters are not checked, nor temporary tables.",
				Why: "Names that mix conventions (CamelCase that needs quoting on PostgreSQL, `idx_` here and `_idx` there, unnamed-looking `fk1`) make every query, ORM mapping and later migration harder to write and review, " +
					"and a name created in production is expensive to change: a rename breaks the running application (RT201, RT202).",
				Safe: "Name the object by the convention; set the convention per kind in retort.toml, for example:\n\n" +
					"```toml\n[lint.rules]\nRT808 = \"warning\"\n\n[lint.naming]\ntable = \"^[a-z][a-z0-9_]*$\"\nindex = \"^[a-z][a-z0-9_]*_idx$\"\nforeign_key = \"^fk_[a-z0-9_]+$\"\n```",
				SafeSQL: "CREATE TABLE order_line (id bigint PRIMARY KEY, order_id bigint NOT NULL);",
				Dialect: Postgres,
				Fires:   "CREATE TABLE \"OrderLine\" (id bigint PRIMARY KEY, \"orderId\" bigint NOT NULL);",
				Passes:  "CREATE TABLE OrderLine (id bigint PRIMARY KEY, orderId bigint NOT NULL);",
			},
			stmt: func(c *Check) {
				var bad []string
				kinds := map[string]bool{}
				for _, o := range givenNames(c.Stmt) {
					re := c.settings.namingPattern(o.kind)
					if !re.MatchString(o.name) {
						bad = append(bad, fmt.Sprintf("%s %s", strings.ReplaceAll(o.kind, "_", " "), o.name))
						kinds[o.kind] = true
					}
				}
				if len(bad) == 0 {
					return
				}
				var conv []string
				for _, k := range namingKinds {
					if kinds[k] {
						conv = append(conv, fmt.Sprintf("%s: %s", k, c.settings.namingPattern(k)))
					}
				}
				verb := "does"
				if len(bad) > 1 {
					verb = "do"
				}
				c.Report(fmt.Sprintf("%s %s not match the naming convention (%s)", strings.Join(bad, ", "), verb, strings.Join(conv, "; ")),
					"rename to match the convention of [lint.naming] in retort.toml")
			},
		},
	}
}
