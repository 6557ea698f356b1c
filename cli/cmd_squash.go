package cli

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/schema/schemafmt"
	"github.com/retortdb/retort/script"
)

// cmdSquash writes one base revision for a long history. The rule, in
// docs/adopting.md ("Squashing a long history"): the new revision S
// holds the schema at REV (and the rows of --data tables), as a scratch
// database upgraded to REV reflects it; its "-- replaces:" header lists
// REV and all its ancestors, whose files move byte for byte to the
// archive folder of the script location. The graph (package revision)
// runs S on a database that has none of them, and the archived files on
// one that is inside them. S's SQL is in the sections of the URL's
// dialect; squashing again up to REV with another dialect's URL adds
// that dialect's sections to S (planAddDialect).
func cmdSquash() *command {
	c := &command{name: "squash", summary: "replace a revision and all its ancestors with one base revision; archive their files",
		args: "--to REV -m MSG [--data TABLE]... [--rev-id ID]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		to := f.String("REV", "the newest revision to squash: it and all its ancestors are replaced", "--to")
		msg := f.String("MSG", "the message of the squashed revision", "-m", "--message")
		data := f.List("TABLE", "also copy the rows of TABLE at REV (reference data), repeatable", "--data")
		revID := f.String("ID", "the id of the squashed revision (default: random)", "--rev-id")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if len(f.args) > 0 {
			return usagef(c.name, "squash takes no arguments (got %q); name the revision with --to REV", f.args[0])
		}
		if *to == "" {
			return usagef(c.name, "squash needs --to REV: the newest revision to squash")
		}
		if strings.TrimSpace(*msg) == "" {
			return usagef(c.name, "squash needs -m MSG: the message of the squashed revision")
		}
		return e.squash(ctx, squashOptions{to: *to, msg: *msg, data: *data, id: *revID})
	}
	return c
}

type squashOptions struct {
	to, msg, id string
	data        []string
}

// squashPlan is what squash will do, computed before anything is
// written: the new file and the files to move.
type squashPlan struct {
	target   string
	count    int              // the revisions replaced: REV and its ancestors
	replaces []*script.Script // their scripts in file order, and earlier squashes this one contains
	path     string           // of the new file
	content  []byte
	moves    [][2]string // from, to (absolute paths)
	rows     map[string]int
	dialect  string // the section name of the dialect S is written for
	added    bool   // sections added to an existing squashed revision (path exists)
}

func (e *session) squash(ctx context.Context, o squashOptions) error {
	p, err := e.planSquash(ctx, o)
	if err != nil {
		return err
	}
	return e.applySquash(p)
}

