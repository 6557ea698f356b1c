package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// writeTOML writes text as retort.toml in a new folder and returns its path.
func writeTOML(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDefault(t *testing.T) {
	dir := t.TempDir()
	c := Default(dir)
	want := &Config{
		Dir:                dir,
		ScriptLocation:     filepath.Join(dir, "migrations"),
		VersionTable:       "retort_version",
		FileTemplate:       "%(year)d%(month).2d%(day).2d_%(hour).2d%(minute).2d_%(rev)s_%(slug)s",
		TruncateSlugLength: 40,
		RevisionFormat:     "sql",
		HistoryTable:       "retort_history",
		TransactionPer:     "migration",
		Lock:               "auto",
		LockTable:          "retort_lock",
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("Default(%q) =\n%+v\nwant\n%+v", dir, c, want)
	}
	loc, err := c.Location()
	if err != nil || loc != time.UTC {
		t.Errorf("Location() = %v, %v; want UTC", loc, err)
	}

	t.Run("relative dir is made absolute", func(t *testing.T) {
		c := Default("proj")
		if !filepath.IsAbs(c.Dir) || filepath.Base(c.Dir) != "proj" || c.ScriptLocation != filepath.Join(c.Dir, "migrations") {
			t.Errorf("Default(\"proj\") = Dir %q ScriptLocation %q", c.Dir, c.ScriptLocation)
		}
	})
}

func TestLoadDefaults(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"empty file", ""},
		{"comments only", "# nothing\n\n   # here\n"},
		{"byte order mark", "\ufeff# from notepad\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTOML(t, tc.text)
			c, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			want := Default(filepath.Dir(path))
			want.Path = path
			if !reflect.DeepEqual(c, want) {
				t.Fatalf("Load =\n%+v\nwant\n%+v", c, want)
			}
		})
	}
}

