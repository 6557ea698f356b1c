// Package dburl opens a retort.Provider, or a *sql.DB and its dialect,
// from a database URL as the retort command takes it: sqlite:///app.db,
// sqlite:////abs/app.db, sqlite:// (in memory), postgresql://user:pass@host/db,
// mysql://user:pass@host/db (and postgres://, mariadb://, +driver suffixes).
//
// It lives apart from package retort so that retort itself stays free of
// the dialect packages (the caller of retort.Open passes a Dialect), and
// neither registers a database/sql driver: the program does, with a blank
// import in its main package:
//
//	sqlite:      _ "modernc.org/sqlite"              (driver "sqlite")
//	postgresql:  _ "github.com/jackc/pgx/v5/stdlib"  (driver "pgx")
//	mysql:       _ "github.com/go-sql-driver/mysql"  (driver "mysql")
//
// Without it, Open and OpenDB return a *DriverError (matched by
// errors.Is(err, ErrNoDriver)) that names the import to add.
//
// A password in the URL never appears in an error of this package: URL
// errors show the URL redacted, and the errors of connecting (which
// drivers may word with the connection string) are returned with the
// URL, the driver's connection string and the password replaced by
// "***" (errors.Is and errors.As still see the driver's error).
package dburl

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/internal/config"
)

// ErrNoDriver is matched (errors.Is) by a *DriverError.
var ErrNoDriver = errors.New("database/sql driver not registered")

// DriverError is a URL whose database/sql driver the program did not
// register. Import is the package to import for its side effect.
type DriverError struct {
	Dialect string // "sqlite", "postgres", "mysql"
	Driver  string // the database/sql driver name looked for
	Import  string
}

func (e *DriverError) Error() string {
	return fmt.Sprintf("no database/sql driver %q is registered for %s URLs: add `import _ %q` to your program's main package",
		e.Driver, e.Dialect, e.Import)
}

// Is reports whether target is ErrNoDriver.
func (e *DriverError) Is(target error) bool { return target == ErrNoDriver }

// backend is what a dialect name of a URL maps to.
type backend struct {
	driver string // database/sql driver name
	imp    string // the package that registers it
	new    func() dialect.Dialect
}

// backends maps config.URL.Dialect to its dialect and driver.
var backends = map[string]backend{
	"sqlite":   {"sqlite", "modernc.org/sqlite", func() dialect.Dialect { return sqlite.New() }},
	"postgres": {"pgx", "github.com/jackc/pgx/v5/stdlib", func() dialect.Dialect { return postgres.New() }},
	"mysql":    {"mysql", "github.com/go-sql-driver/mysql", func() dialect.Dialect { return mysql.New() }},
}

// Open opens the database of rawURL and returns a Provider for the
// revision files at the root of fsys (see retort.Open). It does not
// connect: the first method that needs the database does, and the
// offline scripts of its Project never do. Provider.Close closes the
// database.
//
// A relative SQLite path (sqlite:///app.db) is relative to the current
// folder. Errors: a URL error (its text names the problem and shows the
// URL redacted), a *DriverError, or retort.Open's.
func Open(rawURL string, fsys fs.FS, opts ...retort.Option) (*retort.Provider, error) {
	db, d, err := OpenDB(rawURL, "")
	if err != nil {
		return nil, err
	}
	p, err := retort.Open(db, d, fsys, append(slices.Clone(opts), retort.WithCloseDB(true))...)
	if err != nil {
		db.Close()
		return nil, err
	}
	return p, nil
}

// Dialect returns the dialect of a URL, without opening anything.
func Dialect(rawURL string) (dialect.Dialect, error) {
	u, err := config.ParseURL(rawURL, "")
	if err != nil {
		return nil, err
	}
	b, ok := backends[u.Dialect]
	if !ok {
		return nil, fmt.Errorf("database URL %s: no dialect %q in this build", u.Redacted(), u.Dialect)
	}
	return b.new(), nil
}

// OpenDB opens the database of rawURL, without connecting, and returns it
// with its dialect. A relative SQLite path is relative to baseDir ("" is
// the current folder). The pool is sized for retort: two connections (a
// session lock or a lease is held on a second one), one for an in-memory
// SQLite database (each connection would open a database of its own).
func OpenDB(rawURL, baseDir string) (*sql.DB, dialect.Dialect, error) {
	u, err := config.ParseURL(rawURL, baseDir)
	if err != nil {
		return nil, nil, err
	}
	b, ok := backends[u.Dialect]
	if !ok {
		return nil, nil, fmt.Errorf("database URL %s: no dialect %q in this build", u.Redacted(), u.Dialect)
	}
	db, err := open(u, b)
	if err != nil {
		return nil, nil, err
	}
	return db, b.new(), nil
}

