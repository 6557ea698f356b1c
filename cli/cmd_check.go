package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/diff"
	"github.com/retortdb/retort/internal/scratch"
	"github.com/retortdb/retort/schema"
)

func cmdCheck() *command {
	c := &command{name: "check", summary: "fail when the database differs from the desired schema; or guard the graph (--heads) and the downgrades (--roundtrip)", args: "[--heads] [--roundtrip]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		heads := f.Bool("fail when the revision graph has more than one head", "--heads")
		roundtrip := f.Bool("run every revision up, down and up again on a scratch database; fail where the schema after the down differs from before the up", "--roundtrip")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if len(f.args) > 0 {
			return usagef(c.name, "check takes no arguments (got %q)", f.args[0])
		}
		if !*heads && !*roundtrip {
			// The desired schema may be Go code in the migrations program.
			if inProgram, err := e.desiredInProgram(); err != nil {
				return err
			} else if inProgram {
				return e.delegate(ctx, c.name, desiredNeed)
			}
			return e.checkSchema(ctx)
		}
		if *heads {
			if err := e.checkHeads(); err != nil {
				return err
			}
		}
		if *roundtrip {
			// Go revisions run in the project's migrations program.
			if goRev, err := e.needsProgram(); err != nil {
				return err
			} else if goRev != nil {
				return e.delegate(ctx, c.name, revisionNeed(goRev))
			}
			return e.checkRoundtrip(ctx)
		}
		return nil
	}
	return c
}

// checkHeads fails when the graph has several heads: a deployment would
// not know which to go to ("upgrade head" is an error).
func (e *session) checkHeads() error {
	g, err := e.loadGraph()
	if err != nil {
		return err
	}
	heads := g.Heads()
	if e.json {
		if err := writeJSON(e.stdout, map[string]any{"check": "heads", "heads": heads, "ok": len(heads) <= 1}); err != nil {
			return err
		}
	}
	if len(heads) > 1 {
		return &hinted{err: fmt.Errorf("the revision graph has %d heads: %s", len(heads), strings.Join(heads, ", ")),
			hint: "merge them: `retort merge -m \"merge heads\" heads`"}
	}
	if !e.json {
		e.log.Info("One head" + headSuffix(heads))
	}
	return nil
}

func headSuffix(heads []string) string {
	if len(heads) == 0 {
		return " (no revisions)"
	}
	return ": " + heads[0]
}

// roundtripStep is what check --roundtrip found for one revision.
type roundtripStep struct {
	Revision string   `json:"revision"`
	Status   string   `json:"status"` // ok, differs, fails or not checked
	Reason   string   `json:"reason,omitempty"`
	Tables   []string `json:"tables,omitempty"` // the tables that differ
	stop     bool     // the scratch database is not where the walk can go on
}

// checkRoundtrip is the stairway test: on a scratch database, each
// revision of the upgrade from base to heads is applied, reverted and
// applied again; the schema after the revert must equal the one before
// the upgrade, and the schema after the second upgrade the one after the
// first.
func (e *session) checkRoundtrip(ctx context.Context) (err error) {
	proj, u, err := e.project(runOptions{quiet: true})
	if err != nil {
		return err
	}
	s, err := e.scratchDB(ctx, u.Raw, proj.Dialect())
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	rt := &roundtrip{e: e, p: proj.Bind(s.SQL), s: s, own: ownTables(proj, "")}
	steps, err := rt.run(ctx)
	if err != nil {
		return err
	}
	return e.reportRoundtrip(steps)
}

// scratchServer is the server scratch databases are made on: dev_url's
// (redacted from messages like the database URL), else that of the
// database URL raw.
func (e *session) scratchServer(raw string) string {
	if e.cfg.DevURL == "" {
		return raw
	}
	if !slices.Contains(e.urlsRaw, e.cfg.DevURL) {
		e.urlsRaw = append(e.urlsRaw, e.cfg.DevURL)
	}
	return e.cfg.DevURL
}

// scratchDB makes a scratch database on scratchServer(raw), which must
// be a server of d's kind.
func (e *session) scratchDB(ctx context.Context, raw string, d dialect.Dialect) (*scratch.DB, error) {
	s, err := scratch.New(ctx, e.scratchServer(raw), e.cfg.Dir)
	if err != nil {
		return nil, err
	}
	if s.Dialect.Name() != d.Name() {
		s.Close()
		return nil, &hinted{err: fmt.Errorf("dev_url is a %s server and the database is %s", s.Dialect.Name(), d.Name()),
			hint: "point dev_url at a server of the database's kind"}
	}
	return s, nil
}

type roundtrip struct {
	e   *session
	p   *retort.Provider
	s   *scratch.DB
	own []string
}

