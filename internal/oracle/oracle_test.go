package oracle

// TestOracle runs every case of testdata/cases.json through the real retort
// binary and compares each step with Alembic's answer in
// testdata/expected.json (see testdata/README.md):
//
//   - error:   Alembic failed ⇔ retort exits non-zero (the wording is
//     retort's own); retort never panics and exits 0, 1 or 2.
//   - version: the rows of alembic_version (no table = no rows).
//   - ran:     the migration bodies run by the step, in order.
//   - log:     retort's stderr lines starting with "Running ".
//   - stdout:  for heads, history, current, branches and show, the text
//     (paths, dates and the URL in verbose output are not compared); for
//     --sql, the "-- Running" comments and the migration bodies, in order.
//
// Where Alembic's answer depended on Python's hash seed ("unstable"), any
// observed answer is accepted; a run of migrations may be in any order
// that respects the graph.
//
// After a step that broke (panic, timeout, exit status above 2) or whose
// version or ran differs, the rest of the case is not run: later answers
// would not be comparable.
//
// The summary line (cases, steps passed and failed, differences applied)
// is printed by TestMain; go test shows a passing package's output only
// with -v or when run inside this directory.
//
// Known differences live in testdata/differences.json: a map from
// "<case>/<step index>" (or "<case>") to the answers that replace Alembic's
// for retort, with a reason. For example:
//
//	{
//	  "linear_stamp/15": {
//	    "reason": "stamping two revisions of one branch is an error before anything is written (Alembic: KeyError after the first row)",
//	    "error": "stamp: ae1027a6acf0 and 27c6a30d7c24 are on the same branch",
//	    "version": ["5a1b8e2c9d07"], "log": []
//	  },
//	  "duplicate_revision_id": {
//	    "reason": "two files with revision id b are an error in every command",
//	    "error": "duplicate revision id b", "version": null, "ran": [], "log": [], "stdout": [],
//	    "steps": {"3": {"reason": "optional, added to the case's", "stdout": []}}
//	  }
//	}
//
// Replaceable fields: error (a string: retort must fail; null: it must
// succeed), version, ran, log and stdout. A case-level entry's fields apply
// to every step; its "steps" refine single steps. A replaced field is no
// longer "unstable": the replacement is compared exactly.
//
// Flags (after the package: go test ./internal/oracle/ -run ... -oracle.keep):
//
//	-oracle.bin PATH  test this binary instead of building cmd/retort
//	-oracle.keep      keep each case's project directory and log its path

import (
	// The suite runs the built binary; importing the CLI ties go test's
	// cache to retort's sources.
	_ "github.com/retortdb/retort/cli"

	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"

	"github.com/retortdb/retort/internal/dbtest"
)

var (
	binFlag  = flag.String("oracle.bin", "", "test this retort binary instead of building cmd/retort")
	keepFlag = flag.Bool("oracle.keep", false, "keep each case's project directory and log its path")
)

const (
	retortPkg    = "github.com/retortdb/retort/cmd/retort"
	versionTable = "alembic_version"
	stepTimeout  = 60 * time.Second
	projectToml  = "script_location = \"migrations\"\nversion_table = \"" + versionTable + "\"\nurl = "
)

// logTableDDL creates the table the migration bodies write to.
var logTableDDL = map[string]string{
	"sqlite":   "CREATE TABLE oracle_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, rev TEXT, direction TEXT)",
	"postgres": "CREATE TABLE oracle_log (seq BIGSERIAL PRIMARY KEY, rev TEXT, direction TEXT)",
	"mysql":    "CREATE TABLE oracle_log (seq BIGINT AUTO_INCREMENT PRIMARY KEY, rev VARCHAR(255), direction VARCHAR(16))",
}

// versionTableExists asks whether the version table exists.
var versionTableExists = map[string]string{
	"sqlite":   "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'",
	"postgres": "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'alembic_version'",
	"mysql":    "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'alembic_version'",
}

var (
	retortBin string // set by TestMain
	buildErr  error
)

// stats is the summary TestMain prints.
var stats struct {
	sync.Mutex
	cases, casesFailed             int
	steps, stepsFailed, stepsUnrun int
	differences                    int
}

