package diff

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/internal/schemagen"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// liveDB is one test database with what the live tests do on it.
type liveDB struct {
	t    *testing.T
	d    dialect.Dialect
	caps dialect.Capabilities
	conn *sql.Conn
}

func openLive(t *testing.T, dn string) *liveDB {
	t.Helper()
	db := dbtest.For(t, dn)
	conn, err := db.SQL.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	d := dialectFor(dn)
	return &liveDB{t: t, d: d, caps: dialect.Probe(d), conn: conn}
}

// inspect reads the database and normalises it.
func (l *liveDB) inspect() *schema.Schema {
	l.t.Helper()
	s, err := l.caps.Inspector.Inspect(context.Background(), l.conn, dialect.InspectOptions{})
	if err != nil {
		l.t.Fatalf("inspect: %v", err)
	}
	n, err := dialect.NormalizeSchema(l.caps.Normalizer, s, schema.DefaultNaming())
	if err != nil {
		l.t.Fatalf("normalise: %v", err)
	}
	n.Name = ""
	return n
}

func (l *liveDB) exec(ops *Result, up bool) {
	l.t.Helper()
	if up {
		dialecttest.Exec(context.Background(), l.t, l.d, l.conn, ops.Upgrade)
	} else {
		dialecttest.Exec(context.Background(), l.t, l.d, l.conn, ops.Downgrade)
	}
}

// forDialect returns the declared schema s as dialect dn can hold it:
// enum types only on PostgreSQL (elsewhere an enum is its column's).
func forDialect(dn string, s *schema.Schema) *schema.Schema {
	s = clone(s)
	if dn != "postgres" {
		s.Enums = nil
	}
	return s
}

// TestCompare_LiveMutations runs random mutations on each database, the
// target of each built in a scratch database and reflected, as
// autogenerate does: the upgrade must give the target, a second Compare
// nothing, the downgrade the start, and the upgrade again the target.
func TestCompare_LiveMutations(t *testing.T) {
	steps := 8
	if testing.Short() {
		steps = 2
	}
	runLiveMutations(t, 7, steps)
}

// runLiveMutations runs steps steps of one to three random mutations
// each from seed on each database.
func runLiveMutations(t *testing.T, seed uint64, steps int) {
	for _, dn := range dbtest.Dialects {
		t.Run(dn, func(t *testing.T) {
			g := schemagen.New(seed)
			g.MySQL = dn == "mysql"
			live := openLive(t, dn)
			declared := norm(t, g.Schema(3))
			for step := range steps {
				var did []string
				if step > 0 {
					next := clone(declared)
					for range 1 + g.Pick(3) {
						did = append(did, g.Mutate(next))
					}
					declared = norm(t, next)
				}
				ok := t.Run(fmt.Sprintf("%d %s", step, strings.Join(did, "; ")), func(t *testing.T) {
					scratch := openLive(t, dn)
					build, err := Compare(scratch.inspect(), forDialect(dn, declared), Options{})
					if err != nil {
						t.Fatalf("Compare for the scratch database: %v", err)
					}
					scratch.exec(build, true)
					to := scratch.inspect()

					live.t = t
					from := live.inspect()
					res, err := Compare(from, to, Options{})
					if err != nil {
						t.Fatalf("Compare: %v", err)
					}
					// strict: columns in order too; the downgrade adds
					// back a dropped column last.
					check := func(what string, want *schema.Schema, strict bool) {
						t.Helper()
						got := live.inspect()
						if strict && !got.Equal(want) || !strict && !sameSchema(got, want) {
							t.Fatalf("%s differs:\nupgrade:\n%sdowngrade:\n%s--- inspected\n%s--- want\n%s",
								what, opLines(res.Upgrade), opLines(res.Downgrade), dump(got), dump(want))
						}
					}
					live.exec(res, true)
					check("after the upgrade, the database", to, true)
					again, err := Compare(live.inspect(), to, Options{})
					if err != nil || !again.Empty() {
						t.Fatalf("a second Compare is not empty (%v):\n%s", err, opLines(again.Upgrade))
					}
					if step == 0 {
						return
					}
					live.exec(res, false)
					check("after the downgrade, the database", wantAfterDowngrade(from, to), false)
					// The downgrade keeps the enum values the upgrade
					// added, and AddEnumValue renders no IF NOT EXISTS:
					// the upgrade runs again without them.
					res.Upgrade = slices.DeleteFunc(slices.Clone(res.Upgrade), func(o op.Op) bool {
						_, ok := o.(op.AddEnumValue)
						return ok
					})
					live.exec(res, true)
					check("after the upgrade again, the database", to, true)
				})
				if !ok {
					return
				}
			}
		})
	}
}
