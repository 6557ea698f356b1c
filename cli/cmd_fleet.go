package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/schollz/progressbar/v3"

	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/fleet"
	"github.com/retortdb/retort/internal/config"
)

// cmdFleet is `retort fleet CMD`: one command over many databases or
// PostgreSQL schemas (package fleet; docs/fleet.md).
func cmdFleet() *command {
	return group(&command{name: "fleet", summary: "run a command over many databases or PostgreSQL schemas (tenants)"},
		fleetCmd("upgrade", "apply revisions up to a target (default head) on every tenant", "[TARGET]"),
		fleetCmd("downgrade", "revert every tenant down to a target", "TARGET"),
		fleetCmd("stamp", "set every tenant's version table without running migrations", "REV..."),
		fleetCmd("current", "show how many tenants are at each revision", ""),
		fleetCmd("verify", "compare every tenant's applied revisions' files with the checksums recorded when they ran", "[--strict]"),
		fleetCmd("check", "fail for each tenant not at the heads or, when the project has a desired schema, that differs from it (retort check per tenant)", ""),
	)
}

// fleetTargetsSynopsis is the part of every fleet command's synopsis that
// names the fleet.
const fleetTargetsSynopsis = "(--targets FILE | --schemas PATTERN | --group NAME,...|all) [-j N] [--keep-going] [--json]"

// fleetCmd is one fleet subcommand.
func fleetCmd(name, summary, args string) *command {
	synopsis := strings.TrimSpace(args + " " + fleetTargetsSynopsis)
	if name != "current" && name != "verify" && name != "check" {
		synopsis += " [--canary N] [--order FILE|version]"
	}
	if name == "upgrade" {
		synopsis += " [--sql DIR]"
	}
	c := &command{name: name, summary: summary, args: synopsis}
	c.run = func(ctx context.Context, e *session, argv []string) error {
		f := newFlags("fleet " + name)
		targetsFile := f.String("FILE", "the tenants: a file of database URLs, one per line (# comments)", "--targets")
		schemas := f.String("PATTERN", "the tenants: the PostgreSQL schemas of the database URL (--url, RETORT_URL, ...) matching the glob PATTERN (tenant_*)", "--schemas")
		groups := f.String("NAME,...|all", "the tenants: the named groups of retort.toml's [fleet] table (all: every group)", "--group")
		jobs := f.String("N", fmt.Sprintf("tenants at once (default: the number of CPUs, %d), and at most the connections each server has free", runtime.NumCPU()), "-j", "--jobs")
		keepGoing := f.Bool("go on starting tenants after one failed (default: start no new one, let running ones finish)", "--keep-going")
		var lock, canary, orderFile *string
		var tag *[]string
		var allow, strict *bool
		var sqlDir *string
		readOnly := name == "current" || name == "verify" || name == "check"
		if name == "verify" {
			strict = f.Bool("fail (exit 1) when a tenant has applied revisions with no checksum to compare with", "--strict")
		}
		if !readOnly {
			canary = f.String("N", "migrate the first N tenants first, and stop if one of them fails (even with --keep-going)", "--canary")
			orderFile = f.String("FILE|version", "a file of tenant names (as the table shows them), one per line: those go first, in that order (the canaries with --canary); version: the tenants furthest from the target first", "--order")
			lock = lockFlag(f)
			tag = tagFlag(f)
		}
		if name == "upgrade" {
			allow = f.Bool("run even if applied revisions' files changed since they ran", "--allow-changed")
			sqlDir = f.String("DIR", "write each tenant's SQL script (from where it is to TARGET) into DIR instead of running it", "--sql")
		}
		if done, err := parseCmd(e, c, f, argv); done || err != nil {
			return err
		}
		fc := fleetCommand{e: e, name: name, keepGoing: *keepGoing, strict: strict != nil && *strict}
		var err error
		if fc.jobs, err = jobsFlag(c.path(), *jobs); err != nil {
			return err
		}
		if lock != nil {
			if fc.ro, err = runOpts(c.path(), *lock, tag); err != nil {
				return err
			}
		}
		if canary != nil && *canary != "" {
			if fc.canary, err = strconv.Atoi(*canary); err != nil || fc.canary < 1 {
				return usagef(c.path(), "--canary %q: give how many tenants go first, a number of 1 or more", *canary)
			}
		}
		if allow != nil {
			fc.ro.allowChanged = *allow
		}
		fc.ro.quiet = true // steps of many tenants interleaved say nothing: each tenant gets one line
		if fc.action, err = fleetAction(c.path(), name, f.args); err != nil {
			return err
		}
		named := 0
		for _, v := range []string{*targetsFile, *schemas, *groups} {
			if v != "" {
				named++
			}
		}
		if named != 1 {
			return &usageError{cmd: c.path(), msg: "name the fleet with one of --targets FILE, --schemas PATTERN or --group NAME",
				hint: "--targets tenants.txt (one database URL per line), --schemas 'tenant_*' with the database's URL in --url, RETORT_URL or retort.toml, or --group eu (a group of retort.toml's [fleet] table; all for every group)"}
		}
		if name == "check" {
			// A desired schema of Go code is in the migrations program.
			if inProgram, err := e.desiredInProgram(); err == nil && inProgram {
				return e.delegate(ctx, c.path(), desiredNeed)
			}
		}
		if !readOnly {
			// Go revisions run in the project's migrations program, which
			// is this CLI with them compiled in (delegate.go).
			if goRev, err := e.needsProgram(); err != nil {
				return err
			} else if goRev != nil {
				return e.delegate(ctx, c.path(), revisionNeed(goRev))
			}
		}
		if fc.targets, err = fc.loadTargets(ctx, *targetsFile, *schemas, *groups); err != nil {
			return err
		}
		if sqlDir != nil && *sqlDir != "" {
			target := "head"
			if len(f.args) == 1 {
				target = f.args[0]
			}
			if fc.action, err = fc.scripts(*sqlDir, target); err != nil {
				return err
			}
		}
		switch {
		case orderFile == nil || *orderFile == "":
		case *orderFile == "version":
			if name == "stamp" {
				return usagef(c.path(), "--order version is for upgrade and downgrade (a stamp runs no revision)")
			}
			fc.orderTarget = "head"
			if len(f.args) == 1 {
				fc.orderTarget = f.args[0]
			}
		default:
			if fc.targets, err = fc.order(*orderFile); err != nil {
				return err
			}
		}
		return fc.run(ctx)
	}
	return c
}

