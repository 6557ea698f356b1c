package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
)

// ranLeaf is what a leaf of the test tree was given: its path, its
// positional arguments, its options and its own --level.
type ranLeaf struct {
	path  string
	args  []string
	opts  options
	level string
}

// testLeaf is a leaf command that records each run in ran. It has an
// option of its own (--level) and fails on --fail.
func testLeaf(name string, ran *[]ranLeaf) *command {
	c := &command{name: name, summary: "test leaf " + name, args: "[--level N] [ARG...]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.path())
		level := f.String("N", "a level of the leaf's own", "--level")
		fail := f.Bool("fail with a usage error", "--fail")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if *fail {
			return usagef(c.path(), "failing as asked")
		}
		*ran = append(*ran, ranLeaf{c.path(), f.args, e.options, *level})
		return nil
	}
	return c
}

// testTree is a command list with a top-level leaf, a group and a group
// in the group: plain; fleet upgrade|current|tenant add.
func testTree(ran *[]ranLeaf) []*command {
	return []*command{
		testLeaf("plain", ran),
		group(&command{name: "fleet", summary: "test group"},
			testLeaf("upgrade", ran),
			testLeaf("current", ran),
			group(&command{name: "tenant", summary: "test group in a group"}, testLeaf("add", ran))),
	}
}

type dispatchResult struct {
	code           int
	stdout, stderr string
	ran            []ranLeaf
}

func runTree(t *testing.T, args ...string) dispatchResult {
	t.Helper()
	var ran []ranLeaf
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }, args: args}
	code := dispatch(context.Background(), e, testTree(&ran), args)
	return dispatchResult{code, stdout.String(), stderr.String(), ran}
}

func TestDispatch_Nested(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		// The leaf that ran, with its arguments, level and options; ""
		// for none.
		path  string
		args2 []string
		level string
		opts  options
		// Texts the standard streams hold.
		stdout, stderr []string
	}{
		{name: "top-level leaf", args: []string{"plain", "a", "b"}, path: "plain", args2: []string{"a", "b"}},
		{name: "subcommand", args: []string{"fleet", "upgrade", "head"}, path: "fleet upgrade", args2: []string{"head"}},
		{name: "subcommand of a subcommand", args: []string{"fleet", "tenant", "add", "acme"}, path: "fleet tenant add", args2: []string{"acme"}},
		{name: "global options at every level",
			args: []string{"-C", "proj", "-q", "fleet", "--url", "sqlite:///a.db", "upgrade", "--json", "-x", "k=v", "head"},
			path: "fleet upgrade", args2: []string{"head"},
			opts: options{dir: "proj", quiet: true, urlFlag: "sqlite:///a.db", json: true, xargs: map[string]string{"k": "v"}}},
		{name: "the child's value replaces the parent's",
			args: []string{"--url", "sqlite:///top.db", "fleet", "-x", "k=1", "-x", "j=0", "upgrade", "-x", "k=2", "--url", "sqlite:///leaf.db"},
			path: "fleet upgrade", args2: nil,
			opts: options{urlFlag: "sqlite:///leaf.db", xargs: map[string]string{"k": "2", "j": "0"}}},
		{name: "the child's own option after its name", args: []string{"fleet", "upgrade", "--level", "3", "x"},
			path: "fleet upgrade", args2: []string{"x"}, level: "3"},
		{name: "the child's own option before its name is not the parent's",
			args: []string{"fleet", "--level", "3", "upgrade"}, code: ExitUsage,
			stderr: []string{"retort: unknown option --level\n", "hint: run `retort fleet --help` for its usage\n"}},
		{name: "-C only at the top", args: []string{"fleet", "-C", "proj", "upgrade"}, code: ExitUsage,
			stderr: []string{"retort: unknown option -C\n"}},
		{name: "--version only at the top", args: []string{"fleet", "--version"}, code: ExitUsage,
			stderr: []string{"retort: unknown option --version\n"}},
		{name: "-- ends a group's options", args: []string{"fleet", "-q", "--", "upgrade", "x"},
			path: "fleet upgrade", args2: []string{"x"}, opts: options{quiet: true}},
		{name: "-- ends a leaf's options", args: []string{"fleet", "upgrade", "--", "--level", "-q"},
			path: "fleet upgrade", args2: []string{"--level", "-q"}},
		{name: "top help shows groups", args: []string{"--help"},
			stdout: []string{"usage: retort [global options] COMMAND", "  plain      test leaf plain\n",
				"  fleet      test group\n             (commands: upgrade, current, tenant)\n"}},
		{name: "group help lists its subcommands", args: []string{"fleet", "--help"},
			stdout: []string{"usage: retort fleet [options] COMMAND [options] [args]\n\ntest group\n",
				"  upgrade    test leaf upgrade\n", "  current    test leaf current\n",
				"  tenant     test group in a group\n             (commands: add)\n",
				"  --url URL", "Run `retort fleet COMMAND --help`"}},
		{name: "help of a group in a group", args: []string{"-q", "fleet", "tenant", "-h"},
			stdout: []string{"usage: retort fleet tenant [options] COMMAND", "  add        test leaf add\n"}},
		{name: "a group without a subcommand shows its help", args: []string{"fleet"}, code: ExitUsage,
			stdout: []string{"usage: retort fleet [options] COMMAND", "  upgrade    test leaf upgrade\n"}},
		{name: "leaf help", args: []string{"fleet", "upgrade", "--help"},
			stdout: []string{"usage: retort fleet upgrade [--level N] [ARG...]\n\ntest leaf upgrade\n", "  --level N"}},
		{name: "unknown subcommand", args: []string{"fleet", "upgrad"}, code: ExitUsage,
			stderr: []string{"retort: unknown command \"fleet upgrad\"\n",
				"hint: run `retort fleet --help` for the list of its commands (did you mean \"upgrade\"?)\n"}},
		{name: "unknown subcommand of a group in a group", args: []string{"fleet", "tenant", "ad"}, code: ExitUsage,
			stderr: []string{"retort: unknown command \"fleet tenant ad\"\n",
				"hint: run `retort fleet tenant --help` for the list of its commands (did you mean \"add\"?)\n"}},
		{name: "unknown subcommand with no likeness", args: []string{"fleet", "zzz"}, code: ExitUsage,
			stderr: []string{"hint: run `retort fleet --help` for the list of its commands\n"}},
		{name: "unknown top-level command", args: []string{"flet"}, code: ExitUsage,
			stderr: []string{"retort: unknown command \"flet\"\n", "hint: run `retort --help` for the list of commands\n"}},
		{name: "a leaf's usage error names its path", args: []string{"fleet", "upgrade", "--fail"}, code: ExitUsage,
			stderr: []string{"retort: failing as asked\n", "hint: run `retort fleet upgrade --help` for its usage\n"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runTree(t, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tc.code, r.stdout, r.stderr)
			}
			switch {
			case tc.path == "" && len(r.ran) > 0:
				t.Errorf("ran %+v, want nothing run", r.ran)
			case tc.path != "" && len(r.ran) != 1:
				t.Errorf("ran %+v, want %s once", r.ran, tc.path)
			case tc.path != "":
				got := r.ran[0]
				if got.path != tc.path || !slices.Equal(got.args, tc.args2) || got.level != tc.level {
					t.Errorf("ran %s %q --level %q, want %s %q --level %q", got.path, got.args, got.level, tc.path, tc.args2, tc.level)
				}
				if !sameOptions(got.opts, tc.opts) {
					t.Errorf("options %+v, want %+v", got.opts, tc.opts)
				}
			}
			for _, s := range tc.stdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
				}
			}
			for _, s := range tc.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			if len(tc.stderr) == 0 && r.stderr != "" {
				t.Errorf("stderr: %s", r.stderr)
			}
		})
	}
}

