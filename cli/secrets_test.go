package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql", for the re-executed retort
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for the re-executed retort

	"github.com/retortdb/retort/internal/config"
)

// secretURLs hold the password S3cret...: servers that do not listen (port
// 1), and the real servers with a wrong password or database.
var secretURLs = []string{
	"postgresql://u:S3cretPW@127.0.0.1:1/db",
	"mysql://u:S3cretPW@127.0.0.1:1/db",
	"postgresql://postgres:S3cretPW@127.0.0.1:5432/nonexistent_db",
	"mysql://root:S3cretPW@127.0.0.1:3306/x",
	"postgresql://u:S3cret%40PW%2F@127.0.0.1:1/db?sslmode=disable",
	"postgresql://u@127.0.0.1:1/db?password=S3cretPW",
	"mysql://u:S3cret%40PW@127.0.0.1:1/db?parseTime=true",
}

// secretCommands are every command that takes a database URL. offline
// ones never connect and succeed.
var secretCommands = []struct {
	args    []string
	offline bool
}{
	{[]string{"upgrade", "head"}, false},
	{[]string{"upgrade", "head", "--sql"}, true},
	{[]string{"upgrade", "aaaa:head", "--sql"}, true},
	{[]string{"downgrade", "base"}, false},
	{[]string{"downgrade", "head:base", "--sql"}, true},
	{[]string{"stamp", "head"}, false},
	{[]string{"stamp", "--purge", "head"}, false},
	{[]string{"stamp", "base:head", "--sql"}, true},
	{[]string{"current"}, false},
	{[]string{"current", "-v"}, false},
	{[]string{"history", "--applied"}, false},
	{[]string{"history", "-i"}, false},
	{[]string{"history", "-r", "current:"}, false},
	{[]string{"heads"}, true},
	{[]string{"verify"}, false},
	{[]string{"resolve", "bbbb", "--applied"}, false},
	{[]string{"resolve", "bbbb", "--rolled-back"}, false},
}

// The subtests are named with the URL redacted: t.TempDir's folder name
// comes from the test's, and would show the password in the output.

// TestSecrets runs every command in a retort process with URLs that hold
// a password, given by --url, RETORT_URL, DATABASE_URL or retort.toml,
// plain, verbose and --json: the password never appears on stdout or
// stderr, commands that connect fail with status 1 and say which
// database they could not reach (redacted), and offline ones succeed.
func TestSecrets(t *testing.T) {
	dir := t.TempDir()
	writeSecretProject(t, dir, "")
	modes := []struct {
		name  string
		flags []string
	}{{"plain", nil}, {"verbose", []string{"-v"}}, {"json", []string{"--json"}}, {"verbose json", []string{"-v", "--json"}}}
	for _, raw := range secretURLs {
		for _, mode := range modes {
			for _, c := range secretCommands {
				name := config.Redact(raw) + "/" + mode.name + "/" + strings.Join(c.args, " ")
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					args := append(append([]string{"-C", dir, "--url", raw}, mode.flags...), c.args...)
					checkSecretRun(t, raw, c.offline, args, nil)
				})
			}
		}
	}
}

// TestSecrets_sources gives the URL every other way retort takes it.
func TestSecrets_sources(t *testing.T) {
	for _, raw := range secretURLs {
		for _, source := range []string{"RETORT_URL", "DATABASE_URL", "retort.toml", "--url after the command"} {
			for _, c := range []struct {
				args    []string
				offline bool
			}{{[]string{"upgrade", "head"}, false}, {[]string{"current", "-v"}, false}, {[]string{"upgrade", "head", "--sql"}, true}} {
				t.Run(config.Redact(raw)+"/"+source+"/"+strings.Join(c.args, " "), func(t *testing.T) {
					t.Parallel()
					dir := t.TempDir()
					toml := ""
					var env []string
					args := append([]string{"-C", dir, "-v"}, c.args...)
					switch source {
					case "retort.toml":
						toml = raw
					case "--url after the command":
						args = append(args, "--url", raw)
					default:
						env = []string{source + "=" + raw}
					}
					writeSecretProject(t, dir, toml)
					checkSecretRun(t, raw, c.offline, args, env)
				})
			}
		}
	}
}

