DROP TRIGGER users_audit;
DROP TABLE audit;
DROP TABLE users;
