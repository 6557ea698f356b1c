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
	"maps"
	"os"
	"strings"

	"github.com/retortdb/retort/diff"
	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/schema"
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

// WithDesiredSchema gives the CLI the desired schema of autogenerate and
// check as Go code: a project's migrations/main.go passes a function of
// its own package that builds it with package schema's builders,
// cli.WithDesiredSchema(target.Schema) (`retort inspect --format go`
// writes one from a database). The schema is applied to a scratch
// database and read back, as desired-state SQL files are. Without it,
// check and revision --autogenerate read the files of retort.toml's
// desired key, or, when it names none and the project has a migrations
// program, hand the command over to that program.
func WithDesiredSchema(f func() *schema.Schema) Option { return func(e *env) { e.desired = f } }

// WithIncludeObject refines what autogenerate and check compare, as
// Alembic's include_object hook in env.py: f is asked about every table,
// column, constraint, index and enum type found in the database or the
// desired schema (after include_tables and exclude_tables), and an
// object for which it returns false is left out on both sides. Like
// WithDesiredSchema, it is given in the project's migrations program.
func WithIncludeObject(f func(diff.Object) bool) Option { return func(e *env) { e.includeObject = f } }

// WithCompareType decides first whether a column's type in the database
// (from) and in the desired schema (to) are the same, as Alembic's
// compare_type hook: decided false leaves it to the default comparison
// of the normalised types.
func WithCompareType(f func(from, to schema.Column) (equal, decided bool)) Option {
	return func(e *env) { e.compareType = f }
}

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

// env is the process: its standard streams and environment, the
// arguments Main was given and the compiled revisions. Main makes it
// once and nothing changes it after; what a command's options decide
// lives in its session (project.go).
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	args           []string                                           // as given to Main, for the migrations program
	registry       *script.Registry                                   // the compiled Go revisions (WithRevisions), or nil
	desired        func() *schema.Schema                              // the desired schema as Go code (WithDesiredSchema), or nil
	includeObject  func(diff.Object) bool                             // WithIncludeObject, or nil
	compareType    func(from, to schema.Column) (equal, decided bool) // WithCompareType, or nil
	isTerminal     func(io.Writer) bool                               // replaces the terminal check (tests)
}

// options are the global options of one command line: those given
// before a command's name (at each level of a nested command) and after
// it. They are a value: each level of parsing makes a new one from the
// one above it, so that a command never sees the options of another,
// nor a parent those of its child.
type options struct {
	dir, cfgFile, urlFlag string
	quiet, verbose, json  bool
	xargs                 map[string]string // -x KEY=VALUE; never written in place (withXArgs copies)
}

// command is one command of the command line: a leaf, which has run,
// or a group, which has subcommands (`retort fleet upgrade`). A group's
// run is nil.
type command struct {
	name    string
	summary string
	args    string // usage synopsis after the name
	run     func(ctx context.Context, e *session, args []string) error
	subs    []*command
	parent  *command // set by group; nil for a top-level command
}

// group makes c a group of the commands subs.
func group(c *command, subs ...*command) *command {
	c.subs = subs
	for _, s := range subs {
		s.parent = c
	}
	return c
}

// path is the command's name as typed after `retort`: "upgrade", or
// "fleet upgrade" for a subcommand.
func (c *command) path() string {
	if c.parent == nil {
		return c.name
	}
	return c.parent.path() + " " + c.name
}

func commands() []*command {
	return []*command{
		cmdInit(), cmdRevision(), cmdMerge(), cmdImport(), cmdAdopt(),
		cmdUpgrade(), cmdDowngrade(), cmdStamp(), cmdResolve(), cmdVerify(), cmdCheck(), cmdLint(), cmdSquash(),
		cmdCurrent(), cmdHeads(), cmdBranches(), cmdHistory(), cmdShow(), cmdReflect(), cmdEdit(), cmdGraph(),
		cmdFleet(),
	}
}

// Main runs the retort command line and returns the exit status.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, opts ...Option) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, args: args}
	for _, o := range opts {
		o(e)
	}
	return dispatch(ctx, e, commands(), args)
}

