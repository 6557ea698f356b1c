package sqlast

import (
	"strconv"
	"strings"
)

// Kind is what a statement does.
type Kind uint8

// The statement kinds. Other is every statement the recogniser does not
// know; rules say nothing about it.
const (
	Other           Kind = iota
	CreateTable          // CREATE [OR REPLACE] [TEMP|UNLOGGED] TABLE, CREATE TABLE ... AS
	AlterTable           // ALTER TABLE
	CreateIndex          // CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX
	DropIndex            // DROP INDEX
	DropTable            // DROP TABLE
	DropSchema           // DROP SCHEMA, DROP DATABASE
	DropObject           // DROP of any other object (VIEW, TYPE, SEQUENCE, FUNCTION, ...): see ObjectType
	Truncate             // TRUNCATE [TABLE]
	RenameTable          // MySQL RENAME TABLE a TO b [, c TO d]
	Insert               // INSERT, MySQL REPLACE
	Update               // UPDATE
	Delete               // DELETE
	Select               // SELECT, VALUES, TABLE, WITH ... SELECT
	Begin                // BEGIN, START TRANSACTION
	Commit               // COMMIT, END
	Rollback             // ROLLBACK, ABORT (not ROLLBACK TO SAVEPOINT)
	Savepoint            // SAVEPOINT, RELEASE [SAVEPOINT], ROLLBACK TO [SAVEPOINT]
	Set                  // SET, PostgreSQL RESET
	Vacuum               // VACUUM
	Reindex              // REINDEX
	Cluster              // CLUSTER
	RefreshMatView       // REFRESH MATERIALIZED VIEW
	CreateTrigger        // CREATE [OR REPLACE] [CONSTRAINT] TRIGGER
	CreateDomain         // CREATE DOMAIN
	AlterDomain          // ALTER DOMAIN
	AlterType            // ALTER TYPE
	CreateType           // CREATE TYPE
	CreateView           // CREATE [OR REPLACE] [MATERIALIZED] VIEW
	CreateFunction       // CREATE [OR REPLACE] FUNCTION, PROCEDURE
	AlterSchema          // ALTER SCHEMA, ALTER DATABASE
	CreateSchema         // CREATE SCHEMA, CREATE DATABASE
	CreateSequence       // CREATE SEQUENCE
	Pragma               // SQLite PRAGMA
	Analyze              // ANALYZE
	AlterIndex           // ALTER INDEX
	AlterSystem          // PostgreSQL ALTER SYSTEM
	CreateExtension      // CREATE EXTENSION
	CommentOn            // COMMENT ON
	Grant                // GRANT, REVOKE
	LockTable            // LOCK [TABLE], MySQL LOCK TABLES
	AlterObject          // ALTER of any other object (VIEW, SEQUENCE, FUNCTION, ...): see ObjectType and RenameTo
)

var kindText = [...]string{
	"Other", "CreateTable", "AlterTable", "CreateIndex", "DropIndex", "DropTable", "DropSchema",
	"DropObject", "Truncate", "RenameTable", "Insert", "Update", "Delete", "Select", "Begin",
	"Commit", "Rollback", "Savepoint", "Set", "Vacuum", "Reindex", "Cluster", "RefreshMatView",
	"CreateTrigger", "CreateDomain", "AlterDomain", "AlterType", "CreateType", "CreateView",
	"CreateFunction", "AlterSchema", "CreateSchema", "CreateSequence", "Pragma", "Analyze",
	"AlterIndex", "AlterSystem", "CreateExtension", "CommentOn", "Grant", "LockTable", "AlterObject",
}

