package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/internal/lintstate"
	"github.com/retortdb/retort/lint"
	"github.com/retortdb/retort/lint/pgtrace"
)

// checkTrace checks, before anything is read, that lint --trace can
// run: PostgreSQL among the dialects linted and a PostgreSQL server for
// its scratch databases (dev_url, else the database URL's server).
func (l *linter) checkTrace() error {
	if !slices.Contains(l.dialects, lint.Postgres) {
		return &usageError{cmd: "lint", msg: fmt.Sprintf("--trace runs the statements on PostgreSQL, and this lint is for %s", strings.Join(l.dialects, ", ")),
			hint: "lint with --dialect postgres and a PostgreSQL server in dev_url (retort.toml)"}
	}
	server := l.e.scratchServer(l.raw)
	if server == "" {
		return &config.Error{Path: l.cfg.Path, Msg: "--trace needs a PostgreSQL server to make its scratch database on, and there is no dev_url nor database URL",
			Hint: "set dev_url = \"postgresql://user@host/postgres\" in retort.toml (a server where retort may create databases), or pass --url"}
	}
	d, err := dburl.Dialect(server)
	if err != nil {
		return err
	}
	if d.Name() != lint.Postgres {
		what := "the database URL"
		if l.cfg.DevURL != "" {
			what = "dev_url"
		}
		return &config.Error{Path: l.cfg.Path, Msg: fmt.Sprintf("--trace runs on PostgreSQL, and %s is a %s server", what, d.Name()),
			Hint: "set dev_url = \"postgresql://user@host/postgres\" in retort.toml: the scratch database is made there"}
	}
	return nil
}

// trace traces the PostgreSQL statements of revs, oldest first, each on
// a PostgreSQL scratch database where the revisions before it were
// replayed (internal/lintstate's Replayer, as the schema state's): one
// scratch database serves successive revisions of a branch; another
// branch, or a trace that had to commit part of a revision, makes a new
// one.
func (l *linter) trace(ctx context.Context, revs []*lint.Revision) (out []lint.Trace, err error) {
	ss, err := l.e.loadScripts()
	if err != nil {
		return nil, err
	}
	server := l.e.scratchServer(l.raw)
	d, err := dburl.Dialect(server)
	if err != nil {
		return nil, err
	}
	// The project as retort runs it, in PostgreSQL, without the
	// timeouts: the replay and the trace wait for no one.
	proj, err := retort.NewProject(d, ss,
		retort.WithVersionTable(l.cfg.VersionTable),
		retort.WithHistoryTable(l.cfg.HistoryTable),
		retort.WithSchema(l.cfg.VersionTableSchema),
		retort.WithXArgs(l.e.xargs),
		retort.WithLogger(stepLogger(l.e.log, true)))
	if err != nil {
		return nil, err
	}
	r := lintstate.NewReplayer(proj, server, l.cfg.Dir)
	defer func() { err = errors.Join(err, r.Close()) }()
	g := proj.Graph()
	for _, rev := range revs {
		stmts := rev.Statements[lint.Postgres]
		if len(stmts) == 0 {
			continue
		}
		if rev.ID == "" || g.Info(rev.ID) == nil {
			out = append(out, lint.Trace{File: rev.Path, Line: stmts[0].Line, Revision: rev.ID, Statement: stmts[0].Text,
				Skipped: "the file is no revision of the project's graph, so the schema it runs on is unknown"})
			continue
		}
		if err := r.Before(ctx, rev.ID); err != nil {
			var re *lintstate.ReplayError
			var se *lintstate.ScratchError
			switch {
			case errors.As(err, &re):
				return nil, fmt.Errorf("trace: replaying the revisions before %s on the scratch database (upgrade %s): %w", rev.ID, re.Target, re.Err)
			case errors.As(err, &se):
				return nil, se.Err
			}
			return nil, err
		}
		res, err := pgtrace.Revision(ctx, r.DB().SQL, rev)
		if err != nil {
			return nil, err
		}
		if res.Committed {
			r.Discard() // part of the revision stayed: the next starts afresh
		}
		out = append(out, res.Traces...)
	}
	return out, nil
}
