DROP PROCEDURE IF EXISTS count_down;

DELIMITER $$
CREATE PROCEDURE count_down(IN n INT)
BEGIN
  DECLARE i INT DEFAULT n;
  WHILE i > 0 DO
    SELECT CONCAT('i = ', i, ';');
    SET i = i - 1;
  END WHILE;
END$$

CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC
RETURN x * 2$$
DELIMITER ;

delimiter //
CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW
BEGIN
  SET NEW.note = '// not the end; really';
END //
delimiter ;
CALL count_down(3);
