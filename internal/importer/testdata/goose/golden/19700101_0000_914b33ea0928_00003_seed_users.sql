-- revision: 914b33ea0928
-- down_revision: dee5b8860d87
-- branch_labels:
-- depends_on:
-- message: seed users
-- create_date:
-- imported from goose: 00003_seed_users.sql (version 00003)

-- +upgrade
INSERT INTO users (id, email) VALUES (1, 'admin@example.com');
INSERT INTO users (id, email) VALUES (2, 'semi;colon@example.com');

-- +downgrade
DELETE FROM users WHERE id IN (1, 2);
