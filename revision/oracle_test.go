package revision

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The Alembic oracle replayed against the pure graph: version rows, the
// migrations run and whether each step errs, without any database. The
// CLI conformance suite (internal/oracle) checks the same cases end to end.

type oracleCase struct {
	Name      string            `json:"name"`
	Tags      []string          `json:"tags"`
	Revisions []json.RawMessage `json:"revisions"`
	Steps     []string          `json:"steps"`
}

type oracleStep struct {
	Cmd      string          `json:"cmd"`
	Error    *string         `json:"error"`
	Version  []string        `json:"version"`
	Ran      []string        `json:"ran"`
	Log      []string        `json:"log"`
	Stdout   []string        `json:"stdout"`
	Unstable []string        `json:"unstable"`
	Observed json.RawMessage `json:"observed"`
}

func strOrList(raw json.RawMessage) []string {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []string{s}
	}
	var l []string
	_ = json.Unmarshal(raw, &l)
	return l
}

func loadOracle(t *testing.T) ([]oracleCase, map[string][]oracleStep) {
	t.Helper()
	dir := filepath.Join("..", "internal", "oracle", "testdata")
	var cases struct {
		Cases []oracleCase `json:"cases"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "cases.json"))
	if err != nil {
		t.Fatalf("read oracle cases: %v", err)
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	var exp struct {
		Cases map[string]struct {
			Steps []oracleStep `json:"steps"`
		} `json:"cases"`
	}
	b, err = os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatalf("read oracle answers: %v", err)
	}
	if err := json.Unmarshal(b, &exp); err != nil {
		t.Fatal(err)
	}
	out := map[string][]oracleStep{}
	for k, v := range exp.Cases {
		out[k] = v.Steps
	}
	return cases.Cases, out
}

func buildOracleGraph(c oracleCase) (*Graph, error) {
	var revs []Revision
	for _, raw := range c.Revisions {
		var r struct {
			ID        string          `json:"id"`
			Down      json.RawMessage `json:"down"`
			Labels    json.RawMessage `json:"labels"`
			DependsOn json.RawMessage `json:"depends_on"`
		}
		_ = json.Unmarshal(raw, &r)
		revs = append(revs, Revision{ID: r.ID, Down: strOrList(r.Down), BranchLabels: strOrList(r.Labels), DependsOn: strOrList(r.DependsOn), Path: r.ID + ".sql"})
	}
	return New(revs)
}

// override is what internal/oracle/testdata/differences.json says retort
// answers where it deliberately differs from Alembic.
type override struct {
	Error   json.RawMessage `json:"error"`
	Version json.RawMessage `json:"version"`
	Ran     json.RawMessage `json:"ran"`
}

// loadDifferences flattens differences.json to "<case>/<step>" entries
// ("<case>" entries apply to every step).
func loadDifferences(t *testing.T) map[string]override {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "internal", "oracle", "testdata", "differences.json"))
	if err != nil {
		t.Fatalf("read differences: %v", err)
	}
	var file map[string]struct {
		override
		Steps map[string]override `json:"steps"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	out := map[string]override{}
	for k, v := range file {
		out[k] = v.override
		for i, s := range v.Steps {
			out[k+"/"+i] = s
		}
	}
	return out
}

func TestOracleGraph(t *testing.T) {
	cases, expected := loadOracle(t)
	diffs := loadDifferences(t)
	total, passed := 0, 0
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			exp := expected[c.Name]
			g, gerr := buildOracleGraph(c)
			var version []string
			tableExists := false
			var ran []string
			for i, cmd := range c.Steps {
				total++
				want := exp[i]
				args := strings.Fields(cmd)
				sqlMode := slices.Contains(args, "--sql")
				purge := slices.Contains(args, "--purge")
				args = slices.DeleteFunc(args, func(a string) bool { return a == "--sql" || a == "--purge" })
				var err error
				ran = ran[:0]
				if gerr != nil {
					err = gerr
				} else {
					switch args[0] {
					case "@sql":
						for k := range version {
							version[k] = "deadbeef0000"
						}
					case "upgrade", "downgrade", "stamp":
						err = runOracleStep(g, args, sqlMode, purge, &version, &tableExists, &ran)
					case "history":
						_, err = g.Walk("base", nil)
					}
				}
				wantErr, wantVersion, wantRan := want.Error != nil, want.Version, want.Ran
				for _, key := range []string{c.Name, c.Name + "/" + strconv.Itoa(i)} {
					d, ok := diffs[key]
					if !ok {
						continue
					}
					if d.Error != nil {
						wantErr = string(d.Error) != "null"
					}
					if d.Version != nil {
						wantVersion = nil
						_ = json.Unmarshal(d.Version, &wantVersion)
					}
					if d.Ran != nil {
						wantRan = nil
						_ = json.Unmarshal(d.Ran, &wantRan)
					}
				}
				switch args[0] {
				case "show", "current":
					continue // output only: checked end to end by internal/oracle
				case "history":
					if len(args) > 1 {
						continue
					}
				}
				got := slices.Clone(version)
				slices.Sort(got)
				ok := (err != nil) == wantErr && slices.Equal(got, normalize(wantVersion))
				if ok && !sqlMode {
					if slices.Contains(want.Unstable, "ran") {
						a, b := slices.Clone(ran), slices.Clone(wantRan)
						slices.Sort(a)
						slices.Sort(b)
						ok = slices.Equal(a, b)
					} else {
						ok = slices.Equal(ran, wantRan) || len(ran) == 0 && len(wantRan) == 0
					}
				}
				if !ok {
					t.Errorf("step %d %q: got err=%v version=%v ran=%v; want err=%v version=%v ran=%v", i, cmd, err, got, ran, wantErr, wantVersion, wantRan)
					continue
				}
				passed++
			}
		})
	}
	t.Logf("oracle graph replay: %d/%d steps", passed, total)
}

