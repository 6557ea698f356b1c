package schemafmt

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/retortdb/retort/schema"
)

// The JSON form of a schema is one object. Every field is left out when
// it holds its zero value (an empty string, false, 0, an empty list),
// except the name of a table, a column and an enum type and the kind of
// a type, so that a field present always means something; a reader
// treats a missing field as its zero value. The form is stable: a later
// version may add fields, never rename or remove one. Tables and enum types are sorted by schema and
// name; columns, constraints, index parts and enum values keep their
// order, which is part of the model.
//
//	{
//	  "schema": "public",                    Schema.Name
//	  "enums": [{"schema": "", "name": "mood", "values": ["sad", "happy"]}],
//	  "tables": [{
//	    "schema": "", "name": "account", "comment": "…",
//	    "columns": [{
//	      "name": "email",
//	      "type": {                           see below
//	        "kind": "String", "length": 255, "native": "character varying(255)"},
//	      "nullable": true,
//	      "default": {"value": "x", "go_type": "string"} or {"expr": "now()"},
//	      "identity": true,                   Column.AutoIncrement
//	      "comment": "…",
//	      "generated": {"expr": "a * 2", "stored": true}},  Column.Generated
//	    "primary_key": {"name": "pk_account", "columns": ["id"]},
//	    "uniques": [{"name": "…", "columns": ["email"]}],
//	    "foreign_keys": [{"name": "…", "columns": ["org_id"], "ref_schema": "",
//	      "ref_table": "org", "ref_columns": ["id"], "on_delete": "CASCADE", "on_update": "…",
//	      "not_valid": true}],                ForeignKey.NotValid
//	    "checks": [{"name": "…", "label": "…", "expr": "price > 0", "not_valid": true}],
//	    "indexes": [{"name": "…", "unique": true,
//	      "parts": [{"column": "a"}, {"expr": "lower(b)", "desc": true}],
//	      "where": "…", "method": "gin"}],
//	    "ext": {"auto_increment": true, "without_rowid": true, "strict": true,
//	      "engine": "…", "charset": "…", "collation": "…"},
//	    "partitioning": {"key": "RANGE (created_at)", "partitions": ["…"]}}]
//	}
//
// A type is {"kind": K} with K the name of its kind as its constructor
// spells it (schema.Kind.String: "Integer", "String", "Numeric",
// "DateTime", "Enum", "Raw", …), then the parameters its kind uses:
// "length" (String), "precision" and "scale" (Numeric), "tz" (DateTime),
// "enum_name", "enum_schema" and "values" (Enum), "raw" (Raw: an object
// from dialect name to SQL text, "" the fallback); "native", the type as
// the database spelled it; and "ext", the dialect attributes
// {"unsigned": true, "array_dims": 1, "collation": "…", "charset": "…"}.
//
// A default is {"expr": SQL} for a server expression, or {"value": V,
// "go_type": T} for a literal value, where T names the Go type of the
// value so that it decodes to the same one: "nil" (no "value"), "string",
// "bool", "int", "int8" … "int64", "uint" … "uint64", "float32",
// "float64", "bytes" (V in standard base64) or "time" (V in RFC 3339 with
// nanoseconds, in UTC).

// jsonSchema and the types below are the JSON form; see above.
type jsonSchema struct {
	Schema string      `json:"schema,omitempty"`
	Enums  []jsonEnum  `json:"enums,omitempty"`
	Tables []jsonTable `json:"tables,omitempty"`
}

type jsonEnum struct {
	Schema string   `json:"schema,omitempty"`
	Name   string   `json:"name"`
	Values []string `json:"values,omitempty"`
}

type jsonTable struct {
	Schema      string           `json:"schema,omitempty"`
	Name        string           `json:"name"`
	Comment     string           `json:"comment,omitempty"`
	Columns     []jsonColumn     `json:"columns,omitempty"`
	PrimaryKey  *jsonKey         `json:"primary_key,omitempty"`
	Uniques     []jsonKey        `json:"uniques,omitempty"`
	ForeignKeys []jsonForeignKey `json:"foreign_keys,omitempty"`
	Checks      []jsonCheck      `json:"checks,omitempty"`
	Indexes     []jsonIndex      `json:"indexes,omitempty"`
	Ext         *jsonTableExt    `json:"ext,omitempty"`
	// Partitioning is Table.Partitioning.
	Partitioning *jsonPartitioning `json:"partitioning,omitempty"`
}

