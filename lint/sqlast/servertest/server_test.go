package servertest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"

	"github.com/retortdb/retort/internal/dbtest"
	. "github.com/retortdb/retort/lint/sqlast"
	"github.com/retortdb/retort/sqlsplit"
)

// otherServers marks a corpus statement written for a server other than
// the test servers (PostgreSQL 15, MariaDB 10.11, SQLite 3.4x), such as
// PostgreSQL 18 or MySQL 8: a comment before it names the server and
// holds this text.
const otherServers = "not on the test servers"

// TestErrAgreesWithServer runs every statement of the corpus on a fresh
// database of its dialect and checks that the recogniser's Err is set
// exactly when the server reports a syntax error: RT901 must neither miss
// a syntax error in the corpus nor invent one. Other errors (a missing
// table) do not matter. Server-wide statements (ALTER SYSTEM, SET GLOBAL,
// anything on a DATABASE, MySQL schemas and qualified names) and
// transaction control are not run.
func TestErrAgreesWithServer(t *testing.T) {
	for _, prefix := range []string{"pg_", "mysql_", "sqlite_"} {
		t.Run(strings.TrimSuffix(prefix, "_"), func(t *testing.T) {
			d, opts := corpusDialect(prefix)
			db := dbtest.For(t, d.Name())
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			conn, err := db.SQL.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			files, err := filepath.Glob(filepath.Join("..", "testdata", prefix+"*.sql"))
			if err != nil || len(files) == 0 {
				t.Fatalf("no corpus for %s: %v", prefix, err)
			}
			ran := 0
			for _, file := range files {
				src, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				stmts, err := parseFile(string(src), d, opts)
				if err != nil {
					t.Fatal(err)
				}
				for _, st := range stmts {
					if skipOnServer(st) {
						continue
					}
					_, err := conn.ExecContext(ctx, st.Text)
					ran++
					if syn := isSyntaxError(d, err); syn != (st.Err != nil) {
						t.Errorf("%s:%d: recogniser error %v, server %v\n%s", file, st.Pos.Line, st.Err, err, st.Text)
					}
				}
			}
			if ran == 0 {
				t.Fatal("no statement ran")
			}
		})
	}
}

func skipOnServer(st *Statement) bool {
	for _, c := range st.Comments {
		if strings.Contains(c.Text, otherServers) {
			return true
		}
	}
	if st.ObjectType == "DATABASE" {
		return true // server-wide, as ALTER SYSTEM
	}
	if st.Dialect == MySQL || st.Dialect == MySQLANSIQuotes {
		// A MySQL schema is a database, and a qualified name may reach
		// outside the test's database: neither runs on a shared server.
		switch st.Kind {
		case CreateSchema, DropSchema, AlterSchema:
			return true
		}
		for _, n := range append([]Name{st.Name}, st.Names...) {
			if n.Qualified() {
				return true
			}
		}
		for _, r := range st.Renames {
			if r.From.Qualified() || r.To.Qualified() {
				return true
			}
		}
	}
	switch st.Kind {
	case AlterSystem, Begin, Commit, Rollback, Savepoint:
		return true
	case Set:
		for _, a := range st.Set.Assignments {
			if a.Scope == "GLOBAL" || a.Scope == "PERSIST" || a.Scope == "PERSIST_ONLY" {
				return true
			}
		}
	}
	return false
}

func isSyntaxError(d Dialect, err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	switch d {
	case PostgreSQL:
		return strings.Contains(msg, "SQLSTATE 42601")
	case SQLite:
		return strings.Contains(msg, "syntax error") || strings.Contains(msg, "incomplete input")
	}
	return strings.Contains(msg, "Error 1064")
}

// corpusDialect is the dialect of the corpus files with the prefix.
func corpusDialect(prefix string) (Dialect, sqlsplit.Options) {
	switch prefix {
	case "pg_":
		return PostgreSQL, sqlsplit.PostgreSQL()
	case "mysql_":
		return MySQL, sqlsplit.MySQL()
	}
	return SQLite, sqlsplit.SQLite()
}

// parseFile splits and parses a file as the lint engine does.
func parseFile(src string, d Dialect, opts sqlsplit.Options) ([]*Statement, error) {
	stmts, err := sqlsplit.Split(src, opts)
	if err != nil {
		return nil, err
	}
	out := make([]*Statement, 0, len(stmts))
	for _, s := range stmts {
		at := Pos{Offset: s.Start, Line: s.Line, Col: s.Start - strings.LastIndexByte(src[:s.Start], '\n')}
		out = append(out, Parse(s.Text, at, d))
	}
	return out, nil
}
