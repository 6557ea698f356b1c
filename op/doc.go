// Package op is retort's operations API: the closed set of dialect-neutral
// operations (CreateTable, AddColumn, AlterColumn, CreateIndex, Batch for
// SQLite's move and copy, BulkInsert, Execute, Run, ...) and Ops, the
// recorder a Go revision's Upgrade and Downgrade functions receive.
// Recording does no I/O: each operation is kept with the user's file and
// line that recorded it, then rendered by the dialect when its turn comes,
// online or into an offline script.
package op
