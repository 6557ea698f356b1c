package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/dbtest"
)

// benchTables is the size issue 17 sets for reflection: 1,000 tables of
// 8 columns, a primary key, 2 indexes and 1 foreign key each.
const benchTables = 1000

// benchSchemaDDL is n such tables (the shape of bench/gen -shape tables):
// table k references table k/2 (the first references itself).
func benchSchemaDDL(n int) string {
	var b strings.Builder
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&b, `CREATE TABLE t_%04[1]d (
    id bigint NOT NULL,
    parent_id bigint,
    name varchar(100) NOT NULL,
    amount numeric(12, 2),
    created_at timestamptz DEFAULT now() NOT NULL,
    active boolean DEFAULT true NOT NULL,
    note text,
    code integer,
    CONSTRAINT pk_t_%04[1]d PRIMARY KEY (id),
    CONSTRAINT fk_t_%04[1]d_parent FOREIGN KEY (parent_id) REFERENCES t_%04[2]d (id)
);
CREATE INDEX ix_t_%04[1]d_parent_id ON t_%04[1]d (parent_id);
CREATE INDEX ix_t_%04[1]d_name_code ON t_%04[1]d (name, code);
`, k, max(k/2, 1))
	}
	return b.String()
}

// BenchmarkInspect1000 reflects 1,000 tables of a PostgreSQL database
// (issue 17: under 1 s) and reports tables/s. The tables are created once,
// in one batch of DDL.
func BenchmarkInspect1000(b *testing.B) {
	db := dbtest.Postgres(b).SQL
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "BEGIN;\n"+benchSchemaDDL(benchTables)+"COMMIT;"); err != nil {
		b.Fatalf("create %d tables: %v", benchTables, err)
	}
	d := New()
	b.ResetTimer()
	for b.Loop() {
		s, err := d.Inspect(ctx, db, dialect.InspectOptions{})
		if err != nil {
			b.Fatalf("Inspect: %v", err)
		}
		if len(s.Tables) != benchTables {
			b.Fatalf("Inspect read %d tables, want %d", len(s.Tables), benchTables)
		}
		if t := s.Tables[benchTables-1]; len(t.Columns) != 8 || len(t.Indexes) != 2 || len(t.ForeignKeys) != 1 {
			b.Fatalf("%s read with %d columns, %d indexes, %d foreign keys; want 8, 2, 1", t.Name, len(t.Columns), len(t.Indexes), len(t.ForeignKeys))
		}
	}
	b.ReportMetric(float64(benchTables)*float64(b.N)/b.Elapsed().Seconds(), "tables/s")
}
