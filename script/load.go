package script

import (
	"bufio"
	"bytes"
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
	"time"
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
	parallel(len(names), func(i int, w *worker) {
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
		s, err := w.header(f, display)
		f.Close()
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
// relative to the open folder where there are, no finalizers) for the
// commands that only inspect the graph. dir is an OS path; Script.Path is
// filepath.Join(prefix, name). Body reads through os.DirFS(dir).
func LoadDir(dir, prefix string) ([]*Script, error) { return loadDir(dir, prefix, false, cacheOpts{}) }

// LoadDirCached is LoadDir keeping the parsed headers of the folder's SQL
// revision files in a cache file under cacheDir (see headercache.go and
// docs/header-cache.md): a file whose stamp (size, modification and
// change times, inode, device) is the one in the cache is not read. It
// gives what LoadDir gives. The cache is used on Linux for a folder of at
// least MinCachedFiles revision files; a cache that cannot be read or
// written is skipped, never an error.
func LoadDirCached(dir, prefix, cacheDir string) ([]*Script, error) {
	return loadDir(dir, prefix, false, cacheOpts{dir: cacheDir, min: MinCachedFiles})
}

// cacheOpts says where the header cache lives ("" for none) and from how
// many files it is used; tests set now (the clock of the racy window,
// time.Now if nil) and hits (counts the files not read).
type cacheOpts struct {
	dir  string
	min  int
	now  func() time.Time
	hits *atomic.Int64
}

// LoadDirContent is LoadDir reading each file whole, once: Body then
// parses the content read here instead of reading the file again. It is
// for commands that read the body of (nearly) every revision, such as
// writing an upgrade script; the contents stay in memory with the
// scripts.
func LoadDirContent(dir, prefix string) ([]*Script, error) {
	return loadDir(dir, prefix, true, cacheOpts{})
}

func loadDir(dir, prefix string, whole bool, co cacheOpts) ([]*Script, error) {
	start := time.Now()
	if co.now != nil {
		start = co.now()
	}
	d, err := openDirHandle(dir)
	if err != nil {
		return nil, fmt.Errorf("read revision folder %s: %w", displayDir(prefix, dir), err)
	}
	defer d.close()
	names, err := d.revisionNames()
	if err != nil {
		return nil, fmt.Errorf("read revision folder %s: %w", displayDir(prefix, dir), err)
	}
	if len(names) == 0 {
		return nil, nil
	}
	fsys := osDir{os.DirFS(dir), dir}
	out := make([]*Script, len(names))
	errs := make([]error, len(names))
	cache := openCache(co, whole, d, dir, names)
	// A name has no separator and is not "." or "..": its display path
	// is that of any other name with the name swapped in, one
	// concatenation instead of a filepath.Join (which cleans) per file.
	joined := filepath.Join(prefix, "x")
	pathDir := joined[:len(joined)-1]
	parallel(len(names), func(i int, w *worker) {
		display := pathDir + names[i]
		if isGoName(names[i]) {
			out[i], errs[i] = loadGo(fsys, names[i], display)
			return
		}
		if cache != nil {
			if s := cache.lookup(d, i, names[i]); s != nil {
				if co.hits != nil {
					co.hits.Add(1)
				}
				s.Path = display
				s.fsys, s.name = fsys, names[i]
				if strings.HasSuffix(s.Path, s.name) {
					s.name = s.Path[len(s.Path)-len(s.name):]
				}
				out[i] = s
				return
			}
		}
		f := &w.file
		if err := d.open(names[i], f); err != nil {
			errs[i] = fmt.Errorf("read revision: %w", err)
			return
		}
		if cache != nil {
			// The stamp before the read: a change after it changes the
			// change time, and the entry then misses.
			if st, err := f.stamp(); err == nil {
				cache.setStamp(i, st)
			}
		}
		var s *Script
		var err error
		if whole {
			s, err = w.whole(f, display)
		} else {
			s, err = w.header(f, display)
		}
		f.Close()
		if err != nil {
			errs[i] = err
			return
		}
		// The name is the end of the display path: one string for both.
		s.fsys, s.name = fsys, names[i]
		if strings.HasSuffix(s.Path, s.name) {
			s.name = s.Path[len(s.Path)-len(s.name):]
		}
		out[i] = s
	})
	if err := firstError(errs); err != nil {
		return nil, err
	}
	if cache != nil {
		cache.save(names, out, start)
	}
	return compact(out), nil
}

// headBufSize is the read size for headers: one read takes a typical
// header whole.
const headBufSize = 1024

// filesPerWorker is the fewest files worth another goroutine.
const filesPerWorker = 64

// worker is the state of one goroutine reading files: a reader for
// headers, scratch space for whole files, and the file being read.
type worker struct {
	lines readerLines
	buf   []byte
	file  fileReader
}

// header parses the header of the file r, reading no further than (a
// buffer's worth past) its -- +upgrade line.
func (w *worker) header(r io.Reader, display string) (*Script, error) {
	if w.lines.br == nil {
		w.lines.br = bufio.NewReaderSize(r, headBufSize)
	} else {
		w.lines.br.Reset(r)
	}
	s, err := parseHeader(&w.lines, display)
	w.lines.br.Reset(nil)
	return s, err
}

// whole reads the file r whole and parses its header; the Script keeps
// the content (a copy of its exact size) for Body.
func (w *worker) whole(r io.Reader, display string) (*Script, error) {
	if w.buf == nil {
		w.buf = make([]byte, 0, 8<<10)
	}
	b := w.buf[:0]
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			w.buf = b
			return nil, fmt.Errorf("read revision: %w", err)
		}
	}
	w.buf = b
	content := bytes.Clone(b)
	if content == nil {
		content = []byte{}
	}
	s, err := parseHeader(&bytesLines{b: content}, display)
	if err != nil {
		return nil, err
	}
	s.extras().content = content
	return s, nil
}

// parallel calls f(0..n-1) on up to GOMAXPROCS goroutines, each with its
// own worker state; the calling goroutine is one of them, so a small
// folder (or GOMAXPROCS 1) starts none. Reading a small file from the
// page cache is CPU work in the kernel, not waiting: more goroutines than
// processors only add scheduling (futex wake-ups, handing processors
// over at system calls) for no gain.
func parallel(n int, f func(i int, w *worker)) {
	workers := min(runtime.GOMAXPROCS(0), (n+filesPerWorker-1)/filesPerWorker)
	var counter atomic.Int64
	work := func() {
		var w worker
		for i := int(counter.Add(1) - 1); i < n; i = int(counter.Add(1) - 1) {
			f(i, &w)
		}
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(work)
	}
	work()
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
