package script

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
)

func rev(id, down string) string {
	return fmt.Sprintf("-- revision: %s\n-- down_revision: %s\n-- message: revision %s\n\n-- +upgrade\nSELECT 1;\n\n-- +downgrade\nSELECT 2;\n", id, down, id)
}

func ids(ss []*Script) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Revision)
	}
	return out
}

func paths(ss []*Script) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Path)
	}
	return out
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"mig/20240102_b.sql":      {Data: []byte(rev("b", "a"))},
		"mig/20240101_a.sql":      {Data: []byte(rev("a", ""))},
		"mig/20240103_c.sql":      {Data: []byte(rev("c", "b"))},
		"mig/2024_z.sql":          {Data: []byte(rev("z", "c"))}, // after 20240103: '0' < '_'
		"mig/README.md":           {Data: []byte("# not a revision")},
		"mig/notes.txt":           {Data: []byte("not a revision")},
		"mig/x.sql.bak":           {Data: []byte("not a revision")},
		"mig/.hidden.sql":         {Data: []byte("garbage")},
		"mig/_draft.sql":          {Data: []byte("garbage")},
		"mig/sub.sql/inner.sql":   {Data: []byte("garbage")}, // a folder named *.sql
		"mig/nested/20240104.sql": {Data: []byte(rev("n", "c"))},
		"other/1.sql":             {Data: []byte(rev("o", ""))},
	}
	tests := []struct {
		name, dir, prefix string
		ids, paths        []string
	}{
		{"prefix", "mig", "migrations",
			[]string{"a", "b", "c", "z"},
			[]string{"migrations/20240101_a.sql", "migrations/20240102_b.sql", "migrations/20240103_c.sql", "migrations/2024_z.sql"}},
		{"no prefix", "other", "", []string{"o"}, []string{"1.sql"}},
		{"prefix with a slash", "other", "a/b/", []string{"o"}, []string{"a/b/1.sql"}},
		{"subfolder", "mig/nested", "m", []string{"n"}, []string{"m/20240104.sql"}},
		{"root", ".", "r", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss, err := Load(fsys, tt.dir, tt.prefix)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(ss), tt.ids) || !slices.Equal(paths(ss), tt.paths) {
				t.Errorf("Load = %v %v\nwant %v %v", ids(ss), paths(ss), tt.ids, tt.paths)
			}
			for _, s := range ss {
				if b, err := s.Body(); err != nil || !b.Upgrade.Present {
					t.Errorf("%s: Body = %+v, %v", s.Path, b, err)
				}
			}
		})
	}
	t.Run("missing folder", func(t *testing.T) {
		_, err := Load(fsys, "nope", "migrations")
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "migrations") {
			t.Errorf("Load = %v, want an error wrapping fs.ErrNotExist that names the folder", err)
		}
	})
	t.Run("empty folder", func(t *testing.T) {
		ss, err := Load(fstest.MapFS{"d/README.md": {}}, "d", "d")
		if err != nil || len(ss) != 0 {
			t.Errorf("Load = %v, %v", ss, err)
		}
	})
}

func TestLoadReportsFirstErrorInNameOrder(t *testing.T) {
	fsys := fstest.MapFS{}
	for i := range 200 {
		fsys[fmt.Sprintf("m/%04d.sql", i)] = &fstest.MapFile{Data: []byte(rev(fmt.Sprint("r", i), ""))}
	}
	fsys["m/0150.sql"] = &fstest.MapFile{Data: []byte("-- revision: x\n-- down_revison: y\n-- +upgrade\n")}
	fsys["m/0170.sql"] = &fstest.MapFile{Data: []byte("SELECT 1;\n")}
	fsys["m/0100.sql"] = &fstest.MapFile{Data: []byte("-- revision: x\n")}
	for range 5 { // the workers finish in any order
		_, err := Load(fsys, "m", "m")
		checkParseError(t, "Load", err, `m/0100.sql:1: no "-- +upgrade" line: every revision needs an upgrade section`)
	}
}

// countingFS serves the files of a MapFS, counting the bytes read from
// them. A file whose name contains "endless" never ends: after its data
// comes SQL for ever. Reading more than a MiB of one file is an error.
type countingFS struct {
	fstest.MapFS
	read  atomic.Int64
	opens atomic.Int64
}

type countingFile struct {
	fs.File
	fsys    *countingFS
	endless bool
	read    int64
}

const tooFar = 1 << 20

func (c *countingFile) Read(p []byte) (int, error) {
	if c.read > tooFar {
		return 0, errors.New("read more than a MiB: the whole file is being read")
	}
	n, err := c.File.Read(p)
	if err == io.EOF && c.endless {
		n, err = copy(p, strings.Repeat("INSERT INTO t VALUES (1);\n", 1+len(p)/26)), nil
	}
	c.read += int64(n)
	c.fsys.read.Add(int64(n))
	return n, err
}

func (c *countingFS) Open(name string) (fs.File, error) {
	f, err := c.MapFS.Open(name)
	if err != nil {
		return nil, err
	}
	if _, isDir := f.(fs.ReadDirFile); isDir {
		return f, nil
	}
	c.opens.Add(1)
	return &countingFile{File: f, fsys: c, endless: strings.Contains(name, "endless")}, nil
}

