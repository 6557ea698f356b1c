package script

import (
	"fmt"
	"os"
	"testing"
	"testing/fstest"
)

// revisionFile is a realistic generated revision: a header of about 250
// bytes and a body of a few statements.
func revisionFile(i int) string {
	return fmt.Sprintf(`-- revision: %012x
-- down_revision: %012x
-- branch_labels:
-- depends_on:
-- message: Add column number %d to the table of accounts
-- create_date: 2024-01-01 00:00:00 UTC

-- +upgrade
ALTER TABLE account ADD COLUMN c%d VARCHAR(255) NULL;
CREATE INDEX account_c%d ON account (c%d);

-- +downgrade
DROP INDEX account_c%d;
ALTER TABLE account DROP COLUMN c%d;
`, i+1, i, i, i, i, i, i, i)
}

const benchFiles = 5000

func benchFS() fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := range benchFiles {
		fsys[fmt.Sprintf("migrations/%06d_rev.sql", i)] = &fstest.MapFile{Data: []byte(revisionFile(i))}
	}
	return fsys
}

func benchDir(b *testing.B) string {
	dir := b.TempDir()
	for i := range benchFiles {
		if err := os.WriteFile(fmt.Sprintf("%s/%06d_rev.sql", dir, i), []byte(revisionFile(i)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

func BenchmarkLoad(b *testing.B) {
	b.Run("MapFS-5000", func(b *testing.B) {
		fsys := benchFS()
		b.ReportAllocs()
		for b.Loop() {
			ss, err := Load(fsys, "migrations", "migrations")
			if err != nil || len(ss) != benchFiles {
				b.Fatal(len(ss), err)
			}
		}
	})
	b.Run("DirFS-5000", func(b *testing.B) {
		fsys := os.DirFS(benchDir(b))
		b.ReportAllocs()
		for b.Loop() {
			ss, err := Load(fsys, ".", "migrations")
			if err != nil || len(ss) != benchFiles {
				b.Fatal(len(ss), err)
			}
		}
	})
	b.Run("LoadDir-5000", func(b *testing.B) {
		dir := benchDir(b)
		b.ReportAllocs()
		for b.Loop() {
			ss, err := LoadDir(dir, "migrations")
			if err != nil || len(ss) != benchFiles {
				b.Fatal(len(ss), err)
			}
		}
	})
	b.Run("LoadDirContent-5000", func(b *testing.B) {
		dir := benchDir(b)
		b.ReportAllocs()
		for b.Loop() {
			ss, err := LoadDirContent(dir, "migrations")
			if err != nil || len(ss) != benchFiles {
				b.Fatal(len(ss), err)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	content := revisionFile(1)
	b.ReportAllocs()
	b.SetBytes(int64(len(content)))
	for b.Loop() {
		if _, _, err := Parse([]byte(content), "x.sql"); err != nil {
			b.Fatal(err)
		}
	}
}
