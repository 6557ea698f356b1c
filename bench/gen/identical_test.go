package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestOutputUnchanged pins what gen writes for every tool and shape: the
// SHA-256 over every written file (its path under the output folder, then
// its content), recorded from the generator as it was before the graph
// moved to internal/graphgen. A change here changes every benchmark's
// input; if it is meant, record the new sum and say why in the commit.
func TestOutputUnchanged(t *testing.T) {
	const want = "d86899108d81b05374ca68aeeb8a6d7dece26555fce988f98aec1c93b16bcf7c"
	out := t.TempDir()
	for _, shape := range []string{"chain", "branchy", "dense"} {
		revs, err := Generate(400, 3, shape)
		if err != nil {
			t.Fatal(err)
		}
		for tool, write := range map[string]func(string, []Revision) error{
			"retort": WriteRetort, "alembic": WriteAlembic, "goose": WriteGoose, "migrate": WriteMigrate,
			"dbmate": WriteDbmate, "sqitch": WriteSqitch, "plain": WritePlain,
		} {
			if err := write(filepath.Join(out, shape, tool), revs); err != nil {
				t.Fatal(err)
			}
		}
	}
	h := sha256.New()
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(out, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		h.Write([]byte(filepath.ToSlash(rel) + "\x00"))
		h.Write(b)
		h.Write([]byte{0})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("gen's output changed: sum %s, want %s", got, want)
	}
}
