// Package diff compares two schemas and returns the operations that turn
// one into the other: the pure core of autogenerate (`retort revision
// --autogenerate`, `retort check`). It does no I/O and knows no dialect;
// reflecting a database, loading the desired schema and rendering the
// operations are the callers' business.
//
// # Contract
//
// Compare(from, to, opts) takes from, the live database as an Inspector
// reflected it, and to, the desired schema, both normalised by the same
// dialect's Normalizer with the same naming convention
// (dialect.NormalizeSchema). The caller normalises; Compare does not.
// After normalisation every constraint and index has a name (a name the
// database generated and the one the convention gives compare equal
// because the Normalizer makes them one), types and defaults are in the
// dialect's one spelling, and what the dialect does not keep (comments
// on SQLite) is gone from both sides. Compare then compares through the
// model's Equal methods only: it never evaluates a default, never parses
// a check or an index expression, and never decides that two spellings
// are the same thing; that is the Normalizer's job, done once for both
// sides. The CompareType hook may overrule the type comparison.
//
// Both sides must qualify tables alike: the Schema of a reflected table
// is the InspectOptions.Schema it was read with, so declared tables of
// the default schema leave it empty when the inspection did too.
//
// Objects are matched by name: tables by schema and name, columns,
// constraints and indexes by name within their table, enum types by
// schema and name. Enum types are those listed in Schema.Enums
// (PostgreSQL's named types, which its Inspector reports); on dialects
// without enum types neither side lists any, and an enum column's values
// are part of its type. A column of a named enum type is not altered
// when only the type's values change: the values are the type's.
//
// Column order is not managed: a column is added last (the columns a
// table gains are added in the order to declares them), and a column
// that the downgrade adds back comes last too. Compare matches columns
// by name, so a schema that differs from another only in the order of
// its columns compares equal here although Table.Equal says otherwise.
//
// # What is compared
//
// Tables (created with all their columns, keys, constraints, indexes and
// comment; dropped with their definition, so that the downgrade can
// create them again), columns (added, dropped; type, nullability,
// default and comment changed by one AlterColumn carrying the column as
// it was in Existing), primary keys, unique constraints, foreign keys
// (with their actions), checks, indexes (unique, partial, on
// expressions, with a method), table comments, and PostgreSQL enum
// types and their values. A constraint or index whose definition
// changes under the same name is dropped and created again.
//
// The downgrade is planned the same way in the other direction (from to
// into from), so it obeys the same ordering rules. Enum values are the
// exception: PostgreSQL cannot remove one, so the downgrade keeps the
// values the upgrade added and says so in a NoteIrreversible.
//
// # Order
//
// Operations run in phases, and within a phase they are sorted by table
// (schema, then name) and by object name, so the output is the same on
// every run:
//
//  1. enum types created, then enum values added (AddEnumValue with
//     After the value that precedes it, or Before the first old value);
//  2. foreign keys dropped: removed or changed ones, those whose columns
//     change type, whose referred table's keys change, or whose table
//     loses the last index that begins with their columns, which MySQL
//     needs (all added again in step 9), and, of the tables about to be dropped, those of a cycle
//     among them and those referring to such a changing key or column;
//  3. indexes, checks, unique constraints and primary keys dropped;
//  4. tables dropped, each before the tables it refers to;
//  5. columns dropped, then added, then altered;
//  6. primary keys and unique constraints created;
//  7. tables created, each after the tables it refers to, with its
//     foreign keys, except those of a cycle among the new tables;
//  8. checks and indexes created;
//  9. foreign keys created: new and changed ones of existing tables, and
//     those of a cycle among the new tables, now that all exist;
//  10. table comments set;
//  11. enum types dropped, once nothing uses them.
//
// A foreign key of a table on itself is created with the table. Only
// the foreign keys that close a cycle (between tables of one strongly
// connected component of the reference graph) are added after the
// tables; the others go with CREATE TABLE, which reads best in a
// revision and is what SQLite needs (its ALTER TABLE cannot add a
// foreign key without a move and copy).
//
// # Notes and errors
//
// A rename is never guessed. A column dropped and another added to the
// same table with the same definition, or a table dropped and another
// created with the same columns, are written as drop and add, with a
// NoteRename suggesting the rename. A NOT NULL column without default
// added to an existing table gets a NoteNotNullWithoutDefault: the
// upgrade fails on a table with rows. An enum type losing or reordering
// values is an *EnumChangeError whose message is the manual recipe.
// Differences no operation expresses (an existing column gaining or
// losing its identity, a table's dialect options) get a
// NoteNotGenerated and no operation.
//
// # What is never detected
//
//   - Renames of tables, columns, constraints or indexes (see above).
//   - Changes that normalisation hides: two spellings the Normalizer makes
//     one (varchar and character varying, now() and CURRENT_TIMESTAMP),
//     and whatever a dialect does not keep or does not report.
//   - Objects the schema model does not hold: views, materialised views,
//     functions, procedures, triggers, sequences not owned by an
//     identity column, policies, extensions, grants. They are not in
//     the schemas Compare is given, so it neither creates nor drops
//     them; listing them is the caller's business.
//   - Column order (see above).
//   - Partitioning (schema.Table.Partitioning, reflected on PostgreSQL):
//     it is not compared and no operation renders it, so a partitioned
//     table and the declared table it reflects are the same table, and
//     a table to create is created plain. Its partitions are not tables
//     of the reflected schema, so they are neither compared nor dropped.
//   - Validity of a CHECK or foreign key (NotValid, reflected on
//     PostgreSQL for a constraint added NOT VALID and not validated
//     since): schema.Check.Equal and ForeignKey.Equal leave it out, so
//     such a constraint is neither re-created nor validated; write
//     VALIDATE CONSTRAINT by hand.
//
// # Filtering
//
// Options.IncludeTables and ExcludeTables select tables by name or
// schema.name with path.Match patterns. retort's own tables (version,
// history, lock; Options.OwnTables or dialect.DefaultOwnTables) and the
// tables retort creates for a move and copy are never compared; other
// tools' version tables (OtherToolTables) are compared only when
// IncludeTables names them exactly. The IncludeObject hook then sees
// every table, column, constraint, index and enum type of either side,
// as Alembic's include_object does; what it rejects is left out on both
// sides.
package diff
