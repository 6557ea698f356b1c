package retort

import (
	"bufio"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/script"
	"github.com/retortdb/retort/sqlsplit"
)

// current returns the version table's rows; none when it does not exist.
func (m *Project) current(ctx context.Context, q dialect.Querier) ([]string, error) {
	ok, err := m.d.TableExists(ctx, q, m.versionTable)
	if err != nil {
		return nil, fmt.Errorf("look for version table %s: %w", m.versionTable, err)
	}
	if !ok {
		return nil, nil
	}
	return m.readHeads(ctx, q)
}

// session is one online run: the connection that runs the steps and,
// where the dialect has session locks, holds the lock too, so that the
// lock and the work share fate (see open).
type session struct {
	m           *Project
	conn        *sql.Conn
	unlock      func()
	sessionLock bool   // the dialect's session lock is held on conn
	txLock      bool   // SQLite: the lock comes with each transaction
	lease       *lease // the lease lock, when the run holds one (lease.go)
}

// open connects and takes the lock; the tables may not exist yet.
//
// A dialect's session lock (PostgreSQL's advisory lock, MySQL's GET_LOCK)
// is taken on the connection that then runs the steps. If that connection
// ends (the server terminated it, the network dropped it), the lock is
// released and the step in progress dies with it: its transaction is
// rolled back, and database/sql never reconnects a *sql.Conn, so nothing
// of this run can reach the database once another runner may hold the
// lock. The run then stops with an error wrapping ErrLockLost. A lock held
// on a second connection could be lost while the step went on.
func (m *Project) open(ctx context.Context, db *sql.DB) (*session, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	s := &session{m: m, conn: conn, unlock: func() {}}
	if p := m.caps.SessionPreparer; p != nil {
		if err := p.PrepareSession(ctx, conn); err != nil {
			conn.Close()
			return nil, err
		}
	}
	if s.m, err = m.resolveTables(ctx, conn); err != nil {
		conn.Close()
		return nil, err
	}
	m = s.m
	if m.useLease() {
		if err := s.takeLease(ctx, db); err != nil {
			return nil, err
		}
		return s, nil
	}
	if l := m.caps.Locker; l != nil {
		unlock, err := l.Lock(ctx, conn, m.lockKey(), m.lockTimeout, func(holder string) {
			msg := "waiting for the migration lock held by another process"
			if holder != "" {
				msg += " (" + holder + ")"
			}
			m.log.Warn(msg)
		})
		if err != nil {
			conn.Close()
			return nil, err
		}
		// The key of the tables where they resolved too, when it differs
		// from the configured names' (a search_path in the URL puts them
		// in a schema): the key that a run configured with that schema
		// takes, as a fleet's run of one tenant schema does
		// (Project.InSchema). Runners that reach one table by either road
		// then exclude each other. The configured key is always taken
		// first, so two runners never wait for each other in a cycle.
		// (PostgreSQL, with its advisory locks: MySQL's lock names hold
		// the database already, and a WithLocker locker gets the one key
		// it was promised. Not for public, which is never a fleet's
		// tenant schema (package fleet refuses it), so that the default
		// run costs no more round trips.)
		if resolved := "retort:" + m.versionTable.String(); m.d.Name() == "postgres" && m.locker == nil && m.lockName != "" && resolved != m.lockKey() && m.versionTable.Schema != "public" {
			unlock2, err := l.Lock(ctx, conn, resolved, m.lockTimeout, func(holder string) {
				msg := "waiting for the migration lock of " + m.versionTable.String() + " held by another process"
				if holder != "" {
					msg += " (" + holder + ")"
				}
				m.log.Warn(msg)
			})
			if err != nil {
				_ = unlock(context.WithoutCancel(ctx))
				conn.Close()
				return nil, err
			}
			first := unlock
			unlock = func(ctx context.Context) error { return errors.Join(unlock2(ctx), first(ctx)) }
		}
		s.sessionLock = true
		s.unlock = func() { _ = unlock(context.WithoutCancel(ctx)) }
	} else if m.caps.TxLocker != nil {
		s.txLock = true
	}
	return s, nil
}

// needTwoConns refuses a *sql.DB limited to one connection when the run
// needs a second one for its lock (who names what holds it).
func needTwoConns(db *sql.DB, who string) error {
	if db.Stats().MaxOpenConnections == 1 {
		return fmt.Errorf("%s on a second connection: the *sql.DB allows only one (SetMaxOpenConns(1)); allow at least 2", who)
	}
	return nil
}

// close releases the lock and the connection. Where the dialect has
// session state that resolves names (dialect.TableResolver: PostgreSQL's
// search_path, MySQL's current database), the connection is closed rather
// than returned to the pool: a revision body may have changed its session
// (SET search_path, USE, SET ROLE, session variables), and the next user
// of a pooled connection, the application or the next run, would inherit
// that state.
func (s *session) close() {
	s.unlock()
	if s.m.caps.TableResolver != nil {
		discard(s.conn)
		return
	}
	s.conn.Close()
}

