// Package scratch makes the throwaway databases autogenerate and check
// compare against: an empty database on the server of a URL (the
// project's dev_url, or the target database's server), where the desired
// schema is applied and then reflected by the same code as the live
// database, so that the server normalises both sides. It is removed when
// closed, even when the run failed or its context was cancelled.
//
// A scratch database is SQLite in memory for a sqlite:// URL, and a new
// database named retort_scratch_<pid>_<random> on PostgreSQL and MySQL: a
// database rather than a schema, since desired-state SQL may name
// public.x or set search_path. Creating one needs the right to create
// databases (PostgreSQL CREATEDB, MySQL CREATE); where the target's role
// lacks it, or its server must not be touched, dev_url names another.
// A process killed outright (SIGKILL) cannot drop its scratch database:
// the name says which process made it.
package scratch

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/config"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/schema/schemafmt"
	"github.com/retortdb/retort/sqlsplit"
)

// dropTimeout bounds the removal of a scratch database.
const dropTimeout = 30 * time.Second

// DB is one scratch database.
type DB struct {
	// SQL is the scratch database, one connection for SQLite in memory.
	SQL *sql.DB
	// Dialect is its dialect.
	Dialect dialect.Dialect
	// Name is the database's name ("" for SQLite in memory).
	Name string

	admin  *sql.DB // the server connection that created it and drops it
	server string  // the server URL, redacted, for messages
}

// New makes an empty scratch database on the server of rawURL. A
// relative SQLite path in rawURL is relative to baseDir; it does not
// matter, since a SQLite scratch is in memory. Close removes it.
func New(ctx context.Context, rawURL, baseDir string) (*DB, error) {
	u, err := config.ParseURL(rawURL, baseDir)
	if err != nil {
		return nil, err
	}
	if u.Dialect == "sqlite" {
		db, d, err := dburl.OpenDB("sqlite:///:memory:", "")
		if err != nil {
			return nil, err
		}
		return &DB{SQL: db, Dialect: d, server: "SQLite in memory"}, nil
	}
	admin, d, err := dburl.OpenDB(rawURL, baseDir)
	if err != nil {
		return nil, err
	}
	s := &DB{Dialect: d, admin: admin, server: u.Redacted(), Name: newName()}
	if _, err := admin.ExecContext(ctx, s.createStmt()); err != nil {
		admin.Close()
		return nil, fmt.Errorf("create scratch database %s on %s: %w", s.Name, s.server, err)
	}
	s.SQL, _, err = dburl.OpenDB(withDatabase(rawURL, s.Name), baseDir)
	if err != nil {
		return nil, errors.Join(err, s.drop())
	}
	if err := s.SQL.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("connect to scratch database %s on %s: %w", s.Name, s.server, err), s.Close())
	}
	// What runs on a scratch database must never reach another one (the
	// target's): the connection is checked to be on the scratch database.
	if err := s.checkCurrent(ctx); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	return s, nil
}

// checkCurrent fails unless the scratch connection's current database
// is the scratch database.
func (s *DB) checkCurrent(ctx context.Context) error {
	q := "SELECT current_database()"
	if s.Dialect.Name() == "mysql" {
		q = "SELECT DATABASE()"
	}
	var cur sql.NullString
	if err := s.SQL.QueryRowContext(ctx, q).Scan(&cur); err != nil {
		return fmt.Errorf("connect to scratch database %s on %s: %w", s.Name, s.server, err)
	}
	if cur.String != s.Name {
		return fmt.Errorf("connect to scratch database %s on %s: the connection is on database %q instead; remove the option of the URL that names a database", s.Name, s.server, cur.String)
	}
	return nil
}

// newName is retort_scratch_<pid>_<12 hex digits>.
func newName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return fmt.Sprintf("retort_scratch_%d_%s", os.Getpid(), hex.EncodeToString(b))
}

