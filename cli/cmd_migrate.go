package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/config"
)

func cmdUpgrade() *command {
	c := &command{name: "upgrade", summary: "apply revisions up to a target (default head)", args: "[TARGET] [--sql] [--tag TAG]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		sqlOut := f.Bool("print the SQL instead of running it (TARGET may be a range FROM:TO)", "--sql")
		allow := f.Bool("run even if applied revisions' files changed since they ran", "--allow-changed")
		lock := lockFlag(f)
		tag := tagFlag(f)
		dbLock, stmt := timeoutFlags(f)
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		ro, err := runOpts(c.name, *lock, tag)
		if err == nil {
			err = ro.timeouts(c.name, *dbLock, *stmt)
		}
		if err != nil {
			return err
		}
		ro.allowChanged = *allow
		target := "head"
		switch len(f.args) {
		case 0:
		case 1:
			target = f.args[0]
		default:
			return usagef(c.name, "upgrade takes one target, got %d (%s)", len(f.args), strings.Join(f.args, " "))
		}
		return migrate(ctx, e, c.name, target, *sqlOut, true, ro)
	}
	return c
}

func cmdDowngrade() *command {
	c := &command{name: "downgrade", summary: "revert revisions down to a target", args: "TARGET [--sql] [--tag TAG]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		sqlOut := f.Bool("print the SQL instead of running it (TARGET must be a range FROM:TO)", "--sql")
		lock := lockFlag(f)
		tag := tagFlag(f)
		dbLock, stmt := timeoutFlags(f)
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		ro, err := runOpts(c.name, *lock, tag)
		if err == nil {
			err = ro.timeouts(c.name, *dbLock, *stmt)
		}
		if err != nil {
			return err
		}
		if len(f.args) != 1 {
			return usagef(c.name, "downgrade takes one target (an id, base, -1, LABEL@-1, ...)")
		}
		target := f.args[0]
		if *sqlOut && !strings.Contains(target, ":") {
			return &usageError{cmd: c.name, msg: "downgrade --sql needs a range FROM:TO",
				hint: "offline, retort cannot read where the database is: say it, e.g. `retort downgrade head:base --sql`"}
		}
		return migrate(ctx, e, c.name, target, *sqlOut, false, ro)
	}
	return c
}