// TestSecrets_malformed gives URLs that cannot be parsed: every command
// that needs the URL stops with status 2 and names the URL redacted.
func TestSecrets_malformed(t *testing.T) {
	dir := t.TempDir()
	writeSecretProject(t, dir, "")
	for _, raw := range []string{
		"postgresql://u:S3cretPW@[::1:1/db",
		"mysql://u:S3cret#PW@127.0.0.1/db",
		"postgresql://u:S3cret/PW@127.0.0.1/db",
		"postgresql://u:S3cret?PW@127.0.0.1/db",
		"postgresql:u:S3cretPW@h/db",
		"oracle://u:S3cretPW@h/db",
	} {
		for _, c := range secretCommands {
			if c.args[0] == "heads" {
				continue // reads no URL
			}
			t.Run(config.Redact(raw)+"/"+strings.Join(c.args, " "), func(t *testing.T) {
				t.Parallel()
				cmd := exec.Command(os.Args[0], append([]string{"-C", dir, "-v", "--url", raw}, c.args...)...)
				cmd.Env = append(os.Environ(), "RETORT_TEST_MAIN=1", "RETORT_URL=", "DATABASE_URL=", "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				err := cmd.Run()
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != ExitUsage {
					t.Fatalf("%v, want status 2\n%s", err, stderr.String())
				}
				if out := stdout.String() + stderr.String(); strings.Contains(out, "S3cret") {
					t.Fatalf("the password appears in the output:\n%s", out)
				}
				if !strings.Contains(stderr.String(), "retort: database URL \"") || !strings.Contains(stderr.String(), "***") {
					t.Fatalf("stderr does not name the URL redacted:\n%s", stderr.String())
				}
			})
		}
	}
}

// writeSecretProject writes a project of two revisions, aaaa and bbbb.
func writeSecretProject(t *testing.T, dir, url string) {
	t.Helper()
	toml := "script_location = \"migrations\"\n"
	if url != "" {
		toml += "url = '" + url + "'\n"
	}
	files := map[string]string{
		"retort.toml":        toml,
		"migrations/1_a.sql": "-- revision: aaaa\n-- down_revision:\n\n-- +upgrade\nCREATE TABLE t (id INTEGER);\n\n-- +downgrade\nDROP TABLE t;\n",
		"migrations/2_b.sql": "-- revision: bbbb\n-- down_revision: aaaa\n\n-- +upgrade\nINSERT INTO t (id) VALUES (1);\n\n-- +downgrade\nDELETE FROM t;\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkSecretRun runs retort with args and checks its output.
func checkSecretRun(t *testing.T, raw string, offline bool, args, env []string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "RETORT_TEST_MAIN=1", "RETORT_URL=", "DATABASE_URL=", "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0")), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run retort: %v", err)
	}
	out := stdout.String() + stderr.String()
	for _, secret := range []string{"S3cret", "S3cret%40PW", "S3cret@PW"} {
		if strings.Contains(out, secret) {
			t.Fatalf("the password appears in the output (status %d):\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
		}
	}
	if strings.Contains(out, "panic") {
		t.Fatalf("retort panicked:\n%s", stderr.String())
	}
	if offline {
		if code != 0 {
			t.Fatalf("offline command: status %d, want 0\n%s", code, stderr.String())
		}
		return
	}
	if code != ExitFailure && code != ExitUsage {
		t.Fatalf("status %d, want 1 or 2\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	// A clear message: what failed, on which database (redacted); under
	// --json the last line of stderr is the error object.
	want := "connect to " + config.Redact(strings.TrimSpace(raw)) + ": "
	msg := stderr.String()
	if slices.Contains(args, "--json") {
		lines := strings.Split(strings.TrimSpace(msg), "\n")
		var obj struct {
			Error string `json:"error"`
			Exit  int    `json:"exit"`
		}
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &obj); err != nil || obj.Exit != code {
			t.Fatalf("stderr does not end with a JSON error of exit %d (%v):\n%s", code, err, msg)
		}
		msg = "retort: " + obj.Error
	}
	if !strings.Contains(msg, "retort: "+want) {
		t.Fatalf("stderr does not say %q:\n%s", want, stderr.String())
	}
}

// TestRedact_ManyURLs: every URL a command used is hidden from its
// messages, not only the last one (a fleet run uses many).
func TestRedact_ManyURLs(t *testing.T) {
	e := &session{urlsRaw: []string{
		"postgresql://a:FirstPW@db1/app",
		"mysql://b:SecondPW@db2/app",
		"sqlite:///app.db",
	}}
	got := e.redact("tenant db1: postgresql://a:FirstPW@db1/app failed; tenant db2: mysql://b:SecondPW@db2/app failed; sqlite:///app.db ok")
	for _, pw := range []string{"FirstPW", "SecondPW"} {
		if strings.Contains(got, pw) {
			t.Errorf("redacted message still holds %s: %s", pw, got)
		}
	}
	for _, want := range []string{"postgresql://a:***@db1/app", "mysql://b:***@db2/app", "sqlite:///app.db ok"} {
		if !strings.Contains(got, want) {
			t.Errorf("redacted message lacks %q: %s", want, got)
		}
	}
}
