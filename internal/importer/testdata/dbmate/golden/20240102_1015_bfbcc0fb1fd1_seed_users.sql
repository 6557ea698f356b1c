-- revision: bfbcc0fb1fd1
-- down_revision: ec0906e6e0b1
-- branch_labels:
-- depends_on:
-- message: seed users
-- create_date: 2024-01-02 10:15:00 UTC
-- imported from dbmate: 20240102101500_seed_users.sql (version 20240102101500)

-- +upgrade
INSERT INTO users (id, email) VALUES (1, 'admin@example.com');
INSERT INTO users (id, email) VALUES (2, 'ops@example.com');

-- +downgrade
DELETE FROM users WHERE id IN (1, 2);
