package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// node is a revision as read back from the written files.
type node struct {
	file    string
	parents []string
}

var (
	sqlRevision = regexp.MustCompile(`(?m)^-- revision: (\S+)$`)
	sqlDown     = regexp.MustCompile(`(?m)^-- down_revision:(.*)$`)
	pyRevision  = regexp.MustCompile(`(?m)^revision = '([0-9a-f]+)'$`)
	pyDown      = regexp.MustCompile(`(?m)^down_revision = (.*)$`)
	pyQuoted    = regexp.MustCompile(`'([0-9a-f]+)'`)
	idPattern   = regexp.MustCompile(`^[0-9a-f]{12}$`)
)

// readProject parses the revision files of a generated project.
func readProject(t *testing.T, dir, tool string) (map[string]node, []string) {
	t.Helper()
	sub, ext := "migrations", ".sql"
	if tool == "alembic" {
		sub, ext = "versions", ".py"
	}
	entries, err := os.ReadDir(filepath.Join(dir, sub))
	if err != nil {
		t.Fatal(err)
	}
	graph := map[string]node{}
	var order []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ext) {
			t.Errorf("unexpected file %s in %s", e.Name(), sub)
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, sub, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		var id string
		var parents []string
		if tool == "retort" {
			m := sqlRevision.FindStringSubmatch(text)
			d := sqlDown.FindStringSubmatch(text)
			if m == nil || d == nil {
				t.Fatalf("%s: no revision or down_revision header:\n%s", e.Name(), text)
			}
			id = m[1]
			for _, p := range strings.Split(d[1], ",") {
				if p = strings.TrimSpace(p); p != "" {
					parents = append(parents, p)
				}
			}
			for _, want := range []string{"-- +upgrade\nCREATE TABLE t_", "-- +downgrade\nDROP TABLE t_"} {
				if !strings.Contains(text, want) {
					t.Errorf("%s: missing %q", e.Name(), want)
				}
			}
		} else {
			m := pyRevision.FindStringSubmatch(text)
			d := pyDown.FindStringSubmatch(text)
			if m == nil || d == nil {
				t.Fatalf("%s: no revision or down_revision:\n%s", e.Name(), text)
			}
			id = m[1]
			for _, q := range pyQuoted.FindAllStringSubmatch(d[1], -1) {
				parents = append(parents, q[1])
			}
			if len(parents) == 0 && strings.TrimSpace(d[1]) != "None" {
				t.Errorf("%s: down_revision = %s", e.Name(), d[1])
			}
			if len(parents) > 1 && !strings.HasPrefix(d[1], "(") {
				t.Errorf("%s: a merge's down_revision must be a tuple, got %s", e.Name(), d[1])
			}
			for _, want := range []string{"def upgrade():\n    op.execute(\"CREATE TABLE t_", "def downgrade():\n    op.execute(\"DROP TABLE t_"} {
				if !strings.Contains(text, want) {
					t.Errorf("%s: missing %q", e.Name(), want)
				}
			}
		}
		if !idPattern.MatchString(id) {
			t.Errorf("%s: id %q is not 12 hex characters", e.Name(), id)
		}
		if !strings.Contains(e.Name(), "_"+id+ext) {
			t.Errorf("file %s does not carry its id %s", e.Name(), id)
		}
		if _, dup := graph[id]; dup {
			t.Errorf("id %s twice", id)
		}
		graph[id] = node{file: e.Name(), parents: parents}
		order = append(order, id)
	}
	return graph, order
}

type shapeStats struct{ bases, heads, merges, branchPoints int }

// checkGraph checks that every down revision exists and was created before
// its child (name order is creation order), and counts bases, heads,
// merges and branch points.
func checkGraph(t *testing.T, graph map[string]node, order []string) shapeStats {
	t.Helper()
	pos := map[string]int{}
	for i, id := range order {
		pos[id] = i
	}
	children := map[string]int{}
	var s shapeStats
	for _, id := range order {
		n := graph[id]
		if len(n.parents) == 0 {
			s.bases++
		}
		if len(n.parents) > 1 {
			s.merges++
		}
		for _, p := range n.parents {
			if _, ok := graph[p]; !ok {
				t.Errorf("%s: down_revision %s does not exist", n.file, p)
				continue
			}
			if pos[p] >= pos[id] {
				t.Errorf("%s: down_revision %s comes after it in name order", n.file, p)
			}
			children[p]++
		}
	}
	for _, id := range order {
		if children[id] == 0 {
			s.heads++
		}
		if children[id] > 1 {
			s.branchPoints++
		}
	}
	return s
}