func TestMain(m *testing.M) {
	flag.Parse()
	cleanup := func() {}
	switch {
	case *binFlag != "":
		retortBin, buildErr = filepath.Abs(*binFlag)
	case oracleSelected():
		retortBin, cleanup, buildErr = buildRetort()
	}
	code := m.Run()
	cleanup()
	if stats.cases > 0 {
		fmt.Printf("oracle: %d cases (%d failed); %d steps run: %d passed, %d failed; %d steps not run after a divergence; %d known differences applied\n",
			stats.cases, stats.casesFailed, stats.steps, stats.steps-stats.stepsFailed, stats.stepsFailed, stats.stepsUnrun, stats.differences)
	}
	os.Exit(code)
}

// oracleSelected reports whether -run may select TestOracle, so that the
// helper tests alone do not wait for a build.
func oracleSelected() bool {
	top, _, _ := strings.Cut(flag.Lookup("test.run").Value.String(), "/")
	ok, err := regexp.MatchString(top, "TestOracle")
	return ok || err != nil
}

func buildRetort() (bin string, cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "retort-oracle-bin-")
	if err != nil {
		return "", func() {}, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	bin = filepath.Join(dir, "retort")
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goCmd, "build", "-o", bin, retortPkg).CombinedOutput()
	if err != nil {
		return "", cleanup, fmt.Errorf("cannot build the retort binary: %s build -o %s %s: %v\n%s", goCmd, bin, retortPkg, err, out)
	}
	return bin, cleanup, nil
}

// ---- the data ----

type revisionSpec struct {
	ID        string  `json:"id"`
	Down      strList `json:"down"`
	Labels    strList `json:"labels"`
	DependsOn strList `json:"depends_on"`
	Message   string  `json:"message"`
	File      string  `json:"file"` // overrides NNNN_<id>
}

type oracleCase struct {
	Name      string         `json:"name"`
	Tags      []string       `json:"tags"`
	Notes     string         `json:"notes"`
	Revisions []revisionSpec `json:"revisions"`
	Steps     []string       `json:"steps"`
}

// expectation is Alembic's answer to one step, with any known difference
// applied.
type expectation struct {
	Cmd        string   `json:"cmd"`
	Error      *string  `json:"error"`
	ErrorCause *string  `json:"error_cause"`
	Version    []string `json:"version"`
	Ran        []string `json:"ran"`
	Log        []string `json:"log"`
	Stdout     []string `json:"stdout"`
	Unstable   []string `json:"unstable"`
	Observed   struct {
		Ran    [][]string `json:"ran"`
		Log    [][]string `json:"log"`
		Stdout [][]string `json:"stdout"`
	} `json:"observed"`

	diffKey, diffReason string // the differences.json entry applied, if any
}

func (e *expectation) unstable(field string) bool { return slices.Contains(e.Unstable, field) }

func loadSuite(t testing.TB) ([]oracleCase, map[string][]expectation) {
	t.Helper()
	var cases struct{ Cases []oracleCase }
	var expected struct {
		Cases map[string]struct{ Steps []expectation }
	}
	for file, v := range map[string]any{"cases.json": &cases, "expected.json": &expected} {
		b, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("testdata/%s: %v", file, err)
		}
	}
	exp := map[string][]expectation{}
	for _, c := range cases.Cases {
		steps := expected.Cases[c.Name].Steps
		if len(steps) != len(c.Steps) {
			t.Fatalf("case %s: %d steps in cases.json, %d answers in expected.json", c.Name, len(c.Steps), len(steps))
		}
		for i, s := range steps {
			if s.Cmd != c.Steps[i] {
				t.Fatalf("case %s step %d: cases.json says %q, expected.json %q", c.Name, i, c.Steps[i], s.Cmd)
			}
		}
		exp[c.Name] = steps
	}
	return cases.Cases, exp
}

// ---- known differences ----