// jobsFlag reads -j ("" is the number of CPUs).
func jobsFlag(cmd, v string) (int, error) {
	if v == "" {
		return runtime.NumCPU(), nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, usagef(cmd, "-j %q: give how many tenants run at once, a number of 1 or more", v)
	}
	return n, nil
}

// fleetAction is the action of a fleet subcommand and its arguments.
func fleetAction(cmd, name string, args []string) (fleet.Action, error) {
	switch name {
	case "upgrade":
		switch len(args) {
		case 0:
			return fleet.Upgrade("head"), nil
		case 1:
			return fleet.Upgrade(args[0]), nil
		}
		return fleet.Action{}, usagef(cmd, "fleet upgrade takes one target, got %d (%s)", len(args), strings.Join(args, " "))
	case "downgrade":
		if len(args) != 1 {
			return fleet.Action{}, usagef(cmd, "fleet downgrade takes one target (an id, base, -1, ...)")
		}
		return fleet.Downgrade(args[0]), nil
	case "stamp":
		if len(args) == 0 {
			return fleet.Action{}, usagef(cmd, "fleet stamp needs at least one revision (an id, head, heads, base)")
		}
		return fleet.Stamp(args...), nil
	}
	if len(args) > 0 {
		return fleet.Action{}, usagef(cmd, "fleet %s takes no arguments (got %q)", name, args[0])
	}
	switch name {
	case "verify":
		return fleet.Verify(), nil
	case "check":
		return fleet.Action{}, nil // run builds it (checkAction), with the project
	}
	return fleet.Current(), nil
}

