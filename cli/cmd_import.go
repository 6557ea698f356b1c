package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/internal/importer"
	"github.com/retortdb/retort/script"
)

func cmdImport() *command {
	c := &command{name: "import", summary: "bring over the migrations of goose, golang-migrate, dbmate, Flyway or Alembic as SQL revisions",
		args: "TOOL SOURCE_DIR [--init [--retort-source DIR]] [--force] [--dry-run] [--skip-go] [--dialect DIALECT]..."}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		initProject := f.Bool("create the project first (retort.toml and migrations/, as `retort init` does)", "--init")
		force := f.Bool("replace the SQL revision files the script location holds, and the Go revision skeletons an import wrote", "--force")
		dryRun := f.Bool("read and render everything, write nothing", "--dry-run")
		skipGo := f.Bool("goose: leave the Go migrations out (listed), instead of writing a Go revision skeleton for each", "--skip-go")
		source := f.String("DIR", "with --init, when the import writes Go revision skeletons (a Go project): a checkout of retort to build the migrations program with, as `init --template go --retort-source DIR`", "--retort-source")
		dialects := f.List("DIALECT", "alembic: the dialect to render each revision's SQL for (postgresql, mysql, sqlite); repeat it for a section per dialect (default: the database URL's)", "--dialect")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		tools := strings.Join(slices.Sorted(slices.Values(append(importer.Tools(), "alembic"))), ", ")
		if len(f.args) != 2 {
			return &usageError{cmd: c.name, msg: fmt.Sprintf("import takes TOOL and SOURCE_DIR, got %d arguments", len(f.args)),
				hint: "run `retort import TOOL SOURCE_DIR`; TOOL is one of " + tools}
		}
		if *source != "" && !*initProject {
			return usagef(c.name, "--retort-source is for --init, which creates the project (a Go project when the import writes Go revisions)")
		}
		tool, sourceDir := f.args[0], f.args[1]
		if !importer.Known(tool) && tool != "alembic" {
			return &usageError{cmd: c.name, msg: fmt.Sprintf("import cannot read %q migrations; it reads %s", tool, tools)}
		}
		if *skipGo && tool != "goose" {
			return usagef(c.name, "--skip-go is for goose, whose folders may hold Go migrations")
		}
		if len(*dialects) > 0 && tool != "alembic" {
			return usagef(c.name, "--dialect is for alembic, whose revisions are Python that Alembic renders as SQL for one dialect at a time")
		}
		wd, err := e.workDir()
		if err != nil {
			return err
		}
		if !filepath.IsAbs(sourceDir) {
			sourceDir = filepath.Join(wd, sourceDir)
		}
		if st, err := os.Stat(sourceDir); err != nil || !st.IsDir() {
			return &usageError{cmd: c.name, msg: fmt.Sprintf("source folder %s: not a folder", f.args[1])}
		}
		var projectFiles []initFile
		if *initProject {
			if projectFiles, err = e.planInit(c.name, wd); err != nil {
				return err
			}
		} else if _, err := e.config(); err != nil {
			if errors.Is(err, config.ErrNotFound) {
				return &config.Error{Msg: err.Error(), Hint: "run `retort init` first, or give import --init to create the project", Err: config.ErrNotFound}
			}
			return err
		}
		var res *importer.Result
		var render func(importer.Naming) ([]importer.File, []importer.Warning, error)
		if tool == "alembic" {
			a, err := e.readAlembic(ctx, c.name, sourceDir, f.args[1], *dialects)
			if err != nil {
				return err
			}
			res, render = a.Result, a.Render
		} else {
			if res, err = importer.Read(tool, os.DirFS(sourceDir), importer.Options{SkipGo: *skipGo}); err != nil {
				return importError(tool, f.args[1], err)
			}
			render = func(n importer.Naming) ([]importer.File, []importer.Warning, error) { return importer.Render(res, n) }
		}
		run := importRun{force: *force, dryRun: *dryRun, init: *initProject}
		var gomod *goModEdit
		if skels := res.Skeletons(); len(skels) > 0 {
			// Go revision skeletons need a Go project: the script
			// location a Go package, the migrations program above it.
			run.goProject = true
			if *initProject {
				if projectFiles, gomod, err = e.planGoInit(c.name, wd, *source, f.args[1], skels); err != nil {
					return err
				}
				run.goPackage = "versions"
			} else if run.goPackage, err = e.goProjectPackage(c.name, tool, f.args[1], skels); err != nil {
				return err
			}
		} else if *source != "" {
			return &usageError{cmd: c.name, msg: "--retort-source: this import writes no Go revision, so the project needs no build",
				hint: "leave --retort-source out"}
		}
		if *initProject && !*dryRun {
			if run.created, err = e.writeInit(wd, projectFiles); err != nil {
				return err
			}
			if gomod != nil && gomod.replace != "" {
				if err := os.WriteFile(gomod.path, gomod.content, 0o644); err != nil {
					return fmt.Errorf("write %s: %w", gomod.path, err)
				}
				run.gomod = gomod
			}
		}
		if gomod != nil {
			run.goSteps = goModSteps(gomod)
		}
		return e.writeImport(c.name, tool, f.args[1], res, render, run)
	}
	return c
}

