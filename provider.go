package retort

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/script"
)

// ErrNoDatabase is returned by the methods of a Provider that was bound
// to no database (a nil *sql.DB). Offline scripts need none: write them
// with the Project's WriteUpgradeSQL, WriteDowngradeSQL and WriteStampSQL.
var ErrNoDatabase = errors.New("retort: the provider has no database (it was opened with a nil *sql.DB; offline scripts are written by its Project)")

// Provider is a Project bound to one database: what a program uses to
// migrate its own database, at start-up or from an admin command. It is a
// thin binding: the Project (graph, scripts, dialect, options) is parsed
// and checked once and may be bound to any number of databases, one
// Provider each (Project.Bind).
//
// Its methods take the context first and return typed errors: test them
// with errors.Is (ErrDirty, ErrLocked, ErrLockLost, ErrChecksumMismatch,
// ErrNoDowngrade, ErrNoDatabase) and errors.As (*DirtyError,
// *ChecksumError, *PartialError, *StmtError, *ScriptError,
// *UnknownRevisionError, and the graph and target errors of package
// revision: *revision.GraphError, *revision.CycleError,
// *revision.ResolutionError, *revision.MultipleHeadsError,
// *revision.RangeError).
//
// Targets use Alembic's grammar: "head", "heads", "base", a full id or a
// unique prefix, "+N" and "-N", "LABEL@head", and so on (docs/targets.md).
//
// A Provider is safe for concurrent use, and several processes may run one
// at once against one database: each step is applied exactly once (see
// the package documentation). Runs return what they did (RunResult);
// steps are logged through the WithLogger option ("Running upgrade A -> B,
// message" at Info, with the step's statements and milliseconds as
// attributes) and reported to WithStepObserver as they commit.
type Provider struct {
	proj *Project
	db   *sql.DB
}

// Open returns a Provider for the revision files (*.sql) at the root of
// fsys, an embed.FS, os.DirFS or fstest.MapFS, applied to db in dialect d
// (sqlite.New(), postgres.New(), mysql.New() of the dialect packages):
// LoadProject, then Bind. Use fs.Sub to point at a folder of an embed.FS.
//
// Open reads only the files' headers; it does not connect. It returns a
// *script.ParseError for a malformed file and the graph's error
// (*revision.GraphError, *revision.CycleError) when the files do not form
// a valid graph.
//
// The caller keeps ownership of db: Close leaves it open unless the
// WithCloseDB option is given. The migration lock is held on the
// connection that runs the steps; only the lease lock (WithLeaseLock)
// needs a second connection, so db must then allow at least two.
func Open(db *sql.DB, d dialect.Dialect, fsys fs.FS, opts ...Option) (*Provider, error) {
	p, err := LoadProject(d, fsys, opts...)
	if err != nil {
		return nil, err
	}
	return p.Bind(db), nil
}

// Bind binds the project to db. It does not connect, and it may be called
// any number of times, for as many databases: the Providers share the
// project, which none of them changes.
func (p *Project) Bind(db *sql.DB) *Provider { return &Provider{proj: p, db: db} }

// Close releases the Provider. It closes the database only when the
// project was built with WithCloseDB(true), as dburl.Open does.
func (p *Provider) Close() error {
	if p.proj.closeDB && p.db != nil {
		return p.db.Close()
	}
	return nil
}

// Project returns the project the Provider binds: its graph, scripts and
// dialect, and the offline scripts.
func (p *Provider) Project() *Project { return p.proj }

// DB returns the database the Provider binds (nil when none).
func (p *Provider) DB() *sql.DB { return p.db }

func (p *Provider) database() (*sql.DB, error) {
	if p.db == nil {
		return nil, ErrNoDatabase
	}
	return p.db, nil
}

// Current returns the revisions the database is at (the rows of its
// version table), sorted; none for a database that was never migrated.
// Compare it with Project().Heads() to tell whether it is up to date.
func (p *Provider) Current(ctx context.Context) ([]string, error) {
	db, err := p.database()
	if err != nil {
		return nil, err
	}
	return p.proj.current(ctx, db)
}

// Upgrade applies the revisions up to target ("head" for all), one
// transaction per revision where the dialect allows it. A database
// already at target is a success. It returns a *PartialError (wrapping
// the cause, for example a *StmtError) when a step fails after others
// were committed, ErrDirty (*DirtyError) when an earlier run stopped half
// way, ErrChecksumMismatch (*ChecksumError) when applied files changed,
// ErrLocked when WithLockTimeout passes while another runner holds the
// lock, and ErrLockLost when the run lost its lock while it ran (its
// connection ended, or its lease was taken over).
//
// The result lists the steps committed, with their durations; it is never
// nil, and on an error it holds the steps committed before it (the same
// as the *PartialError's Result). WithStepObserver reports each step as
// it commits.
func (p *Provider) Upgrade(ctx context.Context, target string) (*RunResult, error) {
	db, err := p.database()
	if err != nil {
		return &RunResult{}, err
	}
	return measure(func(res *RunResult) error {
		return p.proj.migrate(ctx, db, true, func(heads []string) (*revision.Plan, error) {
			return p.proj.graph.Upgrade(heads, target)
		}, res)
	})
}

