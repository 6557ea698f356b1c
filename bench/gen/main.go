// Command gen writes a synthetic migration project for the benchmarks: the
// same revision graph (same ids, same parents, same SQL) either as a retort
// project (retort.toml and SQL revision files) or as an Alembic project
// (alembic.ini, env.py and Python revision files).
//
//	go run ./bench/gen -n 5000 -tool retort -out bench/work/branchy-5000/retort
//	go run ./bench/gen -n 5000 -tool alembic -out bench/work/branchy-5000/alembic
//
// Shapes (chain, branchy, dense) are those of internal/graphgen, which
// generates the graph; the cli and root benchmarks use the same generator.
//
// Everything (ids, branch points, branch lengths) is derived from -seed, so
// two runs with the same flags write the same graph, and the two tools get
// the same graph for the same seed. Revision n creates table t_n (n counts
// from 1) and drops it on downgrade.
//
// Only the standard library and internal/graphgen are used.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/retortdb/retort/internal/graphgen"
)

// Revision is one node of the generated graph (internal/graphgen, which
// the benchmarks of the cli and root packages share).
type Revision = graphgen.Revision

type rng = graphgen.Rand

// Generate builds the graph of n revisions of the given shape.
func Generate(n int, seed int64, shape string) ([]Revision, error) {
	return graphgen.Generate(n, seed, shape)
}

const createDate = graphgen.CreateDate

func upgradeSQL(num int) string   { return graphgen.UpgradeSQL(num) }
func downgradeSQL(num int) string { return graphgen.DowngradeSQL(num) }
func fileName(rev Revision, ext string) string {
	return graphgen.FileName(rev, ext)
}

func writeFile(path, content string) error {
	return os.WriteFile(path, []byte(content), 0o644)
}

// prepareDir makes out (and sub) and refuses to write into a folder that
// already holds revision files, so stale revisions never mix in.
func prepareDir(out, sub, ext string) (string, error) {
	dir := filepath.Join(out, sub)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	old, err := filepath.Glob(filepath.Join(dir, "*."+ext))
	if err != nil {
		return "", err
	}
	if len(old) > 0 {
		return "", fmt.Errorf("%s already holds %d .%s files: remove it first", dir, len(old), ext)
	}
	return dir, nil
}

// WriteRetort writes retort.toml and migrations/*.sql under out.
func WriteRetort(out string, revs []Revision) error {
	dir, err := prepareDir(out, "migrations", "sql")
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(out, "retort.toml"), graphgen.RetortConfig); err != nil {
		return err
	}
	for _, rev := range revs {
		if err := writeFile(filepath.Join(dir, fileName(rev, "sql")), graphgen.RetortSQL(rev)); err != nil {
			return err
		}
	}
	return nil
}

// WriteGoose writes the revisions as goose SQL migrations under out/migrations
// (NNNNNN_<id>.sql with -- +goose Up / Down), in creation order: goose has
// no graph, so it applies them as a line.
func WriteGoose(out string, revs []Revision) error {
	dir, err := prepareDir(out, "migrations", "sql")
	if err != nil {
		return err
	}
	for _, rev := range revs {
		body := fmt.Sprintf("-- +goose Up\n%s;\n\n-- +goose Down\n%s;\n", upgradeSQL(rev.Num), downgradeSQL(rev.Num))
		if err := writeFile(filepath.Join(dir, fileName(rev, "sql")), body); err != nil {
			return err
		}
	}
	return nil
}

// WriteMigrate writes the revisions as golang-migrate files under
// out/migrations (NNNNNN_<id>.up.sql and .down.sql), in creation order.
func WriteMigrate(out string, revs []Revision) error {
	dir, err := prepareDir(out, "migrations", "sql")
	if err != nil {
		return err
	}
	for _, rev := range revs {
		base := fmt.Sprintf("%06d_%s", rev.Num, rev.ID)
		if err := writeFile(filepath.Join(dir, base+".up.sql"), upgradeSQL(rev.Num)+";\n"); err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, base+".down.sql"), downgradeSQL(rev.Num)+";\n"); err != nil {
			return err
		}
	}
	return nil
}

// WritePlain writes every upgrade statement, in creation order, to
// out/upgrade.sql: what a database client runs as the floor (the SQL alone,
// one statement per transaction).
func WritePlain(out string, revs []Revision) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var b strings.Builder
	for _, rev := range revs {
		b.WriteString(upgradeSQL(rev.Num) + ";\n")
	}
	if err := writeFile(filepath.Join(out, "upgrade.sql"), b.String()); err != nil {
		return err
	}
	up, down := floorScripts(revs)
	if err := writeFile(filepath.Join(out, "upgrade-tx.sql"), up); err != nil {
		return err
	}
	return writeFile(filepath.Join(out, "downgrade-tx.sql"), down)
}

