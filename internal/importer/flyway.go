package importer

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Flyway, with its default naming: V<version>__<description>.sql
// versioned migrations, U<version>__<description>.sql undo migrations (the
// downgrades), R__<description>.sql repeatable ones, B<version>__ baseline
// ones; the version's parts are separated by "." or "_" and compared as
// numbers part by part (1.10 after 1.9; 1.0 is 1). A file NAME.sql.conf
// next to a migration with executeInTransaction=false runs it outside a
// transaction. Java (and other code) migrations are listed, not
// imported. Like Flyway, the reader looks into subfolders too.

// flywayName splits a Flyway file name into its prefix letter, version,
// description and extension ("sql", "java", ...); ok is false for other
// names.
func flywayName(n string) (prefix, version, desc, ext string, ok bool) {
	if len(n) < 2 || !strings.ContainsRune("VURB", rune(n[0])) {
		return "", "", "", "", false
	}
	v, rest, found := strings.Cut(n[1:], "__")
	if !found {
		return "", "", "", "", false
	}
	dot := strings.LastIndexByte(rest, '.')
	if dot < 0 {
		return "", "", "", "", false
	}
	return n[:1], v, rest[:dot], rest[dot+1:], true
}

// flywayVersion parses a version into its numeric parts, canonical
// (leading zeros and trailing zero parts dropped); ok is false when a
// part is not a number.
func flywayVersion(v string) (parts []string, ok bool) {
	for p := range strings.FieldsFuncSeq(v, func(r rune) bool { return r == '.' || r == '_' }) {
		if strings.Trim(p, "0123456789") != "" {
			return nil, false
		}
		parts = append(parts, trimZeros(p))
	}
	for len(parts) > 1 && parts[len(parts)-1] == "0" {
		parts = parts[:len(parts)-1]
	}
	return parts, len(parts) > 0
}

func compareFlyway(a, b []string) int {
	for i := 0; i < len(a) || i < len(b); i++ {
		x, y := "0", "0"
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if c := compareDigits(x, y); c != 0 {
			return c
		}
	}
	return 0
}

func looksFlyway(fsys fs.FS) string {
	names, err := listTree(fsys)
	if err != nil {
		return ""
	}
	for _, n := range names {
		p, v, _, ext, ok := flywayName(path.Base(n))
		if !ok || ext != "sql" {
			continue
		}
		if _, numeric := flywayVersion(v); p == "R" && v == "" || p != "R" && numeric {
			return n
		}
	}
	return ""
}

var placeholder = regexp.MustCompile(`\$\{[^}\n]+\}`)

type flywayMig struct {
	version        string
	parts          []string
	desc           string
	file, undoFile string
}