// ensureTables creates the version and history tables where they are
// missing: only once a command knows it will change the database.
func (s *session) ensureTables(ctx context.Context) error {
	m := s.m
	var created []dialect.Table
	if err := m.beginTx(ctx, s.conn); err != nil {
		return err
	}
	for _, t := range []struct {
		table dialect.Table
		ddl   []string
	}{{m.versionTable, m.d.CreateVersionTable(m.versionTable)}, {m.historyTable, m.d.CreateHistoryTable(m.historyTable)}} {
		ok, err := m.d.TableExists(ctx, s.conn, t.table)
		if err == nil && !ok {
			created = append(created, t.table)
			for _, q := range t.ddl {
				if _, err = s.conn.ExecContext(ctx, q); err != nil {
					break
				}
			}
		}
		if err != nil {
			return m.rollback(ctx, s.conn, fmt.Errorf("create table %s: %w", t.table, err))
		}
	}
	// A history table created just now has today's layout: only one of
	// an earlier run needs its columns read.
	if !slices.Contains(created, m.historyTable) {
		if err := m.upgradeHistory(ctx, s.conn); err != nil {
			return m.rollback(ctx, s.conn, err)
		}
	}
	if _, err := s.conn.ExecContext(ctx, m.d.Commit()); err != nil {
		return m.rollback(ctx, s.conn, fmt.Errorf("create tables: commit: %w", err))
	}
	return nil
}

// beginTx opens a transaction, taking SQLite's write lock with it.
func (m *Project) beginTx(ctx context.Context, conn *sql.Conn) error {
	if tl := m.caps.TxLocker; tl != nil {
		return tl.BeginLocked(ctx, conn, m.lockTimeout, func() {
			m.log.Warn("waiting for the database write lock held by another process (another retort, or an open write transaction)")
		})
	}
	if _, err := conn.ExecContext(ctx, m.d.Begin()); err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	return nil
}

// rollbackTimeout bounds the rollback of a failed transaction.
const rollbackTimeout = 10 * time.Second

// rollback ends the failed transaction on conn, whose failure is err, and
// returns err. It runs even when ctx was cancelled (a run stopped by its
// caller still rolls back), for at most rollbackTimeout. When the rollback
// fails, the error says so after err, which it still wraps, and conn is
// discarded: a connection in an unknown transaction state must never serve
// another query, neither of this run nor of the caller's pool.
func (m *Project) rollback(ctx context.Context, conn *sql.Conn, err error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
	defer cancel()
	if _, rerr := conn.ExecContext(ctx, "ROLLBACK"); rerr != nil {
		discard(conn)
		return fmt.Errorf("%w; rollback failed, the connection was discarded: %w", err, rerr)
	}
	return err
}

// discard closes conn without handing it back to its pool: database/sql
// closes the driver's connection when a use of it reports
// driver.ErrBadConn. Later uses of conn return sql.ErrConnDone.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
}

// migrate runs a planned upgrade or downgrade; each step committed is
// appended to res.Steps, also when it returns an error.
func (m *Project) migrate(ctx context.Context, db *sql.DB, up bool, planFn func([]string) (*revision.Plan, error), res *RunResult) (err error) {
	s, err := m.open(ctx, db)
	if err != nil {
		return err
	}
	defer s.close()
	// A lost lock is reported as such whatever the run was doing when it
	// went (reading the heads, creating the tables, between steps).
	defer func() { err = s.lockErr(err) }()
	// The run's tables are named as they resolved when it started.
	m = s.m
	ctx, stopWatch := s.watch(ctx) // cancelled if the lease is lost
	defer stopWatch()
	if err := m.checkDirty(ctx, s.conn); err != nil {
		return err
	}
	heads, err := m.current(ctx, s.conn)
	if err != nil {
		return err
	}
	r := &migration{m: m, s: s, up: up, planFn: planFn, res: res}
	// Plan before creating anything, so that a bad target or file leaves
	// the database as it was.
	if err := r.replan(ctx, heads); err != nil {
		return err
	}
	if up {
		if err := m.preflight(ctx, r.plan.Steps, s.conn); err != nil {
			return err
		}
	}
	if err := s.ensureTables(ctx); err != nil {
		return err
	}
	out := s.sink()
	if out.tmo.sql, err = m.timeoutSQL(ctx, s.conn); err != nil {
		return err
	}
	out.tmo.sql = m.withSearchPath(out.tmo.sql)
	for _, n := range out.tmo.sql.Notes {
		m.log.Warn(n)
	}
	if m.perRun {
		return r.runInOneTx(ctx, out)
	}
	if err := r.runSteps(ctx, out, heads); err != nil {
		return err
	}
	out.endRevisions(ctx)
	return nil
}

// migration is one run of migrate: its session and the plan it follows,
// with the bodies of the plan's steps. The plan is made again when the
// database moved under it.
type migration struct {
	m      *Project
	s      *session
	up     bool
	planFn func([]string) (*revision.Plan, error)
	res    *RunResult
	plan   *revision.Plan
	bodies []stepBody
}

