// Package retort applies a graph of revision scripts to a database, online
// or as an offline SQL script, with Alembic's semantics.
//
// The engine has two parts. A Project is the revision files of a project,
// parsed and checked once, with a dialect and options: immutable, safe
// for concurrent use, database-independent (LoadProject reads an fs.FS
// such as an embed.FS; NewProject takes scripts already loaded). It
// writes offline scripts (WriteUpgradeSQL, WriteDowngradeSQL,
// WriteStampSQL) without a database. A Provider binds a Project to one
// *sql.DB (Project.Bind; Open does both steps) and runs it: Upgrade,
// Downgrade, Stamp, Current, PlanUpgrade, History, Verify do what the
// retort command's commands do (docs/library.md). Package dburl opens a
// Provider from a URL. The program registers the database/sql driver;
// retort registers none.
//
// Runs plan with package revision (pure), then hand the statements to a
// sink: a live database, or a writer for an offline script. Both paths
// render the same statements, version-table and history-table updates
// included.
//
// Online, concurrent runners against one database apply each step once:
// a session lock where the dialect has one (PostgreSQL, MySQL), SQLite's
// write lock per step, or a lease row in a lock table kept by a heartbeat
// (WithLeaseLock; for PgBouncer in transaction pooling mode). Every applied step is recorded in the history table
// with the checksum of its file; a step that cannot be rolled back by a
// transaction (MySQL DDL, -- +no-transaction) is marked dirty until it
// finishes, and a dirty database refuses to move until an operator
// resolves it.
package retort

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/script"
)

// WithRevisions binds the project's Go revisions to their compiled code:
// the Registry of its versions package. The Go files must be among the
// loaded scripts too (embed them with the SQL files), since their headers
// and checksums come from the files; script.Bind says what is wrong when
// the files and the registry disagree. Without it, Go revisions take
// part in the graph but running one is an error wrapping ErrNotCompiled.
func WithRevisions(reg *script.Registry) Option {
	return func(m *Project) error {
		if reg == nil {
			return fmt.Errorf("nil registry")
		}
		m.registry = reg
		return nil
	}
}

// WithXArgs gives Go revisions the values they read with o.XArgs and
// o.XArg (the CLI's -x KEY=VALUE, Alembic's get_x_argument).
func WithXArgs(x map[string]string) Option {
	return func(m *Project) error {
		m.xargs = maps.Clone(x)
		return nil
	}
}

// WithNaming sets the naming convention that names the constraints and
// indexes of Go revisions' operations left unnamed (default
// schema.DefaultNaming()).
func WithNaming(n schema.Naming) Option {
	return func(m *Project) error {
		if err := n.Validate(); err != nil {
			return err
		}
		m.naming = n
		return nil
	}
}

// Version is retort's version, recorded in the history table and
// printed by retort --version. Release builds set it at link time
// (scripts/release.sh: -ldflags -X github.com/retortdb/retort.Version=v1.2.3);
// nothing assigns it at run time.
var Version = "0.1.0-dev"

// Project is one project's revisions, their graph and Go code, a dialect
// and the options: everything a run needs except the database. It is
// built once (NewProject, LoadProject), never changed after, and safe to
// share: Bind it to as many databases as there are (each binding is a
// Provider), and write offline scripts from it.
type Project struct {
	d            dialect.Dialect
	caps         dialect.Capabilities // d's optional interfaces, probed once by NewProject
	graph        *revision.Graph
	scripts      map[string]*script.Script
	versionTable dialect.Table
	historyTable dialect.Table
	log          *slog.Logger
	lockTimeout  time.Duration
	timeouts     dialect.Timeouts // WithDBLockTimeout, WithStatementTimeout: each revision's statements
	searchPath   string           // InSchema: the search_path each revision of an online run starts with
	allowChanged bool
	perRun       bool
	hostname     string
	closeDB      bool           // Provider.Close closes the *sql.DB
	forceLease   bool           // lock with the lease even where the dialect has a lock
	locker       dialect.Locker // WithLocker: the session lock instead of the dialect's
	leaseTTL     time.Duration  // 0: DefaultLeaseTTL
	lockTable    string         // "": DefaultLockTable
	naming       schema.Naming  // names constraints and indexes of Go revisions' operations
	registry     *script.Registry
	tag          string             // recorded in every history row written (WithTag)
	xargs        map[string]string  // -x values for Go revisions
	observers    []func(StepResult) // WithStepObserver
	preflights   []Preflight        // WithPreflight: before an upgrade
	// Set in the copy that runs one session (resolveTables): the lock key
	// of the configured names, and the lease lock table resolved.
	lockName string
	lockTab  dialect.Table
}

