-- revision: e5a7c9d1f3b5
-- down_revision: c3e5a7b9d1f3, d4f6b8c0e2a4
-- branch_labels:
-- depends_on:
-- message: merge email and audit branches
-- create_date: 2024-01-04 09:00:00 UTC

-- +upgrade

-- +downgrade