func TestLoadEveryKey(t *testing.T) {
	path := writeTOML(t, `
script_location = "db/scripts"
version_locations = ["extra", "/abs/more"]
url = "postgresql://app@localhost/app"
version_table = "alembic_version"
version_table_schema = "meta"
file_template = "%(rev)s_%(slug)s"
timezone = "Europe/Paris"
truncate_slug_length = 12
revision_format = "go"
history_table = "audit"
transaction_per = "run"
lock = "lease"
lock_table = "migration_lease"
lock_timeout = "5s"
statement_timeout = "15m"
desired = ["schema/*.sql"]
dev_url = "postgresql://dev@localhost/postgres"
include_schemas = ["public", "billing"]
include_tables = ["billing.*"]
exclude_tables = ["tmp_*"]
lint_on_upgrade = true
lint = { rules = { RT301 = "warning", RT708 = "off" }, server_version = "postgresql 15", naming = { table = "^[a-z_]+$", index = "_idx$" } }
fleet = { groups = { eu = { urls = ["postgresql://app:${EU_PW}@eu-db/app"] } } }
`)
	dir := filepath.Dir(path)
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Path:               path,
		Dir:                dir,
		ScriptLocation:     filepath.Join(dir, "db", "scripts"),
		VersionLocations:   []string{filepath.Join(dir, "extra"), filepath.Clean("/abs/more")},
		URL:                "postgresql://app@localhost/app",
		VersionTable:       "alembic_version",
		VersionTableSchema: "meta",
		FileTemplate:       "%(rev)s_%(slug)s",
		Timezone:           "Europe/Paris",
		TruncateSlugLength: 12,
		RevisionFormat:     "go",
		HistoryTable:       "audit",
		TransactionPer:     "run",
		Lock:               "lease",
		LockTable:          "migration_lease",
		LockTimeout:        "5s",
		StatementTimeout:   "15m",
		Desired:            []string{"schema/*.sql"},
		DevURL:             "postgresql://dev@localhost/postgres",
		IncludeSchemas:     []string{"public", "billing"},
		IncludeTables:      []string{"billing.*"},
		ExcludeTables:      []string{"tmp_*"},
		LintOnUpgrade:      true,
		Lint:               Lint{Rules: map[string]string{"RT301": "warning", "RT708": "off"}, ServerVersion: "postgresql 15", Naming: map[string]string{"table": "^[a-z_]+$", "index": "_idx$"}},
		Fleet:              Fleet{Groups: map[string]FleetGroup{"eu": {URLs: []string{"postgresql://app:${EU_PW}@eu-db/app"}, Line: strings.Count(mustRead(t, path), "\n")}}},
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("Load =\n%+v\nwant\n%+v", c, want)
	}
	if lock, stmt := c.Timeouts(); lock != 5*time.Second || stmt != 15*time.Minute {
		t.Errorf("Timeouts() = %s, %s; want 5s, 15m", lock, stmt)
	}
	loc, err := c.Location()
	if err != nil || loc.String() != "Europe/Paris" {
		t.Errorf("Location() = %v, %v", loc, err)
	}

	// Every key of Config is in the file above: a new key must be tested.
	for _, k := range Keys() {
		if !regexp.MustCompile(`(?m)^` + k + ` = `).MatchString(mustRead(t, path)) {
			t.Errorf("key %q is not covered by this test", k)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestScriptLocation(t *testing.T) {
	abs := filepath.Join(t.TempDir(), "elsewhere", "migs")
	for _, tc := range []struct {
		name, value string
		want        func(dir string) string
	}{
		{"default", "", func(dir string) string { return filepath.Join(dir, "migrations") }},
		{"relative", `script_location = "db/migrations"`, func(dir string) string { return filepath.Join(dir, "db", "migrations") }},
		{"relative with dot", `script_location = "./m"`, func(dir string) string { return filepath.Join(dir, "m") }},
		{"relative going up", `script_location = "../shared/m"`, func(dir string) string { return filepath.Join(filepath.Dir(dir), "shared", "m") }},
		{"absolute", `script_location = '` + abs + `'`, func(string) string { return abs }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTOML(t, tc.value+"\n")
			c, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if want := tc.want(filepath.Dir(path)); c.ScriptLocation != want {
				t.Errorf("ScriptLocation = %q, want %q", c.ScriptLocation, want)
			}
		})
	}

	t.Run("relative to the file, not the current folder", func(t *testing.T) {
		path := writeTOML(t, `script_location = "m"`)
		rel, err := filepath.Rel(mustGetwd(t), path)
		if err != nil {
			t.Skip(err)
		}
		c, err := Load(rel)
		if err != nil {
			t.Fatal(err)
		}
		if c.Path != path || c.Dir != filepath.Dir(path) || c.ScriptLocation != filepath.Join(filepath.Dir(path), "m") {
			t.Errorf("Load(%q): Path %q Dir %q ScriptLocation %q", rel, c.Path, c.Dir, c.ScriptLocation)
		}
	})
}

func mustGetwd(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

// loadErr loads text and returns its error, which must be an *Error for
// the file.
func loadErr(t *testing.T, text string) *Error {
	t.Helper()
	path := writeTOML(t, text)
	c, err := Load(path)
	if err == nil {
		t.Fatalf("Load succeeded (%+v), want an error", c)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is a %T, want *Error", err, err)
	}
	if e.Path != path {
		t.Errorf("Error.Path = %q, want %q", e.Path, path)
	}
	return e
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		line int
		msg  string // the whole message
	}{
		// Unknown keys.
		{"unknown key with suggestion", "# c\nurl = \"sqlite://\"\n\nscrip_location = \"m\"\n", 4,
			`unknown key "scrip_location" (did you mean "script_location"?)`},
		{"unknown key without suggestion", "version_table = \"v\"\nfoo = 1\n", 2, `unknown key "foo"`},
		{"wrong case", "URL = \"sqlite://\"\n", 1, `unknown key "URL" (did you mean "url"?)`},
		{"dash for underscore", "version-table = \"v\"\n", 1, `unknown key "version-table" (did you mean "version_table"?)`},
		{"plural", "version_location = [\"a\"]\n", 1, `unknown key "version_location" (did you mean "version_locations"?)`},
		{"two typos", "timezon = \"UTC\"\n", 1, `unknown key "timezon" (did you mean "timezone"?)`},
		{"quoted key", "\"scriptlocation\" = \"m\"\n", 1, `unknown key "scriptlocation" (did you mean "script_location"?)`},
		{"table", "url = \"\"\n\n[alembic]\nscript_location = \"m\"\n", 3, `unknown key "alembic"`},
		{"array of tables", "[[hooks]]\nname = \"x\"\n", 1, `unknown key "hooks"`},
		{"dotted key", "a = 1\nfile.template = \"x\"\n", 1, `unknown key "a"`},
		{"dotted key line", "version_table = \"v\"\nfile.template = \"x\"\n", 2, `unknown key "file"`},
		{"first of several by line", "zzz = 1\nyyy = 2\n", 1, `unknown key "zzz"`},
		{"nested under a known key", "url.x = \"a\"\n", 1, `url must be a string, not a table`},

		// Type errors.
		{"string for integer", "truncate_slug_length = \"x\"\n", 1,
			`truncate_slug_length must be an integer, not a string`},
		{"float for integer", "\n\ntruncate_slug_length = 4.5\n", 3,
			`truncate_slug_length must be an integer, not a float`},
		{"integer for string", "script_location = 3\n", 1, `script_location must be a string, not an integer (or one out of range)`},
		{"bool for string", "url = true\n", 1, `url must be a string, not a boolean`},
		{"string for bool", "lint_on_upgrade = \"yes\"\n", 1, `lint_on_upgrade must be true or false, not a string`},
		{"string for array", "version_locations = \"extra\"\n", 1,
			`version_locations must be an array of strings, not a string`},
		{"array of integers", "version_locations = [\n  1,\n  2,\n]\n", 1,
			`version_locations must be an array of strings, not an array (or one with values of another type)`},
		{"table for string", "[url]\nx = 1\n", 1, `url must be a string, not a table`},
		{"datetime for string", "timezone = 2024-01-01\n", 1, `timezone must be a string, not a date/time`},

		// Bad values.
		{"invalid timezone", "timezone = \"Mars/Olympus_Mons\"\n", 1,
			`timezone "Mars/Olympus_Mons" is not a known time zone: use an IANA name such as "Europe/Paris" or "America/New_York", or remove the key for UTC`},
		{"zero slug length", "truncate_slug_length = 0\n", 1, `truncate_slug_length must be greater than 0, not 0`},
		{"negative slug length", "truncate_slug_length = -3\n", 1, `truncate_slug_length must be greater than 0, not -3`},
		{"revision format", "revision_format = \"python\"\n", 1, `revision_format must be "sql" or "go", not "python"`},
		{"transaction per", "transaction_per = \"statement\"\n", 1, `transaction_per "statement": use "migration" or "run"`},
		{"lock timeout not a duration", "url = \"\"\nlock_timeout = \"5 parsecs\"\n", 2,
			`lock_timeout "5 parsecs" is not a duration: give a number with a unit, such as "5s", "500ms" or "1m30s"`},
		{"lock timeout without unit", "lock_timeout = \"5\"\n", 1,
			`lock_timeout "5" is not a duration: give a number with a unit, such as "5s", "500ms" or "1m30s"`},
		{"negative statement timeout", "statement_timeout = \"-1s\"\n", 1,
			`statement_timeout "-1s" is negative: give a positive duration such as "5s", or remove the key to leave the database's setting`},
		{"integer statement timeout", "statement_timeout = 5\n", 1, `statement_timeout must be a string, not an integer (or one out of range)`},
		{"lock mode", "lock = \"advisory\"\n", 1, `lock "advisory": use "auto" (the database's own lock) or "lease" (a lease row in lock_table, for PgBouncer in transaction pooling mode)`},
		{"lock mode type", "lock = true\n", 1, `lock must be a string, not a boolean`},
		{"lock table empty", "lock_table = \" \"\n", 1, `lock_table must not be empty`},
		{"lock table same as history table", "lock_table = \"retort_history\"\n", 1, `lock_table must differ from version_table and history_table`},
		{"history table same as version table", "version_table = \"v\"\nhistory_table = \"v\"\n", 2, `history_table must differ from version_table`},
		{"empty script_location", "script_location = \"\"\n", 1, `script_location must not be empty`},
		{"empty version location", "version_locations = [\"a\", \" \"]\n", 1, `version_locations[1] must not be empty`},
		{"empty version_table", "version_table = \"\"\n", 1, `version_table must not be empty`},
		{"empty file_template", "file_template = \"\"\n", 1, `file_template must not be empty`},
		{"lint rule severity", "[lint.rules]\nRT301 = \"loud\"\n", 2, `[lint.rules] RT301 = "loud": use "off", "info", "warning" or "error"`},
		{"lint server version", "[lint]\nserver_version = \"mysql eight\"\n", 2, `[lint] server_version: server version "mysql eight": write the server and its version, as "postgresql 15", "mysql 8.0", "mariadb 10.11" or "sqlite 3.40"`},
		{"lint naming bad regex", "[lint.rules]\nRT808 = \"warning\"\n\n[lint.naming]\ncolumn = \"^[a-z_]+$\"\ntable = \"^[a-z\"\n", 6, `[lint.naming] table = "^[a-z" is not a regular expression: error parsing regexp: missing closing ]: ` + "`[a-z`"},
		{"lint naming unknown kind", "[lint.naming]\nview = \"^v_\"\n", 2, `[lint.naming] view is no kind of name: use schema, table, column, index, primary_key, foreign_key, unique, check`},
		{"lint naming inline table", "url = \"\"\nlint = { naming = { view = \"^v_\" } }\n", 2, `[lint.naming] view is no kind of name: use schema, table, column, index, primary_key, foreign_key, unique, check`},
		{"empty desired pattern", "desired = [\"schema/*.sql\", \"\"]\n", 1, `desired[1] must not be empty`},
		{"bad desired pattern", "desired = [\"schema/[.sql\"]\n", 1, `desired[0] "schema/[.sql" is not a valid pattern`},
		{"empty dev_url", "dev_url = \"\"\n", 1, `dev_url must not be empty (remove the key to use the target database's server)`},
		{"bad exclude pattern", "exclude_tables = [\"a[\"]\n", 1, `exclude_tables[0] "a[" is not a valid pattern`},
		{"empty include_schemas", "include_schemas = [\"\"]\n", 1, `include_schemas[0] must not be empty`},
		{"bad value after unknown key", "xx = 1\ntimezone = \"Nowhere\"\n", 1, `unknown key "xx"`},
		{"bad value before unknown key", "revision_format = \"x\"\nxx = 1\n", 1, `revision_format must be "sql" or "go", not "x"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := loadErr(t, tc.text)
			if e.Line != tc.line {
				t.Errorf("Line = %d, want %d (%v)", e.Line, tc.line, e)
			}
			if e.Msg != tc.msg {
				t.Errorf("Msg = %q\nwant  %q", e.Msg, tc.msg)
			}
			if want := e.Path + ":" + strconv.Itoa(tc.line) + ": " + tc.msg; e.Error() != want {
				t.Errorf("Error() = %q, want %q", e.Error(), want)
			}
			if strings.HasPrefix(e.Msg, "unknown key") && !strings.Contains(e.Hint, "script_location, version_locations, url,") {
				t.Errorf("Hint = %q, want the list of keys", e.Hint)
			}
		})
	}
}

func TestSyntaxErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		line int
	}{
		{"missing value", "url = \"sqlite://\"\nversion_table = \n", 2},
		{"unterminated string", "# a\n# b\nurl = \"sqlite://\n", 3},
		{"duplicate key", "url = \"a\"\nversion_table = \"v\"\nurl = \"b\"\n", 3},
		{"bare words", "\n\n\nthis is not toml\n", 4},
		{"unclosed table", "[alembic\n", 1},
		{"newline in the message", "a = 0x\n", 1},
		{"bad datetime", "\ntimezone = 1979-05-27T25:00:00Z\n", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := loadErr(t, tc.text)
			if e.Line != tc.line {
				t.Errorf("Line = %d, want %d (%v)", e.Line, tc.line, e)
			}
			prefix := e.Path + ":" + strconv.Itoa(tc.line) + ": TOML syntax: "
			if !strings.HasPrefix(e.Error(), prefix) || len(e.Error()) == len(prefix) {
				t.Errorf("Error() = %q, want %q and a message", e.Error(), prefix)
			}
			if strings.ContainsAny(e.Msg, "\r\n") {
				t.Errorf("Msg %q is on several lines", e.Msg)
			}
			if e.Hint == "" {
				t.Error("no hint")
			}
		})
	}
}

func TestScanKeyLine(t *testing.T) {
	text := `a = 1
s = """
b = 2
"""
"b" = 3
c.d = 4
 'e' . f = 5
[g]
h = 6
[[ i . j ]]
`
	for name, want := range map[string]int{"a": 1, "b": 5, "c": 6, "e": 7, "g": 8, "h": 0, "i": 10, "zz": 0} {
		if got := scanKeyLine(text, name); got != want {
			t.Errorf("scanKeyLine(%q) = %d, want %d", name, got, want)
		}
	}
}

func TestNearestKey(t *testing.T) {
	for in, want := range map[string]string{
		"scrip_location":  "script_location",
		"Script_Location": "script_location",
		"urls":            "url",
		"uri":             "url",
		"ur":              "url",
		"db":              "",
		"database_url":    "",
		"version_tables":  "version_table",
		"versiontable":    "version_table",
		"truncate_slug":   "",
		"revision-format": "revision_format",
	} {
		if got := nearestKey(in); got != want {
			t.Errorf("nearestKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestErrorText(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    Error
		want string
	}{
		{"path and line", Error{Path: "retort.toml", Line: 4, Msg: "bad"}, "retort.toml:4: bad"},
		{"path only", Error{Path: "retort.toml", Msg: "bad"}, "retort.toml: bad"},
		{"message only", Error{Msg: "bad", Hint: "do this"}, "bad"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.e.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFind(t *testing.T) {
	t.Run("found", func(t *testing.T) {
		path := writeTOML(t, "")
		got, err := Find(filepath.Dir(path))
		if err != nil || got != path {
			t.Errorf("Find = %q, %v; want %q", got, err, path)
		}
	})
	t.Run("not found", func(t *testing.T) {
		dir := t.TempDir()
		_, err := Find(dir)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrNotFound) {
			t.Fatalf("Find error = %#v, want *Error wrapping ErrNotFound", err)
		}
		if e.Hint != "run `retort init` to create one, or pass -c FILE" {
			t.Errorf("Hint = %q", e.Hint)
		}
		if !strings.Contains(e.Error(), dir) {
			t.Errorf("Error() = %q does not name the folder", e.Error())
		}
	})
	t.Run("parent folders are not searched", func(t *testing.T) {
		path := writeTOML(t, "")
		sub := filepath.Join(filepath.Dir(path), "sub")
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		if got, err := Find(sub); !errors.Is(err, ErrNotFound) {
			t.Errorf("Find(sub) = %q, %v; want ErrNotFound", got, err)
		}
	})
	t.Run("a folder named retort.toml", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, FileName), 0o755); err != nil {
			t.Fatal(err)
		}
		_, err := Find(dir)
		var e *Error
		if !errors.As(err, &e) || errors.Is(err, ErrNotFound) {
			t.Errorf("Find = %v, want an *Error that is not ErrNotFound", err)
		}
	})
	t.Run("Load of a missing file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), FileName)
		_, err := Load(path)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrNotFound) || e.Path != path || e.Hint == "" {
			t.Errorf("Load = %#v, want *Error for %s wrapping ErrNotFound with a hint", err, path)
		}
	})
}

func TestDefaultTOML(t *testing.T) {
	text := string(DefaultTOML())

	t.Run("loads as the defaults", func(t *testing.T) {
		path := writeTOML(t, text)
		c, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		want := Default(filepath.Dir(path))
		want.Path = path
		if !reflect.DeepEqual(c, want) {
			t.Fatalf("Load(DefaultTOML) =\n%+v\nwant\n%+v", c, want)
		}
	})

	t.Run("every key is shown", func(t *testing.T) {
		for _, k := range Keys() {
			if !regexp.MustCompile(`(?m)^(# )?` + k + ` = `).MatchString(text) {
				t.Errorf("DefaultTOML lacks key %q", k)
			}
		}
		if !regexp.MustCompile(`(?m)^script_location = "migrations"$`).MatchString(text) {
			t.Error("script_location is not set uncommented")
		}
		if !strings.Contains(text, `# url = "sqlite:///app.db"`) {
			t.Error("no url example")
		}
	})

	t.Run("uncommented values are the defaults", func(t *testing.T) {
		// Uncomment every "# key = value" line but url's example.
		re := regexp.MustCompile(`(?m)^# ([a-z_]+ = .*)$`)
		n := 0
		un := re.ReplaceAllStringFunc(text, func(line string) string {
			if strings.HasPrefix(line, "# url = ") || strings.HasPrefix(line, "# dev_url = ") {
				return line
			}
			n++
			return strings.TrimPrefix(line, "# ")
		})
		if n != len(Keys())-3 {
			t.Errorf("uncommented %d lines, want %d (every key but script_location, url and dev_url)", n, len(Keys())-3)
		}
		path := writeTOML(t, un)
		c, err := Load(path)
		if err != nil {
			t.Fatalf("%v\n%s", err, un)
		}
		want := Default(filepath.Dir(path))
		want.Path = path
		want.VersionLocations = []string{}
		want.Desired, want.IncludeSchemas, want.IncludeTables, want.ExcludeTables = []string{}, []string{}, []string{}, []string{}
		want.Lint.Rules, want.Lint.Naming = map[string]string{}, map[string]string{}
		want.Fleet.Groups = map[string]FleetGroup{}
		if !reflect.DeepEqual(c, want) {
			t.Fatalf("Load =\n%+v\nwant\n%+v", c, want)
		}
	})
}

