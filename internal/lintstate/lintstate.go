// Package lintstate gives retort lint the schema a database has before
// each revision it lints (lint.Revision.Before), for the rules that need
// the old type of a column, whether it is nullable, which indexes exist
// (the catalogue's C rules).
//
// The state before a revision R is the schema after every ancestor of R
// (the closure of its down revisions and depends_on) has run: the
// Provider replays them on a scratch database of the project's dialect
// (internal/scratch: dev_url's server, else the database URL's; SQLite in
// memory) with the project's own runner, so Go revisions, dialect
// sections and retort.toml's options run as an upgrade runs them, and
// reflects it with the dialect's Inspector, leaving out retort's own
// tables, as check --roundtrip does. The replay itself is the Replayer,
// which lint --trace (cli/lint_trace.go) runs its traces on too.
//
// Each state is cached under a folder by a hash of what determines it:
// the dialect, the scratch server's version, the ids of the revisions
// applied and the checksums of their files. An edited ancestor changes
// the hash; a state found in the cache makes no scratch database at all.
// After the newest revision linted, its own state is stored too, so that
// linting the next revision written on top of it is a hit.
package lintstate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/scratch"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/schema/schemafmt"
)

// formatVersion is part of every cache key: a retort whose replay or
// reflection gives another schema for the same revisions raises it, and
// the entries of the older one are no longer read.
const formatVersion = 2 // 2: constraint validity and partitioning reflected

// Options say what to replay where.
type Options struct {
	// Project is what replays: its graph, scripts (Go revisions bound)
	// and runner options. It is bound to each scratch database.
	Project *retort.Project
	// Server is the URL of the server scratch databases are made on
	// (dev_url, else the database URL); it must be of the project's
	// dialect. For SQLite the scratch database is in memory.
	Server string
	// BaseDir is the folder relative SQLite paths in Server are
	// relative to.
	BaseDir string
	// CacheDir is the folder of the cache; "" caches nothing.
	CacheDir string
	// OwnTables are retort's own tables (version, history, lock), left
	// out of the reflected schema.
	OwnTables []string
	// Salt is mixed into every cache key: what else changes what the
	// replay does (the -x arguments a Go revision reads, the version
	// table's schema).
	Salt string
	// Protect are databases the replay must not reach (Replayer.Protect):
	// on MySQL the target's and dev_url's.
	Protect []string
	// Program identifies the compiled code of the Go revisions (a hash
	// of the migrations program): a Go revision does what its code does,
	// helpers in other files included, so a state with one applied is
	// cached under the program's identity too. nil, or an error, caches
	// no such state.
	Program func() (string, error)
}

// Provider computes schema states; it is not safe for concurrent use.
type Provider struct {
	opts      Options
	sums      map[string]string // checksum of each revision's file, by id
	scratches int
	model     string // modelShape
	program   string // Options.Program's answer, once asked
	programOK bool
	asked     bool
}

// New returns a Provider for opts.
func New(opts Options) *Provider {
	return &Provider{opts: opts, sums: map[string]string{}, model: modelShape()}
}

// modelShape describes the schema model's types, field by field, as
// part of every cache key: a retort whose model gained or changed a
// field (what reflection records) reads no state an older one cached,
// without a formatVersion bump being remembered.
func modelShape() string { return shapeOf(reflect.TypeOf(schema.Schema{})) }

// shapeOf hashes the fields of struct type root and of the structs it
// holds, through pointers, slices and maps.
func shapeOf(root reflect.Type) string {
	var b strings.Builder
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			if t.Kind() == reflect.Map {
				walk(t.Key())
			}
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		fmt.Fprintf(&b, "%s{", t.String())
		for i := range t.NumField() {
			f := t.Field(i)
			fmt.Fprintf(&b, "%s %s %s;", f.Name, f.Type.String(), f.Tag)
		}
		b.WriteString("}")
		for i := range t.NumField() {
			walk(t.Field(i).Type)
		}
	}
	walk(root)
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:8])
}

// Scratches is the number of scratch databases the Provider has made.
func (p *Provider) Scratches() int { return p.scratches }

// State is what Before found.
type State struct {
	// Before is the schema before each revision whose state is known,
	// by revision id.
	Before map[string]*schema.Schema
	// Notes are info lines on the states not known: the revision whose
	// replay failed, a scratch server that could not be used.
	Notes []string
	// Cached is the number of states read from the cache; Replayed the
	// number of revisions applied on scratch databases.
	Cached, Replayed int
}

// want is the state before one linted revision.
type want struct {
	id      string
	applied map[string]bool // the ancestors of id, id left out
	key     string
}

