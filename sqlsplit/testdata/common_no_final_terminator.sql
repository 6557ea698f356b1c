SELECT 1;
SELECT 2
  -- trailing comment inside the last statement
