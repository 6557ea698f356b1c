package schemafmt

import (
	"errors"
	"fmt"
	"go/format"
	"go/token"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/retortdb/retort/schema"
)

// GoOptions are the options of Go.
type GoOptions struct {
	// Package is the package clause's name; "" is "target".
	Package string
	// Func is the function's name; "" is "Schema".
	Func string
	// Doc is the function's doc comment, without the comment markers
	// (one line or several); "" is "<Func> returns the schema.".
	Doc string
}

// Go returns the source of a Go file, formatted by go/format, that
// declares
//
//	func Schema() *schema.Schema
//
// building s with the schema package's builders, as a project would write
// its desired schema by hand: schema.NewTable with schema.Col columns,
// then the chained PrimaryKey, Unique, ForeignKey, Check, Index and
// WithComment calls, each constraint with its name when it has one.
//
// The function builds s with every Type.Native cleared: Native is what a
// database reported, not part of a declared type. Everything else comes
// out as it is in s, tables and enum types in s's order; what the schema
// package has no builder for is written as a composite literal (a type
// with TypeExt attributes, an index with a Method) or, for a TableExt,
// through a small helper function declared in the file. A default value
// of a Go type that has no literal (a time.Time not in UTC, an infinite
// float, a type the schema package does not document) is an error naming
// the column.
func Go(s *schema.Schema, opts GoOptions) ([]byte, error) {
	if s == nil {
		return nil, errors.New("render schema as Go: no schema")
	}
	pkg, fn := orDefault(opts.Package, "target"), orDefault(opts.Func, "Schema")
	if !token.IsIdentifier(pkg) || !token.IsIdentifier(fn) {
		return nil, fmt.Errorf("render schema as Go: package %q and function %q must be Go identifiers", pkg, fn)
	}
	doc := orDefault(opts.Doc, fn+" returns the schema.")
	g := &goWriter{}
	g.p("return &schema.Schema{\n")
	if s.Name != "" {
		g.p("Name: %s,\n", goString(s.Name))
	}
	if len(s.Enums) > 0 {
		g.p("Enums: []schema.EnumType{\n")
		for _, e := range s.Enums {
			g.p("{")
			if e.Schema != "" {
				g.p("Schema: %s, ", goString(e.Schema))
			}
			g.p("Name: %s, Values: %s},\n", goString(e.Name), goStrings(e.Values))
		}
		g.p("},\n")
	}
	if len(s.Tables) > 0 {
		g.p("Tables: []*schema.Table{\n")
		for _, t := range s.Tables {
			if err := g.table(t); err != nil {
				return nil, fmt.Errorf("render schema as Go: table %s: %w", t.TableName(), err)
			}
			g.p(",\n")
		}
		g.p("},\n")
	}
	g.p("}\n")

	var src strings.Builder
	fmt.Fprintf(&src, "package %s\n\n", pkg)
	if g.usesTime {
		src.WriteString("import (\n\"time\"\n\n\"github.com/retortdb/retort/schema\"\n)\n\n")
	} else {
		src.WriteString("import \"github.com/retortdb/retort/schema\"\n\n")
	}
	for _, l := range strings.Split(doc, "\n") {
		src.WriteString(strings.TrimRight("// "+l, " ") + "\n")
	}
	fmt.Fprintf(&src, "func %s() *schema.Schema {\n%s}\n", fn, g.b.String())
	if g.usesExt {
		src.WriteString(`
// withExt returns t with the dialect attributes ext, for which package
// schema has no builder.
func withExt(t *schema.Table, ext schema.TableExt) *schema.Table {
	t = t.Clone()
	t.Ext = ext
	return t
}
`)
	}
	out, err := format.Source([]byte(src.String()))
	if err != nil {
		return nil, fmt.Errorf("render schema as Go: format: %w", err)
	}
	return out, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// goWriter accumulates Go source: the body of Go's function, or GoOps's
// statements. native keeps the types' Native spellings (GoOps's option).
type goWriter struct {
	b                 strings.Builder
	usesTime, usesExt bool
	native            bool
}

func (g *goWriter) p(format string, a ...any) { fmt.Fprintf(&g.b, format, a...) }

func (g *goWriter) table(t *schema.Table) error {
	if !t.Ext.IsZero() {
		g.usesExt = true
		g.p("withExt(")
	}
	g.p("schema.NewTable(%s,\n", goString(t.Name))
	for _, c := range t.Columns {
		s, err := g.column(c)
		if err != nil {
			return fmt.Errorf("column %s: %w", c.Name, err)
		}
		g.p("%s,\n", s)
	}
	g.p(")")
	chain := func(format string, a ...any) { g.p(".\n"+format, a...) }
	if pk := t.PK; pk != nil {
		if pk.Name == "" {
			chain("PrimaryKey(%s)", goArgs(pk.Columns))
		} else {
			chain("SetPrimaryKey(%s)", primaryKey(*pk))
		}
	}
	for _, u := range t.Uniques {
		if u.Name == "" {
			chain("Unique(%s)", goArgs(u.Columns))
		} else {
			chain("AddUnique(%s)", unique(u))
		}
	}
	for _, fk := range t.ForeignKeys {
		chain("ForeignKey(%s)", foreignKey(fk))
	}
	for _, ck := range t.Checks {
		if ck.Name == "" && ck.Label != "" {
			chain("Check(%s, %s)", goString(ck.Label), goString(ck.Expr))
		} else {
			chain("AddCheck(%s)", check(ck))
		}
	}
	for _, idx := range t.Indexes {
		chain("Index(%s)", index(idx))
	}
	if t.Comment != "" {
		chain("WithComment(%s)", goString(t.Comment))
	}
	if t.Schema != "" {
		chain("InSchema(%s)", goString(t.Schema))
	}
	if !t.Ext.IsZero() {
		e := t.Ext
		var f fields
		f.add(e.AutoIncrement, "AutoIncrement: true")
		f.add(e.WithoutRowID, "WithoutRowID: true")
		f.add(e.Strict, "Strict: true")
		f.str("Engine", e.Engine)
		f.str("Charset", e.Charset)
		f.str("Collation", e.Collation)
		g.p(",\nschema.TableExt{%s},\n)", f)
	}
	return nil
}

func (g *goWriter) column(c schema.Column) (string, error) {
	s := "schema.Col(" + goString(c.Name) + ", " + goType(c.Type, g.native) + ")"
	if c.Null {
		s += ".Nullable()"
	}
	switch c.Def.Kind {
	case schema.DefaultExpr:
		s += ".Default(schema.Expr(" + goString(c.Def.Expr) + "))"
	case schema.DefaultValue:
		v, err := g.value(c.Def.Value, "default value")
		if err != nil {
			return "", err
		}
		s += ".Default(schema.Value(" + v + "))"
	}
	if c.AutoIncrement {
		s += ".Identity()"
	}
	if g := c.Generated; g != nil {
		s += fmt.Sprintf(".GeneratedAs(%s, %t)", goString(g.Expr), g.Stored)
	}
	if c.Comment != "" {
		s += ".WithComment(" + goString(c.Comment) + ")"
	}
	return s, nil
}

// value returns a Go expression of v's dynamic type and value; what
// names v in an error ("default value", "value").
func (g *goWriter) value(v any, what string) (string, error) {
	switch x := v.(type) {
	case nil:
		return "nil", nil
	case string:
		return goString(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprintf("%T(%d)", x, x), nil
	case float32:
		if math.IsInf(float64(x), 0) || math.IsNaN(float64(x)) {
			return "", fmt.Errorf("%s %v has no Go literal", what, x)
		}
		return "float32(" + strconv.FormatFloat(float64(x), 'g', -1, 32) + ")", nil
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return "", fmt.Errorf("%s %v has no Go literal", what, x)
		}
		f := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(f, ".e") {
			f += ".0" // an untyped float constant, so that Value gets a float64
		}
		return f, nil
	case []byte:
		if x == nil {
			return "[]byte(nil)", nil
		}
		return "[]byte(" + goString(string(x)) + ")", nil
	case time.Time:
		if x.Location() != time.UTC {
			return "", fmt.Errorf("%s %v is not in UTC", what, x)
		}
		g.usesTime = true
		return fmt.Sprintf("time.Date(%d, %d, %d, %d, %d, %d, %d, time.UTC)",
			x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), x.Second(), x.Nanosecond()), nil
	}
	return "", fmt.Errorf("%s of type %T has no Go literal", what, v)
}