// dispatch runs the command that args name among cmds and returns the
// exit status. Options come before the command's name (the global ones,
// and at the top -C and --version), and so on down a group's
// subcommands to a leaf command, which parses the rest (parseCmd).
func dispatch(ctx context.Context, e *env, cmds []*command, args []string) int {
	var o options
	var parent *command
	for {
		lv, err := parseLevel(e, parent, cmds, o, args)
		if err != nil || lv.done {
			return lv.exit(e, err)
		}
		o, args = lv.opts, lv.rest
		c := lv.cmd
		if c.subs == nil {
			s := newSession(e, o)
			if err := c.run(ctx, s, args); err != nil {
				return s.fail(err)
			}
			return ExitOK
		}
		parent, cmds = c, c.subs
	}
}

// level is what parseLevel read of one level of the command line: the
// options before a command's name and the command.
type level struct {
	opts options
	cmd  *command // the command named
	rest []string // the arguments after its name
	done bool     // help or the version was printed: exit with code
	code int
}

func (lv level) exit(e *env, err error) int {
	if err != nil {
		return newSession(e, lv.opts).fail(err)
	}
	return lv.code
}

// parseLevel reads the options of parent's level (the top when parent is
// nil) from args, given the options o of the levels above, and finds the
// command named next among cmds.
func parseLevel(e *env, parent *command, cmds []*command, o options, args []string) (level, error) {
	where, g := "retort", newFlags("")
	if parent != nil {
		where, g = "retort "+parent.path(), newFlags(parent.path()) // a bad option's hint is `retort fleet --help`
	}
	var dir *string
	if parent == nil {
		dir = g.String("DIR", "act as if started in DIR", "-C")
	}
	globals := globalsAfter(g) // the same options a command accepts after its name
	help := g.Bool("show help", "-h", "--help")
	var version *bool
	if parent == nil {
		version = g.Bool("print the version", "--version")
	}
	lv := level{opts: o}
	i, err := g.parseLeading(args)
	if err != nil {
		return lv, err
	}
	rest := args[i:]
	if version != nil && *version {
		lv.done, lv.code = true, ExitOK
		return lv, printVersion(e.stdout, *globals.json)
	}
	if len(rest) == 0 || *help {
		printHelp(e.stdout, parent, cmds, g)
		lv.done, lv.code = true, ExitOK
		if len(rest) == 0 && !*help {
			lv.code = ExitUsage
		}
		return lv, nil
	}
	if dir != nil {
		o.dir = *dir
	}
	if lv.opts, err = globals.merge(o); err != nil {
		return lv, err
	}
	name := rest[0]
	for _, c := range cmds {
		if c.name == name {
			lv.cmd, lv.rest = c, rest[1:]
			return lv, nil
		}
	}
	unknown, list := name, "the list of commands"
	if parent != nil {
		unknown, list = parent.path()+" "+name, "the list of its commands"
	}
	return lv, &usageError{msg: fmt.Sprintf("unknown command %q", unknown), hint: fmt.Sprintf("run `%s --help` for %s", where, list) + suggest(name, cmds)}
}

