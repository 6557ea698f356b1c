package mysql

import (
	"context"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/sqlsplit"
)

// Dialect is MySQL and MariaDB.
type Dialect struct{}

// New returns the MySQL/MariaDB dialect.
func New() *Dialect { return &Dialect{} }

var (
	_ dialect.Dialect = (*Dialect)(nil)
	_ dialect.Locker  = (*Dialect)(nil)
)

// Name implements dialect.Dialect.
func (*Dialect) Name() string { return "mysql" }

// QuoteIdent implements dialect.Dialect: backticks, doubled inside.
func (*Dialect) QuoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// QuoteTable implements dialect.Dialect. A schema is a database.
func (d *Dialect) QuoteTable(t dialect.Table) string {
	if t.Schema != "" {
		return d.QuoteIdent(t.Schema) + "." + d.QuoteIdent(t.Name)
	}
	return d.QuoteIdent(t.Name)
}

// Placeholder implements dialect.Dialect.
func (*Dialect) Placeholder(int) string { return "?" }

// datetimeLayout is MySQL's DATETIME(6) text form; trailing zeros of the
// fraction (and the dot) are left out.
const datetimeLayout = "2006-01-02 15:04:05.999999"

// Literal implements dialect.Dialect. See the package documentation for
// how each type is written.
func (*Dialect) Literal(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "NULL", nil
	case string:
		return quoteString(x)
	case []byte:
		if x == nil {
			// As database/sql drivers bind it.
			return "NULL", nil
		}
		return "X'" + hex.EncodeToString(x) + "'", nil
	case bool:
		if x {
			return "TRUE", nil
		}
		return "FALSE", nil
	case int:
		return strconv.Itoa(x), nil
	case int8:
		return strconv.FormatInt(int64(x), 10), nil
	case int16:
		return strconv.FormatInt(int64(x), 10), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case uint:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint8:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint16:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint32:
		return strconv.FormatUint(uint64(x), 10), nil
	case uint64:
		return strconv.FormatUint(x, 10), nil
	case float32:
		return formatFloat(float64(x)) // widened, as drivers bind it
	case float64:
		return formatFloat(x)
	case time.Time:
		u := x.UTC()
		if y := u.Year(); y < 0 || y > 9999 {
			return "", fmt.Errorf("time %s is outside the years 0000-9999 that MySQL can store", x)
		}
		return "'" + u.Format(datetimeLayout) + "'", nil
	}
	return "", fmt.Errorf("no MySQL literal for %T", v)
}

// quoteString writes s as a '...' literal for the default sql_mode
// (backslash escapes on).
func quoteString(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("string %q is not valid UTF-8: pass binary data as []byte", s)
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '\'':
			esc = "''"
		case '\\':
			esc = `\\`
		case 0:
			esc = `\0`
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		case 0x1a:
			esc = `\Z`
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
	b.WriteByte('\'')
	return b.String(), nil
}

// formatFloat writes f as an approximate-value (DOUBLE) literal: always
// with an exponent, so that MySQL does not read it as an exact DECIMAL.
func formatFloat(f float64) (string, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", fmt.Errorf("%v cannot be written as a MySQL literal: MySQL has no NaN or infinity", f)
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if strings.IndexByte(s, 'e') < 0 {
		s += "e0"
	}
	return s, nil
}

// SplitOptions implements dialect.Dialect.
func (*Dialect) SplitOptions() sqlsplit.Options { return sqlsplit.MySQL() }

// TransactionalDDL implements dialect.Dialect: DDL commits implicitly.
func (*Dialect) TransactionalDDL() bool { return false }

// maxIdent is the longest identifier MySQL accepts, in characters.
const maxIdent = 64

