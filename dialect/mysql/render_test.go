package mysql

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/dialect/dialecttest"
	"github.com/retortdb/retort/internal/dbtest"
	"github.com/retortdb/retort/op"
	"github.com/retortdb/retort/schema"
)

// TestConformance runs the public dialect suite: the shared cases'
// goldens, each case upgraded, downgraded and upgraded again with the
// catalog compared, and read back by Inspect. The cases' check
// expressions need no server spelling: MariaDB prints them back alike
// once canonical.
func TestConformance(t *testing.T) {
	dialecttest.Run(t, dialecttest.Suite{
		Dialect:  New(),
		Open:     func(t testing.TB) *sql.DB { return dbtest.MySQL(t).SQL },
		Golden:   "testdata/render",
		Update:   *update,
		Snapshot: snapshot,
		Limit:    schema.MySQLLimit(),
	})
}

var autoIncrementCounter = regexp.MustCompile(` AUTO_INCREMENT=\d+`)

// snapshot dumps the current database's tables as SHOW CREATE TABLE
// text, sorted by name, without AUTO_INCREMENT counters.
func snapshot(t testing.TB, db *sql.DB) string {
	t.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY CAST(TABLE_NAME AS BINARY)")
	if err != nil {
		t.Fatalf("snapshot: list tables: %v", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	d := New()
	var b strings.Builder
	for _, n := range names {
		var name, create string
		if err := db.QueryRowContext(ctx, "SHOW CREATE TABLE "+d.QuoteIdent(n)).Scan(&name, &create); err != nil {
			t.Fatalf("snapshot: SHOW CREATE TABLE %s: %v", n, err)
		}
		b.WriteString(autoIncrementCounter.ReplaceAllString(create, "") + ";\n")
	}
	return b.String()
}

func ptr[T any](v T) *T { return &v }

var acc = schema.TableName{Name: "account"}

// TestRenderSQL checks what single operations render offline.
func TestRenderSQL(t *testing.T) {
	long := strings.Repeat("t", 40)
	longIx := "ix_" + long + "_another_rather_long_column_name"
	tests := []struct {
		name string
		op   op.Op
		want []string // the statements
	}{
		{"hostile identifiers quoted",
			op.CreateTable{Table: schema.NewTable("a`b", schema.Col("c`", schema.Integer())).Index(schema.IndexOn("c`"))},
			[]string{"CREATE TABLE `a``b` (\n    `c``` INT NOT NULL,\n    INDEX `ix_a``b_c``` (`c```)\n)"}},
		{"hostile schema and names in ALTER",
			op.AddColumn{Table: schema.TableName{Schema: "s`x", Name: "t`"}, Column: schema.Col("`", schema.Text()).Nullable()},
			[]string{"ALTER TABLE `s``x`.`t``` ADD COLUMN ```` LONGTEXT NULL"}},
		{"generated long name gets a hash suffix",
			op.CreateIndex{Table: schema.TableName{Name: long}, Index: schema.IndexOn("another_rather_long_column_name")},
			[]string{"CREATE INDEX `" + longIx[:55] + "_" + hashSuffix(longIx) + "` ON `" + long + "` (`another_rather_long_column_name`)"}},
		{"datetime default gets the column's precision",
			op.AddColumn{Table: acc, Column: schema.Col("at", schema.DateTime(true)).Default(schema.Expr("CURRENT_TIMESTAMP"))},
			[]string{"ALTER TABLE `account` ADD COLUMN `at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"}},
		{"now() too",
			op.AddColumn{Table: acc, Column: schema.Col("at", schema.DateTime(false)).Default(schema.Expr("now()"))},
			[]string{"ALTER TABLE `account` ADD COLUMN `at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"}},
		{"explicit precision kept",
			op.AddColumn{Table: acc, Column: schema.Col("at", schema.DateTime(false)).Default(schema.Expr("CURRENT_TIMESTAMP(3)"))},
			[]string{"ALTER TABLE `account` ADD COLUMN `at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)"}},
		{"raw timestamp without fraction",
			op.AddColumn{Table: acc, Column: schema.Col("at", schema.Raw(map[string]string{"mysql": "TIMESTAMP"})).Default(schema.Expr("CURRENT_TIMESTAMP"))},
			[]string{"ALTER TABLE `account` ADD COLUMN `at` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP"}},
		{"text literal default parenthesised",
			op.AddColumn{Table: acc, Column: schema.Col("note", schema.Text()).Default(schema.Value("it's"))},
			[]string{"ALTER TABLE `account` ADD COLUMN `note` LONGTEXT NOT NULL DEFAULT ('it''s')"}},
		{"json and blob literal defaults parenthesised",
			op.AddColumn{Table: acc, Column: schema.Col("doc", schema.JSON()).Default(schema.Value("{}"))},
			[]string{"ALTER TABLE `account` ADD COLUMN `doc` JSON NOT NULL DEFAULT ('{}')"}},
		{"blob default",
			op.AddColumn{Table: acc, Column: schema.Col("b", schema.LargeBinary()).Nullable().Default(schema.Value([]byte("ab")))},
			[]string{"ALTER TABLE `account` ADD COLUMN `b` LONGBLOB NULL DEFAULT (X'6162')"}},
		{"expression default parenthesised",
			op.AddColumn{Table: acc, Column: schema.Col("u", schema.UUID()).Default(schema.Expr("uuid()"))},
			[]string{"ALTER TABLE `account` ADD COLUMN `u` CHAR(36) NOT NULL DEFAULT (uuid())"}},
		{"DEFAULT NULL",
			op.AddColumn{Table: acc, Column: schema.Col("n", schema.Text()).Nullable().Default(schema.Value(nil))},
			[]string{"ALTER TABLE `account` ADD COLUMN `n` LONGTEXT NULL DEFAULT NULL"}},
		{"interval default in microseconds",
			op.AddColumn{Table: acc, Column: schema.Col("span", schema.Interval()).Default(schema.Value(1500 * 1000 * 1000))},
			[]string{"ALTER TABLE `account` ADD COLUMN `span` BIGINT NOT NULL DEFAULT 1500000000"}},
		{"expression index part (MySQL 8 only)",
			op.CreateIndex{Table: acc, Index: schema.IndexExpr("lower(email)").AsUnique()},
			[]string{"CREATE UNIQUE INDEX `ix_account_lower_email` ON `account` ((lower(email)))"}},
		{"concurrently ignored",
			op.CreateIndex{Table: acc, Index: schema.IndexOn("email"), Concurrently: true},
			[]string{"CREATE INDEX `ix_account_email` ON `account` (`email`)"}},
		{"pure rename",
			op.AlterColumn{Table: acc, Column: "email", NewName: "mail"},
			[]string{"ALTER TABLE `account` RENAME COLUMN `email` TO `mail`"}},
		{"rename with a change is CHANGE COLUMN",
			op.AlterColumn{Table: acc, Column: "email", NewName: "mail", Null: ptr(false), Existing: ptr(schema.Col("email", schema.String(255)).Nullable().WithComment("x"))},
			[]string{"ALTER TABLE `account` CHANGE COLUMN `email` `mail` VARCHAR(255) NOT NULL COMMENT 'x'"}},
		{"identity kept in MODIFY",
			op.AlterColumn{Table: acc, Column: "id", Type: ptr(schema.BigInteger()), Existing: ptr(schema.Col("id", schema.Integer()).Identity())},
			[]string{"ALTER TABLE `account` MODIFY COLUMN `id` BIGINT NOT NULL AUTO_INCREMENT"}},
		{"drop default",
			op.AlterColumn{Table: acc, Column: "score", Default: ptr(schema.Default{}), Existing: ptr(schema.Col("score", schema.Integer()).Default(schema.Value(0)))},
			[]string{"ALTER TABLE `account` MODIFY COLUMN `score` INT NOT NULL"}},
		{"enum ops render nothing",
			op.CreateEnum{Enum: schema.EnumType{Name: "mood", Values: []string{"a"}}},
			nil},
		{"primary key name not written",
			op.CreatePrimaryKey{Table: acc, PrimaryKey: schema.PrimaryKeyOn("id").Named("my_pk")},
			[]string{"ALTER TABLE `account` ADD PRIMARY KEY (`id`)"}},
		{"table comment removed",
			op.SetTableComment{Table: acc, Comment: ""},
			[]string{"ALTER TABLE `account` COMMENT = ''"}},
	}
	d := New()
	rc := dialect.RenderContext{Naming: schema.DefaultNaming()}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, err := dialect.RenderOp(t.Context(), rc, d, tt.op)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range stmts {
				got = append(got, s.SQL)
			}
			if strings.Join(got, ";\n") != strings.Join(tt.want, ";\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, ";\n"), strings.Join(tt.want, ";\n"))
			}
			for _, s := range got {
				for _, m := range regexp.MustCompile("`(?:[^`]|``)*`").FindAllString(s, -1) {
					if n := utf8.RuneCountInString(strings.ReplaceAll(m[1:len(m)-1], "``", "`")); n > maxIdent {
						t.Errorf("identifier %s is %d characters long", m, n)
					}
				}
			}
		})
	}
}

