DELETE FROM log;
SELECT '
-- +no-transaction
' AS not_a_marker; -- +no-transaction (not a whole line)
/*
-- +no-transaction
*/
   --+NO-TRANSACTION   
VACUUM;
