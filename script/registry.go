package script

import (
	"fmt"
	"slices"
	"strings"
)

// Registry holds the Go revisions compiled into a migrations program. It
// is a value owned by user code, not a global of retort's: the project's
// versions package declares
//
//	var Registry script.Registry
//
// each revision file adds its revision from an init function, and
// migrations/main.go hands it to the CLI with cli.WithRevisions
// (&versions.Registry), or to the library with Bind. The zero value is
// empty and ready to use. Add is meant for package initialisation, which
// runs on one goroutine; a Registry is not safe for concurrent Add calls.
type Registry struct {
	revs []GoRevision
}

// Add registers a revision. It does not check anything: Bind reports a
// revision added twice, and one that no file declares.
func (r *Registry) Add(g GoRevision) { r.revs = append(r.revs, g) }

// Revisions returns the registered revisions in the order they were
// added (the order of package initialisation: file name order).
func (r *Registry) Revisions() []GoRevision { return slices.Clone(r.revs) }

// BindError is a Go revision file and a compiled registry that do not
// agree. Error returns "path:line: msg", or "msg" when no file is
// involved.
type BindError struct {
	Path     string // display path of the file; "" for a revision no file declares
	Line     int
	Revision string
	Msg      string
}

func (e *BindError) Error() string {
	switch {
	case e.Path == "":
		return e.Msg
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return e.Path + ": " + e.Msg
}

// rebuild is the advice for a program compiled from other files than
// those on disk.
const rebuild = "rebuild the migrations program (go build, or go run ./migrations) so that it is compiled from the files on disk"

// Bind sets Script.Go for every Go revision file (Format "go") in
// scripts from reg, by revision id, and checks that the compiled program
// and the files agree. It returns a *BindError (the first, in the order
// of scripts) when:
//
//   - a Go file's revision is not in reg (the file is newer than the
//     program, or it does not call Registry.Add);
//   - reg holds a revision twice;
//   - reg holds a revision that no Go file declares (a file was removed
//     or renamed after the build, or its id is a SQL file's);
//   - the compiled header (Revision, DownRevision, BranchLabels,
//     DependsOn, Message, CreateDate, compared after the same trimming
//     and list splitting as the file's) or the presence of Upgrade and
//     Downgrade differs from the file's literal.
//
// A nil reg is an error when scripts hold a Go revision. SQL scripts are
// left alone; scripts without Go revisions and an empty reg bind.
func Bind(scripts []*Script, reg *Registry) error {
	var revs []GoRevision
	if reg != nil {
		revs = reg.revs
	}
	byID := make(map[string]*GoRevision, len(revs))
	for i := range revs {
		g := &revs[i]
		id := strings.TrimSpace(g.Revision)
		if _, dup := byID[id]; dup {
			return &BindError{Revision: id, Msg: fmt.Sprintf("Go revision %s is registered twice; two files declare it, or one file calls Registry.Add twice: give each revision its own id", id)}
		}
		byID[id] = g
	}
	used := make(map[string]bool, len(revs))
	for _, s := range scripts {
		if s == nil {
			continue
		}
		g, ok := byID[s.Revision]
		if s.Format != "go" {
			if ok {
				return &BindError{Path: s.Path, Line: s.HeaderLine("revision"), Revision: s.Revision,
					Msg: fmt.Sprintf("revision %s is a SQL file, and the migrations program registers a Go revision with the same id; %s", s.Revision, rebuild)}
			}
			continue
		}
		if reg == nil {
			return &BindError{Path: s.Path, Line: s.HeaderLine("revision"), Revision: s.Revision,
				Msg: "a Go revision, and there is no compiled Registry to run it from: run the project's migrations program (go run ./migrations), which passes cli.WithRevisions(&versions.Registry)"}
		}
		if !ok {
			return &BindError{Path: s.Path, Line: s.HeaderLine("revision"), Revision: s.Revision,
				Msg: fmt.Sprintf("Go revision %s is not in the compiled program: %s (and check that the file calls Registry.Add)", s.Revision, rebuild)}
		}
		if err := agree(s, g); err != nil {
			return err
		}
		used[s.Revision] = true
		copied := *g
		s.Go = &copied
	}
	for _, g := range revs {
		if id := strings.TrimSpace(g.Revision); !used[id] {
			return &BindError{Revision: id, Msg: fmt.Sprintf("Go revision %s is compiled into the migrations program, but no file in the script location declares it: restore its file, or %s", id, rebuild)}
		}
	}
	return nil
}

// agree checks a compiled revision against its file's literal.
func agree(s *Script, g *GoRevision) error {
	type field struct {
		name, key  string
		file, prog string
	}
	list := func(v []string) string { return strings.Join(v, ", ") }
	norm := func(v string) string { return list(splitList([]byte(v))) }
	fields := []field{
		{"DownRevision", "down_revision", list(s.DownRevisions), norm(g.DownRevision)},
		{"BranchLabels", "branch_labels", list(s.BranchLabels), norm(g.BranchLabels)},
		{"DependsOn", "depends_on", list(s.DependsOn), norm(g.DependsOn)},
		{"Message", "message", s.Message, strings.TrimSpace(g.Message)},
		{"CreateDate", "create_date", s.CreateDate, strings.TrimSpace(g.CreateDate)},
	}
	for _, f := range fields {
		if f.file != f.prog {
			line := s.HeaderLine(f.key)
			if line == 0 {
				line = s.HeaderLine("revision")
			}
			return &BindError{Path: s.Path, Line: line, Revision: s.Revision,
				Msg: fmt.Sprintf("%s is %q in the file but %q in the compiled program: %s", f.name, f.file, f.prog, rebuild)}
		}
	}
	gh := s.goHeader()
	if gh == nil {
		gh = &goHeader{}
	}
	for _, fn := range []struct {
		name      string
		file, set bool
		line      int
	}{
		{"Upgrade", gh.upgrade, g.Upgrade != nil, gh.upgradeLine},
		{"Downgrade", gh.downgrade, g.Downgrade != nil, gh.downgradeLine},
	} {
		if fn.file != fn.set {
			line := fn.line
			if line == 0 {
				line = s.HeaderLine("revision")
			}
			state := map[bool]string{true: "set", false: "not set"}
			return &BindError{Path: s.Path, Line: line, Revision: s.Revision,
				Msg: fmt.Sprintf("%s is %s in the file but %s in the compiled program: %s", fn.name, state[fn.file], state[fn.set], rebuild)}
		}
	}
	return nil
}
