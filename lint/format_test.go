package lint

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// sample is a result with an error, a warning and an info finding, one
// of them on two dialects, one with characters the formats escape.
func sample(t *testing.T) *Result {
	t.Helper()
	src := file("DROP TABLE legacy_orders;\nCREATE INDEX i ON orders (a);\nUPDATE orders SET note = '50%, done: yes';")
	src = strings.Replace(src, "-- +downgrade\n", "", 1)
	rev, err := SQLRevision("migrations/20240101_abc123_cleanup.sql", []byte(src), []string{Postgres, MySQL})
	if err != nil {
		t.Fatal(err)
	}
	return Lint([]*Revision{rev}, Settings{})
}

func TestLintFormatsGolden(t *testing.T) {
	res := sample(t)
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := res.Write(&buf, format); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "format."+format+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s output differs from %s:\n%s", format, golden, buf.String())
			}
		})
	}
	if err := res.Write(&bytes.Buffer{}, "xml"); err == nil {
		t.Error("unknown format accepted")
	}
}

// workflowCommand is a GitHub Actions workflow command as the runner
// reads it: ::name key=value,key=value::message, values and message
// escaped with %25 %0D %0A (and %3A %2C in values).
type workflowCommand struct {
	name  string
	props map[string]string
	msg   string
}

var commandLine = regexp.MustCompile(`^::([a-z-]+)(?: ([^:]*))?::(.*)$`)

// parseWorkflowCommands parses every line of out as a workflow command
// and fails on a line that is none.
func parseWorkflowCommands(out string) ([]workflowCommand, error) {
	var cmds []workflowCommand
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		m := commandLine.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("line %d is no workflow command: %q", i+1, line)
		}
		c := workflowCommand{name: m[1], props: map[string]string{}}
		if m[2] != "" {
			for _, kv := range strings.Split(m[2], ",") {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					return nil, fmt.Errorf("line %d: property %q has no value", i+1, kv)
				}
				if strings.ContainsAny(v, "\n\r") {
					return nil, fmt.Errorf("line %d: unescaped newline", i+1)
				}
				uv, err := url.PathUnescape(v)
				if err != nil {
					return nil, fmt.Errorf("line %d: property %s: %v", i+1, k, err)
				}
				c.props[k] = uv
			}
		}
		msg, err := url.PathUnescape(m[3])
		if err != nil {
			return nil, fmt.Errorf("line %d: message: %v", i+1, err)
		}
		c.msg = msg
		cmds = append(cmds, c)
	}
	return cmds, nil
}

