package script

import (
	"errors"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/retortdb/retort/op"
)

// goRev is a Go revision file with the given header literals.
func goRev(id, down string) string {
	return `package versions

import (
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/script"
)

func init() {
	Registry.Add(script.GoRevision{
		Revision:     "` + id + `",
		DownRevision: "` + down + `",
		Message:      "go ` + id + `",
		Upgrade:      func(o *op.Ops) error { return nil },
		Downgrade:    func(o *op.Ops) error { return nil },
	})
}
`
}

const registryGo = "package versions\n\nimport \"github.com/retortdb/retort/script\"\n\n// Registry holds the revisions.\nvar Registry script.Registry\n"

func TestParseGo(t *testing.T) {
	tests := []struct {
		name       string
		src        string
		want       header
		lines      map[string]int
		up, down   bool
		upLine     int
		downLine   int
		wantFormat string
	}{
		{
			name:  "generated shape",
			src:   goRev("3f2a", "1a2b"),
			want:  header{Revision: "3f2a", Down: []string{"1a2b"}, Message: "go 3f2a"},
			lines: map[string]int{"revision": 10, "down_revision": 11, "message": 12},
			up:    true, down: true, upLine: 13, downLine: 14,
		},
		{
			name: "import alias, merge, labels, raw strings, no downgrade",
			src: "package v\n\nimport (\n\trs \"github.com/retortdb/retort/script\"\n)\n\nvar _ = rs.GoRevision{\n" +
				"\tRevision: `m`,\n\tDownRevision: \" a , b,, \",\n\tBranchLabels: \"x,y\",\n\tDependsOn: \"d\",\n" +
				"\tMessage: \"  merge  \",\n\tCreateDate: \"2026-12-06 10:00:00 UTC\",\n\tUpgrade: up,\n\tDowngrade: nil,\n}\n",
			want: header{Revision: "m", Down: []string{"a", "b"}, Labels: []string{"x", "y"}, Depends: []string{"d"},
				Message: "merge", CreateDate: "2026-12-06 10:00:00 UTC"},
			lines: map[string]int{"revision": 8, "down_revision": 9, "branch_labels": 10, "depends_on": 11, "message": 12, "create_date": 13},
			up:    true, upLine: 14, downLine: 15,
		},
		{
			name:  "dot import, pointer literal, base without DownRevision",
			src:   "package v\n\nimport . \"github.com/retortdb/retort/script\"\n\nvar r = &GoRevision{Revision: \"b\", Upgrade: f}\n",
			want:  header{Revision: "b"},
			lines: map[string]int{"revision": 5},
			up:    true, upLine: 5,
		},
		{
			name:  "BOM and CRLF",
			src:   "\ufeff" + strings.ReplaceAll(goRev("c", ""), "\n", "\r\n"),
			want:  header{Revision: "c", Message: "go c"},
			lines: map[string]int{"revision": 10, "down_revision": 11, "message": 12},
			up:    true, down: true, upLine: 13, downLine: 14,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, body, err := ParseGo([]byte(tt.src), "v/r.go")
			if err != nil {
				t.Fatal(err)
			}
			if got := headerOf(s); !got.equal(tt.want) {
				t.Errorf("header %+v, want %+v", got, tt.want)
			}
			if !mapsEqual(s.HeaderLines(), tt.lines) {
				t.Errorf("HeaderLine %v, want %v", s.HeaderLines(), tt.lines)
			}
			if s.Format != "go" || s.Go != nil || s.Path != "v/r.go" {
				t.Errorf("Format %q Go %v Path %q", s.Format, s.Go, s.Path)
			}
			want := Body{Checksum: Checksum([]byte(tt.src)),
				Upgrade:   Section{Present: tt.up, Line: tt.upLine},
				Downgrade: Section{Present: tt.down, Line: tt.downLine}}
			if !reflect.DeepEqual(*body, want) {
				t.Errorf("body %+v, want %+v", *body, want)
			}
			again, err := s.Body()
			if err != nil || !reflect.DeepEqual(*again, want) {
				t.Errorf("Body() = %+v, %v", again, err)
			}
			// Parse dispatches on the extension.
			if s2, _, err := Parse([]byte(tt.src), "x.go"); err != nil || !headerOf(s2).equal(tt.want) {
				t.Errorf("Parse: %v", err)
			}
		})
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestParseGoErrors(t *testing.T) {
	head := "package v\n\nimport \"github.com/retortdb/retort/script\"\n\n" // 4 lines
	tests := []struct {
		name string
		src  string
		want string // the whole error text
	}{
		{"no literal", registryGo, `v/r.go:1: no script.GoRevision{...} literal: a Go revision file registers one (Registry.Add(script.GoRevision{Revision: ...}))`},
		{"not Go", "package v\nfunc {\n", `v/r.go:2: not valid Go: expected 'IDENT', found '{'`},
		{"non-literal field", head + "const id = \"a\"\nvar _ = script.GoRevision{\n\tRevision: id,\n}\n",
			`v/r.go:7: field Revision must be a string literal, so that retort can read it without compiling (write Revision: "...")`},
		{"concatenation", head + "var _ = script.GoRevision{Revision: \"a\", DownRevision: \"b\" + \"c\", Upgrade: f}\n",
			`v/r.go:5: field DownRevision must be a string literal, so that retort can read it without compiling (write DownRevision: "...")`},
		{"number", head + "var _ = script.GoRevision{\n\tRevision: \"a\",\n\tMessage: 1,\n}\n",
			`v/r.go:7: field Message must be a string literal, so that retort can read it without compiling (write Message: "...")`},
		{"two literals", head + "var _ = script.GoRevision{Revision: \"a\", Upgrade: f}\n\nvar _ = script.GoRevision{Revision: \"b\", Upgrade: f}\n",
			`v/r.go:7: second script.GoRevision literal (the first is on line 5); a file holds one revision: move this one to a file of its own`},
		{"slice", head + "var _ = []script.GoRevision{{Revision: \"a\"}}\n",
			`v/r.go:5: a list of script.GoRevision values; write one script.GoRevision{...} literal per file, so that retort can read its header without compiling`},
		{"map", head + "var _ = map[string]script.GoRevision{}\n",
			`v/r.go:5: a map of script.GoRevision values; write one script.GoRevision{...} literal per file, so that retort can read its header without compiling`},
		{"no revision", head + "var _ = script.GoRevision{\n\tMessage: \"m\",\n}\n",
			`v/r.go:5: script.GoRevision has no Revision field`},
		{"empty revision", head + "var _ = script.GoRevision{\n\tRevision: \"  \",\n\tUpgrade: f,\n}\n",
			`v/r.go:6: empty revision id`},
		{"no upgrade", head + "var _ = script.GoRevision{\n\tRevision: \"a\",\n}\n",
			`v/r.go:5: script.GoRevision has no Upgrade function: every revision needs one (Upgrade: func(o *op.Ops) error { ... })`},
		{"nil upgrade", head + "var _ = script.GoRevision{\n\tRevision: \"a\",\n\tUpgrade: nil,\n}\n",
			`v/r.go:7: script.GoRevision has no Upgrade function: every revision needs one (Upgrade: func(o *op.Ops) error { ... })`},
		{"unkeyed", head + "var _ = script.GoRevision{\"a\", \"b\", \"\", \"\", \"\", \"\", nil, nil}\n",
			`v/r.go:5: script.GoRevision with an unkeyed field; write the fields by name (Revision: "...", DownRevision: "...")`},
		{"typo", head + "var _ = script.GoRevision{\n\tRevision: \"a\",\n\tDownRevisions: \"b\",\n}\n",
			`v/r.go:7: unknown script.GoRevision field DownRevisions (did you mean DownRevision?)`},
		{"unknown", head + "var _ = script.GoRevision{\n\tRevision: \"a\",\n\tTransactional: true,\n}\n",
			`v/r.go:7: unknown script.GoRevision field Transactional; the fields are Revision, DownRevision, BranchLabels, DependsOn, Message, CreateDate, Upgrade and Downgrade`},
		{"twice", head + "var _ = script.GoRevision{\n\tRevision: \"a\",\n\tRevision: \"b\",\n}\n",
			`v/r.go:7: field Revision given twice (first on line 6)`},
		{"bad escape", head + "var _ = script.GoRevision{\n\tRevision: \"a\\q\",\n}\n",
			`v/r.go:6: not valid Go: unknown escape sequence`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseGo([]byte(tt.src), "v/r.go")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T), want a *ParseError", err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n%s\nwant\n%s", err, tt.want)
			}
		})
	}
}

