package dburl

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql", for tests only
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for tests only
	_ "modernc.org/sqlite"             // database/sql driver "sqlite", for tests only

	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/internal/dbtest"
)

var revisions = fstest.MapFS{
	"1_a.sql": {Data: []byte("-- revision: aaaa\n-- down_revision:\n\n-- +upgrade\nCREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY);\n\n-- +downgrade\nDROP TABLE t;\n")},
	"2_b.sql": {Data: []byte("-- revision: bbbb\n-- down_revision: aaaa\n\n-- +upgrade\nINSERT INTO t (id) VALUES (1);\n\n-- +downgrade\nDELETE FROM t;\n")},
}

func TestOpen(t *testing.T) {
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := dbtest.For(t, name)
			p, err := Open(db.URL, revisions)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Project().Dialect().Name(); got != name {
				t.Errorf("dialect %s, want %s", got, name)
			}
			if _, err := p.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			cur, err := p.Current(ctx)
			if err != nil || !slices.Equal(cur, p.Project().Heads()) {
				t.Fatalf("Current = %v, %v; want %v", cur, err, p.Project().Heads())
			}
			sqlDB := p.DB()
			if err := p.Close(); err != nil {
				t.Fatal(err)
			}
			if err := sqlDB.Ping(); err == nil {
				t.Errorf("the database is still open after Close")
			}
			// The database is at head for any other client.
			var n int
			if err := db.SQL.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil || n != 1 {
				t.Errorf("rows of t: %d, %v", n, err)
			}
		})
	}
}

func TestOpen_noDriver(t *testing.T) {
	u, err := config.ParseURL("postgresql://u:S3cretPW@127.0.0.1:1/db", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = open(u, backend{driver: "retort-test-unregistered", imp: "example.com/driver"})
	var de *DriverError
	if !errors.Is(err, ErrNoDriver) || !errors.As(err, &de) {
		t.Fatalf("open: %v, want ErrNoDriver", err)
	}
	for _, want := range []string{`"retort-test-unregistered"`, `import _ "example.com/driver"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %s", err, want)
		}
	}
}

func TestOpen_badURL(t *testing.T) {
	for _, raw := range []string{
		"",
		"postgresql:/u:S3cretPW@h/db",
		"oracle://u:S3cretPW@h/db",
		"postgresql://u:S3cretPW@[::1:1/db",
		"mysql://u:S3cretPW@127.0.0.1:1/db?tls=bogus",
		"mysql://u:S3cretPW@127.0.0.1:1/db?timeout=abc",
	} {
		t.Run(raw, func(t *testing.T) {
			_, err := Open(raw, revisions)
			if err == nil {
				t.Fatal("Open succeeded")
			}
			if strings.Contains(err.Error(), "S3cretPW") {
				t.Fatalf("error shows the password: %v", err)
			}
		})
	}
}

// TestOpen_connectErrors connects where it must fail and checks that no
// error shows the password.
func TestOpen_connectErrors(t *testing.T) {
	ctx := context.Background()
	for _, raw := range []string{
		"postgresql://u:S3cretPW@127.0.0.1:1/db",
		"postgresql://u@127.0.0.1:1/db?password=S3cretPW",
		"postgresql://u:S3cretPW@127.0.0.1:1/db?sslmode=bogus",
		"postgresql://u:S3cretPW@127.0.0.1:99999/db",
		"postgresql://postgres:S3cretPW@127.0.0.1:5432/nonexistent_db",
		"mysql://u:S3cretPW@127.0.0.1:1/db",
		"mysql://u:S3cret%40PW@127.0.0.1:1/db",
		"mysql://root:S3cretPW@127.0.0.1:3306/x",
	} {
		t.Run(raw, func(t *testing.T) {
			p, err := Open(raw, revisions)
			if err != nil {
				if strings.Contains(err.Error(), "S3cret") {
					t.Fatalf("Open error shows the password: %v", err)
				}
				return
			}
			defer p.Close()
			for _, f := range []func() error{
				func() error { _, err := p.Current(ctx); return err },
				func() error { _, err := p.Upgrade(ctx, "head"); return err },
				func() error { return p.DB().PingContext(ctx) },
			} {
				err := f()
				if err == nil {
					t.Fatal("succeeded")
				}
				if strings.Contains(err.Error(), "S3cret") {
					t.Fatalf("error shows the password: %v", err)
				}
			}
		})
	}
}

func TestRedactor(t *testing.T) {
	r := newRedactor("postgresql://u:S3cret%40PW@h:1/db?sslpassword=Other1234", "postgres://u:S3cret%40PW@h:1/db?sslpassword=Other1234")
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"},
		{"dial postgresql://u:S3cret%40PW@h:1/db?sslpassword=Other1234 failed", "dial postgresql://u:***@h:1/db?sslpassword=*** failed"},
		{"auth for S3cret@PW failed", "auth for *** failed"},
		{"auth for S3cret%40PW failed", "auth for *** failed"},
		{"key Other1234", "key ***"},
	} {
		base := errors.New(tc.in)
		err := r.err(base)
		if err.Error() != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, err, tc.want)
		}
		if !errors.Is(err, base) {
			t.Errorf("%q: the redacted error does not wrap the driver's", tc.in)
		}
	}
}

func TestHidden(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"sqlite:///app.db", nil},
		{"postgresql://u@h/db", nil},
		{"postgresql://u:pw@h/db", []string{"pw"}},
		{"postgresql://u:p@ss/w@h/db", []string{"p@ss/w"}},
		{"u:pw@tcp(h:3306)/db", []string{"pw"}},
		{"postgresql://u:pw@h/db?password=two&x=1", []string{"pw", "two"}},
	} {
		if got := hidden(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("hidden(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
