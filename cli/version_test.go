package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/retortdb/retort"
)

// TestMain_Version: --version prints retort.Version, the commit and the
// Go version on one line (JSON with --json), and exits 0.
func TestMain_Version(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Main(context.Background(), []string{"--version"}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit status %d, stderr %q", code, stderr.String())
	}
	line := `^retort ` + regexp.QuoteMeta(retort.Version) + ` \(commit [0-9a-z+]+, ` + regexp.QuoteMeta(runtime.Version()) +
		` ` + runtime.GOOS + `/` + runtime.GOARCH + `\)\n$`
	if !regexp.MustCompile(line).MatchString(stdout.String()) {
		t.Errorf("--version printed %q, want a match of %s", stdout.String(), line)
	}

	stdout.Reset()
	if code := Main(context.Background(), []string{"--json", "--version"}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("--json --version: exit status %d, stderr %q", code, stderr.String())
	}
	var got map[string]string
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("--json --version printed %q: %v", stdout.String(), err)
	}
	if got["version"] != retort.Version || got["commit"] == "" || got["go_version"] != runtime.Version() || got["platform"] != runtime.GOOS+"/"+runtime.GOARCH {
		t.Errorf("--json --version printed %v", got)
	}
}

func TestDescribeBuild(t *testing.T) {
	vcs := func(main string, settings ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{GoVersion: "go1.99.1", Main: debug.Module{Path: main, Version: "(devel)"}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi
	}
	tests := []struct {
		name    string
		stamped string
		bi      *debug.BuildInfo
		want    string
	}{
		{"stamped", "abc123", vcs(retortModule, "vcs.revision", "fff"), "retort v1.0.0 (commit abc123, go1.99.1 " + runtime.GOOS + "/" + runtime.GOARCH + ")"},
		{"vcs", "", vcs(retortModule, "vcs.revision", "fff", "vcs.modified", "false"), "retort v1.0.0 (commit fff, go1.99.1 " + runtime.GOOS + "/" + runtime.GOARCH + ")"},
		{"vcs modified", "", vcs(retortModule, "vcs.revision", "fff", "vcs.modified", "true"), "retort v1.0.0 (commit fff+dirty, go1.99.1 " + runtime.GOOS + "/" + runtime.GOARCH + ")"},
		{"migrations program", "", vcs("example.com/app", "vcs.revision", "fff"), "retort v1.0.0 (commit unknown, go1.99.1 " + runtime.GOOS + "/" + runtime.GOARCH + ")"},
		{"no build information", "", nil, "retort v1.0.0 (commit unknown, " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := describeBuild("v1.0.0", tt.stamped, tt.bi).String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPublishedVersion(t *testing.T) {
	main := func(v string) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: retortModule, Version: v}}
	}
	program := func(dep debug.Module) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "example.com/app", Version: "(devel)"}, Deps: []*debug.Module{&dep}}
	}
	tests := []struct {
		name    string
		version string
		bi      *debug.BuildInfo
		want    string
	}{
		{"go install at a version", "0.1.0-dev", main("v1.2.3"), "v1.2.3"},
		{"checkout", "0.1.0-dev", main("(devel)"), ""},
		{"checkout with changes", "0.1.0-dev", main("v1.2.4-0.20261207101010-abcdefabcdef+dirty"), ""},
		{"release build", "v1.2.3", main("(devel)"), "v1.2.3"},
		{"migrations program", "0.1.0-dev", program(debug.Module{Path: retortModule, Version: "v1.2.3"}), "v1.2.3"},
		{"migrations program, replaced", "0.1.0-dev", program(debug.Module{Path: retortModule, Version: "v0.0.0-00010101000000-000000000000",
			Replace: &debug.Module{Path: "/src/retort", Version: "(devel)"}}), ""},
		{"no build information", "0.1.0-dev", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := publishedVersion(tt.version, tt.bi); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
