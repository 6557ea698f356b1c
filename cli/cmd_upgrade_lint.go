package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/lint"
	"github.com/retortdb/retort/revision"
)

// lintBeforeUpgrade lints the revisions a plan is about to apply, as
// retort lint would for the database's dialect, when retort.toml has
// lint_on_upgrade = true: findings go to stderr (stdout may be the
// --sql script), as text or under --json as lint --json writes them; an error finding refuses the upgrade before anything
// runs. live is the connected provider (nil for --sql), whose server
// version the version rules then check by.
func lintBeforeUpgrade(ctx context.Context, e *session, plan *revision.Plan, live *retort.Provider) error {
	l := &linter{e: e, format: "text"}
	if err := l.setup(""); err != nil {
		return err
	}
	if live != nil {
		if err := l.liveServer(ctx, live); err != nil {
			return err
		}
	}
	var revs []*lint.Revision
	for _, st := range plan.Steps {
		if st.Revision == "" || !st.Up {
			continue
		}
		sc := e.script(st.Revision)
		if sc == nil {
			continue // a squashed revision's steps: its file is linted by lint
		}
		rev, err := l.read(sc, l.abs(sc.Path), sc.Path)
		if err != nil {
			return err
		}
		revs = append(revs, rev)
	}
	revs, err := l.planGo(ctx, revs)
	if err != nil {
		return err
	}
	res := lint.Lint(revs, l.settings)
	if len(res.Findings) > 0 {
		// Under --json, a JSON document of the findings (retort lint
		// --json's) comes before the error object.
		format := "text"
		if e.json {
			format = "json"
		}
		w := bufio.NewWriter(e.stderr)
		if err := res.Write(w, format); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if n := res.Count(lint.Error); n > 0 {
		return &hinted{err: fmt.Errorf("lint_on_upgrade: lint found %s in the %s to apply, so nothing was run", res.Summary(), plural(len(revs), "revision")),
			hint: "fix the statements, or suppress a finding that does not apply with `-- retort:ignore CODE reason` above the statement (docs/lint.md); lint_on_upgrade = false in retort.toml turns the check off"}
	}
	return nil
}

// lintScript lints the revisions of upgrade --sql TARGET (FROM:TO or
// TO, from base) before the script is written.
func lintScript(ctx context.Context, e *session, p *retort.Project, target string) error {
	from, to, isRange := strings.Cut(target, ":")
	if !isRange {
		from, to = "", target
	}
	g := p.Graph()
	var current []string
	if from != "" && from != "base" {
		id, err := g.ResolveOne(from)
		if err != nil {
			return err
		}
		current = []string{id}
	}
	plan, err := g.Upgrade(current, to)
	if err != nil {
		return err
	}
	return lintBeforeUpgrade(ctx, e, plan, nil)
}
