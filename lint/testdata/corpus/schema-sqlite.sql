-- dialect: sqlite
-- case: rails create_table
CREATE TABLE "posts" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "title" varchar NOT NULL, "body" text, "created_at" datetime(6) NOT NULL);
-- case: rails add_column not null
ALTER TABLE "users" ADD "tenant_id" integer NOT NULL;
-- case: rails add_column with default
ALTER TABLE "users" ADD "admin" boolean DEFAULT 0 NOT NULL;
-- case: rails remove_column
ALTER TABLE "users" DROP COLUMN "legacy_token";
-- case: django create table
CREATE TABLE "shop_tag" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(50) NOT NULL UNIQUE);
-- case: django rebuild copy
CREATE TABLE "new__shop_order" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "total" decimal NOT NULL);
INSERT INTO "new__shop_order" ("id", "total") SELECT "id", "total" FROM "shop_order";
DROP TABLE "shop_order";
ALTER TABLE "new__shop_order" RENAME TO "shop_order";
-- case: hand-written unique index
CREATE UNIQUE INDEX ux_users_email ON users (email);
-- case: hand-written drop and create
DROP TABLE IF EXISTS cache;
CREATE TABLE cache (key text NOT NULL PRIMARY KEY, value blob NOT NULL);
-- case: hand-written table without key
CREATE TABLE log (at text NOT NULL, msg text NOT NULL);
-- case: hand-written update same column twice
UPDATE users SET name = 'a', name = 'b' WHERE id = 1;
-- case: alembic batch add column nullable
ALTER TABLE account ADD COLUMN nickname VARCHAR(50) NULL;
-- case: alembic add column without null
ALTER TABLE account ADD COLUMN nickname VARCHAR(50);
-- case: hand-written insert distinct columns
INSERT INTO account (id, name, email) VALUES (1, 'a', 'a@example.com');
-- case: hand-written duplicate column in create
CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT NOT NULL, Name TEXT NOT NULL);
-- case: hand-written wide index
CREATE INDEX ix_event_all ON event (kind, actor_id, created_at, target_id);
-- case: hand-written composite primary key
CREATE TABLE post_tag (post_id INTEGER NOT NULL, tag_id INTEGER NOT NULL, PRIMARY KEY (post_id, tag_id)) WITHOUT ROWID;
-- case: hand-written column added then dropped
ALTER TABLE account ADD COLUMN tmp TEXT NULL;
ALTER TABLE account DROP COLUMN tmp;
