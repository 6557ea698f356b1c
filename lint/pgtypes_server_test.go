package lint

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"github.com/retortdb/retort/internal/dbtest"
)

// TestPgTypeChangeRewritesOnServer changes each column type on a
// PostgreSQL server, in a rolled-back transaction, and compares whether
// the table's relfilenode changed (a rewrite) with pgTypeChangeRewrites.
// The changes it calls unknown because a setting decides them
// (timestamp to and from timestamptz) are run under TimeZone UTC, where
// they keep the table, and under another zone, where they rewrite it.
func TestPgTypeChangeRewritesOnServer(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, tc := range []struct{ old, new string }{
		{"varchar(50)", "varchar(100)"}, {"varchar(100)", "varchar(50)"}, {"varchar(255)", "text"},
		{"text", "varchar"}, {"text", "varchar(20)"}, {"numeric(10,2)", "numeric(12,2)"},
		{"numeric(10,2)", "numeric(12,3)"}, {"numeric(10,2)", "numeric"}, {"numeric", "numeric(10,2)"},
		{"int", "bigint"}, {"smallint", "integer"}, {"integer", "int4"}, {"timestamp(3)", "timestamp(6)"},
		{"timestamp(6)", "timestamp(3)"}, {"timestamp(3)", "timestamp"}, {"cidr", "inet"},
		{"char(10)", "char(20)"}, {"char(10)", "text"}, {"json", "jsonb"}, {"int", "numeric"}, {"int", "text"},
		{"bit varying(8)", "varbit(16)"}, {"int[]", "bigint[]"}, {"time(2)", "time(4)"},
		{"interval", "interval"}, {"bigint", "int"},
		{"timestamp", "timestamptz"}, {"timestamptz", "timestamp"},
	} {
		t.Run(tc.old+"->"+tc.new, func(t *testing.T) {
			want, known := pgTypeChangeRewrites(tc.old, tc.new)
			if known {
				if got := rewritesOnServer(ctx, t, conn, tc.old, tc.new, "UTC"); got != want {
					t.Errorf("server rewrites = %v, pgTypeChangeRewrites says %v", got, want)
				}
				return
			}
			utc := rewritesOnServer(ctx, t, conn, tc.old, tc.new, "UTC")
			other := rewritesOnServer(ctx, t, conn, tc.old, tc.new, "America/New_York")
			if utc || !other {
				t.Errorf("unknown change: rewrites under UTC %v, under America/New_York %v; want false, true", utc, other)
			}
		})
	}
}

// rewritesOnServer creates a table with a column of type old, changes
// it to new under TimeZone tz and reports whether its relfilenode
// changed; the transaction is rolled back.
func rewritesOnServer(ctx context.Context, t *testing.T, conn *sql.Conn, old, new, tz string) bool {
	t.Helper()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	defer tx.Rollback()
	for _, s := range []string{
		fmt.Sprintf("SET LOCAL TimeZone = '%s'", tz),
		fmt.Sprintf("CREATE TABLE type_change (c %s)", old),
		"INSERT INTO type_change VALUES (NULL)",
	} {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	var before, after int64
	q := "SELECT relfilenode::int8 FROM pg_class WHERE relname = 'type_change'"
	if err := tx.QueryRowContext(ctx, q).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("ALTER TABLE type_change ALTER COLUMN c TYPE %s", new)); err != nil {
		t.Fatalf("changing %s to %s: %v", old, new, err)
	}
	if err := tx.QueryRowContext(ctx, q).Scan(&after); err != nil {
		t.Fatal(err)
	}
	return before != after
}