// replan plans the run from heads and reads the bodies of its steps.
func (r *migration) replan(ctx context.Context, heads []string) error {
	if err := r.m.checkKnown(heads); err != nil {
		return err
	}
	p, err := r.planFn(heads)
	if err != nil {
		return err
	}
	if r.up && !r.m.allowChanged {
		if err := r.m.checkChanged(ctx, r.s.conn, heads); err != nil {
			return err
		}
	}
	b, err := r.m.prepare(p.Steps)
	if err != nil {
		return err
	}
	r.plan, r.bodies = p, b
	return nil
}

// partial is the error of a step that failed after others committed;
// its Result is the run's (measure sets the Duration on return).
func (r *migration) partial(failed string, err error) error {
	return &PartialError{Applied: r.res.Revisions(), Failed: failed, Result: r.res, Err: err}
}

// runInOneTx runs the plan in one transaction for the whole run: its
// steps are reported once it commits.
func (r *migration) runInOneTx(ctx context.Context, out *onlineSink) error {
	m, s := r.m, r.s
	if err := out.beginRevision(ctx); err != nil {
		return out.rollback(ctx, err)
	}
	heads, err := m.readHeads(ctx, s.conn)
	if err == nil {
		err = r.replan(ctx, heads)
	}
	var done []StepResult
	for i := 0; err == nil && i < len(r.plan.Steps); i++ {
		step, body := r.plan.Steps[i], r.bodies[i]
		if len(body.noTx) > 0 {
			at := body.firstNoTx()
			err = &ScriptError{Revision: step.Revision, Path: at.Path, Line: at.Line,
				Err: errors.New("a -- +no-transaction statement cannot run with transaction_per = \"run\"")}
			break
		}
		if q := m.searchPathSQL(); q != "" && i > 0 {
			// The run's one transaction: each revision starts with the
			// schema's search_path again (InSchema), as each of its own
			// transactions would.
			if _, err = s.conn.ExecContext(ctx, q); err != nil {
				err = fmt.Errorf("%s: %w", q, err)
				break
			}
		}
		if err = s.lostLock(); err == nil {
			start := time.Now()
			if err = m.runStep(ctx, out, step, body, false, nil); err == nil {
				done = append(done, m.newStepResult(step, len(body.stmts), start, true))
			}
		}
	}
	if err == nil {
		err = s.lostLock()
	}
	if err != nil {
		return s.lockErr(out.rollback(ctx, err))
	}
	if err := out.commit(ctx); err != nil {
		return err
	}
	for i, res := range done {
		m.stepDone(r.plan.Steps[i], res)
		r.res.Steps = append(r.res.Steps, res)
		heads = revision.ApplyOps(heads, r.plan.Steps[i].Ops)
	}
	r.res.Heads, r.res.HeadsRead = slices.Sorted(slices.Values(heads)), true
	return nil
}

// runSteps runs the plan from heads one step at a time, each step
// committed (and reported) on its own.
func (r *migration) runSteps(ctx context.Context, out *onlineSink, heads []string) error {
	m, s := r.m, r.s
	// marked is the step about to run when the step before it committed
	// its dirty mark (joinNext).
	var marked *stepRun
	for first := true; len(r.plan.Steps) > 0; first = false {
		step := r.plan.Steps[0]
		if err := s.holdsLock(ctx); err != nil {
			return r.partial(step.Revision, err)
		}
		// Under the lock, in the step's first transaction: is the database
		// still where the plan assumed? Another runner may have moved it.
		var moved []string
		check := func() error {
			now, err := m.readHeads(ctx, s.conn)
			if err != nil {
				return err
			}
			if !sameSet(now, heads) {
				moved = now
				return errMoved
			}
			return nil
		}
		if s.sessionLock && !first {
			// A session lock has been held on this very connection since
			// the run read the heads and planned, and the run's own
			// commits made the heads what they are: no other runner can
			// have moved them (if the lock's connection ended, nothing of
			// this run reaches the database again). Only the first step
			// reads them (a round trip saved per step). Without a session
			// lock (SQLite's is each transaction's; a lease can be taken
			// over) every step reads them.
			check = nil
		}
		start := time.Now()
		cur := newStepRun(step, r.bodies[0], check)
		if marked != nil {
			// Its history row counts from its mark; its result from here,
			// where the step before it ended, so that the steps' durations
			// add up to no more than the run's.
			cur.marked, cur.markedAt = true, marked.markedAt
			marked = nil
		}
		// The next step's dirty mark may commit with this step's clean
		// mark (joinNext): one commit per step instead of two.
		var next stepRun
		if len(r.plan.Steps) > 1 && r.canJoin(out) {
			next = newStepRun(r.plan.Steps[1], r.bodies[1], nil)
			if !m.atomic(next.body) {
				cur.next = &next
			}
		}
		err := m.runStepRun(ctx, out, cur, true)
		if errors.Is(err, errMoved) {
			if rerr := out.rollback(ctx, err); rerr != err { // the rollback failed
				return r.partial(step.Revision, s.lockErr(rerr))
			}
			heads = moved
			if err := r.replan(ctx, heads); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return r.partial(step.Revision, s.lockErr(out.rollback(ctx, err)))
		}
		res := m.newStepResult(step, len(r.bodies[0].stmts), start, m.atomic(r.bodies[0]))
		m.stepDone(step, res)
		r.res.Steps = append(r.res.Steps, res)
		heads = revision.ApplyOps(heads, step.Ops)
		r.plan.Steps, r.bodies = r.plan.Steps[1:], r.bodies[1:]
		if cur.next != nil && next.marked {
			marked = &next
		}
	}
	r.res.Heads, r.res.HeadsRead = slices.Sorted(slices.Values(heads)), true
	return nil
}

