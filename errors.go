package retort

import (
	"errors"
	"fmt"
	"strings"

	"github.com/retortdb/retort/dialect"
)

// ErrNoDowngrade is returned (wrapped in a *ScriptError) for a downgrade
// through a revision whose file has no downgrade section (a SQL file) or
// no Downgrade function (a Go file).
var ErrNoDowngrade = errors.New("no downgrade section")

// ScriptError is a revision script that cannot be used for the planned
// step: no downgrade section, or SQL the splitter cannot cut. It is
// reported before anything runs.
type ScriptError struct {
	Revision string
	Path     string
	Line     int
	Err      error
}

func (e *ScriptError) Error() string {
	loc := e.Path
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.Path, e.Line)
	}
	if e.Err == ErrNoDowngrade {
		return fmt.Sprintf("%s: revision %s has no -- +downgrade section, so it cannot be downgraded", loc, e.Revision)
	}
	return fmt.Sprintf("%s: revision %s: %v", loc, e.Revision, e.Err)
}

func (e *ScriptError) Unwrap() error { return e.Err }

// DialectSectionError (in a *ScriptError) is a revision file that has
// upgrade (Up) or downgrade sections only for other dialects: no plain
// section and none for the database's. It is reported before anything
// runs; the CLI exits with status 2, as for a configuration error.
type DialectSectionError struct {
	Dialect string   // the database's dialect, as Dialect.Name spells it
	Up      bool     // an upgrade section is missing (else a downgrade one)
	Have    []string // the dialects the file has sections of that kind for
}

func (e *DialectSectionError) Error() string {
	kind := "downgrade"
	if e.Up {
		kind = "upgrade"
	}
	return fmt.Sprintf("no %s section for %s: the file has \"-- +%s DIALECT\" sections only for %s; add a \"-- +%s %s\" section, or a plain \"-- +%s\" section for every dialect without its own",
		kind, e.Dialect, kind, strings.Join(e.Have, ", "), kind, e.Dialect, kind)
}

// StmtError is a statement that failed on the database. The step it
// belongs to was rolled back (where the dialect's DDL is transactional), so
// the database stays at the step before.
//
// In a SQL revision, Path and Line locate the statement and SQL is its
// text. In a Go revision they locate the call that recorded the failed
// operation (the revision file's line; another file's when the revision
// file is not among the calls), SQL describes the operation, and Err is
// an *OpError. Error then reads
//
//	versions/20240101_add.go:17: revision abc123: drop table account: <server error>
//	  SQL: DROP TABLE "account"
type StmtError struct {
	Revision string
	Path     string
	Line     int
	SQL      string
	Err      error
}

func (e *StmtError) Error() string {
	if oe, ok := e.Err.(*OpError); ok {
		return fmt.Sprintf("%s:%d: revision %s: %v", e.Path, e.Line, e.Revision, oe)
	}
	return fmt.Sprintf("%s:%d: revision %s: statement failed: %v\n  statement: %s", e.Path, e.Line, e.Revision, e.Err, abbreviate(e.SQL, 200))
}

func (e *StmtError) Unwrap() error { return e.Err }

// OpError is an operation of a Go revision that failed as it ran: on the
// server, in its renderer, or in a Run function. Op describes the
// operation (its String); SQL is the statement that failed when the
// operation rendered to statements, "" otherwise (Run, BulkInsert). Error
// reads "<op>: <err>", followed by the SQL on a line of its own.
type OpError struct {
	Op  string
	SQL string
	Err error
}

func (e *OpError) Error() string {
	if e.SQL == "" {
		return fmt.Sprintf("%s: %v", e.Op, e.Err)
	}
	return fmt.Sprintf("%s: %v\n  SQL: %s", e.Op, e.Err, abbreviate(e.SQL, 300))
}

func (e *OpError) Unwrap() error { return e.Err }

// PartialError is a run that stopped at a failing step after others
// were committed: Applied lists their revisions and Result the steps
// themselves (the result Upgrade and Downgrade return with the error).
// Failed is the revision of the step that failed, and Err why.
type PartialError struct {
	Applied []string
	Failed  string
	Result  *RunResult
	Err     error
}

func (e *PartialError) Error() string {
	return e.Err.Error()
}

func (e *PartialError) Unwrap() error { return e.Err }

func abbreviate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// UnknownRevisionError is a version table that names a revision no script
// defines (a file was deleted, or the database belongs to another project).
type UnknownRevisionError struct {
	Revision, Table string
}

