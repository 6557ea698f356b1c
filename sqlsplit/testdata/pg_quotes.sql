-- Strings and quoted identifiers with embedded terminators.
INSERT INTO t (a) VALUES ('semi;colon');
INSERT INTO t (a) VALUES ('it''s; doubled'), ('');
-- Standard strings: a backslash is an ordinary character.
SELECT 'C:\path\'; SELECT 'after';
-- E'' strings take backslash escapes.
SELECT E'\'; still inside', e'tab\t; \\', E'x''y';
SELECT U&'d\0061t\+000061;' AS u, B'1010', X'1F';
CREATE TABLE "odd;name" ("col""umn;" int, "E" text);
SELECT "E"'x'; -- "E" quoted then a string: not an E'' string
SELECT name'x' FROM t