// planSquash checks the target, builds the squashed revision on a
// scratch database and names the files to move; it writes nothing.
func (e *session) planSquash(ctx context.Context, o squashOptions) (*squashPlan, error) {
	cfg, err := e.config()
	if err != nil {
		return nil, err
	}
	g, err := e.loadGraph()
	if err != nil {
		return nil, err
	}
	target, err := g.ResolveOne(o.to)
	if err != nil {
		return nil, err
	}
	if target == "" {
		return nil, usagef("squash", "--to %s is base: name the newest revision to squash", o.to)
	}
	for _, sq := range g.Squashes() {
		if sq.Target == target {
			return e.planAddDialect(ctx, sq, o)
		}
	}
	if err := g.CheckSquashable(target); err != nil {
		return nil, &hinted{err: fmt.Errorf("cannot squash up to %s: %w", target, err),
			hint: "`retort history` shows the graph; squash up to a revision that every later revision goes on from"}
	}
	sp := &squashPlan{target: target, rows: map[string]int{}}
	ids := g.Ancestors([]string{target})
	sp.count = len(ids)
	for _, id := range ids {
		sc := e.script(id)
		if sc.Format == "go" {
			return nil, &hinted{err: fmt.Errorf("cannot squash up to %s: %s is a Go revision, which is compiled from its package folder and cannot move to the archive", target, sc.Path),
				hint: "squash up to a revision below the first Go revision"}
		}
		sp.replaces = append(sp.replaces, sc)
	}
	// Earlier squashes that this one contains move to the archive too.
	for _, sq := range g.Squashes() {
		if slices.Contains(ids, sq.Target) {
			sp.replaces = append(sp.replaces, e.squashScript(sq.ID))
		}
	}
	id, err := newRevisionID("squash", g, o.id)
	if err != nil {
		return nil, err
	}
	if g.Squash(id) != nil {
		return nil, usagef("squash", "squashed revision %s already exists (%s)", id, g.Squash(id).Path)
	}
	h := script.Header{Revision: id, Message: o.msg, Replaces: ids}
	if h.CreateDate, err = revisionTime(cfg); err != nil {
		return nil, err
	}
	up, down, err := e.squashSQL(ctx, sp, target, o.data)
	if err != nil {
		return nil, err
	}
	sp.content = withDialect(script.Render(h, up, down), sp.dialect)
	name, err := revisionFileName(cfg, "sql", h)
	if err != nil {
		return nil, err
	}
	sp.path = filepath.Join(cfg.ScriptLocation, name)
	if _, err := os.Stat(sp.path); err == nil {
		return nil, fmt.Errorf("squash: %s exists", e.display(sp.path))
	}
	archive := filepath.Join(cfg.ScriptLocation, script.ArchiveDir)
	for _, sc := range sp.replaces {
		if sc.Archived {
			continue
		}
		from := e.abs(sc.Path)
		dest := filepath.Join(archive, filepath.Base(from))
		_, err := os.Stat(dest)
		if err == nil || slices.ContainsFunc(sp.moves, func(m [2]string) bool { return m[1] == dest }) {
			return nil, fmt.Errorf("squash: cannot archive %s: %s exists (or another replaced file has its name)", sc.Path, e.display(dest))
		}
		sp.moves = append(sp.moves, [2]string{from, dest})
	}
	// The new graph must hold, before anything is written.
	sc, _, err := script.Parse(sp.content, e.display(sp.path))
	if err != nil {
		return nil, err
	}
	if _, err := script.BuildGraph(append(slices.Clone(e.scripts), sc)); err != nil {
		return nil, fmt.Errorf("squash: the squashed revision does not fit the graph: %w", err)
	}
	return sp, nil
}

// squashScript is the script of a squashed revision.
func (e *session) squashScript(id string) *script.Script {
	for _, s := range e.scripts {
		if s.Revision == id {
			return s
		}
	}
	return nil
}

// abs is the absolute path of a script's display path.
func (e *session) abs(display string) string {
	if filepath.IsAbs(display) {
		return display
	}
	return filepath.Join(e.cfg.Dir, filepath.FromSlash(display))
}

