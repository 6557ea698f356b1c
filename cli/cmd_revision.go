package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/revision"
	"github.com/retortdb/retort/script"
)

func cmdInit() *command {
	c := &command{name: "init", summary: "create retort.toml and an empty migrations folder", args: "[DIR] [--template sql]"}
	c.run = func(ctx context.Context, e *env, args []string) error {
		f := newFlags(c.name)
		tmpl := f.String("NAME", "project template: sql (Go revisions come later)", "--template", "-t")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if *tmpl != "" && *tmpl != "sql" {
			return usagef(c.name, "unknown template %q (available: sql)", *tmpl)
		}
		if len(f.args) > 1 {
			return usagef(c.name, "init takes at most one folder")
		}
		wd, err := e.workDir()
		if err != nil {
			return err
		}
		dir := wd
		if len(f.args) == 1 {
			dir = f.args[0]
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(wd, dir)
			}
		}
		cfgPath := filepath.Join(dir, config.FileName)
		if _, err := os.Stat(cfgPath); err == nil {
			return &usageError{cmd: c.name, msg: fmt.Sprintf("%s already exists", cfgPath), hint: "remove it first, or init another folder"}
		}
		mig := filepath.Join(dir, "migrations")
		if entries, err := os.ReadDir(mig); err == nil && len(entries) > 0 {
			return &usageError{cmd: c.name, msg: fmt.Sprintf("%s exists and is not empty", mig), hint: "init another folder"}
		}
		if err := os.MkdirAll(mig, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", mig, err)
		}
		if err := os.WriteFile(cfgPath, config.DefaultTOML(), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", cfgPath, err)
		}
		if err := os.WriteFile(filepath.Join(mig, "README.md"), []byte(migrationsReadme), 0o644); err != nil {
			return fmt.Errorf("write README: %w", err)
		}
		fmt.Fprintf(e.stdout, "Creating %s ... done\nCreating %s ... done\nSet url in %s, then run `retort revision -m \"first revision\"`.\n",
			cfgPath, mig, config.FileName)
		return nil
	}
	return c
}

const migrationsReadme = `# Migrations

One SQL revision file per change, created with ` + "`retort revision -m \"message\"`" + `.
Each file starts with a header that links it into the revision graph:

    -- revision: 3f2a9c1b7d4e
    -- down_revision: 1a2b3c4d5e6f
    -- branch_labels:
    -- depends_on:
    -- message: Add new column
    -- create_date: 2021-11-28 14:32:05 UTC

    -- +upgrade
    ALTER TABLE account ADD COLUMN email VARCHAR(255) NULL;

    -- +downgrade
    ALTER TABLE account DROP COLUMN email;

Apply them with ` + "`retort upgrade head`" + `; see where the database is with
` + "`retort current`" + ` and the graph with ` + "`retort history`" + `.
`

func cmdRevision() *command {
	c := &command{name: "revision", summary: "create a new revision file", args: "-m MSG [--rev-id ID] [--head H] [--splice] [--branch-label L] [--depends-on R] [--version-path P]"}
	c.run = func(ctx context.Context, e *env, args []string) error {
		f := newFlags(c.name)
		msg := f.String("MSG", "message of the revision", "-m", "--message")
		revID := f.String("ID", "revision id to use instead of a random one", "--rev-id")
		head := f.String("H", "revision to base it on (default head; base starts a new root)", "--head")
		splice := f.Bool("allow a --head that is not a head (starts a branch)", "--splice")
		labels := f.List("L", "branch label (repeatable)", "--branch-label")
		deps := f.List("R", "revision or label this one depends on (repeatable)", "--depends-on")
		vpath := f.String("P", "folder to write to (one of the version locations)", "--version-path")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if len(f.args) > 0 {
			return usagef(c.name, "unexpected argument %q (quote the message: -m \"...\")", f.args[0])
		}
		h := *head
		if h == "" {
			h = "head"
		}
		return e.newRevision(c.name, newRev{msg: *msg, id: *revID, heads: []string{h}, splice: *splice, labels: *labels, deps: *deps, vpath: *vpath})
	}
	return c
}

func cmdMerge() *command {
	c := &command{name: "merge", summary: "create a revision that merges several heads", args: "-m MSG [--rev-id ID] [--branch-label L] REV..."}
	c.run = func(ctx context.Context, e *env, args []string) error {
		f := newFlags(c.name)
		msg := f.String("MSG", "message of the revision", "-m", "--message")
		revID := f.String("ID", "revision id to use instead of a random one", "--rev-id")
		labels := f.List("L", "branch label (repeatable)", "--branch-label")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if len(f.args) == 0 {
			return usagef(c.name, "merge needs the revisions to merge (e.g. heads)")
		}
		return e.newRevision(c.name, newRev{msg: *msg, id: *revID, heads: f.args, splice: true, labels: *labels, merge: true})
	}
	return c
}

