-- revision: d2b3c4d5e6f7
-- down_revision: c1a2b3d4e5f6
-- branch_labels:
-- depends_on:
-- message: add account.email, nullable until it is back-filled
-- create_date: 2024-01-02 09:00:00 UTC

-- +upgrade
ALTER TABLE account ADD COLUMN email VARCHAR(255) NULL;

-- +downgrade
ALTER TABLE account DROP COLUMN email;