func (s *DB) createStmt() string {
	q := s.Dialect.QuoteIdent(s.Name)
	if s.Dialect.Name() == "mysql" {
		return "CREATE DATABASE " + q + " CHARACTER SET utf8mb4"
	}
	return "CREATE DATABASE " + q
}

func (s *DB) dropStmt() string {
	q := s.Dialect.QuoteIdent(s.Name)
	if s.Dialect.Name() == "postgres" {
		return "DROP DATABASE IF EXISTS " + q + " WITH (FORCE)"
	}
	return "DROP DATABASE IF EXISTS " + q
}

// Close closes the scratch database and removes it from its server. It
// does so on a context of its own, so that a run stopped by its caller
// (an interrupt) still removes it.
func (s *DB) Close() error {
	var err error
	if s.SQL != nil {
		err = s.SQL.Close()
	}
	if s.admin == nil {
		return err
	}
	return errors.Join(err, s.drop())
}

func (s *DB) drop() error {
	defer s.admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), dropTimeout)
	defer cancel()
	if _, err := s.admin.ExecContext(ctx, s.dropStmt()); err != nil {
		return fmt.Errorf("drop scratch database %s on %s: %w (drop it by hand)", s.Name, s.server, err)
	}
	return nil
}

// File is a desired-state SQL file: its display path and its text.
type File struct {
	Path string
	Text []byte
}

// ApplySQL runs the statements of files, in order, on one connection, so
// that a file's SET search_path or USE holds for the statements after it.
// A failing statement's error names its file and line.
func (s *DB) ApplySQL(ctx context.Context, files []File) error {
	conn, err := s.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect to scratch database: %w", err)
	}
	// The files may change the session (SET search_path, USE): where
	// that changes how names resolve (dialect.TableResolver), the
	// connection is closed, never handed back to the pool for Inspect.
	// SQLite's in-memory database lives on its one connection: kept.
	defer func() {
		if dialect.Probe(s.Dialect).TableResolver != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}()
	type located struct {
		path string
		st   sqlsplit.Statement
	}
	var all []located
	for _, f := range files {
		stmts, err := sqlsplit.Split(string(f.Text), s.Dialect.SplitOptions())
		if err != nil {
			return fmt.Errorf("%s: %w", f.Path, err)
		}
		for _, st := range stmts {
			all = append(all, located{f.Path, st})
		}
	}
	run := func(inTx bool) error {
		if inTx {
			if _, err := conn.ExecContext(ctx, s.Dialect.Begin()); err != nil {
				return fmt.Errorf("begin: %w", err)
			}
		}
		for _, l := range all {
			if _, err := conn.ExecContext(ctx, l.st.Text); err != nil {
				if inTx {
					_, _ = conn.ExecContext(ctx, "ROLLBACK")
				}
				return fmt.Errorf("%s:%d: %w", l.path, l.st.Line, err)
			}
		}
		if inTx {
			if _, err := conn.ExecContext(ctx, s.Dialect.Commit()); err != nil {
				_, _ = conn.ExecContext(ctx, "ROLLBACK")
				return fmt.Errorf("commit: %w", err)
			}
		}
		return nil
	}
	// Where DDL is transactional, the files run in one transaction, far
	// faster than a commit per statement; when that fails (a statement
	// that cannot run in a transaction, CREATE INDEX CONCURRENTLY), it
	// rolled back everything, and they run again one by one, so that the
	// error that stands is the one of the statement itself. Files that
	// manage transactions themselves run one by one at once.
	if s.Dialect.TransactionalDDL() && !slices.ContainsFunc(all, func(l located) bool { return controlsTx(l.st.Text) }) {
		if run(true) == nil {
			return nil
		}
	}
	return run(false)
}

// controlsTx reports whether a statement begins or ends a transaction.
func controlsTx(text string) bool {
	f := strings.Fields(strings.ToUpper(text))
	if len(f) == 0 {
		return false
	}
	switch f[0] {
	case "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "START", "ABORT":
		return true
	}
	return false
}

