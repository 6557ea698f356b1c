// Package lint finds the migration statements that pass on an empty
// database and hurt a production one: a table dropped, an index built
// under a write lock, a rename that breaks the running code, a MySQL ALTER
// that copies the table. It is a pure core: it is given revisions (their
// statements per dialect, their source text for suppressions) and
// settings, and returns findings; reading files, git and the database is
// the caller's (package cli).
//
// Statements are recognised by package lint/sqlast. A rule sees one
// statement at a time with the flow of its revision before it: the
// earlier statements, whether it runs inside the revision's transaction
// (a "-- +no-transaction" section does not), and the tables created
// earlier in the same revision, which lock and destruction rules exempt.
//
// Suppressions: "-- retort:ignore RT301 reason" on the lines above a
// statement, "-- retort:ignore-file RT301 reason" anywhere in a file,
// and per-rule severities (Settings.Severity, from retort.toml's
// [lint.rules]). A suppression must give a reason (RT904) and must
// suppress something (RT902).
package lint
