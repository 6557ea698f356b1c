package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Go benchmark output becomes a retort-only time workload (the median
// ns/op of the runs, in seconds), and the limit targets read it.
func TestCollectGoBench(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	inspect := write("inspect.out", `goos: linux
BenchmarkInspect1000-2   	       5	 176127631 ns/op	      5678 tables/s
BenchmarkInspect1000-2   	       5	 150000000 ns/op	      6666 tables/s
BenchmarkInspect1000-2   	       5	 160000000 ns/op	      6250 tables/s
PASS
`)
	render := write("render.out", `BenchmarkCompareRender/create_1000_tables/sqlite-2   	5	23895894 ns/op	4000 stmts
BenchmarkCompareRender/create_1000_tables/sqlite_other-2   	5	99000000 ns/op	4000 stmts
`)
	var lines []string
	add := func(name, file, bench string) {
		lines = append(lines,
			"workload\t"+name+"\ttime\t0\tgobench\tdesc",
			"command\t"+name+"\tretort\tgo test",
			"gobench\t"+name+"\tretort\t"+file+"\t"+bench,
			"status\t"+name+"\tretort\tok",
			"status\t"+name+"\talembic\tskipped")
	}
	add("inspect-1000-sqlite", inspect, "BenchmarkInspect1000")
	add("inspect-1000-postgres", inspect, "BenchmarkInspect1000")
	for _, d := range []string{"sqlite", "postgres", "mysql"} {
		add("diff-render-1000-"+d, render, "BenchmarkCompareRender/create_1000_tables/sqlite")
	}
	m := write("manifest.tsv", "meta\tdate\t2024-05-01\n"+strings.Join(lines, "\n")+"\n")
	out := filepath.Join(dir, "r.json")
	if err := collectMain([]string{"-manifest", m, "-out", out}); err != nil {
		t.Fatal(err)
	}
	r, err := readResults(out)
	if err != nil {
		t.Fatal(err)
	}
	var w *Workload
	for _, x := range r.Workloads {
		if x.Name == "inspect-1000-sqlite" {
			w = x
		}
	}
	rt := w.find("retort")
	if rt.Status != "ok" || rt.Median == nil || *rt.Median != 0.16 || *rt.Min != 0.15 || len(rt.Times) != 3 {
		t.Fatalf("inspect-1000-sqlite: %+v", rt)
	}
	if w.Ratio != nil {
		t.Errorf("a ratio without Alembic: %v", *w.Ratio)
	}
	verdicts := map[string]string{}
	for _, tr := range evalTargets(r) {
		verdicts[tr.Target] = tr.Verdict + ": " + tr.Measured
	}
	for target, want := range map[string]string{
		"reflection of 1,000 tables under 0.1 s on SQLite":            "FAIL: median 160.0 ms",
		"reflection of 1,000 tables under 1 s on PostgreSQL":          "pass: median 160.0 ms",
		"reflection of 1,000 tables under 1.5 s on MariaDB":           "not measured: no inspect-1000-mariadb workload in this run",
		"diff and render of 1,000 tables under 0.05 s (each dialect)": "pass: median 23.9 ms (slowest: diff-render-1000-sqlite)",
	} {
		if got := verdicts[target]; got != want {
			t.Errorf("%s: %q, want %q", target, got, want)
		}
	}

	var md strings.Builder
	writeMarkdown(&md, r, "r.json")
	if strings.Contains(md.String(), "not quiet") {
		t.Error("a run with no load recorded is reported as not quiet")
	}
	r.Machine.LoadBefore = "6.81 6.16 4.78"
	md.Reset()
	writeMarkdown(&md, r, "r.json")
	if !strings.Contains(md.String(), "**The machine was not quiet:**") {
		t.Error("a run at load 6.81 is not reported as noisy")
	}
	if !strings.Contains(md.String(), "measured by a Go benchmark") {
		t.Error("the Go benchmark workloads are not explained")
	}

	if _, err := parseGoBench("BenchmarkOther-2 1 5 ns/op\n", "BenchmarkInspect1000"); err == nil {
		t.Error("no result line for the benchmark, and no error")
	}
}
