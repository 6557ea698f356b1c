package script

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// revisionNames lists the revision files of the folder (see
// revisionNames of entries), sorted, from the directory entries the
// kernel returns: one string per revision file and nothing else, where
// os.ReadDir makes an entry object for every file (a folder of 100,000
// revisions is then 30 MB less garbage).
func (d *dirHandle) revisionNames() ([]string, error) {
	buf := make([]byte, 32<<10)
	var names []string
	for {
		n, err := syscall.Getdents(d.fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "readdirent", Path: d.path, Err: err}
		}
		if n <= 0 {
			break
		}
		for rec := buf[:n]; len(rec) > 0; {
			// struct linux_dirent64: ino u64, off s64, reclen u16,
			// type u8, name (NUL-terminated).
			const nameOff = 19
			if len(rec) < nameOff {
				break
			}
			reclen := int(*(*uint16)(unsafe.Pointer(&rec[16])))
			if reclen < nameOff || reclen > len(rec) {
				break
			}
			typ, name := rec[18], rec[nameOff:reclen]
			rec = rec[reclen:]
			if i := bytes.IndexByte(name, 0); i >= 0 {
				name = name[:i]
			}
			if !isRevisionName(string(name)) { // no allocation
				continue
			}
			ok, err := d.revisionType(typ, string(name))
			if err != nil {
				return nil, err
			}
			if ok {
				names = append(names, string(name))
			}
		}
	}
	slices.Sort(names)
	return names, nil
}

// revisionType reports whether a directory entry of type typ can be a
// revision file: a regular file or a symbolic link (as revisionNames of
// entries decides). An unknown type is looked up.
func (d *dirHandle) revisionType(typ byte, name string) (bool, error) {
	switch typ {
	case syscall.DT_REG, syscall.DT_LNK:
		return true, nil
	case syscall.DT_UNKNOWN:
		st, err := os.Lstat(filepath.Join(d.path, name))
		if err != nil {
			if os.IsNotExist(err) {
				return false, nil // removed since it was listed
			}
			return false, err
		}
		return st.Mode()&(fs.ModeDir|fs.ModeNamedPipe|fs.ModeSocket|fs.ModeDevice|fs.ModeIrregular) == 0, nil
	}
	return false, nil
}

// dirHandle is an open folder: its files are opened relative to it, so
// that the kernel looks up one name instead of the whole path each time.
type dirHandle struct {
	fd   int
	path string
}

func openDirHandle(path string) (*dirHandle, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_DIRECTORY, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		return &dirHandle{fd: fd, path: path}, nil
	}
}

// open opens the file name of the folder for reading into f. The name
// is made a C string in f's scratch space, not in a new allocation.
func (d *dirHandle) open(name string, f *fileReader) error {
	if strings.IndexByte(name, 0) >= 0 {
		return &fs.PathError{Op: "open", Path: filepath.Join(d.path, name), Err: syscall.EINVAL}
	}
	f.cname = append(append(f.cname[:0], name...), 0)
	for {
		r, _, errno := syscall.Syscall6(syscall.SYS_OPENAT, uintptr(d.fd), uintptr(unsafe.Pointer(&f.cname[0])),
			uintptr(syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK), 0, 0, 0)
		if errno == syscall.EINTR {
			continue
		}
		if errno != 0 {
			return &fs.PathError{Op: "open", Path: filepath.Join(d.path, name), Err: errno}
		}
		f.fd, f.dir, f.name = int(r), d.path, name
		return nil
	}
}

func (d *dirHandle) close() { syscall.Close(d.fd) }

// fileReader is a file opened by dirHandle.open, read with plain system
// calls; the path for errors is only joined when there is one.
type fileReader struct {
	fd        int
	dir, name string
	cname     []byte // scratch: the name as a C string
}

func (f *fileReader) Read(p []byte) (int, error) {
	return readFD(f.fd, p, func() string { return filepath.Join(f.dir, f.name) })
}

func (f *fileReader) Close() error { return syscall.Close(f.fd) }

// cacheSupported: the header cache needs stamps (stat) of the files of
// an open folder.
const cacheSupported = true

// localFS reports whether the folder is on a file system whose stat
// answers are the file's current state: not a network or FUSE file
// system, where stat may answer from a client-side attribute cache
// (NFS: up to acregmax, 60 s by default) while opening the file
// revalidates it. The header cache is used only where this is true.
func (d *dirHandle) localFS() bool {
	var st unix.Statfs_t
	if err := unix.Fstatfs(d.fd, &st); err != nil {
		return false
	}
	switch uint32(st.Type) {
	case unix.NFS_SUPER_MAGIC, unix.SMB_SUPER_MAGIC, unix.SMB2_SUPER_MAGIC, unix.CIFS_SUPER_MAGIC,
		unix.FUSE_SUPER_MAGIC, unix.CODA_SUPER_MAGIC, unix.AFS_SUPER_MAGIC, unix.AFS_FS_MAGIC,
		unix.V9FS_MAGIC, unix.CEPH_SUPER_MAGIC, unix.OCFS2_SUPER_MAGIC:
		return false
	}
	return true
}

// stamp returns the stamp of the file name of the folder, following a
// symbolic link as open does.
func (d *dirHandle) stamp(name string) (fileStamp, error) {
	var st unix.Stat_t
	for {
		err := unix.Fstatat(d.fd, name, &st, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fileStamp{}, &fs.PathError{Op: "stat", Path: filepath.Join(d.path, name), Err: err}
		}
		return stampOf(&st), nil
	}
}

// stamp returns the stamp of the open file.
func (f *fileReader) stamp() (fileStamp, error) {
	var st unix.Stat_t
	for {
		err := unix.Fstat(f.fd, &st)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fileStamp{}, &fs.PathError{Op: "stat", Path: filepath.Join(f.dir, f.name), Err: err}
		}
		return stampOf(&st), nil
	}
}

func stampOf(st *unix.Stat_t) fileStamp {
	return fileStamp{
		size:  st.Size,
		mtime: int64(st.Mtim.Sec)*1e9 + int64(st.Mtim.Nsec),
		ctime: int64(st.Ctim.Sec)*1e9 + int64(st.Ctim.Nsec),
		ino:   st.Ino, dev: uint64(st.Dev),
	}
}

// mapFile maps the file read-only: a cache file of 100,000 headers is
// 13 MB that would otherwise stay in the heap, as garbage, until the
// collector runs; unmapped, its pages leave the process. release unmaps
// it; nothing may use data after.
func mapFile(path string) (data []byte, release func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if st.Size() == 0 || st.Size() > 1<<31 {
		return nil, nil, errBadCache
	}
	data, err = unix.Mmap(int(f.Fd()), 0, int(st.Size()), unix.PROT_READ, unix.MAP_PRIVATE)
	if err != nil {
		return nil, nil, err
	}
	return data, func() { unix.Munmap(data) }, nil
}
