package lint

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// The coverage of docs/lint.md: which rules of issue 20's catalogue are
// built, and which rule of squawk, Atlas's open-source analyzers,
// strong_migrations and eugene each RT code stands for. The catalogue's
// rows are written here (the catalogue lives outside the repository);
// TestLintDocsCoverage checks them against Rules() and writes the
// section of docs/lint.md between the coverage markers.

const (
	coverageBegin = "<!-- coverage:begin (generated from lint/coverage_test.go: go test ./lint -run TestLintDocsCoverage -update) -->\n"
	coverageEnd   = "<!-- coverage:end -->\n"
)

// catalogueRule is a row of the catalogue: code, name and how it is
// detected (T tokens, P parser, F in-file flow, C schema state, V server
// version, L lock tracing).
type catalogueRule struct{ code, name, detect string }

var catalogue = []catalogueRule{
	{"RT101", "drop-table", "P F"},
	{"RT102", "drop-column", "P F (C for virtual)"},
	{"RT103", "drop-schema-or-database", "T"},
	{"RT104", "truncate", "T"},
	{"RT105", "drop-constraint", "P"},
	{"RT106", "drop-cascade", "T"},
	{"RT107", "lossy-type-change", "P C"},
	{"RT108", "create-table-replacing", "P F"},
	{"RT109", "drop-system-versioning", "T"},
	{"RT201", "rename-table", "P F"},
	{"RT202", "rename-column", "P F"},
	{"RT203", "add-required-column", "P F"},
	{"RT204", "implicit-zero-fill", "P F"},
	{"RT205", "drop-not-null", "P"},
	{"RT206", "type-change-breaks-clients", "P"},
	{"RT207", "enum-value-rename-or-remove", "P C"},
	{"RT208", "rename-schema", "T"},
	{"RT209", "drop-used-object", "C"},
	{"RT210", "json-not-jsonb", "P"},
	{"RT301", "create-index-not-concurrently", "P F"},
	{"RT302", "drop-index-not-concurrently", "P"},
	{"RT303", "reindex-not-concurrently", "P"},
	{"RT304", "add-unique-constraint", "P F"},
	{"RT305", "add-primary-key", "P F (C for nullability)"},
	{"RT306", "add-fk-validated", "P F"},
	{"RT307", "add-check-validated", "P F"},
	{"RT308", "validate-in-same-transaction", "F"},
	{"RT309", "set-not-null", "P F C"},
	{"RT310", "add-column-volatile-default", "P (+ catalog of volatility)"},
	{"RT311", "add-column-rewriting", "P"},
	{"RT312", "column-type-rewrite", "P C (+ V for TZ)"},
	{"RT313", "add-exclusion-constraint", "P"},
	{"RT314", "table-rewrite-command", "T/P"},
	{"RT315", "detach-partition-not-concurrently", "P"},
	{"RT316", "index-on-partitioned-table", "P C"},
	{"RT317", "trigger-on-existing-table", "P F"},
	{"RT318", "replica-identity-change", "T"},
	{"RT319", "autovacuum-off", "P"},
	{"RT320", "domain-constraint", "P"},
	{"RT321", "enum-add-value-position", "P F"},
	{"RT322", "statement-after-access-exclusive", "F (lock model) / L"},
	{"RT323", "multiple-alters-same-table", "F"},
	{"RT324", "fk-without-index", "C / L"},
	{"RT325", "many-fks-one-revision", "F"},
	{"RT326", "concurrent-index-pg14-bug", "T V"},
	{"RT327", "pk-using-index-nullable", "P C"},
	{"RT401", "alter-copies-table", "P C V (L to confirm)"},
	{"RT402", "add-stored-generated-column", "P"},
	{"RT403", "alter-blocks-writes", "P"},
	{"RT404", "alter-rebuilds-table", "P C V"},
	{"RT405", "add-column-expression-default", "P"},
	{"RT406", "add-column-not-last", "P V C"},
	{"RT407", "inline-references-ignored", "P V"},
	{"RT408", "add-foreign-key-mysql", "P V"},
	{"RT409", "add-check-mysql", "P"},
	{"RT410", "explicit-copy-or-lock", "T"},
	{"RT411", "varchar-length-prefix-change", "P C"},
	{"RT412", "enum-set-non-append", "P C"},
	{"RT413", "guard-with-algorithm", "P"},
	{"RT414", "not-null-without-strict-mode", "P V"},
	{"RT415", "non-transactional-ddl-batch", "F"},
	{"RT416", "auto-increment-sbr", "P"},
	{"RT501", "alter-needs-rebuild", "P V"},
	{"RT502", "rebuild-procedure-incomplete", "F C"},
	{"RT503", "drop-column-rewrites", "P C"},
	{"RT504", "passes-only-when-empty", "P"},
	{"RT505", "add-column-pk-or-unique", "P"},
	{"RT506", "long-write-locks-database", "F"},
	{"RT601", "unique-on-existing-data", "P C"},
	{"RT602", "make-index-unique", "P C"},
	{"RT603", "not-null-without-backfill", "P F C"},
	{"RT604", "check-or-fk-may-fail", "P"},
	{"RT605", "narrowing-may-truncate", "P C V"},
	{"RT606", "single-statement-backfill", "P (C for row estimate)"},
	{"RT701", "missing-lock-timeout", "F + config"},
	{"RT702", "missing-statement-timeout", "F + config"},
	{"RT703", "explicit-transaction-control", "F"},
	{"RT704", "non-transactional-in-transaction", "P"},
	{"RT705", "non-idempotent-outside-transaction", "P F"},
	{"RT706", "ddl-and-dml-mixed", "F"},
	{"RT707", "unreviewable-raw-sql", "P"},
	{"RT708", "missing-downgrade", "F"},
	{"RT801", "prefer-bigint", "P (C for FK)"},
	{"RT802", "prefer-identity", "P"},
	{"RT803", "prefer-text", "P"},
	{"RT804", "prefer-timestamptz", "P"},
	{"RT805", "ban-char", "P"},
	{"RT806", "identifier-too-long", "T"},
	{"RT807", "require-schema-qualified", "P"},
	{"RT808", "naming-convention", "P"},
	{"RT809", "duplicate-column-assignment", "P"},
	{"RT810", "nullable-without-intent", "P"},
	{"RT811", "wide-non-unique-index", "P"},
	{"RT812", "table-without-pk", "P"},
	{"RT813", "redundant-index", "C"},
	{"RT814", "enum-type", "P"},
	{"RT815", "column-alignment", "P"},
	{"RT816", "hash-index-old-pg", "P V"},
	{"RT901", "syntax-error", "meta"},
	{"RT902", "unused-ignore", "meta"},
	{"RT903", "edited-after-applied", "meta"},
}

