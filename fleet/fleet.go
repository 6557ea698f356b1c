// Package fleet runs one retort project over many databases or
// PostgreSQL schemas: the tenants of a SaaS, the shards of a schema. It
// is orchestration only: each tenant is a retort.Provider bound to its
// own database, and runs exactly as a single `retort upgrade` would (its
// own lock, history rows, dirty marking, cancellation), so that a fleet
// run is as safe as that many single runs, and a rerun finishes what is
// left.
//
// Run takes the targets (a list built in code, from a file with
// ParseTargets, or from a PostgreSQL database's schemas with Schemas;
// ParseOrder puts some first), an Action (Upgrade, Downgrade, Stamp,
// Current, Verify, or UpgradeSQL for offline scripts) and Options: how
// many tenants run at once (Jobs, and PerServer for each database server,
// by default capped by its FreeConnections), the failure policy
// (KeepGoing, Canary) and a Progress callback told of each tenant's
// start, steps and end. It returns one Result per target, in the
// targets' order, whether the tenant was migrated, failed or was not
// started.
//
// Each tenant run opens its own *sql.DB and holds one connection (two
// with the lease lock, retort.WithLeaseLock, which keeps the lease on a
// second), and closes it when the tenant is done: a body that changes its
// session (SET search_path, USE, SET ROLE) never leaks into another
// tenant's run.
package fleet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/internal/config"
)

// Target is one tenant of a fleet: a database, or a schema of one.
type Target struct {
	// Name names the tenant in results and progress: unique in a fleet.
	Name string
	// URL is the database URL, in the forms the retort command takes
	// (sqlite:///t.db, postgresql://..., mysql://...). It may hold a
	// password: results and errors show it only redacted.
	URL string
	// Schema is, for PostgreSQL, the schema of the tenant: its version
	// and history tables are created there, and its connection's
	// search_path is that schema alone, so that the revisions' unqualified
	// names are the tenant's. "" leaves the tables where the project puts
	// them and the search_path as the URL and role set it.
	Schema string
}

// ConnURL is the URL that reaches the tenant alone: URL, with, for a
// schema tenant, the search_path parameter that makes Schema the
// connection's only schema. A single retort command given it (retort
// --url ... resolve, current, history) finds the tenant's version and
// history tables in its schema, as the fleet run did.
func (t Target) ConnURL() string {
	if t.Schema == "" {
		return t.URL
	}
	return withSearchPath(t.URL, t.Schema)
}

// Status is how a tenant's run ended.
type Status string

// The statuses of a Result.
const (
	// Done: the action succeeded (a tenant already at the target is done
	// with no steps).
	Done Status = "done"
	// Failed: the action returned an error (Result.Err); the steps
	// committed before it stay committed.
	Failed Status = "failed"
	// NotStarted: the tenant was not started, because an earlier tenant
	// failed (without KeepGoing) or the context was cancelled (also as
	// the tenant started, before its run read or changed anything: the
	// Started event is then followed by a Finished one saying
	// NotStarted).
	NotStarted Status = "not started"
)

// Result is what happened to one tenant.
type Result struct {
	Target Target
	Status Status
	// From and To are the revisions the tenant was at before and after
	// the run (its version table's rows), sorted; none for base. They are
	// known only when Known is true.
	From, To []string
	// Known reports whether From and To were read: false for a tenant
	// not started, or one that could not be reached.
	Known bool
	// Steps are the steps committed, in order.
	Steps []retort.StepResult
	// Duration is the tenant's run, from opening its database to closing
	// it.
	Duration time.Duration
	// Err is why the tenant failed, or, for a tenant not started, why it
	// was not (ErrNotStarted wrapped with the reason).
	Err error
	// Verification is what Verify found (nil for the other actions).
	Verification *retort.Verification
	// Dirty is the step left unfinished (it ran outside a transaction and
	// stopped half way, or an earlier run left it): the tenant refuses to
	// move until it is resolved (retort resolve).
	Dirty *retort.DirtyError
}

// ErrNotStarted is wrapped by the Err of a tenant that was not started.
var ErrNotStarted = errors.New("not started")

// EventKind says what an Event reports.
type EventKind int

// The kinds of Event.
const (
	// Started: a tenant's run began (Event.Result is nil).
	Started EventKind = iota
	// Finished: a tenant's run ended, or the tenant will not be started
	// (Event.Result says which).
	Finished
	// Step: a tenant's run committed a step (Event.Step).
	Step
)

