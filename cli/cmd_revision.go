package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
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

func cmdRevision() *command {
	c := &command{name: "revision", summary: "create a new revision file", args: "-m MSG [--rev-id ID] [--head H] [--splice] [--branch-label L] [--depends-on R] [--version-path P] [--format sql|go]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		msg := f.String("MSG", "message of the revision", "-m", "--message")
		revID := f.String("ID", "revision id to use instead of a random one", "--rev-id")
		head := f.String("H", "revision to base it on (default head; base starts a new root)", "--head")
		splice := f.Bool("allow a --head that is not a head (starts a branch)", "--splice")
		labels := f.List("L", "branch label (repeatable)", "--branch-label")
		deps := f.List("R", "revision or label this one depends on (repeatable)", "--depends-on")
		vpath := f.String("P", "folder to write to (one of the version locations)", "--version-path")
		format := formatFlag(f)
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
		return e.newRevision(c.name, newRev{msg: *msg, id: *revID, heads: []string{h}, splice: *splice, labels: *labels, deps: *deps, vpath: *vpath, format: *format})
	}
	return c
}

func cmdMerge() *command {
	c := &command{name: "merge", summary: "create a revision that merges several heads", args: "-m MSG [--rev-id ID] [--branch-label L] [--format sql|go] REV..."}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		msg := f.String("MSG", "message of the revision", "-m", "--message")
		revID := f.String("ID", "revision id to use instead of a random one", "--rev-id")
		labels := f.List("L", "branch label (repeatable)", "--branch-label")
		format := formatFlag(f)
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if len(f.args) == 0 {
			return usagef(c.name, "merge needs the revisions to merge (e.g. heads)")
		}
		return e.newRevision(c.name, newRev{msg: *msg, id: *revID, heads: f.args, splice: true, labels: *labels, merge: true, format: *format})
	}
	return c
}

func formatFlag(f *flags) *string {
	return f.String("FORMAT", "sql (a SQL file) or go (a Go file in the versions package); default: revision_format in retort.toml", "--format")
}

type newRev struct {
	msg, id, vpath string
	format         string // "sql", "go", or "" for revision_format
	heads          []string
	splice, merge  bool
	labels, deps   []string
}

// goPackage returns the name of the Go package in dir that a new Go
// revision joins: the package clause of its first non-test .go file.
func (e *session) goPackage(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", e.display(dir), err)
	}
	for _, en := range entries {
		n := en.Name()
		if en.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, n), nil, parser.PackageClauseOnly)
		if err != nil {
			return "", fmt.Errorf("read the package of %s: %w", e.display(filepath.Join(dir, n)), err)
		}
		if f.Name.Name == "main" {
			return "", &usageError{msg: fmt.Sprintf("%s is package main; Go revisions belong in their own package (migrations/versions), imported by the migrations program", e.display(dir)),
				hint: "set script_location to the versions folder (`retort init --template go` makes the layout)"}
		}
		return f.Name.Name, nil
	}
	return "", &usageError{msg: fmt.Sprintf("%s has no Go package for a Go revision to join", e.display(dir)),
		hint: "a Go project's versions folder holds registry.go (package versions; var Registry script.Registry), and migrations/main.go runs it: `retort init --template go` makes both"}
}

func newRevID() (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func (e *session) newRevision(cmd string, o newRev) error {
	cfg, err := e.config()
	if err != nil {
		return err
	}
	format := o.format
	switch format {
	case "":
		format = cfg.RevisionFormat
	case "sql", "go":
	default:
		return usagef(cmd, "--format %q: use sql or go", format)
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
	fileName := script.FileName
	if format == "go" {
		fileName = script.GoFileName
	}
	name, err := fileName(cfg.FileTemplate, id, o.msg, now, cfg.TruncateSlugLength)
	if err != nil {
		return &config.Error{Path: cfg.Path, Msg: fmt.Sprintf("file_template: %v", err)}
	}
	h := script.Header{Revision: id, DownRevisions: down, BranchLabels: o.labels, DependsOn: deps, Message: o.msg, CreateDate: now}
	var content []byte
	if format == "go" {
		pkg, err := e.goPackage(dir)
		if err != nil {
			return err
		}
		if content, err = script.RenderGo(pkg, h); err != nil {
			return err
		}
	} else {
		content = script.Render(h, "", "")
	}
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