// goType returns the constructor call that makes t without Native, or a
// composite literal where no constructor makes it (TypeExt attributes,
// or parameters the kind does not use). With native, a type that has a
// Native spelling keeps it, in a literal.
func goType(t schema.Type, native bool) string {
	if !native {
		t.Native = ""
	}
	var call string
	var built schema.Type
	switch t.Kind {
	case schema.KindString:
		call, built = fmt.Sprintf("schema.String(%d)", t.Length), schema.String(t.Length)
	case schema.KindNumeric:
		call, built = fmt.Sprintf("schema.Numeric(%d, %d)", t.Precision, t.Scale), schema.Numeric(t.Precision, t.Scale)
	case schema.KindDateTime:
		call, built = fmt.Sprintf("schema.DateTime(%t)", t.TZ), schema.DateTime(t.TZ)
	case schema.KindEnum:
		args := append([]string{goString(t.EnumName)}, goStringList(t.Values)...)
		call, built = "schema.Enum("+strings.Join(args, ", ")+")", schema.Enum(t.EnumName, t.Values...)
		if t.EnumSchema != "" {
			call += ".InSchema(" + goString(t.EnumSchema) + ")"
			built = built.InSchema(t.EnumSchema)
		}
	case schema.KindRaw:
		call, built = "schema.Raw("+goMap(t.Raw)+")", schema.Raw(t.Raw)
	case schema.KindInvalid:
		// no constructor: the literal below
	default:
		call, built = "schema."+t.Kind.String()+"()", schema.Type{Kind: t.Kind}
	}
	if call != "" && built.Equal(t) {
		return call
	}
	var f fields
	f.add(true, "Kind: schema.Kind"+t.Kind.String())
	f.add(t.Length != 0, "Length: "+strconv.Itoa(t.Length))
	f.add(t.Precision != 0, "Precision: "+strconv.Itoa(t.Precision))
	f.add(t.Scale != 0, "Scale: "+strconv.Itoa(t.Scale))
	f.add(t.TZ, "TZ: true")
	f.str("EnumName", t.EnumName)
	f.str("EnumSchema", t.EnumSchema)
	f.add(len(t.Values) > 0, "Values: "+goStrings(t.Values))
	f.add(len(t.Raw) > 0, "Raw: "+goMap(t.Raw))
	f.str("Native", t.Native)
	if !t.Ext.IsZero() {
		var e fields
		e.add(t.Ext.Unsigned, "Unsigned: true")
		e.add(t.Ext.ArrayDims != 0, "ArrayDims: "+strconv.Itoa(t.Ext.ArrayDims))
		e.str("Collation", t.Ext.Collation)
		e.str("Charset", t.Ext.Charset)
		f.add(true, "Ext: schema.TypeExt{"+e.String()+"}")
	}
	return "schema.Type{" + f.String() + "}"
}

