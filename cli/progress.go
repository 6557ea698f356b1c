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
// summary line at the end. Step lines are the library's log records: a
// step's line is written as it starts ("Running upgrade A -> B,
// message") and completed with its time when it commits (" (12 ms)"),
// so that a long step shows which it is (runHandler).
type runReport struct {
	e    *session
	kind string // "upgrade", "downgrade" or "stamp"

	mu      sync.Mutex
	bar     *progressbar.ProgressBar // nil: no bar
	termOK  bool                     // a bar may be shown
	open    string                   // the message of a step line written without its end
	ended   map[string]int           // step lines ended before their step committed
	jsonErr error                    // the first failure to write a JSON line
}

// startRun prepares the report of a run of kind and makes the Provider
// that e builds next report to it.
func (e *session) startRun(kind string) *runReport {
	r := &runReport{e: e, kind: kind}
	e.observe = r.step
	r.termOK = kind != "stamp" && !e.json && !e.quiet && e.terminal(e.stderr)
	e.log = slog.New(&runHandler{Handler: e.log.Handler(), r: r})
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
func (e *session) stepObserver() retort.Option {
	if e.observe == nil {
		return func(*retort.Project) error { return nil }
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
		progressbar.OptionShowDescriptionAtLineEnd(),
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
	r.endLine() // the step that failed
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

// formatDuration prints milliseconds under a second, else seconds with
// two decimals: "12 ms", "2.31 s".
func formatDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// endLine ends a step line left open; r.mu is held. Steps that commit
// together (a stamp of several heads, transaction_per = "run") start
// one after another before the first commits: each line is written once,
// as it starts, and their commit records print nothing more.
func (r *runReport) endLine() {
	if r.open != "" {
		fmt.Fprintln(r.e.stderr)
		if r.ended == nil {
			r.ended = map[string]int{}
		}
		r.ended[r.open]++
		r.open = ""
	}
}

// runHandler writes a run's log records. In text, a step's record as it
// starts (at Debug) opens its line, which the step's record when it
// commits (at Info) completes with the time; any other record ends an
// open line first. With a progress bar, records are written above it,
// and the bar stands for the step in progress.
type runHandler struct {
	slog.Handler
	r *runReport
}

// text reports whether step lines are written by the handler: not under
// --json (records are JSON objects), nor -q.
func (h *runHandler) text() bool { return !h.r.e.json && !h.r.e.quiet }

func (h *runHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.Handler.Enabled(ctx, l) || l == slog.LevelDebug && h.text()
}

func (h *runHandler) Handle(ctx context.Context, rec slog.Record) error {
	r := h.r
	r.mu.Lock()
	defer r.mu.Unlock()
	starts, took := stepRecord(rec)
	if starts && h.text() {
		if r.bar != nil {
			// The bar names the step in progress.
			rec.Attrs(func(a slog.Attr) bool {
				if a.Key == "revision" {
					r.bar.Describe(r.kind + " " + a.Value.String())
				}
				return a.Key != "revision"
			})
			return nil
		}
		r.endLine()
		r.open = rec.Message
		_, err := io.WriteString(r.e.stderr, rec.Message)
		return err
	}
	if r.open != "" && took != "" && rec.Message == r.open {
		r.open = ""
		_, err := fmt.Fprintln(r.e.stderr, took)
		return err
	}
	if took != "" && r.ended[rec.Message] > 0 && h.text() {
		r.ended[rec.Message]--
		return nil
	}
	r.endLine()
	if !h.Handler.Enabled(ctx, rec.Level) {
		return nil
	}
	if r.bar != nil {
		_ = r.bar.Clear()
	}
	err := h.Handler.Handle(ctx, rec)
	if r.bar != nil {
		_ = r.bar.RenderBlank()
	}
	return err
}

func (h *runHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return &runHandler{Handler: h.Handler.WithAttrs(a), r: h.r}
}

func (h *runHandler) WithGroup(name string) slog.Handler {
	return &runHandler{Handler: h.Handler.WithGroup(name), r: h.r}
}
