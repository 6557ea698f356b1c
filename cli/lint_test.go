package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/script"
)

const lintGoFile = `package versions

import (
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

func init() {
	Registry.Add(script.GoRevision{
		Revision:     "g0001",
		DownRevision: "",
		Message:      "index orders",
		Upgrade:      func(o *op.Ops) error { return nil },
	})
}
`

// TestLintGoRevision lints a Go revision from its recorded operations,
// rendered for each dialect, reported at the Go file.
func TestLintGoRevision(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"retort.toml":              "script_location = \"migrations\"\n",
		"migrations/0001_index.go": lintGoFile,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	registry := func(run bool) *script.Registry {
		var reg script.Registry
		reg.Add(script.GoRevision{Revision: "g0001", Message: "index orders", Upgrade: func(o *op.Ops) error {
			o.CreateIndex("orders", schema.Index{Name: "orders_customer_idx", Parts: []schema.IndexPart{{Column: "customer_id"}}})
			if run {
				o.Run("fix totals", func(context.Context, op.DB) error { return nil })
			}
			return nil
		}})
		return &reg
	}
	for _, tc := range []struct {
		dialect string
		run     bool // the revision has an op.Run step
		want    []string
	}{
		{"postgres", true, []string{"RT301", "RT701", "RT702", "RT707", "RT708"}},
		{"mysql", true, []string{"RT701", "RT702", "RT707", "RT708"}},
		{"sqlite", true, []string{"RT707", "RT708"}},
		{"postgres", false, []string{"RT301", "RT701", "RT702", "RT708"}},
		{"sqlite", false, []string{"RT708"}},
	} {
		t.Run(fmt.Sprintf("%s run=%v", tc.dialect, tc.run), func(t *testing.T) {
			reg := registry(tc.run)
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), []string{"-C", dir, "lint", "--json", "--dialect", tc.dialect}, nil, &stdout, &stderr,
				WithRevisions(reg), WithGetenv(func(string) string { return "" }))
			if code != ExitFailure && slices.Contains(tc.want, "RT301") {
				t.Fatalf("exit %d, want 1\n%s%s", code, stdout.String(), stderr.String())
			}
			var doc struct {
				Findings []struct {
					Code, File string
					Line       int
				}
			}
			if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
				t.Fatalf("%v\n%s%s", err, stdout.String(), stderr.String())
			}
			var got []string
			for _, f := range doc.Findings {
				got = append(got, f.Code)
				if f.File != "migrations/0001_index.go" {
					t.Errorf("%s reported at %s, want the Go revision's file", f.Code, f.File)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("findings %v, want %v", got, tc.want)
			}
		})
	}
}
