package lint

import (
	"fmt"
	"testing"
)

// BenchmarkLint5000 lints 5,000 revisions of five statements each for
// one dialect, read from their files as the CLI does (the target:
// under a second without schema state).
func BenchmarkLint5000(b *testing.B) {
	files := make([][]byte, 5000)
	for i := range files {
		files[i] = []byte(fmt.Sprintf(`-- revision: r%05d
-- down_revision: r%05d
-- message: step %d

-- +upgrade
SET lock_timeout = '5s';
CREATE TABLE t%d (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());
CREATE INDEX t%d_name_idx ON t%d (name);
ALTER TABLE orders ADD COLUMN c%d text;
-- retort:ignore RT606 the table holds a few rows
UPDATE orders SET c%d = 'x';

-- +downgrade
DROP TABLE t%d;
`, i, i-1, i, i, i, i, i, i, i))
	}
	b.ReportAllocs()
	for b.Loop() {
		revs := make([]*Revision, len(files))
		for i, f := range files {
			rev, err := SQLRevision(fmt.Sprintf("m/r%05d.sql", i), f, []string{Postgres})
			if err != nil {
				b.Fatal(err)
			}
			revs[i] = rev
		}
		res := Lint(revs, Settings{})
		if res.Count(Error) != 0 {
			b.Fatalf("findings: %+v", res.Findings[0])
		}
	}
}
