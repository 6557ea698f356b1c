package revision

import (
	"regexp"
	"strings"
	"testing"
)

// cliAdvice matches a retort command or a command-line flag, which only
// the CLI names, in its hints.
var cliAdvice = regexp.MustCompile("retort [a-z]|(^|[\\s(`])--[a-z]")

// TestErrors_Neutral checks that the graph and target errors say what is
// wrong and where, and name no CLI command or flag.
func TestErrors_Neutral(t *testing.T) {
	g, err := New([]Revision{
		rv("a1"), {ID: "b1", Down: []string{"a1"}, BranchLabels: []string{"left"}},
		{ID: "b2", Down: []string{"a1"}, BranchLabels: []string{"right"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		run  func() error
		want string // the message contains it
	}{
		{"unknown target", func() error { _, err := g.Resolve("zzzz"); return err }, `no revision or branch label "zzzz"`},
		{"several heads", func() error { _, err := g.ResolveOne("head"); return err }, "there are several heads (b1, b2)"},
		{"not in branch", func() error { _, err := g.Resolve("left@b2"); return err }, `revision b2 is not a member of branch "left"`},
		{"relative up in downgrade", func() error { _, err := g.Downgrade([]string{"b1"}, "+1"); return err }, "relative revision +1 goes up"},
		{"relative down in upgrade", func() error { _, err := g.Upgrade([]string{"b1"}, "-1"); return err }, "relative revision -1 goes down"},
		{"ambiguous relative upgrade", func() error { _, err := g.Upgrade([]string{"b1", "b2"}, "+1"); return err }, "relative upgrade +1 is ambiguous"},
		{"downgrade target not reachable", func() error { _, err := g.Downgrade([]string{"a1"}, "b1"); return err }, "b1 is not reachable from a1"},
		{"cycle", func() error { _, err := New([]Revision{rv("x", "y"), rv("y", "x")}); return err }, "down_revision cycle: x -> y -> x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("message %q does not contain %q", err, tt.want)
			}
			if m := cliAdvice.FindString(err.Error()); m != "" {
				t.Errorf("message %q names a CLI command or flag (%q)", err, m)
			}
		})
	}
}
