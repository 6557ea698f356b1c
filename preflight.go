package retort

import (
	"context"
	"errors"
	"slices"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/revision"
)

// Preflight checks an upgrade before it changes the database: an error
// refuses the upgrade, with nothing run and nothing written. Package
// lint/gate makes one that lints the revisions about to be applied
// (retort.toml's lint_on_upgrade).
type Preflight func(ctx context.Context, run *PreflightRun) error

// PreflightRun is the upgrade a Preflight checks.
type PreflightRun struct {
	// Project is the project upgrading: its scripts (Project.Script),
	// dialect and graph.
	Project *Project
	// Steps are the steps the upgrade is about to run, in order; never
	// empty (an upgrade with nothing to do calls no preflight).
	Steps []revision.Step
	// Conn is the upgrade's own connection, which holds the migration
	// lock: read the database through it (another connection may wait
	// for the lock, or for a database limited to one connection). It is
	// nil for an offline script (WriteUpgradeSQL).
	Conn dialect.Querier
}

// Offline reports whether the upgrade writes a script instead of
// running on a database.
func (r *PreflightRun) Offline() bool { return r.Conn == nil }

// WithPreflight adds f to the checks Provider.Upgrade and
// Project.WriteUpgradeSQL make before an upgrade: online after the
// migration lock is taken and the plan read, before the version and
// history tables are created or any statement runs; offline before a
// byte of the script is written. Several run in the order given; the
// first error refuses the upgrade, returned as a *PreflightError.
// Downgrades and stamps call none.
func WithPreflight(f Preflight) Option {
	return func(m *Project) error {
		if f == nil {
			return errors.New("retort: WithPreflight(nil)")
		}
		m.preflights = append(slices.Clip(m.preflights), f)
		return nil
	}
}

// PreflightError is the error of an upgrade a Preflight refused: the
// database is as it was (no statement run, no version row written), or
// no script was written.
type PreflightError struct {
	Err error // the preflight's error
}

func (e *PreflightError) Error() string { return e.Err.Error() }
func (e *PreflightError) Unwrap() error { return e.Err }

// preflight runs the preflights on the steps of an upgrade; conn is nil
// offline.
func (m *Project) preflight(ctx context.Context, steps []revision.Step, conn dialect.Querier) error {
	if len(m.preflights) == 0 || len(steps) == 0 {
		return nil
	}
	run := &PreflightRun{Project: m, Steps: slices.Clone(steps), Conn: conn}
	for _, f := range m.preflights {
		if err := f(ctx, run); err != nil {
			return &PreflightError{Err: err}
		}
	}
	return nil
}