// ApplySchema creates the tables, enums, keys and indexes of sc in the
// scratch database, in an order that runs (schemafmt.Ops), rendered by
// the dialect with naming for the constraints left unnamed: a desired
// schema given as Go code.
func (s *DB) ApplySchema(ctx context.Context, sc *schema.Schema, naming schema.Naming) error {
	if err := sc.Validate(); err != nil {
		return fmt.Errorf("the desired schema: %w", err)
	}
	conn, err := s.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect to scratch database: %w", err)
	}
	defer conn.Close()
	tx := NewTxRunner(conn, s.Dialect)
	rc := dialect.RenderContext{Q: conn, Naming: naming}
	for _, o := range schemafmt.Ops(sc) {
		stmts, err := dialect.RenderOp(ctx, rc, s.Dialect, o)
		if err != nil {
			tx.Close(ctx)
			return fmt.Errorf("the desired schema: %s: %w", o, err)
		}
		for _, st := range stmts {
			if err := tx.Exec(ctx, st); err != nil {
				tx.Close(ctx)
				return fmt.Errorf("the desired schema: %s: %w\n\tin: %s", o, err, st.SQL)
			}
		}
	}
	return tx.Close(ctx)
}

// TxRunner executes statements on one connection inside transactions
// where the dialect's DDL is transactional: one transaction for a run of
// statements, ended before a statement that must run outside one (NoTx).
// On a scratch database this only saves time (a commit per statement is
// the slow part of creating a thousand tables); its work is thrown away.
type TxRunner struct {
	conn *sql.Conn
	d    dialect.Dialect
	open bool
}

// NewTxRunner returns a TxRunner on conn.
func NewTxRunner(conn *sql.Conn, d dialect.Dialect) *TxRunner { return &TxRunner{conn: conn, d: d} }

// Exec runs st, in the open transaction when it may.
func (t *TxRunner) Exec(ctx context.Context, st dialect.Stmt) error {
	if st.NoTx || !t.d.TransactionalDDL() {
		if err := t.Close(ctx); err != nil {
			return err
		}
	} else if !t.open {
		if _, err := t.conn.ExecContext(ctx, t.d.Begin()); err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		t.open = true
	}
	_, err := t.conn.ExecContext(ctx, st.SQL, st.Args...)
	return err
}

// Close commits the open transaction, if any.
func (t *TxRunner) Close(ctx context.Context) error {
	if !t.open {
		return nil
	}
	t.open = false
	if _, err := t.conn.ExecContext(ctx, t.d.Commit()); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Inspect reflects the scratch database with its dialect's Inspector.
func (s *DB) Inspect(ctx context.Context, opts dialect.InspectOptions) (*schema.Schema, error) {
	in := dialect.Probe(s.Dialect).Inspector
	if in == nil {
		return nil, fmt.Errorf("the %s dialect cannot read a database's schema (it implements no dialect.Inspector)", s.Dialect.Name())
	}
	conn, err := s.SQL.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to scratch database: %w", err)
	}
	defer conn.Close()
	return in.Inspect(ctx, conn, opts)
}

// withDatabase puts name in place of the database of a server URL,
// keeping its user, host and options, less those that would name
// another database than the path (PostgreSQL's dbname and database,
// which pgx lets override the path).
func withDatabase(raw, name string) string {
	scheme, rest, _ := strings.Cut(raw, "://")
	var query string
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		rest, query = rest[:q], rest[q+1:]
	}
	var keep []string
	for _, kv := range strings.Split(query, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if k, err := url.QueryUnescape(k); kv == "" || err == nil && (k == "dbname" || k == "database") {
			continue
		}
		keep = append(keep, kv)
	}
	host, _, _ := strings.Cut(rest, "/")
	out := scheme + "://" + host + "/" + name
	if len(keep) > 0 {
		out += "?" + strings.Join(keep, "&")
	}
	return out
}
