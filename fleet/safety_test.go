package fleet_test

import (
	"context"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/retortdb/retort"
	"github.com/retortdb/retort/dialect/postgres"
	"github.com/retortdb/retort/fleet"
	"github.com/retortdb/retort/internal/dbtest"
)

// rev is a revision file of the safety tests.
func rev(id, down, body string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("-- revision: " + id + "\n-- down_revision: " + down + "\n-- message: " + id + "\n\n-- +upgrade\n" + body + "\n\n-- +downgrade\nSELECT 1;\n")}
}

// TestRun_SearchPathAfterBodies: a schema tenant's revisions run in its
// schema even after an earlier revision of the same run changed the
// session: SET search_path (as pg_dump's output does), RESET ALL, and
// DISCARD ALL (outside a transaction) each leave the next revision's
// unqualified names in the tenant's schema, and no table lands in
// public or in another tenant's schema (Project.InSchema sets the
// search_path at the start of each revision).
func TestRun_SearchPathAfterBodies(t *testing.T) {
	db := dbtest.Postgres(t)
	ctx := context.Background()
	for _, s := range []string{"tenant_a", "tenant_b", "elsewhere"} {
		if _, err := db.SQL.ExecContext(ctx, "CREATE SCHEMA "+s); err != nil {
			t.Fatal(err)
		}
	}
	fsys := fstest.MapFS{
		"0001_s1.sql": rev("s1", "", "SET search_path TO elsewhere;\nSELECT 1;"),
		"0002_s2.sql": rev("s2", "s1", "CREATE TABLE after_set (id INTEGER);\nSELECT pg_catalog.set_config('search_path', '', false);"),
		"0003_s3.sql": rev("s3", "s2", "CREATE TABLE after_empty (id INTEGER);\nSET search_path TO public;\nRESET ALL;\nCREATE TABLE after_reset (id INTEGER);"),
		"0004_s4.sql": rev("s4", "s3", "CREATE TABLE before_public (id INTEGER);\nSET search_path TO public;\nSELECT 1;"),
		"0005_s5.sql": rev("s5", "s4", "CREATE TABLE last (id INTEGER);"),
		// DISCARD ALL also drops the driver's prepared statements, which
		// the statements after it in the same session cannot survive: it
		// comes last.
		"0006_s6.sql": rev("s6", "s5", "-- +no-transaction\nDISCARD ALL;\nCREATE TABLE after_discard (id INTEGER);"),
	}
	proj, err := retort.LoadProject(postgres.New(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	targets, err := fleet.Schemas(ctx, db.URL, "tenant_*", "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := fleet.Run(ctx, proj, targets, fleet.Upgrade("head"), fleet.Options{Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != fleet.Done {
			t.Fatalf("%s: %q %v", r.Target.Name, r.Status, r.Err)
		}
	}
	got := tablesBySchema(t, db)
	want := []string{"after_discard", "after_empty", "after_reset", "after_set", "before_public", "last", "retort_history", "retort_version"}
	for _, s := range []string{"tenant_a", "tenant_b"} {
		if !slices.Equal(got[s], want) {
			t.Errorf("%s has %v, want %v", s, got[s], want)
		}
	}
	if len(got["elsewhere"]) > 0 || len(got["public"]) > 0 {
		t.Errorf("elsewhere has %v, public %v", got["elsewhere"], got["public"])
	}
}

// tablesBySchema lists the tables of each schema but the system ones.
func tablesBySchema(t *testing.T, db *dbtest.DB) map[string][]string {
	t.Helper()
	rows, err := db.SQL.QueryContext(context.Background(), `SELECT table_schema, table_name FROM information_schema.tables
WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var s, n string
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		out[s] = append(out[s], n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
