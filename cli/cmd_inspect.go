package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/revision"
)

func cmdHeads() *command {
	c := &command{name: "heads", summary: "show the heads of the revision graph", args: "[-v] [--resolve-dependencies]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		verbose := f.Bool("show each head in full", "-v", "--verbose")
		resolve := f.Bool("treat revisions that others depend on as not heads", "--resolve-dependencies")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if len(f.args) > 0 {
			return usagef(c.name, "heads takes no arguments (got %q)", f.args[0])
		}
		g, err := e.loadGraph()
		if err != nil {
			return err
		}
		ids := g.Heads()
		if *resolve {
			ids = g.RealHeads()
		}
		xs := make([]entry, len(ids))
		for i, id := range ids {
			xs[i] = e.entry(g.Info(id))
		}
		return printEntries(e, xs, false, func(x entry) string {
			if *verbose {
				return x.verbose()
			}
			return x.line(lineOpts{branches: true})
		})
	}
	return c
}

func cmdBranches() *command {
	c := &command{name: "branches", summary: "show the branch points of the revision graph", args: "[-v]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		verbose := f.Bool("show each branch point in full", "-v", "--verbose")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if len(f.args) > 0 {
			return usagef(c.name, "branches takes no arguments (got %q)", f.args[0])
		}
		g, err := e.loadGraph()
		if err != nil {
			return err
		}
		walk, err := g.Walk("base", nil)
		if err != nil {
			return err
		}
		var xs []entry
		for _, info := range walk {
			if info.IsBranchPoint {
				xs = append(xs, e.entry(info))
			}
		}
		if e.json {
			return printEntries(e, xs, false, nil)
		}
		var b strings.Builder
		for _, x := range xs {
			if *verbose {
				b.WriteString(x.verbose())
			} else {
				b.WriteString(x.line(lineOpts{branches: true, tree: true}))
			}
			b.WriteString("\n")
			pad := strings.Repeat(" ", len(x.ID))
			for _, n := range x.Next {
				child := e.entry(g.Info(n))
				fmt.Fprintf(&b, "%s -> %s\n", pad, child.line(lineOpts{branches: true, doc: *verbose, tree: true}))
			}
			b.WriteString("\n")
		}
		_, err = io.WriteString(e.stdout, b.String())
		return err
	}
	return c
}

func cmdHistory() *command {
	c := &command{name: "history", summary: "list revisions from the heads down", args: "[-r RANGE] [-v] [-i]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		rng := f.String("[START]:[END]", "range to show, e.g. -r base:head, -r -3:current", "-r", "--rev-range")
		verbose := f.Bool("show each revision in full", "-v", "--verbose")
		indicate := f.Bool("mark the revisions the database is at with (current)", "-i", "--indicate-current")
		appliedRows := f.Bool("list the history table: every step applied to the database, oldest first, with its tag", "--applied")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if *appliedRows {
			return e.printApplied(ctx)
		}
		if len(f.args) > 0 {
			return usagef(c.name, "history takes no arguments (got %q); give a range with -r START:END", f.args[0])
		}
		var base, head string
		if *rng != "" {
			var ok bool
			base, head, ok = strings.Cut(strings.TrimSpace(*rng), ":")
			if !ok {
				return usagef(c.name, "history range %q needs a colon: START:END, START: or :END", *rng)
			}
		}
		g, err := e.loadGraph()
		if err != nil {
			return err
		}
		var current []string
		if base == "current" || head == "current" || *indicate {
			if current, err = e.currentRows(ctx); err != nil {
				return err
			}
		}
		if base == "" {
			base = "base"
		}
		var heads []string
		switch {
		case head == "current":
			heads = current
		case head != "":
			heads = []string{head}
		}
		if base == "current" {
			switch len(current) {
			case 0:
				base = "base"
			case 1:
				base = current[0]
			default:
				return &hinted{err: fmt.Errorf("the database has several current revisions (%s); a range cannot start at all of them", strings.Join(current, ", ")),
					hint: "start the range at one of them"}
			}
		}
		walk, err := g.Walk(base, heads)
		if err != nil {
			return err
		}
		xs := make([]entry, len(walk))
		for i, info := range walk {
			xs[i] = e.entry(info)
			if *indicate {
				for _, c := range current {
					if c == info.ID {
						xs[i].current = true
					}
				}
			}
		}
		return printEntries(e, xs, *indicate, func(x entry) string {
			if *verbose {
				return x.verbose()
			}
			return x.line(lineOpts{branches: true, doc: true, parents: true, tree: true})
		})
	}
	return c
}

