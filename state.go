package retort

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/script"
)

// readHeads reads the version table's rows.
func (m *Project) readHeads(ctx context.Context, q dialect.Querier) ([]string, error) {
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

func (m *Project) checkKnown(heads []string) error {
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
	Direction     string // up, down, stamp, baseline (RecordChecksums), or rolledback-up / rolledback-down after `resolve --rolled-back`
	Checksum      string
	StartedAt     string
	FinishedAt    string // empty while the step has not finished
	DurationMS    int64  // -1 when unknown (offline)
	DBUser        string
	Hostname      string
	RetortVersion string
	Dirty         bool
	StmtIndex     int
	Tag           string // the run's tag (WithTag, upgrade --tag); "" when none
}

// history returns the history table's rows, oldest first; none when the
// table does not exist.
func (m *Project) history(ctx context.Context, q dialect.Querier) ([]HistoryRow, error) {
	ok, err := m.d.TableExists(ctx, q, m.historyTable)
	if err != nil {
		return nil, fmt.Errorf("look for history table %s: %w", m.historyTable, err)
	}
	if !ok {
		return nil, nil
	}
	// A table of an earlier layout (not yet brought up to date by a run
	// that writes) lacks the later columns: read them as NULL.
	cols, err := m.historyColumns(ctx, q)
	if err != nil {
		return nil, err
	}
	tag := "NULL"
	if cols["tag"] {
		tag = "tag"
	}
	query := dialect.NewBuilder(m.d).P("SELECT id, revision, direction, checksum, started_at, finished_at, duration_ms, db_user, hostname, retort_version, dirty, stmt_index, " + tag + " FROM ").
		Table(m.historyTable).P(" ORDER BY id").String()
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("read history table %s: %w", m.historyTable, err)
	}
	defer rows.Close()
	var out []HistoryRow
	for rows.Next() {
		var r HistoryRow
		var started, finished, tag sql.NullString
		var dur sql.NullInt64
		var dirty int
		if err := rows.Scan(&r.ID, &r.Revision, &r.Direction, &r.Checksum, &started, &finished, &dur, &r.DBUser, &r.Hostname, &r.RetortVersion, &dirty, &r.StmtIndex, &tag); err != nil {
			return nil, fmt.Errorf("read history table %s: %w", m.historyTable, err)
		}
		r.StartedAt, r.FinishedAt, r.Dirty, r.Tag = started.String, finished.String, dirty != 0, tag.String
		r.DurationMS = -1
		if dur.Valid {
			r.DurationMS = dur.Int64
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// dirty returns the step left unfinished, or nil.
func (m *Project) dirty(ctx context.Context, q dialect.Querier) (*DirtyError, error) {
	rows, err := m.history(ctx, q)
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

func (m *Project) dirtyError(r HistoryRow) *DirtyError {
	e := &DirtyError{Revision: r.Revision, Direction: r.Direction, Done: r.StmtIndex}
	if sc := m.scripts[r.Revision]; sc != nil {
		e.Path = sc.Path
		step := revision.Step{Revision: r.Revision, Up: r.Direction == "up"}
		if bodies, err := m.prepare([]revision.Step{step}); err == nil {
			e.Total = len(bodies[0].stmts)
			// A Go revision's operations may be recorded in another file
			// than the revision's (a helper): the lines are that file's.
			if r.StmtIndex < len(bodies[0].stmts) {
				st := bodies[0].stmts[r.StmtIndex]
				e.NextLine, e.Path = st.Line, st.Path
			}
			if r.StmtIndex > 0 && r.StmtIndex <= len(bodies[0].stmts) {
				st := bodies[0].stmts[r.StmtIndex-1]
				e.LastLine, e.Path = st.Line, st.Path
			}
		}
	}
	return e
}

func (m *Project) checkDirty(ctx context.Context, q dialect.Querier) error {
	d, err := m.dirty(ctx, q)
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

// Unverified is an applied revision with no recorded checksum to compare
// its file with: the database was stamped to a revision above it, or taken
// over from another tool (Alembic keeps no checksums).
type Unverified struct {
	Revision, Path string
	Now            string // hex SHA-256 of the file now
}

// Verification is what Verify found among the applied revisions.
type Verification struct {
	// Changed are the revisions whose files differ from the checksum
	// recorded for them.
	Changed []ChecksumMismatch
	// Unverified are the revisions with no recorded checksum: nothing
	// tells whether their files are the ones that were applied.
	Unverified []Unverified
	// Matched counts the revisions whose files match their checksums.
	Matched int
}

// OK reports whether every applied revision has a checksum and its file
// matches it.
func (v *Verification) OK() bool { return len(v.Changed) == 0 && len(v.Unverified) == 0 }

// recordedChecksums returns, for each revision, the checksum its file is
// to be compared with, read from the history rows (oldest first):
//   - an up row sets it: the file that ran;
//   - a down row clears it: the revision is no longer applied;
//   - a stamp or baseline row sets it only where none is set, so that a
//     file that ran keeps the checksum it ran with;
//   - rolled-back rows did not happen, and rows with no checksum (stamps
//     written before stamps carried one) set nothing.
func recordedChecksums(rows []HistoryRow) map[string]string {
	sums := map[string]string{}
	for _, r := range rows {
		switch r.Direction {
		case "up":
			sums[r.Revision] = r.Checksum
		case "down":
			delete(sums, r.Revision)
		case "stamp", "baseline":
			if _, ok := sums[r.Revision]; !ok && r.Checksum != "" {
				sums[r.Revision] = r.Checksum
			}
		}
	}
	for id, sum := range sums {
		if sum == "" {
			delete(sums, id)
		}
	}
	return sums
}

// verify checks the revisions applied at heads, in the graph's order.
// Only with unverified does it read the files of the revisions that have
// no checksum (for their Now): an upgrade's check does not need them.
func (m *Project) verify(ctx context.Context, q dialect.Querier, heads []string, unverified bool) (*Verification, error) {
	rows, err := m.history(ctx, q)
	if err != nil {
		return nil, err
	}
	sums := recordedChecksums(rows)
	applied := m.squashedVerify(m.graph.Ancestors(heads), sums)
	scripts := make([]*script.Script, len(applied))
	read := make([]*script.Script, len(applied))
	for i, id := range applied {
		if scripts[i] = m.scripts[id]; scripts[i] == nil {
			return nil, &UnknownRevisionError{Revision: id, Table: m.versionTable.String()}
		}
		if _, ok := sums[id]; ok || unverified {
			read[i] = scripts[i]
		}
	}
	bodies, err := script.Bodies(read)
	if err != nil {
		return nil, fmt.Errorf("read applied revisions: %w", err)
	}
	v := &Verification{}
	for i, id := range applied {
		sc := scripts[i]
		recorded, ok := sums[id]
		if !ok && !unverified {
			continue
		}
		// The checksum of what this dialect runs, as prepare records it.
		sum := bodies[i].For(m.d.Name()).Checksum
		now := hex.EncodeToString(sum[:])
		switch {
		case !ok:
			v.Unverified = append(v.Unverified, Unverified{Revision: id, Path: sc.Path, Now: now})
		case recorded != now:
			v.Changed = append(v.Changed, ChecksumMismatch{Revision: id, Path: sc.Path, Applied: recorded, Now: now})
		default:
			v.Matched++
		}
	}
	return v, nil
}

// squashedVerify returns the revisions of applied whose checksums verify
// compares, for a database that may have run squashed revisions: a
// squashed revision it ran (it has a recorded checksum) and whose target
// it is at or past stands for the revisions it replaces that have no
// checksum of their own, which never ran there. Its own file is compared
// instead, after them.
func (m *Project) squashedVerify(applied []string, sums map[string]string) []string {
	sqs := m.graph.Squashes()
	if len(sqs) == 0 {
		return applied
	}
	covered := map[string]bool{}
	var ran []string
	for _, sq := range sqs {
		if _, ok := sums[sq.ID]; !ok || !slices.Contains(applied, sq.Target) {
			continue
		}
		ran = append(ran, sq.ID)
		for _, id := range sq.Replaces {
			covered[id] = true
		}
	}
	if len(ran) == 0 {
		return applied
	}
	out := make([]string, 0, len(applied)+len(ran))
	for _, id := range applied {
		if _, own := sums[id]; own || !covered[id] {
			out = append(out, id)
		}
	}
	return append(out, ran...)
}

func (m *Project) checkChanged(ctx context.Context, q dialect.Querier, heads []string) error {
	v, err := m.verify(ctx, q, heads, false)
	if err != nil {
		return err
	}
	if len(v.Changed) > 0 {
		return &ChecksumError{Changed: v.Changed}
	}
	return nil
}

// resolve clears the dirty step of rev after an operator checked the
// database by hand: applied records it as complete (its version change is
// made), rolled back records that it did not happen.
func (m *Project) resolve(ctx context.Context, db *sql.DB, rev string, applied bool) error {
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
		d, err := m.dirty(ctx, s.conn)
		if err != nil {
			return err
		}
		if d == nil {
			return fmt.Errorf("no step is dirty, %s or another: nothing to resolve", rev)
		}
		if d.Revision != rev {
			return fmt.Errorf("the dirty step is %s %s, not %s", d.Direction, d.Revision, rev)
		}
		if !applied {
			q, err := out.stmt().p("UPDATE ").table(m.historyTable).p(" SET dirty = 0, direction = ").v("rolledback-" + d.Direction).
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
		q, err := out.stmt().p("UPDATE ").table(m.historyTable).p(" SET dirty = 0, finished_at = ").p(m.d.Now()).
			p(" WHERE dirty = 1 AND revision = ").v(rev).done()
		if err != nil {
			return err
		}
		_, err = s.conn.ExecContext(ctx, q.SQL, q.Args...)
		return err
	}()
	if err != nil {
		return out.rollback(ctx, err)
	}
	return out.commit(ctx)
}

// recordChecksums records the checksums of the files of the applied
// revisions that have none, as history rows with direction "baseline",
// under the migration lock and in one transaction. It returns the
// revisions recorded (none for a database that was never migrated).
func (m *Project) recordChecksums(ctx context.Context, db *sql.DB) ([]Unverified, error) {
	s, err := m.open(ctx, db)
	if err != nil {
		return nil, err
	}
	defer s.close()
	ctx, stopWatch := s.watch(ctx) // cancelled if the lease is lost
	defer stopWatch()
	heads, err := m.current(ctx, s.conn)
	if err != nil || len(heads) == 0 {
		return nil, err
	}
	if err := s.ensureTables(ctx); err != nil {
		return nil, err
	}
	out := &onlineSink{m: m, conn: s.conn}
	if err := out.begin(ctx); err != nil {
		return nil, err
	}
	recorded, err := func() ([]Unverified, error) {
		if err := m.checkDirty(ctx, s.conn); err != nil {
			return nil, err
		}
		heads, err := m.readHeads(ctx, s.conn)
		if err != nil {
			return nil, err
		}
		if err := m.checkKnown(heads); err != nil {
			return nil, err
		}
		v, err := m.verify(ctx, s.conn, heads, true)
		if err != nil {
			return nil, err
		}
		now := time.Now()
		for _, u := range v.Unverified {
			ins, err := m.historyInsert(out.stmt(), historyRecord{revision: u.Revision, direction: "baseline", checksum: u.Now, start: now, finish: now})
			if err != nil {
				return nil, err
			}
			if err := out.exec(ctx, ins); err != nil {
				return nil, fmt.Errorf("record the checksum of %s in %s: %w", u.Revision, m.historyTable, err)
			}
		}
		return v.Unverified, s.lostLock()
	}()
	if err != nil {
		return nil, s.lockErr(out.rollback(ctx, err))
	}
	if err := out.commit(ctx); err != nil {
		return nil, fmt.Errorf("record checksums: %w", err)
	}
	return recorded, nil
}
