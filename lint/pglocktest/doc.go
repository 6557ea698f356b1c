// Package pglocktest checks lint.PostgresLock against a PostgreSQL
// server: each statement runs in a transaction on a fresh database and the
// strongest lock pg_locks shows on a relation that existed before it must
// be the one PostgresLock gives, as package pgtrace (retort lint --trace)
// reads it. It has tests only.
package pglocktest