// Event is a progress report: a tenant started or finished, with the
// counts so far.
type Event struct {
	Kind   EventKind
	Target Target
	Result *Result            // the tenant's result, for Finished
	Step   *retort.StepResult // the step committed, for Step
	// Counts after this event: tenants finished (done or failed, not
	// counting those not started), failed, running, and the total.
	Finished, Failed, Running, Total int
}

// Options configure Run.
type Options struct {
	// Jobs is how many tenants run at once; <= 0 is the number of CPUs.
	Jobs int
	// PerServer bounds the tenants that run at once against one database
	// server (host and port; each SQLite file is its own). Each tenant run
	// holds one connection (two with the lease lock). <= 0 is Jobs,
	// capped by half the connections the server has free when the run
	// starts (FreeConnections, which counts the CONNECTION LIMITs of a
	// PostgreSQL database and role too) over the connections a run holds
	// (Project.ConnectionsPerRun): the other half is room for the
	// connections just closed, which the server counts until their
	// backends have exited. Not capped when they cannot be read.
	PerServer int
	// KeepGoing goes on starting tenants after one failed. By default
	// the first failure starts no new tenant, and those running finish.
	KeepGoing bool
	// Canary runs the first Canary tenants (in the targets' order, Jobs
	// at once) before any other, and starts no other when one of them
	// failed, whatever KeepGoing says. 0: no canary.
	Canary int
	// Progress, if set, is called as each tenant starts, commits a step
	// and finishes, one call at a time (never concurrently), from the
	// goroutines of Run; it must return quickly.
	Progress func(Event)
	// BaseDir is the folder that relative SQLite paths are relative to
	// ("" is the current folder).
	BaseDir string
}

// Action is what Run does to each tenant: Upgrade, Downgrade, Stamp,
// Current, Verify, Check, or UpgradeSQL (offline scripts).
type Action struct {
	name string
	run  func(ctx context.Context, p *retort.Provider) (*retort.RunResult, error)
	// inspect, for Check: reads the tenant through its provider.
	inspect func(ctx context.Context, t Target, p *retort.Provider) error
	// script, for UpgradeSQL: writes the tenant's script; its project is
	// the tenant's (its tables in its schema).
	script func(ctx context.Context, proj *retort.Project, t Target, from []string) error
}

// Name is the action's command name: "upgrade", "downgrade", "stamp",
// "current", "verify", "check" or "upgrade --sql".
func (a Action) Name() string { return a.name }

// Upgrade upgrades each tenant to target ("head": all), as
// Provider.Upgrade.
func Upgrade(target string) Action {
	return Action{name: "upgrade", run: func(ctx context.Context, p *retort.Provider) (*retort.RunResult, error) {
		return p.Upgrade(ctx, target)
	}}
}

// Downgrade downgrades each tenant to target, as Provider.Downgrade.
func Downgrade(target string) Action {
	return Action{name: "downgrade", run: func(ctx context.Context, p *retort.Provider) (*retort.RunResult, error) {
		return p.Downgrade(ctx, target)
	}}
}

// Stamp stamps each tenant with targets, as Provider.Stamp.
func Stamp(targets ...string) Action {
	return Action{name: "stamp", run: func(ctx context.Context, p *retort.Provider) (*retort.RunResult, error) {
		return p.Stamp(ctx, targets...)
	}}
}

// Current only reads where each tenant is (Result.From and To) and
// whether it is dirty; it changes nothing and takes no lock.
func Current() Action {
	return Action{name: "current"}
}

// UpgradeSQL writes, for each tenant, the SQL script that would upgrade
// it from where it is now (its version table, read without a lock) to
// target, instead of running it: Project.WriteUpgradeSQL of the range
// FROM:target, into the writer that open returns for the tenant (closed
// after). A schema tenant's script starts by setting the search_path to
// its schema, as the fleet's connection would, and names its version and
// history tables in that schema. The tenant's database is not changed; a
// tenant already at target gets a script with no step.
func UpgradeSQL(target string, open func(Target) (io.WriteCloser, error)) Action {
	return Action{name: "upgrade --sql", script: func(ctx context.Context, proj *retort.Project, t Target, from []string) (err error) {
		rng := target
		if len(from) > 0 {
			rng = strings.Join(from, ",") + ":" + target
		}
		w, err := open(t)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := w.Close(); err == nil {
				err = cerr
			}
		}()
		if t.Schema != "" {
			if _, err := fmt.Fprintf(w, "SET search_path TO %s;\n\n", proj.Dialect().QuoteIdent(t.Schema)); err != nil {
				return err
			}
		}
		return proj.WriteUpgradeSQL(ctx, w, rng)
	}}
}

