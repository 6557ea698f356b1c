-- revision: 6f708192a3b4
-- down_revision: 3c4d5e6f7081, 5e6f708192a3
-- branch_labels:
-- depends_on:
-- message: merge audit into the trunk
-- create_date: 2024-03-06 12:00:00 UTC
-- imported from alembic: versions/6f708192a3b4_merge_audit.py (revision 6f708192a3b4)

-- +upgrade sqlite


-- +downgrade sqlite


-- +upgrade postgresql


-- +downgrade postgresql

