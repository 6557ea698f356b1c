package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// writeJSONProject writes retort.toml and the revision files of revs in dir.
func writeJSONProject(t *testing.T, dir string, revs ...testRev) {
	t.Helper()
	files := map[string]string{"retort.toml": "script_location = \"migrations\"\nurl = 'sqlite:///app.db'\n"}
	for i, r := range revs {
		files[filepath.Join("migrations", string(rune('1'+i))+"_"+r.id+".sql")] = r.file()
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// chain is n revisions r1 <- r2 <- ... each inserting a row.
func chain(ids ...string) []testRev {
	revs := []testRev{{id: ids[0], up: "CREATE TABLE t (id INTEGER);", downSQL: "DROP TABLE t;"}}
	for i, id := range ids[1:] {
		revs = append(revs, testRev{id: id, down: ids[i], up: "INSERT INTO t (id) VALUES (" + string(rune('1'+i)) + ");", downSQL: "DELETE FROM t WHERE id = " + string(rune('1'+i)) + ";"})
	}
	return revs
}

// runCLI runs Main in dir and returns its output and exit status.
func runCLI(t *testing.T, dir string, opts []Option, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(context.Background(), append([]string{"-C", dir}, args...), strings.NewReader(""), &out, &errOut,
		append([]Option{WithGetenv(func(string) string { return "" })}, opts...)...)
	return out.String(), errOut.String(), code
}

// jsonLines decodes each line of s as a JSON object.
func jsonLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %q is not a JSON object: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func keys(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	slices.Sort(k)
	return k
}

// stepKeys are the keys of a step line of upgrade, downgrade and stamp --json.
var stepKeys = []string{"direction", "from", "message", "ms", "revision", "statements", "to", "transactional"}

// TestJSON_Runs checks the JSON Lines of upgrade, downgrade and stamp: one
// object per step committed, with its keys and values (ms varies: a
// non-negative whole number), and a JSON stderr.
func TestJSON_Runs(t *testing.T) {
	dir := t.TempDir()
	writeJSONProject(t, dir, chain("aaaa", "bbbb", "cccc", "dddd")...)
	type step struct {
		Revision      string
		Direction     string
		From, To      string
		Message       string
		Statements    float64
		Transactional bool
	}
	tests := []struct {
		args    []string
		want    []step
		summary string
	}{
		{[]string{"--json", "upgrade", "+1"}, []step{{"aaaa", "up", "", "aaaa", "step aaaa", 1, true}}, `^Applied 1 revision in \d+ ms$`},
		{[]string{"upgrade", "head", "--json"}, []step{
			{"bbbb", "up", "aaaa", "bbbb", "step bbbb", 1, true},
			{"cccc", "up", "bbbb", "cccc", "step cccc", 1, true},
			{"dddd", "up", "cccc", "dddd", "step dddd", 1, true}}, `^Applied 3 revisions in \d+ ms$`},
		{[]string{"--json", "upgrade", "head"}, nil, `^Nothing to do: already at head$`},
		{[]string{"--json", "downgrade", "-2"}, []step{
			{"dddd", "down", "dddd", "cccc", "step dddd", 1, true},
			{"cccc", "down", "cccc", "bbbb", "step cccc", 1, true}}, `^Reverted 2 revisions in \d+ ms$`},
		{[]string{"--json", "stamp", "head"}, []step{{"dddd", "stamp", "bbbb", "dddd", "", 0, true}}, `^Stamped dddd in \d+ ms$`},
		{[]string{"--json", "stamp", "base"}, []step{{"dddd", "stamp", "dddd", "", "", 0, true}}, `^Stamped base in \d+ ms$`},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			stdout, stderr, code := runCLI(t, dir, nil, tc.args...)
			if code != ExitOK {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			var got []step
			for _, m := range jsonLines(t, stdout) {
				if k := keys(m); !slices.Equal(k, stepKeys) {
					t.Errorf("step keys %v, want %v", k, stepKeys)
				}
				if ms, ok := m["ms"].(float64); !ok || ms < 0 || ms != float64(int64(ms)) {
					t.Errorf("ms = %#v, want a whole number of milliseconds", m["ms"])
				}
				join := func(v any) string {
					var s []string
					for _, x := range v.([]any) {
						s = append(s, x.(string))
					}
					return strings.Join(s, ",")
				}
				got = append(got, step{m["revision"].(string), m["direction"].(string), join(m["from"]), join(m["to"]),
					m["message"].(string), m["statements"].(float64), m["transactional"].(bool)})
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("steps\n got %+v\nwant %+v", got, tc.want)
			}
			// stderr is JSON too: a record per step, then the summary.
			records := jsonLines(t, stderr)
			if len(records) != len(tc.want)+1 {
				t.Fatalf("%d records on stderr, want %d:\n%s", len(records), len(tc.want)+1, stderr)
			}
			for i, w := range tc.want {
				r := records[i]
				if r["revision"] != w.Revision || r["direction"] != w.Direction || r["statements"] != w.Statements || r["ms"] == nil {
					t.Errorf("record %d = %v, want step %+v", i, r, w)
				}
			}
			last := records[len(records)-1]
			if msg, _ := last["msg"].(string); !regexp.MustCompile(tc.summary).MatchString(msg) || last["steps"] != float64(len(tc.want)) {
				t.Errorf("summary record %v, want msg matching %s", last, tc.summary)
			}
		})
	}
}

// TestJSON_Errors checks that under --json an error is one JSON object on
// stderr, with its hint, the file, line and revision its typed error
// carries, and the exit status; steps committed before it are on stdout.
func TestJSON_Errors(t *testing.T) {
	revs := append(chain("aaaa", "bbbb"), testRev{id: "cccc", down: "bbbb", up: "SELECT 1;\nINSERT INTO missing_table (id) VALUES (1);", downSQL: ""})
	tests := []struct {
		name  string
		args  []string
		steps []string // revisions on stdout
		want  errorJSON
		msg   string // the error contains it
	}{
		{"statement fails", []string{"--json", "upgrade", "head"}, []string{"aaaa", "bbbb"},
			errorJSON{File: "migrations/3_cccc.sql", Line: 7, Revision: "cccc", Exit: ExitFailure}, "missing_table"},
		{"range online", []string{"upgrade", "aaaa:head", "--json"}, nil,
			errorJSON{Hint: "online, retort reads where the database is; give just the target", Exit: ExitUsage}, "only with --sql"},
		{"usage", []string{"--json", "downgrade"}, nil,
			errorJSON{Hint: "run `retort downgrade --help` for its usage", Exit: ExitUsage}, "downgrade takes one target"},
		{"unknown command", []string{"--json", "upgrad"}, nil,
			errorJSON{Hint: "run `retort --help` for the list of commands (did you mean \"upgrade\"?)", Exit: ExitUsage}, `unknown command "upgrad"`},
		{"unknown target", []string{"--json", "upgrade", "zzzz"}, nil, errorJSON{Exit: ExitFailure}, `"zzzz"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeJSONProject(t, dir, revs...)
			stdout, stderr, code := runCLI(t, dir, nil, tc.args...)
			if code != tc.want.Exit {
				t.Fatalf("exit %d, want %d\n%s", code, tc.want.Exit, stderr)
			}
			var steps []string
			for _, m := range jsonLines(t, stdout) {
				steps = append(steps, m["revision"].(string))
			}
			if !slices.Equal(steps, tc.steps) {
				t.Errorf("steps on stdout %v, want %v", steps, tc.steps)
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			dec := json.NewDecoder(strings.NewReader(lines[len(lines)-1]))
			dec.DisallowUnknownFields()
			var got errorJSON
			if err := dec.Decode(&got); err != nil {
				t.Fatalf("last stderr line is not an error object: %v\n%s", err, stderr)
			}
			if !strings.Contains(got.Error, tc.msg) {
				t.Errorf("error %q does not contain %q", got.Error, tc.msg)
			}
			got.Error = ""
			if got != tc.want {
				t.Errorf("error object %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestJSON_DataCommands checks that each data command prints one JSON
// document on stdout with the keys docs/commands.md lists.
func TestJSON_DataCommands(t *testing.T) {
	dir := t.TempDir()
	revs := chain("aaaa", "bbbb")
	revs = append(revs, testRev{id: "cccc", down: "aaaa", up: "SELECT 1;", downSQL: "SELECT 1;"})
	writeJSONProject(t, dir, revs...)
	if _, stderr, code := runCLI(t, dir, nil, "upgrade", "heads"); code != ExitOK {
		t.Fatalf("upgrade: %s", stderr)
	}
	revKeys := []string{"branch_labels", "create_date", "depends_on", "down_revisions", "is_base", "is_branch_point", "is_head", "is_merge_point", "message", "path", "revision"}
	without := func(k []string, drop string) []string {
		return slices.DeleteFunc(slices.Clone(k), func(s string) bool { return s == drop })
	}
	with := func(k []string, add ...string) []string {
		out := append(slices.Clone(k), add...)
		slices.Sort(out)
		return out
	}
	revKeys = without(revKeys, "create_date") // the test files have none
	tests := []struct {
		args  []string
		count int
		keys  []string // of the first element
	}{
		{[]string{"heads"}, 2, revKeys},
		{[]string{"branches"}, 1, with(revKeys, "branches_into")},
		{[]string{"history"}, 3, revKeys},
		{[]string{"history", "-i"}, 3, with(revKeys, "is_current")},
		{[]string{"show", "aaaa"}, 1, with(revKeys, "branches_into")},
		{[]string{"current"}, 2, with(revKeys, "dirty")},
		{[]string{"verify"}, 0, nil},
		{[]string{"history", "--applied"}, 3, []string{"checksum", "db_user", "direction", "dirty", "duration_ms", "finished_at", "hostname", "id", "retort_version", "revision", "started_at", "stmt_index", "tag"}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			stdout, stderr, code := runCLI(t, dir, nil, append([]string{"--json"}, tc.args...)...)
			if code != ExitOK {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			dec := json.NewDecoder(strings.NewReader(stdout))
			var doc []map[string]any
			if err := dec.Decode(&doc); err != nil {
				t.Fatalf("stdout is not a JSON array: %v\n%s", err, stdout)
			}
			if _, err := dec.Token(); err != io.EOF {
				t.Fatalf("more than one JSON document on stdout:\n%s", stdout)
			}
			if len(doc) != tc.count {
				t.Fatalf("%d elements, want %d:\n%s", len(doc), tc.count, stdout)
			}
			if tc.count > 0 {
				if k := keys(doc[0]); !slices.Equal(k, tc.keys) {
					t.Errorf("keys %v, want %v", k, tc.keys)
				}
			}
		})
	}
	// verify with a changed file: the file, then the error object.
	t.Run("verify changed", func(t *testing.T) {
		f := filepath.Join(dir, "migrations", "1_aaaa.sql")
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, append(body, "-- changed\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.WriteFile(f, body, 0o644)
		stdout, stderr, code := runCLI(t, dir, nil, "--json", "verify")
		var doc []map[string]any
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil || code != ExitFailure || len(doc) != 1 {
			t.Fatalf("exit %d, stdout %s (%v)", code, stdout, err)
		}
		if k := keys(doc[0]); !slices.Equal(k, []string{"applied_checksum", "file_checksum", "path", "revision", "status"}) || doc[0]["revision"] != "aaaa" || doc[0]["status"] != "changed" {
			t.Errorf("verify --json printed %v", doc[0])
		}
		var e errorJSON
		if err := json.Unmarshal([]byte(stderr), &e); err != nil || e.Hint == "" || e.Exit != ExitFailure {
			t.Errorf("stderr %q is not an error object with a hint (%v)", stderr, err)
		}
	})
	// revision and merge print one object: the file written.
	for _, args := range [][]string{{"revision", "-m", "x", "--rev-id", "dddd", "--head", "bbbb"}, {"merge", "-m", "m", "--rev-id", "eeee", "cccc", "dddd"}} {
		t.Run(args[0], func(t *testing.T) {
			stdout, stderr, code := runCLI(t, dir, nil, append([]string{"--json"}, args...)...)
			if code != ExitOK {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
				t.Fatalf("stdout is not a JSON object: %v\n%s", err, stdout)
			}
			if k := keys(doc); !slices.Equal(k, []string{"down_revisions", "path", "revision"}) || doc["revision"] != args[4] {
				t.Errorf("%s --json printed %v", args[0], doc)
			}
		})
	}
}

// TestRun_ProgressBar checks when a run draws its progress bar: on a
// terminal (a fake check), for more than three steps, and never under
// --json or -q; the step lines and the summary are printed either way.
func TestRun_ProgressBar(t *testing.T) {
	fakeTerminal := func(tty bool) Option {
		return func(e *env) { e.isTerminal = func(io.Writer) bool { return tty } }
	}
	tests := []struct {
		name  string
		revs  int
		tty   bool
		flags []string
		bar   bool
	}{
		{"terminal, four steps", 4, true, nil, true},
		{"terminal, three steps", 3, true, nil, false},
		{"no terminal", 4, false, nil, false},
		{"json", 4, true, []string{"--json"}, false},
		{"quiet", 4, true, []string{"-q"}, false},
	}
	ids := []string{"aaaa", "bbbb", "cccc", "dddd"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeJSONProject(t, dir, chain(ids[:tc.revs]...)...)
			_, stderr, code := runCLI(t, dir, []Option{fakeTerminal(tc.tty)}, append(tc.flags, "upgrade", "head")...)
			if code != ExitOK {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			// The bar: a count, the step in progress, redrawn in place.
			drawn := strings.Contains(stderr, "(1/4) upgrade bbbb") && strings.Contains(stderr, "\x1b[2K")
			if drawn != tc.bar {
				t.Fatalf("bar drawn: %t, want %t\n%q", drawn, tc.bar, stderr)
			}
			if tc.bar {
				// Each step line and the summary are whole lines around the bar.
				plain := regexp.MustCompile(`\x1b\[2K\r|\r[^\n]*\r`).ReplaceAllString(stderr, "")
				for _, re := range []string{`(?m)^Running upgrade  -> aaaa, step aaaa \(\d+ ms\)$`, `(?m)^Running upgrade cccc -> dddd, step dddd \(\d+ ms\)$`, `(?m)^Applied 4 revisions in \d+ ms$`} {
					if !regexp.MustCompile(re).MatchString(plain) {
						t.Errorf("no line matches %s in\n%q", re, stderr)
					}
				}
			}
		})
	}
}
