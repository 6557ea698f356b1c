package script

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/retortdb/retort/diff"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/schema/schemafmt"
)

// autogenBodies returns the upgrade and downgrade of a small schema
// change as schemafmt.GoOps writes them, with their imports: what
// `retort revision --autogenerate --format go` hands RenderGoRevision.
func autogenBodies(t *testing.T) (up, down string, imports []string) {
	t.Helper()
	from := &schema.Schema{Tables: []*schema.Table{
		schema.NewTable("account",
			schema.Col("id", schema.BigInteger()).Identity(),
			schema.Col("name", schema.String(100)).Nullable(),
		).PrimaryKey("id"),
	}}
	to := &schema.Schema{Tables: []*schema.Table{
		schema.NewTable("account",
			schema.Col("id", schema.BigInteger()).Identity(),
			schema.Col("name", schema.String(200)),
			schema.Col("joined", schema.DateTime(true)).Default(schema.Value(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))),
		).PrimaryKey("id").Index(schema.IndexOn("name").Named("ix_account_name")),
	}}
	r, err := diff.Compare(from, to, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Data work a revision may carry: raw SQL over several lines.
	upOps := append(r.Upgrade, op.Execute{SQL: "UPDATE account\n   SET name = 'x'\n WHERE name IS NULL"})
	up, upImports, err := schemafmt.GoOps(upOps, schemafmt.GoOpsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	down, downImports, err := schemafmt.GoOps(r.Downgrade, schemafmt.GoOpsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return up, down, slices.Concat(upImports, downImports)
}

func TestRenderGoRevision(t *testing.T) {
	h := Header{Revision: "5b1e0c2d9a7f", DownRevisions: []string{"3f2a9c1b7d4e"}, Message: "Account names\nlonger",
		CreateDate: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)}
	up, down, imports := autogenBodies(t)
	tests := []struct {
		name          string
		up, down      string
		imports       []string
		wantImportDec string
	}{
		{"autogenerate", up, down, imports,
			"import (\n\t\"time\"\n\n\t\"github.com/retortdb/retort/op\"\n\t\"github.com/retortdb/retort/schema\"\n\t\"github.com/retortdb/retort/script\"\n)\n"},
		{"empty", "", "", nil,
			"import (\n\t\"github.com/retortdb/retort/op\"\n\t\"github.com/retortdb/retort/script\"\n)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RenderGoRevision("versions", h, tt.up, tt.down, tt.imports)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "rendergorevision_"+tt.name+".go.golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("RenderGoRevision:\n%s\nwant (%s):\n%s", got, golden, want)
			}
			if !strings.Contains(string(got), tt.wantImportDec) {
				t.Errorf("no import declaration\n%s\nin\n%s", tt.wantImportDec, got)
			}
			s, body, err := ParseGo(got, "r.go")
			if err != nil {
				t.Fatalf("rendered file does not parse: %v\n%s", err, got)
			}
			wantHeader := header{Revision: "5b1e0c2d9a7f", Down: []string{"3f2a9c1b7d4e"}, Message: "Account names", CreateDate: "2024-03-01 09:00:00 UTC"}
			if h := headerOf(s); !h.equal(wantHeader) {
				t.Errorf("parsed back %+v, want %+v", h, wantHeader)
			}
			if !body.Upgrade.Present || !body.Downgrade.Present {
				t.Errorf("sections %+v", body)
			}
		})
	}
	t.Run("raw SQL kept as written", func(t *testing.T) {
		got, err := RenderGoRevision("versions", h, up, down, imports)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(got), "o.Execute(`UPDATE account\n   SET name = 'x'\n WHERE name IS NULL`)") {
			t.Errorf("the raw string's lines were changed:\n%s", got)
		}
	})
}

// TestRenderGo_IsRenderGoRevision checks that RenderGo is
// RenderGoRevision with the example comments as bodies and no imports;
// TestRenderGo's goldens check that its output is as it was.
func TestRenderGo_IsRenderGoRevision(t *testing.T) {
	h := Header{Revision: "r", DownRevisions: []string{"a", "b"}, Message: "m"}
	got, err := RenderGo("versions", h)
	if err != nil {
		t.Fatal(err)
	}
	want, err := RenderGoRevision("versions", h,
		`// o.Execute("ALTER TABLE account ADD COLUMN email VARCHAR(255) NULL")`,
		`// o.DropColumn("account", "email")`, []string{"github.com/retortdb/retort/op"})
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("RenderGo:\n%s\nRenderGoRevision:\n%s", got, want)
	}
}

func TestRenderGoRevision_Errors(t *testing.T) {
	h := Header{Revision: "r"}
	for _, tt := range []struct {
		name, pkg, up, down string
		imports             []string
		want                string
	}{
		{"package", "my-versions", "", "", nil, "not a Go identifier"},
		{"empty import", "versions", "", "", []string{""}, `import path "" is not one`},
		{"quote in import", "versions", "", "", []string{`a"b`}, "is not one"},
		{"syntax", "versions", "o.DropTable(\"a\"", "", nil, "is not Go statements"},
		{"closes its function", "versions", "", "return nil\n}})}\nfunc evil() {\nRegistry.Add(script.GoRevision{Downgrade: func(o *op.Ops) error {\n", nil,
			"not a list of statements of one function"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := RenderGoRevision(tt.pkg, h, tt.up, tt.down, tt.imports)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
