// Command report turns benchmark runs into results files and the results
// into docs/benchmarks.md. Only the standard library is used.
//
//	go run ./bench/report                   # docs/benchmarks.md from the newest bench/results/*.json
//	go run ./bench/report -in FILE -out -   # a given results file, markdown on stdout
//	report collect -manifest M -out FILE [-merge]   (used by bench/run)
//	report summary -in FILE                         (used by bench/run)
//	report merge -into FILE FROM...                 (workloads of other runs into FILE)
//
// The newest results file is the one with the latest date in its name; a
// full run (YYYY-MM-DD.json) is preferred to a quick one
// (YYYY-MM-DD-quick.json) unless only quick runs exist.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Results is one bench/results/*.json file.
type Results struct {
	Date     string            `json:"date"`
	Quick    bool              `json:"quick"`
	Runs     int               `json:"runs"`
	Warmup   int               `json:"warmup"`
	Seed     int               `json:"seed"`
	Meta     map[string]string `json:"meta"`
	Machine  Machine           `json:"machine"`
	Versions Versions          `json:"versions"`

	Workloads []*Workload `json:"workloads"`
}

type Machine struct {
	Nproc       string `json:"nproc"`
	CPUModel    string `json:"cpu_model"`
	MemoryTotal string `json:"memory_total"`
	Kernel      string `json:"kernel"`
	LoadBefore  string `json:"load_before"`
	LoadAfter   string `json:"load_after"`
}

type Versions struct {
	RetortCommit       string `json:"retort_commit"`
	Retort             string `json:"retort"`
	Alembic            string `json:"alembic"`
	SQLAlchemy         string `json:"sqlalchemy"`
	Python             string `json:"python"`
	Go                 string `json:"go"`
	SQLiteRetortModule string `json:"sqlite_retort_module"`
	SQLiteAlembic      string `json:"sqlite_alembic"`
	SQLite3CLI         string `json:"sqlite3_cli"`
	Hyperfine          string `json:"hyperfine"`
}

// Workload is one measured thing, with a result per tool.
type Workload struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"` // "time" (seconds), "bulk" (seconds of the insert), "trials" or "rss" (KiB)
	Description string `json:"description"`
	Revisions   int    `json:"revisions"`
	Shape       string `json:"shape"`
	MeasuredAt  string `json:"measured_at"`
	Quick       bool   `json:"quick"`
	Runs        int    `json:"runs,omitempty"`
	Warmup      int    `json:"warmup,omitempty"`
	// Invocation is the hyperfine command line that timed the workload.
	Invocation string        `json:"invocation,omitempty"`
	Tools      []*ToolResult `json:"tools"`
	// ElapsedSeconds is the workload's wall time in the run: projects,
	// preparations, checking runs and timed runs.
	ElapsedSeconds *int `json:"elapsed_seconds,omitempty"`
	// Ratio is alembic's median over retort's (time or RSS); absent when
	// either is missing.
	Ratio *float64 `json:"ratio,omitempty"`
	// Commit is the retort commit the workload was measured at (the
	// run's); it differs from the file's when `report merge` brought the
	// workload in from another run.
	Commit string `json:"commit,omitempty"`
	// Load is the load average before / after the other run of a
	// workload brought in by `report merge`.
	Load string `json:"load,omitempty"`
}

// ToolResult is one tool's result on a workload.
type ToolResult struct {
	Tool    string `json:"tool"`
	Status  string `json:"status"` // ok, failed, skipped
	Command string `json:"command,omitempty"`
	Error   string `json:"error,omitempty"`
	// Stderr is the tail of the stderr of the checking run when the run
	// failed, or when it succeeded but printed something other than the
	// usual step log.
	Stderr string `json:"stderr,omitempty"`
	// CheckSeconds is the wall time of the one checking run.
	CheckSeconds *float64 `json:"check_seconds,omitempty"`

	// kind "time", in seconds
	Median *float64  `json:"median,omitempty"`
	Min    *float64  `json:"min,omitempty"`
	Max    *float64  `json:"max,omitempty"`
	Mean   *float64  `json:"mean,omitempty"`
	Stddev *float64  `json:"stddev,omitempty"`
	User   *float64  `json:"user,omitempty"`
	System *float64  `json:"system,omitempty"`
	Times  []float64 `json:"times,omitempty"`

	// Mode is the tool's transaction mode (or the command chosen as the
	// nearest equivalent) in this workload.
	Mode string `json:"mode,omitempty"`
	// PeakRSSKiB is the peak RSS of the checking run (the tool and any
	// client it starts), in KiB.
	PeakRSSKiB *int64 `json:"peak_rss_kib,omitempty"`
	// RetortRatio is retort's median over this tool's (time workloads):
	// below 1 means retort is faster.
	RetortRatio *float64 `json:"retort_ratio,omitempty"`

	// Runs is the number of timed runs (time and bulk workloads).
	Runs int `json:"runs,omitempty"`
	// kind "bulk": CPU seconds (user+sys) per run and their median; the
	// peak RSS on a tenth of the rows (SmallRows), to show memory flat.
	CPUTimes        []float64 `json:"cpu_times,omitempty"`
	CPUSeconds      *float64  `json:"cpu_seconds,omitempty"`
	SmallRows       *int      `json:"small_rows,omitempty"`
	SmallPeakRSSKiB *int64    `json:"small_peak_rss_kib,omitempty"`
	bulkRSS         []int64

	// kind "trials": concurrent start
	Trials      *int `json:"trials,omitempty"`
	Twice       *int `json:"applied_twice,omitempty"`
	FailedRuns  *int `json:"failed_trials,omitempty"`
	WrongEnding *int `json:"wrong_end_state,omitempty"`

	// kind "rss", in KiB
	RSSKiB       []int64 `json:"rss_kib,omitempty"`
	MedianRSSKiB *int64  `json:"median_rss_kib,omitempty"`
	MaxRSSKiB    *int64  `json:"max_rss_kib,omitempty"`
}

// toolOrder is the order of the tools in every table: retort, the peers,
// then the floor (the database's own client running the same SQL).
var toolOrder = []string{"retort", "alembic", "goose", "goose_p8", "migrate", "dbmate", "sqitch", "atlas", "floor"}

