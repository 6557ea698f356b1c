package importer

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// golang-migrate: files VERSION_TITLE.up.EXT and VERSION_TITLE.down.EXT
// directly in the folder, VERSION an unsigned number; each file is run
// whole. Only .sql files are imported. A version with no down file is a
// revision without a downgrade.

// migrateName splits a golang-migrate file name into version, title,
// direction ("up" or "down") and extension; ok is false for other names.
func migrateName(n string) (version, title, dir, ext string, ok bool) {
	digits, rest := leadingDigits(n)
	if digits == "" || !strings.HasPrefix(rest, "_") {
		return "", "", "", "", false
	}
	rest = rest[1:]
	for _, d := range []string{"up", "down"} {
		if i := strings.LastIndex(rest, "."+d+"."); i >= 0 {
			ext := rest[i+len(d)+2:]
			if ext != "" && !strings.Contains(ext, ".") {
				return digits, rest[:i], d, ext, true
			}
		}
	}
	return "", "", "", "", false
}

func looksMigrate(fsys fs.FS) string {
	names, err := listFiles(fsys)
	if err != nil {
		return ""
	}
	for _, n := range names {
		if _, _, _, ext, ok := migrateName(n); ok && ext == "sql" {
			return n
		}
	}
	return ""
}

type migratePair struct {
	version, title string
	up, down       string // file names
}

func readMigrate(fsys fs.FS, _ Options) (*Result, error) {
	names, err := listFiles(fsys)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	byVersion := map[string]*migratePair{}
	var pairs []*migratePair
	for _, n := range names {
		v, title, dir, ext, ok := migrateName(n)
		if !ok {
			if strings.HasSuffix(n, ".sql") {
				res.Skipped = append(res.Skipped, Skipped{Path: n, Reason: "not a golang-migrate migration: its name is not VERSION_TITLE.up.sql or VERSION_TITLE.down.sql, so migrate ignores it"})
			}
			continue
		}
		if ext != "sql" {
			res.Skipped = append(res.Skipped, Skipped{Path: n, Reason: "not SQL (." + ext + "): only .sql migrations are imported"})
			continue
		}
		key := trimZeros(v)
		p := byVersion[key]
		if p == nil {
			p = &migratePair{version: v, title: title}
			byVersion[key] = p
			pairs = append(pairs, p)
		}
		slot := &p.up
		if dir == "down" {
			slot = &p.down
		}
		if *slot != "" {
			return nil, duplicateError(v, *slot, n)
		}
		*slot = n
	}
	slices.SortStableFunc(pairs, func(a, b *migratePair) int { return compareDigits(a.version, b.version) })
	for _, p := range pairs {
		if p.up == "" {
			return nil, &Error{Path: p.down, Msg: fmt.Sprintf("a down migration without an up one (no %s_%s.up.sql): golang-migrate refuses to migrate to version %s", p.version, p.title, p.version)}
		}
		up, err := readText(fsys, p.up)
		if err != nil {
			return nil, err
		}
		rev := Revision{ID: ID("golang-migrate", trimZeros(p.version)), Version: p.version, Message: messageOf(p.title),
			Path: p.up, CreateDate: timestampDate(p.version), Upgrade: up}
		if p.down != "" {
			down, err := readText(fsys, p.down)
			if err != nil {
				return nil, err
			}
			rev.DownPath, rev.Downgrade, rev.HasDowngrade = p.down, down, true
		} else {
			res.Warnings = append(res.Warnings, Warning{Path: p.up, Msg: "no down migration: the revision has no downgrade section and cannot be downgraded"})
		}
		rev.NoTxUp = noTxNote(&res.Warnings, p.up, rev.Upgrade, "golang-migrate ran the file whole, outside a transaction")
		rev.NoTxDown = rev.HasDowngrade && noTxNote(&res.Warnings, p.down, rev.Downgrade, "golang-migrate ran the file whole, outside a transaction")
		res.Revisions = append(res.Revisions, rev)
	}
	var versions []versionAt
	for _, r := range res.Revisions {
		versions = append(versions, versionAt{r.Version, r.Path})
	}
	res.Warnings = append(res.Warnings, gapWarnings(versions)...)
	return res, nil
}
