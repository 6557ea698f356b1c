package retort

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// cliAdvice matches what only the CLI may say: a retort command
// ("retort stamp", "`retort current`") or a command-line flag
// ("--allow-changed"). A file marker such as "-- +downgrade" is not one.
var cliAdvice = regexp.MustCompile("retort [a-z]|(^|[\\s(`])--[a-z]")

// TestErrors_Neutral checks that the library's typed errors say what
// happened and where, and leave the commands to run to the CLI's hints.
func TestErrors_Neutral(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // the message contains it
	}{
		{"no downgrade section", &ScriptError{Revision: "b2", Path: "migrations/2_b.sql", Err: ErrNoDowngrade},
			"migrations/2_b.sql: revision b2 has no -- +downgrade section, so it cannot be downgraded"},
		{"no Downgrade function", &ScriptError{Revision: "b2", Path: "migrations/2_b.go", Err: noDowngradeFunc{}},
			"migrations/2_b.go: revision b2: it has no Downgrade function, so it cannot be downgraded"},
		{"not compiled", &ScriptError{Revision: "b2", Path: "migrations/2_b.go", Err: ErrNotCompiled},
			"this program was not built with it"},
		{"unknown revision", &UnknownRevisionError{Revision: "zz", Table: "retort_version"},
			"the version table retort_version names revision zz, which no revision file defines"},
		{"version rows", &VersionRowsError{Change: "update", Table: "retort_version", From: "a1", To: "a2", Rows: 0},
			"update version table retort_version (a1 -> a2): 0 rows matched, expected 1"},
		{"checksum", &ChecksumError{Changed: []ChecksumMismatch{{Revision: "a1", Path: "migrations/1_a.sql"}}},
			"files of applied revisions changed since they ran:\n  migrations/1_a.sql (a1)"},
		{"dirty", &DirtyError{Revision: "c3", Direction: "upgrade", Path: "migrations/3_c.sql", Done: 1, Total: 2, LastLine: 4, NextLine: 5},
			"revision c3 (upgrade) did not finish"},
		{"left dirty", &LeftDirtyError{Dirty: &DirtyError{Revision: "c3", Direction: "upgrade"}, Err: errors.New("server said no")},
			"the database is left dirty"},
		{"dialect section", &ScriptError{Revision: "d4", Path: "migrations/4_d.sql", Err: &DialectSectionError{Dialect: "mysql", Up: true, Have: []string{"postgres"}}},
			"no upgrade section for mysql"},
		{"offline run", &ScriptError{Revision: "e5", Path: "migrations/5_e.go", Err: ErrOfflineRun},
			"op.Run needs a live database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, err := range []error{tt.err, &PartialError{Failed: "x", Err: tt.err}, fmt.Errorf("upgrade: %w", tt.err)} {
				msg := err.Error()
				if !strings.Contains(msg, tt.want) {
					t.Errorf("message %q does not contain %q", msg, tt.want)
				}
				if m := cliAdvice.FindString(msg); m != "" {
					t.Errorf("message %q names a CLI command or flag (%q)", msg, m)
				}
			}
		})
	}
}

// TestErrors_NoDowngradeMatches checks that both kinds of missing
// downgrade match ErrNoDowngrade, which the CLI's hint is keyed on.
func TestErrors_NoDowngradeMatches(t *testing.T) {
	for _, inner := range []error{ErrNoDowngrade, noDowngradeFunc{}} {
		err := fmt.Errorf("downgrade: %w", &ScriptError{Revision: "b2", Path: "p", Err: inner})
		if !errors.Is(err, ErrNoDowngrade) {
			t.Errorf("%v does not match ErrNoDowngrade", err)
		}
	}
}
