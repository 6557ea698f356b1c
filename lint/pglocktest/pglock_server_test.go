package pglocktest

import (
	"context"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/lint"
	"github.com/retortdb/retort/lint/pgtrace"
	"github.com/retortdb/retort/lint/sqlast"
)

const fixture = `
CREATE TABLE p (id int PRIMARY KEY, a int, b text);
CREATE TABLE c (id int, pid int);
CREATE TABLE ev (d int) PARTITION BY RANGE (d);
CREATE TABLE ev1 PARTITION OF ev FOR VALUES FROM (0) TO (10);
CREATE TABLE ev2 (d int);
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER tr BEFORE UPDATE ON p FOR EACH ROW EXECUTE FUNCTION f();
CREATE INDEX pa ON p (a);
CREATE MATERIALIZED VIEW mv AS SELECT id FROM p;
`

// The statements, each run in a transaction that is rolled back.
var statements = []string{
	"ALTER TABLE p ADD COLUMN note text",
	"ALTER TABLE p ALTER COLUMN b SET NOT NULL",
	"ALTER TABLE p ALTER COLUMN a TYPE bigint",
	"ALTER TABLE p ALTER COLUMN a SET STATISTICS 100",
	"ALTER TABLE p ALTER COLUMN a SET (n_distinct = 5)",
	"ALTER TABLE p SET (fillfactor = 70)",
	"ALTER TABLE p SET (autovacuum_enabled = false)",
	"ALTER TABLE p DISABLE TRIGGER tr",
	"ALTER TABLE p CLUSTER ON pa",
	"ALTER TABLE p ADD CONSTRAINT chk CHECK (a > 0) NOT VALID",
	"ALTER TABLE c ADD CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p (id) NOT VALID",
	"ALTER TABLE c ADD CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p (id), ADD COLUMN x int",
	"ALTER TABLE c ADD COLUMN q int REFERENCES p (id)",
	"ALTER TABLE ev ATTACH PARTITION ev2 FOR VALUES FROM (10) TO (20)",
	"ALTER TABLE ev DETACH PARTITION ev1",
	"CREATE TABLE ev3 PARTITION OF ev FOR VALUES FROM (20) TO (30)",
	"CREATE TABLE d (id int REFERENCES p (id))",
	"CREATE TABLE e (id int)",
	"CREATE TRIGGER tr2 AFTER INSERT ON c FOR EACH ROW EXECUTE FUNCTION f()",
	"CREATE INDEX pb ON p (b)",
	"DROP INDEX pa",
	"REINDEX INDEX pa",
	"TRUNCATE c",
	"DROP TABLE c",
	"CLUSTER p USING pa",
	"REFRESH MATERIALIZED VIEW mv",
	"INSERT INTO c VALUES (1, 1)",
	"UPDATE c SET pid = 2 WHERE id = 1",
	"DELETE FROM c WHERE id = 1",
	"SELECT * FROM c",
	"SELECT * FROM c FOR UPDATE",
	"LOCK TABLE c IN SHARE ROW EXCLUSIVE MODE",
	"LOCK c",
}

func TestPostgresLockMatchesPgLocks(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := db.SQL.ExecContext(ctx, fixture); err != nil {
		t.Fatalf("creating the fixture: %v", err)
	}
	for _, s := range statements {
		t.Run(s, func(t *testing.T) {
			st := sqlast.Parse(s, sqlast.Pos{}, sqlast.PostgreSQL)
			want, known := lint.PostgresLock(st)
			if !known {
				t.Fatalf("PostgresLock does not know %q", s)
			}
			tr, err := pgtrace.Statement(ctx, db.SQL, s)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Error != "" {
				t.Fatalf("running %q: %s", s, tr.Error)
			}
			if got := tr.Strongest; got != want {
				t.Errorf("pg_locks shows %q, PostgresLock says %q", got, want)
			}
		})
	}
}
