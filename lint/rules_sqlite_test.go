package lint

import (
	"strings"
	"testing"
)

func TestLintSQLiteRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// RT504 passes-only-when-empty
		{"not null no default", SQLite, "RT504", "ALTER TABLE notes ADD COLUMN title text NOT NULL;", true},
		{"alembic style", SQLite, "RT504", `ALTER TABLE "user" ADD COLUMN "email" VARCHAR(255) NOT NULL;`, true},
		{"current timestamp", SQLite, "RT504", "ALTER TABLE notes ADD COLUMN created_at datetime DEFAULT CURRENT_TIMESTAMP;", true},
		{"current date lower case", SQLite, "RT504", "alter table notes add column day date not null default current_date;", true},
		{"expression default", SQLite, "RT504", "ALTER TABLE notes ADD COLUMN slug text DEFAULT (lower(hex(randomblob(4))));", true},
		{"sum in parens", SQLite, "RT504", "ALTER TABLE notes ADD COLUMN n int DEFAULT (1 + 2);", true},
		{"stored generated", SQLite, "RT504", "ALTER TABLE notes ADD COLUMN words int GENERATED ALWAYS AS (length(body)) STORED;", true},
		{"not null constant default", SQLite, "RT504", "ALTER TABLE notes ADD COLUMN status text NOT NULL DEFAULT 'draft';", false},
		{"literal in parens", SQLite, "RT504", "ALTER TABLE notes ADD COLUMN n int NOT NULL DEFAULT (1);", false},
		{"negative default", SQLite, "RT504", "ALTER TABLE notes ADD COLUMN n int NOT NULL DEFAULT -1;", false},
		{"nullable", SQLite, "RT504", "ALTER TABLE notes ADD COLUMN title text;", false},
		{"virtual generated not null", SQLite, "RT504", "ALTER TABLE notes ADD COLUMN words int AS (length(body)) NOT NULL;", false},
		{"table created earlier", SQLite, "RT504", "CREATE TABLE notes (id integer PRIMARY KEY);\nALTER TABLE notes ADD COLUMN title text NOT NULL;", false},
		// RT505 add-column-pk-or-unique
		{"unique column", SQLite, "RT505", "ALTER TABLE users ADD COLUMN handle text UNIQUE;", true},
		{"primary key column", SQLite, "RT505", "ALTER TABLE users ADD COLUMN uid integer PRIMARY KEY;", true},
		{"unique on created table too", SQLite, "RT505", "CREATE TABLE u (id integer);\nALTER TABLE u ADD COLUMN handle text UNIQUE;", true},
		{"unique index instead", SQLite, "RT505", "ALTER TABLE users ADD COLUMN handle text;\nCREATE UNIQUE INDEX users_handle ON users (handle);", false},
		{"unique in create table", SQLite, "RT505", "CREATE TABLE u (id integer PRIMARY KEY, handle text UNIQUE);", false},
		// RT501 alter-needs-rebuild, without a server version
		{"alembic alter type", SQLite, "RT501", "ALTER TABLE account ALTER COLUMN email TYPE VARCHAR(320);", true},
		{"set default", SQLite, "RT501", "ALTER TABLE account ALTER COLUMN active SET DEFAULT 1;", true},
		{"add unique constraint", SQLite, "RT501", "ALTER TABLE account ADD CONSTRAINT account_email_key UNIQUE (email);", true},
		{"add foreign key", SQLite, "RT501", "ALTER TABLE account ADD CONSTRAINT fk_org FOREIGN KEY (org_id) REFERENCES org (id);", true},
		{"drop column needs the version", SQLite, "RT501", "ALTER TABLE account DROP COLUMN legacy;", false},
		{"add column", SQLite, "RT501", "ALTER TABLE account ADD COLUMN nickname text;", false},
		{"rename table", SQLite, "RT501", "ALTER TABLE account RENAME TO member;", false},
		// RT502 rebuild-procedure-incomplete
		{"alembic batch without pragmas", SQLite, "RT502", "CREATE TABLE _alembic_tmp_account (id INTEGER NOT NULL, email VARCHAR(255) NOT NULL, PRIMARY KEY (id));\nINSERT INTO _alembic_tmp_account (id, email) SELECT account.id, account.email FROM account;\nDROP TABLE account;\nALTER TABLE _alembic_tmp_account RENAME TO account;", true},
		{"pragma inside the transaction", SQLite, "RT502", "PRAGMA foreign_keys = OFF;\nCREATE TABLE a_new (id integer PRIMARY KEY);\nINSERT INTO a_new SELECT id FROM a;\nDROP TABLE a;\nALTER TABLE a_new RENAME TO a;\nPRAGMA foreign_key_check;", true},
		{"no foreign_key_check", SQLite, "RT502", "-- +no-transaction\nPRAGMA foreign_keys=0;\nBEGIN;\nCREATE TABLE a_new (id integer PRIMARY KEY);\nINSERT INTO a_new SELECT id FROM a;\nDROP TABLE a;\nALTER TABLE a_new RENAME TO a;\nCOMMIT;", true},
		{"twelve steps", SQLite, "RT502", "-- +no-transaction\nPRAGMA foreign_keys = off;\nBEGIN;\nCREATE TABLE a_new (id integer PRIMARY KEY);\nINSERT INTO a_new SELECT id FROM a;\nDROP TABLE a;\nALTER TABLE a_new RENAME TO a;\nPRAGMA foreign_key_check;\nCOMMIT;\nPRAGMA foreign_keys = on;", false},
		{"plain drop is not a rebuild", SQLite, "RT502", "DROP TABLE old_audit;", false},
		{"created and replaced in the revision", SQLite, "RT502", "CREATE TABLE a (id integer);\nCREATE TABLE a_new (id integer PRIMARY KEY);\nDROP TABLE a;\nALTER TABLE a_new RENAME TO a;", false},
		// RT506 long-write-locks-database
		{"update every row", SQLite, "RT506", "UPDATE notes SET slug = lower(title);", true},
		{"delete every row", SQLite, "RT506", "DELETE FROM sessions;", true},
		{"rebuild copy", SQLite, "RT506", "INSERT INTO notes_new (id, title) SELECT id, title FROM notes;", true},
		{"update with where", SQLite, "RT506", "UPDATE notes SET slug = lower(title) WHERE slug IS NULL AND rowid < 5000;", false},
		{"insert values", SQLite, "RT506", "INSERT INTO settings (k, v) VALUES ('theme', 'dark');", false},
		{"update of created table", SQLite, "RT506", "CREATE TABLE t (a int);\nUPDATE t SET a = 1;", false},
		{"mysql is not this rule", MySQL, "RT505", "ALTER TABLE users ADD COLUMN handle varchar(40) UNIQUE;", false},
	})
}

