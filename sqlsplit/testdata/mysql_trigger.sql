CREATE DEFINER = 'admin'@'localhost' TRIGGER clamp BEFORE INSERT ON account
FOR EACH ROW
BEGIN
  DECLARE msg VARCHAR(64) DEFAULT 'negative;';
  IF NEW.balance < 0 THEN
    SET NEW.balance = IF(NEW.overdraft, NEW.balance, 0);
  ELSEIF NEW.balance > 1000000 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'too big; really';
  ELSE
    SET NEW.note = REPEAT('x', 3);
  END IF;
  CASE NEW.kind
    WHEN 1 THEN SET NEW.label = 'one';
    ELSE SET NEW.label = CASE WHEN NEW.kind > 1 THEN 'many' ELSE 'none' END;
  END CASE;
END;

CREATE TRIGGER single BEFORE UPDATE ON account FOR EACH ROW SET NEW.updated = NOW();

CREATE PROCEDURE loops()
BEGIN
  DECLARE done INT DEFAULT 0;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1;
  DROP TEMPORARY TABLE IF EXISTS tmp;
  read_loop: LOOP
    IF done THEN LEAVE read_loop; END IF;
    REPEAT SET done = done + 1; UNTIL done > 3 END REPEAT;
  END LOOP read_loop;
  SELECT @begin, @end FROM tmp FOR UPDATE;
END;

CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DO
BEGIN
  DELETE FROM sessions WHERE expires < NOW();
END;

CREATE TABLE event (`begin` INT, `end` INT);