func TestLoadGo(t *testing.T) {
	fsys := fstest.MapFS{
		"v/20240101_a.sql":    {Data: []byte(rev("a", ""))},
		"v/20240102_b.go":     {Data: []byte(goRev("b", "a"))},
		"v/20240103_c.sql":    {Data: []byte(rev("c", "b"))},
		"v/registry.go":       {Data: []byte(registryGo)},
		"v/helpers.go":        {Data: []byte("package versions\n\nfunc helper() {}\n")},
		"v/b_test.go":         {Data: []byte(goRev("t", "a"))},
		"v/_draft.go":         {Data: []byte(goRev("d", "a"))},
		"v/.hidden.go":        {Data: []byte("garbage")},
		"v/other_pkg_name.go": {Data: []byte("package other\n\nimport script \"example.com/not/retort/script\"\n\nvar _ = script.GoRevision{Revision: 1}\n")},
	}
	for _, load := range []struct {
		name string
		f    func() ([]*Script, error)
	}{
		{"Load", func() ([]*Script, error) { return Load(fsys, "v", "migrations/versions") }},
		{"LoadDir", func() ([]*Script, error) {
			dir := t.TempDir()
			for name, f := range fsys {
				if err := os.WriteFile(filepath.Join(dir, strings.TrimPrefix(name, "v/")), f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			return LoadDir(dir, "migrations/versions")
		}},
	} {
		t.Run(load.name, func(t *testing.T) {
			ss, err := load.f()
			if err != nil {
				t.Fatal(err)
			}
			if got, want := ids(ss), []string{"a", "b", "c"}; !slices.Equal(got, want) {
				t.Fatalf("ids %v, want %v", got, want)
			}
			if ss[1].Format != "go" || ss[1].Path != filepath.FromSlash("migrations/versions/20240102_b.go") && ss[1].Path != "migrations/versions/20240102_b.go" {
				t.Errorf("Go script %+v", ss[1])
			}
			for _, s := range ss {
				b, err := s.Body()
				if err != nil || !b.Upgrade.Present {
					t.Errorf("%s: Body = %+v, %v", s.Path, b, err)
				}
			}
		})
	}
	t.Run("broken Go file", func(t *testing.T) {
		_, err := Load(fstest.MapFS{"v/a.go": {Data: []byte("package v\n\nfunc (\n")}}, "v", "m")
		if err == nil || !strings.HasPrefix(err.Error(), "m/a.go:3: not valid Go") {
			t.Errorf("Load = %v", err)
		}
	})
	t.Run("header changed after load", func(t *testing.T) {
		m := fstest.MapFS{"v/a.go": {Data: []byte(goRev("a", ""))}}
		ss, err := Load(m, "v", "m")
		if err != nil {
			t.Fatal(err)
		}
		m["v/a.go"] = &fstest.MapFile{Data: []byte(goRev("a", "z"))}
		if _, err := ss[0].Body(); err == nil || !strings.Contains(err.Error(), "m/a.go:10: the header changed") {
			t.Errorf("Body = %v", err)
		}
		m["v/a.go"] = &fstest.MapFile{Data: []byte(registryGo)}
		if _, err := ss[0].Body(); err == nil || !strings.Contains(err.Error(), "m/a.go:1: the script.GoRevision literal is gone") || !errors.Is(err, ErrChangedSinceLoad) {
			t.Errorf("Body = %v", err)
		}
	})
}

func TestBind(t *testing.T) {
	fsys := fstest.MapFS{
		"v/1_a.sql":     {Data: []byte(rev("a", ""))},
		"v/2_b.go":      {Data: []byte(goRev("b", "a"))},
		"v/3_c.go":      {Data: []byte(goRev("c", "b"))},
		"v/registry.go": {Data: []byte(registryGo)},
	}
	up := func(*op.Ops) error { return nil }
	good := func(id, down string) GoRevision {
		return GoRevision{Revision: id, DownRevision: down, Message: "go " + id, Upgrade: up, Downgrade: up}
	}
	tests := []struct {
		name string
		revs []GoRevision
		nilR bool
		want string // "" for success
	}{
		{"match", []GoRevision{good("b", "a"), good("c", "b")}, false, ""},
		{"match with spaces", []GoRevision{{Revision: " b ", DownRevision: " a, ", Message: " go b ", Upgrade: up, Downgrade: up}, good("c", "b")}, false, ""},
		{"nil registry", nil, true,
			"m/2_b.go:10: a Go revision, and there is no compiled Registry to run it from: run the project's migrations program (go run ./migrations), which passes cli.WithRevisions(&versions.Registry)"},
		{"not registered", []GoRevision{good("b", "a")}, false,
			"m/3_c.go:10: Go revision c is not in the compiled program: " + rebuild + " (and check that the file calls Registry.Add)"},
		{"registered, no file", []GoRevision{good("b", "a"), good("c", "b"), good("d", "c")}, false,
			"Go revision d is compiled into the migrations program, but no file in the script location declares it: restore its file, or " + rebuild},
		{"registered twice", []GoRevision{good("b", "a"), good("b", "a")}, false,
			"Go revision b is registered twice; two files declare it, or one file calls Registry.Add twice: give each revision its own id"},
		{"SQL id", []GoRevision{good("a", ""), good("b", "a"), good("c", "b")}, false,
			"m/1_a.sql:1: revision a is a SQL file, and the migrations program registers a Go revision with the same id; " + rebuild},
		{"down revision differs", []GoRevision{good("b", "x"), good("c", "b")}, false,
			`m/2_b.go:11: DownRevision is "a" in the file but "x" in the compiled program: ` + rebuild},
		{"message differs", []GoRevision{good("b", "a"), {Revision: "c", DownRevision: "b", Message: "old", Upgrade: up, Downgrade: up}}, false,
			`m/3_c.go:12: Message is "go c" in the file but "old" in the compiled program: ` + rebuild},
		{"labels differ", []GoRevision{{Revision: "b", DownRevision: "a", BranchLabels: "x", Message: "go b", Upgrade: up, Downgrade: up}}, false,
			`m/2_b.go:10: BranchLabels is "" in the file but "x" in the compiled program: ` + rebuild},
		{"downgrade differs", []GoRevision{good("b", "a"), {Revision: "c", DownRevision: "b", Message: "go c", Upgrade: up}}, false,
			"m/3_c.go:14: Downgrade is set in the file but not set in the compiled program: " + rebuild},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss, err := Load(fsys, "v", "m")
			if err != nil {
				t.Fatal(err)
			}
			var reg *Registry
			if !tt.nilR {
				reg = &Registry{}
				for _, g := range tt.revs {
					reg.Add(g)
				}
			}
			err = Bind(ss, reg)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if ss[0].Go != nil || ss[1].Go == nil || ss[1].Go.Upgrade == nil || ss[2].Go == nil || strings.TrimSpace(ss[2].Go.Revision) != "c" {
					t.Errorf("bound %v %v %v", ss[0].Go, ss[1].Go, ss[2].Go)
				}
				return
			}
			var be *BindError
			if !errors.As(err, &be) {
				t.Fatalf("error %v (%T), want a *BindError", err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n%s\nwant\n%s", err, tt.want)
			}
		})
	}
	t.Run("SQL only, nil registry", func(t *testing.T) {
		ss, _ := Load(fstest.MapFS{"v/1_a.sql": {Data: []byte(rev("a", ""))}}, "v", "m")
		if err := Bind(ss, nil); err != nil {
			t.Error(err)
		}
	})
	t.Run("Revisions", func(t *testing.T) {
		var r Registry
		r.Add(good("x", ""))
		r.Add(good("y", "x"))
		if got := r.Revisions(); len(got) != 2 || got[0].Revision != "x" || got[1].Revision != "y" {
			t.Errorf("Revisions = %+v", got)
		}
	})
}

