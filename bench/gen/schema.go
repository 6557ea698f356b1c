package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/retortdb/retort/internal/graphgen"
)

// The "tables" shape is autogenerate's workload: a project with no
// revisions whose desired schema is n tables, for `retort revision
// --autogenerate` (desired-state SQL) and `alembic revision
// --autogenerate` (SQLAlchemy metadata in models.py), both against an
// empty SQLite database. Each table has 8 columns, a primary key, 2
// indexes and 1 foreign key (the shape issue 17 sets): table k references
// a seeded earlier table (the first references itself), so the tables
// can be created in order.

// Table is one generated table of the "tables" shape.
type Table struct {
	Name string // t_0001 …
	Ref  string // the table its foreign key references
}

// tableName is t_NNNN (4 digits at least), so that name order is
// creation order.
func tableName(k int) string { return fmt.Sprintf("t_%04d", k) }

// Tables returns the n tables of the "tables" shape for the seed.
func Tables(n int, seed int64) []Table {
	r := graphgen.NewRand(uint64(seed)*0x2545f4914f6cdd1d + 7)
	ts := make([]Table, n)
	for k := 1; k <= n; k++ {
		ref := k
		if k > 1 {
			ref = r.Between(1, k-1)
		}
		ts[k-1] = Table{Name: tableName(k), Ref: tableName(ref)}
	}
	return ts
}

// SchemaSQL is the desired schema as SQLite DDL: what SQLAlchemy's
// metadata in models.py creates on SQLite, statement for statement.
func SchemaSQL(ts []Table) string {
	var b strings.Builder
	for _, t := range ts {
		fmt.Fprintf(&b, `CREATE TABLE %[1]s (
    id BIGINT NOT NULL,
    parent_id BIGINT,
    name VARCHAR(100) NOT NULL,
    amount NUMERIC(12, 2),
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    active BOOLEAN DEFAULT 1 NOT NULL,
    note TEXT,
    code INTEGER,
    CONSTRAINT pk_%[1]s PRIMARY KEY (id),
    CONSTRAINT fk_%[1]s_parent FOREIGN KEY (parent_id) REFERENCES %[2]s (id)
);
CREATE INDEX ix_%[1]s_parent_id ON %[1]s (parent_id);
CREATE INDEX ix_%[1]s_name_code ON %[1]s (name, code);
`, t.Name, t.Ref)
	}
	return b.String()
}

// ModelsPy is the same schema as SQLAlchemy Core metadata, one Table per
// table as a project declares them.
func ModelsPy(ts []Table) string {
	var b strings.Builder
	b.WriteString("import sqlalchemy as sa\n\nmetadata = sa.MetaData()\n")
	for _, t := range ts {
		fmt.Fprintf(&b, `
%[1]s = sa.Table(
    "%[1]s",
    metadata,
    sa.Column("id", sa.BigInteger(), nullable=False),
    sa.Column("parent_id", sa.BigInteger(), nullable=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("amount", sa.Numeric(12, 2), nullable=True),
    sa.Column("created_at", sa.DateTime(), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False),
    sa.Column("active", sa.Boolean(), server_default=sa.text("1"), nullable=False),
    sa.Column("note", sa.Text(), nullable=True),
    sa.Column("code", sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint("id", name="pk_%[1]s"),
    sa.ForeignKeyConstraint(["parent_id"], ["%[2]s.id"], name="fk_%[1]s_parent"),
    sa.Index("ix_%[1]s_parent_id", "parent_id"),
    sa.Index("ix_%[1]s_name_code", "name", "code"),
)
`, t.Name, t.Ref)
	}
	return b.String()
}

// WriteRetortTables writes a retort project with no revisions whose
// desired schema (schema/tables.sql) is ts.
func WriteRetortTables(out string, ts []Table) error {
	if _, err := prepareDir(out, "migrations", "sql"); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(out, "schema"), 0o755); err != nil {
		return err
	}
	toml := "script_location = \"migrations\"\nurl = \"sqlite:///bench.db\"\ndesired = [\"schema/*.sql\"]\n"
	if err := writeFile(filepath.Join(out, "retort.toml"), toml); err != nil {
		return err
	}
	return writeFile(filepath.Join(out, "schema", "tables.sql"), SchemaSQL(ts))
}

// alembicAutogenIni puts the project's folder on sys.path (env.py
// imports models), whatever the working directory.
var alembicAutogenIni = strings.Replace(alembicIni, "prepend_sys_path = .\n", "prepend_sys_path = %(here)s\n", 1)

// alembicAutogenEnv is alembicEnv with target_metadata from models.py,
// as a project that autogenerates sets it.
var alembicAutogenEnv = strings.Replace(alembicEnv, "target_metadata = None\n",
	"from models import metadata\n\ntarget_metadata = metadata\n", 1)

// WriteAlembicTables writes an Alembic project with no revisions whose
// env.py's target_metadata is models.py's metadata of ts.
func WriteAlembicTables(out string, ts []Table) error {
	if _, err := prepareDir(out, "versions", "py"); err != nil {
		return err
	}
	for name, content := range map[string]string{
		"alembic.ini":    alembicAutogenIni,
		"env.py":         alembicAutogenEnv,
		"script.py.mako": alembicMako,
		"models.py":      ModelsPy(ts),
	} {
		if err := writeFile(filepath.Join(out, name), content); err != nil {
			return err
		}
	}
	return nil
}
