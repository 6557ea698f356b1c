package mysql

import (
	"strconv"
	"time"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.Leaser = (*Dialect)(nil)

// CreateLockTable implements dialect.Leaser, with times as DATETIME(6) in
// UTC, like the history table's. With a schema, the database is created
// first.
func (d *Dialect) CreateLockTable(t dialect.Table) []string {
	var stmts []string
	if t.Schema != "" {
		stmts = append(stmts, "CREATE DATABASE IF NOT EXISTS "+d.QuoteIdent(t.Schema))
	}
	return append(stmts, dialect.NewBuilder(d).P("CREATE TABLE IF NOT EXISTS ").Table(t).P(` (
    lock_key VARCHAR(255) NOT NULL PRIMARY KEY,
    owner VARCHAR(255) NOT NULL,
    acquired_at DATETIME(6) NOT NULL,
    heartbeat_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL
)`).String())
}

// NowPlus implements dialect.Leaser: Now() plus whole microseconds.
func (d *Dialect) NowPlus(dur time.Duration) string {
	return "(" + d.Now() + " + INTERVAL " + strconv.FormatInt(dur.Microseconds(), 10) + " MICROSECOND)"
}
