package importer

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/script"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/TOOL/golden")

var naming = Naming{Template: config.DefaultFileTemplate, TruncateSlugLength: config.DefaultTruncateSlugLength, GoPackage: "versions"}

// TestGolden reads each tool's testdata/TOOL/src, renders it, and
// compares the revision files and a report of what was skipped and
// warned with testdata/TOOL/golden (go test -update rewrites them).
func TestGolden(t *testing.T) {
	for _, tool := range Tools() {
		t.Run(tool, func(t *testing.T) {
			dir := filepath.Join("testdata", tool)
			res, err := Read(tool, os.DirFS(filepath.Join(dir, "src")), Options{})
			if err != nil {
				t.Fatal(err)
			}
			files, warns, err := Render(res, naming)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{"report.txt": report(res, warns)}
			for _, f := range files {
				got[f.Name] = string(f.Content)
			}
			golden := filepath.Join(dir, "golden")
			if *update {
				if err := os.RemoveAll(golden); err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(golden, 0o755); err != nil {
					t.Fatal(err)
				}
				for n, c := range got {
					if err := os.WriteFile(filepath.Join(golden, n), []byte(c), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			entries, err := os.ReadDir(golden)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, e := range entries {
				want = append(want, e.Name())
				b, err := os.ReadFile(filepath.Join(golden, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				if got[e.Name()] != string(b) {
					t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", e.Name(), got[e.Name()], b)
				}
			}
			var gotNames []string
			for n := range got {
				gotNames = append(gotNames, n)
			}
			slices.Sort(gotNames)
			if !slices.Equal(gotNames, want) {
				t.Errorf("files:\n got %v\nwant %v", gotNames, want)
			}
			// Importing again gives the same files.
			res2, err := Read(tool, os.DirFS(filepath.Join(dir, "src")), Options{})
			if err != nil {
				t.Fatal(err)
			}
			files2, _, err := Render(res2, naming)
			if err != nil {
				t.Fatal(err)
			}
			for i := range files {
				if files[i].Name != files2[i].Name || string(files[i].Content) != string(files2[i].Content) {
					t.Errorf("a second import differs at %s", files[i].Name)
				}
			}
			checkLinear(t, files)
		})
	}
}

// checkLinear checks that the files parse and form one line from a base
// to a head in the source's order.
func checkLinear(t *testing.T, files []File) {
	t.Helper()
	var scripts []*script.Script
	prev := ""
	for _, f := range files {
		sc, body, err := script.Parse(f.Content, f.Name)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if got := strings.Join(sc.DownRevisions, ","); got != prev {
			t.Errorf("%s: down_revision %q, want %q", f.Name, got, prev)
		}
		if body.HasDowngrade() != f.Revision.HasDowngrade {
			t.Errorf("%s: has downgrade %v, want %v", f.Name, body.HasDowngrade(), f.Revision.HasDowngrade)
		}
		prev = sc.Revision
		scripts = append(scripts, sc)
	}
	g, err := script.BuildGraph(scripts)
	if err != nil {
		t.Fatal(err)
	}
	if heads := g.Heads(); len(heads) != 1 || heads[0] != prev {
		t.Errorf("heads %v, want [%s]", heads, prev)
	}
}

func report(res *Result, render []Warning) string {
	var b strings.Builder
	for _, r := range res.Revisions {
		fmt.Fprintf(&b, "revision %s <- %q: %s (version %s) %q no_tx=%v/%v downgrade=%v\n", r.ID, r.Down, r.Path, r.Version, r.Message, r.NoTxUp, r.NoTxDown, r.HasDowngrade)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(&b, "skipped %s: %s\n", s.Path, s.Reason)
	}
	for _, w := range append(slices.Clone(res.Warnings), render...) {
		fmt.Fprintf(&b, "warning %s\n", w)
	}
	return b.String()
}

// TestBadInput: each source the tool itself would refuse, or that is not
// the tool's, is an *Error naming the file.
func TestBadInput(t *testing.T) {
	goose := func(up string) string { return "-- +goose Up\n" + up }
	cases := []struct {
		name, tool string
		files      map[string]string
		opts       Options
		want       string // in Error()
		path       string
		hint       string
	}{
		{"empty", "goose", nil, Options{}, "no goose migrations found", "", ""},
		{"only other files", "dbmate", map[string]string{"README.md": "x"}, Options{}, "no dbmate migrations found", "", ""},
		{"golang-migrate folder as goose", "goose", map[string]string{"1_a.up.sql": "SELECT 1;", "1_a.down.sql": "SELECT 1;"}, Options{},
			"this looks like a golang-migrate project (1_a.down.sql), not a goose one", "", "retort import golang-migrate SOURCE_DIR"},
		{"goose folder as dbmate", "dbmate", map[string]string{"1_a.sql": goose("SELECT 1;")}, Options{},
			"this looks like a goose project (1_a.sql), not a dbmate one", "", "retort import goose"},
		{"dbmate folder as goose", "goose", map[string]string{"1_a.sql": "-- migrate:up\nSELECT 1;"}, Options{},
			"this looks like a dbmate project (1_a.sql)", "", ""},
		{"flyway folder as golang-migrate", "golang-migrate", map[string]string{"V1__a.sql": "SELECT 1;"}, Options{},
			"this looks like a flyway project (V1__a.sql)", "", ""},
		{"alembic folder", "flyway", map[string]string{"env.py": "import alembic", "versions/ab12_x.py": "revision = 'ab12'\ndown_revision = None\n"}, Options{},
			"this looks like an Alembic project (versions/ab12_x.py)", "", "retort import alembic SOURCE_DIR"},
		{"goose without Up", "goose", map[string]string{"1_a.sql": goose("SELECT 1;"), "2_b.sql": "-- +goose Down\nSELECT 1;\n-- +goose Up\n"}, Options{},
			"2_b.sql:1: -- +goose Down before -- +goose Up", "2_b.sql", ""},
		{"goose no annotation", "goose", map[string]string{"1_a.sql": goose("SELECT 1;"), "2_b.sql": "-- nothing\n"}, Options{},
			"2_b.sql: no -- +goose Up annotation", "2_b.sql", ""},
		{"goose SQL before Up", "goose", map[string]string{"1_a.sql": "SELECT 1;\n-- +goose Up\n"}, Options{},
			"1_a.sql:1: SQL before -- +goose Up", "1_a.sql", ""},
		{"goose unclosed block", "goose", map[string]string{"1_a.sql": goose("-- +goose StatementBegin\nSELECT 1;\n")}, Options{},
			"1_a.sql:3: -- +goose StatementBegin without StatementEnd", "1_a.sql", ""},
		{"goose unknown annotation", "goose", map[string]string{"1_a.sql": goose("-- +goose Upp\n")}, Options{},
			`unknown goose annotation "-- +goose Upp"`, "1_a.sql", ""},
		{"goose indented annotation", "goose", map[string]string{"1_a.sql": goose("  -- +goose Down\n")}, Options{},
			`1_a.sql:2: "-- +goose Down": goose refuses an annotation with white space before it`, "1_a.sql", ""},
		{"goose duplicate", "goose", map[string]string{"001_a.sql": goose(""), "1_b.sql": goose("")}, Options{},
			"1_b.sql: version 1 is also the version of 001_a.sql", "1_b.sql", ""},
		{"goose version 0", "goose", map[string]string{"0_a.sql": goose("")}, Options{}, "0_a.sql: version 0", "0_a.sql", ""},
		{"goose Go migration that does not compile", "goose", map[string]string{"1_a.sql": goose(""), "2_b.go": "package m\nfunc init() {"}, Options{},
			"2_b.go: not Go that compiles", "2_b.go", ""},
		{"goose Go migration registered twice", "goose", map[string]string{"1_a.sql": goose(""), "2_b.go": "package m\nfunc init() {\n\tgoose.AddMigration(nil, nil)\n\tgoose.AddMigration(nil, nil)\n}\n"}, Options{},
			"2_b.go:4: a second goose.AddMigration", "2_b.go", ""},
		{"goose Go migration with wrong arguments", "goose", map[string]string{"1_a.sql": goose(""), "2_b.go": "package m\nfunc init() { goose.AddNamedMigrationContext(up, down) }\n"}, Options{},
			"2_b.go:2: goose.AddNamedMigrationContext with 2 arguments: goose's takes 3", "2_b.go", ""},
		{"golang-migrate down without up", "golang-migrate", map[string]string{"1_a.up.sql": "", "2_b.down.sql": ""}, Options{},
			"2_b.down.sql: a down migration without an up one", "2_b.down.sql", ""},
		{"golang-migrate duplicate", "golang-migrate", map[string]string{"1_a.up.sql": "", "01_b.up.sql": ""}, Options{},
			"version 1 is also the version of 01_b.up.sql", "1_a.up.sql", ""},
		{"dbmate without up", "dbmate", map[string]string{"1_a.sql": "-- migrate:up\n-- migrate:down\n", "2_b.sql": "CREATE TABLE t (id INT);\n"}, Options{},
			"2_b.sql:1: SQL before -- migrate:up", "2_b.sql", ""},
		{"dbmate empty file", "dbmate", map[string]string{"1_a.sql": "-- migrate:up\n-- migrate:down\n", "2_b.sql": "\n"}, Options{},
			"2_b.sql: no -- migrate:up block", "2_b.sql", ""},
		{"dbmate without down", "dbmate", map[string]string{"1_a.sql": "-- migrate:up transaction:false\nCREATE TABLE t (id INT);\n"}, Options{},
			"1_a.sql: no -- migrate:down block: dbmate requires one", "1_a.sql", ""},
		{"dbmate two downs", "dbmate", map[string]string{"1_a.sql": "-- migrate:up\n-- migrate:down\n-- migrate:down\n"}, Options{},
			"1_a.sql:3: a second -- migrate:down", "1_a.sql", ""},
		{"dbmate down first", "dbmate", map[string]string{"1_a.sql": "-- migrate:up\n-- migrate:down\n", "2_b.sql": "-- migrate:down\n-- migrate:up\n"}, Options{},
			"2_b.sql:1: -- migrate:down before -- migrate:up", "2_b.sql", ""},
		{"dbmate duplicate", "dbmate", map[string]string{"1_a.sql": "-- migrate:up\n-- migrate:down\n", "1_b.sql": "-- migrate:up\n-- migrate:down\n"}, Options{},
			"1_b.sql: version 1 is also the version of 1_a.sql", "1_b.sql", ""},
		{"flyway duplicate", "flyway", map[string]string{"V1.0__a.sql": "", "V1__b.sql": ""}, Options{},
			"version 1 is also the version of V1.0__a.sql", "V1__b.sql", ""},
		{"flyway undo without version", "flyway", map[string]string{"V1__a.sql": "", "U2__b.sql": ""}, Options{},
			"U2__b.sql: an undo migration of version 2, which has no versioned migration", "U2__b.sql", ""},
		{"flyway bad version", "flyway", map[string]string{"V1__a.sql": "", "V1a__b.sql": ""}, Options{},
			`V1a__b.sql: version "1a" is not numbers`, "V1a__b.sql", ""},
		{"flyway only repeatable", "flyway", map[string]string{"R__a.sql": "SELECT 1;"}, Options{},
			"no flyway migration to import", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for n, s := range c.files {
				fsys[n] = &fstest.MapFile{Data: []byte(s)}
			}
			_, err := Read(c.tool, fsys, c.opts)
			var ie *Error
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), want an *Error", err, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %q, want it to contain %q", err, c.want)
			}
			if c.path != "" && ie.Path != c.path {
				t.Errorf("path = %q, want %q", ie.Path, c.path)
			}
			if !strings.Contains(ie.Hint, c.hint) {
				t.Errorf("hint = %q, want it to contain %q", ie.Hint, c.hint)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	cases := []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{"1_a.up.sql": ""}, "golang-migrate"},
		{map[string]string{"V1_2__a.sql": ""}, "flyway"},
		{map[string]string{"R__a.sql": ""}, "flyway"},
		{map[string]string{"Users__a.sql": ""}, ""},
		{map[string]string{"1_a.sql": "--  +goose up\n"}, "goose"},
		{map[string]string{"1_a.sql": "--migrate:up transaction:false\n"}, "dbmate"},
		{map[string]string{"env.py": ""}, "alembic"},
		{map[string]string{"a.txt": ""}, ""},
	}
	for _, c := range cases {
		fsys := fstest.MapFS{}
		for n, s := range c.files {
			fsys[n] = &fstest.MapFile{Data: []byte(s)}
		}
		if got, _ := Detect(fsys); got != c.want {
			t.Errorf("Detect(%v) = %q, want %q", c.files, got, c.want)
		}
	}
}

func TestReadUnknownTool(t *testing.T) {
	_, err := Read("alembic", fstest.MapFS{}, Options{})
	if err == nil || !strings.Contains(err.Error(), "dbmate, flyway, golang-migrate, goose") {
		t.Fatalf("err = %v", err)
	}
}

func TestFlywayOrder(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, n := range []string{"V1.10__j.sql", "V1.9__i.sql", "V1_2__b.sql", "V1__a.sql", "V2__z.sql", "V1.2.1__c.sql"} {
		fsys[n] = &fstest.MapFile{Data: []byte("SELECT 1;")}
	}
	res, err := Read("flyway", fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Revisions {
		got = append(got, r.Version)
	}
	if want := []string{"1", "1_2", "1.2.1", "1.9", "1.10", "2"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestIDStable(t *testing.T) {
	if a, b := ID("goose", "1"), ID("goose", "1"); a != b || len(a) != 12 {
		t.Fatalf("ID = %q, %q", a, b)
	}
	if ID("goose", "1") == ID("dbmate", "1") {
		t.Fatal("the tool is not part of the id")
	}
}

// TestGooseGo: a goose Go migration becomes a Go revision skeleton in
// its place, holding the functions its goose.AddMigration… call names;
// --skip-go leaves it out and keeps the chain linear.
func TestGooseGo(t *testing.T) {
	const sql = "-- +goose Up\nCREATE TABLE t (id INT);\n-- +goose Down\nDROP TABLE t;\n"
	cases := []struct {
		name, src string
		want      []string // in the skeleton
		down      bool
		line      int
	}{
		{"named functions", "package m\n\nimport \"github.com/pressly/goose/v3\"\n\nfunc init() {\n\tgoose.AddMigrationContext(up2, down2)\n}\n\nfunc up2(ctx context.Context, tx *sql.Tx) error {\n\t_, err := tx.ExecContext(ctx, \"UPDATE t SET id = 2\")\n\treturn err\n}\n\nfunc down2(ctx context.Context, tx *sql.Tx) error { return nil }\n",
			[]string{"// goose's up, up2 (00002_fill.go:9):", "//\t\t_, err := tx.ExecContext(ctx, \"UPDATE t SET id = 2\")", "// goose's down, down2 (00002_fill.go:14):", "write its Upgrade", "write its Downgrade"}, true, 6},
		{"literals, no transaction", "package m\n\nfunc init() {\n\tgoose.AddNamedMigrationNoTxContext(\"00002_fill.go\", func(ctx context.Context, db *sql.DB) error {\n\t\treturn nil\n\t}, nil)\n}\n",
			[]string{"(AddNamedMigrationNoTxContext)", "//\t\treturn nil\n\t\t\t//\t}\n", "// goose's up, a function literal (00002_fill.go:4):", "//\tfunc(ctx context.Context, db *sql.DB) error {"}, false, 4},
		{"function of another file", "package m\n\nfunc init() { goose.AddMigration(upFill, downFill) }\n",
			[]string{"goose's up, upFill, is not declared in 00002_fill.go (another file of its package); the file:", "//\tfunc init() { goose.AddMigration(upFill, downFill) }"}, true, 3},
		{"nothing registered", "package m\n", []string{"registers no migration"}, false, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{"00001_t.sql": {Data: []byte(sql)}, "00002_fill.go": {Data: []byte(c.src)}, "00003_more.sql": {Data: []byte(sql)}}
			res, err := Read("goose", fsys, Options{})
			if err != nil {
				t.Fatal(err)
			}
			sk := res.Skeletons()
			if len(sk) != 1 || sk[0].ID != ID("goose", "2") || sk[0].Path != "00002_fill.go" || sk[0].HasDowngrade != c.down {
				t.Fatalf("skeletons %+v", sk)
			}
			if !slices.ContainsFunc(res.Warnings, func(w Warning) bool { return w.Path == "00002_fill.go" && w.Line == c.line }) {
				t.Errorf("no warning at 00002_fill.go:%d: %v", c.line, res.Warnings)
			}
			files, _, err := Render(res, naming)
			if err != nil {
				t.Fatal(err)
			}
			checkLinear(t, files)
			f := files[1]
			if !strings.HasSuffix(f.Name, "_00002_fill.go") {
				t.Errorf("name %s", f.Name)
			}
			for _, w := range c.want {
				if !strings.Contains(string(f.Content), w) {
					t.Errorf("the skeleton lacks %q:\n%s", w, f.Content)
				}
			}
			if got := strings.Contains(string(f.Content), "Downgrade:"); got != c.down {
				t.Errorf("Downgrade present %v, want %v:\n%s", got, c.down, f.Content)
			}
			if _, _, err := Render(res, Naming{Template: naming.Template}); err == nil {
				t.Error("a skeleton rendered without a Go package")
			}

			res, err = Read("goose", fsys, Options{SkipGo: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Revisions) != 2 || len(res.Skeletons()) != 0 || len(res.Skipped) != 1 || res.Skipped[0].Path != "00002_fill.go" {
				t.Fatalf("--skip-go: revisions %+v, skipped %+v", res.Revisions, res.Skipped)
			}
			files, _, err = Render(res, Naming{Template: naming.Template})
			if err != nil {
				t.Fatal(err)
			}
			checkLinear(t, files)
		})
	}
}

// TestWrongTool: a folder of each tool, read as each other tool's, says
// which tool it looks like (Detect) and the command to use, for every
// pair, Alembic's included both ways.
func TestWrongTool(t *testing.T) {
	folders := map[string]fstest.MapFS{
		"goose":          {"00001_a.sql": {Data: []byte("-- +goose Up\nCREATE TABLE a (id INT);\n")}},
		"golang-migrate": {"1_a.up.sql": {Data: []byte("CREATE TABLE a (id INT);")}, "1_a.down.sql": {Data: []byte("DROP TABLE a;")}},
		"dbmate":         {"20240101000000_a.sql": {Data: []byte("-- migrate:up\nCREATE TABLE a (id INT);\n-- migrate:down\n")}},
		"flyway":         {"V1__a.sql": {Data: []byte("CREATE TABLE a (id INT);")}},
		"alembic":        {"env.py": {Data: []byte("from alembic import context\n")}, "versions/ab12_a.py": {Data: []byte("revision = 'ab12'\ndown_revision = None\n")}},
	}
	evidence := map[string]string{"goose": "00001_a.sql", "golang-migrate": "1_a.down.sql", "dbmate": "20240101000000_a.sql", "flyway": "V1__a.sql", "alembic": "versions/ab12_a.py"}
	for src, fsys := range folders {
		if got, ev := Detect(fsys); got != src || ev != evidence[src] {
			t.Errorf("Detect(%s folder) = %q, %q", src, got, ev)
		}
		for _, as := range append(Tools(), "alembic") {
			if as == src {
				continue
			}
			t.Run(src+" as "+as, func(t *testing.T) {
				var err error
				if as == "alembic" {
					dir := t.TempDir()
					for n, f := range fsys {
						p := filepath.Join(dir, filepath.FromSlash(n))
						if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
							t.Fatal(err)
						}
						if err := os.WriteFile(p, f.Data, 0o644); err != nil {
							t.Fatal(err)
						}
					}
					_, err = ReadAlembic(t.Context(), dir, AlembicOptions{Dialects: []string{"sqlite"}, Alembic: "alembic-is-not-run"})
				} else {
					_, err = Read(as, fsys, Options{})
				}
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("err = %v, want an *Error", err)
				}
				article, cmd := "a "+src, "retort import "+src+" SOURCE_DIR"
				if src == "alembic" {
					article, cmd = "an Alembic", "retort import alembic SOURCE_DIR --dialect DIALECT"
				}
				target := "a " + as
				if as == "alembic" {
					target = "an Alembic"
				}
				want := fmt.Sprintf("this looks like %s project (%s), not %s one", article, evidence[src], target)
				if e.Msg != want || !strings.Contains(e.Hint, cmd) {
					t.Errorf("got %q (hint %q), want %q (hint with %q)", e.Msg, e.Hint, want, cmd)
				}
			})
		}
	}
}
