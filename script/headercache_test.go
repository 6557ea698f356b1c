package script

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// loadedHeader is what a loader gives of a script, for comparing two loads.
type loadedHeader struct {
	Revision, Message, CreateDate, Path, Format string
	Down, Labels, Deps, Replaces                []string
	Lines                                       map[string]int
	Body                                        string
}

func headers(t *testing.T, ss []*Script) []loadedHeader {
	t.Helper()
	out := make([]loadedHeader, len(ss))
	for i, s := range ss {
		b, err := s.Body()
		if err != nil {
			t.Fatalf("body of %s: %v", s.Path, err)
		}
		out[i] = loadedHeader{s.Revision, s.Message, s.CreateDate, s.Path, s.Format,
			s.DownRevisions, s.BranchLabels, s.DependsOn, s.Replaces, s.HeaderLines(), fmt.Sprintf("%+v", b)}
	}
	return out
}

// cacheProject writes n SQL revisions (a chain, with labels, depends_on
// and a replaces list on some) and a Go file that is no revision.
func cacheProject(t *testing.T, dir string, n int) {
	t.Helper()
	for k := 1; k <= n; k++ {
		down := ""
		if k > 1 {
			down = fmt.Sprintf("r%03d", k-1)
		}
		extra := ""
		if k%3 == 0 {
			extra = "-- branch_labels: l" + fmt.Sprint(k) + ", m" + fmt.Sprint(k) + "\n"
		}
		if k%4 == 0 {
			extra += "-- depends_on: r001\n"
		}
		body := fmt.Sprintf("-- revision: r%03d\n-- down_revision: %s\n%s-- message: revision number %d\n-- create_date: 2024-01-01 00:00:00 UTC\n\n-- +upgrade\nSELECT %d;\n\n-- +downgrade\nSELECT -%d;\n",
			k, down, extra, k, k, k)
		writeFileT(t, filepath.Join(dir, fmt.Sprintf("%04d_r.sql", k)), body)
	}
	writeFileT(t, filepath.Join(dir, "helpers.go"), "package migrations\n")
}

