package proof_test

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/cli"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/internal/importer/proof"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"
)

// The Alembic proof: testdata/alembic is the project of a web shop as its
// team wrote it with Alembic over a year and a half (61 revisions: a
// branch worked on in parallel and merged, an independent branch with a
// label that the trunk depends on, PostgreSQL functions and alembicTriggers,
// MariaDB and SQLite alembicTriggers, CREATE INDEX CONCURRENTLY in an
// autocommit block, reference data by bulk_insert and data migrations by
// op.execute). For each dialect, Alembic applies it to database A;
// `retort import alembic` brings it over and retort applies it to
// database B; the two must be equal in schema, unmanaged objects and
// rows, and the imported downgrades take B back to base. Then retort
// takes A over with `retort adopt --from alembic` and upgrades it with
// one more revision. (Helpers are named alembic…: the other tools'
// proofs share the package.)

const (
	alembicInstall   = "apt-get install alembic python3-psycopg2 python3-pymysql"
	alembicRevisions = 61
	alembicTables    = 29 // tables of the project, alembic_version and retort's left out
	alembicTrunkHead = "36104632ba9c"
	alembicAuditHead = "ee1e2c61b5de"
)

// alembicDialects: dbtest's name of each dialect, import's, and the
// objects outside the schema model that the project creates there.
var alembicDialects = []struct {
	db, section string
	unmanaged   []string
}{
	{"sqlite", "sqlite", alembicTriggers},
	{"postgres", "postgresql", []string{"function audit_order_status()", "function record_price_change()", "function set_updated_at()",
		"trigger trg_customers_updated_at on customers", "trigger trg_orders_audit_status on orders", "trigger trg_products_price_history on products",
		"view open_orders"}},
	{"mysql", "mysql", alembicTriggers},
}

var alembicTriggers = []string{"trigger trg_customers_updated_at on customers", "trigger trg_orders_audit_status on orders",
	"trigger trg_products_price_history on products", "trigger trg_products_price_initial on products", "view open_orders"}

