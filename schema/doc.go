// Package schema is retort's dialect-neutral schema model: tables (in an
// optional schema namespace), columns, types, defaults, identity, keys,
// constraints, indexes, comments and PostgreSQL enum types, described once
// for the operations API (package op), reflection, diff and a project's
// target metadata. It is plain data with builders; it does no I/O and
// imports only the standard library.
//
// # Builders
//
// Column builders return modified copies, so a column reads as one
// expression in a Go revision:
//
//	schema.Col("email", schema.String(255)).Nullable().Default(schema.Value("x"))
//	schema.Col("id", schema.BigInteger()).Identity()
//	schema.Col("created_at", schema.DateTime(true)).Default(schema.Expr("CURRENT_TIMESTAMP"))
//
// Table builders (NewTable, PrimaryKey, Unique, ForeignKey, Check, Index)
// modify and return the *Table. Fields whose name a builder method takes
// are spelled differently: Column.Null (set by Nullable), Column.Def (set
// by Default), Column.AutoIncrement (set by Identity), Table.PK (set by
// PrimaryKey).
//
// # NOT NULL by default
//
// A column is NOT NULL unless declared Nullable, foreign-key columns
// included. SQLAlchemy makes columns nullable unless told otherwise, and
// a forgotten nullable=False silently admits NULLs; here the forgotten
// call fails loudly at the first insert of a NULL instead.
//
// # Defaults
//
// A default is either a literal Value, which a renderer writes as a
// literal of its dialect (quoted and escaped), or a server Expr, which it
// writes verbatim. They are different things: Value("now()") is a string,
// Expr("now()") a function call.
//
// # Naming convention
//
// Constraint and index names left empty are filled from a Naming
// convention, never left to the database, whose generated names differ
// between dialects and versions and so cannot be dropped portably later.
// DefaultNaming is Alembic's recommended convention:
// ix_<table>_<columns>, uq_<table>_<columns>,
// fk_<table>_<columns>_<referred table>, ck_<table>_<label>, pk_<table>,
// where <columns> joins the column names with "_". A check constraint
// needs an explicit name or a short label (Table.Check(label, expr)).
// Names are computed when rendering (Naming.Resolve, Naming.Apply), so a
// drop operation that carries the same definition computes the same name.
//
// # Identifier length
//
// PostgreSQL truncates identifiers beyond 63 bytes silently, and MySQL
// rejects identifiers beyond 64 characters; SQLite has no limit (Limit,
// PostgresLimit, MySQLLimit, NoLimit). A generated name that is too long
// is truncated deterministically: the longest prefix, cut on a character
// boundary, that leaves room for "_" plus the first 8 hex digits of the
// SHA-256 of the full generated name, followed by them (Limit.Fit). The
// result is stable across runs and machines and keeps the readable start.
// An explicit name that is too long is never shortened: it is an
// *IdentTooLongError (errors.Is ErrIdentTooLong) naming it.
//
// # Validation
//
// Table.Validate reports every problem at once (errors.Join of
// *ValidationError, each naming the table and column; errors.Is
// ErrInvalid).
//
// The package has no global mutable state: conventions and limits are
// values returned by functions.
package schema
