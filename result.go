package retort

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/retortdb/retort/revision"
)

// Directions of a step, as StepResult.Direction and the history table's
// direction column name them.
const (
	DirectionUp    = "up"
	DirectionDown  = "down"
	DirectionStamp = "stamp"
)

// StepResult is one step that a run committed: a revision upgraded or
// downgraded, or a move of the version table by a stamp.
type StepResult struct {
	// Revision is the revision that ran. For a stamp step it is what the
	// history row names: where the step went (comma-separated when it
	// went to several revisions), or the head it removed.
	Revision string
	// Direction is DirectionUp, DirectionDown or DirectionStamp.
	Direction string
	// From and To are the revisions the step went from and to, as the
	// step's log line prints them ("Running upgrade A -> B"); empty for
	// base.
	From, To []string
	// Message is the revision's message (empty for a stamp step).
	Message string
	// Statements is how many statements the step ran (for a Go revision,
	// how many operations); 0 for a stamp step.
	Statements int
	// Duration is the time the step took, from its first statement to its
	// record in the version and history tables.
	Duration time.Duration
	// Transactional reports whether the step's statements and its record
	// committed together (with the whole run's, under
	// WithTransactionPerRun). When false the step ran outside a
	// transaction (MySQL DDL, -- +no-transaction) and was marked dirty
	// until it finished.
	Transactional bool
}

// RunResult is what an Upgrade, Downgrade or Stamp did: the steps it
// committed, in order. An empty Steps means the database was already
// at the target.
type RunResult struct {
	Steps []StepResult
	// Heads are where the run left the database once every step
	// succeeded: the version table's rows as its own commits made them,
	// in byte order, which is Current's answer unless another runner
	// moved the database since. HeadsRead reports whether they are set
	// (Upgrade and Downgrade that returned no error), so that a caller
	// need not connect again to ask (package fleet).
	Heads     []string
	HeadsRead bool
	// Duration is the whole run's, from the call to its return: taking
	// the lock, planning and the steps.
	Duration time.Duration
}

// measure runs f, which appends the steps it commits to a new result,
// and returns the result with the run's duration.
func measure(f func(*RunResult) error) (*RunResult, error) {
	res := &RunResult{}
	start := time.Now()
	err := f(res)
	res.Duration = time.Since(start)
	return res, err
}

// Revisions returns the ids of the steps' revisions, in order.
func (r *RunResult) Revisions() []string {
	if r == nil {
		return nil
	}
	out := make([]string, len(r.Steps))
	for i, s := range r.Steps {
		out[i] = s.Revision
	}
	return out
}

// WithStepObserver calls f with each step of an Upgrade, Downgrade or
// Stamp as soon as it is committed, in order, on the goroutine of the
// call: a program can print or record progress while a long run goes on.
// Steps that commit together (under WithTransactionPerRun, and the steps
// of one Stamp) are reported once their transaction commits. f must not
// call the Project.
func WithStepObserver(f func(StepResult)) Option {
	return func(m *Project) error {
		if f == nil {
			return fmt.Errorf("nil step observer")
		}
		m.observers = append(m.observers, f)
		return nil
	}
}

// direction names the direction of a planned step.
func direction(s revision.Step) string {
	switch {
	case s.Stamp:
		return DirectionStamp
	case s.Up:
		return DirectionUp
	}
	return DirectionDown
}

// newStepResult describes a finished step of n statements that began at
// start.
func (m *Project) newStepResult(s revision.Step, n int, start time.Time, transactional bool) StepResult {
	r := StepResult{
		Revision:      s.Revision,
		Direction:     direction(s),
		From:          s.From,
		To:            s.To,
		Statements:    n,
		Duration:      time.Since(start),
		Transactional: transactional,
	}
	if s.Stamp {
		r.Revision = stampRevision(s)
	} else if sc := m.scripts[s.Revision]; sc != nil {
		r.Message = sc.Message
	}
	return r
}

// stepLine is a step's log message, as Alembic words it: "Running upgrade
// A -> B, message".
func (m *Project) stepLine(s revision.Step) string {
	msg := "Running " + s.Verb() + " " + s.Arrow()
	if !s.Stamp {
		if sc := m.scripts[s.Revision]; sc != nil && sc.Message != "" {
			msg += ", " + sc.Message
		}
	}
	return msg
}

// logStep logs a step as it starts, at the sink's level (sink.stepStarted).
func (m *Project) logStep(ctx context.Context, level slog.Level, s revision.Step) {
	m.log.Log(ctx, level, m.stepLine(s), "revision", s.Revision, "direction", direction(s))
}

// stepDone logs a committed step at Info, with its revision, direction,
// statement count and milliseconds as attributes, and tells the
// observers.
func (m *Project) stepDone(s revision.Step, r StepResult) {
	m.log.Info(m.stepLine(s),
		"revision", r.Revision, "direction", r.Direction,
		"statements", r.Statements, "ms", r.Duration.Milliseconds())
	for _, f := range m.observers {
		f(r)
	}
}

// atomic reports whether a step of body runs in one transaction with its
// record: the dialect's DDL is transactional and no statement asks to run
// outside a transaction.
func (m *Project) atomic(body stepBody) bool {
	return m.d.TransactionalDDL() && len(body.noTx) == 0
}
