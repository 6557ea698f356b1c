-- revision: c3e5a7b9d1f3
-- down_revision: b2d4f6a8c0e2
-- branch_labels: accounts
-- depends_on:
-- message: add account email
-- create_date: 2024-01-03 09:00:00 UTC

-- +upgrade
ALTER TABLE account ADD COLUMN email VARCHAR(255) NULL;
UPDATE account SET email = lower(replace(name, ' ', '.')) || '@example.com';

-- +downgrade
ALTER TABLE account DROP COLUMN email;
