// Package script reads and writes revision files, SQL and Go: the header that
// links a file into the revision graph, read without reading the rest of
// the file; the -- +upgrade and -- +downgrade sections; the checksum; and
// the names and contents of new files. It does no I/O except reading the
// fs.FS (or, for LoadDir, the folder) it is given.
//
// # Format
//
// The spelling is fixed; tools outside retort rely on it:
//
//	-- revision: 3f2a9c1b7d4e
//	-- down_revision: 1a2b3c4d5e6f
//	-- branch_labels:
//	-- depends_on:
//	-- message: Add new column
//	-- create_date: 2021-11-28 14:32:05 UTC
//
//	-- +upgrade
//	ALTER TABLE account ADD COLUMN email VARCHAR(255) NULL;
//
//	-- +downgrade
//	ALTER TABLE account DROP COLUMN email;
//
// The header is the lines before -- +upgrade. A header line is
// "-- key: value" with one of the keys revision, down_revision,
// branch_labels, depends_on, message and create_date, in any order, each
// at most once. Values are trimmed; an empty value means none.
// down_revision, branch_labels and depends_on are comma-separated lists
// whose items are trimmed, empty items dropped; several down revisions
// make a merge. revision must be non-empty. The down_revision line is
// required even for a first revision (with an empty value), so that a
// forgotten or misspelt line is an error and not a silent new base.
// Checking the ids themselves (characters, reserved words) is the
// revision graph's job.
//
// Blank lines and other -- comments may appear in the header. Because
// typos must not pass silently, these are errors there:
//
//   - a header-shaped line with an unknown key, that is "-- key: value"
//     where key is lower-case letters and "_" (say, -- down_revison: or
//     -- todo:); the message suggests the nearest key. A free comment
//     needs a capital, a space or a character other than those before its
//     first colon ("-- Note: ...", "-- see https://...");
//   - a known key in the wrong case or with "-" for "_" (-- Depends-On:);
//   - a key given twice;
//   - a marker-shaped line, "-- +word": a misspelt -- +upgrade
//     (--+upgrade, -- +Upgrade), goose's -- +goose Up, or a section marker
//     such as -- +no-transaction that belongs after -- +upgrade;
//   - any line that is not blank and not a -- comment ("SQL before
//     -- +upgrade"). A .sql file in a revision folder that is not a
//     revision must be named with a leading "_" (or ".") to be skipped;
//   - a header line longer than 64 KiB.
//
// # Sections
//
// A marker is a line that, without leading and trailing white space, is
// exactly "-- +upgrade" or "-- +downgrade" (lower case, one space),
// optionally followed by one space and a dialect: "-- +upgrade
// postgresql" (or postgres), "-- +upgrade mysql", "-- +upgrade sqlite".
// The header ends at the first upgrade marker, plain or dialect; a
// downgrade marker before it is an error. After it, sections come in any
// order, each kind at most once per dialect (postgres and postgresql are
// one dialect) and once without one. A plain section applies to every
// dialect; a dialect's own section replaces it for that dialect
// (Body.For). A file without -- +downgrade cannot be downgraded
// (Body.HasDowngrade is false); an empty downgrade section is a valid
// no-op.
//
// Markers are found line by line, without regard to SQL quoting. Every
// line whose text after "--" and blanks starts with "+" and a letter is a
// directive and must be a marker or -- +no-transaction (which the
// splitter reads, in any case and with or without the space; it stays in
// the section's text). Anything else, such as -- +downgrad, -- +down,
// -- +downgrade: or -- +upgrade mysql,sqlite, is an error naming the
// directive or dialect meant: left as a comment, a misspelt -- +downgrade
// would run the downgrade statements on upgrade. "-- +1" and "-- + note"
// are free comments.
//
// A section's SQL is the text from the line after its marker to the next
// marker or the end of the file, untrimmed, with CRLF turned into LF;
// Section.Line is the file line of its first line, so a statement on line
// k of SQL is on line Line+k-1 of the file.
//
// Files may start with a UTF-8 BOM and use CRLF line endings. Lines end at
// "\n"; a lone "\r" does not end a line.
//
// # Checksum
//
// The checksum is the SHA-256 of the whole file with a leading BOM removed
// and every CRLF turned into LF, so that a checkout with other line
// endings keeps it. Any other change, comments and white space included,
// changes it. For a file with dialect sections, what a dialect records is
// Body.For(dialect).Checksum: the same hash of the file without the
// sections that dialect does not run (marker lines included), so that an
// edit to the mysql section does not change what a SQLite database
// verifies. A file without dialect sections keeps the checksum of the
// whole file.
//
// # Reading
//
// Load and LoadDir read only the headers: each file through a small
// buffer, stopping at the -- +upgrade line, several files at a time; the
// inspecting commands need nothing more, so they stay fast with thousands
// of revisions. Script.Body reads the whole file when it is needed, parses
// it again, and reports an error if the header changed meanwhile. All
// errors about a file's content are *ParseError, whose text is
// "path:line: message" with the display path given to the loader.
//
// # New files
//
// Render writes the format above with every header line present, the
// create_date in the time's own location ("2006-01-02 15:04:05 MST"), and
// only the first line of a message. FileName expands Alembic's
// file_template (a Python %-format) with Alembic's slug: an empty message
// gives an empty slug, so "%(rev)s_%(slug)s" gives "rev_.sql", as Alembic
// gives rev_.py.
//
// # Go revisions
//
// A Go revision is a file of the project's versions package (by default
// migrations/versions) that adds one GoRevision to the package's
// Registry (var Registry script.Registry, a value owned by user code):
//
//	func init() {
//		Registry.Add(script.GoRevision{
//			Revision:     "3f2a9c1b7d4e",
//			DownRevision: "1a2b3c4d5e6f",
//			Message:      "Add new column",
//			Upgrade:      func(o *op.Ops) error { ...; return nil },
//			Downgrade:    func(o *op.Ops) error { ...; return nil },
//		})
//	}
//
// Load reads every *.go file of the folder (not *_test.go, not names
// starting with "." or "_", which the go tool ignores too) with go/parser,
// without type checking, and finds the composite literal whose type is
// GoRevision under whatever name the file imports this package
// (script.GoRevision, an alias, or a dot import). A Go file without one
// (registry.go, helpers) is not a revision and is skipped silently. The
// header fields Revision, DownRevision, BranchLabels, DependsOn, Message
// and CreateDate must be string literals (interpreted or raw); their
// values are trimmed and the lists split at commas as in a SQL header.
// Revision is required and non-empty; a missing DownRevision means a base
// (a misspelt field is an error, as the compiler would say). Upgrade is
// required (not nil); Downgrade is optional, and a revision without it
// cannot be downgraded. Errors, each a *ParseError naming the file and
// line: a file that is not valid Go, a non-literal header value, unkeyed
// fields, an unknown or repeated field, a second GoRevision literal in the
// file, a slice or map of GoRevision values. Script.HeaderLine gives the
// line of each field. Body returns the checksum of the whole file (the
// same normalisation as SQL) and sections without SQL whose Present says
// whether Upgrade and Downgrade are set.
//
// Reading the literals is what lets the graph commands run on the files
// alone. To run a Go revision its code must be compiled into a program:
// Bind sets Script.Go from the program's Registry and checks that the
// program was built from the files on disk (every Go file registered,
// every registered revision in a file, the same header, the same
// Upgrade/Downgrade presence); any difference is a *BindError that says
// to rebuild. RenderGo writes a new Go revision file, gofmt'd, and RenderGoRevision one with given bodies (autogenerate's); GoFileName
// names it with file_template and ".go", adding a "_" when the name would
// end in _test or a GOOS/GOARCH suffix and so be left out of builds.
package script
