package revision

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func rv(id string, down ...string) Revision {
	return Revision{ID: id, Down: down, Path: "migrations/" + id + ".sql"}
}

func TestNew_Errors(t *testing.T) {
	tests := []struct {
		name string
		revs []Revision
		want []string // substrings of the message
		kind any
	}{
		{"duplicate id", []Revision{rv("a"), {ID: "a", Path: "migrations/other.sql"}},
			[]string{"revision a is defined twice", "migrations/a.sql", "migrations/other.sql"}, &GraphError{Kind: GraphDuplicate}},
		{"illegal dash", []Revision{rv("a"), rv("b-1", "a")}, []string{`"b-1"`, `"-"`, "migrations/b-1.sql"}, &GraphError{Kind: GraphIllegal}},
		{"illegal at", []Revision{rv("a@b")}, []string{`"a@b"`, `"@"`}, &GraphError{Kind: GraphIllegal}},
		{"illegal colon", []Revision{rv("a:b")}, []string{`"a:b"`}, &GraphError{Kind: GraphIllegal}},
		{"reserved", []Revision{rv("head")}, []string{"reserved"}, &GraphError{Kind: GraphIllegal}},
		{"missing down", []Revision{rv("a"), rv("b", "zz")}, []string{"revision b", "down_revision zz", "does not exist", "migrations/b.sql"}, &GraphError{Kind: GraphMissing}},
		{"missing depends_on", []Revision{rv("a"), {ID: "b", DependsOn: []string{"nope"}, Path: "b.sql"}}, []string{"depends on nope", "b.sql"}, &GraphError{Kind: GraphMissing}},
		{"self loop", []Revision{rv("a", "a")}, []string{"a -> a"}, &CycleError{}},
		{"cycle", []Revision{rv("base1"), rv("n1", "n3"), rv("n2", "n1"), rv("n3", "n2")}, []string{"cycle", "n1", "n2", "n3", "migrations/n1.sql"}, &CycleError{}},
		{"cycle of two", []Revision{rv("a", "b"), rv("b", "a")}, []string{"cycle: ", "a", "b"}, &CycleError{}},
		{"dependency cycle", []Revision{{ID: "a", DependsOn: []string{"b"}}, rv("b", "a")}, []string{"depends_on cycle"}, &CycleError{}},
		{"dependency self loop", []Revision{{ID: "a", DependsOn: []string{"a"}}}, []string{"depends_on cycle", "a -> a"}, &CycleError{}},
		{"duplicate label", []Revision{{ID: "a", BranchLabels: []string{"x"}, Path: "a.sql"}, {ID: "b", Down: []string{"a"}, BranchLabels: []string{"x"}, Path: "b.sql"}},
			[]string{`branch label "x"`, "revision a (a.sql)", "revision b (b.sql)"}, &GraphError{Kind: GraphLabel}},
		{"label equals id", []Revision{rv("a"), {ID: "b", Down: []string{"a"}, BranchLabels: []string{"a"}, Path: "b.sql"}},
			[]string{`branch label "a" of revision b`, "also the id of revision a"}, &GraphError{Kind: GraphLabel}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.revs)
			if err == nil {
				t.Fatal("New: no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			// The message is the library's: it says what to fix in the
			// files, and names no command of the CLI nor a flag.
			if msg := err.Error(); strings.Contains(msg, "retort ") || strings.Contains(msg, "--") {
				t.Errorf("error %q names a CLI command or flag", msg)
			}
			switch want := tt.kind.(type) {
			case *GraphError:
				var ge *GraphError
				if !errors.As(err, &ge) {
					t.Errorf("error is %T, want *GraphError", err)
				} else if ge.Kind != want.Kind {
					t.Errorf("Kind = %q, want %q", ge.Kind, want.Kind)
				}
			case *CycleError:
				var ce *CycleError
				if !errors.As(err, &ce) {
					t.Errorf("error is %T, want *CycleError", err)
				}
			}
		})
	}
}

