package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/lint"
	"github.com/retortdb/retort/lint/gate"
)

// lintPreflight is the check upgrade makes when retort.toml has
// lint_on_upgrade = true: package lint/gate's, as a program embedding
// retort would install it, with retort lint's settings. It lints the
// revisions the upgrade is about to apply for the database's dialect;
// findings go to stderr (stdout may be the --sql script), as text or
// under --json as lint --json writes them; an error finding refuses the
// upgrade before anything runs. Online the version rules check by the
// connected server's version; offline (--sql) by lint.server_version.
func lintPreflight(e *session) (retort.Preflight, error) {
	l := &linter{e: e, format: "text"}
	if err := l.setup(""); err != nil {
		return nil, err
	}
	check := gate.Preflight(gate.Options{Settings: l.settings, XArgs: e.xargs,
		Report: func(ctx context.Context, res *lint.Result) error {
			// Under --json, a JSON document of the findings (retort lint
			// --json's) comes before the error object.
			format := "text"
			if e.json {
				format = "json"
			}
			w := bufio.NewWriter(e.stderr)
			if err := res.Write(w, format); err != nil {
				return err
			}
			return w.Flush()
		}})
	return func(ctx context.Context, run *retort.PreflightRun) error {
		err := check(ctx, run)
		var ge *gate.Error
		if errors.As(err, &ge) {
			return &hinted{err: fmt.Errorf("lint_on_upgrade: %w", ge),
				hint: "fix the statements, or suppress a finding that does not apply with `-- retort:ignore CODE reason` above the statement (docs/lint.md); lint_on_upgrade = false in retort.toml turns the check off"}
		}
		return err
	}, nil
}
