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
