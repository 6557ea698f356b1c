-- A comment with a ; and a ' quote.
CREATE TABLE a (id int); -- trailing; belongs to no statement
/* block; comment
   with 'quote */
CREATE TABLE b (id int /* inline; */);
/* PostgreSQL comments nest: /* inner; */ still a comment; */
CREATE TABLE c (id int);
SELECT 1 --; not a terminator
;
SELECT 2 /* / * not nested */;
-- comments after the last statement are dropped;
/* and this one */
