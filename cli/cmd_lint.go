package cli

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/internal/lintstate"
	"github.com/retortdb/retort/lint"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/script"
)

func cmdLint() *command {
	c := &command{name: "lint", summary: "find the statements of revisions that lock, rewrite or destroy on a production database (docs/lint.md)",
		args: "[RANGE | --since REV | --git-base REF | FILE...] [--format text|json|github|sarif] [--strict] [--dialect D] [--trace]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		since := f.String("REV", "lint the revisions after REV", "--since")
		gitBase := f.String("REF", "lint the revision files added or changed since the git ref REF (its merge base with HEAD)", "--git-base")
		format := f.String("FORMAT", "output: text (default), json, github (workflow annotations) or sarif (SARIF 2.1.0)", "--format")
		strict := f.Bool("fail (exit 1) on warnings too", "--strict")
		dialects := f.String("D", "lint for these dialects (postgres, mysql, sqlite; comma-separated); default the database URL's, else all three", "--dialect")
		noState := f.Bool("no schema state: do not replay the earlier revisions on a scratch database for the rules that check the schema before a revision (also RETORT_LINT_STATE=off)", "--no-state")
		trace := f.Bool("PostgreSQL: run each statement on a scratch database (dev_url) in a rolled-back transaction and show the locks, rewrites and scans it took", "--trace")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		out := *format
		switch {
		case out == "" && e.json:
			out = "json"
		case out == "":
			out = "text"
		case !slices.Contains(lint.Formats(), out):
			return usagef(c.name, "--format %s: use %s", out, strings.Join(lint.Formats(), ", "))
		}
		files, rng := []string{}, ""
		for _, a := range f.args {
			if isRevisionFileArg(a) {
				files = append(files, a)
			} else if rng == "" {
				rng = a
			} else {
				return usagef(c.name, "lint takes one RANGE (got %q and %q)", rng, a)
			}
		}
		modes := 0
		for _, set := range []bool{len(files) > 0, rng != "", *since != "", *gitBase != ""} {
			if set {
				modes++
			}
		}
		if modes > 1 {
			return usagef(c.name, "give one of RANGE, --since, --git-base or files")
		}
		l := &linter{e: e, strict: *strict, format: out}
		if err := l.setup(*dialects); err != nil {
			return err
		}
		if *trace {
			if out != "text" && out != "json" {
				return usagef(c.name, "--trace shows its blocks in the text and json formats, not in %s", out)
			}
			if err := l.checkTrace(); err != nil {
				return err
			}
		}
		var revs []*lint.Revision
		var err error
		switch {
		case len(files) > 0:
			revs, err = l.files(files)
		case *gitBase != "":
			revs, err = l.gitBase(ctx, *gitBase)
		default:
			revs, err = l.graph(ctx, rng, *since)
		}
		if err != nil {
			return err
		}
		switch v := e.getenv("RETORT_LINT_STATE"); v {
		case "", "on":
			l.stateOn = !*noState
			if *noState {
				l.settings.StateMissing = "turned off by --no-state"
			}
		case "off":
			l.settings.StateMissing = "turned off by RETORT_LINT_STATE=off"
		default:
			return usagef(c.name, "RETORT_LINT_STATE=%s: use off (no schema state), or leave it unset", v)
		}
		if l.goRev == nil && e.registry == nil {
			// The schema state replays the Go revisions below those
			// linted: they run in the migrations program.
			l.goRev = l.goAncestor(revs)
		}
		if l.goRev != nil && e.registry == nil {
			return e.delegate(ctx, c.name, revisionNeed(l.goRev))
		}
		if revs, err = l.planGo(ctx, revs); err != nil {
			return err
		}
		if err := l.state(ctx, revs); err != nil {
			return err
		}
		var traces []lint.Trace
		if *trace {
			if traces, err = l.trace(ctx, revs); err != nil {
				return err
			}
		}
		return l.report(revs, traces)
	}
	return c
}

// isRevisionFileArg reports whether a lint argument names a file rather
// than a range.
func isRevisionFileArg(a string) bool {
	return strings.HasSuffix(a, ".sql") || strings.HasSuffix(a, ".go") || strings.ContainsRune(a, '/') || strings.ContainsRune(a, filepath.Separator)
}

