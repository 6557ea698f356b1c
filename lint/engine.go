package lint

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/retortdb/retort/lint/sqlast"
	"github.com/retortdb/retort/schema"
)

// Revision is one revision file to lint.
type Revision struct {
	ID   string // the revision id
	Path string // the file, as findings name it
	// Source is the file's text: suppression comments are read from it
	// ("--" and "#" comment lines in a SQL file, "//" in a Go file).
	Source string
	// Go is set for a Go revision: its statements are the rendered
	// operations, and a finding is reported at the line that recorded
	// the operation (Statement.Line).
	Go bool
	// Statements are the upgrade statements each dialect runs, keyed by
	// dialect name; a dialect without an entry is not linted.
	Statements map[string][]Statement
	// HasDowngrade reports whether the revision can be downgraded.
	HasDowngrade bool
	// Before is the schema each dialect's database has before the
	// revision runs, by dialect: read from a scratch database where the
	// earlier revisions were replayed. A dialect without an entry has no
	// known schema state: the rules that need it (the catalogue's C
	// rules) are skipped and Result.SkippedState names them.
	Before map[string]*schema.Schema
	// Problems are what the caller found itself: a revision it could not
	// plan offline (RT707), SQL it could not split (RT901), a file
	// changed after it was applied (RT903). They are reported like
	// findings, under the same settings and suppressions.
	Problems []Problem
}

// Statement is one statement of a revision as a dialect runs it.
type Statement struct {
	Text string // without its terminator, as sqlsplit returns it
	Line int    // the file line of Text's first byte (Go: of the operation)
	NoTx bool   // runs outside the revision's transaction
	// Ignore are the suppressions the statement carries itself: a Go
	// revision's operation recorded through op.Ops.Ignore. They act as
	// a retort:ignore comment right above the statement would.
	Ignore []Suppression
}

// Problem is a finding the caller made.
type Problem struct {
	Code    string
	Line    int
	Dialect string // "" for every dialect linted
	Message string
	Safe    string
}

// Settings are what a project sets for lint.
type Settings struct {
	// Severity overrides rules' default severities by code; Off
	// disables a rule.
	Severity map[string]Severity
	// LockTimeout is set when retort itself sets a lock timeout before
	// each revision (retort.toml lock_timeout): RT701 is satisfied.
	LockTimeout bool
	// StatementTimeout is set when retort itself sets a statement
	// timeout before each revision (retort.toml statement_timeout):
	// RT702 is satisfied.
	StatementTimeout bool
	// Server is the server the revisions run on (lint.server_version,
	// or the live server's); nil when unknown: the rules that need it
	// are skipped and Result.Skipped names them.
	Server *ServerVersion
	// SQLMode is the MySQL/MariaDB server's sql_mode, read from the live
	// server; nil when lint did not connect (RT414 then takes the
	// default sql_mode of Server's version).
	SQLMode *string
	// Naming are the patterns of [lint.naming] by kind of name (see
	// ParseNaming), for RT808; a kind without one takes
	// DefaultNamingPattern.
	Naming map[string]*regexp.Regexp
	// StateMissing says why revisions have no schema state (Before), for
	// the info line on the rules skipped for want of it: "turned off by
	// --no-state", "the replay on the scratch database failed". "" is
	// the general reason: no scratch server to replay on.
	StateMissing string

	skipped      map[string]bool // rules skipped for want of Server, by code
	skippedState map[string]bool // rules skipped for want of schema state, by code
}

