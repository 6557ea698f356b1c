package schema

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Kind is the dialect-neutral kind of a column type.
type Kind int

// The kinds of DESIGN §6. KindInvalid is the zero Kind: a Type that no
// constructor made, which Validate reports.
const (
	KindInvalid Kind = iota
	KindInteger
	KindBigInteger
	KindSmallInteger
	KindBoolean
	KindString // variable-length character string with a maximum length
	KindText
	KindNumeric
	KindFloat
	KindDate
	KindTime
	KindDateTime
	KindInterval
	KindJSON
	KindUUID
	KindLargeBinary
	KindEnum
	KindRaw
)

// String returns the kind's name as its constructor spells it ("BigInteger").
func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "Invalid"
	case KindInteger:
		return "Integer"
	case KindBigInteger:
		return "BigInteger"
	case KindSmallInteger:
		return "SmallInteger"
	case KindBoolean:
		return "Boolean"
	case KindString:
		return "String"
	case KindText:
		return "Text"
	case KindNumeric:
		return "Numeric"
	case KindFloat:
		return "Float"
	case KindDate:
		return "Date"
	case KindTime:
		return "Time"
	case KindDateTime:
		return "DateTime"
	case KindInterval:
		return "Interval"
	case KindJSON:
		return "JSON"
	case KindUUID:
		return "UUID"
	case KindLargeBinary:
		return "LargeBinary"
	case KindEnum:
		return "Enum"
	case KindRaw:
		return "Raw"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Type is a dialect-neutral column type. Build it with the constructors
// (Integer, String, Numeric, …); renderers switch on Kind and read the
// parameters that kind uses. A Type is a value: constructors copy the
// slices and maps they are given, and nothing in retort modifies them
// afterwards.
type Type struct {
	Kind Kind
	// Length is the maximum length in characters of a String.
	Length int
	// Precision and Scale parameterise Numeric (total digits, digits after
	// the point).
	Precision, Scale int
	// TZ is true for a DateTime with time zone (TIMESTAMPTZ on PostgreSQL).
	TZ bool
	// EnumName, EnumSchema and Values describe an Enum. EnumName is the
	// PostgreSQL type name; MySQL renders ENUM(...) inline and SQLite a
	// CHECK, both from Values.
	EnumName   string
	EnumSchema string
	Values     []string
	// Raw maps a dialect name ("sqlite", "postgres", "mysql") to the SQL
	// type text to use there; the key "" is the fallback for any other
	// dialect. Read it with RawFor.
	Raw map[string]string
	// Native is the type as the database spelled it, set by an Inspector
	// ("character varying(255)", "INTEGER", "int(10) unsigned"); it is
	// "" in a declared type. Renderers write a type from its Kind and
	// parameters, never from Native. Compare a reflected type with a
	// declared one through the dialect's Normalizer, which knows which
	// spellings are the same type.
	Native string
	// Ext holds the attributes of a type that its dialect has and the
	// neutral kinds do not (unsigned, array, collation, character set).
	// The zero TypeExt means none.
	Ext TypeExt
}

// TypeExt holds dialect attributes of a column type. It is a small struct
// of plain fields rather than a map so that it is typed (a misspelt
// attribute does not compile), comparable with == (Type.Equal and a
// Normalizer compare it without a helper) and documented field by field.
// The attributes are neutral where the idea is shared (Collation exists
// on all three dialects) and say which dialect they belong to where it is
// not. An Inspector sets the fields its database reports; renderers do
// not write them yet.
type TypeExt struct {
	// Unsigned marks a MySQL UNSIGNED integer or decimal type.
	Unsigned bool
	// ArrayDims is the number of array dimensions of a PostgreSQL array
	// type (1 for text[]); 0 is not an array.
	ArrayDims int
	// Collation is the collation of a character type when it is not the
	// default, as the database names it ("NOCASE", "C", "utf8mb4_bin").
	Collation string
	// Charset is the character set of a MySQL character type when it is
	// not the table's.
	Charset string
}

// IsZero reports whether e holds no attribute.
func (e TypeExt) IsZero() bool { return e == TypeExt{} }

// Integer is a 32-bit signed integer (INTEGER).
func Integer() Type { return Type{Kind: KindInteger} }

// BigInteger is a 64-bit signed integer (BIGINT).
func BigInteger() Type { return Type{Kind: KindBigInteger} }

// SmallInteger is a 16-bit signed integer (SMALLINT).
func SmallInteger() Type { return Type{Kind: KindSmallInteger} }

// Boolean is a truth value (BOOLEAN; TINYINT(1) on MySQL).
func Boolean() Type { return Type{Kind: KindBoolean} }

// String is a character string of at most n characters (VARCHAR(n)).
// Validate rejects n <= 0: use Text for unbounded strings.
func String(n int) Type { return Type{Kind: KindString, Length: n} }

// Text is an unbounded character string.
func Text() Type { return Type{Kind: KindText} }

// Numeric is an exact decimal number with precision digits in total and
// scale digits after the point (NUMERIC(p,s)). Numeric(0, 0) leaves both
// to the database.
func Numeric(precision, scale int) Type {
	return Type{Kind: KindNumeric, Precision: precision, Scale: scale}
}

// Float is a double-precision binary floating point number.
func Float() Type { return Type{Kind: KindFloat} }

// Date is a calendar date.
func Date() Type { return Type{Kind: KindDate} }

// Time is a time of day without date and without time zone.
func Time() Type { return Type{Kind: KindTime} }

// DateTime is a date and time; with tz true it carries a time zone
// (TIMESTAMP WITH TIME ZONE), otherwise it does not.
func DateTime(tz bool) Type { return Type{Kind: KindDateTime, TZ: tz} }

