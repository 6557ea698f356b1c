package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/retortdb/retort"
)

func cmdUpgrade() *command {
	c := &command{name: "upgrade", summary: "apply revisions up to a target (default head)", args: "[TARGET] [--sql]"}
	c.run = func(ctx context.Context, e *env, args []string) error {
		f := newFlags(c.name)
		sqlOut := f.Bool("print the SQL instead of running it (TARGET may be a range FROM:TO)", "--sql")
		allow := f.Bool("run even if applied revisions' files changed since they ran", "--allow-changed")
		lock := lockFlag(f)
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if err := e.setLockTimeout(c.name, *lock); err != nil {
			return err
		}
		e.allowChanged = *allow
		target := "head"
		switch len(f.args) {
		case 0:
		case 1:
			target = f.args[0]
		default:
			return usagef(c.name, "upgrade takes one target, got %d (%s)", len(f.args), strings.Join(f.args, " "))
		}
		return migrate(ctx, e, c.name, target, *sqlOut, true)
	}
	return c
}

func cmdDowngrade() *command {
	c := &command{name: "downgrade", summary: "revert revisions down to a target", args: "TARGET [--sql]"}
	c.run = func(ctx context.Context, e *env, args []string) error {
		f := newFlags(c.name)
		sqlOut := f.Bool("print the SQL instead of running it (TARGET must be a range FROM:TO)", "--sql")
		lock := lockFlag(f)
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if err := e.setLockTimeout(c.name, *lock); err != nil {
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
		return migrate(ctx, e, c.name, target, *sqlOut, false)
	}
	return c
}

// migrate runs upgrade or downgrade, online or as SQL on stdout.
func migrate(ctx context.Context, e *env, name, target string, sqlOut, up bool) error {
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
	// Go revisions run in the project's migrations program (delegate.go).
	if goRev, err := e.needsProgram(); err != nil {
		return err
	} else if goRev != nil {
		return e.delegate(ctx, name, goRev)
	}
	p, err := e.provider(ctx, !sqlOut)
	if err != nil {
		return err
	}
	defer p.Close()
	switch {
	case sqlOut && up:
		return p.WriteSQL(ctx, e.stdout, target)
	case sqlOut:
		return p.WriteDowngradeSQL(ctx, e.stdout, target)
	case up:
		return e.dirtyHint(p.Upgrade(ctx, to))
	}
	return e.dirtyHint(p.Downgrade(ctx, to))
}

func cmdStamp() *command {
	c := &command{name: "stamp", summary: "set the version table without running migrations", args: "REV... [--purge] [--sql]"}
	c.run = func(ctx context.Context, e *env, args []string) error {
		f := newFlags(c.name)
		sqlOut := f.Bool("print the SQL instead of running it (REV may be FROM:REV)", "--sql")
		purge := f.Bool("empty the version table first (no checks against it)", "--purge")
		lock := lockFlag(f)
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if err := e.setLockTimeout(c.name, *lock); err != nil {
			return err
		}
		if len(f.args) == 0 {
			return usagef(c.name, "stamp needs at least one revision (an id, head, heads, base, LABEL@head)")
		}
		if *purge && *sqlOut {
			return usagef(c.name, "--purge cannot be used with --sql")
		}
		p, err := e.provider(ctx, !*sqlOut)
		if err != nil {
			return err
		}
		defer p.Close()
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
			start, err := retort.StartHeads(p.Graph(), from)
			if err != nil {
				return err
			}
			return p.Migrator().StampSQL(ctx, e.stdout, start, targets)
		}
		if *purge {
			return p.StampPurge(ctx, f.args...)
		}
		return p.Stamp(ctx, f.args...)
	}
	return c
}

func lockFlag(f *flags) *string {
	return f.String("DURATION", "give up waiting for another runner's lock after this long (e.g. 30s; default: wait)", "--lock-timeout")
}

func (e *env) setLockTimeout(cmd, v string) error {
	if v == "" {
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return usagef(cmd, "--lock-timeout %q: give a duration such as 30s or 2m", v)
	}
	e.lockTimeout = d
	return nil
}

func cmdResolve() *command {
	c := &command{name: "resolve", summary: "clear a step that did not finish, after checking the database by hand", args: "REV --applied|--rolled-back"}
	c.run = func(ctx context.Context, e *env, args []string) error {
		f := newFlags(c.name)
		applied := f.Bool("the step's changes are all in the database: record it as done", "--applied")
		rolledBack := f.Bool("the step's changes are not in the database: record that it did not happen", "--rolled-back")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if len(f.args) != 1 || *applied == *rolledBack {
			return usagef(c.name, "resolve takes the dirty revision and one of --applied or --rolled-back")
		}
		err := e.withProvider(ctx, func(p *retort.Provider) error {
			return p.Resolve(ctx, f.args[0], *applied)
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
	c := &command{name: "verify", summary: "compare applied revisions' files with the checksums recorded when they ran", args: ""}
	c.run = func(ctx context.Context, e *env, args []string) error {
		f := newFlags(c.name)
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if len(f.args) > 0 {
			return usagef(c.name, "verify takes no arguments")
		}
		var changed []retort.ChecksumMismatch
		err := e.withProvider(ctx, func(p *retort.Provider) error {
			var err error
			changed, err = p.Verify(ctx)
			return err
		})
		if err != nil {
			return err
		}
		if e.json {
			type item struct {
				Revision string `json:"revision"`
				Path     string `json:"path"`
				Applied  string `json:"applied_checksum"`
				Now      string `json:"file_checksum"`
			}
			out := []item{}
			for _, c := range changed {
				out = append(out, item{c.Revision, c.Path, c.Applied, c.Now})
			}
			if err := writeJSON(e.stdout, out); err != nil {
				return err
			}
		} else {
			for _, c := range changed {
				fmt.Fprintf(e.stdout, "%s %s: changed since it ran (sha256 %s, now %s)\n", c.Revision, c.Path, c.Applied[:12], c.Now[:12])
			}
		}
		if len(changed) > 0 {
			return &hinted{err: fmt.Errorf("%d applied revision file(s) changed since they ran", len(changed)),
				hint: "restore the files: a change to an applied revision never reaches the database"}
		}
		e.log.Info("Applied revisions match their files")
		return nil
	}
	return c
}
