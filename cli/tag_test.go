package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTagFlag checks the tags upgrade and downgrade refuse before they
// connect: exit status 2, a message that says why, nothing run.
func TestTagFlag(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "retort.toml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"empty", []string{"upgrade", "--tag", ""}, "retort: --tag is empty: give a tag such as a release number, or leave the option out\n"},
		{"blank", []string{"downgrade", "base", "--tag", "  "}, "retort: --tag is empty"},
		{"newline", []string{"upgrade", "--tag", "two\nlines"}, `retort: --tag: tag "two\nlines" has a control character (a newline, a tab, ...)`},
		{"too long", []string{"downgrade", "base", "--tag=" + strings.Repeat("x", 256)}, "retort: --tag: tag is 256 characters long; the history table holds at most 255\n"},
		{"not UTF-8", []string{"upgrade", "--tag", "a\xffb"}, `retort: --tag: tag "a\xffb" is not valid UTF-8`},
		{"twice", []string{"upgrade", "--tag", "a", "--tag=b"}, "retort: --tag given 2 times (a, b): a run records one tag\n"},
		{"no value", []string{"upgrade", "--tag"}, "retort: option --tag needs a value (TAG)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			db := filepath.Join(dir, tc.name+".db")
			args := append([]string{"-C", dir, "--url", "sqlite:///" + db}, tc.args...)
			code := Main(context.Background(), args, strings.NewReader(""), &stdout, &stderr, WithGetenv(func(string) string { return "" }))
			if code != ExitUsage || !strings.Contains(stderr.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, stderr.String(), ExitUsage, tc.want)
			}
			if _, err := os.Stat(db); !os.IsNotExist(err) {
				t.Fatalf("the database was opened: %v", err)
			}
		})
	}
}
