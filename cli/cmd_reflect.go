package cli

import (
	"context"
	"errors"
	"fmt"
	"path"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/schema/schemafmt"
)

// cmdReflect is `retort inspect`: what reflection reads of the database,
// printed as the dialect's DDL, as JSON or as Go builder source.
func cmdReflect() *command {
	c := &command{name: "inspect", summary: "print the database's schema as reflected (SQL, JSON or Go)",
		args: "[--format sql|json|go] [--schema NAME] [--table PATTERN ...]"}
	c.run = func(ctx context.Context, e *session, args []string) error {
		f := newFlags(c.name)
		format := f.String("FORMAT", "sql (the dialect's DDL; the default), json (the default with --json), or go (a func Schema() *schema.Schema)", "--format")
		schemaName := f.String("NAME", "the PostgreSQL schema or MySQL database to read (default: the connection's)", "--schema")
		tables := f.List("PATTERN", "read only the tables whose name matches the pattern (path.Match: *, ?, [a-z]); repeatable", "--table")
		if done, err := parseCmd(e, c, f, args); done || err != nil {
			return err
		}
		if len(f.args) > 0 {
			return usagef(c.name, "inspect takes no arguments (got %q); name tables with --table PATTERN", f.args[0])
		}
		switch *format {
		case "":
			// --json makes structured output JSON, as for every
			// command; --format, when given, wins.
			*format = "sql"
			if e.json {
				*format = "json"
			}
		case "sql", "json", "go":
		default:
			return usagef(c.name, "unknown format %q (sql, json or go)", *format)
		}
		for _, p := range *tables {
			if _, err := path.Match(p, ""); err != nil {
				return usagef(c.name, "--table %q: %v", p, err)
			}
		}
		var s *schema.Schema
		var d dialect.Dialect
		err := e.withProvider(ctx, runOptions{}, func(p *retort.Provider) error {
			var err error
			d = p.Project().Dialect()
			s, err = inspectDB(ctx, p, *schemaName, *tables)
			return err
		})
		if err != nil {
			return err
		}
		var out []byte
		switch *format {
		case "json":
			out, err = schemafmt.EncodeJSON(s)
		case "go":
			out, err = schemafmt.Go(s, schemafmt.GoOptions{Doc: "Schema returns the schema `retort inspect` read from the database."})
		default:
			var sql string
			sql, err = schemafmt.SQL(ctx, d, s, schemafmt.SQLOptions{})
			out = []byte(sql)
		}
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(out)
		return err
	}
	return c
}

// inspectDB reads the schema of p's database with its dialect's
// Inspector on one connection, leaving out retort's own tables under the
// names the project gives them.
func inspectDB(ctx context.Context, p *retort.Provider, schemaName string, patterns []string) (*schema.Schema, error) {
	opts := dialect.InspectOptions{Schema: schemaName, OwnTables: ownTables(p.Project(), schemaName)}
	if len(patterns) > 0 {
		opts.IncludeName = func(n schema.TableName) bool {
			for _, pat := range patterns {
				if ok, _ := path.Match(pat, n.Name); ok {
					return true
				}
			}
			return false
		}
	}
	s, err := readSchema(ctx, p, opts)
	if errors.Is(err, dialect.ErrUnsupported) {
		return nil, &hinted{err: err, hint: "select the other tables with --table PATTERN"}
	}
	return s, err
}

// ownTables are retort's tables in schema schemaName, under the names
// the project gives them.
func ownTables(proj *retort.Project, schemaName string) []string {
	var out []string
	for _, t := range []dialect.Table{proj.VersionTable(), proj.HistoryTable(), proj.LockTable()} {
		if t.Schema == "" || t.Schema == schemaName {
			out = append(out, t.Name)
		}
	}
	return out
}

// readSchema reads what opts select of p's database with its dialect's
// Inspector, on one connection.
func readSchema(ctx context.Context, p *retort.Provider, opts dialect.InspectOptions) (*schema.Schema, error) {
	d := p.Project().Dialect()
	in := dialect.Probe(d).Inspector
	if in == nil {
		return nil, &hinted{err: fmt.Errorf("the %s dialect cannot read a database's schema", d.Name()),
			hint: "reading a schema needs a dialect that implements dialect.Inspector (sqlite, postgres and mysql do)"}
	}
	conn, err := p.DB().Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the database's schema: connect: %w", err)
	}
	defer conn.Close()
	s, err := in.Inspect(ctx, conn, opts)
	if err != nil {
		return nil, fmt.Errorf("read the database's schema: %w", err)
	}
	return s, nil
}
