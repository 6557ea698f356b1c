package script

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"sync"
	"time"
	"unsafe"
)

// The header cache keeps the parsed headers of a folder's SQL revision
// files between runs, so that the graph commands read a file only when it
// has changed since: what decides is the file's stamp (size, modification
// and change times to the nanosecond, inode and device), taken with one
// fstatat per file. docs/header-cache.md states the design and why it is
// correct; in short:
//
//   - An entry is used only when every part of the stamp is equal. The
//     change time (ctime) cannot be set by a user program: any write,
//     rename over the file, chmod or utimes sets it to the kernel's clock,
//     so a file changed in place with the same size and its modification
//     time put back still misses.
//   - An entry is stored only for a file whose change and modification
//     times were at least racyWindow before the load began, so that a
//     change made after the file was read cannot carry the same times
//     (timestamps have the kernel's clock tick, a few milliseconds, as
//     their resolution).
//   - The cache holds headers only (never contents: Body reads the file,
//     and checksums are of what Body reads), Go revision files are not
//     in it, and a file that does not parse is not in it either.
//   - A cache file that is missing, of another version or folder, cut
//     short or failing its CRC is ignored and rewritten; failing to write
//     one changes nothing but speed.

// headerCacheVersion is the first line of a cache file; a change of the
// format changes it.
const headerCacheVersion = "retort header cache 1\n"

// racyWindow: see above.
const racyWindow = 2 * time.Second

// MinCachedFiles is the fewest SQL revision files in a folder for
// LoadDirCached to use the cache: below it reading them is as quick.
const MinCachedFiles = 256

// fileStamp identifies a file's state.
type fileStamp struct {
	size         int64
	mtime, ctime int64 // nanoseconds since 1970 (good until 2262)
	ino, dev     uint64
}

// cacheable reports whether an entry with this stamp may be stored: its
// times are older than the racy window before start.
func (st fileStamp) cacheable(start time.Time) bool {
	limit := start.Add(-racyWindow).UnixNano()
	return st != fileStamp{} && st.mtime < limit && st.ctime < limit
}

// headerCache is a folder's cache as read: entries sorted by name, each
// with its stamp and its header (scripts[i], whose Path and file are set
// when it is used).
type headerCache struct {
	names   []string
	stamps  []fileStamp
	scripts []Script
}

// headerCachePath is the cache file of the folder dir (absolute) under
// cacheDir.
func headerCachePath(cacheDir, dir string) string {
	sum := sha256.Sum256([]byte(dir))
	return filepath.Join(cacheDir, hex.EncodeToString(sum[:16])+".hdr")
}

var errBadCache = errors.New("bad header cache")

// cacheReader decodes a cache file's fields from one string, which the
// decoded strings share.
type cacheReader struct {
	s   string
	err error
}

func (r *cacheReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	var x uint64
	var shift uint
	for i := 0; i < len(r.s) && i < binary.MaxVarintLen64; i++ {
		b := r.s[i]
		x |= uint64(b&0x7f) << shift
		if b < 0x80 {
			r.s = r.s[i+1:]
			return x
		}
		shift += 7
	}
	r.err = errBadCache
	return 0
}

func (r *cacheReader) varint() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

func (r *cacheReader) str() string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.s)) {
		r.err = errBadCache
		return ""
	}
	v := r.s[:n]
	r.s = r.s[n:]
	return v
}

// strIn is str copied into arena, whose capacity the cache file gives
// exactly (it never grows, so earlier strings stay where they are): the
// decoded headers then keep only their own bytes, not the whole file.
func (r *cacheReader) strIn(arena *[]byte) string {
	v := r.str()
	if len(v) == 0 {
		return ""
	}
	if len(v) > cap(*arena)-len(*arena) {
		r.err = errBadCache
		return ""
	}
	start := len(*arena)
	*arena = append(*arena, v...)
	return unsafe.String(&(*arena)[start], len(v))
}

