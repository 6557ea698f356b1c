-- revision: 8192a3b4c5d6
-- down_revision: 708192a3b4c5
-- branch_labels:
-- depends_on:
-- message: create tags
-- create_date: 2024-03-08 12:00:00 UTC
-- imported from alembic: versions/8192a3b4c5d6_create_tags.py (revision 8192a3b4c5d6)

-- +upgrade sqlite
CREATE TABLE tags (
    id INTEGER NOT NULL, 
    user_id INTEGER NOT NULL, 
    label VARCHAR(50) DEFAULT 'new' NOT NULL, 
    PRIMARY KEY (id), 
    FOREIGN KEY(user_id) REFERENCES users (id)
);

CREATE INDEX ix_tags_user ON tags (user_id);

-- +downgrade sqlite
DROP INDEX ix_tags_user;

DROP TABLE tags;

-- +upgrade postgresql
CREATE TABLE tags (
    id SERIAL NOT NULL, 
    user_id INTEGER NOT NULL, 
    label VARCHAR(50) DEFAULT 'new' NOT NULL, 
    PRIMARY KEY (id), 
    FOREIGN KEY(user_id) REFERENCES users (id)
);

CREATE INDEX ix_tags_user ON tags (user_id);

-- +downgrade postgresql
DROP INDEX ix_tags_user;

DROP TABLE tags;