// squashSQL upgrades a scratch database to target, reflects it, and
// renders the squashed revision's sections: the schema's DDL and the
// rows of the data tables, and the downgrade that drops it all.
func (e *session) squashSQL(ctx context.Context, sp *squashPlan, target string, data []string) (up, down string, err error) {
	proj, u, err := e.project(runOptions{quiet: true})
	if err != nil {
		return "", "", err
	}
	s, err := e.scratchDB(ctx, u.Raw, proj.Dialect())
	if err != nil {
		return "", "", &hinted{err: fmt.Errorf("squash: make a scratch database: %w", err),
			hint: "squash upgrades a scratch database to the revision; set dev_url in retort.toml to a server where retort may create a database"}
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	// Through the revisions themselves, never an earlier squash: that
	// may lack this dialect's sections, and the history is the truth.
	history := slices.DeleteFunc(slices.Clone(e.scripts), func(sc *script.Script) bool { return len(sc.Replaces) > 0 })
	hopts := []retort.Option{retort.WithVersionTable(proj.VersionTable().Name), retort.WithHistoryTable(proj.HistoryTable().Name)}
	if e.registry != nil {
		hopts = append(hopts, retort.WithRevisions(e.registry))
	}
	hist, err := retort.NewProject(proj.Dialect(), history, hopts...)
	if err != nil {
		return "", "", fmt.Errorf("squash: %w", err)
	}
	if _, err := hist.Bind(s.SQL).Upgrade(ctx, target); err != nil {
		return "", "", fmt.Errorf("squash: upgrade a scratch database to %s: %w", target, err)
	}
	d := s.Dialect
	sp.dialect = sectionName(d)
	opts := dialect.InspectOptions{OwnTables: ownTables(proj, "")}
	sc, err := s.Inspect(ctx, opts)
	if err != nil {
		return "", "", fmt.Errorf("squash: read the schema at %s: %w", target, err)
	}
	if sc, err = normalized(d, sc); err != nil {
		return "", "", fmt.Errorf("squash: read the schema at %s: %w", target, err)
	}
	extra, err := copiedObjects(ctx, d, s.SQL)
	if err != nil {
		return "", "", fmt.Errorf("squash: read the views, functions and triggers at %s: %w", target, err)
	}
	if l := dialect.Probe(d).Lister; l != nil {
		objs, err := unmanagedOn(ctx, l, s.SQL, opts)
		if err != nil {
			return "", "", err
		}
		objs = slices.DeleteFunc(objs, func(o string) bool { return slices.Contains(extra.names, o) })
		if len(objs) > 0 {
			return "", "", &hinted{err: fmt.Errorf("cannot squash up to %s: the schema there holds objects that reflection does not model, so the squashed revision could not create them: %s", target, strings.Join(objs, ", ")),
				hint: "squash up to a revision before they were created"}
		}
	}
	for _, name := range data {
		if _, ok := sc.Table(name); !ok {
			return "", "", usagef("squash", "--data %s: no table %s at %s", name, name, target)
		}
	}
	seqs, err := ownedSequences(ctx, d, s.SQL, data, opts.OwnTables)
	if err != nil {
		return "", "", fmt.Errorf("squash: read the sequences at %s: %w", target, err)
	}
	up, err = schemafmt.SQL(ctx, d, sc, schemafmt.SQLOptions{})
	if err != nil {
		return "", "", fmt.Errorf("squash: %w", err)
	}
	// Sequences that columns own (serial) before the tables whose
	// defaults name them, owned by their columns after.
	up = seqs.create + up + seqs.owned
	order := schemafmt.Ops(sc)
	var ins strings.Builder
	for _, o := range order {
		ct, ok := o.(op.CreateTable)
		if !ok || !slices.Contains(data, ct.Table.Name) {
			continue
		}
		n, err := insertRows(ctx, s.SQL, d, ct.Table, &ins)
		if err != nil {
			return "", "", fmt.Errorf("squash: copy the rows of %s: %w", ct.Table.Name, err)
		}
		sp.rows[ct.Table.Name] = n
	}
	ins.WriteString(seqs.set)
	if ins.Len() > 0 {
		up += "\n" + ins.String()
	}
	// Functions, views and triggers after the rows, so that no trigger
	// fires on them.
	for _, c := range extra.create {
		up += "\n" + c + "\n"
	}
	for _, o := range order {
		ct, ok := o.(op.CreateTable)
		if !ok || slices.Contains(data, ct.Table.Name) {
			continue
		}
		var n int
		q := "SELECT COUNT(*) FROM " + d.QuoteTable(dialect.Table{Schema: ct.Table.Schema, Name: ct.Table.Name})
		if err := s.SQL.QueryRowContext(ctx, q).Scan(&n); err == nil && n > 0 {
			e.log.Warn(fmt.Sprintf("Not copied: table %s has %d rows at %s; give --data %s to put them in the squashed revision", ct.Table.Name, n, target, ct.Table.Name))
		}
	}
	down, err = dropAll(ctx, d, order)
	var drops strings.Builder
	for _, st := range extra.drop {
		drops.WriteString(st + "\n")
	}
	return up, drops.String() + down, err
}

// unmanagedOn lists the objects of db outside the schema model.
func unmanagedOn(ctx context.Context, l dialect.UnmanagedLister, db *sql.DB, opts dialect.InspectOptions) ([]string, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("squash: connect to the scratch database: %w", err)
	}
	defer conn.Close()
	return l.Unmanaged(ctx, conn, opts)
}

