package config

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Fleet is the [fleet] table of retort.toml: named groups of tenants for
// `retort fleet ... --group NAME` (docs/fleet.md).
type Fleet struct {
	// Groups are the [fleet.groups.NAME] tables, by name.
	Groups map[string]FleetGroup `toml:"groups"`
}

// FleetGroup is one [fleet.groups.NAME] table: the databases of URLs
// (or URL, for one), each a tenant; or, with Schemas, every PostgreSQL
// schema of those databases whose name matches the glob Schemas.
//
// A password in a URL is written only as ${VAR}, read from the
// environment when the fleet runs (Expand); a literal password is a
// configuration error. ${VAR} may stand elsewhere in a URL too (a host,
// a user).
type FleetGroup struct {
	URL     string   `toml:"url"`
	URLs    []string `toml:"urls"`
	Schemas string   `toml:"schemas"`
	// Line is the line of the group's url or urls key in retort.toml (0
	// when not known), for the errors of Expand.
	Line int `toml:"-"`
}

// AllGroups is the --group value that names every group.
const AllGroups = "all"

// GroupNames returns the names of the groups, sorted.
func (f Fleet) GroupNames() []string {
	names := make([]string, 0, len(f.Groups))
	for n := range f.Groups {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// groupKey is the key of the URLs of g: "url" or "urls".
func (g FleetGroup) groupKey() string {
	if g.URL != "" {
		return "url"
	}
	return "urls"
}

// rawURLs are the group's URLs as written, ${VAR} unexpanded.
func (g FleetGroup) rawURLs() []string {
	if g.URL != "" {
		return []string{g.URL}
	}
	return g.URLs
}

// varRef is a ${VAR} reference in a fleet URL.
var varRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

var groupName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// checkFleet validates the [fleet] table; it returns what is wrong, or "".
// Messages start "[fleet.groups.NAME] KEY" so that validatorLine finds
// the key's line.
func checkFleet(c *Config) string {
	for _, name := range c.Fleet.GroupNames() {
		g := c.Fleet.Groups[name]
		tbl := "[fleet.groups." + name + "]"
		switch {
		case !groupName.MatchString(name):
			return fmt.Sprintf("%s url: the group name %q: use letters, digits, '_', '-' and '.', starting with a letter or digit", tbl, name)
		case name == AllGroups:
			return fmt.Sprintf("%s url: %q names every group on the command line (--group all): give this group another name", tbl, name)
		case g.URL != "" && len(g.URLs) > 0:
			return fmt.Sprintf("%s url: the group has both url and urls: keep urls (a list), or url for one database", tbl)
		case g.URL == "" && len(g.URLs) == 0:
			return fmt.Sprintf("%s urls: the group lists no database: set urls = [\"postgresql://app:${PW}@db1/app\", ...], or url = ... with schemas = \"tenant_*\"", tbl)
		}
		if g.Schemas != "" {
			if _, err := path.Match(g.Schemas, ""); err != nil {
				return fmt.Sprintf("%s schemas: %q is not a valid pattern (a glob: * ? [a-z], \\ escapes)", tbl, g.Schemas)
			}
		}
		key := g.groupKey()
		for i, raw := range g.rawURLs() {
			which := key
			if key == "urls" {
				which = fmt.Sprintf("urls: URL %d", i+1)
			}
			if msg := checkFleetURL(raw, c.Dir, g.Schemas != ""); msg != "" {
				return fmt.Sprintf("%s %s: %s", tbl, which, msg)
			}
		}
	}
	return ""
}

// checkFleetURL checks one URL of a group, ${VAR} unexpanded: it must
// parse, and hold a password only as a whole ${VAR}.
func checkFleetURL(raw, dir string, schemas bool) string {
	if strings.TrimSpace(raw) == "" {
		return "an empty URL"
	}
	// Each ${VAR} stands for a secret: put the redaction mark in its
	// place. What Redact still changes is a literal secret.
	marked := varRef.ReplaceAllString(raw, "***")
	if Redact(marked) != marked {
		return fmt.Sprintf("%s holds a literal password: write the password as ${VAR} (postgresql://app:${EU_PW}@host/db) and set VAR in the environment, so that no password is written in %s", Redact(raw), FileName)
	}
	if rest := varRef.ReplaceAllString(raw, ""); strings.Contains(rest, "${") {
		return fmt.Sprintf("%s: a ${ without a variable name and } (write ${NAME}, NAME of letters, digits and _)", Redact(raw))
	}
	u, err := ParseURL(varRef.ReplaceAllString(raw, "x"), dir)
	if err != nil {
		if ce, ok := err.(*Error); ok {
			return ce.Msg
		}
		return err.Error()
	}
	if u.Memory {
		return "an in-memory SQLite database is no tenant (no other connection sees it): name a file"
	}
	if schemas && u.Dialect != "postgres" {
		return fmt.Sprintf("schemas is for PostgreSQL; %s is a %s database (each of its databases is a tenant: list them in urls)", Redact(raw), u.Dialect)
	}
	return ""
}

// Expand returns the group's URLs with each ${VAR} replaced by the value
// lookup gives for VAR (os.LookupEnv); a ${VAR} in the password (of the
// user information, or of a password option) is percent-encoded, so
// that the variable holds the password as it is. A VAR that is not set
// is an *Error naming it, the group and its line in path (retort.toml).
// The URLs returned hold the passwords: show them only redacted.
func (g FleetGroup) Expand(path, name string, lookup func(string) (string, bool)) ([]string, error) {
	raws := g.rawURLs()
	out := make([]string, 0, len(raws))
	for _, raw := range raws {
		var missing string
		secret := secretSpans(raw)
		var b strings.Builder
		last := 0
		for _, m := range varRef.FindAllStringSubmatchIndex(raw, -1) {
			b.WriteString(raw[last:m[0]])
			last = m[1]
			v, ok := lookup(raw[m[2]:m[3]])
			if !ok {
				if missing == "" {
					missing = raw[m[2]:m[3]]
				}
				continue
			}
			if inSpans(secret, m[0]) {
				v = escapeAll(v)
			}
			b.WriteString(v)
		}
		if missing != "" {
			return nil, &Error{Path: path, Line: g.Line,
				Msg:  fmt.Sprintf("[fleet.groups.%s] %s: ${%s} is not set in the environment (or is empty)", name, g.groupKey(), missing),
				Hint: fmt.Sprintf("set %s in the environment (export %s=...) before running the fleet: a password is never written in %s", missing, missing, FileName)}
		}
		b.WriteString(raw[last:])
		out = append(out, b.String())
	}
	return out, nil
}

// secretSpans are the byte ranges of raw that hold secrets: the password
// of the user information, and the value of a password option.
func secretSpans(raw string) [][2]int {
	var spans [][2]int
	if scheme, _, ok := splitScheme(raw); ok {
		start := len(scheme) + len("://")
		rest := raw[start:]
		if end := strings.IndexAny(rest, "/?#"); end >= 0 {
			rest = rest[:end]
		}
		if at := strings.LastIndexByte(rest, '@'); at >= 0 {
			if colon := strings.IndexByte(rest[:at], ':'); colon >= 0 {
				spans = append(spans, [2]int{start + colon + 1, start + at})
			}
		}
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '=' {
			continue
		}
		k := i
		for k > 0 && isOptionNameChar(raw[k-1]) {
			k--
		}
		if k < i && isSecretOption(raw[k:i]) {
			spans = append(spans, [2]int{i + 1, optionValueEnd(raw, i+1)})
		}
	}
	return spans
}

func inSpans(spans [][2]int, pos int) bool {
	for _, s := range spans {
		if pos >= s[0] && pos < s[1] {
			return true
		}
	}
	return false
}

// escapeAll percent-encodes every byte of s but the unreserved ones
// (letters, digits, - . _ ~), as a password in a URL must be.
func escapeAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