// Before returns the schema before each revision of ids that the graph
// holds. A revision whose replay fails leaves the states from it on
// unknown, said once in State.Notes; only the context's end is an error.
func (p *Provider) Before(ctx context.Context, ids []string) (*State, error) {
	st := &State{Before: map[string]*schema.Schema{}}
	d := p.opts.Project.Dialect()
	version, err := p.serverVersion(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		st.Notes = append(st.Notes, fmt.Sprintf("no schema state: the scratch server cannot be read (%s)", flat(err)))
		return st, nil
	}
	g := p.opts.Project.Graph()
	var wants []*want
	seen := map[string]bool{}
	for _, id := range ids {
		if g.Info(id) == nil || seen[id] {
			continue
		}
		seen[id] = true
		wants = append(wants, &want{id: id, applied: Ancestors(p.opts.Project, id)})
	}
	// An ancestor has fewer ancestors: this is an order the graph runs.
	slices.SortStableFunc(wants, func(a, b *want) int { return len(a.applied) - len(b.applied) })
	var misses []*want
	for _, w := range wants {
		if w.key, err = p.key(d.Name(), version, w.applied); err != nil {
			st.Notes = append(st.Notes, fmt.Sprintf("no schema state before revision %s: %v", w.id, err))
			continue
		}
		if sc := p.load(w.key); sc != nil {
			st.Before[w.id] = sc
			st.Cached++
			continue
		}
		misses = append(misses, w)
	}
	if len(misses) == 0 {
		return st, nil
	}
	r := NewReplayer(p.opts.Project, p.opts.Server, p.opts.BaseDir)
	r.Protect(p.opts.Protect...)
	defer func() {
		_ = r.Close()
		p.scratches += r.Scratches()
		st.Replayed += r.Replayed()
	}()
	for _, w := range misses {
		if err := r.To(ctx, w.applied); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			st.Notes = append(st.Notes, replayNote(err, w.id))
			return st, nil
		}
		sc, err := p.inspect(ctx, r.DB())
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			st.Notes = append(st.Notes, fmt.Sprintf("schema state unknown before revision %s and after: %v", w.id, err))
			return st, nil
		}
		st.Before[w.id] = sc
		p.store(w.key, sc)
	}
	// The state after the newest revision linted, for the revision
	// written on top of it next. Its failure is no note: it is the
	// revision being linted, and no state was asked after it.
	newest := wants[len(wants)-1]
	after := maps1(newest.applied, newest.id)
	if key, err := p.key(d.Name(), version, after); err == nil && key != "" && p.opts.CacheDir != "" && p.load(key) == nil {
		if r.To(ctx, after) == nil {
			if sc, err := p.inspect(ctx, r.DB()); err == nil {
				p.store(key, sc)
			}
		}
	}
	return st, ctx.Err()
}

// replayNote is the info line on a replay that failed before revision
// before.
func replayNote(err error, before string) string {
	var re *ReplayError
	if errors.As(err, &re) {
		return fmt.Sprintf("schema state unknown from revision %s on: it failed on the scratch database (%v); the rules that need state are skipped for revision %s and those after it",
			re.Failed, oneLine(re.Err), before)
	}
	var se *ScratchError
	if errors.As(err, &se) {
		return fmt.Sprintf("no schema state: cannot make a scratch database (%s)", flat(se.Err))
	}
	return fmt.Sprintf("no schema state before revision %s: %s", before, flat(err))
}

func maps1(set map[string]bool, id string) map[string]bool {
	out := make(map[string]bool, len(set)+1)
	for k := range set {
		out[k] = true
	}
	out[id] = true
	return out
}

// headsOf returns the ids of set that no other id of set descends from.
func headsOf(ancestors func([]string) []string, set []string) []string {
	below := map[string]bool{}
	for _, id := range set {
		if below[id] {
			continue
		}
		for _, a := range ancestors([]string{id}) {
			if a != id {
				below[a] = true
			}
		}
	}
	var out []string
	for _, id := range set {
		if !below[id] {
			out = append(out, id)
		}
	}
	return out
}

// failedRevision is the revision an upgrade error names, else target.
func failedRevision(err error, target string) string {
	var pe *retort.PartialError
	if errors.As(err, &pe) && pe.Failed != "" {
		return pe.Failed
	}
	var se *retort.StmtError
	if errors.As(err, &se) && se.Revision != "" {
		return se.Revision
	}
	var sce *retort.ScriptError
	if errors.As(err, &sce) && sce.Revision != "" {
		return sce.Revision
	}
	return target
}

