package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/retortdb/retort/script"
)

// Alembic: a script location (the folder of env.py) whose Python
// revision files, in it or in its versions folder, form a graph through
// their module-level revision, down_revision, branch_labels and
// depends_on. The graph is read from those assignments without running
// Python; the SQL of each revision comes from Alembic itself, offline
// (`alembic upgrade D:R --sql`), once per dialect asked.

// AlembicDialects are the dialects an Alembic import renders SQL for, as
// retort's section markers name them, with the URL Alembic is given for
// each (offline mode does not connect).
var AlembicDialects = map[string]string{
	"postgresql": "postgresql://",
	"mysql":      "mysql://",
	"sqlite":     "sqlite://",
}

// AlembicDialect returns the section name of a dialect as a user or a
// URL names it ("postgres" is "postgresql"), or "" when unknown.
func AlembicDialect(name string) string {
	switch strings.ToLower(name) {
	case "postgresql", "postgres", "psql":
		return "postgresql"
	case "mysql", "mariadb":
		return "mysql"
	case "sqlite", "sqlite3":
		return "sqlite"
	}
	return ""
}

// AlembicOptions are the choices of an Alembic import.
type AlembicOptions struct {
	Dialects []string // section names (AlembicDialect), one file section each, in this order
	Alembic  string   // the alembic executable
	Env      []string // its environment
}

// AlembicImport is an Alembic project read: the Result for the report
// (revisions in an order where a revision follows its down revisions;
// Down is the first of them) and what Render writes.
type AlembicImport struct {
	Result *Result
	revs   []*alembicRev
	dials  []string
}

// alembicRev is one Alembic revision file.
type alembicRev struct {
	id, path     string
	downs        []string
	labels, deps []string
	message      string
	created      time.Time
	source       string                 // the file's text
	up, down     map[string]string      // dialect: SQL
	upErr, dnErr map[string]alembicFail // dialect: why Alembic could not render it
}

// alembicFail is a direction of a revision that Alembic could not render
// offline for a dialect: Alembic's message and the line it failed at.
type alembicFail struct {
	msg  string
	line int
}

// AlembicNotInstalled is the error of an import when no alembic command
// is found: nothing is written.
func AlembicNotInstalled(source string) *Error {
	return &Error{Msg: "alembic is not installed (no alembic command on PATH); the SQL of each revision comes from Alembic itself",
		Hint: "install it (`apt-get install alembic`, or `pip install alembic` with the project's own requirements) and run `retort import alembic " + source + " --dialect DIALECT` again"}
}

// CheckAlembicFolder checks that dir is an Alembic project (env.py, or
// an alembic.ini naming its script location) before Alembic is looked
// for: a folder of another tool is an *Error that names that tool.
func CheckAlembicFolder(dir string) error {
	_, _, err := alembicLocation(dir)
	return err
}

// alembicLocation finds the script location of an Alembic source folder:
// the folder itself when it holds env.py, else the script_location of
// its alembic.ini. root is the folder Alembic runs in (where alembic.ini
// is, or the script location's parent), so that env.py imports the
// project's modules as it does at home.
func alembicLocation(dir string) (loc, root string, err error) {
	if st, err := os.Stat(filepath.Join(dir, "env.py")); err == nil && st.Mode().IsRegular() {
		return dir, filepath.Dir(dir), nil
	}
	ini, err := os.ReadFile(filepath.Join(dir, "alembic.ini"))
	if err != nil {
		if other, ev := Detect(os.DirFS(dir)); other != "" && other != "alembic" {
			return "", "", &Error{Msg: fmt.Sprintf("this looks like a %s project (%s), not an Alembic one", other, ev),
				Hint: fmt.Sprintf("run `retort import %s SOURCE_DIR`", other)}
		}
		return "", "", &Error{Msg: "no env.py and no alembic.ini in the folder", Hint: "give the folder of env.py (Alembic's script_location) or of alembic.ini"}
	}
	for l := range strings.SplitSeq(strings.ReplaceAll(string(ini), "\r\n", "\n"), "\n") {
		k, v, ok := strings.Cut(l, "=")
		if !ok || strings.TrimSpace(k) != "script_location" {
			continue
		}
		v = strings.ReplaceAll(strings.TrimSpace(v), "%(here)s", dir)
		if strings.Contains(v, ":") && !filepath.IsAbs(v) {
			return "", "", &Error{Path: "alembic.ini", Msg: fmt.Sprintf("script_location %q names a package; import reads a folder", v), Hint: "give the folder of env.py"}
		}
		if !filepath.IsAbs(v) {
			v = filepath.Join(dir, v)
		}
		return v, dir, nil
	}
	return "", "", &Error{Path: "alembic.ini", Msg: "no script_location", Hint: "give the folder of env.py"}
}

