package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/retortdb/retort"
)

// barMin is the largest plan shown without a progress bar.
const barMin = 3

// runReport shows an online upgrade, downgrade or stamp as it goes: each
// step as a JSON line on stdout under --json, a progress bar on stderr
// when it is a terminal and the plan has more than barMin steps, and one
// summary line at the end. Step lines themselves are the library's log
// records (lineHandler).
type runReport struct {
	e    *env
	kind string // "upgrade", "downgrade" or "stamp"

	mu      sync.Mutex
	bar     *progressbar.ProgressBar // nil: no bar
	termOK  bool                     // a bar may be shown
	jsonErr error                    // the first failure to write a JSON line
}

// startRun prepares the report of a run of kind and makes the Provider
// that e builds next report to it.
func (e *env) startRun(kind string) *runReport {
	r := &runReport{e: e, kind: kind}
	e.observe = r.step
	r.termOK = kind != "stamp" && !e.json && !e.quiet && e.terminal(e.stderr)
	if r.termOK {
		// Log lines are written above the bar.
		e.log = slog.New(&barHandler{Handler: e.log.Handler(), r: r})
	}
	return r
}

// terminal reports whether w is a terminal.
func (e *env) terminal(w io.Writer) bool {
	if e.isTerminal != nil {
		return e.isTerminal(w)
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// stepObserver is the retort option that reports steps to e.observe.
func (e *env) stepObserver() retort.Option {
	if e.observe == nil {
		return func(*retort.Migrator) error { return nil }
	}
	return retort.WithStepObserver(e.observe)
}

// plan draws the progress bar when the run will take more than barMin
// steps. planFn is only called when a bar could be shown; its error is
// left for the run itself to report.
func (r *runReport) plan(planFn func() (int, error)) {
	if !r.termOK {
		return
	}
	n, err := planFn()
	if err != nil || n <= barMin {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bar = progressbar.NewOptions(n,
		progressbar.OptionSetWriter(r.e.stderr),
		progressbar.OptionSetDescription(r.kind),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionUseANSICodes(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true))
}

// jsonStep is one line of upgrade, downgrade and stamp --json.
type jsonStep struct {
	Revision      string   `json:"revision"`
	Direction     string   `json:"direction"`
	From          []string `json:"from"`
	To            []string `json:"to"`
	Message       string   `json:"message"`
	Statements    int      `json:"statements"`
	MS            int64    `json:"ms"`
	Transactional bool     `json:"transactional"`
}

// step is the run's observer: called as each step commits.
func (r *runReport) step(s retort.StepResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.e.json && r.jsonErr == nil {
		line, err := json.Marshal(jsonStep{s.Revision, s.Direction, nonNil(s.From), nonNil(s.To), s.Message, s.Statements, s.Duration.Milliseconds(), s.Transactional})
		if err == nil {
			_, err = fmt.Fprintf(r.e.stdout, "%s\n", line)
		}
		r.jsonErr = err
	}
	if r.bar != nil {
		_ = r.bar.Add(1)
	}
}

// finish removes the bar and logs the summary line of a run to target
// that returned res and err; it returns the run's error, else a failure
// to write its JSON.
func (r *runReport) finish(res *retort.RunResult, err error, target string) error {
	r.mu.Lock()
	if r.bar != nil {
		_ = r.bar.Clear()
		r.bar = nil
	}
	r.mu.Unlock()
	if res != nil {
		if msg := summary(r.kind, res, err, target); msg != "" {
			r.e.log.Info(msg, "steps", len(res.Steps), "duration_ms", res.Duration.Milliseconds())
		}
	}
	if err != nil {
		return err
	}
	return r.jsonErr
}

// summary is the line that ends a run: what it did and how long it took.
// A run that failed before committing anything has none (the error
// says it all).
func summary(kind string, res *retort.RunResult, err error, target string) string {
	n := len(res.Steps)
	if n == 0 {
		if err != nil {
			return ""
		}
		return "Nothing to do: already at " + target
	}
	var what string
	switch kind {
	case "stamp":
		what = "Stamped " + strings.Join(stampedTo(res.Steps), ", ")
	case "downgrade":
		what = "Reverted " + plural(n, "revision")
	default:
		what = "Applied " + plural(n, "revision")
	}
	msg := what + " in " + formatDuration(res.Duration)
	if err != nil {
		msg += " before the error"
	}
	return msg
}

// stampedTo lists where stamp steps went, in order, base for a step
// that removed a head.
func stampedTo(steps []retort.StepResult) []string {
	var out []string
	for _, s := range steps {
		to := s.To
		if len(to) == 0 {
			to = []string{"base"}
		}
		for _, id := range to {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// formatDuration prints milliseconds under a second, else seconds with
// two decimals: "12 ms", "2.31 s".
func formatDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// barHandler writes log records above the progress bar: it clears the
// bar, writes the record, and draws the bar again.
type barHandler struct {
	slog.Handler
	r *runReport
}

func (h *barHandler) Handle(ctx context.Context, rec slog.Record) error {
	h.r.mu.Lock()
	defer h.r.mu.Unlock()
	if h.r.bar != nil {
		_ = h.r.bar.Clear()
	}
	err := h.Handler.Handle(ctx, rec)
	if h.r.bar != nil {
		_ = h.r.bar.RenderBlank()
	}
	return err
}

func (h *barHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return &barHandler{Handler: h.Handler.WithAttrs(a), r: h.r}
}

func (h *barHandler) WithGroup(name string) slog.Handler {
	return &barHandler{Handler: h.Handler.WithGroup(name), r: h.r}
}