// Downgrade reverts the database to target ("base" for everything, "-1"
// for one step). Its errors are Upgrade's; a revision without a downgrade
// section stops it before anything runs, with ErrNoDowngrade
// (*ScriptError). Its result is Upgrade's.
func (p *Provider) Downgrade(ctx context.Context, target string) (*RunResult, error) {
	db, err := p.database()
	if err != nil {
		return &RunResult{}, err
	}
	return measure(func(res *RunResult) error {
		return p.proj.migrate(ctx, db, false, func(heads []string) (*revision.Plan, error) {
			return p.proj.graph.Downgrade(heads, target)
		}, res)
	})
}

// Stamp sets the version table to targets without running any migration
// (for a database whose schema was made another way). The targets are
// checked against the version table as Alembic checks them. The result
// lists the stamp steps (direction "stamp", no statements), all
// committed together; it is never nil, and empty on an error.
func (p *Provider) Stamp(ctx context.Context, targets ...string) (*RunResult, error) {
	return p.stamp(ctx, targets, false)
}

// StampPurge empties the version table, then stamps targets: the way out
// when the table names revisions that no file defines.
func (p *Provider) StampPurge(ctx context.Context, targets ...string) (*RunResult, error) {
	return p.stamp(ctx, targets, true)
}

func (p *Provider) stamp(ctx context.Context, targets []string, purge bool) (*RunResult, error) {
	db, err := p.database()
	if err != nil {
		return &RunResult{}, err
	}
	return measure(func(res *RunResult) error { return p.proj.stamp(ctx, db, targets, purge, res) })
}

// PlanUpgrade returns the steps that Upgrade(ctx, target) would run now,
// without running them (no lock is taken, so another runner may move the
// database before an Upgrade). An empty plan means the database is at
// target.
func (p *Provider) PlanUpgrade(ctx context.Context, target string) (*revision.Plan, error) {
	return p.plan(ctx, func(heads []string) (*revision.Plan, error) { return p.proj.graph.Upgrade(heads, target) })
}

// PlanDowngrade returns the steps that Downgrade(ctx, target) would run
// now, without running them.
func (p *Provider) PlanDowngrade(ctx context.Context, target string) (*revision.Plan, error) {
	return p.plan(ctx, func(heads []string) (*revision.Plan, error) { return p.proj.graph.Downgrade(heads, target) })
}

func (p *Provider) plan(ctx context.Context, planFn func([]string) (*revision.Plan, error)) (*revision.Plan, error) {
	_, heads, err := p.knownHeads(ctx)
	if err != nil {
		return nil, err
	}
	return planFn(heads)
}