// Verify compares, on each tenant, the checksums recorded for its applied
// revisions with their files now, as Provider.Verify: Result.Verification
// holds what it found, and a tenant with changed files fails with a
// *ChangedError. It changes nothing and takes no lock.
func Verify() Action {
	return Action{name: "verify"}
}

// Check runs f on each tenant, reading only: f gets the tenant's
// provider, bound to the tenant's own connection (for a schema tenant,
// its tables in its schema and its search_path set to it), and its error
// fails the tenant. Result.From and To are where the tenant is. Check
// takes no lock; f must change nothing. `retort fleet check` compares
// each tenant with the heads and the desired schema with it.
func Check(f func(ctx context.Context, t Target, p *retort.Provider) error) Action {
	return Action{name: "check", inspect: f}
}

// ChangedError is the failure of a tenant whose applied revisions' files
// changed since they ran (Verify).
type ChangedError struct {
	Changed []retort.ChecksumMismatch
}

func (e *ChangedError) Error() string {
	names := make([]string, len(e.Changed))
	for i, c := range e.Changed {
		names[i] = c.Path + " (" + c.Revision + ")"
	}
	return fmt.Sprintf("%d applied revision file(s) changed since they ran: %s", len(e.Changed), strings.Join(names, ", "))
}

// Unwrap makes the error match retort.ErrChecksumMismatch.
func (e *ChangedError) Unwrap() error { return retort.ErrChecksumMismatch }

// Run applies action to every target, at most opts.Jobs at once, and
// returns one Result per target in the targets' order.
//
// Targets are checked before anything runs: a target's URL that does not
// parse, a dialect other than the project's, a Schema on a database
// other than PostgreSQL, or two targets of one name is an error, and no
// tenant is touched. Past that, Run's error is nil: each tenant's
// failure is in its Result.
//
// Failure policy: without opts.KeepGoing, once a tenant fails no new
// tenant starts; those running finish, and the rest are NotStarted. When
// ctx is cancelled (Ctrl-C), no new tenant starts either, and the running
// ones see the cancellation as a single run does: the statement in
// progress is cancelled and its transaction rolled back (a step outside
// a transaction is left dirty, and says so). With opts.Canary, the first
// tenants run alone first, and a failure among them starts no other. A
// rerun starts from where each tenant is, so it repeats nothing.
func Run(ctx context.Context, proj *retort.Project, targets []Target, action Action, opts Options) ([]Result, error) {
	if proj == nil {
		return nil, errors.New("fleet: nil project")
	}
	plans, err := check(proj, targets, opts.BaseDir)
	if err != nil {
		return nil, err
	}
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	perServer := opts.PerServer
	if perServer > jobs {
		perServer = jobs
	}
	servers := map[string]chan struct{}{}
	for i, pl := range plans {
		if servers[pl.server] != nil {
			continue
		}
		n := perServer
		if n <= 0 {
			// Half the free connections, over those a run holds: a
			// connection closed is counted by the server until its backend
			// has exited, so the tenants that just finished may still hold
			// as many as those running.
			n = jobs
			if free, err := FreeConnections(ctx, targets[i].URL, pl.baseDir); err == nil {
				n = min(n, max(free/(2*proj.ConnectionsPerRun()), 1))
			}
		}
		servers[pl.server] = make(chan struct{}, n)
	}
	r := &runner{
		opts: opts, total: len(targets), proj: proj, action: action, targets: targets, plans: plans,
		results: make([]Result, len(targets)), slots: make(chan struct{}, jobs), servers: servers,
	}
	canary := min(max(opts.Canary, 0), len(targets))
	if canary > 0 {
		r.dispatch(ctx, 0, canary)
		r.wg.Wait()
		if r.failed > 0 {
			r.notStarted(canary, len(targets), fmt.Sprintf("%s of the first %d (the canaries) failed", plural(r.failed, "tenant"), canary))
			return r.results, nil
		}
	}
	r.dispatch(ctx, canary, len(targets))
	r.wg.Wait()
	return r.results, nil
}

