// Package dialecttest is the conformance suite of a dialect: one list of
// operations (Cases) that every dialect renders offline to golden files,
// runs against a real database as an upgrade, downgrade and upgrade
// again, and, where it can reflect a database, reads back and compares
// with what the operations declared. The built-in dialects run it on
// SQLite, PostgreSQL and MySQL/MariaDB; a dialect written outside this
// module runs it from its own tests, as golang-migrate's database/testing
// is run, with Run:
//
//	func TestConformance(t *testing.T) {
//		dialecttest.Run(t, dialecttest.Suite{
//			Dialect: mydialect.New(),
//			// A fresh, empty database for each case, closed and
//			// dropped by the helper's own cleanup.
//			Open: func(t testing.TB) *sql.DB { return freshDatabase(t) },
//			// Golden files of the rendered scripts, one per case;
//			// `go test -update` writes them the first time.
//			Golden: "testdata/render",
//			Update: *update,
//			// A text dump of the catalog, so that the live check
//			// compares the schema after each step, not only that the
//			// statements ran.
//			Snapshot: dumpCatalog,
//			Limit:    schema.Limit{Max: 63},
//		})
//	}
//
// Run's subtests are "render" (with Golden set), "live", and "inspect"
// (where the dialect implements dialect.Inspector and dialect.Normalizer).
// The cases that run are those for the dialect's name (Case.AppliesTo):
// the ones without a Dialects list are for every dialect. A dialect of
// another name that speaks a built-in one's SQL picks its cases with
// Suite.Cases.
//
// The parts are exported for a dialect's own tests: RenderScript renders
// operations as an offline script, Exec and ExecOp run them online as
// the engine would, ExecCase runs a case and returns the schema it
// declares (Apply), and Org and Account are the tables most cases work
// on.
//
// The migration lock is covered by the locking suite,
// github.com/retortdb/retort/locktest, which drives the engine.
package dialecttest