// ReadAlembic reads the Alembic project of dir: the graph from the
// revision files, the SQL of each revision for each dialect of o from
// Alembic. A revision Alembic cannot render offline in one direction (it
// reads data through op.get_bind()) becomes a Go revision skeleton in its
// place in the graph (Revision.Skeleton): that direction holds the Python
// source as a comment and fails until written, the other runs the SQL
// Alembic rendered; a warning names the file and line.
func ReadAlembic(ctx context.Context, dir string, o AlembicOptions) (*AlembicImport, error) {
	loc, root, err := alembicLocation(dir)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(dir, loc)
	if err != nil {
		return nil, fmt.Errorf("locate the script location: %w", err)
	}
	files, err := script.FindAlembic(os.DirFS(loc), ".")
	if err != nil {
		return nil, fmt.Errorf("read the script location %s: %w", loc, err)
	}
	if len(files) == 0 {
		return nil, &Error{Path: filepath.ToSlash(rel), Msg: "no Alembic revision files (*.py assigning revision and down_revision) in the script location or its versions folder"}
	}
	a := &AlembicImport{Result: &Result{Tool: "alembic"}, dials: o.Dialects}
	byID := map[string]*alembicRev{}
	for _, f := range files {
		p := filepath.ToSlash(filepath.Join(rel, f))
		b, err := os.ReadFile(filepath.Join(loc, f))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		r, err := parseAlembic(strings.ReplaceAll(string(b), "\r\n", "\n"), p)
		if err != nil {
			return nil, err
		}
		if prev, dup := byID[r.id]; dup {
			return nil, &Error{Path: p, Msg: fmt.Sprintf("revision %s is also the revision of %s; Alembic refuses two files of one revision", r.id, prev.path)}
		}
		byID[r.id] = r
		a.revs = append(a.revs, r)
	}
	if err := a.order(byID); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "retort-alembic-")
	if err != nil {
		return nil, fmt.Errorf("create a folder for alembic.ini: %w", err)
	}
	defer os.RemoveAll(tmp)
	for _, d := range o.Dialects {
		ini := filepath.Join(tmp, d+".ini")
		if err := os.WriteFile(ini, alembicINI(loc, root, AlembicDialects[d]), 0o644); err != nil {
			return nil, fmt.Errorf("write %s: %w", ini, err)
		}
		run := func(args ...string) (string, string, error) {
			cmd := exec.CommandContext(ctx, o.Alembic, append([]string{"-c", ini}, args...)...)
			cmd.Dir, cmd.Env = root, o.Env
			var out, errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errOut
			err := cmd.Run()
			return strings.ReplaceAll(out.String(), "\r\n", "\n"), errOut.String(), err
		}
		done, err := a.renderAll(ctx, d, run)
		if err != nil {
			return nil, err
		}
		for _, r := range a.revs {
			if done[r.id] {
				continue
			}
			if err := a.render(ctx, r, d, run); err != nil {
				return nil, err
			}
		}
	}
	for _, r := range a.revs {
		rev := Revision{ID: r.id, Message: r.message, Version: r.id, Path: r.path, CreateDate: r.created, HasDowngrade: true}
		if len(r.downs) > 0 {
			rev.Down = r.downs[0]
		}
		rev.Skeleton = a.skeleton(r)
		a.Result.Revisions = append(a.Result.Revisions, rev)
	}
	return a, nil
}

