-- SQLite: "", `` and [] quote identifiers; no backslash escapes.
CREATE TABLE [my;table] ("a;b" TEXT, `c;d` INT, [e"f] BLOB);
INSERT INTO [my;table] VALUES ('x\', 'it''s;');
SELECT "say ""hi"";" FROM [my;table];
SELECT x'00ff', 'a' || ';' || 'b'
