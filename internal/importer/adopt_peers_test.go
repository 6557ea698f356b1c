package importer_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/retortdb/retort/dburl"
	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/internal/importer"
	"github.com/retortdb/retort/internal/importer/proof"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// TestReadPeerTables reads the tables that goose, golang-migrate and
// dbmate themselves make and fill on each dialect: each tool applies
// three migrations and takes the last back, and ReadApplied must say
// what the tool says. A golang-migrate migration that fails leaves its
// table dirty, which adopt refuses. The tools come from .ci/peers; CI
// fails without them.
func TestReadPeerTables(t *testing.T) {
	type step struct {
		args    []string
		failing bool // the tool is expected to fail (a broken migration)
	}
	cases := []struct {
		tool, bin string
		files     map[string]string
		url       func(db *dbtest.DB) []string // the tool's arguments naming the database
		steps     []step
		want      []string // applied versions
		upTo      string
		dirty     string // the message of a dirty table instead
	}{
		{tool: "goose", bin: "goose",
			files: map[string]string{
				"00001_a.sql": "-- +goose Up\nCREATE TABLE a (id INT);\n-- +goose Down\nDROP TABLE a;\n",
				"00002_b.sql": "-- +goose Up\nCREATE TABLE b (id INT);\n-- +goose Down\nDROP TABLE b;\n",
				"00003_c.sql": "-- +goose Up\nCREATE TABLE c (id INT);\n-- +goose Down\nDROP TABLE c;\n",
			},
			url:   gooseArgs,
			steps: []step{{args: []string{"up"}}, {args: []string{"down"}}},
			want:  []string{"1", "2"}},
		{tool: "golang-migrate", bin: "migrate",
			files: map[string]string{
				"1_a.up.sql": "CREATE TABLE a (id INT);", "1_a.down.sql": "DROP TABLE a;",
				"2_b.up.sql": "CREATE TABLE b (id INT);", "2_b.down.sql": "DROP TABLE b;",
				"3_c.up.sql": "CREATE TABLE c (id INT);", "3_c.down.sql": "DROP TABLE c;",
			},
			url:   migrateArgs,
			steps: []step{{args: []string{"up"}}, {args: []string{"down", "1"}}},
			want:  []string{"2"}, upTo: "2"},
		{tool: "golang-migrate", bin: "migrate",
			files: map[string]string{
				"1_a.up.sql": "CREATE TABLE a (id INT);", "1_a.down.sql": "DROP TABLE a;",
				"2_b.up.sql": "CREATE TABLE b (id INT); THIS IS NOT SQL;", "2_b.down.sql": "DROP TABLE b;",
			},
			url:   migrateArgs,
			steps: []step{{args: []string{"up"}, failing: true}},
			dirty: "says dirty at version 2"},
		{tool: "dbmate", bin: "dbmate",
			files: map[string]string{
				"20240101000000_a.sql": "-- migrate:up\nCREATE TABLE a (id INT);\n-- migrate:down\nDROP TABLE a;\n",
				"20240102000000_b.sql": "-- migrate:up\nCREATE TABLE b (id INT);\n-- migrate:down\nDROP TABLE b;\n",
				"20240103000000_c.sql": "-- migrate:up\nCREATE TABLE c (id INT);\n-- migrate:down\nDROP TABLE c;\n",
			},
			url:   dbmateArgs,
			steps: []step{{args: []string{"up"}}, {args: []string{"rollback"}}},
			want:  []string{"20240101000000", "20240102000000"}},
	}
	for _, c := range cases {
		for _, dia := range dbtest.Dialects {
			name := c.tool + "/" + dia
			if c.dirty != "" {
				name += "/dirty"
			}
			t.Run(name, func(t *testing.T) {
				bin := proof.Peer(t, c.bin)
				db := dbtest.For(t, dia)
				dir := t.TempDir()
				src := filepath.Join(dir, "migrations")
				if err := os.Mkdir(src, 0o755); err != nil {
					t.Fatal(err)
				}
				for n, s := range c.files {
					if err := os.WriteFile(filepath.Join(src, n), []byte(s), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				for _, st := range c.steps {
					args := append(c.url(db), st.args...)
					if st.failing {
						if out, err := runTool(dir, bin, args...); err == nil {
							t.Fatalf("%s %v succeeded, want a failure:\n%s", c.bin, args, out)
						}
						continue
					}
					proof.Run(t, dir, nil, bin, args...)
				}
				d, err := dburl.Dialect(db.URL)
				if err != nil {
					t.Fatal(err)
				}
				a, err := importer.ReadApplied(context.Background(), db.SQL, d, c.tool, dialect.Table{Name: importer.DefaultTable(c.tool)})
				if c.dirty != "" {
					var e *importer.Error
					if !errors.As(err, &e) || !strings.Contains(e.Msg, c.dirty) {
						t.Fatalf("err = %v, want an *importer.Error saying %q", err, c.dirty)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, v := range a.Versions {
					got = append(got, v.Version)
					if v.ID != importer.ID(c.tool, strings.TrimLeft(v.Version, "0")) {
						t.Errorf("version %s: id %s, want %s", v.Version, v.ID, importer.ID(c.tool, v.Version))
					}
				}
				if !slices.Equal(got, c.want) || a.UpTo != c.upTo {
					t.Fatalf("applied %v up to %q, want %v up to %q", got, a.UpTo, c.want, c.upTo)
				}
			})
		}
	}
}

// gooseArgs: goose -dir migrations DRIVER DBSTRING.
func gooseArgs(db *dbtest.DB) []string {
	switch db.Dialect {
	case "sqlite":
		return []string{"-dir", "migrations", "sqlite3", db.Name}
	case "postgres":
		return []string{"-dir", "migrations", "postgres", db.DSN}
	}
	return []string{"-dir", "migrations", "mysql", db.DSN}
}

// migrateArgs: migrate -path migrations -database URL.
func migrateArgs(db *dbtest.DB) []string {
	u := "mysql://" + db.DSN
	switch db.Dialect {
	case "sqlite":
		u = "sqlite://" + db.Name
	case "postgres":
		u = db.DSN
	}
	return []string{"-path", "migrations", "-database", u}
}

// dbmateArgs: dbmate --no-dump-schema -d migrations -u URL.
func dbmateArgs(db *dbtest.DB) []string {
	u := db.URL
	if db.Dialect == "sqlite" {
		u = "sqlite:" + db.Name
	}
	return []string{"--no-dump-schema", "-d", "migrations", "-u", u}
}

// runTool runs a tool that may fail, returning its output.
func runTool(dir, bin string, args ...string) (string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}