func sameOptions(a, b options) bool {
	return a.dir == b.dir && a.cfgFile == b.cfgFile && a.urlFlag == b.urlFlag &&
		a.quiet == b.quiet && a.verbose == b.verbose && a.json == b.json && maps.Equal(a.xargs, b.xargs)
}

// TestDispatch_JSONFromParent: --json given to the group reaches its
// subcommand, whose error is then one JSON object.
func TestDispatch_JSONFromParent(t *testing.T) {
	for _, args := range [][]string{
		{"fleet", "--json", "upgrade", "--fail"},
		{"--json", "fleet", "upgrade", "--fail"},
		{"fleet", "upgrade", "--fail", "--json"},
	} {
		r := runTree(t, args...)
		var got errorJSON
		if err := json.Unmarshal([]byte(r.stderr), &got); err != nil {
			t.Fatalf("%q: stderr is not one JSON object: %v\n%s", args, err, r.stderr)
		}
		want := errorJSON{Error: "failing as asked", Hint: "run `retort fleet upgrade --help` for its usage", Exit: ExitUsage}
		if got != want || r.code != ExitUsage {
			t.Errorf("%q: exit %d, %+v; want exit %d, %+v", args, r.code, got, ExitUsage, want)
		}
	}
}

// TestDispatch_OptionsNotShared: the options of one command line never
// reach another run on the same env, and -x values given to a child do
// not change its parent's.
func TestDispatch_OptionsNotShared(t *testing.T) {
	var ran []ranLeaf
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	cmds := testTree(&ran)
	for _, args := range [][]string{
		{"-x", "a=1", "fleet", "-x", "b=2", "upgrade", "-x", "c=3", "--json", "-q", "--url", "sqlite:///x.db"},
		{"-x", "a=1", "fleet", "-x", "b=2", "current"},
		{"fleet", "upgrade"},
	} {
		if code := dispatch(context.Background(), e, cmds, args); code != ExitOK {
			t.Fatalf("%q: exit %d: %s", args, code, stderr.String())
		}
	}
	want := []options{
		{json: true, quiet: true, urlFlag: "sqlite:///x.db", xargs: map[string]string{"a": "1", "b": "2", "c": "3"}},
		{xargs: map[string]string{"a": "1", "b": "2"}},
		{},
	}
	for i, w := range want {
		if !sameOptions(ran[i].opts, w) {
			t.Errorf("run %d (%s): options %+v, want %+v", i, ran[i].path, ran[i].opts, w)
		}
	}
}

// TestCmdGlobals_Merge: merging never writes the -x map of the options
// it was given.
func TestCmdGlobals_Merge(t *testing.T) {
	f := newFlags("")
	g := globalsAfter(f)
	if err := f.parse([]string{"-x", "k=2", "-x", "new"}); err != nil {
		t.Fatal(err)
	}
	parent := options{xargs: map[string]string{"k": "1"}}
	child, err := g.merge(parent)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(parent.xargs, map[string]string{"k": "1"}) {
		t.Errorf("parent's -x values changed to %v", parent.xargs)
	}
	if !maps.Equal(child.xargs, map[string]string{"k": "2", "new": ""}) {
		t.Errorf("child's -x values %v", child.xargs)
	}
}