// linter is one lint command's state.
type linter struct {
	e        *session
	cfg      *config.Config
	settings lint.Settings
	dialects []string
	raw      string // the database URL, "" when none is configured
	strict   bool
	format   string
	goRev    *script.Script // a Go revision among those to lint
	goFiles  map[*lint.Revision]*script.Script
	stateOn  bool // compute the schema state (not --no-state, RETORT_LINT_STATE=off)
}

// setup reads the configuration: rule settings, the database URL and
// the dialects to lint for.
func (l *linter) setup(dialects string) error {
	cfg, err := l.e.config()
	if err != nil {
		return err
	}
	l.cfg = cfg
	sev, err := lint.ParseRuleSettings(cfg.Lint.Rules)
	if err != nil {
		return &config.Error{Path: cfg.Path, Msg: err.Error(), Hint: "docs/lint.md lists the rules; the severities are \"off\", \"info\", \"warning\" and \"error\""}
	}
	// retort sets lock_timeout and statement_timeout before each
	// revision when retort.toml has them: RT701 and RT702 are satisfied.
	lock, stmt := cfg.Timeouts()
	l.settings = lint.Settings{Severity: sev, LockTimeout: lock > 0, StatementTimeout: stmt > 0}
	if l.settings.Naming, err = lint.ParseNaming(cfg.Lint.Naming); err != nil {
		return &config.Error{Path: cfg.Path, Msg: err.Error(), Hint: "the kinds are " + strings.Join(lint.NamingKinds(), ", ") + "; the patterns are Go regular expressions (RE2)"}
	}
	if cfg.Lint.ServerVersion != "" {
		v, err := lint.ParseServerVersion(cfg.Lint.ServerVersion)
		if err != nil {
			return &config.Error{Path: cfg.Path, Msg: "[lint] server_version: " + err.Error()}
		}
		l.settings.Server = &v
	}
	l.raw, _ = config.ResolveURL(l.e.urlFlag, l.e.getenv, cfg)
	if l.raw != "" {
		l.e.urlsRaw = append(l.e.urlsRaw, l.raw)
	}
	switch {
	case dialects != "":
		for _, d := range strings.Split(dialects, ",") {
			sd, ok := dialectName(strings.TrimSpace(d))
			if !ok {
				return usagef("lint", "--dialect %s: use postgres, mysql or sqlite", d)
			}
			if !slices.Contains(l.dialects, sd) {
				l.dialects = append(l.dialects, sd)
			}
		}
	case l.raw != "":
		d, err := dburl.Dialect(l.raw)
		if err != nil {
			return err
		}
		l.dialects = []string{d.Name()}
	default:
		l.dialects = lint.AllDialects()
	}
	return nil
}

func dialectName(d string) (string, bool) {
	switch strings.ToLower(d) {
	case "postgres", "postgresql":
		return lint.Postgres, true
	case "mysql", "mariadb":
		return lint.MySQL, true
	case "sqlite", "sqlite3":
		return lint.SQLite, true
	}
	return "", false
}

// read reads one revision file (abs) shown as display.
func (l *linter) read(sc *script.Script, abs, display string) (*lint.Revision, error) {
	content, err := os.ReadFile(abs)
	if err != nil {
		return nil, fmt.Errorf("read revision file: %w", err)
	}
	if strings.HasSuffix(abs, ".go") {
		if sc == nil {
			parsed, _, err := script.ParseGo(content, display)
			if err != nil {
				return nil, err
			}
			sc = l.e.script(parsed.Revision)
			if sc == nil {
				sc = parsed
			}
		}
		if l.goRev == nil {
			l.goRev = sc
		}
		rev := &lint.Revision{ID: sc.Revision, Path: display, Source: string(content), Go: true}
		if l.goFiles == nil {
			l.goFiles = map[*lint.Revision]*script.Script{}
		}
		l.goFiles[rev] = sc
		return rev, nil
	}
	return lint.SQLRevision(display, content, l.dialects)
}

// files lints the files named on the command line.
func (l *linter) files(names []string) ([]*lint.Revision, error) {
	wd, err := l.e.workDir()
	if err != nil {
		return nil, err
	}
	if _, err := l.e.loadScripts(); err != nil {
		return nil, err
	}
	var revs []*lint.Revision
	for _, n := range names {
		abs := n
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(wd, n)
		}
		if st, err := os.Stat(abs); err != nil || st.IsDir() {
			return nil, usagef("lint", "%s: no such revision file", n)
		}
		rev, err := l.read(nil, abs, l.e.display(abs))
		if err != nil {
			return nil, err
		}
		revs = append(revs, rev)
	}
	return revs, nil
}