// fleetCommand is one run of a fleet subcommand.
type fleetCommand struct {
	e           *session
	name        string
	jobs        int
	keepGoing   bool
	strict      bool              // verify --strict
	canary      int               // --canary
	orderTarget string            // --order version: the target the distance is to ("" without)
	sqlFiles    map[string]string // upgrade --sql: each tenant's script
	ro          runOptions
	action      fleet.Action
	targets     []fleet.Target
	mu          sync.Mutex   // serializes the lines written as tenants finish
	writeErr    error        // the first failure to write one
	live        *liveDisplay // on a terminal: the live display; nil otherwise
}

// loadTargets reads the targets file, or lists the schemas matching
// pattern in the database of the command's URL, or reads the groups of
// retort.toml's [fleet] table.
func (fc *fleetCommand) loadTargets(ctx context.Context, file, pattern, groups string) ([]fleet.Target, error) {
	e := fc.e
	cfg, err := e.config()
	if err != nil {
		return nil, err
	}
	var targets []fleet.Target
	if groups != "" {
		if targets, err = fc.groupTargets(ctx, cfg, groups); err != nil {
			return nil, err
		}
	} else if file != "" {
		data, err := fc.readFile(file)
		if err != nil {
			return nil, &usageError{cmd: "fleet " + fc.name, msg: fmt.Sprintf("--targets %s: %v", file, err), hint: "give a file of database URLs, one per line"}
		}
		if targets, err = fleet.ParseTargets(strings.NewReader(string(data)), file, cfg.Dir); err != nil {
			for _, line := range strings.Split(string(data), "\n") {
				e.urlsRaw = append(e.urlsRaw, strings.TrimSpace(line))
			}
			return nil, listError(err)
		}
	} else {
		if err := fc.noVersionTableSchema(cfg); err != nil {
			return nil, err
		}
		u, err := e.dbURL()
		if err != nil {
			return nil, err
		}
		if targets, err = fleet.Schemas(ctx, u.Raw, pattern, cfg.Dir); err != nil {
			return nil, err
		}
	}
	for _, t := range targets {
		e.urlsRaw = append(e.urlsRaw, t.URL, t.ConnURL())
	}
	return targets, nil
}

// noVersionTableSchema refuses version_table_schema for a fleet of
// schemas, each of which has its tables in its own schema.
func (fc *fleetCommand) noVersionTableSchema(cfg *config.Config) error {
	if cfg.VersionTableSchema == "" {
		return nil
	}
	return &config.Error{Path: cfg.Path, Msg: fmt.Sprintf("version_table_schema = %q puts every tenant's version table in one schema, and a fleet of schemas puts each tenant's in its own", cfg.VersionTableSchema),
		Hint: "remove version_table_schema from retort.toml (or point -c at a configuration without it) for a fleet of schemas"}
}