// canJoin reports whether a step's clean mark may carry the next step's
// dirty mark in one transaction (markCleanJoined): where the clean mark is
// one multi-table UPDATE (dialect.MultiTableUpdater) and the next step's
// mark would be one statement in autocommit, and under a session lock held
// on this connection, so that nothing is checked between the two steps
// (no heads to re-read, no lease to renew: a lost lock ends the
// connection, and the transaction with it).
func (r *migration) canJoin(out sink) bool {
	j := r.m.caps.MultiTableUpdater
	return j != nil && j.MultiTableUpdate() && r.s.sessionLock && r.s.lease == nil && out.autocommits()
}

// errMoved is returned by a step whose database moved since it was planned.
var errMoved = errors.New("the version table moved")

// stepBody is a step's statements, read and split before anything runs.
type stepBody struct {
	stmts []dialect.Stmt
	// ops is set for a Go revision: stmts[k] then stands for ops[k] (its
	// SQL is the operation's description, its Line the line that recorded
	// it), which is rendered and run when its turn comes (execUnit).
	ops      []op.Op
	checksum string
	path     string
	noTx     []int // lines of statements that run outside a transaction
}

// firstNoTx is the first statement of b that runs outside a transaction
// (its Path is the file that recorded it, for a Go revision's operation).
func (b stepBody) firstNoTx() dialect.Stmt {
	for _, st := range b.stmts {
		if st.NoTx {
			return st
		}
	}
	return dialect.Stmt{Path: b.path}
}

// prepare reads, checks and splits the bodies of every step before
// anything runs, so that a malformed file (a misspelt marker among them),
// a missing downgrade section, a file with sections only for other
// dialects or unsplittable SQL stops the command with the database
// untouched, online and offline. Each SQL file gives the sections of
// m's dialect (script.Body.For) and records their checksum.
func (m *Project) prepare(steps []revision.Step) ([]stepBody, error) {
	out := make([]stepBody, len(steps))
	scripts := make([]*script.Script, len(steps))
	for i, s := range steps {
		id := s.Revision
		if s.Stamp {
			// A stamp's row carries the checksum of the file it stamps
			// to; one that only removes a head names no file.
			if len(s.To) != 1 {
				continue
			}
			id = s.To[0]
		}
		if scripts[i] = m.scripts[id]; scripts[i] == nil {
			return nil, fmt.Errorf("revision %s has no script", id)
		}
	}
	read, err := script.Bodies(scripts)
	if err != nil {
		return nil, err
	}
	for i, s := range steps {
		if s.Stamp {
			if scripts[i] != nil {
				sum := read[i].For(m.d.Name()).Checksum // as an upgrade records it
				out[i] = stepBody{checksum: hex.EncodeToString(sum[:]), path: scripts[i].Path}
			}
			continue
		}
		sc, body := scripts[i], read[i]
		if sc.Format == "go" {
			b, err := m.prepareGo(s, sc, body)
			if err != nil {
				return nil, err
			}
			out[i] = b
			continue
		}
		// What this dialect runs: its own sections where the file has
		// them, and the checksum of that (the whole file's when it has no
		// dialect sections).
		full := body
		body = full.For(m.d.Name())
		sec := body.Upgrade
		if !s.Up {
			sec = body.Downgrade
		}
		if !sec.Present {
			if have := full.Dialects(s.Up); len(have) > 0 {
				return nil, &ScriptError{Revision: s.Revision, Path: sc.Path,
					Err: &DialectSectionError{Dialect: m.d.Name(), Up: s.Up, Have: have}}
			}
			return nil, &ScriptError{Revision: s.Revision, Path: sc.Path, Err: ErrNoDowngrade}
		}
		stmts, err := sqlsplit.Split(sec.SQL, m.d.SplitOptions())
		if err != nil {
			var se *sqlsplit.Error
			line := sec.Line
			if errors.As(err, &se) {
				line = sec.Line + se.Line - 1
				err = errors.New(se.Msg)
			}
			return nil, &ScriptError{Revision: s.Revision, Path: sc.Path, Line: line, Err: err}
		}
		out[i] = stepBody{checksum: hex.EncodeToString(body.Checksum[:]), path: sc.Path}
		for _, st := range stmts {
			line := sec.Line + st.Line - 1 + leadingCommentLines(st.Text)
			out[i].stmts = append(out[i].stmts, dialect.Stmt{SQL: st.Text, NoTx: st.NoTx, Path: sc.Path, Line: line})
			if st.NoTx {
				out[i].noTx = append(out[i].noTx, line)
			}
		}
	}
	return out, nil
}

