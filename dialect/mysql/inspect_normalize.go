package mysql

import (
	"encoding/hex"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

var _ dialect.Normalizer = (*Dialect)(nil)

// typeText is the type text MySQL would report for t: Native when t was
// reflected (a MariaDB JSON column, reported as longtext, is json), else
// what the renderer declares. ok is false when the renderer has none.
func (d *Dialect) typeText(t schema.Type) (string, bool) {
	if t.Native != "" {
		if t.Kind == schema.KindJSON {
			return "json", true
		}
		return t.Native, true
	}
	s, err := d.columnType(t)
	return s, err == nil
}

// NormalizeType implements dialect.Normalizer. The normal form of a type
// is what MySQL 8 reports for it, read back as a neutral kind, with that
// spelling in Native: String(255), "VARCHAR(255)" and "varchar(255)" are
// all {String(255), Native "varchar(255)"}; display widths go (int(11)
// is int, bigint(20) bigint) but tinyint(1), which is Boolean; synonyms
// are resolved (INTEGER is int, NUMERIC decimal, DECIMAL decimal(10,0),
// REAL double). A kind the renderer declares as another kind's type
// becomes that kind: DateTime(tz) is DateTime (datetime(6)), Interval
// BigInteger, UUID the Raw char(36). JSON is json, also as MariaDB
// reports it (longtext). An Enum is its values, without a name (MySQL
// keeps none), Native enum('a','b'). Ext is kept, Unsigned read from the
// spelling too. A type the renderer cannot declare is returned
// unchanged.
func (d *Dialect) NormalizeType(t schema.Type) schema.Type {
	text, ok := d.typeText(t)
	if !ok {
		return t
	}
	p := parseType(text)
	if t.Ext.Unsigned && numericTypes[p.base] {
		p.unsigned = true
	}
	out := p.kind()
	out.Native = p.String()
	unsigned := out.Ext.Unsigned
	out.Ext = t.Ext
	out.Ext.Unsigned = unsigned
	return out
}

// NormalizeDefault implements dialect.Normalizer. A default is first
// written as MariaDB reports it (a Value as its literal, an Expr as its
// text), then read back, outer parentheses removed: NULL is no default,
// which is what a column without one has; a constant is a Value of its
// text, whatever its type, since the column type gives it its meaning
// ('x' and Value("x") are Value("x"), the quotes and escapes undone;
// 0.00, '0.00' and Value("0.00") are Value("0.00"); TRUE, 1 and
// Value(true) are Value("1"); a number with an exponent is written as Go
// writes a float64, so 1.5e0 is "1.5"); a hex literal X'…' is a Value of
// its bytes; CURRENT_TIMESTAMP and its synonyms (NOW(), LOCALTIMESTAMP,
// current_timestamp()) are the Expr CURRENT_TIMESTAMP, or
// CURRENT_TIMESTAMP(n) with a precision n; anything else is an Expr in
// the canonical spelling of expressions (see NormalizeTable).
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
	switch u {
	case "", "NULL":
		return schema.Default{}
	case "TRUE":
		return schema.Value("1")
	case "FALSE":
		return schema.Value("0")
	}
	if is, hasPrec := currentTimestamp(e); is {
		if hasPrec {
			open := strings.IndexByte(e, '(')
			if n, err := strconv.Atoi(strings.TrimSpace(e[open+1 : len(e)-1])); err == nil && n > 0 {
				return schema.Expr("CURRENT_TIMESTAMP(" + strconv.Itoa(n) + ")")
			}
		}
		return schema.Expr("CURRENT_TIMESTAMP")
	}
	if v, ok := unquoteSQL(e); ok {
		return schema.Value(v)
	}
	if (e[0] == 'x' || e[0] == 'X') && len(e) >= 3 && e[1] == '\'' && e[len(e)-1] == '\'' {
		if b, err := hex.DecodeString(e[2 : len(e)-1]); err == nil {
			return schema.Value(b)
		}
	}
	if n, ok := numberText(e); ok {
		return schema.Value(n)
	}
	return schema.Expr(canonExpr(e))
}

// numberText returns s in one spelling when it is a decimal number
// literal: without a leading +, and, when it has an exponent, as Go
// writes the float64 it is.
func numberText(s string) (string, bool) {
	s = strings.TrimPrefix(s, "+")
	body := strings.TrimPrefix(s, "-")
	if body == "" || !(body[0] >= '0' && body[0] <= '9' || body[0] == '.') {
		return "", false
	}
	if strings.ContainsAny(body, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return "", false
		}
		return strconv.FormatFloat(f, 'g', -1, 64), true
	}
	for i := 0; i < len(body); i++ {
		if !(body[i] >= '0' && body[i] <= '9' || body[i] == '.') {
			return "", false
		}
	}
	if strings.Count(body, ".") > 1 {
		return "", false
	}
	return s, true
}

