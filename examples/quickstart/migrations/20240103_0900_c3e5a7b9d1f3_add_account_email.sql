-- revision: c3e5a7b9d1f3
-- down_revision: b2d4f6a8c0e2
-- branch_labels: accounts
-- depends_on:
-- message: add account email
-- create_date: 2024-01-03 09:00:00 UTC

-- +upgrade
ALTER TABLE account ADD COLUMN email VARCHAR(255) NULL;
-- retort:ignore RT606,RT706 the example's account table holds the three rows the seed revision inserts; a real table would be backfilled in batches, in a revision of its own
UPDATE account SET email = lower(replace(name, ' ', '.')) || '@example.com';

-- +downgrade
ALTER TABLE account DROP COLUMN email;