// ParseRuleSettings reads [lint.rules] of retort.toml: codes to "off",
// "info", "warning" or "error". An unknown code is an error that names
// it.
func ParseRuleSettings(rules map[string]string) (map[string]Severity, error) {
	out := make(map[string]Severity, len(rules))
	for _, code := range slices.Sorted(mapKeys(rules)) {
		if RuleByCode(code) == nil {
			return nil, fmt.Errorf("[lint.rules] names %s, which is no rule of retort lint%s (docs/lint.md lists them)", code, nearestCode(code))
		}
		sev, err := ParseSeverity(rules[code])
		if err != nil {
			return nil, fmt.Errorf("[lint.rules] %s: %w", code, err)
		}
		out[code] = sev
	}
	return out, nil
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// nearestCode suggests a rule for a code written in the wrong case.
func nearestCode(code string) string {
	if r := RuleByCode(strings.ToUpper(strings.TrimSpace(code))); r != nil {
		return fmt.Sprintf(" (did you mean %s?)", r.Code)
	}
	return ""
}

// severity is the severity of rule r under s.
func (s *Settings) severity(r *Rule) Severity {
	if v, ok := s.Severity[r.Code]; ok {
		return v
	}
	return r.Severity
}

// Result is what Lint found.
type Result struct {
	Findings []Finding
	// Dialects are the dialects linted, in allDialects' order.
	Dialects []string
	// Skipped are the codes of the rules that had a statement to check
	// but no server version (of the statement's dialect) to check it by.
	Skipped []string
	// SkippedState are the codes of the rules that had a statement to
	// check but no schema state before it (Revision.Before) to check it
	// by.
	SkippedState []string
	// StateMissing is Settings.StateMissing: why there was no state.
	StateMissing string
	// Trace is what each statement did on a PostgreSQL scratch database,
	// when the caller traced them (retort lint --trace; package
	// lint/pgtrace): shown beside the findings, never one of them.
	Trace []Trace
}

// Count returns the number of findings at severity sev.
func (r *Result) Count(sev Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == sev {
			n++
		}
	}
	return n
}

// Failed reports whether the findings fail the lint: an error, or under
// strict a warning too.
func (r *Result) Failed(strict bool) bool {
	return r.Count(Error) > 0 || strict && r.Count(Warning) > 0
}

// Lint checks revisions, in the order given (oldest first), and returns
// the findings sorted by file, line and code.
func Lint(revs []*Revision, s Settings) *Result {
	var out []Finding
	seen := map[string]bool{}
	s.skipped = map[string]bool{}
	s.skippedState = map[string]bool{}
	for _, rev := range revs {
		out = append(out, lintRevision(rev, &s)...)
		for d := range rev.Statements {
			seen[d] = true
		}
	}
	var dialects []string
	for _, d := range allDialects {
		if seen[d] {
			dialects = append(dialects, d)
		}
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), strings.Compare(a.Code, b.Code))
	})
	return &Result{Findings: out, Dialects: dialects, Skipped: slices.Sorted(mapKeys(s.skipped)),
		SkippedState: slices.Sorted(mapKeys(s.skippedState)), StateMissing: s.StateMissing}
}

// raw is a finding before suppressions and the merge across dialects.
type raw struct {
	rule     *Rule
	sev      Severity
	line     int
	dialect  string
	stmt     string
	msg      string
	safe     string
	stmtLine int // the report line of the statement (suppressions attach by it)
}

func lintRevision(rev *Revision, s *Settings) []Finding {
	var found []raw
	dialects := slices.Sorted(mapKeys(rev.Statements))
	slices.SortFunc(dialects, func(a, b string) int {
		return cmp.Compare(slices.Index(allDialects, a), slices.Index(allDialects, b))
	})
	lines := map[string][]int{} // report lines of each dialect's statements
	for _, d := range dialects {
		stmts := parseAll(rev, d)
		for _, st := range stmts {
			lines[d] = append(lines[d], st.line)
		}
		found = append(found, checkDialect(rev, d, stmts, s)...)
	}
	for _, p := range rev.Problems {
		// A problem's line is a place a suppression can attach to.
		for _, d := range dialects {
			if p.Dialect == "" || p.Dialect == d {
				lines[d] = append(lines[d], p.Line)
			}
		}
		r := RuleByCode(p.Code)
		if r == nil {
			panic("lint: a Problem with unknown code " + p.Code)
		}
		sev := s.severity(r)
		if sev == Off {
			continue
		}
		found = append(found, raw{rule: r, sev: sev, line: p.Line, dialect: p.Dialect, msg: p.Message, safe: p.Safe, stmtLine: p.Line})
	}
	for _, r := range Rules() {
		if r.file == nil || !slices.ContainsFunc(dialects, r.AppliesTo) {
			continue
		}
		sev := s.severity(r)
		if sev == Off {
			continue
		}
		fc := &FileCheck{Revision: rev, rule: r, sev: sev, dialects: dialects}
		r.file(fc)
		found = append(found, fc.out...)
	}
	found = suppress(rev, found, lines, s)
	return merge(rev, found)
}

// parsed is a statement with its recognition and where it is reported.
type parsed struct {
	*sqlast.Statement
	line int
	noTx bool
}