type newRev struct {
	msg, id, vpath string
	heads          []string
	splice, merge  bool
	labels, deps   []string
}

func newRevID() (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func (e *env) newRevision(cmd string, o newRev) error {
	cfg, err := e.config()
	if err != nil {
		return err
	}
	if cfg.RevisionFormat != "sql" {
		return &config.Error{Path: cfg.Path, Msg: fmt.Sprintf("revision_format %q: this version of retort writes SQL revisions only", cfg.RevisionFormat),
			Hint: "set revision_format = \"sql\" (Go revisions come with the operations API)"}
	}
	g, err := e.loadGraph()
	if err != nil {
		return err
	}
	id := o.id
	if id == "" {
		if id, err = newRevID(); err != nil {
			return fmt.Errorf("new revision id: %w", err)
		}
	} else if strings.ContainsAny(id, "@-+:, \t\r\n") || id == "head" || id == "heads" || id == "base" || id == "current" {
		return usagef(cmd, "--rev-id %q is not a valid revision id (no @ - + : , or white space; not head, heads, base or current)", id)
	}
	if g.Info(id) != nil {
		return usagef(cmd, "revision %s already exists (%s)", id, g.Info(id).Path)
	}
	var down []string
	for _, h := range o.heads {
		ids, err := g.Resolve(h)
		if err != nil {
			var mh *revision.MultipleHeadsError
			if errors.As(err, &mh) {
				return &hinted{err: err, hint: "pass --head with one of them, or `retort merge -m MSG heads` first"}
			}
			return err
		}
		for _, x := range ids {
			if slices.Contains(down, x) {
				return usagef(cmd, "revision %s is named twice", x)
			}
			if !o.splice && !g.Info(x).IsHead {
				return &usageError{cmd: cmd, msg: fmt.Sprintf("revision %s is not a head", x), hint: "pass --splice to start a branch from it"}
			}
			down = append(down, x)
		}
	}
	if o.merge && len(down) < 2 {
		return usagef(cmd, "merge needs at least two revisions to merge, got %d (%s)", len(down), strings.Join(down, ", "))
	}
	var deps []string
	for _, d := range o.deps {
		if info := g.Info(d); info != nil {
			deps = append(deps, d)
			continue
		}
		ids, err := g.Resolve(d)
		if err != nil {
			return err
		}
		if len(ids) != 1 {
			return usagef(cmd, "--depends-on %s names %d revisions; name one", d, len(ids))
		}
		// Keep a branch label as written; a prefix becomes the full id.
		if lab := g.Info(ids[0]).BranchLabels; slices.Contains(lab, d) {
			deps = append(deps, d)
		} else {
			deps = append(deps, ids[0])
		}
	}
	dir := cfg.ScriptLocation
	if o.vpath != "" {
		dir = o.vpath
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(cfg.Dir, dir)
		}
		locs, _ := e.locations()
		if !slices.Contains(locs, filepath.Clean(dir)) {
			return usagef(cmd, "--version-path %s is not one of the version locations (%s)", o.vpath, strings.Join(locs, ", "))
		}
	} else if len(cfg.VersionLocations) > 0 && len(down) > 0 {
		// Write next to the revision it follows.
		if p := g.Info(down[0]).Path; p != "" {
			dir = filepath.Join(cfg.Dir, filepath.Dir(p))
		}
	}
	now := time.Now()
	if cfg.Timezone != "" {
		loc, err := time.LoadLocation(cfg.Timezone)
		if err != nil {
			return &config.Error{Path: cfg.Path, Msg: fmt.Sprintf("timezone %q: %v", cfg.Timezone, err)}
		}
		now = now.In(loc)
	} else {
		now = now.UTC()
	}
	name, err := script.FileName(cfg.FileTemplate, id, o.msg, now, cfg.TruncateSlugLength)
	if err != nil {
		return &config.Error{Path: cfg.Path, Msg: fmt.Sprintf("file_template: %v", err)}
	}
	content := script.Render(script.Header{Revision: id, DownRevisions: down, BranchLabels: o.labels, DependsOn: deps, Message: o.msg, CreateDate: now}, "", "")
	// Check that the new file keeps the graph valid before writing it.
	sc, _, err := script.Parse(content, e.display(filepath.Join(dir, name)))
	if err != nil {
		return err
	}
	if _, err := retort.BuildGraph(append(slices.Clone(e.scripts), sc)); err != nil {
		return err
	}
	path := filepath.Join(dir, name)
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("write revision: %w", err)
	}
	if _, err := fh.Write(content); err != nil {
		fh.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := fh.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if e.json {
		return writeJSON(e.stdout, map[string]any{"revision": id, "path": e.display(path), "down_revisions": nonNil(down)})
	}
	fmt.Fprintf(e.stdout, "Generating %s ... done\n", e.display(path))
	return nil
}
