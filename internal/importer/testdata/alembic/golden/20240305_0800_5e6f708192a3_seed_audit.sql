-- revision: 5e6f708192a3
-- down_revision: 4d5e6f708192
-- branch_labels:
-- depends_on: 3c4d5e6f7081
-- message: seed audit
-- create_date: 2024-03-05 08:00:00 UTC
-- imported from alembic: versions/5e6f708192a3_seed_audit.py (revision 5e6f708192a3)

-- +upgrade sqlite
INSERT INTO audit (what) VALUES ('it''s imported');

-- +downgrade sqlite
DELETE FROM audit WHERE what = 'it''s imported';

-- +upgrade postgresql
INSERT INTO audit (what) VALUES ('it''s imported');

-- +downgrade postgresql
DELETE FROM audit WHERE what = 'it''s imported';
