package retort_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/dbtest"
)

// stepKey is what a test compares of a StepResult (its duration varies).
type stepKey struct {
	Revision, Direction, From, To, Message string
	Statements                             int
	Transactional                          bool
}

func keyOf(s retort.StepResult) stepKey {
	return stepKey{s.Revision, s.Direction, strings.Join(s.From, ","), strings.Join(s.To, ","), s.Message, s.Statements, s.Transactional}
}

func keysOf(steps []retort.StepResult) []stepKey {
	out := make([]stepKey, len(steps))
	for i, s := range steps {
		out[i] = keyOf(s)
	}
	return out
}

// recorder keeps the steps an observer was told of and the log records.
type recorder struct {
	mu      sync.Mutex
	steps   []retort.StepResult
	records []slog.Record
}

func (r *recorder) observe(s retort.StepResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.steps = append(r.steps, s)
}

func (r *recorder) take() ([]retort.StepResult, []slog.Record) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, l := r.steps, r.records
	r.steps, r.records = nil, nil
	return s, l
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec.Clone())
	return nil
}
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *recorder) WithGroup(string) slog.Handler      { return r }

// TestProvider_RunResult checks the steps that Upgrade, Downgrade and
// Stamp return, that the observer sees the same steps, and the attributes
// of their log records.
func TestProvider_RunResult(t *testing.T) {
	for _, name := range dbtest.Dialects {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			rec := &recorder{}
			p := open(t, dbtest.For(t, name), linear(), retort.WithStepObserver(rec.observe), retort.WithLogger(slog.New(rec)))
			tx := name != "mysql" // MySQL's DDL commits on its own: steps run dirty-marked
			step := func(rev, dir, from, to string, n int) stepKey {
				return stepKey{rev, dir, from, to, "step " + rev, n, tx}
			}
			stamp := func(rev, from, to string) stepKey {
				return stepKey{rev, "stamp", from, to, "", 0, true}
			}
			tests := []struct {
				name string
				run  func() (*retort.RunResult, error)
				want []stepKey
			}{
				{"upgrade +1", func() (*retort.RunResult, error) { return p.Upgrade(ctx, "+1") },
					[]stepKey{step("aaaa", "up", "", "aaaa", 1)}},
				{"upgrade head", func() (*retort.RunResult, error) { return p.Upgrade(ctx, "head") },
					[]stepKey{step("bbbb", "up", "aaaa", "bbbb", 1), step("cccc", "up", "bbbb", "cccc", 1)}},
				{"at head", func() (*retort.RunResult, error) { return p.Upgrade(ctx, "head") }, nil},
				{"downgrade base", func() (*retort.RunResult, error) { return p.Downgrade(ctx, "base") },
					[]stepKey{step("cccc", "down", "cccc", "bbbb", 1), step("bbbb", "down", "bbbb", "aaaa", 1), step("aaaa", "down", "aaaa", "", 1)}},
				{"stamp", func() (*retort.RunResult, error) { return p.Stamp(ctx, "bbbb") },
					[]stepKey{stamp("bbbb", "", "bbbb")}},
				{"stamp purge", func() (*retort.RunResult, error) { return p.StampPurge(ctx, "cccc") },
					[]stepKey{stamp("cccc", "", "cccc")}},
			}
			for _, tc := range tests {
				res, err := tc.run()
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				if got := keysOf(res.Steps); !slices.Equal(got, tc.want) {
					t.Errorf("%s: steps\n got %+v\nwant %+v", tc.name, got, tc.want)
				}
				observed, records := rec.take()
				if got := keysOf(observed); !slices.Equal(got, tc.want) {
					t.Errorf("%s: observed\n got %+v\nwant %+v", tc.name, got, tc.want)
				}
				var sum int64
				for _, s := range res.Steps {
					if s.Duration <= 0 {
						t.Errorf("%s: step %s has duration %s", tc.name, s.Revision, s.Duration)
					}
					sum += int64(s.Duration)
				}
				if int64(res.Duration) < sum {
					t.Errorf("%s: run took %s, less than its steps", tc.name, res.Duration)
				}
				// One Debug record per step as it starts, one Info record
				// per step when it commits, with its attributes.
				var info []stepKey
				debug := 0
				for _, r := range records {
					if r.Level == slog.LevelDebug && strings.HasPrefix(r.Message, "Running ") {
						debug++
					}
					if r.Level != slog.LevelInfo {
						continue
					}
					a := map[string]slog.Value{}
					r.Attrs(func(x slog.Attr) bool { a[x.Key] = x.Value; return true })
					if a["ms"].Kind() != slog.KindInt64 || !strings.HasPrefix(r.Message, "Running ") {
						t.Errorf("%s: record %q has ms %v", tc.name, r.Message, a["ms"])
					}
					info = append(info, stepKey{Revision: a["revision"].String(), Direction: a["direction"].String(), Statements: int(a["statements"].Int64())})
				}
				var want []stepKey
				for _, w := range tc.want {
					want = append(want, stepKey{Revision: w.Revision, Direction: w.Direction, Statements: w.Statements})
				}
				if !slices.Equal(info, want) {
					t.Errorf("%s: Info records\n got %+v\nwant %+v", tc.name, info, want)
				}
				if debug != len(tc.want) {
					t.Errorf("%s: %d Debug records of a starting step, want %d", tc.name, debug, len(tc.want))
				}
			}
		})
	}
}

// TestProvider_PartialResult checks the result of a run that fails after
// some steps committed, and that a run in one transaction reports no step
// when it rolls back.
func TestProvider_PartialResult(t *testing.T) {
	ctx := context.Background()
	broken := func() fstest.MapFS {
		fsys := linear()
		fsys["3_c.sql"] = rev("cccc", "bbbb", "INSERT INTO no_such_table (id) VALUES (2);", "")
		return fsys
	}
	tests := []struct {
		name string
		opts []retort.Option
		want []string
	}{
		{"per migration", nil, []string{"aaaa", "bbbb"}},
		{"per run", []retort.Option{retort.WithTransactionPerRun(true)}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			p := open(t, dbtest.For(t, "sqlite"), broken(), append(tc.opts, retort.WithStepObserver(rec.observe))...)
			res, err := p.Upgrade(ctx, "head")
			if err == nil {
				t.Fatal("Upgrade succeeded")
			}
			if got := res.Revisions(); !slices.Equal(got, tc.want) {
				t.Errorf("result steps %v, want %v", got, tc.want)
			}
			observed, _ := rec.take()
			if got := keysOf(observed); !slices.Equal(got, keysOf(res.Steps)) {
				t.Errorf("observed %v, want %v", got, keysOf(res.Steps))
			}
			var pe *retort.PartialError
			if errors.As(err, &pe) != (tc.want != nil) {
				t.Fatalf("error %v (%T): PartialError expected %t", err, err, tc.want != nil)
			}
			if pe != nil {
				if !slices.Equal(pe.Applied, tc.want) || !slices.Equal(keysOf(pe.Result.Steps), keysOf(res.Steps)) || pe.Failed != "cccc" {
					t.Errorf("PartialError{Applied: %v, Failed: %s, Result: %v}", pe.Applied, pe.Failed, pe.Result.Revisions())
				}
			}
		})
	}
}

func TestWithStepObserver_Nil(t *testing.T) {
	if _, err := retort.Open(nil, dialectOf("sqlite"), linear(), retort.WithStepObserver(nil)); err == nil {
		t.Fatal("Open accepted a nil observer")
	}
}