// floorScripts are what a database client runs as the floor of a migration
// tool that keeps a version row: one transaction per revision holding the
// revision's statement and the update of a one-row version table
// (floor_version, made by the upgrade script), in creation order for the
// upgrade and in reverse for the downgrade. The SQL works on SQLite,
// PostgreSQL and MariaDB.
func floorScripts(revs []Revision) (up, down string) {
	var u, d strings.Builder
	u.WriteString("CREATE TABLE floor_version (version_num VARCHAR(32) NOT NULL);\nINSERT INTO floor_version VALUES ('');\n")
	for _, rev := range revs {
		fmt.Fprintf(&u, "BEGIN;\n%s;\nUPDATE floor_version SET version_num = '%s';\nCOMMIT;\n", upgradeSQL(rev.Num), rev.ID)
	}
	for i := len(revs) - 1; i >= 0; i-- {
		prev := ""
		if i > 0 {
			prev = revs[i-1].ID
		}
		fmt.Fprintf(&d, "BEGIN;\n%s;\nUPDATE floor_version SET version_num = '%s';\nCOMMIT;\n", downgradeSQL(revs[i].Num), prev)
	}
	return u.String(), d.String()
}

// WriteDbmate writes the revisions as dbmate migrations under
// out/migrations (NNNNNN_<id>.sql with -- migrate:up / -- migrate:down), in
// creation order: dbmate applies them as a line, each in a transaction.
func WriteDbmate(out string, revs []Revision) error {
	dir, err := prepareDir(out, "migrations", "sql")
	if err != nil {
		return err
	}
	for _, rev := range revs {
		body := fmt.Sprintf("-- migrate:up\n%s;\n\n-- migrate:down\n%s;\n", upgradeSQL(rev.Num), downgradeSQL(rev.Num))
		if err := writeFile(filepath.Join(dir, fileName(rev, "sql")), body); err != nil {
			return err
		}
	}
	return nil
}

// sqitchPlanHeader starts sqitch.plan; the engine comes from the target
// URI on the command line, so one project serves every database.
const sqitchPlanHeader = "%syntax-version=1.0.0\n%project=bench\n\n"

// WriteSqitch writes a sqitch project under out: sqitch.conf, sqitch.plan
// with one change t_<Num> per revision in creation order, and its
// deploy/ and revert/ scripts, each one transaction (BEGIN; statement;
// COMMIT;) like the floor's. No verify scripts: they are optional, and
// bench/run deploys with --no-verify.
func WriteSqitch(out string, revs []Revision) error {
	deploy, err := prepareDir(out, "deploy", "sql")
	if err != nil {
		return err
	}
	revert, err := prepareDir(out, "revert", "sql")
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(out, "sqitch.conf"), "[core]\n\tplan_file = sqitch.plan\n\ttop_dir = .\n"); err != nil {
		return err
	}
	var plan strings.Builder
	plan.WriteString(sqitchPlanHeader)
	for _, rev := range revs {
		name := fmt.Sprintf("t_%d", rev.Num)
		fmt.Fprintf(&plan, "%s 2024-01-01T00:00:00Z bench <bench@example.invalid> # %s\n", name, rev.Message)
		if err := writeFile(filepath.Join(deploy, name+".sql"), "BEGIN;\n"+upgradeSQL(rev.Num)+";\nCOMMIT;\n"); err != nil {
			return err
		}
		if err := writeFile(filepath.Join(revert, name+".sql"), "BEGIN;\n"+downgradeSQL(rev.Num)+";\nCOMMIT;\n"); err != nil {
			return err
		}
	}
	return writeFile(filepath.Join(out, "sqitch.plan"), plan.String())
}

// alembicIni is what `alembic init` writes, trimmed to the keys that matter,
// with its logging setup (so Alembic logs each step, as retort does).
const alembicIni = `[alembic]
script_location = %(here)s
prepend_sys_path = .
sqlalchemy.url = sqlite:///%(here)s/bench.db

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
`

// alembicEnv is the env.py of Alembic's "generic" template without
// autogenerate's target_metadata: offline (--sql) and online.
const alembicEnv = `from logging.config import fileConfig

from sqlalchemy import engine_from_config
from sqlalchemy import pool

from alembic import context

config = context.config

if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = None


def run_migrations_offline():
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connectable = engine_from_config(
        config.get_section(config.config_ini_section),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    with connectable.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata
        )

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
`

