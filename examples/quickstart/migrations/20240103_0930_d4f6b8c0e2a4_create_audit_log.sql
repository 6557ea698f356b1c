-- revision: d4f6b8c0e2a4
-- down_revision: b2d4f6a8c0e2
-- branch_labels: audit
-- depends_on:
-- message: create audit log
-- create_date: 2024-01-03 09:30:00 UTC

-- A second branch from the same parent, written in parallel.
-- +upgrade
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id),
    action TEXT NOT NULL,
    at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TRIGGER account_audit AFTER UPDATE ON account
BEGIN
    INSERT INTO audit_log (account_id, action)
    VALUES (NEW.id, CASE WHEN NEW.name <> OLD.name THEN 'rename' ELSE 'update' END);
END;

-- +downgrade
DROP TRIGGER account_audit;
DROP TABLE audit_log;
