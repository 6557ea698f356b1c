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
		return e.newRevision(ctx, c.name, newRev{msg: *msg, id: *revID, heads: []string{h}, splice: *splice, labels: *labels, deps: *deps, vpath: *vpath, format: *format}, templateBody)
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
		return e.newRevision(ctx, c.name, newRev{msg: *msg, id: *revID, heads: f.args, splice: true, labels: *labels, merge: true, format: *format}, templateBody)
	}
	return c
}

func formatFlag(f *flags) *string {
	return f.String("FORMAT", "sql (a SQL file) or go (a Go file in the versions package); default: revision_format in retort.toml", "--format")
}

// newRev is what revision and merge ask of a new revision.
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

// revisionBody renders the file of a new revision from its header: in
// format ("sql" or "go"; a Go file joins package pkg), the header and
// what the revision does. templateBody, for revision and merge, leaves
// that to the user: empty upgrade and downgrade sections, or Go
// functions that return nil. This is the seam of `revision
// --autogenerate`: its body compares the database's schema with the
// target's (autogen.Compare) and renders the operations into the file
// (autogen.RenderSQL, autogen.RenderGo); the steps around it (the
// header, the file's name and folder, the check of the new graph, the
// write) stay as they are.
type revisionBody func(ctx context.Context, format, pkg string, h script.Header) ([]byte, error)

// templateBody is the revisionBody of a revision to be written by hand.
func templateBody(_ context.Context, format, pkg string, h script.Header) ([]byte, error) {
	if format == "go" {
		return script.RenderGo(pkg, h)
	}
	return script.Render(h, "", ""), nil
}

// newRevision writes the file of a new revision as o asks, with the
// content body renders, and reports it.
func (e *session) newRevision(ctx context.Context, cmd string, o newRev, body revisionBody) error {
	cfg, err := e.config()
	if err != nil {
		return err
	}
	format, err := revisionFormat(cmd, o.format, cfg)
	if err != nil {
		return err
	}
	g, err := e.loadGraph()
	if err != nil {
		return err
	}
	h, err := revisionHeader(cmd, g, o)
	if err != nil {
		return err
	}
	dir, err := e.revisionDir(cmd, cfg, g, o.vpath, h.DownRevisions)
	if err != nil {
		return err
	}
	if h.CreateDate, err = revisionTime(cfg); err != nil {
		return err
	}
	name, err := revisionFileName(cfg, format, h)
	if err != nil {
		return err
	}
	pkg := ""
	if format == "go" {
		if pkg, err = e.goPackage(dir); err != nil {
			return err
		}
	}
	content, err := body(ctx, format, pkg, h)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, name)
	if err := e.checkNewGraph(content, path); err != nil {
		return err
	}
	if err := writeNewFile(path, content); err != nil {
		return err
	}
	if e.json {
		return writeJSON(e.stdout, map[string]any{"revision": h.Revision, "path": e.display(path), "down_revisions": nonNil(h.DownRevisions)})
	}
	fmt.Fprintf(e.stdout, "Generating %s ... done\n", e.display(path))
	return nil
}

// revisionFormat is the format a new revision is written in: --format,
// else revision_format in retort.toml.
func revisionFormat(cmd, flag string, cfg *config.Config) (string, error) {
	switch flag {
	case "":
		return cfg.RevisionFormat, nil
	case "sql", "go":
		return flag, nil
	}
	return "", usagef(cmd, "--format %q: use sql or go", flag)
}

// revisionHeader resolves where a new revision goes in g: its id, the
// revisions it follows (o.heads, each a head unless o.splice) and those
// it depends on. The create date is left to set.
func revisionHeader(cmd string, g *revision.Graph, o newRev) (script.Header, error) {
	id, err := newRevisionID(cmd, g, o.id)
	if err != nil {
		return script.Header{}, err
	}
	down, err := resolveDown(cmd, g, o)
	if err != nil {
		return script.Header{}, err
	}
	deps, err := resolveDeps(cmd, g, o.deps)
	if err != nil {
		return script.Header{}, err
	}
	return script.Header{Revision: id, DownRevisions: down, BranchLabels: o.labels, DependsOn: deps, Message: o.msg}, nil
}

// newRevisionID checks the id given with --rev-id, or makes a random one.
func newRevisionID(cmd string, g *revision.Graph, id string) (string, error) {
	if id == "" {
		id, err := newRevID()
		if err != nil {
			return "", fmt.Errorf("new revision id: %w", err)
		}
		return id, nil
	}
	if strings.ContainsAny(id, "@-+:, \t\r\n") || id == "head" || id == "heads" || id == "base" || id == "current" {
		return "", usagef(cmd, "--rev-id %q is not a valid revision id (no @ - + : , or white space; not head, heads, base or current)", id)
	}
	if g.Info(id) != nil {
		return "", usagef(cmd, "revision %s already exists (%s)", id, g.Info(id).Path)
	}
	return id, nil
}