// liveServer sets the server version lint checks by to the connected
// server's own.
func (l *linter) liveServer(ctx context.Context, p *retort.Provider) error {
	d, err := dburl.Dialect(l.raw)
	if err != nil {
		return err
	}
	q := map[string]string{lint.Postgres: "SELECT version()", lint.MySQL: "SELECT VERSION()", lint.SQLite: "SELECT sqlite_version()"}[d.Name()]
	if q == "" {
		return nil
	}
	var answer string
	if err := p.DB().QueryRowContext(ctx, q).Scan(&answer); err != nil {
		return fmt.Errorf("reading the server version for lint (%s): %w", q, err)
	}
	v, err := lint.LiveServerVersion(d.Name(), answer)
	if err != nil {
		return fmt.Errorf("reading the server version for lint: %w", err)
	}
	l.settings.Server = &v
	if d.Name() == lint.MySQL {
		// RT414 checks by the sql_mode the revisions will run under:
		// retort's sessions keep the server's.
		var mode string
		if err := p.DB().QueryRowContext(ctx, "SELECT @@SESSION.sql_mode").Scan(&mode); err != nil {
			return fmt.Errorf("reading the server's sql_mode for lint: %w", err)
		}
		l.settings.SQLMode = &mode
	}
	return nil
}

// graph lints revisions of the graph: RANGE, those after since, the
// ones not applied to the configured database, or all.
func (l *linter) graph(ctx context.Context, rng, since string) ([]*lint.Revision, error) {
	g, err := l.e.loadGraph()
	if err != nil {
		return nil, err
	}
	var ids []string
	var changed []retort.ChecksumMismatch
	switch {
	case rng != "":
		lo, hi, isRange := strings.Cut(rng, ":")
		if !isRange {
			id, err := g.ResolveOne(rng)
			if err != nil {
				return nil, err
			}
			ids = []string{id}
			break
		}
		var heads []string
		if hi != "" {
			heads = []string{hi}
		}
		if ids, err = walkIDs(g.Walk, lo, heads); err != nil {
			return nil, err
		}
	case since != "":
		id, err := g.ResolveOne(since)
		if err != nil {
			return nil, err
		}
		all, err := walkIDs(g.Walk, id, nil)
		if err != nil {
			return nil, err
		}
		ids = slices.DeleteFunc(all, func(s string) bool { return s == id })
	case l.raw != "" && missingSQLite(l.raw, l.cfg.Dir):
		// A SQLite file that does not exist has nothing applied; opening
		// it would make it, and lint never changes the target database.
		if ids, err = walkIDs(g.Walk, "base", nil); err != nil {
			return nil, err
		}
	case l.raw != "":
		var applied []string
		err := l.e.withProvider(ctx, runOptions{quiet: true}, func(p *retort.Provider) error {
			cur, err := p.Current(ctx)
			if err != nil {
				return err
			}
			applied = g.Ancestors(cur)
			v, err := p.Verify(ctx)
			if err != nil {
				return err
			}
			changed = v.Changed
			// Connected: the live server's version wins over
			// lint.server_version (docs/lint.md, "Server version").
			return l.liveServer(ctx, p)
		})
		if err != nil {
			return nil, err
		}
		all, err := walkIDs(g.Walk, "base", nil)
		if err != nil {
			return nil, err
		}
		ids = slices.DeleteFunc(all, func(s string) bool { return slices.Contains(applied, s) })
	default:
		if ids, err = walkIDs(g.Walk, "base", nil); err != nil {
			return nil, err
		}
	}
	var revs []*lint.Revision
	for _, id := range ids {
		sc := l.e.script(id)
		if sc == nil {
			continue
		}
		rev, err := l.read(sc, l.abs(sc.Path), sc.Path)
		if err != nil {
			return nil, err
		}
		revs = append(revs, rev)
	}
	for _, c := range changed {
		content, _ := os.ReadFile(l.abs(c.Path))
		revs = append(revs, &lint.Revision{ID: c.Revision, Path: c.Path, Source: string(content), HasDowngrade: true,
			Problems: []lint.Problem{{Code: "RT903", Line: 1,
				Message: fmt.Sprintf("revision %s was applied with checksum %s and its file now has %s: the change never reaches the databases that ran it", c.Revision, short(c.Applied), short(c.Now)),
				Safe:    "restore the file (git checkout) and write the change as a new revision"}}})
	}
	return revs, nil
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}