// dropAll renders the downgrade of the squashed revision: the reverse of
// the operations that create the schema (order), each undone.
func dropAll(ctx context.Context, d dialect.Dialect, order []op.Op) (string, error) {
	var b strings.Builder
	rc := dialect.RenderContext{Naming: schema.DefaultNaming()}
	for i := len(order) - 1; i >= 0; i-- {
		var undo op.Op
		switch o := order[i].(type) {
		case op.CreateTable:
			undo = op.DropTable{Table: o.Table.TableName(), Def: o.Table}
		case op.CreateForeignKey:
			undo = op.DropForeignKey{Table: o.Table, ForeignKey: o.ForeignKey}
		case op.CreateEnum:
			undo = op.DropEnum{Enum: o.Enum}
		default:
			return "", fmt.Errorf("squash: no downgrade for %s", o)
		}
		stmts, err := dialect.RenderOp(ctx, rc, d, undo)
		if err != nil {
			if _, fk := undo.(op.DropForeignKey); fk {
				continue // SQLite: dropping the table drops the key
			}
			return "", fmt.Errorf("squash: render the downgrade: %w", err)
		}
		for _, st := range stmts {
			b.WriteString(d.ScriptStatement(st.SQL) + "\n")
		}
	}
	return b.String(), nil
}

