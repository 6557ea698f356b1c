package revision

import (
	"errors"
	"strings"
	"testing"
)

func TestGraph_Suggest(t *testing.T) {
	g, err := New([]Revision{
		rv("ae1027a6acf0"), rv("27c6a30d7c24", "ae1027a6acf0"),
		{ID: "c1", Down: []string{"27c6a30d7c24"}, BranchLabels: []string{"billing"}},
		{ID: "c2", Down: []string{"27c6a30d7c24"}, BranchLabels: []string{"shipping"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		word, want string
	}{
		{"hed", "head"},
		{"haed", "head"},
		{"heads", ""}, // exact: nothing to suggest
		{"hedas", "heads"},
		{"bse", "base"},
		{"biling", "billing"},
		{"Billing", "billing"},
		{"shiping", "shipping"},
		{"ae1027a6acf1", "ae1027a6acf0"},
		{"ae1927", "ae1027a6acf0"}, // a prefix with one character wrong
		{"zzzz", ""},
		{"x", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			if got := g.Suggest(tt.word); got != tt.want {
				t.Errorf("Suggest(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

func TestGraph_ResolveSuggests(t *testing.T) {
	g, err := New([]Revision{
		rv("ae1027a6acf0"),
		{ID: "c1", Down: []string{"ae1027a6acf0"}, BranchLabels: []string{"billing"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ target, want string }{
		{"hed", "head"},
		{"biling@head", "billing"},
		{"biling", "billing"},
	} {
		t.Run(tt.target, func(t *testing.T) {
			_, err := g.Upgrade(nil, tt.target)
			var re *ResolutionError
			if !errors.As(err, &re) {
				t.Fatalf("Upgrade(%q) error = %v, want a *ResolutionError", tt.target, err)
			}
			if re.Suggestion != tt.want {
				t.Fatalf("Upgrade(%q) suggestion = %q, want %q (error: %v)", tt.target, re.Suggestion, tt.want, err)
			}
			if want := `did you mean "` + tt.want + `"?`; !strings.Contains(err.Error(), want) {
				t.Fatalf("error %q does not say %s", err, want)
			}
		})
	}
}