type jsonPartitioning struct {
	Key        string   `json:"key,omitempty"`
	Partitions []string `json:"partitions,omitempty"`
}

type jsonColumn struct {
	Name      string         `json:"name"`
	Type      jsonType       `json:"type"`
	Nullable  bool           `json:"nullable,omitempty"`
	Default   *jsonDefault   `json:"default,omitempty"`
	Identity  bool           `json:"identity,omitempty"`
	Comment   string         `json:"comment,omitempty"`
	Generated *jsonGenerated `json:"generated,omitempty"`
}

// jsonGenerated is a generated column's expression and storage.
type jsonGenerated struct {
	Expr   string `json:"expr"`
	Stored bool   `json:"stored,omitempty"`
}

type jsonType struct {
	Kind       string            `json:"kind"`
	Length     int               `json:"length,omitempty"`
	Precision  int               `json:"precision,omitempty"`
	Scale      int               `json:"scale,omitempty"`
	TZ         bool              `json:"tz,omitempty"`
	EnumName   string            `json:"enum_name,omitempty"`
	EnumSchema string            `json:"enum_schema,omitempty"`
	Values     []string          `json:"values,omitempty"`
	Raw        map[string]string `json:"raw,omitempty"`
	Native     string            `json:"native,omitempty"`
	Ext        *jsonTypeExt      `json:"ext,omitempty"`
}

type jsonTypeExt struct {
	Unsigned  bool   `json:"unsigned,omitempty"`
	ArrayDims int    `json:"array_dims,omitempty"`
	Collation string `json:"collation,omitempty"`
	Charset   string `json:"charset,omitempty"`
}

type jsonDefault struct {
	Expr   string          `json:"expr,omitempty"`
	Value  json.RawMessage `json:"value,omitempty"`
	GoType string          `json:"go_type,omitempty"`
}

type jsonKey struct {
	Name    string   `json:"name,omitempty"`
	Columns []string `json:"columns,omitempty"`
}

type jsonForeignKey struct {
	Name       string   `json:"name,omitempty"`
	Columns    []string `json:"columns,omitempty"`
	RefSchema  string   `json:"ref_schema,omitempty"`
	RefTable   string   `json:"ref_table,omitempty"`
	RefColumns []string `json:"ref_columns,omitempty"`
	OnDelete   string   `json:"on_delete,omitempty"`
	OnUpdate   string   `json:"on_update,omitempty"`
	Deferral   string   `json:"deferral,omitempty"`
	NotValid   bool     `json:"not_valid,omitempty"`
}

type jsonCheck struct {
	Name  string `json:"name,omitempty"`
	Label string `json:"label,omitempty"`
	Expr  string `json:"expr,omitempty"`
	// NotValid is Check.NotValid.
	NotValid bool `json:"not_valid,omitempty"`
}

type jsonIndex struct {
	Name   string          `json:"name,omitempty"`
	Unique bool            `json:"unique,omitempty"`
	Parts  []jsonIndexPart `json:"parts,omitempty"`
	Where  string          `json:"where,omitempty"`
	Method string          `json:"method,omitempty"`
	// Include are a covering index's carried columns.
	Include []string `json:"include,omitempty"`
}

type jsonIndexPart struct {
	Column string `json:"column,omitempty"`
	Expr   string `json:"expr,omitempty"`
	Desc   bool   `json:"desc,omitempty"`
}

type jsonTableExt struct {
	AutoIncrement bool   `json:"auto_increment,omitempty"`
	WithoutRowID  bool   `json:"without_rowid,omitempty"`
	Strict        bool   `json:"strict,omitempty"`
	Engine        string `json:"engine,omitempty"`
	Charset       string `json:"charset,omitempty"`
	Collation     string `json:"collation,omitempty"`
}

