package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/script"
)

// Commands that run revisions need their code. SQL revisions carry it;
// Go revisions are compiled into the project's migrations program
// (migrations/main.go, which calls Main with WithRevisions). When the CLI
// has no registry and the project has a Go revision, upgrade and
// downgrade (also with --sql) build that program with `go build` into a
// cache and run it with the same arguments, standard streams and
// environment, returning its exit status. The other commands (heads,
// history, branches, show, graph, current, stamp, verify, resolve,
// revision, merge) need only the files and compile nothing.
//
// The program is the main package in the parent folder of
// script_location (migrations/ for script_location =
// "migrations/versions"). The cache is RETORT_CACHE_DIR, else
// os.UserCacheDir()/retort, holding programs/<project>-<key>/migrations,
// where key is a SHA-256 of every input of the build as the go tool
// itself lists it (go list -deps; see sourceKey): the sources of every
// package that is not in the read-only module cache or the standard
// library (the project's module, modules replaced by a local folder,
// workspace modules, vendored copies), the path and version of every
// other one, go.sum, go.work(.sum), and the go env settings that change
// what go build makes. Listing costs a fraction of a no-op go build (see
// docs/commands.md for figures) and, unlike go build -o into the cache,
// never overwrites a program that a concurrent run is starting. A build
// for an older key of the same project is removed after a new one
// succeeds.

// delegatedEnv marks the environment of a migrations program run by the
// CLI, so that a program without WithRevisions does not build itself
// again.
const delegatedEnv = "RETORT_DELEGATED"

// firstGo returns the first Go revision among ss, or nil.
func firstGo(ss []*script.Script) *script.Script {
	for _, s := range ss {
		if s.Format == "go" {
			return s
		}
	}
	return nil
}

// needsProgram reports whether the command must run in the migrations
// program: the CLI has no compiled revisions and the project has Go
// revisions. It returns the first Go revision for messages.
func (e *session) needsProgram() (*script.Script, error) {
	if e.registry != nil {
		return nil, nil
	}
	// A broken graph is reported without building anything.
	if _, err := e.loadGraph(); err != nil {
		return nil, err
	}
	return firstGo(e.scripts), nil
}

// programNeed is why a command runs in the project's migrations
// program, for its messages: what needs the program's code, what a
// program that lacks it misses, and the option that gives it.
type programNeed struct {
	what   string // "migrations/versions/x.go is a Go revision"
	where  string // "which runs in the project's migrations program"
	doing  string // "running it"
	lacks  string // "has no compiled revisions to run it"
	option string // "cli.WithRevisions(&versions.Registry)"
}

// revisionNeed is the need of a Go revision.
func revisionNeed(goRev *script.Script) programNeed {
	return programNeed{what: goRev.Path + " is a Go revision", where: "which runs in the project's migrations program", doing: "running it",
		lacks: "has no compiled revisions to run it", option: "cli.WithRevisions(&versions.Registry)"}
}

// desiredNeed is the need of a desired schema given as Go code.
var desiredNeed = programNeed{what: "the desired schema is Go code",
	where: "which the project's migrations program registers", doing: "reading it",
	lacks: "registers no desired schema", option: "cli.WithDesiredSchema(YOUR_PACKAGE.Schema)"}