func TestGenerateBothTools(t *testing.T) {
	for _, shape := range []string{"branchy", "dense", "chain"} {
		t.Run(shape, func(t *testing.T) {
			const n = 250
			revs, err := Generate(n, 1, shape)
			if err != nil {
				t.Fatal(err)
			}
			var graphs []map[string]node
			for _, tool := range []string{"retort", "alembic"} {
				dir := t.TempDir()
				var werr error
				if tool == "retort" {
					werr = WriteRetort(dir, revs)
				} else {
					werr = WriteAlembic(dir, revs)
				}
				if werr != nil {
					t.Fatal(werr)
				}
				// The project files.
				top := map[string][]string{
					"retort":  {"migrations", "retort.toml"},
					"alembic": {"alembic.ini", "env.py", "script.py.mako", "versions"},
				}[tool]
				entries, _ := os.ReadDir(dir)
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				if !slices.Equal(names, top) {
					t.Errorf("%s: top-level files %v, want %v", tool, names, top)
				}

				graph, order := readProject(t, dir, tool)
				if len(order) != n {
					t.Fatalf("%s: %d revision files, want %d", tool, len(order), n)
				}
				s := checkGraph(t, graph, order)
				if s.heads != 1 || s.bases != 1 {
					t.Errorf("%s: %d heads and %d bases, want 1 and 1", tool, s.heads, s.bases)
				}
				if shape == "chain" && (s.merges != 0 || s.branchPoints != 0) {
					t.Errorf("%s chain: %d merges, %d branch points", tool, s.merges, s.branchPoints)
				}
				// A branch about every 20 revisions (branchy) or every 10
				// (dense), each merged back.
				bounds := map[string][2]int{"branchy": {n / 30, n / 15}, "dense": {n / 13, n / 8}}[shape]
				lo, hi := bounds[0], bounds[1]
				if shape != "chain" && (s.merges < lo || s.merges > hi || s.merges != s.branchPoints) {
					t.Errorf("%s %s: %d merges and %d branch points for %d revisions, want %d to %d", tool, shape, s.merges, s.branchPoints, n, lo, hi)
				}
				if heads := Heads(revs); len(heads) != 1 || graph[heads[0]].file == "" {
					t.Errorf("Heads() = %v", heads)
				}
				graphs = append(graphs, graph)
			}
			// Same ids and the same graph for both tools.
			r, a := graphs[0], graphs[1]
			if len(r) != len(a) {
				t.Fatalf("retort has %d revisions, alembic %d", len(r), len(a))
			}
			for id, rn := range r {
				an, ok := a[id]
				if !ok {
					t.Fatalf("revision %s only in the retort project", id)
				}
				if !slices.Equal(rn.parents, an.parents) {
					t.Errorf("%s: parents %v (retort) vs %v (alembic)", id, rn.parents, an.parents)
				}
				if strings.TrimSuffix(rn.file, ".sql") != strings.TrimSuffix(an.file, ".py") {
					t.Errorf("%s: file %s vs %s", id, rn.file, an.file)
				}
			}
		})
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, _ := Generate(500, 7, "branchy")
	b, _ := Generate(500, 7, "branchy")
	c, _ := Generate(500, 8, "branchy")
	for i := range a {
		if a[i].ID != b[i].ID || !slices.Equal(a[i].Parents, b[i].Parents) {
			t.Fatalf("revision %d differs between two runs with the same seed", i+1)
		}
	}
	same := 0
	for i := range a {
		if a[i].ID == c[i].ID {
			same++
		}
	}
	if same > 0 {
		t.Errorf("seeds 7 and 8 share %d ids", same)
	}
	// The chain's ids are the branchy graph's ids: only the parents differ.
	d, _ := Generate(500, 7, "chain")
	for i := range a {
		if a[i].ID != d[i].ID {
			t.Fatalf("revision %d: id %s (branchy) vs %s (chain)", i+1, a[i].ID, d[i].ID)
		}
	}
}

func TestSmallSizesHaveOneHead(t *testing.T) {
	for n := 1; n <= 120; n++ {
		for _, seed := range []int64{1, 2, 3} {
			revs, err := Generate(n, seed, "branchy")
			if err != nil {
				t.Fatal(err)
			}
			if len(revs) != n {
				t.Fatalf("n=%d: %d revisions", n, len(revs))
			}
			if h := Heads(revs); len(h) != 1 {
				t.Fatalf("n=%d seed=%d: heads %v", n, seed, h)
			}
		}
	}
}

func TestRefusesFolderWithRevisions(t *testing.T) {
	dir := t.TempDir()
	revs, _ := Generate(3, 1, "chain")
	if err := WriteRetort(dir, revs); err != nil {
		t.Fatal(err)
	}
	if err := WriteRetort(dir, revs); err == nil {
		t.Error("a second write into the same folder succeeded; stale revisions could mix in")
	}
	if _, err := Generate(0, 1, "chain"); err == nil {
		t.Error("n=0 accepted")
	}
	if _, err := Generate(10, 1, "tree"); err == nil {
		t.Error("unknown shape accepted")
	}
}

// The line-only tools get every revision, in creation order, with the
// same statements.
func TestLineTools(t *testing.T) {
	revs, err := Generate(25, 1, "chain")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		tool  string
		write func(string, []Revision) error
		files int
		want  func(dir string, r Revision) string // a file's path → the content it must hold
	}{
		{"goose", WriteGoose, 25, func(dir string, r Revision) string {
			return "-- +goose Up\n" + upgradeSQL(r.Num) + ";\n\n-- +goose Down\n" + downgradeSQL(r.Num) + ";\n"
		}},
		{"migrate", WriteMigrate, 50, func(dir string, r Revision) string { return upgradeSQL(r.Num) + ";\n" }},
		{"dbmate", WriteDbmate, 25, func(dir string, r Revision) string {
			return "-- migrate:up\n" + upgradeSQL(r.Num) + ";\n\n-- migrate:down\n" + downgradeSQL(r.Num) + ";\n"
		}},
	} {
		t.Run(tc.tool, func(t *testing.T) {
			out := t.TempDir()
			if err := tc.write(out, revs); err != nil {
				t.Fatal(err)
			}
			entries, err := os.ReadDir(filepath.Join(out, "migrations"))
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != tc.files {
				t.Fatalf("%d files, want %d", len(entries), tc.files)
			}
			for _, r := range revs {
				name := fileName(r, "sql")
				if tc.tool == "migrate" {
					name = strings.TrimSuffix(name, ".sql") + ".up.sql"
				}
				b, err := os.ReadFile(filepath.Join(out, "migrations", name))
				if err != nil {
					t.Fatal(err)
				}
				if got, want := string(b), tc.want(out, r); got != want {
					t.Errorf("%s: got %q, want %q", name, got, want)
				}
			}
		})
	}
	out := t.TempDir()
	if err := WritePlain(out, revs); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "upgrade.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "CREATE TABLE t_"); n != 25 || !strings.HasPrefix(string(b), upgradeSQL(1)+";\n") {
		t.Errorf("upgrade.sql: %d CREATE TABLE, starts %q", n, string(b[:40]))
	}
}

