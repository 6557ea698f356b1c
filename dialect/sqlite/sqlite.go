package sqlite

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/sqlsplit"
)

// Dialect is SQLite.
type Dialect struct{}

// New returns the SQLite dialect.
func New() *Dialect { return &Dialect{} }

var _ dialect.Dialect = (*Dialect)(nil)

// Name implements dialect.Dialect.
func (*Dialect) Name() string { return "sqlite" }

// QuoteIdent implements dialect.Dialect: double quotes, doubled inside.
func (*Dialect) QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Placeholder implements dialect.Dialect.
func (*Dialect) Placeholder(int) string { return "?" }

// Literal implements dialect.Dialect. Text is quoted with doubled quotes
// (SQLite has no backslash escapes); text holding CRLF is the expression
// ('…' || char(13, 10) || '…'), since the sqlite3 shell drops the CR of
// a CRLF even inside a string; a NUL byte in text is an error,
// since the sqlite3 shell cuts a statement's text at it: use []byte,
// written as a blob X'…'. Booleans are 1 and 0. Every integer kind is
// written in decimal (a uint64 above MaxInt64 is an error). A float
// always reads back as a REAL: its shortest decimal form, with ".0" when
// it would read as an integer ("-0.0" for negative zero); NaN and the
// infinities are errors. A time.Time is text in TimeFormat.
func (*Dialect) Literal(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "NULL", nil
	case string:
		if strings.IndexByte(x, 0) >= 0 {
			return "", fmt.Errorf("a NUL byte cannot be written in a SQLite text literal (the sqlite3 shell ends the statement there): use []byte for binary data")
		}
		if strings.Contains(x, "\r\n") {
			// The sqlite3 shell reads a script line by line and drops the
			// CR of each CRLF, also inside a quoted string: spell it out.
			parts := strings.Split(x, "\r\n")
			for i, p := range parts {
				parts[i] = "'" + strings.ReplaceAll(p, "'", "''") + "'"
			}
			return "(" + strings.Join(parts, " || char(13, 10) || ") + ")", nil
		}
		return "'" + strings.ReplaceAll(x, "'", "''") + "'", nil
	case []byte:
		if x == nil {
			return "NULL", nil
		}
		return "X'" + hex.EncodeToString(x) + "'", nil
	case bool:
		if x {
			return "1", nil
		}
		return "0", nil
	case int:
		return strconv.Itoa(x), nil
	case int8:
		return strconv.FormatInt(int64(x), 10), nil
	case int16:
		return strconv.FormatInt(int64(x), 10), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case uint:
		return uintLiteral(uint64(x))
	case uint8:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint16:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint32:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint64:
		return uintLiteral(x)
	case float32:
		return floatLiteral(float64(x))
	case float64:
		return floatLiteral(x)
	case time.Time:
		s, err := FormatTime(x)
		if err != nil {
			return "", err
		}
		return "'" + s + "'", nil
	}
	return "", fmt.Errorf("no SQLite literal for %T", v)
}

func uintLiteral(x uint64) (string, error) {
	if x > math.MaxInt64 {
		return "", fmt.Errorf("%d does not fit SQLite's 64-bit signed integers", x)
	}
	return strconv.FormatUint(x, 10), nil
}

func floatLiteral(x float64) (string, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "", fmt.Errorf("%v cannot be written as a SQLite literal (SQLite has no NaN or infinity literal)", x)
	}
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s, nil
}

// TimeFormat is how a time.Time is written, offline as a literal and
// online by BulkInsert: the form SQLite's date and time functions read
// (and the Go drivers parse back in DATETIME columns), with the value's
// own UTC offset and up to nanoseconds.
const TimeFormat = "2006-01-02 15:04:05.999999999-07:00"

// FormatTime returns t as text in TimeFormat. Years outside 0000 to 9999,
// which SQLite's date functions do not read, are an error.
func FormatTime(t time.Time) (string, error) {
	if y := t.Year(); y < 0 || y > 9999 {
		return "", fmt.Errorf("time %s: SQLite's date and time functions read years 0000 to 9999 only", t)
	}
	if _, off := t.Zone(); off%60 != 0 {
		return "", fmt.Errorf("time %s: a UTC offset with seconds cannot be written as ±HH:MM: convert the time to UTC first", t)
	}
	return t.Format(TimeFormat), nil
}

// SplitOptions implements dialect.Dialect.
func (*Dialect) SplitOptions() sqlsplit.Options { return sqlsplit.SQLite() }

// TransactionalDDL implements dialect.Dialect.
func (*Dialect) TransactionalDDL() bool { return true }

// QuoteTable implements dialect.Dialect. A schema is an attached
// database's name.
func (d *Dialect) QuoteTable(t dialect.Table) string {
	if t.Schema != "" {
		return d.QuoteIdent(t.Schema) + "." + d.QuoteIdent(t.Name)
	}
	return d.QuoteIdent(t.Name)
}