// applyDifferences applies the entries of differences.json to exp and
// returns every problem with the file.
func applyDifferences(data []byte, exp map[string][]expectation) (problems []error) {
	var file map[string]map[string]json.RawMessage
	if err := json.Unmarshal(data, &file); err != nil {
		return []error{err}
	}
	bad := func(key, format string, args ...any) {
		problems = append(problems, fmt.Errorf("%q: %s", key, fmt.Sprintf(format, args...)))
	}
	hasCaseEntry := map[string]bool{}
	for key := range file {
		if !strings.Contains(key, "/") {
			hasCaseEntry[key] = true
		}
	}
	for _, key := range slices.Sorted(maps.Keys(file)) {
		entry := file[key]
		name, index, isStep := strings.Cut(key, "/")
		steps, ok := exp[name]
		if !ok {
			bad(key, "there is no case %q", name)
			continue
		}
		var reason string
		if err := json.Unmarshal(entry["reason"], &reason); err != nil || strings.TrimSpace(reason) == "" {
			bad(key, `needs a "reason" (a string)`)
			continue
		}
		delete(entry, "reason")
		if isStep {
			i, err := strconv.Atoi(index)
			switch {
			case err != nil || i < 0 || i >= len(steps):
				bad(key, "case %s has steps 0 to %d", name, len(steps)-1)
			case hasCaseEntry[name]:
				bad(key, "case %s also has a case-level entry: put this under its \"steps\"", name)
			default:
				if _, err := override(&steps[i], key, reason, entry, true); err != nil {
					bad(key, "%v", err)
				}
			}
			continue
		}
		perStep := map[string]map[string]json.RawMessage{}
		if raw, ok := entry["steps"]; ok {
			if err := json.Unmarshal(raw, &perStep); err != nil {
				bad(key, "steps: %v", err)
				continue
			}
			delete(entry, "steps")
		}
		for index := range perStep {
			if i, err := strconv.Atoi(index); err != nil || i < 0 || i >= len(steps) {
				bad(key, "steps: %q is not a step (case %s has steps 0 to %d)", index, name, len(steps)-1)
			}
		}
		if len(entry) == 0 && len(perStep) == 0 {
			bad(key, "replaces nothing: give fields for every step, or for some under \"steps\"")
		}
		changedAny := false
		for i := range steps {
			fields, stepReason := maps.Clone(entry), reason
			if s, ok := perStep[strconv.Itoa(i)]; ok {
				if r, ok := s["reason"]; ok {
					var more string
					if err := json.Unmarshal(r, &more); err != nil {
						bad(key, "steps: %d: reason: %v", i, err)
					}
					stepReason += "; " + more
					delete(s, "reason")
				}
				if len(s) == 0 {
					bad(key, "steps: %d replaces nothing", i)
				}
				maps.Copy(fields, s)
			}
			if len(fields) == 0 {
				continue
			}
			_, explicit := perStep[strconv.Itoa(i)]
			changed, err := override(&steps[i], fmt.Sprintf("%s (step %d)", key, i), stepReason, fields, explicit)
			if err != nil {
				bad(key, "step %d: %v", i, err)
			}
			changedAny = changedAny || changed
		}
		if len(entry) > 0 && !changedAny {
			bad(key, "replaces nothing: every step's answers already equal these")
		}
	}
	return problems
}

// override replaces fields of e and reports whether any answer changed.
// With mustChange, an entry that leaves every answer as Alembic gave it is
// an error.
func override(e *expectation, key, reason string, fields map[string]json.RawMessage, mustChange bool) (changed bool, err error) {
	orig := *e
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		// Decode into fresh values: Unmarshal would reuse the slices'
		// arrays, which orig (and the other copies of e) share.
		var dst any
		switch name {
		case "error":
			e.Error, dst = nil, &e.Error
		case "version":
			e.Version, dst = nil, &e.Version
		case "ran":
			e.Ran, dst = nil, &e.Ran
		case "log":
			e.Log, dst = nil, &e.Log
		case "stdout":
			e.Stdout, dst = nil, &e.Stdout
		default:
			return false, fmt.Errorf("unknown field %q (known: reason, steps, error, version, ran, log, stdout)", name)
		}
		if err := json.Unmarshal(fields[name], dst); err != nil {
			return false, fmt.Errorf("field %q: %v", name, err)
		}
		e.Unstable = slices.DeleteFunc(slices.Clone(e.Unstable), func(u string) bool { return u == name })
	}
	changed = (orig.Error == nil) != (e.Error == nil) || !slices.Equal(orig.Version, e.Version) ||
		!slices.Equal(orig.Ran, e.Ran) || !slices.Equal(orig.Log, e.Log) || !slices.Equal(orig.Stdout, e.Stdout)
	if !changed {
		*e = orig
		if mustChange {
			return false, errors.New("replaces nothing: these answers equal Alembic's (an error is compared as failed or not)")
		}
		return false, nil
	}
	e.diffKey, e.diffReason = key, reason
	return true, nil
}

