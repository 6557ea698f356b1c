// Package importer reads the migrations of another migration tool and
// turns them into retort SQL revisions: `retort import TOOL SOURCE_DIR`.
//
// It is internal: the CLI is its one user, and the shape of a source's
// revisions may still change as more tools (Alembic's import) join. Each
// tool has a reader, a pure function from an fs.FS (the source folder) to
// a Result: the revisions in the source's order, the files it did not
// import with the reason, and warnings. Render turns a Result into the
// bytes and names of retort revision files (script.Render and
// file_template); writing them is the caller's business. A fifth tool is
// one more entry in the tools table with its reader and its detector.
//
// The revisions form a linear graph in the source's order. A revision's
// id is the first 12 hexadecimal digits of the SHA-256 of the tool's name
// and the source's version in a canonical form (ID), so that importing
// the same folder twice gives the same files.
package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/retortdb/retort/script"
)

// Revision is one migration of the source, ready to be rendered.
type Revision struct {
	ID         string
	Down       string // the revision before it; "" for the first
	Message    string
	Version    string    // the source's version, as written in the file name
	Path       string    // the source file of the upgrade, slash-separated, relative to the source folder
	DownPath   string    // the file of the downgrade when it is a file of its own (golang-migrate, Flyway undo)
	CreateDate time.Time // from a timestamp version (YYYYMMDDHHMMSS, UTC); zero otherwise

	Upgrade      string
	Downgrade    string
	HasDowngrade bool // false: the revision cannot be downgraded (no -- +downgrade section)
	NoTxUp       bool // the upgrade runs outside a transaction
	NoTxDown     bool // the downgrade runs outside a transaction

	// MySQLUpgrade and MySQLDowngrade, when not empty, are the sections
	// for MySQL: the same SQL with DELIMITER lines around the statement
	// blocks that retort's splitter would cut on MySQL otherwise.
	MySQLUpgrade, MySQLDowngrade string

	// Skeleton, when not nil, makes the revision a Go revision skeleton
	// (a goose Go migration): Upgrade, Downgrade and the MySQL sections
	// are unused.
	Skeleton *Skeleton
}

// Warning is something the import kept but the user should look at.
type Warning struct {
	Path string // "" when it concerns the whole folder
	Line int    // 0 when it concerns the whole file
	Msg  string
}

func (w Warning) String() string {
	switch {
	case w.Path == "":
		return w.Msg
	case w.Line > 0:
		return fmt.Sprintf("%s:%d: %s", w.Path, w.Line, w.Msg)
	}
	return w.Path + ": " + w.Msg
}

// Skipped is a source file that was not imported, with why.
type Skipped struct {
	Path   string
	Reason string
}

// Skeletons returns the revisions of res that are Go revision
// skeletons, to be written by hand.
func (res *Result) Skeletons() []Revision {
	var out []Revision
	for _, r := range res.Revisions {
		if r.Skeleton != nil {
			out = append(out, r)
		}
	}
	return out
}

// Result is what a reader found in a source folder.
type Result struct {
	Tool      string
	Revisions []Revision
	Skipped   []Skipped
	Warnings  []Warning
}

// Error is a source that cannot be imported: a file the source tool
// would reject, a duplicate version, a folder of another tool, an empty
// folder. Path is relative to the source folder ("" for the folder).
type Error struct {
	Path string
	Line int
	Msg  string
	Hint string
}

func (e *Error) Error() string {
	switch {
	case e.Path != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	case e.Path != "":
		return e.Path + ": " + e.Msg
	}
	return e.Msg
}

// Options are the choices of an import.
type Options struct {
	// SkipGo leaves a goose folder's Go migrations out (listed in
	// Skipped; the graph stays linear without them). Without it each
	// becomes a Go revision skeleton at its place in the graph.
	SkipGo bool
}

// tool is one source tool: its reader and how to recognise its folder.
type tool struct {
	name  string
	read  func(fsys fs.FS, o Options) (*Result, error)
	looks func(fsys fs.FS) (evidence string) // a file that shows a folder is the tool's, or ""
	files string                             // what its migration files look like, for messages
}

// tools are the sources import accepts, in the order detection tries
// them: the ones with distinctive file names first, then those told
// apart by their content.
var tools = []tool{
	{name: "golang-migrate", read: readMigrate, looks: looksMigrate, files: "N_name.up.sql and N_name.down.sql files"},
	{name: "flyway", read: readFlyway, looks: looksFlyway, files: "V<version>__<description>.sql files"},
	{name: "goose", read: readGoose, looks: looksGoose, files: "N_name.sql files with -- +goose Up"},
	{name: "dbmate", read: readDbmate, looks: looksDbmate, files: "N_name.sql files with -- migrate:up"},
}

// Tools returns the names of the tools import reads, sorted.
func Tools() []string {
	var out []string
	for _, t := range tools {
		out = append(out, t.name)
	}
	slices.Sort(out)
	return out
}

// Known reports whether name is one of Tools.
func Known(name string) bool { return slices.Contains(Tools(), name) }

// Detect names the tool whose folder fsys looks like, and the file that
// shows it: one of Tools, or "alembic" for a folder of Alembic's
// (env.py, or Python revisions in it or in versions/). "" when nothing
// is recognised.
func Detect(fsys fs.FS) (name, evidence string) {
	if py, err := script.FindAlembic(fsys, "."); err == nil && len(py) > 0 {
		return "alembic", py[0]
	}
	if st, err := fs.Stat(fsys, "env.py"); err == nil && st.Mode().IsRegular() {
		return "alembic", "env.py"
	}
	for _, t := range tools {
		if ev := t.looks(fsys); ev != "" {
			return t.name, ev
		}
	}
	return "", ""
}