// notBuilt are catalogue rules retort does not build, with the reason.
var notBuilt = map[string]string{}

// ownRules are rules retort has beyond the catalogue.
var ownRules = map[string]string{
	"RT904": "a suppression without a reason (the catalogue's RT9xx had no code for it)",
}

// coverageRow maps another tool's check to RT codes.
type coverageRow struct {
	name, what string
	codes      []string
}

// squawkRules are squawk's 38 rules, and the names it used before
// (prefer-big-int, require-timeout-settings, since split in two) or has
// for its meta checks (syntax-error, unused-ignore).
var squawkRules = []coverageRow{
	{"adding-field-with-default", "ADD COLUMN with a volatile default, or any default before PostgreSQL 11", []string{"RT310", "RT311"}},
	{"adding-foreign-key-constraint", "foreign key without NOT VALID", []string{"RT306"}},
	{"adding-not-nullable-field", "SET NOT NULL on an existing column", []string{"RT309"}},
	{"adding-required-field", "ADD COLUMN NOT NULL without a default", []string{"RT203"}},
	{"adding-serial-primary-key-field", "ADD PRIMARY KEY building its index under a lock", []string{"RT305", "RT311"}},
	{"ban-alter-domain-with-add-constraint", "ALTER DOMAIN ... ADD CONSTRAINT", []string{"RT320"}},
	{"ban-char-field", "char(n)", []string{"RT805"}},
	{"ban-concurrent-index-creation-in-transaction", "CONCURRENTLY inside a transaction", []string{"RT704"}},
	{"ban-create-domain-with-constraint", "CREATE DOMAIN ... CHECK", []string{"RT320"}},
	{"ban-drop-column", "DROP COLUMN", []string{"RT102"}},
	{"ban-drop-database", "DROP DATABASE", []string{"RT103"}},
	{"ban-drop-not-null", "DROP NOT NULL", []string{"RT205"}},
	{"ban-drop-table", "DROP TABLE", []string{"RT101"}},
	{"ban-duplicate-column-assignments", "a column assigned twice", []string{"RT809"}},
	{"ban-truncate-cascade", "TRUNCATE ... CASCADE", []string{"RT104"}},
	{"ban-uncommitted-transaction", "BEGIN without COMMIT", []string{"RT703"}},
	{"changing-column-type", "ALTER COLUMN ... TYPE", []string{"RT206", "RT312"}},
	{"constraint-missing-not-valid", "constraint without NOT VALID, or validated in the same transaction", []string{"RT306", "RT307", "RT308"}},
	{"disallowed-unique-constraint", "ADD UNIQUE building its index under a lock", []string{"RT304"}},
	{"identifier-too-long", "an identifier PostgreSQL truncates", []string{"RT806"}},
	{"prefer-big-int", "32-bit and 16-bit integers (the older name)", []string{"RT801"}},
	{"prefer-bigint-over-int", "32-bit integers", []string{"RT801"}},
	{"prefer-bigint-over-smallint", "16-bit integers", []string{"RT801"}},
	{"prefer-identity", "serial instead of identity", []string{"RT802"}},
	{"prefer-repack", "VACUUM FULL, CLUSTER and other rewrites", []string{"RT314"}},
	{"prefer-robust-stmts", "statements that fail when run again outside a transaction", []string{"RT705"}},
	{"prefer-text-field", "varchar(n)", []string{"RT803"}},
	{"prefer-timestamptz", "timestamp without time zone", []string{"RT804"}},
	{"renaming-column", "RENAME COLUMN", []string{"RT202"}},
	{"renaming-table", "RENAME TO", []string{"RT201"}},
	{"require-concurrent-index-creation", "CREATE INDEX without CONCURRENTLY", []string{"RT301"}},
	{"require-concurrent-index-deletion", "DROP INDEX without CONCURRENTLY", []string{"RT302"}},
	{"require-concurrent-partition-detach", "DETACH PARTITION without CONCURRENTLY", []string{"RT315"}},
	{"require-concurrent-reindex", "REINDEX without CONCURRENTLY", []string{"RT303"}},
	{"require-enum-value-ordering", "ADD VALUE without BEFORE/AFTER", []string{"RT321"}},
	{"require-lock-timeout", "no lock_timeout", []string{"RT701"}},
	{"require-statement-timeout", "no statement_timeout", []string{"RT702"}},
	{"require-table-schema", "unqualified table names (opt-in in squawk too)", []string{"RT807"}},
	{"require-timeout-settings", "no lock_timeout or statement_timeout (the older name)", []string{"RT701", "RT702"}},
	{"syntax-error", "a statement that does not parse", []string{"RT901"}},
	{"transaction-nesting", "BEGIN/COMMIT inside a migration's transaction", []string{"RT703"}},
	{"unused-ignore", "an ignore comment that ignores nothing", []string{"RT902"}},
}