// delegate builds (when its sources changed) and runs the project's
// migrations program with this invocation's arguments. A run of the
// program ends in an *exitStatus with its status.
func (e *session) delegate(ctx context.Context, cmd string, need programNeed) error {
	cfg, err := e.config()
	if err != nil {
		return err
	}
	if e.getenv(delegatedEnv) != "" {
		return &usageError{msg: fmt.Sprintf("%s, and this migrations program %s", need.what, need.lacks),
			hint: "migrations/main.go must pass " + need.option + " to cli.Main"}
	}
	progDir := filepath.Dir(cfg.ScriptLocation)
	if _, err := os.Stat(filepath.Join(progDir, "main.go")); err != nil {
		return &config.Error{Path: cfg.Path,
			Msg: fmt.Sprintf("%s, %s, and %s has no main.go", need.what, need.where, e.display(progDir)),
			Hint: "the go template keeps revisions in migrations/versions (script_location) and the program in migrations/main.go: " +
				"see `retort init --template go`; or run your own program that calls cli.Main with " + need.option}
	}
	goTool, err := lookPath("go", e.getenv("PATH"))
	if err != nil {
		return &hinted{err: fmt.Errorf("%s; %s needs the go tool to build the migrations program (%s), and there is no go on PATH", need.what, need.doing, e.display(progDir)),
			hint: "install Go (https://go.dev/dl/) or put it on PATH; or build the program yourself (go build -o retort-migrations ./migrations) and run it with the same arguments"}
	}
	modRoot, _, err := findModule(progDir)
	if err != nil {
		return err
	}
	if modRoot == "" {
		return &config.Error{Path: cfg.Path, Msg: fmt.Sprintf("no go.mod in %s or a folder above it, so the migrations program cannot be built", e.display(progDir)),
			Hint: "run `go mod init MODULE_PATH` in the project folder, then `go mod tidy`"}
	}
	env := e.childEnv()
	bin, fresh, err := e.programPath(ctx, goTool, modRoot, progDir, env)
	if err != nil {
		return err
	}
	if !fresh {
		e.log.Info(fmt.Sprintf("Building the migrations program %s (first run since its sources changed) ...", e.display(progDir)))
		start := time.Now()
		if err := buildProgram(ctx, goTool, progDir, bin, env); err != nil {
			return err
		}
		// go build may have updated go.mod or go.sum (GOFLAGS=-mod=mod):
		// store the program under the key of the files as they are now,
		// so that the next run finds it.
		if now, _, err := e.programPath(ctx, goTool, modRoot, progDir, env); err == nil && now != bin {
			if err := os.MkdirAll(filepath.Dir(now), 0o755); err == nil && os.Rename(bin, now) == nil {
				os.Remove(filepath.Dir(bin))
				bin = now
			}
		}
		pruneBuilds(bin)
		e.log.Debug(fmt.Sprintf("built %s in %s", bin, time.Since(start).Round(time.Millisecond)))
	}
	e.log.Debug(fmt.Sprintf("%s: running %s", cmd, bin))
	return runProgram(ctx, bin, e.args, e.stdin, e.stdout, e.stderr, append(env, delegatedEnv+"=1"))
}

// lookPath finds an executable named file in the folders of path.
func lookPath(file, path string) (string, error) {
	if runtime.GOOS == "windows" {
		file += ".exe"
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, file)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && (runtime.GOOS == "windows" || st.Mode()&0o111 != 0) {
			return p, nil
		}
	}
	return "", exec.ErrNotFound
}

// childEnvKeys are the variables the CLI reads through getenv and hands
// on to the go tool and the migrations program.
func childEnvKeys() []string {
	return []string{"PATH", "HOME", "TMPDIR", "XDG_CACHE_HOME", "RETORT_URL", "DATABASE_URL", "RETORT_CACHE_DIR", "RETORT_LINT_STATE", "EDITOR",
		"GOFLAGS", "GOPROXY", "GOCACHE", "GOMODCACHE", "GOPATH", "GOROOT", "GOTOOLCHAIN", "GOSUMDB", "GONOSUMDB", "GOPRIVATE",
		"GONOPROXY", "GOWORK", "GOOS", "GOARCH", "CGO_ENABLED", "GOEXPERIMENT", "GOAMD64", "GOARM", delegatedEnv}
}

// childEnv is the process environment with the variables of childEnvKeys
// as getenv sees them (with os.Getenv, the process environment itself).
func (e *env) childEnv() []string {
	out := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		k, _, _ := strings.Cut(kv, "=")
		return slices.Contains(childEnvKeys(), k)
	})
	for _, k := range childEnvKeys() {
		if v := e.getenv(k); v != "" {
			out = append(out, k+"="+v)
		}
	}
	return out
}

// programPath returns where the build of the program's current sources
// lives in the cache, and whether it is there already.
func (e *env) programPath(ctx context.Context, goTool, modRoot, progDir string, env []string) (string, bool, error) {
	cache := e.getenv("RETORT_CACHE_DIR")
	if cache == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			return "", false, &hinted{err: fmt.Errorf("find a cache folder for the migrations program: %w", err),
				hint: "set RETORT_CACHE_DIR to a folder retort may write"}
		}
		cache = filepath.Join(d, "retort")
	}
	key, err := sourceKey(ctx, goTool, modRoot, progDir, env)
	if err != nil {
		return "", false, err
	}
	project := sha256.Sum256([]byte(progDir))
	name := "migrations"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	bin := filepath.Join(cache, "programs", hex.EncodeToString(project[:8])+"-"+key[:32], name)
	if st, err := os.Stat(bin); err == nil && st.Mode().IsRegular() {
		return bin, true, nil
	}
	return bin, false, nil
}

