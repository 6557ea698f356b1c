INSERT INTO users (id, email) VALUES (1, 'admin@example.com');
INSERT INTO users (id, email) VALUES (2, 'ops@example.com');
