package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestResolveURL(t *testing.T) {
	cfg := &Config{URL: "sqlite:///file.db"}
	env := func(m map[string]string) func(string) string {
		return func(k string) string { return m[k] }
	}
	both := map[string]string{"RETORT_URL": "sqlite:///retort.db", "DATABASE_URL": "sqlite:///database.db"}
	for _, tc := range []struct {
		name       string
		flag       string
		env        map[string]string
		cfg        *Config
		raw, where string
	}{
		{"flag wins over all", "sqlite:///flag.db", both, cfg, "sqlite:///flag.db", "--url"},
		{"RETORT_URL over DATABASE_URL and file", "", both, cfg, "sqlite:///retort.db", "RETORT_URL"},
		{"DATABASE_URL over file", "", map[string]string{"DATABASE_URL": "sqlite:///database.db"}, cfg, "sqlite:///database.db", "DATABASE_URL"},
		{"file", "", nil, cfg, "sqlite:///file.db", "retort.toml"},
		{"none", "", nil, &Config{}, "", ""},
		{"nil config", "", nil, nil, "", ""},
		{"blank flag and RETORT_URL are unset", " ", map[string]string{"RETORT_URL": "", "DATABASE_URL": "sqlite:///database.db"}, cfg, "sqlite:///database.db", "DATABASE_URL"},
		{"blank env falls to the file", "", map[string]string{"RETORT_URL": "  ", "DATABASE_URL": "\t"}, cfg, "sqlite:///file.db", "retort.toml"},
		{"flag without the rest", "postgres://h/db", nil, nil, "postgres://h/db", "--url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, where := ResolveURL(tc.flag, env(tc.env), tc.cfg)
			if raw != tc.raw || where != tc.where {
				t.Errorf("ResolveURL = %q, %q; want %q, %q", raw, where, tc.raw, tc.where)
			}
		})
	}
	t.Run("nil getenv reads the environment", func(t *testing.T) {
		t.Setenv("RETORT_URL", "sqlite:///from-env.db")
		if raw, where := ResolveURL("", nil, cfg); raw != "sqlite:///from-env.db" || where != "RETORT_URL" {
			t.Errorf("ResolveURL = %q, %q", raw, where)
		}
	})
}

