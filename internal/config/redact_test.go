package config

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", ""},
		{"no password", "postgres://app@h/db", "postgres://app@h/db"},
		{"no user", "postgres://h:5432/db", "postgres://h:5432/db"},
		{"password", "postgres://app:pw@h:5432/db?sslmode=disable", "postgres://app:***@h:5432/db?sslmode=disable"},
		{"empty user", "postgres://:pw@h/db", "postgres://:***@h/db"},
		{"driver suffix", "postgresql+psycopg2://app:pw@h/db", "postgresql+psycopg2://app:***@h/db"},
		{"mysql", "mysql://app:pw@tcp-host:3306/db?charset=utf8", "mysql://app:***@tcp-host:3306/db?charset=utf8"},
		{"percent-encoded password", "postgres://app:p%40ss%3A@h/db", "postgres://app:***@h/db"},
		{"unencoded at sign", "postgres://app:p@ss@h/db", "postgres://app:***@h/db"},
		{"unencoded slash", "postgres://app:p/ss@h/db", "postgres://app:***@h/db"},
		{"unencoded hash", "postgres://app:p#ss@h/db", "postgres://app:***@h/db"},
		{"colon in password", "postgres://app:p:ss@h/db", "postgres://app:***@h/db"},
		{"sqlite", "sqlite:///app.db", "sqlite:///app.db"},
		{"sqlite path with at and colon", "sqlite:///C:/me@home/app.db", "sqlite:///C:/me@home/app.db"},
		{"sqlite with a user", "sqlite://u:pw@h/app.db", "sqlite://u:***@h/app.db"},
		{"password option", "postgres://h/db?user=app&password=pw&sslmode=disable", "postgres://h/db?user=app&password=***&sslmode=disable"},
		{"sslpassword option", "postgres://h/db?sslpassword=pw", "postgres://h/db?sslpassword=***"},
		{"upper-case option", "mysql://h/db?PASSWORD=pw", "mysql://h/db?PASSWORD=***"},
		{"both", "postgres://app:pw@h/db?password=pw2", "postgres://app:***@h/db?password=***"},
		{"empty option value", "postgres://h/db?password=&x=1", "postgres://h/db?password=&x=1"},
		{"option not a secret", "postgres://h/db?passable_thing", "postgres://h/db?passable_thing"},
		{"option name inside a value", "postgres://h/db?x=apassword=pw", "postgres://h/db?x=apassword=pw"},
		{"key=value DSN", "host=h user=app password=pw dbname=db", "host=h user=app password=*** dbname=db"},
		{"key=value DSN quoted", "host=h password='p w\\'x' dbname=db", "host=h password=*** dbname=db"},
		{"key=value DSN unterminated quote", "host=h password='p w", "host=h password=***"},
		{"ODBC style", "Server=h;Uid=app;Pwd=pw;", "Server=h;Uid=app;Pwd=***"},
		{"go-sql-driver DSN", "app:pw@tcp(h:3306)/db?parseTime=true", "app:***@tcp(h:3306)/db?parseTime=true"},
		{"no scheme", "app:pw@h/db", "app:***@h/db"},
		{"scheme-relative", "//app:pw@h/db", "//app:***@h/db"},
		{"no host: password taken for a port", "postgres://app:pw", "postgres://app:***"},
		{"no host with path", "postgres://app:pw/db", "postgres://app:***"},
		{"numeric port kept", "postgres://h:5432", "postgres://h:5432"},
		{"IPv6 kept", "postgres://[::1]:5432/db", "postgres://[::1]:5432/db"},
		{"several hosts kept", "postgres://h1:5432,h2:5433/db", "postgres://h1:5432,h2:5433/db"},
		{"leading blanks", "  postgres://app:pw@h/db", "  postgres://app:***@h/db"},
		{"not a URL", "hello world", "hello world"},
		{"token option", "libsql://db.example.io?authToken=abc.def", "libsql://db.example.io?authToken=***"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Redact(tc.in); got != tc.want {
				t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// malformed are URLs and near-URLs that hold the password secret
// ("s3cr3t!@#", unencoded), however broken they are.
var malformed = []string{
	"postgres://u:" + secret + "@h/db",
	"postgres://u:" + secret + "@h:5432/db?sslmode=disable",
	"postgres://u:" + secret,
	"postgres://u:" + secret + "@",
	"postgres://:" + secret + "@h/db",
	"postgres://u:" + secret + "@[::1/db",
	"postgres://u:" + secret + "@h/db?password=" + secret,
	"postgres://u:" + secret + "@h:port/db",
	"postgresql+psycopg2://u:" + secret + "@h/db",
	"postgres://u@x:" + secret + "@h/db",
	"postgres://u:" + secret + "/x@h/db",
	"postgres://u:" + secret + "?x@h/db",
	"postgres:/u:" + secret + "@h/db",
	"postgres:u:" + secret + "@h/db",
	"postgres//u:" + secret + "@h/db",
	"postgres://u:" + secret + " @h/db",
	"postgres:// u:" + secret + "@h/db",
	" postgres://u:" + secret + "@h/db ",
	"postgres://u: " + secret + "@h/db",
	"postgres://u:" + secret + "@h o s t/db",
	"postgres://u:" + secret + "%zz@h/db",
	"postgres://u:" + secret + "@h/db#frag",
	"postgres://u:" + secret + "@h/a/b",
	"u:" + secret + "@h/db",
	"u:" + secret + "@tcp(h:3306)/db",
	"//u:" + secret + "@h/db",
	"mysql://u:" + secret + "@h",
	"mysql://u:" + secret + "@h/",
	"mysql://u:" + secret + "@%2Ftmp%zz/db",
	"mysql://u:" + secret + "@/db?unix_socket=/tmp/x.sock",
	"mariadb://u:" + secret + "@h:3306/db?tls=true&password=" + secret,
	"mysql+pymysql://u:" + secret + "@h/db",
	"sqlite://u:" + secret + "@h/app.db",
	"oracle://u:" + secret + "@h/db",
	"://u:" + secret + "@h/db",
	"1postgres://u:" + secret + "@h/db",
	"pg sql://u:" + secret + "@h/db",
	"postgres://u:" + secret + "@h/db\n",
	"postgres://u:" + secret + "\t@h/db",
	"host=h user=u password=" + secret + " dbname=db",
	"host=h password='" + secret + " x' dbname=db",
	"postgres://h/db?user=u&password=" + secret,
	"postgres://u:" + url.QueryEscape(secret) + "@h/db",
	"postgres://u:" + url.PathEscape(secret) + "@h/db",
}

// TestNoPasswordLeaks checks that Redact, URL.Redacted and every error of
// ParseURL hide the password of malformed and well-formed URLs.
func TestNoPasswordLeaks(t *testing.T) {
	leaks := func(s string) bool {
		return strings.Contains(s, "s3cr3t") || strings.Contains(s, url.QueryEscape(secret)) ||
			strings.Contains(s, url.PathEscape(secret))
	}
	for _, raw := range malformed {
		t.Run(raw, func(t *testing.T) {
			if r := Redact(raw); leaks(r) {
				t.Errorf("Redact(%q) = %q", raw, r)
			}
			u, err := ParseURL(raw, "/base")
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("error %v is a %T, want *Error", err, err)
				}
				if leaks(e.Error()) || leaks(e.Hint) {
					t.Errorf("ParseURL error %q (hint %q) shows the password", e.Error(), e.Hint)
				}
				if e.Hint == "" {
					t.Errorf("ParseURL error %q has no hint", e.Error())
				}
				return
			}
			if leaks(u.Redacted()) {
				t.Errorf("Redacted() = %q", u.Redacted())
			}
		})
	}
}

