package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/importer"
)

func cmdAdopt() *command {
	c := &command{name: "adopt", summary: "stamp a database at the revision its previous migration tool's table says, and record checksums",
		args: "--from TOOL [--table NAME] [--dry-run]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		from := f.String("TOOL", "the tool that migrated the database: "+strings.Join(importer.AdoptTools(), ", "), "--from")
		table := f.String("NAME", "the tool's table, when not its default (schema.name on PostgreSQL)", "--table")
		dryRun := f.Bool("read the tool's table and print the stamp, write nothing", "--dry-run")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		tools := strings.Join(importer.AdoptTools(), ", ")
		if len(f.args) > 0 {
			return usagef(c.name, "adopt takes no arguments (got %q)", f.args[0])
		}
		if *from == "" {
			return &usageError{cmd: c.name, msg: "adopt needs --from TOOL", hint: "TOOL is one of " + tools}
		}
		if !slices.Contains(importer.AdoptTools(), *from) {
			return &usageError{cmd: c.name, msg: fmt.Sprintf("adopt cannot read the table of %q; it reads those of %s", *from, tools)}
		}
		return e.adopt(ctx, *from, *table, *dryRun)
	}
	return c
}

// adoptJSON is adopt's --json document.
type adoptJSON struct {
	Tool              string   `json:"tool"`
	Table             string   `json:"table"`
	DryRun            bool     `json:"dry_run"`
	AppliedVersions   []string `json:"applied_versions"`
	Version           string   `json:"version"`
	Revisions         []string `json:"revisions"`
	AlreadyAdopted    bool     `json:"already_adopted"`
	Stamped           bool     `json:"stamped"`
	ChecksumsRecorded []string `json:"checksums_recorded"`
}

func (e *session) adopt(ctx context.Context, tool, tableName string, dryRun bool) error {
	u, err := e.dbURL()
	if err != nil {
		return err
	}
	d, err := dburl.Dialect(u.Raw)
	if err != nil {
		return err
	}
	t := dialect.Table{Name: tableName}
	if tableName == "" {
		t.Name = importer.DefaultTable(tool)
	} else if s, n, ok := strings.Cut(tableName, "."); ok && d.Name() == "postgres" {
		t = dialect.Table{Schema: s, Name: n}
	}
	out := adoptJSON{Tool: tool, Table: t.String(), DryRun: dryRun, AppliedVersions: []string{}, Revisions: []string{}, ChecksumsRecorded: []string{}}
	err = e.withProvider(ctx, runOptions{}, func(p *retort.Provider) error {
		a, err := importer.ReadApplied(ctx, p.DB(), d, tool, t)
		if err != nil {
			return err
		}
		for _, v := range a.Versions {
			out.AppliedVersions = append(out.AppliedVersions, v.Version)
		}
		revs, err := e.adoptRevisions()
		if err != nil {
			return err
		}
		g, err := e.loadGraph()
		if err != nil {
			return err
		}
		plan, err := importer.PlanAdopt(a, revs, g.Ancestors)
		if err != nil {
			return err
		}
		out.Version, out.Revisions = plan.HeadVersion, append(out.Revisions, plan.Heads...)
		current, err := p.Current(ctx)
		if err != nil {
			return err
		}
		if len(current) > 0 {
			if !sameSet(current, plan.Heads) {
				return &hinted{err: fmt.Errorf("this database is already under retort: its version table is at %s, not at %s that %s says",
					strings.Join(current, ", "), orBase(plan.Heads), t),
					hint: "it was adopted (or stamped) before; `retort current` and `retort history` show where it is"}
			}
			out.AlreadyAdopted = true
		}
		if dryRun {
			return nil
		}
		if !out.AlreadyAdopted && len(plan.Heads) > 0 {
			if _, err := p.Stamp(ctx, plan.Heads...); err != nil {
				return err
			}
			out.Stamped = true
			out.ChecksumsRecorded = append(out.ChecksumsRecorded, plan.Heads...) // a stamp records the checksum of what it stamps
		}
		recorded, err := p.RecordChecksums(ctx)
		if err != nil {
			return err
		}
		for _, r := range recorded {
			out.ChecksumsRecorded = append(out.ChecksumsRecorded, r.Revision)
		}
		return nil
	})
	if err != nil {
		var ie *importer.Error
		if errors.As(err, &ie) {
			return &hinted{err: fmt.Errorf("adopt --from %s: %s", tool, ie.Error()), hint: ie.Hint}
		}
		return err
	}
	if e.json {
		return writeJSON(e.stdout, out)
	}
	at := "at base (nothing applied)"
	if len(out.Revisions) > 0 {
		at = fmt.Sprintf("at %s (revision %s)", out.Version, strings.Join(out.Revisions, ", "))
		if out.Version == "" {
			at = "at " + strings.Join(out.Revisions, ", ")
		}
	}
	switch {
	case dryRun && out.AlreadyAdopted:
		fmt.Fprintf(e.stdout, "Already adopted %s: %s; nothing to stamp (dry run, nothing written)\n", out.Table, at)
	case dryRun && len(out.Revisions) == 0:
		fmt.Fprintf(e.stdout, "Would adopt %s: %s; nothing to stamp (dry run, nothing written)\n", out.Table, at)
	case dryRun:
		fmt.Fprintf(e.stdout, "Would adopt %s: %s: `retort stamp %s`, then record the checksums of the applied revisions (dry run, nothing written)\n",
			out.Table, at, strings.Join(out.Revisions, " "))
	case out.AlreadyAdopted:
		fmt.Fprintf(e.stdout, "Already adopted %s: %s; recorded checksums of %s\n", out.Table, at, plural(len(out.ChecksumsRecorded), "revision"))
	default:
		fmt.Fprintf(e.stdout, "Adopted %s: %s; recorded checksums of %s\n", out.Table, at, plural(len(out.ChecksumsRecorded), "revision"))
	}
	return nil
}

// adoptRevisions are the project's revisions in file order, each with
// the tool and version its "-- imported from" comment names.
func (e *session) adoptRevisions() ([]importer.ProjectRevision, error) {
	ss, err := e.loadScripts()
	if err != nil {
		return nil, err
	}
	var out []importer.ProjectRevision
	for _, s := range ss {
		r := importer.ProjectRevision{ID: s.Revision}
		if s.Format == "sql" || s.Format == "go" { // a Go revision may be an import's skeleton
			path := s.Path
			if !filepath.IsAbs(path) {
				path = filepath.Join(e.cfg.Dir, filepath.FromSlash(path))
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("read revision %s: %w", s.Path, err)
			}
			r.Tool, r.Version = importer.SourceVersion(string(b))
			r.Path, r.Unwritten = s.Path, s.Format == "go" && importer.Unwritten(string(b))
		}
		out = append(out, r)
	}
	return out, nil
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

func orBase(heads []string) string {
	if len(heads) == 0 {
		return "base"
	}
	return strings.Join(heads, ", ")
}
