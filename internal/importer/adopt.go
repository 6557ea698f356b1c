package importer

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/retortdb/retort/dialect"
)

// AdoptTools are the tools whose table `retort adopt --from TOOL` reads:
// the tools import reads, and alembic, whose revision ids are kept as
// they are.
func AdoptTools() []string {
	return append([]string{"alembic"}, Tools()...)
}

// DefaultTable is the name of the table in which tool records what it
// applied, when the tool is not told another one; "" for an unknown tool.
func DefaultTable(tool string) string {
	switch tool {
	case "alembic":
		return "alembic_version"
	case "goose":
		return "goose_db_version"
	case "golang-migrate", "dbmate":
		return "schema_migrations"
	case "flyway":
		return "flyway_schema_history"
	}
	return ""
}

// Applied is what a source tool's table says a database has applied.
type Applied struct {
	Tool  string
	Table string // as given, for messages
	// Versions are the applied versions as the table writes them, in
	// ascending order of the tool's versions (Alembic: the table's rows,
	// sorted), each with the revision id import gives it.
	Versions []AppliedVersion
	// UpTo is set for a tool that records only the version a database
	// is at (golang-migrate) or a baseline (Flyway): every revision of a
	// version at or below it counts as applied. Compare with Below.
	UpTo string
}

// AppliedVersion is one applied version and the id of its revision.
type AppliedVersion struct {
	Version string
	ID      string
}