// columnDefault applies the rules of a normalised column's type to its
// normalised default, as MySQL stores it: CURRENT_TIMESTAMP on a
// DATETIME(n) or TIMESTAMP(n) column takes the precision n (the renderer
// adds it, MySQL requires it); a number on a DECIMAL(p,s) column has s
// decimals, on a FLOAT or DOUBLE column it is written as Go writes the
// float64; a string on a binary column is its bytes.
func (d *Dialect) columnDefault(t schema.Type, def schema.Default) schema.Default {
	if def.Kind == schema.DefaultExpr && def.Expr == "CURRENT_TIMESTAMP" {
		if p, ok := d.timestampPrecision(t); ok && p > 0 {
			return schema.Expr("CURRENT_TIMESTAMP(" + strconv.Itoa(p) + ")")
		}
		return def
	}
	if def.Kind != schema.DefaultValue {
		return def
	}
	s, ok := def.Value.(string)
	if !ok {
		return def
	}
	p := parseType(t.Native)
	switch {
	case p.base == "decimal" && len(p.args) == 2:
		scale, err := strconv.Atoi(p.args[1])
		r, ok := new(big.Rat).SetString(s)
		if err == nil && ok && isDecimal(s) {
			return schema.Value(r.FloatString(scale))
		}
	case p.base == "double" || p.base == "float":
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return schema.Value(strconv.FormatFloat(f, 'g', -1, 64))
		}
	case p.binaryType():
		return schema.Value([]byte(s))
	}
	return def
}

// isDecimal reports whether s is a plain decimal number, signed or not.
func isDecimal(s string) bool {
	n, ok := numberText(s)
	return ok && !strings.ContainsAny(n, "eE")
}

// NormalizeTable implements dialect.Normalizer, after MySQL's rules:
//
//   - types and defaults are normalised (NormalizeType, NormalizeDefault)
//     and the default then fitted to the type: CURRENT_TIMESTAMP on a
//     DATETIME(6) column is CURRENT_TIMESTAMP(6), 5 on a DECIMAL(10,2)
//     column 5.00, a float written one way, a binary string its bytes;
//   - an identity column has no default; it and primary-key columns are
//     NOT NULL;
//   - the primary key is named PRIMARY, as MySQL names every one;
//   - a foreign key's RESTRICT and NO ACTION, which InnoDB both checks at
//     once (MariaDB stores RESTRICT for an unspecified action), are the
//     unspecified action, and a referred database equal to the table's is
//     left out;
//   - the index MySQL creates for a foreign key that no index covers,
//     named after the key, on its columns, is dropped: it comes with the
//     key;
//   - a unique index on plain ascending columns is a unique constraint of
//     its name, since MySQL makes no difference between them;
//   - an index's method is upper case, and left out when it is the
//     engine's default (BTREE, or HASH for a MEMORY table);
//   - check expressions and index expressions are in one canonical
//     spelling (outer parentheses removed, lower case outside quotes,
//     backticks only where a name needs them, blanks normalised), which
//     makes most of a declared expression equal to what MariaDB prints
//     back; where the server rewrites more (lower() is lcase(), NOT (a =
//     b) is a <> b), declare what it prints;
//   - a constraint or index without a name is named by n, fitted to 64
//     characters, and a check's label is dropped once it has a name.
//
// Comments and Table.Ext are kept: MySQL keeps them.
func (d *Dialect) NormalizeTable(t *schema.Table, n schema.Naming) (*schema.Table, error) {
	out := t.Clone()
	res := func(c schema.Constraint) (string, error) { return n.Resolve(t.Name, c, lim()) }
	for i := range out.Columns {
		c := &out.Columns[i]
		c.Type = d.NormalizeType(c.Type)
		c.Def = d.columnDefault(c.Type, d.NormalizeDefault(c.Def))
		if c.AutoIncrement {
			c.Def = schema.Default{}
			c.Null = false
		}
		if t.PK != nil && slices.Contains(t.PK.Columns, c.Name) {
			c.Null = false
		}
	}
	if out.PK != nil {
		out.PK.Name = "PRIMARY"
	}
	if err := dialect.NameConstraints(out, res); err != nil {
		return nil, err
	}
	for i := range out.ForeignKeys {
		fk := &out.ForeignKeys[i]
		if fk.OnDelete == schema.Restrict {
			fk.OnDelete = ""
		}
		if fk.OnUpdate == schema.Restrict {
			fk.OnUpdate = ""
		}
	}
	for i := range out.Columns {
		if g := out.Columns[i].Generated; g != nil {
			g.Expr = canonExpr(g.Expr)
		}
	}
	for i := range out.Checks {
		out.Checks[i].Expr = canonExpr(out.Checks[i].Expr)
	}
	defMethod := "BTREE"
	if e := strings.ToUpper(out.Ext.Engine); e == "MEMORY" || e == "HEAP" {
		defMethod = "HASH"
	}
	var indexes []schema.Index
	for _, idx := range out.Indexes {
		idx.Method = strings.ToUpper(idx.Method)
		if idx.Method == defMethod {
			idx.Method = ""
		}
		if idx.Where != "" {
			idx.Where = canonExpr(idx.Where)
		}
		plain := idx.Method == "" && idx.Where == ""
		for j := range idx.Parts {
			p := &idx.Parts[j]
			if p.Expr != "" {
				p.Expr = canonExpr(p.Expr)
			}
			plain = plain && p.Expr == "" && !p.Desc
		}
		switch {
		case plain && idx.Unique:
			out.Uniques = append(out.Uniques, schema.Unique{Name: idx.Name, Columns: idx.Columns()})
		case plain && fkIndex(out, idx):
		default:
			indexes = append(indexes, idx)
		}
	}
	out.Indexes = indexes
	return out, nil
}

// fkIndex reports whether idx is the index MySQL makes for a foreign key
// of t: named after it, on its columns.
func fkIndex(t *schema.Table, idx schema.Index) bool {
	for _, fk := range t.ForeignKeys {
		if strings.EqualFold(fk.Name, idx.Name) && slices.Equal(fk.Columns, idx.Columns()) {
			return true
		}
	}
	return false
}
