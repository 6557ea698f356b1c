// Package dialect defines what retort needs from a SQL dialect: quoting,
// literals for offline scripts, the statement splitter's rules, the
// version table's statements and locking. The packages under it implement
// it for SQLite, PostgreSQL and MySQL/MariaDB; none of them registers a
// database driver.
//
// To add a dialect, implement Dialect and run the conformance suite of
// internal/dbtest against it.
//
// Reflection is optional and separate (inspect.go): an Inspector reads a
// live database into package schema, and a Normalizer puts a reflected
// and a declared schema into one normal form, so that comparing them
// with the schema package's Equal methods asks whether the database
// holds what was declared. Autogenerate needs both; find them by type
// assertion.
package dialect

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/retortdb/retort/sqlsplit"
)

// Stmt is one SQL statement to execute online or write offline.
type Stmt struct {
	SQL  string
	Args []any // bound parameters online; rendered with Literal offline
	// NoTx marks a statement that must run outside any transaction
	// (after a "-- +no-transaction" marker).
	NoTx bool
	// Comment, when set, is written as "-- " lines above the statement in
	// offline scripts (a batch says it moves and copies a table); online it
	// is not sent.
	Comment string
	// Path and Line locate the statement in its revision file, for errors.
	Path string
	Line int
}

// Querier is what both *sql.DB, *sql.Conn and *sql.Tx offer.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Table names a table, in a schema when Schema is set (PostgreSQL).
type Table struct{ Schema, Name string }

func (t Table) String() string {
	if t.Schema != "" {
		return t.Schema + "." + t.Name
	}
	return t.Name
}

// Dialect is one SQL dialect. Built-in dialects implement all of it.
//
// The version table has one column, version_num VARCHAR(255) NOT NULL,
// primary key. The history table has the columns of HistoryColumns; a
// dialect chooses their types.
type Dialect interface {
	// Name is "sqlite", "postgres" or "mysql".
	Name() string
	// QuoteIdent quotes one identifier (never pastes it raw).
	QuoteIdent(name string) string
	// QuoteTable quotes a table name, schema-qualified when it has a schema.
	QuoteTable(t Table) string
	// Placeholder is the n-th (1-based) bound-parameter marker.
	Placeholder(n int) string
	// Literal renders a value as a SQL literal for offline scripts: nil,
	// string, []byte, bool, int, int64, float64 and time.Time. It returns
	// an error for a value the dialect cannot write as text.
	Literal(v any) (string, error)
	// SplitOptions are the lexical rules of the statement splitter.
	SplitOptions() sqlsplit.Options
	// TransactionalDDL is false where DDL commits implicitly (MySQL).
	TransactionalDDL() bool
	// CreateVersionTable returns the statements that create the version
	// table when it does not exist (and its schema, if it has one).
	CreateVersionTable(t Table) []string
	// CreateHistoryTable returns the statements that create the history
	// table when it does not exist.
	CreateHistoryTable(t Table) []string
	// TableExists reports whether the table exists.
	TableExists(ctx context.Context, q Querier, t Table) (bool, error)
	// Columns returns the names of the columns of table t, in order (none
	// when it does not exist), from a catalog query whose result does not
	// depend on the table's layout, so that a driver's cache of prepared
	// statements never holds a stale one. retort reads its history table's
	// layout with it.
	Columns(ctx context.Context, q Querier, t Table) ([]string, error)
	// Now is a SQL expression for the current UTC time, as stored in the
	// history table's time columns.
	Now() string
	// CurrentUser is a SQL expression for the connected database user
	// (a literal '' where there are no users).
	CurrentUser() string
	// Begin and Commit are the statements that open and close a
	// transaction in an offline script (and online, where no TxLocker).
	Begin() string
	Commit() string
	// ScriptStatement renders one statement for an offline script, with
	// its terminator (for example wrapped in DELIMITER lines on MySQL when
	// it holds semicolons).
	ScriptStatement(sql string) string
}

// HistoryColumns are the history table's columns, in order:
//
//	id             auto-increment primary key
//	revision       VARCHAR(255) NOT NULL
//	direction      VARCHAR(16) NOT NULL: up, down, stamp or baseline
//	checksum       VARCHAR(64) NOT NULL: SHA-256 of the file, hex; '' for a stamp that removes a head
//	started_at     time NOT NULL (Now())
//	finished_at    time NULL until the step finished
//	duration_ms    BIGINT NULL
//	db_user        VARCHAR(255) NOT NULL
//	hostname       VARCHAR(255) NOT NULL: the machine that ran retort
//	retort_version VARCHAR(64) NOT NULL
//	dirty          SMALLINT NOT NULL: 1 while the step is not known to be complete
//	stmt_index     INTEGER NOT NULL: statements of the step that completed
//	tag            VARCHAR(255) NULL: the run's tag (upgrade --tag), added in layout 2
//
// The first layout had the columns up to stmt_index; retort adds the later
// ones to a table of an earlier layout at the start of a run, so a dialect
// creates the table with all of them.
var HistoryColumns = []string{"id", "revision", "direction", "checksum", "started_at", "finished_at",
	"duration_ms", "db_user", "hostname", "retort_version", "dirty", "stmt_index", "tag"}