// EncodeJSON returns s in its JSON form (described above), indented by
// two spaces and ending in a newline. Tables and enum types come out
// sorted by schema and name whatever their order in s. A default value
// of a Go type the form has no name for is an error naming the column.
func EncodeJSON(s *schema.Schema) ([]byte, error) {
	if s == nil {
		return nil, errors.New("encode schema as JSON: no schema")
	}
	out := jsonSchema{Schema: s.Name}
	for _, e := range sortedEnums(s.Enums) {
		out.Enums = append(out.Enums, jsonEnum{Schema: e.Schema, Name: e.Name, Values: e.Values})
	}
	for _, t := range sortedTables(s.Tables) {
		jt, err := tableJSON(t)
		if err != nil {
			return nil, fmt.Errorf("encode schema as JSON: table %s: %w", t.TableName(), err)
		}
		out.Tables = append(out.Tables, jt)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("encode schema as JSON: %w", err)
	}
	return b.Bytes(), nil
}

// DecodeJSON reads a schema in its JSON form. An unknown field, an
// unknown kind or go_type, or a value that does not fit its go_type is an
// error; DecodeJSON(EncodeJSON(s)) is Equal to s when s's tables and enum
// types are in sorted order (as an Inspector returns them).
func DecodeJSON(r io.Reader) (*schema.Schema, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var in jsonSchema
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("decode schema JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("decode schema JSON: more than one value")
	}
	s := &schema.Schema{Name: in.Schema}
	for _, e := range in.Enums {
		s.Enums = append(s.Enums, schema.EnumType{Schema: e.Schema, Name: e.Name, Values: e.Values})
	}
	for _, jt := range in.Tables {
		t, err := tableFromJSON(jt)
		if err != nil {
			return nil, fmt.Errorf("decode schema JSON: table %s: %w", schema.TableName{Schema: jt.Schema, Name: jt.Name}, err)
		}
		s.Tables = append(s.Tables, t)
	}
	return s, nil
}

func sortedTables(ts []*schema.Table) []*schema.Table {
	return slices.SortedStableFunc(slices.Values(ts), func(a, b *schema.Table) int {
		return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name))
	})
}

func sortedEnums(es []schema.EnumType) []schema.EnumType {
	return slices.SortedStableFunc(slices.Values(es), func(a, b schema.EnumType) int {
		return cmp.Or(cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Name, b.Name))
	})
}

func tableJSON(t *schema.Table) (jsonTable, error) {
	jt := jsonTable{Schema: t.Schema, Name: t.Name, Comment: t.Comment}
	for _, c := range t.Columns {
		jc := jsonColumn{Name: c.Name, Type: typeJSON(c.Type), Nullable: c.Null, Identity: c.AutoIncrement, Comment: c.Comment}
		if g := c.Generated; g != nil {
			jc.Generated = &jsonGenerated{Expr: g.Expr, Stored: g.Stored}
		}
		if !c.Def.IsZero() {
			d, err := defaultJSON(c.Def)
			if err != nil {
				return jt, fmt.Errorf("column %s: %w", c.Name, err)
			}
			jc.Default = d
		}
		jt.Columns = append(jt.Columns, jc)
	}
	if t.PK != nil {
		jt.PrimaryKey = &jsonKey{Name: t.PK.Name, Columns: t.PK.Columns}
	}
	for _, u := range t.Uniques {
		jt.Uniques = append(jt.Uniques, jsonKey{Name: u.Name, Columns: u.Columns})
	}
	for _, fk := range t.ForeignKeys {
		jt.ForeignKeys = append(jt.ForeignKeys, jsonForeignKey{Name: fk.Name, Columns: fk.Columns, RefSchema: fk.RefSchema,
			RefTable: fk.RefTable, RefColumns: fk.RefColumns, OnDelete: string(fk.OnDelete), OnUpdate: string(fk.OnUpdate), Deferral: string(fk.Deferral), NotValid: fk.NotValid})
	}
	for _, ck := range t.Checks {
		jt.Checks = append(jt.Checks, jsonCheck{Name: ck.Name, Label: ck.Label, Expr: ck.Expr, NotValid: ck.NotValid})
	}
	for _, idx := range t.Indexes {
		ji := jsonIndex{Name: idx.Name, Unique: idx.Unique, Where: idx.Where, Method: idx.Method, Include: idx.Include}
		for _, p := range idx.Parts {
			ji.Parts = append(ji.Parts, jsonIndexPart{Column: p.Column, Expr: p.Expr, Desc: p.Desc})
		}
		jt.Indexes = append(jt.Indexes, ji)
	}
	if !t.Ext.IsZero() {
		e := t.Ext
		jt.Ext = &jsonTableExt{AutoIncrement: e.AutoIncrement, WithoutRowID: e.WithoutRowID, Strict: e.Strict,
			Engine: e.Engine, Charset: e.Charset, Collation: e.Collation}
	}
	if p := t.Partitioning; p != nil {
		jt.Partitioning = &jsonPartitioning{Key: p.Key, Partitions: p.Partitions}
	}
	return jt, nil
}