// toolTitle is a tool's name as the tables show it.
var toolTitle = map[string]string{"retort": "retort", "alembic": "Alembic", "goose": "goose", "goose_p8": "goose, `xargs -P 8`", "migrate": "golang-migrate",
	"dbmate": "dbmate", "sqitch": "sqitch", "atlas": "Atlas", "floor": "floor (the client)"}

func (w *Workload) tool(name string) *ToolResult {
	for _, t := range w.Tools {
		if t.Tool == name {
			return t
		}
	}
	t := &ToolResult{Tool: name}
	w.Tools = append(w.Tools, t)
	sort.SliceStable(w.Tools, func(i, j int) bool {
		return slices.Index(toolOrder, w.Tools[i].Tool) < slices.Index(toolOrder, w.Tools[j].Tool)
	})
	return t
}

// value is the figure the ratio and the targets use: median seconds, or
// peak (max over runs) RSS in KiB.
func (t *ToolResult) value(kind string) (float64, bool) {
	if t == nil || t.Status != "ok" {
		return 0, false
	}
	if kind == "trials" {
		return 0, false
	}
	if kind == "rss" {
		if t.MaxRSSKiB == nil {
			return 0, false
		}
		return float64(*t.MaxRSSKiB), true
	}
	if t.Median == nil {
		return 0, false
	}
	return *t.Median, true
}

func (w *Workload) find(name string) *ToolResult {
	for _, t := range w.Tools {
		if t.Tool == name {
			return t
		}
	}
	return nil
}

func (w *Workload) computeRatio() {
	w.Ratio = nil
	for _, t := range w.Tools {
		t.RetortRatio = nil
		if w.Kind != "time" && w.Kind != "bulk" {
			continue
		}
		r, ok1 := w.find("retort").value(w.Kind)
		v, ok2 := t.value(w.Kind)
		if ok1 && ok2 && v > 0 {
			t.RetortRatio = ptr(r / v)
		}
	}
	r, ok1 := w.find("retort").value(w.Kind)
	a, ok2 := w.find("alembic").value(w.Kind)
	if ok1 && ok2 && r > 0 {
		x := a / r
		w.Ratio = &x
	}
}

func ptr[T any](v T) *T { return &v }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "report:", err)
	os.Exit(1)
}

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "collect":
			if err := collectMain(os.Args[2:]); err != nil {
				fail(err)
			}
			return
		case "summary":
			if err := summaryMain(os.Args[2:]); err != nil {
				fail(err)
			}
			return
		case "merge":
			if err := mergeMain(os.Args[2:]); err != nil {
				fail(err)
			}
			return
		case "estimate":
			if err := estimateMain(os.Args[2:], os.Stdout, os.Stderr); err != nil {
				fail(err)
			}
			return
		}
	}
	if err := markdownMain(os.Args[1:]); err != nil {
		fail(err)
	}
}

// ------------------------------------------------------------------ collect

// hyperfineExport is the part of hyperfine's --export-json that we read.
type hyperfineExport struct {
	Results []struct {
		Command string    `json:"command"`
		Mean    float64   `json:"mean"`
		Stddev  *float64  `json:"stddev"`
		Median  float64   `json:"median"`
		User    float64   `json:"user"`
		System  float64   `json:"system"`
		Min     float64   `json:"min"`
		Max     float64   `json:"max"`
		Times   []float64 `json:"times"`
	} `json:"results"`
}

// relativePaths writes the paths under the working folder (bench/run
// collects from the repository's root) relative to it, so that the
// results and the page name no machine-specific path.
func relativePaths(s string) string {
	wd, err := os.Getwd()
	if err != nil || wd == "/" {
		return s
	}
	return strings.ReplaceAll(s, wd+"/", "")
}

// tailFile returns the last max bytes of a file, from a line start.
func tailFile(path string, max int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	s := relativePaths(strings.TrimSpace(string(b)))
	if len(s) > max {
		s = s[len(s)-max:]
		if i := strings.IndexByte(s, '\n'); i >= 0 && i < len(s)-1 {
			s = s[i+1:]
		}
		s = "…\n" + s
	}
	return s
}

// usualLog matches the step log both tools print on stderr on success, which
// is not worth keeping in the results.
var usualLog = regexp.MustCompile(`^(INFO  \[alembic\.runtime\.migration\] .*|Running (upgrade|downgrade) .*|.*Context impl SQLiteImpl\..*|.*Will assume non-transactional DDL\..*)$`)

func unusualStderr(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var keep []string
	for _, line := range strings.Split(relativePaths(strings.TrimSpace(string(b))), "\n") {
		if line == "" || usualLog.MatchString(line) {
			continue
		}
		keep = append(keep, line)
	}
	if len(keep) > 20 {
		keep = append(keep[:20], fmt.Sprintf("… (%d more lines)", len(keep)-20))
	}
	return strings.Join(keep, "\n")
}