func writeFileT(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// loadCached loads dir with the cache in cacheDir, the racy window
// measured from now, and returns the scripts and how many files were not
// read.
func loadCached(t *testing.T, dir, cacheDir string, now time.Time) ([]*Script, int64) {
	t.Helper()
	var hits atomic.Int64
	ss, err := loadDir(dir, "migrations", false, cacheOpts{dir: cacheDir, now: func() time.Time { return now }, hits: &hits})
	if err != nil {
		t.Fatal(err)
	}
	return ss, hits.Load()
}

// later is a clock past the racy window of the files a test just wrote.
func later() time.Time { return time.Now().Add(time.Hour) }

func TestHeaderCacheGivesWhatLoadDirGives(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	cacheProject(t, dir, 40)
	want, err := LoadDir(dir, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	first, hits := loadCached(t, dir, cacheDir, later())
	if hits != 0 {
		t.Errorf("first load: %d files from an empty cache", hits)
	}
	second, hits := loadCached(t, dir, cacheDir, later())
	if hits != 40 {
		t.Errorf("second load: %d files from the cache, want 40", hits)
	}
	for name, got := range map[string][]*Script{"first": first, "second": second} {
		if !reflect.DeepEqual(headers(t, got), headers(t, want)) {
			t.Errorf("%s load differs from LoadDir:\n got %+v\nwant %+v", name, headers(t, got), headers(t, want))
		}
	}
	if files, _ := filepath.Glob(filepath.Join(cacheDir, "*.hdr")); len(files) != 1 {
		t.Errorf("cache files %v, want one", files)
	}
}

// A file changed in place to the same size, with its modification time
// put back, keeps its inode and size: only its change time tells, and it
// is read again.
func TestHeaderCacheFileChangedInPlaceSameSize(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	cacheProject(t, dir, 10)
	loadCached(t, dir, cacheDir, later())
	path := filepath.Join(dir, "0005_r.sql")
	// The test's clock (later) takes files written a moment ago for old
	// ones; the change below must come in a later tick of the kernel's
	// clock than the writing, as it would outside the racy window.
	time.Sleep(50 * time.Millisecond)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(old), "revision number 5", "revision NUMBER 5", 1)
	if len(changed) != len(old) || changed == string(old) {
		t.Fatal("the change must keep the size")
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0) // in place: same inode
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte(changed), 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Chtimes(path, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	var stamp fileStamp
	if d, err := openDirHandle(dir); err == nil {
		stamp, _ = d.stamp("0005_r.sql")
		d.close()
	}
	if st2, err := os.Stat(path); err != nil || st2.Size() != st.Size() || !st2.ModTime().Equal(st.ModTime()) || stamp.ino == 0 {
		t.Fatalf("the change must keep size and modification time: %v", err)
	}
	ss, hits := loadCached(t, dir, cacheDir, later())
	if hits != 9 {
		t.Errorf("%d files from the cache, want 9 (all but the changed one)", hits)
	}
	if got := ss[4].Message; got != "revision NUMBER 5" {
		t.Errorf("message of the changed file %q, want the new one", got)
	}
}

// Files changed within the racy window of a load are not stored: a
// second change in the same clock tick could not be told from the first.
func TestHeaderCacheSkipsRacyFiles(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	cacheProject(t, dir, 10)
	now := time.Now()
	loadCached(t, dir, cacheDir, now)
	if _, hits := loadCached(t, dir, cacheDir, now); hits != 0 {
		t.Errorf("%d files from the cache, written within the racy window; want 0", hits)
	}
	if _, hits := loadCached(t, dir, cacheDir, later()); hits != 0 {
		t.Errorf("%d files from a cache that has none; want 0", hits)
	}
	if _, hits := loadCached(t, dir, cacheDir, later()); hits != 10 {
		t.Errorf("%d files from the cache once the files are old, want 10", hits)
	}
}

func TestHeaderCacheFilesAddedRemovedReplaced(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	cacheProject(t, dir, 10)
	loadCached(t, dir, cacheDir, later())
	if err := os.Remove(filepath.Join(dir, "0010_r.sql")); err != nil {
		t.Fatal(err)
	}
	// Replaced by a new file of the same size (a new inode, as editors
	// save).
	p := filepath.Join(dir, "0003_r.sql")
	old, _ := os.ReadFile(p)
	tmp := p + ".tmp"
	writeFileT(t, tmp, strings.Replace(string(old), "number 3", "numbar 3", 1))
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
	writeFileT(t, filepath.Join(dir, "0011_r.sql"), "-- revision: r011\n-- down_revision: r009\n\n-- +upgrade\nSELECT 11;\n")
	want, err := LoadDir(dir, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	got, hits := loadCached(t, dir, cacheDir, later())
	if hits != 8 {
		t.Errorf("%d files from the cache, want 8", hits)
	}
	if !reflect.DeepEqual(headers(t, got), headers(t, want)) {
		t.Errorf("load differs from LoadDir:\n got %+v\nwant %+v", headers(t, got), headers(t, want))
	}
	if got[2].Message != "revision numbar 3" {
		t.Errorf("replaced file's message %q", got[2].Message)
	}
}

func TestHeaderCacheIgnoresBadCacheFile(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	cacheProject(t, dir, 10)
	want, err := LoadDir(dir, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	loadCached(t, dir, cacheDir, later())
	files, _ := filepath.Glob(filepath.Join(cacheDir, "*.hdr"))
	if len(files) != 1 {
		t.Fatalf("cache files %v", files)
	}
	good, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	flipped := []byte(strings.Clone(string(good)))
	flipped[len(flipped)/2] ^= 0x20
	for name, data := range map[string][]byte{
		"empty": {}, "cut short": good[:len(good)/2], "a byte changed": flipped,
		"other version": []byte(strings.Replace(string(good), "cache 1", "cache 9", 1)),
	} {
		writeFileT(t, files[0], string(data))
		got, hits := loadCached(t, dir, cacheDir, later())
		if hits != 0 {
			t.Errorf("%s: %d files from a bad cache", name, hits)
		}
		if !reflect.DeepEqual(headers(t, got), headers(t, want)) {
			t.Errorf("%s: load differs from LoadDir", name)
		}
	}
	// The cache of another folder (same file name) is not used.
	other := t.TempDir()
	cacheProject(t, other, 10)
	data := encodeHeaderCache(other, nil, nil, nil)
	if _, err := decodeHeaderCache(data, dir); err == nil {
		t.Error("a cache of another folder decoded")
	}
}

// A file that does not parse is reported as LoadDir reports it, and is
// not in the cache.
func TestHeaderCacheBadFile(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	cacheProject(t, dir, 10)
	loadCached(t, dir, cacheDir, later())
	writeFileT(t, filepath.Join(dir, "0004_r.sql"), "-- revision: r004\n\n-- +upgrade\nSELECT 4;\n")
	_, want := LoadDir(dir, "migrations")
	_, err := loadDir(dir, "migrations", false, cacheOpts{dir: cacheDir, now: later})
	if want == nil || err == nil || err.Error() != want.Error() {
		t.Errorf("error %v, want %v", err, want)
	}
}

func TestLoadDirCachedBelowMinimumUsesNoCache(t *testing.T) {
	dir, cacheDir := t.TempDir(), t.TempDir()
	cacheProject(t, dir, 10)
	if _, err := LoadDirCached(dir, "migrations", cacheDir); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(cacheDir, "*")); len(files) != 0 {
		t.Errorf("cache files %v for 10 revisions (minimum %d)", files, MinCachedFiles)
	}
}
