package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// builtinEstimate is each workload's elapsed time, in seconds, on an idle
// 2-core machine with the peers cached, by the pattern of its name: the
// estimate of a workload that no results file of the same mode has
// measured yet. The first pattern that matches wins.
var builtinEstimate = map[bool][]struct {
	pattern *regexp.Regexp
	seconds int
}{
	false: { // the full run: 5 runs, slow tools fewer
		{regexp.MustCompile(`^startup$`), 4},
		{regexp.MustCompile(`^heads-\d+(-dense)?(-nocache)?$`), 10},
		{regexp.MustCompile(`^history-\d+(-dense)?$`), 28},
		{regexp.MustCompile(`^sql-\d+(-dense)?$`), 30},
		{regexp.MustCompile(`^upgrade-\d+-sqlite$`), 20},
		{regexp.MustCompile(`^upgrade-\d+-sqlite-one-tx$`), 17},
		{regexp.MustCompile(`^downgrade-\d+-sqlite$`), 32},
		{regexp.MustCompile(`^heads-100k-chain$`), 20},
		{regexp.MustCompile(`^rss-history-\d+$`), 35},
		{regexp.MustCompile(`^autogen-\d+-sqlite$`), 42},
		{regexp.MustCompile(`^inspect-`), 35},
		{regexp.MustCompile(`^diff-render-`), 20},
		{regexp.MustCompile(`^apply-\d+-sqlite$`), 100},
		{regexp.MustCompile(`^apply-\d+-postgres$`), 120},
		{regexp.MustCompile(`^apply-\d+-mariadb$`), 180},
		{regexp.MustCompile(`^revert-\d+-sqlite$`), 140},
		{regexp.MustCompile(`^revert-\d+-postgres$`), 170},
		{regexp.MustCompile(`^revert-\d+-mariadb$`), 270},
		{regexp.MustCompile(`^status-`), 85},
		{regexp.MustCompile(`^concurrent-postgres$`), 150},
		{regexp.MustCompile(`^concurrent-mariadb$`), 180},
		{regexp.MustCompile(`^concurrent-sqlite$`), 120},
		{regexp.MustCompile(`^bulk-\d+-postgres$`), 80},
		{regexp.MustCompile(`^bulk-\d+-mariadb$`), 60},
		{regexp.MustCompile(`^bulk-\d+-sqlite$`), 45},
		// 1,000 schemas: each tool's checking run, then 3 timed runs of
		// retort, the xargs loop and the floor; the sequential goose loop
		// (over 20 s) has its checking run as its one timed run.
		{regexp.MustCompile(`^fleet-\d+-postgres$`), 300},
	},
	true: { // --quick: 2 runs, 1 trial
		{regexp.MustCompile(`^startup$`), 3},
		{regexp.MustCompile(`^(heads|history|sql)-`), 5},
		{regexp.MustCompile(`^autogen-`), 3},
		{regexp.MustCompile(`^(upgrade|downgrade)-`), 4},
		{regexp.MustCompile(`^(apply|revert)-\d+-postgres$`), 15},
		{regexp.MustCompile(`^apply-\d+-mariadb$`), 12},
		{regexp.MustCompile(`^apply-`), 7},
		{regexp.MustCompile(`^status-`), 7},
		{regexp.MustCompile(`^concurrent-`), 12},
		{regexp.MustCompile(`^bulk-\d+-postgres$`), 8},
		{regexp.MustCompile(`^bulk-`), 3},
		{regexp.MustCompile(`^fleet-`), 20},
	},
}

// estimate is one workload's expected elapsed time and where it comes from.
type estimate struct {
	Name    string
	Seconds int
	From    string // a results file, or "built-in"
}

// estimates returns the expected elapsed time of each named workload: the
// elapsed time recorded in the newest results file of the mode that has
// the workload, else the built-in figure (0 and "unknown" when none).
func estimates(dir string, quick bool, names []string) []estimate {
	files := resultsFiles(dir, quick)
	var out []estimate
	for _, name := range names {
		e := estimate{Name: name, From: "unknown"}
		for _, f := range files {
			r, err := readResults(f)
			if err != nil {
				continue
			}
			i := slices.IndexFunc(r.Workloads, func(w *Workload) bool { return w.Name == name && w.ElapsedSeconds != nil })
			if i >= 0 {
				e.Seconds, e.From = *r.Workloads[i].ElapsedSeconds, filepath.ToSlash(f)
				break
			}
		}
		if e.From == "unknown" {
			for _, b := range builtinEstimate[quick] {
				if b.pattern.MatchString(name) {
					e.Seconds, e.From = b.seconds, "built-in"
					break
				}
			}
		}
		out = append(out, e)
	}
	return out
}

// resultsFiles lists the results files of one mode in dir, newest first.
func resultsFiles(dir string, quick bool) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	type file struct {
		name, date string
		mod        int64
	}
	var fs []file
	for _, e := range entries {
		m := resultsName.FindStringSubmatch(e.Name())
		if m == nil || (m[3] != "") != quick {
			continue
		}
		var mod int64
		if info, err := e.Info(); err == nil {
			mod = info.ModTime().UnixNano()
		}
		fs = append(fs, file{e.Name(), m[1], mod})
	}
	slices.SortFunc(fs, func(a, b file) int {
		if c := strings.Compare(b.date, a.date); c != 0 {
			return c
		}
		switch {
		case a.mod > b.mod:
			return -1
		case a.mod < b.mod:
			return 1
		}
		return strings.Compare(b.name, a.name)
	})
	var out []string
	for _, f := range fs {
		out = append(out, filepath.Join(dir, f.name))
	}
	return out
}

// setupSeconds is the time bench/run takes before its first workload with
// the peers cached and the Go build cache warm.
const setupSeconds = 15

// estimateMain prints each workload's estimate on stderr and the total, in
// seconds, on stdout (bench/run records it in the results).
func estimateMain(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("estimate", flag.ContinueOnError)
	dir := fs.String("results", "bench/results", "folder of results files")
	quick := fs.Bool("quick", false, "estimate the --quick run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	es := estimates(*dir, *quick, fs.Args())
	// The set-up before the first workload: the peers' check, building
	// retort, the generator and the report.
	es = append([]estimate{{Name: "set-up", Seconds: setupSeconds, From: "built-in"}}, es...)
	total, unknown := 0, 0
	for _, e := range es {
		total += e.Seconds
		if e.From == "unknown" {
			unknown++
		}
	}
	mode := "full run"
	if *quick {
		mode = "--quick"
	}
	fmt.Fprintf(stderr, "estimate (%s, idle 2-core machine, peers cached): %s for %d workload(s)", mode, fmtDuration(total), len(es)-1)
	if unknown > 0 {
		fmt.Fprintf(stderr, ", %d without an estimate", unknown)
	}
	fmt.Fprintln(stderr)
	for _, e := range es {
		fmt.Fprintf(stderr, "   %-28s %6s  (%s)\n", e.Name, fmtDuration(e.Seconds), e.From)
	}
	_, err := fmt.Fprintln(stdout, total)
	return err
}

// fmtDuration writes seconds as "42 s" or "12 min 5 s".
func fmtDuration(s int) string {
	if s < 60 {
		return fmt.Sprintf("%d s", s)
	}
	return fmt.Sprintf("%d min %d s", s/60, s%60)
}
