package postgres

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
)

func TestQuoteIdent(t *testing.T) {
	d := New()
	for _, c := range []struct{ in, want string }{
		{"plain", `"plain"`},
		{"Mixed", `"Mixed"`},
		{"", `""`},
		{`a"b`, `"a""b"`},
		{`"`, `""""`},
		{`""`, `""""""`},
		{"a.b", `"a.b"`},
		{"ünï", `"ünï"`},
	} {
		if got := d.QuoteIdent(c.in); got != c.want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	for _, c := range []struct {
		t    dialect.Table
		want string
	}{
		{dialect.Table{Name: "t"}, `"t"`},
		{dialect.Table{Schema: "s", Name: "t"}, `"s"."t"`},
		{dialect.Table{Schema: `s"x`, Name: `t.y`}, `"s""x"."t.y"`},
	} {
		if got := d.QuoteTable(c.t); got != c.want {
			t.Errorf("QuoteTable(%#v) = %s, want %s", c.t, got, c.want)
		}
	}
}

func TestPlaceholderAndName(t *testing.T) {
	d := New()
	for n, want := range map[int]string{1: "$1", 2: "$2", 10: "$10", 65535: "$65535"} {
		if got := d.Placeholder(n); got != want {
			t.Errorf("Placeholder(%d) = %s, want %s", n, got, want)
		}
	}
	if d.Name() != "postgres" || !d.TransactionalDDL() {
		t.Errorf("Name %q, TransactionalDDL %v", d.Name(), d.TransactionalDDL())
	}
	if d.Begin() != "BEGIN" || d.Commit() != "COMMIT" || d.ScriptStatement("SELECT 1") != "SELECT 1;" {
		t.Errorf("Begin %q, Commit %q, ScriptStatement %q", d.Begin(), d.Commit(), d.ScriptStatement("SELECT 1"))
	}
}

var hostileNames = []string{
	`a"b`, `"`, `""`, `with space`, "select", "user", "table", "order", "Mixed Case", "UPPER",
	"ünïcödé", "日本語", "😀", "e\u0301", "a.b", "--x", "/*x*/", "$$", "$1", ";drop table x;",
	`back\slash`, `'quote'`, "tab\there", "new\nline", "123", strings.Repeat("x", 63),
}

func TestQuoteIdentRoundTrip(t *testing.T) {
	db := newDB(t)
	d := New()
	ctx := context.Background()
	for _, schema := range []string{"", `sch"ema`, "My Schema", "select"} {
		if schema != "" {
			mustExec(t, db, "CREATE SCHEMA "+d.QuoteIdent(schema))
		}
		for i, name := range hostileNames {
			tb := dialect.Table{Schema: schema, Name: name}
			col := d.QuoteIdent(name)
			mustExec(t, db,
				"CREATE TABLE "+d.QuoteTable(tb)+" ("+col+" INT, "+`"other" TEXT)`,
				"INSERT INTO "+d.QuoteTable(tb)+" ("+col+") VALUES ("+strconv.Itoa(i)+")")
			var got int
			if err := db.QueryRowContext(ctx, "SELECT "+col+" FROM "+d.QuoteTable(tb)).Scan(&got); err != nil || got != i {
				t.Errorf("%s: got %d, %v", tb, got, err)
			}
			var nsp, rel string
			if err := db.QueryRowContext(ctx, "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1::regclass",
				d.QuoteTable(tb)).Scan(&nsp, &rel); err != nil {
				t.Errorf("%s: %v", tb, err)
			}
			wantNsp := schema
			if schema == "" {
				wantNsp = "public"
			}
			if nsp != wantNsp || rel != name {
				t.Errorf("%s is %q.%q in the catalog", tb, nsp, rel)
			}
			if ok, err := d.TableExists(ctx, db, tb); err != nil || !ok {
				t.Errorf("TableExists(%s) = %v, %v", tb, ok, err)
			}
		}
	}
}

// TestQuoteIdentNUL: a NUL cannot be written; the statement fails and
// names nothing else.
func TestQuoteIdentNUL(t *testing.T) {
	db := newDB(t)
	d := New()
	ctx := context.Background()
	for _, name := range []string{"a\x00b", "a\x00", "\x00"} {
		q := "CREATE TABLE " + d.QuoteIdent(name) + " (x INT)"
		_, err := db.ExecContext(ctx, q)
		if err == nil {
			t.Errorf("%q: no error", q)
		}
		t.Logf("%q: %v", q, err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace").Scan(&n); err != nil || n != 0 {
		t.Errorf("tables created: %d, %v", n, err)
	}
	if ok, err := d.TableExists(ctx, db, dialect.Table{Name: "a\x00b"}); err == nil && ok {
		t.Errorf("TableExists(a NUL b) = true")
	}
}
