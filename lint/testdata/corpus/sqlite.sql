-- The SQLite corpus: each "-- case:" is linted as the upgrade section of
-- a revision of its own, for the sqlite dialect; a "-- server: ..." line
-- first sets lint.server_version for the case. sqlite.golden has the
-- findings (go test ./lint -run TestSQLiteCorpus -update).

-- case: alembic add nullable column
ALTER TABLE account ADD COLUMN nickname VARCHAR(50);

-- case: alembic add not null column
ALTER TABLE account ADD COLUMN email VARCHAR(255) NOT NULL;

-- case: alembic add not null column with server default
ALTER TABLE account ADD COLUMN active BOOLEAN DEFAULT '1' NOT NULL;

-- case: django add field with timestamp default
ALTER TABLE "blog_entry" ADD COLUMN "created" datetime DEFAULT CURRENT_TIMESTAMP NOT NULL;

-- case: expression default
ALTER TABLE notes ADD COLUMN slug text DEFAULT (lower(hex(randomblob(8))));

-- case: literal default in parentheses
ALTER TABLE notes ADD COLUMN priority integer NOT NULL DEFAULT (0);

-- case: stored generated column
ALTER TABLE notes ADD COLUMN words integer GENERATED ALWAYS AS (length(body)) STORED;

-- case: virtual generated column
ALTER TABLE notes ADD COLUMN words integer GENERATED ALWAYS AS (length(body)) VIRTUAL;

-- case: unique column
ALTER TABLE account ADD COLUMN handle TEXT UNIQUE;

-- case: unique index instead
ALTER TABLE account ADD COLUMN handle TEXT;
CREATE UNIQUE INDEX account_handle ON account (handle);

-- case: alembic alter column type outside batch mode
ALTER TABLE account ALTER COLUMN email TYPE VARCHAR(320);

-- case: alter set default
ALTER TABLE account ALTER COLUMN active SET DEFAULT 1;

-- case: add foreign key constraint
ALTER TABLE account ADD CONSTRAINT fk_account_org FOREIGN KEY (org_id) REFERENCES org (id);

-- case: drop column on an old sqlite
-- server: sqlite 3.31
ALTER TABLE account DROP COLUMN legacy;

-- case: drop column on 3.40
-- server: sqlite 3.40
ALTER TABLE account DROP COLUMN legacy;

-- case: rename column on an old sqlite
-- server: sqlite 3.22
ALTER TABLE account RENAME COLUMN name TO full_name;

-- case: set not null without a version
ALTER TABLE account ALTER COLUMN email SET NOT NULL;

-- case: alembic batch rebuild without pragmas
CREATE TABLE _alembic_tmp_account (id INTEGER NOT NULL, email VARCHAR(320) NOT NULL, PRIMARY KEY (id));
INSERT INTO _alembic_tmp_account (id, email) SELECT account.id, account.email FROM account;
DROP TABLE account;
ALTER TABLE _alembic_tmp_account RENAME TO account;

-- case: twelve-step rebuild
-- near miss: RT502
-- +no-transaction
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE account_new (id integer PRIMARY KEY, email text NOT NULL);
INSERT INTO account_new (id, email) SELECT id, coalesce(email, '') FROM account;
DROP TABLE account;
ALTER TABLE account_new RENAME TO account;
CREATE INDEX account_email ON account (email);
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;

-- case: rebuild with pragma inside the transaction
PRAGMA foreign_keys = OFF;
CREATE TABLE account_new (id integer PRIMARY KEY, email text NOT NULL);
INSERT INTO account_new (id, email) SELECT id, email FROM account;
DROP TABLE account;
ALTER TABLE account_new RENAME TO account;
PRAGMA foreign_key_check;

-- case: unbatched backfill
UPDATE notes SET slug = lower(title);

-- case: batched backfill
UPDATE notes SET slug = lower(title) WHERE slug IS NULL AND rowid BETWEEN 1 AND 10000;

-- case: purge
DELETE FROM sessions;

-- case: new table then add column
CREATE TABLE tags (id integer PRIMARY KEY);
ALTER TABLE tags ADD COLUMN name text NOT NULL;
