package sqlsplit

import (
	"fmt"
	"strings"
	"testing"
)

// benchSource generates about size bytes of varied SQL: DDL, DML with
// strings and comments, and routine bodies, in the given dialect.
func benchSource(dialect string, size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "-- step %d: add a column; keep the 'quotes'\n", i)
		fmt.Fprintf(&b, "ALTER TABLE account_%d ADD COLUMN email_%d VARCHAR(255) NULL DEFAULT 'a;b''c';\n", i%50, i)
		fmt.Fprintf(&b, "INSERT INTO audit (id, note, payload) VALUES (%d, \"note; %d\", '{\"k\": [1, 2, 3]}'); /* trailing; */\n", i, i)
		fmt.Fprintf(&b, "UPDATE account_%d SET name = lower(name), updated_at = CURRENT_TIMESTAMP\n  WHERE id BETWEEN %d AND %d AND name <> '';\n", i%50, i, i+100)
		switch dialect {
		case "postgresql":
			fmt.Fprintf(&b, "CREATE OR REPLACE FUNCTION f_%d() RETURNS trigger AS $body$\nBEGIN\n  NEW.x := NEW.x + 1; -- bump\n  RETURN NEW;\nEND;\n$body$ LANGUAGE plpgsql;\n", i)
			fmt.Fprintf(&b, "SELECT E'it\\'s', $1::int /* nested /* ; */ */;\n")
		case "mysql":
			fmt.Fprintf(&b, "CREATE TRIGGER t_%d BEFORE INSERT ON account FOR EACH ROW BEGIN\n  IF NEW.x < 0 THEN SET NEW.x = IF(NEW.y, 0, 1); END IF; # clamp\nEND;\n", i)
			fmt.Fprintf(&b, "SELECT `col;%d`, 'it\\'s' FROM t;\n", i)
		case "sqlite":
			fmt.Fprintf(&b, "CREATE TRIGGER t_%d AFTER INSERT ON account BEGIN\n  UPDATE stats SET n = CASE WHEN NEW.x THEN n + 1 ELSE n END;\n  DELETE FROM queue WHERE id = NEW.id;\nEND;\n", i)
			fmt.Fprintf(&b, "SELECT [col;%d], `x` FROM t;\n", i)
		}
	}
	return b.String()
}

func BenchmarkSplit(b *testing.B) {
	for _, d := range dialects {
		src := benchSource(d.name, 1<<20)
		b.Run(d.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Split(src, d.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestBenchSourceSplits(t *testing.T) {
	for _, d := range dialects {
		src := benchSource(d.name, 64<<10)
		stmts, err := checkSplit(t, src, d.opts)
		if err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		if len(stmts) < 100 {
			t.Fatalf("%s: only %d statements", d.name, len(stmts))
		}
	}
}
