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
	"github.com/retortdb/retort/internal/scratch"
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

// tracer replays revisions on a PostgreSQL scratch database so that each
// revision traced runs on the schema of the revisions before it. One
// scratch database serves successive revisions while the revisions
// applied to it are ancestors of the next one; otherwise (another
// branch, or a trace that had to commit) a new one is made.
type tracer struct {
	l     *linter
	proj  *retort.Project
	s     *scratch.DB
	p     *retort.Provider
	dirty bool // a trace committed part of a revision
}

// trace traces the PostgreSQL statements of revs, oldest first.
func (l *linter) trace(ctx context.Context, revs []*lint.Revision) (out []lint.Trace, err error) {
	ss, err := l.e.loadScripts()
	if err != nil {
		return nil, err
	}
	d, err := dburl.Dialect(l.e.scratchServer(l.raw))
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
	t := &tracer{l: l, proj: proj}
	defer func() {
		if t.s != nil {
			err = errors.Join(err, t.s.Close())
		}
	}()
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
		if err := t.replay(ctx, rev.ID); err != nil {
			return nil, err
		}
		res, err := pgtrace.Revision(ctx, t.s.SQL, rev)
		if err != nil {
			return nil, err
		}
		t.dirty = t.dirty || res.Committed
		out = append(out, res.Traces...)
	}
	return out, nil
}

// replay brings the scratch database to the revisions before id.
func (t *tracer) replay(ctx context.Context, id string) error {
	g := t.proj.Graph()
	want := slices.DeleteFunc(g.Ancestors([]string{id}), func(s string) bool { return s == id })
	if t.s != nil && !t.dirty {
		cur, err := t.p.Current(ctx)
		if err != nil {
			return fmt.Errorf("trace: reading the scratch database's revisions: %w", err)
		}
		for _, a := range g.Ancestors(cur) {
			if !slices.Contains(want, a) {
				t.dirty = true
				break
			}
		}
	}
	if t.s == nil || t.dirty {
		if t.s != nil {
			if err := t.s.Close(); err != nil {
				return err
			}
		}
		s, err := scratch.New(ctx, t.l.e.scratchServer(t.l.raw), t.l.cfg.Dir)
		if err != nil {
			return err
		}
		t.s, t.p, t.dirty = s, t.proj.Bind(s.SQL), false
	}
	info := g.Info(id)
	for _, target := range append(slices.Clone(info.Down), info.DependsOn...) {
		if _, err := t.p.Upgrade(ctx, target); err != nil {
			return fmt.Errorf("trace: replaying the revisions before %s on the scratch database (upgrade %s): %w", id, target, err)
		}
	}
	return nil
}
