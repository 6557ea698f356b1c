-- dialect: sqlite
-- Near misses of every SQLite rule (the format is rules-postgres.sql's).

-- case: add a nullable column natively
-- near miss: RT501 RT504 RT505 RT506
ALTER TABLE notes ADD COLUMN archived_at text NULL;

-- case: complete twelve-step rebuild
-- near miss: RT502
-- +no-transaction
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE note_new (id integer PRIMARY KEY, body text NOT NULL);
INSERT INTO note_new (id, body) SELECT id, coalesce(body, '') FROM notes;
DROP TABLE notes;
ALTER TABLE note_new RENAME TO notes;
CREATE INDEX notes_body ON notes (body);
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;

-- case: unique index after adding the column
-- near miss: RT505
ALTER TABLE notes ADD COLUMN slug text NULL;
CREATE UNIQUE INDEX notes_slug ON notes (slug);
