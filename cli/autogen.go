package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/diff"
	"github.com/retortdb/retort/internal/scratch"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/schema/schemafmt"
	"github.com/retortdb/retort/script"
)

// comparison is what autogenerate and check find: the operations that
// bring the database to the desired schema and back, and what the
// database is now (per compared schema), for the rehearsal.
type comparison struct {
	res  *diff.Result
	live *schema.Schema // the database: the tables of every compared schema
	// schemas are the compared PostgreSQL schemas the database has,
	// made on the rehearsal's scratch database too.
	schemas []string
	d       dialect.Dialect
	server  string // where scratch databases are made
	// unmanaged are the objects outside the model, which autogenerate
	// leaves alone, "in the database" and "in the desired schema".
	unmanaged map[string][]string
}

// compare reads the database and the desired schema (applied to a
// scratch database) and compares them. needHead refuses a database that
// is not at the head of the graph (autogenerate: a revision written on
// top of unapplied ones would repeat them).
func (e *session) compare(ctx context.Context, needHead bool) (c *comparison, err error) {
	p, err := e.provider(ctx, runOptions{quiet: true})
	if err != nil {
		return nil, err
	}
	defer p.Close()
	proj := p.Project()
	if needHead {
		if err := checkAtHead(ctx, p); err != nil {
			return nil, err
		}
	}
	u, err := e.dbURL()
	if err != nil {
		return nil, err
	}
	s, err := e.scratchDB(ctx, u.Raw, proj.Dialect())
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	if err := e.applyDesired(ctx, s); err != nil {
		return nil, err
	}
	c = &comparison{res: &diff.Result{}, d: proj.Dialect(), server: e.scratchServer(u.Raw), unmanaged: map[string][]string{}}
	dopts := e.diffOptions(proj)
	// All compared schemas are one comparison, so that a foreign key
	// from one schema into another is ordered like any other.
	live, want := &schema.Schema{}, &schema.Schema{}
	for _, sch := range e.compareSchemas() {
		opts := compareOptions(proj, dopts, sch)
		l, err := e.liveSchema(ctx, p, opts)
		if err != nil {
			return nil, err
		}
		w, err := e.inspectDesired(ctx, s, opts)
		if err != nil {
			return nil, err
		}
		if sch == "" {
			// The default schema: each side names its own database.
			live.Name, want.Name = l.Name, l.Name
		} else if proj.Dialect().Name() == "postgres" {
			var exists bool
			if err := p.DB().QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)", sch).Scan(&exists); err != nil {
				return nil, fmt.Errorf("look for schema %s: %w", sch, err)
			}
			if exists {
				c.schemas = append(c.schemas, sch)
			}
		}
		merge(live, l)
		merge(want, w)
		if err := c.listUnmanaged(ctx, "in the database", p.DB(), opts); err != nil {
			return nil, err
		}
		if err := c.listUnmanaged(ctx, "in the desired schema", s.SQL, opts); err != nil {
			return nil, err
		}
	}
	if c.res, err = diff.Compare(live, want, dopts); err != nil {
		return nil, err
	}
	c.live = live
	return c, nil
}

// checkAtHead fails unless the database is at the heads of the graph.
func checkAtHead(ctx context.Context, p *retort.Provider) error {
	cur, err := p.Current(ctx)
	if err != nil {
		return err
	}
	heads := p.Project().Heads()
	if !slices.Equal(cur, heads) {
		at := strings.Join(cur, ", ")
		if at == "" {
			at = "base"
		}
		return &hinted{err: fmt.Errorf("the database is not up to date: it is at %s, the revisions' heads are %s", at, strings.Join(heads, ", ")),
			hint: "run `retort upgrade heads` first: autogenerate compares the database at head with the desired schema"}
	}
	return nil
}

