package revision

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// squashed is a squashed revision replacing ids.
func squashed(id string, replaces ...string) Revision {
	return Revision{ID: id, Replaces: replaces, Path: "migrations/" + id + ".sql"}
}

// squashGraph is a1 <- a2 <- {b1, c1} <- m3 <- a4 <- a5, squashed up to
// m3 by s (a merge inside the squashed part), and an independent base x1.
func squashGraph(t *testing.T, extra ...Revision) *Graph {
	t.Helper()
	revs := []Revision{rv("a1"), rv("a2", "a1"), rv("b1", "a2"), rv("c1", "a2"), rv("m3", "b1", "c1"), rv("a4", "m3"), rv("a5", "a4"), rv("x1"),
		squashed("s", "a1", "a2", "b1", "c1", "m3")}
	g, err := New(append(revs, extra...))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func stepIDs(p *Plan) []string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, s.Revision)
	}
	return out
}

func TestGraph_SquashPlans(t *testing.T) {
	g := squashGraph(t)
	tests := []struct {
		name      string
		current   []string
		target    string
		up        bool
		steps     []string
		heads     []string
		squashOps []VersionOp // the version ops of the squash step, when one runs
	}{
		{"fresh database runs the squash then the children", nil, "a5", true, []string{"s", "a4", "a5"}, []string{"a5"}, []VersionOp{{Kind: Insert, To: "m3"}}},
		{"fresh database to the squash's target", nil, "m3", true, []string{"s"}, []string{"m3"}, nil},
		{"fresh database to all heads", nil, "heads", true, []string{"x1", "s", "a4", "a5"}, []string{"a5", "x1"}, nil},
		{"target inside the squashed part runs the archived revisions", nil, "b1", true, []string{"a1", "a2", "b1"}, []string{"b1"}, nil},
		{"database inside the squashed part runs the archived revisions", []string{"a2"}, "a5", true, []string{"c1", "b1", "m3", "a4", "a5"}, []string{"a5"}, nil},
		{"database at the target runs the children", []string{"m3"}, "a5", true, []string{"a4", "a5"}, []string{"a5"}, nil},
		{"database past the target runs nothing new", []string{"a5"}, "a5", true, nil, []string{"a5"}, nil},
		{"independent branch applied: the squash still runs", []string{"x1"}, "a5", true, []string{"s", "a4", "a5"}, []string{"x1", "a5"}, []VersionOp{{Kind: Insert, To: "m3"}}},
		{"downgrade to base reverts the squash", []string{"a5"}, "base", false, []string{"a5", "a4", "s"}, nil, []VersionOp{{Kind: Delete, From: "m3"}}},
		{"downgrade into the squashed part runs the archived downgrades", []string{"a5"}, "a2", false, []string{"a5", "a4", "m3", "b1", "c1"}, []string{"a2"}, nil},
		{"downgrade from inside the squashed part", []string{"a2"}, "base", false, []string{"a2", "a1"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p *Plan
			var err error
			if tt.up {
				p, err = g.Upgrade(tt.current, tt.target)
			} else {
				p, err = g.Downgrade(tt.current, tt.target)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := stepIDs(p); !slices.Equal(got, tt.steps) {
				t.Errorf("steps = %v, want %v", got, tt.steps)
			}
			got, want := slices.Sorted(slices.Values(p.Heads)), slices.Sorted(slices.Values(tt.heads))
			if !slices.Equal(got, want) {
				t.Errorf("heads = %v, want %v", p.Heads, tt.heads)
			}
			for _, s := range p.Steps {
				if s.Revision == "s" && tt.squashOps != nil && !slices.Equal(s.Ops, tt.squashOps) {
					t.Errorf("squash step ops = %v, want %v", s.Ops, tt.squashOps)
				}
			}
		})
	}
}

func TestGraph_SquashGraphUnchanged(t *testing.T) {
	g := squashGraph(t)
	if got := g.Heads(); !slices.Equal(got, []string{"a5", "x1"}) {
		t.Errorf("heads = %v: a squashed revision is no head", got)
	}
	if g.Info("s") != nil {
		t.Error("the squashed revision is a node of the graph")
	}
	walk, err := g.Walk("base", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(walk) != 8 {
		t.Errorf("history lists %d revisions, want all 8 (archived ones included)", len(walk))
	}
	sq := g.Squash("s")
	if sq == nil || sq.Target != "m3" || !slices.Equal(sq.Replaces, []string{"a1", "a2", "b1", "c1", "m3"}) {
		t.Errorf("Squash(s) = %+v", sq)
	}
	if got := g.SquashedInto("b1"); !slices.Equal(got, []string{"s"}) {
		t.Errorf("SquashedInto(b1) = %v", got)
	}
	if got := g.SquashedInto("a4"); got != nil {
		t.Errorf("SquashedInto(a4) = %v", got)
	}
	if _, err := g.Upgrade(nil, "s"); err == nil || !strings.Contains(err.Error(), "s is a squashed revision, not a target") || !strings.Contains(err.Error(), "name m3") {
		t.Errorf("Upgrade(nil, s) = %v, want the squashed revision named as no target", err)
	}
	ops, err := g.StepOps(nil, "s", true)
	if err != nil || !slices.Equal(ops, []VersionOp{{Kind: Insert, To: "m3"}}) {
		t.Errorf("StepOps(s) = %v, %v", ops, err)
	}
}

// A project squashed twice takes the larger squash on a fresh database,
// and the smaller one cannot run on a database inside the larger.
func TestGraph_SquashTwice(t *testing.T) {
	g := squashGraph(t, squashed("s2", "a1", "a2", "b1", "c1", "m3", "a4"))
	p, err := g.Upgrade(nil, "a5")
	if err != nil {
		t.Fatal(err)
	}
	if got := stepIDs(p); !slices.Equal(got, []string{"s2", "a5"}) {
		t.Errorf("steps = %v, want [s2 a5]", got)
	}
	if p, err = g.Upgrade(nil, "m3"); err != nil {
		t.Fatal(err)
	}
	if got := stepIDs(p); !slices.Equal(got, []string{"s"}) {
		t.Errorf("steps to m3 = %v, want [s]", got)
	}
	if err := g.CheckSquashable("a4"); err == nil || !strings.Contains(err.Error(), "already squashed") {
		t.Errorf("CheckSquashable(a4) = %v, want already squashed", err)
	}
	if err := g.CheckSquashable("a5"); err != nil {
		t.Errorf("CheckSquashable(a5) = %v", err)
	}
}

func TestGraph_SquashErrors(t *testing.T) {
	base := []Revision{rv("a1"), rv("a2", "a1"), rv("a3", "a2"), rv("b3", "a2"), rv("m4", "a3", "b3")}
	tests := []struct {
		name string
		revs []Revision
		want string
		kind GraphErrorKind
	}{
		{"missing replaced revision", []Revision{squashed("s", "a1", "zz")}, "replaces zz, which does not exist", GraphMissing},
		{"not all ancestors", []Revision{squashed("s", "a2", "a3")}, "not its ancestors a1", GraphSquash},
		{"two newest", []Revision{squashed("s", "a1", "a2", "a3", "b3")}, "2 newest ones", GraphSquash},
		{"branch off the squashed part", []Revision{squashed("s", "a1", "a2", "a3")}, "revision b3", GraphSquash},
		{"squash with a down revision", []Revision{{ID: "s", Down: []string{"a1"}, Replaces: []string{"a1"}}}, "a base of its own", GraphIllegal},
		{"squash id taken", []Revision{squashed("a2", "a1")}, "has the id of a revision", GraphDuplicate},
		{"two squashes of one target", []Revision{squashed("s", "a1"), squashed("t", "a1")}, "both replace the revisions up to a1", GraphDuplicate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(append(slices.Clone(base), tt.revs...))
			var ge *GraphError
			if !errors.As(err, &ge) {
				t.Fatalf("New: %v, want a *GraphError", err)
			}
			if ge.Kind != tt.kind || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q (kind %s), want %q (kind %s)", err, ge.Kind, tt.want, tt.kind)
			}
		})
	}
}

func TestGraph_CheckSquashable(t *testing.T) {
	g, err := New([]Revision{rv("a1"), rv("a2", "a1"), rv("a3", "a2"), rv("b3", "a2"), rv("m4", "a3", "b3"),
		{ID: "d1", DependsOn: []string{"a1"}, Path: "d1.sql"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		target, want string // want "" for squashable
	}{
		{"m4", "revision d1 (d1.sql) depends on a1"}, // a branch off a1 not merged before m4
		{"a3", "revision b3"},
		{"a1", ""}, // a2 and d1 go on from a1 itself
		{"nope", `no revision "nope"`},
		{"d1", "revision a2 (migrations/a2.sql) follows a1"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			err := g.CheckSquashable(tt.target)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckSquashable: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("CheckSquashable = %v, want %q", err, tt.want)
			}
		})
	}
}
