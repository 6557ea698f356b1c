package locktest_test

import (
	"context"
	"database/sql"
	"testing"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/mysql"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/dialect/sqlite"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/locktest"
	"github.com/retortdb/retort/op"
)

// open makes a fresh database of the dialect and opens pools on it (an
// SQLite pool waits for the file's write lock, as the retort command's
// does).
func open(name string) func(t testing.TB) func() *sql.DB {
	return func(t testing.TB) func() *sql.DB {
		db := dbtest.For(t, name)
		return func() *sql.DB { return db.Pool(t) }
	}
}

// killPostgres terminates the holder's backend and waits up to 5 s for
// it to end.
func killPostgres(ctx context.Context, holder op.DB, other *sql.DB) error {
	var pid int64
	if err := holder.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		return err
	}
	_, err := other.ExecContext(ctx, "SELECT pg_terminate_backend($1, 5000)", pid)
	return err
}

// killMySQL kills the holder's connection.
func killMySQL(ctx context.Context, holder op.DB, other *sql.DB) error {
	var id int64
	if err := holder.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		return err
	}
	_, err := other.ExecContext(ctx, "KILL ?", id)
	return err
}

// TestBuiltin runs the locking suite on the built-in dialects.
func TestBuiltin(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    dialect.Dialect
		kill func(context.Context, op.DB, *sql.DB) error
	}{
		{"sqlite", sqlite.New(), nil},
		{"postgres", postgres.New(), killPostgres},
		{"mysql", mysql.New(), killMySQL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			locktest.Run(t, locktest.Suite{Dialect: tc.d, Open: open(tc.name), Kill: tc.kill})
		})
	}
}
