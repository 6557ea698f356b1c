-- dialect: sqlite
-- Near misses of SQLite rules (the format is rules-postgres.sql's; the
-- twelve-step rebuild of sqlite.sql is RT502's).

-- case: add a nullable column natively
-- near miss: RT501 RT504 RT505 RT506
ALTER TABLE notes ADD COLUMN archived_at text NULL;

-- case: unique index after adding the column
-- near miss: RT505
ALTER TABLE notes ADD COLUMN slug text NULL;
CREATE UNIQUE INDEX notes_slug ON notes (slug);

-- case: alembic drop_table
DROP TABLE "old_notes";

-- case: rename a table
ALTER TABLE notes RENAME TO note;

-- case: rename a column
ALTER TABLE notes RENAME COLUMN body TO text;

-- case: explicit transaction in a revision
BEGIN;
ALTER TABLE notes ADD COLUMN pinned integer NULL;
COMMIT;

-- case: vacuum in the transaction
VACUUM;

-- case: backfill after a new column
ALTER TABLE notes ADD COLUMN pinned integer NULL;
UPDATE notes SET pinned = 0 WHERE id BETWEEN 1 AND 1000;

-- case: revision without a downgrade
-- +upgrade
ALTER TABLE notes ADD COLUMN pinned integer NULL;

-- case: camel case names, naming convention enabled
-- enable: RT808
CREATE TABLE "NoteTag" (id integer PRIMARY KEY, "noteId" integer NOT NULL);

-- case: unterminated string
ALTER TABLE notes ADD COLUMN title text DEFAULT 'oops;

-- case: suppression of a rule that does not fire
-- retort:ignore RT101 the table was archived first
ALTER TABLE notes ADD COLUMN pinned integer NULL;

-- case: suppression without a reason
-- retort:ignore RT101
DROP TABLE old_notes;

-- case: drop a check constraint on sqlite 3.53
-- server: sqlite 3.53
ALTER TABLE notes DROP CONSTRAINT notes_body_len;

-- case: drop not null on sqlite 3.53
-- server: sqlite 3.53
ALTER TABLE notes ALTER COLUMN body DROP NOT NULL;
