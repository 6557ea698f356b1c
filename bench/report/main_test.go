package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestCollectAndMarkdown(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	hf := write("heads.json", `{"results": [
		{"command": "retort", "mean": 0.05, "stddev": 0.001, "median": 0.05, "user": 0.01, "system": 0.01, "min": 0.04, "max": 0.06, "times": [0.05]},
		{"command": "alembic", "mean": 1.5, "stddev": 0.01, "median": 1.5, "user": 1, "system": 0.2, "min": 1.4, "max": 1.6, "times": [1.5]}]}`)
	errf := write("sql.err", "panic: boom\ngoroutine 1 [running]:\n")
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dbmateErr := write("dbmate.err", "1\n2\n3\n4\n5\n6\n7\nError: "+wd+"/migrations/1.sql: relation \"t_1\" already exists\n")
	manifest := strings.Join([]string{
		"meta\tdate\t2024-05-01",
		"meta\tquick\t0",
		"meta\truns\t10",
		"meta\twarmup\t2",
		"meta\tnproc\t2",
		"meta\tretort_commit\tabc1234",
		"workload\theads-5000\ttime\t5000\tbranchy\t`heads` on 5000",
		"command\theads-5000\tretort\tretort heads",
		"command\theads-5000\talembic\talembic heads",
		"hyperfine\theads-5000\t" + hf,
		"status\theads-5000\tretort\tok",
		"status\theads-5000\talembic\tok",
		"workload\tsql-5000\ttime\t5000\tbranchy\t--sql",
		"command\tsql-5000\tretort\tretort upgrade head --sql",
		"status\tsql-5000\tretort\tfailed",
		"error\tsql-5000\tretort\texit status 2",
		"errfile\tsql-5000\tretort\t" + errf,
		"workload\trss-history-10000\trss\t10000\tbranchy\tpeak memory",
		"rss\trss-history-10000\tretort\t30000",
		"rss\trss-history-10000\tretort\t31000",
		"rss\trss-history-10000\tretort\t29000",
		"status\trss-history-10000\tretort\tok",
		"rss\trss-history-10000\talembic\t90000",
		"status\trss-history-10000\talembic\tok",
		"mode\theads-5000\tretort\tone transaction per revision",
		"peakrss\theads-5000\tretort\t20480",
		"workload\tconcurrent-postgres\ttrials\t20\tchain\t8 processes",
		"trials\tconcurrent-postgres\tretort\t20\t0\t0\t0",
		"status\tconcurrent-postgres\tretort\tok",
		"trials\tconcurrent-postgres\tdbmate\t20\t7\t9\t1",
		"status\tconcurrent-postgres\tdbmate\tok",
		"errfile\tconcurrent-postgres\tdbmate\t" + dbmateErr,
		"status\tconcurrent-postgres\tatlas\tfailed",
		"error\tconcurrent-postgres\tatlas\tnot installable: 404",
		"meta\tpeer_atlas\tnot installable: 404",
		"meta\tpeer_goose\tv3.29.0",
	}, "\n") + "\n"
	m := write("manifest.tsv", manifest)
	out := filepath.Join(dir, "results", "2024-05-01.json")
	if err := collectMain([]string{"-manifest", m, "-out", out}); err != nil {
		t.Fatal(err)
	}
	r, err := readResults(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Workloads) != 4 {
		t.Fatalf("%d workloads", len(r.Workloads))
	}
	heads := r.Workloads[0]
	if heads.Ratio == nil || *heads.Ratio != 30 {
		t.Errorf("heads ratio %v, want 30", heads.Ratio)
	}
	if a := heads.find("alembic").RetortRatio; a == nil || *a != 0.05/1.5 {
		t.Errorf("heads retort ÷ alembic %v, want %v", a, 0.05/1.5)
	}
	if rt := heads.find("retort"); rt.Mode != "one transaction per revision" || rt.PeakRSSKiB == nil || *rt.PeakRSSKiB != 20480 {
		t.Errorf("heads retort mode %q, peak rss %v", rt.Mode, rt.PeakRSSKiB)
	}
	conc := r.Workloads[3]
	if d := conc.find("dbmate"); d.Status != "ok" || *d.Trials != 20 || *d.Twice != 7 || *d.FailedRuns != 9 || *d.WrongEnding != 1 {
		t.Errorf("concurrent dbmate: %+v", d)
	}
	sql := r.Workloads[1]
	if sql.Ratio != nil || sql.find("retort").Status != "failed" || !strings.Contains(sql.find("retort").Stderr, "panic: boom") {
		t.Errorf("sql: %+v", sql.find("retort"))
	}
	rss := r.Workloads[2]
	if got := *rss.find("retort").MaxRSSKiB; got != 31000 {
		t.Errorf("max rss %d", got)
	}
	if got := *rss.find("retort").MedianRSSKiB; got != 30000 {
		t.Errorf("median rss %d", got)
	}

	var earlier []targetResult
	for _, v := range evalTargets(r) {
		if v.Group == "" {
			earlier = append(earlier, v)
		}
	}
	if earlier[0].Verdict != "pass" || earlier[2].Verdict != "FAIL" || earlier[3].Verdict != "not measured" || earlier[5].Verdict != "pass" {
		t.Errorf("targets: %+v", earlier)
	}

	// A quick file dated later does not hide the full run.
	write("results/2024-05-02-abc1234-quick.json", "{}")
	newest, err := newestResults(filepath.Join(dir, "results"))
	if err != nil || filepath.Base(newest) != "2024-05-01.json" {
		t.Errorf("newest = %s, %v", newest, err)
	}
	// A full run of a later day, named by its commit, is the newest.
	write("results/2024-04-30-0000000.json", "{}")
	write("results/2024-05-03-def5678.json", "{}")
	if newest, err := newestResults(filepath.Join(dir, "results")); err != nil || filepath.Base(newest) != "2024-05-03-def5678.json" {
		t.Errorf("newest = %s, %v", newest, err)
	}

	md := filepath.Join(dir, "benchmarks.md")
	if err := markdownMain([]string{"-in", out, "-out", md}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(md)
	for _, want := range []string{"[heads-5000](#heads-5000)", "| Alembic | - | 1.50 s | 1.40 s | 1.60 s | 0.03× | - |",
		"| retort | one transaction per revision | 50.0 ms | 40.0 ms | 60.0 ms | 1.00× | 20.0 MiB |", "| retort | - | failed |",
		"| dbmate | - | 20 | 7 | 9 | 1 |", "| Atlas | - | failed |", "| Atlas | not installable: 404 |", "| goose | v3.29.0 |",
		"panic: boom", "dbmate stderr of a process that failed (its last lines):\n\n```\n…\n3\n4\n5\n6\n7\nError: migrations/1.sql: relation",
		"## Reproduce", "abc1234", "benchmarks-apply.md", "benchmarks-bulk.md"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("markdown lacks %q", want)
		}
	}

	// --only: merging keeps the other workloads.
	m2 := write("manifest2.tsv", "meta\tdate\t2024-05-01\nworkload\tstartup\ttime\t0\t-\tstart\nstatus\tstartup\tretort\tskipped\n")
	if err := collectMain([]string{"-manifest", m2, "-out", out, "-merge"}); err != nil {
		t.Fatal(err)
	}
	r, _ = readResults(out)
	if len(r.Workloads) != 5 {
		t.Errorf("after merge: %d workloads, want 5", len(r.Workloads))
	}
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden collects testdata/manifest.tsv, a small full run with every
// kind of workload (graph, apply with every peer and a slow one, the
// chain, concurrent start, bulk load), and compares the page and the
// summary with the golden files (go test ./bench/report -update).
func TestGolden(t *testing.T) {
	out := filepath.Join(t.TempDir(), "2026-12-07-abc1234.json")
	if err := collectMain([]string{"-manifest", "testdata/manifest.tsv", "-out", out}); err != nil {
		t.Fatal(err)
	}
	r, err := readResults(out)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	writeMarkdown(&b, r, "bench/results/2026-12-07-abc1234.json")
	golden(t, "testdata/benchmarks.golden.md", b.String())

	var targets strings.Builder
	for _, v := range evalTargets(r) {
		targets.WriteString(v.Group + "\t" + v.Verdict + "\t" + v.Target + "\t" + v.Measured + "\n")
	}
	golden(t, "testdata/targets.golden.tsv", targets.String())
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./bench/report -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the output (go test ./bench/report -update rewrites it); got:\n%s", path, got)
	}
}