// knownHeads reads the version table's rows, each of which must name a
// revision of the graph (an *UnknownRevisionError otherwise).
func (p *Provider) knownHeads(ctx context.Context) (*sql.DB, []string, error) {
	db, err := p.database()
	if err != nil {
		return nil, nil, err
	}
	heads, err := p.proj.current(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	if err := p.proj.checkKnown(heads); err != nil {
		return nil, nil, err
	}
	return db, heads, nil
}

// History returns the rows of the history table, oldest first: every step
// applied, reverted or stamped, with who ran it, when, and the checksum of
// its file.
func (p *Provider) History(ctx context.Context) ([]HistoryRow, error) {
	db, err := p.database()
	if err != nil {
		return nil, err
	}
	return p.proj.history(ctx, db)
}

// Dirty returns the step that did not finish (it ran outside a
// transaction and stopped half way), or nil.
func (p *Provider) Dirty(ctx context.Context) (*DirtyError, error) {
	db, err := p.database()
	if err != nil {
		return nil, err
	}
	return p.proj.dirty(ctx, db)
}

// MarkApplied clears the dirty step of rev after an operator checked the
// database by hand and found all of its changes there: the step is
// recorded as done, and its version change is made.
func (p *Provider) MarkApplied(ctx context.Context, rev string) error {
	db, err := p.database()
	if err != nil {
		return err
	}
	return p.proj.resolve(ctx, db, rev, true)
}

// MarkRolledBack clears the dirty step of rev after an operator checked
// the database by hand and found none of its changes there (or undid
// them): the step is recorded as not having happened.
func (p *Provider) MarkRolledBack(ctx context.Context, rev string) error {
	db, err := p.database()
	if err != nil {
		return err
	}
	return p.proj.resolve(ctx, db, rev, false)
}

// Verify compares the checksums recorded for the applied revisions (when
// they ran, were stamped, or by RecordChecksums) with their files now. The
// files match when the result's OK is true; an applied revision with no
// recorded checksum (a stamped database, or one taken over from Alembic)
// is listed in Unverified, never counted as a match. Verify takes no lock
// and writes nothing.
func (p *Provider) Verify(ctx context.Context) (*Verification, error) {
	db, heads, err := p.knownHeads(ctx)
	if err != nil {
		return nil, err
	}
	return p.proj.verify(ctx, db, heads, true)
}

// RecordChecksums records, as a baseline, the checksums of the files of
// the applied revisions that have none, and returns those revisions. It
// takes the migration lock, refuses a dirty database (ErrDirty), and adds
// one history row per revision, with direction "baseline", in one
// transaction: the rows already there are never changed. Revisions whose
// files changed since their checksum was recorded keep that checksum, so
// Verify still reports them.
func (p *Provider) RecordChecksums(ctx context.Context) ([]Unverified, error) {
	db, err := p.database()
	if err != nil {
		return nil, err
	}
	return p.proj.recordChecksums(ctx, db)
}

// WriteUpgradeSQL writes to w the SQL script of an upgrade, for a DBA to
// read and run: the version and history tables' DDL when it starts from
// base, then each step in a transaction with its version-table and
// history-table updates. target is "TO" (from base: an empty database) or
// "FROM:TO", where FROM is where the database is assumed to be (an id, a
// comma-separated list of ids, or base). It never connects to a database.
func (p *Project) WriteUpgradeSQL(ctx context.Context, w io.Writer, target string) error {
	start, to, err := p.offlineRange(target, false)
	if err != nil {
		return err
	}
	plan, err := p.graph.Upgrade(start, to)
	if err != nil {
		return err
	}
	if err := p.preflight(ctx, plan.Steps, nil); err != nil {
		return err
	}
	return p.writeSQL(ctx, w, start, plan)
}

// WriteDowngradeSQL writes to w the SQL script of a downgrade. rng must
// be a range "FROM:TO" (offline, retort cannot read where the database
// is).
func (p *Project) WriteDowngradeSQL(ctx context.Context, w io.Writer, rng string) error {
	start, to, err := p.offlineRange(rng, true)
	if err != nil {
		return err
	}
	plan, err := p.graph.Downgrade(start, to)
	if err != nil {
		return err
	}
	return p.writeSQL(ctx, w, start, plan)
}

// WriteStampSQL writes to w the SQL script that stamps targets on a
// database assumed to be at from (an id, a comma-separated list of ids,
// or "" or "base" for an empty version table).
func (p *Project) WriteStampSQL(ctx context.Context, w io.Writer, from string, targets ...string) error {
	start, err := p.startHeads(from)
	if err != nil {
		return err
	}
	plan, err := p.graph.Stamp(start, targets)
	if err != nil {
		return err
	}
	return p.writeSQL(ctx, w, start, plan)
}

// offlineRange splits "FROM:TO" (or "TO", from base, unless needFrom) and
// resolves FROM to the version-table rows it stands for.
func (p *Project) offlineRange(target string, needFrom bool) ([]string, string, error) {
	from, to, isRange := strings.Cut(target, ":")
	if !isRange {
		if needFrom {
			return nil, "", fmt.Errorf("offline downgrade target %q is not a range: give FROM:TO (for example head:base)", target)
		}
		from, to = "", target
	}
	if strings.TrimSpace(to) == "" {
		return nil, "", fmt.Errorf("offline target %q has no revision to go to", target)
	}
	start, err := p.startHeads(from)
	return start, to, err
}

// startHeads resolves the FROM of an offline range: the version-table rows
// the database is assumed to have. Empty or "base" is an empty table; a
// comma-separated list names several heads.
func (p *Project) startHeads(from string) ([]string, error) {
	if from == "" || from == "base" {
		return nil, nil
	}
	var out []string
	for _, f := range strings.Split(from, ",") {
		id, err := p.graph.ResolveOne(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		if id != "" {
			out = append(out, id)
		}
	}
	return out, nil
}

// LoadProject reads the revision files (*.sql) at the root of fsys (an
// embed.FS, os.DirFS or fstest.MapFS; fs.Sub points at a folder), and
// those of its archive folder (script.ArchiveDir, where retort squash
// moves the revisions a squashed revision replaces), and builds the
// Project, as NewProject does.
func LoadProject(d dialect.Dialect, fsys fs.FS, opts ...Option) (*Project, error) {
	if fsys == nil {
		return nil, errors.New("retort: nil fs.FS")
	}
	scripts, err := script.Load(fsys, ".", "")
	if err != nil {
		return nil, err
	}
	archived, err := script.LoadArchive(fsys, ".", "")
	if err != nil {
		return nil, err
	}
	return NewProject(d, append(scripts, archived...), opts...)
}
