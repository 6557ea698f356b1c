// Package pgtrace runs the statements of a revision on a PostgreSQL
// database and reads what each one did: the table locks it took
// (pg_locks of the session), the tables it rewrote (pg_class.relfilenode
// before and after) and the tables it scanned in full
// (pg_stat_xact_user_tables.seq_scan). It is what retort lint --trace
// runs on a scratch database, and what checks lint.PostgresLock, the
// static lock classification, against the server.
//
// The statements of a revision run in one transaction, each under a
// savepoint (a failed statement is rolled back to it and the next one
// runs), and the transaction is rolled back at the end. A statement that
// cannot run in a transaction (CREATE INDEX CONCURRENTLY, ...) runs on
// its own: the statements before it are committed first, so the
// database no longer holds only the revisions before this one
// (Result.Committed). Its locks are released when it ends, so they are
// not read.
//
// A lock mode the transaction already held on a relation before the
// statement (taken by an earlier statement of the revision) is not
// reported again: pg_locks shows each mode once, and the server does not
// take a mode it holds. lint.Trace.Held lists those modes, and
// lint.Trace.Disagrees allows for them.
package pgtrace

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/retortdb/retort/lint"
	"github.com/retortdb/retort/lint/sqlast"
)

// Result is the trace of one revision's statements.
type Result struct {
	Traces []lint.Trace
	// Committed is set when a statement ran outside the transaction, so
	// that the statements before it were committed: the database then
	// holds part of the revision.
	Committed bool
}

// Revision traces the PostgreSQL statements of rev (rev.Statements of
// lint.Postgres) on db, which must hold the schema the revision runs
// on. Statement errors are recorded in the traces; the error returned
// is the database's failing to answer the queries of the trace itself.
func Revision(ctx context.Context, db *sql.DB, rev *lint.Revision) (*Result, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("trace: connect to the scratch database: %w", err)
	}
	defer conn.Close()
	t := &tracer{conn: conn}
	res := &Result{}
	defer func() {
		// A fresh context: the cleanup must run even when ctx is done.
		clean := context.WithoutCancel(ctx)
		if t.inTx {
			_, _ = conn.ExecContext(clean, "ROLLBACK")
		}
		// A SET the revision ran outside the transaction would outlive
		// it in the pooled session: reset the settings for the next user
		// (not DISCARD ALL, which drops the driver's prepared statements).
		_, _ = conn.ExecContext(clean, "RESET ALL")
	}()
	for _, st := range rev.Statements[lint.Postgres] {
		tr := lint.Trace{File: rev.Path, Line: st.Line, Revision: rev.ID, Statement: st.Text}
		parsed := sqlast.Parse(st.Text, sqlast.Pos{Line: 1, Col: 1}, sqlast.PostgreSQL)
		tr.Static, tr.Known = lint.PostgresLock(parsed)
		switch {
		case isTxControl(parsed):
			tr.Skipped = "transaction control: the trace runs the revision in its own transaction"
		case sqlast.ServerWide(st.Text, sqlast.PostgreSQL) != "":
			// Run outside a transaction (DROP DATABASE must be), it
			// would change the server beside the scratch database.
			tr.Skipped = sqlast.ServerWide(st.Text, sqlast.PostgreSQL) + " acts on the server, outside the scratch database: not run"
		case st.NoTx || needsNoTx(parsed):
			committed, err := t.outside(ctx, st.Text, &tr)
			if err != nil {
				return nil, err
			}
			res.Committed = res.Committed || committed
		default:
			noTx, err := t.inside(ctx, st.Text, &tr)
			if err != nil {
				return nil, err
			}
			if noTx {
				// The server refused it in a transaction block: run it
				// the way retort runs such a statement.
				tr.Error = ""
				committed, err := t.outside(ctx, st.Text, &tr)
				if err != nil {
					return nil, err
				}
				res.Committed = res.Committed || committed
			}
		}
		res.Traces = append(res.Traces, tr)
	}
	return res, nil
}

// Statement traces one statement in a transaction on db and rolls it
// back: the statement alone, for tests of the static classification.
func Statement(ctx context.Context, db *sql.DB, text string) (lint.Trace, error) {
	res, err := Revision(ctx, db, &lint.Revision{Statements: map[string][]lint.Statement{lint.Postgres: {{Text: text, Line: 1}}}})
	if err != nil {
		return lint.Trace{}, err
	}
	return res.Traces[0], nil
}

// isTxControl reports whether st begins or ends a transaction.
func isTxControl(st *sqlast.Statement) bool {
	switch st.Kind {
	case sqlast.Begin, sqlast.Commit, sqlast.Rollback, sqlast.Savepoint:
		return true
	}
	return false
}

// needsNoTx reports whether PostgreSQL refuses st in a transaction block.
func needsNoTx(st *sqlast.Statement) bool {
	switch st.Kind {
	case sqlast.CreateIndex, sqlast.DropIndex, sqlast.Reindex:
		return st.Concurrently
	case sqlast.Vacuum:
		return true
	case sqlast.AlterTable:
		if st.AlterTable != nil {
			for _, a := range st.AlterTable.Actions {
				if a.Kind == sqlast.DetachPartition && a.Concurrently {
					return true
				}
			}
		}
	}
	return false
}

type tracer struct {
	conn *sql.Conn
	inTx bool
}

// relation is a row of pg_class.
type relation struct {
	name     string
	kind     string
	filenode int64
}

// snapshot is what the trace reads before and after a statement.
type snapshot struct {
	rels  map[int64]relation
	locks map[lockKey]bool
	scans map[int64]int64
}

type lockKey struct {
	oid  int64
	mode string
}