func readFlyway(fsys fs.FS, _ Options) (*Result, error) {
	names, err := listTree(fsys) // Flyway scans its locations recursively
	if err != nil {
		return nil, err
	}
	res := &Result{}
	var migs []*flywayMig
	undos := map[string]string{} // canonical version → U file
	for _, n := range names {
		prefix, v, desc, ext, ok := flywayName(path.Base(n))
		if !ok {
			if strings.HasSuffix(n, ".sql") {
				res.Skipped = append(res.Skipped, Skipped{Path: n, Reason: "not a Flyway migration: its name is not V<version>__<description>.sql, so Flyway ignores it"})
			}
			continue
		}
		if ext != "sql" {
			if ext != "conf" {
				res.Skipped = append(res.Skipped, Skipped{Path: n, Reason: fmt.Sprintf("a %s migration (.%s): its code cannot be imported; write it as a retort revision by hand", codeLanguage(ext), ext)})
			}
			continue
		}
		switch prefix {
		case "R":
			res.Skipped = append(res.Skipped, Skipped{Path: n, Reason: "a repeatable migration: Flyway runs it again whenever it changes, which a revision graph has no place for; make it a revision, or keep it in desired-state SQL"})
			continue
		case "B":
			res.Skipped = append(res.Skipped, Skipped{Path: n, Reason: "a baseline migration: Flyway runs it instead of the versions up to it on a new database; the versioned migrations are imported instead"})
			continue
		}
		parts, ok := flywayVersion(v)
		if !ok {
			return nil, &Error{Path: n, Msg: fmt.Sprintf("version %q is not numbers separated by . or _: Flyway refuses it", v)}
		}
		canon := strings.Join(parts, ".")
		if prefix == "U" {
			if prev, dup := undos[canon]; dup {
				return nil, duplicateError(v, prev, n)
			}
			undos[canon] = n
			continue
		}
		if i := slices.IndexFunc(migs, func(m *flywayMig) bool { return compareFlyway(m.parts, parts) == 0 }); i >= 0 {
			return nil, duplicateError(v, migs[i].file, n)
		}
		migs = append(migs, &flywayMig{version: v, parts: parts, desc: desc, file: n})
	}
	for canon, u := range undos {
		parts, _ := flywayVersion(canon)
		i := slices.IndexFunc(migs, func(m *flywayMig) bool { return compareFlyway(m.parts, parts) == 0 })
		if i < 0 {
			return nil, &Error{Path: u, Msg: fmt.Sprintf("an undo migration of version %s, which has no versioned migration (V%s__...sql)", canon, canon)}
		}
		migs[i].undoFile = u
	}
	slices.SortFunc(migs, func(a, b *flywayMig) int { return compareFlyway(a.parts, b.parts) })
	for _, m := range migs {
		rev := Revision{ID: ID("flyway", strings.Join(m.parts, ".")), Version: m.version, Message: messageOf(m.desc), Path: m.file,
			CreateDate: timestampDate(m.version)}
		if rev.Upgrade, err = readText(fsys, m.file); err != nil {
			return nil, err
		}
		noTx, err := flywayNoTx(fsys, m.file)
		if err != nil {
			return nil, err
		}
		rev.NoTxUp = noTx || noTxNote(&res.Warnings, m.file, rev.Upgrade, "Flyway runs such a migration outside a transaction")
		res.Warnings = append(res.Warnings, placeholderWarnings(m.file, rev.Upgrade)...)
		if m.undoFile != "" {
			if rev.Downgrade, err = readText(fsys, m.undoFile); err != nil {
				return nil, err
			}
			if rev.NoTxDown, err = flywayNoTx(fsys, m.undoFile); err != nil {
				return nil, err
			}
			rev.NoTxDown = rev.NoTxDown || noTxNote(&res.Warnings, m.undoFile, rev.Downgrade, "Flyway runs such a migration outside a transaction")
			rev.DownPath, rev.HasDowngrade = m.undoFile, true
			res.Warnings = append(res.Warnings, placeholderWarnings(m.undoFile, rev.Downgrade)...)
		}
		res.Revisions = append(res.Revisions, rev)
	}
	if len(undos) < len(migs) {
		res.Warnings = append(res.Warnings, Warning{Msg: fmt.Sprintf("%d of %d versioned migrations have no undo migration (U<version>__...sql): their revisions have no downgrade section and cannot be downgraded", len(migs)-len(undos), len(migs))})
	}
	return res, nil
}

func codeLanguage(ext string) string {
	switch ext {
	case "java", "class":
		return "Java"
	case "kt":
		return "Kotlin"
	}
	return "code"
}

// flywayNoTx reads the script configuration file of a migration, if
// there is one: executeInTransaction=false runs it outside a transaction.
func flywayNoTx(fsys fs.FS, file string) (bool, error) {
	conf := file + ".conf"
	if _, err := fs.Stat(fsys, conf); err != nil {
		return false, nil
	}
	text, err := readText(fsys, conf)
	if err != nil {
		return false, err
	}
	noTx := false
	for i, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			return false, &Error{Path: conf, Line: i + 1, Msg: fmt.Sprintf("%q is not key=value", t)}
		}
		switch strings.TrimSpace(k) {
		case "executeInTransaction":
			noTx = strings.EqualFold(strings.TrimSpace(v), "false")
		case "encoding":
		default:
			return false, &Error{Path: conf, Line: i + 1, Msg: fmt.Sprintf("unknown key %q (Flyway knows executeInTransaction and encoding)", strings.TrimSpace(k))}
		}
	}
	return noTx, nil
}

// placeholderWarnings flags Flyway's ${placeholders}, which Flyway
// replaces and retort does not.
func placeholderWarnings(file, sql string) []Warning {
	var out []Warning
	for i, l := range strings.Split(sql, "\n") {
		if m := placeholder.FindAllString(l, -1); len(m) > 0 {
			out = append(out, Warning{Path: file, Line: i + 1, Msg: fmt.Sprintf("placeholder %s: Flyway replaces it when it runs the file; retort does not, and the SQL is imported as written", strings.Join(m, ", "))})
		}
	}
	return out
}
