package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // timezone names validate the same on every host

	"github.com/BurntSushi/toml"

	"github.com/retortdb/retort/internal/textdist"
	"github.com/retortdb/retort/lint/serverversion"
)

// FileName is the name of the configuration file.
const FileName = "retort.toml"

// Defaults of the retort.toml keys.
const (
	DefaultScriptLocation     = "migrations"
	DefaultVersionTable       = "retort_version"
	DefaultFileTemplate       = "%(year)d%(month).2d%(day).2d_%(hour).2d%(minute).2d_%(rev)s_%(slug)s"
	DefaultTruncateSlugLength = 40
	DefaultRevisionFormat     = "sql"
	DefaultHistoryTable       = "retort_history"
	DefaultTransactionPer     = "migration"
	DefaultLock               = "auto"
	DefaultLockTable          = "retort_lock"
)

// Config is a project's configuration: retort.toml with its defaults filled
// in and its paths made absolute.
//
// A field with a toml tag is a key of retort.toml; its default is set in
// Default.
type Config struct {
	// Path is the absolute path of the retort.toml read ("" when none).
	Path string `toml:"-"`
	// Dir is the absolute project folder, the one that holds retort.toml.
	Dir string `toml:"-"`

	// ScriptLocation is the absolute folder of the revision files.
	ScriptLocation string `toml:"script_location"`
	// VersionLocations are more folders of revision files, absolute.
	VersionLocations []string `toml:"version_locations"`
	// URL is the database URL of the file, unparsed ("" when not set).
	// Use ResolveURL: a flag or environment variable takes precedence.
	URL string `toml:"url"`
	// VersionTable is the table that records the applied revisions.
	VersionTable string `toml:"version_table"`
	// VersionTableSchema is the schema of VersionTable (PostgreSQL only;
	// "" means the search_path).
	VersionTableSchema string `toml:"version_table_schema"`
	// FileTemplate names new revision files (Alembic's tokens).
	FileTemplate string `toml:"file_template"`
	// Timezone is the IANA zone of the dates of new revisions; "" is UTC.
	Timezone string `toml:"timezone"`
	// TruncateSlugLength is the longest slug in a new file name.
	TruncateSlugLength int `toml:"truncate_slug_length"`
	// RevisionFormat is the format of new revisions: "sql" or "go".
	RevisionFormat string `toml:"revision_format"`
	// HistoryTable records every applied step, with its file's checksum.
	HistoryTable string `toml:"history_table"`
	// TransactionPer is "migration" (each revision in its own transaction)
	// or "run" (the whole run in one; PostgreSQL and SQLite).
	TransactionPer string `toml:"transaction_per"`
	// Lock is how concurrent runs lock each other out: "auto" (the
	// database's own lock: a PostgreSQL advisory lock, MySQL GET_LOCK,
	// SQLite's write transaction) or "lease" (a row in LockTable with an
	// expiry kept by a heartbeat; for PostgreSQL behind PgBouncer in
	// transaction pooling mode, where advisory locks do not work).
	Lock string `toml:"lock"`
	// LockTable holds the lease of lock = "lease", next to VersionTable.
	LockTable string `toml:"lock_table"`
	// LockTimeout bounds how long each statement of a revision waits for
	// a lock another session holds (PostgreSQL's lock_timeout, MySQL's
	// lock_wait_timeout): a Go duration such as "5s"; "" leaves the
	// database's setting. Timeouts parses it. Not the wait for another
	// runner's migration lock (the --lock-timeout flag).
	LockTimeout string `toml:"lock_timeout"`
	// StatementTimeout bounds how long each statement of a revision runs
	// (PostgreSQL's statement_timeout, MariaDB's max_statement_time,
	// MySQL's max_execution_time); "" leaves the database's setting.
	StatementTimeout string `toml:"statement_timeout"`

	// Desired are the desired-state SQL files of autogenerate and check:
	// glob patterns (path.Match syntax per element), relative to Dir,
	// read in order, each pattern's matches sorted by name.
	Desired []string `toml:"desired"`
	// DevURL is the server where autogenerate and check make their
	// scratch database; "" is the target database's server.
	DevURL string `toml:"dev_url"`
	// IncludeSchemas are the schemas autogenerate compares (PostgreSQL);
	// empty is the connection's default schema.
	IncludeSchemas []string `toml:"include_schemas"`
	// IncludeTables and ExcludeTables filter the tables autogenerate
	// compares by name (glob patterns; "schema.name" matches a qualified
	// name). Empty IncludeTables includes every table.
	IncludeTables []string `toml:"include_tables"`
	ExcludeTables []string `toml:"exclude_tables"`

	// LintOnUpgrade makes upgrade (online and --sql) lint the revisions
	// it is about to apply first, as retort lint does for the database's
	// dialect: an error finding refuses the upgrade before anything runs;
	// warnings are shown and do not block.
	LintOnUpgrade bool `toml:"lint_on_upgrade"`

	// Lint is the [lint] table: settings of retort lint.
	Lint Lint `toml:"lint"`

	// Fleet is the [fleet] table: named groups of tenants of retort
	// fleet --group.
	Fleet Fleet `toml:"fleet"`
}