// runStep runs one migration and records it. Where DDL is transactional
// and no statement asks to run outside a transaction, the body, the
// history row and the version change commit together (runAtomic).
// Otherwise the history row is written first, marked dirty, its statement
// count moves as statements complete, and the last transaction records
// the version change and marks it clean (runDirty). ownTx is false inside
// a run-wide transaction. check, when set, runs first in the step's first
// transaction; its error stops the step before anything changed.
func (m *Project) runStep(ctx context.Context, out sink, step revision.Step, body stepBody, ownTx bool, check func() error) error {
	return m.runStepRun(ctx, out, newStepRun(step, body, check), ownTx)
}

// runStepRun is runStep of a step made ready by newStepRun.
func (m *Project) runStepRun(ctx context.Context, out sink, r stepRun, ownTx bool) error {
	if m.atomic(r.body) || !ownTx {
		return m.runAtomic(ctx, out, r, ownTx)
	}
	return m.runDirty(ctx, out, r)
}

// newStepRun is step with its body, as runStep runs it.
func newStepRun(step revision.Step, body stepBody, check func() error) stepRun {
	r := stepRun{step: step, body: body, rev: step.Revision, dir: "down", check: check}
	if step.Up {
		r.dir = "up"
	}
	if step.Stamp {
		r.dir = "stamp"
		r.rev = stampRevision(step)
	}
	return r
}

// stepRun is one step as runStep runs it.
type stepRun struct {
	step  revision.Step
	body  stepBody
	rev   string // the revision its history row names
	dir   string // its history row's direction: "up", "down" or "stamp"
	check func() error
	// marked is set when the step's history row was committed marked
	// dirty, at markedAt, with the clean mark of the step before it
	// (markCleanJoined): runDirty does not mark it again.
	marked   bool
	markedAt time.Time
	// next, when set, is the step that follows, run dirty too: its dirty
	// mark may commit with this step's clean mark, which then sets its
	// marked and markedAt.
	next *stepRun
}

// startStep runs at the start of the step's first transaction: the check,
// then the log line and the comment that announce the step.
func (m *Project) startStep(ctx context.Context, out sink, r stepRun) error {
	if r.check != nil {
		if err := r.check(); err != nil {
			return err
		}
	}
	out.stepStarted(ctx, r.step)
	out.comment("Running " + r.step.Verb() + " " + r.step.Arrow())
	return nil
}

// stmtErr is the error of statement st of the step.
func (r stepRun) stmtErr(st dialect.Stmt, err error) error {
	return &StmtError{Revision: r.step.Revision, Path: st.Path, Line: st.Line, SQL: st.SQL, Err: err}
}

// runAtomic runs the step's body and records it in one transaction: its
// own when ownTx is set, else the run-wide one already open.
func (m *Project) runAtomic(ctx context.Context, out sink, r stepRun, ownTx bool) error {
	start := time.Now()
	if ownTx {
		if err := out.beginRevision(ctx); err != nil {
			return err
		}
		start = time.Now() // the step starts once it holds the lock (SQLite)
	}
	if err := m.startStep(ctx, out, r); err != nil {
		return err
	}
	for k, st := range r.body.stmts {
		if err := m.execUnit(ctx, out, r.body, k); err != nil {
			return r.stmtErr(st, err)
		}
	}
	h := historyRecord{revision: r.rev, direction: r.dir, checksum: r.body.checksum, stmtIndex: len(r.body.stmts), start: start}
	if err := m.record(ctx, out, r.step, h); err != nil {
		return err
	}
	if ownTx {
		return out.commit(ctx)
	}
	return nil
}

// runDirty runs the step dirty first: its history row is committed marked
// dirty before the body runs, and marked clean with the version change.
func (m *Project) runDirty(ctx context.Context, out sink, r stepRun) (err error) {
	var start time.Time
	if r.marked {
		// The step before it committed this step's dirty mark
		// (joinNext); startMarked sets the statement timeouts, and takes
		// the mark back if they cannot be set.
		start = r.markedAt
		if err := m.startMarked(ctx, out, r); err != nil {
			return err
		}
	} else {
		// The statement timeouts, for the session: before the step is
		// marked dirty, so that a SET that fails leaves nothing to
		// resolve.
		if err := out.sessionTimeouts(ctx); err != nil {
			return err
		}
		if start, err = m.markDirty(ctx, out, r); err != nil {
			return err
		}
	}
	// The step is dirty in the history table until the commit that marks
	// it clean: a failure from here on leaves it so, and says so at once,
	// with the progress recorded (done statements).
	done := 0
	defer func() {
		if err != nil {
			err = out.leftDirty(err, r, done)
		}
	}()
	var inTx bool
	inTx, done, err = m.runDirtyBody(ctx, out, r)
	if err != nil {
		return err
	}
	return m.markClean(ctx, out, r, inTx, start)
}