// check returns the builder call or literal of ck: CheckExpr when it
// has a label, Named when it has a name.
func check(ck schema.Check) string {
	switch {
	case ck.Label != "" && ck.Name != "":
		return "schema.CheckExpr(" + goString(ck.Label) + ", " + goString(ck.Expr) + ").Named(" + goString(ck.Name) + ")"
	case ck.Label != "":
		return "schema.CheckExpr(" + goString(ck.Label) + ", " + goString(ck.Expr) + ")"
	case ck.Name != "":
		return "schema.Check{Name: " + goString(ck.Name) + ", Expr: " + goString(ck.Expr) + "}"
	}
	return "schema.Check{Expr: " + goString(ck.Expr) + "}"
}

// primaryKey returns the builder calls of pk.
func primaryKey(pk schema.PrimaryKey) string {
	s := "schema.PrimaryKeyOn(" + goArgs(pk.Columns) + ")"
	if pk.Name != "" {
		s += ".Named(" + goString(pk.Name) + ")"
	}
	return s
}

// unique returns the builder calls of u.
func unique(u schema.Unique) string {
	s := "schema.UniqueOn(" + goArgs(u.Columns) + ")"
	if u.Name != "" {
		s += ".Named(" + goString(u.Name) + ")"
	}
	return s
}

// enumType returns the literal of e.
func enumType(e schema.EnumType) string {
	var f fields
	f.str("Schema", e.Schema)
	f.add(true, "Name: "+goString(e.Name))
	f.add(e.Values != nil, "Values: "+goStrings(e.Values))
	return "schema.EnumType{" + f.String() + "}"
}

