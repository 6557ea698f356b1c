package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"go/format"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/internal/config"
)

func cmdInit() *command {
	c := &command{name: "init", summary: "create retort.toml and an empty migrations folder", args: "[DIR] [--template sql|go] [--retort-source DIR]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		tmpl := f.String("NAME", "project template: sql (SQL revisions in migrations/, the default) or go (Go revisions in migrations/versions, run by migrations/main.go)", "--template", "-t")
		source := f.String("DIR", "with --template go: a checkout of retort to build the migrations program with; init adds `replace github.com/retortdb/retort => DIR` to go.mod", "--retort-source")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if *tmpl != "" && *tmpl != "sql" && *tmpl != "go" {
			return usagef(c.name, "unknown template %q (available: sql, go)", *tmpl)
		}
		if len(f.args) > 1 {
			return usagef(c.name, "init takes at most one folder")
		}
		if *source != "" && *tmpl != "go" {
			return &usageError{cmd: c.name, msg: "--retort-source is for the go template: SQL revisions need no build",
				hint: "run `retort init --template go --retort-source DIR`, or leave --retort-source out"}
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
		files, err := initFiles(c.name, *tmpl, dir)
		if err != nil {
			return err
		}
		var gomod *goModEdit
		if *tmpl == "go" {
			src := *source
			if src != "" && !filepath.IsAbs(src) {
				src = filepath.Join(wd, src)
			}
			if gomod, err = planGoMod(c.name, dir, src); err != nil {
				return err
			}
		}
		for _, fl := range files {
			p := filepath.Join(dir, filepath.FromSlash(fl.name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return fmt.Errorf("create %s: %w", filepath.Dir(p), err)
			}
			if err := os.WriteFile(p, fl.content, 0o644); err != nil {
				return fmt.Errorf("write %s: %w", p, err)
			}
		}
		if *tmpl == "go" {
			for _, fl := range files {
				fmt.Fprintf(e.stdout, "Creating %s ... done\n", filepath.Join(dir, filepath.FromSlash(fl.name)))
			}
			if gomod.replace != "" {
				if err := os.WriteFile(gomod.path, gomod.content, 0o644); err != nil {
					return fmt.Errorf("write %s: %w", gomod.path, err)
				}
				fmt.Fprintf(e.stdout, "Adding %s to %s ... done\n", gomod.replace, gomod.path)
			}
			bi, _ := debug.ReadBuildInfo()
			fmt.Fprint(e.stdout, goNextSteps(gomod, publishedVersion(retort.Version, bi), sourceCheckout()))
			return nil
		}
		fmt.Fprintf(e.stdout, "Creating %s ... done\nCreating %s ... done\nSet url in %s, then run `retort revision -m \"first revision\"`.\n",
			cfgPath, mig, config.FileName)
		return nil
	}
	return c
}

// goModEdit is what init --template go knows of the project's go.mod,
// and the replace directive it adds there, if any.
type goModEdit struct {
	path      string // the go.mod
	modPath   string // its module path
	hasRetort bool   // it requires or replaces retort already
	replace   string // the directive to add ("" for none)
	content   []byte // go.mod with it
}

// planGoMod reads the go.mod of dir's module and, when source (an
// absolute path, or "") names a checkout of retort, computes go.mod with
// `replace github.com/retortdb/retort => source` added.
func planGoMod(cmd, dir, source string) (*goModEdit, error) {
	modRoot, modPath, err := findModule(dir)
	if err != nil {
		return nil, err
	}
	if modRoot == "" {
		// initFiles has refused this already; keep the message in one place.
		return nil, fmt.Errorf("no go.mod in %s or a folder above it", dir)
	}
	g := &goModEdit{path: filepath.Join(modRoot, "go.mod"), modPath: modPath}
	content, err := os.ReadFile(g.path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", g.path, err)
	}
	replaced := replacesRetort(content)
	g.hasRetort = replaced || mentionsRetort(content)
	if source == "" {
		return g, nil
	}
	source = filepath.Clean(source)
	switch {
	case modPath == retortModule:
		return nil, &usageError{cmd: cmd, msg: fmt.Sprintf("%s is retort's own module, which builds from its own sources", g.path),
			hint: "leave --retort-source out"}
	case replaced:
		return nil, &usageError{cmd: cmd, msg: fmt.Sprintf("%s replaces %s already", g.path, retortModule),
			hint: "remove that replace directive and run init again, or leave --retort-source out to keep it"}
	}
	srcMod, err := os.ReadFile(filepath.Join(source, "go.mod"))
	if err != nil {
		return nil, &usageError{cmd: cmd, msg: fmt.Sprintf("--retort-source %s: %v", source, err),
			hint: "pass the folder of a checkout of retort: the one with go.mod and cmd/retort"}
	}
	if mp := modulePath(srcMod); mp != retortModule {
		return nil, &usageError{cmd: cmd, msg: fmt.Sprintf("--retort-source %s holds module %q, not %s", source, mp, retortModule),
			hint: "pass the folder of a checkout of retort: the one with go.mod and cmd/retort"}
	}
	g.replace = replaceLine(source)
	g.content = append(bytes.TrimRight(content, "\n"), []byte("\n\n"+g.replace+"\n")...)
	return g, nil
}

// replaceLine is the go.mod directive that builds retort from dir,
// quoted where go.mod's syntax needs it.
func replaceLine(dir string) string {
	if strings.ContainsAny(dir, " \t\"'`()[]{},") {
		dir = strconv.Quote(dir)
	}
	return "replace " + retortModule + " => " + dir
}

// goModLines returns go.mod's lines without comments, trimmed, and
// without the keyword of a one-line directive or a block's opening.
func goModLines(gomod []byte) [][]string {
	var out [][]string
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) > 0 && (fields[0] == "require" || fields[0] == "replace") {
			fields = fields[1:]
		}
		if len(fields) > 0 && fields[0] != "(" && fields[0] != ")" {
			out = append(out, fields)
		}
	}
	return out
}

