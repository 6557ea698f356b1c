// Package cli is the retort command-line program as a library: Main takes
// the arguments and standard streams and returns the exit status, so that
// cmd/retort is one line and a project's own migrations program can be the
// same CLI. One file per command.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/script"
)

// Exit statuses.
const (
	ExitOK      = 0
	ExitFailure = 1 // the operation failed, or check/lint/verify found something
	ExitUsage   = 2 // usage or configuration error
)

// Option configures Main.
type Option func(*env)

// WithGetenv replaces os.Getenv (for tests). It is the environment of
// the invocation: the migrations program that the CLI builds and runs for
// a project with Go revisions gets these values too (see delegate.go).
func WithGetenv(f func(string) string) Option { return func(e *env) { e.getenv = f } }

// WithRevisions gives the CLI the Go revisions compiled into the
// program: a project's migrations/main.go passes its versions package's
// registry, cli.WithRevisions(&versions.Registry). After loading the
// revision files the CLI binds every Go revision file to it
// (script.Bind), so that a file and the program that disagree are an
// error that says to rebuild. Without it (the retort binary), commands
// that run revisions (upgrade, downgrade, with or without --sql) on a
// project with Go revisions build the project's migrations program and
// hand the command over to it; the other commands read the files'
// headers and compile nothing.
func WithRevisions(reg *script.Registry) Option { return func(e *env) { e.registry = reg } }

// usageError is a bad command line or configuration: exit status 2.
type usageError struct {
	cmd  string
	msg  string
	hint string
}

func (e *usageError) Error() string { return e.msg }

func usagef(cmd, format string, a ...any) *usageError {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, a...)}
}

// hinted is an operation error with a hint of what to do.
type hinted struct {
	err  error
	hint string
}

func (h *hinted) Error() string { return h.err.Error() }
func (h *hinted) Unwrap() error { return h.err }

// exitStatus is the exit status of the migrations program a command was
// handed to; it printed its own messages.
type exitStatus struct{ code int }

func (e *exitStatus) Error() string {
	return fmt.Sprintf("the migrations program exited with status %d", e.code)
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	args    string // usage synopsis after the name
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []*command {
	return []*command{
		cmdInit(), cmdRevision(), cmdMerge(),
		cmdUpgrade(), cmdDowngrade(), cmdStamp(), cmdResolve(), cmdVerify(),
		cmdCurrent(), cmdHeads(), cmdBranches(), cmdHistory(), cmdShow(), cmdEdit(), cmdGraph(),
	}
}

// Main runs the retort command line and returns the exit status.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, opts ...Option) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, args: args}
	for _, o := range opts {
		o(e)
	}
	cmds := commands()
	g := newFlags("")
	dir := g.String("DIR", "act as if started in DIR", "-C")
	globals := globalsAfter(g) // the same options a command accepts after its name
	help := g.Bool("show help", "-h", "--help")
	version := g.Bool("print the version", "--version")

	// Global options come before the command.
	i := 0
	for i < len(args) && strings.HasPrefix(args[i], "-") && args[i] != "-" {
		name, _, hasVal := strings.Cut(args[i], "=")
		d, ok := g.defs[name]
		n := 1
		if ok && d.kind != flagBool && !hasVal {
			n = 2
		}
		if i+n > len(args) {
			n = len(args) - i
		}
		if err := g.parse(args[i : i+n]); err != nil {
			return e.fail(err)
		}
		i += n
	}
	rest := args[i:]
	if *version {
		if err := printVersion(stdout, *globals.json); err != nil {
			return e.fail(err)
		}
		return ExitOK
	}
	if len(rest) == 0 || *help {
		printHelp(stdout, cmds, g)
		if len(rest) == 0 && !*help {
			return ExitUsage
		}
		return ExitOK
	}
	e.dir = *dir
	e.setLogger()
	if err := globals.apply(e); err != nil {
		return e.fail(err)
	}

	name := rest[0]
	for _, c := range cmds {
		if c.name == name {
			if err := c.run(ctx, e, rest[1:]); err != nil {
				return e.fail(err)
			}
			return ExitOK
		}
	}
	return e.fail(&usageError{msg: fmt.Sprintf("unknown command %q", name), hint: "run `retort --help` for the list of commands" + suggest(name, cmds)})
}

func suggest(name string, cmds []*command) string {
	for _, c := range cmds {
		if strings.HasPrefix(c.name, name) || strings.HasPrefix(name, c.name) {
			return fmt.Sprintf(" (did you mean %q?)", c.name)
		}
	}
	return ""
}

// redact replaces, in s, every database URL the command has used with
// its redacted form (config.Redact): one URL today, a fleet's many later.
func (e *env) redact(s string) string {
	for _, raw := range e.urlsRaw {
		if raw != "" {
			s = strings.ReplaceAll(s, raw, config.Redact(raw))
		}
	}
	return s
}

// fail prints err, with its hint, and returns its exit status; under
// --json as one JSON object (errorJSON).
func (e *env) fail(err error) int {
	var st *exitStatus
	if errors.As(err, &st) {
		return st.code // the migrations program has said why
	}
	msg, hint, code := e.redact(err.Error()), e.redact(errorHint(err)), exitStatusOf(err)
	if e.json {
		writeErrorJSON(e.stderr, err, msg, hint, code)
		return code
	}
	fmt.Fprintf(e.stderr, "retort: %s\n", msg)
	if hint != "" {
		fmt.Fprintf(e.stderr, "hint: %s\n", hint)
	}
	return code
}

