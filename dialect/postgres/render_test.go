package postgres

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// TestConformance runs the public dialect suite: the shared cases'
// goldens, each case upgraded, downgraded and upgraded again with the
// catalog compared, and read back by Inspect (expressions spelled as the
// server deparses them, serverSpelling).
func TestConformance(t *testing.T) {
	dialecttest.Run(t, dialecttest.Suite{
		Dialect:  New(),
		Open:     func(t testing.TB) *sql.DB { return dbtest.Postgres(t).SQL },
		Golden:   "testdata/render",
		Update:   *update,
		Snapshot: snapshot,
		Limit:    schema.PostgresLimit(),
		Spelling: serverSpelling,
	})
}

// snapshotQueries dump the catalog of every user schema, one sorted line
// per object.
var snapshotQueries = []string{
	`SELECT 'column ' || table_schema || '.' || table_name || '.' || column_name || ' ' ||
	        format_type(a.atttypid, a.atttypmod) || ' null=' || is_nullable ||
	        ' default=' || coalesce(column_default, '-') || ' identity=' || is_identity ||
	        ' comment=' || coalesce(col_description(a.attrelid, a.attnum), '-')
	   FROM information_schema.columns c
	   JOIN pg_catalog.pg_attribute a
	     ON a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass
	    AND a.attname = c.column_name
	  WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
	`SELECT 'constraint ' || n.nspname || '.' || r.relname || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
	   FROM pg_catalog.pg_constraint c
	   JOIN pg_catalog.pg_class r ON r.oid = c.conrelid
	   JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
	  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')`,
	`SELECT 'index ' || schemaname || ' ' || indexdef FROM pg_catalog.pg_indexes
	  WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
	`SELECT 'table ' || n.nspname || '.' || r.relname || ' comment=' || coalesce(obj_description(r.oid, 'pg_class'), '-')
	   FROM pg_catalog.pg_class r
	   JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
	  WHERE r.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
	`SELECT 'enum ' || n.nspname || '.' || t.typname || ' ' ||
	        string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
	   FROM pg_catalog.pg_type t
	   JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
	   JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
	  GROUP BY n.nspname, t.typname`,
	`SELECT 'schema ' || nspname FROM pg_catalog.pg_namespace
	  WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'public') AND nspname NOT LIKE 'pg_%'`,
}

// snapshot dumps the catalog of db as sorted text.
func snapshot(t testing.TB, db *sql.DB) string {
	t.Helper()
	var lines []string
	for _, q := range snapshotQueries {
		rows, err := db.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatalf("snapshot: %v\n%s", err, q)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	sortStrings(lines)
	return strings.Join(lines, "\n")
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func render(t *testing.T, o op.Op) ([]dialect.Stmt, error) {
	t.Helper()
	return dialect.RenderOp(t.Context(), dialect.RenderContext{Naming: schema.DefaultNaming()}, New(), o)
}

func TestRenderErrors(t *testing.T) {
	long := strings.Repeat("x", 64)
	for _, c := range []struct {
		name string
		o    op.Op
		want string
	}{
		{"raw without postgres", op.AddColumn{Table: schema.TableName{Name: "t"},
			Column: schema.Col("weird", schema.Raw(map[string]string{"mysql": "TINYINT"}))}, "column weird"},
		{"explicit name too long", op.CreateIndex{Table: schema.TableName{Name: "t"},
			Index: schema.IndexOn("a").Named(long)}, long},
		{"run", op.Run{Name: "x"}, "not rendered"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := render(t, c.o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v; want one containing %q", err, c.want)
			}
		})
	}
	_, err := render(t, op.CreateIndex{Table: schema.TableName{Name: "t"}, Index: schema.IndexOn("a").Named(long)})
	if !errors.Is(err, schema.ErrIdentTooLong) {
		t.Errorf("error %v does not wrap schema.ErrIdentTooLong", err)
	}
}

func TestRenderNames(t *testing.T) {
	longTable := strings.Repeat("t", 60)
	for _, c := range []struct {
		name string
		o    op.Op
		want string
	}{
		{"hostile table", op.DropTable{Table: schema.TableName{Schema: `s"x`, Name: `a"; DROP TABLE b; --`}},
			`DROP TABLE "s""x"."a""; DROP TABLE b; --"`},
		{"hostile comment", op.SetTableComment{Table: schema.TableName{Name: "t"}, Comment: `it's'; --`},
			`COMMENT ON TABLE "t" IS 'it''s''; --'`},
		{"hostile enum value", op.AddEnumValue{Enum: schema.EnumType{Name: "e"}, Value: `a'b`},
			`ALTER TYPE "e" ADD VALUE IF NOT EXISTS 'a''b'`},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, err := render(t, c.o)
			if err != nil {
				t.Fatal(err)
			}
			if len(st) != 1 || st[0].SQL != c.want {
				t.Fatalf("got %+v; want %s", st, c.want)
			}
		})
	}
	t.Run("generated long name", func(t *testing.T) {
		o := op.CreateIndex{Table: schema.TableName{Name: longTable}, Index: schema.IndexOn("column_a", "column_b")}
		a, err := render(t, o)
		if err != nil {
			t.Fatal(err)
		}
		b, err := render(t, op.DropIndex{Table: o.Table, Index: o.Index})
		if err != nil {
			t.Fatal(err)
		}
		name := strings.Split(a[0].SQL, `"`)[1]
		if len(name) > 63 || name == "ix_"+longTable+"_column_a_column_b" {
			t.Fatalf("name %q not shortened to 63 bytes", name)
		}
		if b[0].SQL != `DROP INDEX "`+name+`"` {
			t.Fatalf("drop %q does not use the created name %q", b[0].SQL, name)
		}
		again, _ := render(t, o)
		if again[0].SQL != a[0].SQL {
			t.Fatal("generated name is not stable")
		}
	})
	t.Run("concurrently", func(t *testing.T) {
		st, err := render(t, op.CreateIndex{Table: schema.TableName{Name: "t"}, Index: schema.IndexOn("a"), Concurrently: true})
		if err != nil {
			t.Fatal(err)
		}
		if !st[0].NoTx || !strings.Contains(st[0].SQL, "CONCURRENTLY") {
			t.Fatalf("%+v", st)
		}
	})
}
