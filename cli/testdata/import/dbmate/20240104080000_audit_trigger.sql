-- migrate:up
CREATE TABLE audit (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, at TEXT);
CREATE TRIGGER users_audit AFTER UPDATE ON users
BEGIN
    INSERT INTO audit (user_id, at) VALUES (NEW.id, 'now');
    INSERT INTO audit (user_id, at) VALUES (OLD.id, 'then');
END;

-- migrate:down
DROP TRIGGER users_audit;
DROP TABLE audit;
