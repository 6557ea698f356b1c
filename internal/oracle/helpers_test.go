package oracle

import (
	"slices"
	"strings"
	"testing"
)

func TestShlexSplit(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{"", nil, false},
		{"   ", nil, false},
		{"upgrade head", []string{"upgrade", "head"}, false},
		{"  history  -r  b:  ", []string{"history", "-r", "b:"}, false},
		{"history --rev-range=-5:current", []string{"history", "--rev-range=-5:current"}, false},
		{`stamp 'a b' c`, []string{"stamp", "a b", "c"}, false},
		{`x 'it''s'`, []string{"x", "its"}, false},
		{`x "a \"b\" \\ \$ \n"`, []string{"x", `a "b" \ $ \n`}, false},
		{`x 'no \escapes'`, []string{"x", `no \escapes`}, false},
		{`x a\ b \'q\'`, []string{"x", "a b", "'q'"}, false},
		{`x ''`, []string{"x", ""}, false},
		{`x ""y`, []string{"x", "y"}, false},
		{"x a\\\nb", []string{"x", "ab"}, false},
		{`x 'open`, nil, true},
		{`x "open`, nil, true},
		{`x \`, nil, true},
	}
	for _, tt := range tests {
		got, err := shlexSplit(tt.in)
		if (err != nil) != tt.err || !slices.Equal(got, tt.want) {
			t.Errorf("shlexSplit(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestSortLabelGroups(t *testing.T) {
	tests := []struct{ in, want string }{
		{"f1 (lib1, c1lib) (head)", "f1 (c1lib, lib1) (head)"},
		{"f1 (c1lib, lib1) (head)", "f1 (c1lib, lib1) (head)"},
		{"d1 (c1branch) (head)", "d1 (c1branch) (head)"},
		{"dd (head) (mergepoint)", "dd (head) (mergepoint)"},
		{"b2 (z, c1, a) -> c2 (head), c2", "b2 (a, c1, z) -> c2 (head), c2"},
		{"d1, d2 -> e (c2branch) (mergepoint), merge d1 and d2", "d1, d2 -> e (c2branch) (mergepoint), merge d1 and d2"},
		{"x (b,a)", "x (a, b)"},
	}
	for _, tt := range tests {
		if got := sortLabelGroups(tt.in); got != tt.want {
			t.Errorf("sortLabelGroups(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSortChildLines(t *testing.T) {
	tests := []struct{ in, want string }{
		{"b (branchpoint)\n  -> c2 (c2branch)\n  -> c1 (c1branch)",
			"b (branchpoint)\n  -> c1 (c1branch)\n  -> c2 (c2branch)"},
		// Each branch point's children are sorted on their own; the
		// branch points keep their order.
		{"p4 (branchpoint) (mergepoint)\n   -> p6\n   -> p5\n\np1 (branchpoint)\n   -> p3\n   -> p2",
			"p4 (branchpoint) (mergepoint)\n   -> p5\n   -> p6\n\np1 (branchpoint)\n   -> p2\n   -> p3"},
		{"2000bbbb (branchpoint)\n         -> 3200dddd (head)\n         -> 3100cccc",
			"2000bbbb (branchpoint)\n         -> 3100cccc\n         -> 3200dddd (head)"},
		{"z\ny\n  -> b\n  -> a", "z\ny\n  -> a\n  -> b"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(sortChildLines(strings.Split(tt.in, "\n")), "\n"); got != tt.want {
			t.Errorf("sortChildLines(%q) =\n%s\nwant\n%s", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeListing(t *testing.T) {
	alembic := []string{
		"Current revision(s) for sqlite:///$TMP/db.sqlite:",
		"Rev: v3 (head)",
		"Path: $TMP/proj/migrations/versions/0003_v3.py",
		"",
		"    Create Date: 2024-01-01 00:00:00.000000",
	}
	retort := []string{
		"Current revision(s) for sqlite:///db.sqlite:",
		"Rev: v3 (head)  ",
		"Path: /tmp/x/migrations/0003_v3.sql",
		"",
		"    Create Date: 2024-01-01 00:00:00 UTC",
		"",
		"",
	}
	if a, r := normalizeListing("current", true, alembic), normalizeListing("current", true, retort); !slices.Equal(a, r) {
		t.Errorf("verbose outputs differ after masking:\n%q\n%q", a, r)
	}
	if got := normalizeListing("current", false, []string{"b (head)", "a (effective head)"}); !slices.Equal(got, []string{"a (effective head)", "b (head)"}) {
		t.Errorf("current is not sorted: %q", got)
	}
	if got := normalizeListing("heads", false, []string{"b (head)", "a (head)"}); !slices.Equal(got, []string{"b (head)", "a (head)"}) {
		t.Errorf("heads must keep its order: %q", got)
	}
	if a, b := normalizeListing("heads", false, []string{"Rev: x"}), normalizeListing("heads", false, []string{"Rev: y"}); slices.Equal(a, b) {
		t.Error("ordinary lines must be compared exactly")
	}
}

func TestSQLSkeleton(t *testing.T) {
	script := strings.Split(`BEGIN;
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);
-- Running upgrade  -> a

INSERT INTO oracle_log (rev, direction) VALUES ('a', 'up');

INSERT INTO alembic_version (version_num) VALUES ('a');
-- Running downgrade a -> `+`
COMMIT;`, "\n")
	want := []string{"-- Running upgrade  -> a", "INSERT INTO oracle_log (rev, direction) VALUES ('a', 'up');", "-- Running downgrade a ->"}
	if got := sqlSkeleton(script); !slices.Equal(got, want) {
		t.Errorf("sqlSkeleton = %q, want %q", got, want)
	}
}

func TestCheckRanOrder(t *testing.T) {
	//   a ── b ── c1 ── d (merge) ── e
	//         └── c2 ──┘
	//   x (depends_on c2), y ── z (depends_on label "lib" on c1)
	revs := []revisionSpec{
		{ID: "a"}, {ID: "b", Down: strList{"a"}},
		{ID: "c1", Down: strList{"b"}, Labels: strList{"lib"}}, {ID: "c2", Down: strList{"b"}},
		{ID: "d", Down: strList{"c1", "c2"}}, {ID: "e", Down: strList{"d"}},
		{ID: "x", DependsOn: strList{"c2"}},
		{ID: "y"}, {ID: "z", Down: strList{"y"}, DependsOn: strList{"lib"}},
	}
	anc := ancestry(revs)
	up := func(ids ...string) (l []string) {
		for _, id := range ids {
			l = append(l, "up:"+id)
		}
		return l
	}
	down := func(ids ...string) (l []string) {
		for _, id := range ids {
			l = append(l, "down:"+id)
		}
		return l
	}
	tests := []struct {
		name      string
		got, want []string
		ok        bool
	}{
		{"same order", up("a", "b", "c1", "c2", "d"), up("a", "b", "c1", "c2", "d"), true},
		{"branches swapped", up("a", "b", "c2", "c1", "d"), up("a", "b", "c1", "c2", "d"), true},
		{"merge before a parent", up("a", "b", "c1", "d", "c2"), up("a", "b", "c1", "c2", "d"), false},
		{"child before parent", up("b", "a"), up("a", "b"), false},
		{"transitive: e before a", up("e", "a"), up("a", "e"), false},
		{"depends_on respected", up("c2", "x"), up("c2", "x"), true},
		{"depends_on violated", up("x", "c2"), up("c2", "x"), false},
		{"depends_on a branch label", up("z", "c1"), up("c1", "z"), false},
		{"independent roots in any order", up("y", "a"), up("a", "y"), true},
		{"missing migration", up("a"), up("a", "b"), false},
		{"extra migration", up("a", "b", "c1"), up("a", "b"), false},
		{"different direction", down("a"), up("a"), false},
		{"down: children first", down("d", "c2", "c1", "b"), down("d", "c1", "c2", "b"), true},
		{"down: parent before child", down("b", "c1"), down("c1", "b"), false},
		{"down: dependency before dependent", down("c2", "x"), down("x", "c2"), false},
	}
	for _, tt := range tests {
		if err := checkRanOrder(tt.got, tt.want, anc); (err == nil) != tt.ok {
			t.Errorf("%s: checkRanOrder(%v, %v) = %v, want ok=%v", tt.name, tt.got, tt.want, err, tt.ok)
		}
	}
}

func TestPermuteLog(t *testing.T) {
	ran := []string{"up:a3", "up:c1", "up:d1"}
	log := []string{"Running upgrade  -> a3, a3", "Running upgrade  -> c1, c1", "Running upgrade  -> d1, d1"}
	got, ok := permuteLog(ran, log, []string{"up:c1", "up:a3", "up:d1"})
	want := []string{log[1], log[0], log[2]}
	if !ok || !slices.Equal(got, want) {
		t.Errorf("permuteLog = %q, %v; want %q", got, ok, want)
	}
	if _, ok := permuteLog(ran, log[:2], ran); ok {
		t.Error("permuteLog must refuse logs that do not answer ran one to one")
	}
	if _, ok := permuteLog(ran, log, []string{"up:a3", "up:c1", "up:zz"}); ok {
		t.Error("permuteLog must refuse a migration Alembic did not run")
	}
}

func TestMigrationFile(t *testing.T) {
	got := migrationFile(revisionSpec{ID: "e", Down: strList{"d1", "d2"}, Labels: strList{"x", "y"}})
	want := `-- revision: e
-- down_revision: d1, d2
-- branch_labels: x, y
-- depends_on:
-- message: e
-- create_date: 2024-01-01 00:00:00 UTC

-- +upgrade
INSERT INTO oracle_log (rev, direction) VALUES ('e', 'up');

-- +downgrade
INSERT INTO oracle_log (rev, direction) VALUES ('e', 'down');
`
	if got != want {
		t.Errorf("migrationFile =\n%s\nwant\n%s", got, want)
	}
}

func TestApplyDifferences(t *testing.T) {
	_, exp := loadSuite(t)
	tests := []struct {
		name, file string
		problem    string // "" when the file is valid
	}{
		{"empty", `{}`, ""},
		{"step entry", `{"linear_stamp/15": {"reason": "r", "error": "x", "version": ["5a1b8e2c9d07"]}}`, ""},
		{"case entry", `{"duplicate_revision_id": {"reason": "r", "error": "dup", "version": null, "ran": [], "log": [], "stdout": [], "steps": {"3": {"stdout": ["x"]}}}}`, ""},
		{"case entry, steps only", `{"cycle_long": {"reason": "r", "steps": {"0": {"error": "cycle", "stdout": []}}}}`, ""},
		{"no reason", `{"linear_stamp/15": {"error": null}}`, "reason"},
		{"no fields", `{"linear_stamp/15": {"reason": "r"}}`, "replaces nothing"},
		{"same as Alembic", `{"linear_stamp/15": {"reason": "r", "error": "other wording"}}`, "replaces nothing"},
		{"unknown case", `{"nosuch/1": {"reason": "r", "error": "x"}}`, "no case"},
		{"step out of range", `{"linear_stamp/16": {"reason": "r", "error": null}}`, "steps 0 to 15"},
		{"step not a number", `{"linear_stamp/x": {"reason": "r", "error": null}}`, "steps 0 to 15"},
		{"unknown field", `{"linear_stamp/15": {"reason": "r", "eror": null}}`, "unknown field"},
		{"bad type", `{"linear_stamp/15": {"reason": "r", "version": "a"}}`, "version"},
		{"case step out of range", `{"linear_stamp": {"reason": "r", "steps": {"99": {"error": "x"}}}}`, "not a step"},
		{"both levels", `{"linear_stamp": {"reason": "r", "steps": {"15": {"error": null}}}, "linear_stamp/14": {"reason": "r", "error": "x"}}`, "case-level entry"},
	}
	for _, tt := range tests {
		fresh := map[string][]expectation{}
		for k, v := range exp {
			fresh[k] = slices.Clone(v)
		}
		problems := applyDifferences([]byte(tt.file), fresh)
		switch {
		case tt.problem == "" && len(problems) > 0:
			t.Errorf("%s: unexpected problems: %v", tt.name, problems)
		case tt.problem != "" && (len(problems) == 0 || !strings.Contains(problems[0].Error(), tt.problem)):
			t.Errorf("%s: want a problem mentioning %q, got %v", tt.name, tt.problem, problems)
		}
	}

	// An applied entry replaces the fields and drops them from "unstable".
	fresh := map[string][]expectation{"branched_listing": slices.Clone(exp["branched_listing"])}
	if p := applyDifferences([]byte(`{"branched_listing/1": {"reason": "r", "stdout": ["x"]}}`), fresh); p != nil {
		t.Fatal(p)
	}
	if e := fresh["branched_listing"][1]; !slices.Equal(e.Stdout, []string{"x"}) || e.unstable("stdout") || e.diffKey == "" {
		t.Errorf("override not applied: stdout %q, unstable %q, key %q", e.Stdout, e.Unstable, e.diffKey)
	}
}
