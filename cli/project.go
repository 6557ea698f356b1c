package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/script"
)

// session is one command's run: the process (env), the command's
// options, complete once parseCmd has read those after its name, the
// logger they decide, and the project it loads lazily. The dispatcher
// makes one for each command it runs; no other command sees it.
type session struct {
	*env
	options
	log     *slog.Logger
	urlsRaw []string                // the URLs in use, to redact from messages
	observe func(retort.StepResult) // told of each committed step (progress.go)

	// wholeFiles makes loadScripts read each file whole, once, for a
	// command that reads every body (upgrade --sql): no second read.
	wholeFiles bool

	cfg     *config.Config
	scripts []*script.Script
	byID    map[string]*script.Script
	scans   int // lookups by script done without byID
	graph   *revision.Graph
}

// newSession makes the session of a command given the options before
// its name.
func newSession(e *env, o options) *session {
	return &session{env: e, options: o, log: newLogger(e.stderr, o)}
}

// workDir is the folder the command acts in (-C DIR, else the current one).
func (e *session) workDir() (string, error) {
	d := e.dir
	if d == "" {
		d = "."
	}
	abs, err := filepath.Abs(d)
	if err != nil {
		return "", err
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return "", &usageError{msg: fmt.Sprintf("-C %s: not a folder", d)}
	}
	return abs, nil
}

// config loads retort.toml (from -c FILE, else the work folder).
func (e *session) config() (*config.Config, error) {
	if e.cfg != nil {
		return e.cfg, nil
	}
	wd, err := e.workDir()
	if err != nil {
		return nil, err
	}
	path := e.cfgFile
	if path != "" {
		if !filepath.IsAbs(path) {
			path = filepath.Join(wd, path)
		}
	} else if path, err = config.Find(wd); err != nil {
		return nil, err
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	e.log.Debug("configuration " + path)
	e.cfg = cfg
	return cfg, nil
}

// display turns an absolute path into one relative to the project folder.
func (e *session) display(abs string) string {
	if e.cfg != nil {
		if rel, err := filepath.Rel(e.cfg.Dir, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return abs
}

// locations returns the script location and the extra version locations.
func (e *session) locations() ([]string, error) {
	cfg, err := e.config()
	if err != nil {
		return nil, err
	}
	return append([]string{cfg.ScriptLocation}, cfg.VersionLocations...), nil
}

// loadScripts reads the revision headers of every location, location by
// location, each in name order.
func (e *session) loadScripts() ([]*script.Script, error) {
	if e.scripts != nil {
		return e.scripts, nil
	}
	locs, err := e.locations()
	if err != nil {
		return nil, err
	}
	load := script.LoadDir
	if e.wholeFiles {
		load = script.LoadDirContent
	} else if dir := e.headerCacheDir(); dir != "" {
		load = func(loc, prefix string) ([]*script.Script, error) { return script.LoadDirCached(loc, prefix, dir) }
	}
	var all []*script.Script
	for _, loc := range locs {
		ss, err := load(loc, e.display(loc))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, &config.Error{Path: e.cfg.Path, Msg: fmt.Sprintf("script location %s does not exist", e.display(loc)),
					Hint: "create it, fix script_location / version_locations in retort.toml, or run `retort init`"}
			}
			return nil, err
		}
		if len(ss) == 0 && !hasArchive(loc) {
			if err := e.notAlembic(loc); err != nil {
				return nil, err
			}
		}
		e.log.Debug(fmt.Sprintf("%d revision files in %s", len(ss), e.display(loc)))
		all = append(all, ss...)
		if loc == locs[0] {
			// The revisions a squash replaced, still read for the
			// databases behind it and for history (cmd_squash.go).
			archived, err := script.LoadArchiveDir(loc, e.display(loc))
			if err != nil {
				return nil, err
			}
			if len(archived) > 0 {
				e.log.Debug(fmt.Sprintf("%d archived revision files in %s", len(archived), e.display(filepath.Join(loc, script.ArchiveDir))))
			}
			all = append(all, archived...)
		}
	}
	if e.registry != nil {
		if err := script.Bind(all, e.registry); err != nil {
			return nil, err
		}
	}
	e.scripts = all
	return all, nil
}

// headerCacheDir is the folder of the header cache (script.LoadDirCached,
// docs/header-cache.md): RETORT_HEADER_CACHE when it is an absolute
// path, else headers under RETORT_CACHE_DIR, or under the user's cache
// folder's retort; "" (no cache) when RETORT_HEADER_CACHE is "off" or
// there is no cache folder.
func (e *session) headerCacheDir() string {
	switch v := e.getenv("RETORT_HEADER_CACHE"); {
	case v == "off":
		return ""
	case filepath.IsAbs(v):
		return v
	}
	cache := e.getenv("RETORT_CACHE_DIR")
	if cache == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		cache = filepath.Join(d, "retort")
	}
	return filepath.Join(cache, "headers")
}

