-- revision: 5e49d3e88217
-- down_revision: 1e8b091eabd9
-- branch_labels:
-- depends_on:
-- message: bare if procedure
-- create_date:
-- imported from goose: 00006_bare_if_procedure.sql (version 00006)

-- +upgrade
CREATE PROCEDURE pick(IN x INT)
IF x = 1 THEN
    SELECT 1;
ELSE
    SELECT 2;
END IF;

-- +downgrade
DROP PROCEDURE pick;

-- +upgrade mysql
DELIMITER $$
CREATE PROCEDURE pick(IN x INT)
IF x = 1 THEN
    SELECT 1;
ELSE
    SELECT 2;
END IF
$$
DELIMITER ;