// Locker is an optional interface of dialects with session-level locks
// (PostgreSQL's advisory locks, MySQL's GET_LOCK). Lock takes the lock
// named key on conn, waiting at most timeout (0: no limit). retort takes
// it on the connection that then runs the steps, so that the lock and the
// work share fate: a connection that ends releases the lock and rolls back
// the step in progress together. The lock must therefore belong to the
// session, survive the commits and rollbacks of the steps' transactions,
// and be released only by unlock or the end of the session. When the lock is held by another session it
// calls onWait once, with a description of the holder where the database
// tells (for example "pid 1234, application retort"). It returns ErrLocked
// (wrapped) when the timeout passes. unlock releases the lock.
type Locker interface {
	Lock(ctx context.Context, conn *sql.Conn, key string, timeout time.Duration, onWait func(holder string)) (unlock func(context.Context) error, err error)
}

// ErrLocked is returned (wrapped) when a lock could not be taken in time.
var ErrLocked = errors.New("the database is locked by another migration")

// Builder writes SQL text with identifiers quoted by a dialect.
type Builder struct {
	d Dialect
	b strings.Builder
}

// NewBuilder starts a statement for d.
func NewBuilder(d Dialect) *Builder { return &Builder{d: d} }

// P appends plain SQL text.
func (b *Builder) P(s string) *Builder { b.b.WriteString(s); return b }

// Table appends a quoted table name.
func (b *Builder) Table(t Table) *Builder { b.b.WriteString(b.d.QuoteTable(t)); return b }

// Ident appends a quoted identifier.
func (b *Builder) Ident(name string) *Builder { b.b.WriteString(b.d.QuoteIdent(name)); return b }

// String returns the statement.
func (b *Builder) String() string { return b.b.String() }

// TxLocker is an optional interface of dialects whose write lock is taken
// by beginning a transaction (SQLite's BEGIN IMMEDIATE). BeginLocked begins
// a transaction on conn that holds the write lock, calling onWait once if
// it has to wait for another writer, and waiting until ctx ends or timeout
// (0: no limit) passes, then returning ErrLocked (wrapped).
type TxLocker interface {
	BeginLocked(ctx context.Context, conn *sql.Conn, timeout time.Duration, onWait func()) error
}

// SessionPreparer is an optional interface of dialects that set up the
// connection a run executes its steps on, before anything runs on it.
// PostgreSQL asks the server to watch for a client that went away while a
// statement runs, so that the step of a killed process is rolled back at
// once instead of holding its locks until the statement ends.
// PrepareSession returns an error only when the connection is unusable.
type SessionPreparer interface {
	PrepareSession(ctx context.Context, conn *sql.Conn) error
}

// TableResolver is an optional interface of dialects where an unqualified
// table name resolves through session state that any statement can
// change: PostgreSQL's search_path, MySQL's current database (USE).
// ResolveTable returns t with the schema (MySQL: the database) that its
// name resolves to on q now: the schema of the table where it exists,
// otherwise the one where CREATE TABLE would put it. A t with a schema is
// returned unchanged. The schema it returns exists.
//
// retort resolves its own tables once when a run starts, before any
// revision runs, and names them qualified in every statement of the run,
// so that a revision body that changes the session (pg_dump's emptied
// search_path, a USE) cannot break or redirect its bookkeeping.
type TableResolver interface {
	ResolveTable(ctx context.Context, q Querier, t Table) (Table, error)
}

// ScriptPreambler is an optional interface of dialects whose offline
// scripts open with statements of their own, for the client that runs
// them (MySQL: SET NAMES utf8mb4, since its clients often talk latin1 or
// utf8mb3). ScriptPreamble returns them, each with its terminator.
type ScriptPreambler interface {
	ScriptPreamble() []string
}

// ColumnAdder is an optional interface of dialects that can add a column
// only where it is missing, in one statement an offline script can hold
// (PostgreSQL's ADD COLUMN IF NOT EXISTS). An offline script that does not
// start from base and records a column added to retort's history table
// after its first layout uses it; on other dialects the script says which
// statement to run first on a table of an earlier layout.
// AddColumnIfMissing returns the statement, without its terminator.
type ColumnAdder interface {
	AddColumnIfMissing(t Table, column, def string) string
}

// QueryStrings runs a query of one text column and returns its values.
func QueryStrings(ctx context.Context, q Querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
