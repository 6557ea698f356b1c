package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLintExamples: the SQL examples retort ships lint without errors.
func TestLintExamples(t *testing.T) {
	for _, ex := range []string{"quickstart"} {
		t.Run(ex, func(t *testing.T) {
			// A copy: with the example's SQLite URL, lint opens the database.
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "examples", ex))); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), []string{"-C", dir, "lint"}, nil, &stdout, &stderr,
				WithGetenv(func(string) string { return "" }))
			if code != ExitOK || !strings.Contains(stdout.String(), "0 errors") {
				t.Errorf("exit %d\n%s%s", code, stdout.String(), stderr.String())
			}
		})
	}
}