func normalize(s []string) []string {
	if s == nil {
		return []string{}
	}
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func runOracleStep(g *Graph, args []string, sqlMode, purge bool, version *[]string, tableExists *bool, ran *[]string) error {
	var (
		plan *Plan
		err  error
	)
	if sqlMode {
		// Offline: plan only, from the range start.
		target := args[len(args)-1]
		from, to, isRange := strings.Cut(target, ":")
		var start []string
		if isRange && from != "" && from != "base" {
			id, err := g.ResolveOne(from)
			if err != nil {
				return err
			}
			start = []string{id}
		}
		if !isRange {
			to = target
		}
		switch args[0] {
		case "upgrade":
			_, err = g.Upgrade(start, to)
		case "downgrade":
			if !isRange {
				return &Error{Msg: "downgrade --sql needs a range"}
			}
			_, err = g.Downgrade(start, to)
		case "stamp":
			_, err = g.Stamp(start, []string{to})
		}
		return err
	}
	// retort reads the version rows in byte order (see state.go).
	heads := slices.Sorted(slices.Values(*version))
	if purge {
		heads = nil
	}
	switch args[0] {
	case "upgrade":
		if len(args) > 1 && strings.Contains(args[1], ":") {
			return &Error{Msg: "range online"}
		}
		t := "head"
		if len(args) > 1 {
			t = args[1]
		}
		plan, err = g.Upgrade(heads, t)
	case "downgrade":
		if strings.Contains(args[1], ":") {
			return &Error{Msg: "range online"}
		}
		plan, err = g.Downgrade(heads, args[1])
	case "stamp":
		plan, err = g.Stamp(heads, args[1:])
	}
	if err != nil {
		return err
	}
	for _, s := range plan.Steps {
		if !s.Stamp {
			d := "down:"
			if s.Up {
				d = "up:"
			}
			*ran = append(*ran, d+s.Revision)
		}
	}
	*version = plan.Heads
	*tableExists = true
	return nil
}
