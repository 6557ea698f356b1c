package postgres

import (
	"strconv"
	"time"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.Leaser = (*Dialect)(nil)

// CreateLockTable implements dialect.Leaser: the schema when t has one and
// is missing, then the table, with times as TIMESTAMP(6) without time
// zone in UTC, like the history table's.
func (d *Dialect) CreateLockTable(t dialect.Table) []string {
	return append(d.createSchema(t), dialect.NewBuilder(d).P("CREATE TABLE IF NOT EXISTS ").Table(t).P(` (
    lock_key VARCHAR(255) NOT NULL PRIMARY KEY,
    owner VARCHAR(255) NOT NULL,
    acquired_at TIMESTAMP(6) NOT NULL,
    heartbeat_at TIMESTAMP(6) NOT NULL,
    expires_at TIMESTAMP(6) NOT NULL
)`).String())
}

// NowPlus implements dialect.Leaser: Now() plus an interval of whole
// microseconds.
func (d *Dialect) NowPlus(dur time.Duration) string {
	return "(" + d.Now() + " + interval '" + strconv.FormatInt(dur.Microseconds(), 10) + " microseconds')"
}

var _ dialect.BoundClock = (*Dialect)(nil)

// NowMinusMicros implements dialect.BoundClock: Now() minus the bound
// number of microseconds.
func (d *Dialect) NowMinusMicros(placeholder string) string {
	return "(" + d.Now() + " - " + placeholder + "::bigint * interval '1 microsecond')"
}