// renderAll fills the SQL of every revision for dialect d with a few
// runs of Alembic instead of two per revision: `upgrade heads --sql`
// renders every upgrade from base, and `downgrade H:base --sql` for
// each head every downgrade below it. Offline, a revision's statements
// do not depend on what ran before it, so its segment is the one a run
// of that revision alone prints. A run that fails in a revision R (it
// reads data through op.get_bind()) still gives the revisions before R,
// and goes on past R: `upgrade R:heads --sql` (R taken as applied), and
// `downgrade D:base --sql` for each down revision D of R. It returns the
// ids of the revisions whose upgrade and downgrade it rendered; render
// runs Alembic per revision for the others (which also says why a
// revision failed).
func (a *AlembicImport) renderAll(ctx context.Context, d string, run func(...string) (string, string, error)) (map[string]bool, error) {
	byID := map[string]*alembicRev{}
	below := map[string]bool{}
	for _, r := range a.revs {
		byID[r.id] = r
		for _, dn := range r.downs {
			below[dn] = true
		}
	}
	// runs runs Alembic from each start in turn (arg gives its argument),
	// adding the starts that next gives for the revision a run failed in.
	runs := func(dir string, starts []string, arg func(string) string, next func(string) []string, into map[string]string) error {
		tried := map[string]bool{}
		for _, s := range starts {
			tried[s] = true
		}
		for i := 0; i < len(starts); i++ {
			out, _, err := run(dir, arg(starts[i]), "--sql")
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failed := alembicSegments(out, dir, err == nil, into)
			if err == nil || failed == "" {
				continue
			}
			for _, n := range next(failed) {
				if !tried[n] {
					tried[n] = true
					starts = append(starts, n)
				}
			}
		}
		return nil
	}
	up, down := map[string]string{}, map[string]string{}
	err := runs("upgrade", []string{""}, func(s string) string {
		if s == "" {
			return "heads"
		}
		return s + ":heads"
	}, func(failed string) []string { return []string{failed} }, up)
	if err != nil {
		return nil, err
	}
	var heads []string
	for _, r := range a.revs {
		if !below[r.id] {
			heads = append(heads, r.id)
		}
	}
	err = runs("downgrade", heads, func(s string) string { return s + ":base" }, func(failed string) []string {
		if r := byID[failed]; r != nil {
			return r.downs
		}
		return nil
	}, down)
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	for _, r := range a.revs {
		u, okUp := up[r.id]
		dn, okDown := down[r.id]
		if !okUp || !okDown {
			continue
		}
		if r.up == nil {
			r.up, r.down, r.upErr, r.dnErr = map[string]string{}, map[string]string{}, map[string]alembicFail{}, map[string]alembicFail{}
		}
		r.up[d], r.down[d] = u, dn
		done[r.id] = true
	}
	return done, nil
}

// alembicSegments adds to into the segment (alembicSegment) of each
// revision whose "-- Running DIR" comment out holds, the first one
// kept. When the run failed (complete false), the last revision it
// started is the one that failed: it is left out, and returned.
func alembicSegments(out, dir string, complete bool, into map[string]string) (failed string) {
	var ids []string
	for l := range strings.SplitSeq(out, "\n") {
		rest, ok := strings.CutPrefix(l, "-- Running "+dir+" ")
		if !ok {
			continue
		}
		from, to, _ := strings.Cut(rest, "->")
		id := strings.TrimSpace(to)
		if dir == "downgrade" {
			id = strings.TrimSpace(from)
		}
		ids = append(ids, id)
	}
	if !complete && len(ids) > 0 {
		failed = ids[len(ids)-1]
		ids = ids[:len(ids)-1]
	}
	for _, id := range ids {
		if _, seen := into[id]; seen {
			continue
		}
		if seg, ok := alembicSegment(out, dir, id); ok {
			into[id] = seg
		}
	}
	return failed
}

