// Command embedded is a small service that carries its migrations in its
// binary and brings its database to the head revision when it starts,
// with retort as a library. Then it prints its greetings, or serves them
// over HTTP with -listen.
//
//	go run ./examples/embedded                          # SQLite file embedded.db
//	DATABASE_URL=postgresql://postgres@127.0.0.1/app go run ./examples/embedded
//	go run ./examples/embedded -listen 127.0.0.1:8080
//
// Several replicas may start at once: retort's lock makes each migration
// run once, and the others wait for it.
package main

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"time"

	// The service registers the database/sql drivers of the URLs it
	// accepts; retort registers none.
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dburl"
)

//go:embed migrations/*.sql
var files embed.FS

func main() {
	listen := flag.String("listen", "", "serve the greetings over HTTP on this address instead of printing them")
	flag.Parse()
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		url = "sqlite:///embedded.db"
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(ctx, url, *listen, os.Stdout, log); err != nil {
		log.Error("embedded: " + err.Error())
		os.Exit(1)
	}
}

// run starts the service: migrate, then print or serve.
func run(ctx context.Context, url, listen string, out io.Writer, log *slog.Logger) error {
	p, err := startup(ctx, url, log)
	if err != nil {
		return err
	}
	defer p.Close()
	if listen == "" {
		return printGreetings(ctx, p.DB(), out)
	}
	srv := &http.Server{Addr: listen, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := printGreetings(r.Context(), p.DB(), w); err != nil {
			http.Error(w, "cannot read greetings", http.StatusInternalServerError)
		}
	})}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Info("serving on " + listen)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// startup opens the database of url and upgrades it to the head revision
// of the embedded migrations. The Provider owns the database: Close
// closes it.
func startup(ctx context.Context, url string, log *slog.Logger) (*retort.Provider, error) {
	migrations, err := fs.Sub(files, "migrations")
	if err != nil {
		return nil, err
	}
	p, err := dburl.Open(url, migrations, retort.WithLogger(log))
	if err != nil {
		return nil, err
	}
	res, err := p.Upgrade(ctx, "head")
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("migrate the database: %w", err)
	}
	log.Info("database migrated", "revisions", len(res.Steps), "ms", res.Duration.Milliseconds())
	return p, nil
}

// printGreetings writes one greeting a line.
func printGreetings(ctx context.Context, db *sql.DB, w io.Writer) error {
	rows, err := db.QueryContext(ctx, "SELECT language, text FROM greeting ORDER BY id")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var lang, text string
		if err := rows.Scan(&lang, &text); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %s\n", lang, text)
	}
	return rows.Err()
}