// Lint is the [lint] table of retort.toml.
type Lint struct {
	// Rules sets a rule's severity by its code ([lint.rules] RT301 =
	// "warning"): "off", "info", "warning" or "error". The codes are
	// checked by retort lint, which knows its rules.
	Rules map[string]string `toml:"rules"`
	// ServerVersion is the server the revisions run on, for the rules
	// that hold on some versions only: "postgresql 15", "mysql 8.0.36",
	// "mariadb 10.11", "sqlite 3.40". When lint connects to a configured
	// database, that server's own version wins.
	ServerVersion string `toml:"server_version"`
	// Naming is [lint.naming]: a regular expression (Go syntax, RE2) per
	// kind of object name, for rule RT808 naming-convention (off until
	// [lint.rules] enables it). The kinds are NamingKinds; a kind not set
	// keeps lint's default convention.
	Naming map[string]string `toml:"naming"`
}

// namingKinds are the keys of [lint.naming], the kinds of object names
// RT808 checks.
var namingKinds = []string{"schema", "table", "column", "index", "primary_key", "foreign_key", "unique", "check"}

// NamingKinds returns the keys [lint.naming] accepts.
func NamingKinds() []string { return slices.Clone(namingKinds) }

// DesiredFiles expands Desired: the absolute paths of the desired-state
// SQL files, pattern by pattern, each pattern's matches sorted, a file
// named twice read once. A pattern that matches no file is an error
// naming it.
func (c *Config) DesiredFiles() ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, pat := range c.Desired {
		abs := pat
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(c.Dir, pat)
		}
		matches, err := filepath.Glob(abs)
		if err != nil {
			return nil, &Error{Path: c.Path, Msg: fmt.Sprintf("desired pattern %q: %v", pat, err), Hint: "use * ? and [...] as in a shell"}
		}
		var files []string
		for _, m := range matches {
			if st, err := os.Stat(m); err == nil && !st.IsDir() {
				files = append(files, m)
			}
		}
		if len(files) == 0 {
			return nil, &Error{Path: c.Path, Msg: fmt.Sprintf("desired pattern %q matches no file", pat),
				Hint: "desired names the desired-state SQL files relative to retort.toml's folder (for example desired = [\"schema/*.sql\"])"}
		}
		sort.Strings(files)
		for _, f := range files {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// Default returns the configuration of a project folder without retort.toml.
// dir is made absolute (relative to the current folder).
func Default(dir string) *Config {
	dir = absPath(dir)
	return &Config{
		Dir:                dir,
		ScriptLocation:     filepath.Join(dir, DefaultScriptLocation),
		VersionLocations:   nil,
		URL:                "",
		VersionTable:       DefaultVersionTable,
		VersionTableSchema: "",
		FileTemplate:       DefaultFileTemplate,
		Timezone:           "",
		TruncateSlugLength: DefaultTruncateSlugLength,
		RevisionFormat:     DefaultRevisionFormat,
		HistoryTable:       DefaultHistoryTable,
		TransactionPer:     DefaultTransactionPer,
		Lock:               DefaultLock,
		LockTable:          DefaultLockTable,
	}
}

// ParseTimeout reads the value v of the timeout key (lock_timeout,
// statement_timeout, or a flag named so): a Go duration, "5s", "500ms",
// "1m30s"; "" and "0" are none. It returns what is wrong, or "".
func ParseTimeout(key, v string) (time.Duration, string) {
	if strings.TrimSpace(v) == "" {
		return 0, ""
	}
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil {
		return 0, fmt.Sprintf("%s %q is not a duration: give a number with a unit, such as \"5s\", \"500ms\" or \"1m30s\"", key, v)
	}
	if d < 0 {
		return 0, fmt.Sprintf("%s %q is negative: give a positive duration such as \"5s\", or remove the key to leave the database's setting", key, v)
	}
	return d, ""
}

// Timeouts returns LockTimeout and StatementTimeout as durations (0 for
// none). Load has checked them.
func (c *Config) Timeouts() (lock, statement time.Duration) {
	lock, _ = ParseTimeout("lock_timeout", c.LockTimeout)
	statement, _ = ParseTimeout("statement_timeout", c.StatementTimeout)
	return lock, statement
}

// Location returns the time zone of Timezone: UTC when it is empty.
func (c *Config) Location() (*time.Location, error) {
	if c.Timezone == "" {
		return time.UTC, nil
	}
	return time.LoadLocation(c.Timezone)
}

// validators check the value of a key after decoding; each returns "" or
// what is wrong. Keys without an entry take any value of their type.
var validators = map[string]func(c *Config) string{
	"script_location": func(c *Config) string {
		if strings.TrimSpace(c.ScriptLocation) == "" {
			return "script_location must not be empty"
		}
		return ""
	},
	"version_locations": func(c *Config) string {
		for i, l := range c.VersionLocations {
			if strings.TrimSpace(l) == "" {
				return fmt.Sprintf("version_locations[%d] must not be empty", i)
			}
		}
		return ""
	},
	"version_table": func(c *Config) string {
		if strings.TrimSpace(c.VersionTable) == "" {
			return "version_table must not be empty"
		}
		return ""
	},
	"history_table": func(c *Config) string {
		if strings.TrimSpace(c.HistoryTable) == "" {
			return "history_table must not be empty"
		}
		if c.HistoryTable == c.VersionTable {
			return "history_table must differ from version_table"
		}
		return ""
	},
	"transaction_per": func(c *Config) string {
		if c.TransactionPer != "migration" && c.TransactionPer != "run" {
			return fmt.Sprintf("transaction_per %q: use \"migration\" or \"run\"", c.TransactionPer)
		}
		return ""
	},
	"lock": func(c *Config) string {
		if c.Lock != "auto" && c.Lock != "lease" {
			return fmt.Sprintf("lock %q: use \"auto\" (the database's own lock) or \"lease\" (a lease row in lock_table, for PgBouncer in transaction pooling mode)", c.Lock)
		}
		return ""
	},
	"lock_table": func(c *Config) string {
		if strings.TrimSpace(c.LockTable) == "" {
			return "lock_table must not be empty"
		}
		if c.LockTable == c.VersionTable || c.LockTable == c.HistoryTable {
			return "lock_table must differ from version_table and history_table"
		}
		return ""
	},
	"lock_timeout":      func(c *Config) string { _, msg := ParseTimeout("lock_timeout", c.LockTimeout); return msg },
	"statement_timeout": func(c *Config) string { _, msg := ParseTimeout("statement_timeout", c.StatementTimeout); return msg },
	"file_template": func(c *Config) string {
		if strings.TrimSpace(c.FileTemplate) == "" {
			return "file_template must not be empty"
		}
		return ""
	},
	"timezone": func(c *Config) string {
		if c.Timezone == "" {
			return ""
		}
		if _, err := time.LoadLocation(c.Timezone); err != nil {
			return fmt.Sprintf("timezone %q is not a known time zone: use an IANA name such as \"Europe/Paris\" or \"America/New_York\", or remove the key for UTC", c.Timezone)
		}
		return ""
	},
	"truncate_slug_length": func(c *Config) string {
		if c.TruncateSlugLength <= 0 {
			return fmt.Sprintf("truncate_slug_length must be greater than 0, not %d", c.TruncateSlugLength)
		}
		return ""
	},
	"desired": func(c *Config) string {
		for i, d := range c.Desired {
			if strings.TrimSpace(d) == "" {
				return fmt.Sprintf("desired[%d] must not be empty", i)
			}
			if _, err := filepath.Match(d, ""); err != nil {
				return fmt.Sprintf("desired[%d] %q is not a valid pattern", i, d)
			}
		}
		return ""
	},
	"dev_url": func(c *Config) string {
		if strings.TrimSpace(c.DevURL) == "" {
			return "dev_url must not be empty (remove the key to use the target database's server)"
		}
		if _, err := ParseURL(c.DevURL, c.Dir); err != nil {
			return "dev_url: " + err.Error()
		}
		return ""
	},
	"include_tables": func(c *Config) string { return checkPatterns("include_tables", c.IncludeTables) },
	"exclude_tables": func(c *Config) string { return checkPatterns("exclude_tables", c.ExcludeTables) },
	"include_schemas": func(c *Config) string {
		for i, s := range c.IncludeSchemas {
			if strings.TrimSpace(s) == "" {
				return fmt.Sprintf("include_schemas[%d] must not be empty", i)
			}
		}
		return ""
	},
	"lint": func(c *Config) string {
		for _, code := range slices.Sorted(maps.Keys(c.Lint.Rules)) {
			switch v := c.Lint.Rules[code]; v {
			case "off", "info", "warning", "error":
			default:
				return fmt.Sprintf("[lint.rules] %s = %q: use \"off\", \"info\", \"warning\" or \"error\"", code, v)
			}
		}
		if c.Lint.ServerVersion != "" {
			if _, err := serverversion.Parse(c.Lint.ServerVersion); err != nil {
				return "[lint] server_version: " + err.Error()
			}
		}
		for _, kind := range slices.Sorted(maps.Keys(c.Lint.Naming)) {
			if !slices.Contains(namingKinds, kind) {
				return fmt.Sprintf("[lint.naming] %s is no kind of name: use %s", kind, strings.Join(namingKinds, ", "))
			}
			if _, err := regexp.Compile(c.Lint.Naming[kind]); err != nil {
				return fmt.Sprintf("[lint.naming] %s = %q is not a regular expression: %v", kind, c.Lint.Naming[kind], err)
			}
		}
		return ""
	},
	"fleet": checkFleet,
	"revision_format": func(c *Config) string {
		if c.RevisionFormat != "sql" && c.RevisionFormat != "go" {
			return fmt.Sprintf("revision_format must be \"sql\" or \"go\", not %q", c.RevisionFormat)
		}
		return ""
	},
}

// checkPatterns checks a key's glob patterns.
func checkPatterns(key string, pats []string) string {
	for i, p := range pats {
		if strings.TrimSpace(p) == "" {
			return fmt.Sprintf("%s[%d] must not be empty", key, i)
		}
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Sprintf("%s[%d] %q is not a valid pattern", key, i, p)
		}
	}
	return ""
}

