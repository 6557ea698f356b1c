INSERT INTO users (id, email) VALUES (1, 'admin@example.com'), (2, 'it''s;me@example.com');