// run walks the plan from base to heads.
func (rt *roundtrip) run(ctx context.Context) ([]roundtripStep, error) {
	g := rt.p.Project().Graph()
	plan, err := g.Upgrade(nil, "heads")
	if err != nil {
		return nil, err
	}
	before, err := rt.inspect(ctx)
	if err != nil {
		return nil, err
	}
	var out []roundtripStep
	for i, st := range plan.Steps {
		r, after, err := rt.step(ctx, st.Revision, before)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
		if r.stop {
			// The scratch database is where the failure left it: the
			// revisions after it are not checked.
			for _, rest := range plan.Steps[i+1:] {
				out = append(out, roundtripStep{Revision: rest.Revision, Status: "not checked", Reason: "the walk stopped at an earlier revision"})
			}
			break
		}
		before = after
	}
	return out, nil
}

// step applies rev, reverts it and applies it again; before is the
// schema before it. It returns what it found and the schema after rev.
func (rt *roundtrip) step(ctx context.Context, rev string, before *schema.Schema) (roundtripStep, *schema.Schema, error) {
	r := roundtripStep{Revision: rev, Status: "ok"}
	// A squashed revision is no target: it runs on the way to the
	// revision it ends at.
	to := rev
	if sq := rt.p.Project().Graph().Squash(rev); sq != nil {
		to = sq.Target
	}
	if _, err := rt.p.Upgrade(ctx, to); err != nil {
		return r, nil, fmt.Errorf("upgrade to %s: %w", rev, err)
	}
	after, err := rt.inspect(ctx)
	if err != nil {
		return r, nil, err
	}
	target := "base"
	if info := rt.p.Project().Graph().Info(rev); info != nil && len(info.Down) > 0 {
		target = info.Down[0]
	}
	pl, err := rt.p.PlanDowngrade(ctx, target)
	if err != nil {
		return r, nil, fmt.Errorf("plan the downgrade of %s: %w", rev, err)
	}
	if len(pl.Steps) != 1 || pl.Steps[0].Revision != rev {
		r.Status, r.Reason = "not checked", fmt.Sprintf("no target reverts it alone: downgrade %s would revert %d revisions", target, len(pl.Steps))
		return r, after, nil
	}
	if _, err := rt.p.Downgrade(ctx, target); err != nil {
		if errors.Is(err, retort.ErrNoDowngrade) {
			r.Status, r.Reason = "not checked", "it has no downgrade"
			return r, after, nil
		}
		r.Status, r.Reason, r.stop = "fails", "its downgrade failed: "+rt.e.redact(err.Error()), true
		return r, after, nil
	}
	down, err := rt.inspect(ctx)
	if err != nil {
		return r, nil, err
	}
	if t := differing(keepAddedEnumValues(before, after), down); len(t) > 0 {
		r.Status, r.Reason, r.Tables = "differs", "the downgrade does not restore the schema before the upgrade", t
	}
	if _, err := rt.p.Upgrade(ctx, to); err != nil {
		if r.Status == "ok" {
			r.Status, r.Reason = "fails", "upgrading it again after its downgrade failed: "+rt.e.redact(err.Error())
		}
		r.stop = true
		return r, after, nil
	}
	again, err := rt.inspect(ctx)
	if err != nil {
		return r, nil, err
	}
	if t := differing(after, again); len(t) > 0 && r.Status == "ok" {
		r.Status, r.Reason, r.Tables = "differs", "upgrading again after the downgrade gives another schema than the first upgrade", t
	}
	return r, after, nil
}

// inspect reads the scratch database's schema, in its normal form.
func (rt *roundtrip) inspect(ctx context.Context) (*schema.Schema, error) {
	sc, err := rt.s.Inspect(ctx, dialect.InspectOptions{OwnTables: rt.own})
	if err != nil {
		return nil, fmt.Errorf("read the scratch database's schema: %w", err)
	}
	return normalized(rt.s.Dialect, sc)
}