// hasArchive reports whether the script location loc has an archive
// folder (script.ArchiveDir).
func hasArchive(loc string) bool {
	st, err := os.Stat(filepath.Join(loc, script.ArchiveDir))
	return err == nil && st.IsDir()
}

// notAlembic stops a command on a location that holds no retort revision
// but Alembic's Python ones: taken for an empty project, it would report
// no heads, or upgrade nothing and exit 0.
func (e *session) notAlembic(loc string) error {
	py, err := script.FindAlembic(os.DirFS(loc), ".")
	if err != nil || len(py) == 0 {
		return err
	}
	where := e.display(loc)
	files := fmt.Sprintf("%d Alembic revision files", len(py))
	if len(py) == 1 {
		files = "an Alembic revision file"
	}
	return &config.Error{
		Msg: fmt.Sprintf("script location %s holds %s (%s) and no retort revision; retort runs SQL and Go revision files, not Python ones",
			where, files, filepath.ToSlash(filepath.Join(where, py[0]))),
		Hint: "bring the revisions over as SQL revision files: point script_location in retort.toml at a new folder, " +
			"write there one SQL revision per Alembic revision with the same revision and down_revision ids " +
			"(`retort revision --rev-id ID -m MSG`, oldest first, writes each on the one before; `alembic upgrade FROM:TO --sql` prints the SQL Alembic runs), " +
			"and set version_table = \"alembic_version\" so that retort goes on from the revision Alembic recorded in the database",
	}
}

// loadGraph reads the scripts and builds the revision graph.
func (e *session) loadGraph() (*revision.Graph, error) {
	if e.graph != nil {
		return e.graph, nil
	}
	ss, err := e.loadScripts()
	if err != nil {
		return nil, err
	}
	g, err := script.BuildGraph(ss)
	if err != nil {
		return nil, err
	}
	e.graph = g
	return g, nil
}

// script returns the script of a revision id.
// The first few lookups scan the scripts (heads looks up one or two
// among thousands); after that, a map is built.
func (e *session) script(id string) *script.Script {
	if e.byID == nil && e.scans < 4 {
		e.scans++
		for i := len(e.scripts) - 1; i >= 0; i-- { // the last one, as in the map
			if e.scripts[i].Revision == id {
				return e.scripts[i]
			}
		}
		return nil
	}
	if e.byID == nil {
		e.byID = make(map[string]*script.Script, len(e.scripts))
		for _, s := range e.scripts {
			e.byID[s.Revision] = s
		}
	}
	return e.byID[id]
}

// dbURL resolves and parses the database URL.
func (e *session) dbURL() (*config.URL, error) {
	cfg, err := e.config()
	if err != nil {
		return nil, err
	}
	raw, source := config.ResolveURL(e.urlFlag, e.getenv, cfg)
	if raw == "" {
		return nil, &config.Error{Path: cfg.Path, Msg: "no database URL",
			Hint: "pass --url, set RETORT_URL or DATABASE_URL, or set url in retort.toml (for example url = \"sqlite:///app.db\")"}
	}
	e.urlsRaw = append(e.urlsRaw, raw)
	u, err := config.ParseURL(raw, cfg.Dir)
	if err != nil {
		return nil, err
	}
	e.log.Debug(fmt.Sprintf("database %s (from %s)", u.Redacted(), source))
	if len(e.xargs) > 0 {
		kv := make([]string, 0, len(e.xargs))
		for _, k := range slices.Sorted(maps.Keys(e.xargs)) {
			kv = append(kv, k+"="+e.xargs[k])
		}
		e.log.Debug("-x " + strings.Join(kv, ", "))
	}
	return u, nil
}

// project builds the retort.Project in the dialect of the database URL,
// without connecting: what --sql writes offline scripts with, and what
// provider binds to the database.
func (e *session) project(ro runOptions) (*retort.Project, *config.URL, error) {
	// A broken graph is reported before a missing URL.
	if _, err := e.loadGraph(); err != nil {
		return nil, nil, err
	}
	u, err := e.dbURL()
	if err != nil {
		return nil, nil, err
	}
	d, err := dburl.Dialect(u.Raw)
	if err != nil {
		return nil, nil, err
	}
	p, err := e.projectFor(d, ro)
	if err != nil {
		return nil, nil, err
	}
	return p, u, nil
}

