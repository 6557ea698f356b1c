package lint

import (
	"fmt"

	"github.com/retortdb/retort/lint/serverversion"
	"github.com/retortdb/retort/lint/sqlast"
)

// The server flavours a ServerVersion names. MySQL and MariaDB are both
// the mysql dialect; rules that differ between them read the flavour.
const (
	FlavourPostgreSQL = serverversion.FlavourPostgreSQL
	FlavourMySQL      = serverversion.FlavourMySQL
	FlavourMariaDB    = serverversion.FlavourMariaDB
	FlavourSQLite     = serverversion.FlavourSQLite
)

// ServerVersion is the server a project's revisions run on (package
// serverversion, which the configuration reads without importing lint).
type ServerVersion = serverversion.Version

// ParseServerVersion reads lint.server_version of retort.toml:
// "postgresql 15", "mysql 8.0", "mariadb 10.11", "sqlite 3.40".
func ParseServerVersion(s string) (ServerVersion, error) { return serverversion.Parse(s) }

// LiveServerVersion reads what the server of dialect d answers to its
// version query.
func LiveServerVersion(d, answer string) (ServerVersion, error) { return serverversion.Live(d, answer) }

// postgresVersionRules are the PostgreSQL rules that hold on some
// server versions only: without a server version (lint.server_version or
// a URL) they are skipped, and the output says so.
func postgresVersionRules() []*Rule {
	return []*Rule{
		{
			Code: "RT326", Name: "concurrent-index-pg14-bug", Severity: Error, Dialects: pgOnly,
			Summary: "CREATE INDEX / REINDEX CONCURRENTLY on PostgreSQL 14.0 to 14.3",
			Doc: Doc{
				What: "`CREATE INDEX CONCURRENTLY` or `REINDEX ... CONCURRENTLY` when the server is PostgreSQL 14.0, 14.1, 14.2 or 14.3 " +
					"(\"postgresql 14\" without a minor version counts as 14.0: write \"postgresql 14.11\" when you run a fixed release).",
				Why: "A bug of those releases (fixed in 14.4) lets a concurrent build miss rows updated during it: the index is silently corrupt, " +
					"and queries using it return wrong results without an error.",
				Safe:    "Upgrade the server to 14.4 or later before the revision runs; indexes built or rebuilt concurrently on 14.0 to 14.3 must be rebuilt after the upgrade (amcheck finds them).",
				SafeSQL: "-- after upgrading to PostgreSQL 14.4+:\nCREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);",
				Dialect: Postgres,
				Server:  "postgresql 14.2",
				Fires:   "-- +no-transaction\nCREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);",
				Passes:  "-- +no-transaction\nDROP INDEX CONCURRENTLY orders_customer_old_idx;",
			},
			stmt: func(c *Check) {
				if !c.Stmt.Concurrently || c.Stmt.Kind != sqlast.CreateIndex && c.Stmt.Kind != sqlast.Reindex {
					return
				}
				v, ok := c.Server()
				if !ok || v.Major != 14 || !v.Before(14, 4, 0) {
					return
				}
				c.Report(fmt.Sprintf("on %s a concurrent index build can miss rows updated during it (fixed in 14.4): the index is silently corrupt and queries return wrong results", v),
					"upgrade to PostgreSQL 14.4 or later first, then rebuild the indexes built concurrently before")
			},
		},
		{
			Code: "RT816", Name: "hash-index-old-pg", Severity: Info, Dialects: pgOnly,
			Summary: "a hash index on PostgreSQL before 10",
			Doc: Doc{
				What:    "`CREATE INDEX ... USING hash` when the server is older than PostgreSQL 10.",
				Why:     "Before PostgreSQL 10 hash indexes are not written to the WAL: after a crash they must be rebuilt by hand, and replicas never have them.",
				Safe:    "Use a btree index (it serves equality too), or upgrade to PostgreSQL 10 or later.",
				SafeSQL: "CREATE INDEX sessions_token_idx ON sessions (token);",
				Dialect: Postgres,
				Server:  "postgresql 9.6",
				Fires:   "CREATE INDEX sessions_token_idx ON sessions USING hash (token);",
				Passes:  "CREATE INDEX sessions_token_idx ON sessions USING btree (token);",
			},
			stmt: func(c *Check) {
				if c.Stmt.Kind != sqlast.CreateIndex || c.Stmt.Index == nil || c.Stmt.Index.Method != "hash" {
					return
				}
				v, ok := c.Server()
				if !ok || !v.Before(10, 0, 0) {
					return
				}
				c.Report(fmt.Sprintf("on %s hash indexes are not WAL-logged: after a crash the index must be rebuilt by hand, and replicas do not have it", v),
					"a btree index (it serves equality too), or PostgreSQL 10 or later")
			},
		},
	}
}