// replacesRetort reports whether go.mod has a replace directive for
// retort (the only directive with "=>").
func replacesRetort(gomod []byte) bool {
	for _, f := range goModLines(gomod) {
		if f[0] == retortModule && slices.Contains(f, "=>") {
			return true
		}
	}
	return false
}

// mentionsRetort reports whether go.mod requires or replaces retort.
func mentionsRetort(gomod []byte) bool {
	for _, f := range goModLines(gomod) {
		if f[0] == retortModule {
			return true
		}
	}
	return false
}

// sourceCheckout returns the checkout of retort that this program was
// built from: the folder above this file's package, when the build kept
// source paths (no -trimpath) and that folder still holds retort's
// go.mod. "" otherwise.
func sourceCheckout() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	root := filepath.Dir(filepath.Dir(file))
	if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || modulePath(b) != retortModule {
		return ""
	}
	return root
}

// goNextSteps is what init --template go prints after writing the files:
// how the project's go.mod comes to require retort and the database
// drivers. published is the downloadable version of this retort ("" for
// a development build), source the checkout it was built from ("" when
// unknown).
func goNextSteps(g *goModEdit, published, source string) string {
	var b strings.Builder
	const tidy = "`go mod tidy` to require " + retortModule + " and the database drivers in go.mod (or build with GOFLAGS=-mod=mod).\n"
	switch {
	case g.modPath == retortModule || g.hasRetort || g.replace != "":
		b.WriteString("Run " + tidy)
	case published != "":
		fmt.Fprintf(&b, "Run `go get %s@%s` (the version of this retort), then `go mod tidy` to require the database drivers.\n", retortModule, published)
	default:
		b.WriteString("This retort is a development build: no published version of " + retortModule +
			" matches it, so go.mod must build the migrations program from retort's source. Add this line to " + g.path + ":\n\n")
		if source != "" {
			fmt.Fprintf(&b, "    %s\n\n", replaceLine(source))
			fmt.Fprintf(&b, "(or run init with --retort-source %s, which adds it). ", source)
		} else {
			fmt.Fprintf(&b, "    replace %s => DIR\n\n", retortModule)
			b.WriteString("where DIR is the folder of your retort checkout (or run init with --retort-source DIR, which adds it). ")
		}
		b.WriteString("Then run " + tidy)
	}
	fmt.Fprintf(&b, "Set url in %s, then run `retort revision -m \"first revision\"`.\n", config.FileName)
	return b.String()
}

// initFile is a file that init writes, by its slash path under DIR.
type initFile struct {
	name    string
	content []byte
}

// initFiles computes the files of a template (compute, then act: nothing
// is written when one of them cannot be made).
func initFiles(cmd, tmpl, dir string) ([]initFile, error) {
	if tmpl != "go" {
		return []initFile{
			{config.FileName, config.DefaultTOML()},
			{"migrations/README.md", []byte(migrationsReadme)},
		}, nil
	}
	modRoot, modPath, err := findModule(dir)
	if err != nil {
		return nil, err
	}
	if modRoot == "" {
		return nil, &usageError{cmd: cmd, msg: fmt.Sprintf("no go.mod in %s or a folder above it: the go template makes a Go package, which belongs to a module", dir),
			hint: "run `go mod init MODULE_PATH` (for example `go mod init example.com/app`) in " + dir + " first"}
	}
	rel, err := filepath.Rel(modRoot, dir)
	if err != nil {
		return nil, fmt.Errorf("locate %s in the module at %s: %w", dir, modRoot, err)
	}
	versions := path.Join(modPath, filepath.ToSlash(rel), "migrations", "versions")
	mainGo, err := format.Source([]byte(strings.ReplaceAll(mainGoTemplate, "VERSIONS_IMPORT", strconv.Quote(versions))))
	if err != nil {
		return nil, fmt.Errorf("format migrations/main.go: %w", err)
	}
	return []initFile{
		{config.FileName, goTOML()},
		{"migrations/main.go", mainGo},
		{"migrations/versions/registry.go", []byte(registryGo)},
		{"migrations/README.md", []byte(goMigrationsReadme)},
	}, nil
}

