package lint

import (
	"strconv"
	"strings"
)

// pgType is a PostgreSQL type name split into its canonical base name and
// its modifiers.
type pgType struct {
	base  string // canonical: "varchar", "numeric", "timestamptz", "int4", ...
	mods  []int  // type modifiers; nil when none are written
	array bool
}

// pgTypeAliases maps the spellings of built-in types to one name.
var pgTypeAliases = map[string]string{
	"int": "int4", "integer": "int4", "int4": "int4", "serial": "int4", "serial4": "int4",
	"smallint": "int2", "int2": "int2", "smallserial": "int2", "serial2": "int2",
	"bigint": "int8", "int8": "int8", "bigserial": "int8", "serial8": "int8",
	"real": "float4", "float4": "float4", "double precision": "float8", "float8": "float8", "float": "float8",
	"numeric": "numeric", "decimal": "numeric",
	"text": "text", "varchar": "varchar", "character varying": "varchar",
	"char": "bpchar", "character": "bpchar", "bpchar": "bpchar",
	"boolean": "bool", "bool": "bool",
	"date": "date", "time": "time", "time without time zone": "time",
	"timetz": "timetz", "time with time zone": "timetz",
	"timestamp": "timestamp", "timestamp without time zone": "timestamp",
	"timestamptz": "timestamptz", "timestamp with time zone": "timestamptz",
	"interval": "interval", "uuid": "uuid", "json": "json", "jsonb": "jsonb", "bytea": "bytea",
	"inet": "inet", "cidr": "cidr", "macaddr": "macaddr", "macaddr8": "macaddr8",
	"bit": "bit", "varbit": "varbit", "bit varying": "varbit", "money": "money", "xml": "xml",
	"citext": "citext", "oid": "oid", "tsvector": "tsvector",
}

// parsePgType reads a type as written in a column definition:
// "varchar(255)", "character varying", "numeric(10, 2)", "int[]",
// "timestamp(3) with time zone". ok is false for a type that is not a
// built-in one (a domain, an enum, an extension's type other than citext).
func parsePgType(s string) (t pgType, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.HasSuffix(s, "[]") || strings.HasSuffix(s, " array") {
		t.array = true
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "[]"), " array"))
	}
	if i := strings.IndexByte(s, '('); i >= 0 {
		j := strings.IndexByte(s[i:], ')')
		if j < 0 {
			return t, false
		}
		for _, m := range strings.Split(s[i+1:i+j], ",") {
			n, err := strconv.Atoi(strings.TrimSpace(m))
			if err != nil {
				return t, false
			}
			t.mods = append(t.mods, n)
		}
		s = strings.TrimSpace(s[:i]) + " " + strings.TrimSpace(s[i+j+1:])
	}
	s = strings.Join(strings.Fields(strings.TrimPrefix(s, "pg_catalog.")), " ")
	t.base, ok = pgTypeAliases[s]
	return t, ok
}

// pgTypeChangeRewrites reports whether ALTER COLUMN ... TYPE from type old
// to type new (as written in SQL) rewrites the table on PostgreSQL 12 and
// later, and whether that is known. Binary-coercible changes that skip the
// rewrite (catalogue §5): varchar to text or to a varchar at least as
// long, text to unbounded varchar, numeric to numeric of the same scale
// and no smaller precision or to unconstrained numeric, a wider or
// unconstrained precision of timestamp, timestamptz, time and interval,
// a longer or unbounded bit varying, cidr to inet, text to and from
// citext. timestamp to and from timestamptz skips it only when the
// session's TimeZone is UTC: that answer is rewrites true, known false
// (a server setting decides). Types that are not built in (domains,
// enums, extension types) are unknown.
func pgTypeChangeRewrites(old, new string) (rewrites bool, known bool) {
	o, ok1 := parsePgType(old)
	n, ok2 := parsePgType(new)
	if !ok1 || !ok2 {
		return true, false
	}
	if o.array != n.array {
		return true, true
	}
	widerOrNone := func(i int) bool { // n's modifier i is absent or >= o's
		if len(n.mods) <= i {
			return true
		}
		return len(o.mods) > i && n.mods[i] >= o.mods[i]
	}
	switch {
	case o.base == n.base:
		switch o.base {
		case "varchar", "varbit", "timestamp", "timestamptz", "time", "timetz", "interval":
			return !widerOrNone(0), true
		case "numeric":
			if len(n.mods) == 0 {
				return false, true
			}
			if len(o.mods) == 0 {
				return true, true
			}
			os, ns := 0, 0
			if len(o.mods) > 1 {
				os = o.mods[1]
			}
			if len(n.mods) > 1 {
				ns = n.mods[1]
			}
			return !(os == ns && n.mods[0] >= o.mods[0]), true
		}
		// Same type: the same modifiers are no change, others rewrite
		// (bpchar(n) and bit(n) have no shortcut).
		return !equalInts(o.mods, n.mods), true
	case o.base == "varchar" && n.base == "text", o.base == "cidr" && n.base == "inet",
		o.base == "text" && n.base == "citext", o.base == "citext" && n.base == "text":
		return false, true
	case o.base == "text" && n.base == "varchar":
		return len(n.mods) != 0, true
	case o.base == "timestamp" && n.base == "timestamptz", o.base == "timestamptz" && n.base == "timestamp":
		return true, false
	}
	return true, true
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// pgTypeTargetMayKeep reports whether some other built-in type changes to
// type new without a rewrite (or new is not built in): when the old type
// is unknown, RT312 fires only for targets where every change rewrites.
func pgTypeTargetMayKeep(new string) bool {
	n, ok := parsePgType(new)
	if !ok || n.array {
		return true
	}
	switch n.base {
	case "varchar", "text", "numeric", "timestamp", "timestamptz", "time", "timetz", "interval", "varbit", "inet", "citext":
		return true
	}
	return false
}