// render fills r's SQL for dialect d, running alembic through run.
func (a *AlembicImport) render(ctx context.Context, r *alembicRev, d string, run func(...string) (string, string, error)) error {
	if r.up == nil {
		r.up, r.down, r.upErr, r.dnErr = map[string]string{}, map[string]string{}, map[string]alembicFail{}, map[string]alembicFail{}
	}
	for _, dir := range []string{"upgrade", "downgrade"} {
		// A merge is rendered from each of its down revisions in turn
		// until one works: from one, Alembic also runs the other's
		// branch, whose failure is not the merge's.
		starts := r.downs
		if len(starts) == 0 {
			starts = []string{""}
		}
		var sql, failure string
		var line int
		var failed error
		for _, s := range starts {
			arg := s + ":" + r.id
			switch {
			case dir == "upgrade" && s == "":
				arg = r.id
			case dir == "downgrade" && s == "":
				arg = r.id + ":base"
			case dir == "downgrade":
				arg = r.id + ":" + s
			}
			out, errOut, err := run(dir, arg, "--sql")
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err == nil {
				seg, ok := alembicSegment(out, dir, r.id)
				if !ok {
					return &Error{Path: r.path, Msg: fmt.Sprintf("`alembic %s %s --sql` for %s printed no \"-- Running %s\" comment for revision %s; does env.py honour offline mode (context.configure(url=...))?", dir, arg, d, dir, r.id)}
				}
				sql, failed = seg, nil
				break
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				return fmt.Errorf("run alembic %s %s --sql: %w", dir, arg, err)
			}
			failed = err
			failure, line = alembicFailure(errOut, r.path)
			if msg, ok := alembicFailed(out); ok && errOut == "" {
				failure = msg // logging off: only stdout says why
			}
			// A revision ran when Alembic printed its "-- Running"
			// comment: some failures (batch mode that needs to reflect
			// a table) are a message without a traceback.
			if !a.inRevision(errOut) && !strings.Contains(out, "-- Running "+dir+" ") {
				return &Error{Path: r.path, Msg: fmt.Sprintf("`alembic %s %s --sql` for %s failed before any revision ran: %s", dir, arg, d, failure),
					Hint: "env.py must run offline as Alembic's template does: context.configure(url=config.get_main_option(\"sqlalchemy.url\")) when context.is_offline_mode(), and import what it needs from the project"}
			}
		}
		if failed == nil {
			if dir == "upgrade" {
				r.up[d] = sql
			} else {
				r.down[d] = sql
			}
			continue
		}
		fn := pyFunction(r.source, dir)
		n := line
		if n == 0 {
			n = fn.line
		}
		a.Result.Warnings = append(a.Result.Warnings, Warning{Path: r.path, Line: n,
			Msg: fmt.Sprintf("Alembic cannot render the %s offline for %s (%s): the revision is a Go skeleton whose %s holds the Python source as a comment and fails until you write it", dir, d, failure, goFuncName(dir))})
		if dir == "upgrade" {
			r.upErr[d] = alembicFail{msg: failure, line: n}
		} else {
			r.dnErr[d] = alembicFail{msg: failure, line: n}
		}
	}
	return nil
}

func goFuncName(dir string) string {
	if dir == "upgrade" {
		return "Upgrade"
	}
	return "Downgrade"
}

// opDialects are the names package op gives the dialects of sections.
var opDialects = map[string]string{"postgresql": "postgres", "mysql": "mysql", "sqlite": "sqlite"}

