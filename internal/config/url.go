package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// ResolveURL picks the database URL: the --url flag, else the RETORT_URL
// environment variable, else DATABASE_URL, else the url key of cfg. A value
// that is empty or blank counts as unset. source names where raw came from:
// "--url", "RETORT_URL", "DATABASE_URL", "retort.toml", or "" when none has
// a URL. getenv may be nil (os.Getenv) and cfg may be nil.
func ResolveURL(flagURL string, getenv func(string) string, cfg *Config) (raw, source string) {
	if getenv == nil {
		getenv = os.Getenv
	}
	set := func(s string) bool { return strings.TrimSpace(s) != "" }
	if set(flagURL) {
		return flagURL, "--url"
	}
	for _, name := range []string{"RETORT_URL", "DATABASE_URL"} {
		if v := getenv(name); set(v) {
			return v, name
		}
	}
	if cfg != nil && set(cfg.URL) {
		return cfg.URL, FileName
	}
	return "", ""
}

// URL is a parsed database URL.
type URL struct {
	// Dialect is "sqlite", "postgres" or "mysql".
	Dialect string
	// Raw is the URL as given. It may hold a password: show Redacted().
	Raw string

	// Path is the absolute path of a SQLite database ("" when Memory).
	Path string
	// Memory is true for an in-memory SQLite database.
	Memory bool
	// Query holds the options after '?' (every dialect), to be passed to
	// the driver.
	Query url.Values

	// DSN is the connection string of the driver, for PostgreSQL and MySQL
	// ("" for SQLite, whose driver is given Path and Query).
	//
	// PostgreSQL: a URL that pgx accepts, postgres://user:pass@host:port/db
	// with the query kept as given and the +driver suffix removed.
	//
	// MySQL: a go-sql-driver/mysql DSN, user:pass@tcp(host:port)/db?params,
	// or user:pass@unix(/path)/db for a socket (given as ?unix_socket=/path
	// or as a percent-encoded host: mysql://user@%2Fvar%2Frun%2Fmysqld.sock/db).
	// The port defaults to 3306 and the host to 127.0.0.1; the query is kept
	// as given (charset, tls, parseTime, ...) but for unix_socket.
	DSN string
	// Database is the database name; for SQLite the path (":memory:" when
	// Memory).
	Database string
}

// Redacted returns Raw with the password replaced by "***".
func (u *URL) Redacted() string { return Redact(u.Raw) }

// dialects maps the scheme (without a +driver suffix) to the dialect.
var dialects = map[string]string{
	"sqlite":     "sqlite",
	"postgres":   "postgres",
	"postgresql": "postgres",
	"mysql":      "mysql",
	"mariadb":    "mysql",
}

const acceptedForms = "use sqlite:///relative.db, sqlite:////absolute/path.db, sqlite:// (in memory), " +
	"postgresql://user:password@host:5432/dbname or mysql://user:password@host:3306/dbname " +
	"(postgres://, mariadb:// and a +driver suffix such as postgresql+psycopg2:// are accepted too)"

const encodeHint = "percent-encode special characters in the user name and password: @ as %40, : as %3A, / as %2F, ? as %3F, # as %23, % as %25, space as %20"

// urlError is an error about raw. It shows raw only redacted, and never the
// text of a net/url error (which quotes the URL whole).
func urlError(raw, problem, hint string) *Error {
	return &Error{Msg: fmt.Sprintf("database URL %q: %s", Redact(strings.TrimSpace(raw)), problem), Hint: hint}
}

