package importer

import (
	"testing"
	"testing/fstest"
)

// TestOutsideTx finds the statements PostgreSQL refuses in a transaction
// block, after comments, and nothing in others.
func TestOutsideTx(t *testing.T) {
	for _, c := range []struct {
		sql  string
		what string
		line int
	}{
		{"CREATE INDEX CONCURRENTLY a_b ON a (b);\n", "CREATE INDEX CONCURRENTLY", 1},
		{"-- the big table\n\ncreate unique index concurrently if not exists a_b on a (b);", "CREATE UNIQUE INDEX CONCURRENTLY", 3},
		{"DROP INDEX CONCURRENTLY a_b;", "DROP INDEX CONCURRENTLY", 1},
		{"/* nightly */ VACUUM ANALYZE a;", "VACUUM", 1},
		{"REINDEX INDEX CONCURRENTLY a_b;", "REINDEX CONCURRENTLY", 1},
		{"REINDEX DATABASE app;", "REINDEX DATABASE", 1},
		{"CREATE TABLE a (b INT);\nCREATE INDEX CONCURRENTLY a_b ON a (b);", "CREATE INDEX CONCURRENTLY", 2},
		{"CREATE INDEX a_b ON a (b);", "", 0},
		{"REINDEX INDEX a_b;", "", 0},
		{"INSERT INTO notes VALUES ('CREATE INDEX CONCURRENTLY');", "", 0},
		{"-- CREATE INDEX CONCURRENTLY a_b ON a (b);\nSELECT 1;", "", 0},
		{"CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN VACUUM; END $$;", "", 0},
	} {
		what, line := outsideTx(c.sql)
		if what != c.what || line != c.line {
			t.Errorf("outsideTx(%q) = %q, %d; want %q, %d", c.sql, what, line, c.what, c.line)
		}
	}
}

// TestNoTxDetected: a golang-migrate file, or a Flyway script without a
// .conf, that holds CREATE INDEX CONCURRENTLY alone ran outside a
// transaction (golang-migrate sends the file whole; Flyway sees the
// statement), so its revision is marked -- +no-transaction, with a
// warning; the other files are not.
func TestNoTxDetected(t *testing.T) {
	for _, c := range []struct {
		tool  string
		files fstest.MapFS
	}{
		{"golang-migrate", fstest.MapFS{
			"1_a.up.sql":   {Data: []byte("CREATE TABLE a (b INT);\n")},
			"1_a.down.sql": {Data: []byte("DROP TABLE a;\n")},
			"2_b.up.sql":   {Data: []byte("CREATE INDEX CONCURRENTLY a_b ON a (b);\n")},
			"2_b.down.sql": {Data: []byte("DROP INDEX CONCURRENTLY a_b;\n")},
		}},
		{"flyway", fstest.MapFS{
			"V1__a.sql": {Data: []byte("CREATE TABLE a (b INT);\n")},
			"U1__a.sql": {Data: []byte("DROP TABLE a;\n")},
			"V2__b.sql": {Data: []byte("CREATE INDEX CONCURRENTLY a_b ON a (b);\n")},
			"U2__b.sql": {Data: []byte("DROP INDEX CONCURRENTLY a_b;\n")},
		}},
	} {
		t.Run(c.tool, func(t *testing.T) {
			res, err := Read(c.tool, c.files, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Revisions) != 2 {
				t.Fatalf("%d revisions, want 2", len(res.Revisions))
			}
			a, b := res.Revisions[0], res.Revisions[1]
			if a.NoTxUp || a.NoTxDown || !b.NoTxUp || !b.NoTxDown {
				t.Errorf("no-transaction up/down: first %v/%v, second %v/%v; want false/false, true/true", a.NoTxUp, a.NoTxDown, b.NoTxUp, b.NoTxDown)
			}
			n := 0
			for _, w := range res.Warnings {
				if w.Path == b.Path || w.Path == b.DownPath {
					n++
				}
			}
			if n != 2 {
				t.Errorf("%d warnings about the second migration's files, want 2: %+v", n, res.Warnings)
			}
		})
	}
}
