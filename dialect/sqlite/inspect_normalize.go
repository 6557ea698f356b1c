package sqlite

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

var _ dialect.Normalizer = (*Dialect)(nil)

// canonicalType returns a declared type in one spelling: upper case, runs
// of blanks as one space, no blank next to a parenthesis or comma
// ("varchar ( 255 )" is VARCHAR(255)).
func canonicalType(s string) string {
	s = strings.ToUpper(strings.Join(strings.Fields(s), " "))
	for _, r := range []struct{ from, to string }{{" (", "("}, {"( ", "("}, {" )", ")"}, {" ,", ","}, {", ", ","}} {
		s = strings.ReplaceAll(s, r.from, r.to)
	}
	return s
}

// typeFromNative maps a declared SQLite type to the neutral kind that
// retort's renderer would declare it as, or to Raw with the declared
// text. Synonyms map to one kind (INT and INTEGER are Integer, DECIMAL is
// Numeric, DOUBLE is Float, TIMESTAMP is DateTime). Native is not set.
func typeFromNative(native string) schema.Type {
	c := canonicalType(native)
	base, args := c, []int(nil)
	if i := strings.IndexByte(c, '('); i >= 0 && strings.HasSuffix(c, ")") {
		base = c[:i]
		for _, a := range strings.Split(c[i+1:len(c)-1], ",") {
			n, err := strconv.Atoi(a)
			if err != nil {
				return schema.Raw(map[string]string{"sqlite": native})
			}
			args = append(args, n)
		}
	}
	switch base {
	case "INTEGER", "INT", "MEDIUMINT", "INT4":
		return schema.Integer()
	case "BIGINT", "INT8", "UNSIGNED BIG INT":
		return schema.BigInteger()
	case "SMALLINT", "INT2", "TINYINT":
		return schema.SmallInteger()
	case "BOOLEAN", "BOOL":
		return schema.Boolean()
	case "VARCHAR", "CHARACTER VARYING", "VARYING CHARACTER", "NVARCHAR":
		if len(args) == 1 && args[0] > 0 {
			return schema.String(args[0])
		}
	case "TEXT", "CLOB":
		if len(args) == 0 {
			return schema.Text()
		}
	case "NUMERIC", "DECIMAL":
		switch len(args) {
		case 0:
			return schema.Numeric(0, 0)
		case 1:
			return schema.Numeric(args[0], 0)
		case 2:
			return schema.Numeric(args[0], args[1])
		}
	case "REAL", "DOUBLE", "DOUBLE PRECISION", "FLOAT":
		if len(args) == 0 {
			return schema.Float()
		}
	case "DATE":
		return schema.Date()
	case "TIME":
		return schema.Time()
	case "DATETIME", "TIMESTAMP":
		return schema.DateTime(false)
	case "BLOB":
		if len(args) == 0 {
			return schema.LargeBinary()
		}
	}
	return schema.Raw(map[string]string{"sqlite": native})
}

// Affinity returns the type affinity SQLite gives a column declared with
// the type text declared, by the rules of SQLite's "Datatypes In SQLite"
// §3.1, in order: "INTEGER" when it contains INT, "TEXT" when it contains
// CHAR, CLOB or TEXT, "BLOB" when it contains BLOB or is empty, "REAL"
// when it contains REAL, FLOA or DOUB, else "NUMERIC". Two declared types
// with one affinity store values alike; retort's normal form still tells
// them apart, as SQLite keeps the declared text.
func Affinity(declared string) string {
	u := strings.ToUpper(declared)
	switch {
	case strings.Contains(u, "INT"):
		return "INTEGER"
	case strings.Contains(u, "CHAR"), strings.Contains(u, "CLOB"), strings.Contains(u, "TEXT"):
		return "TEXT"
	case strings.Contains(u, "BLOB"), strings.TrimSpace(u) == "":
		return "BLOB"
	case strings.Contains(u, "REAL"), strings.Contains(u, "FLOA"), strings.Contains(u, "DOUB"):
		return "REAL"
	}
	return "NUMERIC"
}