func TestRenderGo(t *testing.T) {
	date := time.Date(2021, 11, 28, 14, 32, 5, 0, time.UTC)
	tests := []struct {
		name string
		pkg  string
		h    Header
		want header
	}{
		{"sample", "versions", Header{Revision: "3f2a9c1b7d4e", DownRevisions: []string{"1a2b3c4d5e6f"}, Message: "Add new column", CreateDate: date},
			header{Revision: "3f2a9c1b7d4e", Down: []string{"1a2b3c4d5e6f"}, Message: "Add new column", CreateDate: "2021-11-28 14:32:05 UTC"}},
		{"merge with labels", "migrations", Header{Revision: "m1", DownRevisions: []string{"a", "b"}, BranchLabels: []string{"x"}, DependsOn: []string{"d"}, Message: "merge", CreateDate: date},
			header{Revision: "m1", Down: []string{"a", "b"}, Labels: []string{"x"}, Depends: []string{"d"}, Message: "merge", CreateDate: "2021-11-28 14:32:05 UTC"}},
		{"hostile message", "versions", Header{Revision: "r", Message: "say \"hi\" `now` \\ é\nsecond line"},
			header{Revision: "r", Message: "say \"hi\" `now` \\ é"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RenderGo(tt.pkg, tt.h)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "rendergo_"+strings.ReplaceAll(tt.name, " ", "_")+".go.golden")
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
				t.Errorf("RenderGo:\n%s\nwant (%s):\n%s", got, golden, want)
			}
			s, body, err := ParseGo(got, "r.go")
			if err != nil {
				t.Fatalf("rendered file does not parse: %v\n%s", err, got)
			}
			if h := headerOf(s); !h.equal(tt.want) {
				t.Errorf("parsed back %+v, want %+v", h, tt.want)
			}
			if !body.Upgrade.Present || !body.Downgrade.Present {
				t.Errorf("sections %+v", body)
			}
			if f, err := parser.ParseFile(token.NewFileSet(), "r.go", got, parser.PackageClauseOnly); err != nil || f.Name.Name != tt.pkg {
				t.Errorf("package clause: %v", err)
			}
		})
	}
	if _, err := RenderGo("my-versions", Header{Revision: "r"}); err == nil {
		t.Error("RenderGo accepted a package name that is not an identifier")
	}
}