// TestBulkCollect checks the figures of a bulk workload: medians over the
// runs, CPU, peak RSS (the largest run) and the run on fewer rows.
func TestBulkCollect(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.json")
	if err := collectMain([]string{"-manifest", "testdata/manifest.tsv", "-out", out}); err != nil {
		t.Fatal(err)
	}
	r, err := readResults(out)
	if err != nil {
		t.Fatal(err)
	}
	var w *Workload
	for _, x := range r.Workloads {
		if x.Name == "bulk-1000000-postgres" {
			w = x
		}
	}
	if w == nil {
		t.Fatal("no bulk-1000000-postgres")
	}
	for _, tc := range []struct {
		tool        string
		median, cpu float64
		runs        int
		peak        int64
		retortRatio float64
	}{
		{"retort", 1.5, 0.52, 3, 19100, 1},
		{"floor", 2.0, 0.21, 3, 9010, 0.75},
		{"alembic", 60, 40.1, 1, 812000, 0.025},
	} {
		tr := w.find(tc.tool)
		if tr.Status != "ok" || *tr.Median != tc.median || *tr.CPUSeconds != tc.cpu || tr.Runs != tc.runs || *tr.PeakRSSKiB != tc.peak {
			t.Errorf("%s: status %s median %v cpu %v runs %d peak %v", tc.tool, tr.Status, *tr.Median, *tr.CPUSeconds, tr.Runs, *tr.PeakRSSKiB)
		}
		if d := *tr.RetortRatio - tc.retortRatio; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s: retort ÷ tool %v, want %v", tc.tool, *tr.RetortRatio, tc.retortRatio)
		}
	}
	if rt := w.find("retort"); *rt.SmallRows != 100000 || *rt.SmallPeakRSSKiB != 16384 {
		t.Errorf("retort on fewer rows: %v rows, %v KiB", *rt.SmallRows, *rt.SmallPeakRSSKiB)
	}
	if *w.ElapsedSeconds != 85 {
		t.Errorf("elapsed %v", *w.ElapsedSeconds)
	}
}