// ParseURL parses a database URL. A relative SQLite path is relative to
// baseDir, the folder of retort.toml ("" is the current folder). Every error
// is an *Error whose text and hint name the problem and what to do, and
// never contain the password. Blanks around raw are ignored.
func ParseURL(raw, baseDir string) (*URL, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, &Error{Msg: "empty database URL",
			Hint: "pass --url, set RETORT_URL or DATABASE_URL, or set url in retort.toml (for example url = \"sqlite:///app.db\")"}
	}
	scheme, rest, ok := splitScheme(s)
	if !ok {
		if i := strings.IndexByte(s, ':'); i > 0 && isScheme(s[:i]) {
			if _, known := dialects[baseScheme(s[:i])]; known {
				return nil, urlError(raw, fmt.Sprintf("%q is not followed by \"//\"", s[:i+1]), acceptedForms)
			}
		}
		return nil, urlError(raw, "no scheme (such as sqlite://, postgresql:// or mysql://)", acceptedForms)
	}
	dialect, known := dialects[baseScheme(scheme)]
	if !known {
		return nil, urlError(raw, fmt.Sprintf("unknown scheme %q", scheme), acceptedForms)
	}
	u := &URL{Dialect: dialect, Raw: raw}
	if dialect == "sqlite" {
		return parseSQLite(u, rest, baseDir)
	}
	return parseNetwork(u, rest)
}

// splitScheme splits "scheme://rest"; ok is false when s does not start
// with a valid scheme followed by "://".
func splitScheme(s string) (scheme, rest string, ok bool) {
	i := strings.Index(s, "://")
	if i <= 0 || !isScheme(s[:i]) {
		return "", "", false
	}
	return s[:i], s[i+3:], true
}

