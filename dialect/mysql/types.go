package mysql

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

// columnType returns the MySQL type of t (see the package documentation
// for the mapping).
func (d *Dialect) columnType(t schema.Type) (string, error) {
	switch t.Kind {
	case schema.KindInteger:
		return "INT", nil
	case schema.KindBigInteger:
		return "BIGINT", nil
	case schema.KindSmallInteger:
		return "SMALLINT", nil
	case schema.KindBoolean:
		return "BOOL", nil
	case schema.KindString:
		if t.Length <= 0 {
			return "", fmt.Errorf("type %s: a String needs a positive length (use Text for unbounded text)", t)
		}
		return "VARCHAR(" + strconv.Itoa(t.Length) + ")", nil
	case schema.KindText:
		return "LONGTEXT", nil
	case schema.KindNumeric:
		if t.Precision == 0 && t.Scale == 0 {
			return "DECIMAL", nil
		}
		return "DECIMAL(" + strconv.Itoa(t.Precision) + "," + strconv.Itoa(t.Scale) + ")", nil
	case schema.KindFloat:
		return "DOUBLE", nil
	case schema.KindDate:
		return "DATE", nil
	case schema.KindTime:
		return "TIME(6)", nil
	case schema.KindDateTime:
		return "DATETIME(6)", nil
	case schema.KindInterval:
		return "BIGINT", nil
	case schema.KindJSON:
		return "JSON", nil
	case schema.KindUUID:
		return "CHAR(36)", nil
	case schema.KindLargeBinary:
		return "LONGBLOB", nil
	case schema.KindEnum:
		if len(t.Values) == 0 {
			return "", fmt.Errorf("type %s: an Enum needs at least one value", t)
		}
		var b strings.Builder
		b.WriteString("ENUM(")
		for i, v := range t.Values {
			if i > 0 {
				b.WriteString(", ")
			}
			q, err := quoteString(v)
			if err != nil {
				return "", fmt.Errorf("type %s: %w", t, err)
			}
			b.WriteString(q)
		}
		b.WriteByte(')')
		return b.String(), nil
	case schema.KindRaw:
		s, ok := t.RawFor(d.Name())
		if !ok || strings.TrimSpace(s) == "" {
			return "", fmt.Errorf("%w: type %s has no %q entry (nor a \"\" fallback): add the MySQL type text to the Raw map", dialect.ErrUnsupported, t, d.Name())
		}
		return s, nil
	}
	return "", fmt.Errorf("%w: column type %s", dialect.ErrUnsupported, t)
}

// rawTypeText is the lower-cased MySQL type text of t, "" when t is not
// Raw (or has no entry for MySQL).
func (d *Dialect) rawTypeText(t schema.Type) string {
	s, _ := t.RawFor(d.Name())
	return strings.ToLower(strings.TrimSpace(s))
}

// needsExprDefault reports whether t is a type whose literal defaults
// MySQL 8 accepts only as parenthesised expressions: TEXT, BLOB, JSON
// and spatial types. MariaDB accepts both forms.
func (d *Dialect) needsExprDefault(t schema.Type) bool {
	switch t.Kind {
	case schema.KindText, schema.KindJSON, schema.KindLargeBinary:
		return true
	case schema.KindRaw:
		raw := d.rawTypeText(t)
		for _, p := range []string{"tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob", "json",
			"geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection"} {
			if raw == p || strings.HasPrefix(raw, p+" ") || strings.HasPrefix(raw, p+"(") {
				return true
			}
		}
	}
	return false
}

// timestampPrecision returns the fractional-second precision of a
// DATETIME or TIMESTAMP type, and whether t is one.
func (d *Dialect) timestampPrecision(t schema.Type) (int, bool) {
	switch t.Kind {
	case schema.KindDateTime:
		return 6, true
	case schema.KindRaw:
		raw := d.rawTypeText(t)
		for _, p := range []string{"datetime", "timestamp"} {
			if !strings.HasPrefix(raw, p) {
				continue
			}
			rest := strings.TrimSpace(raw[len(p):])
			if rest == "" || !strings.HasPrefix(rest, "(") {
				return 0, true
			}
			end := strings.IndexByte(rest, ')')
			if end < 0 {
				return 0, false
			}
			n, err := strconv.Atoi(strings.TrimSpace(rest[1:end]))
			if err != nil {
				return 0, false
			}
			return n, true
		}
	}
	return 0, false
}

// currentTimestampNames are the spellings of "now" that MySQL accepts as
// a DATETIME or TIMESTAMP default without parentheses.
var currentTimestampNames = []string{"current_timestamp", "now", "localtime", "localtimestamp"}

// currentTimestamp reports whether expr is CURRENT_TIMESTAMP or a
// synonym, and whether it already names a precision.
func currentTimestamp(expr string) (is, hasPrecision bool) {
	e := strings.ToLower(strings.Join(strings.Fields(expr), ""))
	for _, n := range currentTimestampNames {
		if !strings.HasPrefix(e, n) {
			continue
		}
		rest := e[len(n):]
		switch {
		case rest == "" && n != "now":
			return true, false
		case rest == "()":
			return true, false
		case len(rest) > 2 && rest[0] == '(' && rest[len(rest)-1] == ')':
			if _, err := strconv.Atoi(rest[1 : len(rest)-1]); err == nil {
				return true, true
			}
		}
	}
	return false, false
}

