package fleet

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/internal/config"
)

// TargetsError is a bad line of a targets file: File and Line say where,
// Msg what is wrong and Hint what to do.
type TargetsError struct {
	File      string
	Line      int
	Msg, Hint string
}

func (e *TargetsError) Error() string {
	s := fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// ParseTargets reads a targets file: one database URL per line, in any of
// the retort command's forms; blank lines and lines whose first non-blank
// character is # are ignored, and so is a # comment after a URL when a
// blank precedes it (a # inside a URL must be percent-encoded as %23).
// file names the file in errors; baseDir is what relative SQLite paths are
// relative to ("" is the current folder), as Options.BaseDir.
//
// Each target is named after its database: host:port/dbname (the user
// and password left out), or the path of a SQLite file as the URL gives
// it. Every URL must be of one dialect. A line that is not a URL, a
// second dialect, or a database named twice is a *TargetsError naming the
// file and line; a file with no URL is an error too.
func ParseTargets(r io.Reader, file, baseDir string) ([]Target, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var out []Target
	seen := map[string]int{}  // a database's key: its line
	lines := map[string]int{} // a database's key: its index in out
	firstDialect, firstLine := "", 0
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, " #"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		} else if i := strings.Index(line, "\t#"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.ContainsAny(line, " \t") {
			return nil, &TargetsError{File: file, Line: n, Msg: "more than one word on the line",
				Hint: "write one database URL per line; percent-encode blanks in a URL as %20"}
		}
		u, err := config.ParseURL(line, baseDir)
		if err != nil {
			te := &TargetsError{File: file, Line: n, Msg: err.Error()}
			if ce, ok := err.(*config.Error); ok {
				te.Msg, te.Hint = ce.Msg, ce.Hint
			}
			return nil, te
		}
		if u.Memory {
			return nil, &TargetsError{File: file, Line: n, Msg: "an in-memory SQLite database is no tenant (no other connection sees it)",
				Hint: "name a file: sqlite:///tenants/a.db"}
		}
		if firstDialect == "" {
			firstDialect, firstLine = u.Dialect, n
		} else if u.Dialect != firstDialect {
			return nil, &TargetsError{File: file, Line: n, Msg: fmt.Sprintf("a %s URL in a fleet of %s URLs (line %d)", u.Dialect, firstDialect, firstLine),
				Hint: "one fleet runs one dialect: put each dialect's URLs in a file of their own"}
		}
		name := targetName(u)
		key := serverKey(u) + "/" + u.Database // one database however its URL is spelt
		if prev, dup := seen[key]; dup {
			msg := fmt.Sprintf("database %s is already on line %d", name, prev)
			if was := out[lines[key]].Name; was != name {
				msg += " (as " + was + ")"
			}
			return nil, &TargetsError{File: file, Line: n, Msg: msg, Hint: "list each database once"}
		}
		seen[key], lines[key] = n, len(out)
		out = append(out, Target{Name: name, URL: line})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s lists no database URL (one URL per line; # starts a comment)", file)
	}
	return out, nil
}

// Database returns the target of the database of rawURL, named as
// ParseTargets names it: host:port/dbname (the user and password left
// out), or the SQLite path as the URL writes it. baseDir is what a
// relative SQLite path is relative to. An in-memory SQLite URL is an
// error (no other connection sees it); errors show the URL redacted.
func Database(rawURL, baseDir string) (Target, error) {
	u, err := config.ParseURL(rawURL, baseDir)
	if err != nil {
		return Target{}, err
	}
	if u.Memory {
		return Target{}, fmt.Errorf("%s: an in-memory SQLite database is no tenant (no other connection sees it): name a file", u.Redacted())
	}
	return Target{Name: targetName(u), URL: rawURL}, nil
}

// targetName is the name of a target read from a URL: host:port/dbname,
// or the SQLite path as written.
func targetName(u *config.URL) string {
	_, rest, _ := strings.Cut(strings.TrimSpace(u.Raw), "://")
	if u.Dialect == "sqlite" {
		p, _, _ := strings.Cut(rest, "?")
		return strings.TrimPrefix(p, "/")
	}
	return strings.ToLower(urlHost(u)) + "/" + u.Database
}

// Schemas returns a target for each schema of the PostgreSQL database of
// rawURL whose name matches pattern, sorted by name: each named after its
// schema, with Schema set, so that Run puts the tenant's version and
// history tables in its schema and sets its search_path to it.
//
// pattern is a glob, as path.Match reads it: * matches any run of
// characters, ? one character, [a-z] a class, and \ escapes the next
// character (tenant_* matches tenant_a and tenant_42; a literal _ is
// only ever itself, unlike in SQL's LIKE). The system schemas (pg_*,
// information_schema) and public, the database's shared schema, are
// never matched. A pattern that matches no
// schema is an error, and so is a URL of another dialect.
func Schemas(ctx context.Context, rawURL, pattern, baseDir string) ([]Target, error) {
	if _, err := path.Match(pattern, ""); err != nil {
		return nil, fmt.Errorf("schema pattern %q: %w (use * and ? wildcards, [a-z] classes, \\ to escape)", pattern, err)
	}
	u, err := config.ParseURL(rawURL, baseDir)
	if err != nil {
		return nil, err
	}
	if u.Dialect != "postgres" {
		return nil, fmt.Errorf("schemas of %s: a fleet of schemas is for PostgreSQL; this is a %s database (for MySQL, each database is a tenant: list their URLs in a targets file)", u.Redacted(), u.Dialect)
	}
	db, _, err := dburl.OpenDB(rawURL, baseDir)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, schemasQuery)
	if err != nil {
		return nil, fmt.Errorf("list the schemas of %s: %w", u.Redacted(), err)
	}
	defer rows.Close()
	var out []Target
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("list the schemas of %s: %w", u.Redacted(), err)
		}
		if ok, _ := path.Match(pattern, name); ok {
			out = append(out, Target{Name: name, URL: rawURL, Schema: name})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list the schemas of %s: %w", u.Redacted(), err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no schema of %s matches %q", u.Redacted(), pattern)
	}
	return out, nil
}