// plural is "1 tenant" or "N tenants".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// dispatch starts the tenants from (inclusive) to to (exclusive) in
// order, each when a slot is free, until the policy or the context stops
// it; the rest are NotStarted. It returns once the last has started (or
// none may): r.wg waits for them.
func (r *runner) dispatch(ctx context.Context, from, to int) {
	for i := from; i < to; i++ {
		t, pl := r.targets[i], r.plans[i]
		srv := r.servers[pl.server]
		if why := r.acquire(ctx, r.slots, srv); why != "" {
			r.notStarted(i, to, why) // those after to are dispatch's next call's
			return
		}
		r.report(Event{Kind: Started, Target: t}, true, false)
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			proj := r.proj
			if r.opts.Progress != nil {
				proj = proj.Observed(func(s retort.StepResult) {
					r.report(Event{Kind: Step, Target: t, Step: &s}, false, false)
				})
			}
			r.results[i] = runOne(ctx, proj, t, pl, r.action)
			// Counted (and the stop decided) before the slots are
			// freed: a tenant waiting for one sees this failure.
			r.report(Event{Kind: Finished, Target: t, Result: &r.results[i]}, false, true)
			<-srv
			<-r.slots
		}()
	}
}

// notStarted records the tenants from (inclusive) to to (exclusive) as
// not started, for why.
func (r *runner) notStarted(from, to int, why string) {
	for j := from; j < to; j++ {
		r.results[j] = Result{Target: r.targets[j], Status: NotStarted, Err: fmt.Errorf("%w: %s", ErrNotStarted, why)}
		r.report(Event{Kind: Finished, Target: r.targets[j], Result: &r.results[j]}, false, false)
	}
}

// runner is one Run: what it runs, its slots, and its counts and stop
// decision.
type runner struct {
	opts    Options
	proj    *retort.Project
	action  Action
	targets []Target
	plans   []plan
	results []Result // each written by the goroutine of its tenant, or by notStarted

	slots   chan struct{}            // one per running tenant, at most Jobs
	servers map[string]chan struct{} // per server key: one per running tenant of the server
	wg      sync.WaitGroup           // the running tenants

	mu                               sync.Mutex // guards the counts and stopped, and serializes Progress
	total, finished, failed, running int
	stopped                          bool // a tenant failed and KeepGoing is off
}

// acquire waits for a free slot of the fleet and of the server, and
// returns why no more tenant may start ("" when one may; the slots are
// then held).
func (r *runner) acquire(ctx context.Context, slots, srv chan struct{}) string {
	for _, ch := range []chan struct{}{srv, slots} {
		select {
		case ch <- struct{}{}:
		case <-ctx.Done():
			if ch == slots {
				<-srv
			}
			return "the run was cancelled (" + context.Cause(ctx).Error() + ")"
		}
	}
	r.mu.Lock()
	stopped := r.stopped
	r.mu.Unlock()
	if stopped {
		<-slots
		<-srv
		return "an earlier tenant failed (run with --keep-going, KeepGoing, to go on after a failure)"
	}
	if ctx.Err() != nil {
		<-slots
		<-srv
		return "the run was cancelled (" + context.Cause(ctx).Error() + ")"
	}
	return ""
}

// report updates the counts for ev and calls Progress with them.
func (r *runner) report(ev Event, started, finished bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if started {
		r.running++
	}
	if finished {
		r.running--
		if ev.Result.Status != NotStarted { // cancelled as it started (runOne)
			r.finished++
		}
		if ev.Result.Status == Failed {
			r.failed++
			if !r.opts.KeepGoing {
				r.stopped = true
			}
		}
	}
	if r.opts.Progress != nil {
		ev.Finished, ev.Failed, ev.Running, ev.Total = r.finished, r.failed, r.running, r.total
		r.opts.Progress(ev)
	}
}

// readTimeout bounds the reads of where a tenant ended up after its run,
// which are made even when the run's context was cancelled.
const readTimeout = 10 * time.Second

