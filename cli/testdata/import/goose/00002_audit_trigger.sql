-- +goose Up
CREATE TABLE audit (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, what TEXT NOT NULL);

-- +goose StatementBegin
CREATE TRIGGER users_audit AFTER INSERT ON users
BEGIN
    INSERT INTO audit (user_id, what) VALUES (NEW.id, 'created; by trigger');
    UPDATE users SET updated_at = '2024-01-01' WHERE id = NEW.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER users_audit;
DROP TABLE audit;
