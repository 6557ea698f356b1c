package retort

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/revision"
)

// readHeads reads the version table's rows.
func (m *Migrator) readHeads(ctx context.Context, q dialect.Querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, dialect.NewBuilder(m.d).P("SELECT version_num FROM ").Table(m.versionTable).String())
	if err != nil {
		return nil, fmt.Errorf("read version table %s: %w", m.versionTable, err)
	}
	defer rows.Close()
	var heads []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read version table %s: %w", m.versionTable, err)
		}
		heads = append(heads, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read version table %s: %w", m.versionTable, err)
	}
	// Byte order, not the order the database returns the rows in: that is
	// the storage's (SQLite rowid, PostgreSQL heap, InnoDB primary key) and
	// would make the answer to an ambiguous target depend on the dialect.
	slices.Sort(heads)
	return heads, nil
}

func (m *Migrator) checkKnown(heads []string) error {
	for _, h := range heads {
		if m.graph.Info(h) == nil {
			return &UnknownRevisionError{Revision: h, Table: m.versionTable.String()}
		}
	}
	return nil
}

// HistoryRow is one row of the history table.
type HistoryRow struct {
	ID            int64
	Revision      string
	Direction     string // up, down, stamp, or rolledback-up / rolledback-down after `resolve --rolled-back`
	Checksum      string
	StartedAt     string
	FinishedAt    string // empty while the step has not finished
	DurationMS    int64  // -1 when unknown (offline)
	DBUser        string
	Hostname      string
	RetortVersion string
	Dirty         bool
	StmtIndex     int
}