// importError says which source folder a reader's error is about: the
// file of an *importer.Error is relative to it.
func importError(tool, source string, err error) error {
	var ie *importer.Error
	if !errors.As(err, &ie) {
		return fmt.Errorf("import %s from %s: %w", tool, source, err)
	}
	where := filepath.ToSlash(filepath.Join(source, ie.Path))
	msg := fmt.Sprintf("import %s from %s: %s", tool, source, ie.Msg)
	if ie.Path != "" {
		msg = fmt.Sprintf("import %s: %s: %s", tool, where, ie.Msg)
		if ie.Line > 0 {
			msg = fmt.Sprintf("import %s: %s:%d: %s", tool, where, ie.Line, ie.Msg)
		}
	}
	return &hinted{err: errors.New(msg), hint: ie.Hint}
}

// planInit checks that import --init can create the project in wd as
// `retort init` does with the sql template, and returns its files.
func (e *session) planInit(cmd, wd string) ([]initFile, error) {
	if e.cfgFile != "" {
		return nil, usagef(cmd, "--init writes %s in the folder; leave -c out", config.FileName)
	}
	cfgPath := filepath.Join(wd, config.FileName)
	if _, err := os.Stat(cfgPath); err == nil {
		return nil, &usageError{cmd: cmd, msg: fmt.Sprintf("--init: %s already exists", cfgPath), hint: "leave --init out to import into this project"}
	}
	return initFiles(cmd, "sql", wd)
}

