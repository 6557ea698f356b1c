CREATE TABLE a (
  id INT, -- c;
  name TEXT
);

-- second
INSERT INTO a VALUES (1, 'x;
y');
-- +no-transaction
SELECT 1
