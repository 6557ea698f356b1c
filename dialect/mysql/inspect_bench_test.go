package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/dbtest"
)

// benchTables is the size issue 17 sets for reflection: 1,000 tables of
// 8 columns, a primary key, 2 indexes and 1 foreign key each.
const benchTables = 1000

// benchSchemaDDL is n such tables (the shape of bench/gen -shape tables),
// one CREATE TABLE each with its indexes inline: table k references table
// k/2 (the first references itself), through the index on parent_id.
func benchSchemaDDL(n int) []string {
	stmts := make([]string, 0, n)
	for k := 1; k <= n; k++ {
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE t_%04[1]d (\n"+
			"    id BIGINT NOT NULL,\n"+
			"    parent_id BIGINT,\n"+
			"    name VARCHAR(100) NOT NULL,\n"+
			"    amount DECIMAL(12, 2),\n"+
			"    created_at DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6) NOT NULL,\n"+
			"    active TINYINT(1) DEFAULT 1 NOT NULL,\n"+
			"    note TEXT,\n"+
			"    code INT,\n"+
			"    PRIMARY KEY (id),\n"+
			"    INDEX ix_t_%04[1]d_parent_id (parent_id),\n"+
			"    INDEX ix_t_%04[1]d_name_code (name, code),\n"+
			"    CONSTRAINT fk_t_%04[1]d_parent FOREIGN KEY (parent_id) REFERENCES t_%04[2]d (id)\n"+
			");\n", k, max(k/2, 1)))
	}
	return stmts
}

// BenchmarkInspect1000 reflects 1,000 tables of a MariaDB/MySQL database
// (issue 17: under 1.5 s on MariaDB) and reports tables/s. The tables are
// created once, in batches of multi-statement DDL.
func BenchmarkInspect1000(b *testing.B) {
	tdb := dbtest.MySQL(b)
	ctx := context.Background()
	sep := "?"
	if strings.Contains(tdb.DSN, "?") {
		sep = "&"
	}
	setup, err := sql.Open(tdb.Driver, tdb.DSN+sep+"multiStatements=true")
	if err != nil {
		b.Fatal(err)
	}
	defer setup.Close()
	stmts := benchSchemaDDL(benchTables)
	const batch = 100
	for i := 0; i < len(stmts); i += batch {
		if _, err := setup.ExecContext(ctx, strings.Join(stmts[i:min(i+batch, len(stmts))], "")); err != nil {
			b.Fatalf("create %d tables (batch at %d): %v", benchTables, i, err)
		}
	}
	d := New()
	db := tdb.SQL
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