func cmdShow() *command {
	c := &command{name: "show", summary: "show revisions in full", args: "REV"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if len(f.args) != 1 {
			return usagef(c.name, "show takes one revision (an id, a prefix, head, heads, current or LABEL@head)")
		}
		g, err := e.loadGraph()
		if err != nil {
			return err
		}
		var ids []string
		if f.args[0] == "current" {
			if ids, err = e.currentRows(ctx); err != nil {
				return err
			}
		} else if sq := g.Squash(f.args[0]); sq != nil {
			return e.showSquash(sq)
		} else if ids, err = g.Resolve(f.args[0]); err != nil {
			return err
		}
		xs := make([]entry, 0, len(ids))
		for _, id := range ids {
			info := g.Info(id)
			if info == nil {
				return fmt.Errorf("the database names revision %s, which no script defines", id)
			}
			xs = append(xs, e.entry(info))
		}
		return printEntries(e, xs, false, func(x entry) string { return x.verbose() })
	}
	return c
}

// showSquash shows a squashed revision, which is no node of the graph:
// what it replaces and up to where.
func (e *session) showSquash(sq *revision.Squash) error {
	sc := e.squashScript(sq.ID)
	msg, date := "", ""
	if sc != nil {
		msg, date = sc.Message, sc.CreateDate
	}
	if e.json {
		return writeJSON(e.stdout, []map[string]any{{"revision": sq.ID, "squashed": true, "target": sq.Target,
			"replaces": sq.Replaces, "message": msg, "create_date": date, "path": sq.Path}})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Rev: %s (squash)\n", sq.ID)
	fmt.Fprintf(&b, "Replaces: %s\n", strings.Join(sq.Replaces, ", "))
	fmt.Fprintf(&b, "Runs on a database that has none of them, leaving it at %s\n", sq.Target)
	fmt.Fprintf(&b, "Path: %s\n\n", sq.Path)
	for _, l := range []string{msg, "", "Revision ID: " + sq.ID, "Create Date: " + date} {
		b.WriteString(strings.TrimRight("    "+l, " ") + "\n")
	}
	_, err := io.WriteString(e.stdout, b.String())
	return err
}

func cmdCurrent() *command {
	c := &command{name: "current", summary: "show the revisions the database is at", args: "[-v]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		verbose := f.Bool("show each revision in full", "-v", "--verbose")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if len(f.args) > 0 {
			return usagef(c.name, "current takes no arguments (got %q)", f.args[0])
		}
		var rows []string
		var dirty *retort.DirtyError
		var versionTable string
		err := e.withProvider(ctx, runOptions{}, func(p *retort.Provider) error {
			var err error
			versionTable = p.Project().VersionTable().String()
			if rows, err = p.Current(ctx); err != nil {
				return err
			}
			dirty, err = p.Dirty(ctx)
			return err
		})
		if err != nil {
			return err
		}
		g := e.graph
		for _, r := range rows {
			if g.Info(r) == nil {
				// The hint comes from cli/hints.go, as for every command.
				return &retort.UnknownRevisionError{Revision: r, Table: versionTable}
			}
		}
		infos, err := g.Current(rows)
		if err != nil {
			return err
		}
		xs := make([]entry, len(infos))
		for i, info := range infos {
			xs[i] = e.entry(info)
		}
		if *verbose && !e.json {
			fmt.Fprintf(e.stdout, "Current revision(s) for %s:\n", e.redactedURL())
		}
		if e.json {
			type current struct {
				jsonRevision
				Dirty bool `json:"dirty"`
			}
			out := []any{}
			for _, x := range xs {
				out = append(out, current{x.json(false), false})
			}
			if dirty != nil {
				out = append(out, map[string]any{"revision": dirty.Revision, "direction": dirty.Direction, "dirty": true,
					"statements_done": dirty.Done, "statements": dirty.Total, "path": dirty.Path})
			}
			return writeJSON(e.stdout, out)
		}
		if err := printEntries(e, xs, false, func(x entry) string {
			if *verbose {
				return x.verbose()
			}
			return x.line(lineOpts{tree: true})
		}); err != nil {
			return err
		}
		if dirty != nil {
			fmt.Fprintf(e.stdout, "%s (dirty: %s did not finish, %d of %d statements done)\n", dirty.Revision, dirty.Direction, dirty.Done, dirty.Total)
			return &hinted{err: dirty, hint: "see `retort resolve --help`"}
		}
		return nil
	}
	return c
}