// key is a retort.toml key: its name and where its value lives in Config.
type key struct {
	name  string
	index int
}

// keys are the retort.toml keys, in the order of Config's fields.
var keys = func() []key {
	var ks []key
	t := reflect.TypeFor[Config]()
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ",")
		if name != "" && name != "-" {
			ks = append(ks, key{name: name, index: i})
		}
	}
	return ks
}()

// Keys returns the names of the retort.toml keys.
func Keys() []string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.name
	}
	return names
}

func lookupKey(name string) (key, bool) {
	for _, k := range keys {
		if k.name == name {
			return k, true
		}
	}
	return key{}, false
}

// ErrNotFound is the cause (errors.Is) of the error of Find, and of Load,
// when there is no retort.toml.
var ErrNotFound = errors.New("retort.toml not found")

const notFoundHint = "run `retort init` to create one, or pass -c FILE"

// Find returns the absolute path of the retort.toml in dir. It does not look
// in parent folders (like alembic.ini, retort.toml is found in the current
// folder only; `retort -C DIR` changes the folder). When there is none the
// error is an *Error that wraps ErrNotFound.
func Find(dir string) (string, error) {
	dir = absPath(dir)
	path := filepath.Join(dir, FileName)
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return "", &Error{Path: path, Msg: "is a folder, not a file", Hint: "remove or rename it, or pass -c FILE"}
	case err == nil:
		return path, nil
	case errors.Is(err, fs.ErrNotExist):
		return "", &Error{Msg: fmt.Sprintf("no %s in %s (parent folders are not searched)", FileName, dir),
			Hint: notFoundHint, Err: ErrNotFound}
	default:
		return "", &Error{Path: path, Msg: pathErrText(err), Err: err}
	}
}

