-- migrate:up
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
-- migrate:down
DROP TABLE tags;

-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY tags_name ON tags (name);
-- migrate:down transaction:false
