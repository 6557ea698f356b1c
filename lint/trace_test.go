package lint

import (
	"strings"
	"testing"
)

func TestTraceDisagrees(t *testing.T) {
	for _, tc := range []struct {
		name string
		tr   Trace
		want bool
	}{
		{"agrees", Trace{Known: true, Static: Share, Strongest: Share}, false},
		{"took stronger", Trace{Known: true, Static: Share, Strongest: AccessExclusive}, true},
		{"took weaker", Trace{Known: true, Static: AccessExclusive, Strongest: Share}, true},
		{"static mode already held", Trace{Known: true, Static: AccessExclusive, Strongest: NoLock, Held: []TraceLock{{"t", AccessExclusive}}}, false},
		{"another mode held", Trace{Known: true, Static: AccessExclusive, Strongest: NoLock, Held: []TraceLock{{"t", Share}}}, true},
		{"unknown statement", Trace{Static: NoLock, Strongest: Share}, false},
		{"failed", Trace{Known: true, Static: Share, Error: "boom"}, false},
		{"outside a transaction", Trace{Known: true, Static: ShareUpdateExclusive, OutsideTx: true}, false},
		{"skipped", Trace{Known: true, Static: Share, Skipped: "transaction control"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.tr.Disagrees(); got != tc.want {
				t.Errorf("Disagrees() = %v, want %v", got, tc.want)
			}
			if (tc.tr.Note() != "") != tc.want {
				t.Errorf("Note() = %q", tc.tr.Note())
			}
		})
	}
}

// TestTraceText checks where the trace blocks go in the text output:
// each after the findings of its statement.
func TestTraceText(t *testing.T) {
	r := &Result{
		Findings: []Finding{{Code: "RT301", Rule: "create-index-not-concurrently", Severity: Error, File: "m/2.sql", Line: 6, Message: "m"}},
		Trace: []Trace{
			{File: "m/2.sql", Line: 7, Statement: "ALTER TABLE t ADD COLUMN x int", Known: true, Static: AccessExclusive, Strongest: Share,
				Locks: []TraceLock{{"t", Share}}, Rewritten: []string{"t"}},
			{File: "m/2.sql", Line: 6, Statement: "CREATE INDEX i ON t (a)", Known: true, Static: Share, Strongest: Share, Locks: []TraceLock{{"t", Share}}, Scanned: []string{"t"}},
			{File: "m/1.sql", Line: 3, Statement: "BEGIN", Skipped: "transaction control"},
			{File: "m/3.sql", Line: 4, Statement: "CREATE INDEX CONCURRENTLY j ON t (b)", OutsideTx: true},
			{File: "m/3.sql", Line: 5, Statement: "ALTER TABLE nosuch ADD x int", Error: "relation does not exist"},
		},
	}
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `m/1.sql:3: trace: BEGIN
    not run: transaction control
m/2.sql:6: error RT301 create-index-not-concurrently: m
m/2.sql:6: trace: CREATE INDEX i ON t (a)
    locks: t ShareLock
    scanned: t
    rewritten: none
m/2.sql:7: trace: ALTER TABLE t ADD COLUMN x int
    locks: t ShareLock
    scanned: none
    rewritten: t
    note: lint's static lock class for this statement is AccessExclusiveLock, the server took ShareLock: the findings about its lock may be wrong (report it)
m/3.sql:4: trace: CREATE INDEX CONCURRENTLY j ON t (b)
    ran outside a transaction (it cannot run in one): its locks were released before pg_locks could show them
    rewritten: none
m/3.sql:5: trace: ALTER TABLE nosuch ADD x int
    failed on the scratch database: relation does not exist
1 error, 0 warnings, 0 infos
`
	if b.String() != want {
		t.Errorf("text output:\n%s\nwant:\n%s", b.String(), want)
	}
}
