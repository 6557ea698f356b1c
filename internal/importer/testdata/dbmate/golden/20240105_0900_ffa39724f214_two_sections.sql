-- revision: ffa39724f214
-- down_revision: 9c9ddef11326
-- branch_labels:
-- depends_on:
-- message: two sections
-- create_date: 2024-01-05 09:00:00 UTC
-- imported from dbmate: 20240105090000_two_sections.sql (version 20240105090000)

-- +upgrade
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
-- +no-transaction
CREATE INDEX CONCURRENTLY tags_name ON tags (name);

-- +downgrade
DROP TABLE tags;

-- +no-transaction
