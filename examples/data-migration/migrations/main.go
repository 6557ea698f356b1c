// Command migrations is this project's migrations program: the retort
// command-line interface with the project's Go revisions compiled in
// (Alembic's env.py). `go run ./migrations upgrade head` runs it; the
// retort command builds it and hands over when it finds Go revisions.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	_ "github.com/go-sql-driver/mysql" // MySQL/MariaDB driver "mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite", pure Go

	"github.com/retortdb/retort/cli"
	"github.com/retortdb/retort/examples/data-migration/migrations/versions"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, cli.WithRevisions(&versions.Registry))
	stop()
	os.Exit(code)
}
