package main

import (
	"os"
	"path/filepath"
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
	if len(r.Workloads) != 3 {
		t.Fatalf("%d workloads", len(r.Workloads))
	}
	heads := r.Workloads[0]
	if heads.Ratio == nil || *heads.Ratio != 30 {
		t.Errorf("heads ratio %v, want 30", heads.Ratio)
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

	verdicts := evalTargets(r)
	if verdicts[0].Verdict != "pass" || verdicts[2].Verdict != "FAIL" || verdicts[3].Verdict != "not measured" || verdicts[5].Verdict != "pass" {
		t.Errorf("targets: %+v", verdicts)
	}

	// A quick file dated later does not hide the full run.
	write("results/2024-05-02-quick.json", "{}")
	newest, err := newestResults(filepath.Join(dir, "results"))
	if err != nil || filepath.Base(newest) != "2024-05-01.json" {
		t.Errorf("newest = %s, %v", newest, err)
	}

	md := filepath.Join(dir, "benchmarks.md")
	if err := markdownMain([]string{"-in", out, "-out", md}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(md)
	for _, want := range []string{"[heads-5000](#heads-5000)", "30.0×", "| retort | failed |", "panic: boom", "## Reproduce", "abc1234"} {
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
	if len(r.Workloads) != 4 {
		t.Errorf("after merge: %d workloads, want 4", len(r.Workloads))
	}
}