// oneLine keeps an error's first line: a statement error goes on with
// the statement, which the revision file shows better.
func oneLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// flat is an error's text on one line.
func flat(err error) string {
	var parts []string
	for l := range strings.Lines(err.Error()) {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}

// inspect reflects a scratch database in its normal form.
func (p *Provider) inspect(ctx context.Context, db *scratch.DB) (*schema.Schema, error) {
	sc, err := db.Inspect(ctx, dialect.InspectOptions{OwnTables: p.opts.OwnTables})
	if err != nil {
		return nil, fmt.Errorf("read the scratch database's schema: %w", err)
	}
	if nz := dialect.Probe(db.Dialect).Normalizer; nz != nil {
		return dialect.NormalizeSchema(nz, sc, schema.DefaultNaming())
	}
	return sc, nil
}

// serverVersion is the scratch server's version, part of the cache key:
// another server may reflect the same revisions differently; on MySQL
// with its lower_case_table_names and sql_mode, on PostgreSQL with the
// search_path.
func (p *Provider) serverVersion(ctx context.Context) (string, error) {
	d := p.opts.Project.Dialect()
	sd, err := dburl.Dialect(p.opts.Server)
	if err != nil {
		return "", err
	}
	if sd.Name() != d.Name() {
		return "", fmt.Errorf("it is a %s server and the project's database is %s; point dev_url at a %s server", sd.Name(), d.Name(), d.Name())
	}
	// PostgreSQL: the search_path the URL's options may set decides
	// where unqualified tables are made.
	raw, q := p.opts.Server, "SELECT version() || ' search_path=' || current_setting('search_path')"
	switch d.Name() {
	case "sqlite":
		raw, q = "sqlite:///:memory:", "SELECT sqlite_version()"
	case "mysql":
		// The settings that change what a replay makes are part of it.
		q = "SELECT CONCAT(VERSION(), ' lower_case_table_names=', @@lower_case_table_names, ' sql_mode=', @@sql_mode)"
	}
	db, _, err := dburl.OpenDB(raw, p.opts.BaseDir)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var v sql.NullString
	if err := db.QueryRowContext(ctx, q).Scan(&v); err != nil {
		return "", err
	}
	return d.Name() + " " + v.String, nil
}

// key is the cache key of the state after the revisions applied; ""
// when that state is not cached (a Go revision applied and no
// Options.Program).
func (p *Provider) key(dialectName, version string, applied map[string]bool) (string, error) {
	ids := make([]string, 0, len(applied))
	for id := range applied {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	h := sha256.New()
	fmt.Fprintf(h, "retort lint state %d %s\x00%s\x00%s\x00%s\x00", formatVersion, p.model, dialectName, version, p.opts.Salt)
	goRev := false
	for _, id := range ids {
		sum, err := p.checksum(id, dialectName)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %s\n", id, sum)
		if sc := p.opts.Project.Script(id); sc != nil && sc.Format == "go" {
			goRev = true
		}
	}
	if goRev {
		program, ok := p.programID()
		if !ok {
			return "", nil // not cached
		}
		fmt.Fprintf(h, "program %s\n", program)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// programID is Options.Program's answer, asked once; ok is false
// without one.
func (p *Provider) programID() (string, bool) {
	if !p.asked {
		p.asked = true
		if p.opts.Program != nil {
			id, err := p.opts.Program()
			p.program, p.programOK = id, err == nil && id != ""
		}
	}
	return p.program, p.programOK
}

// checksum is the checksum of revision id's file as dialect runs it.
func (p *Provider) checksum(id, dialectName string) (string, error) {
	if s, ok := p.sums[id]; ok {
		return s, nil
	}
	sc := p.opts.Project.Script(id)
	if sc == nil {
		return "", fmt.Errorf("revision %s has no file", id)
	}
	body, err := sc.Body()
	if err != nil {
		return "", err
	}
	sum := body.For(dialectName).Checksum
	s := hex.EncodeToString(sum[:])
	p.sums[id] = s
	return s, nil
}

// entry is a cache file: the key it was stored under, checked when
// read, and the schema in schemafmt's JSON form.
type entry struct {
	Version int             `json:"version"`
	Key     string          `json:"key"`
	Schema  json.RawMessage `json:"schema"`
}

func (p *Provider) path(key string) string {
	return filepath.Join(p.opts.CacheDir, key[:2], key+".json")
}

// load returns the state cached under key, or nil: none, or an entry
// that does not read (it is then rewritten after the replay).
func (p *Provider) load(key string) *schema.Schema {
	if p.opts.CacheDir == "" || key == "" {
		return nil
	}
	b, err := os.ReadFile(p.path(key))
	if err != nil {
		return nil
	}
	var e entry
	if err := json.Unmarshal(b, &e); err != nil || e.Version != formatVersion || e.Key != key {
		return nil
	}
	sc, err := schemafmt.DecodeJSON(bytes.NewReader(e.Schema))
	if err != nil {
		return nil
	}
	return sc
}

// store caches sc under key. A cache that cannot be written only costs
// the replay next time: it is no error.
func (p *Provider) store(key string, sc *schema.Schema) {
	if p.opts.CacheDir == "" || key == "" {
		return
	}
	js, err := schemafmt.EncodeJSON(sc)
	if err != nil {
		return
	}
	b, err := json.Marshal(entry{Version: formatVersion, Key: key, Schema: js})
	if err != nil {
		return
	}
	_ = writeAtomic(p.path(key), b)
}

// writeAtomic writes b to name through a temporary file renamed over it,
// so that a reader never sees half an entry.
func writeAtomic(name string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), name); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}
