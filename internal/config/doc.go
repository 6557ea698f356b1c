// Package config reads retort.toml and the database URL.
//
// It is pure: it reads only the file whose path it is given (Load, Find)
// and never touches the network or a database.
//
// # retort.toml
//
// Every key is optional; [Default] gives the defaults and [DefaultTOML] the
// commented file that `retort init` writes. Relative paths in the file
// (script_location, version_locations, sqlite:///relative.db) are relative to
// the folder that holds retort.toml, not to the current folder, so a command
// gives the same answer wherever it is run from.
//
// An unknown key is an error naming the key, its line and, when a known key
// is close, the key that was probably meant: a typo must not silently fall
// back to a default. Type errors, bad values and TOML syntax errors are
// reported the same way, as an [*Error] whose Error() is "path:line: message".
// Adding a key is adding a field with a `toml:"name"` tag to [Config] and its
// default to [Default] (and, if it needs checking, an entry in validators).
//
// Decisions:
//
//   - timezone defaults to UTC. Alembic's default is the local time of the
//     machine that runs it; retort uses UTC so that file names and create_date
//     headers do not depend on who generated them. A non-empty value must be
//     an IANA zone name (checked when the file is loaded; the zone database is
//     embedded with time/tzdata so the check does not depend on the host), or
//     "Local" for the machine's own zone.
//   - retort.toml is looked up only in the given folder ([Find]): parent folders
//     are not searched, as Alembic looks for alembic.ini only in the current
//     folder. `retort -C DIR` changes the folder, `-c FILE` names the file.
//   - The database URL comes from, in order: the --url flag, the RETORT_URL
//     environment variable, the DATABASE_URL environment variable, the url key
//     of retort.toml ([ResolveURL]). An empty value counts as unset. The url
//     key is not parsed when the file is loaded, since a flag or variable may
//     override it.
//
// # Database URLs
//
// [ParseURL] accepts SQLAlchemy-style URLs: sqlite:///relative.db,
// sqlite:////absolute.db, sqlite:// and sqlite:///:memory: (in memory),
// postgres:// and postgresql://, mysql:// and mariadb://. A "+driver" suffix
// on the scheme (postgresql+psycopg2://, mysql+pymysql://) is accepted and
// ignored so that an Alembic project's URL works as it is. Special characters
// in the user name or password are written percent-encoded (@ as %40).
//
// A password never appears in an error of this package nor in [Redact] or
// [URL.Redacted] output, even for malformed URLs: when a URL is ambiguous,
// Redact hides more rather than less.
package config