func TestDifferences(t *testing.T) {
	_, exp := loadSuite(t)
	data, err := os.ReadFile(filepath.Join("testdata", "differences.json"))
	if err != nil {
		t.Fatal(err)
	}
	if problems := applyDifferences(data, exp); len(problems) > 0 {
		t.Fatalf("testdata/differences.json:\n%v", errors.Join(problems...))
	}
}

// ---- running a case ----

func TestOracle(t *testing.T) {
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	if retortBin == "" {
		t.Fatal("no retort binary: TestMain did not build it")
	}
	cases, exp := loadSuite(t)
	data, err := os.ReadFile(filepath.Join("testdata", "differences.json"))
	if err != nil {
		t.Fatal(err)
	}
	if problems := applyDifferences(data, exp); len(problems) > 0 {
		t.Fatalf("testdata/differences.json:\n%v", errors.Join(problems...))
	}
	// Every case runs on every dialect, each in a fresh database.
	for _, dialect := range dbtest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.Name, func(t *testing.T) {
					t.Parallel()
					runCase(t, dialect, c, exp[c.Name])
				})
			}
		})
	}
}

func runCase(t *testing.T, dialect string, c oracleCase, want []expectation) {
	dir := t.TempDir()
	if *keepFlag {
		var err error
		if dir, err = os.MkdirTemp("", "retort-oracle-"+c.Name+"-"); err != nil {
			t.Fatal(err)
		}
		t.Logf("project directory: %s", dir)
	}
	p, err := newProject(dir, dbtest.For(t, dialect), c.Revisions)
	if err != nil {
		t.Fatalf("setting up the project: %v", err)
	}
	anc := ancestry(c.Revisions)
	failed, applied, unrun := 0, 0, 0
	for i, line := range c.Steps {
		e := &want[i]
		if e.diffKey != "" {
			applied++
		}
		s := parseStep(line)
		r := p.run(s)
		problems, diverged := compareStep(e, s, r, anc)
		if len(problems) > 0 {
			failed++
			t.Error(report(dialect, c, i, e, r, problems))
		}
		if diverged {
			unrun = len(c.Steps) - i - 1
			if unrun > 0 {
				t.Errorf("case %s: steps %d to %d not run: after a broken step or a different database state, later answers are not comparable", c.Name, i+1, len(c.Steps)-1)
			}
			break
		}
	}
	stats.Lock()
	defer stats.Unlock()
	stats.cases++
	if failed > 0 {
		stats.casesFailed++
	}
	stats.steps += len(c.Steps) - unrun
	stats.stepsFailed += failed
	stats.stepsUnrun += unrun
	stats.differences += applied
}

// project is one case's directory (retort.toml, migrations/) and database.
type project struct {
	dir string
	db  *dbtest.DB
	seq int64 // last oracle_log row seen
}

func newProject(dir string, db *dbtest.DB, revs []revisionSpec) (*project, error) {
	mig := filepath.Join(dir, "migrations")
	if err := os.MkdirAll(mig, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "retort.toml"), []byte(projectToml+strconv.Quote(db.URL)+"\n"), 0o644); err != nil {
		return nil, err
	}
	for i, r := range revs {
		name := fmt.Sprintf("%04d_%s.sql", i+1, r.ID)
		if r.File != "" {
			name = strings.TrimSuffix(r.File, filepath.Ext(r.File)) + ".sql"
		}
		if err := os.WriteFile(filepath.Join(mig, name), []byte(migrationFile(r)), 0o644); err != nil {
			return nil, err
		}
	}
	p := &project{dir: dir, db: db}
	return p, p.exec(logTableDDL[db.Dialect])
}

func migrationFile(r revisionSpec) string {
	var b strings.Builder
	header := func(key string, values ...string) {
		b.WriteString(strings.TrimRight("-- "+key+": "+strings.Join(values, ", "), " ") + "\n")
	}
	header("revision", r.ID)
	header("down_revision", r.Down...)
	header("branch_labels", r.Labels...)
	header("depends_on", r.DependsOn...)
	header("message", cmp(r.Message, r.ID))
	header("create_date", "2024-01-01 00:00:00 UTC")
	body := "INSERT INTO oracle_log (rev, direction) VALUES ('%s', '%s');\n"
	fmt.Fprintf(&b, "\n-- +upgrade\n"+body+"\n-- +downgrade\n"+body, r.ID, "up", r.ID, "down")
	return b.String()
}