func (k Kind) String() string {
	if int(k) < len(kindText) {
		return kindText[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Name is a possibly qualified object name: Parts are the identifiers
// between the dots, unquoted and folded as the dialect does (see
// Token.Name).
type Name struct {
	Parts []string
	Pos   Pos
}

// IsZero reports whether n names nothing.
func (n Name) IsZero() bool { return len(n.Parts) == 0 }

// Object returns the last part: the object's own name.
func (n Name) Object() string {
	if len(n.Parts) == 0 {
		return ""
	}
	return n.Parts[len(n.Parts)-1]
}

// Schema returns the part before the object's name, or "".
func (n Name) Schema() string {
	if len(n.Parts) < 2 {
		return ""
	}
	return n.Parts[len(n.Parts)-2]
}

// Qualified reports whether the name has a schema part.
func (n Name) Qualified() bool { return len(n.Parts) > 1 }

func (n Name) String() string { return strings.Join(n.Parts, ".") }

// SyntaxError is a statement the recogniser knows the form of but whose
// text does not fit it, or whose tokens are unterminated.
type SyntaxError struct {
	Pos Pos
	Msg string
}

func (e *SyntaxError) Error() string {
	return "line " + strconv.Itoa(e.Pos.Line) + ", column " + strconv.Itoa(e.Pos.Col) + ": " + e.Msg
}

// Statement is one recognised statement.
type Statement struct {
	Text     string
	Pos      Pos     // position of Text's first byte
	Dialect  Dialect //
	Tokens   []Token // the tokens of Text without comments, positions absolute
	Comments []Token // the comments of Text, in order
	Kind     Kind
	// Name is the statement's main object: the table of CREATE/ALTER/
	// DROP/TRUNCATE TABLE, UPDATE, DELETE, INSERT, CREATE INDEX (its
	// table: see CreateIndex.Name for the index), CREATE TRIGGER (its
	// table), REINDEX/CLUSTER/VACUUM (when named); the index of DROP
	// INDEX (the first one); the view, type, domain, function, schema,
	// sequence of the other kinds; the variable of SET and PRAGMA.
	Name Name
	// Names lists every object of DROP, TRUNCATE, VACUUM and RENAME TABLE
	// (the sources), in order; Name is the first.
	Names []Name
	// ObjectType is the upper-case object keyword(s) of CREATE, ALTER and
	// DROP statements: "TABLE", "INDEX", "MATERIALIZED VIEW", "SCHEMA",
	// "DATABASE", "TYPE", ...
	ObjectType string

	OrReplace    bool // CREATE OR REPLACE
	Temporary    bool // TEMP / TEMPORARY
	IfExists     bool // IF EXISTS
	IfNotExists  bool // IF NOT EXISTS
	Concurrently bool // CREATE/DROP INDEX, REINDEX, REFRESH MATERIALIZED VIEW ... CONCURRENTLY
	Cascade      bool // CASCADE at the end of DROP / TRUNCATE
	Restrict     bool // RESTRICT at the end of DROP / TRUNCATE

	Renames  []Rename // RENAME TABLE pairs
	HasWhere bool     // UPDATE / DELETE with a top-level WHERE
	// Columns are INSERT's column list and the targets of UPDATE ... SET
	// (and MySQL INSERT ... SET), in order, duplicates kept.
	Columns  []string
	Full     bool    // VACUUM FULL
	Value    string  // PRAGMA value (after = or in parentheses)
	RenameTo string  // ALTER SCHEMA/DATABASE ... RENAME TO
	Set      *SetVar // SET and RESET
	// EnumValues are the values of CREATE TYPE ... AS ENUM (...), in
	// order (non-nil, possibly empty, for an enum type).
	EnumValues []string
	AlterType  *AlterTypeAction // ALTER TYPE
	Index      *Index           // CREATE INDEX

	CreateTable *CreateTableParts // CREATE TABLE
	AlterTable  *AlterTableParts  // ALTER TABLE

	// Err is set when the statement is of a recognised kind but malformed,
	// or holds an unterminated quote, comment or dollar-quoted string.
	Err *SyntaxError
}

// Parse lexes and recognises text, one statement without its terminator
// (as sqlsplit.Split returns it) that starts at position at of its file;
// every position in the result is absolute. A zero at means the start of
// a file. Parse never panics; what it does not recognise is Kind Other.
func Parse(text string, at Pos, d Dialect) *Statement {
	if at.Line == 0 {
		at.Line = 1
	}
	if at.Col == 0 {
		at.Col = 1
	}
	all := Lex(text, d)
	st := &Statement{Text: text, Pos: at, Dialect: d}
	nc := 0
	for i := range all {
		t := &all[i]
		if t.Pos.Line == 1 {
			t.Pos.Col += at.Col - 1
		}
		t.Pos.Line += at.Line - 1
		t.Pos.Offset += at.Offset
		if t.Kind == Comment {
			nc++
		}
		if t.Unterminated && st.Err == nil {
			st.Err = &SyntaxError{Pos: t.Pos, Msg: "unterminated " + unterminatedWhat(*t)}
		}
	}
	if nc > 0 {
		// Move the comments out and compact the other tokens in place.
		st.Comments = make([]Token, 0, nc)
		k := 0
		for _, t := range all {
			if t.Kind == Comment {
				st.Comments = append(st.Comments, t)
			} else {
				all[k] = t
				k++
			}
		}
		all = all[:k]
	}
	st.Tokens = all
	// A terminator left at the end (the caller passed "...;") is not
	// part of the statement.
	for n := len(st.Tokens); n > 0 && st.Tokens[n-1].IsPunct(";") && st.Tokens[n-1].Depth == 0; n-- {
		st.Tokens = st.Tokens[:n-1]
	}
	// Executable MySQL comments (/*! ... */) are comments here; a
	// statement made only of them stays Other.
	p := parser{st: st, toks: st.Tokens, d: d}
	p.statement()
	if st.Err == nil && p.err != nil {
		st.Err = p.err
	}
	return st
}

func unterminatedWhat(t Token) string {
	switch t.Kind {
	case Comment:
		return "comment"
	case DollarBody:
		return "dollar-quoted string"
	case QuotedIdent:
		return "quoted identifier"
	}
	return "string literal"
}

// Start returns the position of the statement's first token after any
// leading comments (Pos when there is none): the line a finding points
// at.
func (s *Statement) Start() Pos {
	if len(s.Tokens) > 0 {
		return s.Tokens[0].Pos
	}
	return s.Pos
}

// HasKeyword reports whether the word w (upper case) occurs outside
// parentheses, quotes and comments.
func (s *Statement) HasKeyword(w string) bool { return s.IndexSeq(w) >= 0 }

// HasSeq reports whether the words (upper case; "(" "," and other
// punctuation also match) occur in a row outside parentheses, quotes and
// comments, as in HasSeq("NOT", "VALID").
func (s *Statement) HasSeq(words ...string) bool { return s.IndexSeq(words...) >= 0 }

// IndexSeq returns the index in Tokens of the first token of the first
// top-level occurrence of words in a row, or -1.
func (s *Statement) IndexSeq(words ...string) int {
	return indexSeq(s.Tokens, 0, words)
}

// HasSeqAnyDepth is HasSeq at any depth of parentheses (still outside
// quotes and comments).
func (s *Statement) HasSeqAnyDepth(words ...string) bool {
	if len(words) == 0 {
		return false
	}
	for i := range s.Tokens {
		if matchAt(s.Tokens, i, words) {
			return true
		}
	}
	return false
}

func indexSeq(toks []Token, depth int, words []string) int {
	if len(words) == 0 {
		return -1
	}
	for i := range toks {
		if toks[i].Depth == depth && matchAt(toks, i, words) {
			return i
		}
	}
	return -1
}

func matchAt(toks []Token, i int, words []string) bool {
	if i+len(words) > len(toks) {
		return false
	}
	d := toks[i].Depth
	for k, w := range words {
		t := toks[i+k]
		if t.Depth != d && !(t.Kind == Punct && t.Text == "(" && t.Depth == d) {
			return false
		}
		if t.Kind == Punct {
			if t.Text != w {
				return false
			}
			continue
		}
		if !t.Is(w) {
			return false
		}
	}
	return true
}

// Keyword returns the upper-case text of the i-th token when it is a
// Word, or "".
func (s *Statement) Keyword(i int) string {
	if i < 0 || i >= len(s.Tokens) || s.Tokens[i].Kind != Word {
		return ""
	}
	return strings.ToUpper(s.Tokens[i].Text)
}

// Suppressions returns the comments of the statement, in order; the lint
// engine reads "-- retort:ignore" lines from them.
func (s *Statement) Suppressions() []Token {
	var out []Token
	for _, c := range s.Comments {
		if strings.Contains(c.Text, "retort:ignore") {
			out = append(out, c)
		}
	}
	return out
}
