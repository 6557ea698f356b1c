package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort/examples/data-migration/migrations/versions"
)

// TestLintExamples: every project retort ships under examples/ lints
// without an error or a warning (issue 20: "the examples retort ships
// lint clean or carry a suppression with a reason"), with its own
// retort.toml, for the dialects it is written for.
func TestLintExamples(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		toml string   // retort.toml for a project without one
		args []string // lint's arguments
		opts []Option
	}{
		// SQLite projects: their retort.toml's URL makes `retort lint`
		// lint for SQLite, the only dialect they are written for (the
		// quickstart's trigger is SQLite's syntax).
		"quickstart":     {},
		"data-migration": {opts: []Option{WithRevisions(&versions.Registry)}},
		// A program embedding its SQL revisions, run on PostgreSQL or
		// SQLite (DATABASE_URL).
		"embedded": {toml: "script_location = \"migrations\"\n", args: []string{"--dialect", "postgres,sqlite"}},
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		ex := e.Name()
		t.Run(ex, func(t *testing.T) {
			tc, ok := cases[ex]
			if !ok {
				t.Fatalf("examples/%s: add it to TestLintExamples", ex)
			}
			// A copy: with the example's SQLite URL, lint opens the database.
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "examples", ex))); err != nil {
				t.Fatal(err)
			}
			if tc.toml != "" {
				if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte(tc.toml), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), append([]string{"-C", dir, "lint", "--strict"}, tc.args...), nil, &stdout, &stderr,
				append([]Option{WithGetenv(func(string) string { return "" })}, tc.opts...)...)
			if code != ExitOK || !strings.Contains(stdout.String(), "0 errors, 0 warnings") {
				t.Errorf("lint %v: exit %d\n%s%s", tc.args, code, stdout.String(), stderr.String())
			}
		})
	}
}