// schemasQuery lists the schemas of the database but the system ones
// and public (the database's shared schema, no tenant's),
// sorted by name (byte order, as Go sorts).
const schemasQuery = `SELECT nspname::text FROM pg_catalog.pg_namespace
WHERE nspname NOT LIKE 'pg\_%' AND nspname NOT IN ('information_schema', 'public')
ORDER BY nspname COLLATE "C"`

// ParseOrder reads an order file: tenant names (as Target.Name), one per
// line, # comments and blank lines as in a targets file. It returns the
// targets with those named first, in the file's order, then the others
// in their order; with Options.Canary, the first named are the canaries.
// A name that is no target's, or a name given twice, is a *TargetsError
// naming the file and line.
func ParseOrder(r io.Reader, file string, targets []Target) ([]Target, error) {
	index := make(map[string]int, len(targets))
	for i, t := range targets {
		index[t.Name] = i
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	seen := map[string]int{}
	var out []Target
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, " #"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		} else if i := strings.Index(line, "\t#"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i, ok := index[line]
		if !ok {
			return nil, &TargetsError{File: file, Line: n, Msg: fmt.Sprintf("no tenant of the fleet is named %q", line),
				Hint: "name tenants as the fleet's table shows them: host:port/dbname, the SQLite path, or the schema"}
		}
		if prev, dup := seen[line]; dup {
			return nil, &TargetsError{File: file, Line: n, Msg: fmt.Sprintf("tenant %s is already on line %d", line, prev)}
		}
		seen[line] = n
		out = append(out, targets[i])
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	for _, t := range targets {
		if _, listed := seen[t.Name]; !listed {
			out = append(out, t)
		}
	}
	return out, nil
}

// ByDistance orders the targets by how far each is from target, the
// furthest first: the number of steps that upgrading it to target would
// take (downgrading, when down is true), read from current, the results
// of a Current run over the same targets. Tenants at the same distance
// keep their order; those whose distance cannot be told (not reached,
// or at a revision the project does not know) come last. With
// Options.Canary, the canaries are then the tenants that run the most
// revisions: a revision that fails shows up among them.
func ByDistance(proj *retort.Project, current []Result, target string, down bool) []Target {
	type entry struct {
		t    Target
		dist int // -1: unknown
	}
	entries := make([]entry, len(current))
	for i, r := range current {
		entries[i] = entry{r.Target, -1}
		if !r.Known {
			continue
		}
		plan := proj.Graph().Upgrade
		if down {
			plan = proj.Graph().Downgrade
		}
		if p, err := plan(r.To, target); err == nil {
			entries[i].dist = len(p.Steps)
		}
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return b.dist - a.dist })
	out := make([]Target, len(entries))
	for i, e := range entries {
		out[i] = e.t
	}
	return out
}
