package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.TimeoutSetter = (*Dialect)(nil)

// TimeoutSQL implements dialect.TimeoutSetter with lock_timeout and
// statement_timeout. In a revision's own transaction they are SET LOCAL,
// sent with its BEGIN in one call (one round trip), and end with the
// transaction; a revision with -- +no-transaction statements SETs them
// for the session before its body, and RESET returns them to the values
// the session had when it connected (its URL's options, the role's and
// the database's settings, the server's). Values are whole milliseconds,
// PostgreSQL's unit, rounded up: zero would mean no timeout. It reads
// nothing (q is unused) and never fails.
func (*Dialect) TimeoutSQL(_ context.Context, _ dialect.Querier, t dialect.Timeouts) (dialect.TimeoutSQL, error) {
	var out dialect.TimeoutSQL
	for _, s := range []struct {
		name string
		v    time.Duration
	}{{"lock_timeout", t.Lock}, {"statement_timeout", t.Statement}} {
		if s.v <= 0 {
			continue
		}
		lit := "'" + pgDuration(s.v) + "'" // digits and a unit: nothing to escape
		out.Local = append(out.Local, "SET LOCAL "+s.name+" = "+lit)
		out.Session = append(out.Session, "SET "+s.name+" = "+lit)
		out.Reset = append(out.Reset, "RESET "+s.name)
	}
	out.LocalWithBegin = len(out.Local) > 0
	return out, nil
}

// pgDuration writes v as a PostgreSQL time setting: "5s", "1min",
// "1500ms"; whole milliseconds, rounded up.
func pgDuration(v time.Duration) string {
	ms := (v + time.Millisecond - 1) / time.Millisecond
	switch {
	case ms%60000 == 0:
		return strconv.FormatInt(int64(ms/60000), 10) + "min"
	case ms%1000 == 0:
		return strconv.FormatInt(int64(ms/1000), 10) + "s"
	}
	return strconv.FormatInt(int64(ms), 10) + "ms"
}
