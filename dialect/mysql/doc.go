// Package mysql is retort's MySQL and MariaDB dialect. It registers no
// database/sql driver: it works with any driver that takes "?"
// placeholders (github.com/go-sql-driver/mysql is the usual one). It
// expects MySQL 5.7 or later, or MariaDB 10.2 or later; the SQL that
// Render writes for operations needs MySQL 8.0 or MariaDB 10.5 (see
// Operations).
//
// # Identifiers
//
// Identifiers are quoted with backticks, a backtick inside doubled. A
// table's Schema is a MySQL database: `schema`.`name`.
//
// # Literals
//
// Literal writes values for offline scripts:
//
//   - nil, and a nil []byte (as drivers bind it), are NULL.
//   - A string is '...'. A quote is doubled; a backslash, NUL, newline,
//     carriage return and Ctrl-Z are written \\, \0, \n, \r and \Z; every
//     other byte is kept as it is, so the text is byte-exact. The escapes
//     assume the default sql_mode: under NO_BACKSLASH_ESCAPES a string
//     with one of those five characters would be read wrongly (one
//     without them reads the same in every mode). A string must be valid
//     UTF-8, or Literal returns an error: pass binary data as []byte.
//     Run scripts with a utf8mb4 connection, as with
//     mysql --default-character-set=utf8mb4: clients often default to
//     utf8mb3 or latin1, which cannot carry every character of a utf8mb4
//     column.
//   - A []byte is a hex literal such as X'00ff', even when empty.
//   - A bool is TRUE or FALSE (1 and 0 to MySQL).
//   - Integers are decimal.
//   - A float is written with an exponent (0.1e0, 1e+308) so that MySQL
//     reads a DOUBLE, not an exact DECIMAL; a float32 is widened to
//     float64 first, as drivers bind it. NaN and infinities are errors:
//     MySQL has no such values. MariaDB has no negative zero either (-0e0
//     is stored as 0).
//   - A time.Time is '2006-01-02 15:04:05.999999' in UTC, truncated to
//     microseconds. DATETIME has no time zone: retort stores UTC times in
//     DATETIME(6) columns (Now is UTC_TIMESTAMP(6)), and a script writes
//     them the same way. Years outside 0000-9999 are errors.
//
// # Tables
//
// DDL commits implicitly on MySQL (TransactionalDDL is false): a revision
// that fails halfway stays half-applied, which the history table's dirty
// and stmt_index columns record.
//
// CreateVersionTable creates the database first when the table has a
// Schema (CREATE DATABASE IF NOT EXISTS, which needs the CREATE
// privilege on it). The primary key is VARCHAR(255): with utf8mb4 that is
// up to 1020 bytes, within InnoDB's 3072-byte key limit for the DYNAMIC
// row format, the default since MySQL 5.7.9 and MariaDB 10.2.2 (older
// servers with the COMPACT format allow 767 bytes). MySQL names every
// primary key PRIMARY and ignores the constraint name <name>_pkc, but
// rejects one over 64 characters, so that name is left out when it would
// be too long.
//
// The history table's times are DATETIME(6), id is BIGINT AUTO_INCREMENT.
// CurrentUser is CURRENT_USER(), the account the server authenticated
// (user@host, with the host as the account names it).
//
// TableExists reads information_schema.TABLES, in the connection's
// current database when the table has no Schema (no current database:
// false). Names compare as the server compares table names: exactly when
// lower_case_table_names is 0 (the default on Linux), ignoring case
// otherwise. Columns reads information_schema.COLUMNS for the same table.
//
// # Operations
//
// Render turns the operations of package op into statements. The SQL is
// written for both MySQL 8.0 and MariaDB 10.11; where they differ it says
// so below. The tests run against MariaDB 10.11: the MySQL-only paths
// (functional key parts, and reading a column's definition from MySQL 8's
// information_schema, which reports defaults differently) follow MySQL's
// manual but are not exercised by them. With a MySQL 8 server, setting
// AlterColumn.Existing avoids the second.
//
// Column types:
//
//	Integer        INT
//	BigInteger     BIGINT
//	SmallInteger   SMALLINT
//	identity       AUTO_INCREMENT (the column must be a key, as MySQL requires)
//	Boolean        BOOL, which is TINYINT(1)
//	String(n)      VARCHAR(n)
//	Text           LONGTEXT
//	Numeric(p,s)   DECIMAL(p,s); Numeric(0,0) is DECIMAL, which MySQL reads as DECIMAL(10,0)
//	Float          DOUBLE
//	Date           DATE
//	Time           TIME(6)
//	DateTime(tz)   DATETIME(6), with and without tz
//	Interval       BIGINT, a count of microseconds
//	JSON           JSON (on MariaDB an alias of LONGTEXT with a json_valid CHECK)
//	UUID           CHAR(36), the text form
//	LargeBinary    LONGBLOB
//	Enum           ENUM('a', 'b', ...) from Values; the enum's name is not used
//	Raw            the "mysql" entry, else the "" entry, else an error wrapping dialect.ErrUnsupported
//
// DateTime is DATETIME(6) whether or not it has a time zone: MySQL has no
// type that keeps a zone. TIMESTAMP converts to and from the session's
// time zone but stores UTC only up to 2038-01-19, which a schema made
// today would outlive; DATETIME(6) holds years 1000 to 9999. Store UTC in
// it, as retort's own tables do. Interval has no MySQL type: TIME spans
// only ±838 hours and has no months. It is BIGINT microseconds, as
// Django's DurationField on MySQL; a time.Duration default is written as
// its microseconds, but database/sql binds a time.Duration as nanoseconds,
// so bind d.Microseconds() when writing rows. Use Raw for anything else.
//
// Defaults: a Value is written with Literal. On TEXT, BLOB and JSON
// columns (and Raw types that are such) MySQL 8 accepts a literal default
// only as an expression in parentheses, DEFAULT ('x'), which MariaDB 10.2
// and later accept too and store as a plain literal; other columns get
// the plain literal, which every version takes. An Expr is written
// verbatim: CURRENT_TIMESTAMP and its synonyms (NOW(), LOCALTIME,
// LOCALTIMESTAMP) on a DATETIME(6) column become CURRENT_TIMESTAMP(6),
// since MySQL requires the default's precision to match the column's (an
// explicit precision is kept); a simple literal (quoted string, number,
// NULL, TRUE, FALSE) stays bare on columns that take one; any other
// expression is put in parentheses, MySQL 8.0.13's form for expression
// defaults, which MariaDB also accepts.
//
// CREATE TABLE writes every key, constraint and index inline, so that the
// table appears whole or not at all (DDL is not transactional). Names
// left empty come from the RenderContext's naming convention
// (schema.DefaultNaming when it has none), fitted to 64 characters
// (schema.MySQLLimit: generated names too long get a hash suffix,
// explicit ones are errors). MySQL names every primary key PRIMARY, so
// the convention's pk name is not written (it is still checked for
// length). No ENGINE, CHARACTER SET or COLLATE is written: tables take
// the database's defaults, which the database should set (utf8mb4).
// Table and column comments are COMMENT clauses; SetTableComment is
// ALTER TABLE ... COMMENT = '...'.
//
// Indexes are CREATE [UNIQUE] INDEX ... ON and DROP INDEX ... ON;
// Concurrently is ignored (InnoDB builds most indexes online anyway).
// Partial indexes do not exist in MySQL or MariaDB: they are an error
// wrapping dialect.ErrUnsupported. An expression part is written as
// MySQL 8.0.13's functional key part, ((expr)); MariaDB rejects it (index
// a virtual generated column there, with op.Execute). DESC parts need
// MySQL 8.0 or MariaDB 10.8 to be honoured.
//
// Constraints: CreateUnique is ADD CONSTRAINT ... UNIQUE and DropUnique
// DROP INDEX (a unique constraint is an index in MySQL). CreateForeignKey
// is ADD CONSTRAINT ... FOREIGN KEY and DropForeignKey DROP FOREIGN KEY.
// MySQL creates an index, named after the foreign key, for a key whose
// columns no index covers, and keeps it when the key is dropped. Online,
// DropForeignKey also drops an index of the key's name on exactly its
// columns, so that drop undoes create; offline the catalog is unknown,
// the index stays, and the script says so in a comment above the
// statement. CreateCheck is ADD CONSTRAINT ... CHECK (enforced from MySQL
// 8.0.16 and MariaDB 10.2) and DropCheck DROP CONSTRAINT, which MariaDB
// 10.2 and MySQL 8.0.19 understand (MySQL 8.0.16 to 8.0.18 only know DROP
// CHECK). CreatePrimaryKey is ADD PRIMARY KEY, DropPrimaryKey DROP
// PRIMARY KEY. RenameTable is RENAME TABLE, within the table's database.
//
// AlterColumn: a pure rename is RENAME COLUMN (MySQL 8.0, MariaDB
// 10.5.2). Any other change restates the whole column, because MySQL's
// MODIFY COLUMN (CHANGE COLUMN when the column is also renamed) resets
// every attribute it is not given. The definition is AlterColumn.After()
// when Existing is set. Online without Existing, it is read from
// information_schema.COLUMNS in the migration's session: type (as the
// server spells it), nullability, default, AUTO_INCREMENT, ON UPDATE,
// comment, a collation other than the table's (kept unless the type
// changes) and, on MariaDB, the column's own CHECK (a JSON column's
// json_valid). MySQL and MariaDB report defaults differently (MariaDB as
// SQL text, MySQL as the value with DEFAULT_GENERATED marking
// expressions); both are read. Offline without Existing it is an error
// wrapping dialect.ErrNeedExisting that names the table and column and
// says to set Existing. SetColumnComment needs the whole column as well:
// online it is read the same way; offline it is an error wrapping
// dialect.ErrNeedExisting, since the operation cannot carry the column:
// use AlterColumn with Comment and Existing instead.
//
// CreateEnum, DropEnum and AddEnumValue render no statements: MySQL's
// enums live in the column type (ENUM(...)); change the values with
// AlterColumn. A Batch renders its operations one by one, in order.
// BulkInsert and Run are not statements (see below and dialect.RenderOp).
//
// # Inspecting
//
// Inspect (dialect.Inspector) reads the tables of a database from
// information_schema into the schema model: the connection's current
// database (DATABASE()), or the one InspectOptions.Schema names, with
// seven queries however many tables there are. Columns have the kind
// retort's renderer declares as their type and, in Type.Native,
// COLUMN_TYPE as the server spells it ("varchar(255)", "int(10)
// unsigned" on MariaDB, "int unsigned" on MySQL 8, "decimal(10,2)");
// UNSIGNED, a character set and a collation other than the table's are
// in Type.Ext, the engine, character set and collation of a table other
// than the defaults in Table.Ext. Defaults, AUTO_INCREMENT, comments, the primary key
// (PRIMARY), unique constraints (unique indexes on plain ascending
// columns), foreign keys with their actions, checks and the other
// indexes, with DESC parts and their method (FULLTEXT, SPATIAL, HASH),
// are read. An ENUM column is an Enum of its values named after the
// column, since MySQL keeps no enum name; a MariaDB JSON column, a
// longtext with a json_valid check, is JSON. retort's own tables are
// skipped unless InspectOptions.IncludeOwn is set. What the model cannot
// hold (generated and invisible columns, ON UPDATE, prefix indexes,
// system-versioned tables) is an error wrapping dialect.ErrUnsupported
// that names the table. A query that fails is an error that says what
// was being read, in which database. The tests run against MariaDB
// 10.11; what differs on MySQL 8 (defaults reported unquoted, checks
// read through TABLE_CONSTRAINTS, functional key parts) follows MySQL's
// manual but is not exercised by them.
//
// NormalizeType, NormalizeDefault and NormalizeTable (dialect.Normalizer)
// put a declared and an inspected schema in one normal form, so that
// dialect.NormalizeSchema and Equal tell whether the database holds what
// a revision declares: types as MySQL 8 reports them (int(11) is int,
// BOOL tinyint(1), JSON json also where MariaDB says longtext), a
// constant default as a Value of its text ('abc' and Value("abc"), TRUE
// and 1, 5 and 5.00 on a DECIMAL(10,2)), NULL as no default,
// CURRENT_TIMESTAMP, NOW() and current_timestamp() as one, with the
// column's precision; the primary key named PRIMARY, RESTRICT and NO
// ACTION as the unspecified action, the index MySQL creates for a
// foreign key dropped, a unique index on plain columns as a unique
// constraint, names from the naming convention fitted to 64 characters,
// and expressions in one canonical spelling. Checks that MariaDB
// rewrites beyond spelling (lower() is lcase()) compare equal only when
// declared as it prints them. MySQL has no enum types: a schema compared
// with a MySQL database declares its enums inline, without Schema.Enums.
//
// # Bulk insert
//
// BulkInsert (dialect.BulkLoader) inserts online with multi-row INSERT
// statements and bound parameters, on the migration's connection and in
// its transaction. A statement holds at most 1024 rows and 65535
// parameters (the protocol's limit), and its parameters take less than
// half of @@max_allowed_packet (read once per call) and at most 8 MiB; a
// row bigger than that is sent alone. The statement for a full batch is
// prepared once and executed for every full batch. Only one batch of
// rows is in memory at a time, whatever the row source. A bad row (a
// missing or unknown key, a wrong number of values, a value no driver can
// bind) is an *op.RowError naming the row and column; the rows of its
// batch are not inserted, and the caller's transaction rolls back the
// rest. The driver's own packet limit must not be below 8 MiB
// (go-sql-driver/mysql defaults to 64 MiB). Offline, BulkInsert is
// rendered by dialect.InsertStatements with Literal.
//
// # Scripts
//
// Offline scripts are written for the mysql and mariadb command-line
// clients. ScriptStatement ends a statement with ";", on a line of its own
// when the statement ends in a -- or # comment. A statement in which the
// client would see a ";" outside quotes and comments, as in a routine or
// trigger body (or inside an executable /*! */ comment, which the client
// does not treat as a comment), is wrapped in DELIMITER lines, with //,
// $$ or ;; as the delimiter, whichever does not occur in the statement,
// or else a generated one such as //1//. The client also reads a
// backslash outside quotes as one of its commands (\g, \c, ...) and a
// statement starting with one of its command words (use, source, ...) as
// that command; SQL has no use for either.
//
// # Locking
//
// Lock takes a user-level lock with GET_LOCK. A user-level lock is
// server-wide, not per database, so its name holds the connection's
// current database (SELECT DATABASE()): LockNameIn(database, key), which
// is LockName(key + "@" + database), or LockName(key) when no database is
// selected. LockName is the text itself when it is at most 64 bytes of
// UTF-8 (MySQL's limit for lock names), otherwise "retort:" and the first
// 24 hex digits of its SHA-256. Migrations of two databases on one server
// therefore do not wait for each other; runners on one database do. (A
// key naming a table in another database, through a Table's Schema, is
// still scoped to the current database: runners should connect to the
// database they migrate.)
//
// Lock first tries GET_LOCK(name, 0). When another session holds the
// lock it asks IS_USED_LOCK for that session's connection id and
// information_schema.PROCESSLIST for its user, host, database and state
// (shown only with the PROCESS privilege or for the same user), calls
// onWait once with that description, and waits in GET_LOCK(name, 1)
// calls, checking ctx and the timeout between them; the wait can exceed
// the timeout by up to a second. On timeout it returns an error wrapping
// dialect.ErrLocked that names the holder. GET_LOCK returning NULL is an
// error.
//
// The lock belongs to the session of the connection it was taken on. It
// is released by unlock (RELEASE_LOCK), or by the server when that
// connection closes or dies, for example when its process is killed;
// returning a *sql.Conn to its pool with Close does not close it. When a
// GET_LOCK or RELEASE_LOCK call fails, so that it is not known whether
// the session holds the lock, Lock and unlock close the connection, and
// with it the session. A held lock does not keep other sessions from
// changing the database: only other migrations wait for it.
package mysql
