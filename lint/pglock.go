package lint

import (
	"strings"

	"github.com/retortdb/retort/lint/sqlast"
)

// LockMode is a PostgreSQL table lock mode, as pg_locks.mode spells it.
type LockMode string

// The table lock modes, weakest first (NoLock: the statement locks no
// table that existed before it).
const (
	NoLock               LockMode = ""
	AccessShare          LockMode = "AccessShareLock"
	RowShare             LockMode = "RowShareLock"
	RowExclusive         LockMode = "RowExclusiveLock"
	ShareUpdateExclusive LockMode = "ShareUpdateExclusiveLock"
	Share                LockMode = "ShareLock"
	ShareRowExclusive    LockMode = "ShareRowExclusiveLock"
	Exclusive            LockMode = "ExclusiveLock"
	AccessExclusive      LockMode = "AccessExclusiveLock"
)

var lockOrder = []LockMode{NoLock, AccessShare, RowShare, RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive}

func lockRank(m LockMode) int {
	for i, x := range lockOrder {
		if x == m {
			return i
		}
	}
	return 0
}

// stronger returns the stronger of a and b.
func stronger(a, b LockMode) LockMode {
	if lockRank(b) > lockRank(a) {
		return b
	}
	return a
}

// sueStorageParam reports whether SET/RESET of storage parameter name
// takes only SHARE UPDATE EXCLUSIVE (ALTER TABLE manual: fillfactor, the toast and
// autovacuum parameters, and the planner parameters).
func sueStorageParam(name string) bool {
	n := strings.ToLower(name)
	n = strings.TrimPrefix(n, "toast.")
	return n == "fillfactor" || strings.HasPrefix(n, "autovacuum_") || n == "parallel_workers" ||
		n == "toast_tuple_target" || n == "user_catalog_table" || n == "vacuum_index_cleanup" ||
		n == "vacuum_truncate" || n == "log_autovacuum_min_duration"
}

// PostgresLock returns the strongest table lock statement st takes on
// PostgreSQL on a relation that existed before it, from the lock notes of
// the PostgreSQL manual (ALTER TABLE, CREATE INDEX, CREATE TRIGGER, ...),
// and whether the statement's kind is one it knows. Locks on relations
// the statement creates are not counted (CREATE TABLE without foreign
// keys takes NoLock); the row-level locks of DML are reported as their
// table lock (RowExclusive).
func PostgresLock(st *sqlast.Statement) (LockMode, bool) {
	switch st.Kind {
	case sqlast.CreateTable:
		ct := st.CreateTable
		if ct == nil {
			return NoLock, false
		}
		if !ct.PartitionOf.IsZero() {
			return AccessExclusive, true // on the parent
		}
		for _, col := range ct.Columns {
			if col.References != nil {
				return ShareRowExclusive, true // on the referenced table
			}
		}
		for _, con := range ct.Constraints {
			if con.Kind == sqlast.ForeignKey {
				return ShareRowExclusive, true
			}
		}
		if ct.AsSelect || !ct.Like.IsZero() {
			return AccessShare, true
		}
		return NoLock, true
	case sqlast.AlterTable:
		if st.AlterTable == nil || len(st.AlterTable.Actions) == 0 {
			return AccessExclusive, false
		}
		m := NoLock
		for _, a := range st.AlterTable.Actions {
			m = stronger(m, actionLock(a))
		}
		return m, true
	case sqlast.CreateIndex:
		if st.Concurrently {
			return ShareUpdateExclusive, true
		}
		return Share, true
	case sqlast.DropIndex:
		if st.Concurrently {
			return ShareUpdateExclusive, true
		}
		return AccessExclusive, true
	case sqlast.Reindex:
		if st.Concurrently {
			return ShareUpdateExclusive, true
		}
		return AccessExclusive, true // on the index; SHARE on its table
	case sqlast.DropTable, sqlast.Truncate, sqlast.Cluster:
		return AccessExclusive, true
	case sqlast.Vacuum:
		if st.Full {
			return AccessExclusive, true
		}
		return ShareUpdateExclusive, true
	case sqlast.Analyze:
		return ShareUpdateExclusive, true
	case sqlast.RefreshMatView:
		if st.Concurrently {
			return Exclusive, true
		}
		return AccessExclusive, true
	case sqlast.CreateTrigger:
		return ShareRowExclusive, true
	case sqlast.Insert, sqlast.Update, sqlast.Delete:
		return RowExclusive, true
	case sqlast.Select:
		if st.HasSeq("FOR", "UPDATE") || st.HasSeq("FOR", "SHARE") || st.HasSeq("FOR", "NO", "KEY") || st.HasSeq("FOR", "KEY") {
			return RowShare, true
		}
		return AccessShare, true
	case sqlast.LockTable:
		return lockTableMode(st)
	case sqlast.DropObject:
		switch st.ObjectType {
		case "VIEW", "MATERIALIZED VIEW", "SEQUENCE":
			return AccessExclusive, true
		}
	case sqlast.Set, sqlast.Begin, sqlast.Commit, sqlast.Rollback, sqlast.Savepoint,
		sqlast.CreateSchema, sqlast.CreateType, sqlast.CreateFunction, sqlast.CreateSequence,
		sqlast.CreateExtension, sqlast.CreateDomain:
		return NoLock, true
	}
	return NoLock, false
}