// atlasOSS are the analyzers of Atlas's open-source edition.
var atlasOSS = []coverageRow{
	{"DS101", "schema dropped", []string{"RT103"}},
	{"DS102", "table dropped", []string{"RT101"}},
	{"DS103", "non-virtual column dropped", []string{"RT102"}},
	{"CD101", "constraint dropped", []string{"RT105"}},
	{"MF101", "unique index added on existing columns", []string{"RT601"}},
	{"MF102", "existing index made unique", []string{"RT602"}},
	{"MF103", "NOT NULL column added to an existing table", []string{"RT203"}},
	{"MF104", "nullable column made NOT NULL", []string{"RT603", "RT309"}},
	{"BC101", "table renamed", []string{"RT201"}},
	{"BC102", "column renamed", []string{"RT202"}},
	{"MY101", "NOT NULL column without DEFAULT on MySQL (implicit zero value)", []string{"RT204"}},
	{"MY102", "inline REFERENCES that MySQL ignores", []string{"RT407"}},
	{"LT101", "SQLite column made NOT NULL (table rebuild)", []string{"RT501", "RT502", "RT603"}},
}

// strongMigrations are strong_migrations' checks, by the key of their
// error message. change_column_default is about Rails' partial inserts,
// which no SQL statement shows.
var strongMigrations = []coverageRow{
	{"add_column_default", "a default that rewrites the table", []string{"RT310", "RT405"}},
	{"add_column_default_null", "a NULL default before PostgreSQL 11", []string{"RT310"}},
	{"add_column_default_callable", "a function call as default", []string{"RT310", "RT405"}},
	{"add_column_json", "json instead of jsonb", []string{"RT210"}},
	{"add_column_generated_stored", "a stored generated column", []string{"RT311", "RT402"}},
	{"add_column_auto_incrementing", "an auto-increment column added", []string{"RT311", "RT403", "RT416"}},
	{"change_column", "a column type change", []string{"RT206", "RT312", "RT401"}},
	{"change_column_with_not_null", "a type change that also sets NOT NULL", []string{"RT309"}},
	{"remove_column", "a column dropped", []string{"RT102"}},
	{"rename_column", "a column renamed", []string{"RT202"}},
	{"rename_table", "a table renamed", []string{"RT201"}},
	{"rename_schema", "a schema renamed", []string{"RT208"}},
	{"add_reference", "a reference column with its index and foreign key", []string{"RT301", "RT306"}},
	{"add_index", "an index built without CONCURRENTLY", []string{"RT301"}},
	{"remove_index", "an index dropped without CONCURRENTLY", []string{"RT302"}},
	{"add_index_columns", "a non-unique index of more than three columns", []string{"RT811"}},
	{"add_index_corruption", "a concurrent index build on PostgreSQL 14.0 to 14.3", []string{"RT326"}},
	{"change_table", "a change_table block it cannot inspect", []string{"RT707"}},
	{"create_table", "create_table force: true", []string{"RT108"}},
	{"execute", "raw SQL it cannot inspect", []string{"RT707"}},
	{"change_column_null", "change_column_null with a default (a one-statement backfill)", []string{"RT606"}},
	{"change_column_null_postgresql", "SET NOT NULL on PostgreSQL", []string{"RT309"}},
	{"change_column_null_mysql", "NOT NULL without strict mode", []string{"RT414"}},
	{"add_foreign_key", "a validated foreign key", []string{"RT306", "RT408"}},
	{"validate_foreign_key", "VALIDATE in the transaction that added it", []string{"RT308"}},
	{"add_check_constraint", "a validated CHECK", []string{"RT307"}},
	{"add_check_constraint_mysql", "a CHECK on MySQL/MariaDB", []string{"RT409"}},
	{"validate_check_constraint", "VALIDATE in the transaction that added it", []string{"RT308"}},
	{"add_exclusion_constraint", "an exclusion constraint", []string{"RT313"}},
	{"add_unique_constraint", "a UNIQUE constraint building its index under a lock", []string{"RT304"}},
}

