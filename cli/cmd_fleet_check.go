package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/diff"
	"github.com/retortdb/retort/fleet"
	"github.com/retortdb/retort/internal/scratch"
	"github.com/retortdb/retort/schema"
)

// notAtHeadsError fails a tenant of fleet check that is not at the
// revisions' heads.
type notAtHeadsError struct{ at, heads []string }

func (e *notAtHeadsError) Error() string {
	return fmt.Sprintf("not up to date: at %s, the revisions' heads are %s", revs(e.at), revs(e.heads))
}

// driftError fails a tenant of fleet check whose schema differs from
// the desired schema: the operations autogenerate would write, and the
// differences no operation expresses.
type driftError struct{ ops, differ []string }

func (e *driftError) Error() string {
	what := plural(len(e.ops), "operation")
	if len(e.differ) > 0 {
		what += fmt.Sprintf(" and %s no operation expresses", plural(len(e.differ), "difference"))
	}
	first := ""
	if len(e.ops) > 0 {
		first = " (first: " + firstLine(e.ops[0]) + ")"
	} else if len(e.differ) > 0 {
		first = " (first: " + firstLine(e.differ[0]) + ")"
	}
	return "differs from the desired schema: " + what + first
}

// hasDesired reports whether the project has a desired schema in this
// process: desired files in retort.toml, or Go code registered in this
// migrations program.
func (e *session) hasDesired() bool {
	return e.desired != nil || len(e.cfg.Desired) > 0
}

// checkAction is fleet check's action: each tenant must be at the
// revisions' heads and, when the project has a desired schema, match
// it, as `retort check` checks one database. The desired schema is
// applied once to a scratch database (on dev_url's server, or the first
// tenant's) and read back for each tenant; close drops the scratch
// database.
func (fc *fleetCommand) checkAction(ctx context.Context, proj *retort.Project) (action fleet.Action, close func() error, err error) {
	e := fc.e
	var s *scratch.DB
	close = func() error { return nil }
	if e.hasDesired() {
		if s, err = e.scratchDB(ctx, fc.targets[0].URL, proj.Dialect()); err != nil {
			return fleet.Action{}, nil, err
		}
		close = s.Close
		if err := e.applyDesired(ctx, s); err != nil {
			return fleet.Action{}, nil, errors.Join(err, s.Close())
		}
	}
	var mu sync.Mutex // one reader of the scratch database at a time
	return fleet.Check(func(ctx context.Context, t fleet.Target, p *retort.Provider) error {
		cur, err := p.Current(ctx)
		if err != nil {
			return err
		}
		if heads := p.Project().Heads(); !slices.Equal(cur, heads) {
			return &notAtHeadsError{at: cur, heads: heads}
		}
		if s == nil {
			return nil
		}
		tp := p.Project()
		dopts := e.diffOptions(tp)
		schemas := e.compareSchemas()
		if t.Schema != "" {
			// A schema tenant is its schema: the connection's default one.
			schemas = []string{""}
		}
		live, want := &schema.Schema{}, &schema.Schema{}
		for _, sch := range schemas {
			opts := compareOptions(tp, dopts, sch)
			l, err := e.liveSchema(ctx, p, opts)
			if err != nil {
				return err
			}
			mu.Lock()
			w, err := e.inspectDesired(ctx, s, opts)
			mu.Unlock()
			if err != nil {
				return err
			}
			if sch == "" {
				live.Name, want.Name = l.Name, l.Name
			}
			merge(live, l)
			merge(want, w)
		}
		res, err := diff.Compare(live, want, dopts)
		if err != nil {
			return err
		}
		d := &driftError{}
		for _, o := range res.Upgrade {
			d.ops = append(d.ops, o.String())
		}
		for _, n := range res.Notes {
			if n.Kind == diff.NoteNotGenerated && !n.Downgrade {
				d.differ = append(d.differ, n.Msg)
			}
		}
		if len(d.ops) > 0 || len(d.differ) > 0 {
			return d
		}
		return nil
	}), close, nil
}

// checkLine is fleet check's line for a tenant that passed.
func (fc *fleetCommand) checkLine(r *fleet.Result) string {
	line := fmt.Sprintf("%s: at %s (the heads)", r.Target.Name, revs(r.To))
	if fc.e.hasDesired() {
		line += ", matches the desired schema"
	}
	return line
}

// checkHint is the hint of fleet check when tenants failed.
func checkHint(results []fleet.Result) string {
	var behind, drift bool
	for _, r := range results {
		var nh *notAtHeadsError
		var d *driftError
		behind = behind || errors.As(r.Err, &nh)
		drift = drift || errors.As(r.Err, &d)
	}
	var hints []string
	if behind {
		hints = append(hints, "`retort fleet upgrade` (with the same tenants) brings the tenants behind to the heads")
	}
	if drift {
		hints = append(hints, "a tenant that differs from the desired schema: `retort --url URL check` lists the operations; write them as a revision (`retort revision --autogenerate`) or change the desired schema")
	}
	return strings.Join(hints, "; ")
}