const alembicMako = `"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
`

func pyDownRevision(parents []string) string {
	switch len(parents) {
	case 0:
		return "None"
	case 1:
		return fmt.Sprintf("'%s'", parents[0])
	default:
		q := make([]string, len(parents))
		for i, p := range parents {
			q[i] = fmt.Sprintf("'%s'", p)
		}
		return "(" + strings.Join(q, ", ") + ")"
	}
}

// WriteAlembic writes alembic.ini, env.py, script.py.mako and
// versions/*.py under out.
func WriteAlembic(out string, revs []Revision) error {
	dir, err := prepareDir(out, "versions", "py")
	if err != nil {
		return err
	}
	for name, content := range map[string]string{
		"alembic.ini":    alembicIni,
		"env.py":         alembicEnv,
		"script.py.mako": alembicMako,
	} {
		if err := writeFile(filepath.Join(out, name), content); err != nil {
			return err
		}
	}
	var b strings.Builder
	for _, rev := range revs {
		b.Reset()
		fmt.Fprintf(&b, "\"\"\"%s\n\nRevision ID: %s\nRevises: %s\nCreate Date: %s\n\n\"\"\"\n",
			rev.Message, rev.ID, strings.Join(rev.Parents, ", "), createDate)
		b.WriteString("from alembic import op\n\n\n")
		b.WriteString("# revision identifiers, used by Alembic.\n")
		fmt.Fprintf(&b, "revision = '%s'\n", rev.ID)
		fmt.Fprintf(&b, "down_revision = %s\n", pyDownRevision(rev.Parents))
		b.WriteString("branch_labels = None\ndepends_on = None\n\n\n")
		fmt.Fprintf(&b, "def upgrade():\n    op.execute(\"%s\")\n\n\n", upgradeSQL(rev.Num))
		fmt.Fprintf(&b, "def downgrade():\n    op.execute(\"%s\")\n", downgradeSQL(rev.Num))
		if err := writeFile(filepath.Join(dir, fileName(rev, "py")), b.String()); err != nil {
			return err
		}
	}
	return nil
}

// Heads returns the ids that are no revision's parent, in creation order.
func Heads(revs []Revision) []string { return graphgen.Heads(revs) }

func main() {
	var (
		n     = flag.Int("n", 5000, "number of revisions")
		tool  = flag.String("tool", "", "retort, alembic, goose, migrate, dbmate, sqitch or plain")
		out   = flag.String("out", "", "folder to write the project into")
		seed  = flag.Int64("seed", 1, "seed of the ids and of the graph")
		shape = flag.String("shape", "branchy", "branchy, dense (a branch and a merge every 10 revisions), chain, or tables (no revisions; a desired schema of n tables for autogenerate, retort or alembic only)")
		info  = flag.Bool("print-head", false, "print the head id on stdout after writing")
	)
	flag.Parse()
	if flag.NArg() > 0 || *out == "" || !validTool(*tool) {
		fmt.Fprintln(os.Stderr, "usage: gen -n N -tool retort|alembic|goose|migrate|dbmate|sqitch|plain -out DIR [-seed 1] [-shape branchy|dense|chain|tables] [-print-head]")
		os.Exit(2)
	}
	if *shape == "tables" {
		if *n < 1 || (*tool != "retort" && *tool != "alembic") {
			fmt.Fprintln(os.Stderr, "gen: -shape tables needs -n 1 or more and -tool retort or alembic")
			os.Exit(2)
		}
		ts := Tables(*n, *seed)
		write := WriteRetortTables
		if *tool == "alembic" {
			write = WriteAlembicTables
		}
		if err := write(*out, ts); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		return
	}
	revs, err := Generate(*n, *seed, *shape)
	if err == nil {
		switch *tool {
		case "retort":
			err = WriteRetort(*out, revs)
		case "alembic":
			err = WriteAlembic(*out, revs)
		case "goose":
			err = WriteGoose(*out, revs)
		case "migrate":
			err = WriteMigrate(*out, revs)
		case "dbmate":
			err = WriteDbmate(*out, revs)
		case "sqitch":
			err = WriteSqitch(*out, revs)
		default:
			err = WritePlain(*out, revs)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if *info {
		w := bufio.NewWriter(os.Stdout)
		for _, h := range Heads(revs) {
			fmt.Fprintln(w, h)
		}
		w.Flush()
	}
}

func validTool(t string) bool {
	switch t {
	case "retort", "alembic", "goose", "migrate", "dbmate", "sqitch", "plain":
		return true
	}
	return false
}
