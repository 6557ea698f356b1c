CREATE TABLE account (id INTEGER PRIMARY KEY, balance INT, "end" INT);

CREATE TRIGGER IF NOT EXISTS account_audit AFTER UPDATE ON account
FOR EACH ROW WHEN new.balance <> old.balance
BEGIN
  INSERT INTO audit (id, kind) VALUES (
    new.id,
    CASE WHEN new.balance > old.balance THEN 'credit; up' ELSE 'debit' END
  );
  UPDATE stats SET n = n + 1, last = new."end"; -- quoted "end" column
  SELECT RAISE(ABORT, 'negative; balance') WHERE new.balance < 0;
END;

create temp trigger t2 before delete on account begin
  select case when old.id = 1 then raise(ignore) end;
end;

BEGIN TRANSACTION;
UPDATE account SET balance = 0;
END TRANSACTION;