// skeleton is the Go revision skeleton of r when Alembic could not
// render a direction of it for some dialect, else nil. A direction that
// failed for a dialect holds its Python function as a comment and fails
// until written; a direction Alembic rendered for every dialect runs
// that SQL, each dialect's with o.ExecuteOn.
func (a *AlembicImport) skeleton(r *alembicRev) *Skeleton {
	if len(r.upErr) == 0 && len(r.dnErr) == 0 {
		return nil
	}
	sk := &Skeleton{Why: "An Alembic revision that Alembic cannot render as SQL offline (it reads data through op.get_bind(), say)"}
	for _, dir := range []string{"upgrade", "downgrade"} {
		sqls, fails := r.up, r.upErr
		if dir == "downgrade" {
			sqls, fails = r.down, r.dnErr
		}
		var f SkeletonFunc
		if len(fails) == 0 {
			var b strings.Builder
			for _, d := range a.dials {
				if strings.TrimSpace(sqls[d]) != "" {
					fmt.Fprintf(&b, "\t\t\to.ExecuteOn(%q, %s)\n", opDialects[d], goString(strings.TrimSpace(sqls[d])))
				}
			}
			f.Body = b.String()
			if f.Body == "" {
				f.Body = "\t\t\t// Alembic renders no SQL here.\n"
			}
		} else {
			fn := pyFunction(r.source, dir)
			var ds, msgs []string
			line := 0
			for _, d := range a.dials {
				if fl, ok := fails[d]; ok {
					ds = append(ds, d)
					if !slices.Contains(msgs, fl.msg) {
						msgs = append(msgs, fl.msg)
					}
					if line == 0 {
						line = fl.line
					}
				}
			}
			if fn.line > 0 {
				line = fn.line
			}
			f.From = fmt.Sprintf("Alembic's %s() (%s:%d), which Alembic cannot render offline for %s (%s)", dir, r.path, line, strings.Join(ds, ", "), strings.Join(msgs, "; "))
			f.Source = strings.Join(fn.lines, "\n")
			if f.Source == "" {
				f.Source = r.source
			}
			// The SQL Alembic did render for the other dialects is kept
			// too, under the Python.
			for _, d := range a.dials {
				if _, failed := fails[d]; failed || strings.TrimSpace(sqls[d]) == "" {
					continue
				}
				f.Source += "\n\n# Alembic rendered it for " + d + " as:"
				for l := range strings.SplitSeq(strings.TrimSpace(sqls[d]), "\n") {
					f.Source += "\n#   " + l
				}
			}
		}
		if dir == "upgrade" {
			sk.Up = f
		} else {
			sk.Down = f
		}
	}
	return sk
}

// inRevision reports whether Alembic's traceback passes through a
// revision file of the project: the failure is a revision's, not
// env.py's or the setup's.
func (a *AlembicImport) inRevision(stderr string) bool {
	for _, r := range a.revs {
		if strings.Contains(filepath.ToSlash(stderr), "/"+filepath.Base(r.path)+`", line `) {
			return true
		}
	}
	return false
}

// alembicFailure reads Alembic's traceback: the exception's last line,
// and the line of the revision file (named by its path relative to the
// source, matched as a suffix) where it was raised, or 0.
func alembicFailure(stderr, path string) (string, int) {
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	msg := "alembic failed"
	for i := len(lines) - 1; i >= 0; i-- {
		if t := strings.TrimSpace(lines[i]); t != "" && !strings.HasPrefix(t, "^") {
			msg = t
			break
		}
	}
	line := 0
	base := "/" + filepath.ToSlash(filepath.Base(path))
	for _, l := range lines {
		t := strings.TrimSpace(l)
		rest, ok := strings.CutPrefix(t, `File "`)
		if !ok {
			continue
		}
		file, after, ok := strings.Cut(rest, `", line `)
		if !ok || !strings.HasSuffix(filepath.ToSlash(file), base) {
			continue
		}
		num, _, _ := strings.Cut(after, ",")
		if n, err := strconv.Atoi(num); err == nil {
			line = n
		}
	}
	return msg, line
}

// alembicFailed is the message of Alembic's "FAILED: ..." line on
// stdout, which it prints for an error it raises without a traceback.
func alembicFailed(stdout string) (string, bool) {
	i := strings.LastIndex(stdout, "FAILED: ")
	if i < 0 {
		return "", false
	}
	msg, _, _ := strings.Cut(stdout[i+len("FAILED: "):], "\n")
	return strings.TrimSpace(msg), true
}

