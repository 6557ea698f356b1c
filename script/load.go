package script

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Load reads the headers of the *.sql and *.go files directly in dir of
// fsys (not in subfolders), in name order. It reads each SQL file only up
// to its -- +upgrade line, and each Go file whole, with go/parser (see
// ParseGo); a Go file without a script.GoRevision literal (registry.go,
// helpers) and a *_test.go file are not revisions and are skipped.
// Script.Path is path.Join(prefix, name). Files whose names start with "." or "_" are
// skipped (as the go tool does), and so are folders and other files. A missing dir is an error that wraps
// fs.ErrNotExist. Files are read concurrently, so fsys must allow
// concurrent Open and Read calls, as os.DirFS, embed.FS and
// fstest.MapFS do. The first malformed file in name order is reported as
// a *ParseError.
func Load(fsys fs.FS, dir, prefix string) ([]*Script, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read revision folder %s: %w", displayDir(prefix, dir), err)
	}
	names := revisionNames(entries)
	out := make([]*Script, len(names))
	errs := make([]error, len(names))
	parallel(len(names), func(i int, br *bufio.Reader, buf *[]byte) {
		name := path.Join(dir, names[i])
		display := path.Join(prefix, names[i])
		if isGoName(names[i]) {
			out[i], errs[i] = loadGo(fsys, name, display)
			return
		}
		f, err := fsys.Open(name)
		if err != nil {
			errs[i] = fmt.Errorf("read revision: %w", err)
			return
		}
		br.Reset(f)
		s, err := parseHeader(br, display, buf)
		f.Close()
		br.Reset(nil)
		if err != nil {
			errs[i] = err
			return
		}
		s.fsys, s.name = fsys, name
		out[i] = s
	})
	if err := firstError(errs); err != nil {
		return nil, err
	}
	return compact(out), nil
}

// loadGo reads the header of a Go file: nil, nil for a Go file that is
// not a revision.
func loadGo(fsys fs.FS, name, display string) (*Script, error) {
	content, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read revision: %w", err)
	}
	s, _, err := parseGo(content, display)
	if err != nil || s == nil {
		return nil, err
	}
	s.fsys, s.name = fsys, name
	return s, nil
}

// compact drops the nil entries (Go files that are not revisions).
func compact(ss []*Script) []*Script {
	return slices.DeleteFunc(ss, func(s *Script) bool { return s == nil })
}

func displayDir(prefix, dir string) string {
	if prefix != "" {
		return prefix
	}
	return dir
}

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// revisionNames returns the names of the entries that are revision files,
// sorted.
func revisionNames(entries []fs.DirEntry) []string {
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		n := e.Name()
		if !isRevisionName(n) || e.Type()&(fs.ModeDir|fs.ModeNamedPipe|fs.ModeSocket|fs.ModeDevice|fs.ModeIrregular) != 0 {
			continue
		}
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func isRevisionName(n string) bool {
	return (strings.HasSuffix(n, ".sql") || isGoName(n)) && !strings.HasPrefix(n, ".") && !strings.HasPrefix(n, "_")
}

// LoadDir is Load for a folder of the operating system's file system,
// with a faster way of opening and reading each file (plain system calls
// where there are, no finalizers) for the commands that only inspect the
// graph. dir is an OS path; Script.Path is filepath.Join(prefix, name).
// Body reads through os.DirFS(dir).
func LoadDir(dir, prefix string) ([]*Script, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read revision folder %s: %w", displayDir(prefix, dir), err)
	}
	names := revisionNames(entries)
	fsys := osDir{os.DirFS(dir), dir}
	out := make([]*Script, len(names))
	errs := make([]error, len(names))
	parallel(len(names), func(i int, br *bufio.Reader, buf *[]byte) {
		display := filepath.Join(prefix, names[i])
		if isGoName(names[i]) {
			out[i], errs[i] = loadGo(fsys, names[i], display)
			return
		}
		f, err := openFile(filepath.Join(dir, names[i]))
		if err != nil {
			errs[i] = fmt.Errorf("read revision: %w", err)
			return
		}
		br.Reset(f)
		s, err := parseHeader(br, display, buf)
		f.Close()
		br.Reset(nil)
		if err != nil {
			errs[i] = err
			return
		}
		s.fsys, s.name = fsys, names[i]
		out[i] = s
	})
	if err := firstError(errs); err != nil {
		return nil, err
	}
	return compact(out), nil
}

// headBufSize is the read size for headers: one read takes a typical
// header whole.
const headBufSize = 1024

// filesPerWorker is the fewest files worth another goroutine.
const filesPerWorker = 32

// parallel calls f(0..n-1) on up to 2×GOMAXPROCS goroutines (reading
// files is mostly waiting), each with its own reader and scratch buffer.
func parallel(n int, f func(i int, br *bufio.Reader, buf *[]byte)) {
	workers := min(2*runtime.GOMAXPROCS(0), (n+filesPerWorker-1)/filesPerWorker)
	work := func(next func() int) {
		br := bufio.NewReaderSize(nil, headBufSize)
		var buf []byte
		for i := next(); i < n; i = next() {
			f(i, br, &buf)
		}
	}
	if workers <= 1 {
		i := -1
		work(func() int { i++; return i })
		return
	}
	var counter atomic.Int64
	next := func() int { return int(counter.Add(1) - 1) }
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() { work(next) })
	}
	wg.Wait()
}

// osDir is os.DirFS(dir) with a cheaper ReadFile (see openFile): an
// offline script of thousands of revisions reads thousands of bodies.
type osDir struct {
	fs.FS
	dir string
}

func (d osDir) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	f, err := openFile(filepath.Join(d.dir, filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, 0, 4096)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// ArchiveDir is the folder inside a script location where retort squash
// moves the revisions a squashed revision replaces. Its files are still
// revisions of the project (databases behind the squash run them, and
// history lists them); the loaders below mark them Archived.
const ArchiveDir = "archive"

// LoadArchive is Load of the archive folder (ArchiveDir) under dir: its
// scripts marked Archived, with Path under prefix/archive. A missing
// archive folder is no error: it gives none.
func LoadArchive(fsys fs.FS, dir, prefix string) ([]*Script, error) {
	adir := path.Join(dir, ArchiveDir)
	if st, err := fs.Stat(fsys, adir); err != nil || !st.IsDir() {
		return nil, nil
	}
	ss, err := Load(fsys, adir, path.Join(prefix, ArchiveDir))
	return markArchived(ss), err
}

// LoadArchiveDir is LoadArchive for a folder of the operating system's
// file system (see LoadDir).
func LoadArchiveDir(dir, prefix string) ([]*Script, error) {
	adir := filepath.Join(dir, ArchiveDir)
	if st, err := os.Stat(adir); err != nil || !st.IsDir() {
		return nil, nil
	}
	ss, err := LoadDir(adir, filepath.Join(prefix, ArchiveDir))
	return markArchived(ss), err
}

func markArchived(ss []*Script) []*Script {
	for _, s := range ss {
		s.Archived = true
	}
	return ss
}
