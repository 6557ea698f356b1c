package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	_ "modernc.org/sqlite"
)

// TestScript runs the end-to-end scripts in testdata/script: each is a
// txtar archive of files and commands. Commands:
//
//	retort ARGS...        the CLI, in process, in the script's folder
//	status N              the exit status of the last retort was N
//	sqlite DB QUERY       run QUERY on the SQLite file DB; rows on stdout, columns joined by |
//	gofmtok FILE|GLOB...  each file parses with go/parser and is gofmt-stable
//	gomodule PATH         write go.mod for module PATH requiring retort from this
//	                      checkout (a replace directive), and retort's go.sum
//
// The go tool's caches of the test's own environment (GOCACHE,
// GOMODCACHE) are passed in, so that building a migrations program finds
// retort's dependencies offline.
func TestScript(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	goEnv := strings.Fields(string(out))
	if len(goEnv) != 2 {
		t.Fatalf("go env GOCACHE GOMODCACHE printed %q", out)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"retort":   cmdRetort,
			"status":   cmdStatus,
			"sqlite":   cmdSQLite,
			"gofmtok":  cmdGofmtOK,
			"gomodule": cmdGoModule,
		},
		Setup: func(env *testscript.Env) error {
			env.Setenv("RETORT_URL", "")
			env.Setenv("DATABASE_URL", "")
			env.Setenv("REPO_ROOT", root)
			env.Setenv("GOCACHE", goEnv[0])
			env.Setenv("GOMODCACHE", goEnv[1])
			env.Setenv("GOTOOLCHAIN", "local")
			env.Setenv("RETORT_CACHE_DIR", filepath.Join(env.WorkDir, "retort-cache"))
			return nil
		},
		// [ci] holds in CI (CI set), where a script must not skip for a
		// tool the machine is expected to have.
		Condition: func(cond string) (bool, error) {
			if cond == "ci" {
				return os.Getenv("CI") != "", nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

func cmdGofmtOK(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: gofmtok FILE|GLOB...")
	}
	for _, a := range args {
		matches, err := filepath.Glob(ts.MkAbs(a))
		if err != nil || len(matches) == 0 {
			ts.Fatalf("gofmtok: no file matches %s", a)
		}
		for _, m := range matches {
			src, err := os.ReadFile(m)
			ts.Check(err)
			if _, err := parser.ParseFile(token.NewFileSet(), m, src, parser.SkipObjectResolution); err != nil {
				ts.Fatalf("%s does not parse: %v", a, err)
			}
			formatted, err := format.Source(src)
			ts.Check(err)
			if !bytes.Equal(formatted, src) {
				ts.Fatalf("%s is not gofmt'd:\n%s", m, src)
			}
		}
	}
}

func cmdGoModule(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: gomodule PATH")
	}
	root := ts.Getenv("REPO_ROOT")
	mod := fmt.Sprintf("module %s\n\ngo 1.26\n\nrequire github.com/retortdb/retort v0.0.0\n\nreplace github.com/retortdb/retort => %s\n", args[0], root)
	ts.Check(os.WriteFile(ts.MkAbs("go.mod"), []byte(mod), 0o644))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs("go.sum"), sum, 0o644))
}

func cmdRetort(ts *testscript.TestScript, neg bool, args []string) {
	var stdout, stderr bytes.Buffer
	full := []string{"-C", ts.MkAbs(".")}
	for i := 0; i < len(args); i++ {
		if args[i] == "-C" && i+1 < len(args) {
			full = append(full, "-C", ts.MkAbs(args[i+1]))
			i++
			continue
		}
		full = append(full, args[i])
	}
	code := Main(context.Background(), full, strings.NewReader(""), &stdout, &stderr, WithGetenv(ts.Getenv))
	ts.Setenv("RETORT_STATUS", strconv.Itoa(code))
	fmt.Fprint(ts.Stdout(), stdout.String())
	fmt.Fprint(ts.Stderr(), stderr.String())
	if strings.Contains(stderr.String(), "panic") {
		ts.Fatalf("retort panicked: %s", stderr.String())
	}
	if code != 0 && !neg {
		ts.Fatalf("retort %s: exit status %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
	if code == 0 && neg {
		ts.Fatalf("retort %s: succeeded unexpectedly", strings.Join(args, " "))
	}
}

func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: status N")
	}
	if got := ts.Getenv("RETORT_STATUS"); (got == args[0]) == neg {
		ts.Fatalf("exit status %s, want %s", got, args[0])
	}
}

func cmdSQLite(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: sqlite DB QUERY")
	}
	db, err := sql.Open("sqlite", ts.MkAbs(args[0]))
	if err != nil {
		ts.Fatalf("open: %v", err)
	}
	defer db.Close()
	rows, err := db.Query(args[1])
	if err != nil {
		if neg {
			fmt.Fprintln(ts.Stderr(), err)
			return
		}
		ts.Fatalf("%s: %v", args[1], err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			ts.Fatalf("scan: %v", err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				parts[i] = "NULL"
			case []byte:
				parts[i] = string(x)
			default:
				parts[i] = fmt.Sprint(x)
			}
		}
		fmt.Fprintln(ts.Stdout(), strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		ts.Fatalf("rows: %v", err)
	}
	if neg {
		ts.Fatalf("query succeeded unexpectedly")
	}
}