// resolveDown resolves the revisions a new one follows: o.heads, each
// named once, each a head unless o.splice; a merge needs two at least.
func resolveDown(cmd string, g *revision.Graph, o newRev) ([]string, error) {
	var down []string
	for _, h := range o.heads {
		ids, err := g.Resolve(h)
		if err != nil {
			var mh *revision.MultipleHeadsError
			if errors.As(err, &mh) {
				return nil, &hinted{err: err, hint: "pass --head with one of them, or `retort merge -m MSG heads` first"}
			}
			return nil, err
		}
		for _, x := range ids {
			if slices.Contains(down, x) {
				return nil, usagef(cmd, "revision %s is named twice", x)
			}
			if !o.splice && !g.Info(x).IsHead {
				return nil, &usageError{cmd: cmd, msg: fmt.Sprintf("revision %s is not a head", x), hint: "pass --splice to start a branch from it"}
			}
			down = append(down, x)
		}
	}
	if o.merge && len(down) < 2 {
		return nil, usagef(cmd, "merge needs at least two revisions to merge, got %d (%s)", len(down), strings.Join(down, ", "))
	}
	return down, nil
}

// resolveDeps resolves --depends-on: each names one revision; a branch
// label is kept as written, a prefix becomes the full id.
func resolveDeps(cmd string, g *revision.Graph, names []string) ([]string, error) {
	var deps []string
	for _, d := range names {
		if info := g.Info(d); info != nil {
			deps = append(deps, d)
			continue
		}
		ids, err := g.Resolve(d)
		if err != nil {
			return nil, err
		}
		if len(ids) != 1 {
			return nil, usagef(cmd, "--depends-on %s names %d revisions; name one", d, len(ids))
		}
		if lab := g.Info(ids[0]).BranchLabels; slices.Contains(lab, d) {
			deps = append(deps, d)
		} else {
			deps = append(deps, ids[0])
		}
	}
	return deps, nil
}

// revisionDir is the folder a new revision is written to: --version-path
// (one of the version locations), else, with several locations, the
// folder of the revision it follows, else script_location.
func (e *session) revisionDir(cmd string, cfg *config.Config, g *revision.Graph, vpath string, down []string) (string, error) {
	dir := cfg.ScriptLocation
	if vpath != "" {
		dir = vpath
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(cfg.Dir, dir)
		}
		locs, _ := e.locations()
		if !slices.Contains(locs, filepath.Clean(dir)) {
			return "", usagef(cmd, "--version-path %s is not one of the version locations (%s)", vpath, strings.Join(locs, ", "))
		}
	} else if len(cfg.VersionLocations) > 0 && len(down) > 0 {
		if p := g.Info(down[0]).Path; p != "" {
			dir = filepath.Join(cfg.Dir, filepath.Dir(p))
		}
	}
	return dir, nil
}

// revisionTime is the create date of a new revision: now, in retort.toml's
// timezone, else UTC.
func revisionTime(cfg *config.Config) (time.Time, error) {
	now := time.Now()
	if cfg.Timezone == "" {
		return now.UTC(), nil
	}
	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		return time.Time{}, &config.Error{Path: cfg.Path, Msg: fmt.Sprintf("timezone %q: %v", cfg.Timezone, err)}
	}
	return now.In(loc), nil
}

// revisionFileName is the name of a new revision's file (file_template).
func revisionFileName(cfg *config.Config, format string, h script.Header) (string, error) {
	fileName := script.FileName
	if format == "go" {
		fileName = script.GoFileName
	}
	name, err := fileName(cfg.FileTemplate, h.Revision, h.Message, h.CreateDate, cfg.TruncateSlugLength)
	if err != nil {
		return "", &config.Error{Path: cfg.Path, Msg: fmt.Sprintf("file_template: %v", err)}
	}
	return name, nil
}

// checkNewGraph checks that the new file, content at path, keeps the
// graph valid, before it is written.
func (e *session) checkNewGraph(content []byte, path string) error {
	sc, _, err := script.Parse(content, e.display(path))
	if err != nil {
		return err
	}
	_, err = script.BuildGraph(append(slices.Clone(e.scripts), sc))
	return err
}

// writeNewFile writes content to path, which must not exist.
func writeNewFile(path string, content []byte) error {
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
	return nil
}
