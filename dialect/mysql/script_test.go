package mysql

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retortdb/retort/sqlsplit"
)

func TestScriptStatement(t *testing.T) {
	d := New()
	tests := []struct {
		name, sql, want string
	}{
		{"plain", "CREATE TABLE t (x INT)", "CREATE TABLE t (x INT);"},
		{"semicolon in strings", `SELECT 'a;b', "c;d", ` + "`e;f`", `SELECT 'a;b', "c;d", ` + "`e;f`;"},
		{"escaped quote", `SELECT 'it\'s; x', 'a''b;'`, `SELECT 'it\'s; x', 'a''b;';`},
		{"semicolon in comments", "-- a; b\n# c; d\nSELECT /* e; f */ 1", "-- a; b\n# c; d\nSELECT /* e; f */ 1;"},
		{"ends in dash comment", "SELECT 1 -- note", "SELECT 1 -- note\n;"},
		{"ends in hash comment", "SELECT 1 # note; more", "SELECT 1 # note; more\n;"},
		{"ends in bare dashes", "SELECT 1 --", "SELECT 1 --\n;"},
		{"dashes without space are minus", "SELECT 1--1", "SELECT 1--1;"},
		{"hash in string at end", "SELECT '#'", "SELECT '#';"},
		{"trigger", "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.x = 1; END",
			"DELIMITER //\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.x = 1; END\n//\nDELIMITER ;"},
		{"body holds //", "BEGIN NOT ATOMIC SELECT '//'; END", "DELIMITER $$\nBEGIN NOT ATOMIC SELECT '//'; END\n$$\nDELIMITER ;"},
		{"body holds // and $$", "BEGIN NOT ATOMIC SELECT '// $$'; END", "DELIMITER ;;\nBEGIN NOT ATOMIC SELECT '// $$'; END\n;;\nDELIMITER ;"},
		{"body holds all three", "BEGIN NOT ATOMIC SELECT '// $$'; SELECT 1;; END", "DELIMITER //1//\nBEGIN NOT ATOMIC SELECT '// $$'; SELECT 1;; END\n//1//\nDELIMITER ;"},
		{"body holds //1// too", "BEGIN NOT ATOMIC SELECT '// $$ //1//'; SELECT 1;; END", "DELIMITER //2//\nBEGIN NOT ATOMIC SELECT '// $$ //1//'; SELECT 1;; END\n//2//\nDELIMITER ;"},
		{"body ends in a comment", "BEGIN NOT ATOMIC SELECT 1; END -- done", "DELIMITER //\nBEGIN NOT ATOMIC SELECT 1; END -- done\n//\nDELIMITER ;"},
		{"semicolon in executable comment", "SELECT 1 /*!50000 ; */", "DELIMITER //\nSELECT 1 /*!50000 ; */\n//\nDELIMITER ;"},
		{"semicolon in MariaDB executable comment", "SELECT 1 /*M!100000 ; */", "DELIMITER //\nSELECT 1 /*M!100000 ; */\n//\nDELIMITER ;"},
		{"control character after dashes", "SELECT 1 --\x01x", "DELIMITER //\nSELECT 1 --\x01x\n//\nDELIMITER ;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.ScriptStatement(tt.sql); got != tt.want {
				t.Errorf("ScriptStatement(%q)\n got %q\nwant %q", tt.sql, got, tt.want)
			}
		})
	}
}