// actionLock is the lock one ALTER TABLE action takes.
func actionLock(a *sqlast.Action) LockMode {
	up := strings.ToUpper(a.Text)
	switch a.Kind {
	case sqlast.ValidateConstraint:
		return ShareUpdateExclusive
	case sqlast.AddConstraint:
		if a.Constraint != nil && a.Constraint.Kind == sqlast.ForeignKey {
			return ShareRowExclusive
		}
	case sqlast.AttachPartition:
		// SHARE UPDATE EXCLUSIVE on the parent, ACCESS EXCLUSIVE on the
		// table attached.
		return AccessExclusive
	case sqlast.DetachPartition:
		if a.Concurrently {
			return ShareUpdateExclusive
		}
	case sqlast.SetStorage, sqlast.ResetStorage:
		for _, o := range a.Options {
			if !sueStorageParam(o.Name) {
				return AccessExclusive
			}
		}
		return ShareUpdateExclusive
	case sqlast.AlterColumnOther:
		if strings.Contains(up, "SET STATISTICS") || strings.Contains(up, " SET (") || strings.Contains(up, " RESET (") {
			return ShareUpdateExclusive
		}
	case sqlast.OtherAction:
		switch {
		case strings.HasPrefix(a.Keyword, "ENABLE TRIGGER"), strings.HasPrefix(a.Keyword, "DISABLE TRIGGER"),
			strings.HasPrefix(a.Keyword, "ENABLE REPLICA TRIGGER"), strings.HasPrefix(a.Keyword, "ENABLE ALWAYS TRIGGER"):
			return ShareRowExclusive
		case strings.HasPrefix(a.Keyword, "CLUSTER ON"), strings.HasPrefix(a.Keyword, "SET WITHOUT CLUSTER"):
			return ShareUpdateExclusive
		}
	}
	return AccessExclusive
}

// lockTableMode reads LOCK [TABLE] t IN mode MODE.
func lockTableMode(st *sqlast.Statement) (LockMode, bool) {
	for _, m := range []struct {
		words []string
		mode  LockMode
	}{
		{[]string{"IN", "ACCESS", "SHARE"}, AccessShare},
		{[]string{"IN", "ROW", "SHARE"}, RowShare},
		{[]string{"IN", "ROW", "EXCLUSIVE"}, RowExclusive},
		{[]string{"IN", "SHARE", "UPDATE", "EXCLUSIVE"}, ShareUpdateExclusive},
		{[]string{"IN", "SHARE", "ROW", "EXCLUSIVE"}, ShareRowExclusive},
		{[]string{"IN", "SHARE", "MODE"}, Share},
		{[]string{"IN", "EXCLUSIVE"}, Exclusive},
		{[]string{"IN", "ACCESS", "EXCLUSIVE"}, AccessExclusive},
	} {
		if st.HasSeq(m.words...) {
			return m.mode, true
		}
	}
	return AccessExclusive, true
}
