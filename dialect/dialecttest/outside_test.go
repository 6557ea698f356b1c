package dialecttest_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/retortdb/retort/internal/dbtest"
)

// TestOutsideModule runs the tests of testdata/outside, a module of its
// own that imports retort only through its public API (a replace
// directive points it at this tree) and runs the public conformance
// suites, dialecttest and locktest, against copies of the SQLite and
// PostgreSQL dialects defined in that module: what another project's
// dialect would do. It needs the go command and, for a fresh module
// cache, the module proxy; the PostgreSQL server is dbtest's (skipped
// or failed as dbtest's rules say, RETORT_TEST_REQUIRE).
func TestOutsideModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a separate module (-short)")
	}
	dbtest.Postgres(t) // the server answers, or the test skips or fails as dbtest says
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", "-count=1", "./...")
	cmd.Dir = "testdata/outside"
	cmd.Env = append(os.Environ(),
		"GOWORK=off",
		"GOFLAGS=-mod=mod",
		"OUTSIDE_POSTGRES_URL="+dbtest.PostgresServerURL(),
	)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test in testdata/outside: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
