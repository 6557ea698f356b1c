-- revision: 4b5b31301d07
-- down_revision: 17a6bae52094
-- branch_labels:
-- depends_on:
-- message: Audit procedure
-- create_date:
-- imported from flyway: V3__Audit_procedure.sql (version 3)

-- +upgrade
CREATE PROCEDURE log_it()
BEGIN
    INSERT INTO audit VALUES (1);
    INSERT INTO audit VALUES (2);
END;
