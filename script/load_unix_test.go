//go:build unix

package script

import (
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

// A FIFO named like a revision must not block Load or LoadDir.
func TestLoadSkipsFIFO(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"1.sql": rev("a", "")})
	if err := syscall.Mkfifo(filepath.Join(dir, "2.sql"), 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	ss, err := LoadDir(dir, "m")
	if err != nil || !slices.Equal(ids(ss), []string{"a"}) {
		t.Errorf("LoadDir = %v, %v", ids(ss), err)
	}
	ss, err = Load(os.DirFS(dir), ".", "m")
	if err != nil || !slices.Equal(ids(ss), []string{"a"}) {
		t.Errorf("Load = %v, %v", ids(ss), err)
	}
}