func collectMain(args []string) error {
	fs := flag.NewFlagSet("collect", flag.ExitOnError)
	manifest := fs.String("manifest", "", "manifest written by bench/run")
	out := fs.String("out", "", "results file to write")
	merge := fs.Bool("merge", false, "keep the other workloads of an existing results file")
	fs.Parse(args)
	if *manifest == "" || *out == "" {
		return errors.New("collect needs -manifest and -out")
	}
	f, err := os.Open(*manifest)
	if err != nil {
		return err
	}
	defer f.Close()

	res := &Results{Meta: map[string]string{}}
	var order []string
	byName := map[string]*Workload{}
	get := func(name string) *Workload {
		w := byName[name]
		if w == nil {
			w = &Workload{Name: name, Kind: "time"}
			byName[name] = w
			order = append(order, name)
		}
		return w
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		need := func(n int) bool { return len(fields) >= n }
		switch fields[0] {
		case "meta":
			if need(3) {
				res.Meta[fields[1]] = fields[2]
			}
		case "workload":
			if need(6) {
				w := get(fields[1])
				w.Kind = fields[2]
				w.Revisions, _ = strconv.Atoi(fields[3])
				w.Shape = fields[4]
				w.Description = fields[5]
			}
		case "command":
			if need(4) {
				get(fields[1]).tool(fields[2]).Command = fields[3]
			}
		case "status":
			if need(4) {
				get(fields[1]).tool(fields[2]).Status = fields[3]
			}
		case "error":
			if need(4) {
				t := get(fields[1]).tool(fields[2])
				t.Error = strings.TrimSpace(strings.Join(slices.DeleteFunc([]string{t.Error, fields[3]}, func(s string) bool { return s == "" }), "; "))
			}
		case "errfile":
			if need(4) {
				get(fields[1]).tool(fields[2]).Stderr = tailFile(fields[3], 3000)
			}
		case "stderrfile":
			if need(4) {
				get(fields[1]).tool(fields[2]).Stderr = unusualStderr(fields[3])
			}
		case "checkrun":
			if need(4) {
				if v, err := strconv.ParseFloat(fields[3], 64); err == nil {
					get(fields[1]).tool(fields[2]).CheckSeconds = &v
				}
			}
		case "invocation":
			if need(3) {
				w := get(fields[1])
				if w.Invocation != "" {
					w.Invocation += "\n"
				}
				w.Invocation += fields[2]
			}
		case "hyperfine":
			if need(3) {
				if err := readHyperfine(get(fields[1]), fields[2]); err != nil {
					return err
				}
			}
		case "gobench":
			if need(5) {
				if err := readGoBench(get(fields[1]).tool(fields[2]), fields[3], fields[4]); err != nil {
					return err
				}
			}
		case "mode":
			if need(4) {
				get(fields[1]).tool(fields[2]).Mode = fields[3]
			}
		case "peakrss":
			if need(4) {
				if kib, err := strconv.ParseInt(strings.TrimSpace(fields[3]), 10, 64); err == nil && kib > 0 {
					get(fields[1]).tool(fields[2]).PeakRSSKiB = &kib
				}
			}
		case "trials":
			if need(7) {
				t := get(fields[1]).tool(fields[2])
				var vals [4]int
				for i := range vals {
					v, err := strconv.Atoi(fields[3+i])
					if err != nil {
						return fmt.Errorf("trials of %s/%s: %q is not a number", fields[1], fields[2], fields[3+i])
					}
					vals[i] = v
				}
				t.Trials, t.Twice, t.FailedRuns, t.WrongEnding = ptr(vals[0]), ptr(vals[1]), ptr(vals[2]), ptr(vals[3])
			}
		case "oncerun":
			if need(4) {
				v, err := strconv.ParseFloat(fields[3], 64)
				if err != nil {
					return fmt.Errorf("timed checking run of %s/%s: %q is not a number", fields[1], fields[2], fields[3])
				}
				t := get(fields[1]).tool(fields[2])
				t.Median, t.Min, t.Max, t.Mean, t.Times = ptr(v), ptr(v), ptr(v), ptr(v), []float64{v}
			}
		case "elapsed":
			if need(3) {
				if v, err := strconv.Atoi(fields[2]); err == nil {
					get(fields[1]).ElapsedSeconds = &v
				}
			}
		case "bulkrun":
			if need(6) {
				t := get(fields[1]).tool(fields[2])
				secs, err1 := strconv.ParseFloat(fields[3], 64)
				cpu, err2 := strconv.ParseFloat(fields[4], 64)
				kib, err3 := strconv.ParseInt(fields[5], 10, 64)
				if err := errors.Join(err1, err2, err3); err != nil {
					return fmt.Errorf("bulk run of %s/%s: %v", fields[1], fields[2], err)
				}
				t.Times = append(t.Times, secs)
				t.CPUTimes = append(t.CPUTimes, cpu)
				t.bulkRSS = append(t.bulkRSS, kib)
			}
		case "bulksmall":
			if need(5) {
				t := get(fields[1]).tool(fields[2])
				rows, err1 := strconv.Atoi(fields[3])
				kib, err2 := strconv.ParseInt(fields[4], 10, 64)
				if err := errors.Join(err1, err2); err != nil {
					return fmt.Errorf("bulk run of %s/%s on fewer rows: %v", fields[1], fields[2], err)
				}
				t.SmallRows, t.SmallPeakRSSKiB = &rows, &kib
			}
		case "rss":
			if need(4) {
				kib, err := strconv.ParseInt(strings.TrimSpace(fields[3]), 10, 64)
				if err != nil {
					return fmt.Errorf("rss of %s/%s: %q is not a number", fields[1], fields[2], fields[3])
				}
				t := get(fields[1]).tool(fields[2])
				t.RSSKiB = append(t.RSSKiB, kib)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}

	res.Date = res.Meta["date"]
	res.Quick = res.Meta["quick"] == "1"
	res.Runs, _ = strconv.Atoi(res.Meta["runs"])
	res.Warmup, _ = strconv.Atoi(res.Meta["warmup"])
	res.Seed, _ = strconv.Atoi(res.Meta["seed"])
	m := res.Meta
	res.Machine = Machine{Nproc: m["nproc"], CPUModel: m["cpu_model"], MemoryTotal: m["memory_total"],
		Kernel: m["kernel"], LoadBefore: m["load_before"], LoadAfter: m["load_after"]}
	res.Versions = Versions{RetortCommit: m["retort_commit"], Retort: m["retort"], Alembic: m["alembic"],
		SQLAlchemy: m["sqlalchemy"], Python: m["python"], Go: m["go"],
		SQLiteRetortModule: m["sqlite_retort_module"], SQLiteAlembic: m["sqlite_alembic"],
		SQLite3CLI: m["sqlite3_cli"], Hyperfine: m["hyperfine"]}

	for _, name := range order {
		w := byName[name]
		w.MeasuredAt = m["started_at"]
		w.Commit = m["retort_commit"]
		w.Quick = res.Quick
		switch w.Kind {
		case "time":
			w.Runs, w.Warmup = res.Runs, res.Warmup
		case "bulk":
			w.Runs, w.Warmup = 0, 0
			for _, t := range w.Tools {
				if len(t.Times) > 0 {
					t.Median, t.Min, t.Max, t.Mean = stats(t.Times)
					t.CPUSeconds, _, _, _ = stats(t.CPUTimes)
					t.PeakRSSKiB = ptr(slices.Max(t.bulkRSS))
				}
			}
		case "trials":
			for _, t := range w.Tools {
				if t.Trials != nil {
					w.Runs = *t.Trials
				}
			}
		default:
			w.Runs = len(w.find("retort").rssOrNil())
		}
		for _, t := range w.Tools {
			if t.Status == "" {
				t.Status = "failed"
				if t.Error == "" {
					t.Error = "no result was recorded"
				}
			}
			if t.Status == "ok" && w.Kind == "trials" && t.Trials == nil {
				t.Status = "failed"
				t.Error = "no trial was recorded"
			}
			if t.Status == "ok" && (w.Kind == "time" || w.Kind == "bulk") && t.Median == nil {
				t.Status = "failed"
				t.Error = "no timing was recorded"
			}
			if w.Kind == "time" || w.Kind == "bulk" {
				t.Runs = len(t.Times)
			}
			if len(t.RSSKiB) > 0 {
				s := slices.Clone(t.RSSKiB)
				slices.Sort(s)
				t.MedianRSSKiB = ptr(s[len(s)/2])
				t.MaxRSSKiB = ptr(s[len(s)-1])
			}
		}
		w.computeRatio()
		res.Workloads = append(res.Workloads, w)
	}

	if *merge {
		if old, err := readResults(*out); err == nil {
			kept := old.Workloads[:0]
			for _, w := range old.Workloads {
				if byName[w.Name] == nil {
					kept = append(kept, w)
				}
			}
			res.Workloads = append(kept, res.Workloads...)
		}
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(*out, append(b, '\n'), 0o644)
}

func (t *ToolResult) rssOrNil() []int64 {
	if t == nil {
		return nil
	}
	return t.RSSKiB
}

func readHyperfine(w *Workload, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var h hyperfineExport
	if err := json.Unmarshal(b, &h); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	for _, r := range h.Results {
		t := w.tool(r.Command)
		t.Median, t.Min, t.Max, t.Mean = ptr(r.Median), ptr(r.Min), ptr(r.Max), ptr(r.Mean)
		t.Stddev, t.User, t.System, t.Times = r.Stddev, ptr(r.User), ptr(r.System), r.Times
	}
	return nil
}

// readGoBench reads the ns/op of benchmark bench (its full name, without
// the -GOMAXPROCS suffix) from the output of `go test -bench -count N`
// at path: one time per run, in seconds, and their median, min, max and
// mean.
func readGoBench(t *ToolResult, path, bench string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	times, err := parseGoBench(string(b), bench)
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	t.Median, t.Min, t.Max, t.Mean = stats(times)
	t.Times = times
	return nil
}

// stats returns the median, min, max and mean of xs (nil for none).
func stats(xs []float64) (median, lo, hi, mean *float64) {
	if len(xs) == 0 {
		return nil, nil, nil, nil
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	sum := 0.0
	for _, x := range s {
		sum += x
	}
	return ptr(m), ptr(s[0]), ptr(s[len(s)-1]), ptr(sum / float64(len(s)))
}

// parseGoBench returns the ns/op, in seconds, of every result line of
// benchmark bench in go test's output.
func parseGoBench(out, bench string) ([]float64, error) {
	var times []float64
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || f[3] != "ns/op" {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 && strings.Trim(name[i+1:], "0123456789") == "" {
			name = name[:i]
		}
		if name != bench {
			continue
		}
		ns, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, fmt.Errorf("%s: ns/op %q is not a number", bench, f[2])
		}
		times = append(times, ns/1e9)
	}
	if len(times) == 0 {
		return nil, fmt.Errorf("no result line for %s", bench)
	}
	return times, nil
}

func readResults(path string) (*Results, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Results
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &r, nil
}

// ------------------------------------------------------------------ summary

func summaryMain(args []string) error {
	fs := flag.NewFlagSet("summary", flag.ExitOnError)
	in := fs.String("in", "", "results file")
	fs.Parse(args)
	r, err := readResults(*in)
	if err != nil {
		return err
	}
	w := os.Stderr
	fmt.Fprintf(w, "\n%-28s", "workload")
	for _, name := range toolOrder {
		fmt.Fprintf(w, " %10s", name)
	}
	fmt.Fprintln(w)
	for _, wl := range r.Workloads {
		fmt.Fprintf(w, "%-28s", wl.Name)
		for _, name := range toolOrder {
			c := cell(wl, wl.find(name))
			if wl.Kind == "trials" {
				if t := wl.find(name); t != nil && t.Trials != nil {
					c = fmt.Sprintf("%d/%d bad", *t.FailedRuns, *t.Trials)
				}
			}
			if len(c) > 10 {
				c = c[:10]
			}
			fmt.Fprintf(w, " %10s", c)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	skipped := 0
	for _, t := range evalTargets(r) {
		if t.Verdict == "not measured" {
			skipped++
			continue
		}
		fmt.Fprintf(w, "%-6s %s: %s\n", t.Verdict, t.Target, t.Measured)
	}
	if skipped > 0 {
		fmt.Fprintf(w, "%d target(s) not measured by this run (their workloads or sizes are not in it)\n", skipped)
	}
	return nil
}

func cell(w *Workload, t *ToolResult) string {
	if t == nil {
		return "-"
	}
	v, ok := t.value(w.Kind)
	if !ok {
		return t.Status
	}
	if w.Kind == "rss" {
		return fmtKiB(int64(v))
	}
	return fmtSec(v)
}

// ------------------------------------------------------------------ targets

type targetResult struct {
	// Group is the issue that set the target: "19" (every peer, the
	// figures to reach) or "" (the benchmark and autogenerate issues).
	Group    string
	Target   string
	Measured string
	Verdict  string // pass, FAIL, not measured
}

func evalTargets(r *Results) []targetResult {
	byName := map[string]*Workload{}
	for _, w := range r.Workloads {
		byName[w.Name] = w
	}
	out := append(targets19(byName), targets21(byName)...)
	// ratio targets
	ratioTarget := func(label, name string, min float64) {
		t := targetResult{Target: label}
		w := byName[name]
		switch {
		case w == nil:
			t.Verdict, t.Measured = "not measured", fmt.Sprintf("no %s workload in this run", name)
		case w.Ratio == nil:
			t.Verdict = "not measured"
			t.Measured = fmt.Sprintf("retort: %s, alembic: %s", status(w, "retort"), status(w, "alembic"))
			if s := w.find("retort"); s != nil && s.Status == "failed" {
				t.Verdict = "FAIL"
			}
		default:
			t.Measured = fmt.Sprintf("%s faster (retort %s, Alembic %s)", ratioText(w.Ratio),
				cell(w, w.find("retort")), cell(w, w.find("alembic")))
			t.Verdict = verdict(*w.Ratio >= min)
		}
		out = append(out, t)
	}
	ratioTarget("`heads` on 5,000 revisions at least 20× faster than Alembic (whole process)", "heads-5000", 20)
	ratioTarget("`history` on 5,000 revisions at least 20× faster than Alembic (whole process)", "history-5000", 20)
	ratioTarget("`upgrade head --sql` on 5,000 revisions at least 20× faster than Alembic (whole process)", "sql-5000", 20)
	ratioTarget("online `upgrade head` of 1,000 revisions on SQLite at least 3× faster than Alembic", "upgrade-1000-sqlite", 3)

	const chainLimit = 5.0 // seconds: "a few seconds"
	t := targetResult{Target: fmt.Sprintf("`heads` on a 100,000-revision chain finishes in a few seconds (taken as a median of at most %.0f s)", chainLimit)}
	if w := byName["heads-100k-chain"]; w == nil {
		t.Verdict, t.Measured = "not measured", "not run (skipped by --quick or --only)"
	} else if v, ok := w.find("retort").value("time"); !ok {
		t.Verdict, t.Measured = "FAIL", "retort: "+status(w, "retort")
	} else {
		t.Verdict, t.Measured = verdict(v <= chainLimit), "median "+fmtSec(v)
	}
	out = append(out, t)

	const rssLimit = 50 * 1024 // KiB
	t = targetResult{Target: "peak memory of `history` on 10,000 revisions under 50 MiB"}
	if w := byName["rss-history-10000"]; w == nil {
		t.Verdict, t.Measured = "not measured", "not run"
	} else if v, ok := w.find("retort").value("rss"); !ok {
		t.Verdict, t.Measured = "FAIL", "retort: "+status(w, "retort")
	} else {
		t.Verdict, t.Measured = verdict(v < rssLimit), fmt.Sprintf("peak %s", fmtKiB(int64(v)))
		if a, ok := w.find("alembic").value("rss"); ok {
			t.Measured += fmt.Sprintf(" (Alembic: %s)", fmtKiB(int64(a)))
		}
	}
	out = append(out, t)

	// autogenerate (issue 17)
	ratioTarget("`revision --autogenerate` of 1,000 tables on SQLite at least 10× faster than Alembic (whole process)", "autogen-1000-sqlite", 10)

	// limit targets on Go benchmarks: every named workload's median under
	// the limit (the slowest is reported).
	limitTarget := func(label string, limit float64, names ...string) {
		t := targetResult{Target: label}
		worst, worstName := -1.0, ""
		for _, name := range names {
			w := byName[name]
			if w == nil {
				t.Verdict, t.Measured = "not measured", fmt.Sprintf("no %s workload in this run", name)
				out = append(out, t)
				return
			}
			v, ok := w.find("retort").value("time")
			if !ok {
				t.Verdict, t.Measured = "FAIL", name+": "+status(w, "retort")
				out = append(out, t)
				return
			}
			if v > worst {
				worst, worstName = v, name
			}
		}
		t.Verdict, t.Measured = verdict(worst <= limit), "median "+fmtSec(worst)
		if len(names) > 1 {
			t.Measured += " (slowest: " + worstName + ")"
		}
		out = append(out, t)
	}
	limitTarget("reflection of 1,000 tables under 1 s on PostgreSQL", 1, "inspect-1000-postgres")
	limitTarget("reflection of 1,000 tables under 1.5 s on MariaDB", 1.5, "inspect-1000-mariadb")
	limitTarget("reflection of 1,000 tables under 0.1 s on SQLite", 0.1, "inspect-1000-sqlite")
	limitTarget("diff and render of 1,000 tables under 0.05 s (each dialect)", 0.05,
		"diff-render-1000-sqlite", "diff-render-1000-postgres", "diff-render-1000-mysql")
	return out
}

func verdict(ok bool) string {
	if ok {
		return "pass"
	}
	return "FAIL"
}

func status(w *Workload, tool string) string {
	t := w.find(tool)
	if t == nil {
		return "not run"
	}
	return t.Status
}

// ------------------------------------------------------------------ format

func fmtSec(s float64) string {
	switch {
	case s < 1e-3:
		return fmt.Sprintf("%.0f µs", s*1e6)
	case s < 1:
		return fmt.Sprintf("%.1f ms", s*1e3)
	default:
		return fmt.Sprintf("%.2f s", s)
	}
}

func fmtKiB(k int64) string {
	return fmt.Sprintf("%.1f MiB (%d KiB)", float64(k)/1024, k)
}

func ratioText(r *float64) string {
	if r == nil {
		return "-"
	}
	switch {
	case *r >= 100:
		return fmt.Sprintf("%.0f×", *r)
	case *r >= 10:
		return fmt.Sprintf("%.1f×", *r)
	default:
		return fmt.Sprintf("%.2f×", *r)
	}
}

// ------------------------------------------------------------------ markdown

// resultsName matches bench/run's results files: <date>-<commit>.json
// (-quick before .json for a quick run); <date>.json is the older form.
var resultsName = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(-[0-9a-f]{4,40})?(-quick)?\.json$`)

// newestResults picks the newest full results file, or the newest quick one
// when there is no full one.
func newestResults(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	// Newest by the date in the name, then by modification time (several
	// commits measured on one day).
	type file struct {
		name, date string
		mod        int64
	}
	var full, quick []file
	for _, e := range entries {
		m := resultsName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		var mod int64
		if info, err := e.Info(); err == nil {
			mod = info.ModTime().UnixNano()
		}
		f := file{e.Name(), m[1], mod}
		if m[3] == "" {
			full = append(full, f)
		} else {
			quick = append(quick, f)
		}
	}
	less := func(a, b file) int {
		if c := strings.Compare(a.date, b.date); c != 0 {
			return c
		}
		if a.mod != b.mod {
			if a.mod < b.mod {
				return -1
			}
			return 1
		}
		return strings.Compare(a.name, b.name)
	}
	slices.SortFunc(full, less)
	slices.SortFunc(quick, less)
	switch {
	case len(full) > 0:
		return filepath.Join(dir, full[len(full)-1].name), nil
	case len(quick) > 0:
		return filepath.Join(dir, quick[len(quick)-1].name), nil
	}
	return "", fmt.Errorf("no results file (YYYY-MM-DD.json) in %s: run bench/run first", dir)
}

func markdownMain(args []string) error {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	in := fs.String("in", "", "results file (default: the newest in -results)")
	dir := fs.String("results", "bench/results", "folder of results files")
	out := fs.String("out", "docs/benchmarks.md", "markdown file to write, - for stdout")
	fs.Parse(args)
	path := *in
	if path == "" {
		p, err := newestResults(*dir)
		if err != nil {
			return err
		}
		path = p
	}
	r, err := readResults(path)
	if err != nil {
		return err
	}
	var b strings.Builder
	writeMarkdown(&b, r, filepath.ToSlash(path))
	if *out == "-" {
		_, err = io.WriteString(os.Stdout, b.String())
		return err
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(*out, []byte(b.String()), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s from %s\n", *out, path)
	return nil
}

// busy reports whether a load average triple ("1.13 2.13 3.42") starts
// at 1.0 or more.
func busy(load string) bool {
	f := strings.Fields(load)
	if len(f) == 0 {
		return false
	}
	v, err := strconv.ParseFloat(f[0], 64)
	return err == nil && v >= 1.0
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func writeMarkdown(b *strings.Builder, r *Results, path string) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	p("# Benchmarks: retort and its peers\n\n")
	p("<!-- Written by `go run ./bench/report` from %s. Do not edit by hand: rerun bench/run and the report. -->\n\n", path)
	kind := "full run"
	if r.Quick {
		kind = "quick run, `--quick`: smaller sizes, fewer runs; indicative only"
	}
	p("Measured on %s by `bench/run` (%s), from `%s`. ", r.Date, kind, path)
	p("Every tool (retort, Alembic, goose, golang-migrate, dbmate, sqitch, Atlas, and the database's own client as the floor) does the same work on the same generated project ")
	p("(same revisions, same statements, the transaction mode stated in each table), and every figure is for the whole process, as a user runs it: start-up, reading the project, the work, and exit, ")
	p("except where a workload's description says otherwise (bulk load, Go benchmarks). ")
	p("Before timing, each command is run once and its result checked (the right head, one history line per revision, ")
	p("a full SQL script, every table created or dropped and the version table right, every row loaded); a tool that fails the check is reported as failed and not timed; ")
	p("a peer that cannot be installed is shown as such, never estimated.\n\n")
	if r.Warmup == 0 {
		p("Runs: each tool's checking run warms it up, then %d timed runs, in one hyperfine invocation per workload; ", r.Runs)
	} else {
		p("Runs: each tool %d warm-up run(s), then %d timed runs, in one hyperfine invocation per workload; ", r.Warmup, r.Runs)
	}
	if m := r.Meta["slow_check"]; m != "" {
		p("a tool whose checking run took longer than %s s is timed %s run(s) with no warm-up (its checking run warmed it up), in a hyperfine invocation of its own", m, orDash(r.Meta["slow_runs"]))
		if o := r.Meta["once_check"]; o != "" {
			p(", and one whose checking run took longer than %s s has that run (which did the whole work and passed its check) as its one timed run", o)
		}
		p("; ")
	}
	if m := r.Meta["bulk_runs"]; m != "" {
		p("bulk load: %s run(s) of retort and of the floor, %s of Alembic. ", m, orDash(r.Meta["bulk_alembic_runs"]))
	}
	if m := r.Meta["conc_trials"]; m != "" {
		p("Concurrent start: %s trials per tool, %s for a tool whose first trial took longer than %s s. ", m, orDash(r.Meta["conc_slow_trials"]), orDash(r.Meta["conc_slow"]))
	}
	p("Each table's *runs* (or *trials*) column gives the count per tool.\n\n")
	if e := r.Meta["elapsed_seconds"]; e != "" {
		p("The run took %s s", e)
		if est := r.Meta["estimate_seconds"]; est != "" {
			p(" (estimated at its start: %s s)", est)
		}
		p("; each workload's own time is under its table.\n\n")
	}
	for _, w := range r.Workloads {
		if w.Shape == "gobench" {
			p("The exceptions are the workloads measured by a Go benchmark (their description says so): retort's code in process, without start-up, ")
			p("on 1,000 generated tables; their time is the median ns/op of the runs, and there is no Alembic figure to compare.\n\n")
			break
		}
	}

	p("## Machine\n\n| | |\n|---|---|\n")
	p("| CPUs (`nproc`) | %s |\n", orDash(r.Machine.Nproc))
	p("| CPU model | %s |\n", mdEscape(orDash(r.Machine.CPUModel)))
	p("| memory (`free -h` total) | %s |\n", orDash(r.Machine.MemoryTotal))
	p("| kernel | %s |\n", orDash(r.Machine.Kernel))
	p("| load average before / after | %s / %s |\n\n", orDash(r.Machine.LoadBefore), orDash(r.Machine.LoadAfter))
	if busy(r.Machine.LoadBefore) || busy(r.Machine.LoadAfter) {
		p("**The machine was not quiet:** the load average was at or above 1.0 (something else ran beside the benchmark, as `bench/run` warned). ")
		p("On 2 cores that slows every tool and changes their ratios; compare with a run on a quiet machine before reading a change in a ratio as a regression.\n\n")
	}

	v := r.Versions
	p("## Versions\n\n| | |\n|---|---|\n")
	p("| retort | %s, commit %s |\n", mdEscape(orDash(v.Retort)), mdEscape(orDash(v.RetortCommit)))
	p("| Alembic | %s (SQLAlchemy %s, Python %s) |\n", orDash(v.Alembic), orDash(v.SQLAlchemy), orDash(v.Python))
	p("| Go | %s |\n", orDash(v.Go))
	p("| SQLite | retort: %s (pure Go); Alembic: SQLite %s through Python's sqlite3; CLI used for checks: %s |\n",
		orDash(v.SQLiteRetortModule), orDash(v.SQLiteAlembic), orDash(v.SQLite3CLI))
	p("| hyperfine | %s |\n", orDash(v.Hyperfine))
	for _, name := range []string{"goose", "migrate", "dbmate", "sqitch", "atlas"} {
		if pv, ok := r.Meta["peer_"+name]; ok {
			p("| %s | %s |\n", toolTitle[name], mdEscape(pv))
		}
	}
	for _, k := range [][2]string{{"postgresql_server", "PostgreSQL server"}, {"mariadb_server", "MariaDB server"}, {"psql", "psql (floor)"}, {"mariadb_client", "mariadb client (floor)"}} {
		if pv, ok := r.Meta[k[0]]; ok {
			p("| %s | %s |\n", k[1], mdEscape(pv))
		}
	}
	p("\n")

	targets := evalTargets(r)
	for _, g := range []struct{ group, title, intro string }{
		{"19", "Targets (issue 19: fastest in its field)", "Measured in this run; where a figure is set against a floor (the database's own client doing the same work), the floor is beside it.\n\n"},
		{"21", "Targets (issue 21: fleets)", "One command over many tenant schemas, with the shell loops users write today and the floor beside it, all from one run of the workload (its section says which, when it is not the run of this page).\n\n"},
		{"", "Earlier targets (the benchmark and autogenerate issues)", ""},
	} {
		p("## %s\n\n%s| target | measured | result |\n|---|---|---|\n", g.title, g.intro)
		for _, t := range targets {
			if t.Group != g.group {
				continue
			}
			verdict := t.Verdict
			switch verdict {
			case "pass":
				verdict = "✅ pass"
			case "FAIL":
				verdict = "❌ fail"
			}
			p("| %s | %s | %s |\n", mdEscape(t.Target), mdEscape(t.Measured), verdict)
		}
		p("\n")
	}
	if r.Quick {
		p("This is a quick run: the targets name the full sizes, so most show as not measured; run `bench/run` for the real verdicts.\n\n")
	}
	p("## Results\n\n")
	p("Every tool's median (whole process; bulk load: the insert). In the workload tables, the column *retort ÷ tool* is retort's median over the tool's: below 1 means retort is faster. ")
	p("A peer that is not installable, or that has no such command, is shown with the reason; nothing is estimated.\n\n")
	var cols []string
	for _, name := range toolOrder {
		for _, w := range r.Workloads {
			if (w.Kind == "time" || w.Kind == "bulk") && w.find(name) != nil {
				cols = append(cols, name)
				break
			}
		}
	}
	p("| workload |")
	for _, c := range cols {
		p(" %s |", toolTitle[c])
	}
	p("\n|---|%s\n", strings.Repeat("---|", len(cols)))
	for _, w := range r.Workloads {
		if w.Kind != "time" && w.Kind != "bulk" {
			continue
		}
		p("| [%s](#%s) |", w.Name, anchor(w.Name))
		for _, c := range cols {
			t := w.find(c)
			switch {
			case t == nil:
				p(" |")
			case t.Status != "ok":
				p(" %s |", t.Status)
			default:
				p(" %s |", cell(w, t))
			}
		}
		p("\n")
	}
	p("\n")
	for _, w := range r.Workloads {
		p("### %s\n\n%s.\n\n", w.Name, strings.TrimSuffix(w.Description, "."))
		if w.Commit != "" && w.Commit != r.Versions.RetortCommit {
			p("Measured in another run, at %s, of retort commit %s (brought into this file by `report merge`)", orDash(w.MeasuredAt), mdEscape(w.Commit))
			if w.Load != "" {
				p("; the load average before / after that run: %s", mdEscape(w.Load))
				if l := strings.Split(w.Load, " / "); len(l) == 2 && (busy(l[0]) || busy(l[1])) {
					p(", **not quiet**: its figures are noisy")
				}
			}
			p(".\n\n")
		}
		if w.Kind == "rss" {
			p("| tool | peak RSS (max of runs) | median of runs | runs | ratio vs retort |\n|---|---|---|---|---|\n")
			for _, name := range toolOrder {
				t := w.find(name)
				if t == nil {
					continue
				}
				if t.Status != "ok" {
					p("| %s | %s | | | |\n", name, t.Status)
					continue
				}
				ratio := "1×"
				if name != "retort" {
					ratio = ratioText(w.Ratio)
				}
				p("| %s | %s | %s | %d | %s |\n", name, fmtKiB(*t.MaxRSSKiB), fmtKiB(*t.MedianRSSKiB), len(t.RSSKiB), ratio)
			}
		} else if w.Kind == "trials" {
			p("| tool | mode | trials | applied something twice | a process failed | wrong end state |\n|---|---|---|---|---|---|\n")
			for _, name := range toolOrder {
				t := w.find(name)
				if t == nil {
					continue
				}
				if t.Status != "ok" || t.Trials == nil {
					p("| %s | %s | %s | | | |\n", toolTitle[name], mdEscape(orDash(t.Mode)), t.Status)
					continue
				}
				p("| %s | %s | %d | %d | %d | %d |\n", toolTitle[name], mdEscape(orDash(t.Mode)), *t.Trials, *t.Twice, *t.FailedRuns, *t.WrongEnding)
			}
		} else if w.Kind == "bulk" {
			p("| tool | mode | median | min | max | rows/s | retort ÷ tool | CPU (median) | peak RSS | runs |\n|---|---|---|---|---|---|---|---|---|---|\n")
			for _, name := range toolOrder {
				t := w.find(name)
				if t == nil {
					continue
				}
				if t.Status != "ok" || t.Median == nil {
					p("| %s | %s | %s | | | | | | | |\n", toolTitle[name], mdEscape(orDash(t.Mode)), t.Status)
					continue
				}
				rss := "-"
				if t.PeakRSSKiB != nil {
					rss = fmtMiB(*t.PeakRSSKiB)
					if t.SmallPeakRSSKiB != nil {
						rss += fmt.Sprintf(" (%s on %s rows)", fmtMiB(*t.SmallPeakRSSKiB), thousands(*t.SmallRows))
					}
				}
				cpu := "-"
				if t.CPUSeconds != nil {
					cpu = fmtSec(*t.CPUSeconds)
				}
				p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |\n", toolTitle[name], mdEscape(orDash(t.Mode)), fmtSec(*t.Median), fmtSec(*t.Min), fmtSec(*t.Max),
					thousands(int(float64(w.Revisions) / *t.Median + 0.5)), ratioText(t.RetortRatio), cpu, rss, t.Runs)
			}
		} else {
			p("| tool | mode | median | min | max | retort ÷ tool | peak RSS | runs |\n|---|---|---|---|---|---|---|---|\n")
			for _, name := range toolOrder {
				t := w.find(name)
				if t == nil {
					continue
				}
				rss := "-"
				if t.PeakRSSKiB != nil {
					rss = fmtMiB(*t.PeakRSSKiB)
				}
				if t.Status != "ok" || t.Median == nil {
					p("| %s | %s | %s | | | | | |\n", toolTitle[name], mdEscape(orDash(t.Mode)), t.Status)
					continue
				}
				runs := "-"
				if t.Runs > 0 {
					runs = strconv.Itoa(t.Runs)
				}
				p("| %s | %s | %s | %s | %s | %s | %s | %s |\n", toolTitle[name], mdEscape(orDash(t.Mode)), fmtSec(*t.Median), fmtSec(*t.Min), fmtSec(*t.Max), ratioText(t.RetortRatio), rss, runs)
			}
		}
		p("\n")
		if w.ElapsedSeconds != nil {
			p("Time of this workload in the run: %s.\n\n", fmtDuration(*w.ElapsedSeconds))
		}
		for _, name := range toolOrder {
			t := w.find(name)
			if t == nil || t.Command == "" {
				continue
			}
			p("- %s: `%s`\n", name, t.Command)
		}
		for _, name := range toolOrder {
			t := w.find(name)
			if t == nil {
				continue
			}
			if t.Error != "" {
				p("\n**%s %s:** %s\n", name, t.Status, mdEscape(t.Error))
			}
			if t.Stderr != "" && (t.Status != "ok" || name == "retort" || name == "alembic" || w.Kind == "trials") {
				label := "stderr"
				text := t.Stderr
				if w.Kind == "trials" {
					// The end of one failed process's stderr: the error.
					label = "stderr of a process that failed (its last lines)"
					if lines := strings.Split(text, "\n"); len(lines) > 6 {
						text = "…\n" + strings.Join(lines[len(lines)-6:], "\n")
					}
				}
				if t.Status == "ok" && w.Kind != "trials" {
					label = "stderr of the checking run (beyond the usual step log)"
				}
				p("\n%s %s:\n\n```\n%s\n```\n", name, label, text)
			}
		}
		p("\n")
	}

	p("## Appendix pages\n\n")
	p("The analyses that go with these figures stay on their own pages, kept by hand; every figure the targets need is on this page, measured in this run, and supersedes theirs: ")
	p("[applying on PostgreSQL and MariaDB](benchmarks-apply.md) (retort's overhead per revision beyond the floor, and where its round trips go), ")
	p("[bulk loading](benchmarks-bulk.md) (BulkInsert's encoders, its profile before and after) and ")
	p("[graph commands](benchmarks-graph.md) (where `heads`, `history` and `upgrade head --sql` spent their time, and what changed).\n\n")
	p("## Reproduce\n\n")
	p("On a quiet machine (`uptime` load below 1.0), from the root of the repository, with the PostgreSQL and MariaDB servers up; ")
	p("`bench/run` installs every peer it is missing on first use (`bench/peers`: goose, golang-migrate, dbmate and Atlas with the Go toolchain into `~/.cache/retort/peers`; hyperfine, Alembic, sqitch from Debian's packages):\n\n")
	p("```sh\nbench/run --estimate      # how long the run should take, per workload\n")
	p("bench/run                 # every workload and every peer (about 35 minutes on an idle 2-core machine)\n")
	p("bench/run --quick         # smaller sizes, fewer runs, under three minutes on an idle machine (CI runs it)\n")
	p("bench/run --only bulk,heads-5000   # some workloads (a name, or a prefix such as bulk), merged into today's results file\n")
	p("go run ./bench/report     # this page, from the newest bench/results/*.json\n```\n\n")
	p("The generated projects are in `bench/work/` (`go run ./bench/gen -n 5000 -tool retort|alembic -out DIR -seed %d -shape branchy`, `-shape dense` for the `-dense` workloads, `-shape chain` for the every-peer ones; ", r.Seed)
	p("autogenerate's: `-n 1000 -shape tables`). ")
	p("The bulk load's CSV is `go run ./bench/bulk/csv -n ROWS -out FILE`. ")
	p("The exact command of each workload in this run (hyperfine, or each tool's command for the bulk load and the concurrent start):\n\n```sh\n")
	for _, w := range r.Workloads {
		if w.Invocation != "" {
			p("# %s\n%s\n", w.Name, w.Invocation)
		} else if w.Kind == "bulk" || w.Kind == "trials" {
			for _, name := range toolOrder {
				if t := w.find(name); t != nil && t.Command != "" {
					p("# %s, %s\n%s\n", w.Name, name, t.Command)
				}
			}
		} else if w.Kind == "rss" {
			for _, name := range toolOrder {
				if t := w.find(name); t != nil && t.Command != "" {
					p("# %s, %s\n/usr/bin/time -f %%M %s >/dev/null\n", w.Name, name, t.Command)
				}
			}
		}
	}
	p("```\n")
}

func anchor(s string) string {
	s = strings.ToLower(s)
	s = regexp.MustCompile(`[^a-z0-9 -]`).ReplaceAllString(s, "")
	return strings.ReplaceAll(s, " ", "-")
}

// ------------------------------------------------------------------ merge

// mergeMain puts the workloads of the FROM results files into the -into
// file: one of the same name is replaced, a new one appended. The file's
// own run (date, machine, versions, meta) stays; each brought-in workload
// keeps its commit and time, which the page shows under its table. This
// is how a workload measured alone (bench/run --only, at a later commit)
// joins the full run the page is written from.
func mergeMain(args []string) error {
	fs := flag.NewFlagSet("merge", flag.ExitOnError)
	into := fs.String("into", "", "results file to add the workloads to (rewritten)")
	fs.Parse(args)
	if *into == "" || fs.NArg() == 0 {
		return errors.New("merge needs -into FILE and at least one results file to take workloads from")
	}
	dst, err := readResults(*into)
	if err != nil {
		return err
	}
	for _, path := range fs.Args() {
		src, err := readResults(path)
		if err != nil {
			return err
		}
		if src.Quick != dst.Quick {
			return fmt.Errorf("%s is a %s and %s a %s: merge runs of one mode", path, runMode(src.Quick), *into, runMode(dst.Quick))
		}
		for _, w := range src.Workloads {
			if w.Commit == "" {
				w.Commit = src.Versions.RetortCommit
			}
			if w.Load == "" {
				w.Load = src.Machine.LoadBefore + " / " + src.Machine.LoadAfter
			}
			if i := slices.IndexFunc(dst.Workloads, func(x *Workload) bool { return x.Name == w.Name }); i >= 0 {
				dst.Workloads[i] = w
			} else {
				dst.Workloads = append(dst.Workloads, w)
			}
		}
	}
	b, err := json.MarshalIndent(dst, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(*into, append(b, '\n'), 0o644)
}

func runMode(quick bool) string {
	if quick {
		return "quick run"
	}
	return "full run"
}
