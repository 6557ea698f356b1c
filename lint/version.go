package lint

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/retortdb/retort/lint/sqlast"
)

// The server flavours a ServerVersion names. MySQL and MariaDB are both
// the mysql dialect; rules that differ between them read the flavour.
const (
	FlavourPostgreSQL = "postgresql"
	FlavourMySQL      = "mysql"
	FlavourMariaDB    = "mariadb"
	FlavourSQLite     = "sqlite"
)

// ServerVersion is the server a project's revisions run on: from
// retort.toml lint.server_version, or read from the live server when a
// database URL is configured (the live server wins: it is the truth).
// A part not given is -1 ("mysql 8.0": Patch -1); rules take an unknown
// part as the oldest it could be, so "mysql 8.0" is checked as 8.0.0.
type ServerVersion struct {
	Flavour             string
	Major, Minor, Patch int
}

func (v ServerVersion) String() string {
	s := fmt.Sprintf("%s %d", v.Flavour, v.Major)
	if v.Minor >= 0 {
		s += fmt.Sprintf(".%d", v.Minor)
		if v.Patch >= 0 {
			s += fmt.Sprintf(".%d", v.Patch)
		}
	}
	return s
}

// Dialect is the lint dialect the server runs.
func (v ServerVersion) Dialect() string {
	switch v.Flavour {
	case FlavourPostgreSQL:
		return Postgres
	case FlavourMySQL, FlavourMariaDB:
		return MySQL
	}
	return SQLite
}

// Before reports whether the server is older than major.minor.patch; an
// unknown part counts as 0.
func (v ServerVersion) Before(major, minor, patch int) bool {
	a := [3]int{v.Major, max(v.Minor, 0), max(v.Patch, 0)}
	b := [3]int{major, minor, patch}
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

var configVersion = regexp.MustCompile(`^(postgresql|postgres|mysql|mariadb|sqlite)\s+([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?$`)

// ParseServerVersion reads lint.server_version of retort.toml:
// "postgresql 15", "mysql 8.0", "mariadb 10.11", "sqlite 3.40" (a patch
// level may follow: "mysql 8.0.36").
func ParseServerVersion(s string) (ServerVersion, error) {
	m := configVersion.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return ServerVersion{}, fmt.Errorf("server version %q: write the server and its version, as \"postgresql 15\", \"mysql 8.0\", \"mariadb 10.11\" or \"sqlite 3.40\"", s)
	}
	fl := m[1]
	if fl == "postgres" {
		fl = FlavourPostgreSQL
	}
	return ServerVersion{Flavour: fl, Major: atoiOr(m[2]), Minor: atoiOr(m[3]), Patch: atoiOr(m[4])}, nil
}

func atoiOr(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

var liveNumbers = regexp.MustCompile(`([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?`)

// LiveServerVersion reads what the server of dialect d answers to
// SELECT version() (PostgreSQL: "PostgreSQL 15.4 (Debian ...) on ..."),
// SELECT VERSION() (MySQL "8.0.36", MariaDB "10.11.6-MariaDB-0+deb12u1")
// or SELECT sqlite_version() ("3.40.1").
func LiveServerVersion(d, answer string) (ServerVersion, error) {
	v := ServerVersion{}
	switch d {
	case Postgres:
		v.Flavour = FlavourPostgreSQL
	case MySQL:
		v.Flavour = FlavourMySQL
		if strings.Contains(strings.ToLower(answer), "mariadb") {
			v.Flavour = FlavourMariaDB
		}
	case SQLite:
		v.Flavour = FlavourSQLite
	default:
		return v, fmt.Errorf("server version of dialect %q: no such dialect", d)
	}
	m := liveNumbers.FindStringSubmatch(answer)
	if m == nil {
		return v, fmt.Errorf("server version %q of the %s server: no version number in it", answer, d)
	}
	v.Major, v.Minor, v.Patch = atoiOr(m[1]), atoiOr(m[2]), atoiOr(m[3])
	return v, nil
}

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