// Option configures a Project.
type Option func(*Project) error

// WithVersionTable sets the version table's name (default retort_version).
func WithVersionTable(name string) Option {
	return func(m *Project) error {
		if strings.TrimSpace(name) == "" {
			return fmt.Errorf("version table name is empty")
		}
		m.versionTable.Name = name
		return nil
	}
}

// WithHistoryTable sets the history table's name (default retort_history).
func WithHistoryTable(name string) Option {
	return func(m *Project) error {
		if strings.TrimSpace(name) == "" {
			return fmt.Errorf("history table name is empty")
		}
		m.historyTable.Name = name
		return nil
	}
}

// WithSchema puts the version and history tables in a schema (PostgreSQL).
func WithSchema(schema string) Option {
	return func(m *Project) error {
		m.versionTable.Schema, m.historyTable.Schema = schema, schema
		return nil
	}
}

// InSchema returns a copy of the project whose version, history and lock
// tables are in schema (PostgreSQL), as WithSchema would have put them:
// the project of one tenant schema of a fleet (package fleet). The lock
// key follows the tables, so runs in different schemas of one database
// do not wait for each other. p is not changed; the copy shares its
// graph and scripts, which nothing changes.
//
// Each revision of the copy's online runs starts with the search_path
// set to schema alone (SET LOCAL in a revision's transaction, SET before
// one that runs outside a transaction), so that a revision that changes
// the session's search_path (SET search_path, pg_dump's set_config,
// RESET ALL, DISCARD ALL) never sends the next revision's unqualified
// names to another schema.
func (p *Project) InSchema(schema string) *Project {
	c := *p
	c.versionTable.Schema, c.historyTable.Schema = schema, schema
	c.searchPath = schema
	return &c
}

// searchPathSQL is the statement that puts the search_path of InSchema
// in effect in the transaction, or "" (not InSchema, not PostgreSQL).
func (m *Project) searchPathSQL() string {
	if m.searchPath == "" || m.d.Name() != "postgres" {
		return ""
	}
	return "SET LOCAL search_path TO " + m.d.QuoteIdent(m.searchPath)
}

// withSearchPath adds to t the statements that put the search_path of
// InSchema in effect at the start of each revision (PostgreSQL).
func (m *Project) withSearchPath(t dialect.TimeoutSQL) dialect.TimeoutSQL {
	if m.searchPath == "" || m.d.Name() != "postgres" {
		return t
	}
	path := m.d.QuoteIdent(m.searchPath)
	if len(t.Local) == 0 {
		t.LocalWithBegin = true // PostgreSQL takes "BEGIN; SET LOCAL ..." in one call
	}
	t.Local = append(slices.Clip(t.Local), "SET LOCAL search_path TO "+path)
	t.Session = append(slices.Clip(t.Session), "SET search_path TO "+path)
	return t
}

// Observed returns a copy of the project that also reports each step
// its runs commit to f, after the observers of WithStepObserver: the
// project of one tenant of a fleet, whose steps are told apart by the
// observer (package fleet). p is not changed.
func (p *Project) Observed(f func(StepResult)) *Project {
	c := *p
	c.observers = append(slices.Clip(p.observers), f)
	return &c
}

// WithLogger sets where steps are logged. Each committed step is one
// record at Info, "Running upgrade A -> B, message", with the attributes
// revision, direction ("up", "down", "stamp"), statements (a count) and
// ms (its duration in milliseconds); online the same message is logged at
// Debug as the step starts. Waiting for a lock is logged at Warn. The
// default discards them.
func WithLogger(l *slog.Logger) Option {
	return func(m *Project) error {
		if l == nil {
			return fmt.Errorf("nil logger")
		}
		m.log = l
		return nil
	}
}

