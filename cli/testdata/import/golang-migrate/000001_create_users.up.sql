CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL
);
CREATE TABLE audit (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TRIGGER users_audit AFTER INSERT ON users
BEGIN
    INSERT INTO audit (user_id, what) VALUES (NEW.id, 'created; by trigger');
END;