// TestEstimate: a workload measured by a results file of the same mode
// takes its elapsed time from there; the others the built-in figure.
func TestEstimate(t *testing.T) {
	dir := t.TempDir()
	if err := collectMain([]string{"-manifest", "testdata/manifest.tsv", "-out", filepath.Join(dir, "2026-12-07-abc1234.json")}); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := estimateMain([]string{"-results", dir, "heads-5000", "bulk-1000000-sqlite", "no-such-workload"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	// heads-5000: 21 s from the file; bulk-1000000-sqlite: built-in.
	want := setupSeconds + 21
	for _, b := range builtinEstimate[false] {
		if b.pattern.MatchString("bulk-1000000-sqlite") {
			want += b.seconds
			break
		}
	}
	if got := strings.TrimSpace(stdout.String()); got != strconv.Itoa(want) {
		t.Errorf("total %s, want %d", got, want)
	}
	for _, s := range []string{"heads-5000", filepath.ToSlash(filepath.Join(dir, "2026-12-07-abc1234.json")), "built-in", "no-such-workload", "1 without an estimate"} {
		if !strings.Contains(stderr.String(), s) {
			t.Errorf("estimate output lacks %q:\n%s", s, stderr.String())
		}
	}
	// A quick estimate ignores the full run's file.
	stdout.Reset()
	if err := estimateMain([]string{"-results", dir, "-quick", "heads-5000"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(stdout.String()); got == "21" {
		t.Errorf("quick estimate took the full run's figure")
	}
}

// TestTargetOutOfReach: where the floor itself is not 10× faster than
// Alembic on SQLite, the target's row says the figure is out of reach
// for any tool, beside the failing verdict.
func TestTargetOutOfReach(t *testing.T) {
	sec := func(v float64) *float64 { return &v }
	w := &Workload{Name: "apply-1000-sqlite", Kind: "time", Revisions: 1000, Tools: []*ToolResult{
		{Tool: "retort", Status: "ok", Median: sec(1.55)},
		{Tool: "alembic", Status: "ok", Median: sec(3.48)},
		{Tool: "floor", Status: "ok", Median: sec(1.43)},
	}}
	var found bool
	for _, r := range targets19(map[string]*Workload{w.Name: w}) {
		if !strings.HasPrefix(r.Target, "6. the same") {
			continue
		}
		found = true
		if r.Verdict != "FAIL" || !strings.Contains(r.Measured, "out of reach: the floor itself is 2.43× faster than Alembic") {
			t.Errorf("target 6 against Alembic: %s, %q", r.Verdict, r.Measured)
		}
	}
	if !found {
		t.Fatal("no row for target 6 against Alembic")
	}
}

// TestMerge: `report merge` brings the workloads of another run into a
// results file, replacing one of the same name and appending a new one,
// each keeping its commit, which the page names; runs of different modes
// are refused.
func TestMerge(t *testing.T) {
	dir := t.TempDir()
	into := filepath.Join(dir, "2026-12-07-abc1234.json")
	if err := collectMain([]string{"-manifest", "testdata/manifest.tsv", "-out", into}); err != nil {
		t.Fatal(err)
	}
	before, err := readResults(into)
	if err != nil {
		t.Fatal(err)
	}
	hf := filepath.Join(dir, "startup.json")
	if err := os.WriteFile(hf, []byte(`{"results": [{"command": "retort", "mean": 0.004, "median": 0.004, "min": 0.004, "max": 0.004, "times": [0.004]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	manifest := strings.Join([]string{
		"meta\tdate\t2026-12-08",
		"meta\tstarted_at\t2026-12-08T10:00:00Z",
		"meta\tquick\t0",
		"meta\tretort_commit\tdef5678",
		"meta\tload_before\t3.10 2.00 1.00",
		"meta\tload_after\t0.50 0.40 0.30",
		"workload\tstartup\ttime\t0\t-\tstart again",
		"hyperfine\tstartup\t" + hf,
		"status\tstartup\tretort\tok",
		"workload\tfleet-9-postgres\ttime\t3\tfleet\tnine schemas",
		"hyperfine\tfleet-9-postgres\t" + hf,
		"status\tfleet-9-postgres\tretort\tok",
	}, "\n") + "\n"
	m := filepath.Join(dir, "manifest.tsv")
	if err := os.WriteFile(m, []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	from := filepath.Join(dir, "2026-12-08-def5678.json")
	if err := collectMain([]string{"-manifest", m, "-out", from}); err != nil {
		t.Fatal(err)
	}
	if err := mergeMain([]string{"-into", into, from}); err != nil {
		t.Fatal(err)
	}
	after, err := readResults(into)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(after.Workloads), len(before.Workloads)+1; got != want {
		t.Fatalf("%d workloads after the merge, want %d", got, want)
	}
	for _, tc := range []struct{ name, commit, desc string }{
		{"startup", "def5678", "start again"},
		{"heads-5000", "abc1234", "`heads` on a 5000-revision graph"},
		{"fleet-9-postgres", "def5678", "nine schemas"},
	} {
		i := slices.IndexFunc(after.Workloads, func(w *Workload) bool { return w.Name == tc.name })
		if i < 0 {
			t.Errorf("no %s after the merge", tc.name)
			continue
		}
		if w := after.Workloads[i]; w.Commit != tc.commit || w.Description != tc.desc {
			t.Errorf("%s: commit %q, description %q; want %q, %q", tc.name, w.Commit, w.Description, tc.commit, tc.desc)
		}
	}
	if after.Versions.RetortCommit != "abc1234" || after.Date != before.Date {
		t.Errorf("the file's own run changed: commit %q, date %q", after.Versions.RetortCommit, after.Date)
	}
	var b strings.Builder
	writeMarkdown(&b, after, "bench/results/2026-12-07-abc1234.json")
	page := b.String()
	if !strings.Contains(page, "### fleet-9-postgres\n\nnine schemas.\n\nMeasured in another run, at 2026-12-08T10:00:00Z, of retort commit def5678 (brought into this file by `report merge`); the load average before / after that run: 3.10 2.00 1.00 / 0.50 0.40 0.30, **not quiet**") {
		t.Errorf("the page does not name the merged workload's run:\n%s", page)
	}
	if strings.Contains(page, "### heads-5000\n\n`heads` on a 5000-revision graph.\n\nMeasured in another run") {
		t.Error("the page names another run for a workload of its own")
	}

	quick := filepath.Join(dir, "2026-12-08-def5678-quick.json")
	if err := os.WriteFile(quick, []byte(`{"quick": true, "workloads": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := mergeMain([]string{"-into", into, quick}); err == nil || !strings.Contains(err.Error(), "merge runs of one mode") {
		t.Errorf("merging a quick run into a full one: %v", err)
	}
}