// currentRows reads the version table (empty when it does not exist).
func (e *session) currentRows(ctx context.Context) ([]string, error) {
	var rows []string
	err := e.withProvider(ctx, runOptions{}, func(p *retort.Provider) error {
		var err error
		rows, err = p.Current(ctx)
		return err
	})
	return rows, err
}

func (e *session) redactedURL() string {
	u, err := e.dbURL()
	if err != nil {
		return ""
	}
	return u.Redacted()
}

// printApplied prints the history table.
func (e *session) printApplied(ctx context.Context) error {
	var rows []retort.HistoryRow
	if err := e.withProvider(ctx, runOptions{}, func(p *retort.Provider) error {
		var err error
		rows, err = p.History(ctx)
		return err
	}); err != nil {
		return err
	}
	if e.json {
		type item struct {
			ID            int64   `json:"id"`
			Revision      string  `json:"revision"`
			Direction     string  `json:"direction"`
			Checksum      string  `json:"checksum"`
			StartedAt     string  `json:"started_at"`
			FinishedAt    string  `json:"finished_at"`
			DurationMS    *int64  `json:"duration_ms"`
			DBUser        string  `json:"db_user"`
			Hostname      string  `json:"hostname"`
			RetortVersion string  `json:"retort_version"`
			Dirty         bool    `json:"dirty"`
			StmtIndex     int     `json:"stmt_index"`
			Tag           *string `json:"tag"`
		}
		out := []item{}
		for _, r := range rows {
			it := item{r.ID, r.Revision, r.Direction, r.Checksum, r.StartedAt, r.FinishedAt, nil, r.DBUser, r.Hostname, r.RetortVersion, r.Dirty, r.StmtIndex, nil}
			if r.DurationMS >= 0 {
				d := r.DurationMS
				it.DurationMS = &d
			}
			if r.Tag != "" {
				tag := r.Tag
				it.Tag = &tag
			}
			out = append(out, it)
		}
		return writeJSON(e.stdout, out)
	}
	var b strings.Builder
	for _, r := range rows {
		dur := "-"
		if r.DurationMS >= 0 {
			dur = fmt.Sprintf("%dms", r.DurationMS)
		}
		sum := r.Checksum
		if len(sum) > 12 {
			sum = sum[:12]
		}
		who := r.Hostname
		if r.DBUser != "" {
			who = r.DBUser + "@" + r.Hostname
		}
		line := fmt.Sprintf("%s  %-6s %s  %s  %s  %s", r.StartedAt, r.Direction, r.Revision, dur, who, sum)
		if r.Tag != "" {
			line += "  tag " + r.Tag
		}
		if r.Dirty {
			line += fmt.Sprintf("  DIRTY (%d statements done)", r.StmtIndex)
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	_, err := io.WriteString(e.stdout, b.String())
	return err
}