// declaredText is the type text SQLite would keep for t: Native when t
// was reflected, else what the renderer declares (an identity column
// aside: see NormalizeTable). ok is false when the renderer has none.
func (d *Dialect) declaredText(t schema.Type) (string, bool) {
	if t.Native != "" {
		return t.Native, true
	}
	s, err := d.columnType(schema.Column{Type: t})
	return s, err == nil
}

// normalType is the normal form of a declared type text: the neutral
// kind it maps to, with Native spelled as the renderer declares that
// kind, or Raw with the canonical text.
func (d *Dialect) normalType(text string, ext schema.TypeExt) schema.Type {
	t := typeFromNative(text)
	if t.Kind == schema.KindRaw {
		c := canonicalType(text)
		t = schema.Raw(map[string]string{"sqlite": c})
		t.Native = c
	} else {
		t.Native, _ = d.columnType(schema.Column{Type: t})
	}
	t.Ext = ext
	return t
}

// NormalizeType implements dialect.Normalizer. The normal form of a type
// is what SQLite keeps, its declared text, read back as a neutral kind
// with that kind's spelling in Native: String(255), "VARCHAR(255)",
// "varchar ( 255 )" and "NVARCHAR(255)" are all {String(255), Native
// "VARCHAR(255)"}; INT and INTEGER are Integer; JSON and Interval, which
// are declared TEXT, are Text; a type no kind declares (CHAR(36) for a
// UUID) is Raw with its canonical text. Ext (a collation) is kept. A
// type the renderer cannot declare is returned unchanged.
func (d *Dialect) NormalizeType(t schema.Type) schema.Type {
	text, ok := d.declaredText(t)
	if !ok {
		return t
	}
	return d.normalType(text, t.Ext)
}

// NormalizeDefault implements dialect.Normalizer. A default is first
// written as SQLite keeps it (a Value as its literal, an Expr as its
// text), then read back: outer parentheses go; a string literal ('x'),
// a bare word (SQLite takes DEFAULT x as the string 'x'), an integer,
// a real, a blob X'…', TRUE and FALSE (1 and 0) are Values of type
// string, string, int64, float64, []byte and int64; NULL is no default,
// as a column without one defaults to NULL; CURRENT_TIME, CURRENT_DATE
// and CURRENT_TIMESTAMP are Exprs in upper case; anything else is an
// Expr of its text.
func (d *Dialect) NormalizeDefault(def schema.Default) schema.Default {
	var text string
	switch def.Kind {
	case schema.NoDefault:
		return def
	case schema.DefaultValue:
		s, err := d.defaultSQL(schema.Column{Def: def})
		if err != nil {
			return def
		}
		text = s
	case schema.DefaultExpr:
		text = def.Expr
	}
	e := strings.TrimSpace(text)
	for len(e) > 1 && e[0] == '(' && matchingParen(e, 0) == len(e)-1 {
		e = strings.TrimSpace(e[1 : len(e)-1])
	}
	u := strings.ToUpper(e)
	switch u {
	case "", "NULL":
		return schema.Default{}
	case "TRUE":
		return schema.Value(int64(1))
	case "FALSE":
		return schema.Value(int64(0))
	case "CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP":
		return schema.Expr(u)
	}
	if e[0] == '\'' && skipString(e, 0) == len(e) && len(e) >= 2 {
		return schema.Value(strings.ReplaceAll(e[1:len(e)-1], "''", "'"))
	}
	if (e[0] == 'x' || e[0] == 'X') && len(e) >= 3 && e[1] == '\'' && skipString(e, 1) == len(e) {
		if b, err := hex.DecodeString(e[2 : len(e)-1]); err == nil {
			return schema.Value(b)
		}
	}
	num := strings.Join(strings.Fields(e), "")
	if i, err := strconv.ParseInt(num, 10, 64); err == nil {
		return schema.Value(i)
	}
	if !strings.ContainsAny(num, "nNxX_") {
		if f, err := strconv.ParseFloat(num, 64); err == nil {
			return schema.Value(f)
		}
	}
	if ts := tokenize(e); len(ts) == 1 && (ts[0].kind == tWord || ts[0].kind == tIdent && ts[0].text[0] == '"') {
		return schema.Value(ts[0].name())
	}
	return schema.Expr(e)
}

