// Package outside is a dialect written outside retort's module: copies
// of the built-in SQLite and PostgreSQL dialects, whose tests run the
// public conformance suites (dialecttest and locktest) through nothing
// but retort's public API, as another project's dialect would. Retort's
// own test TestOutsideModule (dialect/dialecttest) runs them.
package outside

import (
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
)

// SQLite is a copy of the built-in SQLite dialect: embedding promotes
// its methods, and with them the optional interfaces it implements.
type SQLite struct{ *sqlite.Dialect }

// NewSQLite returns the copy of the SQLite dialect.
func NewSQLite() SQLite { return SQLite{sqlite.New()} }

// Postgres is a copy of the built-in PostgreSQL dialect.
type Postgres struct{ *postgres.Dialect }

// NewPostgres returns the copy of the PostgreSQL dialect.
func NewPostgres() Postgres { return Postgres{postgres.New()} }