func TestParseURLSQLite(t *testing.T) {
	base := t.TempDir()
	abs := filepath.Join(t.TempDir(), "abs", "x.db")
	for _, tc := range []struct {
		name, raw string
		path      string // "" for memory
		query     url.Values
	}{
		{"relative", "sqlite:///app.db", filepath.Join(base, "app.db"), url.Values{}},
		{"relative in a folder", "sqlite:///data/app.db", filepath.Join(base, "data", "app.db"), url.Values{}},
		{"relative going up", "sqlite:///../up.db", filepath.Join(filepath.Dir(base), "up.db"), url.Values{}},
		{"absolute", "sqlite:///" + filepath.ToSlash(abs), abs, url.Values{}},
		{"with options", "sqlite:///app.db?_pragma=foreign_keys(1)&_txlock=immediate", filepath.Join(base, "app.db"),
			url.Values{"_pragma": {"foreign_keys(1)"}, "_txlock": {"immediate"}}},
		{"driver suffix", "sqlite+pysqlite:///app.db", filepath.Join(base, "app.db"), url.Values{}},
		{"any driver suffix", "sqlite+aiosqlite:///app.db", filepath.Join(base, "app.db"), url.Values{}},
		{"upper-case scheme", "SQLite:///app.db", filepath.Join(base, "app.db"), url.Values{}},
		{"blanks around", "  sqlite:///app.db\n", filepath.Join(base, "app.db"), url.Values{}},
		{"space in the path", "sqlite:///my app.db", filepath.Join(base, "my app.db"), url.Values{}},
		{"percent in the path is literal", "sqlite:///100%25.db", filepath.Join(base, "100%25.db"), url.Values{}},
		{"at sign in the path", "sqlite:///me@home.db", filepath.Join(base, "me@home.db"), url.Values{}},
		{"memory: two slashes", "sqlite://", "", url.Values{}},
		{"memory: three slashes", "sqlite:///", "", url.Values{}},
		{"memory: :memory:", "sqlite:///:memory:", "", url.Values{}},
		{"memory with options", "sqlite://?cache=shared", "", url.Values{"cache": {"shared"}}},
		{"memory: :memory: with options", "sqlite:///:memory:?cache=shared", "", url.Values{"cache": {"shared"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := ParseURL(tc.raw, base)
			if err != nil {
				t.Fatal(err)
			}
			want := &URL{Dialect: "sqlite", Raw: tc.raw, Path: tc.path, Memory: tc.path == "", Query: tc.query, Database: tc.path}
			if tc.path == "" {
				want.Database = ":memory:"
			}
			if !reflect.DeepEqual(u, want) {
				t.Errorf("ParseURL(%q) =\n%+v\nwant\n%+v", tc.raw, u, want)
			}
		})
	}
	t.Run("empty base is the current folder", func(t *testing.T) {
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		u, err := ParseURL("sqlite:///app.db", "")
		if err != nil || u.Path != filepath.Join(wd, "app.db") {
			t.Errorf("ParseURL = %+v, %v", u, err)
		}
	})
}

func TestParseURLPostgres(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		dsn       string
		database  string
		password  string // the password pgx will read from the DSN
		query     url.Values
	}{
		{"postgresql", "postgresql://app:pw@db.example.com:5432/shop?sslmode=require",
			"postgres://app:pw@db.example.com:5432/shop?sslmode=require", "shop", "pw", url.Values{"sslmode": {"require"}}},
		{"postgres", "postgres://app@localhost/shop", "postgres://app@localhost/shop", "shop", "", url.Values{}},
		{"driver suffix removed", "postgresql+psycopg2://app:pw@h/shop", "postgres://app:pw@h/shop", "shop", "pw", url.Values{}},
		{"asyncpg suffix", "postgresql+asyncpg://app:pw@h/shop", "postgres://app:pw@h/shop", "shop", "pw", url.Values{}},
		{"upper-case scheme", "POSTGRES://app@h/shop", "postgres://app@h/shop", "shop", "", url.Values{}},
		{"every query parameter kept", "postgres://h/shop?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=retort&connect_timeout=5",
			"postgres://h/shop?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=retort&connect_timeout=5", "shop", "",
			url.Values{"sslmode": {"verify-full"}, "sslrootcert": {"/etc/ca.pem"}, "application_name": {"retort"}, "connect_timeout": {"5"}}},
		{"percent-encoded password", "postgres://app:p%40ss%3Aw%2Frd%25x%20y@h/shop",
			"postgres://app:p%40ss%3Aw%2Frd%25x%20y@h/shop", "shop", "p@ss:w/rd%x y", url.Values{}},
		{"unencoded at sign in password", "postgres://app:p@ss@h/shop", "postgres://app:p%40ss@h/shop", "shop", "p@ss", url.Values{}},
		{"percent-encoded user", "postgres://me%40corp:pw@h/shop", "postgres://me%40corp:pw@h/shop", "shop", "pw", url.Values{}},
		{"empty password", "postgres://app:@h/shop", "postgres://app:@h/shop", "shop", "", url.Values{}},
		{"no database", "postgres://app@h", "postgres://app@h", "", "", url.Values{}},
		{"no host", "postgres:///shop?host=/var/run/postgresql", "postgres:///shop?host=/var/run/postgresql", "shop", "",
			url.Values{"host": {"/var/run/postgresql"}}},
		{"socket host", "postgres://app@%2Fvar%2Frun%2Fpostgresql/shop", "postgres://app@/shop?host=%2Fvar%2Frun%2Fpostgresql", "shop", "",
			url.Values{"host": {"/var/run/postgresql"}}},
		{"IPv6", "postgres://app@[::1]:5433/shop", "postgres://app@[::1]:5433/shop", "shop", "", url.Values{}},
		{"several hosts", "postgres://app@h1:5432,h2:5433/shop?target_session_attrs=read-write",
			"postgres://app@h1:5432,h2:5433/shop?target_session_attrs=read-write", "shop", "", url.Values{"target_session_attrs": {"read-write"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := ParseURL(tc.raw, "/base")
			if err != nil {
				t.Fatal(err)
			}
			if u.Dialect != "postgres" || u.Raw != tc.raw || u.DSN != tc.dsn || u.Database != tc.database ||
				u.Path != "" || u.Memory || !reflect.DeepEqual(u.Query, tc.query) {
				t.Errorf("ParseURL(%q) =\n%+v\nwant DSN %q Database %q Query %v", tc.raw, u, tc.dsn, tc.database, tc.query)
			}
			p, err := url.Parse(u.DSN)
			if err != nil {
				t.Fatalf("DSN %q does not parse: %v", u.DSN, err)
			}
			if pw, _ := p.User.Password(); pw != tc.password {
				t.Errorf("DSN password = %q, want %q", pw, tc.password)
			}
			if tc.password != "" && strings.Contains(u.Redacted(), tc.password) {
				t.Errorf("Redacted() = %q shows the password", u.Redacted())
			}
		})
	}
}

func TestParseURLMySQL(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		dsn       string
		database  string
		query     url.Values
	}{
		{"mysql", "mysql://app:pw@db.example.com/shop", "app:pw@tcp(db.example.com:3306)/shop", "shop", url.Values{}},
		{"port", "mysql://app:pw@h:3307/shop", "app:pw@tcp(h:3307)/shop", "shop", url.Values{}},
		{"mariadb", "mariadb://app@h/shop", "app@tcp(h:3306)/shop", "shop", url.Values{}},
		{"driver suffix", "mysql+pymysql://app:pw@h/shop", "app:pw@tcp(h:3306)/shop", "shop", url.Values{}},
		{"mysqldb suffix", "mysql+mysqldb://app:pw@h/shop", "app:pw@tcp(h:3306)/shop", "shop", url.Values{}},
		{"query kept as written", "mysql://app@h/shop?charset=utf8mb4&parseTime=true&tls=skip-verify&loc=Europe%2FParis",
			"app@tcp(h:3306)/shop?charset=utf8mb4&parseTime=true&tls=skip-verify&loc=Europe%2FParis", "shop",
			url.Values{"charset": {"utf8mb4"}, "parseTime": {"true"}, "tls": {"skip-verify"}, "loc": {"Europe/Paris"}}},
		{"percent-encoded password", "mysql://app:p%40ss%3Aw%2Frd%25@h/shop", "app:p@ss:w/rd%@tcp(h:3306)/shop", "shop", url.Values{}},
		{"unencoded at sign in password", "mysql://app:p@ss@h/shop", "app:p@ss@tcp(h:3306)/shop", "shop", url.Values{}},
		{"no user", "mysql://h/shop", "tcp(h:3306)/shop", "shop", url.Values{}},
		{"no host", "mysql://app@/shop", "app@tcp(127.0.0.1:3306)/shop", "shop", url.Values{}},
		{"IPv6", "mysql://app@[::1]/shop", "app@tcp([::1]:3306)/shop", "shop", url.Values{}},
		{"IPv6 and port", "mysql://app@[fe80::1]:3310/shop", "app@tcp([fe80::1]:3310)/shop", "shop", url.Values{}},
		{"unix_socket option", "mysql://app:pw@/shop?unix_socket=/var/run/mysqld/mysqld.sock&charset=utf8mb4",
			"app:pw@unix(/var/run/mysqld/mysqld.sock)/shop?charset=utf8mb4", "shop", url.Values{"charset": {"utf8mb4"}}},
		{"unix_socket option encoded", "mysql+pymysql://app@localhost/shop?unix_socket=%2Ftmp%2Fmysql.sock",
			"app@unix(/tmp/mysql.sock)/shop", "shop", url.Values{}},
		{"socket host", "mysql://app@%2Ftmp%2Fmysql.sock/shop", "app@unix(/tmp/mysql.sock)/shop", "shop", url.Values{}},
		{"socket host lower-case", "mysql://app@%2ftmp%2fmysql.sock/shop", "app@unix(/tmp/mysql.sock)/shop", "shop", url.Values{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := ParseURL(tc.raw, "/base")
			if err != nil {
				t.Fatal(err)
			}
			if u.Dialect != "mysql" || u.Raw != tc.raw || u.DSN != tc.dsn || u.Database != tc.database ||
				u.Path != "" || u.Memory || !reflect.DeepEqual(u.Query, tc.query) {
				t.Errorf("ParseURL(%q) =\n%+v\nwant DSN %q Database %q Query %v", tc.raw, u, tc.dsn, tc.database, tc.query)
			}
			if strings.Contains(u.Redacted(), "pw") || strings.Contains(u.Redacted(), "ss") {
				t.Errorf("Redacted() = %q shows the password", u.Redacted())
			}
		})
	}
}

