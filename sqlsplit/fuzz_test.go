package sqlsplit

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzSplit checks the invariants of checkSplit on arbitrary input, with
// the three presets and with an arbitrary Options made of the fuzzer's
// bits. The seed corpus is testdata/*.sql; regressions live in
// testdata/fuzz/FuzzSplit.
func FuzzSplit(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.sql"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src), uint16(0x7ff))
	}
	for _, s := range []string{
		"SELECT 1; -- c\nSELECT 2",
		"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT CASE WHEN 1 THEN 2 END; END;",
		"DELIMITER $$\nSELECT 1$$\nDELIMITER ;\n",
		"-- +no-transaction\nVACUUM;",
		"SELECT $a$ ; $a$, E'\\'', '\\'', \"x\"\"\", `y`, [z];",
	} {
		f.Add(s, uint16(0))
	}
	f.Fuzz(func(t *testing.T, src string, bits uint16) {
		for _, d := range dialects {
			checkSplit(t, src, d.opts)
		}
		checkSplit(t, src, optsFromBits(bits))
	})
}