// NormalizeTable implements dialect.Normalizer, after SQLite's rules:
//
//   - every column's type and default are normalised (NormalizeType,
//     NormalizeDefault), an identity column's type being INTEGER, as the
//     renderer declares it;
//   - the rowid alias: the column of a one-column primary key whose
//     declared type is exactly INTEGER is the rowid, so it is an
//     identity (AutoIncrement) and NOT NULL, whether declared with
//     Identity or not, and no other column is an identity;
//   - an Enum column is the VARCHAR of its longest value with a check
//     ck_<table>_<column> of its values, as the renderer writes it;
//   - comments are dropped, since SQLite keeps none;
//   - a foreign key's NO ACTION is the unspecified action, its
//     referred schema is the table's (SQLite refers within one
//     database), and DEFERRABLE INITIALLY IMMEDIATE is not deferrable
//     (SQLite defers only INITIALLY DEFERRED keys);
//   - a constraint or index without a name is named by n (Naming.Resolve);
//     a check's label is dropped once it has a name, and a check with
//     neither stays unnamed; expressions and predicates are trimmed.
func (d *Dialect) NormalizeTable(t *schema.Table, n schema.Naming) (*schema.Table, error) {
	out := t.Clone()
	out.Comment = ""
	res := func(c schema.Constraint) (string, error) { return n.Resolve(t.Name, c, lim()) }
	var pkCol string
	if t.PK != nil && len(t.PK.Columns) == 1 {
		pkCol = t.PK.Columns[0]
	}
	for i, c := range t.Columns {
		nc := &out.Columns[i]
		if c.Type.Kind == schema.KindEnum {
			expr, _, err := d.enumCheck(c)
			if err != nil {
				return nil, err
			}
			name, err := res(schema.Check{Label: c.Name})
			if err != nil {
				return nil, err
			}
			j := 0
			for _, ck := range out.Checks {
				if ck.Name != name {
					out.Checks[j] = ck
					j++
				}
			}
			out.Checks = append(out.Checks[:j], schema.Check{Name: name, Expr: expr})
		}
		var text string
		switch {
		case c.Type.Native != "":
			text = c.Type.Native
		case c.AutoIncrement:
			text = "INTEGER"
		default:
			s, err := d.columnType(schema.Column{Name: c.Name, Type: c.Type})
			if err != nil {
				return nil, err
			}
			text = s
		}
		nc.AutoIncrement = c.Name == pkCol && canonicalType(text) == "INTEGER"
		if nc.AutoIncrement {
			nc.Null = false
		}
		nc.Type = d.normalType(text, c.Type.Ext)
		nc.Def = dialect.NumericDefault(nc.Type, d.NormalizeDefault(c.Def))
		nc.Comment = ""
	}
	if err := dialect.NameConstraints(out, res); err != nil {
		return nil, err
	}
	for i := range out.ForeignKeys {
		// SQLite defers only DEFERRABLE INITIALLY DEFERRED keys.
		if out.ForeignKeys[i].Deferral == schema.DeferrableImmediate {
			out.ForeignKeys[i].Deferral = schema.NotDeferrable
		}
	}
	for i := range out.Checks {
		out.Checks[i].Expr = strings.TrimSpace(out.Checks[i].Expr)
	}
	for i := range out.Columns {
		if g := out.Columns[i].Generated; g != nil {
			g.Expr = strings.TrimSpace(g.Expr)
		}
	}
	for i := range out.Indexes {
		idx := &out.Indexes[i]
		idx.Where = strings.TrimSpace(idx.Where)
		for j := range idx.Parts {
			idx.Parts[j].Expr = strings.TrimSpace(idx.Parts[j].Expr)
		}
	}
	return out, nil
}