// rehearse runs the upgrade and then the downgrade on a scratch database
// built as the database is, and returns the statements each rendered
// there: the SQL revision, as the online run will execute it (SQLite's
// move and copy and MySQL's MODIFY COLUMN read the catalog to render),
// checked to run before it is written. A statement with bound values is
// written with literals.
func (c *comparison) rehearse(ctx context.Context, dir string) (up, down []dialect.Stmt, err error) {
	s, err := scratch.New(ctx, c.server, dir)
	if err != nil {
		return nil, nil, err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	if c.d.Name() == "postgres" {
		for _, sch := range slices.Compact(slices.Sorted(slices.Values(append(schemasOf(c.live), c.schemas...)))) {
			if _, err := s.SQL.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+c.d.QuoteIdent(sch)); err != nil {
				return nil, nil, fmt.Errorf("rehearse: create schema %s: %w", sch, err)
			}
		}
	}
	if err := s.ApplySchema(ctx, c.live, schema.DefaultNaming()); err != nil {
		return nil, nil, fmt.Errorf("rehearse: build the database's schema on a scratch database: %w", err)
	}
	conn, err := s.SQL.Conn(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("rehearse: connect: %w", err)
	}
	defer conn.Close()
	// Where DDL is transactional the rehearsal runs in transactions, as
	// the steps will (and far faster than a commit per statement); a
	// statement that must run outside one ends the transaction before it.
	tx := scratch.NewTxRunner(conn, c.d)
	defer tx.Close(ctx)
	run := func(ops []op.Op, what string) ([]dialect.Stmt, error) {
		rc := dialect.RenderContext{Q: conn, Naming: schema.DefaultNaming()}
		var out []dialect.Stmt
		for _, o := range ops {
			stmts, err := dialect.RenderOp(ctx, rc, c.d, o)
			if err != nil {
				return nil, fmt.Errorf("rehearse the %s: %s: %w", what, o, err)
			}
			for i, st := range stmts {
				if err := tx.Exec(ctx, st); err != nil {
					return nil, fmt.Errorf("rehearse the %s: %s: %w\n\tin: %s", what, o, err, st.SQL)
				}
				if len(st.Args) > 0 {
					if st.SQL, err = dialect.Inline(c.d, st.SQL, st.Args); err != nil {
						return nil, err
					}
					st.Args = nil
				}
				if i == 0 {
					st.Comment = o.String()
				}
				out = append(out, st)
			}
		}
		return out, nil
	}
	if up, err = run(c.res.Upgrade, "upgrade"); err != nil {
		return nil, nil, err
	}
	if down, err = run(c.res.Downgrade, "downgrade"); err != nil {
		return nil, nil, err
	}
	return up, down, nil
}

