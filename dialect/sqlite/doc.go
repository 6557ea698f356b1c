// Package sqlite is retort's SQLite dialect. It works with any database/sql
// driver for SQLite; retort's command registers a pure-Go one.
//
// # Types
//
// The neutral types are declared as follows (SQLite stores any value in
// any column; the declared type only sets the column's affinity):
//
//	Integer        INTEGER
//	BigInteger     BIGINT
//	SmallInteger   SMALLINT
//	identity       INTEGER, with the table's single-column primary key
//	               CONSTRAINT "pk_…" PRIMARY KEY ("id"): that makes the
//	               column an alias of the rowid (INTEGER PRIMARY KEY),
//	               which numbers new rows. Without AUTOINCREMENT: the number
//	               of a deleted last row may be used again. An identity
//	               that is not the single-column primary key is an error.
//	Boolean        BOOLEAN (values 1 and 0)
//	String(n)      VARCHAR(n) (the length is not enforced by SQLite)
//	Text           TEXT
//	Numeric(p,s)   NUMERIC(p,s); Numeric(0,0) NUMERIC
//	Float          REAL
//	Date           DATE
//	Time           TIME
//	DateTime       DATETIME, with or without time zone: SQLite has no
//	               zone-aware type. Times are text in TimeFormat with their
//	               UTC offset ("2024-07-01 05:29:00+05:30"), which SQLite's
//	               date functions and the Go drivers read as the instant.
//	Interval       TEXT (SQLite has no interval type: store what the
//	               application reads, e.g. an ISO 8601 duration)
//	JSON           TEXT (a declared JSON would have NUMERIC affinity and
//	               turn the document '123' into the integer 123); SQLite's
//	               json functions work on it
//	UUID           CHAR(36)
//	LargeBinary    BLOB
//	Enum           VARCHAR(longest value in characters) and a CHECK
//	               ("col" IN (…)) named by the convention's check template
//	               with the column name as label (ck_<table>_<column>).
//	               CreateEnum and DropEnum render nothing; AddEnumValue is
//	               unsupported: alter the column to the new Enum instead.
//	Raw            the "sqlite" entry, else the "" entry, else an error.
//
// # Tables, constraints, indexes, comments
//
// CREATE TABLE writes every constraint inline and named (names from the
// naming convention, with no length limit): PRIMARY KEY, UNIQUE, FOREIGN
// KEY (to a table of the same database only: SQLite cannot refer to an
// attached one), CHECK. Indexes are CREATE [UNIQUE] INDEX, with
// expression parts, DESC and partial WHERE clauses. SQLite keeps no
// comments: table and column comments, SetTableComment and
// SetColumnComment render nothing.
//
// # ALTER TABLE and the move and copy
//
// SQLite's ALTER TABLE renders directly: RenameTable (RENAME TO),
// AddColumn (ADD COLUMN), DropColumn (DROP COLUMN), AlterColumn with only
// NewName (RENAME COLUMN, which also rewrites the indexes, triggers and
// constraints that name the column), CreateIndex and DropIndex.
//
// AddColumn goes through a move and copy when ADD COLUMN cannot add the
// column: NOT NULL without a non-NULL default, or a default that is not a
// constant (CURRENT_TIMESTAMP, an expression). An identity column cannot
// be added at all. DropColumn online reads the table and moves and copies
// when the column is in a key, constraint or index, which DROP COLUMN
// refuses; offline it is DROP COLUMN.
//
// Everything else — AlterColumn of type, nullability or default, creating
// and dropping primary keys, unique constraints, foreign keys and checks,
// and every op.Batch — is Alembic's "move and copy", after SQLite's own
// procedure for schema changes ALTER TABLE cannot make, in the
// migration's transaction:
//
//	DROP TRIGGER …; DROP VIEW … (online: the dependents, below)
//	CREATE TABLE "_retort_tmp_account" (the new definition);
//	INSERT INTO "_retort_tmp_account" (common columns) SELECT … FROM "account";
//	DROP TABLE "account";
//	ALTER TABLE "_retort_tmp_account" RENAME TO "account";
//	CREATE INDEX … (the table's indexes)
//	CREATE VIEW …; CREATE TRIGGER … (the dependents again, as they were)
//	(a scratch table renamed: SQLite then checks every view and trigger)
//	(PRAGMA foreign_key_check on the table, when it has foreign keys)
//
// The first statement carries a comment ("batch: move and copy table
// account: <the operations>") that offline scripts show. An operation
// outside a Batch that needs it is a batch of one. The operations of a
// batch apply in order to the table's current definition, which is the
// Batch's CopyFrom when set; else, online, it is read from the database
// (below); offline without CopyFrom the error wraps
// dialect.ErrNeedExisting and says to use op.Batch with CopyFrom. A
// DropColumn inside a batch drops the indexes on the column and refuses a
// column still in the primary key, a unique constraint or a foreign key
// (drop those first in the same batch). A rename inside a batch updates
// keys, constraints' column lists and column indexes, not SQL text (check
// expressions, expression and partial indexes): rename outside a batch
// for that.
//
// Reading a table online goes through Inspect (see Inspection below),
// with the table's indexes and its dependents kept as their own SQL
// text: the copy declares each column with its type exactly as declared
// and its default as its SQL text. It reads what retort writes, and
// hand-written tables with table constraints and column NOT NULL,
// DEFAULT, PRIMARY KEY, UNIQUE, CHECK and REFERENCES (carried over as a
// table foreign key). It refuses, saying to pass CopyFrom, what the copy
// would lose: COLLATE, AUTOINCREMENT, ON CONFLICT
// clauses, MATCH on foreign keys, and table options
// (WITHOUT ROWID, STRICT). Unnamed constraints get the convention's names
// (an unnamed check ck_<table>_<n>). Online with
// CopyFrom, the table's indexes that CopyFrom does not name are read and
// created again as they are.
//
// # Triggers and views
//
// Online, with or without CopyFrom, a move and copy reads its table's
// dependents from sqlite_master: the triggers on the table (DROP TABLE
// drops them), the views and the triggers of other tables whose SQL names
// the table, and, repeatedly, those that name such a view (SQLite checks
// the whole schema when it renames the new table, and fails on a view or
// trigger naming a table that is missing at that moment). Names are
// matched as words of the SQL text, case-insensitively, strings included:
// a false match only drops and creates an object needlessly. The
// dependents are dropped before the copy and created again after it from
// their own SQL, in the same transaction; a scratch table is then renamed
// so that SQLite checks every view and trigger, and one it rejects
// ("error in trigger t: no such column: …") fails the step, which rolls
// back. A dependent whose SQL names a column the batch drops or renames
// is refused before anything runs, naming it and the column: drop it in
// the revision before the batch (op.Execute) and create it again after,
// or rename the column outside a batch (RENAME COLUMN rewrites triggers
// and views). SQLite's check needs legacy_alter_table off (its default).
// Temporary triggers (of the temp schema) are not read.
//
// Offline (CopyFrom), the triggers, views and undescribed indexes are not
// known. The script opens with guards that stop it, with a message saying
// what to do, when the table has a trigger or an index with SQL text that
// CopyFrom does not name (DROP TABLE would drop them silently). A view or
// another table's trigger that names the table makes the script stop at
// the RENAME with SQLite's "error in view …". The guards are a temporary
// table "_retort_guard" whose CHECK constraints are named by the
// messages; a problem found inserts a row that breaks one. They stop the
// script only when the sqlite3 shell runs it with -bail (sqlite3 -bail
// app.db < upgrade.sql): without it the shell goes on after an error and
// commits.
//
// # Foreign keys during a move and copy
//
// PRAGMA foreign_keys cannot be changed inside a transaction (SQLite
// ignores it there), and migrations run in one. With foreign key
// enforcement on (foreign_keys=1 in the URL), dropping the old table of a
// move and copy is an implicit DELETE of its rows: when other tables
// refer to it, ON DELETE CASCADE would delete their rows, SET NULL clear
// them, and otherwise the drop fails. So a move and copy of a table that
// other tables refer to is refused with enforcement on: online before
// anything runs, naming those tables; offline by a guard. Run that
// migration on a connection with foreign_keys off (SQLite's default).
//
// After the copy, when the new table has foreign keys, PRAGMA
// foreign_key_check on it runs, and a row that breaks one fails the step
// (also a row that broke it before the batch: fix the data first). Online
// on SQLite 3.47 or later the message names the table, the rowid of the
// first such row, its columns, the parent table and how many rows break
// a key (a temporary trigger raises it); on older versions and offline it
// names the table and its parent tables and says to list the rows with
// PRAGMA foreign_key_check. The tables that refer to the moved table are
// not checked.
//
// # Inspection
//
// Dialect implements dialect.Inspector and dialect.Normalizer. Inspect
// reads an attached database (main by default) with three queries however
// many tables it has: sqlite_master's CREATE TABLE texts,
// pragma_table_xinfo joined to it for the columns, and the CREATE INDEX
// texts. Types keep their declared text in Type.Native (as SQLite
// reports it: it spells INT, INTEGER, REAL, TEXT, BLOB and ANY in upper
// case) and map to the neutral kind the renderer would declare them as;
// defaults are the SQL text SQLite keeps, as an Expr; names, checks,
// foreign keys with their actions, collations (TypeExt.Collation),
// AUTOINCREMENT and the table options (TableExt) come from the CREATE
// TABLE text, since no pragma has them. SQLite keeps no comments and no
// enum types; a foreign key's DEFERRABLE clause is ForeignKey.Deferral.
// Generated columns (virtual and stored) are Column.Generated, read
// from the CREATE TABLE text. What the model cannot hold (ON CONFLICT) is an
// error wrapping dialect.ErrUnsupported that
// names the table; exclude it with InspectOptions.Exclude.
//
// The normal form (NormalizeType, NormalizeDefault, NormalizeTable)
// follows what SQLite keeps: a type is its declared text read back as a
// neutral kind (INT and INTEGER are Integer, VARCHAR(255) is String(255),
// JSON is Text, UUID is CHAR(36)); a default is a Value when it is a
// constant however it is written ('x', x and Value("x") are one) and an
// Expr otherwise; the INTEGER column of a one-column primary key is the
// rowid, an identity, whether declared with Identity or not; an Enum is
// a VARCHAR with its check; comments are dropped. Affinity gives a
// declared type's affinity.
//
// # Literals and bulk inserts
//
// See Literal for how values are written in offline scripts. SQLite
// keeps -0.0 as a REAL in a column without affinity; a REAL column may
// store it as 0. BulkInsert (online) binds values with one prepared
// multi-row INSERT of BulkRowsPerStatement rows, writing times in
// TimeFormat as Literal does and refusing NUL bytes in text as Literal
// does, so that online and offline runs store the same bytes.
package sqlite
