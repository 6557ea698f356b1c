package dialect

// ScriptPreambler is an optional interface of dialects whose offline
// scripts open with statements of their own, for the client that runs
// them (MySQL: SET NAMES utf8mb4, since its clients often talk latin1 or
// utf8mb3). ScriptPreamble returns them, each with its terminator.
type ScriptPreambler interface {
	ScriptPreamble() []string
}

// ColumnAdder is an optional interface of dialects that can add a column
// only where it is missing, in one statement an offline script can hold
// (PostgreSQL's ADD COLUMN IF NOT EXISTS). An offline script that does not
// start from base and records a column added to retort's history table
// after its first layout uses it; on other dialects the script says which
// statement to run first on a table of an earlier layout.
// AddColumnIfMissing returns the statement, without its terminator.
type ColumnAdder interface {
	AddColumnIfMissing(t Table, column, def string) string
}