func tableFromJSON(jt jsonTable) (*schema.Table, error) {
	t := &schema.Table{Schema: jt.Schema, Name: jt.Name, Comment: jt.Comment}
	for _, jc := range jt.Columns {
		typ, err := typeFromJSON(jc.Type)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", jc.Name, err)
		}
		c := schema.Column{Name: jc.Name, Type: typ, Null: jc.Nullable, AutoIncrement: jc.Identity, Comment: jc.Comment}
		if g := jc.Generated; g != nil {
			c.Generated = &schema.Generated{Expr: g.Expr, Stored: g.Stored}
		}
		if jc.Default != nil {
			if c.Def, err = defaultFromJSON(*jc.Default); err != nil {
				return nil, fmt.Errorf("column %s: %w", jc.Name, err)
			}
		}
		t.Columns = append(t.Columns, c)
	}
	if jt.PrimaryKey != nil {
		t.PK = &schema.PrimaryKey{Name: jt.PrimaryKey.Name, Columns: jt.PrimaryKey.Columns}
	}
	for _, u := range jt.Uniques {
		t.Uniques = append(t.Uniques, schema.Unique{Name: u.Name, Columns: u.Columns})
	}
	for _, fk := range jt.ForeignKeys {
		t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKey{Name: fk.Name, Columns: fk.Columns, RefSchema: fk.RefSchema,
			RefTable: fk.RefTable, RefColumns: fk.RefColumns, OnDelete: schema.Action(fk.OnDelete), OnUpdate: schema.Action(fk.OnUpdate), Deferral: schema.Deferral(fk.Deferral), NotValid: fk.NotValid})
	}
	for _, ck := range jt.Checks {
		t.Checks = append(t.Checks, schema.Check{Name: ck.Name, Label: ck.Label, Expr: ck.Expr, NotValid: ck.NotValid})
	}
	for _, ji := range jt.Indexes {
		idx := schema.Index{Name: ji.Name, Unique: ji.Unique, Where: ji.Where, Method: ji.Method, Include: ji.Include}
		for _, p := range ji.Parts {
			idx.Parts = append(idx.Parts, schema.IndexPart{Column: p.Column, Expr: p.Expr, Desc: p.Desc})
		}
		t.Indexes = append(t.Indexes, idx)
	}
	if e := jt.Ext; e != nil {
		t.Ext = schema.TableExt{AutoIncrement: e.AutoIncrement, WithoutRowID: e.WithoutRowID, Strict: e.Strict,
			Engine: e.Engine, Charset: e.Charset, Collation: e.Collation}
	}
	if p := jt.Partitioning; p != nil {
		t.Partitioning = &schema.Partitioning{Key: p.Key, Partitions: p.Partitions}
	}
	return t, nil
}

func typeJSON(t schema.Type) jsonType {
	jt := jsonType{Kind: t.Kind.String(), Length: t.Length, Precision: t.Precision, Scale: t.Scale, TZ: t.TZ,
		EnumName: t.EnumName, EnumSchema: t.EnumSchema, Values: t.Values, Raw: t.Raw, Native: t.Native}
	if !t.Ext.IsZero() {
		jt.Ext = &jsonTypeExt{Unsigned: t.Ext.Unsigned, ArrayDims: t.Ext.ArrayDims, Collation: t.Ext.Collation, Charset: t.Ext.Charset}
	}
	return jt
}