// CreateVersionTable implements dialect.Dialect. With a schema, the
// database is created first.
func (d *Dialect) CreateVersionTable(t dialect.Table) []string {
	var stmts []string
	if t.Schema != "" {
		stmts = append(stmts, "CREATE DATABASE IF NOT EXISTS "+d.QuoteIdent(t.Schema))
	}
	b := dialect.NewBuilder(d).P("CREATE TABLE IF NOT EXISTS ").Table(t).
		P(" (\n    version_num VARCHAR(255) NOT NULL,\n    ")
	// MySQL calls every primary key PRIMARY and ignores the name, but
	// still rejects one longer than an identifier may be.
	if pkc := t.Name + "_pkc"; utf8.RuneCountInString(pkc) <= maxIdent {
		b.P("CONSTRAINT ").Ident(pkc).P(" ")
	}
	stmts = append(stmts, b.P("PRIMARY KEY (version_num)\n)").String())
	return stmts
}

// CreateHistoryTable implements dialect.Dialect.
func (d *Dialect) CreateHistoryTable(t dialect.Table) []string {
	return []string{dialect.NewBuilder(d).P("CREATE TABLE IF NOT EXISTS ").Table(t).P(` (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    revision VARCHAR(255) NOT NULL,
    direction VARCHAR(16) NOT NULL,
    checksum VARCHAR(64) NOT NULL,
    started_at DATETIME(6) NOT NULL,
    finished_at DATETIME(6) NULL,
    duration_ms BIGINT NULL,
    db_user VARCHAR(255) NOT NULL,
    hostname VARCHAR(255) NOT NULL,
    retort_version VARCHAR(64) NOT NULL,
    dirty SMALLINT NOT NULL DEFAULT 0,
    stmt_index INT NOT NULL DEFAULT 0,
    tag VARCHAR(255) NULL
)`).String()}
}

// TableExists implements dialect.Dialect. Without a schema it looks in
// the connection's current database (none selected: false). Names compare
// as the server compares table names: exactly when lower_case_table_names
// is 0, ignoring case otherwise.
func (*Dialect) TableExists(ctx context.Context, q dialect.Querier, t dialect.Table) (bool, error) {
	schema := "DATABASE()"
	args := []any{t.Name, t.Name}
	if t.Schema != "" {
		schema = "?"
		args = []any{t.Schema, t.Name, t.Schema, t.Name}
	}
	query := "SELECT COUNT(*) FROM information_schema.TABLES" +
		" WHERE TABLE_SCHEMA = " + schema + " AND TABLE_NAME = ?" +
		" AND (@@lower_case_table_names <> 0 OR (CAST(TABLE_SCHEMA AS BINARY) = CAST(" + schema + " AS BINARY)" +
		" AND CAST(TABLE_NAME AS BINARY) = CAST(? AS BINARY)))"
	var n int
	if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return false, fmt.Errorf("look for table %s: %w", t, err)
	}
	return n > 0, nil
}

// Columns implements dialect.Dialect from information_schema.COLUMNS,
// naming the table as TableExists does.
func (*Dialect) Columns(ctx context.Context, q dialect.Querier, t dialect.Table) ([]string, error) {
	schema := "DATABASE()"
	args := []any{t.Name, t.Name}
	if t.Schema != "" {
		schema = "?"
		args = []any{t.Schema, t.Name, t.Schema, t.Name}
	}
	return dialect.QueryStrings(ctx, q, "SELECT COLUMN_NAME FROM information_schema.COLUMNS"+
		" WHERE TABLE_SCHEMA = "+schema+" AND TABLE_NAME = ?"+
		" AND (@@lower_case_table_names <> 0 OR (CAST(TABLE_SCHEMA AS BINARY) = CAST("+schema+" AS BINARY)"+
		" AND CAST(TABLE_NAME AS BINARY) = CAST(? AS BINARY)))"+
		" ORDER BY ORDINAL_POSITION", args...)
}

// Now implements dialect.Dialect: UTC with microseconds, for DATETIME(6).
func (*Dialect) Now() string { return "UTC_TIMESTAMP(6)" }

// CurrentUser implements dialect.Dialect: the account the server
// authenticated, as user@host.
func (*Dialect) CurrentUser() string { return "CURRENT_USER()" }

// Begin implements dialect.Dialect.
func (*Dialect) Begin() string { return "START TRANSACTION" }

// Commit implements dialect.Dialect.
func (*Dialect) Commit() string { return "COMMIT" }
