package script

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// A squashed revision's replaces header is written only when set, and
// reads back as a list.
func TestRender_Replaces(t *testing.T) {
	tests := []struct {
		name     string
		replaces []string
		line     bool
	}{
		{"squashed", []string{"a1", "a2", "a3"}, true},
		{"plain", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := Render(Header{Revision: "s1", Message: "m", Replaces: tt.replaces}, "SELECT 1;", "SELECT 2;")
			if got := slices.Contains(strings.Split(string(content), "\n"), "-- replaces: a1, a2, a3"); got != tt.line {
				t.Errorf("replaces line written: %v, want %v\n%s", got, tt.line, content)
			}
			sc, _, err := Parse(content, "s1.sql")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sc.Replaces, tt.replaces) {
				t.Errorf("Replaces = %q, want %q", sc.Replaces, tt.replaces)
			}
		})
	}
}

// The archive folder's files load marked Archived, under prefix/archive;
// a folder without one gives none.
func TestLoadArchive(t *testing.T) {
	rev := func(id string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("-- revision: " + id + "\n-- down_revision:\n\n-- +upgrade\n")}
	}
	fsys := fstest.MapFS{"m/1_a.sql": rev("a"), "m/archive/0_z.sql": rev("z"), "m/archive/README.md": {Data: []byte("x")}}
	live, err := Load(fsys, "m", "migrations")
	if err != nil || len(live) != 1 || live[0].Archived {
		t.Fatalf("Load: %v, %v", live, err)
	}
	archived, err := LoadArchive(fsys, "m", "migrations")
	if err != nil || len(archived) != 1 || !archived[0].Archived || archived[0].Path != "migrations/archive/0_z.sql" {
		t.Fatalf("LoadArchive: %+v, %v", archived, err)
	}
	if none, err := LoadArchive(fstest.MapFS{"m/1_a.sql": rev("a")}, "m", "migrations"); err != nil || none != nil {
		t.Errorf("LoadArchive without an archive folder: %v, %v", none, err)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ArchiveDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ArchiveDir, "0_z.sql"), fsys["m/archive/0_z.sql"].Data, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := LoadArchiveDir(dir, "migrations")
	if err != nil || len(got) != 1 || !got[0].Archived || got[0].Path != filepath.Join("migrations", "archive", "0_z.sql") {
		t.Fatalf("LoadArchiveDir: %+v, %v", got, err)
	}
	if none, err := LoadArchiveDir(t.TempDir(), "x"); err != nil || none != nil {
		t.Errorf("LoadArchiveDir without an archive folder: %v, %v", none, err)
	}
}