func typeFromJSON(jt jsonType) (schema.Type, error) {
	k, ok := kindNamed(jt.Kind)
	if !ok {
		return schema.Type{}, fmt.Errorf("unknown type kind %q", jt.Kind)
	}
	t := schema.Type{Kind: k, Length: jt.Length, Precision: jt.Precision, Scale: jt.Scale, TZ: jt.TZ,
		EnumName: jt.EnumName, EnumSchema: jt.EnumSchema, Values: jt.Values, Raw: jt.Raw, Native: jt.Native}
	if e := jt.Ext; e != nil {
		t.Ext = schema.TypeExt{Unsigned: e.Unsigned, ArrayDims: e.ArrayDims, Collation: e.Collation, Charset: e.Charset}
	}
	return t, nil
}

// kindNamed returns the Kind whose String is name.
func kindNamed(name string) (schema.Kind, bool) {
	for k := schema.KindInvalid; k <= schema.KindRaw; k++ {
		if k.String() == name {
			return k, true
		}
	}
	return schema.KindInvalid, false
}

func defaultJSON(d schema.Default) (*jsonDefault, error) {
	if d.Kind == schema.DefaultExpr {
		return &jsonDefault{Expr: d.Expr}, nil
	}
	var v any
	var typ string
	switch x := d.Value.(type) {
	case nil:
		return &jsonDefault{GoType: "nil"}, nil
	case string:
		v, typ = x, "string"
	case bool:
		v, typ = x, "bool"
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		v, typ = x, fmt.Sprintf("%T", x)
	case []byte:
		v, typ = base64.StdEncoding.EncodeToString(x), "bytes"
	case time.Time:
		v, typ = x.UTC().Format(time.RFC3339Nano), "time"
	default:
		return nil, fmt.Errorf("default value of type %T has no JSON form", d.Value)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("default value %v: %w", d.Value, err)
	}
	return &jsonDefault{Value: raw, GoType: typ}, nil
}

func defaultFromJSON(jd jsonDefault) (schema.Default, error) {
	if jd.GoType == "" {
		if len(jd.Value) > 0 {
			return schema.Default{}, errors.New("default has a value and no go_type")
		}
		return schema.Expr(jd.Expr), nil
	}
	if jd.Expr != "" {
		return schema.Default{}, errors.New("default has both an expr and a go_type")
	}
	if jd.GoType == "nil" {
		return schema.Value(nil), nil
	}
	var v any
	var err error
	switch jd.GoType {
	case "string", "bytes", "time":
		var s string
		if err = json.Unmarshal(jd.Value, &s); err != nil {
			break
		}
		switch jd.GoType {
		case "string":
			v = s
		case "bytes":
			v, err = base64.StdEncoding.DecodeString(s)
		case "time":
			var tm time.Time
			tm, err = time.Parse(time.RFC3339Nano, s)
			v = tm.UTC()
		}
	case "bool":
		var b bool
		err = json.Unmarshal(jd.Value, &b)
		v = b
	case "float32", "float64":
		var f float64
		err = json.Unmarshal(jd.Value, &f)
		v = f
		if jd.GoType == "float32" {
			v = float32(f)
		}
	default:
		v, err = intFromJSON(jd.GoType, string(jd.Value))
	}
	if err != nil {
		return schema.Default{}, fmt.Errorf("default value %s of go_type %s: %w", jd.Value, jd.GoType, err)
	}
	return schema.Value(v), nil
}

// intFromJSON parses the JSON number text as the integer type named typ.
func intFromJSON(typ, text string) (any, error) {
	bits := map[string]int{"int": strconv.IntSize, "int8": 8, "int16": 16, "int32": 32, "int64": 64,
		"uint": strconv.IntSize, "uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64}
	size, ok := bits[typ]
	if !ok {
		return nil, fmt.Errorf("unknown go_type %q", typ)
	}
	if typ[0] == 'u' {
		n, err := strconv.ParseUint(text, 10, size)
		if err != nil {
			return nil, err
		}
		switch typ {
		case "uint":
			return uint(n), nil
		case "uint8":
			return uint8(n), nil
		case "uint16":
			return uint16(n), nil
		case "uint32":
			return uint32(n), nil
		}
		return n, nil
	}
	n, err := strconv.ParseInt(text, 10, size)
	if err != nil {
		return nil, err
	}
	switch typ {
	case "int":
		return int(n), nil
	case "int8":
		return int8(n), nil
	case "int16":
		return int16(n), nil
	case "int32":
		return int32(n), nil
	}
	return n, nil
}