// CreateVersionTable implements dialect.Dialect.
func (d *Dialect) CreateVersionTable(t dialect.Table) []string {
	return []string{dialect.NewBuilder(d).P("CREATE TABLE IF NOT EXISTS ").Table(t).
		P(" (\n    version_num VARCHAR(255) NOT NULL,\n    CONSTRAINT ").Ident(t.Name + "_pkc").
		P(" PRIMARY KEY (version_num)\n)").String()}
}

// CreateHistoryTable implements dialect.Dialect.
func (d *Dialect) CreateHistoryTable(t dialect.Table) []string {
	return []string{dialect.NewBuilder(d).P("CREATE TABLE IF NOT EXISTS ").Table(t).P(` (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    revision VARCHAR(255) NOT NULL,
    direction VARCHAR(16) NOT NULL,
    checksum VARCHAR(64) NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NULL,
    duration_ms BIGINT NULL,
    db_user VARCHAR(255) NOT NULL,
    hostname VARCHAR(255) NOT NULL,
    retort_version VARCHAR(64) NOT NULL,
    dirty SMALLINT NOT NULL DEFAULT 0,
    stmt_index INTEGER NOT NULL DEFAULT 0,
    tag VARCHAR(255) NULL
)`).String()}
}

// TableExists implements dialect.Dialect.
func (d *Dialect) TableExists(ctx context.Context, q dialect.Querier, t dialect.Table) (bool, error) {
	master := "sqlite_master"
	if t.Schema != "" {
		master = d.QuoteIdent(t.Schema) + ".sqlite_master"
	}
	var n int
	err := q.QueryRowContext(ctx, "SELECT count(*) FROM "+master+" WHERE type = 'table' AND name = ?", t.Name).Scan(&n)
	return n > 0, err
}

// Columns implements dialect.Dialect with pragma_table_info.
func (d *Dialect) Columns(ctx context.Context, q dialect.Querier, t dialect.Table) ([]string, error) {
	schema := "main"
	if t.Schema != "" {
		schema = t.Schema
	}
	return dialect.QueryStrings(ctx, q, "SELECT name FROM pragma_table_info(?, ?) ORDER BY cid", t.Name, schema)
}

// Now implements dialect.Dialect: UTC, with milliseconds, as text.
func (*Dialect) Now() string { return "strftime('%Y-%m-%d %H:%M:%f', 'now')" }

// CurrentUser implements dialect.Dialect: SQLite has no users.
func (*Dialect) CurrentUser() string { return "''" }

// ScriptStatement implements dialect.Dialect: sqlite3 reads trigger bodies
// as they are.
func (*Dialect) ScriptStatement(sql string) string { return sql + ";" }

// Begin implements dialect.Dialect.
func (*Dialect) Begin() string { return "BEGIN" }

// Commit implements dialect.Dialect.
func (*Dialect) Commit() string { return "COMMIT" }

var _ dialect.TxLocker = (*Dialect)(nil)

// BusyTimeoutMS is how long a statement waits for another connection's
// lock before SQLite reports it busy (set on every connection by the DSN
// retort's command builds, and restored here after taking the write lock).
const BusyTimeoutMS = 30000

// BeginLocked implements dialect.TxLocker with BEGIN IMMEDIATE: it first
// tries without waiting, and when another connection holds the write lock
// calls onWait and retries until ctx ends. Once it holds the lock, the
// busy timeout is back to BusyTimeoutMS, so that COMMIT waits for readers.
func (*Dialect) BeginLocked(ctx context.Context, conn *sql.Conn, timeout time.Duration, onWait func()) error {
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	setTimeout := func(ms int) error {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", ms)); err != nil {
			return fmt.Errorf("set busy timeout: %w", err)
		}
		return nil
	}
	// The first try is one call of the driver, not three: a free lock is
	// the common case, taken once per step. The driver runs the
	// statements in order and stops at the first that fails.
	_, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; PRAGMA busy_timeout = %d", BusyTimeoutMS))
	if err == nil {
		return nil
	}
	if !isBusy(err) {
		_ = setTimeout(BusyTimeoutMS)
		return fmt.Errorf("begin write transaction: %w", err)
	}
	// Busy: the busy timeout is 0, and the lock another connection's.
	for waited := false; ; {
		if !waited {
			waited = true
			if onWait != nil {
				onWait()
			}
			if err := setTimeout(1000); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("wait for the SQLite write lock: %w", err)
		}
		if !deadline.IsZero() && time.Now().After(deadline) {
			_ = setTimeout(BusyTimeoutMS)
			return fmt.Errorf("SQLite write lock not free after %s: %w", timeout, dialect.ErrLocked)
		}
		_, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE")
		if err == nil {
			return setTimeout(BusyTimeoutMS)
		}
		if !isBusy(err) {
			_ = setTimeout(BusyTimeoutMS)
			return fmt.Errorf("begin write transaction: %w", err)
		}
	}
}

func isBusy(err error) bool {
	s := err.Error()
	return strings.Contains(s, "SQLITE_BUSY") || strings.Contains(s, "database is locked")
}
