package postgres

import (
	"slices"
	"strconv"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

var _ dialect.Normalizer = (*Dialect)(nil)

// pgSynonyms maps type names as written to format_type's spelling.
var pgSynonyms = map[string]string{
	"int": "integer", "int4": "integer", "int8": "bigint", "int2": "smallint",
	"bool": "boolean", "varchar": "character varying", "char": "character",
	"float8": "double precision", "double": "double precision", "float4": "real",
	"timestamptz": "timestamp with time zone", "timestamp": "timestamp without time zone",
	"timetz": "time with time zone", "time": "time without time zone", "decimal": "numeric",
	"serial": "integer", "bigserial": "bigint", "smallserial": "smallint",
}

// canonicalPG returns a type as format_type spells it, for the types
// written in one of their usual ways: lower case (outside double
// quotes), one space between words, synonyms resolved (VARCHAR(255) is
// character varying(255), TIMESTAMPTZ timestamp with time zone).
func canonicalPG(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if !strings.Contains(s, `"`) {
		s = strings.ToLower(s)
	}
	for _, r := range []struct{ from, to string }{{" (", "("}, {"( ", "("}, {" )", ")"}, {", ", ","}, {" [", "["}} {
		s = strings.ReplaceAll(s, r.from, r.to)
	}
	arr := ""
	for strings.HasSuffix(s, "[]") {
		s, arr = s[:len(s)-2], arr+"[]"
	}
	base, args := s, ""
	if i := strings.IndexByte(s, '('); i >= 0 && strings.HasSuffix(s, ")") && !strings.Contains(s[i:], " ") {
		base, args = s[:i], s[i:]
	}
	if syn, ok := pgSynonyms[base]; ok {
		if strings.HasSuffix(syn, " zone") && args != "" {
			// timestamp(3) with time zone: the precision goes after the first word.
			w := strings.SplitN(syn, " ", 2)
			return w[0] + args + " " + w[1] + arr
		}
		base = syn
	}
	return base + args + arr
}

// typeFromPG maps a type spelled as format_type does to a neutral kind,
// or to Raw with the text (arrays, and types no kind covers; ArrayDims
// counts an array's dimensions). Native is not set.
func typeFromPG(typ string) schema.Type {
	raw := func() schema.Type {
		t := schema.Raw(map[string]string{"postgres": typ})
		t.Ext.ArrayDims = strings.Count(typ, "[]")
		return t
	}
	if strings.HasSuffix(typ, "]") {
		return raw()
	}
	switch typ {
	case "integer":
		return schema.Integer()
	case "bigint":
		return schema.BigInteger()
	case "smallint":
		return schema.SmallInteger()
	case "boolean":
		return schema.Boolean()
	case "text":
		return schema.Text()
	case "numeric":
		return schema.Numeric(0, 0)
	case "double precision":
		return schema.Float()
	case "date":
		return schema.Date()
	case "time without time zone":
		return schema.Time()
	case "timestamp without time zone":
		return schema.DateTime(false)
	case "timestamp with time zone":
		return schema.DateTime(true)
	case "interval":
		return schema.Interval()
	case "jsonb":
		return schema.JSON()
	case "uuid":
		return schema.UUID()
	case "bytea":
		return schema.LargeBinary()
	}
	if n, ok := strings.CutPrefix(typ, "character varying("); ok {
		if l, err := strconv.Atoi(strings.TrimSuffix(n, ")")); err == nil && strings.HasSuffix(n, ")") && l > 0 {
			return schema.String(l)
		}
	}
	if n, ok := strings.CutPrefix(typ, "numeric("); ok && strings.HasSuffix(n, ")") {
		ps := strings.Split(strings.TrimSuffix(n, ")"), ",")
		if len(ps) == 2 {
			p, err1 := strconv.Atoi(ps[0])
			sc, err2 := strconv.Atoi(ps[1])
			if err1 == nil && err2 == nil {
				return schema.Numeric(p, sc)
			}
		}
	}
	return raw()
}

// NormalizeType implements dialect.Normalizer. The normal form of a type
// is what format_type reports for it, read back as a neutral kind, with
// that spelling in Native: String(255), "VARCHAR(255)" and "character
// varying(255)" are all {String(255), Native "character varying(255)"};
// JSON is jsonb; a Raw type is its text in format_type's spelling where
// it is a usual spelling (INT4 is integer, TIMESTAMPTZ timestamp with
// time zone), else in lower case. An Enum is its schema, name and values,
// without Native. Ext is kept, ArrayDims read from the spelling. A type
// the renderer cannot declare is returned unchanged.
func (d *Dialect) NormalizeType(t schema.Type) schema.Type {
	if t.Kind == schema.KindEnum {
		e := schema.Enum(t.EnumName, t.Values...).InSchema(t.EnumSchema)
		e.Ext = t.Ext
		return e
	}
	text := t.Native
	if text == "" {
		s, err := (renderer{d: d}).typeSQL("", t)
		if err != nil {
			return t
		}
		text = s
	}
	c := canonicalPG(text)
	out := typeFromPG(c)
	out.Native = c
	dims := out.Ext.ArrayDims
	out.Ext = t.Ext
	out.Ext.ArrayDims = dims
	return out
}

// isCasts reports whether s is a run of casts, "::character varying" or
// "::text[]::mood".
func isCasts(s string) bool {
	if !strings.HasPrefix(s, "::") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(`_ ."()[],:`, r)) {
			return false
		}
	}
	return true
}