// simpleLiteral reports whether expr is a literal MySQL takes as a
// default without parentheses: a quoted string, a number, NULL, TRUE or
// FALSE.
func simpleLiteral(expr string) bool {
	e := strings.TrimSpace(expr)
	if e == "" {
		return false
	}
	switch strings.ToUpper(e) {
	case "NULL", "TRUE", "FALSE":
		return true
	}
	if e[0] == '\'' {
		return len(e) >= 2 && e[len(e)-1] == '\''
	}
	if e[0] == '-' || e[0] == '+' {
		e = e[1:]
	}
	if e == "" {
		return false
	}
	if _, err := strconv.ParseFloat(e, 64); err != nil {
		return false
	}
	return e[0] >= '0' && e[0] <= '9' || e[0] == '.'
}

// defaultClause returns " DEFAULT …" for column c, or "" without a
// default.
//
//   - A Value is written with Literal; on TEXT, BLOB and JSON columns in
//     parentheses, MySQL 8's expression form, which MariaDB accepts too.
//     A time.Duration default of an Interval column is written as its
//     microseconds.
//   - An Expr is written verbatim: bare when it is CURRENT_TIMESTAMP (or a
//     synonym; on a DATETIME(n) column with the precision n added, as
//     MySQL requires) or a simple literal on a column that takes one,
//     otherwise in parentheses, MySQL 8's form for expression defaults.
func (d *Dialect) defaultClause(c schema.Column) (string, error) {
	switch c.Def.Kind {
	case schema.NoDefault:
		return "", nil
	case schema.DefaultValue:
		v := c.Def.Value
		if dur, ok := v.(time.Duration); ok && c.Type.Kind == schema.KindInterval {
			v = dur.Microseconds()
		}
		lit, err := d.Literal(v)
		if err != nil {
			return "", fmt.Errorf("default of column %s: %w", c.Name, err)
		}
		if v != nil && d.needsExprDefault(c.Type) {
			return " DEFAULT (" + lit + ")", nil
		}
		return " DEFAULT " + lit, nil
	case schema.DefaultExpr:
		e := strings.TrimSpace(c.Def.Expr)
		if e == "" {
			return "", fmt.Errorf("default of column %s: empty default expression", c.Name)
		}
		if is, hasPrec := currentTimestamp(e); is {
			if p, ok := d.timestampPrecision(c.Type); ok && !hasPrec && p > 0 {
				return " DEFAULT CURRENT_TIMESTAMP(" + strconv.Itoa(p) + ")", nil
			}
			return " DEFAULT " + e, nil
		}
		if simpleLiteral(e) && !d.needsExprDefault(c.Type) {
			return " DEFAULT " + e, nil
		}
		return " DEFAULT (" + e + ")", nil
	}
	return "", fmt.Errorf("default of column %s: unknown default kind %d", c.Name, c.Def.Kind)
}

// columnExtras are the parts of a column definition that the schema
// model does not carry but that restating a reflected column keeps.
type columnExtras struct {
	collate  string // collation name, when it is not the table's
	onUpdate string // the ON UPDATE expression
	check    string // MariaDB's column-level CHECK clause (JSON columns)
}

// columnDef returns the column definition: name, type, NULL or NOT NULL,
// default, AUTO_INCREMENT, comment.
func (d *Dialect) columnDef(c schema.Column, x columnExtras) (string, error) {
	typ, err := d.columnType(c.Type)
	if err != nil {
		return "", fmt.Errorf("column %s: %w", c.Name, err)
	}
	var b strings.Builder
	b.WriteString(d.QuoteIdent(c.Name))
	b.WriteByte(' ')
	b.WriteString(typ)
	if x.collate != "" {
		b.WriteString(" COLLATE " + x.collate)
	}
	if g := c.Generated; g != nil {
		b.WriteString(" GENERATED ALWAYS AS (" + g.Expr + ")")
		if g.Stored {
			b.WriteString(" STORED")
		} else {
			b.WriteString(" VIRTUAL")
		}
		// MariaDB refuses NULL and NOT NULL on a generated column.
		if !c.Null {
			return "", fmt.Errorf("%w: column %s: a generated column is nullable on MariaDB (declare it Nullable)", dialect.ErrUnsupported, c.Name)
		}
	} else if c.Null {
		b.WriteString(" NULL")
	} else {
		b.WriteString(" NOT NULL")
	}
	def, err := d.defaultClause(c)
	if err != nil {
		return "", err
	}
	b.WriteString(def)
	if x.onUpdate != "" {
		b.WriteString(" ON UPDATE " + x.onUpdate)
	}
	if c.AutoIncrement {
		b.WriteString(" AUTO_INCREMENT")
	}
	if c.Comment != "" {
		q, err := quoteString(c.Comment)
		if err != nil {
			return "", fmt.Errorf("comment of column %s: %w", c.Name, err)
		}
		b.WriteString(" COMMENT " + q)
	}
	if x.check != "" {
		b.WriteString(" CHECK (" + x.check + ")")
	}
	return b.String(), nil
}