// groupTargets are the tenants of the groups of retort.toml's [fleet]
// table that spec names (comma-separated; all: every group, in the
// order of their names): each URL of a group is a tenant, or, for a group
// with schemas, each matching schema of its database, named
// host:port/dbname/schema so that the schemas of two servers never share
// a name. ${VAR} in the URLs is read from the environment.
func (fc *fleetCommand) groupTargets(ctx context.Context, cfg *config.Config, spec string) ([]fleet.Target, error) {
	e := fc.e
	cmd := "fleet " + fc.name
	all := cfg.Fleet.GroupNames()
	if len(all) == 0 {
		where := "no retort.toml"
		if cfg.Path != "" {
			where = cfg.Path + " has no [fleet] group"
		}
		return nil, &usageError{cmd: cmd, msg: fmt.Sprintf("--group %s: %s", spec, where),
			hint: "name a group of tenants in retort.toml: [fleet.groups.eu] with urls = [\"postgresql://app:${EU_PW}@eu-db/acme\", ...] (docs/fleet.md)"}
	}
	var names []string
	if spec == config.AllGroups {
		names = all
	} else {
		for _, n := range strings.Split(spec, ",") {
			n = strings.TrimSpace(n)
			if _, ok := cfg.Fleet.Groups[n]; !ok {
				return nil, &usageError{cmd: cmd, msg: fmt.Sprintf("--group %s: retort.toml's [fleet] has no group %q", spec, n),
					hint: "the groups are " + strings.Join(all, ", ") + " (all: every group)"}
			}
			if slices.Contains(names, n) {
				return nil, usagef(cmd, "--group %s names group %s twice", spec, n)
			}
			names = append(names, n)
		}
	}
	lookup := func(k string) (string, bool) {
		v := e.getenv(k)
		return v, v != ""
	}
	var out []fleet.Target
	groupOf := map[string]string{}
	firstDialect, firstGroup := "", ""
	for _, name := range names {
		g := cfg.Fleet.Groups[name]
		if g.Schemas != "" {
			if err := fc.noVersionTableSchema(cfg); err != nil {
				return nil, err
			}
		}
		urls, err := g.Expand(cfg.Path, name, lookup)
		if err != nil {
			return nil, err
		}
		e.urlsRaw = append(e.urlsRaw, urls...)
		bad := func(err error) error {
			return &config.Error{Path: cfg.Path, Line: g.Line, Msg: fmt.Sprintf("[fleet.groups.%s]: %s", name, e.redact(err.Error()))}
		}
		for _, u := range urls {
			db, err := fleet.Database(u, cfg.Dir)
			if err != nil {
				return nil, bad(err)
			}
			d, err := dburl.Dialect(u)
			if err != nil {
				return nil, bad(err)
			}
			if firstDialect == "" {
				firstDialect, firstGroup = d.Name(), name
			} else if d.Name() != firstDialect {
				return nil, &config.Error{Path: cfg.Path, Line: g.Line,
					Msg:  fmt.Sprintf("[fleet.groups.%s]: a %s database (%s) in a fleet of %s databases (group %s)", name, d.Name(), db.Name, firstDialect, firstGroup),
					Hint: "one fleet runs one dialect: run each dialect's groups in a command of their own"}
			}
			ts := []fleet.Target{db}
			if g.Schemas != "" {
				if ts, err = fleet.Schemas(ctx, u, g.Schemas, cfg.Dir); err != nil {
					return nil, bad(err)
				}
				for i := range ts {
					ts[i].Name = db.Name + "/" + ts[i].Schema
				}
			}
			for _, t := range ts {
				if other, dup := groupOf[t.Name]; dup {
					in := "in groups " + other + " and " + name
					if other == name {
						in = "twice in group " + name
					}
					return nil, &config.Error{Path: cfg.Path, Line: g.Line, Msg: fmt.Sprintf("[fleet.groups.%s]: tenant %s is %s", name, t.Name, in),
						Hint: "list each database in one group"}
				}
				groupOf[t.Name] = name
				out = append(out, t)
			}
		}
	}
	return out, nil
}

// scripts is the action of fleet upgrade --sql DIR: each tenant's script
// written to DIR/NAME.sql, NAME the tenant's name with every character
// but letters, digits, '.', '_' and '-' replaced by '_'.
func (fc *fleetCommand) scripts(dir, target string) (fleet.Action, error) {
	cmd := "fleet " + fc.name
	if strings.Contains(target, ":") {
		return fleet.Action{}, &usageError{cmd: cmd, msg: "fleet upgrade --sql takes a target, not a range",
			hint: "each tenant's script starts where that tenant is: give just the target (head)"}
	}
	wd, err := fc.e.workDir()
	if err != nil {
		return fleet.Action{}, err
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(wd, dir)
	}
	files := make(map[string]string, len(fc.targets))
	byFile := map[string]string{}
	for _, t := range fc.targets {
		name := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
				return r
			}
			return '_'
		}, t.Name) + ".sql"
		if other, dup := byFile[name]; dup {
			return fleet.Action{}, &usageError{cmd: cmd, msg: fmt.Sprintf("tenants %s and %s would both write %s", other, t.Name, name),
				hint: "give the tenants names that differ in more than punctuation, or run them in two fleets"}
		}
		byFile[name] = t.Name
		files[t.Name] = filepath.Join(dir, name)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fleet.Action{}, &usageError{cmd: cmd, msg: fmt.Sprintf("--sql %s: %v", dir, err)}
	}
	fc.sqlFiles = files
	return fleet.UpgradeSQL(target, func(t fleet.Target) (io.WriteCloser, error) {
		return os.Create(files[t.Name])
	}), nil
}