func parseAll(rev *Revision, d string) []parsed {
	sd, _ := sqlast.DialectFor(d)
	stmts := rev.Statements[d]
	out := make([]parsed, len(stmts))
	for i, st := range stmts {
		p := sqlast.Parse(st.Text, sqlast.Pos{Line: max(st.Line, 1), Col: 1}, sd)
		line := st.Line
		if !rev.Go && len(p.Tokens) > 0 {
			line = p.Tokens[0].Pos.Line
		}
		out[i] = parsed{Statement: p, line: line, noTx: st.NoTx}
	}
	return out
}

// transactional reports whether dialect d runs a revision's DDL inside
// its transaction (MySQL commits each DDL statement on its own).
func transactional(d string) bool { return d != MySQL }

func checkDialect(rev *Revision, d string, stmts []parsed, s *Settings) []raw {
	var rules []*Rule
	var sevs []Severity
	for _, r := range Rules() {
		if r.stmt == nil || !r.AppliesTo(d) {
			continue
		}
		if sev := s.severity(r); sev != Off {
			rules, sevs = append(rules, r), append(sevs, sev)
		}
	}
	var out []raw
	fl := newFlow()
	var inTx []*sqlast.Statement // the statements of the revision's transaction
	if transactional(d) {
		for _, p := range stmts {
			if !p.noTx {
				inTx = append(inTx, p.Statement)
			}
		}
	}
	for i := range stmts {
		c := &Check{Dialect: d, Stmt: stmts[i].Statement, Index: i, InTx: transactional(d) && !stmts[i].noTx,
			Revision: rev, stmts: stmts, inTx: inTx, flow: fl, settings: s, line: stmts[i].line}
		for k, r := range rules {
			c.rule, c.sev = r, sevs[k]
			r.stmt(c)
		}
		out = append(out, c.out...)
		fl.after(stmts[i].Statement)
	}
	return out
}

// flow is what the statements before the current one did.
type flow struct {
	created        map[string]bool // tables created in the revision so far
	createdIndexes map[string]bool // indexes created in the revision so far
	lockTimeout    bool            // a SET lock_timeout / lock_wait_timeout ran
	stmtTimeout    bool            // a SET statement_timeout / max_statement_time / max_execution_time ran
}

func newFlow() *flow {
	return &flow{created: map[string]bool{}, createdIndexes: map[string]bool{}}
}

func key(n sqlast.Name) string { return strings.ToLower(n.Object()) }

func (f *flow) after(st *sqlast.Statement) {
	switch st.Kind {
	case sqlast.CreateTable:
		f.created[key(st.Name)] = true
	case sqlast.CreateIndex:
		if n := indexName(st); !n.IsZero() {
			f.createdIndexes[key(n)] = true
		}
	case sqlast.Set:
		if isLockTimeoutSet(st) {
			f.lockTimeout = true
		}
		if isStatementTimeoutSet(st) {
			f.stmtTimeout = true
		}
	}
}

// Check is one rule's look at one statement.
type Check struct {
	Dialect  string
	Stmt     *sqlast.Statement
	Index    int  // of Stmt among the revision's statements
	InTx     bool // Stmt runs inside the revision's transaction
	Revision *Revision

	rule     *Rule
	sev      Severity
	stmts    []parsed
	inTx     []*sqlast.Statement
	flow     *flow
	settings *Settings
	line     int
	out      []raw
}

// Report records a finding on the statement at the rule's severity: msg
// says what happens in production, safe what to write instead.
func (c *Check) Report(msg, safe string) { c.ReportAt(c.sev, msg, safe) }

// ReportAt records a finding at severity sev, for a rule whose default
// depends on the form (TRUNCATE ... CASCADE is worse than TRUNCATE): a
// rule set in retort.toml takes the setting's severity instead.
func (c *Check) ReportAt(sev Severity, msg, safe string) {
	if _, set := c.settings.Severity[c.rule.Code]; set {
		sev = c.sev
	}
	c.out = append(c.out, raw{rule: c.rule, sev: sev, line: c.line, dialect: c.Dialect,
		stmt: c.Stmt.Text, msg: msg, safe: safe, stmtLine: c.line})
}

// Created reports whether the table n was created earlier in the revision.
func (c *Check) Created(n sqlast.Name) bool { return c.flow.created[key(n)] }