// goEnvKeys are the go tool's settings that change what go build makes
// of the same sources. They are read with `go env`, so that values set
// with `go env -w` count as well as the environment's.
func goEnvKeys() []string {
	return []string{"GOVERSION", "GOROOT", "GOMODCACHE", "GOWORK", "GOFLAGS", "GOOS", "GOARCH", "GOEXPERIMENT",
		"GOAMD64", "GOARM", "GOARM64", "GO386", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM",
		"CGO_ENABLED", "CC", "CXX", "CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_FFLAGS", "CGO_LDFLAGS", "PKG_CONFIG"}
}

// listedPackage is what the cache key reads of `go list -json`.
type listedPackage struct {
	ImportPath string
	Dir        string
	Standard   bool
	Module     *struct{ GoMod string }
	// The files that go build reads, by name in Dir (as cmd/go hashes
	// them for its own build cache).
	GoFiles, CgoFiles, CFiles, CXXFiles, MFiles, HFiles, FFiles, SFiles,
	SwigFiles, SwigCXXFiles, SysoFiles, EmbedFiles []string
}

// listFields are the fields of listedPackage, for go list -json=.
const listFields = "ImportPath,Dir,Standard,Module,GoFiles,CgoFiles,CFiles,CXXFiles,MFiles,HFiles,FFiles,SFiles,SwigFiles,SwigCXXFiles,SysoFiles,EmbedFiles"

// sourceKey hashes everything the build of the program reads. The go
// tool itself says which packages and files those are (go list -deps,
// which applies go.mod, go.work, replace directives, vendoring, GOFLAGS
// and build constraints as go build does):
//   - a package of the standard library, by its import path under the
//     GOROOT and GOVERSION of the go env settings in the key;
//   - a package in the module cache, by its folder, which names the
//     module's path and version (the module cache is read-only and
//     verified against go.sum);
//   - every other package (the project's own module, a module replaced
//     by a local folder, a workspace module, a vendored copy) by the
//     content of each file that go build reads for it, and its
//     module's go.mod.
//
// Plus go.sum, go.work and go.work.sum, and the go env settings of
// goEnvKeys. The same key means go build would make the same program.
func sourceKey(ctx context.Context, goTool, modRoot, progDir string, env []string) (string, error) {
	var (
		settings []byte
		envErr   error
		done     = make(chan struct{})
	)
	go func() {
		defer close(done)
		settings, envErr = goOutput(ctx, goTool, progDir, env, append([]string{"env"}, goEnvKeys()...)...)
	}()
	listed, listErr := goOutput(ctx, goTool, progDir, env, "list", "-deps", "-json="+listFields, ".")
	<-done
	if listErr != nil {
		return "", listErr
	}
	if envErr != nil {
		return "", envErr
	}
	vals := strings.Split(strings.TrimRight(string(settings), "\n"), "\n")
	if len(vals) != len(goEnvKeys()) {
		return "", fmt.Errorf("go env printed %d lines for %d settings: %q", len(vals), len(goEnvKeys()), settings)
	}
	setting := func(k string) string { return vals[slices.Index(goEnvKeys(), k)] }
	modCache, goWork := setting("GOMODCACHE"), setting("GOWORK")

	h := sha256.New()
	fmt.Fprintf(h, "retort migrations program 2\n")
	for i, k := range goEnvKeys() {
		fmt.Fprintf(h, "env %s=%s\n", k, vals[i])
	}
	rel, _ := filepath.Rel(modRoot, progDir)
	fmt.Fprintf(h, "program %s\n", filepath.ToSlash(rel))
	hashFile := func(p string) error {
		b, err := os.ReadFile(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				fmt.Fprintf(h, "absent %s\n", p)
				return nil
			}
			return fmt.Errorf("read %s: %w", p, err)
		}
		fmt.Fprintf(h, "file %s %d\n", p, len(b))
		h.Write(b)
		return nil
	}
	files := []string{filepath.Join(modRoot, "go.sum")}
	if goWork != "" && goWork != "off" {
		files = append(files, goWork, goWork+".sum")
	}
	hashedMod := map[string]bool{}
	inCache := func(dir string) bool {
		return modCache != "" && strings.HasPrefix(dir, modCache+string(filepath.Separator))
	}
	dec := json.NewDecoder(bytes.NewReader(listed))
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return "", fmt.Errorf("read the output of go list: %w", err)
		}
		switch {
		case p.Standard:
			fmt.Fprintf(h, "std %s\n", p.ImportPath)
		case inCache(p.Dir):
			fmt.Fprintf(h, "cached %s %s\n", p.ImportPath, filepath.ToSlash(p.Dir[len(modCache):]))
		default:
			fmt.Fprintf(h, "local %s %s\n", p.ImportPath, p.Dir)
			if p.Module != nil && p.Module.GoMod != "" && !hashedMod[p.Module.GoMod] {
				hashedMod[p.Module.GoMod] = true
				files = append(files, p.Module.GoMod)
			}
			for _, names := range [][]string{p.GoFiles, p.CgoFiles, p.CFiles, p.CXXFiles, p.MFiles, p.HFiles, p.FFiles, p.SFiles,
				p.SwigFiles, p.SwigCXXFiles, p.SysoFiles, p.EmbedFiles} {
				for _, n := range names {
					files = append(files, filepath.Join(p.Dir, filepath.FromSlash(n)))
				}
			}
		}
	}
	for _, f := range files {
		if err := hashFile(f); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// goOutput runs the go tool with args in dir and returns its standard
// output. A failure carries the tool's messages: they are about the
// project's sources or go.mod, as go build's would be.
func goOutput(ctx context.Context, goTool, dir string, env []string, args ...string) ([]byte, error) {
	c := exec.CommandContext(ctx, goTool, args...)
	c.Dir = dir
	c.Env = env
	var stderr bytes.Buffer
	c.Stderr = &stderr
	out, err := c.Output()
	if err != nil {
		return nil, &hinted{err: fmt.Errorf("build the migrations program %s: go %s: %v\n%s", dir, args[0], err, strings.TrimRight(stderr.String(), "\n")),
			hint: buildHint(stderr.String(), dir)}
	}
	return out, nil
}

// buildProgram runs go build into a temporary file beside bin and renames
// it into place, so that a concurrent run never sees half a binary.
func buildProgram(ctx context.Context, goTool, progDir, bin string, env []string) error {
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return fmt.Errorf("create the cache folder: %w", err)
	}
	suffix := make([]byte, 6)
	rand.Read(suffix)
	tmp := bin + ".tmp-" + hex.EncodeToString(suffix)
	if runtime.GOOS == "windows" {
		tmp += ".exe"
	}
	c := exec.CommandContext(ctx, goTool, "build", "-o", tmp, ".")
	c.Dir = progDir
	c.Env = env
	out, err := c.CombinedOutput()
	if err != nil {
		os.Remove(tmp)
		return &hinted{err: fmt.Errorf("build the migrations program %s: %v\n%s", progDir, err, strings.TrimRight(string(out), "\n")),
			hint: buildHint(string(out), progDir)}
	}
	if err := os.Rename(tmp, bin); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store the migrations program in the cache: %w", err)
	}
	return nil
}