func cmp(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func (p *project) exec(statements string) error {
	_, err := p.db.SQL.Exec(statements)
	return err
}

// result is what one step did.
type result struct {
	exit           int
	stdout, stderr string
	broken         string // the step could not run, timed out, crashed or the database could not be read
	version, ran   []string
}

// step is a parsed step line.
type step struct {
	line, sql        string   // sql: the statements of an @sql step
	args             []string // retort's arguments, after -C dir
	command          string
	verbose, offline bool
	splitErr         error
}

func parseStep(line string) step {
	s := step{line: line}
	if rest, ok := strings.CutPrefix(line, "@sql "); ok {
		s.sql = rest
		return s
	}
	s.args, s.splitErr = shlexSplit(line)
	for _, a := range s.args {
		switch {
		case a == "-v" || a == "--verbose":
			s.verbose = true
		case a == "--sql":
			s.offline = true
		case s.command == "" && !strings.HasPrefix(a, "-"):
			s.command = a
		}
	}
	return s
}

func (p *project) run(s step) result {
	var r result
	switch {
	case s.sql != "":
		if err := p.exec(s.sql); err != nil {
			r.broken = fmt.Sprintf("@sql failed: %v", err)
		}
	case s.splitErr != nil:
		r.broken = fmt.Sprintf("cannot split the step: %v", s.splitErr)
	default:
		r = p.retort(s.args)
	}
	if err := p.observe(&r); err != nil && r.broken == "" {
		r.broken = fmt.Sprintf("reading the database: %v", err)
	}
	return r
}

func (p *project) retort(args []string) result {
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, retortBin, append([]string{"-C", p.dir}, args...)...)
	cmd.Dir = p.dir // in case -C is ignored: never write into the source tree
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String(), exit: cmd.ProcessState.ExitCode()}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.broken = fmt.Sprintf("timed out after %v", stepTimeout)
	case err != nil && !errors.As(err, &exitErr):
		r.broken = fmt.Sprintf("cannot run retort: %v", err)
	case strings.Contains(r.stderr, "panic:") || strings.Contains(r.stderr, "goroutine "):
		r.broken = fmt.Sprintf("retort panicked (exit status %d)", r.exit)
	case r.exit < 0 || r.exit > 2:
		r.broken = fmt.Sprintf("exit status %d: retort exits 0, 1 or 2 (%v)", r.exit, err)
	}
	return r
}

// observe reads the version table and the migrations run since the last
// step.
func (p *project) observe(r *result) error {
	db := p.db.SQL
	var n int
	if err := db.QueryRow(versionTableExists[p.db.Dialect]).Scan(&n); err != nil {
		return err
	}
	var err error
	if n > 0 {
		if r.version, err = queryStrings(db, "SELECT version_num FROM "+versionTable); err != nil {
			return err
		}
		slices.Sort(r.version)
	}
	rows, err := db.Query(fmt.Sprintf("SELECT seq, direction, rev FROM oracle_log WHERE seq > %d ORDER BY seq", p.seq))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var dir, rev string
		if err := rows.Scan(&p.seq, &dir, &rev); err != nil {
			return err
		}
		r.ran = append(r.ran, dir+":"+rev)
	}
	return rows.Err()
}