// scriptSource is a revision's SQL: tables, a trigger, a procedure and a
// function with semicolons (and would-be delimiters) in their bodies.
const scriptSource = `CREATE TABLE account (
    id INT PRIMARY KEY,
    balance INT NOT NULL,
    note VARCHAR(255) NOT NULL DEFAULT ''
);
CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, msg TEXT NOT NULL);

CREATE TRIGGER account_bi BEFORE INSERT ON account FOR EACH ROW BEGIN
  IF NEW.balance < 0 THEN SET NEW.balance = 0; END IF;
  INSERT INTO audit (msg) VALUES (CONCAT('insert; id=', NEW.id, ' // $$'));
END;

CREATE PROCEDURE add_account(IN p_id INT, IN p_balance INT)
BEGIN
  -- a comment; with a semicolon
  INSERT INTO account (id, balance, note) VALUES (p_id, p_balance, 'it''s; "fine" \\ \' //');
  SELECT COUNT(*) INTO @n FROM account; # count; them
END;

CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC
BEGIN
  DECLARE y INT; -- $$ // ;;
  SET y = x * 2;
  RETURN y;
END;

INSERT INTO audit (msg) VALUES ('plain; -- not a comment') -- a trailing comment
;
`

// renderScript splits src and renders each statement as an offline
// script does.
func renderScript(t *testing.T, src string) string {
	t.Helper()
	d := New()
	stmts, err := sqlsplit.Split(src, d.SplitOptions())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range stmts {
		b.WriteString(d.ScriptStatement(s.Text) + "\n\n")
	}
	return b.String()
}

func TestScriptGolden(t *testing.T) {
	checkGolden(t, "script", renderScript(t, scriptSource))
}

// TestScriptWithClient runs a rendered script, with routines and every
// hostile literal, through the mysql/mariadb command-line client and
// checks what it created.
func TestScriptWithClient(t *testing.T) {
	client := mysqlClient(t)
	db, dbName := testDB(t)
	ctx := context.Background()
	d := New()

	var script strings.Builder
	script.WriteString(renderScript(t, scriptSource))
	script.WriteString(d.ScriptStatement(`CREATE TABLE lit (
    id INT NOT NULL PRIMARY KEY,
    txt LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    bin LONGBLOB NULL,
    i BIGINT NULL,
    u BIGINT UNSIGNED NULL,
    f DOUBLE NULL,
    ts DATETIME(6) NULL,
    bo TINYINT(1) NULL
)`) + "\n\n")
	script.WriteString(d.Begin() + ";\n\n")
	cases := literalCases()
	for i, c := range cases {
		lit, err := d.Literal(c.v)
		if err != nil {
			t.Fatal(err)
		}
		script.WriteString(d.ScriptStatement(fmt.Sprintf("INSERT INTO lit (id, %s) VALUES (%d, %s)", c.col, i+1, lit)) + "\n\n")
	}
	script.WriteString(d.Commit() + ";\n")

	path := filepath.Join(t.TempDir(), "script.sql")
	if err := os.WriteFile(path, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	args, env := clientArgs(t, dbName)
	cmd := exec.CommandContext(ctx, client, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = in
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s < %s: %v\n%s", client, strings.Join(args, " "), path, err, out.String())
	}

	if _, err := db.ExecContext(ctx, "CALL add_account(1, -5)"); err != nil {
		t.Fatalf("CALL add_account: %v", err)
	}
	var balance int
	var note string
	if err := db.QueryRowContext(ctx, "SELECT balance, note FROM account WHERE id = 1").Scan(&balance, &note); err != nil {
		t.Fatal(err)
	}
	if balance != 0 || note != `it's; "fine" \ ' //` {
		t.Errorf("account 1: balance %d (the trigger sets 0), note %q", balance, note)
	}
	var msgs []string
	rows, err := db.QueryContext(ctx, "SELECT msg FROM audit ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, m)
	}
	rows.Close()
	if got, want := strings.Join(msgs, "|"), "plain; -- not a comment|insert; id=1 // $$"; got != want {
		t.Errorf("audit: %s, want %s", got, want)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT twice(21)").Scan(&n); err != nil || n != 42 {
		t.Errorf("twice(21) = %d, %v", n, err)
	}
	for i, c := range cases {
		got := readBack(t, db, c.col, i+1)
		if !sameValue(got, c.want) {
			t.Errorf("%s: the client stored %s, want %s", c.name, show(got), show(c.want))
		}
	}
}
