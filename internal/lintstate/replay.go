package lintstate

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/scratch"
	"github.com/retortdb/retort/lint/sqlast"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

// Replayer keeps a scratch database at a set of applied revisions,
// replayed with the project's own runner: what the schema state
// (Provider.Before) and lint --trace (cli/lint_trace.go) both run each
// linted revision on. One scratch database serves successive sets while
// each holds the revisions applied so far (the linted revisions taken
// oldest first, along one branch); a set without one of them (another
// branch), or a database Discard dropped, makes a new one. It is not
// safe for concurrent use.
type Replayer struct {
	proj      *retort.Project
	server    string // where scratch databases are made (scratch.New)
	baseDir   string
	db        *scratch.DB
	prov      *retort.Provider
	cur       map[string]bool // the revisions applied to db
	scratches int
	replayed  int
	protect   []string // databases the replay must not name (Protect)
}

// Protect names databases a replay must not reach (reaches). On MySQL a
// database-qualified name (db.t) or USE db in a revision reaches any
// database of the scratch server, the target's when the scratch database
// is made beside it (no dev_url): a revision whose SQL names one of them
// is not replayed (a *ReplayError), and the state is unknown from it on.
// Other dialects cannot reach another database from SQL.
func (r *Replayer) Protect(dbs ...string) {
	for _, db := range dbs {
		if db != "" {
			r.protect = append(r.protect, db)
		}
	}
}

// reaches says why revision id's SQL must not run on the scratch
// database, or "": a statement that acts on the server outside the
// scratch database (sqlast.ServerWide: a database, role or tablespace
// made, altered or dropped, MySQL grants, SQLite's ATTACH of a file);
// on MySQL a name of a database of r.protect (db.t, USE db). A Go
// revision's Execute operations are read (goSQL).
func (r *Replayer) reaches(id string) string {
	dn := r.proj.Dialect().Name()
	lexer, ok := sqlast.DialectFor(dn)
	if !ok {
		return ""
	}
	sc := r.proj.Script(id)
	if sc == nil {
		return ""
	}
	var text string
	if sc.Format == "go" {
		text = goSQL(sc)
	} else {
		body, err := sc.Body()
		if err != nil {
			return "" // the upgrade fails on it, as it would
		}
		text = body.For(dn).Upgrade.SQL
	}
	var toks []sqlast.Token
	for _, t := range sqlast.Lex(text, lexer) {
		if t.Kind != sqlast.Comment {
			toks = append(toks, t)
		}
	}
	if what := sqlast.ServerWide(text, lexer); what == "ATTACH" {
		return "it attaches a database file, which the replay would write outside its in-memory scratch database"
	} else if what != "" {
		return "its " + what + " would act on the scratch server outside the scratch database (the target's server, without dev_url)"
	}
	for i, t := range toks {
		if dn != "mysql" || !t.IsIdent() {
			continue
		}
		for _, db := range r.protect {
			if strings.EqualFold(t.Name, db) && (i+1 < len(toks) && toks[i+1].IsPunct(".") || i > 0 && toks[i-1].Is("USE")) {
				return "it names database " + db + ", which the scratch server holds beside the scratch database (point dev_url at another server)"
			}
		}
	}
	return ""
}

// goSQL is the SQL of a Go revision's Execute operations, recorded
// offline as lint records them, for reaches. A revision that does not
// record offline (it reads -x arguments, say) gives none; what op.Run
// does is not seen.
func goSQL(sc *script.Script) string {
	if sc.Go == nil || sc.Go.Upgrade == nil {
		return ""
	}
	rec := op.NewOps()
	if sc.Go.Upgrade(rec) != nil {
		return ""
	}
	var b strings.Builder
	for _, o := range rec.List() {
		if e, ok := o.(op.Execute); ok {
			b.WriteString(e.SQL + ";\n")
		}
	}
	return b.String()
}