// list reads a list of strings into items (sized by the cache file, as
// arena), nil for an empty one.
func (r *cacheReader) list(items *[]string, arena *[]byte) []string {
	n := r.uvarint()
	if r.err != nil || n > uint64(cap(*items)-len(*items)) {
		r.err = errBadCache
		return nil
	}
	if n == 0 {
		return nil
	}
	start := len(*items)
	for range n {
		*items = append(*items, r.strIn(arena))
	}
	return (*items)[start:len(*items):len(*items)]
}

func decodeHeaderCache(data []byte, dir string) (*headerCache, error) {
	if len(data) < len(headerCacheVersion)+4 {
		return nil, errBadCache
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, errBadCache
	}
	// Only the names point into data (and they are dropped once
	// matched, before data is released); what the headers keep is
	// copied (cacheReader.strIn).
	r := &cacheReader{s: unsafe.String(unsafe.SliceData(body), len(body))}
	if len(r.s) < len(headerCacheVersion) || r.s[:len(headerCacheVersion)] != headerCacheVersion {
		return nil, errBadCache
	}
	r.s = r.s[len(headerCacheVersion):]
	if r.str() != dir {
		return nil, errBadCache
	}
	n, nbytes, nitems := r.uvarint(), r.uvarint(), r.uvarint()
	if r.err != nil || n > uint64(len(r.s)) || nbytes > uint64(len(r.s)) || nitems > uint64(len(r.s)) {
		return nil, errBadCache
	}
	c := &headerCache{names: make([]string, n), stamps: make([]fileStamp, n), scripts: make([]Script, n)}
	arena, items := make([]byte, 0, nbytes), make([]string, 0, nitems)
	for i := range c.names {
		c.names[i] = r.str()
		if i > 0 && c.names[i] <= c.names[i-1] {
			return nil, errBadCache
		}
		st := &c.stamps[i]
		st.size, st.mtime, st.ctime = r.varint(), r.varint(), r.varint()
		st.ino, st.dev = r.uvarint(), r.uvarint()
		s := &c.scripts[i]
		s.Format = "sql"
		s.Revision, s.Message, s.CreateDate = r.strIn(&arena), r.strIn(&arena), r.strIn(&arena)
		s.DownRevisions = r.list(&items, &arena)
		s.BranchLabels = r.list(&items, &arena)
		s.DependsOn = r.list(&items, &arena)
		s.Replaces = r.list(&items, &arena)
		for k := range s.lines {
			l := r.uvarint()
			if l > 1<<31-1 {
				return nil, errBadCache
			}
			s.lines[k] = int32(l)
		}
	}
	if r.err != nil || len(r.s) != 0 {
		return nil, errBadCache
	}
	return c, nil
}

