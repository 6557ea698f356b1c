package cli

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort/internal/dbtest"
)

// TestDirtyStep_RecoveryCommandWorksAsPrinted fails a MySQL step half way,
// however the project and the database were named (-C, -c, --url with and
// without a password, RETORT_URL), and checks that the failing run says at
// once that it left the step dirty, and that the recovery command it
// prints, run as printed, resolves it.
func TestDirtyStep_RecoveryCommandWorksAsPrinted(t *testing.T) {
	const password = "Pw-0f-rt"
	tdb := dbtest.MySQL(t)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	user := "rt_" + hex.EncodeToString(b)
	for _, host := range []string{"%", "localhost", "127.0.0.1"} {
		mustExec(t, tdb.SQL,
			"CREATE USER '"+user+"'@'"+host+"' IDENTIFIED BY '"+password+"'",
			"GRANT ALL ON "+tdb.Name+".* TO '"+user+"'@'"+host+"'")
		t.Cleanup(func() { _, _ = tdb.SQL.Exec("DROP USER '" + user + "'@'" + host + "'") })
	}
	withPassword := strings.Replace(tdb.URL, "mysql://root@", "mysql://"+user+":"+password+"@", 1)
	if withPassword == tdb.URL {
		t.Fatalf("cannot put a user into %s", tdb.URL)
	}

	for _, tc := range []struct {
		name string
		// args are the global options of the failing run; in the project
		// folder when cwd, else in a folder of their own.
		args []string
		cwd  bool
		// env is the failing run's environment; the printed command runs
		// with recoverEnv.
		env, recoverEnv []string
		// toml is retort.toml's url line, or "".
		toml       bool
		configName string
		// note is what the hint must say about the URL left out.
		note string
	}{
		{name: "-C with RETORT_URL", args: []string{"-C", "{dir}"},
			env: []string{"RETORT_URL=" + tdb.URL}, recoverEnv: []string{"RETORT_URL=" + tdb.URL}},
		{name: "-c with the URL in the file", args: []string{"-c", "other.toml"}, cwd: true,
			toml: true, configName: "other.toml"},
		{name: "--url without a password", args: []string{"-C", "{dir}", "--url", tdb.URL}},
		{name: "--url with a password", args: []string{"-C", "{dir}", "--url", withPassword},
			recoverEnv: []string{"RETORT_URL=" + withPassword}, note: "set RETORT_URL to it first, mysql://" + user + ":***@"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mustExec(t, tdb.SQL, "DROP TABLE IF EXISTS retort_version, retort_history, t1, t2")
			revs := []testRev{
				{id: "r1", up: "CREATE TABLE t1 (id INT);", downSQL: "DROP TABLE t1;"},
				{id: "r2", down: "r1", up: "CREATE TABLE t2 (id INT);\nINSERT INTO missing (id) VALUES (1);", downSQL: "DROP TABLE t2;"},
			}
			dir := writeProject(t, revs)
			if tc.configName != "" {
				toml := ""
				if tc.toml {
					toml = "url = '" + tdb.URL + "'\n"
				}
				if err := os.WriteFile(filepath.Join(dir, tc.configName), []byte(toml), 0o644); err != nil {
					t.Fatal(err)
				}
				// Only the named file holds the project's settings.
				if err := os.Remove(filepath.Join(dir, "retort.toml")); err != nil {
					t.Fatal(err)
				}
			}
			cwd := t.TempDir()
			if tc.cwd {
				cwd = dir
			}
			var args []string
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "{dir}", dir))
			}
			run := func(env []string, args ...string) procResult {
				t.Helper()
				cmd := exec.Command(os.Args[0], args...)
				cmd.Dir = cwd
				cmd.Env = append(append(os.Environ(), "RETORT_TEST_MAIN=1", "RETORT_URL=", "DATABASE_URL=",
					"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0")), env...)
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				err := cmd.Run()
				return procResult{stdout.String(), stderr.String(), exitCode(t, err)}
			}

			r := run(tc.env, append(args, "upgrade", "head")...)
			if r.code != 1 {
				t.Fatalf("upgrade: exit status %d, want 1\n%s", r.code, r.stderr)
			}
			if strings.Contains(r.stderr, password) {
				t.Fatalf("the password is printed:\n%s", r.stderr)
			}
			for _, want := range []string{
				"migrations/002_r2.sql:7: revision r2: statement failed",
				"the database is left dirty: revision r2 (up) did not finish: 1 of 2 statements completed, the last at migrations/002_r2.sql:6",
			} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("the failing run does not say %q:\n%s", want, r.stderr)
				}
			}
			printed := ""
			for _, line := range strings.Split(r.stderr, "\n") {
				if cmd, _, ok := strings.Cut(strings.TrimSpace(line), "  if you undid them"); ok && strings.HasPrefix(cmd, "retort ") {
					printed = cmd
				}
			}
			if printed == "" {
				t.Fatalf("no recovery command printed:\n%s", r.stderr)
			}
			if tc.note != "" && !strings.Contains(r.stderr, tc.note) {
				t.Errorf("the hint does not say %q:\n%s", tc.note, r.stderr)
			}
			t.Logf("stderr of the failing run:\n%s", r.stderr)

			// The operator undoes the half-done step, then runs the
			// command as printed.
			mustExec(t, tdb.SQL, "DROP TABLE t2")
			words := shellWords(t, printed)
			if r := run(tc.recoverEnv, words[1:]...); r.code != 0 {
				t.Fatalf("%s: exit status %d\n%s", printed, r.code, r.stderr)
			} else if !strings.Contains(r.stderr, "Resolved r2 as rolled back") {
				t.Errorf("%s did not resolve r2:\n%s", printed, r.stderr)
			}

			revs[1].up = "CREATE TABLE t2 (id INT);"
			writeRev(t, dir, 1, revs[1])
			if r := run(tc.env, append(args, "upgrade", "head")...); r.code != 0 {
				t.Fatalf("upgrade after the recovery: exit status %d\n%s", r.code, r.stderr)
			}
			if got := queryStrings(t, tdb.SQL, "SELECT version_num FROM retort_version"); strings.Join(got, ",") != "r2" {
				t.Errorf("version after the recovery = %v, want r2", got)
			}
		})
	}
}

// shellWords splits a command line as a POSIX shell would split the
// words that shellQuote writes: plain words and '...' quotes, with '\”
// for a quote inside.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var (
		words []string
		cur   strings.Builder
		in    bool // a word has started
		quote bool
		esc   bool
	)
	for _, r := range line {
		switch {
		case esc:
			cur.WriteRune(r)
			esc = false
		case quote && r == '\'':
			quote = false
		case quote:
			cur.WriteRune(r)
		case r == '\'':
			quote, in = true, true
		case r == '\\':
			esc, in = true, true
		case r == ' ':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if quote {
		t.Fatalf("unterminated quote in %s", line)
	}
	if in {
		words = append(words, cur.String())
	}
	return words
}