// order reads the --order file and puts the tenants it names first.
func (fc *fleetCommand) order(file string) ([]fleet.Target, error) {
	data, err := fc.readFile(file)
	if err != nil {
		return nil, &usageError{cmd: "fleet " + fc.name, msg: fmt.Sprintf("--order %s: %v", file, err), hint: "give a file of tenant names, one per line"}
	}
	out, err := fleet.ParseOrder(strings.NewReader(string(data)), file, fc.targets)
	if err != nil {
		return nil, listError(err)
	}
	return out, nil
}

// listError is the configuration error (exit 2) of a bad targets or
// order file, with the hint of a *fleet.TargetsError as its hint.
func listError(err error) error {
	var te *fleet.TargetsError
	if errors.As(err, &te) {
		return &config.Error{Msg: fmt.Sprintf("%s:%d: %s", te.File, te.Line, te.Msg), Hint: te.Hint}
	}
	return &config.Error{Msg: err.Error()}
}

// readFile reads a file named on the command line, relative to the work
// folder (-C).
func (fc *fleetCommand) readFile(file string) ([]byte, error) {
	wd, err := fc.e.workDir()
	if err != nil {
		return nil, err
	}
	if !filepath.IsAbs(file) {
		file = filepath.Join(wd, file)
	}
	return os.ReadFile(file)
}

// run runs the action over the fleet and prints what happened.
func (fc *fleetCommand) run(ctx context.Context) error {
	e := fc.e
	d, err := dburl.Dialect(fc.targets[0].URL)
	if err != nil {
		return err
	}
	proj, err := e.projectFor(d, fc.ro)
	if err != nil {
		return err
	}
	if fc.orderTarget != "" {
		// --order version: where every tenant is, then the furthest first.
		cur, err := fleet.Run(ctx, proj, fc.targets, fleet.Current(), fleet.Options{Jobs: fc.jobs, KeepGoing: true, BaseDir: e.cfg.Dir})
		if err != nil {
			return err
		}
		fc.targets = fleet.ByDistance(proj, cur, fc.orderTarget, fc.name == "downgrade")
	}
	if fc.name == "check" {
		action, closeScratch, err := fc.checkAction(ctx, proj)
		if err != nil {
			return err
		}
		defer closeScratch()
		fc.action = action
	}
	if !e.json && !e.quiet && e.terminal(e.stderr) {
		fc.live = newLiveDisplay(e.stderr, fc.name, len(fc.targets))
	}
	results, err := fleet.Run(ctx, proj, fc.targets, fc.action, fleet.Options{
		Jobs: fc.jobs, KeepGoing: fc.keepGoing, Canary: fc.canary, BaseDir: e.cfg.Dir, Progress: fc.progress,
	})
	if fc.live != nil {
		fc.live.close()
	}
	if err != nil {
		return err
	}
	if fc.writeErr != nil {
		return fc.writeErr
	}
	if !e.json {
		if fc.name == "current" {
			err = fc.printDistribution(results)
		} else {
			err = fc.printTable(results)
		}
		if err != nil {
			return err
		}
	}
	return fc.outcome(results)
}

// progress is told of each tenant as it starts and finishes: under
// --json one object per tenant on stdout, else one line per tenant on
// stderr (not for current, whose distribution says it all).
func (fc *fleetCommand) progress(ev fleet.Event) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.live != nil {
		fc.live.event(ev)
	}
	if ev.Kind != fleet.Finished {
		return
	}
	if fc.writeErr != nil {
		return
	}
	e := fc.e
	r := ev.Result
	if e.json {
		line, err := json.Marshal(fc.jsonResult(r))
		if err == nil {
			_, err = fmt.Fprintf(e.stdout, "%s\n", line)
		}
		fc.writeErr = err
		return
	}
	if e.quiet || fc.name == "current" || r.Status == fleet.NotStarted {
		return
	}
	var line string
	if r.Status == fleet.Done && fc.sqlFiles != nil {
		line = fmt.Sprintf("%s: wrote %s (from %s)", r.Target.Name, e.display(fc.sqlFiles[r.Target.Name]), revs(r.From))
	} else if r.Status == fleet.Done && r.Verification != nil {
		line = fmt.Sprintf("%s: %s match their files", r.Target.Name, plural(r.Verification.Matched, "revision"))
		if n := len(r.Verification.Unverified); n > 0 {
			line += fmt.Sprintf(", %d without a checksum", n)
		}
	} else if r.Status == fleet.Done && fc.name == "check" {
		line = fc.checkLine(r)
	} else if r.Status == fleet.Done {
		line = fmt.Sprintf("%s: %s %s -> %s, %s (%s)", r.Target.Name, fc.name, revs(r.From), revs(r.To), plural(len(r.Steps), "step"), formatDuration(r.Duration))
	} else if r.Known {
		line = fmt.Sprintf("%s: FAILED at %s: %s", r.Target.Name, revs(r.To), firstLine(e.redact(r.Err.Error())))
	} else {
		line = fmt.Sprintf("%s: FAILED: %s", r.Target.Name, firstLine(e.redact(r.Err.Error())))
	}
	line = fmt.Sprintf("[%d/%d] %s", ev.Finished, ev.Total, line)
	if fc.live != nil {
		fc.live.println(line)
		return
	}
	fmt.Fprintln(e.stderr, line)
}