const relationsQuery = `SELECT c.oid::int8,
  CASE WHEN n.nspname = 'public' THEN c.relname::text ELSE n.nspname || '.' || c.relname END,
  c.relkind::text, c.relfilenode::int8
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'`

const locksQuery = `SELECT relation::int8, mode FROM pg_locks
WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted AND relation IS NOT NULL`

const scansQuery = `SELECT relid::int8, coalesce(seq_scan, 0)::int8 FROM pg_stat_xact_user_tables`

// read takes a snapshot; locks and scans only inside a transaction.
func (t *tracer) read(ctx context.Context, all bool) (*snapshot, error) {
	s := &snapshot{rels: map[int64]relation{}, locks: map[lockKey]bool{}, scans: map[int64]int64{}}
	if err := t.rows(ctx, relationsQuery, func(r *sql.Rows) error {
		var oid int64
		var rel relation
		if err := r.Scan(&oid, &rel.name, &rel.kind, &rel.filenode); err != nil {
			return err
		}
		s.rels[oid] = rel
		return nil
	}); err != nil {
		return nil, err
	}
	if !all {
		return s, nil
	}
	if err := t.rows(ctx, locksQuery, func(r *sql.Rows) error {
		var k lockKey
		if err := r.Scan(&k.oid, &k.mode); err != nil {
			return err
		}
		s.locks[k] = true
		return nil
	}); err != nil {
		return nil, err
	}
	err := t.rows(ctx, scansQuery, func(r *sql.Rows) error {
		var oid, n int64
		if err := r.Scan(&oid, &n); err != nil {
			return err
		}
		s.scans[oid] = n
		return nil
	})
	return s, err
}

func (t *tracer) rows(ctx context.Context, q string, each func(*sql.Rows) error) error {
	rows, err := t.conn.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("trace: reading the scratch database's catalog: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return fmt.Errorf("trace: reading the scratch database's catalog: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("trace: reading the scratch database's catalog: %w", err)
	}
	return nil
}

func (t *tracer) exec(ctx context.Context, q string) error {
	if _, err := t.conn.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("trace: %s on the scratch database: %w", q, err)
	}
	return nil
}

// inside runs text in the transaction under a savepoint and records
// what it did in tr. It returns true when the server refused to run the
// statement in a transaction block (the savepoint is rolled back).
func (t *tracer) inside(ctx context.Context, text string, tr *lint.Trace) (bool, error) {
	if !t.inTx {
		if err := t.exec(ctx, "BEGIN"); err != nil {
			return false, err
		}
		t.inTx = true
	}
	before, err := t.read(ctx, true)
	if err != nil {
		return false, err
	}
	if err := t.exec(ctx, "SAVEPOINT retort_trace"); err != nil {
		return false, err
	}
	if _, err := t.conn.ExecContext(ctx, text); err != nil {
		if rerr := t.exec(ctx, "ROLLBACK TO SAVEPOINT retort_trace"); rerr != nil {
			return false, rerr
		}
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "25001" { // active_sql_transaction
			return true, nil
		}
		tr.Error = err.Error()
		return false, nil
	}
	if err := t.exec(ctx, "RELEASE SAVEPOINT retort_trace"); err != nil {
		return false, err
	}
	after, err := t.read(ctx, true)
	if err != nil {
		return false, err
	}
	for k := range before.locks {
		if rel, existed := before.rels[k.oid]; existed {
			tr.Held = append(tr.Held, lint.TraceLock{Relation: rel.name, Mode: lint.LockMode(k.mode)})
		}
	}
	sortLocks(tr.Held)
	for k := range after.locks {
		rel, existed := before.rels[k.oid]
		if existed && !before.locks[k] {
			tr.Locks = append(tr.Locks, lint.TraceLock{Relation: rel.name, Mode: lint.LockMode(k.mode)})
		}
	}
	sortLocks(tr.Locks)
	tr.Strongest = lint.StrongestLock(tr.Locks)
	for oid, n := range after.scans {
		if rel, existed := before.rels[oid]; existed && n > before.scans[oid] {
			tr.Scanned = append(tr.Scanned, rel.name)
		}
	}
	slices.Sort(tr.Scanned)
	tr.Rewritten = rewritten(before, after)
	return false, nil
}

func sortLocks(locks []lint.TraceLock) {
	slices.SortFunc(locks, func(a, b lint.TraceLock) int {
		return cmp.Or(cmp.Compare(a.Relation, b.Relation), cmp.Compare(string(a.Mode), string(b.Mode)))
	})
}

// outside commits the transaction, if one is open, and runs text on its
// own. It returns whether anything was committed.
func (t *tracer) outside(ctx context.Context, text string, tr *lint.Trace) (bool, error) {
	tr.OutsideTx = true
	if t.inTx {
		if err := t.exec(ctx, "COMMIT"); err != nil {
			return false, err
		}
		t.inTx = false
	}
	before, err := t.read(ctx, false)
	if err != nil {
		return false, err
	}
	if _, err := t.conn.ExecContext(ctx, text); err != nil {
		tr.Error = err.Error()
		return true, nil
	}
	after, err := t.read(ctx, false)
	if err != nil {
		return false, err
	}
	tr.Rewritten = rewritten(before, after)
	return true, nil
}

// rewritten names the tables (and materialized views) of before whose
// storage changed.
func rewritten(before, after *snapshot) []string {
	var out []string
	for oid, b := range before.rels {
		a, ok := after.rels[oid]
		if ok && (b.kind == "r" || b.kind == "m") && b.filenode != 0 && a.filenode != b.filenode {
			out = append(out, b.name)
		}
	}
	slices.Sort(out)
	return out
}
