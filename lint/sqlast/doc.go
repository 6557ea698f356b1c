// Package sqlast is the SQL reader of retort lint: a lexer and a statement
// recogniser for PostgreSQL, MySQL/MariaDB and SQLite. It is pure (no I/O,
// stdlib only), never panics, and runs in time linear in its input.
//
// # Lexer
//
// Lex cuts text into tokens by a dialect's rules (the same rules as
// package sqlsplit): words, quoted identifiers ("x" on PostgreSQL and
// SQLite and on MySQL under ANSI_QUOTES, `x` on MySQL and SQLite, [x] on
// SQLite), strings ('...', PostgreSQL E'...' and U&'...', X'...', MySQL
// "..." with backslash escapes), numbers, PostgreSQL $tag$ bodies,
// parameters ($1, ?, :name, @var, @@var), operators and punctuation, and
// comments (--, /* */ nesting on PostgreSQL, MySQL # and "-- " only
// before white space). Comments are tokens too: the lint engine reads its
// "-- retort:ignore RTnnn reason" suppressions from them. Each token has
// its raw text, its value (Name: folded to lower case for PostgreSQL
// words, unquoted for quoted spans), its position (byte offset, line,
// byte column) and its depth of parentheses.
//
// # Recogniser
//
// Parse reads one statement, as sqlsplit.Split returns it, and gives its
// Kind, its main object Name, flags (OR REPLACE, TEMPORARY, IF [NOT]
// EXISTS, CONCURRENTLY, CASCADE, ...) and, for the forms the lint rules
// look at, typed parts:
//
//   - CREATE [OR REPLACE] TABLE (CreateTable): every column with its type
//     (name, arguments, array, unsigned), NULL and NOT NULL as written,
//     DEFAULT with its Volatility (constant, stable such as now(),
//     volatile such as random() or gen_random_uuid(), unknown for other
//     function calls) and whether it is a parenthesised MySQL expression
//     default, PRIMARY KEY, UNIQUE, REFERENCES, CHECK, GENERATED ...
//     STORED/VIRTUAL, IDENTITY, serial types, AUTO_INCREMENT, ON UPDATE,
//     COLLATE, CHARACTER SET, COMMENT; table constraints (PRIMARY KEY,
//     UNIQUE, FOREIGN KEY, CHECK, EXCLUDE, NOT NULL) with NOT VALID,
//     USING INDEX, NOT ENFORCED; MySQL index elements; AS SELECT, LIKE,
//     PARTITION OF/BY and table options;
//   - ALTER TABLE (AlterTable): the list of actions, each typed (ADD
//     COLUMN with its definition and FIRST/AFTER, DROP COLUMN, ALTER
//     COLUMN TYPE/SET DATA TYPE with USING, SET/DROP NOT NULL, SET/DROP
//     DEFAULT, ADD CONSTRAINT, VALIDATE/DROP CONSTRAINT, RENAME TO/COLUMN/
//     CONSTRAINT/INDEX, MySQL MODIFY/CHANGE, ADD INDEX/KEY/FULLTEXT/
//     SPATIAL, DROP PRIMARY/FOREIGN KEY, ALGORITHM=, LOCK=, ENGINE= and
//     other table options, CONVERT TO CHARACTER SET, FORCE, SET LOGGED/
//     UNLOGGED/TABLESPACE/ACCESS METHOD/SCHEMA, SET/RESET storage
//     parameters, REPLICA IDENTITY, ATTACH/DETACH PARTITION [CONCURRENTLY],
//     ADD/DROP SYSTEM VERSIONING); an action it does not know is an
//     OtherAction with its leading words in Keyword;
//   - CREATE INDEX: unique, fulltext/spatial, concurrently, the table,
//     ON ONLY, method, key parts, INCLUDE, partial (WHERE), ALGORITHM=/
//     LOCK=;
//   - DROP of tables, indexes, schemas/databases and other objects, with
//     every name, IF EXISTS, CONCURRENTLY, CASCADE/RESTRICT;
//   - TRUNCATE, MySQL RENAME TABLE, INSERT/UPDATE/DELETE (table, WHERE,
//     the columns assigned), transaction control, SET/RESET (every
//     assignment with name, scope, value), PRAGMA, VACUUM [FULL], REINDEX
//     [CONCURRENTLY], CLUSTER, REFRESH MATERIALIZED VIEW [CONCURRENTLY],
//     CREATE TRIGGER (its table), ALTER TYPE ... ADD VALUE [BEFORE|AFTER]
//     / RENAME VALUE, ALTER SCHEMA ... RENAME TO;
//   - the kinds of CREATE DOMAIN, ALTER DOMAIN, CREATE TYPE/VIEW/
//     FUNCTION/SCHEMA/SEQUENCE/EXTENSION, ALTER INDEX, ALTER SYSTEM,
//     ANALYZE, COMMENT ON, GRANT, LOCK.
//
// Names are unquoted and folded as the dialect folds them (lower case on
// PostgreSQL, as written on MySQL and SQLite).
//
// Statement.HasSeq and HasKeyword look for keywords outside parentheses,
// quotes and comments, for rules that need only tokens; Start is where a
// finding points (the first token after leading comments); References
// lists the tables a statement's foreign keys point at; Column.ServerFilled
// tells whether existing rows get a value when the column is added.
//
// The corpus in testdata is checked three ways: golden dumps of the parsed
// structure (go test -run TestGolden -update rewrites them), FuzzParse
// (never a panic, positions inside the input, tokens covering it in
// order), and package servertest, which runs every corpus statement on
// PostgreSQL, MariaDB and SQLite and requires Err exactly where the
// server reports a syntax error.
//
// A statement the recogniser does not know is Kind Other: rules then say
// nothing about it rather than guess. A statement of a known kind that
// does not fit its form, or that holds an unterminated quote or comment,
// has Err set with the position (rule RT901, syntax-error); the parts read
// before the error are kept.
package sqlast