// jsonTenant is one line of fleet --json.
type jsonTenant struct {
	Tenant string   `json:"tenant"`
	Schema string   `json:"schema,omitempty"`
	Status string   `json:"status"` // done, failed, not started
	From   []string `json:"from"`   // null when not read (not started, not reached)
	To     []string `json:"to"`
	Steps  []string `json:"steps"` // the revisions of the steps committed
	MS     int64    `json:"ms"`
	Error  string   `json:"error,omitempty"`
	Dirty  string   `json:"dirty,omitempty"` // the revision of the step left unfinished
	// Differences are, for fleet check, the operations that would bring
	// the tenant to the desired schema, then the differences no operation
	// expresses.
	Differences []string `json:"differences,omitempty"`
}

func (fc *fleetCommand) jsonResult(r *fleet.Result) jsonTenant {
	j := jsonTenant{Tenant: r.Target.Name, Schema: r.Target.Schema, Status: string(r.Status),
		Steps: []string{}, MS: r.Duration.Milliseconds()}
	if r.Known {
		j.From, j.To = nonNil(r.From), nonNil(r.To)
	}
	for _, s := range r.Steps {
		j.Steps = append(j.Steps, s.Revision)
	}
	if r.Err != nil {
		j.Error = fc.e.redact(r.Err.Error())
	}
	if r.Dirty != nil {
		j.Dirty = r.Dirty.Revision
	}
	var d *driftError
	if errors.As(r.Err, &d) {
		j.Differences = append(slices.Clone(d.ops), d.differ...)
	}
	return j
}

// order puts the results in the order the summary lists them: done first,
// then not started, and the failures last, each group in the targets'
// order.
func order(results []fleet.Result) []fleet.Result {
	rank := map[fleet.Status]int{fleet.Done: 0, fleet.NotStarted: 1, fleet.Failed: 2}
	out := slices.Clone(results)
	slices.SortStableFunc(out, func(a, b fleet.Result) int { return rank[a.Status] - rank[b.Status] })
	return out
}

// printTable prints, on stdout, a row per tenant (failures last) and a
// count of each outcome.
func (fc *fleetCommand) printTable(results []fleet.Result) error {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TENANT\tSTATUS\tFROM\tTO\tSTEPS\tTIME\tERROR")
	for _, r := range order(results) {
		from, to, steps, took, msg := revs(r.From), revs(r.To), strconv.Itoa(len(r.Steps)), formatDuration(r.Duration), ""
		switch {
		case r.Status == fleet.NotStarted:
			from, to, steps, took = "-", "-", "-", "-"
		case !r.Known:
			from, to = "?", "?"
		}
		if r.Err != nil {
			msg = firstLine(fc.e.redact(r.Err.Error()))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Target.Name, r.Status, from, to, steps, took, msg)
	}
	tw.Flush()
	b.WriteString(fc.counts(results) + "\n")
	_, err := io.WriteString(fc.e.stdout, trimLines(b.String()))
	return err
}

