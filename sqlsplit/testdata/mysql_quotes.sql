# Strings take backslash escapes on MySQL.
INSERT INTO t VALUES ('it\'s; escaped'), ('doubled''; too');
INSERT INTO t VALUES ("double \"quoted\"; string"), ("");
SELECT 'ends in backslash\\'; SELECT 'next';
SELECT `back;tick`, `dou``bled;`, _utf8mb4'x;', N'y;', X'4D;';
SELECT '-- not a comment; # nor this', "/* nor; this */";
SELECT 'multi
line; string'