func TestLintGitHubAnnotationsParse(t *testing.T) {
	res := sample(t)
	var buf bytes.Buffer
	if err := res.WriteGitHub(&buf); err != nil {
		t.Fatal(err)
	}
	cmds, err := parseWorkflowCommands(buf.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(cmds) != len(res.Findings) {
		t.Fatalf("%d commands for %d findings", len(cmds), len(res.Findings))
	}
	for i, c := range cmds {
		f := res.Findings[i]
		want := map[Severity]string{Error: "error", Warning: "warning", Info: "notice"}[f.Severity]
		if c.name != want {
			t.Errorf("command %d: %s, want %s", i, c.name, want)
		}
		if c.props["file"] != f.File || c.props["line"] != strconv.Itoa(f.Line) || c.props["title"] != f.Code+" "+f.Rule {
			t.Errorf("command %d: properties %v, finding %s:%d %s", i, c.props, f.File, f.Line, f.Code)
		}
		if !strings.HasPrefix(c.msg, f.Message) {
			t.Errorf("command %d: message %q does not start with %q", i, c.msg, f.Message)
		}
	}
}

// TestLintSARIFStructure checks what SARIF 2.1.0 requires of the log
// retort writes (the schema's required properties and enumerations),
// without fetching the schema.
func TestLintSARIFStructure(t *testing.T) {
	var buf bytes.Buffer
	if err := sample(t).WriteSARIF(&buf); err != nil {
		t.Fatal(err)
	}
	checkSARIF(t, buf.Bytes())
}

func checkSARIF(t *testing.T, data []byte) {
	t.Helper()
	var log map[string]any
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if log["version"] != "2.1.0" {
		t.Errorf("version %v", log["version"])
	}
	if s, _ := log["$schema"].(string); !strings.Contains(s, "sarif-2.1.0") {
		t.Errorf("$schema %q", s)
	}
	runs, _ := log["runs"].([]any)
	if len(runs) != 1 {
		t.Fatalf("runs: %v", log["runs"])
	}
	run := runs[0].(map[string]any)
	driver, _ := run["tool"].(map[string]any)["driver"].(map[string]any)
	if name, _ := driver["name"].(string); name == "" {
		t.Error("tool.driver.name missing")
	}
	rules, _ := driver["rules"].([]any)
	ids := map[string]int{}
	for i, r := range rules {
		rm := r.(map[string]any)
		id, _ := rm["id"].(string)
		if id == "" {
			t.Errorf("rule %d: no id", i)
		}
		ids[id] = i
		if sd, _ := rm["shortDescription"].(map[string]any); sd == nil || sd["text"] == "" {
			t.Errorf("rule %s: no shortDescription.text", id)
		}
		if u, _ := rm["helpUri"].(string); !strings.HasPrefix(u, "https://") {
			t.Errorf("rule %s: helpUri %q", id, u)
		}
	}
	results, ok := run["results"].([]any)
	if !ok || len(results) == 0 {
		t.Fatalf("results: %v", run["results"])
	}
	for i, r := range results {
		rm := r.(map[string]any)
		id, _ := rm["ruleId"].(string)
		ri, ok := ids[id]
		if !ok {
			t.Errorf("result %d: ruleId %q not among the rules", i, id)
		}
		if idx, _ := rm["ruleIndex"].(float64); int(idx) != ri {
			t.Errorf("result %d: ruleIndex %v, rule %s is at %d", i, rm["ruleIndex"], id, ri)
		}
		switch rm["level"] {
		case "none", "note", "warning", "error":
		default:
			t.Errorf("result %d: level %v", i, rm["level"])
		}
		if msg, _ := rm["message"].(map[string]any); msg == nil || msg["text"] == "" {
			t.Errorf("result %d: no message.text", i)
		}
		locs, _ := rm["locations"].([]any)
		if len(locs) == 0 {
			t.Fatalf("result %d: no locations", i)
		}
		pl, _ := locs[0].(map[string]any)["physicalLocation"].(map[string]any)
		uri, _ := pl["artifactLocation"].(map[string]any)["uri"].(string)
		line, _ := pl["region"].(map[string]any)["startLine"].(float64)
		if uri == "" || line < 1 {
			t.Errorf("result %d: location %v", i, pl)
		}
	}
}

// TestSkippedStateLineReason: the info line on the rules skipped for
// want of schema state says why the state is missing, in text and JSON.
func TestSkippedStateLineReason(t *testing.T) {
	for _, tc := range []struct {
		name, why, line, json string
	}{
		{"no server", "", "info: 2 rules skipped: no schema state; " + NoStateServer + " (RT316, RT813)", NoStateServer},
		{"off by flag", "turned off by --no-state", "info: 2 rules skipped: no schema state; turned off by --no-state (RT316, RT813)", "turned off by --no-state"},
		{"replay failed", "the replay on the scratch database failed", "info: 2 rules skipped: no schema state; the replay on the scratch database failed (RT316, RT813)", "the replay on the scratch database failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Lint([]*Revision{{Path: "m/0002.sql", ID: "0002", Statements: map[string][]Statement{
				Postgres: {{Text: "CREATE INDEX CONCURRENTLY ix_a ON t (a)", Line: 1}}}}}, Settings{StateMissing: tc.why})
			if got := res.SkippedStateLine(); got != tc.line {
				t.Errorf("line:\n got %q\nwant %q", got, tc.line)
			}
			var buf bytes.Buffer
			if err := res.WriteJSON(&buf); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Why string `json:"no_state_reason"`
			}
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Why != tc.json {
				t.Errorf("no_state_reason = %q, want %q", doc.Why, tc.json)
			}
		})
	}
	if line := Lint(nil, Settings{StateMissing: "turned off by --no-state"}).SkippedStateLine(); line != "" {
		t.Errorf("no rule skipped, and the line is %q", line)
	}
}
