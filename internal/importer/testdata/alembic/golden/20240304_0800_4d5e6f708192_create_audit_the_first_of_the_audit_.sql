-- revision: 4d5e6f708192
-- down_revision: 1a2b3c4d5e6f
-- branch_labels: audit
-- depends_on:
-- message: create audit, the first of the audit branch
-- create_date: 2024-03-04 08:00:00 UTC
-- imported from alembic: versions/4d5e6f708192_create_audit.py (revision 4d5e6f708192)

-- +upgrade sqlite
CREATE TABLE audit (
    id INTEGER NOT NULL, 
    what VARCHAR(200) NOT NULL, 
    PRIMARY KEY (id)
);

-- +downgrade sqlite
DROP TABLE audit;

-- +upgrade postgresql
CREATE TABLE audit (
    id SERIAL NOT NULL, 
    what VARCHAR(200) NOT NULL, 
    PRIMARY KEY (id)
);

-- +downgrade postgresql
DROP TABLE audit;