func FuzzRedact(f *testing.F) {
	for _, s := range malformed {
		f.Add(s)
	}
	for _, s := range []string{
		"", "postgres://app:pw@h/db", "sqlite:///app.db", "mysql://a:b@c/d?password=e",
		"x://:@", "@", ":", "a:b@", "//:p@h", "host=h password='x", "postgres://[::1]:5432/db",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Redact(s) // must not panic
		u, err := url.Parse(s)
		if err != nil || u.User == nil {
			return
		}
		pw, ok := u.User.Password()
		if !ok || pw == "" {
			return
		}
		// The password as written in s: net/url's userinfo is the authority
		// (after "//", before the first '/', with the fragment and query cut
		// off) up to its last '@'.
		rest := s
		if i := strings.IndexByte(rest, '#'); i >= 0 {
			rest = rest[:i]
		}
		if i := strings.IndexByte(rest, '?'); i >= 0 {
			rest = rest[:i]
		}
		i := strings.Index(rest, "//")
		if i < 0 {
			return
		}
		auth := rest[i+2:]
		if j := strings.IndexByte(auth, '/'); j >= 0 {
			auth = auth[:j]
		}
		at := strings.LastIndexByte(auth, '@')
		c := strings.IndexByte(auth, ':')
		if at < 0 || c < 0 || c > at {
			t.Fatalf("cannot find the password of %q in %q", pw, s)
		}
		for _, p := range []string{auth[c+1 : at], pw} {
			if p == "" || strings.Contains(p, "*") {
				continue
			}
			// Redact only cuts s and inserts "***", so out holds p fewer
			// times than s does, at least once fewer for the raw password.
			in, got := strings.Count(s, p), strings.Count(out, p)
			if got > in || (p == auth[c+1:at] && got >= in) {
				t.Fatalf("Redact(%q) = %q shows the password %q", s, out, p)
			}
		}
	})
}