// TestLintRebuildOfGoBatch: the move-and-copy a Go revision's op.Batch
// renders is retort's own rebuild (guarded), not a hand-written one:
// RT502 leaves it alone; the same statements in a SQL revision fire.
func TestLintRebuildOfGoBatch(t *testing.T) {
	stmts := []Statement{
		{Text: `CREATE TABLE "_retort_tmp_account" ("id" INTEGER NOT NULL PRIMARY KEY, "email" VARCHAR(255) NOT NULL)`, Line: 9},
		{Text: `INSERT INTO "_retort_tmp_account" ("id", "email") SELECT "id", "email" FROM "account"`, Line: 9},
		{Text: `DROP TABLE "account"`, Line: 9},
		{Text: `ALTER TABLE "_retort_tmp_account" RENAME TO "account"`, Line: 9},
	}
	goRev := &Revision{ID: "g1", Path: "m/g1.go", Go: true, HasDowngrade: true, Source: "package m\n",
		Statements: map[string][]Statement{SQLite: stmts}}
	if got := Lint([]*Revision{goRev}, Settings{}).Findings; has(got, "RT502") {
		t.Errorf("RT502 fired on a Go revision's batch: %v", codes(got))
	}
	var text []string
	for _, s := range stmts {
		text = append(text, s.Text+";")
	}
	if got := lintText(t, SQLite, strings.Join(text, "\n"), Settings{}); !has(got, "RT502") {
		t.Errorf("RT502 did not fire on the same rebuild written in SQL: %v", codes(got))
	}
}
