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

	verdicts := evalTargets(r)
	if verdicts[0].Verdict != "pass" || verdicts[2].Verdict != "FAIL" || verdicts[3].Verdict != "not measured" || verdicts[5].Verdict != "pass" {
		t.Errorf("targets: %+v", verdicts)
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