func queryStrings(db *sql.DB, query string) ([]string, error) {
	rows, err := db.Query(query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out, rows.Err()
}

// ---- comparing ----

// compareStep lists how r differs from e. diverged means the database
// state differs (or the step broke), so later steps are not comparable.
func compareStep(e *expectation, s step, r result, anc map[string]map[string]bool) (problems []string, diverged bool) {
	if r.broken != "" {
		return []string{r.broken}, true
	}
	switch wantErr, gotErr := e.Error != nil, r.exit != 0; {
	case wantErr && !gotErr:
		problems = append(problems, "error: expected a failure, retort succeeded (exit status 0)")
	case !wantErr && gotErr:
		problems = append(problems, fmt.Sprintf("error: expected success, retort failed (exit status %d)", r.exit))
	}
	if !slices.Equal(e.Version, r.version) {
		problems = append(problems, fmt.Sprintf("version table: want %v, got %v", e.Version, r.version))
		diverged = true
	}
	ranOK := slices.Equal(e.Ran, r.ran)
	if !ranOK && e.unstable("ran") {
		// Alembic's order depended on the hash seed: any order the graph allows.
		if err := checkRanOrder(r.ran, e.Ran, anc); err != nil {
			problems = append(problems, fmt.Sprintf("migrations run (any order the graph allows): %v\n%s", err, describeDiff(e.Ran, r.ran)))
		} else {
			ranOK = true
		}
	} else if !ranOK {
		problems = append(problems, "migrations run (oracle_log rows):\n"+describeDiff(e.Ran, r.ran))
	}
	diverged = diverged || !ranOK
	if s.sql != "" {
		return problems, diverged
	}

	var gotLog []string
	for _, l := range splitOutput(r.stderr) {
		if strings.HasPrefix(l, "Running ") {
			// retort ends a step's line with its time, which Alembic
			// does not print: compare the rest.
			gotLog = append(gotLog, stepTime.ReplaceAllString(l, ""))
		}
	}
	logAlts := [][]string{e.Log}
	if e.unstable("log") {
		logAlts = append(logAlts, e.Observed.Log...)
		if l, ok := permuteLog(e.Ran, e.Log, r.ran); ok {
			logAlts = append(logAlts, l)
		}
	}
	if !matchAny(gotLog, logAlts, cleanLines) {
		problems = append(problems, `log (stderr lines starting with "Running "):`+"\n"+describeDiff(e.Log, gotLog))
	}

	var norm func([]string) []string
	switch {
	case s.offline:
		norm = sqlSkeleton
	case listingCommands[s.command]:
		norm = func(l []string) []string { return normalizeListing(s.command, s.verbose, l) }
	default:
		return problems, diverged
	}
	outAlts := [][]string{e.Stdout}
	if e.unstable("stdout") {
		outAlts = append(outAlts, e.Observed.Stdout...)
	}
	if got := splitOutput(r.stdout); !matchAny(got, outAlts, norm) {
		what := "stdout (paths, dates and URLs masked, label groups and unordered lines sorted)"
		if s.offline {
			what = `--sql script ("-- Running" comments and migration bodies only)`
		}
		problems = append(problems, what+":\n"+describeDiff(norm(e.Stdout), norm(got)))
	}
	return problems, diverged
}

func matchAny(got []string, alternatives [][]string, norm func([]string) []string) bool {
	g := norm(got)
	return slices.ContainsFunc(alternatives, func(w []string) bool { return slices.Equal(norm(w), g) })
}

// report explains a failed step.
func report(dialect string, c oracleCase, i int, e *expectation, r result, problems []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "case %s, steps[%d]: retort %s\n", c.Name, i, c.Steps[i])
	if i > 0 {
		fmt.Fprintf(&b, "  (after: %s)\n", strings.Join(c.Steps[max(0, i-8):i], "; "))
	}
	for _, p := range problems {
		b.WriteString("  " + strings.ReplaceAll(strings.TrimRight(p, "\n"), "\n", "\n  ") + "\n")
	}
	if e.Error != nil {
		fmt.Fprintf(&b, "  expected error: %s\n", *e.Error)
		if e.ErrorCause != nil {
			fmt.Fprintf(&b, "  (cause: %s)\n", *e.ErrorCause)
		}
	}
	if e.diffKey != "" {
		fmt.Fprintf(&b, "  expected values include known difference %s: %s\n", e.diffKey, e.diffReason)
	} else if slices.Contains(c.Tags, "alembic_quirk") || c.Name == "duplicate_revision_id" {
		fmt.Fprintf(&b, "  note: this case records an Alembic bug or a deliberate difference: %s\n"+
			"  retort must not copy it. If this step shows it and retort's answer is the right one,\n"+
			"  add %q to testdata/differences.json with a reason\n",
			cmp(c.Notes, "see testdata/README.md"), fmt.Sprintf("%s/%d", c.Name, i))
	}
	fmt.Fprintf(&b, "  retort exited %d; stderr:\n%s", r.exit, indent(lastLines(splitOutput(r.stderr), 30)))
	fmt.Fprintf(&b, "  rerun: go test ./internal/oracle/ -run 'TestOracle/^%s$/^%s$' -v -oracle.keep\n", dialect, c.Name)
	return b.String()
}

func lastLines(lines []string, n int) []string {
	if len(lines) > n {
		return append([]string{fmt.Sprintf("(%d lines before)", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return lines
}

// stepTime is the time retort adds at the end of a step's log line:
// " (12 ms)" or " (2.31 s)".
var stepTime = regexp.MustCompile(` \((\d+ ms|\d+\.\d\d s)\)$`)