// Load reads and checks a retort.toml. Relative paths in it are made
// absolute against its folder. Every error is an *Error; one for a missing
// file wraps ErrNotFound.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &Error{Path: path, Msg: "no such file", Hint: notFoundHint, Err: ErrNotFound}
		}
		return nil, &Error{Path: path, Msg: pathErrText(err), Err: err}
	}
	return parse(path, data)
}

// parse decodes the text of a retort.toml; path is as the user gave it and
// is used in errors.
func parse(path string, data []byte) (*Config, error) {
	abs := absPath(path)
	cfg := Default(filepath.Dir(abs))
	cfg.Path = abs
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // a BOM from a Windows editor
	text := string(data)

	var top map[string]toml.Primitive
	md, err := toml.Decode(text, &top)
	if err != nil {
		return nil, syntaxError(path, text, err)
	}

	var errs []*Error
	fail := func(line int, msg, hint string) {
		errs = append(errs, &Error{Path: path, Line: line, Msg: msg, Hint: hint})
	}
	// The keys in document order; a dotted key or a table introduces its
	// first part.
	var present []string
	seen := map[string]bool{}
	for _, k := range md.Keys() {
		if !seen[k[0]] {
			seen[k[0]] = true
			present = append(present, k[0])
		}
	}
	rv := reflect.ValueOf(cfg).Elem()
	for _, name := range present {
		line := keyLine(&md, top[name], text, name)
		k, ok := lookupKey(name)
		if !ok {
			fail(line, unknownKeyMsg(name), "the keys of "+FileName+" are "+strings.Join(Keys(), ", "))
			continue
		}
		if err := md.PrimitiveDecode(top[name], rv.Field(k.index).Addr().Interface()); err != nil {
			fail(line, typeErrorMsg(name, rv.Field(k.index).Type(), tomlType(&md, top[name], name)), "")
			continue
		}
		if v := validators[name]; v != nil {
			if msg := v(cfg); msg != "" {
				fail(validatorLine(text, msg, line), msg, "")
			}
		}
	}
	// Whatever was not decoded into Config (keys nested under a key) is
	// unknown too.
	for _, k := range md.Undecoded() {
		if _, ok := lookupKey(k[0]); ok {
			fail(keyLine(&md, top[k[0]], text, k[0]), fmt.Sprintf("unknown key %q", k.String()), "")
		}
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
		return nil, errs[0]
	}

	for name, g := range cfg.Fleet.Groups {
		if g.Line = subKeyLine(text, "fleet.groups."+name, g.groupKey()); g.Line == 0 {
			g.Line = keyLine(&md, top["fleet"], text, "fleet")
		}
		cfg.Fleet.Groups[name] = g
	}
	if !filepath.IsAbs(cfg.ScriptLocation) {
		cfg.ScriptLocation = filepath.Join(cfg.Dir, cfg.ScriptLocation)
	}
	cfg.ScriptLocation = filepath.Clean(cfg.ScriptLocation)
	for i, l := range cfg.VersionLocations {
		if !filepath.IsAbs(l) {
			l = filepath.Join(cfg.Dir, l)
		}
		cfg.VersionLocations[i] = filepath.Clean(l)
	}
	return cfg, nil
}