// hashSuffix is the first 8 hex digits of the name's SHA-256, as
// schema.Limit.Fit appends them.
func hashSuffix(name string) string {
	fitted, _ := schema.Limit{Max: 9}.Fit("ix", name, true)
	return fitted
}

func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name string
		op   op.Op
		is   error
		want []string // substrings of the message
	}{
		{"offline AlterColumn without Existing",
			op.AlterColumn{Table: acc, Column: "email", Type: ptr(schema.String(320))},
			dialect.ErrNeedExisting, []string{"account", "email", "AlterColumn.Existing", "current definition"}},
		{"offline SetColumnComment",
			op.SetColumnComment{Table: acc, Column: "email", Comment: "x"},
			dialect.ErrNeedExisting, []string{"account", "email", "op.AlterColumn", "Existing"}},
		{"partial index",
			op.CreateIndex{Table: acc, Index: schema.IndexOn("email").Partial("email IS NOT NULL")},
			dialect.ErrUnsupported, []string{"ix_account_email", "partial", "email IS NOT NULL"}},
		{"partial index in CREATE TABLE",
			op.CreateTable{Table: schema.NewTable("t", schema.Col("a", schema.Integer())).Index(schema.IndexOn("a").Partial("a > 0"))},
			dialect.ErrUnsupported, []string{"partial"}},
		{"Raw without a mysql entry",
			op.AddColumn{Table: acc, Column: schema.Col("ip", schema.Raw(map[string]string{"postgres": "INET"}))},
			dialect.ErrUnsupported, []string{"ip", `"mysql"`, "Raw"}},
		{"explicit index name over 64 characters",
			op.CreateIndex{Table: acc, Index: schema.IndexOn("email").Named(strings.Repeat("x", 65))},
			schema.ErrIdentTooLong, []string{strings.Repeat("x", 65), "64"}},
		{"explicit constraint name over 64 characters in CREATE TABLE",
			op.CreateTable{Table: schema.NewTable("t", schema.Col("a", schema.Integer())).AddUnique(schema.UniqueOn("a").Named(strings.Repeat("é", 65)))},
			schema.ErrIdentTooLong, []string{"uq", "64"}},
		{"column name over 64 characters",
			op.AddColumn{Table: acc, Column: schema.Col(strings.Repeat("c", 65), schema.Integer())},
			schema.ErrIdentTooLong, []string{"column"}},
		{"invalid table",
			op.CreateTable{Table: schema.NewTable("t")},
			schema.ErrInvalid, []string{"no columns"}},
		{"Run",
			op.Run{Name: "backfill"},
			nil, []string{"run backfill"}},
	}
	d := New()
	rc := dialect.RenderContext{Naming: schema.DefaultNaming()}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, err := dialect.RenderOp(t.Context(), rc, d, tt.op)
			if err == nil {
				t.Fatalf("rendered %v, want an error", stmts)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q does not wrap %q", err, tt.is)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// TestAlterColumnReflected alters columns online without Existing and
// checks that only the attribute asked for changed: the altered table
// must read back as a table created with the expected definition.
func TestAlterColumnReflected(t *testing.T) {
	tests := []struct {
		name   string
		before string // the column definitions
		op     func(tab schema.TableName) op.Op
		after  string
	}{
		{"nullability; default, comment and collation kept",
			"c VARCHAR(10) COLLATE utf8mb4_general_ci NULL DEFAULT 'n''/a' COMMENT 'it''s'",
			func(tab schema.TableName) op.Op {
				return op.AlterColumn{Table: tab, Column: "c", Null: ptr(false)}
			},
			"c VARCHAR(10) COLLATE utf8mb4_general_ci NOT NULL DEFAULT 'n''/a' COMMENT 'it''s'"},
		{"comment; CURRENT_TIMESTAMP default and ON UPDATE kept",
			"c DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)",
			func(tab schema.TableName) op.Op {
				return op.AlterColumn{Table: tab, Column: "c", Comment: ptr("when")}
			},
			"c DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6) COMMENT 'when'"},
		{"type; identity kept",
			"c INT NOT NULL AUTO_INCREMENT PRIMARY KEY",
			func(tab schema.TableName) op.Op {
				return op.AlterColumn{Table: tab, Column: "c", Type: ptr(schema.BigInteger())}
			},
			"c BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"},
		{"default; text default expression",
			"c LONGTEXT NOT NULL DEFAULT ('x')",
			func(tab schema.TableName) op.Op {
				return op.AlterColumn{Table: tab, Column: "c", Default: ptr(schema.Value("y\\'"))}
			},
			"c LONGTEXT NOT NULL DEFAULT ('y\\\\''')"},
		{"backslashes and quotes in a reflected default",
			`c VARCHAR(10) NULL DEFAULT 'a\\b''c"'`,
			func(tab schema.TableName) op.Op {
				return op.AlterColumn{Table: tab, Column: "c", Null: ptr(false)}
			},
			`c VARCHAR(10) NOT NULL DEFAULT 'a\\b''c"'`},
		{"JSON column keeps its check",
			"c JSON NULL",
			func(tab schema.TableName) op.Op {
				return op.AlterColumn{Table: tab, Column: "c", Null: ptr(false)}
			},
			"c JSON NOT NULL"},
		{"rename with change",
			"c SMALLINT NULL DEFAULT 3 COMMENT 'x'",
			func(tab schema.TableName) op.Op {
				return op.AlterColumn{Table: tab, Column: "c", NewName: "d", Null: ptr(false)}
			},
			"d SMALLINT NOT NULL DEFAULT 3 COMMENT 'x'"},
		{"SetColumnComment",
			"c ENUM('a','b') NOT NULL DEFAULT 'b' COMMENT 'old'",
			func(tab schema.TableName) op.Op {
				return op.SetColumnComment{Table: tab, Column: "c", Comment: ""}
			},
			"c ENUM('a','b') NOT NULL DEFAULT 'b'"},
	}
	d := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := dbtest.MySQL(t).SQL
			ctx := context.Background()
			mustExec(t, db, "CREATE TABLE got ("+tt.before+")", "CREATE TABLE want ("+tt.after+")")
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if err := dialecttest.ExecOp(ctx, d, conn, tt.op(schema.TableName{Name: "got"})); err != nil {
				t.Fatal(err)
			}
			show := func(name string) string {
				var n, create string
				if err := db.QueryRowContext(ctx, "SHOW CREATE TABLE "+name).Scan(&n, &create); err != nil {
					t.Fatal(err)
				}
				return strings.Replace(create, "`"+name+"`", "`t`", 1)
			}
			if got, want := show("got"), show("want"); got != want {
				t.Errorf("altered table:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestDropForeignKeyIndex checks that dropping a foreign key online also
// drops the index MySQL made for it, and only that one.
func TestDropForeignKeyIndex(t *testing.T) {
	db := dbtest.MySQL(t).SQL
	ctx := context.Background()
	mustExec(t, db,
		"CREATE TABLE p (id BIGINT PRIMARY KEY)",
		"CREATE TABLE c1 (id BIGINT PRIMARY KEY, p_id BIGINT NOT NULL)",
		"CREATE TABLE c2 (id BIGINT PRIMARY KEY, p_id BIGINT NOT NULL, INDEX mine (p_id))")
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	d := New()
	for _, tab := range []string{"c1", "c2"} {
		fk := schema.FK("p_id").References("p", "id")
		for _, o := range []op.Op{
			op.CreateForeignKey{Table: schema.TableName{Name: tab}, ForeignKey: fk},
			op.DropForeignKey{Table: schema.TableName{Name: tab}, ForeignKey: fk},
		} {
			if err := dialecttest.ExecOp(ctx, d, conn, o); err != nil {
				t.Fatal(err)
			}
		}
	}
	var got string
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(GROUP_CONCAT(CONCAT(TABLE_NAME, '.', INDEX_NAME) ORDER BY TABLE_NAME, INDEX_NAME), '') FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY'").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "c2.mine" {
		t.Errorf("indexes left: %q, want c2.mine", got)
	}
}