// buildHint says what to do about a failed go list or go build in
// progDir, given the go tool's messages.
func buildHint(out, progDir string) string {
	for _, s := range []string{"go mod tidy", "missing go.sum entry", "no required module provides package"} {
		if strings.Contains(out, s) {
			return "the project's go.mod lacks requirements of the migrations program (retort and the database drivers): " +
				"run `go mod tidy` in the module's folder, then run the command again"
		}
	}
	return "fix the errors above (`go build ./" + filepath.Base(progDir) + "` shows the same), then run the command again"
}

// pruneBuilds removes the project's other builds from the cache.
func pruneBuilds(bin string) {
	keyDir := filepath.Dir(bin)
	project, _, _ := strings.Cut(filepath.Base(keyDir), "-")
	entries, err := os.ReadDir(filepath.Dir(keyDir))
	if err != nil {
		return
	}
	for _, en := range entries {
		if en.Name() != filepath.Base(keyDir) && strings.HasPrefix(en.Name(), project+"-") {
			os.RemoveAll(filepath.Join(filepath.Dir(keyDir), en.Name()))
		}
	}
}

// runProgram runs the migrations program with args and the streams, and
// returns its exit status as an *exitStatus (0 included). A cancelled
// ctx interrupts it (it rolls back like the CLI does) and kills it if it
// has not ended a minute later.
func runProgram(ctx context.Context, bin string, args []string, stdin io.Reader, stdout, stderr io.Writer, env []string) error {
	c := exec.CommandContext(ctx, bin, args...)
	c.Stdin, c.Stdout, c.Stderr, c.Env = stdin, stdout, stderr, env
	c.Cancel = func() error {
		if runtime.GOOS == "windows" {
			return c.Process.Kill()
		}
		return c.Process.Signal(os.Interrupt)
	}
	c.WaitDelay = time.Minute
	err := c.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return &exitStatus{code: ExitOK}
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return &exitStatus{code: ee.ExitCode()}
	}
	return fmt.Errorf("run the migrations program %s: %w", bin, err)
}