func printHelp(w io.Writer, cmds []*command, g *flags) {
	fmt.Fprintf(w, "retort %s: schema migrations for Go, with Alembic's model\n\n", currentVersion().Version)
	fmt.Fprintf(w, "usage: retort [global options] COMMAND [options] [args]\n\ncommands:\n")
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nglobal options (before or after the command):\n%s", g.usage())
	fmt.Fprintf(w, "\nRun `retort COMMAND --help` for a command's options. Exit status: 0 success, 1 failure, 2 usage or configuration error.\n")
}

// parseCmd parses a command's options, handling --help. The global
// options that make sense after the command are accepted there too
// (`retort upgrade head -q`), as Alembic's argparse accepts them, unless
// the command gives the name a meaning of its own (history's -v).
func parseCmd(e *env, c *command, f *flags, args []string) (bool, error) {
	help := f.Bool("show this help", "-h", "--help")
	g := globalsAfter(f)
	if err := f.parse(args); err != nil {
		return false, err
	}
	if *help {
		fmt.Fprintf(e.stdout, "usage: retort %s %s\n\n%s\n\noptions:\n%s", c.name, c.args, c.summary, f.usage())
		return true, nil
	}
	if err := g.apply(e); err != nil {
		return false, err
	}
	return false, nil
}

// cmdGlobals are the global options a command line may give after the
// command; nil where the command defines the name itself.
type cmdGlobals struct {
	json, quiet, verbose *bool
	url, cfg             *string
	xargs                *[]string
}

func globalsAfter(f *flags) *cmdGlobals {
	free := func(names ...string) []string {
		var out []string
		for _, n := range names {
			if _, taken := f.defs[n]; !taken {
				out = append(out, n)
			}
		}
		return out
	}
	g := &cmdGlobals{}
	if n := free("-c", "--config"); len(n) > 0 {
		g.cfg = f.String("FILE", "configuration file (default: retort.toml in the current folder)", n...)
	}
	if n := free("--url"); len(n) > 0 {
		g.url = f.String("URL", "database URL (overrides RETORT_URL, DATABASE_URL and retort.toml)", n...)
	}
	if n := free("-q", "--quiet"); len(n) > 0 {
		g.quiet = f.Bool("do not log steps on stderr", n...)
	}
	if n := free("-v", "--verbose"); len(n) > 0 {
		g.verbose = f.Bool("log more", n...)
	}
	if n := free("--json"); len(n) > 0 {
		g.json = f.Bool("print structured output as JSON", n...)
	}
	if n := free("-x"); len(n) > 0 {
		g.xargs = f.List("KEY=VALUE", "a value for Go revisions to read (o.XArgs), as Alembic's -x; repeatable", n...)
	}
	return g
}

func (g *cmdGlobals) apply(e *env) error {
	set := func(p *bool) bool { return p != nil && *p }
	if set(g.json) {
		e.json = true
	}
	if g.url != nil && *g.url != "" {
		e.urlFlag = *g.url
	}
	if g.cfg != nil && *g.cfg != "" {
		e.cfgFile = *g.cfg
	}
	relog := false
	if set(g.quiet) {
		e.quiet, relog = true, true
	}
	if set(g.verbose) {
		e.verbose, relog = true, true
	}
	if relog {
		e.setLogger()
	}
	if g.xargs != nil {
		return e.addXArgs(*g.xargs)
	}
	return nil
}

// setLogger (re)makes the step logger for -q and -v.
func (e *env) setLogger() {
	level := slog.LevelInfo
	switch {
	case e.quiet:
		level = slog.LevelError
	case e.verbose:
		level = slog.LevelDebug
	}
	e.log = slog.New(&lineHandler{w: e.stderr, level: level, json: &e.json})
}

// addXArgs reads -x values: KEY=VALUE, or KEY alone for an empty value
// (as Alembic's get_x_argument(as_dictionary=True) reads them). A later
// value of a key replaces an earlier one.
func (e *env) addXArgs(vals []string) error {
	for _, v := range vals {
		k, val, _ := strings.Cut(v, "=")
		if strings.TrimSpace(k) == "" {
			return &usageError{msg: fmt.Sprintf("-x %q: the key is empty", v), hint: "give -x KEY=VALUE, e.g. -x tenant=acme"}
		}
		if e.xargs == nil {
			e.xargs = map[string]string{}
		}
		e.xargs[k] = val
	}
	return nil
}

// lineHandler logs the message alone, one line per record: the steps of
// a run read like Alembic's ("Running upgrade A -> B, message (12 ms)").
// Under --json each record is a JSON object instead, with its attributes.
type lineHandler struct {
	w     io.Writer
	level slog.Level
	json  *bool // e.json: set by a command's --json after the handler is made
}

func (h *lineHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }
func (h *lineHandler) Handle(ctx context.Context, r slog.Record) error {
	if h.json != nil && *h.json {
		return slog.NewJSONHandler(h.w, &slog.HandlerOptions{Level: h.level}).Handle(ctx, r)
	}
	_, err := fmt.Fprintln(h.w, r.Message+stepTime(r))
	return err
}
func (h *lineHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *lineHandler) WithGroup(string) slog.Handler      { return h }
