// Package dialect defines what retort needs from a SQL dialect, as small
// interfaces, each about one concern. Every dialect implements Dialect,
// which is three of them:
//
//   - Syntax: how the dialect spells SQL. Quoting, placeholders,
//     literals for offline scripts, the statement splitter's rules, a
//     statement as an offline script writes it. No I/O.
//   - Transactions: whether DDL is transactional, and the statements
//     that open and close a transaction.
//   - Store: retort's version and history tables. The statements that
//     create them, whether one exists and which columns it has, and the
//     SQL for the time and the user a history row records.
//
// What only some databases have is optional: one small interface per
// capability, grouped by concern below. Probe finds them all at once, in
// one place, as a Capabilities value whose fields are nil where the
// dialect lacks one; the engine probes once per project instead of
// asserting types where it needs one.
//
//   - Locking (lock.go): Locker, a session lock; TxLocker, a write lock
//     taken by beginning a transaction; Leaser, a lease row in a lock
//     table for dialects with neither or when asked. Clock (beside
//     Store) writes times relative to Now(), for history rows and leases.
//   - The run's session (session.go): SessionPreparer sets up the run's
//     connection; TableResolver qualifies retort's tables by the session
//     state that resolves names; TimeoutSetter (timeout.go) writes the
//     lock and statement timeouts each revision starts with.
//   - Offline scripts (script.go): ScriptPreambler opens a script with
//     the dialect's own statements; ColumnAdder adds a column only where
//     it is missing.
//   - Rendering (render.go, bulk.go): Renderer turns operations (package
//     op) into statements, reading the catalog online where an operation
//     does not carry what it needs; NoTxer says which operations run
//     outside a transaction; BulkLoader is a faster online bulk insert.
//   - Reflection (inspect.go): Inspector reads a live database into
//     package schema, and Normalizer puts a reflected and a declared
//     schema into one normal form, so that comparing them with the schema
//     package's Equal methods asks whether the database holds what was
//     declared. Autogenerate needs both.
//
// Every method that may do I/O takes a context.Context as its first
// argument; no value of this package stores one.
//
// The packages under this one implement it for SQLite, PostgreSQL and
// MySQL/MariaDB; none of them registers a database driver. To add a
// dialect, implement Dialect and the optional interfaces its database
// supports, and run the public conformance suites the built-in dialects
// run from its tests: package dialecttest (under this one) for rendering,
// the live round trip and inspection, and package
// github.com/retortdb/retort/locktest for the migration lock.
package dialect

import (
	"context"
	"database/sql"
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

// Dialect is one SQL dialect: its syntax, its transactions and retort's
// tables in it. Built-in dialects implement all of it, and the optional
// interfaces their databases allow (see Probe).
type Dialect interface {
	Syntax
	Transactions
	Store
}

// Syntax is how a dialect spells SQL. Its methods do no I/O, so that
// offline scripts and the helpers that only write SQL (Builder,
// RenderExecute, Inline, InsertStatements) need nothing more.
type Syntax interface {
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
	// ScriptStatement renders one statement for an offline script, with
	// its terminator (for example wrapped in DELIMITER lines on MySQL when
	// it holds semicolons).
	ScriptStatement(sql string) string
}

// Transactions is how a dialect's transactions behave and are spelled.
type Transactions interface {
	// TransactionalDDL is false where DDL commits implicitly (MySQL).
	TransactionalDDL() bool
	// Begin and Commit are the statements that open and close a
	// transaction in an offline script (and online, where no TxLocker).
	Begin() string
	Commit() string
}

// Store is retort's own tables in a dialect: the version table, which
// has one column, version_num VARCHAR(255) NOT NULL, primary key, and
// the history table, which has the columns of HistoryColumns in types
// the dialect chooses.
type Store interface {
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
}

// Clock is an optional interface of dialects that can write a time
// relative to Store's Now(). The built-in dialects implement it. retort
// writes a history row's started_at online as NowPlus(-elapsed), next to
// a finished_at of Now() in the same statement, so that both come from
// one reading of the database's clock; without it, started_at is Now()
// when the row is written. A Leaser needs it for the lease's expiry.
type Clock interface {
	// NowPlus is a SQL expression for Now() plus d (negative d: before
	// now; kept to the millisecond at least), of the same type as Now(),
	// so that the two compare.
	NowPlus(d time.Duration) string
}

// BoundClock is an optional interface of a Clock whose drivers cache
// prepared statements by their text (pgx): NowPlus writes the duration
// into the SQL, so each history row would be a statement of its own text,
// prepared (one more round trip) and cached apart. NowMinusMicros takes
// it as a bound value instead, and the statement's text stays the same
// from one row to the next.
type BoundClock interface {
	// NowMinusMicros is a SQL expression for Now() minus the number of
	// microseconds bound to placeholder (an int64), of the same type as
	// Now().
	NowMinusMicros(placeholder string) string
}

// ModifyingCTE is an optional interface of dialects whose INSERT, UPDATE
// and DELETE may carry a WITH clause holding an INSERT (PostgreSQL's
// data-modifying CTEs): online, retort then writes a step's history row
// and its version-table change as one statement, `WITH h AS (INSERT INTO
// history ...) UPDATE version ...`, one round trip instead of two, whose
// row count is the version change's.
type ModifyingCTE interface {
	// ModifyingCTE reports whether the database runs such statements.
	ModifyingCTE() bool
}

// MultiTableUpdater is an optional interface of dialects with MySQL's
// multi-table UPDATE (UPDATE a, b SET a.x = ..., b.y = ... WHERE ...):
// online, retort then moves the version row and marks a dirty step's
// history row clean in one statement, whose row count is 2 when both
// matched and 0 when either did not (then it runs them apart, to say
// which).
type MultiTableUpdater interface {
	// MultiTableUpdate reports whether the database runs such statements.
	MultiTableUpdate() bool
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

// Builder writes SQL text with identifiers quoted by a dialect.
type Builder struct {
	d Syntax
	b strings.Builder
}

// NewBuilder starts a statement for d.
func NewBuilder(d Syntax) *Builder { return &Builder{d: d} }

// P appends plain SQL text.
func (b *Builder) P(s string) *Builder { b.b.WriteString(s); return b }

// Table appends a quoted table name.
func (b *Builder) Table(t Table) *Builder { b.b.WriteString(b.d.QuoteTable(t)); return b }

// Ident appends a quoted identifier.
func (b *Builder) Ident(name string) *Builder { b.b.WriteString(b.d.QuoteIdent(name)); return b }

// String returns the statement.
func (b *Builder) String() string { return b.b.String() }

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
