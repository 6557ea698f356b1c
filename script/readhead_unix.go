//go:build unix

package script

import (
	"io"
	"io/fs"
	"syscall"
)

// fdFile is a file read with plain system calls: cheaper than *os.File
// (no fstat, no finalizer, no poller) for thousands of small reads.
type fdFile struct {
	fd   int
	path string
}

// openFile opens path for reading. O_NONBLOCK keeps a FIFO from blocking
// the open; it does nothing to regular files.
func openFile(path string) (io.ReadCloser, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		return &fdFile{fd: fd, path: path}, nil
	}
}

func (f *fdFile) Read(p []byte) (int, error) {
	return readFD(f.fd, p, func() string { return f.path })
}

// readFD is io.Reader's Read on a file descriptor, retried on EINTR;
// path gives the file's name for an error (joined only when there is
// one).
func readFD(fd int, p []byte, path func() string) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := syscall.Read(fd, p)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return 0, &fs.PathError{Op: "read", Path: path(), Err: err}
		}
		if n == 0 {
			return 0, io.EOF
		}
		return n, nil
	}
}

func (f *fdFile) Close() error { return syscall.Close(f.fd) }
