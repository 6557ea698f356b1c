-- revision: 6eb2d049a21c
-- down_revision: 41ca41ac1c29
-- branch_labels:
-- depends_on:
-- message: seed users
-- create_date:
-- imported from golang-migrate: 000002_seed_users.up.sql (version 000002)
-- downgrade from 000002_seed_users.down.sql

-- +upgrade
INSERT INTO users (id, email) VALUES (1, 'admin@example.com'), (2, 'it''s;me@example.com');

-- +downgrade
DELETE FROM users;