// trimLines removes the blanks that tabwriter leaves at the end of a row
// whose last cell is empty.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// counts is the summary line: how many tenants, and how many of each
// outcome.
func (fc *fleetCommand) counts(results []fleet.Result) string {
	n := map[fleet.Status]int{}
	for _, r := range results {
		n[r.Status]++
	}
	parts := []string{fmt.Sprintf("%d done", n[fleet.Done])}
	if n[fleet.Failed] > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", n[fleet.Failed]))
	}
	if n[fleet.NotStarted] > 0 {
		parts = append(parts, fmt.Sprintf("%d not started", n[fleet.NotStarted]))
	}
	return fmt.Sprintf("%s: %s", plural(len(results), "tenant"), strings.Join(parts, ", "))
}

// printDistribution prints, on stdout, how many tenants are at each
// revision, the most first, then the tenants that are dirty or could not
// be read.
func (fc *fleetCommand) printDistribution(results []fleet.Result) error {
	count := map[string]int{}
	heads := fc.e.graph.Heads()
	for _, r := range results {
		if r.Status == fleet.Done {
			count[revs(r.To)]++
		}
	}
	keys := slices.Collect(maps.Keys(count))
	slices.SortFunc(keys, func(a, b string) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		return strings.Compare(a, b)
	})
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REVISION\tTENANTS")
	for _, k := range keys {
		label := k
		if k == strings.Join(heads, ",") {
			label += " (head)"
		}
		fmt.Fprintf(tw, "%s\t%d\n", label, count[k])
	}
	tw.Flush()
	for _, r := range order(results) {
		switch {
		case r.Status == fleet.Failed:
			fmt.Fprintf(&b, "%s: could not be read: %s\n", r.Target.Name, firstLine(fc.e.redact(r.Err.Error())))
		case r.Dirty != nil:
			fmt.Fprintf(&b, "%s: dirty: %s (%s) did not finish\n", r.Target.Name, r.Dirty.Revision, r.Dirty.Direction)
		}
	}
	b.WriteString(fc.counts(results) + "\n")
	_, err := io.WriteString(fc.e.stdout, b.String())
	return err
}

// outcome is the command's error when a tenant failed or was not
// started (exit 1), with the recovery of the dirty ones as its hint.
func (fc *fleetCommand) outcome(results []fleet.Result) error {
	var failed, notStarted, unverified int
	var dirty []string
	for _, r := range results {
		if r.Verification != nil && len(r.Verification.Unverified) > 0 {
			unverified++
		}
		switch r.Status {
		case fleet.Failed:
			failed++
		case fleet.NotStarted:
			notStarted++
		}
		if r.Dirty != nil {
			dirty = append(dirty, fc.resolveLine(r))
		}
	}
	if failed == 0 && notStarted == 0 && unverified > 0 {
		msg := fmt.Sprintf("%d of %s applied revisions with no checksum (stamped, or applied by another tool)", unverified, plural(len(results), "tenant"))
		hint := "check their files, then `retort --url URL verify --record` records their checksums, tenant by tenant"
		if fc.strict {
			return &hinted{err: fmt.Errorf("%s", msg), hint: hint}
		}
		fc.e.log.Warn(msg + "; hint: " + hint + "; with --strict this is an error")
	}
	if failed == 0 && notStarted == 0 {
		if len(dirty) > 0 {
			return &hinted{err: fmt.Errorf("%d of %s left dirty", len(dirty), plural(len(results), "tenant")),
				hint: "check each by hand, then record what you found:\n" + strings.Join(dirty, "\n")}
		}
		return nil
	}
	msg := fmt.Sprintf("%d of %s failed", failed, plural(len(results), "tenant"))
	if notStarted > 0 {
		msg += fmt.Sprintf(", %d not started", notStarted)
	}
	hint := "fix the failures listed last, then run the same command again: tenants already at the target are not touched"
	if fc.name == "check" && failed > 0 {
		if h := checkHint(results); h != "" {
			hint = h
		}
	}
	canaryFailed := false
	for _, r := range results[:min(fc.canary, len(results))] {
		canaryFailed = canaryFailed || r.Status == fleet.Failed
	}
	switch {
	case canaryFailed:
		hint = "a canary failed, so no other tenant was started: " + hint
	case failed > 0 && !fc.keepGoing && notStarted > 0:
		hint += " (--keep-going goes on after a failure)"
	}
	if len(dirty) > 0 {
		hint = "tenants left dirty: check each by hand, then record what you found:\n" + strings.Join(dirty, "\n") + "\nthen " + hint
	}
	return &hinted{err: fmt.Errorf("%s", msg), hint: hint}
}

