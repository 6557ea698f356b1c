package lint

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Severity is how much a finding matters: an error fails retort lint, a
// warning fails it under --strict, an info never does.
type Severity int

// The severities, in increasing order. Off disables a rule.
const (
	Off Severity = iota
	Info
	Warning
	Error
)

var severityNames = [...]string{"off", "info", "warning", "error"}

func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSeverity reads "off", "info", "warning" or "error".
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if s == n {
			return Severity(i), nil
		}
	}
	return Off, fmt.Errorf("severity %q: use \"off\", \"info\", \"warning\" or \"error\"", s)
}

// The dialects, as dialect.Syntax.Name spells them.
const (
	Postgres = "postgres"
	MySQL    = "mysql"
	SQLite   = "sqlite"
)

// AllDialects are the dialects retort lints, in the order findings list
// them.
var allDialects = []string{Postgres, MySQL, SQLite}

// AllDialects returns the dialects retort lints.
func AllDialects() []string { return slices.Clone(allDialects) }

// Rule is one check.
type Rule struct {
	Code     string   // RTnnn
	Name     string   // kebab-case, as in the catalogue
	Severity Severity // default severity
	Dialects []string // the dialects it applies to
	Summary  string   // one line: what it finds
	Doc      Doc

	// stmt checks one statement; file checks a revision as a whole.
	// A rule has one or the other; meta rules (RT902, RT904) have
	// neither: the engine reports them.
	stmt func(c *Check)
	file func(c *FileCheck)
}

// Doc is a rule's documentation: docs/lint.md has one section per rule
// made of these, and the tests lint Fires and Passes.
type Doc struct {
	What    string // what the rule finds
	Why     string // what happens in production
	Safe    string // the safe alternative, in words
	SafeSQL string // the safe alternative, as SQL
	Dialect string // the dialect of the examples
	Server  string // the server version of the examples, for a rule that needs one ("postgresql 13")
	// Before is SQL (of Dialect) that makes the schema the examples run
	// against, for a rule that needs the schema state before a statement
	// (the catalogue's C rules): the tests run it on a scratch database
	// and reflect it into Revision.Before.
	Before string
	Fires  string // an upgrade section the rule fires on
	Passes string // a near miss it does not fire on
}

// AppliesTo reports whether the rule checks statements of dialect d.
func (r *Rule) AppliesTo(d string) bool { return slices.Contains(r.Dialects, d) }

// HelpURI is the rule's section of docs/lint.md.
func (r *Rule) HelpURI() string {
	return "https://github.com/retortdb/retort/blob/main/docs/lint.md#" + strings.ToLower(r.Code) + "-" + r.Name
}

// Rules returns every rule, by code. The slice is shared: do not change it.
func Rules() []*Rule { return rulesOnce() }

var rulesOnce = sync.OnceValue(func() []*Rule {
	rs := slices.Concat(destructiveRules(), compatRules(), postgresRules(), mysqlRules(), mysqlOnlineRules(), mysqlVersionRules(), sqliteRules(), postgresVersionRules(),
		dataRules(), transactionRules(), designRules(), metaRules(),
		compatSchemaRules(), dataSchemaRules(), designSchemaRules(),
		pgConstraintRules(), pgColumnRules(), pgObjectRules(), pgFlowRules(), namingRules(), robustRules(), stateRules())
	slices.SortFunc(rs, func(a, b *Rule) int { return strings.Compare(a.Code, b.Code) })
	return rs
})

// RuleByCode returns the rule of a code, or nil.
func RuleByCode(code string) *Rule {
	rs := Rules()
	i, ok := slices.BinarySearchFunc(rs, code, func(r *Rule, c string) int { return strings.Compare(r.Code, c) })
	if !ok {
		return nil
	}
	return rs[i]
}

// Finding is one thing a rule found.
type Finding struct {
	Code     string   `json:"code"`
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Revision string   `json:"revision,omitempty"`
	// Dialects are the dialects whose statements gave the finding (one
	// statement of a plain section is checked for each).
	Dialects  []string `json:"dialects,omitempty"`
	Statement string   `json:"statement,omitempty"`
	// Message says what happens in production; Safe what to write instead.
	Message string `json:"message"`
	Safe    string `json:"safe_alternative,omitempty"`
}
