package retort

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

// TestXArgs: a Go revision reads the -x values given with WithXArgs, and
// reads none when none were given.
func TestXArgs(t *testing.T) {
	fsys := fstest.MapFS{"001_r1.go": goFile("r1", "", "tenant", true)}
	reg := &script.Registry{}
	reg.Add(script.GoRevision{Revision: "r1", Message: "tenant",
		Upgrade: func(o *op.Ops) error {
			tenant, ok := o.XArg("tenant")
			if !ok {
				tenant = "none"
			}
			o.Execute("INSERT INTO note (tenant, n) VALUES (?, ?)", tenant, len(o.XArgs()))
			return nil
		},
		Downgrade: func(o *op.Ops) error { return nil },
	})
	for _, tt := range []struct {
		name string
		x    map[string]string
		want string
	}{
		{"given", map[string]string{"tenant": "acme", "dry": ""}, "VALUES ('acme', 2)"},
		{"none", nil, "VALUES ('none', 0)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := openProvider(t, nil, "sqlite", fsys, WithRevisions(reg), WithXArgs(tt.x))
			var out bytes.Buffer
			if err := p.Project().WriteUpgradeSQL(testContext(t), &out, "head"); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Fatalf("script does not contain %s:\n%s", tt.want, out.String())
			}
		})
	}
}