// abs is the absolute path of a script's display path.
func (l *linter) abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(l.cfg.Dir, filepath.FromSlash(p))
}

// walkIDs returns the ids of Walk(base, heads), oldest first.
func walkIDs(walk func(string, []string) ([]*revision.Info, error), base string, heads []string) ([]string, error) {
	infos, err := walk(base, heads)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(infos))
	for i, in := range infos {
		ids[len(infos)-1-i] = in.ID
	}
	return ids, nil
}

// gitBase lints the revision files added or changed since ref: those the
// diff from the merge base of ref and HEAD to the working tree names,
// and new files git does not track yet.
func (l *linter) gitBase(ctx context.Context, ref string) ([]*lint.Revision, error) {
	wd, err := l.e.workDir()
	if err != nil {
		return nil, err
	}
	git := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = wd
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			msg := strings.TrimSpace(stderr.String())
			if msg == "" {
				msg = err.Error()
			}
			return "", fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
		}
		return string(out), nil
	}
	if _, err := exec.LookPath("git"); err != nil {
		return nil, &hinted{err: errors.New("--git-base needs git, and there is no git on PATH"), hint: "install git, or name the files to lint: retort lint migrations/FILE.sql"}
	}
	top, err := git("rev-parse", "--show-toplevel")
	if err != nil {
		return nil, &usageError{msg: fmt.Sprintf("--git-base %s: %s is not inside a git repository", ref, wd),
			hint: "run lint in the project's git checkout, or name the files to lint"}
	}
	top = strings.TrimSpace(top)
	if _, err := git("rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
		return nil, &usageError{msg: fmt.Sprintf("--git-base %s: no such commit, branch or tag in this repository", ref),
			hint: "fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0, or git fetch origin main) and pass origin/main"}
	}
	base, err := git("merge-base", ref, "HEAD")
	if err != nil {
		return nil, fmt.Errorf("--git-base %s: %w", ref, err)
	}
	diff, err := git("diff", "--name-status", "--no-renames", "-z", strings.TrimSpace(base))
	if err != nil {
		return nil, err
	}
	status := map[string]string{} // repository path -> A, M (D dropped)
	parts := strings.Split(strings.TrimSuffix(diff, "\x00"), "\x00")
	for i := 0; i+1 < len(parts); i += 2 {
		status[parts[i+1]] = parts[i]
	}
	untracked, err := git("ls-files", "--others", "--exclude-standard", "-z")
	if err != nil {
		return nil, err
	}
	for _, p := range strings.Split(untracked, "\x00") {
		if p != "" {
			status[p] = "A"
		}
	}
	locs, err := l.e.locations()
	if err != nil {
		return nil, err
	}
	if _, err := l.e.loadScripts(); err != nil {
		return nil, err
	}
	var revs []*lint.Revision
	for _, p := range slices.Sorted(func(yield func(string) bool) {
		for k := range status {
			if !yield(k) {
				return
			}
		}
	}) {
		st := status[p]
		if st == "D" {
			continue
		}
		abs := filepath.Join(top, filepath.FromSlash(p))
		if !inLocation(abs, locs) || !isRevisionFile(path.Base(p)) {
			continue
		}
		rev, err := l.read(nil, abs, l.e.display(abs))
		if err != nil {
			return nil, err
		}
		if st == "M" {
			rev.Problems = append(rev.Problems, lint.Problem{Code: "RT903", Line: 1,
				Message: fmt.Sprintf("this revision file existed at %s and was changed: databases that already ran it never get the change", ref),
				Safe:    "restore the file and write the change as a new revision (retort revision -m ...)"})
		}
		revs = append(revs, rev)
	}
	if len(revs) == 0 {
		l.e.log.Info(fmt.Sprintf("No revision file added or changed since %s", ref))
	}
	return revs, nil
}

// inLocation reports whether abs is directly in one of the locations.
func inLocation(abs string, locs []string) bool {
	dir := filepath.Dir(abs)
	for _, l := range locs {
		if r1, e1 := filepath.EvalSymlinks(dir); e1 == nil {
			if r2, e2 := filepath.EvalSymlinks(l); e2 == nil && r1 == r2 {
				return true
			}
		}
		if filepath.Clean(l) == dir {
			return true
		}
	}
	return false
}

// isRevisionFile reports whether a file name is one the loader reads.
func isRevisionFile(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
		return false
	}
	return strings.HasSuffix(name, ".sql") || strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")
}