// NewReplayer returns a Replayer of proj's revisions on scratch
// databases made on server (dev_url, else the database URL; SQLite in
// memory), relative SQLite paths taken from baseDir.
func NewReplayer(proj *retort.Project, server, baseDir string) *Replayer {
	return &Replayer{proj: proj, server: server, baseDir: baseDir}
}

// ScratchError is a scratch database that could not be made.
type ScratchError struct{ Err error }

func (e *ScratchError) Error() string { return "cannot make a scratch database: " + e.Err.Error() }
func (e *ScratchError) Unwrap() error { return e.Err }

// ReplayError is an upgrade of the scratch database that failed: Failed
// is the revision that failed (the one the error names, else Target),
// Target the revision upgraded to.
type ReplayError struct {
	Failed, Target string
	Err            error
}

func (e *ReplayError) Error() string {
	return fmt.Sprintf("revision %s failed on the scratch database: %v", e.Failed, e.Err)
}
func (e *ReplayError) Unwrap() error { return e.Err }

// To brings the scratch database to the revisions of applied (a set
// closed under ancestors): on the one it has when that holds nothing
// outside applied, else on a new one. Its errors are a *ScratchError, a
// *ReplayError (the scratch database is then dropped) or the context's.
func (r *Replayer) To(ctx context.Context, applied map[string]bool) error {
	for id := range r.cur {
		if !applied[id] {
			r.Discard() // a revision of another branch: start again
			break
		}
	}
	if r.db == nil {
		db, err := scratch.New(ctx, r.server, r.baseDir)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &ScratchError{Err: err}
		}
		r.scratches++
		r.db, r.prov, r.cur = db, r.proj.Bind(db.SQL), map[string]bool{}
	}
	var targets []string
	for id := range applied {
		if !r.cur[id] {
			targets = append(targets, id)
		}
	}
	slices.Sort(targets)
	for _, id := range targets {
		if why := r.reaches(id); why != "" {
			return &ReplayError{Failed: id, Target: id, Err: fmt.Errorf("not replayed: %s", why)}
		}
	}
	// Upgrading to the newest missing revisions applies the others on
	// the way; a revision none of the others descends from is a target.
	slices.Sort(targets)
	for _, h := range headsOf(r.proj.Graph().Ancestors, targets) {
		res, err := r.prov.Upgrade(ctx, h)
		if res != nil {
			r.replayed += len(res.Steps)
		}
		if err != nil {
			r.Discard()
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &ReplayError{Failed: failedRevision(err, h), Target: h, Err: err}
		}
	}
	for id := range applied {
		r.cur[id] = true
	}
	return nil
}

// Before brings the scratch database to the ancestors of revision id,
// id left out: the schema id runs on.
func (r *Replayer) Before(ctx context.Context, id string) error {
	return r.To(ctx, Ancestors(r.proj, id))
}

// Ancestors are the revisions applied before id: the closure of its
// down revisions and depends_on, id left out.
func Ancestors(proj *retort.Project, id string) map[string]bool {
	applied := map[string]bool{}
	for _, a := range proj.Graph().Ancestors([]string{id}) {
		if a != id {
			applied[a] = true
		}
	}
	return applied
}

// DB is the scratch database as To left it; nil before To, after
// Discard, after a failed To.
func (r *Replayer) DB() *scratch.DB { return r.db }

// Discard drops the scratch database: the next To makes a new one (a
// trace committed part of a revision on it, say).
func (r *Replayer) Discard() {
	_ = r.Close()
}

// Close drops the scratch database, if any.
func (r *Replayer) Close() error {
	if r.db == nil {
		return nil
	}
	err := r.db.Close()
	r.db, r.prov, r.cur = nil, nil, nil
	return err
}

// Scratches is the number of scratch databases made.
func (r *Replayer) Scratches() int { return r.scratches }

// Replayed is the number of revisions applied on the scratch databases.
func (r *Replayer) Replayed() int { return r.replayed }
