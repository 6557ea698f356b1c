package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The statement corpus is lint/testdata/corpus/*.sql: cases ("-- case:
// name" lines), each linted as the upgrade section of a revision of its
// own. Comment lines in a case set what the case is linted with and
// what it must not fire:
//
//	-- server: postgresql 10      lint.server_version for the case
//	-- enable: RT807 RT815        opt-in rules enabled (as info)
//	-- near miss: RT301 RT704     rules that must not fire on the case
//
// pglock.sql, mysql.sql, sqlite.sql and schema-*.sql have harnesses of
// their own; rules-*.sql (the near misses and the rules the others do
// not reach) are linted by TestRulesCorpus. TestCorpusCoverage reads
// them all.

// corpusCase is one case of a corpus file.
type corpusCase struct {
	file, name, dialect, body string
	settings                  Settings
	nearMiss                  []string
}

// corpusDialects are the dialects of the corpus files without a
// "-- dialect:" first line.
var corpusDialects = map[string]string{"pglock.sql": Postgres, "mysql.sql": MySQL, "sqlite.sql": SQLite}

// readCorpus reads the cases of a corpus file.
func readCorpus(t *testing.T, path string) []corpusCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	base := filepath.Base(path)
	dialect := corpusDialects[base]
	if first, _, _ := strings.Cut(text, "\n"); strings.HasPrefix(first, "-- dialect: ") {
		dialect = strings.TrimPrefix(first, "-- dialect: ")
	}
	if !slices.Contains(AllDialects(), dialect) {
		t.Fatalf("%s: no dialect: begin the file with -- dialect: postgres, mysql or sqlite", path)
	}
	var out []corpusCase
	seen := map[string]bool{}
	for _, part := range strings.Split(text, "\n-- case: ")[1:] {
		name, body, _ := strings.Cut(part, "\n")
		name = strings.TrimSpace(name)
		if name == "" || seen[name] {
			t.Fatalf("%s: case %q: every case needs a name of its own", path, name)
		}
		seen[name] = true
		c := corpusCase{file: base, name: name, dialect: dialect, body: strings.TrimSpace(body)}
		for line := range strings.SplitSeq(c.body, "\n") {
			switch {
			case strings.HasPrefix(line, "-- server: "):
				v, err := ParseServerVersion(strings.TrimPrefix(line, "-- server: "))
				if err != nil {
					t.Fatalf("%s: case %s: %v", path, name, err)
				}
				c.settings.Server = &v
			case strings.HasPrefix(line, "-- enable: "):
				if c.settings.Severity == nil {
					c.settings.Severity = map[string]Severity{}
				}
				for _, code := range strings.Fields(strings.TrimPrefix(line, "-- enable: ")) {
					c.settings.Severity[code] = Info
				}
			case strings.HasPrefix(line, "-- near miss: "):
				c.nearMiss = append(c.nearMiss, strings.Fields(strings.TrimPrefix(line, "-- near miss: "))...)
			}
		}
		out = append(out, c)
	}
	return out
}

// lint lints the case; it also returns the number of statements.
func (c corpusCase) lint(t *testing.T) ([]Finding, int) {
	t.Helper()
	rev, err := SQLRevision("migrations/abc123.sql", []byte(file(c.body)), []string{c.dialect})
	if err != nil {
		t.Fatalf("%s: case %s: %v", c.file, c.name, err)
	}
	return Lint([]*Revision{rev}, c.settings).Findings, len(rev.Statements[c.dialect])
}

// TestRulesCorpus lints testdata/corpus/rules-*.sql and compares the
// findings of each case with the file's .golden (go test ./lint -run
// Corpus -update rewrites them).
func TestRulesCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "rules-*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no rules-*.sql corpus files (%v)", err)
	}
	for _, path := range files {
		var out strings.Builder
		for _, c := range readCorpus(t, path) {
			fs, _ := c.lint(t)
			fmt.Fprintf(&out, "%s: %s\n", c.name, strings.Join(codes(fs), " "))
		}
		checkGolden(t, strings.TrimSuffix(path, ".sql")+".golden", out.String(), "Corpus")
	}
}

// corpusExempt are the rules the corpus cannot show, with the reason
// (and where they are tested instead).
var corpusExempt = map[string]string{
	"RT707": "Go revisions only (an op.Run step): cli/lint_test.go",
	"RT903": "needs the checksums of applied revisions (a database or --git-base): cli/lint_online_test.go, lint_git.txtar",
}

// corpusDialectExempt are a rule's dialects no statement can fire it
// on, with the reason.
var corpusDialectExempt = map[string]string{
	"RT103/sqlite": "SQLite has no DROP SCHEMA or DROP DATABASE (DETACH drops nothing)",
	"RT207/mysql":  "an ENUM list shrinks only against the old list, from the schema state: state-mysql.sql fires it (TestStateCorpus)",
}

// TestCorpusCoverage: issue 20 asks for a corpus of at least 200
// migration statements with, for every rule, cases that fire it (here:
// on each of its dialects) and near misses that must not (here: one at
// least, declared).
func TestCorpusCoverage(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	statements, cases := 0, 0
	fired := map[string][]string{}
	firedOn := map[string]bool{} // code/dialect
	missed := map[string][]string{}
	for _, path := range files {
		if strings.HasPrefix(filepath.Base(path), "state-") {
			// The schema-state corpora have a harness of their own
			// (TestStateCorpus), which lints them against the schema
			// their "-- before:" part makes on a scratch database.
			continue
		}
		for _, c := range readCorpus(t, path) {
			fs, n := c.lint(t)
			statements += n
			cases++
			where := c.file + ": " + c.name
			for _, f := range fs {
				fired[f.Code] = append(fired[f.Code], where)
				firedOn[f.Code+"/"+c.dialect] = true
			}
			for _, code := range c.nearMiss {
				if RuleByCode(code) == nil {
					t.Errorf("%s: near miss of %s, no rule", where, code)
				}
				if has(fs, code) {
					t.Errorf("%s: a near miss of %s, yet it fires: %v", where, code, codes(fs))
				}
				missed[code] = append(missed[code], where)
			}
		}
	}
	if statements < 200 {
		t.Errorf("the corpus has %d statements, want 200 or more", statements)
	}
	t.Logf("%d statements in %d cases of %d files", statements, cases, len(files))
	for _, r := range Rules() {
		if _, ok := corpusExempt[r.Code]; ok {
			continue
		}
		// A rule that reads the schema before the revision (the
		// catalogue's C rules, Doc.Before) needs a scratch database the
		// corpus does not have: TestLintRuleExamples and its own tests
		// run it on one.
		if r.Doc.Before != "" {
			continue
		}
		for _, d := range r.Dialects {
			if _, ok := corpusDialectExempt[r.Code+"/"+d]; !ok && !firedOn[r.Code+"/"+d] {
				t.Errorf("%s %s: no %s corpus case fires it", r.Code, r.Name, d)
			}
		}
		if len(missed[r.Code]) == 0 {
			t.Errorf("%s %s: no corpus case is a near miss of it (-- near miss: %s)", r.Code, r.Name, r.Code)
		}
	}
}

// checkGolden compares got with the golden file (with -update it writes
// it first), naming the -run pattern that rewrites it.
func checkGolden(t *testing.T, golden, got, run string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./lint -run %s -update)", err, run)
	}
	if got != string(want) {
		t.Errorf("findings differ from %s (run go test ./lint -run %s -update and review the diff):\n%s", golden, run, got)
	}
}
