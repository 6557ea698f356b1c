package sqlsplit

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenDialects picks the option sets for a testdata file by its name's
// prefix; common_ files are split with all three.
func goldenDialects(name string) ([]string, error) {
	switch {
	case strings.HasPrefix(name, "pg_"):
		return []string{"postgresql"}, nil
	case strings.HasPrefix(name, "mysql_"):
		return []string{"mysql"}, nil
	case strings.HasPrefix(name, "sqlite_"):
		return []string{"sqlite"}, nil
	case strings.HasPrefix(name, "common_"):
		return []string{"postgresql", "mysql", "sqlite"}, nil
	}
	return nil, fmt.Errorf("%s: name must start with pg_, mysql_, sqlite_ or common_", name)
}

func dialectOptions(name string) Options {
	for _, d := range dialects {
		if d.name == name {
			return d.opts
		}
	}
	panic("unknown dialect " + name)
}

// render prints a split result for a golden file. A carriage return is
// shown as <CR> so that golden files stay plain text.
func render(b *strings.Builder, stmts []Statement, err error) {
	if err != nil {
		fmt.Fprintf(b, "-- error: %v\n", err)
		return
	}
	if len(stmts) == 0 {
		b.WriteString("-- no statements\n")
		return
	}
	for i, st := range stmts {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(b, "-- stmt %d (line %d, notx=%t)\n", i+1, st.Line, st.NoTx)
		b.WriteString(strings.ReplaceAll(st.Text, "\r", "<CR>"))
		b.WriteString("\n")
	}
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/*.sql files")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".sql")
		t.Run(name, func(t *testing.T) {
			ds, err := goldenDialects(name)
			if err != nil {
				t.Fatal(err)
			}
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, d := range ds {
				if len(ds) > 1 {
					fmt.Fprintf(&b, "==== %s ====\n", d)
				}
				stmts, err := checkSplit(t, string(src), dialectOptions(d))
				render(&b, stmts, err)
				if len(ds) > 1 {
					b.WriteString("\n")
				}
			}
			golden := strings.TrimSuffix(file, ".sql") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./sqlsplit -update)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("%s differs from the golden file (go test ./sqlsplit -update rewrites it)\ngot:\n%s\nwant:\n%s", name, got, want)
			}
		})
	}
}

type want struct {
	text string
	line int
	notx bool
}

func TestSplit(t *testing.T) {
	pg, my, lite := PostgreSQL(), MySQL(), SQLite()
	tests := []struct {
		name string
		opts Options
		src  string
		want []want
	}{
		{"empty", pg, "", nil},
		{"white space only", my, " \n\t\r\n ", nil},
		{"only comments", lite, "-- a;\n/* b; */\n", nil},
		{"empty statements", pg, ";;; ;\n;", nil},
		{"two statements", lite, "SELECT 1;\nSELECT 2;", []want{{"SELECT 1", 1, false}, {"SELECT 2", 2, false}}},
		{"no final terminator", pg, "SELECT 1;\n\n  SELECT 2  \n", []want{{"SELECT 1", 1, false}, {"SELECT 2", 3, false}}},
		{"leading comment belongs to statement", pg, "SELECT 1;\n-- two\nSELECT 2;", []want{{"SELECT 1", 1, false}, {"-- two\nSELECT 2", 2, false}}},
		{"trailing comment belongs to none", pg, "SELECT 1; -- one\nSELECT 2; /* two */", []want{{"SELECT 1", 1, false}, {"SELECT 2", 2, false}}},
		{"multi-line trailing comment", pg, "SELECT 1; /* a\nb */ SELECT 2;", []want{{"SELECT 1", 1, false}, {"SELECT 2", 2, false}}},
		{"comment inside statement", lite, "SELECT -- ;\n 1 /* ; */;", []want{{"SELECT -- ;\n 1 /* ; */", 1, false}}},
		{"semicolon in string", lite, "SELECT 'a;b';SELECT 2", []want{{"SELECT 'a;b'", 1, false}, {"SELECT 2", 1, false}}},
		{"doubled quote", pg, "SELECT 'it''s; fine';", []want{{"SELECT 'it''s; fine'", 1, false}}},
		{"pg backslash is literal", pg, `SELECT 'a\'; SELECT 2;`, []want{{`SELECT 'a\'`, 1, false}, {"SELECT 2", 1, false}}},
		{"mysql backslash escapes", my, `SELECT 'a\'; b'; SELECT "c\"; d";`, []want{{`SELECT 'a\'; b'`, 1, false}, {`SELECT "c\"; d"`, 1, false}}},
		{"mysql escaped backslash", my, `SELECT 'a\\'; SELECT 2;`, []want{{`SELECT 'a\\'`, 1, false}, {"SELECT 2", 1, false}}},
		{"pg E string", pg, `SELECT E'\''; SELECT e'a\\'; SELECT 3;`, []want{{`SELECT E'\''`, 1, false}, {`SELECT e'a\\'`, 1, false}, {"SELECT 3", 1, false}}},
		{"pg E after name is not E string", pg, `SELECT "E"'\'; SELECT 2;`, []want{{`SELECT "E"'\'`, 1, false}, {"SELECT 2", 1, false}}},
		{"quoted identifier", pg, `SELECT "a;""b";`, []want{{`SELECT "a;""b"`, 1, false}}},
		{"backticks", my, "SELECT `a;``b`;", []want{{"SELECT `a;``b`", 1, false}}},
		{"brackets", lite, "SELECT [a;b];", []want{{"SELECT [a;b]", 1, false}}},
		{"brackets are not quotes on pg", pg, "SELECT a[1];SELECT ']';", []want{{"SELECT a[1]", 1, false}, {"SELECT ']'", 1, false}}},
		{"hash comment", my, "SELECT 1 # ; '\n;", []want{{"SELECT 1 # ; '", 1, false}}},
		{"hash is not a comment on pg", pg, "SELECT 1 # 2;", []want{{"SELECT 1 # 2", 1, false}}},
		{"mysql dash needs space", my, "UPDATE t SET a=a--1;\nSELECT 2;", []want{{"UPDATE t SET a=a--1", 1, false}, {"SELECT 2", 2, false}}},
		{"mysql dash comment", my, "SELECT 1 -- ;\n;", []want{{"SELECT 1 -- ;", 1, false}}},
		{"pg dash comment without space", pg, "SELECT 1 --;\n;", []want{{"SELECT 1 --;", 1, false}}},
		{"nested comments pg", pg, "SELECT /* a /* b; */ c; */ 1;", []want{{"SELECT /* a /* b; */ c; */ 1", 1, false}}},
		{"comments do not nest on sqlite", lite, "SELECT /* a /* b */ 1; */", []want{{"SELECT /* a /* b */ 1", 1, false}, {"*/", 1, false}}},
		{"mysql exec comment kept", my, "/*!40101 SET NAMES utf8; */;\n/* plain */;", []want{{"/*!40101 SET NAMES utf8; */", 1, false}}},
		{"exec comment is a comment on pg", pg, "/*!40101 SET x */;", nil},
		{"dollar quote", pg, "DO $$ BEGIN; END $$; SELECT 2;", []want{{"DO $$ BEGIN; END $$", 1, false}, {"SELECT 2", 1, false}}},
		{"dollar tag nested", pg, "SELECT $a$ $b$ ; $b$ ; $a$; SELECT 2", []want{{"SELECT $a$ $b$ ; $b$ ; $a$", 1, false}, {"SELECT 2", 1, false}}},
		{"dollar param", pg, "SELECT $1; SELECT $2$", []want{{"SELECT $1", 1, false}, {"SELECT $2$", 1, false}}},
		{"dollar in name", pg, "SELECT a$b$; SELECT 2;", []want{{"SELECT a$b$", 1, false}, {"SELECT 2", 1, false}}},
		{"number then dollar quote", pg, "SELECT 1$$;$$;", []want{{"SELECT 1$$;$$", 1, false}}},
		{"dollar is not a quote on mysql", my, "SELECT $$; SELECT 2;", []want{{"SELECT $$", 1, false}, {"SELECT 2", 1, false}}},
		{"plain begin", lite, "BEGIN;\nINSERT INTO t VALUES (1);\nCOMMIT;", []want{{"BEGIN", 1, false}, {"INSERT INTO t VALUES (1)", 2, false}, {"COMMIT", 3, false}}},
		{"begin transaction", pg, "BEGIN TRANSACTION; SELECT 1; END;", []want{{"BEGIN TRANSACTION", 1, false}, {"SELECT 1", 1, false}, {"END", 1, false}}},
		{"sqlite trigger", lite, "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = CASE WHEN new.y THEN 1 ELSE 2 END; DELETE FROM c; END; SELECT 1;",
			[]want{{"CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = CASE WHEN new.y THEN 1 ELSE 2 END; DELETE FROM c; END", 1, false}, {"SELECT 1", 1, false}}},
		{"temp trigger", lite, "create temp trigger t before delete on a begin select raise(abort, 'no;'); end;x;",
			[]want{{"create temp trigger t before delete on a begin select raise(abort, 'no;'); end", 1, false}, {"x", 1, false}}},
		{"trigger qualified end", lite, "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = new.end; END; SELECT 1;",
			[]want{{"CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = new.end; END", 1, false}, {"SELECT 1", 1, false}}},
		{"pg trigger without body", pg, "CREATE TRIGGER t BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION f(); SELECT 1;",
			[]want{{"CREATE TRIGGER t BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION f()", 1, false}, {"SELECT 1", 1, false}}},
		{"begin atomic", pg, "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END; SELECT 3;",
			[]want{{"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END", 1, false}, {"SELECT 3", 1, false}}},
		{"begin not atomic", my, "BEGIN NOT ATOMIC SELECT 1; SELECT 2; END; SELECT 3;",
			[]want{{"BEGIN NOT ATOMIC SELECT 1; SELECT 2; END", 1, false}, {"SELECT 3", 1, false}}},
		{"mysql trigger without delimiter", my, "CREATE DEFINER=`root`@`%` TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN IF NEW.x < 0 THEN SET NEW.x = IF(NEW.y, 0, 1); END IF; END; SELECT 1;",
			[]want{{"CREATE DEFINER=`root`@`%` TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN IF NEW.x < 0 THEN SET NEW.x = IF(NEW.y, 0, 1); END IF; END", 1, false}, {"SELECT 1", 1, false}}},
		{"mysql single statement trigger", my, "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1; SELECT 2;",
			[]want{{"CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1", 1, false}, {"SELECT 2", 1, false}}},
		{"mysql trigger body is IF", my, "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW IF NEW.x < 0 THEN SET NEW.x = 0; END IF; SELECT 2;",
			[]want{{"CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW IF NEW.x < 0 THEN SET NEW.x = 0; END IF", 1, false}, {"SELECT 2", 1, false}}},
		{"mysql function returning IF()", my, "CREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC RETURN IF(x > 0, 1, 2); SELECT 2;",
			[]want{{"CREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC RETURN IF(x > 0, 1, 2)", 1, false}, {"SELECT 2", 1, false}}},
		{"mysql procedure with loops", my, "CREATE PROCEDURE p() BEGIN DECLARE i INT DEFAULT 0; DROP TABLE IF EXISTS t; l: LOOP SET i = i + 1; IF i > 3 THEN LEAVE l; END IF; END LOOP l; WHILE i > 0 DO SET i = i - 1; END WHILE; REPEAT SET i = i + 1; UNTIL i > 2 END REPEAT; SELECT REPEAT('x', i); CASE i WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE; END; SELECT 2;",
			[]want{{"CREATE PROCEDURE p() BEGIN DECLARE i INT DEFAULT 0; DROP TABLE IF EXISTS t; l: LOOP SET i = i + 1; IF i > 3 THEN LEAVE l; END IF; END LOOP l; WHILE i > 0 DO SET i = i - 1; END WHILE; REPEAT SET i = i + 1; UNTIL i > 2 END REPEAT; SELECT REPEAT('x', i); CASE i WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE; END", 1, false}, {"SELECT 2", 1, false}}},
		{"mysql variable named begin", my, "CREATE PROCEDURE p() BEGIN SET @begin = 1; SET @end = 2; END; SELECT 2;",
			[]want{{"CREATE PROCEDURE p() BEGIN SET @begin = 1; SET @end = 2; END", 1, false}, {"SELECT 2", 1, false}}},
		{"create table named event is not a routine", my, "CREATE TABLE event (a INT); CREATE INDEX trigger ON t (begin); SELECT 2;",
			[]want{{"CREATE TABLE event (a INT)", 1, false}, {"CREATE INDEX trigger ON t (begin)", 1, false}, {"SELECT 2", 1, false}}},
		{"case outside routine", lite, "SELECT CASE WHEN a THEN 1 END; SELECT 2;", []want{{"SELECT CASE WHEN a THEN 1 END", 1, false}, {"SELECT 2", 1, false}}},
		{"delimiter", my, "DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\nSELECT 2;",
			[]want{{"CREATE PROCEDURE p() BEGIN SELECT 1; END", 2, false}, {"SELECT 2", 4, false}}},
		{"delimiter quoted and case", my, "delimiter '//'\nSELECT 1; SELECT 2//\nDeLiMiTeR ;\nSELECT 3;",
			[]want{{"SELECT 1; SELECT 2", 2, false}, {"SELECT 3", 4, false}}},
		{"delimiter inside statement is text", my, "SELECT a,\ndelimiter FROM t;", []want{{"SELECT a,\ndelimiter FROM t", 1, false}}},
		{"delimiter ignored without option", lite, "DELIMITER $$\nSELECT 1;", []want{{"DELIMITER $$\nSELECT 1", 1, false}}},
		{"delimiter ends word", my, "DELIMITER $$\nSELECT a$$SELECT b$$", []want{{"SELECT a", 2, false}, {"SELECT b", 2, false}}},
		{"comment before delimiter dropped", my, "-- p\nDELIMITER //\nSELECT 1//", []want{{"SELECT 1", 3, false}}},
		{"no-transaction", pg, "SELECT 1;\n-- +no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\nSELECT 2;",
			[]want{{"SELECT 1", 1, false}, {"CREATE INDEX CONCURRENTLY i ON t (a)", 3, true}, {"SELECT 2", 4, true}}},
		{"no-transaction spacing and case", lite, "  --+NO-Transaction  \r\nVACUUM;", []want{{"VACUUM", 2, true}}},
		{"no-transaction marker on mysql without space", my, "--+no-transaction\nSELECT 1;", []want{{"SELECT 1", 2, true}}},
		{"no-transaction drops comments before it", pg, "-- about\n-- +no-transaction\n-- index\nCREATE INDEX i ON t (a);",
			[]want{{"-- index\nCREATE INDEX i ON t (a)", 3, true}}},
		{"no-transaction must be a whole line", pg, "SELECT 1; -- +no-transaction\nSELECT 2;", []want{{"SELECT 1", 1, false}, {"SELECT 2", 2, false}}},
		{"no-transaction in string", pg, "SELECT '\n-- +no-transaction\n';\nSELECT 2;", []want{{"SELECT '\n-- +no-transaction\n'", 1, false}, {"SELECT 2", 4, false}}},
		{"no-transaction inside a statement", pg, "SELECT 1\n-- +no-transaction\n;\nSELECT 2;", []want{{"SELECT 1\n-- +no-transaction", 1, false}, {"SELECT 2", 4, true}}},
		{"no-transaction other text", pg, "-- +no-transactions\nSELECT 1;", []want{{"-- +no-transactions\nSELECT 1", 1, false}}},
		{"crlf", pg, "SELECT 1;\r\n-- c\r\nSELECT\r\n  2\r\n;\r\n", []want{{"SELECT 1", 1, false}, {"-- c\r\nSELECT\r\n  2", 2, false}}},
		{"pg rule with several actions", pg, "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 1;",
			[]want{{"CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))", 1, false}, {"SELECT 1", 1, false}}},
		{"extra closing parenthesis", lite, "SELECT 1);SELECT 2", []want{{"SELECT 1)", 1, false}, {"SELECT 2", 1, false}}},
		{"parentheses ignored under custom delimiter", my, "DELIMITER //\nSELECT (1//SELECT 2//", []want{{"SELECT (1", 2, false}, {"SELECT 2", 2, false}}},
		{"final line comment", lite, "SELECT 1 -- done", []want{{"SELECT 1 -- done", 1, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, err := checkSplit(t, tt.src, tt.opts)
			if err != nil {
				t.Fatalf("Split: %v", err)
			}
			var got []want
			for _, st := range stmts {
				got = append(got, want{st.Text, st.Line, st.NoTx})
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Split(%q)\n got %+v\nwant %+v", tt.src, got, tt.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	pg, my, lite := PostgreSQL(), MySQL(), SQLite()
	tests := []struct {
		name string
		opts Options
		src  string
		line int
		msg  string
	}{
		{"string", lite, "SELECT 1;\nSELECT 'abc;\n", 2, "unterminated string literal starting here"},
		{"string ending in doubled quote", pg, "SELECT 'a''", 1, "unterminated string literal starting here"},
		{"mysql string ending in escaped quote", my, "\n\nSELECT 'a\\'", 3, "unterminated string literal starting here"},
		{"mysql string ending in backslash", my, "SELECT 'a\\", 1, "unterminated string literal starting here"},
		{"pg E string", pg, "SELECT 1;\n\nSELECT E'\\';", 3, "unterminated string literal starting here"},
		{"mysql double-quoted string", my, "SELECT \"a\\\";", 1, "unterminated string literal starting here"},
		{"quoted identifier", pg, "SELECT 1;\nSELECT \"a\n;", 2, "unterminated quoted identifier starting here"},
		{"backtick", my, "\nSELECT `a;", 2, "unterminated quoted identifier starting here"},
		{"bracket", lite, "SELECT [a;\n", 1, "unterminated quoted identifier starting here"},
		{"block comment", lite, "SELECT 1;\n/* a;\n\n", 2, "unterminated /* comment starting here"},
		{"nested block comment", pg, "SELECT 1;\n/* a /* b */\n", 2, "unterminated /* comment starting here"},
		{"comment closer without opener", pg, "/*/", 1, "unterminated /* comment starting here"},
		{"dollar quote", pg, "SELECT 1;\n\nDO $$ BEGIN\nEND $;", 3, "unterminated dollar-quoted string $$ starting here"},
		{"dollar tag", pg, "SELECT $fn$ x $Fn$", 1, "unterminated dollar-quoted string $fn$ starting here"},
		{"trigger block", lite, "SELECT 1;\nCREATE TRIGGER t AFTER INSERT ON a\nBEGIN\n SELECT 1;\n", 3, "unterminated BEGIN ... END block starting here"},
		{"nested trigger block", lite, "CREATE TRIGGER t AFTER INSERT ON a BEGIN\nSELECT CASE WHEN 1 THEN 2;\nEND;", 1, "unterminated BEGIN ... END block starting here"},
		{"begin atomic", pg, "\nCREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC\n SELECT 1;", 2, "unterminated BEGIN ... END block starting here"},
		{"mysql if", my, "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW\nIF NEW.x THEN SET NEW.y = 1;", 2, "unterminated IF ... END IF block starting here"},
		{"unclosed parenthesis", lite, "SELECT 1;\nINSERT INTO t VALUES (1;\nSELECT 2;", 2, "unclosed parenthesis starting here"},
		{"parenthesis before block", lite, "SELECT (1;\nCREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1;", 1, "unclosed parenthesis starting here"},
		{"block before parenthesis", lite, "CREATE TRIGGER t AFTER INSERT ON a BEGIN\nSELECT (1;", 1, "unterminated BEGIN ... END block starting here"},
		{"delimiter too long", my, "DELIMITER 12345678901234567\n", 1, "DELIMITER longer than 16 bytes"},
		{"delimiter without argument", my, "SELECT 1;\nDELIMITER\nSELECT 2;", 2, "DELIMITER must be followed by a delimiter"},
		{"unterminated under custom delimiter", my, "DELIMITER //\nSELECT 'a//", 2, "unterminated string literal starting here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, err := checkSplit(t, tt.src, tt.opts)
			if err == nil {
				t.Fatalf("Split(%q) = %+v, want an error", tt.src, stmts)
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not an *Error", err)
			}
			if se.Line != tt.line || se.Msg != tt.msg {
				t.Errorf("Split(%q) error = line %d %q, want line %d %q", tt.src, se.Line, se.Msg, tt.line, tt.msg)
			}
			if want := fmt.Sprintf("line %d: %s", tt.line, tt.msg); err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
		})
	}
}

func TestPresets(t *testing.T) {
	if o := PostgreSQL(); !o.DollarQuotes || !o.NestedComments || !o.EscapeStrings || o.BackslashEscapes || o.Delimiter {
		t.Errorf("PostgreSQL() = %+v", o)
	}
	if o := MySQL(); !o.BackslashEscapes || !o.HashComments || !o.Delimiter || !o.DoubleQuoteStrings || !o.Backticks || o.DollarQuotes || o.Brackets {
		t.Errorf("MySQL() = %+v", o)
	}
	if o := SQLite(); !o.Backticks || !o.Brackets || o.BackslashEscapes || o.DollarQuotes || o.HashComments {
		t.Errorf("SQLite() = %+v", o)
	}
}

func TestLookup(t *testing.T) {
	words := map[string]kw{
		"BEGIN": kwBEGIN, "END": kwEND, "CASE": kwCASE, "IF": kwIF, "LOOP": kwLOOP,
		"WHILE": kwWHILE, "REPEAT": kwREPEAT, "FOR": kwFOR, "THEN": kwTHEN, "ELSE": kwELSE,
		"DO": kwDO, "ROW": kwROW, "ATOMIC": kwATOMIC, "NOT": kwNOT, "CREATE": kwCREATE,
		"OR": kwOR, "REPLACE": kwREPLACE, "TEMP": kwTEMP, "TEMPORARY": kwTEMPORARY,
		"CONSTRAINT": kwCONSTRAINT, "AGGREGATE": kwAGGREGATE, "DEFINER": kwDEFINER,
		"TRIGGER": kwTRIGGER, "PROCEDURE": kwPROCEDURE, "FUNCTION": kwFUNCTION,
		"EVENT": kwEVENT, "VIEW": kwVIEW, "DELIMITER": kwDELIMITER,
	}
	for w, k := range words {
		for _, v := range []string{w, strings.ToLower(w), strings.ToUpper(w[:1]) + strings.ToLower(w[1:])} {
			if got := lookup(v); got != k {
				t.Errorf("lookup(%q) = %d, want %d", v, got, k)
			}
		}
	}
	for _, w := range []string{"", "B", "BEGINS", "BEGI", "ENDS", "EN", "IFF", "CREATED", "DELIMITERS", "CONSTRAINTS", "TEMPORAR", "b\x00egin", "BEGÍN", "SELECT", "\xff\xff"} {
		if got := lookup(w); got != kwNone {
			t.Errorf("lookup(%q) = %d, want none", w, got)
		}
	}
}

// adversarialInputs are built to trip quadratic behaviour: every one of
// them would take minutes at 1 MiB if a construct rescanned the rest of
// its line or of the input. BenchmarkSplitAdversarial measures them (the
// bench run in CI runs each once); TestAdversarialInputs checks that they
// split without error at a smaller size. No test asserts a time.
func adversarialInputs(size int) []struct {
	name string
	opts Options
	src  string
} {
	rep := func(s string) string { return strings.Repeat(s, size/len(s)) }
	return []struct {
		name string
		opts Options
		src  string
	}{
		{"dash not comment", MySQL(), rep("a--b")},
		{"dash comment lines", PostgreSQL(), rep("--x\n")},
		{"semicolons", SQLite(), rep(";")},
		{"statements on one line", SQLite(), rep("a;")},
		{"trailing comments on one line", PostgreSQL(), "a;" + rep("/*x*/")},
		{"nested parens", SQLite(), rep("(") + rep(")")},
		{"nested blocks", SQLite(), "CREATE TRIGGER t BEGIN " + rep("BEGIN ") + rep("END ")},
		{"dollar params", PostgreSQL(), rep("$1 ")},
		{"dollar names", PostgreSQL(), rep("$a ")},
		{"long delimiter", MySQL(), "DELIMITER 1234567890123456\n" + rep("123456789012345x")},
		{"keywords", MySQL(), "CREATE PROCEDURE p() BEGIN " + rep("IF x THEN ELSE END IF; CASE WHEN a THEN b END; ") + " END"},
		{"markers", PostgreSQL(), rep("-- +no-transaction\n")},
		{"backslashes", MySQL(), "'" + rep("\\\\") + "'"},
	}
}

func TestAdversarialInputs(t *testing.T) {
	for _, in := range adversarialInputs(1 << 14) {
		t.Run(in.name, func(t *testing.T) {
			stmts, err := Split(in.src, in.opts)
			if err != nil {
				t.Fatalf("Split: %v", err)
			}
			if in.name == "statements on one line" && len(stmts) != 1<<13 {
				t.Fatalf("got %d statements, want %d", len(stmts), 1<<13)
			}
		})
	}
}

// BenchmarkSplitAdversarial splits each adversarial input of 1 MiB; a
// quadratic construct shows as a figure thousands of times slower than
// the others (see TestAdversarialInputs).
func BenchmarkSplitAdversarial(b *testing.B) {
	for _, in := range adversarialInputs(1 << 20) {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.src)))
			for b.Loop() {
				_, _ = Split(in.src, in.opts)
			}
		})
	}
}
