package cli

import (
	"strings"
	"testing"
)

func TestGoNextSteps(t *testing.T) {
	tests := []struct {
		name      string
		g         goModEdit
		published string
		source    string
		want      []string
		not       []string
	}{
		{"replace added", goModEdit{modPath: "example.com/app", replace: "replace x => y"}, "", "/src/retort",
			[]string{"Run `go mod tidy`"}, []string{"development build", "go get"}},
		{"go.mod has retort", goModEdit{modPath: "example.com/app", hasRetort: true}, "", "/src/retort",
			[]string{"Run `go mod tidy`"}, []string{"development build", "go get"}},
		{"published", goModEdit{modPath: "example.com/app"}, "v1.2.3", "",
			[]string{"Run `go get github.com/retortdb/retort@v1.2.3` (the version of this retort), then `go mod tidy`"}, []string{"development build", "replace"}},
		{"development build", goModEdit{path: "/app/go.mod", modPath: "example.com/app"}, "", "/src/my retort",
			[]string{"This retort is a development build", "Add this line to /app/go.mod:\n\n    replace github.com/retortdb/retort => \"/src/my retort\"\n\n",
				"(or run init with --retort-source /src/my retort, which adds it). Then run `go mod tidy`"}, []string{"go get"}},
		{"development build, source unknown", goModEdit{path: "/app/go.mod", modPath: "example.com/app"}, "", "",
			[]string{"    replace github.com/retortdb/retort => DIR\n\nwhere DIR is the folder of your retort checkout"}, nil},
		{"retort's own module", goModEdit{modPath: retortModule}, "", "",
			[]string{"Run `go mod tidy`"}, []string{"development build"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := goNextSteps(&tt.g, tt.published, tt.source)
			for _, w := range append(tt.want, "Set url in retort.toml, then run `retort revision -m \"first revision\"`.\n") {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("has %q:\n%s", n, got)
				}
			}
		})
	}
}

func TestReplacesRetort(t *testing.T) {
	tests := []struct {
		gomod              string
		replaces, mentions bool
	}{
		{"module a\n", false, false},
		{"module a\nrequire github.com/retortdb/retort v1.0.0\n", false, true},
		{"module a\nreplace github.com/retortdb/retort => ../retort\n", true, true},
		{"module a\nreplace (\n\tgithub.com/retortdb/retort v1.0.0 => ../retort // local\n)\n", true, true},
		{"module a\n// replace github.com/retortdb/retort => ../retort\n", false, false},
		{"module a\nreplace github.com/retortdb/retortx => ../x\n", false, false},
	}
	for _, tt := range tests {
		if got := replacesRetort([]byte(tt.gomod)); got != tt.replaces {
			t.Errorf("replacesRetort(%q) = %v", tt.gomod, got)
		}
		if got := mentionsRetort([]byte(tt.gomod)); got != tt.mentions {
			t.Errorf("mentionsRetort(%q) = %v", tt.gomod, got)
		}
	}
}