func TestLoadReadsOnlyHeaders(t *testing.T) {
	for _, n := range []int{1, 2, 500} { // 500 is read by several goroutines
		t.Run(fmt.Sprint(n, " files"), func(t *testing.T) {
			fsys := &countingFS{MapFS: fstest.MapFS{}}
			headers := 0
			for i := range n {
				head := fmt.Sprintf("-- revision: r%d\n-- down_revision:\n-- message: m\n\n-- +upgrade\n", i)
				headers += len(head)
				fsys.MapFS[fmt.Sprintf("m/%04d_endless.sql", i)] = &fstest.MapFile{Data: []byte(head)}
			}
			ss, err := Load(fsys, "m", "m")
			if err != nil {
				t.Fatal(err)
			}
			if len(ss) != n || ss[n-1].Revision != fmt.Sprint("r", n-1) {
				t.Fatalf("Load gave %d scripts", len(ss))
			}
			if read := fsys.read.Load(); read > int64(n*headBufSize) {
				t.Errorf("Load read %d bytes for %d headers of %d bytes in all", read, n, headers)
			}
			if opens := fsys.opens.Load(); opens != int64(n) {
				t.Errorf("Load opened %d files, want %d", opens, n)
			}
		})
	}
	t.Run("large real files", func(t *testing.T) {
		big := strings.Repeat("INSERT INTO t VALUES ('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');\n", 20000)
		fsys := &countingFS{MapFS: fstest.MapFS{
			"m/1.sql": {Data: []byte("-- revision: a\n-- down_revision:\n-- +upgrade\n" + big)},
			"m/2.sql": {Data: []byte("-- revision: b\n-- down_revision: a\n-- +upgrade\n" + big + "-- +downgrade\n")},
		}}
		ss, err := Load(fsys, "m", "m")
		if err != nil {
			t.Fatal(err)
		}
		if read := fsys.read.Load(); read > 2*headBufSize {
			t.Errorf("Load read %d bytes of two files of %d bytes", read, len(big))
		}
		body, err := ss[1].Body()
		if err != nil || len(body.Upgrade.SQL) != len(big) || !body.Downgrade.Present {
			t.Errorf("Body: %v", err)
		}
	})
}

func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("long ", 1000) // a header longer than one read
	writeFiles(t, dir, map[string]string{
		"3_c.sql":       rev("c", "b"),
		"1_a.sql":       strings.Replace(rev("a", ""), "-- message: revision a", "-- message: "+long, 1),
		"2_b.sql":       "\ufeff" + strings.ReplaceAll(rev("b", "a"), "\n", "\r\n"),
		"_draft.sql":    "garbage",
		".swp.sql":      "garbage",
		"README.md":     "garbage",
		"sub.sql/x.sql": "garbage",
	})
	for name, load := range map[string]func(string, string) ([]*Script, error){
		"LoadDir":        LoadDir,
		"LoadDirContent": LoadDirContent,
		"Load":           func(dir, prefix string) ([]*Script, error) { return Load(os.DirFS(dir), ".", prefix) },
	} {
		t.Run(name, func(t *testing.T) {
			ss, err := load(dir, "mig")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(ss), []string{"a", "b", "c"}) {
				t.Errorf("ids %v", ids(ss))
			}
			if !slices.Equal(paths(ss), []string{"mig/1_a.sql", "mig/2_b.sql", "mig/3_c.sql"}) {
				t.Errorf("paths %v", paths(ss))
			}
			if ss[0].Message != strings.TrimSpace(long) || !slices.Equal(ss[1].DownRevisions, []string{"a"}) {
				t.Errorf("headers %+v %+v", ss[0], ss[1])
			}
			for _, s := range ss {
				b, err := s.Body()
				if err != nil || b.Upgrade.SQL != "SELECT 1;\n\n" || b.Downgrade.SQL != "SELECT 2;\n" {
					t.Errorf("%s: Body = %+v, %v", s.Path, b, err)
				}
			}
			_, err = load(filepath.Join(dir, "nope"), "mig/nope")
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("missing folder: %v", err)
			}
		})
	}
	t.Run("errors", func(t *testing.T) {
		writeFiles(t, dir, map[string]string{"4_bad.sql": "-- revision: d\n-- down_revision: c\n-- depneds_on: a\n-- +upgrade\n"})
		_, err := LoadDir(dir, "mig")
		checkParseError(t, "LoadDir", err, `mig/4_bad.sql:3: unknown header "depneds_on" (did you mean "depends_on"?)`)
		_, err = LoadDirContent(dir, "mig")
		checkParseError(t, "LoadDirContent", err, `mig/4_bad.sql:3: unknown header "depneds_on" (did you mean "depends_on"?)`)
	})
}

// TestLoadDirContentReadsOnce checks that LoadDirContent keeps what it
// read: Body works on it after the file is gone, and the checksum is the
// one of the content loaded, not of a later edit.
func TestLoadDirContentReadsOnce(t *testing.T) {
	dir := t.TempDir()
	a, b := rev("a", ""), "\ufeff"+strings.ReplaceAll(rev("b", "a"), "\n", "\r\n")
	writeFiles(t, dir, map[string]string{"1_a.sql": a, "2_b.sql": b})
	ss, err := LoadDirContent(dir, "mig")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "1_a.sql")); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{"2_b.sql": rev("b", "a") + "-- edited\n"})
	for i, content := range []string{a, b} {
		body, err := ss[i].Body()
		if err != nil {
			t.Fatalf("%s: %v", ss[i].Path, err)
		}
		if body.Checksum != Checksum([]byte(content)) {
			t.Errorf("%s: checksum of another content", ss[i].Path)
		}
	}
}

func TestLoadDirMany(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 300 {
		files[fmt.Sprintf("%04d.sql", i)] = rev(fmt.Sprint("r", i), fmt.Sprint("r", i-1))
	}
	writeFiles(t, dir, files)
	ss, err := LoadDir(dir, "m")
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range ss {
		if s.Revision != fmt.Sprint("r", i) || s.Path != fmt.Sprintf("m/%04d.sql", i) {
			t.Fatalf("script %d: %s %s", i, s.Revision, s.Path)
		}
	}
}