// runOne runs action on one tenant.
func runOne(ctx context.Context, proj *retort.Project, t Target, pl plan, action Action) (res Result) {
	res = Result{Target: t, Status: Failed}
	start := time.Now()
	defer func() { res.Duration = time.Since(start) }()
	db, _, err := dburl.OpenDB(pl.url, pl.baseDir)
	if err != nil {
		res.Err = err
		return res
	}
	defer db.Close()
	if t.Schema != "" {
		proj = proj.InSchema(t.Schema)
	}
	p := proj.Bind(db)
	if res.From, err = p.Current(ctx); err != nil {
		if ctx.Err() != nil {
			// Cancelled as it started, before its run read or changed
			// anything: not started, as the tenants after it.
			res.Status = NotStarted
			err = fmt.Errorf("%w: the run was cancelled (%s)", ErrNotStarted, context.Cause(ctx))
		}
		res.Err = err
		return res
	}
	res.To, res.Known = res.From, true
	var run *retort.RunResult
	switch {
	case action.run != nil:
		run, err = action.run(ctx, p)
	case action.script != nil:
		err = action.script(ctx, proj, t, res.From)
	case action.inspect != nil:
		err = action.inspect(ctx, t, p)
	case action.name == "verify":
		if res.Verification, err = p.Verify(ctx); err == nil && len(res.Verification.Changed) > 0 {
			err = &ChangedError{Changed: res.Verification.Changed}
		}
	}
	if run != nil {
		res.Steps = run.Steps
	}
	if err == nil && run != nil && run.HeadsRead {
		// A run that succeeded says where it left the tenant, and left
		// no step dirty: no second connection to ask (a run closes its
		// own, whose session its revisions may have changed).
		res.To, res.Status = run.Heads, Done
		return res
	}
	// Where the tenant is now, even after a cancellation: the summary
	// must say what was done.
	after, cancel := context.WithTimeout(context.WithoutCancel(ctx), readTimeout)
	defer cancel()
	if to, cerr := p.Current(after); cerr == nil {
		res.To = to
	} else if len(res.Steps) > 0 {
		res.To = res.Steps[len(res.Steps)-1].To
	}
	var de *retort.DirtyError
	if errors.As(err, &de) {
		res.Dirty = de
	} else if d, derr := p.Dirty(after); derr == nil && d != nil {
		res.Dirty = d
	}
	if err != nil {
		res.Err = err
		return res
	}
	res.Status = Done
	return res
}

// plan is what check worked out for a target.
type plan struct {
	url     string // the URL to open: with the search_path of the target's schema
	baseDir string // relative SQLite paths are relative to it
	server  string // the key of the server, for PerServer
}

// check validates the targets against the project and returns their
// plans, or the first problem.
func check(proj *retort.Project, targets []Target, baseDir string) ([]plan, error) {
	want := proj.Dialect().Name()
	names := make(map[string]int, len(targets))
	dbs := make(map[string]int, len(targets)) // databaseKey: the target's index
	plans := make([]plan, len(targets))
	for i, t := range targets {
		if strings.TrimSpace(t.Name) == "" {
			return nil, fmt.Errorf("fleet: target %d has no name", i+1)
		}
		if j, dup := names[t.Name]; dup {
			return nil, fmt.Errorf("fleet: targets %d and %d are both named %q: give each tenant its own name", j+1, i+1, t.Name)
		}
		names[t.Name] = i
		u, err := config.ParseURL(t.URL, baseDir)
		if err != nil {
			return nil, fmt.Errorf("fleet: target %s: %w", t.Name, err)
		}
		if u.Dialect != want {
			return nil, fmt.Errorf("fleet: target %s is a %s database (%s); the project is built for %s: run one fleet per dialect", t.Name, u.Dialect, u.Redacted(), want)
		}
		if u.Memory {
			return nil, fmt.Errorf("fleet: target %s is an in-memory SQLite database, which no other connection sees: name a file", t.Name)
		}
		pl := plan{url: t.URL, baseDir: baseDir, server: serverKey(u)}
		if t.Schema != "" {
			if u.Dialect != "postgres" {
				return nil, fmt.Errorf("fleet: target %s names schema %q, but schemas are for PostgreSQL; this is a %s database", t.Name, t.Schema, u.Dialect)
			}
			if t.Schema == "public" {
				return nil, fmt.Errorf("fleet: target %s names schema public, the database's shared schema: a tenant has a schema of its own", t.Name)
			}
			if u.Query.Has("search_path") {
				return nil, fmt.Errorf("fleet: target %s names schema %q and its URL sets search_path too (%s): leave search_path out of the URL", t.Name, t.Schema, u.Redacted())
			}
			pl.url = t.ConnURL()
		}
		key := pl.server + "/" + u.Database + "/" + t.Schema
		if j, dup := dbs[key]; dup {
			what := "database"
			if t.Schema != "" {
				what = "database schema " + t.Schema
			}
			return nil, fmt.Errorf("fleet: targets %d and %d (%s and %s) are one %s (%s): list each tenant once, or the two would run at once on it", j+1, i+1, targets[j].Name, t.Name, what, u.Redacted())
		}
		dbs[key] = i
		plans[i] = pl
	}
	return plans, nil
}