const secret = "s3cr3t!@#"

func TestParseURLErrors(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		msg       string // in Msg
		hint      string // in Hint
	}{
		{"empty", "", "empty database URL", "RETORT_URL"},
		{"blank", "  \n", "empty database URL", "RETORT_URL"},
		{"unknown scheme", "oracle://u:s3cr3t@h/db", `unknown scheme "oracle"`, "postgresql://"},
		{"unknown scheme lists sqlite", "mongodb+srv://u:s3cr3t@h/db", `unknown scheme "mongodb+srv"`, "sqlite:///relative.db"},
		{"sqlite3 is not a scheme", "sqlite3:///app.db", `unknown scheme "sqlite3"`, "mysql://"},
		{"missing scheme", "u:s3cr3t@localhost/db", "no scheme", "postgresql://"},
		{"missing scheme host only", "localhost:5432/db", "no scheme", "sqlite://"},
		{"missing scheme path", "app.db", "no scheme", "sqlite:///relative.db"},
		{"scheme without slashes", "sqlite:app.db", `"sqlite:" is not followed by "//"`, "sqlite:///relative.db"},
		{"postgres without slashes", "postgres:u:s3cr3t@h/db", `"postgres:" is not followed by "//"`, "postgresql://"},
		{"sqlite with a host", "sqlite://app.db", "a SQLite URL has no host", "three slashes"},
		{"sqlite with a host and path", "sqlite://host/x.db", "a SQLite URL has no host", "sqlite:///app.db"},
		{"sqlite with a password", "sqlite://u:s3cr3t@host/x.db", "a SQLite URL has no host", "three slashes"},
		{"sqlite bad options", "sqlite:///app.db?a=%zz", "malformed options", "name=value"},
		{"mysql user with colon", "mysql://a%3Ab:s3cr3t@h/db", `the user name contains ":"`, "without"},
		{"hash in password", "postgres://u:" + secret + "@h/db", `contains "#"`, "# as %23"},
		{"slash in password", "postgres://u:s3/cr3t@h/db", `"@" follows the host`, "/ as %2F"},
		{"slash in password after a numeric start", "postgres://u:1234/s3cr3t@h/db", `"@" follows the host`, "/ as %2F"},
		{"slash in password with user", "postgres://u@x:s3/cr3t@h/db", `"@" in the database name`, "/ as %2F"},
		{"question mark in password", "mysql://u:s3?cr3t@h/db", `"@" follows the host`, "? as %3F"},
		{"bad port", "postgres://u:s3cr3t@h:port/db", "malformed URL", "percent-encode"},
		{"password without host", "postgres://u:s3cr3t", "malformed URL", "percent-encode"},
		{"space in password", "postgres://u:s3cr 3t@h/db", "malformed URL", "space as %20"},
		{"space in host", "mysql://u:s3cr3t@my host/db", "malformed URL", "percent-encode"},
		{"bad escape in password", "postgres://u:s3cr3t%zz@h/db", "malformed URL", "% as %25"},
		{"bad options", "postgres://u:s3cr3t@h/db?a=%zz", "malformed options", "name=value"},
		{"slash in database", "postgres://u:s3cr3t@h/a/b", `the database name contains "/"`, "dbname"},
		{"bad socket escape", "mysql://u:s3cr3t@%2Ftmp%zz/db", "invalid percent-encoding in the socket path", "unix_socket"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := ParseURL(tc.raw, "/base")
			if err == nil {
				t.Fatalf("ParseURL(%q) = %+v, want an error", tc.raw, u)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is a %T, want *Error", err, err)
			}
			if !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("Msg = %q, want it to contain %q", e.Msg, tc.msg)
			}
			if !strings.Contains(e.Hint, tc.hint) {
				t.Errorf("Hint = %q, want it to contain %q", e.Hint, tc.hint)
			}
			if e.Error() != e.Msg {
				t.Errorf("Error() = %q, want the message alone", e.Error())
			}
			for _, s := range []string{"s3cr3t", "s3/cr3t", "s3?cr3t", "s3cr 3t"} {
				if strings.Contains(e.Error(), s) || strings.Contains(e.Hint, s) {
					t.Errorf("error shows the password %q: %q (hint %q)", s, e.Error(), e.Hint)
				}
			}
		})
	}
}