// planGo records the operations of each Go revision and renders them
// for each dialect: the statements lint checks, at the line of the call
// that recorded each. What cannot be planned offline is an RT707.
func (l *linter) planGo(ctx context.Context, revs []*lint.Revision) ([]*lint.Revision, error) {
	var ds []dialect.Dialect
	for _, dn := range l.dialects {
		d, err := dialectOf(dn)
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	for _, rev := range revs {
		if sc := l.goFiles[rev]; sc != nil {
			if err := lint.GoStatements(ctx, rev, sc, ds, l.e.xargs); err != nil {
				return nil, err
			}
		}
	}
	return revs, nil
}

// dialectOf returns a dialect by lint's name for it.
func dialectOf(name string) (dialect.Dialect, error) {
	switch name {
	case lint.Postgres:
		return dburl.Dialect("postgresql://localhost/lint")
	case lint.MySQL:
		return dburl.Dialect("mysql://localhost/lint")
	}
	return dburl.Dialect("sqlite://")
}

// report lints and prints the findings; findings that fail the lint
// are an error (exit status 1) that counts them.
func (l *linter) report(revs []*lint.Revision, traces []lint.Trace) error {
	res := lint.Lint(revs, l.settings)
	res.Trace = traces
	w := bufio.NewWriter(l.e.stdout)
	if err := res.Write(w, l.format); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if l.format != "text" && l.format != "json" {
		l.e.log.Info(fmt.Sprintf("Linted %s: %s", plural(len(revs), "revision"), res.Summary()))
	}
	if res.Failed(l.strict) {
		hint := "fix the statements, or suppress a finding that does not apply with `-- retort:ignore CODE reason` above the statement (docs/lint.md)"
		if res.Count(lint.Error) == 0 {
			hint = "--strict fails on warnings; " + hint
		}
		return &hinted{err: fmt.Errorf("lint found %s", res.Summary()), hint: hint}
	}
	return nil
}

// stateDialect is the dialect whose schema state lint replays, and the
// server its scratch databases are made on: the database URL's, with
// dev_url's server when set; dev_url's alone without a URL. ok is false
// without either, or when state is off.
func (l *linter) stateDialect() (d dialect.Dialect, server string, ok bool) {
	raw := l.raw
	if raw == "" {
		raw = l.cfg.DevURL
	}
	if !l.stateOn || raw == "" {
		return nil, "", false
	}
	d, err := dburl.Dialect(raw)
	if err != nil || !slices.Contains(l.dialects, d.Name()) {
		return nil, "", false
	}
	return d, l.e.scratchServer(raw), true
}

// noStateReason says why stateDialect found no dialect to replay,
// state being on: no URL nor dev_url, or only other dialects linted.
func (l *linter) noStateReason() string {
	raw := cmp.Or(l.raw, l.cfg.DevURL)
	if raw == "" {
		return lint.NoStateServer
	}
	d, err := dburl.Dialect(raw)
	if err != nil {
		return lint.NoStateServer
	}
	return fmt.Sprintf("it is replayed for %s only, the database's dialect, and this lint is for %s", d.Name(), strings.Join(l.dialects, ", "))
}

// goAncestor returns a Go revision the schema state of revs would
// replay, when state is computed; nil when none.
func (l *linter) goAncestor(revs []*lint.Revision) *script.Script {
	if _, _, ok := l.stateDialect(); !ok {
		return nil
	}
	g, err := l.e.loadGraph()
	if err != nil {
		return nil
	}
	var heads []string
	for _, rev := range revs {
		if g.Info(rev.ID) != nil {
			heads = append(heads, rev.ID)
		}
	}
	for _, id := range g.Ancestors(heads) {
		if sc := l.e.script(id); sc != nil && sc.Format == "go" && !slices.ContainsFunc(heads, func(h string) bool { return h == id }) {
			return sc
		}
	}
	return nil
}

// state sets the schema state before each revision (Revision.Before)
// for the project's dialect: the earlier revisions replayed on a scratch
// database, or read from the cache (internal/lintstate, docs/lint.md
// "Schema state"). Without a scratch server, or with state off, the
// revisions keep none and the rules that need it say they were skipped.
func (l *linter) state(ctx context.Context, revs []*lint.Revision) error {
	d, server, ok := l.stateDialect()
	if !ok {
		if l.stateOn && l.settings.StateMissing == "" {
			l.settings.StateMissing = l.noStateReason()
		}
		return nil
	}
	var ids []string
	for _, rev := range revs {
		if rev.ID != "" && len(rev.Statements[d.Name()]) > 0 {
			ids = append(ids, rev.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	ss, err := l.e.loadScripts()
	if err != nil {
		return err
	}
	if !slices.Contains(l.e.urlsRaw, server) {
		l.e.urlsRaw = append(l.e.urlsRaw, server)
	}
	schemaName := ""
	if d.Name() == "postgres" {
		schemaName = l.cfg.VersionTableSchema
	}
	proj, err := retort.NewProject(d, ss,
		retort.WithVersionTable(l.cfg.VersionTable),
		retort.WithHistoryTable(l.cfg.HistoryTable),
		retort.WithSchema(schemaName),
		retort.WithTransactionPerRun(l.cfg.TransactionPer == "run" && d.TransactionalDDL()),
		retort.WithLockTable(l.cfg.LockTable),
		lockOption(l.cfg),
		retort.WithXArgs(l.e.xargs))
	if err != nil {
		return err
	}
	var salt strings.Builder
	fmt.Fprintf(&salt, "version_table=%s.%s history_table=%s lock_table=%s", schemaName, l.cfg.VersionTable, l.cfg.HistoryTable, l.cfg.LockTable)
	for _, k := range slices.Sorted(maps.Keys(l.e.xargs)) {
		fmt.Fprintf(&salt, " -x %s=%s", k, l.e.xargs[k])
	}
	p := lintstate.New(lintstate.Options{Project: proj, Server: server, BaseDir: l.cfg.Dir, CacheDir: l.stateCacheDir(),
		OwnTables: ownTables(proj, ""), Salt: salt.String(), Program: programSum, Protect: l.databases(d)})
	st, err := p.Before(ctx, ids)
	if err != nil {
		return err
	}
	for _, n := range st.Notes {
		l.e.log.Info(l.e.redact(n))
	}
	if len(st.Notes) > 0 {
		l.settings.StateMissing = "the replay on the scratch database failed (the note above says where)"
	} else if len(l.dialects) > 1 {
		l.settings.StateMissing = fmt.Sprintf("it is replayed for %s only, the database's dialect", d.Name())
	}
	for _, rev := range revs {
		if sc := st.Before[rev.ID]; sc != nil {
			rev.Before = map[string]*schema.Schema{d.Name(): sc}
		}
	}
	if len(st.Before) == 0 && p.Scratches() == 0 {
		return nil // a note said why
	}
	l.e.log.Info(fmt.Sprintf("Schema state (%s): known before %d of %s; %d from the cache, %s replayed on %s",
		d.Name(), len(st.Before), plural(len(ids), "revision"), st.Cached, plural(st.Replayed, "revision"), plural(p.Scratches(), "scratch database")))
	return nil
}

// missingSQLite reports whether raw is the URL of a SQLite file that
// does not exist.
func missingSQLite(raw, baseDir string) bool {
	u, err := config.ParseURL(raw, baseDir)
	if err != nil || u.Dialect != "sqlite" || u.Memory || u.Path == "" {
		return false
	}
	_, err = os.Stat(u.Path)
	return errors.Is(err, fs.ErrNotExist)
}

// databases are the names of the database URL's and dev_url's databases
// on MySQL, where a revision's SQL can reach them from the scratch
// database (lintstate.Replayer.Protect); none on the other dialects.
func (l *linter) databases(d dialect.Dialect) []string {
	if d.Name() != "mysql" {
		return nil
	}
	var out []string
	for _, raw := range []string{l.raw, l.cfg.DevURL} {
		if raw == "" {
			continue
		}
		if u, err := config.ParseURL(raw, l.cfg.Dir); err == nil && u.Dialect == "mysql" && u.Database != "" {
			out = append(out, u.Database)
		}
	}
	return out
}

// programSum identifies the running program, which holds the compiled
// Go revisions (lint with a Go revision runs in the migrations
// program): the SHA-256 of its executable, part of the cache key of a
// state with a Go revision applied.
func programSum() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// stateCacheDir is the folder of lint's schema state cache: lint-state
// under RETORT_CACHE_DIR, else under the user's cache folder's retort;
// "" (no cache) when there is no cache folder.
func (l *linter) stateCacheDir() string {
	cache := l.e.getenv("RETORT_CACHE_DIR")
	if cache == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		cache = filepath.Join(d, "retort")
	}
	return filepath.Join(cache, "lint-state")
}