// markDirty commits the step's history row marked dirty, in the step's
// first transaction; it returns when the step started.
func (m *Project) markDirty(ctx context.Context, out sink, r stepRun) (time.Time, error) {
	start := time.Now()
	ins, err := m.historyInsert(out.stmt(), historyRecord{revision: r.rev, direction: r.dir, checksum: r.body.checksum, dirty: true, start: start})
	if err != nil {
		return start, err
	}
	if r.check == nil && out.autocommits() {
		// The row alone: committed by itself, as one statement outside a
		// transaction is, without BEGIN and COMMIT round trips.
		if err := m.startStep(ctx, out, r); err != nil {
			return start, err
		}
		if err := out.exec(ctx, ins); err != nil {
			return start, fmt.Errorf("mark %s dirty in %s: %w", r.rev, m.historyTable, err)
		}
		return start, nil
	}
	if err := out.begin(ctx); err != nil {
		return start, err
	}
	start = time.Now()
	if err := m.startStep(ctx, out, r); err != nil {
		return start, err
	}
	if err := out.exec(ctx, ins); err != nil {
		return start, fmt.Errorf("mark %s dirty in %s: %w", r.rev, m.historyTable, err)
	}
	return start, out.commit(ctx)
}

// startMarked starts a step whose dirty mark the step before it committed
// (markCleanJoined). A run stopped before the step's first statement (its
// context ended between the steps: an interrupt, a step observer that
// cancelled it) takes the mark back, as if the step had never started,
// which is what the run would have left had it marked the step apart:
// the mark's statement would have failed on the ended context. If taking
// it back fails, the step is left dirty with no statement done, the state
// a crash between a dirty mark and the first statement leaves.
func (m *Project) startMarked(ctx context.Context, out sink, r stepRun) error {
	err := ctx.Err()
	if err != nil {
		err = fmt.Errorf("mark %s dirty in %s: %w", r.rev, m.historyTable, err)
	} else {
		// The session's statement timeouts (set by an earlier step
		// already, then nothing is sent): a SET that fails takes the
		// mark back too, as it would have come before a mark of its own.
		err = out.sessionTimeouts(ctx)
	}
	if err != nil {
		b := out.stmt()
		b.p("DELETE FROM ").table(m.historyTable).p(" WHERE dirty = 1 AND stmt_index = 0 AND revision = ").v(r.rev)
		del, berr := b.done()
		if berr == nil {
			uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
			defer cancel()
			berr = out.exec(uctx, del)
		}
		if berr != nil {
			return out.leftDirty(fmt.Errorf("%w; taking back its dirty mark: %w", err, berr), r, 0)
		}
		return err
	}
	return m.startStep(ctx, out, r)
}

// runDirtyBody runs the statements of a dirty step, each in a transaction
// where DDL is transactional and the statement allows it, recording the
// progress after each. It returns whether the last statement's
// transaction is still open and how many statements' progress is recorded.
func (m *Project) runDirtyBody(ctx context.Context, out sink, r stepRun) (inTx bool, done int, err error) {
	for k, st := range r.body.stmts {
		wantTx := m.d.TransactionalDDL() && !st.NoTx
		if inTx && !wantTx {
			if err := out.commit(ctx); err != nil {
				return inTx, done, err
			}
			inTx = false
		}
		if wantTx && !inTx {
			if err := out.begin(ctx); err != nil {
				return inTx, done, err
			}
			inTx = true
		}
		if err := m.execUnit(ctx, out, r.body, k); err != nil {
			return inTx, done, r.stmtErr(st, err)
		}
		if k == len(r.body.stmts)-1 {
			// The last statement's progress is recorded by the clean-up
			// (markClean), with the version change: one commit less per
			// step. A crash in between reads as "statement k may have
			// run", as a crash between any statement and its progress does.
			break
		}
		progress, err := m.historyProgress(out.stmt(), r.rev, k+1)
		if err != nil {
			return inTx, done, err
		}
		if inTx {
			err = out.exec(ctx, progress)
		} else {
			err = m.inTx(ctx, out, progress)
		}
		if err != nil {
			return inTx, done, fmt.Errorf("record progress of %s: %w", r.rev, err)
		}
		done = k + 1
	}
	return inTx, done, nil
}

// markClean records the version change of a dirty step and marks its
// history row clean and finished, in one transaction (the last
// statement's, when inTx).
func (m *Project) markClean(ctx context.Context, out sink, r stepRun, inTx bool, start time.Time) error {
	if done, err := m.markCleanJoined(ctx, out, r, inTx, start); done || err != nil {
		return err
	}
	if !inTx {
		if err := out.begin(ctx); err != nil {
			return err
		}
	}
	for _, op := range r.step.Ops {
		if err := m.execVersionOp(ctx, out, op); err != nil {
			return err
		}
	}
	clean, err := m.historyFinish(out.stmt(), r.rev, len(r.body.stmts), start)
	if err != nil {
		return err
	}
	if err := out.exec(ctx, clean); err != nil {
		return fmt.Errorf("mark %s clean in %s: %w", r.rev, m.historyTable, err)
	}
	return out.commit(ctx)
}