func foreignKey(fk schema.ForeignKey) string {
	s := "schema.FK(" + goArgs(fk.Columns) + ")"
	if fk.RefSchema != "" {
		s += ".ReferencesIn(" + goString(fk.RefSchema) + ", " + goString(fk.RefTable)
	} else {
		s += ".References(" + goString(fk.RefTable)
	}
	if len(fk.RefColumns) > 0 {
		s += ", " + goArgs(fk.RefColumns)
	}
	s += ")"
	if fk.OnDelete != "" {
		s += ".DeleteRule(" + action(fk.OnDelete) + ")"
	}
	if fk.OnUpdate != "" {
		s += ".UpdateRule(" + action(fk.OnUpdate) + ")"
	}
	switch fk.Deferral {
	case schema.DeferrableImmediate:
		s += ".Deferrable(schema.DeferrableImmediate)"
	case schema.DeferrableDeferred:
		s += ".Deferrable(schema.DeferrableDeferred)"
	}
	if fk.Name != "" {
		s += ".Named(" + goString(fk.Name) + ")"
	}
	return s
}

func action(a schema.Action) string {
	switch a {
	case schema.NoAction:
		return "schema.NoAction"
	case schema.Restrict:
		return "schema.Restrict"
	case schema.Cascade:
		return "schema.Cascade"
	case schema.SetNull:
		return "schema.SetNull"
	case schema.SetDefault:
		return "schema.SetDefault"
	}
	return "schema.Action(" + goString(string(a)) + ")"
}

// index returns the builder calls of idx: IndexOn with its leading
// column parts (or IndexExpr with a leading expression), Also with the
// rest, then AsUnique, Partial and Named; a literal when it has a Method
// or no Parts at all (a DropIndex may name just the index).
func index(idx schema.Index) string {
	if idx.Method != "" || idx.Parts == nil {
		var f fields
		f.str("Name", idx.Name)
		f.add(idx.Unique, "Unique: true")
		f.add(idx.Parts != nil, "Parts: []schema.IndexPart{"+indexParts(idx.Parts)+"}")
		f.str("Where", idx.Where)
		f.str("Method", idx.Method)
		f.add(len(idx.Include) > 0, "Include: "+goStrings(idx.Include))
		return "schema.Index{" + f.String() + "}"
	}
	n := 0
	for n < len(idx.Parts) && idx.Parts[n].Expr == "" && !idx.Parts[n].Desc {
		n++
	}
	var s string
	switch {
	case n == 0 && len(idx.Parts) > 0 && idx.Parts[0].Column == "" && !idx.Parts[0].Desc:
		s, n = "schema.IndexExpr("+goString(idx.Parts[0].Expr)+")", 1
	default:
		cols := make([]string, n)
		for i, p := range idx.Parts[:n] {
			cols[i] = p.Column
		}
		s = "schema.IndexOn(" + goArgs(cols) + ")"
	}
	if rest := idx.Parts[n:]; len(rest) > 0 {
		parts := make([]string, len(rest))
		for i, p := range rest {
			parts[i] = "schema.IndexPart{" + indexPart(p) + "}"
		}
		s += ".Also(" + strings.Join(parts, ", ") + ")"
	}
	if idx.Unique {
		s += ".AsUnique()"
	}
	if idx.Where != "" {
		s += ".Partial(" + goString(idx.Where) + ")"
	}
	if len(idx.Include) > 0 {
		s += ".Including(" + goArgs(idx.Include) + ")"
	}
	if idx.Name != "" {
		s += ".Named(" + goString(idx.Name) + ")"
	}
	return s
}

func indexParts(ps []schema.IndexPart) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = "{" + indexPart(p) + "}"
	}
	return strings.Join(out, ", ")
}

func indexPart(p schema.IndexPart) string {
	var f fields
	f.str("Column", p.Column)
	f.str("Expr", p.Expr)
	f.add(p.Desc, "Desc: true")
	return f.String()
}

// fields collects the fields of a composite literal.
type fields []string

func (f *fields) add(ok bool, s string) {
	if ok {
		*f = append(*f, s)
	}
}

func (f *fields) str(name, v string) { f.add(v != "", name+": "+goString(v)) }

func (f fields) String() string { return strings.Join(f, ", ") }

// goString returns s as a Go string literal: a raw one when s has double
// quotes or backslashes and can be one, so that SQL reads as SQL.
func goString(s string) string {
	if strings.ContainsAny(s, `"\`) && strconv.CanBackquote(s) {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}

func goStringList(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = goString(s)
	}
	return out
}

func goArgs(ss []string) string { return strings.Join(goStringList(ss), ", ") }

func goStrings(ss []string) string { return "[]string{" + goArgs(ss) + "}" }

func goMap(m map[string]string) string {
	if m == nil {
		return "nil"
	}
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = goString(k) + ": " + goString(m[k])
	}
	return "map[string]string{" + strings.Join(parts, ", ") + "}"
}
