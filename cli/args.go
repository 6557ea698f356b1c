package cli

import (
	"fmt"
	"strings"
)

// flags is a small command-line parser in the style of Alembic's argparse:
// options may come before, between or after positional arguments, long
// options take "--name value" or "--name=value", and a negative number
// such as "-1" is a positional argument (a relative target), not an
// option. "--" ends the options.
type flags struct {
	cmd   string
	defs  map[string]*flagDef
	args  []string
	order []*flagDef
}

type flagDef struct {
	names []string
	usage string
	kind  int // flagBool, flagString, flagList
	b     *bool
	s     *string
	l     *[]string
	meta  string
}

const (
	flagBool = iota
	flagString
	flagList
)

func newFlags(cmd string) *flags { return &flags{cmd: cmd, defs: map[string]*flagDef{}} }

func (f *flags) add(d *flagDef) {
	for _, n := range d.names {
		f.defs[n] = d
	}
	f.order = append(f.order, d)
}

// Bool defines a boolean option with its names ("-v", "--verbose").
func (f *flags) Bool(usage string, names ...string) *bool {
	b := new(bool)
	f.add(&flagDef{names: names, usage: usage, kind: flagBool, b: b})
	return b
}

// String defines an option that takes a value.
func (f *flags) String(meta, usage string, names ...string) *string {
	s := new(string)
	f.add(&flagDef{names: names, usage: usage, kind: flagString, s: s, meta: meta})
	return s
}

// List defines a repeatable option; each use adds a value.
func (f *flags) List(meta, usage string, names ...string) *[]string {
	l := new([]string)
	f.add(&flagDef{names: names, usage: usage, kind: flagList, l: l, meta: meta})
	return l
}

func isNegativeNumberish(s string) bool {
	return len(s) > 1 && s[0] == '-' && s[1] >= '0' && s[1] <= '9'
}

// parse reads args; it returns a *usageError for an unknown option or a
// missing value.
func (f *flags) parse(args []string) error {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			f.args = append(f.args, args[i+1:]...)
			return nil
		}
		if len(a) < 2 || a[0] != '-' || isNegativeNumberish(a) {
			f.args = append(f.args, a)
			continue
		}
		name, val, hasVal := strings.Cut(a, "=")
		d, ok := f.defs[name]
		if !ok && !hasVal && !strings.HasPrefix(a, "--") && len(a) > 2 {
			// "-rVALUE"
			if d2, ok2 := f.defs[a[:2]]; ok2 && d2.kind != flagBool {
				d, ok, name, val, hasVal = d2, true, a[:2], a[2:], true
			}
		}
		if !ok {
			return usagef(f.cmd, "unknown option %s", name)
		}
		switch d.kind {
		case flagBool:
			if hasVal {
				return usagef(f.cmd, "option %s takes no value", name)
			}
			*d.b = true
		default:
			if !hasVal {
				if i+1 >= len(args) {
					return usagef(f.cmd, "option %s needs a value (%s)", name, d.meta)
				}
				i++
				val = args[i]
			}
			if d.kind == flagString {
				*d.s = val
			} else {
				*d.l = append(*d.l, val)
			}
		}
	}
	return nil
}

// usage renders the options for help text.
func (f *flags) usage() string {
	var b strings.Builder
	for _, d := range f.order {
		names := strings.Join(d.names, ", ")
		if d.kind != flagBool {
			names += " " + d.meta
		}
		fmt.Fprintf(&b, "  %-28s %s\n", names, d.usage)
	}
	return b.String()
}