// migrate runs upgrade or downgrade, online or as SQL on stdout.
func migrate(ctx context.Context, e *session, name, target string, sqlOut, up bool, ro runOptions) error {
	_, to, isRange := strings.Cut(target, ":")
	if !isRange {
		to = target
	}
	if isRange && !sqlOut {
		return &usageError{cmd: name, msg: "a range FROM:TO works only with --sql",
			hint: "online, retort reads where the database is; give just the target"}
	}
	if to == "" {
		return usagef(name, "empty target")
	}
	// A script reads the body of every revision it runs: read each file
	// once, whole, when loading the graph.
	e.wholeFiles = sqlOut
	// Go revisions run in the project's migrations program (delegate.go).
	if goRev, err := e.needsProgram(); err != nil {
		return err
	} else if goRev != nil {
		return e.delegate(ctx, name, revisionNeed(goRev))
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	if up && cfg.LintOnUpgrade {
		// Upgrade lints the revisions it is about to apply first
		// (lint/gate): online under the migration lock, before it
		// changes anything; offline before the script is written.
		pf, err := lintPreflight(e)
		if err != nil {
			return err
		}
		ro.preflight = pf
	}
	if sqlOut {
		// One write to stderr per 16 KiB of step lines, not one per
		// step: a script of thousands of steps is written in a blink,
		// and the lines all come out before the command ends (and
		// before its error, if any).
		bw := bufio.NewWriterSize(e.stderr, 16<<10)
		defer bw.Flush()
		e.log = newLogger(bw, e.options)
		p, _, err := e.project(ro)
		if err != nil {
			return err
		}
		if up {
			return p.WriteUpgradeSQL(ctx, e.stdout, target)
		}
		return p.WriteDowngradeSQL(ctx, e.stdout, target)
	}
	report := e.startRun(name)
	p, err := e.provider(ctx, ro)
	if err != nil {
		return err
	}
	defer p.Close()
	run, plan := p.Downgrade, p.PlanDowngrade
	if up {
		run, plan = p.Upgrade, p.PlanUpgrade
	}
	report.plan(func() (int, error) {
		pl, err := plan(ctx, to)
		if err != nil {
			return 0, err
		}
		return len(pl.Steps), nil
	})
	res, err := run(ctx, to)
	return e.dirtyHint(report.finish(res, err, to))
}

func cmdStamp() *command {
	c := &command{name: "stamp", summary: "set the version table without running migrations", args: "REV... [--purge] [--sql] [--tag TAG]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		sqlOut := f.Bool("print the SQL instead of running it (REV may be FROM:REV)", "--sql")
		purge := f.Bool("empty the version table first (no checks against it)", "--purge")
		lock := lockFlag(f)
		tag := tagFlag(f)
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		ro, err := runOpts(c.name, *lock, tag)
		if err != nil {
			return err
		}
		if len(f.args) == 0 {
			return usagef(c.name, "stamp needs at least one revision (an id, head, heads, base, LABEL@head)")
		}
		if *purge && *sqlOut {
			return usagef(c.name, "--purge cannot be used with --sql")
		}
		var report *runReport
		if !*sqlOut {
			report = e.startRun(c.name)
		}
		if *sqlOut {
			var from string
			var targets []string
			for _, a := range f.args {
				s, t, ok := strings.Cut(a, ":")
				if ok {
					if from != "" && s != from {
						return usagef(c.name, "stamp --sql takes one starting revision (got %s and %s)", from, s)
					}
					from = s
				} else {
					t = a
				}
				targets = append(targets, t)
			}
			p, _, err := e.project(ro)
			if err != nil {
				return err
			}
			return p.WriteStampSQL(ctx, e.stdout, from, targets...)
		}
		p, err := e.provider(ctx, ro)
		if err != nil {
			return err
		}
		defer p.Close()
		stamp := p.Stamp
		if *purge {
			stamp = p.StampPurge
		}
		res, err := stamp(ctx, f.args...)
		return report.finish(res, err, strings.Join(f.args, ", "))
	}
	return c
}

func lockFlag(f *flags) *string {
	return f.String("DURATION", "give up waiting for another runner's lock after this long (e.g. 30s; default: wait)", "--lock-timeout")
}

// tagFlag is --tag, a list so that an empty or repeated tag is an error.
func tagFlag(f *flags) *[]string {
	return f.List("TAG", "record TAG (a release, a ticket) in the history row of every step of this run", "--tag")
}

// timeoutFlags are --db-lock-timeout and --statement-timeout, which
// override retort.toml's lock_timeout and statement_timeout for one run.
// The first is not named --lock-timeout, which was the wait for another
// runner's migration lock before these settings existed.
func timeoutFlags(f *flags) (dbLock, stmt *string) {
	dbLock = f.String("DURATION", "each revision statement's wait for a lock another session holds, e.g. 5s (PostgreSQL lock_timeout, MySQL lock_wait_timeout; overrides lock_timeout in retort.toml; 0: the database's)", "--db-lock-timeout")
	stmt = f.String("DURATION", "each revision statement's longest run, e.g. 15min (PostgreSQL statement_timeout, MariaDB max_statement_time; overrides statement_timeout in retort.toml; 0: the database's)", "--statement-timeout")
	return dbLock, stmt
}

// runOptions are the options of the commands that run or record steps
// (upgrade, downgrade, stamp, verify): parsed from their flags and
// passed to provider.
type runOptions struct {
	lockTimeout  time.Duration
	allowChanged bool
	tag          string // recorded in the history rows
	quiet        bool   // steps are not logged (check --roundtrip's scratch runs)
	// dbLockTimeout and statementTimeout override retort.toml's
	// lock_timeout and statement_timeout when set (flag given).
	dbLockTimeout, statementTimeout *time.Duration
	preflight                       retort.Preflight // lint_on_upgrade's check (cmd_upgrade_lint.go); nil: none
}

// timeouts reads --db-lock-timeout and --statement-timeout ("" when not
// given).
func (ro *runOptions) timeouts(cmd, dbLock, stmt string) error {
	for _, x := range []struct {
		flag, v string
		to      **time.Duration
	}{{"--db-lock-timeout", dbLock, &ro.dbLockTimeout}, {"--statement-timeout", stmt, &ro.statementTimeout}} {
		if x.v == "" {
			continue
		}
		d, msg := config.ParseTimeout(x.flag, x.v)
		if msg != "" {
			return usagef(cmd, "%s", msg)
		}
		*x.to = &d
	}
	return nil
}

// runOpts reads --lock-timeout and --tag.
func runOpts(cmd, lock string, tags *[]string) (runOptions, error) {
	d, err := lockTimeout(cmd, lock)
	if err != nil {
		return runOptions{}, err
	}
	tag, err := tagOf(cmd, tags)
	return runOptions{lockTimeout: d, tag: tag}, err
}

func tagOf(cmd string, tags *[]string) (string, error) {
	switch len(*tags) {
	case 0:
		return "", nil
	case 1:
	default:
		return "", usagef(cmd, "--tag given %d times (%s): a run records one tag", len(*tags), strings.Join(*tags, ", "))
	}
	v := (*tags)[0]
	if strings.TrimSpace(v) == "" {
		return "", usagef(cmd, "--tag is empty: give a tag such as a release number, or leave the option out")
	}
	if err := retort.CheckTag(v); err != nil {
		return "", usagef(cmd, "--tag: %v", err)
	}
	return v, nil
}

func lockTimeout(cmd, v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, usagef(cmd, "--lock-timeout %q: give a duration such as 30s or 2m", v)
	}
	return d, nil
}