func TestTimezone(t *testing.T) {
	for _, tc := range []struct {
		name, tz string
		ok       bool
	}{
		{"IANA name", "America/New_York", true},
		{"UTC", "UTC", true},
		{"Local", "Local", true},
		{"empty is UTC", "", true},
		{"unknown", "Europe/Atlantis", false},
		{"abbreviation", "CEST", false},
		{"offset", "+02:00", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTOML(t, "timezone = \""+tc.tz+"\"\n")
			c, err := Load(path)
			if tc.ok != (err == nil) {
				t.Fatalf("Load(timezone = %q) error = %v, want ok=%v", tc.tz, err, tc.ok)
			}
			if err != nil {
				if !strings.Contains(err.Error(), "timezone") || !strings.Contains(err.Error(), ":1: ") {
					t.Errorf("error %q does not name the key and line", err)
				}
				return
			}
			if _, err := c.Location(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestDesiredFiles(t *testing.T) {
	path := writeTOML(t, "desired = [\"schema/*.sql\", \"extra.sql\", \"schema/b.sql\"]\n")
	dir := filepath.Dir(path)
	for _, f := range []string{"schema/b.sql", "schema/a.sql", "schema/notes.txt", "extra.sql"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "schema", "dir.sql"), 0o755); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.DesiredFiles()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "schema", "a.sql"), filepath.Join(dir, "schema", "b.sql"), filepath.Join(dir, "extra.sql")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DesiredFiles = %v, want %v (in pattern order, sorted within, once each, no folders)", got, want)
	}
	c.Desired = append(c.Desired, "missing/*.sql")
	_, err = c.DesiredFiles()
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Msg, `"missing/*.sql" matches no file`) || e.Path != path {
		t.Errorf("DesiredFiles with a pattern matching nothing = %v, want an error naming it and retort.toml", err)
	}
}