func (e *UnknownRevisionError) Error() string {
	return fmt.Sprintf("the version table %s names revision %s, which no revision file defines",
		e.Table, e.Revision)
}

// VersionRowsError is a change to the version table that matched another
// number of rows than the one it expected: the table changed under the
// run (another tool, or a hand edit). Change is the kind of change
// (insert, delete, update), From and To the revisions it moved between.
type VersionRowsError struct {
	Change   string
	Table    string
	From, To string
	Rows     int64
}

func (e *VersionRowsError) Error() string {
	return fmt.Sprintf("%s version table %s (%s -> %s): %d rows matched, expected 1; the version table changed under the run",
		e.Change, e.Table, e.From, e.To, e.Rows)
}

// ErrDirty is matched (errors.Is) by a *DirtyError.
var ErrDirty = errors.New("a migration step is dirty")

// DirtyError is a database whose last step did not finish: it ran outside
// a transaction (MySQL DDL, -- +no-transaction) and stopped half-way. Done
// statements of Total completed; LastLine is the last that did.
type DirtyError struct {
	Revision, Direction string
	Path                string
	Done, Total         int
	LastLine, NextLine  int
}

func (e *DirtyError) Error() string {
	where := "no statement of it completed"
	if e.Done > 0 {
		where = fmt.Sprintf("%d of %d statements completed, the last at %s:%d", e.Done, e.Total, e.Path, e.LastLine)
	}
	if e.NextLine > 0 {
		where += fmt.Sprintf("; the next, at %s:%d, may have run in part", e.Path, e.NextLine)
	}
	return fmt.Sprintf("revision %s (%s) did not finish: %s. Check the database by hand, then resolve the step: as applied if its changes are all there (finish them first), or as rolled back if you undid them",
		e.Revision, e.Direction, where)
}

func (e *DirtyError) Is(target error) bool { return target == ErrDirty }

// LeftDirtyError is a step that failed after it was marked dirty: it ran
// outside a transaction (every step on MySQL, whose DDL commits as it
// goes, or a step with a -- +no-transaction statement), so what it did
// before the failure stays, and the database is now dirty. Dirty says how
// far the step went, as the next run would report it; Err is the failure.
// Until an operator checks the database and resolves the step
// (Provider.Resolve, `retort resolve`), runs refuse to move (ErrDirty).
// It matches ErrDirty, and errors.As finds both Dirty and what Err wraps.
type LeftDirtyError struct {
	Dirty *DirtyError
	Err   error
}

func (e *LeftDirtyError) Error() string {
	return fmt.Sprintf("%v\nthe database is left dirty: %v", e.Err, e.Dirty)
}

func (e *LeftDirtyError) Unwrap() []error { return []error{e.Err, e.Dirty} }

// ErrChecksumMismatch is matched (errors.Is) by a *ChecksumError.
var ErrChecksumMismatch = errors.New("applied revision files changed")

// ChecksumError lists applied revisions whose files changed: a change to
// an applied revision never reaches the database. Upgrade returns it
// unless WithAllowChanged(true) was given.
type ChecksumError struct {
	Changed []ChecksumMismatch
}

func (e *ChecksumError) Error() string {
	msg := "files of applied revisions changed since they ran:"
	for _, c := range e.Changed {
		msg += fmt.Sprintf("\n  %s (%s)", c.Path, c.Revision)
	}
	return msg
}

func (e *ChecksumError) Is(target error) bool { return target == ErrChecksumMismatch }

// ErrLocked is returned (wrapped) when the lock was not free in time.
var ErrLocked = dialect.ErrLocked

// ErrLockLost is returned (wrapped) by a run that lost its migration lock
// while it ran: the connection that held the session lock (PostgreSQL's
// advisory lock, MySQL's GET_LOCK) ended, since the lock is held on the
// connection that runs the steps, or the lease lock was lost
// (ErrLeaseLost, which matches ErrLockLost). The run stops at once: the
// step in progress was rolled back where the dialect's DDL is
// transactional (on MySQL it may be left dirty), and no later step runs.
// Another runner may hold the lock by now.
var ErrLockLost = errors.New("the migration lock was lost")

// lockLostError is a sentinel that also matches ErrLockLost.
type lockLostError struct{ msg string }

func (e *lockLostError) Error() string        { return e.msg }
func (e *lockLostError) Is(target error) bool { return target == ErrLockLost }