// withSearchPath adds to a PostgreSQL URL the search_path parameter that
// makes schema the connection's only schema (pgx sends it when it
// connects).
func withSearchPath(rawURL, schema string) string {
	sep := "?"
	if strings.Contains(rawURL, "?") {
		sep = "&"
	}
	quoted := `"` + strings.ReplaceAll(schema, `"`, `""`) + `"`
	return rawURL + sep + "search_path=" + url.QueryEscape(quoted)
}

// serverKey names the server of u: its host, lower case, and port, the
// dialect's default port when the URL gives none (the user, the password
// and the database left out), or, for SQLite, the file. Two spellings of
// one server's address (db1 and DB1:5432) are one server, whose bound
// they share; two names of one host (localhost and 127.0.0.1) are not
// told apart.
func serverKey(u *config.URL) string {
	if u.Dialect == "sqlite" {
		return "sqlite:" + u.Path
	}
	host := strings.ToLower(urlHost(u))
	if host == "" && u.Dialect == "postgres" {
		host = strings.ToLower(u.Query.Get("host")) // a socket folder, or the host as an option
	}
	if strings.HasPrefix(host, "%2f") || strings.HasPrefix(host, "/") {
		return u.Dialect + ":" + host // a Unix socket
	}
	port := map[string]string{"postgres": "5432", "mysql": "3306"}[u.Dialect]
	if h, p, err := net.SplitHostPort(host); err == nil {
		host, port = h, p
	} else {
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	}
	if host == "" {
		host = map[string]string{"postgres": "localhost", "mysql": "127.0.0.1"}[u.Dialect] // the drivers' defaults
	}
	return u.Dialect + ":" + net.JoinHostPort(host, port)
}

// urlHost is the host and port of u as its URL writes them (after the
// user and password), "" when it gives none.
func urlHost(u *config.URL) string {
	_, rest, _ := strings.Cut(strings.TrimSpace(u.Raw), "://")
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	return rest
}

// FreeConnections returns how many more connections the server of rawURL
// accepts now: PostgreSQL's max_connections less the connections reserved
// (superuser_reserved_connections, and reserved_connections where the
// server has it) and those open, and no more than the URL's database and
// role have left of their CONNECTION LIMIT (which a superuser is not
// held to); MySQL's max_connections less the connections open, and no
// more than the account has left of its max_user_connections. It opens one connection to ask (counted as open). An
// SQLite URL is an error: a file has no connection limit.
func FreeConnections(ctx context.Context, rawURL, baseDir string) (int, error) {
	u, err := config.ParseURL(rawURL, baseDir)
	if err != nil {
		return 0, err
	}
	var q string
	switch u.Dialect {
	case "postgres":
		q = freePostgres
	case "mysql":
		q = freeMySQL
	default:
		return 0, fmt.Errorf("free connections of %s: a %s database has no connection limit", u.Redacted(), u.Dialect)
	}
	db, _, err := dburl.OpenDB(rawURL, baseDir)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("free connections of %s: %w", u.Redacted(), err)
	}
	return max(n, 0), nil
}

// The free connections of a server, as FreeConnections counts them.
const (
	freePostgres = `SELECT LEAST(
  current_setting('max_connections')::int
    - current_setting('superuser_reserved_connections')::int
    - COALESCE(NULLIF(current_setting('reserved_connections', true), '')::int, 0)
    - (SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE backend_type = 'client backend')::int,
  (SELECT d.datconnlimit - (SELECT count(*) FROM pg_catalog.pg_stat_activity a
      WHERE a.datid = d.oid AND a.backend_type = 'client backend')::int
    FROM pg_catalog.pg_database d, pg_catalog.pg_roles r
    WHERE d.datname = current_database() AND r.rolname = current_user AND d.datconnlimit >= 0 AND NOT r.rolsuper),
  (SELECT r.rolconnlimit - (SELECT count(*) FROM pg_catalog.pg_stat_activity a
      WHERE a.usesysid = r.oid AND a.backend_type = 'client backend')::int
    FROM pg_catalog.pg_roles r
    WHERE r.rolname = current_user AND r.rolconnlimit >= 0 AND NOT r.rolsuper))`
	freeMySQL = `SELECT LEAST(
  @@max_connections - (SELECT COUNT(*) FROM information_schema.processlist),
  IF(@@session.max_user_connections > 0,
    @@session.max_user_connections - (SELECT COUNT(*) FROM information_schema.processlist
      WHERE user = SUBSTRING_INDEX(CURRENT_USER(), '@', 1)),
    2147483647))`
)