// eugeneCodes are eugene's lint and trace codes.
var eugeneCodes = []coverageRow{
	{"E1", "validating a constraint under a lock (no NOT VALID)", []string{"RT306", "RT307"}},
	{"E2", "SET NOT NULL scanning under ACCESS EXCLUSIVE", []string{"RT309"}},
	{"E3", "json column", []string{"RT210"}},
	{"E4", "more statements after taking ACCESS EXCLUSIVE", []string{"RT322", "RT706"}},
	{"E5", "type change that rewrites the table", []string{"RT312"}},
	{"E6", "CREATE INDEX without CONCURRENTLY", []string{"RT301"}},
	{"E7", "UNIQUE constraint building its index", []string{"RT304"}},
	{"E8", "exclusion constraint", []string{"RT313"}},
	{"E9", "no lock timeout", []string{"RT701"}},
	{"E10", "table rewrite while holding ACCESS EXCLUSIVE", []string{"RT314"}},
	{"E11", "stored generated or serial column added", []string{"RT311"}},
	{"W12", "several ALTERs of one table", []string{"RT323"}},
	{"W13", "enum type", []string{"RT814"}},
	{"W14", "primary key over nullable columns", []string{"RT327"}},
	{"E15", "foreign key without an index on its columns", []string{"RT324"}},
}

// ruleStatus is the status column of a catalogue rule.
func ruleStatus(c catalogueRule) string {
	r := RuleByCode(c.code)
	switch {
	case r != nil && r.Doc.Before != "":
		return "built, with schema state"
	case r != nil && r.Severity == Off:
		return "built, opt-in"
	case r != nil:
		return "built"
	}
	return "not built: " + notBuilt[c.code]
}

// codeLink is an RT code linked to its rule section, or plain with a
// note when it is not built yet.
func codeLink(code string) string {
	if r := RuleByCode(code); r != nil {
		return fmt.Sprintf("[%s](#%s-%s)", code, strings.ToLower(code), r.Name)
	}
	return code + " (pending)"
}