func TestGraph_Resolve(t *testing.T) {
	g, err := New([]Revision{
		rv("ae1027a6acf0"), rv("27c6a30d7c24", "ae1027a6acf0"),
		{ID: "c1", Down: []string{"27c6a30d7c24"}, BranchLabels: []string{"c1branch"}},
		{ID: "c2", Down: []string{"27c6a30d7c24"}, BranchLabels: []string{"c2branch"}},
		rv("abcd0001", "c1"), rv("abcd0002", "c2"),
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		target  string
		want    []string
		wantErr string
	}{
		{"ae10", []string{"ae1027a6acf0"}, ""},
		{"heads", []string{"abcd0001", "abcd0002"}, ""},
		{"c1branch@head", []string{"abcd0001"}, ""},
		{"c2branch", []string{"c2"}, ""},
		{"base", nil, ""},
		{"abcd", nil, "ambiguous"},
		{"head", nil, "several heads"},
		{"zzzz", nil, "no revision"},
		{"ae1", []string{"ae1027a6acf0"}, ""}, // a short prefix of a long id matches
		{"zz", nil, "at least four characters"},
		{"c1branch@abcd0002", nil, "not a member of branch"},
		{"nosuch@head", nil, `no revision or branch label "nosuch"`},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			got, err := g.Resolve(tt.target)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Resolve(%q) error = %v, want %q", tt.target, err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("Resolve(%q) = %v, %v; want %v", tt.target, got, err, tt.want)
			}
		})
	}
}

func TestGraph_UpgradeOps(t *testing.T) {
	// a -> b -> (c1, c2) -> m (merge)
	g, err := New([]Revision{rv("a"), rv("b", "a"), rv("c1", "b"), rv("c2", "b"), rv("m", "c1", "c2")})
	if err != nil {
		t.Fatal(err)
	}
	p, err := g.Upgrade(nil, "m")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range p.Steps {
		got = append(got, s.Revision)
	}
	if !slices.Equal(got, []string{"a", "b", "c2", "c1", "m"}) && !slices.Equal(got, []string{"a", "b", "c1", "c2", "m"}) {
		t.Errorf("order %v", got)
	}
	if !slices.Equal(p.Heads, []string{"m"}) {
		t.Errorf("heads after upgrade %v, want [m]", p.Heads)
	}
	last := p.Steps[len(p.Steps)-1]
	if last.Arrow() != "c1, c2 -> m" {
		t.Errorf("merge arrow %q", last.Arrow())
	}
	d, err := g.Downgrade([]string{"m"}, "c1")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(d.Heads)
	if !slices.Equal(d.Heads, []string{"c1", "c2"}) || len(d.Steps) != 1 {
		t.Errorf("downgrade m -> c1: heads %v steps %d, want [c1 c2] and 1 step (an unmerge)", d.Heads, len(d.Steps))
	}
}

// genGraph builds a graph of n revisions with branches and merges:
// mostly a line, a branch every 20 revisions, merged 10 later.
func genGraph(n int, seed uint64) []Revision {
	r := rand.New(rand.NewPCG(seed, seed))
	revs := make([]Revision, 0, n)
	var open []string // tips of side branches
	tip := ""
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("%012x", uint64(i)*0x9e3779b1+1)
		rev := Revision{ID: id}
		switch {
		case tip == "":
		case i%20 == 10 && len(revs) > 2:
			// start a side branch from a recent revision
			rev.Down = []string{revs[len(revs)-1-r.IntN(2)].ID}
			open = append(open, id)
			revs = append(revs, rev)
			continue
		case i%20 == 0 && len(open) > 0:
			rev.Down = []string{tip, open[0]}
			open = open[1:]
		default:
			rev.Down = []string{tip}
		}
		revs = append(revs, rev)
		tip = id
	}
	return revs
}

func BenchmarkNew5000(b *testing.B) {
	revs := genGraph(5000, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(revs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUpgradePlan5000(b *testing.B) {
	g, err := New(genGraph(5000, 1))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.Upgrade(nil, "heads"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWalk5000(b *testing.B) {
	g, err := New(genGraph(5000, 1))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.Walk("base", nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolvePrefix(b *testing.B) {
	revs := genGraph(5000, 1)
	g, err := New(revs)
	if err != nil {
		b.Fatal(err)
	}
	target := revs[2500].ID[:8]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.ResolveOne(target); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHeadsChain100k(b *testing.B) {
	revs := make([]Revision, 100000)
	for i := range revs {
		revs[i] = Revision{ID: fmt.Sprintf("r%011d", i)}
		if i > 0 {
			revs[i].Down = []string{revs[i-1].ID}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		g, err := New(revs)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := g.Walk("base", nil); err != nil {
			b.Fatal(err)
		}
	}
}
