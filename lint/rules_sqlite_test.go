package lint

import "testing"

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
		{"mysql is not this rule", MySQL, "RT505", "ALTER TABLE users ADD COLUMN handle varchar(40) UNIQUE;", false},
	})
}
