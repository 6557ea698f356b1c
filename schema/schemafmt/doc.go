// Package schemafmt writes a schema (package schema) three ways, for
// people and programs to read what reflection found (`retort inspect`)
// and for a project to start its desired schema from a database:
//
//   - JSON (EncodeJSON, DecodeJSON): a stable, documented JSON form of the
//     whole model, Native spellings and dialect attributes included, that
//     decodes back to an Equal schema.
//   - SQL (SQL, Ops): the schema as one dialect's DDL, built as operations
//     (package op) and rendered offline by the dialect, in an order that
//     runs on an empty database.
//   - Go (Go): the source of a function that builds the schema with the
//     schema package's builders, formatted, as one would write it by hand.
//
// GoOps writes operations (package op) with the same builders: the
// statements of a Go revision's Upgrade or Downgrade function that record
// them, for autogenerate's `--format go`.
//
// Each form is a value computed without I/O; printing or writing it is the
// caller's business.
//
// The package lives under schema rather than in it because the SQL form
// needs the operations and the dialects, and package schema imports only
// the standard library. It imports schema, op and dialect, never a
// dialect implementation: the caller passes the dialect.
package schemafmt
