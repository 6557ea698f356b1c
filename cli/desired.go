package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/diff"
	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/internal/scratch"
	"github.com/retortdb/retort/schema"
)

// diffOptions are what autogenerate and check compare: the table
// patterns of retort.toml, retort's own tables under the project's names
// (and so other tools' version tables, which diff leaves out), and the
// migrations program's hooks.
func (e *session) diffOptions(proj *retort.Project) diff.Options {
	return diff.Options{IncludeTables: e.cfg.IncludeTables, ExcludeTables: e.cfg.ExcludeTables,
		OwnTables:     []string{proj.VersionTable().Name, proj.HistoryTable().Name, proj.LockTable().Name},
		IncludeObject: e.includeObject, CompareType: e.compareType}
}

// compareOptions say which tables of schema sch ("" the default one) are
// read for a comparison: those dopts compares, so that a table left out
// is never read.
func compareOptions(proj *retort.Project, dopts diff.Options, sch string) dialect.InspectOptions {
	return dialect.InspectOptions{Schema: sch, OwnTables: ownTables(proj, sch), IncludeName: dopts.Compares}
}

// compareSchemas are the schemas compared: include_schemas, else the
// connection's default one.
func (e *session) compareSchemas() []string {
	if len(e.cfg.IncludeSchemas) > 0 {
		return e.cfg.IncludeSchemas
	}
	return []string{""}
}

// desiredInProgram reports whether the desired schema is the Go code of
// the project's migrations program, which this process is not: no
// desired files in retort.toml, and a migrations program beside the
// revisions. Without either, there is no desired schema: an error that
// says how to give one.
func (e *session) desiredInProgram() (bool, error) {
	if e.desired != nil {
		return false, nil
	}
	cfg, err := e.config()
	if err != nil {
		return false, err
	}
	if len(cfg.Desired) > 0 {
		return false, nil
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(cfg.ScriptLocation), "main.go")); err == nil {
		return true, nil
	}
	return false, &config.Error{Path: cfg.Path, Msg: "no desired schema to compare with",
		Hint: "name desired-state SQL files in retort.toml (desired = [\"schema/*.sql\"]), or register a Go schema in the migrations program (cli.WithDesiredSchema)"}
}

// applyDesired applies the desired schema (Go code or desired-state SQL
// files) to the scratch database s.
func (e *session) applyDesired(ctx context.Context, s *scratch.DB) error {
	if e.desired != nil {
		sc := e.desired()
		if sc == nil {
			return fmt.Errorf("the desired schema function returned no schema")
		}
		return s.ApplySchema(ctx, sc, schema.DefaultNaming())
	}
	paths, err := e.cfg.DesiredFiles()
	if err != nil {
		return err
	}
	files := make([]scratch.File, len(paths))
	for i, p := range paths {
		text, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read desired schema: %w", err)
		}
		files[i] = scratch.File{Path: e.display(p), Text: text}
	}
	if err := s.ApplySQL(ctx, files); err != nil {
		return fmt.Errorf("apply the desired schema to a scratch database: %w", err)
	}
	return nil
}

// inspectDesired reads the desired schema back from the scratch
// database, in the dialect's normal form.
func (e *session) inspectDesired(ctx context.Context, s *scratch.DB, opts dialect.InspectOptions) (*schema.Schema, error) {
	sc, err := s.Inspect(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("read the desired schema back from the scratch database: %w", err)
	}
	return normalized(s.Dialect, sc)
}

// liveSchema reads schema sch of the project's database, in the
// dialect's normal form.
func (e *session) liveSchema(ctx context.Context, p *retort.Provider, opts dialect.InspectOptions) (*schema.Schema, error) {
	sc, err := readSchema(ctx, p, opts)
	if errors.Is(err, dialect.ErrUnsupported) {
		return nil, &hinted{err: err, hint: "leave the table out with exclude_tables in retort.toml, and manage it by hand"}
	}
	if err != nil {
		return nil, err
	}
	return normalized(p.Project().Dialect(), sc)
}

// normalized is sc in d's normal form (unchanged where d has none).
func normalized(d dialect.Dialect, sc *schema.Schema) (*schema.Schema, error) {
	if nz := dialect.Probe(d).Normalizer; nz != nil {
		return dialect.NormalizeSchema(nz, sc, schema.DefaultNaming())
	}
	return sc, nil
}