func TestGoFileName(t *testing.T) {
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		tmpl, msg, want string
	}{
		{"%(rev)s_%(slug)s", "add email", "r1_add_email.go"},
		{"%(rev)s_%(slug)s", "support windows", "r1_support_windows_.go"},
		{"%(rev)s_%(slug)s", "add unit test", "r1_add_unit_test_.go"},
		{"%(rev)s_%(slug)s", "port to arm64", "r1_port_to_arm64_.go"},
		{"%(rev)s_%(slug)s", "", "r1_.go"},
		{"%(year)d%(month).2d%(day).2d_%(rev)s", "x", "20240102_r1.go"},
		{"%(rev)s", "", "r1.go"},
	}
	for _, tt := range tests {
		got, err := GoFileName(tt.tmpl, "r1", tt.msg, at, 40)
		if err != nil || got != tt.want {
			t.Errorf("GoFileName(%q, %q) = %q, %v; want %q", tt.tmpl, tt.msg, got, err, tt.want)
		}
	}
	for _, tmpl := range []string{"_%(rev)s", ".%(rev)s", "a/%(rev)s", "%(bogus)s"} {
		if got, err := GoFileName(tmpl, "r1", "m", at, 40); err == nil {
			t.Errorf("GoFileName(%q) = %q, want an error", tmpl, got)
		}
	}
}
