package mysql

import (
	"net/url"
	"strings"
)

// FastDSN returns dsn, a github.com/go-sql-driver/mysql connection
// string, with interpolateParams=true added when the DSN leaves it, the
// charset and the collation to the driver's defaults (utf8mb4). Without
// it the driver sends every statement with bound values as three
// commands: prepare (a round trip), execute (another) and close; with it
// the driver writes the values into the statement, escaped for the
// connection's sql_mode (it reads NO_BACKSLASH_ESCAPES from the server's
// status), and sends one. That is safe for utf8mb4, and the driver
// refuses it for the multi-byte character sets where escaping by bytes
// is not (big5, gbk, sjis, ...): a DSN that names a charset or a
// collation is left as it is, as is one that sets interpolateParams
// either way. retort's command opens its MySQL connections through it.
func FastDSN(dsn string) string {
	// The parameters follow the '?' after the last '/', as the driver
	// reads them: a password may hold either.
	slash := strings.LastIndexByte(dsn, '/')
	q := strings.IndexByte(dsn[slash+1:], '?')
	base, query := dsn, ""
	if q >= 0 {
		base, query = dsn[:slash+1+q], dsn[slash+2+q:]
	}
	for _, kv := range strings.Split(query, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if k, err := url.QueryUnescape(k); err == nil {
			switch k {
			case "interpolateParams", "charset", "collation":
				return dsn
			}
		}
	}
	if query == "" {
		return base + "?interpolateParams=true"
	}
	return base + "?" + query + "&interpolateParams=true"
}