func cmdResolve() *command {
	c := &command{name: "resolve", summary: "clear a step that did not finish, after checking the database by hand", args: "REV --applied|--rolled-back"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		applied := f.Bool("the step's changes are all in the database: record it as done", "--applied")
		rolledBack := f.Bool("the step's changes are not in the database: record that it did not happen", "--rolled-back")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if len(f.args) != 1 || *applied == *rolledBack {
			return usagef(c.name, "resolve takes the dirty revision and one of --applied or --rolled-back")
		}
		err := e.withProvider(ctx, runOptions{}, func(p *retort.Provider) error {
			if *applied {
				return p.MarkApplied(ctx, f.args[0])
			}
			return p.MarkRolledBack(ctx, f.args[0])
		})
		if err != nil {
			return err
		}
		state := "applied"
		if *rolledBack {
			state = "rolled back"
		}
		e.log.Info(fmt.Sprintf("Resolved %s as %s", f.args[0], state))
		return nil
	}
	return c
}

func cmdVerify() *command {
	c := &command{name: "verify", summary: "compare applied revisions' files with the checksums recorded when they ran", args: "[--strict] [--record]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		strict := f.Bool("fail (exit 1) when applied revisions have no checksum to compare with", "--strict")
		record := f.Bool("first record the files' checksums for applied revisions that have none (a baseline, under the migration lock)", "--record")
		lock := lockFlag(f)
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		timeout, err := lockTimeout(c.name, *lock)
		if err != nil {
			return err
		}
		if len(f.args) > 0 {
			return usagef(c.name, "verify takes no arguments (got %q)", f.args[0])
		}
		var recorded []retort.Unverified
		var v *retort.Verification
		err = e.withProvider(ctx, runOptions{lockTimeout: timeout}, func(p *retort.Provider) error {
			var err error
			if *record {
				if recorded, err = p.RecordChecksums(ctx); err != nil {
					return err
				}
				e.log.Info(fmt.Sprintf("Recorded checksums for %s", plural(len(recorded), "revision")))
			}
			v, err = p.Verify(ctx)
			return err
		})
		if err != nil {
			return err
		}
		if err := printVerification(e, recorded, v); err != nil {
			return err
		}
		switch {
		case len(v.Changed) > 0:
			return &hinted{err: fmt.Errorf("%d applied revision file(s) changed since they ran", len(v.Changed)),
				hint: "restore the files: a change to an applied revision never reaches the database"}
		case len(v.Unverified) > 0 && *strict:
			return &hinted{err: fmt.Errorf("%s no checksum", haveCount(len(v.Unverified))),
				hint: "check that the files are what the database was built from, then record them with `retort verify --record`"}
		case len(v.Unverified) > 0:
			e.log.Warn(fmt.Sprintf("%s no checksum (stamped, or applied by another tool): nothing shows that their files are the ones applied",
				haveCount(len(v.Unverified))))
			if v.Matched > 0 {
				e.log.Info(fmt.Sprintf("The other %s", matchCount(v.Matched)))
			}
			e.log.Warn("hint: check them, then `retort verify --record` records their checksums; with --strict this is an error")
			return nil
		}
		e.log.Info("Applied revisions match their files")
		return nil
	}
	return c
}

// printVerification prints what verify found (and recorded) on stdout.
func printVerification(e *session, recorded []retort.Unverified, v *retort.Verification) error {
	if e.json {
		type item struct {
			Revision string `json:"revision"`
			Path     string `json:"path"`
			Status   string `json:"status"` // changed, unverified or recorded
			Applied  string `json:"applied_checksum"`
			Now      string `json:"file_checksum"`
		}
		out := []item{}
		for _, c := range v.Changed {
			out = append(out, item{c.Revision, c.Path, "changed", c.Applied, c.Now})
		}
		for _, u := range v.Unverified {
			out = append(out, item{u.Revision, u.Path, "unverified", "", u.Now})
		}
		for _, r := range recorded {
			out = append(out, item{r.Revision, r.Path, "recorded", r.Now, r.Now})
		}
		return writeJSON(e.stdout, out)
	}
	var b strings.Builder
	for _, r := range recorded {
		fmt.Fprintf(&b, "%s %s: checksum recorded (sha256 %s)\n", r.Revision, r.Path, r.Now[:12])
	}
	for _, c := range v.Changed {
		fmt.Fprintf(&b, "%s %s: changed since it ran (sha256 %s, now %s)\n", c.Revision, c.Path, c.Applied[:12], c.Now[:12])
	}
	for _, u := range v.Unverified {
		fmt.Fprintf(&b, "%s %s: no checksum recorded\n", u.Revision, u.Path)
	}
	_, err := io.WriteString(e.stdout, b.String())
	return err
}

// plural is "1 revision" or "N revisions".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// matchCount follows "The other": "applied revision matches its file" or
// "N applied revisions match their files".
func matchCount(n int) string {
	if n == 1 {
		return "applied revision matches its file"
	}
	return fmt.Sprintf("%d applied revisions match their files", n)
}

// haveCount is "1 revision has" or "N revisions have".
func haveCount(n int) string {
	if n == 1 {
		return "1 revision has"
	}
	return fmt.Sprintf("%d revisions have", n)
}
