// Package revision is retort's revision graph: a pure, immutable DAG of
// revisions (down revisions, branch labels, depends_on) with Alembic's
// target grammar and Alembic's answers.
//
// New validates the graph (duplicate or illegal ids, missing parents or
// dependencies, label clashes, cycles) and returns typed errors that name
// the revisions and files. Upgrade, Downgrade and Stamp turn the version
// table's rows and a target into a Plan: the steps to run, in Alembic's
// order, each with the version-table changes (insert, delete, update) that
// record it. Walk, Current and Resolve serve the inspect commands.
//
// The algorithms follow Alembic's RevisionMap so that every command gives
// the same answer as Alembic 1.8.1 on the same graph (see
// internal/oracle), except where Alembic has a bug (documented in
// docs/targets.md). They are linear in revisions plus edges where Alembic
// is quadratic: the topological order keeps a pending-children counter per
// revision instead of an ancestor set per head.
//
// The package does no I/O.
package revision