// Interval is a time span (INTERVAL on PostgreSQL).
func Interval() Type { return Type{Kind: KindInterval} }

// JSON is a JSON document (JSONB on PostgreSQL, JSON on MySQL, TEXT on
// SQLite).
func JSON() Type { return Type{Kind: KindJSON} }

// UUID is a 128-bit universally unique identifier.
func UUID() Type { return Type{Kind: KindUUID} }

// LargeBinary is an unbounded byte string (BYTEA, LONGBLOB, BLOB).
func LargeBinary() Type { return Type{Kind: KindLargeBinary} }

// Enum is an enumerated type named name with the given values, in order.
// On PostgreSQL it is a named type created with CREATE TYPE (see
// EnumType); the name is ignored elsewhere.
func Enum(name string, values ...string) Type {
	return Type{Kind: KindEnum, EnumName: name, Values: slices.Clone(values)}
}

// Raw is a dialect-specific type given as SQL text per dialect name, for
// what the neutral kinds do not cover: Raw(map[string]string{"postgres":
// "CIDR", "": "VARCHAR(43)"}). The key "" applies to any dialect not
// listed. A renderer that finds no entry for its dialect returns an error.
func Raw(byDialect map[string]string) Type {
	return Type{Kind: KindRaw, Raw: maps.Clone(byDialect)}
}

// RawFor returns the SQL text of a Raw type for the dialect, falling back to
// the "" entry; ok is false when neither exists or t is not Raw.
func (t Type) RawFor(dialect string) (sql string, ok bool) {
	if t.Kind != KindRaw {
		return "", false
	}
	if s, ok := t.Raw[dialect]; ok {
		return s, true
	}
	s, ok := t.Raw[""]
	return s, ok
}

// InSchema returns an Enum type whose PostgreSQL type lives in the given
// schema. It returns t unchanged for other kinds.
func (t Type) InSchema(schema string) Type {
	if t.Kind == KindEnum {
		t.EnumSchema = schema
	}
	return t
}

// EnumType returns the PostgreSQL enum type an Enum column needs, for
// CreateEnum. ok is false when t is not an Enum.
func (t Type) EnumType() (e EnumType, ok bool) {
	if t.Kind != KindEnum {
		return EnumType{}, false
	}
	return EnumType{Schema: t.EnumSchema, Name: t.EnumName, Values: slices.Clone(t.Values)}, true
}

// IsInteger reports whether t is one of the integer kinds, the only kinds
// that may carry an identity.
func (t Type) IsInteger() bool {
	return t.Kind == KindInteger || t.Kind == KindBigInteger || t.Kind == KindSmallInteger
}

// Equal reports whether t and u are the same type, field by field,
// Native and Ext included. It knows no dialect: String(255) and a
// reflected VARCHAR(255) differ here. To ask whether a database holds a
// declared type, normalise both with the dialect's Normalizer first.
func (t Type) Equal(u Type) bool {
	return t.Kind == u.Kind && t.Length == u.Length && t.Precision == u.Precision &&
		t.Scale == u.Scale && t.TZ == u.TZ && t.EnumName == u.EnumName &&
		t.EnumSchema == u.EnumSchema && slices.Equal(t.Values, u.Values) &&
		maps.Equal(t.Raw, u.Raw) && t.Native == u.Native && t.Ext == u.Ext
}

// String describes the type as its constructor call would, for logs and
// error messages: "String(255)", "DateTime(tz)", "Enum(mood: sad,happy)".
// It is not SQL.
func (t Type) String() string {
	switch t.Kind {
	case KindString:
		return "String(" + strconv.Itoa(t.Length) + ")"
	case KindNumeric:
		return "Numeric(" + strconv.Itoa(t.Precision) + "," + strconv.Itoa(t.Scale) + ")"
	case KindDateTime:
		if t.TZ {
			return "DateTime(tz)"
		}
		return "DateTime"
	case KindEnum:
		name := t.EnumName
		if t.EnumSchema != "" {
			name = t.EnumSchema + "." + name
		}
		return "Enum(" + name + ": " + strings.Join(t.Values, ",") + ")"
	case KindRaw:
		keys := slices.Sorted(maps.Keys(t.Raw))
		parts := make([]string, len(keys))
		for i, k := range keys {
			d := k
			if d == "" {
				d = "*"
			}
			parts[i] = d + "=" + t.Raw[k]
		}
		return "Raw(" + strings.Join(parts, "; ") + ")"
	}
	return t.Kind.String()
}

// Describe is String followed by what a database reported, for messages
// about reflected types: `String(255) native "character varying(255)"`,
// with the set Ext attributes after it.
func (t Type) Describe() string {
	s := t.String()
	if t.Native != "" {
		s += " native " + strconv.Quote(t.Native)
	}
	if t.Ext.Unsigned {
		s += " unsigned"
	}
	if t.Ext.ArrayDims > 0 {
		s += " array" + strconv.Itoa(t.Ext.ArrayDims)
	}
	if t.Ext.Collation != "" {
		s += " collate " + t.Ext.Collation
	}
	if t.Ext.Charset != "" {
		s += " charset " + t.Ext.Charset
	}
	return s
}

// EnumType is a named enumerated type (PostgreSQL CREATE TYPE … AS ENUM).
type EnumType struct {
	Schema string
	Name   string
	Values []string
}

// Equal reports whether e and f are the same enum type with the same
// values in the same order.
func (e EnumType) Equal(f EnumType) bool {
	return e.Schema == f.Schema && e.Name == f.Name && slices.Equal(e.Values, f.Values)
}

// String returns the enum's qualified name.
func (e EnumType) String() string {
	if e.Schema != "" {
		return e.Schema + "." + e.Name
	}
	return e.Name
}