// markCleanJoined is markClean as one multi-table UPDATE of the version
// row and the history row (dialect.MultiTableUpdater), where the step
// moves one head (one version change, an update) and a lone statement
// commits by itself: one statement, atomic as any, and a COMMIT (a no-op
// in autocommit mode; it commits what a body that turned autocommit off
// left open) instead of a transaction of two. It reports whether it
// marked the step clean; when the UPDATE matched no row it changed
// nothing, and markClean runs the two statements apart, whose errors
// say which did not match.
//
// When r.next is set, the UPDATE and the next step's dirty mark commit in
// one transaction (joinNext): one commit, and one log flush, per step
// instead of two.
func (m *Project) markCleanJoined(ctx context.Context, out sink, r stepRun, inTx bool, start time.Time) (bool, error) {
	j := m.caps.MultiTableUpdater
	if j == nil || !j.MultiTableUpdate() || inTx || !out.autocommits() ||
		len(r.step.Ops) != 1 || r.step.Ops[0].Kind != revision.Update {
		return false, nil
	}
	op := r.step.Ops[0]
	b := out.stmt()
	b.p("UPDATE ").table(m.versionTable).p(" AS v, ").table(m.historyTable).p(" AS h SET v.version_num = ").v(op.To).
		p(", h.dirty = 0, h.stmt_index = ").v(len(r.body.stmts)).p(", h.finished_at = ").p(m.d.Now()).
		p(", h.duration_ms = ").v(time.Since(start).Milliseconds()).
		p(" WHERE v.version_num = ").v(op.From).p(" AND h.dirty = 1 AND h.revision = ").v(r.rev)
	st, err := b.done()
	if err != nil {
		return false, err
	}
	if r.next != nil {
		if done, err := m.joinNext(ctx, out, r, st); done || err != nil {
			return done, err
		}
	}
	n, err := out.execRows(ctx, st)
	if err != nil {
		return false, fmt.Errorf("mark %s clean in %s and %s version table %s: %w", r.rev, m.historyTable, op.Kind, m.versionTable, err)
	}
	if n == 0 {
		return false, nil
	}
	if err := out.exec(ctx, dialect.Stmt{SQL: m.d.Commit()}); err != nil {
		return false, fmt.Errorf("mark %s clean in %s: commit: %w", r.rev, m.historyTable, err)
	}
	return true, nil
}

// joinNext commits the clean mark of step r (the multi-table UPDATE
// clean) and the dirty mark of the step after it, r.next, in one
// transaction, and sets r.next.marked. Each state a crash or a failure
// can leave is one the two apart leave too (docs/safety.md, "One commit
// between two dirty steps"): before the COMMIT, r is dirty with its
// statements run and r.next not started (a crash between r's last
// statement and its clean mark); after it, r is clean and r.next dirty
// with no statement done (a crash between r.next's dirty mark and its
// first statement). When the UPDATE matches nothing or the mark fails,
// the transaction is rolled back, which leaves r as it was, and it
// reports false: markCleanJoined goes on as it would alone, and r.next
// marks itself, with the errors those give.
func (m *Project) joinNext(ctx context.Context, out sink, r stepRun, clean dialect.Stmt) (bool, error) {
	next := r.next
	if err := out.begin(ctx); err != nil {
		return false, err
	}
	undo := func(err error) error {
		// A rollback that fails discards the connection: the run stops
		// with r dirty, its statements run (its clean mark not committed).
		if rerr := out.rollback(ctx, err); rerr != err {
			return fmt.Errorf("mark %s clean in %s: %w", r.rev, m.historyTable, rerr)
		}
		return nil
	}
	n, err := out.execRows(ctx, clean)
	if err != nil || n == 0 {
		if err == nil {
			err = errors.New("the clean mark matched no row")
		}
		return false, undo(err)
	}
	markedAt := time.Now()
	ins, err := m.historyInsert(out.stmt(), historyRecord{revision: next.rev, direction: next.dir, checksum: next.body.checksum, dirty: true, start: markedAt})
	if err != nil {
		return false, undo(err)
	}
	if err := out.exec(ctx, ins); err != nil {
		return false, undo(err)
	}
	if err := out.commit(ctx); err != nil {
		return false, fmt.Errorf("mark %s clean in %s: %w", r.rev, m.historyTable, err)
	}
	next.marked, next.markedAt = true, markedAt
	return true, nil
}

// inTx runs one statement in a transaction of its own: outside any
// where a lone statement commits by itself (sink.autocommits).
func (m *Project) inTx(ctx context.Context, out sink, st dialect.Stmt) error {
	if out.autocommits() {
		return out.exec(ctx, st)
	}
	if err := out.begin(ctx); err != nil {
		return err
	}
	if err := out.exec(ctx, st); err != nil {
		return err
	}
	return out.commit(ctx)
}

// stampRevision is the revision a stamp step's history row names: where
// it goes, or the head it removes.
func stampRevision(s revision.Step) string {
	if len(s.To) > 0 {
		return strings.Join(s.To, ",")
	}
	return strings.Join(s.From, ",")
}