// WithLockTimeout bounds the wait for another runner's lock; 0 (the
// default) waits as long as it takes. A run that times out returns an
// error wrapping ErrLocked.
func WithLockTimeout(d time.Duration) Option {
	return func(m *Project) error {
		if d < 0 {
			return fmt.Errorf("negative lock timeout %s", d)
		}
		m.lockTimeout = d
		return nil
	}
}

// WithAllowChanged lets Upgrade run on top of applied revisions whose
// files changed since (it refuses by default, with ErrChecksumMismatch).
func WithAllowChanged(allow bool) Option {
	return func(m *Project) error { m.allowChanged = allow; return nil }
}

// WithTransactionPerRun wraps a whole run in one transaction instead of
// one per revision (PostgreSQL and SQLite only).
func WithTransactionPerRun(perRun bool) Option {
	return func(m *Project) error { m.perRun = perRun; return nil }
}

// WithCloseDB makes Provider.Close close the *sql.DB the Provider was
// opened with. By default the database belongs to the caller, who closes
// it; dburl.Open sets it, since the Provider opened the database itself.
func WithCloseDB(close bool) Option {
	return func(m *Project) error { m.closeDB = close; return nil }
}

// DefaultVersionTable and DefaultHistoryTable are the tables' default names.
const (
	DefaultVersionTable = "retort_version"
	DefaultHistoryTable = "retort_history"
)

// NewProject builds a Project from scripts already loaded (for example
// from several folders with script.Load). It returns the graph's error (a
// *revision.GraphError or *revision.CycleError) when the scripts do not
// form a valid graph, and an option's error.
func NewProject(d dialect.Dialect, scripts []*script.Script, opts ...Option) (*Project, error) {
	if d == nil {
		return nil, errors.New("retort: nil dialect")
	}
	m := &Project{
		d:            d,
		caps:         dialect.Probe(d),
		scripts:      make(map[string]*script.Script, len(scripts)),
		versionTable: dialect.Table{Name: DefaultVersionTable},
		historyTable: dialect.Table{Name: DefaultHistoryTable},
		log:          slog.New(slog.DiscardHandler),
		naming:       schema.DefaultNaming(),
	}
	m.hostname, _ = os.Hostname()
	for _, o := range opts {
		if err := o(m); err != nil {
			return nil, err
		}
	}
	if m.perRun && !d.TransactionalDDL() {
		return nil, fmt.Errorf("transaction_per = \"run\" needs transactional DDL, which %s does not have: each DDL statement commits on its own, so a run cannot be rolled back as a whole; use transaction_per = \"migration\"", d.Name())
	}
	if err := m.checkLock(); err != nil {
		return nil, err
	}
	g, err := script.BuildGraph(scripts)
	if err != nil {
		return nil, err
	}
	if m.registry != nil {
		if err := script.Bind(scripts, m.registry); err != nil {
			return nil, err
		}
	}
	m.graph = g
	for _, s := range scripts {
		m.scripts[s.Revision] = s
	}
	return m, nil
}

// Graph returns the revision graph.
func (m *Project) Graph() *revision.Graph { return m.graph }

// Heads returns the heads of the revision graph (not of a database),
// sorted. It does no I/O.
func (m *Project) Heads() []string { return m.graph.Heads() }

// Dialect returns the dialect.
func (m *Project) Dialect() dialect.Dialect { return m.d }

// Script returns the script of a revision id, or nil.
func (m *Project) Script(id string) *script.Script { return m.scripts[id] }

// VersionTable returns the version table.
func (m *Project) VersionTable() dialect.Table { return m.versionTable }

// HistoryTable returns the history table.
func (m *Project) HistoryTable() dialect.Table { return m.historyTable }

// ConnectionsPerRun is how many connections an online run of the
// project holds at once: two with the lease lock (WithLeaseLock, whose
// lease is kept on a second connection), else one. Package fleet bounds
// the tenants it runs on a server by it.
func (m *Project) ConnectionsPerRun() int {
	if m.useLease() {
		return 2
	}
	return 1
}

// lockKey names the lock of this project's version table.
func (m *Project) lockKey() string {
	if m.lockName != "" {
		return m.lockName
	}
	return "retort:" + m.versionTable.String()
}
