-- migrate:up
CREATE TABLE audit (id INTEGER PRIMARY KEY, user_id INTEGER, at TIMESTAMP);
CREATE TRIGGER users_audit AFTER INSERT ON users
BEGIN
    INSERT INTO audit (user_id, at) VALUES (NEW.id, CURRENT_TIMESTAMP);
    UPDATE users SET email = lower(email) WHERE id = NEW.id;
END;

-- migrate:down
DROP TRIGGER users_audit;
DROP TABLE audit;
