package mysql

import "github.com/retortdb/retort/dialect"

var _ dialect.MultiTableUpdater = (*Dialect)(nil)

// MultiTableUpdate implements dialect.MultiTableUpdater: MySQL and
// MariaDB update several tables in one UPDATE, so a dirty step's version
// change and its clean mark are one statement.
func (*Dialect) MultiTableUpdate() bool { return true }
