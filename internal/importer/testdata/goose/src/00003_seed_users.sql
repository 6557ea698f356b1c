-- +goose Up
INSERT INTO users (id, email) VALUES (1, 'admin@example.com');
INSERT INTO users (id, email) VALUES (2, 'semi;colon@example.com');

-- +goose Down
DELETE FROM users WHERE id IN (1, 2);
