-- The schema before each case, made on a scratch SQLite database and
-- reflected (the catalogue's C rules read it):
-- before:
CREATE TABLE author (id integer PRIMARY KEY AUTOINCREMENT, name text NOT NULL, email text UNIQUE, bio text);
CREATE TABLE book (id integer PRIMARY KEY, author_id integer NOT NULL REFERENCES author (id), title text NOT NULL, isbn text, pages integer CHECK (pages > 0), subtitle text, price real);
CREATE INDEX book_author_idx ON book (author_id);
CREATE INDEX book_title_isbn_idx ON book (title, isbn);
CREATE TABLE review (id integer PRIMARY KEY, book_id integer REFERENCES book (id), body text);

-- case: rails remove_column
ALTER TABLE "book" DROP COLUMN "subtitle";
-- case: drop a checked column
ALTER TABLE book DROP COLUMN pages;
-- case: drop an indexed column
ALTER TABLE book DROP COLUMN isbn;
-- case: drop a unique column
ALTER TABLE author DROP COLUMN email;
-- case: drop a foreign key column
ALTER TABLE book DROP COLUMN author_id;
-- case: drop a column of a table the revision created
CREATE TABLE draft (id integer PRIMARY KEY, body text);
ALTER TABLE draft DROP COLUMN body;
-- case: drop a referenced table
DROP TABLE author;
-- case: drop the referencing table first
DROP TABLE review;
DROP TABLE book;
-- case: index that is a prefix of another
CREATE INDEX book_title_idx ON book (title);
-- case: index on another column
CREATE INDEX book_isbn_idx ON book (isbn);
-- case: index made unique
CREATE UNIQUE INDEX book_author_uniq ON book (author_id);
-- case: unique index over other columns
CREATE UNIQUE INDEX book_isbn_uniq ON book (isbn);
-- case: django remove field
ALTER TABLE "book" DROP COLUMN "price";
-- case: rebuild that makes a nullable column NOT NULL
-- +no-transaction
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE author_new (id integer PRIMARY KEY AUTOINCREMENT, name text NOT NULL, email text UNIQUE, bio text NOT NULL);
INSERT INTO author_new (id, name, email, bio) SELECT id, name, email, bio FROM author;
DROP TABLE author;
ALTER TABLE author_new RENAME TO author;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
-- case: rebuild that fills the NOT NULL column with coalesce
-- +no-transaction
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE author_new (id integer PRIMARY KEY AUTOINCREMENT, name text NOT NULL, email text UNIQUE, bio text NOT NULL);
INSERT INTO author_new (id, name, email, bio) SELECT id, name, email, coalesce(bio, '') FROM author;
DROP TABLE author;
ALTER TABLE author_new RENAME TO author;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
-- case: rebuild whose copy leaves a NOT NULL column out
-- +no-transaction
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE author_new (id integer PRIMARY KEY AUTOINCREMENT, name text NOT NULL, email text UNIQUE, country text NOT NULL);
INSERT INTO author_new (id, name, email) SELECT a.id, a.name, a.email FROM author a;
DROP TABLE author;
ALTER TABLE author_new RENAME TO author;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
-- case: rebuild with a copy of not-null columns
-- +no-transaction
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE author_new (id integer PRIMARY KEY AUTOINCREMENT, name text NOT NULL, email text UNIQUE);
INSERT INTO author_new (id, name, email) SELECT id, name AS name, email FROM author;
DROP TABLE author;
ALTER TABLE author_new RENAME TO author;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