func TestAlembicProof(t *testing.T) {
	alembic := proof.Command(t, "alembic", alembicInstall)
	src, err := filepath.Abs(filepath.Join("testdata", "alembic"))
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"PYTHONDONTWRITEBYTECODE=1"} // nothing written into testdata

	// One import for the three dialects, into dialect sections.
	all := t.TempDir()
	args := []string{"import", "alembic", src, "--init"}
	for _, d := range alembicDialects {
		args = append(args, "--dialect", d.section)
	}
	start := time.Now()
	out, _ := alembicRetort(t, all, args...)
	t.Logf("import alembic for 3 dialects: %s", time.Since(start).Round(time.Millisecond))
	alembicImported(t, out)

	// The graph is Alembic's: the same heads, and the same history line
	// for every revision (down revisions, depends_on, branch labels,
	// branch points and the merge point, messages).
	t.Run("graph", func(t *testing.T) {
		ah := proof.Run(t, src, env, alembic, "heads")
		rh, _ := alembicRetort(t, all, "heads")
		if got, want := alembicLines(rh), alembicLines(ah); !slices.Equal(got, want) {
			t.Errorf("retort heads:\n%s\nalembic heads:\n%s", rh, ah)
		}
		if want := []string{alembicTrunkHead + " (head)", alembicAuditHead + " (audit) (head)"}; !slices.Equal(alembicLines(ah), want) {
			t.Errorf("alembic heads: got %q, want %q", alembicLines(ah), want)
		}
		ahist := proof.Run(t, src, env, alembic, "history")
		rhist, _ := alembicRetort(t, all, "history")
		got, want := alembicLines(rhist), alembicLines(ahist)
		if !slices.Equal(got, want) {
			t.Errorf("retort history differs from alembic history:\n%s", alembicDiff(want, got))
		}
		if len(want) != alembicRevisions {
			t.Errorf("alembic history has %d lines, want %d", len(want), alembicRevisions)
		}
		for _, line := range []string{
			"dda308c80211, ffd38ef5dbaf -> c956d22d8ca4 (mergepoint), merge reporting and fulfilment",
			"b7c41e09d2f3 -> d6ef283d2243 (branchpoint), create payment methods",
			"<base> -> 62b5ef78c176 (audit), create audit log",
			"2a5c6bcaadd5 (1ee803dfc292) -> f1c2bb4c3f9b (audit), audit order status changes",
			"bc8133557525 (2a5c6bcaadd5) -> ae937bd66378, create api keys for partners",
		} {
			if !slices.Contains(got, line) {
				t.Errorf("retort history has no line %q", line)
			}
		}
	})

	for _, d := range alembicDialects {
		t.Run(d.db, func(t *testing.T) {
			t.Parallel()
			a, b := dbtest.For(t, d.db), dbtest.For(t, d.db)

			// A: Alembic applies its project, given the URL as its team
			// does: -x url=..., or the environment variable env.py reads.
			start := time.Now()
			if d.db == "sqlite" {
				proof.Run(t, src, append(env, "STOREFRONT_DATABASE_URL="+alembicURL(t, a)), alembic, "upgrade", "heads")
			} else {
				proof.Run(t, src, env, alembic, "-x", "url="+alembicURL(t, a), "upgrade", "heads")
			}
			t.Logf("alembic upgrade heads: %s", time.Since(start).Round(time.Millisecond))

			// B: retort applies the import for this dialect alone (the
			// dialect given with --dialect, or on PostgreSQL by the URL).
			one := t.TempDir()
			start = time.Now()
			imp := []string{"import", "alembic", src, "--init", "--dialect", d.section}
			if d.db == "postgres" {
				// Without --dialect: the database URL's.
				imp = []string{"--url", b.URL, "import", "alembic", src, "--init"}
			}
			out, _ := alembicRetort(t, one, imp...)
			t.Logf("import alembic --dialect %s: %s", d.section, time.Since(start).Round(time.Millisecond))
			alembicImported(t, out)
			alembicSameSections(t, one, all)
			alembicRetort(t, one, "--url", b.URL, "upgrade", "heads")

			if n := proof.Equal(t, a, b, "alembic_version"); n != alembicTables {
				t.Errorf("compared %d tables, want %d", n, alembicTables)
			}
			// The functions, alembicTriggers and the view are compared too:
			// they are there.
			if got := proof.Unmanaged(t, b); !slices.Equal(got, d.unmanaged) {
				t.Errorf("objects outside the schema model: got %q, want %q", got, d.unmanaged)
			}
			// The data migrations ran, not only the reference data.
			if got := proof.Rows(t, b, "customer_contacts"); len(got) != 2 {
				t.Errorf("customer_contacts: got %q, want the 2 phones moved from customers", got)
			}
			if got := proof.Rows(t, b, "payment_methods"); len(got) != 3 || !strings.Contains(got[2], "transfer") {
				t.Errorf("payment_methods: got %q, want card, sepa and transfer", got)
			}

			// The imported downgrades take B back to base.
			alembicRetort(t, one, "--url", b.URL, "downgrade", "base")
			if sc := proof.Reflect(t, b, "alembic_version"); len(sc.Tables) != 0 {
				t.Errorf("after downgrade base, %d tables are left", len(sc.Tables))
			}
			if got := proof.Unmanaged(t, b); len(got) != 0 {
				t.Errorf("after downgrade base, objects are left: %q", got)
			}

			// A is taken over: the project of the three dialects, stamped
			// at the heads alembic_version records, then one more revision.
			own := t.TempDir()
			if err := os.CopyFS(own, os.DirFS(all)); err != nil {
				t.Fatal(err)
			}
			before := proof.Rows(t, a, "alembic_version")
			out, _ = alembicRetort(t, own, "--url", a.URL, "adopt", "--from", "alembic")
			if !strings.Contains(out, "Adopted alembic_version") {
				t.Errorf("adopt: %s", out)
			}
			cur, _ := alembicRetort(t, own, "--url", a.URL, "current")
			if !strings.Contains(cur, alembicTrunkHead) || !strings.Contains(cur, alembicAuditHead) {
				t.Errorf("current after adopt: got %q, want %s and %s", cur, alembicTrunkHead, alembicAuditHead)
			}
			const next = "a9d0e1f2c3b4"
			alembicRetort(t, own, "revision", "-m", "gift cards have a PIN", "--rev-id", next, "--head", alembicTrunkHead)
			alembicFill(t, own, next,
				"ALTER TABLE gift_cards ADD COLUMN pin VARCHAR(8);\n\nUPDATE gift_cards SET pin = '0000' WHERE pin IS NULL;\n",
				"ALTER TABLE gift_cards DROP COLUMN pin;\n")
			_, errOut := alembicRetort(t, own, "--url", a.URL, "upgrade", "heads")
			if !strings.Contains(errOut, "Applied 1 revision") {
				t.Errorf("upgrade after adopt applied other than the new revision:\n%s", errOut)
			}
			cur, _ = alembicRetort(t, own, "--url", a.URL, "current")
			if !strings.Contains(cur, next) || !strings.Contains(cur, alembicAuditHead) || strings.Contains(cur, alembicTrunkHead) {
				t.Errorf("current after the new revision: got %q, want %s and %s", cur, next, alembicAuditHead)
			}
			alembicRetort(t, own, "--url", a.URL, "verify")
			if after := proof.Rows(t, a, "alembic_version"); !slices.Equal(after, before) {
				t.Errorf("alembic_version changed: %q, was %q", after, before)
			}
		})
	}
}

