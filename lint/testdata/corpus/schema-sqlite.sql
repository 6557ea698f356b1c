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