// syntaxError turns a TOML parse error into an *Error with its line.
func syntaxError(path, text string, err error) *Error {
	const hint = "fix the TOML syntax: one key = value per line, strings in quotes (\"...\" or '...'), arrays in [...]"
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return &Error{Path: path, Msg: err.Error(), Hint: hint, Err: err}
	}
	line := pe.Position.Line
	// The decoder counts an error on a newline as on the next line
	// ("[table" then a newline is an error of line 1, not 2).
	if st := pe.Position.Start; st >= 0 && st < len(text) {
		line = 1 + strings.Count(text[:st], "\n")
	}
	msg := strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(pe.Message)
	return &Error{Path: path, Line: line, Msg: "TOML syntax: " + msg, Hint: hint, Err: err}
}

// probe is decoded into to learn the line of a key: the TOML decoder
// reports the error of an Unmarshaler at the line of the key being decoded.
type probe struct{}

var errProbe = errors.New("probe")

func (probe) UnmarshalTOML(any) error { return errProbe }

// keyLine returns the line where the top-level key name is defined (0 when
// it cannot be told).
func keyLine(md *toml.MetaData, prim toml.Primitive, text, name string) int {
	var pe toml.ParseError
	if err := md.PrimitiveDecode(prim, &probe{}); errors.As(err, &pe) && pe.Position.Line > 0 {
		return pe.Position.Line
	}
	return scanKeyLine(text, name)
}