// alembicINI is the alembic.ini an import runs Alembic with: the source's
// script location, a URL of the dialect, and logging to stderr for
// env.py's fileConfig.
func alembicINI(loc, root, url string) []byte {
	esc := func(s string) string { return strings.ReplaceAll(s, "%", "%%") }
	return []byte(`[alembic]
script_location = ` + esc(loc) + `
prepend_sys_path = ` + esc(root) + `
sqlalchemy.url = ` + url + `

[loggers]
keys = root

[handlers]
keys = stderr

[formatters]
keys = plain

[logger_root]
level = WARN
handlers = stderr

[handler_stderr]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = plain

[formatter_plain]
format = %%(levelname)s %%(message)s
`)
}

// alembicSegment is the SQL Alembic printed for revision id in one
// direction: the statements after its "-- Running upgrade ... -> id"
// (or "-- Running downgrade id -> ...") comment up to the next one,
// without Alembic's bookkeeping (alembic_version, BEGIN, COMMIT).
func alembicSegment(out, dir, id string) (string, bool) {
	lines := strings.Split(out, "\n")
	start := -1
	for i, l := range lines {
		rest, ok := strings.CutPrefix(l, "-- Running "+dir+" ")
		if !ok {
			continue
		}
		from, to, _ := strings.Cut(rest, "->")
		if dir == "upgrade" && strings.TrimSpace(to) == id || dir == "downgrade" && strings.TrimSpace(from) == id {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return "", false
	}
	end := len(lines)
	for i := start; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "-- Running ") {
			end = i
			break
		}
	}
	var kept []string
	var cur []string
	// A COMMIT inside the revision is the start of an autocommit_block()
	// (CREATE INDEX CONCURRENTLY): the statements after it run outside
	// the revision's transaction, as retort's no-transaction marker says.
	committed, marked := false, false
	flush := func() {
		if len(cur) == 0 {
			return
		}
		st := strings.Join(cur, "\n")
		cur = nil
		if alembicBookkeeping(st) {
			if strings.EqualFold(strings.TrimSuffix(strings.TrimSpace(st), ";"), "COMMIT") {
				committed = true
			}
			return
		}
		if committed && !marked {
			kept = append(kept, noTxMark)
			marked = true
		}
		kept = append(kept, st)
	}
	for i := start; i < end; i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" && (len(cur) == 0 || strings.HasSuffix(strings.TrimSpace(cur[len(cur)-1]), ";")) {
			flush()
			continue
		}
		cur = append(cur, l)
	}
	flush()
	return strings.Join(kept, "\n\n"), true
}

// alembicBookkeeping reports whether a statement of Alembic's output is
// its own: the alembic_version table's, or the transaction around the
// script.
func alembicBookkeeping(st string) bool {
	u := strings.ToUpper(strings.Join(strings.Fields(st), " "))
	switch strings.TrimSuffix(u, ";") {
	case "BEGIN", "COMMIT", "BEGIN TRANSACTION", "START TRANSACTION", "GO":
		return true
	}
	for _, p := range []string{"CREATE TABLE ALEMBIC_VERSION", "DROP TABLE ALEMBIC_VERSION", "INSERT INTO ALEMBIC_VERSION", "UPDATE ALEMBIC_VERSION", "DELETE FROM ALEMBIC_VERSION"} {
		if strings.HasPrefix(u, p) {
			return true
		}
	}
	return false
}

