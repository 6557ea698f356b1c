// Package gate lints an upgrade before it runs: it makes the
// retort.Preflight that retort.toml's lint_on_upgrade = true installs,
// for any program that embeds retort (retort.WithPreflight). The
// revisions of the upgrade's plan are linted as retort lint lints them,
// for the project's dialect; an error finding (under Strict, a warning
// too) refuses the upgrade before the database or the script is
// touched.
//
// It is a package of its own, not part of retort: package lint's tests
// make scratch databases through packages that import retort, so retort
// cannot import lint; gate imports both.
package gate

import (
	"context"
	"fmt"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/lint"
)

// Options configure the lint of an upgrade.
type Options struct {
	// Settings are the rules' settings: [lint.rules], the timeouts
	// retort sets, lint.server_version. Online the connected server's
	// version (and MySQL's sql_mode) replace Server and SQLMode, unless
	// KeepServer is set.
	Settings lint.Settings
	// KeepServer checks the version rules by Settings.Server online too.
	KeepServer bool
	// Strict refuses the upgrade on warnings too.
	Strict bool
	// XArgs are the -x values Go revisions read while their operations
	// are recorded (retort.WithXArgs' values).
	XArgs map[string]string
	// Report is given the lint's result when it has findings, before
	// the upgrade is refused or goes on: the place to show them
	// (Result.Write). Its error refuses the upgrade. nil shows nothing.
	Report func(ctx context.Context, res *lint.Result) error
}

// Error is the refusal: the findings that failed the lint.
type Error struct {
	Result    *lint.Result
	Revisions int // the number of revisions linted
}

func (e *Error) Error() string {
	what := "revision"
	if e.Revisions != 1 {
		what += "s"
	}
	return fmt.Sprintf("lint found %s in the %d %s to apply, so nothing was run", e.Result.Summary(), e.Revisions, what)
}

// NoStateReason is what the info line on the rules skipped for want of
// schema state says under the gate: it lints without replaying the
// earlier revisions.
const NoStateReason = "an upgrade lints without it (retort lint replays the earlier revisions on a scratch database)"

// Preflight returns the check to pass to retort.WithPreflight.
func Preflight(o Options) retort.Preflight {
	return func(ctx context.Context, run *retort.PreflightRun) error {
		revs, err := Revisions(ctx, run, o.XArgs)
		if err != nil {
			return err
		}
		s := o.Settings
		if s.StateMissing == "" {
			s.StateMissing = NoStateReason
		}
		if run.Conn != nil && !o.KeepServer {
			if err := liveServer(ctx, run.Conn, run.Project.Dialect().Name(), &s); err != nil {
				return err
			}
		}
		res := lint.Lint(revs, s)
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(res.Findings) > 0 && o.Report != nil {
			if err := o.Report(ctx, res); err != nil {
				return err
			}
		}
		if res.Failed(o.Strict) {
			return &Error{Result: res, Revisions: len(revs)}
		}
		return nil
	}
}

// Revisions are the lint.Revisions of the upgrade steps of run, in the
// project's dialect: SQL files split as retort lint splits them, Go
// revisions from their recorded operations. A step whose revision has
// no file of its own (a squashed revision's) is left out.
func Revisions(ctx context.Context, run *retort.PreflightRun, xargs map[string]string) ([]*lint.Revision, error) {
	d := run.Project.Dialect()
	var revs []*lint.Revision
	for _, st := range run.Steps {
		// Under the migration lock: an upgrade interrupted stops here.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if st.Revision == "" || !st.Up {
			continue
		}
		sc := run.Project.Script(st.Revision)
		if sc == nil {
			continue
		}
		if sc.Format == "go" {
			// The source carries nothing Go revisions' lint reads but
			// the file itself; a compiled program may not have it.
			src, _ := sc.Source()
			rev := &lint.Revision{ID: sc.Revision, Path: sc.Path, Source: string(src), Go: true}
			if err := lint.GoStatements(ctx, rev, sc, []dialect.Dialect{d}, xargs); err != nil {
				return nil, err
			}
			revs = append(revs, rev)
			continue
		}
		src, err := sc.Source()
		if err != nil {
			return nil, err
		}
		rev, err := lint.SQLRevision(sc.Path, src, []string{d.Name()})
		if err != nil {
			return nil, err
		}
		revs = append(revs, rev)
	}
	return revs, nil
}

// liveServer sets the server version (and MySQL's sql_mode) the rules
// check by to the connected server's.
func liveServer(ctx context.Context, q dialect.Querier, d string, s *lint.Settings) error {
	query := map[string]string{lint.Postgres: "SELECT version()", lint.MySQL: "SELECT VERSION()", lint.SQLite: "SELECT sqlite_version()"}[d]
	if query == "" {
		return nil
	}
	var answer string
	if err := q.QueryRowContext(ctx, query).Scan(&answer); err != nil {
		return fmt.Errorf("reading the server version for lint (%s): %w", query, err)
	}
	v, err := lint.LiveServerVersion(d, answer)
	if err != nil {
		return fmt.Errorf("reading the server version for lint: %w", err)
	}
	s.Server = &v
	if d == lint.MySQL {
		// RT414 checks by the sql_mode the revisions will run under:
		// retort's sessions keep the server's.
		var mode string
		if err := q.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode").Scan(&mode); err != nil {
			return fmt.Errorf("reading the server's sql_mode for lint: %w", err)
		}
		s.SQLMode = &mode
	}
	return nil
}