// scanKeyLine finds the line that introduces the top-level key name by
// reading the text: "name = ...", "name.sub = ..." before the first table,
// or a table header "[name]", "[name.sub]", "[[name]]". Quoted keys are
// recognised; lines inside multi-line strings are skipped. 0 when not found.
func scanKeyLine(text, name string) int {
	inTable := false
	inString := "" // the delimiter of the multi-line string we are in
	forms := []string{name, `"` + name + `"`, `'` + name + `'`}
	for i, line := range strings.Split(text, "\n") {
		if inString != "" {
			if strings.Count(line, inString)%2 == 1 {
				inString = ""
			}
			continue
		}
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") {
			inTable = true
			h := strings.TrimSpace(strings.TrimLeft(t, "["))
			for _, f := range forms {
				if rest, ok := strings.CutPrefix(h, f); ok {
					rest = strings.TrimSpace(rest)
					if strings.HasPrefix(rest, "]") || strings.HasPrefix(rest, ".") {
						return i + 1
					}
				}
			}
			continue
		}
		if !inTable {
			for _, f := range forms {
				if rest, ok := strings.CutPrefix(t, f); ok {
					rest = strings.TrimSpace(rest)
					if strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, ".") {
						return i + 1
					}
				}
			}
		}
		for _, d := range []string{`"""`, `'''`} {
			if strings.Count(line, d)%2 == 1 {
				inString = d
				break
			}
		}
	}
	return 0
}

// validatorLine is the line a validator's message is about: for a
// message on a key of a table ("[lint.naming] index = ...", "[lint]
// server_version: ..."), that key's line under the table's header; else
// (or when the key is written another way, as an inline table) line, the
// line of the top-level key.
func validatorLine(text, msg string, line int) int {
	table, rest, ok := strings.Cut(strings.TrimPrefix(msg, "["), "] ")
	if !ok || !strings.HasPrefix(msg, "[") {
		return line
	}
	key, _, _ := strings.Cut(rest, " ")
	l := subKeyLine(text, table, strings.TrimSuffix(key, ":"))
	if l == 0 {
		return line
	}
	// "[fleet.groups.NAME] urls: URL 3: ...": the line of the third URL
	// of the array, when it spans lines.
	var n int
	if _, err := fmt.Sscanf(strings.TrimPrefix(rest, key), " URL %d:", &n); err == nil && n > 0 {
		lines := strings.Split(text, "\n")
		for i := l - 1; i < len(lines); i++ {
			if n -= strings.Count(lines[i], "://"); n <= 0 {
				return i + 1
			}
		}
	}
	return l
}