// projectFor builds the retort.Project in dialect d, from retort.toml and
// ro: what project builds for the database URL, and fleet for its
// targets' dialect.
func (e *session) projectFor(d dialect.Dialect, ro runOptions) (*retort.Project, error) {
	if _, err := e.loadGraph(); err != nil {
		return nil, err
	}
	if e.cfg.VersionTableSchema != "" && d.Name() != "postgres" {
		return nil, &config.Error{Path: e.cfg.Path, Msg: fmt.Sprintf("version_table_schema is for PostgreSQL; this database is %s", d.Name()),
			Hint: "remove version_table_schema, or use a postgresql:// URL"}
	}
	if e.cfg.TransactionPer == "run" && !d.TransactionalDDL() {
		return nil, &config.Error{Path: e.cfg.Path, Msg: fmt.Sprintf("transaction_per = \"run\" needs transactional DDL; %s commits each DDL statement on its own, so a run cannot be rolled back as a whole", d.Name()),
			Hint: "use transaction_per = \"migration\" (a failed revision then leaves the ones before it applied)"}
	}
	ss, err := e.loadScripts()
	if err != nil {
		return nil, err
	}
	p, err := retort.NewProject(d, ss,
		retort.WithVersionTable(e.cfg.VersionTable),
		retort.WithHistoryTable(e.cfg.HistoryTable),
		retort.WithSchema(e.cfg.VersionTableSchema),
		retort.WithTransactionPerRun(e.cfg.TransactionPer == "run"),
		retort.WithLockTable(e.cfg.LockTable),
		lockOption(e.cfg),
		retort.WithLockTimeout(ro.lockTimeout),
		timeoutOptions(e.cfg, ro),
		retort.WithAllowChanged(ro.allowChanged),
		retort.WithTag(ro.tag),
		retort.WithXArgs(e.xargs),
		retort.WithLogger(stepLogger(e.log, ro.quiet)),
		e.stepObserver(),
		preflightOption(ro.preflight),
		retort.WithCloseDB(true))
	if err != nil {
		return nil, err
	}
	e.graph = p.Graph()
	return p, nil
}

// provider binds the project to its database, opened and pinged; Close
// closes it. Options are checked before connecting.
func (e *session) provider(ctx context.Context, ro runOptions) (*retort.Provider, error) {
	proj, u, err := e.project(ro)
	if err != nil {
		return nil, err
	}
	db, err := e.openDB(u)
	if err != nil {
		return nil, err
	}
	p := proj.Bind(db)
	if err := db.PingContext(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("connect to %s: %w", u.Redacted(), err)
	}
	return p, nil
}

// preflightOption installs f when set (lint_on_upgrade).
func preflightOption(f retort.Preflight) retort.Option {
	if f == nil {
		return func(*retort.Project) error { return nil }
	}
	return retort.WithPreflight(f)
}

// lockOption maps retort.toml's lock key: "lease" holds the lease lock
// with its default ttl; "auto" leaves the choice to the dialect.
func lockOption(cfg *config.Config) retort.Option {
	if cfg.Lock == "lease" {
		return retort.WithLeaseLock(0)
	}
	return func(*retort.Project) error { return nil }
}

// timeoutOptions are retort.toml's lock_timeout and statement_timeout,
// each overridden by its flag (--db-lock-timeout, --statement-timeout).
func timeoutOptions(cfg *config.Config, ro runOptions) retort.Option {
	lock, stmt := cfg.Timeouts()
	if ro.dbLockTimeout != nil {
		lock = *ro.dbLockTimeout
	}
	if ro.statementTimeout != nil {
		stmt = *ro.statementTimeout
	}
	return func(p *retort.Project) error {
		if err := retort.WithDBLockTimeout(lock)(p); err != nil {
			return err
		}
		return retort.WithStatementTimeout(stmt)(p)
	}
}

// withProvider runs f with the project's Provider on its open database.
func (e *session) withProvider(ctx context.Context, ro runOptions, f func(*retort.Provider) error) error {
	p, err := e.provider(ctx, ro)
	if err != nil {
		return err
	}
	defer p.Close()
	return f(p)
}

// openDB opens the database of the URL, without connecting. Errors name
// the URL redacted; dburl removes the password from the driver's own
// errors.
func (e *session) openDB(u *config.URL) (*sql.DB, error) {
	if u.Dialect == "sqlite" && !u.Memory {
		if st, err := os.Stat(filepath.Dir(u.Path)); err != nil || !st.IsDir() {
			return nil, &config.Error{Msg: fmt.Sprintf("database %s: folder %s does not exist", u.Redacted(), filepath.Dir(u.Path)),
				Hint: "create the folder or fix the URL (sqlite:///relative.db is relative to retort.toml's folder)"}
		}
	}
	if u.Dialect == "mysql" && u.Database == "" {
		// Online, every command needs a current database: without one
		// the version table cannot be found, and `current` would report
		// an empty database that is not there.
		return nil, &config.Error{Msg: fmt.Sprintf("database URL %s names no database", u.Redacted()),
			Hint: "name it after the host: mysql://user:password@host:3306/dbname (only --sql works without one)"}
	}
	db, _, err := dburl.OpenDB(u.Raw, e.cfg.Dir)
	return db, err
}

// stepLogger is the logger of a project's runs: none for quiet ones.
func stepLogger(l *slog.Logger, quiet bool) *slog.Logger {
	if quiet {
		return slog.New(slog.DiscardHandler)
	}
	return l
}
