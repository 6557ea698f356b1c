package lint

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/lint/sqlast"
)

// Trace is what one statement did on a PostgreSQL scratch database
// (retort lint --trace): the table locks it took, the tables it
// rewrote and the tables it scanned, read from the server while it ran
// in a transaction that was then rolled back. It is no finding: it is
// shown beside them.
type Trace struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Revision  string `json:"revision,omitempty"`
	Statement string `json:"statement"`
	// Locks are the table locks the statement took on relations that
	// existed before it, by relation; a relation locked in several modes
	// is listed once per mode.
	Locks []TraceLock `json:"locks"`
	// Rewritten are the tables whose storage (pg_class.relfilenode) the
	// statement replaced: a full copy of the table.
	Rewritten []string `json:"rewritten"`
	// Scanned are the tables the statement read in full (a sequential
	// scan: pg_stat_xact_user_tables.seq_scan grew).
	Scanned []string `json:"scanned"`
	// Strongest is the strongest of Locks; Static is what PostgresLock
	// says without a server, and Known whether it knows the statement.
	Strongest LockMode `json:"strongest_lock"`
	Static    LockMode `json:"static_lock"`
	Known     bool     `json:"static_known"`
	// Held are the locks the revision's transaction held on existing
	// relations before the statement (taken by the statements before
	// it): a mode held already is not taken again, so the trace cannot
	// see the statement take it.
	Held []TraceLock `json:"held_before,omitempty"`
	// OutsideTx is set for a statement that cannot run in a transaction
	// (CREATE INDEX CONCURRENTLY, ...): it ran on its own, so its locks
	// were released before they could be read.
	OutsideTx bool `json:"outside_transaction,omitempty"`
	// Skipped says why the statement was not run ("" when it was).
	Skipped string `json:"skipped,omitempty"`
	// Error is the server's error when the statement failed.
	Error string `json:"error,omitempty"`
}

// TraceLock is one table lock a traced statement took.
type TraceLock struct {
	Relation string   `json:"relation"`
	Mode     LockMode `json:"mode"`
}

// StaticLock is PostgresLock of a statement's text.
func StaticLock(text string) (LockMode, bool) {
	return PostgresLock(sqlast.Parse(text, sqlast.Pos{Line: 1, Col: 1}, sqlast.PostgreSQL))
}

// StrongestLock is the strongest mode among locks.
func StrongestLock(locks []TraceLock) LockMode {
	m := NoLock
	for _, l := range locks {
		m = stronger(m, l.Mode)
	}
	return m
}

// Disagrees reports whether the trace contradicts PostgresLock's static
// class for the statement: the statement ran in a transaction, the
// static class knows it, and the strongest lock taken differs.
// A static class weaker than what the server took always disagrees; a
// stronger one only when the transaction did not hold that mode already
// (then the statement's taking it cannot be seen).
func (t *Trace) Disagrees() bool {
	if t.Skipped != "" || t.Error != "" || t.OutsideTx || !t.Known || t.Strongest == t.Static {
		return false
	}
	if lockRank(t.Strongest) < lockRank(t.Static) {
		for _, h := range t.Held {
			if h.Mode == t.Static {
				return false
			}
		}
	}
	return true
}

// Note is the note printed when the trace disagrees with the static
// class, "" when it does not.
func (t *Trace) Note() string {
	if !t.Disagrees() {
		return ""
	}
	return fmt.Sprintf("lint's static lock class for this statement is %s, the server took %s: the findings about its lock may be wrong (report it)",
		lockName(t.Static), lockName(t.Strongest))
}

func lockName(m LockMode) string {
	if m == NoLock {
		return "no lock on an existing table"
	}
	return string(m)
}

// sortTraces sorts traces as findings are (file, then line), keeping
// the order of the statements of one line.
func sortTraces(traces []Trace) []Trace {
	out := slices.Clone(traces)
	slices.SortStableFunc(out, func(a, b Trace) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return out
}

// traceBefore reports whether trace t is shown before finding f: its
// statement is in an earlier file or at an earlier line (a statement's
// trace follows its findings).
func traceBefore(t *Trace, f *Finding) bool {
	return cmp.Or(strings.Compare(t.File, f.File), cmp.Compare(t.Line, f.Line)) < 0
}

// writeTrace writes the "trace:" block of each traced statement.
func writeTrace(b *strings.Builder, traces []Trace) {
	for _, t := range traces {
		fmt.Fprintf(b, "%s:%d: trace: %s\n", t.File, t.Line, shortStatement(t.Statement))
		switch {
		case t.Skipped != "":
			fmt.Fprintf(b, "    not run: %s\n", t.Skipped)
			continue
		case t.Error != "":
			fmt.Fprintf(b, "    failed on the scratch database: %s\n", t.Error)
			continue
		}
		if t.OutsideTx {
			b.WriteString("    ran outside a transaction (it cannot run in one): its locks were released before pg_locks could show them\n")
		} else {
			var locks []string
			for _, l := range t.Locks {
				locks = append(locks, l.Relation+" "+string(l.Mode))
			}
			fmt.Fprintf(b, "    locks: %s\n", orNone(locks))
			if len(t.Held) > 0 {
				var held []string
				for _, l := range t.Held {
					held = append(held, l.Relation+" "+string(l.Mode))
				}
				fmt.Fprintf(b, "    held from the statements before (not taken again): %s\n", strings.Join(held, ", "))
			}
			fmt.Fprintf(b, "    scanned: %s\n", orNone(t.Scanned))
		}
		fmt.Fprintf(b, "    rewritten: %s\n", orNone(t.Rewritten))
		if n := t.Note(); n != "" {
			fmt.Fprintf(b, "    note: %s\n", n)
		}
	}
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
