package main

import (
	"bytes"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestReleaseScript runs scripts/release.sh for one cross target (one, to
// keep the test's time low: every target is the same command) and reads
// the build information of the binary it made: a static build for that
// platform with the version and commit stamped in.
func TestReleaseScript(t *testing.T) {
	dist := t.TempDir()
	const commit = "0123456789abcdef0123456789abcdef01234567"
	cmd := exec.Command("sh", filepath.Join("..", "..", "scripts", "release.sh"), "v9.8.7")
	cmd.Env = append(os.Environ(), "DIST="+dist, "TARGETS=windows/arm64", "COMMIT="+commit)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("release.sh: %v\n%s", err, out)
	}
	rel := "retort_v9.8.7_windows_arm64/retort.exe"
	bin := filepath.Join(dist, filepath.FromSlash(rel))
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatalf("read the build information of %s: %v", bin, err)
	}
	if bi.Path != "github.com/retortdb/retort/cmd/retort" {
		t.Errorf("main package %q, want github.com/retortdb/retort/cmd/retort", bi.Path)
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	for k, want := range map[string]string{"GOOS": "windows", "GOARCH": "arm64", "CGO_ENABLED": "0", "-trimpath": "true"} {
		if settings[k] != want {
			t.Errorf("build setting %s = %q, want %q", k, settings[k], want)
		}
	}
	content, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	// With -trimpath the build information leaves -ldflags out, so the
	// stamped values are in the binary only if -X found its variables.
	for _, want := range []string{"v9.8.7", commit} {
		if !bytes.Contains(content, []byte(want)) {
			t.Errorf("%s does not hold the stamped %q", rel, want)
		}
	}
	sum := sha256.Sum256(content)
	sums, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	if want := hex.EncodeToString(sum[:]) + "  " + rel + "\n"; string(sums) != want {
		t.Errorf("SHA256SUMS is %q, want %q", sums, want)
	}
}

// TestReleaseScript_Stamp links retort for this platform with the
// -ldflags that scripts/release.sh uses (only the link differs from the
// test's own build, so it is quick) and runs --version: the names given
// to -X exist (the linker ignores a misspelt one), and the version and
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