// subKeyLine finds the line of "key = ..." under the table header
// "[table]", or 0.
func subKeyLine(text, table, key string) int {
	in := false
	for i, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") {
			h, _, _ := strings.Cut(strings.Trim(t, "[]"), "]")
			in = strings.ReplaceAll(h, " ", "") == table
			continue
		}
		if !in {
			continue
		}
		for _, f := range []string{key, `"` + key + `"`, `'` + key + `'`} {
			if rest, ok := strings.CutPrefix(t, f); ok && strings.HasPrefix(strings.TrimSpace(rest), "=") {
				return i + 1
			}
		}
	}
	return 0
}

func unknownKeyMsg(name string) string {
	msg := fmt.Sprintf("unknown key %q", name)
	if s := nearestKey(name); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg
}

// nearestKey returns the known key closest to name when it is close enough
// to be a typo, else "".
func nearestKey(name string) string {
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "-", "_") }
	n := norm(name)
	best, bestD := "", -1
	for _, k := range keys {
		d := textdist.Distance(n, k.name)
		if bestD < 0 || d < bestD {
			best, bestD = k.name, d
		}
	}
	// One edit per four letters, at least one: "urls" -> "url",
	// "scrip_location" -> "script_location", but "foo" is nothing.
	if bestD >= 0 && bestD <= max(1, len(best)/4) {
		return best
	}
	return ""
}

// typeErrorMsg says that key name has TOML type got where Go type want was
// expected.
func typeErrorMsg(name string, want reflect.Type, got string) string {
	return fmt.Sprintf("%s must be %s, not %s", name, describeGo(want), describeTOML(got))
}

func describeGo(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Bool:
		return "true or false"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "an array of " + strings.TrimPrefix(strings.TrimPrefix(describeGo(t.Elem()), "a "), "an ") + "s"
	}
	return t.String()
}

// tomlType returns the TOML type of the value of a top-level key, as
// MetaData.Type names it. A table made by dotted keys (a.b = 1) has no type
// in MetaData, so its value is decoded to tell.
func tomlType(md *toml.MetaData, prim toml.Primitive, name string) string {
	if t := md.Type(name); t != "" {
		return t
	}
	var v any
	if md.PrimitiveDecode(prim, &v) != nil {
		return ""
	}
	switch v.(type) {
	case map[string]any:
		return "Hash"
	case []map[string]any:
		return "ArrayHash"
	case []any:
		return "Array"
	case string:
		return "String"
	case int64:
		return "Integer"
	case float64:
		return "Float"
	case bool:
		return "Bool"
	case time.Time:
		return "Datetime"
	}
	return ""
}

func describeTOML(typ string) string {
	switch typ {
	case "String":
		return "a string"
	case "Integer":
		return "an integer (or one out of range)"
	case "Float":
		return "a float"
	case "Bool":
		return "a boolean"
	case "Array":
		return "an array (or one with values of another type)"
	case "Hash":
		return "a table"
	case "ArrayHash":
		return "an array of tables"
	case "Datetime", "DatetimeLocal", "DateLocal", "TimeLocal":
		return "a date/time"
	}
	if typ == "" {
		return "a value of another type"
	}
	return strings.ToLower(typ)
}

// Error is an error in the configuration or the database URL.
type Error struct {
	Path string // the file ("" when not about a file)
	Line int    // 1-based line in Path (0 when not known)
	Msg  string // what is wrong
	Hint string // what to do ("" when Msg says it)
	Err  error  // the cause, for errors.Is / errors.As (may be nil)
}

// Error returns "path:line: msg", "path: msg" when the line is not known,
// or msg alone when there is no path.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
		if e.Line > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// pathErrText is the text of a file error without the path (which the
// *Error carries).
func pathErrText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}
