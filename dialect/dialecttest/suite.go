package dialecttest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

// Suite is a dialect under test and how to reach a database for it.
type Suite struct {
	// Dialect is the dialect under test.
	Dialect dialect.Dialect
	// Open returns a fresh, empty database for one test; the caller's
	// helper closes and drops it when the test ends (t.Cleanup). Nil
	// leaves out the live and inspect subtests: only the rendering is
	// checked.
	Open func(t testing.TB) *sql.DB
	// Golden, when set, is the directory of the rendering goldens, one
	// <case>.golden file per case; Update rewrites them instead of
	// comparing.
	Golden string
	Update bool
	// Snapshot, when set, dumps the catalog of db as text. The live
	// check then requires the catalog after a case's downgrade to equal
	// the one before its upgrade, and the one after the second upgrade
	// the one after the first. Without it, the live check only runs the
	// statements.
	Snapshot func(t testing.TB, db *sql.DB) string
	// Limit is the dialect's identifier length limit, with which the
	// cases' generated constraint and index names are fitted; the zero
	// value is none.
	Limit schema.Limit
	// Spelling maps a check or index expression of the cases to how the
	// database prints it back when it does not keep it as written (for
	// the inspect check), such as PostgreSQL's "lower(email::text)" for
	// "lower(email)". An expression not in it is expected back as is,
	// after the dialect's Normalizer.
	Spelling map[string]string
	// Cases, when set, are the cases to run instead of those of Cases()
	// that apply to the dialect's name.
	Cases []Case
}

// Run runs the suite's subtests: "render" when Golden is set, "live"
// and, where the dialect implements dialect.Inspector and
// dialect.Normalizer, "inspect" when Open is set. Each has a subtest per
// case, named as the case.
func Run(t *testing.T, s Suite) {
	t.Helper()
	if s.Dialect == nil {
		t.Fatal("dialecttest: Suite.Dialect is nil")
	}
	if s.Golden == "" && s.Open == nil {
		t.Fatal("dialecttest: the suite has neither Golden nor Open: nothing to check")
	}
	if s.Golden != "" {
		t.Run("render", s.Render)
	}
	if s.Open == nil {
		return
	}
	t.Run("live", s.Live)
	caps := dialect.Probe(s.Dialect)
	if caps.Inspector != nil && caps.Normalizer != nil {
		t.Run("inspect", s.Inspect)
	}
}

// cases are the cases the suite runs.
func (s Suite) cases() []Case {
	if s.Cases != nil {
		return s.Cases
	}
	var out []Case
	for _, c := range Cases() {
		if c.AppliesTo(s.Dialect.Name()) {
			out = append(out, c)
		}
	}
	return out
}