// CreatedIndex reports whether the index n was created earlier in the
// revision.
func (c *Check) CreatedIndex(n sqlast.Name) bool { return c.flow.createdIndexes[key(n)] }

// LockTimeout reports whether a lock timeout is in force: set earlier in
// the revision, or by retort before each revision.
func (c *Check) LockTimeout() bool { return c.flow.lockTimeout || c.settings.LockTimeout }

// StatementTimeout reports whether a statement timeout is in force: set
// earlier in the revision, or by retort before it (retort.toml).
func (c *Check) StatementTimeout() bool { return c.flow.stmtTimeout || c.settings.StatementTimeout }

// Server returns the server version the statement runs on, for a rule
// that depends on it. Without one (or with one of another dialect) it
// records the rule as skipped and returns false: call it after the
// statement is known to matter, so only rules that had something to
// check are listed as skipped.
func (c *Check) Server() (ServerVersion, bool) {
	v := c.settings.Server
	if v == nil || v.Dialect() != c.Dialect {
		if c.settings.skipped != nil {
			c.settings.skipped[c.rule.Code] = true
		}
		return ServerVersion{}, false
	}
	return *v, true
}

// Schema returns the schema before the revision (Revision.Before) of the
// statement's dialect. Without one it records the rule as skipped for
// want of schema state and returns false: call it after the statement is
// known to matter, as for Server.
func (c *Check) Schema() (*schema.Schema, bool) {
	sc := c.Revision.Before[c.Dialect]
	if sc == nil {
		if c.settings.skippedState != nil {
			c.settings.skippedState[c.rule.Code] = true
		}
		return nil, false
	}
	return sc, true
}

// Table returns table n as it was before the revision, for a rule that
// needs the old type, nullability, constraints or indexes of an existing
// table. It returns false for a table created earlier in the revision
// (it did not exist before: rules exempt it through Created), for a
// table the schema before the revision does not hold, and without schema
// state (the rule is then recorded as skipped, as by Schema). A table
// renamed earlier in the revision is found by its old name; a name the
// state cannot tell (a table renamed away or moved to another schema
// earlier, an unqualified name after a SET search_path) finds nothing.
// Names compare case-insensitively, an exact match first; a qualified
// name must name the table's schema (lookupTable).
func (c *Check) Table(n sqlast.Name) (*schema.Table, bool) {
	if n.IsZero() || c.Created(n) {
		return nil, false
	}
	sc, ok := c.Schema()
	if !ok {
		return nil, false
	}
	from, ok := c.origin(n)
	if !ok {
		return nil, false
	}
	return lookupTable(sc, from, c.Dialect)
}

// origin is the name, in the schema before the revision, of the table
// named n at c's statement: n, or the name it had before the renames of
// earlier statements. ok is false where that schema cannot tell.
func (c *Check) origin(n sqlast.Name) (sqlast.Name, bool) {
	type was struct {
		name  sqlast.Name
		known bool
	}
	names := map[string]was{} // by key, the tables renamed or moved so far
	at := func(n sqlast.Name) was {
		if w, ok := names[key(n)]; ok {
			return w
		}
		return was{n, true}
	}
	rename := func(from sqlast.Name, to string) {
		w := at(from)
		names[key(from)] = was{}
		names[strings.ToLower(strings.Trim(to, "`\""))] = w
	}
	searchPath := false
	for _, st := range c.Earlier() {
		switch st.Kind {
		case sqlast.Set:
			searchPath = searchPath || strings.EqualFold(st.Name.Object(), "search_path")
		case sqlast.RenameTable:
			for _, r := range st.Renames {
				rename(r.From, r.To.Object())
			}
		case sqlast.AlterTable:
			for _, a := range actions(st) {
				switch a.Kind {
				case sqlast.RenameTo:
					rename(st.Name, a.NewName)
				case sqlast.SetSchema:
					names[key(st.Name)] = was{}
				}
			}
		}
	}
	if searchPath && len(n.Parts) < 2 {
		return sqlast.Name{}, false
	}
	w := at(n)
	return w.name, w.known
}

// defaultSchemas are the names a qualified name gives the schema a
// scratch database's tables are reflected in (Schema ""): PostgreSQL's
// public, SQLite's main. A MySQL qualifier is a database name, which
// the state does not know: a qualified MySQL name finds no table of it.
var defaultSchemas = map[string]string{Postgres: "public", SQLite: "main"}

