package cli

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
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
// where key is a SHA-256 of: the go binary (path, size, modification
// time: a new Go release changes it), the build environment (GOOS,
// GOARCH, GOFLAGS, CGO_ENABLED, GOEXPERIMENT, GOTOOLCHAIN, GOAMD64,
// GOARM, GOWORK), go.mod, go.sum, go.work and go.work.sum of the module,
// and every non-test .go file of the program's folder tree and of the
// packages of the same module that they import, transitively. A build for
// an older key of the same project is removed after a new one succeeds.

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
func (e *env) needsProgram() (*script.Script, error) {
	if e.registry != nil {
		return nil, nil
	}
	// A broken graph is reported without building anything.
	if _, err := e.loadGraph(); err != nil {
		return nil, err
	}
	return firstGo(e.scripts), nil
}

// delegate builds (when its sources changed) and runs the project's
// migrations program with this invocation's arguments. A run of the
// program ends in an *exitStatus with its status.
func (e *env) delegate(ctx context.Context, cmd string, goRev *script.Script) error {
	cfg, err := e.config()
	if err != nil {
		return err
	}
	if e.getenv(delegatedEnv) != "" {
		return &usageError{msg: fmt.Sprintf("%s is a Go revision, and this migrations program has no compiled revisions to run it", goRev.Path),
			hint: "migrations/main.go must pass cli.WithRevisions(&versions.Registry) to cli.Main"}
	}
	progDir := filepath.Dir(cfg.ScriptLocation)
	if _, err := os.Stat(filepath.Join(progDir, "main.go")); err != nil {
		return &config.Error{Path: cfg.Path,
			Msg: fmt.Sprintf("%s is a Go revision, which runs in the project's migrations program, and %s has no main.go", goRev.Path, e.display(progDir)),
			Hint: "the go template keeps revisions in migrations/versions (script_location) and the program in migrations/main.go: " +
				"see `retort init --template go`; or run your own program that calls cli.Main with cli.WithRevisions"}
	}
	goTool, err := lookPath("go", e.getenv("PATH"))
	if err != nil {
		return &hinted{err: fmt.Errorf("%s is a Go revision; running it needs the go tool to build the migrations program (%s), and there is no go on PATH", goRev.Path, e.display(progDir)),
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
	bin, fresh, err := e.programPath(goTool, modRoot, progDir, env)
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
		if now, _, err := e.programPath(goTool, modRoot, progDir, env); err == nil && now != bin {
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
	return []string{"PATH", "HOME", "TMPDIR", "XDG_CACHE_HOME", "RETORT_URL", "DATABASE_URL", "RETORT_CACHE_DIR", "EDITOR",
		"GOFLAGS", "GOPROXY", "GOCACHE", "GOMODCACHE", "GOPATH", "GOROOT", "GOTOOLCHAIN", "GOSUMDB", "GONOSUMDB", "GOPRIVATE",
		"GONOPROXY", "GOWORK", "GOOS", "GOARCH", "CGO_ENABLED", "GOEXPERIMENT", "GOAMD64", "GOARM", delegatedEnv}
}

// buildEnvKeys are the variables that change what go build makes.
func buildEnvKeys() []string {
	return []string{"GOOS", "GOARCH", "GOFLAGS", "CGO_ENABLED", "GOEXPERIMENT", "GOTOOLCHAIN", "GOAMD64", "GOARM", "GOWORK"}
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
func (e *env) programPath(goTool, modRoot, progDir string, env []string) (string, bool, error) {
	cache := e.getenv("RETORT_CACHE_DIR")
	if cache == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			return "", false, &hinted{err: fmt.Errorf("find a cache folder for the migrations program: %w", err),
				hint: "set RETORT_CACHE_DIR to a folder retort may write"}
		}
		cache = filepath.Join(d, "retort")
	}
	key, err := sourceKey(goTool, modRoot, progDir, env)
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

// sourceKey hashes what the build of the program depends on (see the
// comment at the top of this file).
func sourceKey(goTool, modRoot, progDir string, env []string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "retort migrations program 1\n%s\n%s/%s\n", Version, runtime.GOOS, runtime.GOARCH)
	if st, err := os.Stat(goTool); err == nil {
		fmt.Fprintf(h, "go %s %d %d\n", goTool, st.Size(), st.ModTime().UnixNano())
	}
	for _, k := range buildEnvKeys() {
		for _, kv := range env {
			if strings.HasPrefix(kv, k+"=") {
				fmt.Fprintf(h, "env %s\n", kv)
			}
		}
	}
	rel, _ := filepath.Rel(modRoot, progDir)
	fmt.Fprintf(h, "program %s\n", filepath.ToSlash(rel))
	hashFile := func(p string) error {
		b, err := os.ReadFile(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return fmt.Errorf("read %s: %w", p, err)
		}
		r, _ := filepath.Rel(modRoot, p)
		fmt.Fprintf(h, "file %s %d\n", filepath.ToSlash(r), len(b))
		h.Write(b)
		return nil
	}
	for _, n := range []string{"go.mod", "go.sum", "go.work", "go.work.sum"} {
		if err := hashFile(filepath.Join(modRoot, n)); err != nil {
			return "", err
		}
	}
	_, modPath, err := findModule(modRoot)
	if err != nil {
		return "", err
	}
	// The program's folder tree, then the folders of the module that its
	// files import, transitively.
	var dirs []string
	err = filepath.WalkDir(progDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			n := d.Name()
			if p != progDir && (strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") || n == "testdata" || n == "vendor") {
				return filepath.SkipDir
			}
			dirs = append(dirs, p)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("read the migrations program %s: %w", progDir, err)
	}
	seen := map[string]bool{}
	for len(dirs) > 0 {
		dir := dirs[0]
		dirs = dirs[1:]
		if seen[dir] {
			continue
		}
		seen[dir] = true
		entries, err := os.ReadDir(dir)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return "", fmt.Errorf("read %s: %w", dir, err)
		}
		for _, en := range entries {
			n := en.Name()
			if en.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") {
				continue
			}
			p := filepath.Join(dir, n)
			if err := hashFile(p); err != nil {
				return "", err
			}
			f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
			if err != nil {
				continue // the build reports it
			}
			for _, im := range f.Imports {
				ip, err := strconv.Unquote(im.Path.Value)
				if err != nil {
					continue
				}
				if sub, ok := strings.CutPrefix(ip, modPath+"/"); ok {
					if d := filepath.Join(modRoot, filepath.FromSlash(sub)); !seen[d] {
						dirs = append(dirs, d)
					}
				}
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
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
			hint: "fix the errors above (`go build ./migrations` shows the same), then run the command again"}
	}
	if err := os.Rename(tmp, bin); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store the migrations program in the cache: %w", err)
	}
	return nil
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
