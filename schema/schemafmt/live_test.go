package schemafmt_test

import (
	"context"
	"slices"
	"testing"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/schema"
	"github.com/retortdb/retort/schema/schemafmt"
)

// TestSQL_Runs replays the SQL of each case with the dialect's
// command-line client on a fresh database (so that the order of enum
// types, tables, the keys of a cycle and indexes is one that runs), then
// inspects it and finds every table with its foreign keys and indexes.
func TestSQL_Runs(t *testing.T) {
	ctx := context.Background()
	for _, c := range sqlCases() {
		t.Run(c.name+"/"+c.d.Name(), func(t *testing.T) {
			t.Parallel()
			script, err := schemafmt.SQL(ctx, c.d, c.s, schemafmt.SQLOptions{})
			if err != nil {
				t.Fatal(err)
			}
			db := dbtest.For(t, c.d.Name())
			dbtest.Replay(t, db, script)
			got, err := dialect.Probe(c.d).Inspector.Inspect(ctx, db.SQL, dialect.InspectOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range c.s.Tables {
				tb, ok := got.Table(want.Name)
				if !ok {
					t.Errorf("table %s was not created", want.Name)
					continue
				}
				// A unique index may come back as a unique constraint
				// (MySQL has one for both): count them together, and
				// leave out the index MySQL makes for a foreign key that
				// has none, named after the key.
				gotKeys, wantKeys := len(tb.Uniques)+len(tb.Indexes), len(want.Uniques)+len(want.Indexes)
				for _, idx := range tb.Indexes {
					if c.d.Name() == "mysql" && slices.ContainsFunc(tb.ForeignKeys, func(fk schema.ForeignKey) bool { return fk.Name == idx.Name }) {
						gotKeys--
					}
				}
				if len(tb.Columns) != len(want.Columns) || len(tb.ForeignKeys) != len(want.ForeignKeys) || gotKeys != wantKeys {
					t.Errorf("table %s has %d columns, %d foreign keys and %d unique constraints and indexes, want %d, %d and %d", want.Name,
						len(tb.Columns), len(tb.ForeignKeys), gotKeys, len(want.Columns), len(want.ForeignKeys), wantKeys)
				}
			}
			if len(got.Tables) != len(c.s.Tables) {
				var names []string
				for _, tb := range got.Tables {
					names = append(names, tb.Name)
				}
				t.Errorf("the database has the tables %v, want %d", slices.Clip(names), len(c.s.Tables))
			}
		})
	}
}
