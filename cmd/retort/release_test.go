package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestReleaseScript_DryRun: the release builds all six platforms, each
// static (CGO_ENABLED=0), trimmed and stamped.
func TestReleaseScript_DryRun(t *testing.T) {
	cmd := exec.Command("sh", filepath.Join("..", "..", "scripts", "release.sh"), "--dry-run", "v9.8.7")
	cmd.Env = append(os.Environ(), "COMMIT=0123abc")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("release.sh --dry-run: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var targets []string
	for _, l := range lines {
		for _, want := range []string{"CGO_ENABLED=0 ", " go build -trimpath ", "-X github.com/retortdb/retort.Version=v9.8.7", "-X github.com/retortdb/retort/cli.commit=0123abc", " ./cmd/retort"} {
			if !strings.Contains(l, want) {
				t.Errorf("build command %q lacks %q", l, want)
			}
		}
		f := strings.Fields(l)
		if len(f) > 2 {
			targets = append(targets, strings.TrimPrefix(f[1], "GOOS=")+"/"+strings.TrimPrefix(f[2], "GOARCH="))
		}
	}
	want := []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"}
	if strings.Join(targets, " ") != strings.Join(want, " ") {
		t.Errorf("targets %v, want %v", targets, want)
	}
}

// commit reach the output.
func TestReleaseScript_Stamp(t *testing.T) {
	const commit = "89abcdef0123456789abcdef0123456789abcdef"
	cmd := exec.Command("sh", filepath.Join("..", "..", "scripts", "release.sh"), "--ldflags", "v9.8.7")
	cmd.Env = append(os.Environ(), "COMMIT="+commit)
	ldflags, err := cmd.Output()
	if err != nil {
		t.Fatalf("release.sh --ldflags: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "retort")
	if out, err := exec.Command("go", "build", "-ldflags", strings.TrimSpace(string(ldflags)), "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatalf("retort --version: %v", err)
	}
	want := "retort v9.8.7 (commit " + commit + ", " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
	if string(out) != want {
		t.Errorf("retort --version printed %q, want %q", out, want)
	}
}

// TestReleaseScript_BadVersion: a version that is not a module version
// stops the script before it builds anything, with exit status 2.
func TestReleaseScript_BadVersion(t *testing.T) {
	for _, v := range []string{"", "1.2.3", "latest"} {
		dist := t.TempDir()
		cmd := exec.Command("sh", filepath.Join("..", "..", "scripts", "release.sh"), v)
		cmd.Env = append(os.Environ(), "DIST="+dist)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 {
			t.Errorf("release.sh %q: %v, want exit status 2", v, err)
		}
		if !strings.Contains(stderr.String(), "VERSION must be the module version being released, like v0.2.0") {
			t.Errorf("release.sh %q said %q", v, stderr.String())
		}
		if entries, _ := os.ReadDir(dist); len(entries) != 0 {
			t.Errorf("release.sh %q wrote %d files", v, len(entries))
		}
	}
}
