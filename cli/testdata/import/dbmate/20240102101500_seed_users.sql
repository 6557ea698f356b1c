-- migrate:up
INSERT INTO users (id, email) VALUES (1, 'admin@example.com');
INSERT INTO users (id, email) VALUES (2, 'ops@example.com');

-- migrate:down
DELETE FROM users WHERE id IN (1, 2);
