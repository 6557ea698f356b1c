package importer

import (
	"fmt"
	"strings"
	"time"

	"github.com/retortdb/retort/script"
)

// Naming is how the files are named: retort.toml's file_template and
// truncate_slug_length, as `retort revision` names files.
type Naming struct {
	Template           string
	TruncateSlugLength int
	// GoPackage is the package of the script location's Go files, that
	// Go revision skeletons join; needed only when there are some.
	GoPackage string
}

// File is one retort revision file to write: its name in the script
// location and its content.
type File struct {
	Name     string
	Content  []byte
	Revision Revision
}

// noTxMark is retort's directive for statements outside the transaction.
const noTxMark = "-- +no-transaction"

// Render renders the revisions of res as retort SQL revision files, and
// its skeletons as Go revision files in package n.GoPackage. The
// file names come from n with the revision's create date; a revision
// without one (a sequential version) is named at the Unix epoch, with
// the source's version in front of the slug so that the name says where
// it came from. Source comment lines that retort would read as a
// directive (-- +word) get a space after the "+" and a warning. Each
// file is parsed back before it is returned.
func Render(res *Result, n Naming) ([]File, []Warning, error) {
	var files []File
	var warns []Warning
	names := map[string]string{}
	for _, r := range res.Revisions {
		t, slugMsg := r.CreateDate, r.Message
		if t.IsZero() {
			t, slugMsg = time.Unix(0, 0).UTC(), r.Version+" "+r.Message
		}
		fileName := script.FileName
		if r.Skeleton != nil {
			fileName = script.GoFileName
		}
		name, err := fileName(n.Template, r.ID, slugMsg, t, n.TruncateSlugLength)
		if err != nil {
			return nil, nil, fmt.Errorf("name the revision of %s: %w", r.Path, err)
		}
		var content []byte
		if r.Skeleton != nil {
			h := script.Header{Revision: r.ID, Message: r.Message, CreateDate: r.CreateDate}
			if r.Down != "" {
				h.DownRevisions = []string{r.Down}
			}
			if content, err = renderSkeleton(res.Tool, n.GoPackage, r, h); err != nil {
				return nil, nil, err
			}
		} else {
			var w []Warning
			content, w = renderRevision(res.Tool, r)
			warns = append(warns, w...)
		}
		if prev, dup := names[name]; dup {
			return nil, nil, fmt.Errorf("file_template %q gives the same name %s to the revisions of %s and %s; put %%(rev)s in it", n.Template, name, prev, r.Path)
		}
		names[name] = r.Path
		if _, _, err := script.Parse(content, name); err != nil {
			return nil, nil, fmt.Errorf("the revision rendered from %s does not read back: %w", r.Path, err)
		}
		files = append(files, File{Name: name, Content: content, Revision: r})
	}
	return files, warns, nil
}

// renderRevision is the content of one revision's file.
func renderRevision(toolName string, r Revision) ([]byte, []Warning) {
	var warns []Warning
	up, w := escapeDirectives(r.Upgrade, r.Path, "upgrade")
	warns = append(warns, w...)
	down, w := escapeDirectives(r.Downgrade, downPath(r), "downgrade")
	warns = append(warns, w...)
	h := script.Header{Revision: r.ID, Message: r.Message, CreateDate: r.CreateDate}
	if r.Down != "" {
		h.DownRevisions = []string{r.Down}
	}
	content := string(script.Render(h, withNoTx(up, r.NoTxUp), withNoTx(down, r.NoTxDown)))
	if !r.HasDowngrade {
		content = strings.TrimSuffix(content, "\n-- +downgrade\n")
	}
	origin := fmt.Sprintf("-- imported from %s: %s (version %s)\n", toolName, r.Path, r.Version)
	if r.DownPath != "" {
		origin += fmt.Sprintf("-- downgrade from %s\n", r.DownPath)
	}
	head, rest, _ := strings.Cut(content, "\n\n-- +upgrade\n")
	content = head + "\n" + origin + "\n-- +upgrade\n" + rest
	if r.MySQLUpgrade != "" {
		s, _ := escapeDirectives(r.MySQLUpgrade, r.Path, "")
		content += "\n-- +upgrade mysql\n" + sectionText(withNoTx(s, r.NoTxUp))
	}
	if r.MySQLDowngrade != "" && r.HasDowngrade {
		s, _ := escapeDirectives(r.MySQLDowngrade, downPath(r), "")
		content += "\n-- +downgrade mysql\n" + sectionText(withNoTx(s, r.NoTxDown))
	}
	return []byte(content), warns
}

func downPath(r Revision) string {
	if r.DownPath != "" {
		return r.DownPath
	}
	return r.Path
}

func withNoTx(sql string, noTx bool) string {
	if !noTx {
		return sql
	}
	return noTxMark + "\n" + sql
}

// sectionText is sql as script.Render writes a section, a lone newline
// when empty.
func sectionText(sql string) string {
	if t := script.SectionText(sql); t != "" {
		return t
	}
	return "\n"
}

// escapeDirectives turns the lines of sql that retort would read as a
// directive ("-- +word": a source tool's annotation left in a comment)
// into free comments ("-- + word"), with a warning each that names the
// line in the section (what: "upgrade" or "downgrade").
func escapeDirectives(sql, file, what string) (string, []Warning) {
	if !strings.Contains(sql, "+") {
		return sql, nil
	}
	lines := strings.Split(sql, "\n")
	var warns []Warning
	for i, l := range lines {
		t := strings.TrimSpace(l)
		rest, ok := strings.CutPrefix(t, "--")
		if !ok || t == noTxMark { // retort's own, as a reader placed it (dbmate's sections)
			continue
		}
		rest = strings.TrimLeft(rest, " \t")
		if len(rest) < 2 || rest[0] != '+' || !isASCIILetter(rest[1]) {
			continue
		}
		j := strings.Index(l, rest)
		lines[i] = l[:j] + "+ " + rest[1:]
		warns = append(warns, Warning{Path: file, Msg: fmt.Sprintf("line %d of the %s: comment %q would be a retort directive; written as %q", i+1, what, t, strings.TrimSpace(lines[i]))})
	}
	return strings.Join(lines, "\n"), warns
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
