package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lintVersionCorpus lints each "-- case:" of testdata/corpus/<name>.sql as a
// revision of its own for dialect d (a first line "-- server: X" sets
// lint.server_version) and compares the findings, and the rules skipped
// for want of a version, with <name>.golden.
func lintVersionCorpus(t *testing.T, name, d string, min int) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "corpus", name+".sql"))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	n := 0
	for _, part := range strings.Split(string(src), "\n-- case: ")[1:] {
		title, body, _ := strings.Cut(part, "\n")
		n++
		var s Settings
		if server, rest, ok := strings.Cut(body, "\n"); ok && strings.HasPrefix(server, "-- server: ") {
			v, err := ParseServerVersion(strings.TrimPrefix(server, "-- server: "))
			if err != nil {
				t.Fatalf("case %s: %v", title, err)
			}
			s.Server, body = &v, rest
		}
		rev, err := SQLRevision("migrations/abc123.sql", []byte(file(strings.TrimSpace(body))), []string{d})
		if err != nil {
			t.Fatalf("case %s: %v", title, err)
		}
		res := Lint([]*Revision{rev}, s)
		fmt.Fprintf(&out, "%s: %s", title, strings.Join(codes(res.Findings), " "))
		if len(res.Skipped) > 0 {
			fmt.Fprintf(&out, " (skipped %s)", strings.Join(res.Skipped, " "))
		}
		out.WriteByte('\n')
	}
	if n < min {
		t.Fatalf("the corpus has %d cases, want %d or more", n, min)
	}
	checkGolden(t, filepath.Join("testdata", "corpus", name+".golden"), out.String(), "Corpus")
}

func TestMySQLCorpus(t *testing.T)  { lintVersionCorpus(t, "mysql", MySQL, 40) }
func TestSQLiteCorpus(t *testing.T) { lintVersionCorpus(t, "sqlite", SQLite, 20) }
