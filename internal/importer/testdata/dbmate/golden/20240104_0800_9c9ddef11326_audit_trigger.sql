-- revision: 9c9ddef11326
-- down_revision: 7a9178e8f692
-- branch_labels:
-- depends_on:
-- message: audit trigger
-- create_date: 2024-01-04 08:00:00 UTC
-- imported from dbmate: 20240104080000_audit_trigger.sql (version 20240104080000)

-- +upgrade
CREATE TABLE audit (id INTEGER PRIMARY KEY, user_id INTEGER, at TIMESTAMP);
CREATE TRIGGER users_audit AFTER INSERT ON users
BEGIN
    INSERT INTO audit (user_id, at) VALUES (NEW.id, CURRENT_TIMESTAMP);
    UPDATE users SET email = lower(email) WHERE id = NEW.id;
END;

-- +downgrade
DROP TRIGGER users_audit;
DROP TABLE audit;