// goTOML is the default retort.toml with the go template's two keys set.
func goTOML() []byte {
	b := config.DefaultTOML()
	b = bytes.Replace(b, []byte("\nscript_location = \"migrations\"\n"), []byte("\nscript_location = \"migrations/versions\"\n"), 1)
	b = bytes.Replace(b, []byte("\n# revision_format = \"sql\"\n"), []byte("\nrevision_format = \"go\"\n"), 1)
	return b
}

// findModule returns the folder of the go.mod at or above dir (which need
// not exist yet) and its module path; "" when there is none.
func findModule(dir string) (root, modPath string, err error) {
	for d := filepath.Clean(dir); ; {
		p := filepath.Join(d, "go.mod")
		content, err := os.ReadFile(p)
		if err == nil {
			mp := modulePath(content)
			if mp == "" {
				return "", "", &config.Error{Path: p, Msg: "no module line", Hint: "fix go.mod (`go mod edit -module MODULE_PATH`)"}
			}
			return d, mp, nil
		}
		if !os.IsNotExist(err) {
			return "", "", fmt.Errorf("read %s: %w", p, err)
		}
		up := filepath.Dir(d)
		if up == d {
			return "", "", nil
		}
		d = up
	}
}

// modulePath reads the module path of a go.mod ("" when it has none).
func modulePath(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "//"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		rest, ok := strings.CutPrefix(line, "module")
		if !ok || rest == "" || rest[0] != ' ' && rest[0] != '\t' && rest[0] != '"' {
			continue
		}
		rest = strings.TrimSpace(rest)
		if uq, err := strconv.Unquote(rest); err == nil {
			return uq
		}
		return rest
	}
	return ""
}

const mainGoTemplate = `// Command migrations is this project's retort: the retort command line
// with the project's Go revisions compiled in, the equivalent of Alembic's
// env.py. Run it as ` + "`go run ./migrations upgrade head`" + `; the retort binary
// builds and runs it by itself for the commands that run revisions.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	_ "github.com/go-sql-driver/mysql" // MySQL/MariaDB driver "mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite", pure Go

	"github.com/retortdb/retort/cli"

	VERSIONS_IMPORT
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr,
		cli.WithRevisions(&versions.Registry),
		// The schema the database should have, for retort check and
		// retort revision --autogenerate: a function of your package
		// that builds it with package schema's builders (retort inspect
		// --format go writes one from a database).
		// cli.WithDesiredSchema(target.Schema),
	)
	stop()
	os.Exit(code)
}
`

const registryGo = `// Package versions holds this project's Go revisions: one file per
// revision, each adding a script.GoRevision to Registry from an init
// function. ` + "`retort revision --format go -m MESSAGE`" + ` writes a new one.
package versions

import "github.com/retortdb/retort/script"

// Registry is the revisions of this package; ../main.go passes it to the
// retort command line.
var Registry script.Registry
`

const goMigrationsReadme = `# Migrations

Go revisions live in ` + "`versions/`" + `, one file per change, created with
` + "`retort revision -m \"message\"`" + ` (retort.toml sets revision_format = "go";
` + "`--format sql`" + ` writes a SQL revision instead, and both kinds mix in one graph).
Each file adds a script.GoRevision whose header fields are plain string
literals, so that retort reads the graph without compiling anything:

    Registry.Add(script.GoRevision{
        Revision:     "3f2a9c1b7d4e",
        DownRevision: "1a2b3c4d5e6f",
        Message:      "Add new column",
        Upgrade: func(o *op.Ops) error {
            o.Execute("ALTER TABLE account ADD COLUMN email VARCHAR(255) NULL")
            return nil
        },
        Downgrade: func(o *op.Ops) error {
            o.DropColumn("account", "email")
            return nil
        },
    })

` + "`main.go`" + ` is this project's retort: ` + "`go run ./migrations upgrade head`" + `
runs the revisions. The retort binary does the same by itself: for
upgrade and downgrade it builds this program (once per change of its
sources, cached) and hands the command over; heads, history and the other
inspecting commands read the files and compile nothing.
`
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