// The sqitch project plans every revision, in creation order, with a
// deploy and a revert script of the same statements in one transaction.
func TestSqitch(t *testing.T) {
	revs, err := Generate(25, 1, "chain")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := WriteSqitch(out, revs); err != nil {
		t.Fatal(err)
	}
	plan, err := os.ReadFile(filepath.Join(out, "sqitch.plan"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimPrefix(string(plan), sqitchPlanHeader), "\n")
	if got := len(lines) - 1; got != 25 || lines[25] != "" {
		t.Fatalf("sqitch.plan has %d change lines, want 25:\n%s", got, plan)
	}
	for i, r := range revs {
		name := "t_" + strconv.Itoa(r.Num)
		if !strings.HasPrefix(lines[i], name+" 2024-01-01T00:00:00Z ") {
			t.Errorf("plan line %d = %q, want change %s", i+1, lines[i], name)
		}
		for _, tc := range []struct{ dir, stmt string }{{"deploy", upgradeSQL(r.Num)}, {"revert", downgradeSQL(r.Num)}} {
			b, err := os.ReadFile(filepath.Join(out, tc.dir, name+".sql"))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := string(b), "BEGIN;\n"+tc.stmt+";\nCOMMIT;\n"; got != want {
				t.Errorf("%s/%s.sql = %q, want %q", tc.dir, name, got, want)
			}
		}
	}
	if err := WriteSqitch(out, revs); err == nil {
		t.Error("a second WriteSqitch into the same folder succeeded; want a refusal")
	}
}

// The floor scripts run one transaction per revision with the version
// update, forward for the upgrade and backward for the downgrade.
func TestFloorScripts(t *testing.T) {
	revs, err := Generate(3, 1, "chain")
	if err != nil {
		t.Fatal(err)
	}
	up, down := floorScripts(revs)
	wantUp := "CREATE TABLE floor_version (version_num VARCHAR(32) NOT NULL);\nINSERT INTO floor_version VALUES ('');\n"
	for _, r := range revs {
		wantUp += "BEGIN;\n" + upgradeSQL(r.Num) + ";\nUPDATE floor_version SET version_num = '" + r.ID + "';\nCOMMIT;\n"
	}
	if up != wantUp {
		t.Errorf("upgrade:\n%s\nwant:\n%s", up, wantUp)
	}
	wantDown := "BEGIN;\n" + downgradeSQL(3) + ";\nUPDATE floor_version SET version_num = '" + revs[1].ID + "';\nCOMMIT;\n" +
		"BEGIN;\n" + downgradeSQL(2) + ";\nUPDATE floor_version SET version_num = '" + revs[0].ID + "';\nCOMMIT;\n" +
		"BEGIN;\n" + downgradeSQL(1) + ";\nUPDATE floor_version SET version_num = '';\nCOMMIT;\n"
	if down != wantDown {
		t.Errorf("downgrade:\n%s\nwant:\n%s", down, wantDown)
	}
}
