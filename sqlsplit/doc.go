// Package sqlsplit cuts the SQL of a revision file's -- +upgrade and
// -- +downgrade sections into statements that are executed one by one on
// SQLite, PostgreSQL or MySQL/MariaDB. It is a lexer, not a parser: it
// knows where quoted spans, comments and routine bodies start and end, and
// nothing else. It does no I/O, runs in time linear in the size of the
// input, never panics, and reports an *Error instead of guessing when a
// quote, comment, dollar-quoted string or BEGIN ... END block is not closed.
//
// # Lexical rules
//
// Options selects a dialect's rules; PostgreSQL, MySQL and SQLite return
// the usual sets. A ";" ends a statement except inside:
//
//   - '...' strings (” stands for a quote; with BackslashEscapes also \'
//     and \\; PostgreSQL E'...' strings always take backslash escapes);
//   - "..." quoted identifiers, or strings with DoubleQuoteStrings;
//   - `...` (Backticks) and [...] (Brackets) quoted identifiers;
//   - -- comments (MySQL: only when followed by white space, see
//     DashNeedsSpace), # comments (HashComments), and /* */ comments, which
//     nest with NestedComments. MySQL's /*! ... */ is lexically a comment
//     and is kept in the statement's text (see ExecComments);
//   - PostgreSQL $$...$$ and $tag$...$tag$ strings; a tag is a name that
//     does not start with a digit, so $1 is a parameter, and a $ inside a
//     name (a$b) is part of the name;
//   - parentheses, as in psql, for PostgreSQL's
//     CREATE RULE ... DO (INSERT ...; INSERT ...); in no dialect does a
//     ";" inside parentheses end a statement, and an unclosed "(" at the
//     end of the input is an error rather than a silent merge;
//   - the body of a routine (see below).
//
// # Routine bodies
//
// A statement is a routine when it starts with CREATE [OR REPLACE]
// [TEMP|TEMPORARY] [CONSTRAINT] [AGGREGATE] [DEFINER = user] followed by
// TRIGGER, PROCEDURE, FUNCTION or EVENT, or when it contains BEGIN ATOMIC
// or BEGIN NOT ATOMIC (SQL-standard bodies of PostgreSQL, MariaDB compound
// statements). In a routine, ";" ends the statement only outside blocks.
// BEGIN and CASE always open a block. IF, WHILE, REPEAT, LOOP and FOR open
// one only where a statement starts (after ";", BEGIN, THEN or ELSE of an
// IF or CASE statement, DO, a label's colon, a LOOP or REPEAT keyword, or
// FOR EACH ROW), so that the IF() and REPEAT() functions, IF [NOT] EXISTS,
// SELECT ... FOR UPDATE and FOR EACH ROW do not. END closes the innermost
// block, and an IF, CASE, LOOP, WHILE, REPEAT or FOR right after END is
// part of it. A word is a keyword only as a whole word outside quotes and
// comments, and not when qualified (new.end) or a variable (@begin). A
// plain BEGIN; or BEGIN TRANSACTION; is an ordinary statement.
//
// A routine whose body is a single statement (a trigger's SET NEW.x = 1,
// a function's RETURN ...) ends at its ";" as usual. Bodies that these
// rules misread, such as a procedure whose body is a bare IF statement,
// need a DELIMITER on MySQL.
//
// # DELIMITER
//
// With Options.Delimiter, a line whose first word is DELIMITER, where no
// statement has started yet (only white space and comments since the last
// terminator), is the mysql client's directive: the first token after it
// (quotes around it are removed) becomes the terminator, and DELIMITER ;
// restores ";". The directive line is not a statement. Under a custom
// delimiter, ";" is ordinary text, the delimiter ends a statement wherever
// it occurs outside quotes and comments, and the routine rules are off.
// DELIMITER without an argument, or with one longer than 16 bytes, is an
// error.
//
// # Statements, comments and lines
//
// A statement's Text runs from its first non-space byte to its last one
// before the terminator. Comments before a statement belong to it and are
// part of its Text, except a comment that starts on the same line as the
// previous terminator (SELECT 1; -- note): it annotates the statement
// before and belongs to no statement. A chunk that holds only comments is
// dropped, and so is one after the last statement, unless ExecComments
// makes a /*! */ comment content. Line is the line of Text's first byte,
// so when a comment leads the statement, Line is the comment's line.
// Lines are counted by "\n"; a "\r" before it is white space and is never
// part of a Text's ends.
//
// # -- +no-transaction
//
// A line that holds only a -- comment reading +no-transaction (any case,
// spacing after -- optional), outside quotes, comments, parentheses and
// blocks, sets
// NoTx on every statement that starts after it. Between statements the
// marker line is skipped, and so are comments before it since the last
// statement; inside a statement (one whose terminator is missing above the
// marker) it stays in that statement's Text and does not change its NoTx.
package sqlsplit