// alembicRetort runs retort in dir and fails the test unless it exits 0; it
// returns stdout and stderr.
func alembicRetort(t *testing.T, dir string, args ...string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if code := cli.Main(ctx, append([]string{"-C", dir}, args...), strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("retort %s: exit status %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
	}
	return out.String(), errOut.String()
}

// alembicImported checks import's report: every revision, no warning.
func alembicImported(t *testing.T, out string) {
	t.Helper()
	if !strings.Contains(out, "Imported 61 alembic migrations into migrations; head heads.") {
		t.Errorf("import did not import the %d revisions without a warning:\n%s", alembicRevisions, out)
	}
}

// alembicSameSections checks that each file imported for one dialect (in dir
// one) holds the sections that the import for every dialect (in all)
// wrote for it: importing one dialect or several gives the same SQL.
func alembicSameSections(t *testing.T, one, all string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(one, "migrations", "*.sql"))
	if err != nil || len(files) != alembicRevisions {
		t.Fatalf("import wrote %d files (%v), want %d", len(files), err, alembicRevisions)
	}
	for _, f := range files {
		b1, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b2, err := os.ReadFile(filepath.Join(all, "migrations", filepath.Base(f)))
		if err != nil {
			t.Fatalf("the import for every dialect has no %s: %v", filepath.Base(f), err)
		}
		head, body, _ := strings.Cut(string(b1), "\n-- +upgrade ")
		if !strings.HasPrefix(string(b2), head) || !strings.Contains(string(b2), "\n-- +upgrade "+body) {
			t.Errorf("%s: the import for one dialect is not a part of the import for every dialect", filepath.Base(f))
		}
	}
}

// alembicFill writes the SQL of the revision file that `retort
// revision` created for id: its empty upgrade and downgrade sections.
func alembicFill(t *testing.T, dir, id, up, down string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "migrations", "*_"+id+"_*.sql"))
	if err != nil || len(files) != 1 {
		t.Fatalf("revision %s: files %v (%v)", id, files, err)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	head, _, ok := strings.Cut(string(b), "\n-- +upgrade\n")
	if !ok {
		t.Fatalf("%s has no upgrade section:\n%s", files[0], b)
	}
	text := head + "\n-- +upgrade\n" + up + "\n-- +downgrade\n" + down
	if err := os.WriteFile(files[0], []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// alembicURL is the SQLAlchemy URL of a test database, with the
// drivers Debian packages (psycopg2, PyMySQL).
func alembicURL(t *testing.T, db *dbtest.DB) string {
	t.Helper()
	if db.Dialect == "sqlite" {
		return "sqlite:///" + db.Name
	}
	u, err := url.Parse(db.URL)
	if err != nil {
		t.Fatal(err)
	}
	u.Scheme = map[string]string{"postgres": "postgresql+psycopg2", "mysql": "mysql+pymysql"}[db.Dialect]
	u.RawQuery = ""
	return u.String()
}

func alembicLines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(strings.TrimSpace(s), "\n") {
		if l = strings.TrimRight(l, " "); l != "" {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}

// alembicDiff: the lines of want missing from got (-), of got missing
// from want (+).
func alembicDiff(want, got []string) string {
	var b strings.Builder
	for _, l := range want {
		if !slices.Contains(got, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range got {
		if !slices.Contains(want, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
