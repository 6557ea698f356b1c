package scratch

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql", for tests only
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for tests only
	_ "modernc.org/sqlite"             // database/sql driver "sqlite", for tests only

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/schema"
)

// servers are the URLs scratch databases are made from, per dialect.
func servers(t *testing.T) map[string]string {
	out := map[string]string{"sqlite": "sqlite:///app.db"}
	for _, name := range []string{"postgres", "mysql"} {
		db := dbtest.For(t, name) // skips (or fails under RETORT_TEST_REQUIRE) without the server
		out[name] = db.URL
	}
	return out
}

// desired is desired-state SQL per dialect: two files, the second using
// what the first set up (PostgreSQL: a schema-qualified name and a
// search_path set by the first file).
var desired = map[string][]File{
	"sqlite": {
		{"schema/1_tables.sql", []byte("CREATE TABLE account (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);\n")},
		{"schema/2_more.sql", []byte("-- orders\nCREATE TABLE orders (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES account (id));\nCREATE INDEX orders_account ON orders (account_id);\n")},
	},
	"postgres": {
		{"schema/1_tables.sql", []byte("SET search_path = '';\nCREATE TABLE public.account (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);\nCREATE FUNCTION public.touch() RETURNS integer LANGUAGE sql AS $$ SELECT 1; $$;\n")},
		{"schema/2_more.sql", []byte("CREATE TABLE public.orders (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES public.account (id));\nCREATE INDEX orders_account ON public.orders (account_id);\n")},
	},
	"mysql": {
		{"schema/1_tables.sql", []byte("CREATE TABLE account (id BIGINT PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE);\nDELIMITER //\nCREATE PROCEDURE touch() BEGIN SELECT 1; END //\nDELIMITER ;\n")},
		{"schema/2_more.sql", []byte("CREATE TABLE orders (id BIGINT PRIMARY KEY, account_id BIGINT NOT NULL, CONSTRAINT orders_account FOREIGN KEY (account_id) REFERENCES account (id));\n")},
	},
}

// TestScratch applies desired-state SQL to a scratch database on each
// dialect, reflects it, and checks that Close removes it.
func TestScratch(t *testing.T) {
	for name, url := range servers(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s, err := New(ctx, url, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if s.Dialect.Name() != name {
				t.Fatalf("dialect %s, want %s", s.Dialect.Name(), name)
			}
			if err := s.ApplySQL(ctx, desired[name]); err != nil {
				s.Close()
				t.Fatal(err)
			}
			sc, err := s.Inspect(ctx, dialect.InspectOptions{})
			if err != nil {
				s.Close()
				t.Fatal(err)
			}
			var got []string
			for _, tb := range sc.Tables {
				got = append(got, tb.Name)
			}
			if strings.Join(got, ",") != "account,orders" {
				t.Errorf("tables %v, want account, orders", got)
			}
			if orders, _ := sc.Table("orders"); orders == nil || len(orders.ForeignKeys) != 1 {
				t.Errorf("orders = %v, want one foreign key", orders)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if s.Name != "" && exists(t, name, url, s.Name) {
				t.Errorf("scratch database %s still exists after Close", s.Name)
			}
		})
	}
}

// TestScratch_Failures: a failing statement names its file and line; a
// run whose context was cancelled (an interrupt) still removes its
// scratch database; an unknown scheme is refused before anything is made.
func TestScratch_Failures(t *testing.T) {
	for name, url := range servers(t) {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			s, err := New(ctx, url, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			bad := []File{
				{"schema/1.sql", []byte("CREATE TABLE a (id INTEGER PRIMARY KEY);\n")},
				{"schema/2.sql", []byte("\n\nCREATE TABLEX b (id INTEGER PRIMARY KEY);\n")},
			}
			err = s.ApplySQL(ctx, bad)
			if err == nil || !strings.HasPrefix(err.Error(), "schema/2.sql:3: ") {
				t.Errorf("ApplySQL = %v, want an error at schema/2.sql:3", err)
			}
			cancel() // interrupted
			if err := s.Close(); err != nil {
				t.Fatalf("Close after cancel: %v", err)
			}
			if s.Name != "" && exists(t, name, url, s.Name) {
				t.Errorf("scratch database %s still exists after an interrupted run", s.Name)
			}
		})
	}
	if _, err := New(context.Background(), "oracle://x/y", ""); err == nil || !strings.Contains(err.Error(), "unknown scheme") {
		t.Errorf("New(oracle://) = %v, want an unknown scheme error", err)
	}
}