// writeInit writes the files of planInit and returns their paths.
func (e *session) writeInit(wd string, files []initFile) ([]string, error) {
	var out []string
	for _, fl := range files {
		p := filepath.Join(wd, filepath.FromSlash(fl.name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, fmt.Errorf("create %s: %w", filepath.Dir(p), err)
		}
		if err := os.WriteFile(p, fl.content, 0o644); err != nil {
			return nil, fmt.Errorf("write %s: %w", p, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// importRun is what the command line asks of an import.
type importRun struct {
	force, dryRun, init bool
	created             []string   // the files --init wrote
	goProject           bool       // the import writes Go revision skeletons
	goPackage           string     // their package
	gomod               *goModEdit // the go.mod --init added a replace directive to
	goSteps             string     // what to do for go.mod before the program builds (--init of a Go project)
}

// planGoInit plans import --init of a Go project, for an import that
// writes Go revision skeletons: the go template's files, and go.mod's
// replace directive when source names a checkout of retort.
func (e *session) planGoInit(cmd, wd, source, shown string, skels []importer.Revision) ([]initFile, *goModEdit, error) {
	files, err := initFiles(cmd, "go", wd)
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			ue.msg = fmt.Sprintf("%s becomes a Go revision skeleton to write by hand (%d in all), so --init creates a Go project; %s", filepath.ToSlash(filepath.Join(shown, skels[0].Path)), len(skels), ue.msg)
		}
		return nil, nil, err
	}
	if source != "" && !filepath.IsAbs(source) {
		source = filepath.Join(wd, source)
	}
	gomod, err := planGoMod(cmd, wd, source)
	if err != nil {
		return nil, nil, err
	}
	return files, gomod, nil
}

// goProjectPackage checks that the project imported into can hold Go
// revisions (its script location is a Go package that the migrations
// program in the folder above runs) and returns that package's name.
func (e *session) goProjectPackage(cmd, tool, shown string, skels []importer.Revision) (string, error) {
	cfg, err := e.config()
	if err != nil {
		return "", err
	}
	dir := cfg.ScriptLocation
	why := fmt.Sprintf("%s becomes a Go revision skeleton to write by hand (%d in all)", filepath.ToSlash(filepath.Join(shown, skels[0].Path)), len(skels))
	hint := "import into a Go project (`retort init --template go` in a Go module, or `retort import --init` in an empty folder of one)"
	if tool == "goose" {
		hint += ", or give --skip-go to leave the Go migrations out"
	}
	pkg, err := e.goPackage(dir)
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			return "", &usageError{cmd: cmd, msg: fmt.Sprintf("%s, and %s", why, strings.TrimSuffix(ue.msg, ".")), hint: hint}
		}
		return "", err
	}
	main := filepath.Join(filepath.Dir(dir), "main.go")
	if _, err := os.Stat(main); err != nil {
		return "", &usageError{cmd: cmd, msg: fmt.Sprintf("%s, and there is no migrations program (%s) to run it", why, e.display(main)), hint: hint}
	}
	return pkg, nil
}

// goModSteps is what init --template go says about go.mod, without its
// last line (which is about a first revision).
func goModSteps(g *goModEdit) string {
	bi, _ := debug.ReadBuildInfo()
	steps := goNextSteps(g, publishedVersion(retort.Version, bi), sourceCheckout())
	if i := strings.LastIndex(strings.TrimSuffix(steps, "\n"), "\n"); i >= 0 {
		return steps[:i+1]
	}
	return ""
}

// importJSON is what import --json prints.
type importJSON struct {
	Tool           string             `json:"tool"`
	Source         string             `json:"source"`
	ScriptLocation string             `json:"script_location"`
	DryRun         bool               `json:"dry_run"`
	Created        []string           `json:"created"`
	Removed        []string           `json:"removed"`
	Revisions      []importedRevision `json:"revisions"`
	NotImported    []importSkipped    `json:"not_imported"`
	Warnings       []importWarning    `json:"warnings"`
	Head           string             `json:"head"`
	Stamp          string             `json:"stamp"`
	ToWrite        []importToWrite    `json:"to_write"`
}

// importToWrite is a Go revision skeleton that the user must write.
type importToWrite struct {
	Revision   string `json:"revision"`
	Path       string `json:"path"`
	SourcePath string `json:"source_path"`
	Reason     string `json:"reason"`
}

type importedRevision struct {
	Revision      string   `json:"revision"`
	DownRevisions []string `json:"down_revisions"`
	Message       string   `json:"message"`
	CreateDate    string   `json:"create_date,omitempty"`
	Path          string   `json:"path"`
	SourcePath    string   `json:"source_path"`
	SourceDown    string   `json:"source_down_path,omitempty"`
	SourceVersion string   `json:"source_version"`
	HasDowngrade  bool     `json:"has_downgrade"`
	Skeleton      bool     `json:"skeleton"`
}

type importSkipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

type importWarning struct {
	Path    string `json:"path,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// writeImport renders res into the script location and writes it (or,
// with dryRun, only says what it would write).
func (e *session) writeImport(cmd, tool, source string, res *importer.Result, render func(importer.Naming) ([]importer.File, []importer.Warning, error), run importRun) error {
	dryRun := run.dryRun
	cfg, err := e.config()
	if err != nil {
		if run.init && dryRun && errors.Is(err, config.ErrNotFound) {
			cfg, err = e.defaultConfig(run.goProject)
		}
		if err != nil {
			return err
		}
	}
	files, renderWarns, err := render(importer.Naming{Template: cfg.FileTemplate, TruncateSlugLength: cfg.TruncateSlugLength, GoPackage: run.goPackage})
	if err != nil {
		return &config.Error{Path: cfg.Path, Msg: err.Error()}
	}
	dir := cfg.ScriptLocation
	removed, err := e.importTarget(cmd, dir, run.force, dryRun && run.init)
	if err != nil {
		return err
	}
	out := importJSON{Tool: tool, Source: source, ScriptLocation: e.display(dir), DryRun: dryRun, Created: []string{}, Removed: []string{},
		Revisions: []importedRevision{}, NotImported: []importSkipped{}, Warnings: []importWarning{}, ToWrite: []importToWrite{}}
	for _, p := range run.created {
		out.Created = append(out.Created, e.display(p))
	}
	if run.gomod != nil {
		out.Created = append(out.Created, e.display(run.gomod.path))
	}
	for _, p := range removed {
		out.Removed = append(out.Removed, e.display(p))
	}
	for _, fl := range files {
		r := fl.Revision
		ir := importedRevision{Revision: r.ID, DownRevisions: []string{}, Message: r.Message, Path: e.display(filepath.Join(dir, fl.Name)),
			SourcePath: filepath.ToSlash(filepath.Join(source, r.Path)), SourceVersion: r.Version, HasDowngrade: r.HasDowngrade, Skeleton: r.Skeleton != nil}
		if r.Skeleton != nil {
			out.ToWrite = append(out.ToWrite, importToWrite{Revision: r.ID, Path: ir.Path, SourcePath: ir.SourcePath, Reason: r.Skeleton.Why})
		}
		if sc, _, err := script.Parse(fl.Content, fl.Name); err == nil && len(sc.DownRevisions) > 0 {
			ir.DownRevisions = sc.DownRevisions // a merge has several
		}
		if r.DownPath != "" {
			ir.SourceDown = filepath.ToSlash(filepath.Join(source, r.DownPath))
		}
		if !r.CreateDate.IsZero() {
			ir.CreateDate = r.CreateDate.Format(script.CreateDateLayout)
		}
		out.Revisions = append(out.Revisions, ir)
	}
	for _, s := range res.Skipped {
		out.NotImported = append(out.NotImported, importSkipped{Path: filepath.ToSlash(filepath.Join(source, s.Path)), Reason: s.Reason})
	}
	for _, w := range append(res.Warnings, renderWarns...) {
		iw := importWarning{Line: w.Line, Message: w.Msg}
		if w.Path != "" {
			iw.Path = filepath.ToSlash(filepath.Join(source, w.Path))
		}
		out.Warnings = append(out.Warnings, iw)
	}
	out.Head = importHead(files)
	out.Stamp = "retort adopt --from " + tool
	if !dryRun {
		for _, p := range removed {
			if err := os.Remove(p); err != nil {
				return fmt.Errorf("remove %s: %w", e.display(p), err)
			}
		}
		for _, fl := range files {
			p := filepath.Join(dir, fl.Name)
			if err := os.WriteFile(p, fl.Content, 0o644); err != nil {
				return fmt.Errorf("write revision %s: %w", e.display(p), err)
			}
		}
	}
	if e.json {
		return writeJSON(e.stdout, out)
	}
	e.printImport(out, tool, run.goSteps)
	return nil
}

// printImport prints what import did (or would do): the files on
// stdout, the warnings and the files not imported on stderr.
func (e *session) printImport(out importJSON, tool, goSteps string) {
	for _, p := range out.Created {
		if strings.HasSuffix(p, "go.mod") {
			fmt.Fprintf(e.stdout, "Adding a replace directive for %s to %s ... done\n", retortModule, p)
			continue
		}
		fmt.Fprintf(e.stdout, "Creating %s ... done\n", p)
	}
	verb := "Removing"
	if out.DryRun {
		verb = "Would remove"
	}
	for _, p := range out.Removed {
		fmt.Fprintf(e.stdout, "%s %s\n", verb, p)
	}
	verb = "Writing"
	if out.DryRun {
		verb = "Would write"
	}
	for _, r := range out.Revisions {
		fmt.Fprintf(e.stdout, "%s %s (from %s) ... done\n", verb, r.Path, r.SourcePath)
	}
	for _, s := range out.NotImported {
		fmt.Fprintf(e.stderr, "not imported: %s: %s\n", s.Path, s.Reason)
	}
	for _, w := range out.ToWrite {
		fmt.Fprintf(e.stderr, "to write: %s (from %s): %s; a Go revision skeleton that fails until written\n", w.Path, w.SourcePath, w.Reason)
	}
	for _, w := range out.Warnings {
		switch {
		case w.Path == "":
			fmt.Fprintf(e.stderr, "warning: %s\n", w.Message)
		case w.Line > 0:
			fmt.Fprintf(e.stderr, "warning: %s:%d: %s\n", w.Path, w.Line, w.Message)
		default:
			fmt.Fprintf(e.stderr, "warning: %s: %s\n", w.Path, w.Message)
		}
	}
	summary := fmt.Sprintf("Imported %d %s migrations into %s", len(out.Revisions), tool, out.ScriptLocation)
	if out.DryRun {
		summary = fmt.Sprintf("Would import %d %s migrations into %s (dry run: nothing written)", len(out.Revisions), tool, out.ScriptLocation)
	}
	if n := len(out.NotImported); n > 0 {
		summary += fmt.Sprintf("; %d files not imported", n)
	}
	if n := len(out.ToWrite); n > 0 {
		summary += fmt.Sprintf("; %s to write", plural(n, "Go revision skeleton"))
	}
	if n := len(out.Warnings); n > 0 {
		summary += fmt.Sprintf("; %d warnings", n)
	}
	fmt.Fprintf(e.stdout, "%s; head %s.\n", summary, out.Head)
	fmt.Fprintf(e.stdout, "A database that %s has migrated is taken over, at the version its table %s records, with\n  %s\n", tool, importer.DefaultTable(tool), out.Stamp)
	if len(out.ToWrite) > 0 {
		fmt.Fprintf(e.stdout, "Write each Go revision skeleton (its source is in it as a comment): until then upgrading through it stops there with an error.\n")
		if goSteps != "" {
			fmt.Fprint(e.stdout, "The migrations program runs them. ", goSteps)
		}
	}
}

// importTarget checks the script location dir that import writes into:
// it must exist and hold no revision, or, with force, only SQL ones,
// which it returns to be removed. pending: the location is still to be
// created by --init --dry-run.
func (e *session) importTarget(cmd, dir string, force, pending bool) ([]string, error) {
	if pending {
		return nil, nil
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, &config.Error{Path: e.cfg.Path, Msg: fmt.Sprintf("script location %s does not exist", e.display(dir)),
			Hint: "run `retort init` first, or give import --init to create the project"}
	}
	existing, err := script.LoadDir(dir, dir)
	if err != nil {
		return nil, fmt.Errorf("read the script location: %w", err)
	}
	if len(existing) == 0 {
		return nil, nil
	}
	var sqlFiles, goFiles []string
	for _, sc := range existing {
		if sc.Format != "go" {
			sqlFiles = append(sqlFiles, sc.Path)
			continue
		}
		if b, err := os.ReadFile(sc.Path); err == nil && importer.IsSkeletonFile(b) {
			sqlFiles = append(sqlFiles, sc.Path) // a skeleton an import wrote: replaced as its SQL revisions are
			continue
		}
		goFiles = append(goFiles, e.display(sc.Path))
	}
	if len(goFiles) > 0 {
		return nil, &usageError{cmd: cmd, msg: fmt.Sprintf("script location %s holds Go revisions (%s)", e.display(dir), strings.Join(goFiles, ", ")),
			hint: "import into a project of its own, or a script location without revisions"}
	}
	if !force {
		return nil, &usageError{cmd: cmd, msg: fmt.Sprintf("script location %s holds %d revision files already", e.display(dir), len(sqlFiles)),
			hint: "import into an empty script location, or give --force to replace its SQL revision files (and the Go skeletons an import wrote) with the imported ones"}
	}
	return sqlFiles, nil
}

// defaultConfig is the configuration `retort init` writes, for a dry run
// of import --init, which writes nothing.
func (e *session) defaultConfig(goProject bool) (*config.Config, error) {
	wd, err := e.workDir()
	if err != nil {
		return nil, err
	}
	cfg := config.Default(wd)
	if goProject {
		cfg.ScriptLocation = filepath.Join(wd, "migrations", "versions")
		cfg.RevisionFormat = "go"
	}
	cfg.Path = filepath.Join(wd, config.FileName)
	e.cfg = cfg
	return cfg, nil
}

// importHead is the head of the imported revisions (the last one when
// they form a line; "heads" when an Alembic graph has several).
func importHead(files []importer.File) string {
	below := map[string]bool{}
	for _, fl := range files {
		if sc, _, err := script.Parse(fl.Content, fl.Name); err == nil {
			for _, d := range sc.DownRevisions {
				below[d] = true
			}
		}
	}
	var heads []string
	for _, fl := range files {
		if !below[fl.Revision.ID] {
			heads = append(heads, fl.Revision.ID)
		}
	}
	if len(heads) != 1 {
		return "heads"
	}
	return heads[0]
}

// readAlembic reads an Alembic project with Alembic itself: the dialects
// are those asked, else the database URL's. Without an alembic command
// on PATH it stops before anything is written.
func (e *session) readAlembic(ctx context.Context, cmd, source, shown string, asked []string) (*importer.AlembicImport, error) {
	var dialects []string
	for _, d := range asked {
		for _, one := range strings.Split(d, ",") {
			n := importer.AlembicDialect(strings.TrimSpace(one))
			if n == "" {
				return nil, usagef(cmd, "--dialect %q: import renders SQL for postgresql, mysql or sqlite", one)
			}
			if !slices.Contains(dialects, n) {
				dialects = append(dialects, n)
			}
		}
	}
	if len(dialects) == 0 {
		cfg, _ := e.config()
		raw, _ := config.ResolveURL(e.urlFlag, e.getenv, cfg)
		if raw != "" {
			if u, err := config.ParseURL(raw, ""); err == nil {
				dialects = []string{importer.AlembicDialect(u.Dialect)}
			}
		}
		if len(dialects) == 0 || dialects[0] == "" {
			return nil, &usageError{cmd: cmd, msg: "import alembic needs the dialect to render each revision's SQL for, and the project has no database URL",
				hint: fmt.Sprintf("run `retort import alembic %s --dialect sqlite` (or postgresql, mysql; repeat --dialect for several)", shown)}
		}
	}
	// A folder that is no Alembic project (another tool's, say) is
	// named as such even where Alembic is not installed.
	if err := importer.CheckAlembicFolder(source); err != nil {
		return nil, importError("alembic", shown, err)
	}
	alembic, err := lookPath("alembic", e.getenv("PATH"))
	if err != nil {
		return nil, importError("alembic", shown, importer.AlembicNotInstalled(shown))
	}
	a, err := importer.ReadAlembic(ctx, source, importer.AlembicOptions{Dialects: dialects, Alembic: alembic,
		Env: append(e.childEnv(), "PYTHONDONTWRITEBYTECODE=1")})
	if err != nil {
		return nil, importError("alembic", shown, err)
	}
	return a, nil
}
