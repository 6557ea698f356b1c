package importer

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// goose: files NNN_name.sql and NNN_name.go directly in the folder; the
// version is the number before the first "_" (greater than zero),
// sequential (00001) or a timestamp (20230102150405). A SQL file starts
// with -- +goose Up; -- +goose Down, StatementBegin / StatementEnd,
// NO TRANSACTION and ENVSUB ON / OFF are its other annotations.

func looksGoose(fsys fs.FS) string {
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
	return firstWithLine(fsys, sqls, func(l string) bool { a, _ := gooseAnnotation(l); return a == "UP" })
}

// gooseAnnotation returns the annotation of a goose annotation line,
// upper-cased, and whether the line is one: as goose reads them, a line
// that starts with "--" (after white space) and holds "+goose"; the
// annotation is what is left without the dashes and that "+goose".
func gooseAnnotation(line string) (string, bool) {
	if !strings.HasPrefix(strings.TrimSpace(line), "--") || !strings.Contains(line, "+goose") {
		return "", false
	}
	cmd := strings.Replace(strings.ReplaceAll(line, "--", ""), "+goose", "", 1)
	return strings.ToUpper(strings.TrimSpace(cmd)), true
}

type gooseFile struct {
	name, digits, desc string
	isGo               bool
}

func readGoose(fsys fs.FS, o Options) (*Result, error) {
	names, err := listFiles(fsys)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	var files []gooseFile
	for _, n := range names {
		ext := path.Ext(n)
		if (ext != ".sql" && ext != ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		digits, rest := leadingDigits(n)
		if digits == "" || !strings.HasPrefix(rest, "_") {
			if ext == ".sql" {
				res.Skipped = append(res.Skipped, Skipped{Path: n, Reason: "not a goose migration: its name does not start with a version (NNN_name.sql), so goose ignores it"})
			}
			continue
		}
		if trimZeros(digits) == "0" {
			return nil, &Error{Path: n, Msg: "version 0: goose requires versions greater than zero"}
		}
		files = append(files, gooseFile{name: n, digits: digits, desc: strings.TrimSuffix(rest[1:], ext), isGo: ext == ".go"})
	}
	slices.SortStableFunc(files, func(a, b gooseFile) int { return compareDigits(a.digits, b.digits) })
	var versions []versionAt
	for i, f := range files {
		versions = append(versions, versionAt{f.digits, f.name})
		if i > 0 && compareDigits(files[i-1].digits, f.digits) == 0 {
			return nil, duplicateError(f.digits, files[i-1].name, f.name)
		}
	}
	for _, f := range files {
		if f.isGo && o.SkipGo {
			res.Skipped = append(res.Skipped, Skipped{Path: f.name, Reason: "a Go migration, left out (--skip-go): write it as a retort Go revision by hand (`retort revision --format go`)"})
			continue
		}
		if f.isGo {
			sk, line, warns, err := gooseGo(fsys, f.name)
			if err != nil {
				return nil, err
			}
			rev := Revision{ID: ID("goose", trimZeros(f.digits)), Version: f.digits, Message: messageOf(f.desc), CreateDate: timestampDate(f.digits),
				Path: f.name, Skeleton: sk, HasDowngrade: !sk.Down.None}
			res.Revisions = append(res.Revisions, rev)
			res.Warnings = append(res.Warnings, warns...)
			res.Warnings = append(res.Warnings, Warning{Path: f.name, Line: line, Msg: "a Go migration, which import cannot translate: its revision is a Go skeleton that holds goose's functions as comments and fails until you write them"})
			if sk.Down.None {
				res.Warnings = append(res.Warnings, Warning{Path: f.name, Line: line, Msg: "no down function: goose runs nothing there; the revision has no Downgrade, so retort refuses to downgrade through it"})
			}
			continue
		}
		rev, warns, err := parseGoose(fsys, f.name)
		if err != nil {
			return nil, err
		}
		rev.ID = ID("goose", trimZeros(f.digits))
		rev.Version = f.digits
		rev.Message = messageOf(f.desc)
		rev.CreateDate = timestampDate(f.digits)
		res.Revisions = append(res.Revisions, *rev)
		res.Warnings = append(res.Warnings, warns...)
		if !rev.HasDowngrade {
			res.Warnings = append(res.Warnings, Warning{Path: f.name, Msg: "no -- +goose Down: goose runs nothing there; the revision has no downgrade section, so retort refuses to downgrade through it (add an empty -- +downgrade section for goose's no-op)"})
		}
	}
	res.Warnings = append(res.Warnings, gapWarnings(versions)...)
	return res, nil
}

// parseGoose reads one goose SQL migration.
func parseGoose(fsys fs.FS, name string) (*Revision, []Warning, error) {
	text, err := readText(fsys, name)
	if err != nil {
		return nil, nil, err
	}
	if !slices.ContainsFunc(strings.Split(text, "\n"), func(l string) bool { a, _ := gooseAnnotation(l); return a == "UP" }) {
		return nil, nil, &Error{Path: name, Msg: "no -- +goose Up annotation: goose refuses the file"}
	}
	var up, down section
	var cur *section
	noTx, hasUp, hasDown := false, false, false
	blockStart, blockLine := -1, 0
	var warns []Warning
	for i, line := range strings.Split(text, "\n") {
		ln := i + 1
		t := strings.TrimSpace(line)
		ann, ok := gooseAnnotation(line)
		if ok && (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) {
			return nil, nil, &Error{Path: name, Line: ln, Msg: fmt.Sprintf("%q: goose refuses an annotation with white space before it", t)}
		}
		if !ok {
			if cur == nil {
				if t != "" && !strings.HasPrefix(t, "--") {
					return nil, nil, &Error{Path: name, Line: ln, Msg: "SQL before -- +goose Up: goose requires every statement to follow an Up or Down annotation"}
				}
				continue
			}
			cur.lines = append(cur.lines, line)
			continue
		}
		switch ann {
		case "UP":
			if hasUp {
				return nil, nil, &Error{Path: name, Line: ln, Msg: "a second -- +goose Up"}
			}
			if hasDown {
				return nil, nil, &Error{Path: name, Line: ln, Msg: "-- +goose Up after -- +goose Down"}
			}
			hasUp, cur = true, &up
		case "DOWN":
			if !hasUp {
				return nil, nil, &Error{Path: name, Line: ln, Msg: "-- +goose Down before -- +goose Up"}
			}
			if hasDown {
				return nil, nil, &Error{Path: name, Line: ln, Msg: "a second -- +goose Down"}
			}
			if blockStart >= 0 {
				return nil, nil, &Error{Path: name, Line: blockLine, Msg: "-- +goose StatementBegin without StatementEnd"}
			}
			hasDown, cur = true, &down
		case "STATEMENTBEGIN":
			if cur == nil {
				return nil, nil, &Error{Path: name, Line: ln, Msg: "-- +goose StatementBegin before -- +goose Up"}
			}
			if blockStart >= 0 {
				return nil, nil, &Error{Path: name, Line: ln, Msg: fmt.Sprintf("-- +goose StatementBegin inside the block begun at line %d", blockLine)}
			}
			blockStart, blockLine = len(cur.lines), ln+1
		case "STATEMENTEND":
			if blockStart < 0 {
				return nil, nil, &Error{Path: name, Line: ln, Msg: "-- +goose StatementEnd without StatementBegin"}
			}
			cur.blocks = append(cur.blocks, block{start: blockStart, end: len(cur.lines), line: blockLine})
			blockStart = -1
		case "NO TRANSACTION":
			noTx = true
		case "ENVSUB ON":
			warns = append(warns, Warning{Path: name, Line: ln, Msg: "-- +goose ENVSUB ON: goose substitutes ${VAR} from the environment here; retort does not, and the SQL is imported as written"})
		case "ENVSUB OFF":
		case "":
			return nil, nil, &Error{Path: name, Line: ln, Msg: fmt.Sprintf("%q: an empty goose annotation", t)}
		default:
			return nil, nil, &Error{Path: name, Line: ln, Msg: fmt.Sprintf("unknown goose annotation %q (goose knows Up, Down, StatementBegin, StatementEnd, NO TRANSACTION, ENVSUB ON and ENVSUB OFF)", t)}
		}
	}
	if blockStart >= 0 {
		return nil, nil, &Error{Path: name, Line: blockLine, Msg: "-- +goose StatementBegin without StatementEnd"}
	}
	rev := &Revision{Path: name, Upgrade: up.text(), Downgrade: down.text(), HasDowngrade: hasDown, NoTxUp: noTx, NoTxDown: noTx && hasDown}
	var w []Warning
	rev.MySQLUpgrade, w = checkBlocks(&up, name)
	warns = append(warns, w...)
	rev.MySQLDowngrade, w = checkBlocks(&down, name)
	warns = append(warns, w...)
	return rev, warns, nil
}