// Render renders the Ops of every case offline (RenderScript) and
// compares the script with Golden/<case>.golden, or writes it there
// when Update is set.
func (s Suite) Render(t *testing.T) {
	if s.Golden == "" {
		t.Fatal("dialecttest: Suite.Golden is empty: no directory of goldens to compare with")
	}
	for _, c := range s.cases() {
		t.Run(c.Name, func(t *testing.T) {
			got, err := RenderScript(s.Dialect, c.Ops)
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			path := filepath.Join(s.Golden, c.Name+".golden")
			if s.Update {
				if err := os.MkdirAll(s.Golden, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with Update set to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs (run with Update set to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
			}
		})
	}
}

// conn opens a connection of a fresh database, closed when t ends.
func (s Suite) conn(t *testing.T) (*sql.DB, *sql.Conn) {
	t.Helper()
	if s.Open == nil {
		t.Fatal("dialecttest: Suite.Open is nil: the live and inspect checks need a database")
	}
	db := s.Open(t)
	conn, err := db.Conn(t.Context())
	if err != nil {
		t.Fatalf("connect to the test database: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return db, conn
}

// Live runs every case on a fresh database: Setup, Ops, then Teardown
// and Ops again. With Snapshot set, the catalog after the second Ops
// must equal the one after the first, and the one after Teardown the
// one after Setup: upgrade, downgrade, upgrade leave the same schema.
func (s Suite) Live(t *testing.T) {
	for _, c := range s.cases() {
		t.Run(c.Name, func(t *testing.T) {
			ctx := context.Background()
			db, conn := s.conn(t)
			snap := func() string {
				if s.Snapshot == nil {
					return ""
				}
				return s.Snapshot(t, db)
			}
			Exec(ctx, t, s.Dialect, conn, c.Setup)
			before := snap()
			Exec(ctx, t, s.Dialect, conn, c.Ops)
			after := snap()
			if c.Teardown == nil {
				return
			}
			Exec(ctx, t, s.Dialect, conn, c.Teardown)
			if got := snap(); got != before {
				t.Errorf("downgrade did not restore the catalog:\n--- after downgrade\n%s\n--- before upgrade\n%s", got, before)
			}
			Exec(ctx, t, s.Dialect, conn, c.Ops)
			if got := snap(); got != after {
				t.Errorf("second upgrade differs from the first:\n--- second\n%s\n--- first\n%s", got, after)
			}
		})
	}
}

// Inspect runs the Setup and Ops of every case on a fresh database,
// inspects each schema (namespace) the case's tables are in, and
// compares it with the schema the case declares (ExecCase), expressions
// spelled as in Spelling, after the dialect's Normalizer has put both
// in its normal form; normalising the inspected schema again must not
// change it. The dialect must implement dialect.Inspector and
// dialect.Normalizer.
func (s Suite) Inspect(t *testing.T) {
	caps := dialect.Probe(s.Dialect)
	if caps.Inspector == nil || caps.Normalizer == nil {
		t.Fatalf("dialecttest: dialect %s is not an Inspector and a Normalizer", s.Dialect.Name())
	}
	for _, c := range s.cases() {
		t.Run(c.Name, func(t *testing.T) {
			ctx := context.Background()
			_, conn := s.conn(t)
			model := ExecCase(ctx, t, s.Dialect, conn, c, s.Limit)
			schemas := []string{""}
			for _, tb := range model.Tables {
				if !slices.Contains(schemas, tb.Schema) {
					schemas = append(schemas, tb.Schema)
				}
			}
			for _, sch := range schemas {
				got, err := caps.Inspector.Inspect(ctx, conn, dialect.InspectOptions{Schema: sch})
				if err != nil {
					t.Fatalf("inspect schema %q: %v", sch, err)
				}
				s.sameSchema(t, caps.Normalizer, got, s.declared(model, sch))
			}
		})
	}
}

// declared is the part of model in schema sch, its expressions spelled
// as the database prints them back.
func (s Suite) declared(model *schema.Schema, sch string) *schema.Schema {
	want := &schema.Schema{Name: sch}
	for _, tb := range model.Tables {
		if tb.Schema != sch {
			continue
		}
		tb = tb.Clone()
		for i, ck := range tb.Checks {
			if sp, ok := s.Spelling[ck.Expr]; ok {
				tb.Checks[i].Expr = sp
			}
		}
		for i := range tb.Indexes {
			for j, p := range tb.Indexes[i].Parts {
				if sp, ok := s.Spelling[p.Expr]; ok {
					tb.Indexes[i].Parts[j].Expr = sp
				}
			}
		}
		want.Tables = append(want.Tables, tb)
	}
	for _, e := range model.Enums {
		if e.Schema == sch {
			want.Enums = append(want.Enums, e)
		}
	}
	return want
}

// sameSchema fails the test unless got and want are equal after both
// are normalised, and normalising got again changes nothing.
func (s Suite) sameSchema(t *testing.T, nz dialect.Normalizer, got, want *schema.Schema) {
	t.Helper()
	ng, err := dialect.NormalizeSchema(nz, got, schema.DefaultNaming())
	if err != nil {
		t.Fatalf("normalise the inspected schema: %v", err)
	}
	nw, err := dialect.NormalizeSchema(nz, want, schema.DefaultNaming())
	if err != nil {
		t.Fatalf("normalise the declared schema: %v", err)
	}
	if !ng.Equal(nw) {
		t.Errorf("inspected schema differs from the declared one after normalising:\n--- inspected\n%s--- declared\n%s", Dump(ng), Dump(nw))
	}
	again, err := dialect.NormalizeSchema(nz, ng, schema.DefaultNaming())
	if err != nil {
		t.Fatalf("normalise the normalised inspected schema: %v", err)
	}
	if !again.Equal(ng) {
		t.Errorf("normalising twice changed the schema:\n--- once\n%s--- twice\n%s", Dump(ng), Dump(again))
	}
}

// Dump writes a schema one object a line, for failure messages.
func Dump(s *schema.Schema) string {
	if s == nil {
		return "<nil>\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "schema %q\n", s.Name)
	for _, t := range s.Tables {
		fmt.Fprintf(&b, "table %s comment=%q ext=%+v\n", t.TableName(), t.Comment, t.Ext)
		for _, c := range t.Columns {
			fmt.Fprintf(&b, "  column %s %s values=%v raw=%v null=%v identity=%v default=%s (%T) comment=%q\n",
				c.Name, c.Type.Describe(), c.Type.Values, c.Type.Raw, c.Null, c.AutoIncrement, c.Def, c.Def.Value, c.Comment)
		}
		if t.PK != nil {
			fmt.Fprintf(&b, "  pk %q %v\n", t.PK.Name, t.PK.Columns)
		}
		for _, u := range t.Uniques {
			fmt.Fprintf(&b, "  unique %q %v\n", u.Name, u.Columns)
		}
		for _, fk := range t.ForeignKeys {
			fmt.Fprintf(&b, "  fk %+v\n", fk)
		}
		for _, ck := range t.Checks {
			fmt.Fprintf(&b, "  check %+v\n", ck)
		}
		for _, idx := range t.Indexes {
			fmt.Fprintf(&b, "  index %q %s\n", idx.Name, idx)
		}
	}
	for _, e := range s.Enums {
		fmt.Fprintf(&b, "enum %s %v\n", e, e.Values)
	}
	return b.String()
}
