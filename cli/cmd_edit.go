package cli

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// cmdEdit opens a revision's file in the user's editor, as Alembic's
// `alembic edit` does. The editor is $EDITOR, else $VISUAL (Alembic's
// order); its value is split on spaces, so "code --wait" works.
func cmdEdit() *command {
	c := &command{name: "edit", summary: "open a revision file in $EDITOR", args: "REV"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if len(f.args) != 1 {
			return usagef(c.name, "edit takes one revision (an id, a prefix, head, current or LABEL@head)")
		}
		editor := strings.Fields(e.getenv("EDITOR"))
		if len(editor) == 0 {
			editor = strings.Fields(e.getenv("VISUAL"))
		}
		if len(editor) == 0 {
			return &usageError{cmd: c.name, msg: "no editor: neither EDITOR nor VISUAL is set",
				hint: "set one, e.g. `EDITOR=vi retort edit head`"}
		}
		g, err := e.loadGraph()
		if err != nil {
			return err
		}
		var ids []string
		if f.args[0] == "current" {
			if ids, err = e.currentRows(ctx); err != nil {
				return err
			}
		} else if ids, err = g.Resolve(f.args[0]); err != nil {
			return err
		}
		switch len(ids) {
		case 0:
			return usagef(c.name, "%s names no revision (the database is at base, or the graph is empty)", f.args[0])
		case 1:
		default:
			return usagef(c.name, "%s names %d revisions (%s); name one", f.args[0], len(ids), strings.Join(ids, ", "))
		}
		sc := e.script(ids[0])
		if sc == nil {
			return fmt.Errorf("the database names revision %s, which no script defines", ids[0])
		}
		path := sc.Path
		if !filepath.IsAbs(path) {
			path = filepath.Join(e.cfg.Dir, filepath.FromSlash(path))
		}
		cmd := exec.CommandContext(ctx, editor[0], append(editor[1:], path)...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = e.stdin, e.stdout, e.stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("editor %s on %s: %w", editor[0], sc.Path, err)
		}
		return nil
	}
	return c
}
