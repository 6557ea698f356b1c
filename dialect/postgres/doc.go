// Package postgres is retort's PostgreSQL dialect. It works with any
// database/sql driver for PostgreSQL and registers none; retort's command
// uses pgx's. It is written for PostgreSQL 10 and later and tested on 15.
//
// The decisions it makes:
//
//   - Identifiers are always quoted ("...", with " doubled), so names keep
//     their case and may be keywords. A table with a Schema is
//     "schema"."name"; without one it resolves through the search_path.
//     A NUL byte cannot be part of an identifier: it is left in, the server
//     rejects the statement, and callers should reject such names first
//     (see Dialect.QuoteIdent).
//
//   - Literals, for offline scripts only, assume standard_conforming_strings
//     = on, the default since PostgreSQL 9.1: strings are '...' with '
//     doubled and backslashes left alone. A script run where it is off
//     would read backslashes as escapes, so this dialect does not support
//     such servers. Text cannot hold a NUL byte, so a string with one is an
//     error, as is one that is not UTF-8. Bytes are '\x...'::bytea, floats
//     '...'::float8 (NaN and the infinities included), times
//     '...+00'::timestamptz in UTC with microseconds; negative integers are
//     parenthesised. See Dialect.Literal.
//
//   - DDL is transactional. The version table is
//     (version_num VARCHAR(255) NOT NULL, CONSTRAINT <name>_pkc PRIMARY
//     KEY (version_num)), as Alembic's. The history table's id is a BIGINT
//     identity column and its times TIMESTAMP(6) without time zone, in UTC.
//     When the table has a schema, a DO block first creates the schema if
//     it is missing: CREATE SCHEMA IF NOT EXISTS alone needs the CREATE
//     privilege on the database even when the schema exists.
//
//   - TableExists asks to_regclass, with the quoted name bound as a
//     parameter, so a table without a schema is the one its unqualified
//     name resolves to.
//
//   - Now is clock_timestamp() AT TIME ZONE 'UTC', the time of the call
//     rather than now(), the start of the transaction; CurrentUser is
//     current_user.
//
//   - The migration lock (Dialect.Lock) is a session-level advisory lock
//     keyed by the first 8 bytes of the SHA-256 of the lock name
//     (LockKey). It belongs to one database, is released by the server
//     when its connection ends, and is waited for by polling
//     pg_try_advisory_lock, so that ctx and the timeout are honoured
//     whatever the driver does with a cancelled query. It does not work
//     behind a pooler in transaction mode (PgBouncer).
package postgres
