package sqlite

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/retortdb/retort/schema"
)

// columnType returns the declared type of a column (see the package
// documentation for the mapping). An identity column is INTEGER, which
// together with the table's single-column primary key makes it the rowid.
func (d *Dialect) columnType(c schema.Column) (string, error) {
	t := c.Type
	if c.AutoIncrement {
		if !t.IsInteger() {
			return "", fmt.Errorf("column %s: identity needs an integer type, not %s", c.Name, t)
		}
		return "INTEGER", nil
	}
	switch t.Kind {
	case schema.KindInteger:
		return "INTEGER", nil
	case schema.KindBigInteger:
		return "BIGINT", nil
	case schema.KindSmallInteger:
		return "SMALLINT", nil
	case schema.KindBoolean:
		return "BOOLEAN", nil
	case schema.KindString:
		if t.Length <= 0 {
			return "", fmt.Errorf("column %s: String needs a positive length, not %d (use Text for unbounded strings)", c.Name, t.Length)
		}
		return "VARCHAR(" + strconv.Itoa(t.Length) + ")", nil
	case schema.KindText:
		return "TEXT", nil
	case schema.KindNumeric:
		if t.Precision == 0 && t.Scale == 0 {
			return "NUMERIC", nil
		}
		return "NUMERIC(" + strconv.Itoa(t.Precision) + "," + strconv.Itoa(t.Scale) + ")", nil
	case schema.KindFloat:
		return "REAL", nil
	case schema.KindDate:
		return "DATE", nil
	case schema.KindTime:
		return "TIME", nil
	case schema.KindDateTime:
		return "DATETIME", nil
	case schema.KindInterval:
		return "TEXT", nil
	case schema.KindJSON:
		return "TEXT", nil
	case schema.KindUUID:
		return "CHAR(36)", nil
	case schema.KindLargeBinary:
		return "BLOB", nil
	case schema.KindEnum:
		if len(t.Values) == 0 {
			return "", fmt.Errorf("column %s: Enum %s has no values", c.Name, t.EnumName)
		}
		n := 1
		for _, v := range t.Values {
			n = max(n, utf8.RuneCountInString(v))
		}
		return "VARCHAR(" + strconv.Itoa(n) + ")", nil
	case schema.KindRaw:
		s, ok := t.RawFor("sqlite")
		if !ok {
			return "", fmt.Errorf("column %s: Raw type %s has no \"sqlite\" entry and no \"\" fallback: add one", c.Name, t)
		}
		return s, nil
	}
	return "", fmt.Errorf("column %s: no SQLite type for %s", c.Name, t)
}

// enumCheck returns the CHECK expression an Enum column carries, and
// whether it has one.
func (d *Dialect) enumCheck(c schema.Column) (string, bool, error) {
	if c.Type.Kind != schema.KindEnum {
		return "", false, nil
	}
	vals := make([]string, len(c.Type.Values))
	for i, v := range c.Type.Values {
		l, err := d.Literal(v)
		if err != nil {
			return "", false, fmt.Errorf("column %s: enum value %q: %w", c.Name, v, err)
		}
		vals[i] = l
	}
	return d.QuoteIdent(c.Name) + " IN (" + strings.Join(vals, ", ") + ")", true, nil
}

// defaultSQL returns the DEFAULT clause's value: a literal, or the
// expression, in parentheses unless SQLite takes it bare (a literal,
// CURRENT_TIME/DATE/TIMESTAMP, or already parenthesised).
func (d *Dialect) defaultSQL(c schema.Column) (string, error) {
	switch c.Def.Kind {
	case schema.DefaultValue:
		v := c.Def.Value
		switch x := v.(type) {
		case int8:
			v = int64(x)
		case int16:
			v = int64(x)
		case int32:
			v = int64(x)
		case uint8:
			v = int64(x)
		case uint16:
			v = int64(x)
		case uint32:
			v = int64(x)
		case float32:
			v = float64(x)
		}
		l, err := d.Literal(v)
		if err != nil {
			return "", fmt.Errorf("column %s: default: %w", c.Name, err)
		}
		return l, nil
	case schema.DefaultExpr:
		e := strings.TrimSpace(c.Def.Expr)
		if bareDefault(e) {
			return e, nil
		}
		return "(" + e + ")", nil
	}
	return "", nil
}

// bareDefault reports whether SQLite accepts e after DEFAULT without
// parentheses.
func bareDefault(e string) bool {
	if e == "" {
		return false
	}
	switch strings.ToUpper(e) {
	case "CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP", "NULL", "TRUE", "FALSE":
		return true
	}
	if e[0] == '(' && matchingParen(e, 0) == len(e)-1 {
		return true
	}
	if e[0] == '\'' || ((e[0] == 'x' || e[0] == 'X') && len(e) > 1 && e[1] == '\'') {
		j := skipString(e, strings.IndexByte(e, '\''))
		return j == len(e)
	}
	num := strings.TrimLeft(e, "+-")
	if num == "" {
		return false
	}
	if _, err := strconv.ParseFloat(num, 64); err == nil && !strings.ContainsAny(num, "nN_") {
		return true
	}
	return false
}

// skipString returns the index past the '…' string starting at i.
func skipString(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		if s[j] == '\'' {
			if j+1 < len(s) && s[j+1] == '\'' {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// matchingParen returns the index of the parenthesis closing the one at
// i, skipping quoted spans, or -1.
func matchingParen(s string, i int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '\'', '"', '`':
			q := s[j]
			k := j + 1
			for k < len(s) {
				if s[k] == q {
					if k+1 < len(s) && s[k+1] == q {
						k += 2
						continue
					}
					break
				}
				k++
			}
			j = k
		case '[':
			k := strings.IndexByte(s[j:], ']')
			if k < 0 {
				return -1
			}
			j += k
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}
