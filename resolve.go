package retort

import (
	"context"

	"github.com/retortdb/retort/dialect"
)

// resolveTables returns the Project of one run: a copy of m whose
// version, history and lock tables are named with the schema (MySQL: the
// database) that their names resolve to on q when the run starts
// (dialect.TableResolver), or m itself for a dialect without such session
// state (SQLite). Every statement the run writes to its own tables then
// names them qualified, so that a revision body that sets search_path or
// USEs another database changes neither where the bookkeeping goes nor
// whether it works. The lock keeps the key of the configured names, so
// that runners agree on it whatever their sessions resolve.
func (m *Project) resolveTables(ctx context.Context, q dialect.Querier) (*Project, error) {
	r := m.caps.TableResolver
	if r == nil {
		return m, nil
	}
	rm := *m
	rm.lockName = m.lockKey()
	var err error
	if rm.versionTable, err = r.ResolveTable(ctx, q, m.versionTable); err != nil {
		return nil, err
	}
	if rm.historyTable, err = r.ResolveTable(ctx, q, m.historyTable); err != nil {
		return nil, err
	}
	if m.useLease() {
		if rm.lockTab, err = r.ResolveTable(ctx, q, m.LockTable()); err != nil {
			return nil, err
		}
	}
	return &rm, nil
}
