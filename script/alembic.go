package script

import (
	"bufio"
	"errors"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// FindAlembic returns the Alembic revision files in dir of fsys, so that
// a folder of Alembic's is not taken for an empty retort project: the
// *.py files of dir and of its versions folder (Alembic's layout when dir
// is Alembic's script_location) that assign both revision and
// down_revision at the start of a line ("revision = '1975ea83b712'",
// "down_revision: Union[str, None] = None"). Paths are relative to dir,
// slash-separated and sorted. A missing dir or versions folder is not an
// error; none found is a nil slice.
func FindAlembic(fsys fs.FS, dir string) ([]string, error) {
	var out []string
	for _, sub := range []string{"", "versions"} {
		folder := path.Join(dir, sub)
		entries, err := fs.ReadDir(fsys, folder)
		if err != nil {
			if sub != "" || errors.Is(err, fs.ErrNotExist) {
				continue // no versions folder, or not a folder
			}
			return nil, err
		}
		for _, e := range entries {
			n := e.Name()
			if !strings.HasSuffix(n, ".py") || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") || !e.Type().IsRegular() {
				continue
			}
			ok, err := isAlembicRevision(fsys, path.Join(folder, n))
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, path.Join(sub, n))
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// isAlembicRevision reports whether the Python file name assigns
// revision and down_revision at the top level, in its first 64 KiB.
func isAlembicRevision(fsys fs.FS, name string) (bool, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), maxHeaderLine)
	var rev, down bool
	for read := 0; sc.Scan() && read < maxHeaderLine; {
		line := sc.Text()
		read += len(line) + 1
		rev = rev || pyAssigns(line, "revision")
		down = down || pyAssigns(line, "down_revision")
		if rev && down {
			return true, nil
		}
	}
	return false, nil
}

// pyAssigns reports whether the Python line assigns name at the top
// level: "name = ..." or "name: type = ...".
func pyAssigns(line, name string) bool {
	rest, ok := strings.CutPrefix(line, name)
	if !ok {
		return false
	}
	rest = strings.TrimLeft(rest, " \t")
	if strings.HasPrefix(rest, ":") {
		i := strings.IndexByte(rest, '=')
		if i < 0 {
			return false
		}
		rest = rest[i:]
	}
	return strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, "==")
}