// sqlSection writes statements as the body of a section: each under a
// comment naming its operation, with the dialect's terminator; a
// statement that must run outside a transaction after a
// -- +no-transaction line (which holds for the rest of the section).
func sqlSection(d dialect.Dialect, notes []diff.Note, stmts []dialect.Stmt) string {
	var b strings.Builder
	for _, n := range notes {
		for _, l := range strings.Split(n.Msg, "\n") {
			b.WriteString("-- retort: " + n.Kind.String() + ": " + l + "\n")
		}
	}
	if len(notes) > 0 {
		b.WriteString("\n")
	}
	noTx := false
	for i, st := range stmts {
		if i > 0 {
			b.WriteString("\n")
		}
		if st.Comment != "" {
			b.WriteString("-- " + st.Comment + "\n")
		}
		if st.NoTx && !noTx {
			b.WriteString("-- +no-transaction\n")
			noTx = true
		}
		b.WriteString(d.ScriptStatement(st.SQL) + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// notesOf returns the notes of the upgrade (down false) or downgrade.
func notesOf(notes []diff.Note, down bool) []diff.Note {
	var out []diff.Note
	for _, n := range notes {
		if n.Downgrade == down {
			out = append(out, n)
		}
	}
	return out
}

// autogenerate writes a revision whose upgrade brings the database to
// the desired schema and whose downgrade brings it back (sqlOut: prints
// its SQL instead). No difference: no file, exit 0, and it says so.
func (e *session) autogenerate(ctx context.Context, cmd string, o newRev, sqlOut bool) error {
	if inProgram, err := e.desiredInProgram(); err != nil {
		return err
	} else if inProgram {
		return e.delegate(ctx, cmd, desiredNeed)
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	format, err := revisionFormat(cmd, o.format, cfg)
	if err != nil {
		return err
	}
	c, err := e.compare(ctx, true)
	if err != nil {
		return err
	}
	for _, n := range c.res.Notes {
		e.log.Warn("warning: " + n.String())
	}
	e.sayUnmanaged(c)
	if c.res.Empty() {
		e.log.Info("No changes in schema detected.")
		return nil
	}
	for _, op := range c.res.Upgrade {
		e.log.Info("Detected " + op.String())
	}
	up, down, err := c.rehearse(ctx, cfg.Dir)
	if err != nil {
		return err
	}
	upSQL := sqlSection(c.d, notesOf(c.res.Notes, false), up)
	downSQL := sqlSection(c.d, notesOf(c.res.Notes, true), down)
	if sqlOut {
		_, err := fmt.Fprintf(e.stdout, "-- +upgrade\n%s\n\n-- +downgrade\n%s\n", upSQL, downSQL)
		return err
	}
	body := func(_ context.Context, format, pkg string, h script.Header) ([]byte, error) {
		if format == "go" {
			return goRevision(pkg, h, c.res)
		}
		return script.Render(h, upSQL, downSQL), nil
	}
	o.format = format
	return e.newRevision(ctx, cmd, o, body)
}

// goRevision writes the comparison as a Go revision: the operations as
// calls on the recorder, each section under its notes as comments.
func goRevision(pkg string, h script.Header, res *diff.Result) ([]byte, error) {
	up, upImports, err := schemafmt.GoOps(res.Upgrade, schemafmt.GoOpsOptions{})
	if err != nil {
		return nil, fmt.Errorf("write the upgrade as Go: %w", err)
	}
	down, downImports, err := schemafmt.GoOps(res.Downgrade, schemafmt.GoOpsOptions{})
	if err != nil {
		return nil, fmt.Errorf("write the downgrade as Go: %w", err)
	}
	return script.RenderGoRevision(pkg, h, goNotes(notesOf(res.Notes, false))+up, goNotes(notesOf(res.Notes, true))+down,
		append(upImports, downImports...))
}

// goNotes are notes as Go comments.
func goNotes(notes []diff.Note) string {
	var b strings.Builder
	for _, n := range notes {
		for _, l := range strings.Split(n.Msg, "\n") {
			b.WriteString("// retort: " + n.Kind.String() + ": " + l + "\n")
		}
	}
	return b.String()
}

// listUnmanaged adds the objects of db outside the model (views,
// functions, triggers, ...) to c.unmanaged[where].
func (c *comparison) listUnmanaged(ctx context.Context, where string, db *sql.DB, opts dialect.InspectOptions) error {
	l := dialect.Probe(c.d).Lister
	if l == nil {
		return nil
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("list objects %s: connect: %w", where, err)
	}
	defer conn.Close()
	objs, err := l.Unmanaged(ctx, conn, opts)
	if err != nil {
		return err
	}
	c.unmanaged[where] = append(c.unmanaged[where], objs...)
	return nil
}

// sayUnmanaged logs what autogenerate left alone, never in silence.
func (e *session) sayUnmanaged(c *comparison) {
	for _, where := range []string{"in the database", "in the desired schema"} {
		if objs := c.unmanaged[where]; len(objs) > 0 {
			e.log.Info(fmt.Sprintf("Not compared (autogenerate does not manage them), %s: %s", where, strings.Join(objs, ", ")))
		}
	}
}

// merge adds the tables and enum types of s to into.
func merge(into, s *schema.Schema) {
	into.Tables = append(into.Tables, s.Tables...)
	into.Enums = append(into.Enums, s.Enums...)
}

// schemasOf are the named schemas of s's tables and enum types.
func schemasOf(s *schema.Schema) []string {
	var out []string
	for _, t := range s.Tables {
		if t.Schema != "" {
			out = append(out, t.Schema)
		}
	}
	for _, e := range s.Enums {
		if e.Schema != "" {
			out = append(out, e.Schema)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