// FuzzParseURL checks that ParseURL never panics, that its errors are
// *Error with a hint, that an error shows the URL only redacted, and that
// SQLite paths are absolute.
func FuzzParseURL(f *testing.F) {
	for _, s := range malformed {
		f.Add(s)
	}
	for _, s := range []string{
		"sqlite:///app.db", "sqlite://", "sqlite:////abs/x.db?mode=ro", "postgres://u:p@h:5432/db?sslmode=disable",
		"mysql://u:p@h/db?unix_socket=/tmp/s", "mysql://u@%2Ftmp%2Fs/db", "mariadb://h/db", "x", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := ParseURL(raw, "/base")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseURL(%q) error %v is a %T", raw, err, err)
			}
			if e.Hint == "" {
				t.Fatalf("ParseURL(%q) error %q has no hint", raw, e.Msg)
			}
			prefix := fmt.Sprintf("database URL %q: ", Redact(strings.TrimSpace(raw)))
			if e.Msg != "empty database URL" && !strings.HasPrefix(e.Msg, prefix) {
				t.Fatalf("ParseURL(%q) error %q does not start with %q", raw, e.Msg, prefix)
			}
			return
		}
		switch u.Dialect {
		case "sqlite":
			if u.Memory != (u.Path == "") || (!u.Memory && !filepath.IsAbs(u.Path)) {
				t.Fatalf("ParseURL(%q) = %+v", raw, u)
			}
		case "postgres", "mysql":
			if u.DSN == "" {
				t.Fatalf("ParseURL(%q) = %+v: no DSN", raw, u)
			}
		default:
			t.Fatalf("ParseURL(%q) dialect %q", raw, u.Dialect)
		}
	})
}

// A MySQL URL without a database parses (offline scripts need only the
// scheme); the dialect refuses to run online without one.
func TestParseURLMySQLNoDatabase(t *testing.T) {
	for _, raw := range []string{"mysql://", "mariadb://", "mysql://u:s3cr3t@h", "mysql://u:s3cr3t@h:3306/"} {
		u, err := ParseURL(raw, "")
		if err != nil {
			t.Errorf("ParseURL(%q): %v", raw, err)
			continue
		}
		if u.Dialect != "mysql" || u.Database != "" {
			t.Errorf("ParseURL(%q) = dialect %q database %q, want mysql and none", raw, u.Dialect, u.Database)
		}
	}
}
