-- +goose Up
ALTER TABLE users ADD COLUMN name TEXT;
UPDATE users SET name = 'Admin' WHERE id = 1;

-- +goose Down
ALTER TABLE users DROP COLUMN name;
