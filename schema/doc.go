// Package schema is retort's dialect-neutral schema model: tables (in an
// optional schema namespace), columns, types, defaults, identity, keys,
// constraints, indexes, comments and PostgreSQL enum types, described once
// for the operations API (package op), reflection, diff and a project's
// target metadata. It is plain data with builders; it does no I/O and
// imports only the standard library.
//
// # Builders
//
// One convention holds for every builder of the package: a builder method
// returns a new value and never modifies its receiver. A column, a key or
// an index therefore reads as one expression in a Go revision, and a
// table definition shared by two revisions (or two test cases) can be
// extended by each without the other seeing it:
//
//	schema.Col("email", schema.String(255)).Nullable().Default(schema.Value("x"))
//	schema.Col("id", schema.BigInteger()).Identity()
//	schema.Col("created_at", schema.DateTime(true)).Default(schema.Expr("CURRENT_TIMESTAMP"))
//	base := schema.NewTable("account", schema.Col("id", schema.BigInteger())).PrimaryKey("id")
//	withIndex := base.Index(schema.IndexOn("id").Named("ix_x")) // base has no index
//
// Constructors are named after what they make (Col, NewTable, FK,
// IndexOn, UniqueOn, PrimaryKeyOn, CheckExpr); a table method named after
// a constraint adds one from column names (PrimaryKey, Unique, Check),
// and its Set/Add form takes a built value with an explicit name
// (SetPrimaryKey, AddUnique, AddCheck; ForeignKey and Index always take
// a built value); Named, WithComment, InSchema return the value with that
// one field set. The result of a builder must be used: a call whose
// result is dropped changes nothing. Fields whose name a builder method
// takes are spelled differently: Column.Null (set by Nullable),
// Column.Def (set by Default), Column.AutoIncrement (set by Identity),
// Table.PK (set by PrimaryKey).
//
// # Reflected schemas
//
// An Inspector (package dialect) reads a live database into this model.
// What the neutral kinds do not say is kept beside them: Type.Native is
// the type as the database spelled it ("character varying(255)",
// "INTEGER"), Type.Ext, Index.Method and Table.Ext hold dialect
// attributes (unsigned, array dimensions, collation, index method, SQLite
// AUTOINCREMENT and table options). They are small typed structs rather
// than a map[string]string: a misspelt attribute does not compile, a
// struct of plain fields compares with ==, and each field documents
// which dialect reports it.
//
// The Equal methods compare field by field and know no dialect: a
// declared String(255) and a reflected VARCHAR(255) differ there. To ask
// whether a database holds what a schema declares, normalise both sides
// with the dialect's Normalizer (dialect.NormalizeSchema) and compare the
// results with Equal.
//
// Two reflected facts are for the readers of a schema before a change
// (retort lint) and are left out of Equal: Check.NotValid and
// ForeignKey.NotValid (PostgreSQL constraints added NOT VALID and not
// validated since) and Table.Partitioning (a PostgreSQL partitioned
// table's key and partitions). Autogenerate neither compares nor
// renders them (package diff says so).
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