// History returns the history table's rows, oldest first; none when the
// table does not exist.
func (m *Migrator) History(ctx context.Context, q dialect.Querier) ([]HistoryRow, error) {
	ok, err := m.d.TableExists(ctx, q, m.historyTable)
	if err != nil {
		return nil, fmt.Errorf("look for history table %s: %w", m.historyTable, err)
	}
	if !ok {
		return nil, nil
	}
	query := dialect.NewBuilder(m.d).P("SELECT id, revision, direction, checksum, started_at, finished_at, duration_ms, db_user, hostname, retort_version, dirty, stmt_index FROM ").
		Table(m.historyTable).P(" ORDER BY id").String()
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("read history table %s: %w", m.historyTable, err)
	}
	defer rows.Close()
	var out []HistoryRow
	for rows.Next() {
		var r HistoryRow
		var started, finished sql.NullString
		var dur sql.NullInt64
		var dirty int
		if err := rows.Scan(&r.ID, &r.Revision, &r.Direction, &r.Checksum, &started, &finished, &dur, &r.DBUser, &r.Hostname, &r.RetortVersion, &dirty, &r.StmtIndex); err != nil {
			return nil, fmt.Errorf("read history table %s: %w", m.historyTable, err)
		}
		r.StartedAt, r.FinishedAt, r.Dirty = started.String, finished.String, dirty != 0
		r.DurationMS = -1
		if dur.Valid {
			r.DurationMS = dur.Int64
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Dirty returns the step left unfinished, or nil.
func (m *Migrator) Dirty(ctx context.Context, q dialect.Querier) (*DirtyError, error) {
	rows, err := m.History(ctx, q)
	if err != nil {
		return nil, err
	}
	for i := len(rows) - 1; i >= 0; i-- {
		if rows[i].Dirty {
			return m.dirtyError(rows[i]), nil
		}
	}
	return nil, nil
}

func (m *Migrator) dirtyError(r HistoryRow) *DirtyError {
	e := &DirtyError{Revision: r.Revision, Direction: r.Direction, Done: r.StmtIndex}
	if sc := m.scripts[r.Revision]; sc != nil {
		e.Path = sc.Path
		step := revision.Step{Revision: r.Revision, Up: r.Direction == "up"}
		if bodies, err := m.prepare([]revision.Step{step}); err == nil {
			e.Total = len(bodies[0].stmts)
			if r.StmtIndex > 0 && r.StmtIndex <= len(bodies[0].stmts) {
				e.LastLine = bodies[0].stmts[r.StmtIndex-1].Line
			}
			if r.StmtIndex < len(bodies[0].stmts) {
				e.NextLine = bodies[0].stmts[r.StmtIndex].Line
			}
		}
	}
	return e
}

func (m *Migrator) checkDirty(ctx context.Context, q dialect.Querier) error {
	d, err := m.Dirty(ctx, q)
	if err != nil {
		return err
	}
	if d != nil {
		return d
	}
	return nil
}

// ChecksumMismatch is an applied revision whose file changed since.
type ChecksumMismatch struct {
	Revision, Path string
	Applied, Now   string // hex SHA-256
}

// Verify compares the checksums recorded for the revisions the database
// is at (and below) with their files, and returns those that differ.
func (m *Migrator) Verify(ctx context.Context, db *sql.DB) ([]ChecksumMismatch, error) {
	heads, err := m.Current(ctx, db)
	if err != nil {
		return nil, err
	}
	if err := m.checkKnown(heads); err != nil {
		return nil, err
	}
	return m.changed(ctx, db, heads)
}

func (m *Migrator) changed(ctx context.Context, q dialect.Querier, heads []string) ([]ChecksumMismatch, error) {
	rows, err := m.History(ctx, q)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	// The last row of each revision that ran up or down.
	last := map[string]HistoryRow{}
	for _, r := range rows {
		if r.Direction == "up" || r.Direction == "down" {
			last[r.Revision] = r
		}
	}
	applied := m.graph.Ancestors(heads)
	var out []ChecksumMismatch
	for _, id := range applied {
		r, ok := last[id]
		if !ok || r.Direction != "up" || r.Checksum == "" {
			continue
		}
		sc := m.scripts[id]
		if sc == nil {
			continue
		}
		body, err := sc.Body()
		if err != nil {
			return nil, err
		}
		if now := hex.EncodeToString(body.Checksum[:]); now != r.Checksum {
			out = append(out, ChecksumMismatch{Revision: id, Path: sc.Path, Applied: r.Checksum, Now: now})
		}
	}
	return out, nil
}

func (m *Migrator) checkChanged(ctx context.Context, q dialect.Querier, heads []string) error {
	ch, err := m.changed(ctx, q, heads)
	if err != nil {
		return err
	}
	if len(ch) > 0 {
		return &ChecksumError{Changed: ch}
	}
	return nil
}

// Resolve clears the dirty step of rev after an operator checked the
// database by hand: applied records it as complete (its version change is
// made), rolled back records that it did not happen.
func (m *Migrator) Resolve(ctx context.Context, db *sql.DB, rev string, applied bool) error {
	s, err := m.open(ctx, db)
	if err != nil {
		return err
	}
	defer s.close()
	m = s.m // its tables named as resolved when the run started
	if err := s.ensureTables(ctx); err != nil {
		return err
	}
	out := s.sink()
	if err := out.begin(ctx); err != nil {
		return err
	}
	err = func() error {
		d, err := m.Dirty(ctx, s.conn)
		if err != nil {
			return err
		}
		if d == nil {
			return fmt.Errorf("no step is dirty: nothing to resolve")
		}
		if d.Revision != rev {
			return fmt.Errorf("the dirty step is %s %s, not %s", d.Direction, d.Revision, rev)
		}
		if !applied {
			q, err := m.stmt(true).p("UPDATE ").table(m.historyTable).p(" SET dirty = 0, direction = ").v("rolledback-" + d.Direction).
				p(", finished_at = ").p(m.d.Now()).p(" WHERE dirty = 1 AND revision = ").v(rev).done()
			if err != nil {
				return err
			}
			_, err = s.conn.ExecContext(ctx, q.SQL, q.Args...)
			return err
		}
		heads, err := m.readHeads(ctx, s.conn)
		if err != nil {
			return err
		}
		ops, err := m.graph.StepOps(heads, rev, d.Direction == "up")
		if err != nil {
			return err
		}
		for _, op := range ops {
			if err := m.execVersionOp(ctx, out, op); err != nil {
				return err
			}
		}
		q, err := m.stmt(true).p("UPDATE ").table(m.historyTable).p(" SET dirty = 0, finished_at = ").p(m.d.Now()).
			p(" WHERE dirty = 1 AND revision = ").v(rev).done()
		if err != nil {
			return err
		}
		_, err = s.conn.ExecContext(ctx, q.SQL, q.Args...)
		return err
	}()
	if err != nil {
		m.rollback(s.conn)
		return err
	}
	return out.commit(ctx)
}