// ReadApplied reads the table of tool on q: which versions it says the
// database has applied. A missing table, a dirty database (golang-migrate)
// and a failed migration (Flyway) are an *Error that says what to do.
// It only reads.
func ReadApplied(ctx context.Context, q dialect.Querier, d dialect.Dialect, tool string, t dialect.Table) (*Applied, error) {
	ok, err := d.TableExists(ctx, q, t)
	if err != nil {
		return nil, fmt.Errorf("look for %s's table %s: %w", tool, t, err)
	}
	if !ok {
		return nil, &Error{Msg: fmt.Sprintf("table %s does not exist: this database has no %s history to adopt", t, tool),
			Hint: "check the database URL, or name the table with --table (the tool may be configured with another one)"}
	}
	cols, err := d.Columns(ctx, q, t)
	if err != nil {
		return nil, fmt.Errorf("read the columns of %s: %w", t, err)
	}
	a := &Applied{Tool: tool, Table: t.String()}
	switch tool {
	case "alembic":
		err = readAlembicTable(ctx, q, d, t, a)
	case "goose":
		err = readGooseTable(ctx, q, d, t, a)
	case "golang-migrate":
		err = readMigrateTable(ctx, q, d, t, a)
	case "dbmate":
		if slices.Contains(cols, "dirty") {
			return nil, &Error{Msg: fmt.Sprintf("table %s has a dirty column: it is golang-migrate's table, not dbmate's", t),
				Hint: "run `retort adopt --from golang-migrate`"}
		}
		err = readDbmateTable(ctx, q, d, t, a)
	case "flyway":
		err = readFlywayTable(ctx, q, d, t, a)
	default:
		return nil, fmt.Errorf("unknown tool %q (known: %s)", tool, strings.Join(AdoptTools(), ", "))
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

func queryErr(t dialect.Table, err error) error {
	return fmt.Errorf("read table %s: %w", t, err)
}

func readAlembicTable(ctx context.Context, q dialect.Querier, d dialect.Dialect, t dialect.Table, a *Applied) error {
	rows, err := q.QueryContext(ctx, "SELECT "+d.QuoteIdent("version_num")+" FROM "+d.QuoteTable(t))
	if err != nil {
		return queryErr(t, err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return queryErr(t, err)
		}
		a.Versions = append(a.Versions, AppliedVersion{Version: v, ID: v})
	}
	if err := rows.Err(); err != nil {
		return queryErr(t, err)
	}
	slices.SortFunc(a.Versions, func(x, y AppliedVersion) int { return strings.Compare(x.Version, y.Version) })
	return nil
}

// readGooseTable: goose inserts a row per up (is_applied true) and, in
// older versions, per down (is_applied false; newer ones delete the
// row). A version is applied when its latest row is. Version 0 is the
// row goose writes when it creates the table.
func readGooseTable(ctx context.Context, q dialect.Querier, d dialect.Dialect, t dialect.Table, a *Applied) error {
	rows, err := q.QueryContext(ctx, "SELECT "+d.QuoteIdent("version_id")+", "+d.QuoteIdent("is_applied")+" FROM "+d.QuoteTable(t)+
		" ORDER BY "+d.QuoteIdent("id"))
	if err != nil {
		return queryErr(t, err)
	}
	defer rows.Close()
	latest := map[int64]bool{}
	for rows.Next() {
		var v int64
		var applied bool
		if err := rows.Scan(&v, &applied); err != nil {
			return queryErr(t, err)
		}
		latest[v] = applied
	}
	if err := rows.Err(); err != nil {
		return queryErr(t, err)
	}
	var vs []int64
	for v, ok := range latest {
		if ok && v != 0 {
			vs = append(vs, v)
		}
	}
	slices.Sort(vs)
	for _, v := range vs {
		s := strconv.FormatInt(v, 10)
		a.Versions = append(a.Versions, AppliedVersion{Version: s, ID: ID("goose", s)})
	}
	return nil
}

// readMigrateTable: golang-migrate keeps one row, the version the
// database is at and whether the migration to it failed half-way.
func readMigrateTable(ctx context.Context, q dialect.Querier, d dialect.Dialect, t dialect.Table, a *Applied) error {
	rows, err := q.QueryContext(ctx, "SELECT "+d.QuoteIdent("version")+", "+d.QuoteIdent("dirty")+" FROM "+d.QuoteTable(t))
	if err != nil {
		return queryErr(t, err)
	}
	defer rows.Close()
	n := 0
	var v int64
	var dirty bool
	for rows.Next() {
		if err := rows.Scan(&v, &dirty); err != nil {
			return queryErr(t, err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return queryErr(t, err)
	}
	switch {
	case n > 1:
		return &Error{Msg: fmt.Sprintf("table %s has %d rows; golang-migrate keeps one", t, n),
			Hint: "check the table: golang-migrate's own commands refuse it too"}
	case n == 0 || v < 0:
		return nil // nothing applied (golang-migrate's nil version)
	case dirty:
		return &Error{Msg: fmt.Sprintf("table %s says dirty at version %d: the migration to it failed half-way", t, v),
			Hint: fmt.Sprintf("repair the database by hand, then `migrate force V` to the version it is at (%d if its migration completed, the one before otherwise), and adopt again", v)}
	}
	s := strconv.FormatInt(v, 10)
	a.UpTo = s
	a.Versions = []AppliedVersion{{Version: s, ID: ID("golang-migrate", s)}}
	return nil
}

// readDbmateTable: dbmate keeps one row per applied version, the
// digits of the file name as written.
func readDbmateTable(ctx context.Context, q dialect.Querier, d dialect.Dialect, t dialect.Table, a *Applied) error {
	rows, err := q.QueryContext(ctx, "SELECT "+d.QuoteIdent("version")+" FROM "+d.QuoteTable(t))
	if err != nil {
		return queryErr(t, err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return queryErr(t, err)
		}
		a.Versions = append(a.Versions, AppliedVersion{Version: v, ID: ID("dbmate", v)})
	}
	if err := rows.Err(); err != nil {
		return queryErr(t, err)
	}
	slices.SortFunc(a.Versions, func(x, y AppliedVersion) int { return compareDigits(x.Version, y.Version) })
	return nil
}

// readFlywayTable reads Flyway's history in installed_rank order: a
// versioned migration (SQL, JDBC, ...) applies its version, an undo or a
// DELETE row (repair) takes it back, a BASELINE row (flyway baseline) or
// a baseline migration's (SQL_BASELINE) marks every version up to its
// own as applied; repeatable migrations (no version) and the
// schema-creation row are not revisions. A row with success false is a
// failed migration.
func readFlywayTable(ctx context.Context, q dialect.Querier, d dialect.Dialect, t dialect.Table, a *Applied) error {
	rows, err := q.QueryContext(ctx, "SELECT "+d.QuoteIdent("version")+", "+d.QuoteIdent("type")+", "+d.QuoteIdent("script")+", "+
		d.QuoteIdent("success")+" FROM "+d.QuoteTable(t)+" ORDER BY "+d.QuoteIdent("installed_rank"))
	if err != nil {
		return queryErr(t, err)
	}
	defer rows.Close()
	applied := map[string]string{} // canonical → version as written
	var baseline []string
	for rows.Next() {
		var version *string
		var typ, scriptName string
		var success bool
		if err := rows.Scan(&version, &typ, &scriptName, &success); err != nil {
			return queryErr(t, err)
		}
		v := ""
		if version != nil {
			v = *version
		}
		if !success {
			what := scriptName
			if v != "" {
				what = "version " + v + " (" + scriptName + ")"
			}
			return &Error{Msg: fmt.Sprintf("table %s records a failed migration: %s", t, what),
				Hint: "repair the database by hand and run `flyway repair`, then adopt again"}
		}
		typ = strings.ToUpper(typ)
		if v == "" || typ == "SCHEMA" {
			continue
		}
		parts, ok := flywayVersion(v)
		if !ok {
			return &Error{Msg: fmt.Sprintf("table %s: version %q is not a Flyway version", t, v)}
		}
		canon := strings.Join(parts, ".")
		switch {
		case typ == "BASELINE" || strings.HasSuffix(typ, "_BASELINE"):
			// flyway baseline, or a baseline migration (B5__x.sql, type
			// SQL_BASELINE) that Flyway ran instead of the versions up
			// to its own on a new database.
			baseline = parts
		case typ == "DELETE" || strings.HasPrefix(typ, "UNDO"):
			delete(applied, canon)
		default:
			applied[canon] = v
		}
	}
	if err := rows.Err(); err != nil {
		return queryErr(t, err)
	}
	var canons []string
	for c := range applied {
		canons = append(canons, c)
	}
	slices.SortFunc(canons, func(x, y string) int { return compareFlyway(strings.Split(x, "."), strings.Split(y, ".")) })
	if baseline != nil {
		a.UpTo = strings.Join(baseline, ".")
	}
	for _, c := range canons {
		a.Versions = append(a.Versions, AppliedVersion{Version: applied[c], ID: ID("flyway", c)})
	}
	return nil
}

// Below reports whether the source version v (as written in a file
// name or the table) is at or below a.UpTo in the tool's order; false
// when a has no UpTo.
func (a *Applied) Below(v string) bool {
	if a.UpTo == "" {
		return false
	}
	if a.Tool == "flyway" {
		x, ok1 := flywayVersion(v)
		y, ok2 := flywayVersion(a.UpTo)
		return ok1 && ok2 && compareFlyway(x, y) <= 0
	}
	return compareDigits(v, a.UpTo) <= 0
}

// SourceVersion is the source version that import wrote in a revision
// file's "-- imported from TOOL: FILE (version V)" comment, or a Go
// skeleton's "// retort import: a Go revision skeleton of TOOL FILE
// (version V)", and the tool; "" when the file has none.
func SourceVersion(text string) (tool, version string) {
	for l := range strings.SplitSeq(text, "\n") {
		l = strings.TrimSpace(l)
		rest, ok := strings.CutPrefix(l, "-- imported from ")
		sep := ": "
		if !ok {
			rest, ok = strings.CutPrefix(l, skeletonMark)
			sep = " "
		}
		if !ok {
			continue
		}
		tool, rest, ok = strings.Cut(rest, sep)
		if !ok {
			return "", ""
		}
		i := strings.LastIndex(rest, "(version ")
		if i < 0 || !strings.HasSuffix(rest, ")") {
			return "", ""
		}
		return tool, rest[i+len("(version ") : len(rest)-1]
	}
	return "", ""
}

// ProjectRevision is a revision of the project with the tool and source
// version its file says it was imported from ("" when it was not).
type ProjectRevision struct {
	ID, Tool, Version string
	// Path is the revision's file, and Unwritten says it is still an
	// import's Go revision skeleton that fails until written.
	Path      string
	Unwritten bool
}

// AdoptPlan is the stamp that puts a database at what its source tool's
// table says.
type AdoptPlan struct {
	Heads       []string // the revisions to stamp; none when nothing is applied
	HeadVersion string   // the source version of the newest applied revision ("" for none, or for Alembic)
	Applied     []string // every revision the database has applied, in file order
}

// PlanAdopt maps what the table says (a) to the project's revisions
// (revs, in file order): an applied version that no revision has, and a
// version applied above one that is not (out of order; retort's history
// of one line cannot hold a hole), are an *Error. ancestors is the
// graph's Ancestors: the revisions at or below heads.
//
// An applied revision that is still an unwritten Go revision skeleton is
// an *Error too: adopt records the checksum of every applied revision's
// file, and the skeleton written afterwards would read as changed.
func PlanAdopt(a *Applied, revs []ProjectRevision, ancestors func(heads []string) []string) (*AdoptPlan, error) {
	plan, err := planAdopt(a, revs, ancestors)
	if err != nil {
		return nil, err
	}
	for _, r := range revs {
		if r.Unwritten && slices.Contains(plan.Applied, r.ID) {
			what := "revision " + r.ID
			if r.Version != "" {
				what = fmt.Sprintf("revision %s (%s version %s)", r.ID, r.Tool, r.Version)
			}
			return nil, &Error{Path: r.Path, Msg: fmt.Sprintf("%s is applied on this database but is still a Go revision skeleton to write", what),
				Hint: "write its Upgrade and Downgrade from the source it holds as a comment (this database ran it already; fresh databases will run what you write), then adopt again: adopt records the checksum of each applied revision's file, and one written afterwards would read as changed to `retort verify`"}
		}
	}
	return plan, nil
}

func planAdopt(a *Applied, revs []ProjectRevision, ancestors func(heads []string) []string) (*AdoptPlan, error) {
	byID := map[string]ProjectRevision{}
	for _, r := range revs {
		byID[r.ID] = r
	}
	applied := map[string]bool{}
	for _, v := range a.Versions {
		if _, ok := byID[v.ID]; !ok {
			if a.Tool == "alembic" {
				return nil, &Error{Msg: fmt.Sprintf("table %s says revision %s is applied, but the project has no revision %s", a.Table, v.Version, v.ID),
					Hint: "bring over the Alembic revisions with their ids (one SQL revision per Alembic revision, `retort revision --rev-id ID`), then adopt again"}
			}
			return nil, &Error{Msg: fmt.Sprintf("table %s says version %s is applied, but no revision of the project has it (revision %s of %s)", a.Table, v.Version, v.ID, a.Tool),
				Hint: fmt.Sprintf("import the folder this database was migrated from (`retort import %s SOURCE_DIR`, --force to import again), then adopt again", a.Tool)}
		}
		applied[v.ID] = true
	}
	if a.Tool == "alembic" {
		var heads []string
		for _, v := range a.Versions {
			heads = append(heads, v.ID)
		}
		return &AdoptPlan{Heads: heads, Applied: ancestors(heads)}, nil
	}
	for _, r := range revs {
		if r.Tool == a.Tool && r.Version != "" && a.Below(r.Version) {
			applied[r.ID] = true
		}
	}
	if len(applied) == 0 {
		return &AdoptPlan{}, nil
	}
	// The head is the applied revision with the most ancestors; in one
	// line, every other applied revision is one of them.
	var head string
	var below []string
	for _, r := range revs {
		if !applied[r.ID] {
			continue
		}
		if anc := ancestors([]string{r.ID}); len(anc) > len(below) {
			head, below = r.ID, anc
		}
	}
	inTable := map[string]string{}
	for _, v := range a.Versions {
		inTable[v.ID] = v.Version
	}
	version := func(id string) string {
		if v := inTable[id]; v != "" {
			return v // as the table writes it
		}
		if v := byID[id].Version; v != "" {
			return tableSpelling(a.Tool, v)
		}
		return "of revision " + id
	}
	for _, r := range revs {
		if applied[r.ID] && !slices.Contains(below, r.ID) {
			return nil, &Error{Msg: fmt.Sprintf("table %s says versions %s and %s are applied, but their revisions are on different branches", a.Table, version(head), version(r.ID)),
				Hint: "adopt a project whose revisions form one line, as import writes them"}
		}
	}
	for _, id := range below {
		if !applied[id] {
			return nil, &Error{Msg: fmt.Sprintf("table %s says version %s is applied but version %s, before it, is not (applied out of order)", a.Table, version(head), version(id)),
				Hint: fmt.Sprintf("retort's history is one line without holes: apply version %s with %s first (or take version %s back), then adopt again", version(id), a.Tool, version(head))}
		}
	}
	return &AdoptPlan{Heads: []string{head}, HeadVersion: version(head), Applied: below}, nil
}

// tableSpelling is a file name's version as the tool's table writes it:
// a number for goose and golang-migrate, dotted for Flyway.
func tableSpelling(tool, v string) string {
	switch tool {
	case "goose", "golang-migrate":
		return trimZeros(v)
	case "flyway":
		if parts, ok := flywayVersion(v); ok {
			return strings.Join(parts, ".")
		}
	}
	return v
}

// SkeletonUnwritten is the start of the error an import's Go revision
// skeleton returns until it is written.
const SkeletonUnwritten = "not written yet: a skeleton imported from "

// Unwritten reports whether a revision file's text is an import's Go
// revision skeleton that still fails until written.
func Unwritten(text string) bool {
	return strings.Contains(text, SkeletonUnwritten)
}
