package config

// defaultTOML is the retort.toml that `retort init` writes. Every key is
// shown with its default (TestDefaultTOML checks that uncommenting the
// lines changes nothing, and that every key of Config is here).
const defaultTOML = `# retort.toml: the configuration of a retort project.
#
# Every key is optional: a commented line shows the default. Relative paths
# are relative to the folder of this file. An unknown key is an error.

# Folder of the revision files (relative to this file, or absolute).
script_location = "migrations"

# More folders of revision files, searched besides script_location.
# version_locations = []

# Database URL, used when neither the --url flag nor the RETORT_URL or
# DATABASE_URL environment variables are set. Prefer an environment variable
# for a URL with a password. Forms:
#   sqlite:///relative.db    (relative to this file's folder)
#   sqlite:////absolute/path.db
#   sqlite://                (in memory)
#   postgresql://user:password@host:5432/dbname?sslmode=disable
#   mysql://user:password@host:3306/dbname
# Percent-encode special characters of a password (@ as %40, : as %3A).
# url = "sqlite:///app.db"

# Table that records the applied revisions (alembic_version takes over an
# Alembic database).
# version_table = "retort_version"

# PostgreSQL only: the schema of version_table ("" is the search_path).
# version_table_schema = ""

# Name of new revision files. Tokens: %(rev)s %(slug)s %(epoch)s %(year)d
# %(month).2d %(day).2d %(hour).2d %(minute).2d %(second).2d
# file_template = "%(year)d%(month).2d%(day).2d_%(hour).2d%(minute).2d_%(rev)s_%(slug)s"

# Time zone of the dates in new file names and headers: an IANA name such as
# "Europe/Paris", or "Local" for this machine's zone. Empty means UTC (Alembic
# uses local time; retort uses UTC so that names do not depend on who runs it).
# timezone = ""

# Longest slug (the words of -m MESSAGE) in a new file name.
# truncate_slug_length = 40

# Format of new revisions: "sql" (a SQL file) or "go" (a Go file).
# revision_format = "sql"

# Table that records every applied step: direction, checksum of the file,
# times, who and where. retort verify compares the checksums with the files.
# history_table = "retort_history"

# "migration": each revision runs in its own transaction with its version
# update. "run": the whole run in one transaction (PostgreSQL and SQLite).
# transaction_per = "migration"

# How concurrent runs against one database lock each other out. "auto": the
# database's own lock (PostgreSQL advisory lock, MySQL GET_LOCK, SQLite's
# write transaction). "lease": a row in lock_table that expires unless its
# holder's heartbeat extends it; use it for PostgreSQL behind PgBouncer in
# transaction pooling mode, where advisory locks do not work.
# lock = "auto"

# Table of the lease of lock = "lease" (in version_table's schema).
# lock_table = "retort_lock"

# Bounds on each statement of a revision, set by retort as each revision
# starts (docs/safety.md): how long it may wait for a lock another session
# holds (PostgreSQL lock_timeout, MySQL/MariaDB lock_wait_timeout), so that
# an ALTER queued behind a long transaction fails instead of stalling every
# query on its table; and how long it may run (PostgreSQL statement_timeout,
# MariaDB max_statement_time). Go durations such as "5s" or "15m"; empty
# leaves the database's setting. Not --lock-timeout, the wait for another
# runner's migration lock.
# lock_timeout = ""
# statement_timeout = ""

# Autogenerate and check (retort revision --autogenerate, retort check):
# desired-state SQL files, the schema the database should have (patterns,
# relative to this file, read in order). A Go project registers its
# desired schema in the migrations program instead.
# desired = []

# The server where autogenerate makes its scratch database (applies the
# desired schema there and reads it back); by default the target
# database's server. SQLite's scratch database is in memory.
# dev_url = "postgresql://dev@localhost:5432/postgres"

# What autogenerate compares: PostgreSQL schemas (empty: the default
# schema), and table name patterns ("schema.name" matches a qualified
# name). retort's own tables and other tools' version tables are left out.
# include_schemas = []
# include_tables = []
# exclude_tables = []

# Lint the revisions upgrade is about to apply (online and --sql) before
# running or writing them: an error finding refuses the upgrade, with the
# findings, and nothing runs; warnings are shown and do not block
# (docs/lint.md, "Lint before upgrade").
# lint_on_upgrade = false

# retort lint: a rule's severity by its code, "off", "info", "warning" or
# "error" (docs/lint.md lists the rules), as [lint.rules] RT301 = "warning";
# and the server the revisions run on, for the rules that depend on its
# version ("postgresql 15", "mysql 8.0.36", "mariadb 10.11", "sqlite 3.40";
# a configured database's own version wins when lint can connect); and,
# for the opt-in rule RT808 naming-convention, a regular expression per
# kind of name (schema, table, column, index, primary_key, foreign_key,
# unique, check), as [lint.naming] table = "^[a-z][a-z0-9_]*$".
# lint = { rules = {}, server_version = "", naming = {} }

# retort fleet --group NAME: named groups of tenants (docs/fleet.md). A
# group lists databases (urls, each a tenant), or with schemas the
# PostgreSQL schemas of its databases that match a glob (each a tenant).
# A password is written only as ${VAR}, read from the environment when
# the fleet runs: a literal password here is an error.
#   [fleet.groups.eu]
#   urls = ["postgresql://app:${EU_PW}@eu-db1/acme", "postgresql://app:${EU_PW}@eu-db2/globex"]
#   [fleet.groups.us]
#   url = "postgresql://app:${US_PW}@us-db/saas"
#   schemas = "tenant_*"
# fleet = { groups = {} }
`

// DefaultTOML returns the commented retort.toml that `retort init` writes.
func DefaultTOML() []byte { return []byte(defaultTOML) }
