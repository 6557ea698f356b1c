package mysql

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/retortdb/retort/dialect"
)

var _ dialect.TimeoutSetter = (*Dialect)(nil)

// TimeoutSQL implements dialect.TimeoutSetter. MySQL and MariaDB have no
// transaction-scoped settings and commit DDL on its own, so the timeouts
// are session settings, SET in one statement before each revision's body
// and set back to the server's global values (DEFAULT) once the run's
// revisions are done.
//
// The lock timeout is lock_wait_timeout, the wait for a metadata lock
// (what an ALTER TABLE waits for behind a long transaction), in whole
// seconds, at least 1: a fraction is rounded up, and a note says so.
//
// The statement timeout depends on the server, which TimeoutSQL reads
// online (SELECT VERSION(), once per run): MariaDB's max_statement_time
// (seconds, to the microsecond) bounds every statement; MySQL's
// max_execution_time (milliseconds) bounds SELECT statements only, which
// a note says. Offline (q nil) the server is unknown and the two
// variables exist each on one server only, so a script sets no statement
// timeout, and a note says so and what to add.
func (*Dialect) TimeoutSQL(ctx context.Context, q dialect.Querier, t dialect.Timeouts) (dialect.TimeoutSQL, error) {
	var out dialect.TimeoutSQL
	var set, reset []string
	if t.Lock > 0 {
		secs := (t.Lock + time.Second - 1) / time.Second
		if secs*time.Second != t.Lock {
			out.Notes = append(out.Notes, fmt.Sprintf("lock_timeout %s is set as lock_wait_timeout = %d: MySQL and MariaDB count it in whole seconds (rounded up)", t.Lock, secs))
		}
		set = append(set, "SESSION lock_wait_timeout = "+strconv.FormatInt(int64(secs), 10))
		reset = append(reset, "SESSION lock_wait_timeout = DEFAULT")
	}
	if t.Statement > 0 {
		micros := (t.Statement + time.Microsecond - 1) / time.Microsecond
		secs := strconv.FormatFloat(float64(micros)/1e6, 'f', -1, 64)
		millis := (t.Statement + time.Millisecond - 1) / time.Millisecond
		if q == nil {
			out.Notes = append(out.Notes, fmt.Sprintf("statement_timeout %s is not set in the script: the server is unknown offline; "+
				"on MariaDB add SET SESSION max_statement_time = %s; (every statement), on MySQL SET SESSION max_execution_time = %d; (SELECT statements only)",
				t.Statement, secs, millis))
		} else {
			var version string
			if err := q.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
				return out, fmt.Errorf("read the server version for statement_timeout: %w", err)
			}
			if strings.Contains(strings.ToLower(version), "mariadb") {
				set = append(set, "SESSION max_statement_time = "+secs)
				reset = append(reset, "SESSION max_statement_time = DEFAULT")
			} else {
				out.Notes = append(out.Notes, fmt.Sprintf("statement_timeout %s is set as max_execution_time = %d, which on MySQL bounds SELECT statements only: DDL and other DML run unbounded", t.Statement, millis))
				set = append(set, "SESSION max_execution_time = "+strconv.FormatInt(int64(millis), 10))
				reset = append(reset, "SESSION max_execution_time = DEFAULT")
			}
		}
	}
	if len(set) > 0 {
		out.Session = []string{"SET " + strings.Join(set, ", ")}
		out.Reset = []string{"SET " + strings.Join(reset, ", ")}
	}
	return out, nil
}
