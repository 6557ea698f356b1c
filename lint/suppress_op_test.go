package lint

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestLintOpSuppressions: a Go revision's operation recorded through
// op.Ops.Ignore carries its suppressions on its statements
// (Statement.Ignore), which act as a retort:ignore comment above it: the
// reason is required (RT904), an unused one is reported (RT902), and
// one operation rendered for several dialects is one suppression.
func TestLintOpSuppressions(t *testing.T) {
	rendered := map[string][2]string{ // the CREATE INDEX and the DROP TABLE
		Postgres: {`CREATE INDEX "i" ON "public"."orders" ("a")`, `DROP TABLE "public"."legacy"`},
		MySQL:    {"CREATE INDEX `i` ON `orders` (`a`)", "DROP TABLE `legacy`"},
	}
	for _, tc := range []struct {
		name   string
		ignore []Suppression // on the CREATE INDEX, at line 4
		want   []string
		msg    string // in the message of the first finding at line 4, when set
	}{
		{"none", nil, []string{"RT301@4", "RT101@5"}, ""},
		{"suppressed", []Suppression{{"RT301", "the table holds 40 rows"}}, []string{"RT101@5"}, ""},
		{"two codes", []Suppression{{"RT301", "40 rows"}, {"RT701", "nothing else uses orders"}}, []string{"RT101@5"}, ""},
		{"no reason", []Suppression{{"RT301", " "}}, []string{"RT301@4", "RT904@4", "RT101@5"}, ""},
		{"not a code", []Suppression{{"create-index", "40 rows"}}, []string{"RT301@4", "RT904@4", "RT101@5"}, "names no rule code"},
		{"unknown code", []Suppression{{"RT999", "40 rows"}}, []string{"RT301@4", "RT904@4", "RT101@5"}, "RT999, which is no rule"},
		{"unused", []Suppression{{"RT301", "40 rows"}, {"RT101", "wrong operation"}}, []string{"RT902@4", "RT101@5"}, `Ignore("RT101", ...) matches no finding of this operation`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rev := &Revision{ID: "g1", Path: "m/g1.go", Go: true, HasDowngrade: true, Source: "package versions\n",
				Statements: map[string][]Statement{}}
			for d, r := range rendered {
				rev.Statements[d] = []Statement{{Text: r[0], Line: 4, Ignore: tc.ignore}, {Text: r[1], Line: 5}}
			}
			res := Lint([]*Revision{rev}, Settings{StatementTimeout: true})
			var got []string
			for _, f := range res.Findings {
				if slices.Contains([]string{"RT101", "RT301", "RT902", "RT904"}, f.Code) || f.Code == "RT701" && tc.name == "two codes" {
					got = append(got, f.Code+"@"+strconv.Itoa(f.Line))
				}
			}
			slices.Sort(got)
			got = slices.Compact(got) // the DROP TABLE's message names the table as each dialect quotes it
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("findings %v, want %v", got, want)
			}
			if tc.msg != "" {
				i := slices.IndexFunc(res.Findings, func(f Finding) bool { return f.Line == 4 && (f.Code == "RT904" || f.Code == "RT902") })
				if i < 0 || !strings.Contains(res.Findings[i].Message, tc.msg) {
					t.Errorf("no RT902/RT904 at line 4 saying %q: %+v", tc.msg, res.Findings)
				}
			}
			// One suppression for both dialects: never two RT902 or RT904.
			n := 0
			for _, f := range res.Findings {
				if f.Code == "RT902" || f.Code == "RT904" {
					n++
				}
			}
			if n > 1 {
				t.Errorf("%d meta findings for one suppression: %v", n, codes(res.Findings))
			}
		})
	}
}