// execVersionOp makes one version-table change through the sink.
func (m *Project) execVersionOp(ctx context.Context, out sink, op revision.VersionOp) error {
	st, err := m.versionStmt(out.stmt(), op)
	if err != nil {
		return err
	}
	return out.versionChange(ctx, st, op)
}

// stamp is Provider.Stamp's body (purge: StampPurge's): the committed steps are set in res.Steps.
func (m *Project) stamp(ctx context.Context, db *sql.DB, targets []string, purge bool, res *RunResult) error {
	s, err := m.open(ctx, db)
	if err != nil {
		return err
	}
	defer s.close()
	m = s.m // its tables named as resolved when the run started
	// Check the targets before creating anything.
	heads, err := m.current(ctx, s.conn)
	if err != nil {
		return err
	}
	if !purge {
		if err := m.checkKnown(heads); err != nil {
			return err
		}
		if _, err := m.graph.Stamp(heads, targets); err != nil {
			return err
		}
	}
	if err := s.ensureTables(ctx); err != nil {
		return err
	}
	out := s.sink()
	if err := out.begin(ctx); err != nil {
		return err
	}
	var (
		steps []revision.Step
		done  []StepResult
	)
	err = func() error {
		heads, err := m.readHeads(ctx, s.conn)
		if err != nil {
			return err
		}
		if purge {
			q := dialect.NewBuilder(m.d).P("DELETE FROM ").Table(m.versionTable).String()
			if _, err := s.conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("purge version table: %w", err)
			}
			heads = nil
		} else if err := m.checkKnown(heads); err != nil {
			return err
		}
		plan, err := m.graph.Stamp(heads, targets)
		if err != nil {
			return err
		}
		bodies, err := m.prepare(plan.Steps)
		if err != nil {
			return err
		}
		for i, st := range plan.Steps {
			out.stepStarted(ctx, st)
			start := time.Now()
			if err := m.record(ctx, out, st, historyRecord{revision: stampRevision(st), direction: "stamp", checksum: bodies[i].checksum, start: start}); err != nil {
				return err
			}
			steps, done = append(steps, st), append(done, m.newStepResult(st, 0, start, true))
		}
		return nil
	}()
	if err != nil {
		return out.rollback(ctx, err)
	}
	if err := out.commit(ctx); err != nil {
		return err
	}
	for i, r := range done {
		m.stepDone(steps[i], r)
		res.Steps = append(res.Steps, r)
	}
	return nil
}

// writeSQL renders a plan as one script: the tables' DDL when it starts
// from base, then each step as the online run would execute it.
func (m *Project) writeSQL(ctx context.Context, w io.Writer, start []string, plan *revision.Plan) error {
	bodies, err := m.prepare(plan.Steps)
	if err != nil {
		return err
	}
	if err := checkOffline(plan.Steps, bodies); err != nil {
		return err
	}
	// One write per 64 KiB, not per statement: a script of thousands of
	// steps is tens of thousands of statements.
	bw := bufio.NewWriterSize(w, 64<<10)
	out := &offlineSink{m: m, w: bw}
	if out.tmo.sql, err = m.timeoutSQL(ctx, nil); err != nil {
		return err
	}
	out.tmo.sql = m.withSearchPath(out.tmo.sql)
	if err := m.writeSteps(ctx, out, start, plan, bodies); err != nil {
		return err
	}
	return bw.Flush()
}

func (m *Project) writeSteps(ctx context.Context, out *offlineSink, start []string, plan *revision.Plan, bodies []stepBody) error {
	if p := m.caps.ScriptPreambler; p != nil {
		for _, q := range p.ScriptPreamble() {
			out.write(q)
		}
	}
	for _, n := range out.tmo.sql.Notes {
		m.log.Warn(n)
		out.comment(n)
	}
	if len(start) == 0 {
		for _, q := range append(m.d.CreateVersionTable(m.versionTable), m.d.CreateHistoryTable(m.historyTable)...) {
			out.write(q + ";")
		}
	}
	if m.tag != "" {
		// Even from base: the tables may be there, of an earlier layout
		// (a database downgraded to base keeps them).
		m.writeTagColumn(out)
	}
	for i, s := range plan.Steps {
		if s.Stamp {
			out.stepStarted(ctx, s)
			out.comment("Running " + s.Verb() + " " + s.Arrow())
			if err := out.begin(ctx); err != nil {
				return err
			}
			if err := m.record(ctx, out, s, historyRecord{revision: stampRevision(s), direction: "stamp", checksum: bodies[i].checksum, start: time.Now()}); err != nil {
				return err
			}
			if err := out.commit(ctx); err != nil {
				return err
			}
			continue
		}
		if err := m.runStep(ctx, out, s, bodies[i], true, nil); err != nil {
			return err
		}
	}
	out.endRevisions(ctx)
	return out.err
}

// leadingCommentLines counts the lines of comments and blank lines that
// open a statement's text, so that errors point at its first line of code.
func leadingCommentLines(text string) int {
	n := 0
	for {
		line, rest, more := strings.Cut(text, "\n")
		t := strings.TrimSpace(line)
		if !more || t != "" && !strings.HasPrefix(t, "--") {
			return n
		}
		n++
		text = rest
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}
