-- revision: b2d4f6a8c0e2
-- down_revision: a1c3e5f7a9b1
-- branch_labels:
-- depends_on:
-- message: seed accounts
-- create_date: 2024-01-02 09:00:00 UTC

-- A data migration in plain SQL: the rows every installation needs.
-- +upgrade
INSERT INTO account (name) VALUES ('admin');
INSERT INTO account (name) VALUES ('support; on call');  -- a ';' in a string is not a statement end
INSERT INTO account (name) VALUES ('O''Brien');

-- +downgrade
DELETE FROM account WHERE name IN ('admin', 'support; on call', 'O''Brien');
