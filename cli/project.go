package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/script"
)

// env is one invocation: its streams, global options and the project it
// loads lazily.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	log            *slog.Logger

	dir, cfgFile, urlFlag string
	quiet, verbose, json  bool
	lockTimeout           time.Duration
	allowChanged          bool
	urlRaw                string // the URL in use, to redact from messages

	cfg     *config.Config
	scripts []*script.Script
	byID    map[string]*script.Script
	graph   *revision.Graph
}

// dialects maps a URL's dialect name to its implementation and the
// database/sql driver name that cmd/retort registers.
var dialects = map[string]struct {
	driver string
	new    func() dialect.Dialect
}{
	"sqlite":   {"sqlite", func() dialect.Dialect { return sqlite.New() }},
	"postgres": {"pgx", func() dialect.Dialect { return postgres.New() }},
	"mysql":    {"mysql", func() dialect.Dialect { return mysql.New() }},
}

// workDir is the folder the command acts in (-C DIR, else the current one).
func (e *env) workDir() (string, error) {
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
func (e *env) config() (*config.Config, error) {
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
func (e *env) display(abs string) string {
	if e.cfg != nil {
		if rel, err := filepath.Rel(e.cfg.Dir, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return abs
}

// locations returns the script location and the extra version locations.
func (e *env) locations() ([]string, error) {
	cfg, err := e.config()
	if err != nil {
		return nil, err
	}
	return append([]string{cfg.ScriptLocation}, cfg.VersionLocations...), nil
}

// loadScripts reads the revision headers of every location, location by
// location, each in name order.
func (e *env) loadScripts() ([]*script.Script, error) {
	if e.scripts != nil {
		return e.scripts, nil
	}
	locs, err := e.locations()
	if err != nil {
		return nil, err
	}
	var all []*script.Script
	for _, loc := range locs {
		ss, err := script.LoadDir(loc, e.display(loc))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, &config.Error{Path: e.cfg.Path, Msg: fmt.Sprintf("script location %s does not exist", e.display(loc)),
					Hint: "create it, fix script_location / version_locations in retort.toml, or run `retort init`"}
			}
			return nil, err
		}
		e.log.Debug(fmt.Sprintf("%d revision files in %s", len(ss), e.display(loc)))
		all = append(all, ss...)
	}
	e.scripts = all
	return all, nil
}

// loadGraph reads the scripts and builds the revision graph.
func (e *env) loadGraph() (*revision.Graph, error) {
	if e.graph != nil {
		return e.graph, nil
	}
	ss, err := e.loadScripts()
	if err != nil {
		return nil, err
	}
	g, err := retort.BuildGraph(ss)
	if err != nil {
		return nil, err
	}
	e.graph = g
	return g, nil
}

// script returns the script of a revision id.
func (e *env) script(id string) *script.Script {
	if e.byID == nil {
		e.byID = make(map[string]*script.Script, len(e.scripts))
		for _, s := range e.scripts {
			e.byID[s.Revision] = s
		}
	}
	return e.byID[id]
}

// dbURL resolves and parses the database URL.
func (e *env) dbURL() (*config.URL, error) {
	cfg, err := e.config()
	if err != nil {
		return nil, err
	}
	raw, source := config.ResolveURL(e.urlFlag, e.getenv, cfg)
	if raw == "" {
		return nil, &config.Error{Path: cfg.Path, Msg: "no database URL",
			Hint: "pass --url, set RETORT_URL or DATABASE_URL, or set url in retort.toml (for example url = \"sqlite:///app.db\")"}
	}
	e.urlRaw = raw
	u, err := config.ParseURL(raw, cfg.Dir)
	if err != nil {
		return nil, err
	}
	e.log.Debug(fmt.Sprintf("database %s (from %s)", u.Redacted(), source))
	return u, nil
}

// dialectFor returns the dialect of a URL.
func dialectFor(u *config.URL) (dialect.Dialect, string, error) {
	d, ok := dialects[u.Dialect]
	if !ok {
		return nil, "", &usageError{msg: fmt.Sprintf("the %s dialect is not available yet in this build", u.Dialect),
			hint: "use a sqlite:// URL"}
	}
	return d.new(), d.driver, nil
}

// migrator builds the Migrator for the project's dialect (no connection).
func (e *env) migrator() (*retort.Migrator, *config.URL, error) {
	// A broken graph is reported before a missing URL.
	if _, err := e.loadGraph(); err != nil {
		return nil, nil, err
	}
	u, err := e.dbURL()
	if err != nil {
		return nil, nil, err
	}
	d, _, err := dialectFor(u)
	if err != nil {
		return nil, nil, err
	}
	if e.cfg.VersionTableSchema != "" && d.Name() != "postgres" {
		return nil, nil, &config.Error{Path: e.cfg.Path, Msg: fmt.Sprintf("version_table_schema is for PostgreSQL; this database is %s", d.Name()),
			Hint: "remove version_table_schema, or use a postgresql:// URL"}
	}
	ss, err := e.loadScripts()
	if err != nil {
		return nil, nil, err
	}
	m, err := retort.New(d, ss,
		retort.WithVersionTable(e.cfg.VersionTable),
		retort.WithHistoryTable(e.cfg.HistoryTable),
		retort.WithSchema(e.cfg.VersionTableSchema),
		retort.WithTransactionPerRun(e.cfg.TransactionPer == "run"),
		retort.WithLockTimeout(e.lockTimeout),
		retort.WithAllowChanged(e.allowChanged),
		retort.WithLogger(e.log))
	if err != nil {
		return nil, nil, err
	}
	e.graph = m.Graph()
	return m, u, nil
}

// open connects to the database of the URL.
func (e *env) open(ctx context.Context, u *config.URL) (*sql.DB, error) {
	_, driver, err := dialectFor(u)
	if err != nil {
		return nil, err
	}
	dsn := u.DSN
	if u.Dialect == "sqlite" {
		dsn = sqliteDSN(u)
		if !u.Memory {
			if st, err := os.Stat(filepath.Dir(u.Path)); err != nil || !st.IsDir() {
				return nil, &config.Error{Msg: fmt.Sprintf("database %s: folder %s does not exist", u.Redacted(), filepath.Dir(u.Path)),
					Hint: "create the folder or fix the URL (sqlite:///relative.db is relative to retort.toml's folder)"}
			}
		}
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", u.Redacted(), err)
	}
	if u.Dialect == "sqlite" {
		// One writer: a second connection would only wait on the file lock.
		db.SetMaxOpenConns(1)
	} else {
		// One connection runs the steps, one holds the session lock.
		db.SetMaxOpenConns(2)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", u.Redacted(), err)
	}
	return db, nil
}

func sqliteDSN(u *config.URL) string {
	if u.Memory {
		return ":memory:"
	}
	// The file name may hold characters a URI gives meaning to.
	u = &config.URL{Path: strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(u.Path), Query: u.Query}
	q := u.Query
	if q == nil {
		q = url.Values{}
	}
	if !q.Has("_pragma") {
		q = maps.Clone(q)
		q.Set("_pragma", fmt.Sprintf("busy_timeout(%d)", sqlite.BusyTimeoutMS))
	}
	return "file:" + u.Path + "?" + q.Encode()
}