// resolveLine is the command that resolves a dirty tenant, with its URL
// redacted when it holds a password.
func (fc *fleetCommand) resolveLine(r fleet.Result) string {
	self := "retort"
	if fc.e.dir != "" {
		self += " -C " + shellQuote(fc.e.dir)
	}
	if fc.e.cfgFile != "" {
		self += " -c " + shellQuote(fc.e.cfgFile)
	}
	u := r.Target.ConnURL()
	note := ""
	if red := config.Redact(u); red != u {
		u, note = red, " (put the password in place of ***)"
	}
	return fmt.Sprintf("  %s: %s --url %s resolve %s --applied|--rolled-back%s",
		r.Target.Name, self, shellQuote(u), shellQuote(r.Dirty.Revision), note)
}

// revs is a tenant's revisions as the table shows them: comma-separated,
// "base" for none.
func revs(ids []string) string {
	if len(ids) == 0 {
		return "base"
	}
	return strings.Join(ids, ",")
}

// firstLine is the first line of s, and the next one when the first ends
// with a colon (the cause it announces).
func firstLine(s string) string {
	first, rest, _ := strings.Cut(s, "\n")
	if strings.HasSuffix(first, ":") {
		// The cause is on the next line (pgx: "failed to connect to
		// `user=app database=x`:\n\thost: dial error: ..."): keep it.
		next, _, _ := strings.Cut(rest, "\n")
		if next = strings.TrimSpace(next); next != "" {
			first += " " + next
		}
	}
	return first
}

// liveDisplay is fleet's display on a terminal: a bar of the tenants
// finished (with the rate and the time left), and the counts of failed
// and running tenants with the step each running one last committed,
// redrawn in place under the lines of the tenants that finished. The
// caller serializes its calls.
type liveDisplay struct {
	w       io.Writer
	bar     *progressbar.ProgressBar
	failed  int
	running []string          // the running tenants, in the order they started
	step    map[string]string // the last step each running tenant committed
}

func newLiveDisplay(w io.Writer, kind string, total int) *liveDisplay {
	l := &liveDisplay{w: w, step: map[string]string{}}
	l.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(kind),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("tenants"),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionUseANSICodes(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true))
	return l
}

// maxShown is how many running tenants the display names.
const maxShown = 3

// event updates the display for ev.
func (l *liveDisplay) event(ev fleet.Event) {
	name := ev.Target.Name
	switch ev.Kind {
	case fleet.Started:
		l.running = append(l.running, name)
	case fleet.Step:
		l.step[name] = ev.Step.Revision
	case fleet.Finished:
		// A tenant cancelled as it started finishes not started: it
		// leaves the running ones, and the bar counts only those that ran.
		l.running = slices.DeleteFunc(l.running, func(s string) bool { return s == name })
		delete(l.step, name)
		if ev.Result.Status == fleet.NotStarted {
			l.bar.Describe(l.describe())
			return
		}
		if ev.Result.Status == fleet.Failed {
			l.failed++
		}
		_ = l.bar.Add(1)
	}
	l.bar.Describe(l.describe())
}

// describe is the text after the bar: failures, and the running tenants
// with their last step.
func (l *liveDisplay) describe() string {
	var b strings.Builder
	if l.failed > 0 {
		fmt.Fprintf(&b, "%d failed, ", l.failed)
	}
	fmt.Fprintf(&b, "%d running", len(l.running))
	for i, name := range l.running {
		if i == maxShown {
			fmt.Fprintf(&b, " +%d", len(l.running)-maxShown)
			break
		}
		b.WriteString(" " + name)
		if s := l.step[name]; s != "" {
			b.WriteString("@" + s)
		}
	}
	return b.String()
}

// println writes a line above the display.
func (l *liveDisplay) println(line string) {
	_ = l.bar.Clear()
	fmt.Fprintln(l.w, line)
	_ = l.bar.RenderBlank()
}

// close removes the display.
func (l *liveDisplay) close() { _ = l.bar.Clear() }
