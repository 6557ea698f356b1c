package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGraphCommandsHeaderCache runs the graph commands on a project big
// enough for the header cache (script.MinCachedFiles), with the cache in
// RETORT_CACHE_DIR and with RETORT_HEADER_CACHE=off: the output is the
// same, the cache file is where docs/header-cache.md says, and "off"
// writes none. (Which files the cache answers for is tested in the
// script package, with a clock past the racy window.)
func TestGraphCommandsHeaderCache(t *testing.T) {
	dir := t.TempDir()
	writeDenseProject(t, dir, 300)
	cacheDir, offDir := t.TempDir(), t.TempDir()
	run := func(cache, off string, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		env := WithGetenv(func(k string) string {
			switch k {
			case "RETORT_CACHE_DIR":
				return cache
			case "RETORT_HEADER_CACHE":
				return off
			}
			return ""
		})
		if code := Main(context.Background(), append([]string{"-C", dir}, args...), strings.NewReader(""), &stdout, &stderr, env); code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
		return stdout.String()
	}
	for _, args := range [][]string{{"heads"}, {"history"}, {"branches"}, {"heads"}} {
		want := run(offDir, "off", args...)
		if got := run(cacheDir, "", args...); got != want {
			t.Errorf("%v with the cache:\n%s\nwithout:\n%s", args, got, want)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(cacheDir, "headers", "*.hdr")); len(files) != 1 {
		t.Errorf("cache files %v, want one under RETORT_CACHE_DIR/headers", files)
	}
	if entries, err := os.ReadDir(offDir); err != nil || len(entries) != 0 {
		t.Errorf("RETORT_HEADER_CACHE=off wrote %v (%v)", entries, err)
	}
	// An absolute path in RETORT_HEADER_CACHE is the cache's folder.
	own := t.TempDir()
	if got, want := run(offDir, own, "heads"), run(offDir, "off", "heads"); got != want {
		t.Errorf("heads with RETORT_HEADER_CACHE=%s: %q, want %q", own, got, want)
	}
	if files, _ := filepath.Glob(filepath.Join(own, "*.hdr")); len(files) != 1 {
		t.Errorf("cache files %v, want one in RETORT_HEADER_CACHE", files)
	}
}