// encodeHeaderCache is the cache file of dir for the entries given,
// sorted by name.
func encodeHeaderCache(dir string, names []string, stamps []fileStamp, scripts []*Script) []byte {
	b := make([]byte, 0, 64+len(names)*160)
	b = append(b, headerCacheVersion...)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	list := func(l []string) {
		b = binary.AppendUvarint(b, uint64(len(l)))
		for _, s := range l {
			str(s)
		}
	}
	str(dir)
	nbytes, nitems := 0, 0
	for _, s := range scripts {
		nbytes += len(s.Revision) + len(s.Message) + len(s.CreateDate)
		for _, l := range [][]string{s.DownRevisions, s.BranchLabels, s.DependsOn, s.Replaces} {
			nitems += len(l)
			for _, x := range l {
				nbytes += len(x)
			}
		}
	}
	b = binary.AppendUvarint(b, uint64(len(names)))
	b = binary.AppendUvarint(b, uint64(nbytes))
	b = binary.AppendUvarint(b, uint64(nitems))
	for i, name := range names {
		st, s := stamps[i], scripts[i]
		str(name)
		for _, v := range []int64{st.size, st.mtime, st.ctime} {
			b = binary.AppendVarint(b, v)
		}
		b = binary.AppendUvarint(b, st.ino)
		b = binary.AppendUvarint(b, st.dev)
		str(s.Revision)
		str(s.Message)
		str(s.CreateDate)
		list(s.DownRevisions)
		list(s.BranchLabels)
		list(s.DependsOn)
		list(s.Replaces)
		for _, l := range s.lines {
			b = binary.AppendUvarint(b, uint64(l))
		}
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// writeHeaderCache writes the cache file atomically (a temporary file
// renamed over it), so that a reader sees the old file or the new one.
func writeHeaderCache(file string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(file), ".hdr-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), file); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// dirCache is the header cache of one load: the cache file read (old,
// maybe nil; its names dropped once matched), which of its entries each
// name is (match, -1 for none), and the stamps of the files read (not
// hits) in this load, made on the first such file.
type dirCache struct {
	file, dir string
	old       *headerCache
	match     []int
	mu        sync.Mutex
	stamps    []fileStamp
}

// openCache returns the cache of a load of the folder dir with names
// (sorted), or nil when the load uses none.
func openCache(co cacheOpts, whole bool, d *dirHandle, dir string, names []string) *dirCache {
	if co.dir == "" || whole || !cacheSupported || len(names) < co.min || !d.localFS() {
		return nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil
	}
	c := &dirCache{file: headerCachePath(co.dir, abs), dir: abs, match: make([]int, len(names))}
	data, release, err := mapFile(c.file)
	if err == nil {
		defer release() // after the matching below: the old names point into data
		c.old, _ = decodeHeaderCache(data, abs)
	}
	j := 0
	for i, name := range names {
		c.match[i] = -1
		if c.old == nil {
			continue
		}
		for j < len(c.old.names) && c.old.names[j] < name {
			j++
		}
		if j < len(c.old.names) && c.old.names[j] == name {
			c.match[i] = j
		}
	}
	if c.old != nil {
		c.old.names = nil // they point into the file's bytes
	}
	return c
}

// lookup returns the cached header of the file name (names[i]) when its
// stamp is the cached one, else nil (and the file is read).
func (c *dirCache) lookup(d *dirHandle, i int, name string) *Script {
	j := c.match[i]
	if j < 0 {
		return nil
	}
	st, err := d.stamp(name)
	if err != nil || st != c.old.stamps[j] {
		return nil
	}
	return &c.old.scripts[j]
}

// hit reports whether s, the script of names[i], came from the cache.
func (c *dirCache) hit(i int, s *Script) bool {
	return c.old != nil && c.match[i] >= 0 && s == &c.old.scripts[c.match[i]]
}

// setStamp records the stamp of the file names[i] read in this load.
func (c *dirCache) setStamp(i int, st fileStamp) {
	c.mu.Lock()
	if c.stamps == nil {
		c.stamps = make([]fileStamp, len(c.match))
	}
	c.stamps[i] = st
	c.mu.Unlock()
}

// save writes the cache file again unless every file was a hit and the
// names are the cached ones. A file read in this load is stored only when
// its stamp is outside the racy window (fileStamp.cacheable).
func (c *dirCache) save(names []string, scripts []*Script, start time.Time) {
	if c.stamps == nil && c.old != nil {
		hits, sql := 0, 0
		for i, s := range scripts {
			if s != nil && s.Format == "sql" {
				sql++
				if c.hit(i, s) {
					hits++
				}
			}
		}
		if hits == sql && hits == len(c.old.scripts) {
			return // the file is what it would be written
		}
	}
	var ns []string
	var sts []fileStamp
	var ss []*Script
	for i, s := range scripts {
		if s == nil || s.Format != "sql" {
			continue
		}
		st := fileStamp{}
		if c.hit(i, s) {
			st = c.old.stamps[c.match[i]]
		} else if c.stamps != nil && c.stamps[i].cacheable(start) {
			st = c.stamps[i]
		} else {
			continue
		}
		ns, sts, ss = append(ns, names[i]), append(sts, st), append(ss, s)
	}
	writeHeaderCache(c.file, encodeHeaderCache(c.dir, ns, sts, ss))
}