// insertRows writes the rows of table t as INSERT statements to w, in
// primary-key order, and returns how many there were. Generated columns
// are left to the database.
func insertRows(ctx context.Context, db *sql.DB, d dialect.Dialect, t *schema.Table, w *strings.Builder) (int, error) {
	var cols []schema.Column
	for _, c := range t.Columns {
		if c.Generated == nil {
			cols = append(cols, c)
		}
	}
	// Each value as the database writes it as a literal (SQLite's
	// quote, PostgreSQL's quote_nullable of its text form, MySQL's
	// QUOTE): exact whatever the type, where a value read into Go and
	// written back could change (a SQLite timestamp kept as text, a
	// PostgreSQL timestamp in another time zone).
	sel := dialect.NewBuilder(d).P("SELECT ")
	for i, c := range cols {
		if i > 0 {
			sel.P(", ")
		}
		switch d.Name() {
		case "sqlite":
			sel.P("quote(").Ident(c.Name).P(")")
		case "postgres":
			sel.P("pg_catalog.quote_nullable(").Ident(c.Name).P("::text)")
		default:
			sel.P("QUOTE(").Ident(c.Name).P(")")
		}
	}
	sel.P(" FROM ").Table(dialect.Table{Schema: t.Schema, Name: t.Name})
	var key []string
	if t.PK != nil {
		key = t.PK.Columns
	}
	if len(key) == 0 {
		for _, c := range cols {
			key = append(key, c.Name)
		}
	}
	sel.P(" ORDER BY ")
	for i, k := range key {
		if i > 0 {
			sel.P(", ")
		}
		sel.Ident(k)
	}
	rows, err := db.QueryContext(ctx, sel.String())
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var all [][]any
	for rows.Next() {
		lits := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range lits {
			ptrs[i] = &lits[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return 0, err
		}
		vals := make([]any, len(cols))
		for i, l := range lits {
			vals[i] = rawLiteral("NULL")
			if l.Valid {
				vals[i] = rawLiteral(l.String)
			}
		}
		all = append(all, vals)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(all) == 0 {
		return 0, nil
	}
	bi := op.BulkInsert{Table: op.TableRef{Schema: t.Schema, Name: t.Name, Columns: cols}, Values: func(yield func([]any) bool) {
		for _, r := range all {
			if !yield(r) {
				return
			}
		}
	}}
	err = dialect.InsertStatements(literalSyntax{d}, bi, func(st dialect.Stmt) error {
		w.WriteString(d.ScriptStatement(st.SQL) + "\n")
		return nil
	})
	if err != nil {
		return 0, err
	}
	if d.Name() == "postgres" {
		for _, c := range cols {
			if c.AutoIncrement {
				// The rows came with their ids: the identity goes on
				// after the largest, as it did on the scratch database.
				tab, err := d.Literal(d.QuoteTable(dialect.Table{Schema: t.Schema, Name: t.Name}))
				if err != nil {
					return 0, err
				}
				col, err := d.Literal(c.Name)
				if err != nil {
					return 0, err
				}
				s := dialect.NewBuilder(d).P("SELECT setval(pg_get_serial_sequence(" + tab + ", " + col + "), MAX(").Ident(c.Name).P(")) FROM ").
					Table(dialect.Table{Schema: t.Schema, Name: t.Name}).String()
				w.WriteString(d.ScriptStatement(s) + "\n")
			}
		}
	}
	return len(all), nil
}

// rawLiteral is a value already written as a SQL literal of the dialect.
type rawLiteral string

// literalSyntax is a dialect whose Literal passes a rawLiteral through.
type literalSyntax struct{ dialect.Dialect }

func (l literalSyntax) Literal(v any) (string, error) {
	if r, ok := v.(rawLiteral); ok {
		return string(r), nil
	}
	return l.Dialect.Literal(v)
}

// applySquash writes the squashed revision and moves the replaced files
// to the archive folder, byte for byte (os.Rename), so that their
// checksums stay those the databases recorded.
func (e *session) applySquash(sp *squashPlan) error {
	if len(sp.moves) > 0 {
		if err := os.MkdirAll(filepath.Dir(sp.moves[0][1]), 0o755); err != nil {
			return fmt.Errorf("squash: make the archive folder: %w", err)
		}
	}
	if sp.added {
		if err := replaceFile(sp.path, sp.content); err != nil {
			return err
		}
		if e.json {
			return writeJSON(e.stdout, map[string]any{"revision": revisionOf(sp.content), "path": e.display(sp.path), "target": sp.target,
				"replaces": sp.count, "archived": 0, "rows": sp.rows, "dialect": sp.dialect})
		}
		fmt.Fprintf(e.stdout, "Adding %s sections to %s ... done (squash up to %s)\n", sp.dialect, e.display(sp.path), sp.target)
		return nil
	}
	if err := writeNewFile(sp.path, sp.content); err != nil {
		return err
	}
	for i, m := range sp.moves {
		if err := os.Rename(m[0], m[1]); err != nil {
			return &hinted{err: fmt.Errorf("squash: archive %s: %w (%d of %d files moved)", e.display(m[0]), err, i, len(sp.moves)),
				hint: "move the remaining replaced files to the archive folder by hand; the squashed revision is written"}
		}
	}
	if e.json {
		data := map[string]int{}
		for k, v := range sp.rows {
			data[k] = v
		}
		return writeJSON(e.stdout, map[string]any{"revision": revisionOf(sp.content), "path": e.display(sp.path), "target": sp.target,
			"replaces": sp.count, "archived": len(sp.moves), "rows": data})
	}
	revs := "revisions"
	if sp.count == 1 {
		revs = "revision"
	}
	fmt.Fprintf(e.stdout, "Generating %s ... done (squashes %d %s up to %s)\n", e.display(sp.path), sp.count, revs, sp.target)
	if len(sp.moves) > 0 {
		files := "files"
		if len(sp.moves) == 1 {
			files = "file"
		}
		fmt.Fprintf(e.stdout, "Archived %d %s to %s\n", len(sp.moves), files, e.display(filepath.Dir(sp.moves[0][1])))
	}
	return nil
}

// revisionOf is the id in a rendered revision's header.
func revisionOf(content []byte) string {
	sc, _, err := script.Parse(content, "")
	if err != nil {
		return ""
	}
	return sc.Revision
}

// sectionName is the name of d's dialect sections.
func sectionName(d dialect.Dialect) string {
	if d.Name() == "postgres" {
		return "postgresql"
	}
	return d.Name()
}

// withDialect turns the plain sections of a rendered revision into
// sections of one dialect: the squashed revision's SQL is that
// dialect's, rendered from its scratch database. Marker lines cannot
// appear in the SQL, so the first "-- +upgrade" line and the last
// "-- +downgrade" line are the markers.
func withDialect(content []byte, name string) []byte {
	c := string(content)
	c = strings.Replace(c, "\n-- +upgrade\n", "\n-- +upgrade "+name+"\n", 1)
	if i := strings.LastIndex(c, "\n-- +downgrade\n"); i >= 0 {
		c = c[:i] + "\n-- +downgrade " + name + "\n" + c[i+len("\n-- +downgrade\n"):]
	}
	return []byte(c)
}

// planAddDialect plans the sections of another dialect for the squashed
// revision sq, which ends at the revision asked: a project that serves
// several dialects squashes once per dialect, each run adding its
// dialect's sections. The sections are appended, so that the text each
// dialect already runs, and so its checksum, stays the same.
func (e *session) planAddDialect(ctx context.Context, sq revision.Squash, o squashOptions) (*squashPlan, error) {
	if o.id != "" && o.id != sq.ID {
		return nil, usagef("squash", "--rev-id %s: squashed revision %s (%s) already replaces the revisions up to %s", o.id, sq.ID, sq.Path, sq.Target)
	}
	path := e.abs(sq.Path)
	old, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("squash: read %s: %w", sq.Path, err)
	}
	before, body, err := script.Parse(old, sq.Path)
	if err != nil {
		return nil, err
	}
	proj, _, err := e.project(runOptions{quiet: true})
	if err != nil {
		return nil, err
	}
	have := body.Dialects(true) // as dialect.Dialect.Name spells them
	if len(have) == 0 || slices.Contains(have, proj.Dialect().Name()) {
		which := "every dialect"
		if len(have) > 0 {
			which = strings.Join(have, ", ")
		}
		return nil, &hinted{err: fmt.Errorf("cannot squash up to %s: it is already squashed, by %s (%s), for %s", sq.Target, sq.ID, sq.Path, which),
			hint: "squash up to a revision past " + sq.Target}
	}
	sp := &squashPlan{target: sq.Target, count: len(sq.Replaces), rows: map[string]int{}, path: path, added: true}
	up, down, err := e.squashSQL(ctx, sp, sq.Target, o.data)
	if err != nil {
		return nil, err
	}
	if !bytes.HasSuffix(old, []byte("\n")) {
		old = append(old, '\n')
	}
	add := "-- +upgrade " + sp.dialect + "\n" + script.SectionText(up) + "\n-- +downgrade " + sp.dialect + "\n" + script.SectionText(down)
	sp.content = append(old, add...)
	sc, _, err := script.Parse(sp.content, sq.Path)
	if err != nil {
		return nil, fmt.Errorf("squash: the %s sections do not parse: %w", sp.dialect, err)
	}
	if sc.Revision != before.Revision || !slices.Equal(sc.Replaces, before.Replaces) {
		return nil, fmt.Errorf("squash: adding sections changed the header of %s", sq.Path)
	}
	return sp, nil
}

// replaceFile writes content over the file at path through a temporary
// file in its folder and a rename, so that the file is never half
// written.
func replaceFile(path string, content []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".squash-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(content); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