func TestWithDatabase(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"postgresql://u:p@h:5432/app?sslmode=disable", "postgresql://u:p@h:5432/s?sslmode=disable"},
		{"mysql://root@127.0.0.1:3306/app", "mysql://root@127.0.0.1:3306/s"},
		{"mysql://root@127.0.0.1:3306", "mysql://root@127.0.0.1:3306/s"},
		{"postgres+pgx://h/?host=/run/postgresql", "postgres+pgx://h/s?host=/run/postgresql"},
		// An option naming the database would take the scratch
		// connection to the target: it goes.
		{"postgresql://h/app?dbname=app&sslmode=disable", "postgresql://h/s?sslmode=disable"},
		{"postgresql://h/app?sslmode=disable&database=app", "postgresql://h/s?sslmode=disable"},
		{"postgresql://h/app?db%6eame=app", "postgresql://h/s"},
	} {
		if got := withDatabase(tt.in, "s"); got != tt.want {
			t.Errorf("withDatabase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// exists reports whether the server of url has a database named name.
func exists(t *testing.T, dialectName, url, name string) bool {
	t.Helper()
	u, err := config.ParseURL(url, "")
	if err != nil {
		t.Fatal(err)
	}
	driver, q := "pgx", "SELECT count(*) FROM pg_database WHERE datname = $1"
	if dialectName == "mysql" {
		driver, q = "mysql", "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?"
	}
	db, err := sql.Open(driver, u.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(q, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// TestApplySchema applies a desired schema given as Go code (with a
// foreign-key cycle) to a scratch database of each dialect and reads it
// back: the same schema, once both are in the dialect's normal form.
func TestApplySchema(t *testing.T) {
	want := &schema.Schema{Tables: []*schema.Table{
		schema.NewTable("author",
			schema.Col("id", schema.Integer()),
			schema.Col("name", schema.String(100)),
			schema.Col("best_book_id", schema.Integer()).Nullable(),
		).PrimaryKey("id").Unique("name").
			ForeignKey(schema.FK("best_book_id").References("book", "id")),
		schema.NewTable("book",
			schema.Col("id", schema.Integer()),
			schema.Col("author_id", schema.Integer()),
			schema.Col("title", schema.String(200)).Default(schema.Value("untitled")),
		).PrimaryKey("id").
			ForeignKey(schema.FK("author_id").References("author", "id").DeleteRule(schema.Cascade)).
			Index(schema.IndexOn("title")),
	}}
	for name, url := range servers(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s, err := New(ctx, url, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.ApplySchema(ctx, want, schema.DefaultNaming()); err != nil {
				t.Fatal(err)
			}
			got, err := s.Inspect(ctx, dialect.InspectOptions{})
			if err != nil {
				t.Fatal(err)
			}
			nz := dialect.Probe(s.Dialect).Normalizer
			g, err := dialect.NormalizeSchema(nz, got, schema.DefaultNaming())
			if err != nil {
				t.Fatal(err)
			}
			decl := &schema.Schema{Name: got.Name, Tables: want.Tables}
			w, err := dialect.NormalizeSchema(nz, decl, schema.DefaultNaming())
			if err != nil {
				t.Fatal(err)
			}
			if !g.Equal(w) {
				for i := range g.Tables {
					if i < len(w.Tables) && !g.Tables[i].Equal(w.Tables[i]) {
						t.Errorf("table %s:\n got  %v\n want %v", g.Tables[i].Name, g.Tables[i], w.Tables[i])
					}
				}
				t.Fatalf("the schema read back differs from the one applied")
			}
		})
	}
	bad := &schema.Schema{Tables: []*schema.Table{schema.NewTable("t", schema.Col("id", schema.Integer())).PrimaryKey("nope")}}
	s, err := New(context.Background(), "sqlite:///x.db", "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.ApplySchema(context.Background(), bad, schema.DefaultNaming()); err == nil || !strings.Contains(err.Error(), "the desired schema") {
		t.Errorf("ApplySchema of an invalid schema = %v, want an error about the desired schema", err)
	}
}
