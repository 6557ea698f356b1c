# Hash comment; with 'quote
CREATE TABLE a (id INT); # trailing; hash comment
-- dash comment; with "quote
CREATE TABLE b (id INT) -- inside; the statement
;
UPDATE a SET id = id--1;
SELECT 1 /*! STRAIGHT_JOIN */ FROM a;
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/* plain comment only */;
SELECT 2 /* comments /* do not nest on MySQL */;
# the end