// NormalizeDefault implements dialect.Normalizer. A default is first
// written as PostgreSQL keeps it (a Value as its literal), then read
// back with the parentheses around it removed: NULL (with or without a
// cast) is no default, which is what PostgreSQL stores for DEFAULT NULL;
// a constant is a Value of its text, whatever its type, since the column
// type gives it its meaning ('x'::character varying and Value("x") are
// Value("x"); 0.00, '0.00' and Value("0.00") are Value("0.00"); (-7),
// '-7'::integer and Value(-7) are Value("-7"); TRUE and Value(true) are
// Value("true")); CURRENT_DATE, CURRENT_TIME, CURRENT_TIMESTAMP,
// LOCALTIME and LOCALTIMESTAMP are Exprs in upper case; anything else is
// an Expr of its text, which autogenerate compares as the server
// deparsed it on both sides.
func (d *Dialect) NormalizeDefault(def schema.Default) schema.Default {
	var text string
	switch def.Kind {
	case schema.NoDefault:
		return def
	case schema.DefaultValue:
		s, err := d.Literal(def.Value)
		if err != nil {
			return def
		}
		text = s
	case schema.DefaultExpr:
		text = def.Expr
	}
	e := stripParens(text)
	u := strings.ToUpper(e)
	if u == "" || u == "NULL" || strings.HasPrefix(u, "NULL::") && isCasts(e[4:]) {
		return schema.Default{}
	}
	switch u {
	case "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP":
		return schema.Expr(u)
	case "NOW()", "TRANSACTION_TIMESTAMP()":
		// The same function as CURRENT_TIMESTAMP (the transaction's
		// start), however the default was written.
		return schema.Expr("CURRENT_TIMESTAMP")
	case "TRUE", "FALSE", "TRUE::BOOLEAN", "FALSE::BOOLEAN":
		return schema.Value(strings.ToLower(strings.TrimSuffix(u, "::BOOLEAN")))
	}
	if e[0] == '\'' {
		j := closeQuote(e)
		if j > 0 && (j == len(e) || isCasts(e[j:])) {
			return schema.Value(strings.ReplaceAll(e[1:j-1], "''", "'"))
		}
	}
	num, casts := e, ""
	if i := strings.Index(e, "::"); i > 0 {
		num, casts = e[:i], e[i:]
	}
	if (casts == "" || isCasts(casts)) && isNumber(stripParens(num)) {
		return schema.Value(stripParens(num))
	}
	return schema.Expr(e)
}

// closeQuote returns the index after the '…' string that starts s, or -1.
func closeQuote(s string) int {
	for i := 1; i < len(s); i++ {
		if s[i] == '\'' {
			if i+1 < len(s) && s[i+1] == '\'' {
				i++
				continue
			}
			return i + 1
		}
	}
	return -1
}

// isNumber reports whether s is a decimal number literal, signed or not.
func isNumber(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if s == "" {
		return false
	}
	digits, dot, exp := 0, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot && !exp:
			dot = true
		case (c == 'e' || c == 'E') && digits > 0 && !exp && i+1 < len(s):
			exp = true
			if s[i+1] == '-' || s[i+1] == '+' {
				i++
			}
		default:
			return false
		}
	}
	return digits > 0
}

// NormalizeTable implements dialect.Normalizer, after PostgreSQL's rules:
// types and defaults normalised (NormalizeType, NormalizeDefault); an
// identity column has no default; primary-key columns are NOT NULL; a
// foreign key's NO ACTION is the unspecified action and a referred
// schema equal to the table's is left out; check expressions, index
// expressions and predicates lose their outer parentheses (the server
// deparses them; autogenerate compares what it deparsed on both sides);
// a constraint or index without a name is named by n, fitted to
// PostgreSQL's 63 bytes, and a check's label is dropped once it has a
// name. Comments are kept: PostgreSQL keeps them.
func (d *Dialect) NormalizeTable(t *schema.Table, n schema.Naming) (*schema.Table, error) {
	out := t.Clone()
	res := func(c schema.Constraint) (string, error) { return n.Resolve(t.Name, c, limit()) }
	for i := range out.Columns {
		c := &out.Columns[i]
		c.Type = d.NormalizeType(c.Type)
		if c.Type.Kind == schema.KindEnum && c.Type.EnumSchema == t.Schema {
			c.Type.EnumSchema = ""
		}
		c.Def = dialect.NumericDefault(c.Type, d.NormalizeDefault(c.Def))
		if c.AutoIncrement {
			c.Def = schema.Default{}
		}
		if t.PK != nil && slices.Contains(t.PK.Columns, c.Name) {
			c.Null = false
		}
	}
	if err := dialect.NameConstraints(out, res); err != nil {
		return nil, err
	}
	for i := range out.Columns {
		if g := out.Columns[i].Generated; g != nil {
			g.Expr = stripParens(g.Expr)
		}
	}
	for i := range out.Checks {
		out.Checks[i].Expr = stripParens(out.Checks[i].Expr)
	}
	for i := range out.Indexes {
		idx := &out.Indexes[i]
		if idx.Method == "btree" {
			idx.Method = ""
		}
		idx.Where = stripParens(idx.Where)
		for j := range idx.Parts {
			idx.Parts[j].Expr = stripParens(idx.Parts[j].Expr)
		}
	}
	return out, nil
}
