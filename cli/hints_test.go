package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/script"
)

// TestErrorHint_Library checks that the advice the library's messages
// leave out (a command to run, a flag to pass) is on the CLI's hint, and
// that a wrapping error (a partial run, a wrapped error) keeps it.
func TestErrorHint_Library(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // the hint contains it; "" for no hint
	}{
		{"checksum", &retort.ChecksumError{Changed: []retort.ChecksumMismatch{{Revision: "a1", Path: "migrations/1_a.sql"}}},
			"or pass --allow-changed"},
		{"unknown revision", &retort.UnknownRevisionError{Revision: "zz", Table: "retort_version"},
			"check the schema by hand and run `retort stamp --purge REV`"},
		{"version rows", &retort.VersionRowsError{Change: "update", Table: "retort_version", From: "a1", To: "a2"},
			"check it with `retort current`"},
		{"no downgrade section", &retort.ScriptError{Revision: "b2", Path: "migrations/2_b.sql", Err: retort.ErrNoDowngrade},
			"add a -- +downgrade section (it may be empty), or stamp past it with `retort stamp`"},
		{"not compiled", &retort.ScriptError{Revision: "b2", Path: "migrations/2_b.go", Err: retort.ErrNotCompiled},
			"run the project's migrations program (go run ./migrations ...)"},
		{"changed since load", &script.ParseError{Path: "migrations/2_b.sql", Line: 1, Msg: "the header changed since the file was loaded", Err: script.ErrChangedSinceLoad},
			"run the command again"},
		{"graph", &revision.GraphError{Kind: revision.GraphMissing, Msg: "revision b has down_revision zz, which does not exist"}, ""},
		{"other", errors.New("boom"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, err := range []error{tt.err, &retort.PartialError{Failed: "x", Err: tt.err}, fmt.Errorf("upgrade: %w", tt.err)} {
				hint := errorHint(err)
				if tt.want == "" {
					if hint != "" {
						t.Errorf("hint %q, want none", hint)
					}
					continue
				}
				if !strings.Contains(hint, tt.want) {
					t.Errorf("hint %q does not contain %q", hint, tt.want)
				}
				if strings.Contains(err.Error(), tt.want) {
					t.Errorf("message %q repeats the hint", err)
				}
			}
		})
	}
}

// TestErrorHint_Hinted checks that a hint the command gave wins over the
// library's: the command knows better what to do at that point.
func TestErrorHint_Hinted(t *testing.T) {
	err := &hinted{err: &retort.UnknownRevisionError{Revision: "zz", Table: "v"}, hint: "the command's hint"}
	if got := errorHint(err); got != "the command's hint" {
		t.Errorf("hint %q, want the command's", got)
	}
}

// TestJSON_LibraryHint checks that under --json a checksum mismatch
// carries the CLI's advice in the hint field, and the neutral message in
// the error field.
func TestJSON_LibraryHint(t *testing.T) {
	dir := t.TempDir()
	revs := chain("aaaa", "bbbb")
	writeJSONProject(t, dir, revs[0])
	if _, stderr, code := runCLI(t, dir, nil, "upgrade", "head"); code != 0 {
		t.Fatalf("upgrade: exit %d\n%s", code, stderr)
	}
	writeJSONProject(t, dir, revs...)
	path := filepath.Join(dir, "migrations", "1_aaaa.sql")
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("-- an edit after the fact\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCLI(t, dir, nil, "--json", "upgrade", "head")
	if code != ExitFailure {
		t.Fatalf("exit %d, want %d\n%s", code, ExitFailure, stderr)
	}
	m := jsonLines(t, stderr)
	last := m[len(m)-1]
	msg, _ := last["error"].(string)
	hint, _ := last["hint"].(string)
	if !strings.Contains(msg, "files of applied revisions changed since they ran") || strings.Contains(msg, "--allow-changed") {
		t.Errorf("error %q: want the neutral checksum message", msg)
	}
	if !strings.HasSuffix(hint, "or pass --allow-changed") {
		t.Errorf("hint %q: want the --allow-changed advice", hint)
	}
	if last["revision"] != "aaaa" || last["file"] != "migrations/1_aaaa.sql" {
		t.Errorf("revision %v, file %v; want aaaa, migrations/1_aaaa.sql", last["revision"], last["file"])
	}
}
