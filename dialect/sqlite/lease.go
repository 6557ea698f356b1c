package sqlite

import (
	"fmt"
	"time"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.Leaser = (*Dialect)(nil)

// CreateLockTable implements dialect.Leaser. Times are Now()'s text, whose
// fixed width makes their order the order of time.
func (d *Dialect) CreateLockTable(t dialect.Table) []string {
	return []string{dialect.NewBuilder(d).P("CREATE TABLE IF NOT EXISTS ").Table(t).P(` (
    lock_key VARCHAR(255) NOT NULL PRIMARY KEY,
    owner VARCHAR(255) NOT NULL,
    acquired_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
)`).String()}
}

// NowPlus implements dialect.Leaser: Now() with a seconds modifier, to the
// millisecond.
func (*Dialect) NowPlus(dur time.Duration) string {
	return fmt.Sprintf("strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now', '%+.3f seconds')", dur.Seconds())
}
