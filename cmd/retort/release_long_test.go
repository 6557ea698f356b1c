//go:build long

package main

import (
	"bytes"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestReleaseScript runs scripts/release.sh for one cross target and
// reads the build information of the binary it made: a static build for
// that platform with the version and commit stamped in. It runs under
// `go test -tags long` only: -trimpath and a cross target compile the
// whole tree (SQLite's pure-Go port included) from cold, 3 to 10 minutes
// on two cores; CI runs TestReleaseScript_DryRun and
// TestReleaseScript_Stamp instead.
func TestReleaseScript(t *testing.T) {
	dist := t.TempDir()
	const commit = "0123456789abcdef0123456789abcdef01234567"
	cmd := exec.Command("sh", filepath.Join("..", "..", "scripts", "release.sh"), "v9.8.7")
	goos, goarch := "windows", "arm64"
	cmd.Env = append(os.Environ(), "DIST="+dist, "TARGETS="+goos+"/"+goarch, "COMMIT="+commit)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("release.sh: %v\n%s", err, out)
	}
	exe := "retort"
	if goos == "windows" {
		exe = "retort.exe"
	}
	rel := "retort_v9.8.7_" + goos + "_" + goarch + "/" + exe
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
	for k, want := range map[string]string{"GOOS": goos, "GOARCH": goarch, "CGO_ENABLED": "0", "-trimpath": "true"} {
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
