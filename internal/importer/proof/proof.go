// Package proof holds what the import proofs share: finding the source
// tools (Alembic from Debian's packages; goose, golang-migrate and dbmate
// installed by .ci/peers at pinned versions into a cache outside the
// clone), and comparing two databases by autogenerate's reflection and by
// their rows.
//
// The proofs themselves are its tests: for each tool, a folder of at least
// 50 migrations in that tool's own format is applied by the tool to one
// database and by retort, after `retort import`, to another, on every
// dialect the tool supports; the two must be equal, and `retort adopt`
// followed by `retort upgrade head` with one more revision must work on
// the tool's database.
package proof

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/schema/schemafmt"
)

// PeersBin is where .ci/peers installs goose, golang-migrate and dbmate:
// $RETORT_PEERS/bin, by default ~/.cache/retort/peers/bin.
func PeersBin() string {
	if d := os.Getenv("RETORT_PEERS"); d != "" {
		return filepath.Join(d, "bin")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".cache", "retort", "peers", "bin")
}

// Peer is the path of a tool installed by .ci/peers (goose, migrate,
// dbmate). Where it is missing the test fails under CI (CI=true: the
// proofs must run there) and is skipped loudly elsewhere.
func Peer(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(PeersBin(), name)
	if st, err := os.Stat(p); err == nil && !st.IsDir() {
		return p
	}
	missing(t, name+" is not installed in "+PeersBin(), "run .ci/peers (go install at pinned versions)")
	return ""
}

// Command is the path of a command found on PATH (alembic, sqlite3,
// psql, mariadb), with the same policy as Peer when it is missing.
func Command(t testing.TB, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, name+" is not on PATH", install)
	}
	return p
}

func missing(t testing.TB, what, how string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("proof: %s; CI must run the import proofs: %s", what, how)
	}
	t.Skipf("proof: SKIPPED, %s (%s)", what, how)
}

// Run runs a command in dir with the extra environment, failing the test
// with its output when it fails; it returns the combined output.
func Run(t testing.TB, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Reflect reads db's schema with its dialect's Inspector, in normal
// form, leaving out retort's own tables and the tables named in skip (the
// source tool's version table).
func Reflect(t testing.TB, db *dbtest.DB, skip ...string) *schema.Schema {
	t.Helper()
	ctx := context.Background()
	d := dialectOf(t, db)
	caps := dialect.Probe(d)
	if caps.Inspector == nil {
		t.Fatalf("proof: the %s dialect has no Inspector", d.Name())
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sc, err := caps.Inspector.Inspect(ctx, conn, dialect.InspectOptions{Exclude: skip})
	if err != nil {
		t.Fatalf("proof: reflect %s: %v", db.Dialect, err)
	}
	if caps.Normalizer != nil {
		if sc, err = dialect.NormalizeSchema(caps.Normalizer, sc, schema.DefaultNaming()); err != nil {
			t.Fatalf("proof: normalize %s: %v", db.Dialect, err)
		}
	}
	return sc
}

// Unmanaged lists db's objects outside the schema model (views,
// functions, triggers…), so that the proofs compare those too.
func Unmanaged(t testing.TB, db *dbtest.DB) []string {
	t.Helper()
	ctx := context.Background()
	l := dialect.Probe(dialectOf(t, db)).Lister
	if l == nil {
		return nil
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	objs, err := l.Unmanaged(ctx, conn, dialect.InspectOptions{})
	if err != nil {
		t.Fatalf("proof: list unmanaged objects of %s: %v", db.Dialect, err)
	}
	return objs
}

// Rows is every row of a table as text, one line a row, sorted.
func Rows(t testing.TB, db *dbtest.DB, table string) []string {
	t.Helper()
	d := dialectOf(t, db)
	rows, err := db.SQL.Query("SELECT * FROM " + d.QuoteIdent(table))
	if err != nil {
		t.Fatalf("proof: read %s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("proof: read %s: %v", table, err)
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
				cells[i] = "NULL"
			case []byte:
				cells[i] = fmt.Sprintf("%q", v)
			default:
				cells[i] = fmt.Sprintf("%v", v)
			}
		}
		out = append(out, strings.Join(cells, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("proof: read %s: %v", table, err)
	}
	slices.Sort(out)
	return out
}

// Equal fails the test unless the databases a (applied by the source
// tool) and b (applied by retort after import) hold the same schema, the
// same objects outside the schema model and the same rows, the tables in
// skip (each tool's version table) left out. It returns the number of
// tables compared, so that a proof can check it compared something.
func Equal(t testing.TB, a, b *dbtest.DB, skip ...string) int {
	t.Helper()
	sa, sb := Reflect(t, a, skip...), Reflect(t, b, skip...)
	ja, err := schemafmt.EncodeJSON(sa)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := schemafmt.EncodeJSON(sb)
	if err != nil {
		t.Fatal(err)
	}
	if string(ja) != string(jb) {
		t.Errorf("proof: the schemas differ on %s\n%s", a.Dialect, lineDiff(string(ja), string(jb)))
	}
	if ua, ub := Unmanaged(t, a), Unmanaged(t, b); !slices.Equal(ua, ub) {
		t.Errorf("proof: the objects outside the schema model differ on %s:\n tool:   %q\n retort: %q", a.Dialect, ua, ub)
	}
	for _, tb := range sa.Tables {
		ra, rb := Rows(t, a, tb.Name), Rows(t, b, tb.Name)
		if !slices.Equal(ra, rb) {
			t.Errorf("proof: the rows of %s differ on %s\n%s", tb.Name, a.Dialect, lineDiff(strings.Join(ra, "\n"), strings.Join(rb, "\n")))
		}
	}
	return len(sa.Tables)
}

// lineDiff shows the lines of a missing from b (-) and of b missing from
// a (+), at most 40 of them.
func lineDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for _, l := range la {
		if !slices.Contains(lb, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range lb {
		if !slices.Contains(la, l) {
			out = append(out, "+ "+l)
		}
	}
	if len(out) > 40 {
		out = append(out[:40], fmt.Sprintf("… %d more", len(out)-40))
	}
	if len(out) == 0 {
		return "(the same lines in another order)"
	}
	return strings.Join(out, "\n")
}

func dialectOf(t testing.TB, db *dbtest.DB) dialect.Dialect {
	t.Helper()
	d, err := dburl.Dialect(db.URL)
	if err != nil {
		t.Fatalf("proof: dialect of %s: %v", db.Dialect, err)
	}
	return d
}
