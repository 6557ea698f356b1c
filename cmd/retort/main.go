// Command retort manages and applies a graph of schema revisions: an
// Alembic for Go. Run `retort --help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	_ "github.com/go-sql-driver/mysql" // MySQL/MariaDB driver "mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite", pure Go

	"github.com/retortdb/retort/cli"
)

func main() {
	// A command lives for milliseconds: collect garbage only when the heap
	// nears 64 MiB, instead of every time it doubles.
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(64 << 20)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
