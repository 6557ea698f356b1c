// Package sqlite is retort's SQLite dialect. It works with any database/sql
// driver for SQLite; retort's command registers a pure-Go one.
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

// Literal implements dialect.Dialect.
func (*Dialect) Literal(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "NULL", nil
	case string:
		if strings.IndexByte(x, 0) >= 0 {
			return "", fmt.Errorf("a NUL byte cannot be written in a SQLite text literal")
		}
		return "'" + strings.ReplaceAll(x, "'", "''") + "'", nil
	case []byte:
		return "X'" + hex.EncodeToString(x) + "'", nil
	case bool:
		if x {
			return "1", nil
		}
		return "0", nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "", fmt.Errorf("%v cannot be written as a SQLite literal", x)
		}
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case time.Time:
		return "'" + x.Format(time.RFC3339Nano) + "'", nil
	}
	return "", fmt.Errorf("no SQLite literal for %T", v)
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
    stmt_index INTEGER NOT NULL DEFAULT 0
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
	if err := setTimeout(0); err != nil {
		return err
	}
	waited := false
	for {
		_, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE")
		if err == nil {
			return setTimeout(BusyTimeoutMS)
		}
		if !isBusy(err) {
			_ = setTimeout(BusyTimeoutMS)
			return fmt.Errorf("begin write transaction: %w", err)
		}
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
	}
}

func isBusy(err error) bool {
	s := err.Error()
	return strings.Contains(s, "SQLITE_BUSY") || strings.Contains(s, "database is locked")
}
