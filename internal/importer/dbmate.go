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

// dbmateMarker returns the direction ("up" or "down") and the options
// of a "-- migrate:up OPTIONS" line, and whether the line is a marker.
// As dbmate reads them, markers start the line.
func dbmateMarker(line string) (dir string, opts []string, ok bool) {
	rest, ok := strings.CutPrefix(strings.TrimRight(line, " \t\r"), "--")
	if !ok {
		return "", nil, false
	}
	rest, ok = strings.CutPrefix(strings.TrimLeft(rest, " \t"), "migrate:")
	if !ok {
		return "", nil, false
	}
	f := strings.Fields(rest)
	if len(f) == 0 || (f[0] != "up" && f[0] != "down") || (len(rest) > len(f[0]) && rest[len(f[0])] != ' ' && rest[len(f[0])] != '\t') {
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
		rev, warns, err := parseDbmate(fsys, n)
		if err != nil {
			return nil, err
		}
		res.Warnings = append(res.Warnings, warns...)
		rev.ID = ID("dbmate", digits)
		rev.Version = digits
		rev.Message = messageOf(strings.TrimSuffix(strings.TrimPrefix(rest, "_"), ".sql"))
		rev.CreateDate = timestampDate(digits)
		res.Revisions = append(res.Revisions, *rev)
	}
	return res, nil
}

// dbmateSection is one -- migrate:up ... -- migrate:down pair; a file
// may hold several, which dbmate runs one after the other, each in its
// own transaction unless its options say transaction:false.
type dbmateSection struct {
	up, down         []string
	upTx, downTx     bool
	hasDown, started bool
}

// parseDbmate reads one dbmate migration. Several sections become one
// revision: their upgrades in order, their downgrades in order (as
// dbmate rolls back); from the first section that runs outside a
// transaction, the rest of that direction does too.
func parseDbmate(fsys fs.FS, name string) (*Revision, []Warning, error) {
	text, err := readText(fsys, name)
	if err != nil {
		return nil, nil, err
	}
	var secs []*dbmateSection
	var cur *[]string
	var warns []Warning
	for i, line := range strings.Split(text, "\n") {
		ln := i + 1
		dir, opts, ok := dbmateMarker(line)
		if !ok {
			if cur == nil {
				if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "--") {
					return nil, nil, &Error{Path: name, Line: ln, Msg: "SQL before -- migrate:up: dbmate does not run statements outside the migrate:up and migrate:down blocks"}
				}
				continue
			}
			*cur = append(*cur, line)
			continue
		}
		tx := true
		for _, o := range opts {
			k, v, _ := strings.Cut(o, ":")
			if k == "transaction" {
				tx = v != "false"
				continue
			}
			warns = append(warns, Warning{Path: name, Line: ln, Msg: fmt.Sprintf("option %q after -- migrate:%s: dbmate knows only transaction, and ignores it", o, dir)})
		}
		switch dir {
		case "up":
			if n := len(secs); n > 0 && !secs[n-1].hasDown {
				return nil, nil, &Error{Path: name, Line: ln, Msg: "-- migrate:up again before a -- migrate:down: dbmate requires a down block in each section"}
			}
			secs = append(secs, &dbmateSection{upTx: tx, started: true})
			cur = &secs[len(secs)-1].up
		case "down":
			if len(secs) == 0 {
				return nil, nil, &Error{Path: name, Line: ln, Msg: "-- migrate:down before -- migrate:up: dbmate requires the up block first"}
			}
			s := secs[len(secs)-1]
			if s.hasDown {
				return nil, nil, &Error{Path: name, Line: ln, Msg: "a second -- migrate:down after one -- migrate:up: dbmate refuses the file"}
			}
			s.hasDown, s.downTx, cur = true, tx, &s.down
		}
	}
	if len(secs) == 0 {
		return nil, nil, &Error{Path: name, Msg: "no -- migrate:up block: dbmate refuses the file"}
	}
	if !secs[len(secs)-1].hasDown {
		return nil, nil, &Error{Path: name, Msg: "no -- migrate:down block: dbmate requires one (it may be empty)"}
	}
	rev := &Revision{Path: name, HasDowngrade: true}
	var up, down []string
	var upOut, downOut bool // a section outside a transaction has come
	for i, s := range secs {
		up = appendTx(up, s.up, s.upTx, i == 0, &upOut, &rev.NoTxUp, name, &warns, "up")
		down = appendTx(down, s.down, s.downTx, i == 0, &downOut, &rev.NoTxDown, name, &warns, "down")
	}
	rev.Upgrade, rev.Downgrade = strings.Join(up, "\n"), strings.Join(down, "\n")
	return rev, warns, nil
}

// appendTx appends a section's lines to a direction's. The first
// section outside a transaction makes the rest of the direction run
// outside it: for the first section by setting whole (the Revision's
// NoTx), for a later one with retort's -- +no-transaction before its
// lines. A later section that asked for a transaction gets a warning,
// since retort runs it outside one too.
func appendTx(dst, lines []string, tx, first bool, outside, whole *bool, name string, warns *[]Warning, dir string) []string {
	switch {
	case !tx && first:
		*outside, *whole = true, true
	case !tx && !*outside:
		dst = append(dst, noTxMark)
		*outside = true
	case tx && *outside:
		*warns = append(*warns, Warning{Path: name, Msg: fmt.Sprintf("a migrate:%s block in a transaction after one with transaction:false: retort runs it outside the transaction too", dir)})
	}
	return append(dst, lines...)
}