// order sorts a.revs so that a revision follows its down revisions and
// the revisions it depends on, the rest by create date and id, and
// checks that every revision named exists.
func (a *AlembicImport) order(byID map[string]*alembicRev) error {
	labels := map[string]bool{}
	for _, r := range a.revs {
		for _, l := range r.labels {
			labels[l] = true
		}
	}
	for _, r := range a.revs {
		for _, d := range r.downs {
			if byID[d] == nil {
				return &Error{Path: r.path, Msg: fmt.Sprintf("down_revision %s is not a revision of the project", d)}
			}
		}
		for _, d := range r.deps {
			if byID[d] == nil && !labels[d] {
				return &Error{Path: r.path, Msg: fmt.Sprintf("depends_on %s is neither a revision nor a branch label of the project", d)}
			}
		}
	}
	slices.SortFunc(a.revs, func(x, y *alembicRev) int {
		if c := x.created.Compare(y.created); c != 0 {
			return c
		}
		return strings.Compare(x.id, y.id)
	})
	done := map[string]bool{}
	var out []*alembicRev
	for len(out) < len(a.revs) {
		progress := false
		for _, r := range a.revs {
			if done[r.id] {
				continue
			}
			ready := true
			for _, d := range r.downs {
				ready = ready && done[d]
			}
			for _, d := range r.deps {
				ready = ready && (byID[d] == nil || done[d])
			}
			if ready {
				done[r.id], progress = true, true
				out = append(out, r)
				break
			}
		}
		if !progress {
			for _, r := range a.revs {
				if !done[r.id] {
					return &Error{Path: r.path, Msg: fmt.Sprintf("revision %s is in a cycle of down revisions", r.id)}
				}
			}
		}
	}
	a.revs = out
	return nil
}

// Render renders the revisions as retort SQL revision files, each with
// an upgrade and a downgrade section per dialect, named by n with the
// revision's id, message and create date; a skeleton as a Go revision
// file in package n.GoPackage. Each file is parsed back.
func (a *AlembicImport) Render(n Naming) ([]File, []Warning, error) {
	var files []File
	var warns []Warning
	names := map[string]string{}
	for i, r := range a.revs {
		h := script.Header{Revision: r.id, DownRevisions: r.downs, BranchLabels: r.labels, DependsOn: r.deps, Message: r.message, CreateDate: r.created}
		t := r.created
		if t.IsZero() {
			t = time.Unix(0, 0).UTC()
		}
		rev := a.Result.Revisions[i]
		if rev.Skeleton != nil {
			name, err := script.GoFileName(n.Template, r.id, r.message, t, n.TruncateSlugLength)
			if err != nil {
				return nil, nil, fmt.Errorf("name the revision of %s: %w", r.path, err)
			}
			if prev, dup := names[name]; dup {
				return nil, nil, fmt.Errorf("file_template %q gives the same name %s to the revisions of %s and %s; put %%(rev)s in it", n.Template, name, prev, r.path)
			}
			names[name] = r.path
			content, err := renderSkeleton("alembic", n.GoPackage, rev, h)
			if err != nil {
				return nil, nil, err
			}
			if _, _, err := script.Parse(content, name); err != nil {
				return nil, nil, fmt.Errorf("the revision rendered from %s does not read back: %w", r.path, err)
			}
			files = append(files, File{Name: name, Content: content, Revision: rev})
			continue
		}
		head, _, _ := strings.Cut(string(script.Render(h, "", "")), "\n\n-- +upgrade\n")
		var b strings.Builder
		b.WriteString(head + "\n-- imported from alembic: " + r.path + " (revision " + r.id + ")\n")
		for _, d := range a.dials {
			for _, dir := range []string{"upgrade", "downgrade"} {
				sql := r.up[d]
				if dir == "downgrade" {
					sql = r.down[d]
				}
				sql, w := escapeDirectives(sql, r.path, dir+" "+d)
				warns = append(warns, w...)
				b.WriteString("\n-- +" + dir + " " + d + "\n" + sectionText(sql))
			}
		}
		name, err := script.FileName(n.Template, r.id, r.message, t, n.TruncateSlugLength)
		if err != nil {
			return nil, nil, fmt.Errorf("name the revision of %s: %w", r.path, err)
		}
		if prev, dup := names[name]; dup {
			return nil, nil, fmt.Errorf("file_template %q gives the same name %s to the revisions of %s and %s; put %%(rev)s in it", n.Template, name, prev, r.path)
		}
		names[name] = r.path
		content := []byte(b.String())
		if _, _, err := script.Parse(content, name); err != nil {
			return nil, nil, fmt.Errorf("the revision rendered from %s does not read back: %w", r.path, err)
		}
		files = append(files, File{Name: name, Content: content, Revision: rev})
	}
	return files, warns, nil
}