func coverageTable(b *strings.Builder, head string, rows []coverageRow) {
	fmt.Fprintf(b, "\n| %s | checks | retort |\n|---|---|---|\n", head)
	for _, r := range rows {
		var links []string
		for _, c := range r.codes {
			links = append(links, codeLink(c))
		}
		fmt.Fprintf(b, "| `%s` | %s | %s |\n", r.name, r.what, strings.Join(links, ", "))
	}
}

// coverageMarkdown is the generated part of docs/lint.md's Coverage
// section.
func coverageMarkdown() string {
	var b strings.Builder
	b.WriteString("\n### squawk\n")
	coverageTable(&b, "squawk rule", squawkRules)
	b.WriteString("\n### Atlas (open-source analyzers)\n")
	coverageTable(&b, "analyzer", atlasOSS)
	b.WriteString("\n### strong_migrations\n")
	coverageTable(&b, "check", strongMigrations)
	b.WriteString("\n### eugene\n")
	coverageTable(&b, "code", eugeneCodes)
	b.WriteString("\n### Every catalogue rule\n\nDetect: T tokens, P parser, F in-file flow, C schema state before the statement, V server version, L lock tracing.\n")
	b.WriteString("\n| code | rule | detect | status |\n|---|---|---|---|\n")
	for _, c := range catalogue {
		code := c.code
		if RuleByCode(code) != nil {
			code = codeLink(code)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", code, c.name, c.detect, ruleStatus(c))
	}
	b.WriteString("\n")
	return b.String()
}

// TestLintCoverage checks the catalogue against the rules: each
// catalogue rule is built (under its catalogue name), pending schema
// state, or not built with a reason; each rule is the catalogue's or
// retort's own; each code another tool's check maps to is a catalogue
// rule that is built or pending.
func TestLintCoverage(t *testing.T) {
	if len(catalogue) != 101 {
		t.Errorf("the catalogue has %d rules, want 101", len(catalogue))
	}
	inCatalogue := map[string]bool{}
	for _, c := range catalogue {
		if inCatalogue[c.code] {
			t.Errorf("%s twice in the catalogue", c.code)
		}
		inCatalogue[c.code] = true
		r := RuleByCode(c.code)
		reason, skipped := notBuilt[c.code]
		switch {
		case r != nil && r.Name != c.name:
			t.Errorf("%s is named %s, the catalogue names it %s", c.code, r.Name, c.name)
		case r != nil && skipped:
			t.Errorf("%s is built, yet listed as not built (%s)", c.code, reason)
		case r == nil && (!skipped || reason == ""):
			t.Errorf("%s %s is neither built nor listed as not built with a reason", c.code, c.name)
		}
	}
	for _, r := range Rules() {
		if !inCatalogue[r.Code] && ownRules[r.Code] == "" {
			t.Errorf("%s %s is neither a catalogue rule nor listed among retort's own", r.Code, r.Name)
		}
	}
	for _, m := range []struct {
		tool string
		want int
		rows []coverageRow
	}{
		{"squawk", 38 + 4, squawkRules}, // 38 rules, 2 older names, 2 meta checks
		{"Atlas OSS", 13, atlasOSS},
		{"strong_migrations", 30, strongMigrations},
		{"eugene", 15, eugeneCodes},
	} {
		if len(m.rows) != m.want {
			t.Errorf("%s: %d rows, want %d", m.tool, len(m.rows), m.want)
		}
		seen := map[string]bool{}
		for _, row := range m.rows {
			if seen[row.name] {
				t.Errorf("%s: %s twice", m.tool, row.name)
			}
			seen[row.name] = true
			if len(row.codes) == 0 {
				t.Errorf("%s: %s maps to no rule", m.tool, row.name)
			}
			for _, code := range row.codes {
				switch {
				case !inCatalogue[code]:
					t.Errorf("%s: %s maps to %s, no catalogue rule", m.tool, row.name, code)
				case RuleByCode(code) == nil:
					t.Errorf("%s: %s maps to %s, which is not built (%s)", m.tool, row.name, code, notBuilt[code])
				}
			}
		}
	}
}

// TestLintDocsCoverage keeps the Coverage section of docs/lint.md equal
// to the tables above (go test ./lint -run TestLintDocsCoverage -update).
func TestLintDocsCoverage(t *testing.T) {
	syncMarked(t, filepath.Join("..", "docs", "lint.md"), coverageBegin, coverageEnd, coverageMarkdown(), "coverage tables", "TestLintDocsCoverage")
}
