package postgres

import "github.com/retortdb/retort/dialect"

var _ dialect.ModifyingCTE = (*Dialect)(nil)

// ModifyingCTE implements dialect.ModifyingCTE: PostgreSQL runs an INSERT
// in the WITH clause of an INSERT, UPDATE or DELETE (every version since
// 9.1), so a step's history row and its version change are one statement.
func (*Dialect) ModifyingCTE() bool { return true }