// differing names the tables that differ between a and b. Columns are
// matched by name, as package diff matches them: a downgrade adds a
// column it puts back last, wherever the column was.
func differing(a, b *schema.Schema) []string {
	a, b = columnsByName(a), columnsByName(b)
	var out []string
	for _, t := range a.Tables {
		u, ok := b.Table(t.Name)
		if !ok || !t.Equal(u) {
			out = append(out, t.TableName().String())
		}
	}
	for _, u := range b.Tables {
		if _, ok := a.Table(u.Name); !ok {
			out = append(out, u.TableName().String())
		}
	}
	if len(out) == 0 && !a.Equal(b) {
		out = append(out, "(enum types)")
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// columnsByName returns a copy of s with each table's columns sorted by
// name.
func columnsByName(s *schema.Schema) *schema.Schema {
	out := *s
	out.Tables = make([]*schema.Table, len(s.Tables))
	for i, t := range s.Tables {
		c := t.Clone()
		slices.SortFunc(c.Columns, func(x, y schema.Column) int { return strings.Compare(x.Name, y.Name) })
		out.Tables[i] = c
	}
	return &out
}

// keepAddedEnumValues returns before with the values of each enum type
// that after holds with values added (before's in the same order, and
// more): a downgrade cannot remove an enum value (PostgreSQL has no ALTER
// TYPE ... DROP VALUE), so the schema after it keeps them, and the
// revision says so. Columns of the type take its values too.
func keepAddedEnumValues(before, after *schema.Schema) *schema.Schema {
	grown := map[[2]string][]string{}
	for _, e := range before.Enums {
		for _, f := range after.Enums {
			if f.Schema == e.Schema && f.Name == e.Name && len(f.Values) > len(e.Values) && isSubsequence(e.Values, f.Values) {
				grown[[2]string{e.Schema, e.Name}] = f.Values
			}
		}
	}
	if len(grown) == 0 {
		return before
	}
	out := *before
	out.Enums = slices.Clone(before.Enums)
	for i, e := range out.Enums {
		if v, ok := grown[[2]string{e.Schema, e.Name}]; ok {
			out.Enums[i].Values = slices.Clone(v)
		}
	}
	out.Tables = make([]*schema.Table, len(before.Tables))
	for i, t := range before.Tables {
		c := t.Clone()
		for j, col := range c.Columns {
			if v, ok := grown[[2]string{col.Type.EnumSchema, col.Type.EnumName}]; ok && col.Type.Kind == schema.KindEnum && len(col.Type.Values) > 0 {
				c.Columns[j].Type.Values = slices.Clone(v)
			}
		}
		out.Tables[i] = c
	}
	return &out
}

// isSubsequence reports whether the elements of a appear in b in order.
func isSubsequence(a, b []string) bool {
	i := 0
	for _, x := range b {
		if i < len(a) && a[i] == x {
			i++
		}
	}
	return i == len(a)
}

// reportRoundtrip prints the steps and fails when one differs.
func (e *session) reportRoundtrip(steps []roundtripStep) error {
	var bad, skipped int
	for _, s := range steps {
		switch s.Status {
		case "differs", "fails":
			bad++
		case "not checked":
			skipped++
		}
	}
	if e.json {
		if err := writeJSON(e.stdout, map[string]any{"check": "roundtrip", "ok": bad == 0, "revisions": steps}); err != nil {
			return err
		}
	} else {
		for _, s := range steps {
			switch s.Status {
			case "differs":
				fmt.Fprintf(e.stdout, "%s: %s (%s)\n", s.Revision, s.Reason, strings.Join(s.Tables, ", "))
			case "fails":
				fmt.Fprintf(e.stdout, "%s: %s\n", s.Revision, s.Reason)
			case "not checked":
				fmt.Fprintf(e.stdout, "%s: not checked: %s\n", s.Revision, s.Reason)
			}
		}
	}
	if bad > 0 {
		return &hinted{err: fmt.Errorf("the schema does not round-trip through %s of %d", plural(bad, "revision"), len(steps)),
			hint: "fix the downgrade sections named above so that each undoes its upgrade"}
	}
	if !e.json {
		e.log.Info(fmt.Sprintf("%s up, down and up again on a scratch database: the schema round-trips (%d not checked)", plural(len(steps)-skipped, "revision"), skipped))
	}
	return nil
}

// checkSchema compares the database with the desired schema: silent and
// exit 0 when they agree; otherwise the operations autogenerate would
// write, and exit 1.
func (e *session) checkSchema(ctx context.Context) error {
	c, err := e.compare(ctx, true)
	if err != nil {
		return err
	}
	ops := make([]string, len(c.res.Upgrade))
	for i, o := range c.res.Upgrade {
		ops[i] = o.String()
	}
	var differ []string // differences no operation expresses
	for _, n := range c.res.Notes {
		if n.Kind == diff.NoteNotGenerated && !n.Downgrade {
			differ = append(differ, n.Msg)
		}
	}
	ok := len(ops) == 0 && len(differ) == 0
	if e.json {
		unmanaged := map[string][]string{"database": nonNil(c.unmanaged["in the database"]), "desired": nonNil(c.unmanaged["in the desired schema"])}
		if err := writeJSON(e.stdout, map[string]any{"check": "schema", "ok": ok, "upgrade": ops, "notes": jsonNotes(c.res.Notes), "unmanaged": unmanaged}); err != nil {
			return err
		}
	} else {
		for _, o := range ops {
			fmt.Fprintln(e.stdout, o)
		}
		for _, n := range c.res.Notes {
			if !n.Downgrade {
				e.log.Warn("warning: " + n.Kind.String() + ": " + n.Msg)
			}
		}
		e.sayUnmanaged(c)
	}
	if ok {
		return nil
	}
	what := plural(len(ops), "operation")
	if len(differ) > 0 {
		what += fmt.Sprintf(" and %s no operation expresses", plural(len(differ), "difference"))
	}
	return &hinted{err: fmt.Errorf("the database differs from the desired schema: %s", what),
		hint: "write the operations as a revision with `retort revision --autogenerate -m MESSAGE`, or change the desired schema"}
}

// jsonNotes are the notes of a comparison as JSON objects.
func jsonNotes(notes []diff.Note) []map[string]any {
	out := []map[string]any{}
	for _, n := range notes {
		m := map[string]any{"kind": n.Kind.String(), "downgrade": n.Downgrade, "message": n.Msg}
		if n.Table.Name != "" {
			m["table"] = n.Table.String()
		}
		out = append(out, m)
	}
	return out
}