// open opens u with the driver of b.
func open(u *config.URL, b backend) (*sql.DB, error) {
	if !slices.Contains(sql.Drivers(), b.driver) {
		return nil, &DriverError{Dialect: u.Dialect, Driver: b.driver, Import: b.imp}
	}
	dsn := u.DSN
	switch u.Dialect {
	case "sqlite":
		dsn = sqliteDSN(u)
	case "mysql":
		// One round trip per statement with bound values, not two.
		dsn = mysql.FastDSN(dsn)
	}
	r := newRedactor(u.Raw, dsn)
	// sql.Open is the only way to reach a registered driver by name.
	probe, err := sql.Open(b.driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", u.Redacted(), r.err(err))
	}
	drv := probe.Driver()
	probe.Close()
	var c driver.Connector = dsnConnector{drv: drv, dsn: dsn}
	if dc, ok := drv.(driver.DriverContext); ok {
		if c, err = dc.OpenConnector(dsn); err != nil {
			return nil, fmt.Errorf("open %s: %w", u.Redacted(), r.err(err))
		}
	}
	db := sql.OpenDB(&redactingConnector{c: c, r: r})
	if u.Memory {
		// Each connection would be a database of its own.
		db.SetMaxOpenConns(1)
	} else {
		db.SetMaxOpenConns(2)
	}
	return db, nil
}

// sqliteDSN is the modernc.org/sqlite connection string of u, with a busy
// timeout unless the URL sets pragmas of its own.
func sqliteDSN(u *config.URL) string {
	if u.Memory {
		return ":memory:"
	}
	// The file name may hold characters a URI gives meaning to.
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(u.Path)
	q := u.Query
	if q == nil {
		q = url.Values{}
	}
	if !q.Has("_pragma") {
		q = maps.Clone(q)
		q.Set("_pragma", fmt.Sprintf("busy_timeout(%d)", sqlite.BusyTimeoutMS))
	}
	return "file:" + p + "?" + q.Encode()
}

// dsnConnector is the Connector of a driver without DriverContext.
type dsnConnector struct {
	drv driver.Driver
	dsn string
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.drv }

// redactingConnector removes secrets from the errors of connecting, which
// is where drivers quote their connection string.
type redactingConnector struct {
	c driver.Connector
	r *redactor
}

var _ driver.Connector = (*redactingConnector)(nil)

func (c *redactingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.c.Connect(ctx)
	if err != nil {
		return nil, c.r.err(err)
	}
	return conn, nil
}

func (c *redactingConnector) Driver() driver.Driver { return c.c.Driver() }

// Close closes the driver's connector when it has a Close (sql.DB.Close
// calls it).
func (c *redactingConnector) Close() error {
	if cl, ok := c.c.(io.Closer); ok {
		return c.r.err(cl.Close())
	}
	return nil
}

// minSecret is the shortest password searched for in free text: a shorter
// one would match inside ordinary words. The URL and connection string
// are replaced whole whatever the password's length.
const minSecret = 4

// redactor replaces a URL, a connection string and the passwords in them
// by their redacted forms.
type redactor struct{ rep *strings.Replacer }

func newRedactor(rawURL, dsn string) *redactor {
	var pairs []string
	for _, s := range []string{rawURL, strings.TrimSpace(rawURL), dsn} {
		if s != "" && config.Redact(s) != s {
			pairs = append(pairs, s, config.Redact(s))
		}
	}
	seen := map[string]bool{}
	for _, s := range append(hidden(rawURL), hidden(dsn)...) {
		for _, v := range []string{s, unescape(url.PathUnescape, s), unescape(url.QueryUnescape, s)} {
			if len(v) >= minSecret && !seen[v] {
				seen[v] = true
				pairs = append(pairs, v, "***")
			}
		}
	}
	return &redactor{rep: strings.NewReplacer(pairs...)}
}

func unescape(f func(string) (string, error), s string) string {
	if v, err := f(s); err == nil {
		return v
	}
	return s
}

// err returns err with secrets removed from its text; it wraps err, so
// that errors.Is and errors.As still see the driver's error.
func (r *redactor) err(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := r.rep.Replace(msg); clean != msg {
		return &redactedError{msg: clean, err: err}
	}
	return err
}

// redactedError is an error whose text had secrets removed.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// hidden returns the parts of s that config.Redact replaces by "***"
// (passwords), in order.
func hidden(s string) []string {
	red := config.Redact(s)
	if red == s {
		return nil
	}
	parts := strings.Split(red, "***")
	if !strings.HasPrefix(s, parts[0]) {
		return []string{s}
	}
	var out []string
	pos := len(parts[0])
	for i := 1; i < len(parts); i++ {
		end := len(s) - len(parts[i]) // the last part is a suffix
		if i < len(parts)-1 {
			j := strings.Index(s[pos:], parts[i])
			if j < 0 {
				return append(out, s[pos:])
			}
			end = pos + j
		}
		if end < pos {
			return append(out, s[pos:])
		}
		out = append(out, s[pos:end])
		pos = end + len(parts[i])
	}
	return out
}
