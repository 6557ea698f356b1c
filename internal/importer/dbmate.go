package importer

import (
	"fmt"
	"io/fs"
	"strings"
)

// dbmate: files VERSION_name.sql directly in the folder (db/migrations),
// VERSION the leading digits, applied in the order of the file names.
// A file has a -- migrate:up block and may have a -- migrate:down block;
// transaction:false after either marker runs that block outside a
// transaction.

// dbmateMarker returns the direction ("up" or "down") and the options of
// a "-- migrate:up OPTIONS" line, and whether the line is a marker.
func dbmateMarker(trimmed string) (dir string, opts []string, ok bool) {
	rest, ok := strings.CutPrefix(trimmed, "--")
	if !ok {
		return "", nil, false
	}
	rest, ok = strings.CutPrefix(strings.TrimLeft(rest, " \t"), "migrate:")
	if !ok {
		return "", nil, false
	}
	f := strings.Fields(rest)
	if len(f) == 0 || (f[0] != "up" && f[0] != "down") {
		return "", nil, false
	}
	return f[0], f[1:], true
}

func looksDbmate(fsys fs.FS) string {
	names, err := listFiles(fsys)
	if err != nil {
		return ""
	}
	var sqls []string
	for _, n := range names {
		if strings.HasSuffix(n, ".sql") {
			sqls = append(sqls, n)
		}
	}
	return firstWithLine(fsys, sqls, func(l string) bool { d, _, ok := dbmateMarker(l); return ok && d == "up" })
}

func readDbmate(fsys fs.FS, _ Options) (*Result, error) {
	names, err := listFiles(fsys)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	seen := map[string]string{}
	for _, n := range names { // dbmate applies them in the order of their names
		if !strings.HasSuffix(n, ".sql") {
			continue
		}
		digits, rest := leadingDigits(n)
		if digits == "" {
			res.Skipped = append(res.Skipped, Skipped{Path: n, Reason: "not a dbmate migration: its name does not start with a version, so dbmate ignores it"})
			continue
		}
		if prev, dup := seen[digits]; dup {
			return nil, duplicateError(digits, prev, n)
		}
		seen[digits] = n
		rev, err := parseDbmate(fsys, n)
		if err != nil {
			return nil, err
		}
		rev.ID = ID("dbmate", digits)
		rev.Version = digits
		rev.Message = messageOf(strings.TrimSuffix(strings.TrimPrefix(rest, "_"), ".sql"))
		rev.CreateDate = timestampDate(digits)
		res.Revisions = append(res.Revisions, *rev)
		if !rev.HasDowngrade {
			res.Warnings = append(res.Warnings, Warning{Path: n, Msg: "no -- migrate:down block: the revision has no downgrade section and cannot be downgraded"})
		}
	}
	return res, nil
}

// parseDbmate reads one dbmate migration.
func parseDbmate(fsys fs.FS, name string) (*Revision, error) {
	text, err := readText(fsys, name)
	if err != nil {
		return nil, err
	}
	var up, down []string
	var cur *[]string
	rev := &Revision{Path: name}
	hasUp := false
	for i, line := range strings.Split(text, "\n") {
		ln := i + 1
		t := strings.TrimSpace(line)
		dir, opts, ok := dbmateMarker(t)
		if !ok {
			if cur == nil {
				if t != "" && !strings.HasPrefix(t, "--") {
					return nil, &Error{Path: name, Line: ln, Msg: "SQL before -- migrate:up: dbmate does not run statements outside the migrate:up and migrate:down blocks"}
				}
				continue
			}
			*cur = append(*cur, line)
			continue
		}
		noTx := false
		for _, o := range opts {
			k, v, _ := strings.Cut(o, ":")
			if k != "transaction" || (v != "false" && v != "true") {
				return nil, &Error{Path: name, Line: ln, Msg: fmt.Sprintf("unknown option %q after -- migrate:%s (dbmate knows transaction:false)", o, dir)}
			}
			noTx = v == "false"
		}
		switch dir {
		case "up":
			if hasUp {
				return nil, &Error{Path: name, Line: ln, Msg: "a second -- migrate:up"}
			}
			if rev.HasDowngrade {
				return nil, &Error{Path: name, Line: ln, Msg: "-- migrate:up after -- migrate:down"}
			}
			hasUp, cur, rev.NoTxUp = true, &up, noTx
		case "down":
			if !hasUp {
				return nil, &Error{Path: name, Line: ln, Msg: "-- migrate:down before -- migrate:up"}
			}
			if rev.HasDowngrade {
				return nil, &Error{Path: name, Line: ln, Msg: "a second -- migrate:down"}
			}
			rev.HasDowngrade, cur, rev.NoTxDown = true, &down, noTx
		}
	}
	if !hasUp {
		return nil, &Error{Path: name, Msg: "no -- migrate:up block: dbmate refuses the file"}
	}
	rev.Upgrade, rev.Downgrade = strings.Join(up, "\n"), strings.Join(down, "\n")
	return rev, nil
}
