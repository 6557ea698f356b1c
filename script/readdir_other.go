//go:build !linux

package script

import (
	"io"
	"os"
	"path/filepath"
)

// dirHandle is a folder whose files are opened by their joined path.
type dirHandle struct{ path string }

// openDirHandle opens nothing: revisionNames reports a missing folder.
func openDirHandle(path string) (*dirHandle, error) { return &dirHandle{path: path}, nil }

// revisionNames lists the revision files of the folder, sorted.
func (d *dirHandle) revisionNames() ([]string, error) {
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return nil, err
	}
	return revisionNames(entries), nil
}

// open opens the file name of the folder for reading into f.
func (d *dirHandle) open(name string, f *fileReader) error {
	r, err := openFile(filepath.Join(d.path, name))
	if err != nil {
		return err
	}
	f.ReadCloser = r
	return nil
}

func (d *dirHandle) close() {}

// fileReader is a file opened by dirHandle.open.
type fileReader struct{ io.ReadCloser }

// cacheSupported: the header cache is for Linux, where files are opened
// relative to an open folder and stat'ed the same way.
const cacheSupported = false

func (d *dirHandle) localFS() bool { return false }

func (d *dirHandle) stamp(name string) (fileStamp, error) { return fileStamp{}, nil }

func (f *fileReader) stamp() (fileStamp, error) { return fileStamp{}, nil }

func mapFile(path string) ([]byte, func(), error) {
	data, err := os.ReadFile(path)
	return data, func() {}, err
}
