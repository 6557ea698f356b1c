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
// and every op.Batch — is Alembic's "move and copy", in the migration's
// transaction:
//
//	CREATE TABLE "_retort_tmp_account" (the new definition);
//	INSERT INTO "_retort_tmp_account" (common columns) SELECT … FROM "account";
//	DROP TABLE "account";
//	ALTER TABLE "_retort_tmp_account" RENAME TO "account";
//	CREATE INDEX … (the table's indexes, then its triggers)
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
// Reading a table online uses PRAGMA table_xinfo for columns (types kept
// as declared, defaults as their SQL text), the CREATE TABLE text in
// sqlite_master for the constraints' names, CHECK expressions, unique
// constraints and foreign keys (PRAGMA gives no names), and sqlite_master
// for the indexes and triggers, recreated from their own SQL. It reads
// what retort writes, and hand-written tables with table constraints and
// column NOT NULL, DEFAULT, PRIMARY KEY, UNIQUE and CHECK. It refuses,
// saying to pass CopyFrom: column REFERENCES, COLLATE, GENERATED columns,
// AUTOINCREMENT, ON CONFLICT clauses, MATCH and DEFERRABLE on foreign
// keys, and table options (WITHOUT ROWID, STRICT). Unnamed constraints get
// the convention's names (an unnamed check ck_<table>_<n>). With CopyFrom
// the table's triggers are not known and are not recreated: DROP TABLE
// drops them.
//
// # Foreign keys during a move and copy
//
// PRAGMA foreign_keys cannot be changed inside a transaction (SQLite
// ignores it there), and migrations run in one. With foreign key
// enforcement on (foreign_keys=1 in the URL), dropping the old table of a
// move and copy is an implicit DELETE of its rows: when other tables
// refer to it, ON DELETE CASCADE deletes their rows, SET NULL clears
// them, and otherwise the drop fails. So do not move and copy a table
// that other tables refer to with enforcement on: run that migration on
// a connection with foreign_keys off (the default), and check with PRAGMA
// foreign_key_check afterwards. The table's own foreign keys are copied
// as declared and checked as rows are copied when enforcement is on.
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