// isScheme reports whether s is a URL scheme: a letter, then letters,
// digits, '+', '-' or '.'.
func isScheme(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// baseScheme lowercases a scheme and drops its +driver suffix.
func baseScheme(scheme string) string {
	base, _, _ := strings.Cut(strings.ToLower(scheme), "+")
	return base
}

// parseSQLite parses what follows "sqlite://". The path is taken as written
// (no percent-decoding), so any file name works.
func parseSQLite(u *URL, rest, baseDir string) (*URL, error) {
	p, q, hasQuery := strings.Cut(rest, "?")
	u.Query = url.Values{}
	if hasQuery {
		vals, err := url.ParseQuery(q)
		if err != nil {
			return nil, urlError(u.Raw, "malformed options after \"?\"",
				"write options as name=value pairs joined by &, percent-encoding special characters (sqlite:///app.db?_pragma=foreign_keys(1))")
		}
		u.Query = vals
	}
	if p != "" && !strings.HasPrefix(p, "/") {
		return nil, urlError(u.Raw, "a SQLite URL has no host",
			"use three slashes for a path relative to retort.toml's folder (sqlite:///app.db) or four for an absolute path (sqlite:////var/lib/app.db)")
	}
	p = strings.TrimPrefix(p, "/")
	if p == "" || p == ":memory:" {
		u.Memory = true
		u.Database = ":memory:"
		return u, nil
	}
	p = filepath.FromSlash(p)
	if !filepath.IsAbs(p) {
		p = filepath.Join(absPath(baseDir), p)
	}
	u.Path = filepath.Clean(p)
	u.Database = u.Path
	return u, nil
}

// parseNetwork parses what follows "postgres://" or "mysql://".
func parseNetwork(u *URL, rest string) (*URL, error) {
	if strings.Contains(rest, "#") {
		return nil, urlError(u.Raw, "it contains \"#\", which must be percent-encoded (%23) in a user name or password", encodeHint)
	}
	// Split the authority (user:password@host:port) off as net/url does,
	// to catch what net/url would silently read another way.
	authEnd := strings.IndexAny(rest, "/?")
	if authEnd < 0 {
		authEnd = len(rest)
	}
	auth, tail := rest[:authEnd], rest[authEnd:]
	path, _, _ := strings.Cut(tail, "?")
	at := strings.LastIndexByte(auth, '@')
	switch {
	case at < 0 && strings.Contains(tail, "@"):
		return nil, urlError(u.Raw, "an \"@\" follows the host: the password may contain an unencoded / or ?", encodeHint)
	case strings.Contains(path, "@"):
		return nil, urlError(u.Raw, "an \"@\" in the database name: the password may contain an unencoded /", encodeHint)
	}
	userinfo, host := "", auth
	if at >= 0 {
		userinfo, host = auth[:at+1], auth[at+1:]
	}
	// A host starting with '/' (percent-encoded) is a Unix socket; net/url
	// rejects it, so it is taken out before parsing.
	socket := ""
	if strings.HasPrefix(strings.ToLower(host), "%2f") {
		s, err := url.PathUnescape(host)
		if err != nil {
			return nil, urlError(u.Raw, "invalid percent-encoding in the socket path", "write the socket path with / as %2F, or pass it as ?unix_socket=/path (MySQL) or ?host=/folder (PostgreSQL)")
		}
		socket, host = s, ""
	}
	parsed, err := url.Parse("db://" + userinfo + host + tail)
	if err != nil {
		return nil, urlError(u.Raw, "malformed URL", encodeHint)
	}
	query, err := url.ParseQuery(parsed.RawQuery)
	if err != nil {
		return nil, urlError(u.Raw, "malformed options after \"?\"", "write options as name=value pairs joined by &, percent-encoding special characters")
	}
	u.Query = query
	db := strings.TrimPrefix(parsed.Path, "/")
	if strings.Contains(db, "/") {
		return nil, urlError(u.Raw, "the database name contains \"/\"", "write the database name alone after the host (host:port/dbname); "+encodeHint)
	}
	u.Database = db
	if u.Dialect == "postgres" {
		return postgresDSN(u, parsed, socket)
	}
	return mysqlDSN(u, parsed, socket)
}

// postgresDSN builds a URL for pgx. A socket host becomes ?host=, which is
// how pgx takes it.
func postgresDSN(u *URL, parsed *url.URL, socket string) (*URL, error) {
	out := url.URL{Scheme: "postgres", User: parsed.User, Host: parsed.Host,
		Path: parsed.Path, RawPath: parsed.RawPath, RawQuery: parsed.RawQuery}
	if socket != "" {
		if out.RawQuery != "" {
			out.RawQuery += "&"
		}
		out.RawQuery += "host=" + url.QueryEscape(socket)
		u.Query.Set("host", socket)
	}
	u.DSN = out.String()
	return u, nil
}

// mysqlDSN builds a go-sql-driver/mysql DSN.
func mysqlDSN(u *URL, parsed *url.URL, socket string) (*URL, error) {
	// No database name is allowed: --sql needs only the scheme. Online,
	// the dialect refuses a session with no current database.
	var params []string
	for _, kv := range strings.Split(parsed.RawQuery, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if name, _ := url.QueryUnescape(k); name == "unix_socket" {
			if s, err := url.QueryUnescape(v); err == nil && s != "" {
				socket = s
			}
			continue
		}
		params = append(params, kv)
	}
	u.Query.Del("unix_socket")
	var b strings.Builder
	if parsed.User != nil {
		name := parsed.User.Username()
		if strings.Contains(name, ":") {
			return nil, urlError(u.Raw, "the user name contains \":\", which a MySQL DSN cannot hold", "use a user name without \":\"")
		}
		b.WriteString(name)
		if pw, ok := parsed.User.Password(); ok {
			b.WriteString(":" + pw)
		}
		b.WriteByte('@')
	}
	if socket != "" {
		b.WriteString("unix(" + socket + ")")
	} else {
		host, port := parsed.Hostname(), parsed.Port()
		if host == "" {
			host = "127.0.0.1"
		}
		if port == "" {
			port = "3306"
		}
		b.WriteString("tcp(" + net.JoinHostPort(host, port) + ")")
	}
	b.WriteString("/" + u.Database)
	if len(params) > 0 {
		b.WriteString("?" + strings.Join(params, "&"))
	}
	u.DSN = b.String()
	return u, nil
}