// lookupTable finds table n of sc, by its unqualified name in the
// default schema (tables of other schemas are reflected with theirs),
// or by its qualified name: a qualifier names the table's schema, the
// default one by its name in defaultSchemas. An exact match comes
// before one in another case; on PostgreSQL a name in mixed case that
// two tables answer to finds neither.
func lookupTable(sc *schema.Schema, n sqlast.Name, dialect string) (*schema.Table, bool) {
	name := n.Object()
	var qual string
	if len(n.Parts) > 1 {
		qual = n.Parts[len(n.Parts)-2]
	}
	var folded, exact *schema.Table
	matches := 0
	for _, t := range sc.Tables {
		if !strings.EqualFold(t.Name, name) {
			continue
		}
		switch {
		case qual == "" && t.Schema != "" && !strings.EqualFold(t.Schema, defaultSchemas[dialect]):
			continue
		case qual != "" && t.Schema == "" && (defaultSchemas[dialect] == "" || !strings.EqualFold(qual, defaultSchemas[dialect])):
			continue
		case qual != "" && t.Schema != "" && !strings.EqualFold(t.Schema, qual):
			continue
		}
		matches++
		if t.Name == name && exact == nil {
			exact = t
		}
		if folded == nil {
			folded = t
		}
	}
	// PostgreSQL folds an unquoted Users to users, a quoted "Users"
	// stays: the name no longer says which it was, so with both tables
	// there is no telling.
	if dialect == Postgres && matches > 1 && name != strings.ToLower(name) {
		return nil, false
	}
	if exact != nil {
		return exact, true
	}
	return folded, folded != nil
}

// Earlier returns the statements before this one.
func (c *Check) Earlier() []*sqlast.Statement {
	out := make([]*sqlast.Statement, c.Index)
	for i := range c.Index {
		out[i] = c.stmts[i].Statement
	}
	return out
}

// Later returns the statements after this one.
func (c *Check) Later() []*sqlast.Statement {
	var out []*sqlast.Statement
	for _, p := range c.stmts[c.Index+1:] {
		out = append(out, p.Statement)
	}
	return out
}

// SameTx returns the statements that run in the same transaction as
// this one (itself included), or nil when it runs outside one. The slice
// is shared: do not change it.
func (c *Check) SameTx() []*sqlast.Statement {
	if !c.InTx {
		return nil
	}
	return c.inTx
}

// FileCheck is one rule's look at a whole revision.
type FileCheck struct {
	Revision *Revision
	rule     *Rule
	sev      Severity
	dialects []string
	out      []raw
}

// Report records a finding at line.
func (c *FileCheck) Report(line int, msg, safe string) {
	c.out = append(c.out, raw{rule: c.rule, sev: c.sev, line: line, msg: msg, safe: safe, stmtLine: line})
}

// merge turns raw findings into findings: one per rule, line and message,
// listing the dialects that gave it.
func merge(rev *Revision, found []raw) []Finding {
	var out []Finding
	index := map[string]int{}
	for _, f := range found {
		k := fmt.Sprintf("%s\x00%d\x00%s\x00%s", f.rule.Code, f.line, f.msg, f.sev)
		if i, ok := index[k]; ok {
			if f.dialect != "" && !slices.Contains(out[i].Dialects, f.dialect) {
				out[i].Dialects = append(out[i].Dialects, f.dialect)
			}
			continue
		}
		index[k] = len(out)
		fd := Finding{Code: f.rule.Code, Rule: f.rule.Name, Severity: f.sev, File: rev.Path, Line: f.line,
			Revision: rev.ID, Statement: shortStatement(f.stmt), Message: f.msg, Safe: f.safe}
		if f.dialect != "" {
			fd.Dialects = []string{f.dialect}
		}
		out = append(out, fd)
	}
	return out
}

var spaces = regexp.MustCompile(`\s+`)

// shortStatement is the statement on one line, without the comments
// before it, cut at 160 bytes.
func shortStatement(s string) string {
	lines := strings.Split(s, "\n")
	for len(lines) > 0 {
		t := strings.TrimSpace(lines[0])
		if t == "" || strings.HasPrefix(t, "--") || strings.HasPrefix(t, "#") {
			lines = lines[1:]
			continue
		}
		break
	}
	s = strings.TrimSpace(spaces.ReplaceAllString(strings.Join(lines, " "), " "))
	if len(s) > 160 {
		cut := 157
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}