// Read reads the source folder fsys as a folder of the tool name's
// migrations. A folder that has none of the tool's files but looks like
// another tool's, or has no migrations at all, is an *Error.
func Read(name string, fsys fs.FS, o Options) (*Result, error) {
	i := slices.IndexFunc(tools, func(t tool) bool { return t.name == name })
	if i < 0 {
		return nil, fmt.Errorf("unknown tool %q (known: %s)", name, strings.Join(Tools(), ", "))
	}
	t := tools[i]
	if t.looks(fsys) == "" {
		if other, ev := Detect(fsys); other != "" && other != name {
			e := &Error{Msg: fmt.Sprintf("this looks like a %s project (%s), not a %s one", other, ev, name)}
			if other == "alembic" {
				e.Msg = fmt.Sprintf("this looks like an Alembic project (%s), not a %s one", ev, name)
				e.Hint = "run `retort import alembic SOURCE_DIR --dialect DIALECT`"
			} else {
				e.Hint = fmt.Sprintf("run `retort import %s SOURCE_DIR`", other)
			}
			return nil, e
		}
		return nil, &Error{Msg: fmt.Sprintf("no %s migrations found (%s)", name, t.files), Hint: "give the folder that holds the migration files"}
	}
	res, err := t.read(fsys, o)
	if err != nil {
		return nil, err
	}
	res.Tool = name
	if len(res.Revisions) == 0 {
		return nil, &Error{Msg: fmt.Sprintf("no %s migration to import (%s)", name, t.files)}
	}
	for i := range res.Revisions {
		if i > 0 {
			res.Revisions[i].Down = res.Revisions[i-1].ID
		}
	}
	return res, nil
}

// ID is the revision id of the source version canonical of tool: the
// first 12 hexadecimal digits of SHA-256("tool:version").
func ID(toolName, canonical string) string {
	sum := sha256.Sum256([]byte(toolName + ":" + canonical))
	return hex.EncodeToString(sum[:6])
}

// timestampDate is the time a version of 14 digits written as
// YYYYMMDDHHMMSS stands for (UTC), or the zero time.
func timestampDate(version string) time.Time {
	if len(version) != 14 || strings.Trim(version, "0123456789") != "" {
		return time.Time{}
	}
	t, err := time.Parse("20060102150405", version)
	if err != nil || t.Year() < 1970 {
		return time.Time{}
	}
	return t
}

// messageOf makes a revision message of a file name's description:
// underscores and dashes become spaces.
func messageOf(desc string) string {
	return strings.Join(strings.FieldsFunc(desc, func(r rune) bool { return r == '_' || r == '-' || r == ' ' }), " ")
}

// listFiles lists the regular files directly in the source folder,
// sorted by name, leaving out hidden ones.
func listFiles(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read the source folder: %w", err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		out = append(out, e.Name())
	}
	return out, nil
}

// listTree lists the regular files of the source folder and of its
// subfolders as slash-separated paths, sorted, leaving out hidden files
// and folders.
func listTree(fsys fs.FS) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the source folder: %w", err)
	}
	slices.Sort(out)
	return out, nil
}

// readText reads a source file with CRLF turned into LF.
func readText(fsys fs.FS, name string) (string, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n"), nil
}

// firstWithLine returns the first of names (sorted) whose content
// contains one of the lines match accepts, or "".
func firstWithLine(fsys fs.FS, names []string, match func(line string) bool) string {
	for _, n := range names {
		text, err := readText(fsys, n)
		if err != nil {
			continue
		}
		for l := range strings.SplitSeq(text, "\n") {
			if match(strings.TrimSpace(l)) {
				return n
			}
		}
	}
	return ""
}

// leadingDigits splits name into its leading digits and the rest.
func leadingDigits(name string) (digits, rest string) {
	i := 0
	for i < len(name) && name[i] >= '0' && name[i] <= '9' {
		i++
	}
	return name[:i], name[i:]
}

// trimZeros drops the leading zeros of a string of digits ("0" stays).
func trimZeros(d string) string {
	t := strings.TrimLeft(d, "0")
	if t == "" {
		return "0"
	}
	return t
}

// compareDigits orders two strings of digits by the numbers they write.
func compareDigits(a, b string) int {
	a, b = trimZeros(a), trimZeros(b)
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// versionAt is one version of a source and its file, for gapWarnings.
type versionAt struct{ digits, path string }

// gapWarnings warns about holes in sequential numbering (vs in order):
// versions below a billion that do not follow one another. The tools
// accept holes (a migration deleted, a branch merged), so they are
// warnings; timestamps are not a sequence.
func gapWarnings(vs []versionAt) []Warning {
	var out []Warning
	for i := 1; i < len(vs); i++ {
		a, b := trimZeros(vs[i-1].digits), trimZeros(vs[i].digits)
		if len(b) > 9 || len(a) > 9 {
			continue
		}
		x, _ := strconv.Atoi(a)
		y, _ := strconv.Atoi(b)
		if y > x+1 {
			out = append(out, Warning{Path: vs[i].path, Msg: fmt.Sprintf("version %s follows version %s: %d missing in between", vs[i].digits, vs[i-1].digits, y-x-1)})
		}
	}
	return out
}

// duplicateError is two files of one version.
func duplicateError(version, a, b string) *Error {
	return &Error{Path: b, Msg: fmt.Sprintf("version %s is also the version of %s; the tool refuses two migrations of one version", version, a),
		Hint: "rename one of them to a version of its own"}
}
