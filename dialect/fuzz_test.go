package dialect_test

import (
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/sqlsplit"
)

// FuzzLiteral: whatever the text, its literal on each dialect either is
// refused (NUL, invalid UTF-8) or stays one token: a statement holding it
// followed by another statement splits into exactly those two, the first
// unchanged, so no value can end its quotes and run as SQL. The same
// holds for the value inlined into a placeholder by Execute offline.
func FuzzLiteral(f *testing.F) {
	for _, s := range []string{"", "'", "''", `\`, `\'`, "'; DROP TABLE x; --", "$$", "$a$", "-- x", "/* x", "*/",
		"\n", "\r\n", "é", "😀", "a\u0301", "\u2028", "`", `"`, "#", "?", "$1", "E'", "\\\\'"} {
		f.Add(s)
	}
	dialects := []dialect.Dialect{postgres.New(), mysql.New(), sqlite.New()}
	f.Fuzz(func(t *testing.T, s string) {
		for _, d := range dialects {
			lit, err := d.Literal(s)
			if err != nil {
				if !strings.ContainsRune(s, 0) && isUTF8(s) && d.Name() != "sqlite" {
					t.Fatalf("%s: Literal(%q) = %v", d.Name(), s, err)
				}
				continue
			}
			for _, stmt := range []string{"SELECT " + lit, mustInline(t, d, s)} {
				parts, err := sqlsplit.Split(stmt+";\nSELECT 1;", d.SplitOptions())
				if err != nil {
					t.Fatalf("%s: %q does not split: %v", d.Name(), stmt, err)
				}
				if len(parts) != 2 || parts[0].Text != strings.TrimSpace(stmt) || parts[1].Text != "SELECT 1" {
					t.Fatalf("%s: the literal of %q escapes its quotes: %q split into %d statements", d.Name(), s, stmt, len(parts))
				}
			}
		}
	})
}

func mustInline(t *testing.T, d dialect.Dialect, s string) string {
	out, err := dialect.Inline(d, "SELECT ?", []any{s})
	if err != nil {
		t.Fatalf("%s: Inline(%q): %v", d.Name(), s, err)
	}
	return out
}

func isUTF8(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
