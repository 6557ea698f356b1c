// Package mysql is retort's MySQL and MariaDB dialect. It registers no
// database/sql driver: it works with any driver that takes "?"
// placeholders (github.com/go-sql-driver/mysql is the usual one). It
// expects MySQL 5.7 or later, or MariaDB 10.2 or later.
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
// otherwise.
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