// parseLeading parses the options at the start of args, up to the first
// argument that is not one (the command's name) or after "--", and
// returns the index of that argument.
func (f *flags) parseLeading(args []string) (int, error) {
	i := 0
	for i < len(args) && strings.HasPrefix(args[i], "-") && args[i] != "-" {
		if args[i] == "--" {
			return i + 1, nil
		}
		name, _, hasVal := strings.Cut(args[i], "=")
		d, ok := f.defs[name]
		n := 1
		if ok && d.kind != flagBool && !hasVal {
			n = 2
		}
		if i+n > len(args) {
			n = len(args) - i
		}
		if err := f.parse(args[i : i+n]); err != nil {
			return i, err
		}
		i += n
	}
	return i, nil
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
func (e *session) redact(s string) string {
	for _, raw := range e.urlsRaw {
		if raw != "" {
			s = strings.ReplaceAll(s, raw, config.Redact(raw))
		}
	}
	return s
}

// fail prints err, with its hint, and returns its exit status; under
// --json as one JSON object (errorJSON).
func (e *session) fail(err error) int {
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

// printHelp prints the help of the top level (parent nil) or of a group:
// its commands, a group's with the names of its subcommands, and the
// options of the level.
func printHelp(w io.Writer, parent *command, cmds []*command, g *flags) {
	if parent == nil {
		fmt.Fprintf(w, "retort %s: schema migrations for Go, with Alembic's model\n\n", currentVersion().Version)
		fmt.Fprintf(w, "usage: retort [global options] COMMAND [options] [args]\n\ncommands:\n")
	} else {
		fmt.Fprintf(w, "usage: retort %s [options] COMMAND [options] [args]\n\n%s\n\ncommands:\n", parent.path(), parent.summary)
	}
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
		if len(c.subs) > 0 {
			names := make([]string, len(c.subs))
			for i, s := range c.subs {
				names[i] = s.name
			}
			fmt.Fprintf(w, "  %-10s (commands: %s)\n", "", strings.Join(names, ", "))
		}
	}
	if parent == nil {
		fmt.Fprintf(w, "\nglobal options (before or after the command):\n%s", g.usage())
		fmt.Fprintf(w, "\nRun `retort COMMAND --help` for a command's options. Exit status: 0 success, 1 failure, 2 usage or configuration error.\n")
		return
	}
	fmt.Fprintf(w, "\noptions (global options, also accepted after the command):\n%s", g.usage())
	fmt.Fprintf(w, "\nRun `retort %s COMMAND --help` for a command's options.\n", parent.path())
}

// parseCmd parses a command's options, handling --help. The global
// options that make sense after the command are accepted there too
// (`retort upgrade head -q`), as Alembic's argparse accepts them, unless
// the command gives the name a meaning of its own (history's -v). With
// them e's options are complete: parseCmd sets them, and the logger
// they decide, before the command reads either.
func parseCmd(e *session, c *command, f *flags, args []string) (bool, error) {
	help := f.Bool("show this help", "-h", "--help")
	g := globalsAfter(f)
	if err := f.parse(args); err != nil {
		return false, err
	}
	if *help {
		fmt.Fprintf(e.stdout, "usage: retort %s %s\n\n%s\n\noptions:\n%s", c.path(), c.args, c.summary, f.usage())
		return true, nil
	}
	o, err := g.merge(e.options)
	e.options = o // with --json even when -x is wrong, so that the error is JSON
	e.log = newLogger(e.stderr, o)
	return false, err
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

// merge returns o with the options of g that were given: a flag set
// here stays set, a value given here replaces o's, -x values are added
// to a copy of o's. The result has json set even with an error, so that
// the error is reported as asked.
func (g *cmdGlobals) merge(o options) (options, error) {
	set := func(p *bool) bool { return p != nil && *p }
	o.json = o.json || set(g.json)
	o.quiet = o.quiet || set(g.quiet)
	o.verbose = o.verbose || set(g.verbose)
	if g.url != nil && *g.url != "" {
		o.urlFlag = *g.url
	}
	if g.cfg != nil && *g.cfg != "" {
		o.cfgFile = *g.cfg
	}
	if g.xargs == nil || len(*g.xargs) == 0 {
		return o, nil
	}
	xargs, err := withXArgs(o.xargs, *g.xargs)
	if err != nil {
		return o, err
	}
	o.xargs = xargs
	return o, nil
}

// newLogger makes the step logger of a command's options (-q, -v,
// --json).
func newLogger(w io.Writer, o options) *slog.Logger {
	level := slog.LevelInfo
	switch {
	case o.quiet:
		level = slog.LevelError
	case o.verbose:
		level = slog.LevelDebug
	}
	return slog.New(&lineHandler{w: w, level: level, json: o.json})
}

// withXArgs returns xargs (not changed) with the -x values vals added:
// KEY=VALUE, or KEY alone for an empty value (as Alembic's
// get_x_argument(as_dictionary=True) reads them). A later value of a
// key replaces an earlier one.
func withXArgs(xargs map[string]string, vals []string) (map[string]string, error) {
	out := maps.Clone(xargs)
	for _, v := range vals {
		k, val, _ := strings.Cut(v, "=")
		if strings.TrimSpace(k) == "" {
			return xargs, &usageError{msg: fmt.Sprintf("-x %q: the key is empty", v), hint: "give -x KEY=VALUE, e.g. -x tenant=acme"}
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = val
	}
	return out, nil
}

// lineHandler logs the message alone, one line per record: the steps of
// a run read like Alembic's ("Running upgrade A -> B, message (12 ms)").
// Under --json each record is a JSON object instead, with its attributes.
type lineHandler struct {
	w     io.Writer
	level slog.Level
	json  bool // --json: records as JSON objects
}

func (h *lineHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }
func (h *lineHandler) Handle(ctx context.Context, r slog.Record) error {
	if h.json {
		return slog.NewJSONHandler(h.w, &slog.HandlerOptions{Level: h.level}).Handle(ctx, r)
	}
	_, err := fmt.Fprintln(h.w, r.Message+stepTime(r))
	return err
}
func (h *lineHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *lineHandler) WithGroup(string) slog.Handler      { return h }
